"""Rules over the catalog's sections and the page they make: order, empty sections, heading
levels, the table of contents, and the README render writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..headings import github_anchor, heading_text
from ..model import SECTIONS, Section
from ..sort import first_misplaced, sorted_entries
from . import ERROR, WARNING, Context, Finding, catalog_rule


@catalog_rule("sort-order", ERROR, "Entries are in the order their section declares (newest first by default).",
              fixable=True)
def sort_order(context: Context) -> Iterator[Finding]:
    for section in context.catalog.walk():
        order = context.catalog.sort_order(section)
        index = first_misplaced(section.entries, order)
        if index is not None:
            entry = section.entries[index]
            want = sorted_entries(section.entries, order).index(entry)
            yield Finding("sort-order", ERROR, context.path(section), entry.line,
                          f"section '{section.id}' is not sorted by {order.by} ({order.order}): "
                          f"{entry.key!r} belongs at position {want + 1}, not {index + 1}", entry.key, True)


@catalog_rule("section-empty", ERROR, "Every section has entries, subsections or text of its own.")
def section_empty(context: Context) -> Iterator[Finding]:
    listed_here = {section_id for _, entry in context.catalog.entries() for section_id in entry.also_in}
    for section in context.catalog.walk():
        if not (section.entries or section.children or section.description.strip() or section.raw
                or section.id in listed_here):
            yield Finding("section-empty", ERROR, context.list_path, section.line,
                          f"section '{section.id}' has no entries, no subsections and no text")


@catalog_rule("heading-level", WARNING, "A subsection's heading is one level below its parent's.", fixable=True)
def heading_level(context: Context) -> Iterator[Finding]:
    def visit(sections: list[Section], expected: int | None) -> Iterator[Finding]:
        for section in sections:
            if expected is not None and section.level != expected:
                yield Finding("heading-level", WARNING, context.list_path, section.line,
                              f"section '{section.id}' is level {section.level} under a level {expected - 1} "
                              f"parent; it should be {expected}", fixable=True)
            yield from visit(section.children, section.level + 1)

    yield from visit(context.catalog.sections, None)


@catalog_rule("toc-reachable", ERROR, "Every section is on the page and reachable from the table of contents.")
def toc_reachable(context: Context) -> Iterator[Finding]:
    catalog = context.catalog
    if not catalog.sections:
        return
    if SECTIONS not in catalog.page:
        yield Finding("toc-reachable", ERROR, context.list_path, None,
                      "`page` has no `sections` block: no section is rendered")
        return
    for section in catalog.walk():
        if section.title and not github_anchor(section.title).strip("-"):
            yield Finding("toc-reachable", ERROR, context.list_path, section.line,
                          f"section '{section.id}' heading {heading_text(section.title)!r} gives no anchor to link to")


@catalog_rule("readme-stale", ERROR, "README.md, its section pages and CONTRIBUTING.md are what `vrlcat render` "
              "writes.", fixable=True)
def readme_stale(context: Context) -> Iterator[Finding]:
    if context.readme is None:
        return
    from ..pages import PAGES_FOLDER, leftover_pages

    def as_is(path: Path) -> str | None:
        try:
            return path.read_bytes().decode("utf-8", errors="replace")  # CRLF stays CRLF
        except (FileNotFoundError, IsADirectoryError):
            return None

    pages = sorted((context.readme.parent / PAGES_FOLDER).glob("*.md"))
    on_disk = [context.readme, *pages, *([context.contributing] if context.contributing else [])]
    texts = {path: as_is(path) for path in on_disk}
    seen = "\0".join(f"{path.name}\0{text}" for path, text in texts.items())
    fresh = context.fresh_readme_marker(seen if texts[context.readme] is not None else None)
    if fresh is not None and fresh.exists():
        return  # these files were what render wrote for these very catalog files and this very code
    stale = False
    files = context.expected_pages()
    for path, text in files.items():
        written = texts[path] if path in texts else as_is(path)
        if written != text:
            stale = True
            what = "missing" if written is None else (
                "not what `vrlcat render` writes (edited by hand? `vrlcat sync` takes the edit into the catalog; "
                "--fix renders it again, dropping the edit)")
            yield Finding("readme-stale", ERROR, context.display(path), None, f"{path.name} is {what}",
                          fixable=True)
    for path in leftover_pages(files, context.readme):
        stale = True
        yield Finding("readme-stale", ERROR, context.display(path), None,
                      f"{path.name} is a section page render no longer writes", fixable=True)
    if not stale and fresh is not None:
        try:
            fresh.parent.mkdir(parents=True, exist_ok=True)
            fresh.touch()
        except OSError:
            pass  # a read-only cache only costs speed
