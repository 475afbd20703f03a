"""House-style rules: where an entry or the page is written otherwise than the list's
settings say. Import keeps every such form, so adopting vrlcat changes nothing;
each rule's fix applies one kind of normalisation, to be reviewed on its own
(`vrlcat lint --fix --select RULE`). Findings of severity `style` never fail lint."""

from __future__ import annotations

from collections.abc import Iterator

from ..entryread import read_entry
from ..entrytext import arxiv_link, house_label, label_still_true, source_still_true, write_entry
from ..model import Catalog, Entry, Toc, parse_arxiv_id
from ..render import toc_text
from . import Context, EntryProblem, Finding, catalog_rule, entry_rule

STYLE = "style"


def _first_difference(written: str, house: str) -> str:
    """Where the entry first departs from the house style, shown around that column."""
    for number, (old, new) in enumerate(zip(written.split("\n"), house.split("\n"), strict=False), start=1):
        if old != new:
            column = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                          min(len(old), len(new)))
            start = max(0, column - 20)
            return (f"line {number}, column {column + 1}: {old[start:column + 20]!r} where the house style writes "
                    f"{new[start:column + 20]!r}")
    return "it has another number of lines than the house style"


def _drop_own_form(entry: Entry) -> bool:
    changed = entry.source is not None or bool(entry.style)
    entry.source = None
    entry.style = {}
    return changed


@entry_rule("entry-style", STYLE, "An entry is written in the list's house style (import keeps any other form).",
            fix=_drop_own_form)
def entry_style(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if entry.style and entry.source is None:
        own = ", ".join(f"{key} {value!r}" for key, value in entry.style.items())
        yield f"written with its own {own} (the house style: settings)", "style"
    if entry.source is None:
        return
    settings = context.catalog.settings
    if not source_still_true(entry, settings):
        yield "the entry's own form no longer says what its fields say and is not used (--fix drops it)", "source"
        return
    house = write_entry(entry, settings)
    if house != entry.source:
        hidden = _shown_only_by(entry.source, house)
        if hidden:
            yield (f"written in its own form, which shows its {', '.join(hidden)}; the house style does not, "
                   "so --fix leaves it"), "source", False
        else:
            yield f"written in its own form ({_first_difference(entry.source, house)})", "source"


_VISIBLE = ("nickname", "venue", "date", "code", "website", "description", "authors")


def _shown_only_by(source: str, house: str) -> list[str]:
    """The fields a reader sees in the entry's own Markdown but would not see in the house form."""
    own, written = read_entry(source), read_entry(house)
    if own is None or written is None:
        return []
    return [key for key in _VISIBLE if getattr(own[0], key) and not getattr(written[0], key)]


def _drop_label(entry: Entry) -> bool:
    changed = entry.label is not None
    entry.label = None
    return changed


@entry_rule("date-label-style", STYLE, "A date label follows the house pattern (settings.date_style).",
            fix=_drop_label)
def date_label_style(entry: Entry, context: Context) -> Iterator[tuple[str, str]]:
    if entry.label is None or entry.source is not None:
        return
    house = house_label(entry, context.catalog.settings)
    if not label_still_true(entry):
        yield f"the kept label ({entry.label}) no longer says the entry's date and venue (--fix drops it)", "label"
    elif house != entry.label:
        yield f"label ({entry.label}) is written ({house}) in the house style", "label"


def _drop_gap(entry: Entry) -> bool:
    changed = entry.gap is not None
    entry.gap = None
    return changed


@entry_rule("entry-spacing", STYLE, "Entries are separated by the house number of blank lines.", fix=_drop_gap)
def entry_spacing(entry: Entry, context: Context) -> Iterator[tuple[str, str]]:
    if entry.gap is not None:
        settings = context.catalog.settings
        lines = entry.gap.count("\n")
        odd = " (with spaces on them)" if entry.gap.strip("\n") else ""
        yield (f"{lines} blank line{'s' * (lines != 1)}{odd} after the entry; the house style has "
               f"{settings.entry_gap.count(chr(10))} between entries"), "gap"


def _drop_arxiv_url(entry: Entry) -> bool:
    if entry.url and entry.arxiv and parse_arxiv_id(entry.url) == entry.arxiv:
        entry.url = None
        return True
    return False


@entry_rule("arxiv-link", STYLE, "A title that links to arXiv uses the house link form (settings.arxiv_link).",
            fix=_drop_arxiv_url)
def arxiv_link_form(entry: Entry, context: Context) -> Iterator[tuple[str, str]]:
    if entry.url and entry.arxiv and parse_arxiv_id(entry.url) == entry.arxiv:
        house = arxiv_link(entry.arxiv, context.catalog.settings)
        if entry.url != house:
            yield f"title links to {entry.url}; the house link is {house}", "url"


@catalog_rule("section-style", STYLE, "A section's entries follow the list's house style (not a style of their own).",
              fixable=True)
def section_style(context: Context) -> Iterator[Finding]:
    for section in context.catalog.walk():
        if section.style:
            own = ", ".join(f"{key} {value!r}" for key, value in section.style.items())
            yield Finding("section-style", STYLE, context.list_path, section.line,
                          f"section '{section.id}' writes its entries with its own {own}", fixable=True)


@catalog_rule("toc-stale", "warning", "A hand-written table of contents lists every section (the fix regenerates it).",
              fixable=True)
def toc_stale(context: Context) -> Iterator[Finding]:
    for block in context.catalog.page:
        if isinstance(block, Toc) and block.text is not None:
            written = set(_anchors_in(block.text))
            generated = _anchors_in(toc_text(context.catalog))
            missing = [anchor for anchor in generated if anchor not in written]
            if missing:
                shown = ", ".join(f"#{anchor}" for anchor in missing[:5]) + (" ..." if len(missing) > 5 else "")
                yield Finding("toc-stale", "warning", context.list_path, None,
                              f"the table of contents ({block.file}) does not link to {len(missing)} "
                              f"section{'s' * (len(missing) != 1)}: {shown}", fixable=True)


def _anchors_in(markdown: str) -> list[str]:
    import re

    return re.findall(r"\]\(#([^)\s]+)\)", markdown)


def regenerate_toc(block: Toc, context_catalog: Catalog) -> None:
    """The fix: the heading line as written, then the generated contents."""
    heading = (block.text or "").split("\n", 1)[0]
    block.text = f"{heading}\n\n{toc_text(context_catalog)}"
