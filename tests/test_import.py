"""Import survives every shape a hand-edited list takes, and drops nothing."""

from __future__ import annotations

import json
import re

from conftest import SEED, snapshot, write
from hypothesis import given, settings
from hypothesis import strategies as st

from vrlcat.importer import import_markdown
from vrlcat.render import render

LIST = """\
# My Awesome List

Intro text with a [link](https://example.org).

## Contents
- [Papers](#papers)
  - [Vision](#vision)

## Papers

### 🚀 Vision
Some words about vision.

- [Abs Paper](https://arxiv.org/abs/2401.00001v2) (Jan. 2024)
  [![Website](https://img.shields.io/badge/Website-9cf)](https://abs.example)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/pdf/2401.00001)
  [![HF](https://img.shields.io/badge/HF-yellow)](https://huggingface.co/x)

* [Pdf Paper](http://www.arxiv.org/pdf/2402.00002.pdf?) (2024, ICML)
  [![Star](https://img.shields.io/github/stars/o/r.svg?style=social&label=Star)](https://github.com/o/r)

+ [Broken Link](hhttps://arxiv.org/abs/2403.00003) (ICRA 2025)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2403.00003)

+ [Nature Paper](https://www.nature.com/articles/x.pdf) (2025, Nature)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://www.nature.com/articles/x.pdf)

+ [Wrong Badge](https://arxiv.org/abs/2404.00004) (Jun. 2024, NeurIPS 2024)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2404.99999)
stray words

<!-- + [Hidden Paper](https://arxiv.org/abs/2405.00005) (May. 2024)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2405.00005) -->

<!-- a comment that is not an entry -->

#### Deeper
+ [Course](https://example.org/course) (Hugging Face)

```
+ [Not An Entry](https://arxiv.org/abs/2406.00006) (Jun. 2024)
```

## Thanks
Thanks to all.
"""


def entries_by_title(catalog):
    return {entry.title: entry for _, entry in catalog.entries()}


def test_links_badges_and_labels_of_every_form():
    catalog, report = import_markdown(LIST)
    entries = entries_by_title(catalog)
    abs_paper = entries["Abs Paper"]
    assert (abs_paper.arxiv, abs_paper.url, abs_paper.date) == ("2401.00001", None, "2024-01")
    assert abs_paper.website == "https://abs.example"
    assert abs_paper.badges == ["[![HF](https://img.shields.io/badge/HF-yellow)](https://huggingface.co/x)"]
    pdf = entries["Pdf Paper"]
    assert (pdf.arxiv, pdf.date, pdf.venue, pdf.code) == ("2402.00002", "2024", "ICML", "https://github.com/o/r")
    broken = entries["Broken Link"]
    assert (broken.arxiv, broken.url, broken.date, broken.venue) == (
        "2403.00003", "hhttps://arxiv.org/abs/2403.00003", "2025", "ICRA 2025")
    nature = entries["Nature Paper"]
    assert nature.arxiv is None and nature.url == "https://www.nature.com/articles/x.pdf"
    assert nature.badges == ["[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://www.nature.com/articles/x.pdf)"]
    wrong = entries["Wrong Badge"]
    assert wrong.arxiv == "2404.00004" and "2404.99999" in wrong.badges[0]
    assert (wrong.date, wrong.venue) == ("2024-06", "NeurIPS 2024")
    assert entries["Course"].venue == "Hugging Face" and entries["Course"].date is None


def test_commented_out_entries_are_hidden_entries():
    catalog, report = import_markdown(LIST)
    hidden = entries_by_title(catalog)["Hidden Paper"]
    assert hidden.hidden and hidden.arxiv == "2405.00005"
    assert report.hidden == 1 and report.entries == 6
    assert "<!-- + [Hidden Paper](https://arxiv.org/abs/2405.00005) (May. 2024)" in render(catalog)


def test_section_tree_toc_and_prose():
    catalog, _ = import_markdown(LIST)
    assert catalog.title == "My Awesome List"
    [papers] = catalog.sections
    assert papers.id == "papers" and [c.id for c in papers.children] == ["vision"]
    vision = papers.children[0]
    assert vision.title == "🚀 Vision" and vision.description == "Some words about vision."
    assert [c.id for c in vision.children] == ["deeper"]
    text = render(catalog)
    assert "## Contents\n\n- [Papers](#papers)\n  - [🚀 Vision](#-vision)\n    - [Deeper](#deeper)\n" in text
    assert text.endswith("## Thanks\nThanks to all.\n")


def test_what_cannot_be_structured_is_kept_and_reported():
    catalog, report = import_markdown(LIST)
    vision = catalog.sections[0].children[0]
    assert "stray words" in vision.notes
    assert "<!-- a comment that is not an entry -->" in vision.notes
    fence = [n for n in catalog.sections[0].children[0].children[0].notes if n.startswith("```")]
    assert fence and "Not An Entry" in fence[0]
    assert report.raw_blocks == 3
    assert [line for line, _ in report.warnings] == [30, 35, 40]


def test_nothing_in_the_seed_is_dropped():
    """Every line that is not an entry, a badge or a contents link survives verbatim."""
    seed = SEED.read_text(encoding="utf-8")
    catalog, _ = import_markdown(seed)
    rendered = render(catalog)
    toc_link = re.compile(r"^- \[[^\]]+\]\(#[^)]+\)$")
    for line in seed.splitlines():
        text = line.strip()
        if not text or text.startswith(("+ [", "[![", "<!-- + [")) or toc_link.match(text):
            continue
        assert text in rendered, line


def test_seed_summary(run, tmp_path):
    result = run("import", SEED, "--catalog", tmp_path / "c")
    assert result.exit_code == 0
    assert "29 sections, 180 entries, 5 hidden entries, 8 raw blocks, 9 warnings" in result.stdout
    assert "seed.md:898: kept text an entry could not hold" in result.stderr
    assert "nested under 'Benchmarks environments and datasets with Visual RL'" in result.stderr


def test_heading_missing_from_the_contents_is_nested_under_its_predecessor():
    catalog, _ = import_markdown(SEED.read_text(encoding="utf-8"))
    bench = catalog.section("benchmarks-environments-and-datasets-with-visual-rl")
    assert [c.id for c in bench.children] == ["mllm", "multi-agent"]
    assert catalog.section("multi-agent").level == 3  # kept as written; lint reports it


def test_import_refuses_to_overwrite_a_catalog(run, seed_catalog):
    before = snapshot(seed_catalog)
    result = run("import", SEED, "--catalog", seed_catalog)
    assert result.exit_code == 2
    assert "pass --force" in result.stderr
    assert snapshot(seed_catalog) == before


def test_any_list_in_the_badge_style_imports(tmp_path, run):
    source = write(tmp_path / "other.md", "# Other\n\n## Papers\n\n- [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n")
    result = run("import", source, "--catalog", tmp_path / "cat")
    assert result.exit_code == 0
    rendered = run("render", "--catalog", tmp_path / "cat").stdout
    assert "+ [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n  [![arXiv]" in rendered


def test_a_flat_list_without_section_headings(run, tmp_path):
    source = write(tmp_path / "flat.md", "# Flat\n\nSome intro.\n\n- [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n"
                   "- [B](https://arxiv.org/abs/2501.00002) (Jan. 2025)\n\n## Thanks\n\nbye\n")
    assert run("import", source, "--catalog", tmp_path / "c").exit_code == 0
    rendered = run("render", "--catalog", tmp_path / "c").stdout
    assert rendered.startswith("# Flat\n\nSome intro.\n\n+ [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n")
    assert rendered.endswith("## Thanks\n\nbye\n") and "\n##  \n" not in rendered
    findings = run("lint", "--catalog", tmp_path / "c", "--ignore", "readme-stale", "--format", "json").stdout
    assert json.loads(findings) == []


SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
ODD_LINES = ["- [X](#x)", "* [Y](https://a.b) - desc", "+ [Z](https://arxiv.org/abs/2501.00001) (open label",
             "<!--", "-->", "```", "# H1", "###### deep", "+ ", "  [![arXiv](x)](y)", "1. numbered", "> quote",
             "| a | b |", "[ref]: https://x.y", "<div>", "\t+ [T](https://arxiv.org/abs/2501.00002) (Jan. 2025)"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES + ODD_LINES), max_size=60))
def test_any_mix_of_list_lines_imports_and_render_is_a_fixed_point(chosen):
    first, _ = import_markdown("\n".join(chosen) + "\n")
    rendered = render(first)
    second, _ = import_markdown(rendered)
    assert render(second) == rendered
