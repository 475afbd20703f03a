"""Reading and writing `catalog/`: the whole YAML policy lives here.

Reading uses ruamel's C-based safe loader, recording the line of every mapping
and key, and caches each file's parsed data as JSON keyed by a hash of its
bytes, so a warm run parses nothing that has not changed. Rewriting one file
(add, sort, fix) uses the round-trip loader so comments and layout survive.
Every write goes through `fsio` (staged, then swapped in, all or nothing).
"""

from __future__ import annotations

import difflib
import gc
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import VrlcatError
from .model import (DATE_RE, DATE_STYLES, ENTRY_KEYS, SECTIONS, SORT_KEYS, SORT_ORDERS, Catalog, Entry, Prose,
                    Section, Settings, SortOrder, Toc)

LIST_FILE = "list.yaml"
SECTIONS_DIR = "sections"
PROSE_DIR = "prose"
CACHE_VERSION = "1"
LINE = "__line__"
LINES = "__lines__"


@dataclass
class Problem:
    """A place where the catalog does not follow the schema."""

    path: str
    line: int | None
    message: str
    entry: str | None = None

    def error(self) -> VrlcatError:
        return VrlcatError(self.message, self.path, self.line)


@dataclass
class Loaded:
    catalog: Catalog
    root: Path
    problems: list[Problem] = field(default_factory=list)

    def section_path(self, section_id: str) -> Path:
        return section_path(self.root, section_id)

    def rewritten_section(self, section: Section) -> tuple[Path, str]:
        """The section file's new text after its entries changed in the model
        (comments and layout kept); nothing is written."""
        path = self.section_path(section.id)
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        return path, edit_yaml(text or "entries: []\n", lambda data: sync_entries(data, section.entries), str(path))

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)


def section_path(root: Path, section_id: str) -> Path:
    return root / SECTIONS_DIR / f"{section_id}.yaml"


# --- finding the catalog -----------------------------------------------------

def find_catalog(option: str | os.PathLike | None = None) -> Path:
    """`--catalog DIR`, else $VRLCAT_CATALOG, else the nearest `catalog/` upward."""
    chosen = option or os.environ.get("VRLCAT_CATALOG")
    if chosen:
        root = Path(chosen)
        if not (root / LIST_FILE).is_file():
            raise VrlcatError(f"no {LIST_FILE} in catalog directory", str(root))
        return root
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "catalog" / LIST_FILE).is_file():
            return folder / "catalog"
    raise VrlcatError("no catalog/ found here or above; pass --catalog DIR or set VRLCAT_CATALOG")


def default_import_target(option: str | os.PathLike | None) -> Path:
    return Path(option or os.environ.get("VRLCAT_CATALOG") or "catalog")


# --- reading -----------------------------------------------------------------

def _safe_yaml():
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import SafeConstructor

    class LineConstructor(SafeConstructor):
        """Records where each mapping and key is; keeps timestamps as text."""

        def construct_mapping(self, node, deep=False):
            mapping = super().construct_mapping(node, deep=deep)
            mapping[LINE] = node.start_mark.line + 1
            mapping[LINES] = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
            return mapping

        def construct_yaml_timestamp(self, node, values=None):
            return self.construct_scalar(node)

    LineConstructor.add_constructor("tag:yaml.org,2002:timestamp", LineConstructor.construct_yaml_timestamp)
    yaml = YAML(typ="safe", pure=False)
    yaml.Constructor = LineConstructor
    return yaml


def cache_dir() -> Path:
    configured = os.environ.get("VRLCAT_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs
    return Path(platformdirs.user_cache_dir("vrlcat"))


def read_yaml(path: Path) -> Any:
    """Parsed data of a YAML file with `__line__`/`__lines__` marks, from cache when unchanged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise VrlcatError("file not found", str(path)) from None
    digest = hashlib.blake2b(raw + CACHE_VERSION.encode(), digest_size=16).hexdigest()
    cached = cache_dir() / "parsed" / f"{digest}.json"
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        pass
    data = parse_yaml(raw.decode("utf-8", errors="replace"), str(path))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(cached, json.dumps(data, ensure_ascii=False))
    except OSError:
        pass  # a read-only cache only costs speed
    return data


def parse_yaml(text: str, name: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError

    gc_was_enabled = gc.isenabled()
    gc.disable()  # bulk construction creates no cycles; collection only costs time
    try:
        return _safe_yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise VrlcatError(f"invalid YAML: {exc.problem or exc.context}", name, mark and mark.line + 1,
                          column=mark and mark.column + 1) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def load_catalog(root: Path, strict: bool = True) -> Loaded:
    """Read a catalog. Strict: the first schema problem is raised as a VrlcatError;
    otherwise problems are collected (for lint) and bad values left out."""
    list_path = root / LIST_FILE
    data = read_yaml(list_path)
    checker = _Checker(str(list_path))
    catalog = checker.catalog(data)
    loaded = Loaded(catalog, root, checker.problems)
    for section in catalog.walk():
        path = section_path(root, section.id)
        if not path.exists():
            continue
        section_checker = _Checker(str(path))
        section.entries = section_checker.entries(read_yaml(path))
        loaded.problems.extend(section_checker.problems)
    known = {section.id for section in catalog.walk()}
    for section, entry in catalog.entries():
        for other in entry.also_in:
            if other not in known:
                loaded.problems.append(Problem(str(section_path(root, section.id)), entry.line,
                                               f"entry {entry.key!r}: also_in names unknown section id '{other}'",
                                               entry.key))
    for block in catalog.page:
        if isinstance(block, Prose) and block.file:
            prose_path = root / block.file
            try:
                block.text = prose_path.read_text(encoding="utf-8")
            except FileNotFoundError:
                loaded.problems.append(Problem(str(list_path), None, f"prose file {block.file} not found"))
    if strict and loaded.problems:
        raise loaded.problems[0].error()
    return loaded


class _Checker:
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

    def keys(self, data: dict, allowed: tuple[str, ...], what: str, entry: str | None = None) -> None:
        for key in data:
            if key in (LINE, LINES) or key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.problem(data, key, f"unknown {what} field '{key}'{hint}", entry)

    def text(self, data: dict, key: str, entry: str | None = None, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data, None, f"missing required field '{key}'", entry)
            return None
        if isinstance(value, float):
            self.problem(data, key, f"field '{key}' is read as the number {value!r}: quote it", entry)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(data, key, f"field '{key}' must be text, not {type(value).__name__}", entry)
            return None
        return str(value)

    def text_list(self, data: dict, key: str, entry: str | None = None) -> list[str]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(data, key, f"field '{key}' must be a list of text", entry)
            return []
        return list(value)

    def sort_order(self, data: Any, where: dict, key: str) -> SortOrder | None:
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

    def settings(self, data: Any, parent: dict) -> Settings:
        settings = Settings()
        if data is None:
            return settings
        if not isinstance(data, dict):
            self.problem(parent, "settings", "'settings' must be a mapping")
            return settings
        self.keys(data, ("date_style", "bullet", "badges", "sort", "lint_ignore", "render_on_add", "link_ignore"),
                  "settings")
        settings.date_style = self.text(data, "date_style") or settings.date_style
        if settings.date_style not in DATE_STYLES:
            self.problem(data, "date_style", f"date_style must be one of {', '.join(DATE_STYLES)}")
            settings.date_style = "abbrev-dot"
        settings.bullet = self.text(data, "bullet") or settings.bullet
        if settings.bullet not in ("+", "-", "*"):
            self.problem(data, "bullet", "bullet must be one of +, -, *")
            settings.bullet = "+"
        if "badges" in data:
            settings.badges = self.text_list(data, "badges")
        settings.sort = self.sort_order(data.get("sort"), data, "sort") or settings.sort
        settings.lint_ignore = self.text_list(data, "lint_ignore")
        settings.render_on_add = self.text(data, "render_on_add")
        settings.link_ignore = self.text_list(data, "link_ignore")
        return settings

    def page(self, data: Any, parent: dict) -> list:
        if not isinstance(data, list):
            self.problem(parent, "page", "'page' must be a list")
            return [SECTIONS]
        page: list = []
        for item in data:
            if item == SECTIONS:
                page.append(SECTIONS)
            elif isinstance(item, dict) and "file" in item:
                self.keys(item, ("file",), "page block")
                page.append(Prose(text="", file=self.text(item, "file")))
            elif isinstance(item, dict) and "text" in item:
                self.keys(item, ("text",), "page block")
                page.append(Prose(text=self.text(item, "text") or ""))
            elif isinstance(item, dict) and isinstance(item.get("toc"), dict):
                toc = item["toc"]
                self.keys(toc, ("heading", "level", "intro"), "toc")
                level = toc.get("level", 2)
                if not isinstance(level, int) or not 1 <= level <= 6:
                    self.problem(toc, "level", "toc level must be a whole number from 1 to 6")
                    level = 2
                page.append(Toc(heading=self.text(toc, "heading", required=True) or "Contents", level=level,
                                intro=self.text(toc, "intro") or ""))
            else:
                self.problem(parent, "page", f"unknown page block {item!r}: expected 'sections', "
                             "{file: ...}, {text: ...} or {toc: ...}")
        return page

    def section(self, data: Any) -> Section | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.path, None, f"a section must be a mapping, not {data!r}"))
            return None
        self.keys(data, ("id", "title", "level", "description", "notes", "sort", "children"), "section")
        section_id = self.text(data, "id", required=True)
        title = self.text(data, "title", required=True)
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
            notes=self.text_list(data, "notes"),
            sort=self.sort_order(data.get("sort"), data, "sort"),
            children=[s for s in (self.section(child) for child in children) if s],
        )

    # sections/<id>.yaml

    def entries(self, data: Any) -> list[Entry]:
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
            self.problems.append(Problem(self.path, 1, "a section file must be a mapping with an 'entries' list"))
            return []
        self.keys(data, ("entries",), "section file")
        return [e for e in (self.entry(item) for item in data.get("entries") or []) if e]

    def entry(self, data: Any) -> Entry | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.path, None, f"an entry must be a mapping, not {str(data)[:40]!r}"))
            return None
        title = self.text(data, "title", required=True)
        name = str(data.get("arxiv") or title or "?")
        self.keys(data, ENTRY_KEYS, "entry", name)
        entry = Entry(title=title or "", line=data.get(LINE), lines=data.get(LINES, {}))
        for key in ("arxiv", "url", "date", "venue", "code", "website", "doi"):
            setattr(entry, key, self.text(data, key, name))
        for key in ("badges", "authors", "also_in", "lint-ignore"):
            setattr(entry, key.replace("-", "_"), self.text_list(data, key, name))
        hidden = data.get("hidden", False)
        if not isinstance(hidden, bool):
            self.problem(data, "hidden", "field 'hidden' must be true or false", name)
            hidden = False
        entry.hidden = hidden
        if entry.date is not None and not DATE_RE.match(entry.date):
            self.problem(data, "date", f"date {entry.date!r} is not YYYY-MM", name)
            entry.date = None
        if not entry.arxiv and not entry.url:
            self.problem(data, None, "needs 'arxiv' or 'url'", name)
        return entry




def orphan_section_files(root: Path, catalog: Catalog) -> list[Path]:
    """Files in sections/ that no section in list.yaml owns."""
    known = {section.id for section in catalog.walk()}
    folder = root / SECTIONS_DIR
    return sorted(p for p in folder.glob("*.yaml") if p.stem not in known) if folder.is_dir() else []


# --- writing -----------------------------------------------------------------

def write_text_atomically(path: Path, text: str) -> None:
    """Replace one file safely (see `fsio`)."""
    write_files_atomically({path: text})


def write_files_atomically(files: dict[Path, str], remove: Iterable[Path] = ()) -> None:
    """All or nothing: `fsio.write_files` stages every file, then swaps them in.
    YAML that vrlcat would refuse to read back is never written."""
    from .fsio import write_files
    from .yaml_guard import check_yaml_to_write

    for path, text in files.items():
        if path.suffix == ".yaml":
            check_yaml_to_write(text, path)
    write_files(files, remove)


def _round_trip_yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def _literal(value: Any) -> Any:
    """Multi-line text as a `|` block, which people can read and edit."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    return value


def dump_yaml(data: Any) -> str:
    import io

    stream = io.StringIO()
    _round_trip_yaml().dump(_literal(data), stream)
    return stream.getvalue()


def catalog_files(catalog: Catalog, root: Path) -> dict[Path, str]:
    """Every file of a catalog as text: list.yaml, one YAML per section with
    entries, one Markdown file per prose block."""
    files: dict[Path, str] = {}
    page: list = []
    for block in catalog.page:
        if isinstance(block, Prose) and block.file:
            name = block.file if block.file.endswith(".md") else f"{PROSE_DIR}/{block.file}.md"
            while root / name in files:
                name = name.removesuffix(".md") + "-2.md"
            files[root / name] = block.text.rstrip("\n") + "\n"
            page.append({"file": name})
        elif isinstance(block, Prose):
            page.append({"text": block.text})
        elif isinstance(block, Toc):
            toc = {"heading": block.heading, "level": block.level}
            if block.intro:
                toc["intro"] = block.intro
            page.append({"toc": toc})
        else:
            page.append(SECTIONS)
    data: dict = {}
    if catalog.title:
        data["title"] = catalog.title
    data["settings"] = _settings_data(catalog.settings)
    data["page"] = page
    data["sections"] = [_section_data(s) for s in catalog.sections]
    files[root / LIST_FILE] = dump_yaml(data)
    for section in catalog.walk():
        if section.entries:
            files[section_path(root, section.id)] = dump_yaml({"entries": [e.to_data() for e in section.entries]})
    return files


def _settings_data(settings: Settings) -> dict:
    data = {"date_style": settings.date_style, "bullet": settings.bullet, "badges": list(settings.badges),
            "sort": {"by": settings.sort.by, "order": settings.sort.order}}
    if settings.lint_ignore:
        data["lint_ignore"] = list(settings.lint_ignore)
    if settings.render_on_add:
        data["render_on_add"] = settings.render_on_add
    if settings.link_ignore:
        data["link_ignore"] = list(settings.link_ignore)
    return data


def _section_data(section: Section) -> dict:
    data: dict = {"id": section.id, "title": section.title, "level": section.level}
    if section.description:
        data["description"] = section.description
    if section.notes:
        data["notes"] = list(section.notes)
    if section.sort:
        data["sort"] = {"by": section.sort.by, "order": section.sort.order}
    if section.children:
        data["children"] = [_section_data(c) for c in section.children]
    return data


def edit_yaml(text: str, change: Callable[[Any], None], name: str) -> str:
    """`text` after `change` mutates its round-trip data in place (comments, key
    order and quoting survive). Nothing is written."""
    import io

    from ruamel.yaml.error import MarkedYAMLError

    yaml = _round_trip_yaml()
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise VrlcatError(f"invalid YAML: {exc.problem}", name, mark and mark.line + 1,
                          column=mark and mark.column + 1) from None
    if not isinstance(data, dict):
        raise VrlcatError("expected a mapping", name, 1)
    change(data)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def sync_entries(data: Any, entries: list[Entry]) -> None:
    """Make a section file's round-trip data match the model's entries: the same
    maps (with their comments, including comment lines written above an entry)
    in the model's order, fields updated in place, maps of entries no longer in
    the model removed, new entries added."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if data.get("entries") is None:
        data["entries"] = CommentedSeq()
    sequence = data["entries"]
    by_line = {item.lc.line + 1: item for item in sequence}
    reordered = []
    for entry in entries:
        item = by_line.get(entry.line) if entry.line is not None else None
        if item is None:
            item = CommentedMap(_literal(entry.to_data()))
        else:
            _sync_map(item, entry.to_data())
        reordered.append(item)
    if [id(i) for i in reordered] == [id(i) for i in sequence]:
        return
    leading = _detach_leading_comments(sequence)
    sequence[:] = reordered
    _attach_leading_comments(data, sequence, [leading.get(id(item), []) for item in reordered])


_ITEM_INDENT = "  "  # the column of a sequence dash in the files vrlcat writes


def _trailing_slot(item: Any) -> tuple[Any, int] | None:
    """Where ruamel keeps the comment lines that follow a block item: (token list, index)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(item, CommentedMap) and item:
        last = list(item)[-1]
        value = item[last]
        if isinstance(value, (CommentedMap, CommentedSeq)) and value and not value.fa.flow_style():
            return _trailing_slot(value)
        return item.ca.items.get(last), 2
    if isinstance(item, CommentedSeq) and item:
        last = len(item) - 1
        if isinstance(item[last], (CommentedMap, CommentedSeq)):
            return _trailing_slot(item[last])
        return item.ca.items.get(last), 0
    return None


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _detach_leading_comments(sequence: Any) -> dict[int, list[str]]:
    """Comment lines written above each item, taken off wherever ruamel keeps them:
    the sequence's own comment (first item), the sequence's slot for the item,
    or the end of the previous item's last value."""
    items = list(sequence)
    leading: dict[int, list[str]] = {id(item): [] for item in items}
    top = sequence.ca.comment[1] if sequence.ca.comment and len(sequence.ca.comment) > 1 else None
    if items and top:
        leading[id(items[0])] += _comment_lines("".join(token.value for token in top))
    for index, (previous, item) in enumerate(zip(items, items[1:]), start=1):
        found = _trailing_slot(previous)
        slot, position = found if found else (None, 0)
        token = slot[position] if slot and len(slot) > position else None
        if token is not None:
            end_of_line, newline, rest = token.value.partition("\n")
            leading[id(item)] += _comment_lines(rest)
            token.value = end_of_line + newline
        own = sequence.ca.items.get(index)
        if own and len(own) > 1 and own[1]:
            leading[id(item)] += _comment_lines("".join(t.value for t in own[1]))
    sequence.ca.items.clear()
    return leading


def _attach_leading_comments(data: Any, sequence: Any, leading: list[list[str]]) -> None:
    """Put each item's comment lines back above it, in its new place."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    def tokens(lines: list[str]) -> list | None:
        return [CommentToken(f"{line}\n", CommentMark(len(_ITEM_INDENT)), None) for line in lines] or None

    first = tokens(leading[0]) if leading else None
    sequence.ca.comment = [None, first] if first else None
    slot = data.ca.items.get("entries")
    if isinstance(slot, list) and len(slot) > 3:
        slot[3] = first
    for index, lines in enumerate(leading[1:], start=1):
        if lines:
            sequence.ca.items[index] = [None, tokens(lines), None, None]


def _sync_map(item: Any, data: dict) -> None:
    for key in [k for k in item if k not in data]:
        del item[key]
    for key, value in data.items():
        if key in item:
            if item[key] != value:
                item[key] = _literal(value)
        else:
            position = sum(1 for k in item if k in ENTRY_KEYS and ENTRY_KEYS.index(k) < ENTRY_KEYS.index(key))
            item.insert(position, key, _literal(value))
