"""Import survives every shape a hand-edited list takes, and drops nothing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED, snapshot, write
from test_variants import ENTRY_VARIANTS
from vrlcat.entryread import read_entry
from vrlcat.errors import VrlcatError
from vrlcat.importer import import_markdown
from vrlcat.render import render
from vrlcat.store import catalog_files, load_catalog, write_files_atomically

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


def test_the_first_render_is_the_list_itself():
    catalog, report = import_markdown(LIST)
    assert render(catalog) == LIST
    assert report.lines_identical == report.lines == LIST.count("\n")


def test_links_badges_and_labels_of_every_form():
    catalog, report = import_markdown(LIST)
    entries = entries_by_title(catalog)
    abs_paper = entries["Abs Paper"]
    assert (abs_paper.arxiv, abs_paper.url, abs_paper.date) == ("2401.00001", "https://arxiv.org/abs/2401.00001v2",
                                                                "2024-01")
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
    assert wrong.description == "stray words"  # a lazy continuation line belongs to the item
    assert entries["Course"].venue == "Hugging Face" and entries["Course"].date is None


def test_commented_out_entries_are_hidden_entries():
    catalog, report = import_markdown(LIST)
    hidden = entries_by_title(catalog)["Hidden Paper"]
    assert hidden.hidden and hidden.arxiv == "2405.00005"
    assert report.hidden == 1 and report.entries == 6


def test_section_tree_toc_and_prose():
    catalog, _ = import_markdown(LIST)
    [papers] = catalog.sections
    assert papers.id == "papers" and [c.id for c in papers.children] == ["vision"]
    vision = papers.children[0]
    assert vision.title == "🚀 Vision" and vision.description == "Some words about vision."
    assert [c.id for c in vision.children] == ["deeper"]
    toc = catalog.page[1]
    assert toc.heading == "Contents" and toc.text == "## Contents\n- [Papers](#papers)\n  - [Vision](#vision)"


def test_what_cannot_be_structured_keeps_its_place_and_is_reported():
    catalog, report = import_markdown(LIST)
    vision = catalog.sections[0].children[0]
    [(comment, position)] = vision.raw_positions()
    assert comment.text == "<!-- a comment that is not an entry -->" and position == 6  # after the hidden entry
    [(fence, _)] = vision.children[0].raw_positions()
    assert fence.text.startswith("```") and "Not An Entry" in fence.text
    assert report.raw_blocks == 2
    assert [line for line, _ in report.warnings] == [35, 40]


PAPERS_AS_TEXT = """\
# A list

- 🔥 Our survey is out: [read it](https://arxiv.org/abs/2408.16357) now

## Papers

+ Read [the survey](https://arxiv.org/abs/2401.00001) first

## Read

+ [Read Paper](https://arxiv.org/abs/2501.00001) (Jan. 2025)
+ See also [Stable Bias](https://arxiv.org/abs/2303.11408), a study
"""


def test_every_paper_kept_as_text_is_named_wherever_it_lands(run, tmp_path):
    """Items import cannot read round-trip as text; each that links to a paper is named, in the
    intro, in a section of its own or among entries."""
    catalog, report = import_markdown(PAPERS_AS_TEXT)
    assert render(catalog) == PAPERS_AS_TEXT
    assert report.entries == 1 and report.papers_as_text == 3
    assert [line for line, message in report.warnings if "looks like a paper" in message] == [3, 7, 12]
    source = write(tmp_path / "list.md", PAPERS_AS_TEXT)
    result = run("import", source, "--catalog", tmp_path / "catalog")
    assert "3 list items that look like papers are kept as text" in result.stdout
    assert "list.md:7: line 7 looks like a paper but is not read as an entry" in result.stderr


LINK_ROWS = """\
## Papers

1. **HIGGS: Hierarchy-Guided Graph Stream Summarization.** ICDE 2025 [[paper]](https://arxiv.org/abs/2412.15516)
   *Xuan Zhao, Xike Xie.*
2. **LSGraph: A Streaming Graph Engine.** EuroSys 2024 [[paper]](https://dl.acm.org/doi/10.1145/3627703.3650076)

## World models

- [**ViDAR**] Visual Point Cloud Forecasting. **`CVPR 2024`** [[Paper](https://arxiv.org/abs/2312.17655)] [[Code](https://github.com/OpenDriveLab/ViDAR)]
- World Models for Driving: A Survey. **`2024.3, arxiv`** [[Paper](https://arxiv.org/abs/2403.02622)]
- **VideoScore** — [paper](https://arxiv.org/abs/2406.15252) · [repo](https://github.com/TIGER-AI/VideoScore) · [project page](https://tiger-ai.github.io/VideoScore/)
"""


def test_a_date_before_the_row_is_the_date_and_links_no_field_holds_are_kept():
    found = read_entry("- Hallo: Model. (Mar. 2024) [[Paper](https://arxiv.org/abs/2403.09631)] "
                       "[[Slides](https://example.com/slides.pdf)]")
    assert found is not None
    entry = found[0]
    assert (entry.title, entry.date, entry.badges) == ("Hallo: Model", "2024-03",
                                                      ["[Slides](https://example.com/slides.pdf)"])


def test_a_title_then_a_row_of_labelled_links_is_an_entry_kept_as_written(run, tmp_path):
    """Numbered or not, bold or plain, `[[paper]](url)`, `[[Paper](url)]` or `[paper](url) · ...`:
    the fields are read (lint, dedup and export see the paper) and the Markdown is kept."""
    catalog, report = import_markdown(LINK_ROWS)
    assert render(catalog) == LINK_ROWS and report.papers_as_text == 0
    entries = {entry.title: entry for _, entry in catalog.entries()}
    higgs = entries["HIGGS: Hierarchy-Guided Graph Stream Summarization"]
    assert (higgs.arxiv, higgs.venue, higgs.description) == ("2412.15516", "ICDE 2025", "*Xuan Zhao, Xike Xie.*")
    assert entries["LSGraph: A Streaming Graph Engine"].url == "https://dl.acm.org/doi/10.1145/3627703.3650076"
    vidar = entries["Visual Point Cloud Forecasting"]
    assert (vidar.nickname, vidar.arxiv, vidar.venue, vidar.code) == (
        "ViDAR", "2312.17655", "CVPR 2024", "https://github.com/OpenDriveLab/ViDAR")
    assert entries["World Models for Driving: A Survey"].date == "2024-03"
    score = entries["VideoScore"]
    assert (score.arxiv, score.code, score.website) == (
        "2406.15252", "https://github.com/TIGER-AI/VideoScore", "https://tiger-ai.github.io/VideoScore/")
    assert catalog.settings.bullet == "-" and catalog.settings.title_form == "link"  # forms the house can write
    source = write(tmp_path / "list.md", LINK_ROWS)
    assert run("import", source, "--catalog", tmp_path / "catalog").exit_code == 0
    exported = run("export", "--catalog", tmp_path / "catalog", "--format", "json")
    assert exported.stdout.count('"title"') == 5
    assert run("render", "--catalog", tmp_path / "catalog", "--check", source).exit_code == 0


PREFIXED = """\
## Fairness

+ [ICCV 2023] [DALL-Eval: Probing the Reasoning Skills](https://arxiv.org/abs/2202.04053)
+ [NeurIPS 2023, Spotlight] [Stable Bias: Analyzing Societal Representations](https://arxiv.org/abs/2303.11408)
+ GSC: [Generative Skill Chaining](https://arxiv.org/pdf/2401.03360) (CoRL 2023)
+ [A Plain Entry](https://arxiv.org/abs/2401.00004) (Jan. 2024)
"""


NAMED = """\
## Hallucination

1. **LRV-Instruction**: Mitigating Hallucination in Large Multi-Modal Models, (Liu et al. ICLR2024)
   - [![Static Badge](https://img.shields.io/badge/2306.14565-red?logo=arxiv)](http://arxiv.org/abs/2306.14565)
   - _GAIVE_: evaluation approach which uses GPT-4
- **AC score**: Law of Vision Representation in MLLMs(Aug 29, 2024)
  - [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2408.16357) [![Star](https://img.shields.io/github/stars/bronyayang/law.svg?style=social&label=Star)](https://github.com/bronyayang/law)
- **Note**: pull requests are welcome
"""


def test_a_bold_name_a_colon_and_the_title_with_badges_in_a_nested_list(run, tmp_path):
    catalog, report = import_markdown(NAMED)
    assert render(catalog) == NAMED and report.papers_as_text == 0
    lrv, ac = [entry for _, entry in catalog.entries()]
    assert (lrv.nickname, lrv.title, lrv.arxiv, lrv.description) == (
        "LRV-Instruction", "Mitigating Hallucination in Large Multi-Modal Models", "2306.14565",
        "_GAIVE_: evaluation approach which uses GPT-4")
    assert (ac.nickname, ac.arxiv, ac.date, ac.code) == ("AC score", "2408.16357", "2024-08-29",
                                                         "https://github.com/bronyayang/law")


def test_a_venue_in_brackets_or_a_nickname_with_a_colon_before_the_title_link(run, tmp_path):
    catalog, report = import_markdown(PREFIXED)
    assert render(catalog) == PREFIXED and report.papers_as_text == 0
    entries = [entry for _, entry in catalog.entries()]
    assert [(e.venue, e.arxiv) for e in entries[:2]] == [("ICCV 2023", "2202.04053"),
                                                          ("NeurIPS 2023, Spotlight", "2303.11408")]
    assert (entries[2].nickname, entries[2].title, entries[2].venue) == ("GSC", "Generative Skill Chaining",
                                                                         "CoRL 2023")
    assert entries[3].source is None  # the house style is the plain form, not the prefixed ones
    not_papers = ["+ Note: [see this](https://example.org) for more",
                  "- [News] [Our survey](https://arxiv.org/abs/2401.00001) is out",
                  "- Contact: [Email](mailto:someone@example.com)", "- License: [MIT](LICENSE)",
                  "- Website: [awesome-x.github.io](https://awesome-x.github.io)",
                  "- [2024-06] [CVPR 2024 Workshop](https://cvpr2024.thecvf.com/)",
                  "- **Maintainers:** Alice [[homepage]](https://alice.me) [[paper]](https://scholar.google.com/a)"]
    assert [read_entry(line) for line in not_papers] == [None] * len(not_papers)


def test_nothing_in_the_seed_changes():
    seed = SEED.read_text(encoding="utf-8")
    catalog, report = import_markdown(seed)
    assert render(catalog) == seed
    assert report.warnings == sorted(report.warnings) and all("would change" not in w for _, w in report.warnings)


def test_seed_summary(run, tmp_path):
    result = run("import", SEED, "--catalog", tmp_path / "c")
    assert result.exit_code == 0
    assert "29 sections, 180 entries, 5 hidden entries, 5 raw blocks" in result.stdout
    assert "970 of 970 lines come back byte-identical" in result.stdout
    assert "seed.md:760: kept lines 760-760 verbatim" in result.stderr
    assert run("render", "--catalog", tmp_path / "c").stdout == SEED.read_text(encoding="utf-8")


def test_dry_run_writes_nothing_and_shows_the_first_render(run, tmp_path):
    source = write(tmp_path / "list.md", "## Papers\n\n+ [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n")
    result = run("import", source, "--catalog", tmp_path / "c", "--dry-run")
    assert result.exit_code == 0 and not (tmp_path / "c").exists()
    assert "would import" in result.stdout and "byte for byte" in result.stdout


def test_a_heading_nobody_listed_in_the_contents_stays_where_its_level_puts_it():
    catalog, _ = import_markdown(SEED.read_text(encoding="utf-8"))
    assert catalog.section("multi-agent").level == 3  # kept as written; lint reports it
    assert catalog.section("multi-agent") in catalog.sections


def test_import_refuses_to_overwrite_a_catalog(run, seed_catalog):
    before = snapshot(seed_catalog)
    result = run("import", SEED, "--catalog", seed_catalog)
    assert result.exit_code == 2
    assert "pass --force" in result.stderr
    assert snapshot(seed_catalog) == before


def test_new_entries_take_the_house_style(tmp_path, run):
    source = write(tmp_path / "other.md", "# Other\n\n## Papers\n\n- [A](https://arxiv.org/abs/2501.00001) "
                   "(Jan., 2025)  \n  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]"
                   "(https://arxiv.org/abs/2501.00001)  \n")
    assert run("import", source, "--catalog", tmp_path / "cat").exit_code == 0
    result = run("add", "--catalog", tmp_path / "cat", "--url", "https://example.org/b", "--title", "B",
                 "--date", "2025-02", "--section", "papers")
    assert result.exit_code == 0, result.stderr
    rendered = run("render", "--catalog", tmp_path / "cat").stdout
    assert "- [B](https://example.org/b) (Feb., 2025)  \n" in rendered


def test_a_flat_list_without_section_headings(run, tmp_path):
    text = ("# Flat\n\nSome intro.\n\n- [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n"
            "- [B](https://arxiv.org/abs/2501.00002) (Jan. 2025)\n\n## Thanks\n\nbye\n")
    source = write(tmp_path / "flat.md", text)
    assert run("import", source, "--catalog", tmp_path / "c").exit_code == 0
    assert run("render", "--catalog", tmp_path / "c").stdout == text
    findings = run("lint", "--catalog", tmp_path / "c", "--ignore", "readme-stale", "--format", "json").stdout
    assert json.loads(findings) == []


def test_bad_input_is_one_line_and_exit_2(run, tmp_path):
    no_entries = write(tmp_path / "prose.md", "# Just prose\n\nNo papers here.\n")
    result = run("import", no_entries, "--catalog", tmp_path / "c")
    assert result.exit_code == 2 and "no entry could be read" in result.stderr and not (tmp_path / "c").exists()
    latin = tmp_path / "latin.md"
    latin.write_bytes("+ [Caf\u00e9](https://x.org) (2024)\n".encode("latin-1"))
    result = run("import", latin, "--catalog", tmp_path / "c")
    assert result.exit_code == 2 and "not UTF-8" in result.stderr and len(result.stderr.splitlines()) == 1
    result = run("import", tmp_path, "--catalog", tmp_path / "c")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1


SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
CORPUS_LINES = [line for path in sorted((SEED.parent / "corpus").glob("*.md"))
                for line in path.read_text(encoding="utf-8").splitlines()]
ODD_LINES = ["- [X](#x)", "* [Y](https://a.b) - desc", "+ [Z](https://arxiv.org/abs/2501.00001) (open label",
             "<!--", "-->", "```", "# H1", "###### deep", "+ ", "  [![arXiv](x)](y)", "1. numbered", "> quote",
             "| a | b |", "[ref]: https://x.y", "<div>", "\t+ [T](https://arxiv.org/abs/2501.00002) (Jan. 2025)",
             "<details>", "</details>", "   ", "Setext", "===", "+ [A](<https://x.org/a b>) (2024)",
             "+ [A \\] b](https://x.org/(a)) (2024)\\", "+ [A](https://x.org) (2024) <br>", "\u2028", "\t",
             "  + [Nested](https://arxiv.org/abs/2501.00002) (Jan. 2025)", "<!-- + [H](https://x.org) (2024) -->"]
VARIANT_LINES = [line for _, markdown, _ in ENTRY_VARIANTS for line in markdown.split("\n")]
LINES = st.sampled_from(SEED_LINES + CORPUS_LINES + ODD_LINES + VARIANT_LINES)


def _page(chosen: list[str], newline: str, final_newline: bool) -> str:
    return newline.join(chosen) + (newline if final_newline else "")


@settings(max_examples=200, deadline=None)
@given(st.lists(LINES, max_size=60), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_any_mix_of_list_lines_comes_back_byte_for_byte(chosen, newline, final_newline):
    text = _page(chosen, newline, final_newline)
    try:
        catalog, _ = import_markdown(text)
    except VrlcatError as error:
        assert "no entry could be read" in str(error)
        return
    assert render(catalog) == text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(LINES, min_size=1, max_size=40), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_any_mix_survives_the_catalog_files(tmp_path, chosen, newline, final_newline):
    """Written to YAML and Markdown files and read back, the catalog still renders the list."""
    text = _page(chosen, newline, final_newline)
    try:
        catalog, _ = import_markdown(text)
    except VrlcatError:
        return
    root = tmp_path / f"c{abs(hash(text))}"
    write_files_atomically(catalog_files(catalog, root))
    assert render(load_catalog(root).catalog) == text
