"""Live counts in prose: render fills the marker pairs; nothing else is ever read as a count."""

from __future__ import annotations

from conftest import SEED, write
from exportdata import LIST, tiny_catalog


def test_render_fills_counts_and_keeps_them_fresh(run, tmp_path):
    catalog = tiny_catalog(tmp_path / "catalog")
    rendered = run("render", "--catalog", catalog).stdout
    assert ("Intro <!-- vrlcat:counts {papers} papers in {sections} sections -->6 papers in 4 sections"
            "<!-- /vrlcat:counts -->") in rendered
    robots = catalog / "sections" / "robots.yaml"
    robots.write_text(robots.read_text() + "  - {title: New One, arxiv: '2501.00009', date: 2025-01}\n")
    assert "-->7 papers in 4 sections<!--" in run("render", "--catalog", catalog).stdout


def test_badge_and_section_counts(tmp_path, run):
    root = tiny_catalog(tmp_path / "catalog")
    badge = ("<!-- vrlcat:counts ![Papers](https://img.shields.io/badge/Papers-{papers}-blue) {papers:vision} on "
             "vision, {with_code} with code, newest {newest} -->old<!-- /vrlcat:counts -->")
    write(root / "list.yaml", LIST.replace("  - sections\n", f"  - sections\n  - text: '{badge}'\n"))
    rendered = run("render", "--catalog", root).stdout
    assert "-->![Papers](https://img.shields.io/badge/Papers-6-blue) 5 on vision, 1 with code, newest 2025-04" \
           "<!-- /vrlcat:counts -->" in rendered


def test_unknown_count_is_an_error_naming_the_file(tmp_path, run):
    root = tiny_catalog(tmp_path / "catalog")
    write(root / "prose" / "intro.md", "<!-- vrlcat:counts {authors} -->x<!-- /vrlcat:counts -->\n")
    write(root / "list.yaml", LIST.replace("  - sections\n", "  - sections\n  - file: prose/intro.md\n"))
    result = run("render", "--catalog", root)
    assert result.exit_code == 2 and "prose/intro.md" in result.stderr and "unknown count {authors}" in result.stderr


def test_import_never_reads_a_list_text_as_a_count(run, tmp_path):
    """Braces, numbers and other comments in a real list stay as written: the round trip is byte-identical."""
    page = SEED.read_text(encoding="utf-8") + (
        "\nWe track {papers} papers <!-- 235 papers --> in {sections} sections. "
        "<!-- vrlcat:count papers -->235<!-- /vrlcat:count --> <!-- vrlcat:counts {papers} -->\n")
    source = write(tmp_path / "README.md", page)
    catalog = tmp_path / "catalog"
    assert run("import", source, "--catalog", catalog).exit_code == 0
    assert run("render", "--catalog", catalog).stdout == page
