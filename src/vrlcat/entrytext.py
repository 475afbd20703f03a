"""One entry's Markdown written from its fields in a house style.

The inverse of entryread for the house style; an entry that keeps its own `label`
or `source` is written that way for as long as they still say what its fields say.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import Any

from .dates import LabelStyle, format_label, label_means
from .entryread import EntryForm, read_entry
from .model import STYLE_CHOICES, Entry, Settings, clean_whitespace, github_repo, normalise_github_url

_ESCAPED = re.compile(r"([\\\[\]<>`*_])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


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
