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

_BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<bullet>[-+*]|\d{1,9}[.)])(?P<space>[ \t]+)")
_BREAK_RE = re.compile(r"(?:[ \t]*<br\s*/?>|\\|[ \t]+)$", re.IGNORECASE)
_BADGE_RE = re.compile(r"\[!\[(?P<alt>[^\]]*)\]\((?P<img>[^)\s]*)\)\]\((?P<target>[^)\s]*)\)"
                       r"|!\[(?P<alt2>[^\]]*)\]\((?P<img2>[^)\s]*)\)")
_STAR_IMAGE_RE = re.compile(r"img\.shields\.io/github/stars/(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)"
                            r"(?:\.svg)?(?:[?#].*)?$")
_NICK_BOLD_RE = re.compile(r"^\*\*(?P<nick>[^*\n]+?)\*\*(?P<space>[ \t]+)(?=\[)")
_NICK_FROM_RE = re.compile(r"^(?P<nick>[^\[\]\n*]+?) from (?=\[)")
_NICK_COLON_RE = re.compile(r"^(?P<nick>[^\[\]\n*:()]{1,40}?):[ \t]+(?=\[[^!])")  # `GSC: [Title](url)`
_VENUE_FIRST_RE = re.compile(r"^\[(?P<venue>[^\[\]\n]{2,60})\][ \t]+(?=\[[^!])")  # `[ICCV 2023] [Title](url)`
# Where papers live: only a title linking here makes `Name: [Title](url)` or `[Venue] [Title](url)` a paper
# (`Contact: [Email](mailto:...)`, `[2024-06] [A Workshop](https://...)` are not).
_PAPER_SITE_RE = re.compile(r"arxiv\.org/|openreview\.net/|doi\.org/|/doi/|\.pdf(?:$|[?#])|ieeexplore\.|aclanthology\.|"
                            r"openaccess\.thecvf\.com|proceedings\.|papers\.nips\.cc|neurips\.cc/|mlr\.press/|"
                            r"semanticscholar\.org/", re.IGNORECASE)
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
    found = _read_titled(body, form)
    if found is None and hidden_form is None:
        found = _read_link_row(body, form) or _read_named_title(body, form)
    return found


def _read_titled(body: str, form: EntryForm) -> tuple[Entry, EntryForm] | None:
    """An entry whose title is a link or bold text, then a label, badges and notes."""
    entry = Entry(title="")
    entry.hidden = form.hidden_form is not None
    position = 0
    if match := _NICK_BOLD_RE.match(body):
        entry.nickname, form.nickname = _plain(match["nick"]), "bold" if match["space"] == " " else "bold?"
        position = match.end()
    elif match := _NICK_FROM_RE.match(body):
        entry.nickname, form.nickname = _plain(match["nick"]), "from"
        position = match.end()
    elif match := _NICK_COLON_RE.match(body):
        entry.nickname, form.nickname = _plain(match["nick"]), "colon?"  # not a house form: kept as written
        position = match.end()
    venue_first = None
    if not entry.nickname and (match := _VENUE_FIRST_RE.match(body)):
        venue_first, position = _plain(match["venue"]), match.end()
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
        if "\n" in title_md or venue_first:
            form.title_form += "?"  # wrapped, or a venue before it: kept as written
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
    if (venue_first or form.nickname == "colon?") and (after.strip() and badges_in(after) is None
                                                       or not _PAPER_SITE_RE.search(form.link or "")):
        return None  # `Note: [this](url) for more`, `Contact: [Email](mailto:...)`: not a paper
    if venue_first and not entry.venue:
        entry.venue = venue_first
        entry.date = entry.date or read_label(venue_first).date
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


# --- a title followed by a row of labelled links -------------------------------
# `- Title. **`CVPR 2024`** [[Paper](url)] [[Code](url)]`, `1. **Title.** ICDE 2025 [[paper]](url)`,
# `- **Name** — [paper](url) · [repo](url)`: read into fields; the entry keeps its Markdown (`source`).

_ROW_KINDS = {"paper": "paper", "pdf": "paper", "arxiv": "paper", "abs": "paper", "openreview": "paper",
              "code": "code", "github": "code", "repo": "code", "repository": "code",
              "project": "website", "project page": "website", "website": "website", "homepage": "website",
              "page": "website", "web": "website"}
_ROW_LINK_RE = re.compile(r"\[\[(?P<a>[^\[\]]+)\]\((?P<au>[^()\s]+)\)\]|\[\[(?P<b>[^\[\]]+)\]\]\((?P<bu>[^()\s]+)\)"
                          r"|(?<![!\[])\[(?P<c>[^\[\]!]+)\]\((?P<cu>[^()\s]+)\)")
_ROW_NICK_RE = re.compile(r"^\[\*\*(?P<nick>[^*\]]+)\*\*\]\s+")
_ROW_VENUE_RE = re.compile(r"(?:\*\*)?`(?P<code>[^`]+)`(?:\*\*)?\s*$|\*\*(?P<bold>[^*]+)\*\*\s*$")


_TRAILING_LABEL_RE = re.compile(r"\((?P<label>[^()\n]+)\)[ \t.,]*$")
_ROW_GAP_RE = re.compile(r"^[\s·|,/•—–-]*$")


def _row_links(head: str) -> tuple[int, list[tuple[str, str, str]]] | None:
    """Where the row of labelled links starts in `head`, and its (kind, url, label) triples; None
    unless it starts at a link labelled as the paper, code or page, runs to the end of the
    line with only separators between its links, and names a paper."""
    links: list[tuple[str, str, str]] = []
    start = end = None
    for match in _ROW_LINK_RE.finditer(head):
        text = (match["a"] or match["b"] or match["c"]).strip()
        label = text.strip("*`").lower()
        url = match["au"] or match["bu"] or match["cu"]
        kind = _ROW_KINDS.get(label)
        if start is None and kind is None:
            continue  # a link inside the title text
        if end is not None and not _ROW_GAP_RE.match(head[end:match.start()]):
            return None  # prose between the links: a sentence, not a row
        start = match.start() if start is None else start
        end = match.end()
        links.append((kind or ("paper" if parse_arxiv_id(url) else "other"), url, text))
    if start is None or end is None or not _ROW_GAP_RE.match(head[end:]) or \
            "paper" not in [kind for kind, _, _ in links]:
        return None
    return start, links


def _read_link_row(body: str, form: EntryForm) -> tuple[Entry, EntryForm] | None:
    """An entry written as a title (plain or bold, maybe a nickname and a venue) then a row of
    labelled links, one of them to the paper; the lines below are its note."""
    head, _, below = body.partition("\n")
    row = _row_links(head)
    if row is None or row[0] == 0:
        return None
    start, links = row
    title_part = head[:start].strip()
    entry = Entry(title="")
    if nick := _ROW_NICK_RE.match(title_part):
        entry.nickname, title_part = _plain(nick["nick"]), title_part[nick.end():]
    venue = None
    if match := _BOLD_TITLE_RE.match(title_part):
        venue, title_part = title_part[match.end():], match["title"]
    elif match := _ROW_VENUE_RE.search(title_part):
        venue, title_part = match["code"] or match["bold"], title_part[:match.start()]
    if not venue and (trailing := _TRAILING_LABEL_RE.search(title_part)):  # `Title. (Mar. 2024) [[Paper](...)]`
        venue, title_part = trailing["label"], title_part[:trailing.start()]
    title_part = title_part.strip()
    if title_part.endswith((":", ":**")):
        return None  # `**Maintainers:** Alice [[homepage]](...)`: a heading for what follows, not a title
    title_part = title_part.rstrip(" .—-–|").strip()
    if title_part.startswith("**") and title_part.endswith("**"):
        title_part = title_part[2:-2]
    entry.title = _plain(title_part).rstrip(".").strip()
    if not entry.title or "](" in title_part:
        return None
    venue = _plain(venue.strip(" .,:—-–|*`")) if venue else ""
    if venue:
        read = read_label(venue)
        entry.date, entry.venue = read.date, read.venue
    for kind, url, text in links:
        if kind == "paper" and (found := parse_arxiv_id(url)) and entry.arxiv is None:
            entry.arxiv = found
        elif kind == "paper" and entry.url is None and entry.arxiv is None:
            entry.url = url
        elif kind == "code" and entry.code is None:
            entry.code = url
        elif kind == "website" and entry.website is None:
            entry.website = url
        else:  # a link no field holds ([[Data]], [[Slides]], a second paper link) is kept as a link of its own
            entry.badges.append(f"[{text}]({url})")
    lines = [line.strip(" \t") for line in below.split("\n") if line.strip()]
    if lines:
        entry.description = "\n".join(lines)
    form.title_form = "row?"  # not a form the house style writes: the entry keeps its Markdown
    return entry, form


# --- a bold name, a colon and the title in plain text; badges in a nested list below ---------------
# `1. **LRV-Instruction**: Mitigating Hallucination in ..., (Liu et al. ICLR2024)` then
# `   - [![arXiv](...)](https://arxiv.org/abs/2306.14565) [![Star](...)](...)` and notes: read into
# fields; the entry keeps its Markdown (`source`).

_NAMED_TITLE_RE = re.compile(r"^\*\*(?P<nick>[^*\n]+?)\*\*:[ \t]*(?P<title>[^\n]*?)[ \t,]*"
                             r"(?:\((?P<label>[^()\n]*)\))?[ \t]*$")


def _read_named_title(body: str, form: EntryForm) -> tuple[Entry, EntryForm] | None:
    head, _, below = body.partition("\n")
    match = _NAMED_TITLE_RE.match(_split_break(head)[0])
    if not match or "[" in match["title"] or not _plain(match["title"]).strip(" ,."):
        return None
    entry = Entry(title=_plain(match["title"]).strip(" ,."), nickname=_plain(match["nick"]))
    if match["label"]:
        read = read_label(match["label"])
        entry.date, entry.venue = read.date, _plain(read.venue) if read.venue else None
    badges: list[Badge] = []
    notes = []
    for line in below.split("\n"):
        content = _split_break(line)[0].strip()
        if content[:2] in ("- ", "* ", "+ "):
            content = content[2:].strip()
        found = badges_in(content) if content else None
        if found:
            badges.extend(found)
        elif content:
            notes.append(content)
    _classify_badges(entry, badges)
    if entry.arxiv is None:
        return None  # a name and a sentence, not a paper
    if notes:
        entry.description = "\n".join(notes)
    form.title_form = "named?"  # not a form the house style writes: the entry keeps its Markdown
    return entry, form
