"""Render beyond one page: GitHub stops showing a README past 512 KiB.

While the page fits `settings.page_limit` it is the README, byte for byte as
`render` writes it. Past the limit each top-level section gets its own file
(`lists/<id>.md`) and the README keeps everything else, with a table of
contents that links into those files and counts their papers. A section page
is a fixed header line and then exactly the text the one-page README would
have held, so the one page can be put back together (`sync` reads it so).
"""

from __future__ import annotations

from pathlib import Path

from .entrytext import escape_title
from .headings import heading_text, unique_anchors
from .model import Catalog, Section
from .render import finish_page, render, rendered_pieces, section_entries, with_toc

PAGES_FOLDER = "lists"


def page_path(root: Section) -> str:
    """Where a top-level section's page lives, relative to the README."""
    return f"{PAGES_FOLDER}/{root.id}.md"


def page_header(readme_name: str) -> str:
    """The line every section page starts with (its link back), then one blank line."""
    return f"[← Back to the list](../{readme_name})\n\n"


def is_split(catalog: Catalog) -> bool:
    """Whether the one-page README would pass the size limit."""
    return len(render(catalog).encode("utf-8")) > catalog.settings.page_limit


def render_files(catalog: Catalog, readme_name: str = "README.md") -> dict[str, str]:
    """Every file render writes, by path relative to the README's folder: the README alone while it
    fits the limit, else the README and one page per top-level section."""
    pieces = rendered_pieces(catalog)
    single = finish_page("".join(text for text, _ in pieces), catalog.settings)
    if len(single.encode("utf-8")) <= catalog.settings.page_limit:
        return {readme_name: single}
    settings = catalog.settings
    pieces = with_toc(catalog, pieces, _linked_toc(catalog))
    roots = _root_of(catalog)
    before = "".join(text for text, section in _until_sections(pieces))
    after = "".join(text for text, section in pieces[len(_until_sections(pieces)):] if section is None)
    files = {readme_name: finish_page(before + _pages_list(catalog, bool(after)) + after, settings)}
    for root in catalog.sections:
        body = "".join(text for text, section in pieces if section is not None and roots[section.id] is root)
        files[page_path(root)] = finish_page(page_header(readme_name) + body, settings)
    return files


def one_page_from_files(catalog: Catalog, readme: Path) -> str:
    """The one-page README that a split README and its section pages on disk stand for: the
    catalog's own text outside the sections, and each page's text past its header."""
    pieces = rendered_pieces(catalog)
    head = _until_sections(pieces)
    before = "".join(text for text, _ in head)
    after = "".join(text for text, section in pieces[len(head):] if section is None)
    header = page_header(readme.name)
    roots = _root_of(catalog)
    bodies = []
    for root in catalog.sections:
        path = readme.parent / page_path(root)
        if not path.exists():  # a page gone missing changes nothing: its entries are not taken as removed
            bodies.append("".join(text for text, section in pieces if section and roots[section.id] is root))
            continue
        text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
        body = text[len(header):] if text.startswith(header) else text
        bodies.append(body if body.endswith("\n") or not body else body + "\n")
    return finish_page(before + "".join(bodies) + after, catalog.settings)


def _until_sections(pieces: list[tuple[str, Section | None]]) -> list[tuple[str, Section | None]]:
    """The pieces before the section tree."""
    for number, (_, section) in enumerate(pieces):
        if section is not None:
            return pieces[:number]
    return pieces


def _subtree(section: Section) -> list[Section]:
    """The section and its subsections, depth first."""
    return [section, *(each for child in section.children for each in _subtree(child))]


def _root_of(catalog: Catalog) -> dict[str, Section]:
    return {section.id: root for root in catalog.sections for section in _subtree(root)}


def paper_counts(catalog: Catalog) -> dict[str, int]:
    """Section id -> the papers a reader sees in it and its subsections (cross-listings included)."""
    listed = section_entries(catalog)
    counts = {}
    for section in (each for root in catalog.sections for each in _subtree(root)):
        seen: set[int] = set()
        for each in _subtree(section):
            seen.update(id(entry) for entry in listed[each.id] if not entry.hidden)
        counts[section.id] = len(seen)
    return counts


def _page_anchors(catalog: Catalog) -> dict[str, str]:
    """Section id -> `lists/<root>.md#anchor`, numbered against the headings of its own page."""
    links = {}
    for root in catalog.sections:
        titled = [section for section in _subtree(root) if section.title]
        for section, anchor in zip(titled, unique_anchors([s.title for s in titled]), strict=True):
            links[section.id] = f"{page_path(root)}#{anchor}"
    return links


def _linked_toc(catalog: Catalog) -> str:
    """The table of contents with each section's page link and paper count."""
    links, counts = _page_anchors(catalog), paper_counts(catalog)
    lines: list[str] = []

    def visit(sections: list[Section], depth: int) -> None:
        for section in sections:
            if section.title:
                title = escape_title(heading_text(section.title))
                lines.append(f"{'  ' * depth}- [{title}]({links[section.id]}) ({counts[section.id]})")
            visit(section.children, depth + 1)

    visit(catalog.sections, 0)
    return "\n".join(lines)


def _pages_list(catalog: Catalog, more_follows: bool) -> str:
    """What stands in the README where the sections were: a link to each section's page."""
    counts = paper_counts(catalog)
    lines = [f"- [{escape_title(heading_text(root.title) or root.id)}]({page_path(root)}) "
             f"({_papers(counts[root.id])})" for root in catalog.sections]
    return "\n".join(lines) + "\n" + ("\n" if more_follows else "") if lines else ""


def _papers(count: int) -> str:
    return "1 paper" if count == 1 else f"{count} papers"



def files_beside(catalog: Catalog, readme: Path) -> dict[Path, str]:
    """`render_files` as paths beside the README."""
    return {readme.parent / name: text for name, text in render_files(catalog, readme.name).items()}


def leftover_pages(files: dict[Path, str], readme: Path) -> list[Path]:
    """Section pages an earlier render wrote that this one does not (the list shrank or a section went)."""
    folder = readme.parent / PAGES_FOLDER
    header = page_header(readme.name).encode("utf-8")
    return sorted(path for path in folder.glob("*.md")
                  if path not in files and path.read_bytes().replace(b"\r\n", b"\n").startswith(header))
