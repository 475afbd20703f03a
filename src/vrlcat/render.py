"""Catalog to Markdown: a pure function, so the same catalog gives the same bytes.

The page is a sequence of pieces (the title, prose, the table of contents,
headings, descriptions, entries, verbatim blocks), each followed by its blank
lines: the piece's own `gap` where import recorded one, else the house default.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from .charts import chart_markdown
from .counts import live_counts
from .entrytext import escape_title, render_entry, styled
from .headings import github_anchor, heading_text, headings_in, unique_anchors
from .model import SECTIONS, Catalog, Chart, Entry, Prose, RawBlock, Section, Settings, Toc, clean_whitespace

ONE_BLANK_LINE = "\n"


def section_entries(catalog: Catalog) -> dict[str, list[Entry]]:
    """Each section's entries, plus the entries cross-listed into it with `also_in`."""
    listed = {section.id: list(section.entries) for section in catalog.walk()}
    for section, entry in catalog.entries():
        for other in entry.also_in:
            if other in listed and other != section.id:
                listed[other].append(entry)
    return listed


def _body(section: Section, entries: list[Entry]) -> list[Entry | RawBlock]:
    """A section's entries with its verbatim blocks where they stood."""
    items: list[Entry | RawBlock] = []
    raw = section.raw_positions()
    position = 0
    for index, entry in enumerate(entries):
        while position < len(raw) and raw[position][1] <= index:
            items.append(raw[position][0])
            position += 1
        items.append(entry)
    items.extend(block for block, _ in raw[position:])
    return items


PieceOwner = Catalog | Prose | Chart | Toc | Section | Entry | RawBlock
Piece = tuple[PieceOwner, str, str, str, Section | None]


def _pieces(catalog: Catalog) -> Iterator[Piece]:
    """(owner, text-kind, gap attribute, default gap, section) for every piece, in page order."""
    if catalog.title:
        yield catalog, "title", "", ONE_BLANK_LINE, None
    entries = section_entries(catalog)
    for block in catalog.page:
        if isinstance(block, Prose):
            yield block, "prose", "gap", ONE_BLANK_LINE, None
        elif isinstance(block, Chart):
            yield block, "chart", "gap", ONE_BLANK_LINE, None
        elif isinstance(block, Toc):
            if block.text is None:
                yield block, "toc-heading", "", ONE_BLANK_LINE, None
                if block.intro.strip():
                    yield block, "toc-intro", "", ONE_BLANK_LINE, None
            yield block, "toc", "gap", ONE_BLANK_LINE, None
        elif block == SECTIONS:
            for section in catalog.walk():
                yield from _section_pieces(section, entries[section.id], catalog)


def _section_pieces(section: Section, entries: list[Entry], catalog: Catalog) -> Iterator[Piece]:
    if section.title or section.heading:
        yield section, "heading", "gap", ONE_BLANK_LINE, section
    if section.description:
        yield section, "description", "description_gap", ONE_BLANK_LINE, section
    items = _body(section, entries)
    settings = catalog.settings
    for index, item in enumerate(items):
        if isinstance(item, Entry):
            default = settings.end_gap if index == len(items) - 1 else settings.entry_gap
            yield item, "entry", "gap", default, section
        else:
            yield item, "raw", "gap", ONE_BLANK_LINE, section


def section_settings(catalog: Catalog, section: Section | None) -> Settings:
    """The house style as it applies in a section (its own choices laid over the list's)."""
    return styled(catalog.settings, section.style) if section is not None else catalog.settings


def gap_slots(catalog: Catalog) -> Iterator[tuple[object, str, str]]:
    """(owner, attribute, default) of every stored gap; the page's last piece has none after it."""
    pieces = [piece for piece in _pieces(catalog)]
    for number, (owner, _, attribute, default, _) in enumerate(pieces):
        if attribute:
            yield owner, attribute, "" if number == len(pieces) - 1 else default


def render(catalog: Catalog) -> str:
    """The whole Markdown page."""
    return finish_page("".join(text for text, _ in rendered_pieces(catalog)), catalog.settings)


def rendered_pieces(catalog: Catalog) -> list[tuple[str, Section | None]]:
    """Each piece's text with its blank lines after it, and the section it belongs to (None: outside
    the section tree)."""
    anchors = _anchors(catalog)
    pieces = list(_pieces(catalog))
    out: list[tuple[str, Section | None]] = []
    for number, (owner, kind, attribute, default, section) in enumerate(pieces):
        text = _text(owner, kind, catalog, anchors, section)
        gap = getattr(owner, attribute) if attribute else None
        if gap is None:
            gap = "" if number == len(pieces) - 1 else default
        out.append((text + "\n" + gap, section))
    return out


def with_toc(catalog: Catalog, pieces: list[tuple[str, Section | None]],
             toc: str) -> list[tuple[str, Section | None]]:
    """`pieces` (rendered_pieces) with the table of contents' text replaced by `toc` (pages.py links
    it to other files), its blank lines kept; the entries are not rendered again."""
    out = list(pieces)
    for number, (owner, kind, _, _, section) in enumerate(_pieces(catalog)):
        if kind == "toc":
            written = _text(owner, kind, catalog, _anchors(catalog), section)
            out[number] = (toc + out[number][0][len(written):], out[number][1])
    return out


def finish_page(page: str, settings: Settings) -> str:
    """The file's ending and line endings, as the settings ask."""
    if not settings.final_newline and page.endswith("\n"):
        page = page[:-1]
    if settings.line_endings == "crlf":
        page = page.replace("\n", "\r\n")
    return page


def _text(owner: PieceOwner, kind: str, catalog: Catalog, anchors: dict[str, str], section: Section | None) -> str:
    if isinstance(owner, Entry):  # "entry"
        return render_entry(owner, section_settings(catalog, section))
    if isinstance(owner, Prose):  # "prose"
        return live_counts(owner.text, catalog, owner.file)
    if isinstance(owner, RawBlock):  # "raw"
        return owner.text
    if isinstance(owner, Chart):  # "chart"
        return chart_markdown(owner)
    if isinstance(owner, Section):
        if kind == "heading":
            if owner.heading is not None and heading_still_true(owner):
                return owner.heading
            return f"{'#' * owner.level} {owner.title}"
        return owner.description  # "description"
    if isinstance(owner, Toc):
        if kind == "toc-heading":
            return f"{'#' * owner.level} {owner.heading}"
        if kind == "toc-intro":
            return owner.intro.strip("\n")
        return owner.text if owner.text is not None else toc_text(catalog, anchors)  # "toc"
    return f"# {catalog.title}"  # "title": the owner is the catalog


_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$")


def heading_still_true(section: Section) -> bool:
    """A heading kept as written is used while it still gives the section's level and title."""
    if section.heading is None:
        return False
    lines = section.heading.split("\n")
    if len(lines) == 1 and (match := _ATX_RE.match(lines[0])):
        level, title = len(match.group(1)), match.group(2) or ""
    elif len(lines) >= 2 and set(lines[-1].strip()) in ({"="}, {"-"}):
        level, title = (1 if "=" in lines[-1] else 2), " ".join(line.strip() for line in lines[:-1])
    else:
        return False
    return (level, clean_whitespace(title)) == (section.level, section.title)


def toc_text(catalog: Catalog, anchors: dict[str, str] | None = None) -> str:
    """The generated table of contents: every section, nested by depth."""
    return "\n".join(_toc_lines(catalog.sections, anchors or _anchors(catalog), 0))


def _anchors(catalog: Catalog) -> dict[str, str]:
    """Section id -> anchor, numbered against every heading on the page."""
    sources: list[tuple[str | None, str]] = []
    if catalog.title:
        sources.append((None, catalog.title))
    for block in catalog.page:
        if isinstance(block, Prose):
            sources.extend((None, h) for h in headings_in(block.text))
        elif isinstance(block, Toc):
            sources.append((None, block.heading))
        elif block == SECTIONS:
            sources.extend((s.id, s.title) for s in catalog.walk() if s.title)
    anchors = unique_anchors([source for _, source in sources])
    return {sid: anchor for (sid, _), anchor in zip(sources, anchors, strict=True) if sid}


def _toc_lines(sections: list[Section], anchors: dict[str, str], depth: int) -> list[str]:
    lines = []
    for section in sections:
        if section.title:  # a section without a heading has nothing to link to
            anchor = anchors.get(section.id) or github_anchor(section.title)  # a repeated id: lint's error
            lines.append(f"{'  ' * depth}- [{escape_title(heading_text(section.title))}](#{anchor})")
        lines.extend(_toc_lines(section.children, anchors, depth + 1))
    return lines


def stale_diff(path: Path, expected: str, shown: str, context: int = 1, limit: int = 40) -> str:
    """A short unified diff from `path` (named `shown`) to what render writes; empty when they agree."""
    try:
        actual = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return f"{shown}: missing"
    if actual == expected:
        return ""
    diff = list(difflib.unified_diff(actual.splitlines(), expected.splitlines(), shown, "vrlcat render",
                                     n=context, lineterm=""))
    if not diff:
        diff = ["(the files differ only in line endings or the final newline)"]
    more = f"\n... {len(diff) - limit} more diff lines" if len(diff) > limit else ""
    return f"{shown} is not what `vrlcat render` writes:\n" + "\n".join(diff[:limit]) + more
