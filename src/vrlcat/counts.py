"""Live counts in prose: numbers about the list that render writes fresh each time.

A count lives between a marker pair of HTML comments, the opening one holding
the template:

    <!-- vrlcat:counts {papers} papers in {sections} sections -->235 papers in 28 sections<!-- /vrlcat:counts -->

GitHub shows only the filled text. Nothing else is ever read as a count: a
list's own `{papers}` or "235 papers" stays as written, so import keeps every
existing page byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import VrlcatError
from .model import Catalog

MARKER = "<!-- vrlcat:counts "
_COUNT_RE = re.compile(r"<!-- vrlcat:counts (?P<template>(?:(?!-->).)*?) -->(?P<filled>(?:(?!<!--).)*?)"
                       r"<!-- /vrlcat:counts -->")
_NAME_RE = re.compile(r"\{(?P<name>[a-z_]+)(?::(?P<section>[a-z0-9][a-z0-9-]*))?\}")
NAMES = ("papers", "sections", "with_code", "with_website", "venues", "newest")


def _values(catalog: Catalog) -> Callable[[str, str | None], str | None]:
    """A look-up of each count by name (and section id, for `{papers:ID}`); None when unknown."""
    import datetime

    from .stats import catalog_stats, subtree_counts

    stats = catalog_stats(catalog, datetime.date(2000, 1, 1))  # the counts used here do not depend on today
    totals = subtree_counts(catalog)
    values = {"papers": stats["entries"], "sections": len(stats["sections"]), "with_code": stats["with_code"],
              "with_website": stats["with_website"], "venues": len(stats["venues"]),
              "newest": stats["newest"]["date"] if stats["newest"] else ""}

    def look_up(name: str, section: str | None) -> str | None:
        if section is not None:
            return str(totals[section]) if name == "papers" and section in totals else None
        return str(values[name]) if name in values else None

    return look_up


def live_counts(text: str, catalog: Catalog, where: str | None = None) -> str:
    """`text` with every counts marker pair filled from the catalog; other text untouched."""
    if MARKER not in text:
        return text
    look_up = _values(catalog)

    def fill(match: re.Match[str]) -> str:
        def value(name: re.Match[str]) -> str:
            found = look_up(name.group("name"), name.group("section"))
            if found is None:
                raise VrlcatError(f"unknown count {name.group(0)} in a vrlcat:counts marker: known are "
                                  + ", ".join("{" + n + "}" for n in NAMES) + " and {papers:SECTION-ID}", where)
            return found

        template = match.group("template")
        return f"{MARKER}{template} -->{_NAME_RE.sub(value, template)}<!-- /vrlcat:counts -->"

    return _COUNT_RE.sub(fill, text)
