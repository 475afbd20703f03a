"""vrlcat dedup and vrlcat sort: one paper, one entry, in a predictable order."""

from __future__ import annotations

import json
import re

from conftest import one_section_catalog, snapshot, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vrlcat.dedup import find_duplicates, keep_first, merge_duplicates
from vrlcat.importer import import_markdown
from vrlcat.model import Entry, Section, SortOrder
from vrlcat.render import render
from vrlcat.sort import first_misplaced, sorted_entries
from vrlcat.store import load_catalog


def test_dedup_finds_every_duplicate_of_the_seed(run, seed_catalog):
    result = run("dedup", "--catalog", seed_catalog, "--format", "json")
    assert result.exit_code == 1
    groups = json.loads(result.stdout)
    exact = {g["members"][0]["entry"] for g in groups if g["kind"] == "exact"}
    assert exact == {"2505.20793", "2506.04559", "2505.22019"}  # abs and pdf links, repeated titles
    [conflict] = [g for g in groups if g["kind"] == "conflict"]
    assert {m["title"][:6] for m in conflict["members"]} == {"UI-R1:", "CoWorl"}  # one link points elsewhere
    dated = next(g for g in groups if g["members"][0]["entry"] == "2505.20793")
    assert dated["differing"] == ["date"]
    assert all({"section", "path", "line"} <= set(m) for g in groups for m in g["members"])


def test_merge_leaves_one_entry_per_paper_and_loses_no_field(run, seed_catalog):
    before = load_catalog(seed_catalog).catalog
    values = {(e.arxiv, k, repr(v)) for _, e in before.entries() for k, v in e.facts().items()
              if k not in ("date", "url")}
    result = run("dedup", "--catalog", seed_catalog, "--merge", "--yes")
    assert result.exit_code == 0, result.stdout
    assert "conflict: 2505.20793 field 'date': kept '2025-05', not '2025-03'" in result.stderr
    after = load_catalog(seed_catalog).catalog
    assert sum(1 for _ in after.entries()) == sum(1 for _ in before.entries()) - 3
    kept = {(e.arxiv, k, repr(v)) for _, e in after.entries() for k, v in e.facts().items() if k != "date"}
    assert values <= kept
    rendered = render(after)
    for arxiv_id in ("2505.20793", "2506.04559", "2505.22019"):
        assert len(re.findall(rf"\]\(https://arxiv\.org/(?:abs|pdf)/{arxiv_id}\) \(", rendered)) == 1
    assert run("dedup", "--catalog", seed_catalog).exit_code == 0


def test_possible_duplicates_are_shown_not_merged(run, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n"
          "  - {title: 'Video-R1: Reinforcing Video Reasoning in MLLMs', url: 'https://x.org/1', date: 2025-03}\n"
          "  - {title: 'Video-R1: Reinforcing Video Reasoning in MLLM', url: 'https://x.org/2', date: 2025-03}\n"
          "  - {title: 'Cross listed', arxiv: '2501.00001', date: 2025-01, also_in: [a]}\n")
    before = snapshot(root)
    result = run("dedup", "--catalog", root, "--merge", "--yes")
    assert result.exit_code == 0
    assert "possible duplicates (titles 9" in result.stdout
    assert "Cross listed" not in result.stdout
    assert snapshot(root) == before


def test_sort_orders_sections_keeps_comments_and_is_idempotent(run, tmp_path):
    root = tmp_path / "catalog"
    write(root / "list.yaml", "page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n"
          "  - {id: b, title: B, level: 2, sort: {by: title, order: asc}}\n")
    write(root / "sections" / "a.yaml", "entries:\n  - title: Old  # kept with Old\n    url: https://o.org\n"
          "    date: 2020-01\n  - title: New\n    url: https://n.org\n    date: 2025-01\n")
    write(root / "sections" / "b.yaml", "entries:\n  - {title: Zeta, url: 'https://z.org', date: 2025-01}\n"
          "  - {title: alpha, url: 'https://a.org', date: 2020-01}\n")
    check = run("sort", "--catalog", root, "--check")
    assert check.exit_code == 1 and "a.yaml:2: section 'a' is out of order from 'Old'" in check.stderr
    assert run("sort", "--catalog", root).exit_code == 0
    assert (root / "sections" / "a.yaml").read_text() == ("entries:\n  - title: New\n    url: https://n.org\n"
                                                           "    date: 2025-01\n  - title: Old  # kept with Old\n"
                                                           "    url: https://o.org\n    date: 2020-01\n")
    assert [e.title for e in load_catalog(root).catalog.section("b").entries] == ["alpha", "Zeta"]
    before = snapshot(root)
    assert run("sort", "--catalog", root).exit_code == 0 and snapshot(root) == before
    assert run("sort", "--catalog", root, "--check").exit_code == 0
    assert run("sort", "--catalog", root, "--by", "title", "--order", "desc", "--check").exit_code == 1


titles = st.text(alphabet="abcXYZ -:", min_size=1, max_size=12).filter(lambda t: t.strip())
dates = st.one_of(st.none(), st.sampled_from(["2024", "2024-01", "2024-12", "2025-03", "2023-07"]))
ids = st.one_of(st.none(), st.sampled_from(["2401.00001", "2401.00002", "2312.00003"]))
entries = st.builds(lambda t, d, a, v: Entry(title=t, date=d, arxiv=a, url=None if a else "https://x.org",
                                             venue=v), titles, dates, ids, st.one_of(st.none(), st.just("ICML")))
orders = st.builds(SortOrder, st.sampled_from(["date", "title", "added"]), st.sampled_from(["desc", "asc"]))


@given(st.lists(entries, max_size=12), orders)
def test_sort_is_idempotent_and_keeps_every_entry(items, order):
    once = sorted_entries(items, order)
    assert sorted(map(id, once)) == sorted(map(id, items))
    if order.by != "added":
        assert sorted_entries(once, order) == once
        assert first_misplaced(once, order) is None


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40, deadline=None)
@given(st.lists(entries, min_size=1, max_size=10))
def test_merge_never_adds_entries_or_drops_an_unconflicted_value(tmp_path_factory, items):
    from vrlcat.model import Catalog
    from vrlcat.store import catalog_files, write_files_atomically

    root = tmp_path_factory.mktemp("prop") / "catalog"
    catalog = Catalog(sections=[Section(id="a", title="A", level=2, entries=items)])
    write_files_atomically(catalog_files(catalog, root))
    loaded = load_catalog(root)
    before = list(loaded.catalog.entries())
    groups = find_duplicates(loaded)
    conflicted = set()
    merge_duplicates(loaded, groups, lambda c: conflicted.add(c.key) or keep_first(c))
    after = load_catalog(root).catalog
    assert sum(1 for _ in after.entries()) <= len(before)
    surviving = {(k, repr(v)) for _, e in after.entries() for k, v in e.to_data().items()}
    for _, entry in before:
        for key, value in entry.to_data().items():
            if key not in conflicted and key not in ("title", "hidden") and not isinstance(value, list):
                assert (key, repr(value)) in surviving


def test_import_of_cross_listing_renders_in_both_sections():
    catalog, _ = import_markdown("## A\n\n+ [P](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n\n## B\n\n"
                                 "+ [Q](https://arxiv.org/abs/2501.00002) (Jan. 2025)\n")
    catalog.sections[0].entries[0].also_in = ["b"]
    assert render(catalog).count("[P](https://arxiv.org/abs/2501.00001)") == 2


def test_comment_lines_above_entries_move_with_them(run, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "# file header\nentries:\n  # about Old\n  - title: Old\n"
          "    url: https://o.org\n    date: 2020-01\n    authors:\n      - A\n  # about New\n  # two lines\n"
          "  - title: New  # end of line\n    url: https://n.org\n    date: 2025-01\n    authors: [N]\n"
          "  # about Mid\n  - title: Mid\n    url: https://m.org\n    date: 2022-01\n")
    assert run("sort", "--catalog", root).exit_code == 0
    assert (root / "sections" / "a.yaml").read_text() == (
        "# file header\nentries:\n  # about New\n  # two lines\n  - title: New  # end of line\n"
        "    url: https://n.org\n    date: 2025-01\n    authors: [N]\n  # about Mid\n  - title: Mid\n    url: https://m.org\n"
        "    date: 2022-01\n  # about Old\n  - title: Old\n    url: https://o.org\n    date: 2020-01\n"
        "    authors:\n      - A\n")
