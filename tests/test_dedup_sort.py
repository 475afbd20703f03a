"""vrlcat dedup and vrlcat sort: one paper, one entry, in a predictable order."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import one_section_catalog, snapshot, write
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
    assert result.exit_code == 1, result.stdout  # the id carrying two titles needs a person
    assert "conflict: 2505.20793 field 'date': kept '2025-05', not '2025-03'" in result.stderr
    after = load_catalog(seed_catalog).catalog
    assert sum(1 for _ in after.entries()) == sum(1 for _ in before.entries()) - 3
    kept = {(e.arxiv, k, repr(v)) for _, e in after.entries() for k, v in e.facts().items() if k != "date"}
    assert values <= kept
    rendered = render(after)
    for arxiv_id in ("2505.20793", "2506.04559", "2505.22019"):
        assert len(re.findall(rf"\]\(https://arxiv\.org/(?:abs|pdf)/{arxiv_id}\) \(", rendered)) == 1
    again = run("dedup", "--catalog", seed_catalog)
    assert again.exit_code == 1 and "0 exact groups, 1 conflicts" in again.stdout


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


def test_versions_of_one_arxiv_id_are_one_paper_not_a_conflict(run, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n  - {title: 'Paper', arxiv: '2505.21374v2', date: 2025-05}\n"
                        "  - {title: 'Paper', arxiv: '2505.21374', date: 2025-05, venue: ICML}\n")
    result = run("dedup", "--catalog", root, "--merge", "--yes")
    assert result.exit_code == 0 and "conflict" not in result.stderr, result.stdout + result.stderr
    [entry] = load_catalog(root).catalog.section("a").entries
    assert (entry.arxiv, entry.venue) == ("2505.21374", "ICML")


def test_same_title_with_other_links_is_never_merged(run, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n  - {title: Introduction, url: 'https://blog.a.org/intro', date: 2025-01}\n"
                        "  - {title: Introduction, url: 'https://blog.b.org/intro', date: 2025-01}\n")
    before = snapshot(root)
    result = run("dedup", "--catalog", root, "--merge", "--yes")
    assert result.exit_code == 0 and "possible duplicates (same title" in result.stdout
    assert snapshot(root) == before


def test_the_same_link_in_any_spelling_is_one_paper(run, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n  - {title: 'A Blog Post', url: 'http://www.x.org/post/', date: 2025-01}\n"
                        "  - {title: 'A blog post', url: 'https://x.org/post', date: 2025-01}\n")
    result = run("dedup", "--catalog", root, "--format", "json")
    assert result.exit_code == 1 and json.loads(result.stdout)[0]["reason"] == "same URL"


def test_a_merge_across_sections_keeps_the_paper_in_both_through_also_in(run, tmp_path):
    root = tmp_path / "catalog"
    write(root / "list.yaml", "page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n"
          "  - {id: b, title: B, level: 2}\n")
    write(root / "sections" / "a.yaml", "entries:\n  - {title: P, arxiv: '2501.00001', date: 2025-01}\n")
    write(root / "sections" / "b.yaml", "entries:\n  - {title: P, arxiv: '2501.00001', date: 2025-01}\n"
          "  - {title: Q, arxiv: '2501.00002', date: 2025-01}\n")
    assert run("dedup", "--catalog", root, "--merge", "--yes").exit_code == 0
    catalog = load_catalog(root).catalog
    assert [e.also_in for e in catalog.section("a").entries] == [["b"]]
    assert [e.title for e in catalog.section("b").entries] == ["Q"]
    assert render(catalog).count("[P](https://arxiv.org/abs/2501.00001)") == 2


def test_dedup_exits_1_while_a_conflict_remains_and_lint_says_the_same(run, tmp_path):
    root = tmp_path / "catalog"
    one_section_catalog(root, "entries:\n  - {title: 'Seeing Is Believing', arxiv: '2505.01234', date: 2025-05}\n"
                        "  - {title: 'A Different Paper Entirely', arxiv: 'arXiv:2505.01234v2', date: 2025-05}\n")
    dedup = run("dedup", "--catalog", root, "--merge", "--yes", "--format", "json")
    assert dedup.exit_code == 1
    assert [g["kind"] for g in json.loads(dedup.stdout)] == ["conflict"]
    lint = json.loads(run("lint", "--catalog", root, "--format", "json", "--select", "duplicate-arxiv").stdout)
    assert [f["line"] for f in lint] == [2, 3]  # either entry may hold the wrong id: both are named
    assert all("points at the wrong paper" in f["message"] and "dedup --merge" not in f["message"] for f in lint)


finder_titles = st.sampled_from(["Seeing Is Believing", "seeing is believing!", "Another Paper", "Introduction"])
finder_ids = st.sampled_from([None, "2505.01234", "arXiv:2505.01234v2", "2505.01234v3", "2401.00002"])
finder_urls = st.sampled_from([None, "https://x.org/p", "http://www.x.org/p/", "https://y.org/q"])
finder_dois = st.sampled_from([None, "10.1/x", "10.1/X", "10.2/y"])
finder_entries = st.builds(lambda t, a, u, d: Entry(title=t, arxiv=a, url=u if u or a else "https://z.org/" + t[:3],
                                                    doi=d, date="2025-05"),
                           finder_titles, finder_ids, finder_urls, finder_dois)


@settings(max_examples=60, deadline=None)
@given(st.lists(finder_entries, min_size=2, max_size=6))
def test_lint_dedup_and_add_always_agree(items):
    from types import SimpleNamespace

    from vrlcat.add import duplicate_of
    from vrlcat.dedup import catalog_members, duplicate_groups, unresolved
    from vrlcat.lint import Context, run_rules
    from vrlcat.model import Catalog

    catalog = Catalog(sections=[Section(id="a", title="A", level=2, entries=items)])
    groups = duplicate_groups(catalog_members(catalog, lambda s: "a.yaml"), fuzzy=False)
    findings = run_rules(Context(catalog, "list.yaml", {"a": "a.yaml"}),
                         {"duplicate-arxiv", "duplicate-doi", "duplicate-url", "duplicate-title"})
    flagged = {id(m.entry) for g in groups for m in (g.members if g.kind == "conflict" else g.members[1:])}
    assert {id(f.target) for f in findings} == flagged
    assert any(f.severity == "error" for f in findings) == unresolved(groups)
    loaded = SimpleNamespace(catalog=Catalog(sections=[Section(id="a", title="A", level=2, entries=items[:-1])]),
                             display=str, section_path=lambda section_id: "a.yaml")
    joins = duplicate_groups(catalog_members(catalog, lambda s: "a.yaml"), fuzzy=False)
    refused = any(g.kind != "possible" and g.members[-1].entry is items[-1] for g in joins)
    assert (duplicate_of(loaded, items[-1]) is not None) == refused


def test_a_merge_keeps_both_notes_of_two_copies(run, tmp_path):
    """Two sections list one paper with different notes: after `dedup --merge -y` both notes are in the catalog."""
    root = tmp_path / "catalog"
    write(root / "list.yaml", "page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n  - {id: b, title: B, level: 2}\n")
    write(root / "sections" / "a.yaml", "entries:\n  - {title: Paper X, arxiv: '2403.11956', date: 2024-03, description: Note from A.}\n")
    write(root / "sections" / "b.yaml", "entries:\n  - {title: Paper X, arxiv: '2403.11956', date: 2024-03, description: Note from B.}\n")
    assert run("dedup", "--catalog", root, "--merge", "-y").exit_code == 0
    text = (root / "sections" / "a.yaml").read_text() + (root / "sections" / "b.yaml").read_text()
    assert "Note from A." in text and "Note from B." in text
