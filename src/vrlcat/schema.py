"""What a valid catalog is: parsed YAML turned into the model, every problem noted
with its file and line. No I/O: store.py reads the files and hands the data here."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .dates import DATE_RE, DATE_STYLE_ALIASES
from .errors import VrlcatError
from .model import (
    BADGE_KINDS,
    ENTRY_KEYS,
    SECTIONS,
    SORT_KEYS,
    SORT_ORDERS,
    STYLE_CHOICES,
    STYLE_KEYS,
    Catalog,
    Chart,
    Entry,
    PageBlock,
    Prose,
    RawBlock,
    Section,
    Settings,
    SortOrder,
    Toc,
)

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SECTION_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
LINE = "__line__"
ITEM_INDEX = "#"  # in Entry.lines: the entry's index in its file's `entries` list
LINES = "__lines__"
_TEXT_SETTINGS = ("date_style", "venue_layout", "bullet", "indent", "nickname", "title_form", "arxiv_link",
                  "badge_layout", "badge_indent", "line_break", "last_break", "line_endings")
_KNOWN_KEYS: dict[tuple[str, ...], frozenset[str]] = {}  # allowed keys (and the line marks) as sets, made once
SETTINGS_KEYS = _TEXT_SETTINGS + ("badges", "badge_forms", "entry_gap", "end_gap", "final_newline", "sort",
                                  "lint_ignore", "render_on_add", "link_ignore", "page_limit", "readme", "contributing")


@dataclass
class Problem:
    """A place where the catalog does not follow the schema."""

    path: str
    line: int | None
    message: str
    entry: str | None = None

    def error(self) -> VrlcatError:
        return VrlcatError(self.message, self.path, self.line)


def gap_to_yaml(gap: str) -> int | str:
    """Blank lines as YAML: their number when they are empty, else the text itself."""
    return len(gap) if gap == "\n" * len(gap) else gap


def _gap_from_yaml(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int) and 0 <= value <= 100:
        return "\n" * value
    if isinstance(value, str) and (all(not line.strip() for line in value.split("\n")) and value.endswith("\n")
                                   or value == ""):
        return value
    return None


class Checker:
    """Turns parsed YAML into the model, noting every schema problem with its line."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, data: Any, key: str | None, message: str, entry: str | None = None) -> None:
        line = None
        if isinstance(data, dict):
            line = data.get(LINES, {}).get(key, data.get(LINE)) if key else data.get(LINE)
        where = f"entry {entry!r}: " if entry else ""
        self.problems.append(Problem(self.path, line, f"{where}{message}", entry))

    def keys(self, data: dict[str, Any], allowed: tuple[str, ...], what: str, entry: str | None = None) -> None:
        known = _KNOWN_KEYS.get(allowed)
        if known is None:
            known = _KNOWN_KEYS[allowed] = frozenset((LINE, LINES, *allowed))
        if data.keys() <= known:
            return  # the usual case, without a loop
        for key in data:
            if key in (LINE, LINES) or key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(data, key, f"unknown {what} field '{key}'{hint}", entry)

    def text(self, data: dict[str, Any], key: str, entry: str | None = None, required: bool = False) -> str | None:
        value = data.get(key)
        if type(value) is str and not _CONTROL_RE.search(value) and (not required or value.strip()):
            return value  # the usual case, checked as below in one test
        if value is None:
            if required:
                self.problem(data, None, f"missing required field '{key}'", entry)
            return None
        if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)
                                        and not 0 <= value < 10**12):
            self.problem(data, key, f"field '{key}' is read as the number {value!r:.40}: quote it", entry)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(data, key, f"field '{key}' must be text, not {type(value).__name__}", entry)
            return None
        text = str(value)
        if required and not text.strip():
            self.problem(data, key, f"field '{key}' is empty", entry)
            return None
        if control := _CONTROL_RE.search(text):
            self.problem(data, key, f"field '{key}' holds the control character U+{ord(control.group()):04X}", entry)
            return None
        return text

    def text_list(self, data: dict[str, Any], key: str, entry: str | None = None) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(data, key, f"field '{key}' must be a list of text", entry)
            return []
        if any(_CONTROL_RE.search(v) for v in value):
            self.problem(data, key, f"field '{key}' holds a control character", entry)
            return []
        return list(value)

    def relative_path(self, data: dict[str, Any], key: str, what: str) -> str | None:
        """A file named in list.yaml: relative, and inside the folder it is relative to."""
        text = self.text(data, key)
        if text is None:
            return None
        parts = PurePosixPath(text).parts
        if not text.strip() or text.startswith(("/", "~")) or "\\" in text or ".." in parts or ":" in text:
            self.problem(data, key, f"{what} '{text}' must be a relative path inside the "
                         f"{'repository' if key == 'render_on_add' else 'catalog folder'}")
            return None
        return text

    def readme_path(self, data: dict[str, Any]) -> str | None:
        """`readme`: relative to the catalog folder, so `..` may lead up to the repository
        (whether it stays inside is checked where the repository is known: vrlcat.pages)."""
        text = self.text(data, "readme")
        if text is None:
            return None
        if not text.strip() or text.startswith(("/", "~")) or "\\" in text or ":" in text or text.endswith("/"):
            self.problem(data, "readme", f"readme '{text}' must be a relative path to a file, from the catalog folder")
            return None
        return text

    def gap(self, data: dict[str, Any], key: str = "gap", entry: str | None = None) -> str | None:
        if key not in data:
            return None
        gap = _gap_from_yaml(data[key])
        if gap is None:
            self.problem(data, key, f"'{key}' must be a number of blank lines or blank text ending in a newline",
                         entry)
        return gap

    def style(self, data: dict[str, Any], entry: str | None = None) -> dict[str, str]:
        """House-style settings written another way here: {bullet: '-', last_break: ' '}."""
        style = data.get("style")
        if style is None:
            return {}
        if not isinstance(style, dict):
            self.problem(data, "style", "'style' must be a mapping of house-style settings", entry)
            return {}
        self.keys(style, STYLE_KEYS, "style", entry)
        chosen = {}
        for key in STYLE_KEYS:
            value = style.get(key)
            if value is None:
                continue
            allowed = STYLE_CHOICES.get(key)
            if not isinstance(value, str) or (allowed and value not in allowed) or \
                    (not allowed and value.strip(" \t\\<br>/")):
                self.problem(style, key, f"style {key} {value!r} is not one of the forms vrlcat writes", entry)
                continue
            chosen[key] = value
        return chosen

    def sort_order(self, data: Any, where: dict[str, Any], key: str) -> SortOrder | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem(where, key, f"'{key}' must be a mapping with 'by' and 'order'")
            return None
        self.keys(data, ("by", "order"), "sort")
        order = SortOrder(str(data.get("by", "date")), str(data.get("order", "desc")))
        if order.by not in SORT_KEYS:
            self.problem(data, "by", f"sort 'by' must be one of {', '.join(SORT_KEYS)}")
        if order.order not in SORT_ORDERS:
            self.problem(data, "order", f"sort 'order' must be one of {', '.join(SORT_ORDERS)}")
        return order

    # list.yaml

    def catalog(self, data: Any) -> Catalog:
        if not isinstance(data, dict):
            raise VrlcatError("list.yaml must be a mapping", self.path, 1)
        self.keys(data, ("title", "settings", "page", "sections"), "list")
        catalog = Catalog(title=self.text(data, "title"), settings=self.settings(data.get("settings"), data))
        catalog.page = self.page(data.get("page", [SECTIONS]), data)
        sections = data.get("sections", [])
        if not isinstance(sections, list):
            self.problem(data, "sections", "'sections' must be a list")
            sections = []
        catalog.sections = [s for s in (self.section(item) for item in sections) if s]
        seen: set[str] = set()
        for section in catalog.walk():
            if section.id in seen:
                self.problems.append(Problem(self.path, section.line, f"duplicate section id '{section.id}'"))
            seen.add(section.id)
        return catalog

    def settings(self, data: Any, parent: dict[str, Any]) -> Settings:
        settings = Settings()
        if data is None:
            return settings
        if not isinstance(data, dict):
            self.problem(parent, "settings", "'settings' must be a mapping")
            return settings
        self.keys(data, SETTINGS_KEYS, "settings")
        for key in _TEXT_SETTINGS:
            if key in data:
                value = self.text(data, key)
                if value is not None:
                    setattr(settings, key, value)
        self._choice(data, settings, "bullet", ("+", "-", "*"))
        self._choice(data, settings, "nickname", ("bold", "from"))
        self._choice(data, settings, "title_form", ("link", "bold-link", "bold"))
        self._choice(data, settings, "badge_layout", ("lines", "inline"))
        self._choice(data, settings, "line_endings", ("lf", "crlf"))
        if "YYYY" not in DATE_STYLE_ALIASES.get(settings.date_style, settings.date_style):
            self.problem(data, "date_style", "date_style must be a pattern such as 'Mon. YYYY' or 'YYYY-MM-DD'")
            settings.date_style = Settings.date_style
        if "{id}" not in settings.arxiv_link:
            self.problem(data, "arxiv_link", "arxiv_link must contain {id}")
            settings.arxiv_link = Settings.arxiv_link
        for key in ("entry_gap", "end_gap"):
            gap = self.gap(data, key)
            if gap is not None:
                setattr(settings, key, gap)
        if "final_newline" in data:
            if isinstance(data["final_newline"], bool):
                settings.final_newline = data["final_newline"]
            else:
                self.problem(data, "final_newline", "final_newline must be true or false")
        if "badges" in data:
            settings.badges = self.text_list(data, "badges")
        if "badge_forms" in data:
            forms = data["badge_forms"]
            if isinstance(forms, dict) and all(isinstance(v, str) for k, v in forms.items() if k in BADGE_KINDS):
                self.keys(forms, BADGE_KINDS, "badge_forms")
                settings.badge_forms.update({k: v for k, v in forms.items() if k in BADGE_KINDS})
            else:
                self.problem(data, "badge_forms", "badge_forms must map arxiv, star, website to text")
        settings.sort = self.sort_order(data.get("sort"), data, "sort") or settings.sort
        settings.lint_ignore = self.text_list(data, "lint_ignore")
        settings.render_on_add = self.relative_path(data, "render_on_add", "render_on_add")
        settings.readme = self.readme_path(data) or (f"../{settings.render_on_add}" if settings.render_on_add
                                                     else settings.readme)
        settings.contributing = self.relative_path(data, "contributing", "contributing")
        settings.link_ignore = self.text_list(data, "link_ignore")
        if "page_limit" in data:
            if isinstance(data["page_limit"], int) and not isinstance(data["page_limit"], bool) \
                    and data["page_limit"] > 0:
                settings.page_limit = data["page_limit"]
            else:
                self.problem(data, "page_limit", "page_limit must be a number of bytes, e.g. 450000")
        return settings

    def _choice(self, data: dict[str, Any], settings: Settings, key: str, allowed: tuple[str, ...]) -> None:
        if getattr(settings, key) not in allowed:
            self.problem(data, key, f"{key} must be one of {', '.join(allowed)}")
            setattr(settings, key, getattr(Settings(), key))

    def page(self, data: Any, parent: dict[str, Any]) -> list[PageBlock]:
        if not isinstance(data, list):
            self.problem(parent, "page", "'page' must be a list")
            return [SECTIONS]
        page: list[PageBlock] = []
        for item in data:
            if item == SECTIONS:
                page.append(SECTIONS)
            elif isinstance(item, dict) and "chart" in item:
                if chart := self.chart(item):
                    page.append(chart)
            elif isinstance(item, dict) and "file" in item:
                self.keys(item, ("file", "gap"), "page block")
                page.append(Prose(text="", file=self.relative_path(item, "file", "prose file"), gap=self.gap(item)))
            elif isinstance(item, dict) and "text" in item:
                self.keys(item, ("text", "gap"), "page block")
                page.append(Prose(text=self.text(item, "text") or "", gap=self.gap(item)))
            elif isinstance(item, dict) and isinstance(item.get("toc"), dict):
                page.append(self.toc(item["toc"]))
            else:
                self.problem(parent, "page", f"unknown page block {item!r}: expected 'sections', "
                             "{file: ...}, {text: ...}, {toc: ...} or {chart: ...}")
        return page

    def chart(self, item: dict[str, Any]) -> Chart | None:
        """`{chart: timeline, file: docs/img/timeline.svg}`: a picture render keeps fresh."""
        self.keys(item, ("chart", "file", "alt", "width", "gap"), "chart")
        kind, file = self.text(item, "chart"), self.text(item, "file", required=True)
        width = item.get("width")
        if kind not in ("timeline", "taxonomy"):
            self.problem(item, "chart", f"chart {kind!r} must be timeline or taxonomy")
        elif file is None or not file.lower().endswith((".svg", ".png")) or file.startswith(("/", "~")) \
                or ".." in PurePosixPath(file).parts or "\\" in file or ":" in file:
            self.problem(item, "file", "chart file must be a relative .svg or .png path beside the page")
        elif width is not None and (isinstance(width, bool) or not isinstance(width, int) or width < 1):
            self.problem(item, "width", "chart width must be a whole number of pixels")
        else:
            return Chart(kind, file, self.text(item, "alt"), width, self.gap(item))
        return None

    def toc(self, toc: dict[str, Any]) -> Toc:
        self.keys(toc, ("heading", "level", "intro", "file", "gap"), "toc")
        level = toc.get("level", 2)
        if not isinstance(level, int) or not 1 <= level <= 6:
            self.problem(toc, "level", "toc level must be a whole number from 1 to 6")
            level = 2
        return Toc(heading=self.text(toc, "heading", required=True) or "Contents", level=level,
                   intro=self.text(toc, "intro") or "", file=self.relative_path(toc, "file", "contents file"),
                   gap=self.gap(toc))

    def section(self, data: Any) -> Section | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.path, None, f"a section must be a mapping, not {data!r}"))
            return None
        self.keys(data, ("id", "title", "level", "heading", "gap", "description", "description_gap", "style",
                         "sort", "children"), "section")
        section_id = self.text(data, "id", required=True)
        title = self.text(data, "title")  # empty for entries before any heading
        if title is None and "title" not in data:
            self.problem(data, None, "missing required field 'title'")
        if section_id is not None and not SECTION_ID_RE.match(section_id):
            self.problem(data, "id", f"section id {section_id!r} must be 1-64 lowercase letters, digits and "
                         "hyphens, starting with a letter or digit")
            return None
        if not section_id or title is None:
            return None
        level = data.get("level", 2)
        if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
            self.problem(data, "level", f"section '{section_id}': level must be a whole number from 1 to 6")
            level = 2
        children = data.get("children", [])
        if not isinstance(children, list):
            self.problem(data, "children", f"section '{section_id}': 'children' must be a list")
            children = []
        return Section(
            id=section_id, title=title, level=level, line=data.get(LINE),
            description=self.text(data, "description") or "",
            heading=self.text(data, "heading"), gap=self.gap(data), description_gap=self.gap(data, "description_gap"),
            style=self.style(data),
            sort=self.sort_order(data.get("sort"), data, "sort"),
            children=[s for s in (self.section(child) for child in children) if s],
        )

    # sections/<id>.yaml

    def entries(self, data: Any) -> tuple[list[Entry], list[RawBlock]]:
        """A section file's entries, and the verbatim blocks (`- raw: ...`) among them."""
        if data is None:
            return [], []
        if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
            self.problems.append(Problem(self.path, 1, "a section file must be a mapping with an 'entries' list"))
            return [], []
        self.keys(data, ("entries",), "section file")
        entries: list[Entry] = []
        raw: list[RawBlock] = []
        for position, item in enumerate(data.get("entries") or []):
            if isinstance(item, dict) and "raw" in item:
                self.keys(item, ("raw", "gap"), "raw block")
                text = self.text(item, "raw")
                if text is not None:
                    raw.append(RawBlock(text, len(entries), self.gap(item), line=item.get(LINE)))
            elif entry := self.entry(item):
                entry.lines[ITEM_INDEX] = position  # rewriting finds its map even when maps share a line
                entries.append(entry)
        return entries, raw

    def entry(self, data: Any) -> Entry | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.path, None, f"an entry must be a mapping, not {str(data)[:40]!r}"))
            return None
        title = self.text(data, "title", required=True)
        name = str(data.get("arxiv") or title or "?")
        self.keys(data, ENTRY_KEYS, "entry", name)
        entry = Entry(title=title or "", line=data.get(LINE), lines=data.get(LINES, {}))
        for key in ("nickname", "arxiv", "url", "date", "venue", "code", "website", "doi", "description", "label",
                    "source"):
            setattr(entry, key, self.text(data, key, name))
        entry.gap = self.gap(data, "gap", name)
        entry.style = self.style(data, name)
        for key in ("badges", "authors", "also_in", "lint-ignore"):
            setattr(entry, key.replace("-", "_"), self.text_list(data, key, name))
        hidden = data.get("hidden", False)
        if not isinstance(hidden, bool):
            self.problem(data, "hidden", "field 'hidden' must be true or false", name)
            hidden = False
        entry.hidden = hidden
        if entry.date is not None and not DATE_RE.match(entry.date):
            self.problem(data, "date", f"date {entry.date!r} is not YYYY-MM (or YYYY, or YYYY-MM-DD)", name)
            entry.date = None
        return entry


# --- the model as YAML-ready data (the inverse of the checker) ----------------

def with_gap(data: dict[str, Any], gap: str | None) -> dict[str, Any]:
    if gap is not None:
        data["gap"] = gap_to_yaml(gap)
    return data


def entry_data(entry: Entry) -> dict[str, Any]:
    data = entry.to_data()
    if entry.gap is not None:
        data["gap"] = gap_to_yaml(entry.gap)
    return data
