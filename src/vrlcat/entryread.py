"""One entry's Markdown read into fields, with how it was written.

Reading keeps how the entry was written (`EntryForm`) beside what it says, so
import can infer a list's house style and notice the entries that stray from it;
entrytext.py writes entries back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from .dates import read_label
from .model import Entry, clean_whitespace, normalise_github_url, parse_arxiv_id

_BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<bullet>[-+*])(?P<space>[ \t]+)")
_BREAK_RE = re.compile(r"(?:[ \t]*<br\s*/?>|\\|[ \t]+)$", re.IGNORECASE)
_BADGE_RE = re.compile(r"\[!\[(?P<alt>[^\]]*)\]\((?P<img>[^)\s]*)\)\]\((?P<target>[^)\s]*)\)"
                       r"|!\[(?P<alt2>[^\]]*)\]\((?P<img2>[^)\s]*)\)")
_STAR_IMAGE_RE = re.compile(r"img\.shields\.io/github/stars/(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)"
                            r"(?:\.svg)?(?:[?#].*)?$")
_NICK_BOLD_RE = re.compile(r"^\*\*(?P<nick>[^*\n]+?)\*\*(?P<space>[ \t]+)(?=\[)")
_NICK_FROM_RE = re.compile(r"^(?P<nick>[^\[\]\n*]+?) from (?=\[)")
_BOLD_TITLE_RE = re.compile(r"^\*\*(?P<title>[^\n]+?)\*\*")
_DETAILS_RE = re.compile(r"<details>\s*<summary>(?P<summary>.*?)</summary>(?P<body>.*?)</details>", re.DOTALL)
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_WEBSITE_ALTS = {"website", "project page", "project_page", "project-page", "homepage", "project", "page", "web"}
_CODE_ALTS = {"star", "stars", "code", "github", "github stars", "repo"}


@dataclass
class Badge:
    markdown: str
    alt: str
    image: str
    target: str | None  # None: an image without a link
    kind: str | None = None  # arxiv, star, website when it sets that field


@dataclass
class EntryForm:
    """How one entry is written: what a house style is inferred from."""

    indent: str = ""
    bullet: str = "+"
    nickname: str | None = None  # bold | from
    title_form: str = "link"
    link: str | None = None
    label: str | None = None
    label_closed: bool = True
    badges: list[Badge] = field(default_factory=list)
    badge_layout: str | None = None  # lines | inline | mixed
    badge_indent: str | None = None
    breaks: list[str] = field(default_factory=list)  # each line's ending
    hidden_form: str | None = None


def _scan_brackets(text: str, start: int, open_: str, close: str) -> int | None:
    """Index of the bracket closing the one at `start` (escapes and nesting honoured)."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def scan_link(text: str, start: int = 0) -> tuple[str, str, int] | None:
    """`[text](destination)` at `start`: (text, destination, index after it)."""
    end_text = _scan_brackets(text, start, "[", "]")
    if end_text is None or end_text + 1 >= len(text) or text[end_text + 1] != "(":
        return None
    if text.startswith("<", end_text + 2):
        end_dest = text.find(">)", end_text + 2)
        if end_dest < 0:
            return None
        return text[start + 1:end_text], text[end_text + 3:end_dest], end_dest + 2
    end_paren = _scan_brackets(text, end_text + 1, "(", ")")
    if end_paren is None:
        return None
    destination = text[end_text + 2:end_paren]
    if "\n" in destination:
        return None
    return text[start + 1:end_text], destination, end_paren + 1


def _title_text(markdown: str) -> tuple[str, bool]:
    """The title a link's text shows, and whether it was wholly bold."""
    inner = markdown.strip()
    bold = len(inner) > 4 and inner.startswith("**") and inner.endswith("**") and "**" not in inner[2:-2]
    if bold:
        inner = inner[2:-2]
    return clean_whitespace(html.unescape(_ESCAPE_RE.sub(r"\1", inner))), bold


def _plain(markdown: str) -> str:
    """The text a reader sees: escapes and entities resolved, spaces collapsed."""
    return clean_whitespace(html.unescape(_ESCAPE_RE.sub(r"\1", markdown)))


def _split_break(line: str) -> tuple[str, str]:
    """(content, line ending): a hard break (two spaces, `\\`, `<br>`) or trailing spaces."""
    match = _BREAK_RE.search(line)
    if not match or match.start() == 0 and not line.strip():
        return line, ""
    return line[:match.start()], match.group(0)


def badges_in(text: str) -> list[Badge] | None:
    """The badges of a piece of a line, or None if it holds anything else."""
    badges: list[Badge] = []
    position = 0
    for match in _BADGE_RE.finditer(text):
        if text[position:match.start()].strip():
            return None
        if match.group("alt") is not None:
            badges.append(Badge(match.group(0), match["alt"], match["img"], match["target"]))
        else:
            badges.append(Badge(match.group(0), match["alt2"], match["img2"], None))
        position = match.end()
    if text[position:].strip() or not badges:
        return None
    return badges


def _classify_badges(entry: Entry, badges: list[Badge]) -> None:
    """Set the fields a known badge stands for; the rest stay verbatim in `badges`."""
    for badge in badges:
        target = badge.target or ""
        alt = badge.alt.strip().lower()
        star = _STAR_IMAGE_RE.search(badge.image)
        if star or (alt in _CODE_ALTS and normalise_github_url(target)):
            if entry.code is None and target:
                entry.code = target
                badge.kind = "star"
                continue
        elif (badge_id := parse_arxiv_id(target)) and alt not in _WEBSITE_ALTS:
            if entry.arxiv in (None, badge_id) and "arxiv" not in [b.kind for b in badges]:
                entry.arxiv = badge_id
                badge.kind = "arxiv"
                continue
        elif alt in _WEBSITE_ALTS and target and entry.website is None:
            entry.website = target
            badge.kind = "website"
            continue
        entry.badges.append(badge.markdown)


def _authors(text: str) -> list[str]:
    return [name.strip() for name in re.split(r",|\band\b", re.sub(r"<[^>]+>", "", text)) if name.strip()]


def _read_label(rest: str) -> tuple[str | None, bool, str]:
    """A parenthesised label at the start of `rest`: (label, closed, what follows)."""
    stripped = rest.lstrip(" \t")
    if not stripped.startswith("("):
        return None, True, rest
    end = _scan_brackets(stripped, 0, "(", ")")
    if end is None:
        if "[" in stripped or "](" in stripped:
            return None, True, rest
        return stripped[1:], False, ""
    inner = stripped[1:end]
    if "](" in inner:  # `([Maker](url))`: a link, not a date label
        return None, True, rest
    return inner, True, stripped[end + 1:]


def read_entry(text: str) -> tuple[Entry, EntryForm] | None:
    """An entry from its Markdown, or None if the text is not one entry."""
    hidden_form = None
    stripped = text.strip()
    if stripped.startswith("<!--"):
        if not stripped.endswith("-->") or stripped.count("<!--") != 1 or stripped.count("-->") != 1:
            return None
        hidden_form = "comment"
        text = stripped[4:-3].strip(" \t\n")
    lines = text.split("\n")
    bullet = _BULLET_RE.match(lines[0])
    if not bullet:
        return None
    for other in lines[1:]:
        other_bullet = _BULLET_RE.match(other)
        if other_bullet and len(other_bullet["indent"]) <= len(bullet["indent"]):
            return None  # a second item: not one entry
    form = EntryForm(indent=bullet["indent"], bullet=bullet["bullet"], hidden_form=hidden_form)
    body = text[bullet.end():]
    if bullet["space"] != " ":
        form.indent += "\0"  # an odd gap after the bullet: never the house style
    entry = Entry(title="")
    entry.hidden = hidden_form is not None
    position = 0
    if match := _NICK_BOLD_RE.match(body):
        entry.nickname, form.nickname = _plain(match["nick"]), "bold" if match["space"] == " " else "bold?"
        position = match.end()
    elif match := _NICK_FROM_RE.match(body):
        entry.nickname, form.nickname = _plain(match["nick"]), "from"
        position = match.end()
    if body.startswith("[", position) and not body.startswith("[!", position):
        link = scan_link(body, position)
        if link is None:
            return None
        title_md, destination, position = link
        if destination.startswith("#"):
            return None  # a table-of-contents line
        entry.title, bold = _title_text(title_md)
        form.title_form = "bold-link" if bold else "link"
        form.link = destination
        if "\n" in title_md:
            form.title_form += "?"  # wrapped: kept as written
    elif match := _BOLD_TITLE_RE.match(body, position):
        if entry.nickname:
            return None
        entry.title, _ = _title_text(match["title"])
        form.title_form, position = "bold", match.end()
    else:
        return None
    if not entry.title:
        return None
    head_end = body.find("\n", position)
    head_rest = body[position:] if head_end < 0 else body[position:head_end]
    following = [] if head_end < 0 else body[head_end + 1:].split("\n")
    head_rest, head_break = _split_break(head_rest)
    form.breaks.append(head_break)
    form.label, form.label_closed, after = _read_label(head_rest)
    if form.label is not None:
        read = read_label(form.label)
        entry.date, entry.venue = read.date, _plain(read.venue) if read.venue else None
    descriptions: list[str] = []
    all_badges: list[Badge] = []
    if form.title_form == "bold" and (after.strip() and not after.strip().startswith("<") or
                                      form.label is None and not following):
        return None  # bold text followed by prose is a news line or a note, not an unlinked title
    if details := _DETAILS_RE.search(after):
        entry.authors = _authors(details["body"])
        after = after[:details.start()] + after[details.end():]
    if after.strip():
        inline = badges_in(after)
        if inline and after.startswith(" ") and not after.startswith("  "):
            all_badges.extend(inline)
            form.badge_layout = "inline"
        else:
            descriptions.append(after)
            form.badge_layout = "mixed"
    for line in following:
        content, line_break = _split_break(line)
        form.breaks.append(line_break)
        indent = content[:len(content) - len(content.lstrip(" \t"))]
        badges = badges_in(content)
        if badges:
            all_badges.extend(badges)
            if len(badges) > 1 or form.badge_layout == "inline":
                form.badge_layout = "mixed"
            form.badge_layout = form.badge_layout or "lines"
            form.badge_indent = indent if form.badge_indent in (None, indent) else "\0"
        elif details := _DETAILS_RE.search(content):
            entry.authors = _authors(details["body"])
        else:
            descriptions.append(content)
    if form.link is not None:
        entry.url = form.link
        entry.arxiv = parse_arxiv_id(form.link)
    _classify_badges(entry, all_badges)
    form.badges = all_badges
    text_lines = [d.strip(" \t") for d in descriptions if d.strip()]
    if text_lines:
        entry.description = "\n".join(text_lines)
    return entry, form
