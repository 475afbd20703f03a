"""The CLI's conventions: short flags, help with examples and environment, rules, did-you-mean, cache cap."""

from __future__ import annotations

import json
import re

import typer

from conftest import one_section_catalog
from vrlcat.cachecap import evict_oldest
from vrlcat.cli import app
from vrlcat.environment import NUMBERS


def test_short_flags_version_and_completion(run):
    assert run("-V").stdout.startswith("vrlcat ")
    assert "Usage" in run("-h").stdout and "Usage" in run("lint", "-h").stdout
    assert "--install-completion" in run("--help").stdout and "--show-completion" in run("--help").stdout


def test_every_command_has_an_example_and_no_placeholder(run):
    help_text = run("--help").stdout
    for name in ["VRLCAT_CATALOG", "VRLCAT_CACHE_DIR", "VRLCAT_ARXIV_API", "VRLCAT_HF_API", "VRLCAT_GITHUB_API",
                 "GITHUB_TOKEN", "VRLCAT_ALLOW_PRIVATE", "NO_COLOR", *NUMBERS]:
        assert name in help_text, name
    for name in typer.main.get_command(app).commands:
        text = run(name, "--help").stdout
        assert "Example: vrlcat " in text, name
        assert "<str>" not in text and "<path>" not in text and "{markdown}" not in text, name
        assert not re.search(r"\w+:<", text), name  # a parameter's Python name and type, not what to type


def test_rules_lists_every_rule(run):
    rows = json.loads(run("rules", "--format", "json").stdout)
    assert {"id", "severity", "fixable", "description"} <= set(rows[0])
    assert any(r["id"] == "readme-stale" and r["fixable"] for r in rows)


def test_select_typo_gets_a_suggestion(run, seed_catalog):
    result = run("lint", "--catalog", seed_catalog, "--select", "date-mising")
    assert result.exit_code == 2
    assert "did you mean 'date-missing'" in result.stderr and "vrlcat rules" in result.stderr
    assert "lint-rules.md" not in result.stderr


def test_add_section_typo_is_refused_before_any_request(run, services, seed_catalog):
    sections = json.loads(run("sections", "--catalog", seed_catalog, "--format", "json").stdout)
    wrong = sections[0]["id"][:-1]
    result = run("add", "--catalog", seed_catalog, "2501.00001", "--section", wrong)
    assert result.exit_code == 2 and f"did you mean '{sections[0]['id']}'" in result.stderr
    assert not services.requests


def test_cache_keeps_under_its_cap_evicting_the_oldest(tmp_path):
    import os

    for n in range(5):
        path = tmp_path / f"{n}.json"
        path.write_bytes(b"x" * 100)
        os.utime(path, ns=(n * 10**9, n * 10**9))
    removed = evict_oldest(tmp_path, limit=250)
    assert [p.name for p in removed] == ["0.json", "1.json", "2.json"]


def test_rule_ids_are_read_in_any_case_and_an_empty_selection_is_refused(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", "entries:\n  - title: A\n    arxiv: '2505.01234'\n")
    upper = run("lint", "--catalog", root, "--select", "DATE-MISSING", "--format", "json")
    assert [f["rule"] for f in json.loads(upper.stdout)] == ["date-missing"]
    empty = run("lint", "--catalog", root, "--select", "")
    assert empty.exit_code == 2 and "--select: no rule id given" in empty.stderr


def test_sort_by_title_defaults_to_a_to_z(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", "entries:\n  - {title: Beta, url: 'https://b.org/x', date: 2025-01}\n"
                               "  - {title: Alpha, url: 'https://a.org/x', date: 2025-02}\n")
    result = run("sort", "--catalog", root, "--by", "title")
    assert "settings.sort is now title asc" in result.stdout
    text = (root / "sections" / "a.yaml").read_text()
    assert text.index("Alpha") < text.index("Beta")


def test_quiet_and_verbose_work_after_the_command_name_too(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", "entries:\n  - {title: Beta, url: 'https://b.org/x', date: 2025-01}\n"
                               "  - {title: Alpha, url: 'https://a.org/x', date: 2025-02}\n")
    assert run("sort", "--catalog", root, "--by", "title", "-q").stdout == ""
    assert "catalog: " in run("lint", "--catalog", root, "-v").stderr
    assert "catalog: " not in run("lint", "--catalog", root).stderr  # and it does not stick to the next command
