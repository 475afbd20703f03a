"""vrlcat stats: the JSON contract, its totals checked against an independent count of the files."""

from __future__ import annotations

import datetime
import json
from collections import Counter

from ruamel.yaml import YAML

from exportdata import tiny_catalog


def independent_count(catalog):
    """Entries, sections and months read straight from the YAML files (hidden left out)."""
    yaml = YAML(typ="safe")
    entries = []
    for path in sorted((catalog / "sections").glob("*.yaml")):
        for item in yaml.load(path.read_text(encoding="utf-8"))["entries"]:
            if "raw" not in item and not item.get("hidden"):
                entries.append((path.stem, item))
    return entries


def test_json_contract_and_totals(run, repo_catalog):
    result = run("stats", "--catalog", repo_catalog, "--format", "json")
    assert result.exit_code == 0, result.stderr
    stats = json.loads(result.stdout)
    assert {"entries", "sections", "by_month", "with_code", "with_website", "venues"} <= set(stats)
    entries = independent_count(repo_catalog)
    assert stats["entries"] == len(entries) == sum(row["entries"] for row in stats["sections"])
    assert all(set(row) == {"id", "title", "entries"} for row in stats["sections"])
    per_file = Counter(section for section, _ in entries)
    assert {row["id"]: row["entries"] for row in stats["sections"] if row["entries"]} == dict(per_file)
    months = Counter(str(item["date"])[:7] for _, item in entries if len(str(item.get("date") or "")) >= 7)
    assert stats["by_month"] == dict(sorted(months.items()))
    assert stats["with_code"] == sum(1 for _, item in entries if item.get("code"))
    assert stats["with_website"] == sum(1 for _, item in entries if item.get("website"))
    assert sum(stats["venues"].values()) == sum(1 for _, item in entries if item.get("venue"))
    assert all(isinstance(n, int) for n in [stats["entries"], *stats["by_month"].values(), *stats["venues"].values()])


def test_venues_recent_oldest_newest(tmp_path):
    from vrlcat.stats import catalog_stats
    from vrlcat.store import load_catalog

    catalog = load_catalog(tiny_catalog(tmp_path / "catalog")).catalog
    stats = catalog_stats(catalog, datetime.date(2025, 4, 20))
    assert stats["venues"] == {"Blog": 1, "CVPR": 1, "ICRA": 1, "TPAMI": 1}
    assert stats["recent"] == {"30_days": 1, "90_days": 2, "365_days": 3}
    assert stats["oldest"]["title"] == "Old Style Paper" and stats["newest"]["date"] == "2025-04"
    assert [row["entries"] for row in stats["top_level"]] == [5, 1] and stats["hidden"] == 1


def test_text_report_shows_the_tree_with_counts(run, tmp_path):
    result = run("stats", "--catalog", tiny_catalog(tmp_path / "catalog"))
    assert result.exit_code == 0, result.stderr
    assert "6 entries in 4 sections (1 hidden, not counted)" in result.stdout
    assert "     5  Vision & RL" in result.stdout and "       3  Images" in result.stdout
    assert "top venues: Blog: 1, CVPR: 1" in result.stdout
