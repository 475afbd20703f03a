"""`vrlcat stats`: what the list holds, counted one way for stats, charts and live counts.

Every count here counts an entry once, in the section whose file holds it (an
`also_in` cross-listing is not a second paper), and leaves hidden entries out:
they are what readers of the page do not see.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from .model import Catalog, Entry, Section

_VENUE_YEAR = re.compile(r"\s*'?(?:19|20)?\d{2}$")
RECENT_DAYS = (30, 90, 365)


def shown_entries(catalog: Catalog, include_hidden: bool = False) -> Iterator[tuple[Section, Entry]]:
    """(home section, entry) for every entry the page shows, in catalog order."""
    for section, entry in catalog.entries():
        if include_hidden or not entry.hidden:
            yield section, entry


def top_level_of(catalog: Catalog) -> dict[str, Section]:
    """Section id -> the top-level section it sits under (itself at the top)."""
    return {section.id: root for root in catalog.sections for section in root.walk()}


def entry_month(entry: Entry) -> str | None:
    """`YYYY-MM` when the date names a month; None for a year alone or no date."""
    return entry.date[:7] if entry.date and len(entry.date) >= 7 else None


def venue_name(venue: str) -> str:
    """A venue without its year, so that `CVPR 2024` and `CVPR 2025` count as one venue."""
    return _VENUE_YEAR.sub("", venue.strip()) or venue.strip()


def _first_day(date: str) -> datetime.date:
    """The first day a date can mean: a month counts from its 1st, a year from 1 January."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])


def tree_rows(sections: list[Section], depth: int = 0) -> Iterator[tuple[Section, int]]:
    """(section, depth) for every section, depth first, the top level at depth 0."""
    for section in sections:
        yield section, depth
        yield from tree_rows(section.children, depth + 1)


def subtree_counts(catalog: Catalog) -> dict[str, int]:
    """Section id -> entries shown in it and every section under it."""
    own = Counter(section.id for section, _ in shown_entries(catalog))
    totals: dict[str, int] = {}

    def total(section: Section) -> int:
        totals[section.id] = own[section.id] + sum(total(child) for child in section.children)
        return totals[section.id]

    for root in catalog.sections:
        total(root)
    return totals


def catalog_stats(catalog: Catalog, today: datetime.date) -> dict[str, Any]:
    """The JSON contract of `vrlcat stats --format json` (docs/usage.md), and a little more."""
    shown = list(shown_entries(catalog))
    entries = [entry for _, entry in shown]
    own = Counter(section.id for section, _ in shown)
    totals = subtree_counts(catalog)
    dated = sorted((entry.date, section.id, entry.title) for section, entry in shown if entry.date)
    venues = Counter(venue_name(entry.venue) for entry in entries if entry.venue)
    return {
        "entries": len(entries),
        "sections": [{"id": s.id, "title": s.title, "entries": own[s.id]} for s in catalog.walk()],
        "by_month": dict(sorted(Counter(m for e in entries if (m := entry_month(e))).items())),
        "with_code": sum(1 for entry in entries if entry.code),
        "with_website": sum(1 for entry in entries if entry.website),
        "venues": dict(sorted(venues.items(), key=lambda item: (-item[1], item[0]))),
        "top_level": [{"id": s.id, "title": s.title, "entries": totals[s.id]} for s in catalog.sections],
        "by_year": dict(sorted(Counter(e.date[:4] for e in entries if e.date).items())),
        "undated": sum(1 for entry in entries if not entry.date),
        "hidden": sum(1 for _, entry in catalog.entries() if entry.hidden),
        "recent": {f"{days}_days": sum(1 for date, _, _ in dated
                                       if 0 <= (today - _first_day(date)).days <= days) for days in RECENT_DAYS},
        "oldest": _dated_row(dated[0]) if dated else None,
        "newest": _dated_row(dated[-1]) if dated else None,
    }


def _dated_row(row: tuple[str, str, str]) -> dict[str, str]:
    date, section_id, title = row
    return {"date": date, "section": section_id, "title": title}


def text_report(stats: dict[str, Any], catalog: Catalog, top_venues: int = 10) -> list[str]:
    """The stats as lines a person reads: totals, the tree with counts, time, venues."""
    total = stats["entries"] or 1
    lines = [f"{stats['entries']} entries in {len(stats['sections'])} sections "
             f"({stats['hidden']} hidden, not counted)",
             f"with code: {stats['with_code']} ({100 * stats['with_code'] / total:.0f}%), "
             f"with a website: {stats['with_website']} ({100 * stats['with_website'] / total:.0f}%)", "",
             "by section:"]
    own = {row["id"]: row["entries"] for row in stats["sections"]}
    totals = subtree_counts(catalog)
    for section, depth in tree_rows(catalog.sections):
        extra = f" ({own[section.id]} here)" if section.children and own[section.id] else ""
        lines.append(f"  {'  ' * depth}{totals[section.id]:4d}  {section.title}{extra}")
    lines += ["", "by year: " + ", ".join(f"{year}: {n}" for year, n in stats["by_year"].items())]
    lines.append("by month: " + ", ".join(f"{month}: {n}" for month, n in stats["by_month"].items()))
    lines.append("dated in the last " + ", ".join(f"{key.replace('_', ' ')}: {n}"
                                                   for key, n in stats["recent"].items()))
    for end in ("oldest", "newest"):
        if stats[end]:
            row = stats[end]
            lines.append(f"{end}: {row['date']} {row['title']} ({row['section']})")
    venues = list(stats["venues"].items())[:top_venues]
    lines += ["", "top venues: " + (", ".join(f"{name}: {n}" for name, n in venues) or "none named")]
    return lines
