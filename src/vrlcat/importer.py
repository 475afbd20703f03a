"""Markdown list to catalog, losing nothing.

markdown-it-py gives the block structure (headings, lists, HTML comments,
fences) with source line ranges; entries are read from each list item's inline
tokens. What cannot be structured is kept verbatim as a raw block and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import VrlcatError
from .headings import github_anchor, heading_text, section_id
from .model import (SECTIONS, Catalog, Entry, Prose, Section, Settings, Toc, clean_whitespace,
                    normalise_github_url, parse_arxiv_id, parse_date_label)
from .render import ARXIV_IMAGE, WEBSITE_IMAGE

_TOC_HEADING_RE = re.compile(r"\b(table of contents|contents)\b", re.IGNORECASE)
_LABEL_RE = re.compile(r"^\s*\((?P<label>[^()]*)\)\s*$")
_STAR_IMAGE_RE = re.compile(r"^https://img\.shields\.io/github/stars/(?P<owner>[^/]+)/(?P<repo>[^/.?]+)(?:\.svg)?(?:\?.*)?$")


@dataclass
class ImportReport:
    sections: int = 0
    entries: int = 0
    hidden: int = 0
    raw_blocks: int = 0
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))


@dataclass
class _Block:
    kind: str  # heading, list, html, paragraph, fence, hr, other
    start: int  # 0-based first line
    end: int  # 0-based line after the last
    tokens: list[Token]
    level: int = 0  # heading level


@dataclass
class _Item:
    """A list item read as an entry, with the lines it could not place."""

    entry: Entry | None
    stray: list[tuple[int, str]] = field(default_factory=list)  # (line, text)


_MD = MarkdownIt("commonmark")


def import_markdown(text: str, source: str = "<list>") -> tuple[Catalog, ImportReport]:
    """Parse a Markdown paper list into a catalog and a report of what was kept raw."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    report = ImportReport()
    blocks = _blocks(_MD.parse(text), lines)
    catalog = Catalog(settings=Settings(), page=[])

    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        catalog.title = _heading_source(blocks[0])
        blocks = blocks[1:]

    entry_positions = [i for i, b in enumerate(blocks) if _holds_entries(b, lines)]
    if not entry_positions:
        catalog.page = _prose_chunks(blocks, lines)
        return catalog, report
    first, last = entry_positions[0], entry_positions[-1]
    toc_index = next((i for i, b in enumerate(blocks[:first])
                      if b.kind == "heading" and _TOC_HEADING_RE.search(heading_text(_heading_source(b)))), None)
    start = _sections_start(blocks, first, toc_index)
    end = next((i for i in range(last + 1, len(blocks)) if blocks[i].kind == "heading"), len(blocks))

    toc_anchors: list[str] = []
    if toc_index is not None:
        toc_end = next((i for i in range(toc_index + 1, len(blocks)) if blocks[i].kind == "heading"), len(blocks))
        toc_end = min(toc_end, start)
        catalog.page.extend(_prose_chunks(blocks[:toc_index], lines))
        catalog.page.append(_toc(blocks[toc_index:toc_end], lines, toc_anchors))
        catalog.page.extend(_prose_chunks(blocks[toc_end:start], lines))
    else:
        catalog.page.extend(_prose_chunks(blocks[:start], lines))
    catalog.page.append(SECTIONS)
    catalog.sections = _sections(blocks[start:end], lines, report)
    if toc_anchors:
        _nest_roots_missing_from_toc(catalog, toc_anchors, report)
    catalog.page.extend(_prose_chunks(blocks[end:], lines))

    _unique_ids(catalog)
    report.sections = sum(1 for _ in catalog.walk())
    for _, entry in catalog.entries():
        report.entries += not entry.hidden
        report.hidden += entry.hidden
    report.raw_blocks = sum(len(s.notes) for s in catalog.walk())
    report.warnings.sort()
    return catalog, report


def import_file(markdown: Path, catalog: Path | None = None, force: bool = False) -> tuple[Path, ImportReport]:
    """Import a Markdown file into a catalog folder; an existing catalog is kept unless `force`."""
    from .store import LIST_FILE, catalog_files, default_import_target, write_files_atomically

    try:
        text = markdown.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VrlcatError("file not found", str(markdown)) from None
    except UnicodeDecodeError as exc:
        raise VrlcatError(f"not UTF-8 text (byte {exc.start})", str(markdown)) from None
    target = default_import_target(catalog)
    if (target / LIST_FILE).exists() and not force:
        raise VrlcatError("a catalog already exists here; pass --force to replace it", str(target))
    imported, report = import_markdown(text, str(markdown))
    write_files_atomically(catalog_files(imported, target))
    return target, report


# --- blocks ------------------------------------------------------------------

def _blocks(tokens: list[Token], lines: list[str]) -> list[_Block]:
    """Top-level blocks with their line ranges; lines no token covers become `other`."""
    blocks: list[_Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        j = i
        if token.nesting == 1:
            depth = 0
            for j in range(i, len(tokens)):
                depth += tokens[j].nesting
                if depth == 0:
                    break
        kind = {"heading_open": "heading", "bullet_list_open": "list", "ordered_list_open": "other",
                "html_block": "html", "paragraph_open": "paragraph", "fence": "fence",
                "code_block": "fence", "hr": "hr"}.get(token.type, "other")
        if token.map:
            start, end = token.map
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1
            level = int(token.tag[1]) if kind == "heading" else 0
            blocks.append(_Block(kind, start, end, tokens[i:j + 1], level))
        i = j + 1
    covered = set()
    for block in blocks:
        covered.update(range(block.start, block.end))
    for number, line in enumerate(lines):
        if line.strip() and number not in covered:
            blocks.append(_Block("other", number, number + 1, []))
    blocks.sort(key=lambda b: b.start)
    return blocks


def _source(block: _Block, lines: list[str]) -> str:
    return "\n".join(lines[block.start:block.end])


def _span(blocks: list[_Block], lines: list[str]) -> str:
    """The verbatim source from the first block to the last, blank lines included."""
    return "\n".join(lines[blocks[0].start:blocks[-1].end])


def _heading_source(block: _Block) -> str:
    """A heading's Markdown on one line (a setext heading may span several)."""
    return clean_whitespace(block.tokens[1].content)


def _holds_entries(block: _Block, lines: list[str]) -> bool:
    if block.kind == "list":
        return any(item.entry for item in _list_items(block, lines))
    if block.kind == "html":
        return bool(_hidden_entries(block))
    return False


def _sections_start(blocks: list[_Block], first_entry: int, toc_index: int | None) -> int:
    """Where the section tree begins: after the table of contents, else at the
    headings that lead down to the first entry."""
    if toc_index is not None:
        return next(i for i in range(toc_index + 1, first_entry + 1)
                    if blocks[i].kind == "heading" or i == first_entry)
    start = first_entry
    while start > 0 and blocks[start - 1].kind != "heading":
        start -= 1
    level = 7
    while start > 0 and blocks[start - 1].kind == "heading" and blocks[start - 1].level < level:
        start -= 1
        level = blocks[start].level
    return start


def _prose_chunks(blocks: list[_Block], lines: list[str]) -> list[Prose]:
    """Prose split at its headings, each chunk named after its heading."""
    chunks: list[list[_Block]] = []
    for block in blocks:
        if block.kind == "heading" or not chunks:
            chunks.append([])
        chunks[-1].append(block)
    prose = []
    for chunk in chunks:
        name = section_id(_heading_source(chunk[0])) if chunk[0].kind == "heading" else "intro"
        prose.append(Prose(text=_span(chunk, lines), file=name))
    return prose


def _toc(blocks: list[_Block], lines: list[str], anchors: list[str]) -> Toc:
    """The table of contents: its heading kept, its link lists dropped (they are regenerated)."""
    heading = blocks[0]
    kept = []
    for block in blocks[1:]:
        hrefs = [str(child.attrs.get("href", "")) for token in block.tokens if token.type == "inline"
                 for child in token.children or [] if child.type == "link_open"]
        if block.kind == "list" and hrefs and all(h.startswith("#") for h in hrefs):
            anchors.extend(_top_level_hrefs(block))
        else:
            kept.append(_source(block, lines))
    return Toc(heading=_heading_source(heading), level=heading.level, intro="\n\n".join(kept))


def _top_level_hrefs(block: _Block) -> list[str]:
    """The anchors and the link texts of the contents' top-level items (a repeated
    heading's anchor is numbered, so its text identifies it too)."""
    listed = []
    for i, token in enumerate(block.tokens):
        if token.type == "list_item_open" and token.level == 1:
            inline = next(t for t in block.tokens[i:] if t.type == "inline")
            listed.extend(str(c.attrs["href"])[1:] for c in inline.children or [] if c.type == "link_open")
            listed.append(heading_text(inline.content))
    return listed


# --- sections ----------------------------------------------------------------

def _sections(blocks: list[_Block], lines: list[str], report: ImportReport) -> list[Section]:
    roots: list[Section] = []
    stack: list[Section] = []
    current: Section | None = None
    description: list[_Block] = []

    def close_description() -> None:
        if current is not None and description:
            current.description = _span(description, lines)
        description.clear()

    for block in blocks:
        if block.kind == "heading":
            close_description()
            title = _heading_source(block)
            current = Section(id=section_id(title), title=title, level=block.level, line=block.start + 1)
            while stack and stack[-1].level >= block.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(current)
            stack.append(current)
            continue
        if current is None:  # entries before any heading: a section without one
            current = Section(id="entries", title="", level=6, line=block.start + 1)
            roots.append(current)
            stack.append(current)
        if block.kind == "list":
            items = _list_items(block, lines)
            for item in items:
                if item.entry:
                    current.entries.append(item.entry)
                for line, stray in item.stray:
                    _raw(current, stray, line, "text an entry could not hold", report)
            if any(item.entry for item in items):
                close_description()
            continue
        hidden = _hidden_entries(block) if block.kind == "html" else []
        if hidden:
            close_description()
            current.entries.extend(hidden)
        elif not current.entries and not current.notes:
            description.append(block)
        else:
            close_description()
            _raw(current, _source(block, lines), block.start + 1, f"{block.kind} block", report)
    close_description()
    return roots


def _raw(section: Section, text: str, line: int, what: str, report: ImportReport) -> None:
    section.notes.append(text)
    first = clean_whitespace(text)[:60]
    report.warn(line, f"kept {what} verbatim as a raw block in section '{section.id}': {first!r}")


def _nest_roots_missing_from_toc(catalog: Catalog, anchors: list[str], report: ImportReport) -> None:
    """A top-level heading the hand-written contents leave out was a subsection
    written at the wrong level: nest it under the section before it."""
    listed = set(anchors)

    def in_contents(section: Section) -> bool:
        return github_anchor(section.title) in listed or heading_text(section.title) in listed

    if not any(in_contents(root) for root in catalog.sections):
        return
    roots: list[Section] = []
    for root in catalog.sections:
        if roots and not in_contents(root):
            roots[-1].children.append(root)
            report.warn(root.line or 0, f"heading '{heading_text(root.title)}' (level {root.level}) is not in the "
                        f"table of contents; nested under '{heading_text(roots[-1].title)}'")
        else:
            roots.append(root)
    catalog.sections = roots


def _unique_ids(catalog: Catalog) -> None:
    """Make section ids unique, prefixing a repeated id with its parent's."""
    seen: set[str] = set()

    def visit(sections: list[Section], parent: str | None) -> None:
        for section in sections:
            if section.id in seen and parent:
                section.id = f"{parent}-{section.id}"
            base, n = section.id, 2
            while section.id in seen:
                section.id, n = f"{base}-{n}", n + 1
            seen.add(section.id)
            visit(section.children, section.id)

    visit(catalog.sections, None)


# --- entries -----------------------------------------------------------------

def _list_items(block: _Block, lines: list[str]) -> list[_Item]:
    items = []
    tokens = block.tokens
    for i, token in enumerate(tokens):
        if token.type != "list_item_open" or token.level != 1:
            continue
        depth, j = 0, i
        for j in range(i, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                break
        inner = tokens[i + 1:j]
        inline = [t for t in inner if t.type == "inline"]
        entry_item = None
        if len(inline) == 1 and [t.type for t in inner] == ["paragraph_open", "inline", "paragraph_close"]:
            entry_item = _entry_item(inline[0], (token.map or [0])[0] + 1)
        start, end = token.map or (block.start, block.end)
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        items.append(entry_item or _Item(None, [(start + 1, "\n".join(lines[start:end]))]))
    return items


def _split_lines(children: list[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    return lines


def _entry_item(inline: Token, line: int) -> _Item | None:
    """An entry from `[Title](link) (label)` and badge lines, or None if the item is not one."""
    token_lines = _split_lines(inline.children or [])
    source_lines = inline.content.split("\n")
    head = token_lines[0]
    if not head or head[0].type != "link_open":
        return None
    close = next((k for k, t in enumerate(head) if t.type == "link_close"), None)
    if close is None:
        return None
    label_text = "".join(t.content for t in head[close + 1:] if t.type == "text")
    if any(t.type != "text" for t in head[close + 1:]):
        return None
    match = _LABEL_RE.match(label_text) if label_text.strip() else None
    if label_text.strip() and not match:
        return None
    title = clean_whitespace("".join(t.content for t in head[1:close] if t.type in ("text", "code_inline")))
    href = str(head[0].attrs.get("href", ""))
    if href.startswith("#"):
        return None  # a table-of-contents line, not a paper
    entry = Entry(title=title, line=line)
    entry.arxiv = parse_arxiv_id(href)
    if entry.arxiv is None:
        entry.url = href
    if match:
        entry.date, entry.venue = parse_date_label(match.group("label"))
    item = _Item(entry)
    for offset, (tokens, source) in enumerate(zip(token_lines[1:], source_lines[1:]), start=1):
        badges = _badges(tokens)
        if badges is None:
            item.stray.append((line + offset, source.strip()))
            continue
        for alt, src, target in badges:
            if not _absorb_badge(entry, alt, src, target):
                entry.badges.append(source.strip() if len(badges) == 1 else _badge_markdown(alt, src, target))
    return item


def _badges(tokens: list[Token]) -> list[tuple[str, str, str | None]] | None:
    """(alt, image, link) for each badge on a line, or None if the line holds anything else."""
    badges: list[tuple[str, str, str | None]] = []
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if token.type == "text" and not token.content.strip():
            k += 1
        elif token.type == "image":
            badges.append((token.content, str(token.attrs.get("src", "")), None))
            k += 1
        elif (token.type == "link_open" and k + 2 < len(tokens) and tokens[k + 1].type == "image"
              and tokens[k + 2].type == "link_close"):
            image = tokens[k + 1]
            badges.append((image.content, str(image.attrs.get("src", "")), str(token.attrs.get("href", ""))))
            k += 3
        else:
            return None
    return badges or None


def _badge_markdown(alt: str, src: str, target: str | None) -> str:
    image = f"![{alt}]({src})"
    return f"[{image}]({target})" if target is not None else image


def _absorb_badge(entry: Entry, alt: str, src: str, target: str | None) -> bool:
    """Turn a known badge into a field when render would write it back the same;
    a badge that disagrees with the entry (another paper's id, a repo the image
    does not name) stays verbatim so that lint can report it."""
    if target is None:
        return False
    if alt == "arXiv" and src == ARXIV_IMAGE:
        badge_id = parse_arxiv_id(target)
        if badge_id and entry.arxiv in (None, badge_id):
            entry.arxiv = badge_id
            return True
        return False
    if alt == "Star" and (star := _STAR_IMAGE_RE.match(src)) and entry.code is None:
        repo = normalise_github_url(target)
        if repo == target and repo.lower() == f"https://github.com/{star['owner']}/{star['repo']}".lower():
            entry.code = target
            return True
        return False
    if alt == "Website" and src == WEBSITE_IMAGE and entry.website is None:
        entry.website = target
        return True
    return False


def _hidden_entries(block: _Block) -> list[Entry]:
    """Entries in an HTML comment holding nothing but entries (commented-out papers)."""
    content = block.tokens[0].content.strip() if block.tokens else ""
    if not (content.startswith("<!--") and content.endswith("-->") and content.count("<!--") == 1):
        return []
    inner = content[4:-3]
    inner_lines = inner.split("\n")
    inner_blocks = _blocks(_MD.parse(inner), inner_lines)
    if not inner_blocks or any(b.kind != "list" for b in inner_blocks):
        return []
    entries = []
    for inner_block in inner_blocks:
        for item in _list_items(inner_block, inner_lines):
            if item.entry is None or item.stray:
                return []
            item.entry.hidden = True
            item.entry.line = block.start + inner_block.start + 1
            entries.append(item.entry)
    return entries
