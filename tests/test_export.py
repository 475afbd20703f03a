"""vrlcat export: read back by real parsers (bibtexparser, jsonschema, citeproc-py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest

from exportdata import tiny_catalog

SCHEMA = Path(__file__).parent / "data" / "csl-data.json"  # the CSL-JSON input schema, vendored


@pytest.fixture
def tiny(tmp_path) -> Path:
    return tiny_catalog(tmp_path / "catalog")


def export(run, catalog, *args):
    result = run("export", "--catalog", catalog, *args)
    assert result.exit_code == 0, result.stderr
    return result


def test_bibtex_parses_back_with_every_entry_once_and_unique_keys(run, tiny):
    result = export(run, tiny, "--format", "bibtex")
    library = bibtexparser.parse_string(result.stdout)
    assert library.failed_blocks == []
    keys = [entry.key for entry in library.entries]
    assert len(keys) == 6 and len(set(keys)) == 6  # 7 entries, one hidden; the cross-listed one once
    assert "2 of 6 entries have no authors" in result.stderr and "refresh --fill authors" in result.stderr


def test_bibtex_keys_are_author_year_word_with_suffixes_and_stable(run, tiny):
    first = export(run, tiny, "--format", "bibtex").stdout
    assert first == export(run, tiny, "--format", "bibtex").stdout
    titles = {e.key: e["title"] for e in bibtexparser.parse_string(first).entries}
    # three Feng 2025 papers whose first word ("A" skipped) is "visual": a, b, c by date
    assert titles["feng2025visuala"] == "{A Visual Thing}"
    assert titles["feng2025visualb"].startswith("{Visual Reasoning with RL")
    assert titles["feng2025visualc"] == "{Visual Reasoning Again}"
    assert titles["mononym2024robots"] == "{Robots Learn}" and "anon2024blog" in titles


def test_bibtex_fields_and_escaping(run, tiny):
    entries = {e.key: e for e in bibtexparser.parse_string(export(run, tiny, "--format", "bibtex").stdout).entries}
    cvpr = entries["feng2025visualb"]
    assert cvpr.entry_type == "inproceedings" and cvpr["booktitle"] == "CVPR 2025"
    assert cvpr["archivePrefix"] == "arXiv" and cvpr["doi"] == r"10.1000/xyz\_1"
    assert cvpr["title"] == r"{Visual Reasoning with RL: 100\% of \$x\_1\$ \& \{braces\} \#1 \textasciitilde{} " \
                            r"\textasciicircum{}}"
    assert cvpr["author"] == "Kaituo Feng and José Núñez"
    assert entries["feng2025visuala"].entry_type == "article" and entries["feng2025visuala"]["journal"] == "TPAMI 2025"
    old = next(e for e in entries.values() if e.fields_dict.get("eprint") and e["eprint"] == "hep-th/9901001")
    assert old["primaryClass"] == "hep-th" and old.entry_type == "misc"


def test_section_export_keeps_the_whole_catalog_keys_and_cross_listings(run, tiny):
    whole = {e["title"]: e.key for e in bibtexparser.parse_string(export(run, tiny).stdout).entries}
    robots = bibtexparser.parse_string(export(run, tiny, "--section", "robots").stdout).entries
    assert sorted(e["title"] for e in robots) == ["{Old Style Paper}", "{Robots Learn}"]
    assert all(whole[e["title"]] == e.key for e in robots)


def test_hidden_entries_only_when_asked(run, tiny):
    library = bibtexparser.parse_string(export(run, tiny, "--include-hidden").stdout)
    assert len(library.entries) == 7 and "{Hidden Paper}" in [e["title"] for e in library.entries]


def test_csl_json_is_valid_and_citeproc_formats_it(run, tiny, tmp_path):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    out = tmp_path / "refs.json"
    export(run, tiny, "--format", "csl-json", "-o", out)
    items = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(items, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(items) == 6 and {item["type"] for item in items} >= {"paper-conference", "article-journal", "article"}
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(line) for line in bibliography.bibliography()]
    assert len(rendered) == 6 and any("Feng" in line and "2025" in line for line in rendered)


def test_csv_and_json_tables(run, tiny):
    rows = list(csv.DictReader(io.StringIO(export(run, tiny, "--format", "csv").stdout)))
    data = json.loads(export(run, tiny, "--format", "json").stdout)
    assert len(rows) == len(data) == 6
    assert [r["key"] for r in rows] == [d["key"] for d in data]
    robots = next(r for r in rows if r["title"] == "Robots Learn")
    assert robots["section"] == "robots" and robots["authors"] == "Mononym" and robots["date"] == "2024-02-10"


def test_repository_list_exports_every_visible_entry(run, repo_catalog):
    from vrlcat.store import load_catalog

    visible = sum(1 for _, e in load_catalog(repo_catalog).catalog.entries() if not e.hidden)
    library = bibtexparser.parse_string(export(run, repo_catalog).stdout)
    assert library.failed_blocks == [] and len(library.entries) == visible
    assert len({e.key for e in library.entries}) == visible
