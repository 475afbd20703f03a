"""vrlcat lint: each rule finds its defect, --fix mends the mechanical ones, bad input never crashes."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, SEED, snapshot, write

LIST = """\
title: T
settings:
  sort: {by: date, order: desc}
page:
  - toc: {heading: Contents}
  - sections
sections:
  - id: papers
    title: Papers
    level: 2
"""
GOOD = """\
entries:
  # the newest paper
  - title: Good Paper
    arxiv: '2505.01234'
    date: 2025-05
    code: https://github.com/o/r
    website: https://good.example.org
  - title: Older Paper
    url: https://openreview.net/forum?id=x
    date: 2024-01
"""


@pytest.fixture
def catalog(tmp_path, run):
    root = tmp_path / "catalog"
    write(root / "list.yaml", LIST)
    write(root / "sections" / "papers.yaml", GOOD)
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    return root


def lint_json(run, catalog, *args):
    result = run("lint", "--catalog", catalog, "--format", "json", *args)
    return result, json.loads(result.stdout or "[]")


def test_a_clean_catalog_passes(run, catalog):
    result = run("lint", "--catalog", catalog)
    assert result.exit_code == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout


BAD_ENTRIES = {
    "date-missing": "  - title: A\n    arxiv: '2505.01234'\n",
    "date-unknown": "  - title: A\n    url: https://a.org/x\n",
    "date-range": "  - title: A\n    url: https://a.org/x\n    date: 1890-01\n",
    "date-matches-arxiv": "  - title: A\n    arxiv: '2505.01234'\n    date: 2025-03\n",
    "date-precision": "  - title: A\n    arxiv: '2505.01234'\n    date: '2025'\n",
    "arxiv-id": "  - title: A\n    arxiv: 'arXiv:2505.01234v2'\n    date: 2025-05\n",
    "badge-mislabelled": "  - title: A\n    url: https://ieee.org/d/1\n    date: 2025-05\n    badges:\n"
                         "      - '[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://ieee.org/d/1)'\n",
    "badge-mismatch": "  - title: A\n    arxiv: '2505.01234'\n    date: 2025-05\n    badges:\n"
                      "      - '[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2505.99999)'\n",
    "url-malformed": "  - title: A\n    url: hhttps://a.org/x\n    date: 2025-05\n",
    "url-scheme": "  - title: A\n    url: https://a.org/x\n    website: javascript:alert(1)\n    date: 2025-05\n",
    "url-insecure": "  - title: A\n    url: http://a.org/x\n    date: 2025-05\n",
    "code-url": "  - title: A\n    url: https://a.org/x\n    code: https://github.com/o/r.git\n    date: 2025-05\n",
    "website-is-paper": "  - title: A\n    arxiv: '2505.01234'\n    date: 2025-05\n    website: https://arxiv.org/abs/2505.01234\n",
    "title-whitespace": "  - title: ' A  Paper'\n    url: https://a.org/x\n    date: 2025-05\n",
    "title-brackets": "  - title: 'A (Paper'\n    url: https://a.org/x\n    date: 2025-05\n",
    "title-curly-quotes": "  - title: 'Don\u2019t'\n    url: https://a.org/x\n    date: 2025-05\n",
    "schema": "  - title: A\n    url: https://a.org/x\n    date: 2025-05\n    cod: https://github.com/o/r\n",
}


@pytest.mark.parametrize("rule", sorted(BAD_ENTRIES))
def test_each_entry_rule_finds_its_defect(run, catalog, rule):
    write(catalog / "sections" / "papers.yaml", GOOD + BAD_ENTRIES[rule])
    result, findings = lint_json(run, catalog, "--ignore", "sort-order,readme-stale")
    hits = [f for f in findings if f["rule"] == rule]
    assert hits, findings
    assert hits[0]["path"].endswith("papers.yaml") and hits[0]["line"] >= 11
    assert set(hits[0]) == {"rule", "severity", "path", "line", "entry", "message", "fixable"}
    assert result.exit_code == (1 if any(f["severity"] == "error" for f in findings) else 0)


# Forms real lists write on purpose (VARIANTS.md): none of them is an error.
FINE_ENTRIES = {
    "a title with the word 'data:'": "  - title: 'Bridge data: Boosting Generalization'\n    arxiv: '2109.13396'\n"
                                     "    date: 2021-09\n",
    "a tool with no date": "  - title: Grid Lab\n    url: https://gridlab.example.org/\n",
    "a code link with a trailing slash": "  - title: A\n    arxiv: '2504.01234'\n    date: 2025-04\n"
                                         "    code: https://github.com/o/r/\n",
}


@pytest.mark.parametrize("form", sorted(FINE_ENTRIES))
def test_forms_real_lists_use_are_no_errors(run, catalog, form):
    write(catalog / "sections" / "papers.yaml", GOOD + FINE_ENTRIES[form])
    result, findings = lint_json(run, catalog, "--ignore", "sort-order,readme-stale")
    assert [f for f in findings if f["severity"] == "error"] == [] and result.exit_code == 0, findings


def test_a_section_holding_only_text_a_table_or_cross_listed_entries_is_not_empty(run, catalog):
    write(catalog / "list.yaml", LIST + "    children:\n      - id: start\n        title: Start here\n        level: 4\n"
          "        description: '| goal | read |\\n|---|---|\\n| reward | [A](#a) |'\n"
          "      - id: empty\n        title: Empty\n        level: 4\n"
          "      - id: shared\n        title: Shared\n        level: 4\n")
    write(catalog / "sections" / "papers.yaml", GOOD.replace("    date: 2025-05\n", "    date: 2025-05\n"
                                                             "    also_in: [shared]\n", 1))
    _, findings = lint_json(run, catalog)
    assert [f["message"] for f in findings if f["rule"] == "section-empty"] == [
        "section 'empty' has no entries, no subsections and no text"]


def test_duplicates_by_id_doi_and_title(run, catalog):
    write(catalog / "sections" / "papers.yaml", GOOD
          + "  - title: Good  paper\n    url: https://b.org\n    date: 2023-01\n    doi: 10.1/x\n"
          + "  - title: Other\n    arxiv: '2505.01234'\n    date: 2023-01\n    doi: 10.1/X\n")
    _, findings = lint_json(run, catalog)
    rules = {f["rule"] for f in findings}
    assert {"duplicate-title", "duplicate-arxiv", "duplicate-doi"} <= rules
    wrong = next(f for f in findings if f["rule"] == "duplicate-arxiv")
    assert "points at the wrong paper" in wrong["message"]


def test_section_rules(run, catalog):
    write(catalog / "list.yaml", LIST + "    children:\n      - id: empty\n        title: Empty\n        level: 4\n"
          + "      - id: rocket\n        title: \"🚀\"\n        level: 3\n")
    write(catalog / "sections" / "gone.yaml", GOOD)
    _, findings = lint_json(run, catalog)
    rules = {f["rule"] for f in findings}
    assert {"section-empty", "heading-level", "toc-reachable", "orphan-file", "readme-stale"} <= rules


def test_sort_order_names_the_first_misplaced_entry(run, catalog):
    write(catalog / "sections" / "papers.yaml", GOOD + "  - title: Newest\n    url: https://n.org\n    date: 2026-01\n")
    _, findings = lint_json(run, catalog)
    [finding] = [f for f in findings if f["rule"] == "sort-order"]
    assert finding["entry"] == "2505.01234" and "position 2, not 1" in finding["message"]


def test_rules_can_be_switched_off_per_entry_and_per_list(run, catalog):
    write(catalog / "sections" / "papers.yaml", GOOD + BAD_ENTRIES["date-matches-arxiv"].replace(
        "    date: 2025-03\n", "    date: 2025-03\n    lint-ignore: [date-matches-arxiv]\n").replace("'2505.01234'", "'2505.04321'"))
    _, findings = lint_json(run, catalog, "--ignore", "sort-order,readme-stale")
    assert not [f for f in findings if f["rule"] == "date-matches-arxiv"]
    write(catalog / "sections" / "papers.yaml", GOOD + BAD_ENTRIES["title-curly-quotes"])
    write(catalog / "list.yaml", LIST.replace("settings:\n", "settings:\n  lint_ignore: [title-curly-quotes]\n"))
    _, findings = lint_json(run, catalog, "--ignore", "sort-order,readme-stale")
    assert not [f for f in findings if f["rule"] == "title-curly-quotes"]


def test_formats_and_exit_codes(run, catalog):
    write(catalog / "sections" / "papers.yaml", GOOD + BAD_ENTRIES["url-malformed"] + BAD_ENTRIES["url-insecure"].replace("A", "B"))
    text = run("lint", "--catalog", catalog, "--ignore", "readme-stale,sort-order")
    assert text.exit_code == 1
    assert text.stdout.splitlines()[0].endswith("papers.yaml")
    assert "error    url-malformed" in text.stdout and "\x1b[" not in text.stdout
    github = run("lint", "--catalog", catalog, "--format", "github", "--select", "url-insecure")
    assert github.exit_code == 0  # warnings only
    assert github.stdout.startswith("::warning file=") and ",title=url-insecure::url http%3A" not in github.stdout
    assert ",line=15,title=url-insecure::url http://a.org/x uses http" in github.stdout
    assert run("lint", "--catalog", catalog, "--select", "no-such-rule").exit_code == 2


def test_fix_mends_keeps_comments_and_is_idempotent(run, catalog):
    bad = "".join(BAD_ENTRIES[r].replace("title: A", f"title: A {n}").replace("'2505.01234'", f"'2505.0{n}000'")
                  .replace("a.org/x", f"a.org/{n}")  # one link per paper: a shared one is a duplicate
                  for n, r in enumerate(["date-matches-arxiv", "url-malformed", "code-url", "title-whitespace",
                                         "title-curly-quotes", "url-insecure", "badge-mislabelled"], 1))
    write(catalog / "sections" / "papers.yaml", GOOD + bad)
    result = run("lint", "--catalog", catalog, "--fix")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "fixed " in result.stderr and "url-malformed" in result.stderr
    text = (catalog / "sections" / "papers.yaml").read_text()
    assert "  # the newest paper\n" in text
    assert "hhttps" not in text and ".git" not in text and "http://" not in text
    assert text.count("- title:") == 9  # nothing deleted
    assert "date: 2025-05" in text
    before = snapshot(catalog.parent)
    again = run("lint", "--catalog", catalog, "--fix")
    assert again.exit_code == 0 and "fixed" not in again.stderr
    assert snapshot(catalog.parent) == before


def test_fix_moves_a_venue_year_out_of_the_date(run, catalog):
    write(catalog / "sections" / "papers.yaml", GOOD + "  - title: C\n    arxiv: '2305.15260'\n    date: '2024'\n    venue: NeurIPS\n")
    assert run("lint", "--catalog", catalog, "--fix").exit_code == 0
    rendered = (catalog.parent / "README.md").read_text()
    assert "[C](https://arxiv.org/abs/2305.15260) (May. 2023, NeurIPS 2024)" in rendered


def test_lint_a_markdown_list_before_adopting_vrlcat(run):
    result = run("lint", SEED, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    by_rule = {}
    for finding in findings:
        by_rule.setdefault(finding["rule"], []).append(finding)
    assert any(f["line"] == 748 for f in by_rule["url-malformed"])  # the hhttps:// link
    assert any(f["entry"] == "2505.18129" and f["line"] == 133 for f in by_rule["date-matches-arxiv"])
    assert {f["path"] for f in findings} == {str(SEED)}
    assert any(f["line"] == 760 for f in by_rule["import-raw"])  # the commented-out FLaRe title line
    assert "readme-stale" not in by_rule


@pytest.mark.parametrize("value", ["42", "[1, 2]", "{a: 1}", "''", "'x' ", "null", "true", "'" + "A" * 100_000 + "'",
                                   "'<script>alert(1)</script> [x](javascript:y) -->'", "'标题 🚀 ﬁ'"])
def test_lint_never_crashes_on_a_parseable_catalog(run, catalog, value):
    fields = ["title", "arxiv", "url", "date", "venue", "code", "website", "badges", "authors", "doi",
              "also_in", "hidden", "lint-ignore"]
    entries = ""
    for n, key in enumerate(fields):
        entry = {"title": f"T{n}", "url": f"https://a.org/{n}", key: value}
        entries += "  - " + "\n    ".join(f"{k}: {v}" for k, v in entry.items()) + "\n"
    write(catalog / "sections" / "papers.yaml", GOOD + entries + f"  - {value}\n")
    result = run("lint", "--catalog", catalog, "--format", "json")
    assert result.exit_code in (0, 1)
    assert isinstance(json.loads(result.stdout), list)
def test_the_repository_catalog_is_clean(run, tmp_path):
    result = run("lint", "--catalog", REPO / "catalog")
    assert result.exit_code == 0, result.stdout


def test_fix_on_the_imported_seed_converges_in_one_run_and_keeps_every_entry(run, seed_catalog):
    from vrlcat.store import load_catalog

    before = sum(1 for _ in load_catalog(seed_catalog).catalog.entries())
    assert run("lint", "--catalog", seed_catalog, "--fix").exit_code == 1  # duplicates remain: dedup's job
    after_first = snapshot(seed_catalog.parent)
    again = run("lint", "--catalog", seed_catalog, "--fix")
    assert not [line for line in again.stderr.splitlines() if line.startswith("fixed ")]
    assert snapshot(seed_catalog.parent) == after_first
    assert sum(1 for _ in load_catalog(seed_catalog).catalog.entries()) == before
    remaining = {f["rule"] for f in json.loads(run("lint", "--catalog", seed_catalog, "--format", "json").stdout)}
    # what is left: duplicates for dedup, date fixes held back because a duplicate's id may be wrong, the
    # house-style rules, and fixes to entries kept as written (both only when named with --select)
    assert remaining <= {"duplicate-arxiv", "duplicate-title", "date-missing", "date-unknown", "badge-mislabelled",
                         "date-matches-arxiv", "date-precision", "url-scheme", "url-malformed", "entry-style",
                         "entry-spacing", "arxiv-link", "date-label-style"}


def test_fix_changes_only_the_keys_it_mends(run, catalog):
    text = GOOD.replace("    date: 2025-05\n", "    date: 2025-03   # typed by hand\n    venue: \"ICML\"\n")
    write(catalog / "sections" / "papers.yaml", text)
    run("render", "--catalog", catalog, "-o", catalog.parent / "README.md")
    assert run("lint", "--catalog", catalog, "--fix", "--select", "date-matches-arxiv").exit_code == 0
    after = (catalog / "sections" / "papers.yaml").read_text()
    assert after == text.replace("    date: 2025-03   # typed by hand", "    date: 2025-05   # typed by hand")


@pytest.mark.parametrize("odd", ["    cod: https://github.com/o/r2\n", "    hidden: 'yes'\n"])
def test_fix_refuses_to_rewrite_a_file_with_schema_problems(run, catalog, odd):
    text = GOOD.replace("    date: 2025-05\n", "    date: 2025-03\n") + "  - title: Third\n    url: https://t.org\n" \
        + "    date: 2023-01\n" + odd
    write(catalog / "sections" / "papers.yaml", text)
    result = run("lint", "--catalog", catalog, "--fix")
    assert result.exit_code == 2 and "fix that first" in result.stderr and "Traceback" not in result.stderr
    assert (catalog / "sections" / "papers.yaml").read_text() == text


@pytest.mark.parametrize("by, order", [("date", "desc"), ("date", "asc"), ("title", "asc"), ("title", "desc"),
                                       ("added", "desc"), ("added", "asc")])
def test_fix_converges_for_every_sort_setting(run, catalog, by, order):
    write(catalog / "list.yaml", LIST.replace("sort: {by: date, order: desc}", f"sort: {{by: {by}, order: {order}}}"))
    write(catalog / "sections" / "papers.yaml", GOOD + "  - title: A Newest\n    url: https://n.org\n"
          "    date: 2026-01\n")
    run("lint", "--catalog", catalog, "--fix")
    first = (catalog / "sections" / "papers.yaml").read_text()
    again = run("lint", "--catalog", catalog, "--fix")
    assert "fixed" not in again.stderr
    assert (catalog / "sections" / "papers.yaml").read_text() == first
    assert run("sort", "--catalog", catalog, "--check").exit_code == 0


def test_a_fix_never_builds_on_a_field_another_finding_calls_wrong(run, catalog):
    write(catalog / "sections" / "papers.yaml", "entries:\n"
          "  - {title: Seeing Is Believing, arxiv: '2505.01234', date: 2025-05}\n"
          "  - {title: A Different Paper Entirely, arxiv: '2505.01234', date: 2024-01}\n"
          "  - {title: Alone, arxiv: '2503.04321', date: 2024-01}\n")
    result = run("lint", "--catalog", catalog, "--fix", "--select", "date-matches-arxiv")
    assert "not fixed" in result.stderr and "duplicate-arxiv calls wrong" in result.stderr
    text = (catalog / "sections" / "papers.yaml").read_text()
    assert "arxiv: '2505.01234', date: 2024-01}" in text  # the id may be the wrong one: its date is left alone
    assert "{title: Alone, arxiv: '2503.04321', date: 2025-03}" in text or "date: 2025-03" in text


def test_an_id_mended_in_the_same_run_is_used(run, catalog):
    from vrlcat.store import load_catalog

    write(catalog / "sections" / "papers.yaml", "entries:\n  - {title: T, arxiv: 'arXiv:2501.00001v2'}\n")
    result = run("lint", "--catalog", catalog, "--fix")
    assert "Traceback" not in result.stderr
    entry = load_catalog(catalog).catalog.section("papers").entries[0]
    assert (entry.arxiv, entry.date) == ("2501.00001", "2025-01")


def test_a_script_link_in_any_field_is_reported(run, catalog):
    write(catalog / "sections" / "papers.yaml", "entries:\n"
          "  - title: T\n    url: https://t.org\n    date: 2024-01\n"
          "    badges: ['[![x](https://img.shields.io/badge/x-red)](javascript:alert(1))']\n"
          "    description: 'see [this](data:text/html,hi)'\n"
          "  - title: 'javascript:alert(1)'\n    url: https://u.org\n    date: 2024-01\n")
    _, findings = lint_json(run, catalog)
    hits = {f["message"].split(" ")[0] for f in findings if f["rule"] == "url-scheme"}
    assert hits == {"badges", "description", "title"}


def test_a_bad_link_kept_in_both_the_description_and_the_source_is_named_once(run, catalog):
    broken = "[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]([![arXiv](https://img.shields.io/badge/x.svg)](https://arxiv.org/abs/2401.00001))"
    write(catalog / "sections" / "papers.yaml", GOOD + "  - title: A\n    arxiv: '2401.00001'\n    date: 2024-01\n"
          f"    description: '{broken}'\n    source: \"+ [A](https://arxiv.org/abs/2401.00001) (Jan. 2024)\\n  {broken}\"\n")
    _, findings = lint_json(run, catalog, "--select", "url-scheme")
    assert len(findings) == 1 and "not a web link" in findings[0]["message"]
