"""The domain: entries, sections and the catalog, plus arXiv ids and date labels.

Pure data and pure functions: nothing here reads files or talks to the network,
so every other module (store, importer, render, lint) can share one vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

# --- arXiv identifiers -------------------------------------------------------

_NEW_ID = r"(?P<new>\d{4}\.\d{4,5})"
_OLD_ID = r"(?P<old>[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_VERSION = r"(?:v(?P<version>\d+))?"
ARXIV_ID_RE = re.compile(rf"(?:{_NEW_ID}|{_OLD_ID}){_VERSION}")
_BARE_ID_RE = re.compile(rf"^(?:arxiv:)?{ARXIV_ID_RE.pattern}$", re.IGNORECASE)
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
_PAPER_HOST_HINT = re.compile(r"arxiv\.org|huggingface\.co|alphaxiv\.org", re.IGNORECASE)
_ARXIV_PATH_RE = re.compile(
    rf"^/(?:abs|pdf|html)/{ARXIV_ID_RE.pattern}(?:\.pdf)?/?$"
)


def _id_from_match(match: re.Match[str]) -> str:
    return match.group("new") or match.group("old")


def parse_arxiv_id(text: str) -> str | None:
    """The version-less arXiv id that `text` names, or None.

    Accepts a bare id (`2505.01234`, `2505.01234v2`, `hep-th/9901001`,
    `math.GT/0309136`), an `arXiv:` prefix, and arxiv.org URLs under /abs/,
    /pdf/ (with or without `.pdf`) and /html/, on http or https, with or
    without www./export., query strings, fragments or a trailing slash.
    Hugging Face paper pages and alphaxiv are read the same way.
    """
    text = text.strip()
    bare = _BARE_ID_RE.match(text)
    if bare:
        if bare.group("old") is None or _old_id_case_ok(bare.group("old")):
            return _id_from_match(bare)
        return None
    if not _PAPER_HOST_HINT.search(text):
        return None  # the common case in a catalog: some other site's URL
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = parts.netloc.lower()
    path = parts.path
    if host in _ARXIV_HOSTS:
        match = _ARXIV_PATH_RE.match(path)
        return _id_from_match(match) if match else None
    if host in ("huggingface.co", "www.huggingface.co") and path.startswith("/papers/"):
        return parse_arxiv_id(path.removeprefix("/papers/").strip("/"))
    if host in ("alphaxiv.org", "www.alphaxiv.org") and path.startswith("/abs/"):
        return parse_arxiv_id(path.removeprefix("/abs/").strip("/"))
    return None


def _old_id_case_ok(old: str) -> bool:
    archive = old.split("/", 1)[0]
    name, _, sub = archive.partition(".")
    return name == name.lower() and sub == sub.upper()


def arxiv_id_month(arxiv_id: str) -> str | None:
    """The `YYYY-MM` submission month an id encodes (both id styles do)."""
    digits = arxiv_id.split("/")[-1] if "/" in arxiv_id else arxiv_id.split(".")[0]
    yy, mm = int(digits[:2]), int(digits[2:4])
    if not 1 <= mm <= 12:
        return None
    century = 1900 if ("/" in arxiv_id and yy >= 91) else 2000
    return f"{century + yy:04d}-{mm:02d}"


def arxiv_abs_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


# --- GitHub repositories -----------------------------------------------------

_GITHUB_REPO_RE = re.compile(r"^https://github\.com/(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+)$")


def github_repo(url: str) -> tuple[str, str] | None:
    """(owner, repo) when `url` is a canonical repository URL, else None."""
    match = _GITHUB_REPO_RE.match(url)
    if not match or match.group("repo").endswith(".git"):
        return None
    return match.group("owner"), match.group("repo")


def normalise_github_url(url: str) -> str | None:
    """`http://www.github.com/o/r.git/tree/main#x` -> `https://github.com/o/r`."""
    if github_repo(url):
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.netloc.lower() not in ("github.com", "www.github.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return None
    owner, repo = segments[0], segments[1].removesuffix(".git")
    return f"https://github.com/{owner}/{repo}"


# --- web links ---------------------------------------------------------------

_PLAIN_WEB_URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#][^\s]*)?$")


def url_problem(url: str) -> str | None:
    """Why `url` is not a well-formed web link (http or https, a host, no whitespace), or None."""
    if _PLAIN_WEB_URL.match(url):
        return None  # the common case, without parsing
    if any(ch.isspace() for ch in url):
        return "contains spaces or line breaks"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a valid URL"
    if not parts.scheme:
        return "has no scheme"
    if parts.scheme not in ("http", "https"):
        return f"uses the scheme '{parts.scheme}:'"
    if not parts.netloc or "." not in parts.netloc:
        return "has no host"
    return None


# --- titles ------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """A key under which retyped copies of one title compare equal (case, Unicode
    form, punctuation and spaces ignored)."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


_ASCII_SPACE_RUN = re.compile(r"[ \t\r\n]+")


def clean_whitespace(text: str) -> str:
    """Line breaks and space runs to one space; other spaces (e.g. U+202F) are content."""
    return _ASCII_SPACE_RUN.sub(" ", text).strip(" ")


# --- the catalog -------------------------------------------------------------

ENTRY_KEYS = ("title", "nickname", "arxiv", "url", "date", "venue", "code", "website", "badges",
              "authors", "description", "doi", "also_in", "hidden", "lint-ignore", "style", "label", "gap", "source")
# Keys that say how an entry is written rather than what it is.
FORM_KEYS = ("style", "label", "gap", "source")
# House-style settings a section or an entry may write its own way.
STYLE_KEYS = ("bullet", "indent", "nickname", "title_form", "badge_layout", "badge_indent", "line_break", "last_break")
STYLE_CHOICES = {"bullet": ("+", "-", "*"), "nickname": ("bold", "from"), "title_form": ("link", "bold-link", "bold"),
                 "badge_layout": ("lines", "inline")}


@dataclass
class Entry:
    """One paper. `arxiv` is a bare version-less id; `url` replaces the arXiv
    link as the title's target (papers not on arXiv, or a link kept as found)."""

    title: str
    nickname: str | None = None
    arxiv: str | None = None
    url: str | None = None
    date: str | None = None
    venue: str | None = None
    code: str | None = None
    website: str | None = None
    badges: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    description: str | None = None
    doi: str | None = None
    also_in: list[str] = field(default_factory=list)
    hidden: bool = False
    lint_ignore: list[str] = field(default_factory=list)
    # How the entry was written where the house style would write it otherwise
    # (each is used only while it still says what the fields say):
    style: dict[str, str] = field(default_factory=dict)  # e.g. {"last_break": " "}
    label: str | None = None  # the date label's text, e.g. "Oct., 2025"
    gap: str | None = None  # the blank lines after it, e.g. "" or "  \n"
    source: str | None = None  # the whole entry's Markdown
    line: int | None = field(default=None, compare=False)
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # field -> line

    def line_of(self, key: str) -> int | None:
        """The line of a field in its file, else of the entry."""
        return self.lines.get(key, self.line)

    @property
    def link(self) -> str | None:
        """Where the title points (in the default house style)."""
        if self.url:
            return self.url
        return arxiv_abs_url(self.arxiv) if self.arxiv else None

    @property
    def key(self) -> str:
        """How findings and messages name the entry: its id, else its title."""
        return self.arxiv or self.title

    def to_data(self) -> dict[str, Any]:
        """The entry as YAML-ready data, keys in the documented order, empties left out."""
        data: dict[str, Any] = {}
        for key in ENTRY_KEYS:
            value = getattr(self, key.replace("-", "_"))
            if value is None or value is False or (value in ([], "", {}) and key != "gap"):
                continue
            data[key] = list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value
        return data

    def facts(self) -> dict[str, Any]:
        """What the entry says, without how it is written."""
        data = self.to_data()
        for key in FORM_KEYS:
            data.pop(key, None)
        return data


SORT_KEYS = ("date", "title", "added")
SORT_ORDERS = ("desc", "asc")


@dataclass
class SortOrder:
    by: str = "date"
    order: str = "desc"


@dataclass
class RawBlock:
    """Markdown among a section's entries that is not an entry (a comment, a
    marker, a stray paragraph), kept verbatim where it stood: before the entry
    at index `position` (or after the last one)."""

    text: str
    position: int
    gap: str | None = None
    before: Entry | None = field(default=None, compare=False, repr=False)  # the entry it stands before
    at_end: bool = field(default=False, compare=False)  # after the last entry, wherever that is
    line: int | None = field(default=None, compare=False)


@dataclass
class Section:
    id: str
    title: str
    level: int
    description: str = ""
    raw: list[RawBlock] = field(default_factory=list)
    heading: str | None = None  # the heading line(s) as written, where `#`*level + title differs
    style: dict[str, str] = field(default_factory=dict)  # house-style settings this section writes its own way
    gap: str | None = None  # blank lines after the heading
    description_gap: str | None = None
    sort: SortOrder | None = None
    children: list[Section] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def anchor_raw(self) -> None:
        """Tie each verbatim block to the entry it stands before, so it moves with that
        entry when entries are added, removed or sorted."""
        for block in self.raw:
            block.before = self.entries[block.position] if block.position < len(self.entries) else None
            block.at_end = block.before is None

    def raw_positions(self) -> list[tuple[RawBlock, int]]:
        """Each verbatim block with the index of the entry it now stands before."""
        where = {id(entry): index for index, entry in enumerate(self.entries)}
        placed = []
        for block in self.raw:
            if block.at_end:
                placed.append((block, len(self.entries)))
                continue
            index = where.get(id(block.before)) if block.before is not None else None
            placed.append((block, index if index is not None else min(block.position, len(self.entries))))
        return sorted(placed, key=lambda pair: pair[1])


BADGE_KINDS = ("arxiv", "star", "website")
DEFAULT_BADGE_FORMS = {
    "arxiv": "[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]({arxiv_url})",
    "star": "[![Star](https://img.shields.io/github/stars/{owner}/{repo}.svg?style=social&label=Star)]({code})",
    "website": "[![Website](https://img.shields.io/badge/Website-9cf)]({website})",
}


@dataclass
class Settings:
    """The list's settings, including its house style: how a new or edited entry
    is written. Import infers the style from the list, so that most entries
    need no per-entry form at all."""

    date_style: str = "Mon. YYYY"  # a pattern: Mon. D, YYYY | Mon., YYYY | YYYY-MM-DD | ... (or an old name)
    venue_layout: str = "date, venue"
    bullet: str = "+"
    indent: str = ""  # before the bullet
    nickname: str = "bold"  # bold: **Nick** [Title](url); from: Nick from [Title](url)
    title_form: str = "link"  # link: [Title](url); bold-link: [**Title**](url); bold: **Title** (no link)
    arxiv_link: str = "https://arxiv.org/abs/{id}"
    badges: list[str] = field(default_factory=lambda: list(BADGE_KINDS))
    badge_forms: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_BADGE_FORMS))
    badge_layout: str = "lines"  # lines: one per line under the entry; inline: on the entry's line
    badge_indent: str = "  "
    line_break: str = ""  # the end of each entry line but the last: "", "  ", "\\", " <br>"
    last_break: str = ""  # the end of an entry's last line
    entry_gap: str = "\n"  # blank lines between entries
    end_gap: str = "\n"  # blank lines after a section's last entry
    line_endings: str = "lf"  # lf | crlf
    final_newline: bool = True
    sort: SortOrder = field(default_factory=SortOrder)
    lint_ignore: list[str] = field(default_factory=list)
    render_on_add: str | None = None  # before 0.2: the README, relative to the repository; read as `readme`
    readme: str = "../README.md"  # the page render writes, relative to the catalog folder
    contributing: str | None = None  # a prose file whose text is also CONTRIBUTING.md beside the README
    link_ignore: list[str] = field(default_factory=list)  # URL patterns check-links skips
    page_limit: int = 450_000  # bytes: past it render writes one page per top-level section (pages.py)


@dataclass
class Prose:
    """Markdown kept verbatim: `text` inline in list.yaml, or in the file `file`;
    `gap` is the blank lines after it (one empty line unless given)."""

    text: str
    file: str | None = None
    gap: str | None = None


@dataclass
class Toc:
    """The table of contents: generated from the section tree, or kept as
    written (`file`, from import) until lint's fix regenerates it."""

    heading: str
    level: int = 2
    intro: str = ""
    file: str | None = None
    text: str | None = None
    gap: str | None = None


@dataclass
class Chart:
    """A chart of the list (`timeline` or `taxonomy`) shown as an image link; `file`
    is the picture, relative to the rendered page, which render keeps fresh."""

    kind: str
    file: str
    alt: str | None = None
    width: int | None = None
    gap: str | None = None


SECTIONS = "sections"
PageBlock = Prose | Toc | Chart | str


@dataclass
class Catalog:
    title: str | None = None
    settings: Settings = field(default_factory=Settings)
    page: list[PageBlock] = field(default_factory=lambda: [SECTIONS])
    sections: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in page order."""
        for root in self.sections:
            yield from root.walk()

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.walk() if s.id == section_id), None)

    def parent_of(self, section_id: str) -> Section | None:
        return next((s for s in self.walk() if any(c.id == section_id for c in s.children)), None)

    def entries(self) -> Iterator[tuple[Section, Entry]]:
        """(section, entry) for every entry, in catalog order."""
        for section in self.walk():
            for entry in section.entries:
                yield section, entry

    def sort_order(self, section: Section) -> SortOrder:
        return section.sort or self.settings.sort


def section_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """The section tree as flat rows (what `vrlcat sections --format json` prints)."""
    rows: list[dict[str, Any]] = []

    def visit(sections: list[Section], parent: str | None) -> None:
        for section in sections:
            rows.append({"id": section.id, "title": section.title, "level": section.level,
                         "parent": parent, "entries": len(section.entries)})
            visit(section.children, section.id)

    visit(catalog.sections, None)
    return rows
