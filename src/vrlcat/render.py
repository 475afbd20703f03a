"""Catalog to Markdown: a pure function, so the same catalog gives the same bytes."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .headings import heading_text, unique_anchors
from .model import (SECTIONS, Catalog, Entry, Prose, Section, Toc, clean_whitespace, format_date_label,
                    github_repo)

ARXIV_IMAGE = "https://img.shields.io/badge/arXiv-b31b1b.svg"
WEBSITE_IMAGE = "https://img.shields.io/badge/Website-9cf"
ARXIV_BADGE = f"[![arXiv]({ARXIV_IMAGE})]({{url}})"
STAR_BADGE = "[![Star](https://img.shields.io/github/stars/{owner}/{repo}.svg?style=social&label=Star)]({url})"
WEBSITE_BADGE = f"[![Website]({WEBSITE_IMAGE})]({{url}})"

_ESCAPED = re.compile(r"([\\\[\]<>`*_])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def escape_title(title: str) -> str:
    """Escape what could end the link text, start markup, or open an HTML tag or comment end."""
    title = clean_whitespace(title)
    return _ENTITY.sub("&amp;", _ESCAPED.sub(r"\\\1", title))


def _link_target(url: str) -> str:
    """A URL as a link destination: spaces and parentheses cannot break out of it."""
    if any(ch in url for ch in " ()<>"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def entry_badges(entry: Entry, badge_set: list[str]) -> list[str]:
    badges = []
    if "arxiv" in badge_set and entry.arxiv:
        badges.append(ARXIV_BADGE.format(url=f"https://arxiv.org/abs/{entry.arxiv}"))
    if "star" in badge_set and entry.code:
        repo = github_repo(entry.code)
        if repo:
            badges.append(STAR_BADGE.format(owner=repo[0], repo=repo[1], url=_link_target(entry.code)))
    if "website" in badge_set and entry.website:
        badges.append(WEBSITE_BADGE.format(url=_link_target(entry.website)))
    return badges + entry.badges


def render_entry(entry: Entry, catalog: Catalog) -> str:
    """One list item; a hidden entry is the same item inside an HTML comment."""
    settings = catalog.settings
    first = f"{settings.bullet} [{escape_title(entry.title)}]({_link_target(entry.link or '')})"
    label = format_date_label(entry.date, entry.venue, settings.date_style)
    if label:
        first += f" {label}"
    lines = [first] + [f"  {badge}" for badge in entry_badges(entry, settings.badges)]
    text = "\n".join(lines)
    return f"<!-- {text} -->" if entry.hidden else text


def _headings_in(markdown: str) -> list[str]:
    """ATX heading sources in prose, outside code fences (for anchor numbering)."""
    headings, fence = [], None
    for line in markdown.splitlines():
        if match := _FENCE.match(line):
            marker = match.group(1)[0]
            fence = None if fence == marker else (fence or marker)
            continue
        if fence is None and (match := _ATX.match(line)):
            headings.append(match.group(2))
    return headings


def _prose_text(block: Prose) -> str:
    lines = block.text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def _section_entries(catalog: Catalog) -> dict[str, list[Entry]]:
    """Each section's entries, plus the entries cross-listed into it with `also_in`."""
    listed = {section.id: list(section.entries) for section in catalog.walk()}
    for _, entry in catalog.entries():
        for other in entry.also_in:
            if other in listed:
                listed[other].append(entry)
    return listed


def render(catalog: Catalog) -> str:
    """The whole Markdown page."""
    blocks: list[str] = []
    if catalog.title:
        blocks.append(f"# {catalog.title}")
    sections = list(catalog.walk())
    anchors = _anchors(catalog, sections)
    entries = _section_entries(catalog)
    for block in catalog.page:
        if isinstance(block, Prose):
            text = _prose_text(block)
            if text:
                blocks.append(text)
        elif isinstance(block, Toc):
            blocks.append(f"{'#' * block.level} {block.heading}")
            if block.intro.strip():
                blocks.append(block.intro.strip("\n"))
            toc = _toc_lines(catalog.sections, anchors, 0)
            if toc:
                blocks.append("\n".join(toc))
        elif block == SECTIONS:
            for section in sections:
                blocks.extend(_section_blocks(section, entries[section.id], catalog))
    return "\n\n".join(blocks) + "\n"


def _anchors(catalog: Catalog, sections: list[Section]) -> dict[str, str]:
    """Section id -> anchor, numbered against every heading on the page."""
    sources: list[tuple[str | None, str]] = []
    if catalog.title:
        sources.append((None, catalog.title))
    for block in catalog.page:
        if isinstance(block, Prose):
            sources.extend((None, h) for h in _headings_in(block.text))
        elif isinstance(block, Toc):
            sources.append((None, block.heading))
        elif block == SECTIONS:
            sources.extend((s.id, s.title) for s in sections if s.title)
    anchors = unique_anchors([source for _, source in sources])
    return {sid: anchor for (sid, _), anchor in zip(sources, anchors) if sid}


def _toc_lines(sections: list[Section], anchors: dict[str, str], depth: int) -> list[str]:
    lines = []
    for section in sections:
        if section.title:  # a section without a heading has nothing to link to
            lines.append(f"{'  ' * depth}- [{escape_title(heading_text(section.title))}](#{anchors[section.id]})")
        lines.extend(_toc_lines(section.children, anchors, depth + 1))
    return lines


def _section_blocks(section: Section, entries: list[Entry], catalog: Catalog) -> list[str]:
    blocks = [f"{'#' * section.level} {section.title}"] if section.title else []
    if section.description.strip():
        blocks.append(section.description.strip("\n"))
    blocks.extend(render_entry(entry, catalog) for entry in entries)
    blocks.extend(note.strip("\n") for note in section.notes if note.strip())
    return blocks


def stale_diff(path: Path, expected: str, context: int = 1, limit: int = 40) -> str:
    """A short unified diff from `path` to what render writes; empty when they agree."""
    try:
        actual = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return f"{path}: missing; run `vrlcat render -o {path}`"
    if actual == expected:
        return ""
    diff = list(difflib.unified_diff(actual.splitlines(), expected.splitlines(), f"{path}", "vrlcat render",
                                     n=context, lineterm=""))
    more = f"\n... {len(diff) - limit} more diff lines" if len(diff) > limit else ""
    return f"{path} is not what `vrlcat render` writes:\n" + "\n".join(diff[:limit]) + more
