"""Markdown list to catalog, byte for byte: the first render is the list itself.

The page is cut into pieces (blocks.py); list items and commented-out items that
read as entries become entries (entrytext.py); the house style is inferred from
them (style.py); everything else is kept verbatim where it stood. Import then
renders the catalog and compares: any line that would change is reported.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..entryread import EntryForm, read_entry
from ..entrytext import arxiv_link, own_style, render_entry, styled, write_entry
from ..errors import VrlcatError
from ..headings import heading_text, section_id
from ..model import (
    SECTIONS,
    Catalog,
    Entry,
    Prose,
    RawBlock,
    Section,
    Settings,
    Toc,
    clean_whitespace,
)
from .blocks import Piece, cut
from .style import infer_settings

_CONTENTS_WORDS = ("table of contents", "contents", "目录", "table of content")


@dataclass
class ImportReport:
    sections: int = 0
    entries: int = 0
    hidden: int = 0
    raw_blocks: int = 0
    own_form: int = 0  # entries kept in their own form (`source`)
    papers_as_text: int = 0  # list items that look like papers but are not read as entries
    lines: int = 0
    lines_identical: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)
    diff: str = ""

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))


def import_markdown(text: str, source: str = "<list>",
                    settings: Settings | None = None) -> tuple[Catalog, ImportReport]:
    """Parse a Markdown paper list into a catalog that renders back to `text`; with
    `settings`, entries are read against that house style instead of an inferred one."""
    from ..render import render

    original = text
    crlf = "\r\n" in text and text.count("\r\n") == text.count("\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    final_newline = text.endswith("\n")
    lines = (text[:-1] if final_newline else text).split("\n")
    report = ImportReport()
    builder = _Builder(lines, report)
    catalog = builder.build(source, settings)
    catalog.settings.line_endings = "crlf" if crlf else "lf"
    catalog.settings.final_newline = final_newline
    _drop_default_gaps(catalog)
    report.sections = sum(1 for _ in catalog.walk())
    for _, entry in catalog.entries():
        report.entries += not entry.hidden
        report.hidden += entry.hidden
        report.own_form += entry.source is not None
    report.raw_blocks = sum(len(s.raw) for s in catalog.walk())
    _compare(original, render(catalog), source, report)
    report.warnings.sort()
    return catalog, report


def _compare(original: str, rendered: str, source: str, report: ImportReport) -> None:
    """Count the lines the first render keeps, and report each one it would change."""
    old = original.splitlines(keepends=True)
    report.lines = report.lines_identical = len(old)
    if original == rendered:
        return
    new = rendered.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    report.lines_identical = sum(block.size for block in matcher.get_matching_blocks())
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            for number in range(i1, max(i2, i1 + 1)):
                report.warn(number + 1, f"the first render would change this line ({tag}); "
                            "please report it with the line")
    report.diff = "".join(difflib.unified_diff(old, new, source, "vrlcat render"))


def import_file(markdown: Path, catalog: Path | None = None, force: bool = False,
                dry_run: bool = False) -> tuple[Path, ImportReport]:
    """Import a Markdown file into a catalog folder; an existing catalog is kept unless `force`."""
    from ..store import LIST_FILE, default_import_target
    from ..workflow import write_catalog

    try:
        raw = markdown.read_bytes()
    except FileNotFoundError:
        raise VrlcatError("file not found", str(markdown)) from None
    except IsADirectoryError:
        raise VrlcatError("is a directory, not a Markdown file", str(markdown)) from None
    except OSError as exc:
        raise VrlcatError(f"cannot read: {exc.strerror}", str(markdown)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VrlcatError(f"not UTF-8 text (byte {exc.start}); save the list as UTF-8", str(markdown)) from None
    if "\0" in text:
        raise VrlcatError("holds NUL bytes: not a Markdown file", str(markdown))
    target = default_import_target(catalog)
    if (target / LIST_FILE).exists() and not force and not dry_run:
        raise VrlcatError("a catalog already exists here; pass --force to replace it", str(target))
    imported, report = import_markdown(text.removeprefix("\ufeff"), str(markdown))
    if text.startswith("\ufeff"):
        report.warn(1, "the byte-order mark at the start of the file is dropped")
    if not dry_run:
        write_catalog(imported, target, force)
    return target, report


# A link to a paper: an arXiv, OpenReview or DOI page, a PDF, or link text such as [paper] / [[Paper]].
_PAPER_LINK_RE = re.compile(r"\]\((?:https?://)?(?:[\w.-]*arxiv\.org/|openreview\.net/|doi\.org/)|"
                            r"\.pdf\)|\[\[?paper\]", re.IGNORECASE)


class _Builder:
    """Builds the catalog from the page's pieces."""

    def __init__(self, lines: list[str], report: ImportReport):
        self.lines = lines
        self.report = report
        self.pieces = cut(lines)
        self.read: dict[int, tuple[Entry, EntryForm]] = {}
        for index, piece in enumerate(self.pieces):
            if piece.kind in ("item", "html"):
                found = read_entry(piece.text(lines))
                if found:
                    found[0].line = piece.start + 1
                    self.read[index] = found

    def build(self, source: str, settings: Settings | None = None) -> Catalog:
        if not self.read:
            raise VrlcatError("no entry could be read: expected list items such as "
                              "'+ [Title](https://arxiv.org/abs/ID) (Mar. 2025)'", source)
        pieces = self.pieces
        first, last = min(self.read), max(self.read)
        toc = next((i for i in range(first) if pieces[i].kind == "heading" and _is_contents(pieces[i].heading)), None)
        start = self._sections_start(first, toc)
        end = next((i for i in range(last + 1, len(pieces)) if pieces[i].kind == "heading"), len(pieces))
        catalog = Catalog(settings=Settings(), page=[])
        if pieces and pieces[0].start > 0:  # blank lines at the very top
            catalog.page.append(Prose(text=self.lines[0], file=None, gap=Piece("block", 0, 1, pieces[0].start)
                                      .gap(self.lines)))
        if toc is not None:
            toc_end = next((i for i in range(toc + 1, start) if pieces[i].kind == "heading"), start)
            catalog.page.extend(self._prose(0, toc))
            toc_piece = pieces[toc_end - 1]
            catalog.page.append(Toc(heading=pieces[toc].heading, level=pieces[toc].level,
                                    file=f"prose/{section_id(pieces[toc].heading)}.md",
                                    text="\n".join(self.lines[pieces[toc].start:toc_piece.end]),
                                    gap=toc_piece.gap(self.lines)))
            catalog.page.extend(self._prose(toc_end, start))
        else:
            catalog.page.extend(self._prose(0, start))
        catalog.page.append(SECTIONS)
        catalog.sections, entry_gaps = self._sections(start, end)
        catalog.page.extend(self._prose(end, len(pieces)))
        catalog.settings = dataclasses.replace(settings) if settings else \
            infer_settings(list(self.read.values()), entry_gaps)
        where = {id(entry): index for index, (entry, _) in self.read.items()}
        for section in catalog.walk():
            forms = [self.read[where[id(entry)]][1] for entry in section.entries]
            section.style = _section_style(forms, catalog.settings)
            local = styled(catalog.settings, section.style)
            for entry, form in zip(section.entries, forms, strict=False):
                self._settle_form(entry, form, pieces[where[id(entry)]], local)
        _unique_ids(catalog)
        for section in catalog.walk():
            section.anchor_raw()
        self._report_papers_as_text()
        return catalog

    def _report_papers_as_text(self) -> None:
        """Name each list item that links to a paper but is not read as an entry, wherever
        it is kept (page prose, a section's text, a verbatim block): it round-trips, but
        lint, dedup and export do not see it."""
        for index, piece in enumerate(self.pieces):
            text = piece.text(self.lines)
            if index not in self.read and piece.kind == "item" and _PAPER_LINK_RE.search(text):
                self.report.papers_as_text += 1
                self.report.warn(piece.start + 1, f"line {piece.start + 1} looks like a paper but is not read as "
                                 f"an entry (kept as text): {clean_whitespace(text)[:60]!r}")

    def _sections_start(self, first_entry: int, toc: int | None) -> int:
        """Where the section tree begins: after the table of contents, else at the
        headings that lead down to the first entry."""
        pieces = self.pieces
        if toc is not None:
            return next(i for i in range(toc + 1, first_entry + 1)
                        if pieces[i].kind == "heading" or i == first_entry)
        start = first_entry
        while start > 0 and pieces[start - 1].kind != "heading":
            start -= 1
        level = 7
        while start > 0 and pieces[start - 1].kind == "heading" and pieces[start - 1].level < level:
            start -= 1
            level = pieces[start].level
        return start

    def _prose(self, start: int, end: int) -> list[Prose]:
        """Pieces kept verbatim, split at their headings, each chunk named after its heading."""
        chunks: list[list[Piece]] = []
        for piece in self.pieces[start:end]:
            if piece.kind == "heading" or not chunks:
                chunks.append([])
            chunks[-1].append(piece)
        prose = []
        for chunk in chunks:
            name = section_id(chunk[0].heading) if chunk[0].kind == "heading" else "intro"
            text = "\n".join(self.lines[chunk[0].start:chunk[-1].end])
            prose.append(Prose(text=text, file=name, gap=chunk[-1].gap(self.lines)))
        return prose

    def _sections(self, start: int, end: int) -> tuple[list[Section], list[tuple[str, bool]]]:
        roots: list[Section] = []
        stack: list[Section] = []
        current: Section | None = None
        pending: list[Piece] = []  # raw pieces not yet placed
        entry_gaps: list[tuple[str, bool]] = []

        def place_raw() -> None:
            if not pending or current is None:
                return
            text = "\n".join(self.lines[pending[0].start:pending[-1].end])
            gap = pending[-1].gap(self.lines)
            if not current.entries and not current.raw and not current.description:
                current.description, current.description_gap = text, gap
            else:
                current.raw.append(RawBlock(text, len(current.entries), gap, line=pending[0].start + 1))
                self.report.warn(pending[0].start + 1, f"kept lines {pending[0].start + 1}-{pending[-1].end} "
                                 f"verbatim among the entries of '{current.id}': {clean_whitespace(text)[:50]!r}")
            pending.clear()

        for index in range(start, end):
            piece = self.pieces[index]
            if piece.kind == "heading":
                place_raw()
                current = self._section(piece)
                while stack and stack[-1].level >= piece.level:
                    stack.pop()
                (stack[-1].children if stack else roots).append(current)
                stack.append(current)
                continue
            if current is None:  # entries before any heading: a section without one
                current = Section(id="entries", title="", level=6, line=piece.start + 1)
                roots.append(current)
                stack.append(current)
            if index in self.read:
                place_raw()
                entry = self.read[index][0]
                entry.gap = piece.gap(self.lines)
                current.entries.append(entry)
                following = self.pieces[index + 1] if index + 1 < end else None
                entry_gaps.append((entry.gap, following is None or following.kind == "heading"))
            else:
                pending.append(piece)
        place_raw()
        return roots, entry_gaps

    def _section(self, piece: Piece) -> Section:
        title = clean_whitespace(piece.heading)
        section = Section(id=section_id(title), title=title, level=piece.level, line=piece.start + 1,
                          gap=piece.gap(self.lines))
        written = piece.text(self.lines)
        if written != f"{'#' * piece.level} {title}":
            section.heading = written
        return section

    def _settle_form(self, entry: Entry, form: EntryForm, piece: Piece, settings: Settings) -> None:
        """Keep only what the house style cannot say: the label's text, a few settings of
        the entry's own, else the whole entry."""
        text = piece.text(self.lines)
        if entry.arxiv and entry.url == arxiv_link(entry.arxiv, settings):
            entry.url = None
        if write_entry(entry, settings) == text:
            return
        label = form.label if form.label is not None and form.label_closed else None
        own = own_style(form, settings)
        for style, kept_label in (({}, label), (own, None), (own, label)):
            if style is None or (not style and kept_label is None) or len(style) > 3:
                continue
            entry.style, entry.label = dict(style), kept_label
            if render_entry(entry, settings) == text:
                return
        entry.style, entry.label = {}, None
        entry.source = text
        if render_entry(entry, settings) != text:  # never expected: the entry is kept as it was
            entry.source = None
            self.report.warn(piece.start + 1, f"entry at line {piece.start + 1} could not be kept as written")


def _section_style(forms: list[EntryForm], settings: Settings) -> dict[str, str]:
    """Settings most of a section's entries write their own way (a section added by
    another hand): they become the section's style, so its entries need none."""
    counts: dict[str, Counter[str]] = {}
    for form in forms:
        for key, value in (own_style(form, settings) or {}).items():
            counts.setdefault(key, Counter())[value] += 1
    needed = max(2, -(-len(forms) * 3 // 5))
    return {key: value for key, counter in counts.items() for value, count in counter.most_common(1)
            if count >= needed}


def _is_contents(heading: str) -> bool:
    text = heading_text(heading).lower()
    return any(word in text for word in _CONTENTS_WORDS) and len(text) < 40


def _drop_default_gaps(catalog: Catalog) -> None:
    """Blank lines that the house style gives anyway are not stored."""
    from ..render import gap_slots

    for owner, attribute, default in gap_slots(catalog):
        if getattr(owner, attribute) == default:
            setattr(owner, attribute, None)


def _unique_ids(catalog: Catalog) -> None:
    """Make section ids unique, prefixing a repeated id with its parent's."""
    seen: set[str] = set()

    def visit(sections: list[Section], parent: str | None) -> None:
        for section in sections:
            if section.id in seen and parent:
                section.id = f"{parent}-{section.id}"[:64].strip("-")
            base, n = section.id, 2
            while section.id in seen:
                suffix = f"-{n}"
                section.id, n = base[:64 - len(suffix)].strip("-") + suffix, n + 1
            seen.add(section.id)
            visit(section.children, section.id)

    visit(catalog.sections, None)
