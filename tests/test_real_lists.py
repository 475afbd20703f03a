"""Real lists of the family come back byte for byte, and lint reads their meaning right."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import DATA, SEED, write
from vrlcat.dates import MONTH_NAMES, MONTHS
from vrlcat.importer import import_markdown

CORPUS = sorted((DATA / "corpus").glob("*.md"))
LISTS = [path for path in CORPUS if path.name != "README.md"] + [SEED]
MONTH_WORD = re.compile(r"^(?:%s)\b" % "|".join(MONTHS + MONTH_NAMES))


@pytest.mark.parametrize("path", LISTS, ids=[p.name for p in LISTS])
def test_import_then_render_gives_the_file_back(run, tmp_path, path: Path):
    catalog = tmp_path / "catalog"
    result = run("import", path, "--catalog", catalog)
    assert result.exit_code == 0, result.stderr
    assert "would change" not in result.stderr
    rendered = run("render", "--catalog", catalog).stdout_bytes
    assert rendered == path.read_bytes()


@pytest.mark.parametrize("path", LISTS, ids=[p.name for p in LISTS])
def test_no_month_is_read_as_a_venue(path: Path):
    catalog, _ = import_markdown(path.read_text(encoding="utf-8"))
    entries = [entry for _, entry in catalog.entries()]
    assert len(entries) > 100
    assert not [e.venue for e in entries if e.venue and MONTH_WORD.match(e.venue)]
    dated = [e for e in entries if e.date]
    assert len(dated) > 0.9 * len(entries)


def test_dates_and_venues_of_the_real_lists():
    llm4sr, _ = import_markdown((DATA / "corpus" / "du-nlp-lab+LLM4SR.md").read_text(encoding="utf-8"))
    by_nick = {e.nickname: e for _, e in llm4sr.entries() if e.nickname}
    assert (by_nick["SciMON"].date, by_nick["SciMON"].venue) == ("2023-05-23", "ACL 2024")
    assert by_nick["MOOSE"].venue == "ICML AI4Science Workshop Best Poster Award; ACL 2024"
    assert llm4sr.settings.date_style == "Mon. D, YYYY" and llm4sr.settings.bullet == "-"
    tokenizers, _ = import_markdown(
        (DATA / "corpus" / "lavinal712+Awesome-Visual-Tokenizers.md").read_text(encoding="utf-8"))
    first = next(e for _, e in tokenizers.entries())
    assert (first.arxiv, first.date, first.venue, first.url) == ("2511.12633", "2025-11-16", "arXiv", None)
    assert tokenizers.settings.arxiv_link == "https://arxiv.org/pdf/{id}"  # the list's own title links


OCT_LIST = """\
## Papers

- [Right Month](https://arxiv.org/abs/2510.00001) (Oct., 2025)
- [Wrong Month](https://arxiv.org/abs/2509.00002) (Oct., 2025)
- [Right Day](https://arxiv.org/abs/2510.00003) (Oct., 2025)
"""


def test_date_rules_read_month_comma_year_labels(run, tmp_path):
    source = write(tmp_path / "README.md", OCT_LIST)
    assert run("import", source, "--catalog", tmp_path / "catalog").exit_code == 0
    findings = json.loads(run("lint", "--catalog", tmp_path / "catalog", "--format", "json").stdout)
    mismatches = [f for f in findings if f["rule"] == "date-matches-arxiv"]
    assert [f["entry"] for f in mismatches] == ["2509.00002"]
    result = run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "date-matches-arxiv")
    assert result.exit_code == 0, result.stdout
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == OCT_LIST.replace(
        "(https://arxiv.org/abs/2509.00002) (Oct., 2025)", "(https://arxiv.org/abs/2509.00002) (Sep., 2025)")


def test_a_title_linking_to_the_project_page_is_not_a_paper_website(run, tmp_path):
    source = write(tmp_path / "README.md", "## Tools\n\n+ [Grid Lab](https://gridlab.example.org/) (2024)\n"
                   "  [![Website](https://img.shields.io/badge/Website-9cf)](https://gridlab.example.org/)\n")
    assert run("import", source, "--catalog", tmp_path / "catalog").exit_code == 0
    findings = json.loads(run("lint", "--catalog", tmp_path / "catalog", "--format", "json").stdout)
    assert "website-is-paper" not in {f["rule"] for f in findings}


def test_style_fixes_apply_one_rule_at_a_time(run, tmp_path):
    text = ("## Papers\n\n+ [One](https://arxiv.org/abs/2503.00001) (Mar. 2025)\n\n"
            "+ [Two](https://arxiv.org/pdf/2503.00002) (Mar 2025)\n"
            "+ [Three](https://arxiv.org/abs/2503.00003) (Mar. 2025)\n\n"
            "+ [Four](https://arxiv.org/abs/2503.00004) (Mar. 2025)\n")
    source = write(tmp_path / "README.md", text)
    assert run("import", source, "--catalog", tmp_path / "catalog").exit_code == 0
    findings = json.loads(run("lint", "--catalog", tmp_path / "catalog", "--format", "json").stdout)
    assert {f["rule"] for f in findings} == {"arxiv-link", "date-label-style", "entry-spacing"}
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "date-label-style").exit_code == 0
    after = source.read_text(encoding="utf-8")
    assert after == text.replace("(Mar 2025)", "(Mar. 2025)")
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "arxiv-link").exit_code == 0
    assert source.read_text(encoding="utf-8") == after.replace("/pdf/2503.00002", "/abs/2503.00002")
    fixed = after.replace("/pdf/", "/abs/")
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix").exit_code == 0  # house style: only when named
    assert source.read_text(encoding="utf-8") == fixed
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "entry-spacing").exit_code == 0
    assert source.read_text(encoding="utf-8") == fixed.replace("(Mar. 2025)\n+ [Three]", "(Mar. 2025)\n\n+ [Three]")
