"""A list's house style, inferred from how most of its entries are written.

Each setting is the most common choice among the entries that show it, so the
entries written the usual way need no per-entry form, and `vrlcat add` writes
new entries as the maintainer would.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

from ..dates import read_label
from ..entryread import Badge, EntryForm
from ..entrytext import badge_values
from ..model import BADGE_KINDS, DEFAULT_BADGE_FORMS, STYLE_CHOICES, Entry, Settings, SortOrder

_T = TypeVar("_T", bound=Hashable)


def _most_common(values: Iterable[_T | None], default: _T) -> _T:
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else default


_VERSIONED_RE = re.compile(r"\{id\}v\d")
_TARGET_KEYS = {"arxiv": ("link", "arxiv_url"), "star": ("code",), "website": ("website",)}
_STAR_IMAGE_RE = re.compile(r"(?<=/stars/)(?P<owner>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)(?=\.svg|\?|#|$)")


def _badge_templates(badge: Badge, values: dict[str, str]) -> list[str]:
    """Badge forms that write this badge back from its entry's values."""
    if badge.kind is None or badge.target is None or "{" in badge.markdown or "}" in badge.markdown:
        return []
    kind = badge.kind
    targets = ["{" + key + "}" for key in _TARGET_KEYS[kind] if values.get(key) == badge.target]
    alt, image = badge.alt, badge.image
    if kind == "arxiv" and values.get("id"):  # `arXiv-2501.00001` in the picture is each entry's own id
        if values["id"] in badge.target:
            targets.append(badge.target.replace(values["id"], "{id}"))
        alt, image = alt.replace(values["id"], "{id}"), image.replace(values["id"], "{id}")
    if kind == "star":
        match = _STAR_IMAGE_RE.search(image)
        if not match or (match["owner"], match["repo"]) != (values.get("owner"), values.get("repo")):
            return []
        image = image[:match.start()] + "{owner}/{repo}" + image[match.end():]
    return [f"[![{alt}]({image})]({target})" for target in targets]


def _badge_forms(read: list[tuple[Entry, EntryForm]], settings: Settings) -> dict[str, str]:
    forms = dict(DEFAULT_BADGE_FORMS)
    counts: dict[str, Counter[str]] = {kind: Counter() for kind in BADGE_KINDS}
    for entry, form in read:
        values = badge_values(entry, settings)
        for badge in form.badges:
            if badge.kind:
                counts[badge.kind].update(set(_badge_templates(badge, values)))
    for kind, counted in counts.items():
        if counted:  # ties: a form naming the arXiv id beats one repeating the title's link
            forms[kind] = max(counted.items(), key=lambda item: (item[1], "{link}" not in item[0], item[0]))[0]
    return forms


def _badge_order(read: list[tuple[Entry, EntryForm]]) -> list[str]:
    """The order of generated badges most entries follow; kinds most entries
    that could show them do not show are left out."""
    sequences = [[b.kind for b in form.badges if b.kind] for _, form in read]
    shown = []
    for kind in BADGE_KINDS:
        field = {"arxiv": "arxiv", "star": "code", "website": "website"}[kind]
        having = [seq for (entry, _), seq in zip(read, sequences, strict=False) if getattr(entry, field)]
        if having and sum(kind in seq for seq in having) * 2 >= len(having):
            shown.append(kind)
    best, best_score = shown, -1
    for order in itertools.permutations(shown):
        score = sum(1 for seq in sequences if [k for k in seq if k in order] == [k for k in order if k in seq])
        if score > best_score:
            best, best_score = list(order), score
    return best


def infer_settings(read: list[tuple[Entry, EntryForm]], gaps: list[tuple[str, bool]]) -> Settings:
    """House settings from the entries as read and the gaps after them ((gap, last in section))."""
    settings = Settings()
    forms = [form for _, form in read]
    # only forms the house style can write (not `2.` bullets or a row of links): the rest keep their own
    settings.bullet = _most_common((f.bullet for f in forms if f.bullet in STYLE_CHOICES["bullet"]), "+")
    settings.indent = _most_common((f.indent for f in forms), "")
    settings.nickname = _most_common((f.nickname for f in forms if f.nickname in STYLE_CHOICES["nickname"]), "bold")
    settings.title_form = _most_common((f.title_form for f in forms if f.title_form in STYLE_CHOICES["title_form"]),
                                       "link")
    links = []
    for entry, form in read:
        if entry.arxiv and form.link and entry.arxiv in form.link:
            link = form.link.replace(entry.arxiv, "{id}", 1)
            if not _VERSIONED_RE.search(link):  # `2310.01779v2` names one paper's version, never the house's
                links.append(link)
    settings.arxiv_link = _most_common(links, settings.arxiv_link)
    labels = [read_label(f.label) for f in forms if f.label is not None and f.label_closed]
    settings.date_style = _most_common((r.pattern for r in labels), settings.date_style)
    settings.venue_layout = _most_common((r.layout for r in labels
                                          if "date" in r.layout and "venue" in r.layout), settings.venue_layout)
    settings.badges = _badge_order(read)
    settings.badge_forms = _badge_forms(read, settings)
    settings.badge_layout = _most_common((f.badge_layout for f in forms if f.badge_layout != "mixed"), "lines")
    settings.badge_indent = _most_common((f.badge_indent for f in forms), "  ")
    settings.line_break = _most_common((b for f in forms for b in f.breaks[:-1]), "")
    settings.last_break = _most_common((f.breaks[-1] for f in forms if f.breaks), "")
    settings.entry_gap = _most_common((gap for gap, last in gaps if not last), "\n")
    settings.end_gap = _most_common((gap for gap, last in gaps if last), settings.entry_gap)
    # An imported list keeps its own order: new entries go on top, nothing is re-sorted.
    settings.sort = SortOrder(by="added", order="desc")
    return settings
