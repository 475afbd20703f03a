"""One entry's Markdown, both ways: read it into fields, write fields in a house style.

Reading keeps how the entry was written (`EntryForm`) beside what it says, so
import can infer a list's house style and notice the entries that stray from it.
Writing is the inverse for the house style; an entry that keeps its own `label`
or `source` is written that way for as long as they still say what its fields say.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .dates import LabelStyle, format_label, label_means, read_label
from .model import STYLE_CHOICES, Entry, Settings, clean_whitespace, github_repo, normalise_github_url, parse_arxiv_id

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

_ESCAPED = re.compile(r"([\\\[\]<>`*_])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


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


# --- reading ---------------------------------------------------------------

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


# --- writing ---------------------------------------------------------------

def escape_title(title: str) -> str:
    """Escape what could end the link text, start markup, or open an HTML tag or comment end."""
    title = clean_whitespace(title)
    return _ENTITY.sub("&amp;", _ESCAPED.sub(r"\\\1", title))


def link_target(url: str) -> str:
    """A URL as a link destination: spaces and parentheses cannot break out of it."""
    if any(ch in url for ch in " ()<>"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def arxiv_link(arxiv: str, settings: Settings) -> str:
    return settings.arxiv_link.replace("{id}", arxiv)


def title_link(entry: Entry, settings: Settings) -> str | None:
    """Where the title points: its own url, else the house link to its arXiv page."""
    if entry.url is not None:
        return entry.url
    return arxiv_link(entry.arxiv, settings) if entry.arxiv else None


def badge_values(entry: Entry, settings: Settings) -> dict[str, str]:
    values = {"link": title_link(entry, settings) or ""}
    if entry.arxiv:
        values.update(id=entry.arxiv, arxiv_url=arxiv_link(entry.arxiv, settings))
    if entry.code:
        values["code"] = link_target(entry.code)
        repo = github_repo(entry.code) or _repo_of(entry.code)
        if repo:
            values.update(owner=repo[0], repo=repo[1])
    if entry.website:
        values["website"] = link_target(entry.website)
    return values


def _repo_of(url: str) -> tuple[str, str] | None:
    canonical = normalise_github_url(url)
    return github_repo(canonical) if canonical else None


_PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


def fill(template: str, values: dict[str, str]) -> str | None:
    """A badge form with its placeholders filled, or None when a value is missing."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        if match.group(1) not in values:
            missing = True
            return ""
        return values[match.group(1)]

    filled = _PLACEHOLDER_RE.sub(value, template)
    return None if missing else filled


_BADGE_FIELDS = {"arxiv": "arxiv", "star": "code", "website": "website"}


def house_badges(entry: Entry, settings: Settings) -> list[str]:
    """The generated badges (arXiv, Star, Website, in house order) and then the entry's own."""
    values = badge_values(entry, settings)
    badges = []
    for kind in settings.badges:
        form = settings.badge_forms.get(kind)
        if form and getattr(entry, _BADGE_FIELDS.get(kind, kind), None):
            filled = fill(form, values)
            if filled:
                badges.append(filled)
    return badges + entry.badges


def house_label(entry: Entry, settings: Settings) -> str | None:
    """The label's text in the house style (the venue escaped like a title)."""
    venue = escape_title(entry.venue) if entry.venue else None
    return format_label(entry.date, venue, LabelStyle(settings.date_style, settings.venue_layout))


def write_entry(entry: Entry, settings: Settings, label: str | None = None) -> str:
    """The entry in the house style (with `label` as its label text when given)."""
    head = f"{settings.indent}{settings.bullet} "
    if entry.nickname:
        nickname = escape_title(entry.nickname)
        head += f"**{nickname}** " if settings.nickname == "bold" else f"{nickname} from "
    link = title_link(entry, settings)
    title = escape_title(entry.title)
    if settings.title_form == "bold":
        head += f"**{title}**"
    else:
        shown = f"**{title}**" if settings.title_form == "bold-link" else title
        head += f"[{shown}]({link_target(link or '')})"
    if label is None:
        label = house_label(entry, settings)
    if label:
        head += f" ({label})"
    badges = house_badges(entry, settings)
    lines = [head]
    if settings.badge_layout == "inline" and badges:
        lines[0] += " " + " ".join(badges)
    else:
        lines.extend(settings.badge_indent + badge for badge in badges)
    if entry.description:
        lines.extend(settings.badge_indent + line for line in entry.description.split("\n"))
    ends = [settings.line_break] * (len(lines) - 1) + [settings.last_break]
    text = "\n".join(line + end for line, end in zip(lines, ends, strict=False))
    return f"<!-- {text} -->" if entry.hidden else text


# Facts a written entry shows; fields it does not show (doi, also_in, ...) may
# change without making its own form stale.
_SHOWN = ("title", "nickname", "arxiv", "date", "venue", "code", "website", "badges", "description", "hidden")


def shown_facts(entry: Entry, settings: Settings, with_authors: bool) -> tuple[object, ...]:
    facts = tuple(getattr(entry, key) if key != "badges" else tuple(entry.badges) for key in _SHOWN)
    authors = tuple(entry.authors) if with_authors else ()
    return facts + (title_link(entry, settings), authors)


@lru_cache(maxsize=4096)
def _read_source(source: str) -> Entry | None:
    read = read_entry(source)
    return read[0] if read else None


def source_still_true(entry: Entry, settings: Settings) -> bool:
    """Does the entry's kept Markdown still say what its fields say?"""
    if entry.source is None:
        return False
    written = _read_source(entry.source)
    if written is None:
        return False
    return shown_facts(written, settings, bool(written.authors)) == shown_facts(entry, settings, bool(written.authors))


def styled(settings: Settings, overrides: dict[str, str]) -> Settings:
    """The house settings with a section's or an entry's own choices laid over them."""
    if not overrides:
        return settings
    key = (id(settings), tuple(sorted(overrides.items())))
    cached = _STYLED.get(key)
    if cached is None or cached[0] is not settings:
        # every style key names a text setting (schema.STYLE_KEYS), so the str values fit
        changes: dict[str, Any] = dict(overrides)
        cached = (settings, dataclasses.replace(settings, **changes))
        _STYLED[key] = cached
    return cached[1]


_STYLED: dict[tuple[int, tuple[tuple[str, str], ...]], tuple[Settings, Settings]] = {}


def render_entry(entry: Entry, settings: Settings) -> str:
    """The entry as the page shows it: its own form while still true, else the house
    style (`settings` already holds its section's own choices)."""
    if entry.source is not None and source_still_true(entry, settings):
        return entry.source
    return write_entry(entry, styled(settings, entry.style), entry.label if label_still_true(entry) else None)


def own_style(form: EntryForm, settings: Settings) -> dict[str, str] | None:
    """The settings an entry writes its own way, as read; None when one of them is
    not a form the house style can take (an odd gap after the bullet, a wrapped title)."""
    mine = {"bullet": form.bullet, "indent": form.indent, "title_form": form.title_form,
            "nickname": form.nickname, "badge_layout": form.badge_layout, "badge_indent": form.badge_indent,
            "last_break": form.breaks[-1] if form.breaks else None}
    if len(set(form.breaks[:-1])) > 1:
        return None
    if form.breaks[:-1]:
        mine["line_break"] = form.breaks[0]
    differing = {key: value for key, value in mine.items() if value is not None and value != getattr(settings, key)}
    for key, value in differing.items():
        if "\0" in value or "?" in value or value == "mixed" or value not in STYLE_CHOICES.get(key, (value,)):
            return None
    return differing


_SAFE_LABEL_RE = re.compile(r"^[^<>\[\]`\n\r]*$")


def label_still_true(entry: Entry) -> bool:
    """A kept label is plain text (no markup can come from it) that still says the entry's date and venue."""
    return entry.label is not None and bool(_SAFE_LABEL_RE.match(entry.label)) and \
        label_means(entry.label, entry.date, entry.venue)
