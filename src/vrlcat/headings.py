"""Heading text as GitHub shows it, its anchor, and stable section ids."""

from __future__ import annotations

import re
import unicodedata

_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def heading_text(source: str) -> str:
    """The visible text of a heading's Markdown source (no comments, tags or markup)."""
    text = _COMMENT_RE.sub("", source)
    text = _TAG_RE.sub("", text)
    text = _LINK_RE.sub(r"\1", text)
    text = text.replace("**", "").replace("`", "")
    text = _ESCAPE_RE.sub(r"\1", text)
    return text.strip()


def github_anchor(source: str) -> str:
    """The fragment GitHub gives a heading (github-slugger's rule, without the -N suffix)."""
    text = heading_text(source).lower()
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in " -_" or category[0] in "LNM":
            kept.append("-" if ch == " " else ch)
    return "".join(kept)


def unique_anchors(sources: list[str]) -> list[str]:
    """Anchors for headings in page order, numbered as GitHub numbers repeats."""
    seen: dict[str, int] = {}
    anchors = []
    for source in sources:
        base = github_anchor(source)
        count = seen.get(base, 0)
        anchors.append(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return anchors


def section_id(source: str) -> str:
    """A short, typeable, file-system-safe id for a heading: its anchor in ASCII,
    hyphen runs collapsed, at most 64 characters (cut at a word)."""
    ascii_text = unicodedata.normalize("NFKD", github_anchor(source)).encode("ascii", "ignore").decode()
    slug = re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]+", "-", ascii_text.lower())).strip("-")
    if len(slug) > 64:
        cut = slug[:65].rfind("-")
        slug = slug[:cut if cut >= 16 else 64].strip("-")
    return slug or "section"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def headings_in(markdown: str) -> list[str]:
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
