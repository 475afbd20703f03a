"""Rewriting a section file by hand-written shape: flow style, several maps on one line."""

from __future__ import annotations

from conftest import write
from vrlcat.store import load_catalog

LIST = "page: [sections]\nsettings: {sort: {by: date, order: desc}}\nsections:\n  - {id: a, title: A, level: 2}\n"
FLOW = "entries: [{title: B, url: 'https://b.org', date: '2024-01'}, {title: A, url: 'https://a.org', date: '2025-01'}]\n"


def catalog(tmp_path):
    root = tmp_path / "catalog"
    write(root / "list.yaml", LIST)
    write(root / "sections" / "a.yaml", FLOW)
    return root


def test_sort_on_a_flow_style_file_keeps_every_entry_once(run, tmp_path):
    root = catalog(tmp_path)
    assert run("sort", "--catalog", root).exit_code == 0
    entries = load_catalog(root).catalog.section("a").entries
    assert [(e.title, e.url, e.date) for e in entries] == [("A", "https://a.org", "2025-01"),
                                                         ("B", "https://b.org", "2024-01")]
    assert run("sort", "--catalog", root, "--check").exit_code == 0


def test_add_into_a_flow_style_file_writes_yaml_that_reads_back(run, tmp_path):
    root = catalog(tmp_path)
    result = run("add", "--catalog", root, "--url", "https://c.org/x:y", "--title", "C: a paper", "--date", "2023-01",
                 "--section", "a")
    assert result.exit_code == 0, result.stderr
    entries = load_catalog(root).catalog.section("a").entries
    assert sorted(e.title for e in entries) == ["A", "B", "C: a paper"]
