"""The list's own charts: what they show, and whether a picture on disk still shows it.

Each chart is drawn from a small table of numbers (`chart_data`). The picture
carries a fingerprint of that table in its metadata, so `render --check` and
lint can tell a stale picture without drawing it (and without matplotlib);
only `drawing.py`, which draws, imports matplotlib.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from .errors import VrlcatError
from .headings import heading_text
from .model import Catalog, Chart
from .stats import entry_month, shown_entries, subtree_counts, top_level_of, tree_rows

KINDS = ("timeline", "taxonomy")
FORMATS = (".svg", ".png")
# Bump when drawing.py draws differently, so that every committed picture reads as stale.
CHART_VERSION = "1"
TIMELINE_MONTHS = 24  # months drawn one bar each; older entries share one bar
_FINGERPRINT_RE = re.compile(rb"vrlcat chart (timeline|taxonomy) ([0-9a-f]{64})")
_NOT_DRAWABLE = re.compile("[\U00010000-\U0010ffff\ufe0f\u200d]")  # emoji: not in the bundled font


def plain_title(markdown: str) -> str:
    """A section title as a chart shows it: the heading's text, without emoji."""
    return _NOT_DRAWABLE.sub("", heading_text(markdown)).strip()


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def timeline_data(catalog: Catalog) -> dict[str, Any]:
    """Entries per month for each top-level section: the last TIMELINE_MONTHS months with
    an entry one bar each, everything older in one `earlier` bar."""
    roots = top_level_of(catalog)
    months: dict[str, dict[str, int]] = {}
    year_only = 0
    for section, entry in shown_entries(catalog):
        month = entry_month(entry)
        if month is None:
            year_only += 1
            continue
        row = months.setdefault(roots[section.id].id, {})
        row[month] = row.get(month, 0) + 1
    every = sorted({m for row in months.values() for m in row})
    if not every:
        return {"title": catalog.title or "", "months": [], "series": [], "earlier": None, "not_shown": year_only}
    last = _month_index(every[-1])
    first = max(_month_index(every[0]), last - TIMELINE_MONTHS + 1)
    shown = [_month_name(index) for index in range(first, last + 1)]
    series = []
    for root in catalog.sections:
        row = months.get(root.id, {})
        if row:
            series.append({"title": plain_title(root.title) or root.id, "counts": [row.get(m, 0) for m in shown],
                           "earlier": sum(n for m, n in row.items() if m < shown[0])})
    earlier = shown[0] if any(s["earlier"] for s in series) else None
    return {"title": catalog.title or "", "months": shown, "series": series, "earlier": earlier,
            "not_shown": year_only}


def taxonomy_data(catalog: Catalog) -> dict[str, Any]:
    """The section tree as rows: title, depth, entries in its subtree, its top-level section's number."""
    totals = subtree_counts(catalog)
    nodes = []
    for number, root in enumerate(catalog.sections):
        for section, depth in tree_rows([root]):
            nodes.append({"title": plain_title(section.title) or section.id, "depth": depth + 1,
                          "entries": totals[section.id], "family": number})
    return {"title": plain_title(catalog.title or "") or "The list", "entries": sum(totals[s.id] for s in
                                                                                  catalog.sections),
            "nodes": nodes}


def chart_data(catalog: Catalog, kind: str) -> dict[str, Any]:
    if kind == "timeline":
        return timeline_data(catalog)
    if kind == "taxonomy":
        return taxonomy_data(catalog)
    raise VrlcatError(f"unknown chart {kind!r}: expected {' or '.join(KINDS)}")


def fingerprint(data: dict[str, Any], kind: str) -> str:
    """`vrlcat chart KIND SHA256`: what a picture of `data` carries in its metadata."""
    text = json.dumps({"kind": kind, "version": CHART_VERSION, "data": data}, sort_keys=True, ensure_ascii=False)
    return f"vrlcat chart {kind} {hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def picture_is_fresh(path: Path, catalog: Catalog, kind: str) -> bool:
    """True when the picture at `path` was drawn from what the catalog says now."""
    try:
        found = _FINGERPRINT_RE.search(path.read_bytes())
    except (FileNotFoundError, IsADirectoryError):
        return False
    expected = fingerprint(chart_data(catalog, kind), kind)
    return found is not None and found.group(0).decode("ascii") == expected


def chart_bytes(catalog: Catalog, kind: str, suffix: str) -> bytes:
    """The picture as SVG or PNG bytes (imports matplotlib)."""
    from .drawing import draw

    if suffix not in FORMATS:
        raise VrlcatError(f"a chart is written as .svg or .png, not {suffix or 'a file without a suffix'!r}")
    data = chart_data(catalog, kind)
    return draw(kind, data, suffix[1:], fingerprint(data, kind))


def write_chart(catalog: Catalog, kind: str, path: Path) -> None:
    """Draw a chart into `path`, replacing it in one step (fsio: the old file's mode kept)."""
    from .fsio import write_files

    write_files({path: chart_bytes(catalog, kind, path.suffix.lower())})


# --- charts on the page ---------------------------------------------------------------

def chart_markdown(block: Chart) -> str:
    """The image link a `{chart: ..., file: ...}` page block renders as."""
    alt = block.alt or ("Papers per month" if block.kind == "timeline" else "The section tree")
    if block.width:
        return f'<p align="center">\n  <img src="{block.file}" alt="{alt}" width="{block.width}">\n</p>'
    return f"![{alt}]({block.file})"


def page_charts(catalog: Catalog) -> list[Chart]:
    return [block for block in catalog.page if isinstance(block, Chart)]


def stale_charts(catalog: Catalog, page_folder: Path) -> list[tuple[Path, str]]:
    """Each chart picture of the page (beside the page) that is missing or stale, with which of the two."""
    stale = []
    for block in page_charts(catalog):
        path = page_folder / block.file
        if not picture_is_fresh(path, catalog, block.kind):
            stale.append((path, "missing" if not path.exists() else
                          f"not the {block.kind} chart of the catalog as it is now"))
    return stale


def stale_chart_pictures(catalog: Catalog, page_folder: Path) -> dict[Path, bytes]:
    """Each chart picture of the page that is missing or stale, drawn again (not written:
    workflow.finish writes them with the pages, in one batch)."""
    return {path: chart_bytes(catalog, block.kind, path.suffix.lower())
            for block in page_charts(catalog)
            if not picture_is_fresh(path := page_folder / block.file, catalog, block.kind)}
