"""vrlcat refresh --fill authors: empty author lists filled from arXiv, in batched requests (loopback only)."""

from __future__ import annotations

import json

from conftest import one_section_catalog, snapshot
from test_refresh_links import repository_papers
from vrlcat.store import load_catalog


def test_fills_the_repository_list_in_two_batched_requests(run, services, repo_catalog):
    services.arxiv_papers = repository_papers(repo_catalog)
    result = run("refresh", "--catalog", repo_catalog, "--fill", "authors", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    arxiv_entries = [e for _, e in load_catalog(repo_catalog).catalog.entries() if e.arxiv]
    assert len(services.seen("/arxiv")) == report["arxiv_requests"] == 2  # 100 ids a request
    assert services.seen("/hf") == [] and services.seen("/github") == []
    assert len(report["filled"]) == len(arxiv_entries) > 100
    assert all(e.authors == ["A. Author"] for e in arxiv_entries)


def test_real_feed_authors_and_curated_lists_untouched(run, services, tmp_path):
    catalog = one_section_catalog(tmp_path / "catalog", """entries:
  - {title: Some Paper, arxiv: '1707.08567', date: 2017-07}
  - {title: Curated, arxiv: '1605.08386', date: 2016-05, authors: [Kept Name]}
""")
    result = run("refresh", "--catalog", catalog, "--fill", "authors")
    assert result.exit_code == 0, result.stderr
    entries = load_catalog(catalog).catalog.sections[0].entries
    assert len(entries[0].authors) > 1 and entries[1].authors == ["Kept Name"]
    assert "filled authors of 1 entries in 1 files, 1 arXiv requests" in result.stdout


def test_dry_run_writes_nothing(run, services, tmp_path):
    catalog = one_section_catalog(tmp_path / "catalog",
                                  "entries:\n  - {title: P, arxiv: '1707.08567', date: 2017-07}\n")
    before = snapshot(catalog)
    result = run("refresh", "--catalog", catalog, "--fill", "authors", "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.stdout and snapshot(catalog) == before
