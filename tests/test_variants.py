"""Every way the badge family writes a list (docs/import.md) comes back byte for byte, read into the right fields.

Each example is made up in the shape of a row of the family's variants: a list
with it is imported, rendered (byte-identical) and its entry's fields checked.
"""

from __future__ import annotations

import pytest

from vrlcat.importer import import_markdown
from vrlcat.render import render

ARXIV_BADGE = "[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2503.01234)"
STAR_BADGE = "[![Star](https://img.shields.io/github/stars/someone/pixpol.svg?style=social&label=Star)]" \
             "(https://github.com/someone/pixpol)"


def page(*entries: str, heading: str = "## Papers") -> str:
    return f"# A List\n\nIntro.\n\n{heading}\n\n" + "\n\n".join(entries) + "\n"


def only_entry(text: str):
    catalog, report = import_markdown(text)
    assert render(catalog) == text
    entries = [entry for _, entry in catalog.entries()]
    return entries[0], catalog, report


# (name, entry Markdown, expected fields)
ENTRY_VARIANTS = [
    ("plus bullet", "+ [Pixel Policies at Scale](https://arxiv.org/abs/2503.01234) (Mar. 2025)",
     dict(title="Pixel Policies at Scale", arxiv="2503.01234", date="2025-03")),
    ("dash bullet", "- [Pixel Policies at Scale](https://arxiv.org/abs/2503.01234) (Mar. 2025)",
     dict(arxiv="2503.01234", date="2025-03")),
    ("star bullet", "* [Pixel Policies at Scale](https://arxiv.org/abs/2503.01234) (Mar. 2025)",
     dict(arxiv="2503.01234")),
    ("indented bullet", "  + [Pixel Policies at Scale](https://arxiv.org/abs/2503.01234) (Mar. 2025)",
     dict(arxiv="2503.01234", date="2025-03")),
    ("bold nickname", "+ **PixPol** [Pixel Policies at Scale](https://arxiv.org/abs/2503.01234) (Mar. 12, 2025)",
     dict(nickname="PixPol", title="Pixel Policies at Scale", date="2025-03-12")),
    ("nickname from", "+ Frame Consistency Score from [Judging Video Models](https://arxiv.org/abs/2402.05678) "
     "(2024-02-08)", dict(nickname="Frame Consistency Score", title="Judging Video Models", date="2024-02-08")),
    ("bold title in link", "- [**Pixel Policies at Scale**](https://arxiv.org/abs/2503.01234)",
     dict(title="Pixel Policies at Scale", arxiv="2503.01234", date=None)),
    ("bold title, no link", f"+ **Pixel Policies at Scale** (12 Mar 2025)\n  {ARXIV_BADGE}",
     dict(title="Pixel Policies at Scale", arxiv="2503.01234", date="2025-03-12", url=None)),
    ("wrapped link text", "+ [Pixel Policies at Scale: Learning to Act\n  from Raw Frames]"
     "(https://arxiv.org/abs/2503.01234) (Mar. 2025)",
     dict(title="Pixel Policies at Scale: Learning to Act from Raw Frames", arxiv="2503.01234")),
    ("title links to a repository", "+ [Tiny Agent](https://github.com/someone/tiny-agent) (2024)",
     dict(url="https://github.com/someone/tiny-agent", date="2024", arxiv=None)),
    ("title links to a PDF", "+ [Grid Paper](https://example.org/grid.pdf) (2024)",
     dict(url="https://example.org/grid.pdf")),
    ("title links to OpenReview", "+ [Review Paper](https://openreview.net/forum?id=abc123) (ICLR 2024)",
     dict(url="https://openreview.net/forum?id=abc123", venue="ICLR 2024", date="2024")),
    ("description on the same line", "- [Tiny Agent](https://github.com/someone/tiny-agent) - A 300-line agent "
     "for grid worlds.", dict(title="Tiny Agent", description="- A 300-line agent for grid worlds.")),
    ("badge on the entry line, empty target", "+ [Pixel Policies](https://arxiv.org/abs/2503.01234) (2025-03-12) "
     "[![Code](https://img.shields.io/github/stars/someone/pixpol.svg?style=social&label=Official)]()",
     dict(arxiv="2503.01234", date="2025-03-12")),
    ("date only in a trailing comment", "- [**Pixel Policies**](https://arxiv.org/abs/2503.01234) "
     "[![Paper](https://img.shields.io/badge/arXiv-b22222)](https://arxiv.org/abs/2503.01234) <!-- 03-25 -->",
     dict(title="Pixel Policies", arxiv="2503.01234")),
    ("authors in details", "+ **Pixel Policies** (12 Mar 2025)<details><summary>A. Author, B. Author, et al."
     "</summary>A. Author, B. Author, C. Author</details>",
     dict(title="Pixel Policies", date="2025-03-12", authors=["A. Author", "B. Author", "C. Author"])),
    ("no date at all", "+ [Grid Lab](https://gridlab.example.org/)",
     dict(title="Grid Lab", url="https://gridlab.example.org/", date=None, venue=None)),
    ("product with its maker", "+ [Dreamer Studio](https://studio.example.com/) ([Example Labs](https://example.com/))",
     dict(title="Dreamer Studio", url="https://studio.example.com/", date=None)),
]


@pytest.mark.parametrize("name, markdown, fields", ENTRY_VARIANTS, ids=[v[0] for v in ENTRY_VARIANTS])
def test_entry_line_variants(name, markdown, fields):
    entry, _, _ = only_entry(page(markdown))
    for key, value in fields.items():
        assert getattr(entry, key) == value, key


DATE_LABELS = [
    ("Mar. 2025", "2025-03", None), ("Mar 2025", "2025-03", None), ("March 2025", "2025-03", None),
    ("Mar., 2025", "2025-03", None), ("Mar, 2025", "2025-03", None), ("Mar. 12, 2025", "2025-03-12", None),
    ("Mar 12, 2025", "2025-03-12", None), ("Mar, 12, 2025", "2025-03-12", None), ("12 Mar 2025", "2025-03-12", None),
    ("March. 12, 2025", "2025-03-12", None), ("June. 06, 2024", "2024-06-06", None),
    ("April. 25, 2024", "2024-04-25", None), ("2025", "2025", None), ("2025-03-12", "2025-03-12", None),
    ("2025-03", "2025-03", None), ("2025/03/12", "2025-03-12", None), ("CVPR 2024", "2024", "CVPR 2024"),
    ("CVPR", None, "CVPR"), ("IEEE TPAMI 2023", "2023", "IEEE TPAMI 2023"), ("CVPR, 2024", "2024", "CVPR"),
    ("2024, ICML", "2024", "ICML"), ("Mar. 2025, CVPR 2025", "2025-03", "CVPR 2025"),
    ("Mar. 2025, arXiv", "2025-03", "arXiv"), ("Mar. 12, 2025; ACL 2025", "2025-03-12", "ACL 2025"),
    ("Nov 16, 2025. arXiv", "2025-11-16", "arXiv"), ("Oct., 2025 | CVPR 2026", "2025-10", "CVPR 2026"),
    ("CVPR 2023 Workshop", "2023", "CVPR 2023 Workshop"), ("Arp. 27, 2024", "2024-04-27", None),
    ("EMNLP2023", "2023", "EMNLP2023"), ("Oct., 2025", "2025-10", None),
]


@pytest.mark.parametrize("label, date, venue", DATE_LABELS, ids=[v[0] for v in DATE_LABELS])
def test_date_label_forms(label, date, venue):
    entry, _, _ = only_entry(page(f"+ [Pixel Policies](https://arxiv.org/abs/2503.01234) ({label})"))
    assert (entry.date, entry.venue) == (date, venue)


def test_an_unclosed_label_is_read_and_kept():
    entry, _, _ = only_entry(page("+ [Pixel Policies](https://arxiv.org/abs/2408.01234) (Aug. 10, 2024"))
    assert entry.date == "2024-08-10"


BREAKS = [("two spaces", "  "), ("backslash", "\\"), ("br", " <br>")]


@pytest.mark.parametrize("name, mark", BREAKS, ids=[b[0] for b in BREAKS])
def test_hard_breaks_after_entry_and_badge_lines(name, mark):
    entry_text = f"+ [Pixel Policies](https://arxiv.org/abs/2503.01234) (Mar. 2025){mark}\n  {ARXIV_BADGE}{mark}"
    entry, catalog, _ = only_entry(page(entry_text, entry_text.replace("2503.01234", "2503.04321")))
    assert catalog.settings.line_break == mark and entry.source is None  # the house style, not a stray


@pytest.mark.parametrize("indent", ["  ", " ", ""], ids=["two spaces", "one space", "column 0"])
def test_badge_line_indents(indent):
    entry_text = f"- [Pixel Policies](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n{indent}{ARXIV_BADGE}"
    entry, catalog, _ = only_entry(page(entry_text))
    assert entry.arxiv == "2503.01234" and catalog.settings.badge_indent == indent


def test_two_badges_on_one_line():
    entry, _, _ = only_entry(page(f"+ [Pixel Policies](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n"
                                  f"  {ARXIV_BADGE} {STAR_BADGE}"))
    assert entry.code == "https://github.com/someone/pixpol"


@pytest.mark.parametrize("gap", ["", "\n", "\n\n"], ids=["no blank line", "one", "two"])
def test_blank_lines_between_entries(gap):
    one = "+ [One](https://arxiv.org/abs/2503.01234) (Mar. 2025)"
    two = "+ [Two](https://arxiv.org/abs/2503.04321) (Mar. 2025)"
    text = f"## Papers\n\n{one}\n{gap}{two}\n{gap}{one.replace('One', 'Three')}\n"
    catalog, _ = import_markdown(text)
    assert render(catalog) == text
    assert all(entry.gap is None for _, entry in catalog.entries())


def test_crlf_file():
    text = page(f"+ [Pixel Policies](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n  {ARXIV_BADGE}").replace(
        "\n", "\r\n")
    entry, catalog, _ = only_entry(text)
    assert catalog.settings.line_endings == "crlf" and entry.source is None


def test_blank_lines_with_trailing_spaces_and_no_final_newline():
    text = "## Papers\n\n+ [One](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n  \n" \
           "+ [Two](https://arxiv.org/abs/2503.04321) (Mar. 2025)\n   \n## End\nbye"
    catalog, _ = import_markdown(text)
    assert render(catalog) == text


BADGES = [
    ("arXiv", ARXIV_BADGE, dict(arxiv="2503.01234")),
    ("Star without .svg", "[![Star](https://img.shields.io/github/stars/someone/Vid2.1?style=social)]"
     "(https://github.com/someone/Vid2.1)", dict(code="https://github.com/someone/Vid2.1")),
    ("Code to /tree/main", "[![Code](https://img.shields.io/github/stars/someone/pixpol.svg?style=social&label=Code)]"
     "(https://github.com/someone/pixpol/tree/main)", dict(code="https://github.com/someone/pixpol/tree/main")),
    ("GitHub stars, trailing slash", "[![GitHub stars](https://img.shields.io/github/stars/someone/pixpol)]"
     "(https://github.com/someone/pixpol/)", dict(code="https://github.com/someone/pixpol/")),
    ("Website", "[![Website](https://img.shields.io/badge/Website-9cf)](https://pixpol.example.io/)",
     dict(website="https://pixpol.example.io/")),
    ("Project_Page", "[![Project_Page](https://img.shields.io/badge/Project-Page-blue)](https://pixpol.example.io/)",
     dict(website="https://pixpol.example.io/")),
    ("Demo", "[![Demo](https://img.shields.io/badge/Demo-orange)](https://demo.example.io/)",
     dict(badges=["[![Demo](https://img.shields.io/badge/Demo-orange)](https://demo.example.io/)"])),
    ("PDF pointing at arXiv", "[![PDF](https://img.shields.io/badge/PDF-red)](https://arxiv.org/pdf/2503.01234)",
     dict(arxiv="2503.01234", badges=[])),
    ("venue badge, not a link", "![Paper](https://img.shields.io/badge/TPAMI-FFA07A)",
     dict(badges=["![Paper](https://img.shields.io/badge/TPAMI-FFA07A)"])),
    ("arXiv label on a non-arXiv target", "[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)]"
     "(https://aclanthology.org/2023.x/)",
     dict(badges=["[![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://aclanthology.org/2023.x/)"])),
]


@pytest.mark.parametrize("name, badge, fields", BADGES, ids=[b[0] for b in BADGES])
def test_badges_under_an_entry(name, badge, fields):
    entry, _, _ = only_entry(page(f"+ [Pixel Policies](https://example.org/pixpol) (Mar. 2025)\n  {badge}"))
    for key, value in fields.items():
        assert getattr(entry, key) == value, key


LINES_UNDER = [
    ("plain description", "  A short note on what it does.", "A short note on what it does."),
    ("italic description", "  *A short note.*", "*A short note.*"),
    ("quoted note", "  ><i>Note: accepted at CVPR.</i>", "><i>Note: accepted at CVPR.</i>"),
    ("tag line", "  `tokenizer` `video`", "`tokenizer` `video`"),
    ("starred tag line", "  *2025 · Forecasting · Agents*", "*2025 · Forecasting · Agents*"),
]


@pytest.mark.parametrize("name, line, description", LINES_UNDER, ids=[v[0] for v in LINES_UNDER])
def test_lines_under_an_entry(name, line, description):
    entry, _, _ = only_entry(page(f"+ [Pixel Policies](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n"
                                  f"  {ARXIV_BADGE}\n{line}"))
    assert entry.description == description


def test_markers_and_commented_out_entries_keep_their_place():
    text = page("+ [New One](https://arxiv.org/abs/2509.00001) (Sep. 2025)",
                "<!-- entries above are new since 2025-08-19 -->",
                "+ [Old One](https://arxiv.org/abs/2501.00001) (Jan. 2025)",
                "<!-- + [Gone Paper](https://arxiv.org/abs/2301.00001) (2023) -->",
                "+ [Older One](https://arxiv.org/abs/2401.00001) (Jan. 2024)")
    catalog, _ = import_markdown(text)
    assert render(catalog) == text
    [section] = catalog.sections
    assert [e.title for e in section.entries] == ["New One", "Old One", "Gone Paper", "Older One"]
    assert section.entries[2].hidden and section.entries[2].date == "2023"
    [(marker, position)] = section.raw_positions()
    assert marker.text.startswith("<!-- entries above") and position == 1


def test_around_the_entries():
    text = ("# A List\n\n## Table of Contents <!-- omit in toc -->\n\n- [Papers](#papers)\n\n"
            "## Papers\n([Back to Table of Contents](#table-of-contents))\n\n"
            "### 2024\n\n+ [One](https://arxiv.org/abs/2403.00001) (Mar. 2024)\n\n-----\n\n"
            "### 2023\n\n<details><summary>2023</summary>\n\n+ [Two](https://arxiv.org/abs/2303.00001) (Mar. 2023)\n\n"
            "</details>\n\n- [2025-10] Added 40 papers.\n\n"
            "| Paper | Year |\n|---|---|\n| [T](https://x.org) | 2023 |\n\n"
            "## Related lists\n\n- [awesome-grid-agents](https://github.com/someone/awesome-grid-agents)\n")
    catalog, _ = import_markdown(text)
    assert render(catalog) == text
    ids = [section.id for section in catalog.walk()]
    assert ids[:3] == ["papers", "2024", "2023"]
    assert catalog.section("papers").description.startswith("([Back to Table of Contents]")
    toc = next(block for block in catalog.page if hasattr(block, "intro"))
    assert toc.text.startswith("## Table of Contents")  # kept as written; lint says when it is stale


def test_a_heading_of_any_length_gives_a_short_safe_id():
    heading = "## <table><tr><td>" + " | ".join(f"Cell {n} with words" for n in range(60)) + "</td></tr></table>"
    catalog, _ = import_markdown(f"{heading}\n\n+ [One](https://arxiv.org/abs/2403.00001) (Mar. 2024)\n")
    [section] = catalog.sections
    assert len(section.id) <= 64 and section.id.replace("-", "").isalnum()


def test_repeated_headings_get_unique_ids():
    text = ("## Vision\n\n### Benchmarks\n\n+ [A](https://arxiv.org/abs/2403.00001) (Mar. 2024)\n\n"
            "## Language\n\n### Benchmarks\n\n+ [B](https://arxiv.org/abs/2403.00002) (Mar. 2024)\n")
    catalog, _ = import_markdown(text)
    assert [s.id for s in catalog.walk()] == ["vision", "benchmarks", "language", "language-benchmarks"]
    assert render(catalog) == text


def test_a_stray_trailing_space_costs_one_setting_not_the_whole_entry():
    badge = ARXIV_BADGE
    text = page(f"+ [One](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n  {badge}",
                f"+ [Two](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n  {badge} ",
                f"+ [Three](https://arxiv.org/abs/2503.01234) (Mar. 2025)\n  {badge}")
    catalog, _ = import_markdown(text)
    assert render(catalog) == text
    two = [e for _, e in catalog.entries()][1]
    assert two.style == {"last_break": " "} and two.source is None


def test_a_section_written_its_own_way_gets_a_style():
    inline = "".join(f"\n\n- [P{n}](https://arxiv.org/abs/2503.0000{n}) (Mar. 2025) {ARXIV_BADGE}" for n in range(3))
    lines = "".join(f"\n\n- [Q{n}](https://arxiv.org/abs/2503.0001{n}) (Mar. 2025)\n  {ARXIV_BADGE}" for n in range(5))
    text = f"## Lines{lines}\n\n## Inline{inline}\n"
    catalog, _ = import_markdown(text)
    assert render(catalog) == text
    assert catalog.settings.badge_layout == "lines"
    assert catalog.section("inline").style == {"badge_layout": "inline"}
    assert all(not e.style and e.source is None for _, e in catalog.entries())


def test_a_crlf_list_is_not_stale_after_import(run, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# L\r\n\r\n## Papers\r\n\r\n+ [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\r\n")
    assert run("import", readme, "--catalog", tmp_path / "catalog").exit_code == 0
    assert run("lint", "--catalog", tmp_path / "catalog").exit_code == 0
    assert run("render", "--check", "--catalog", tmp_path / "catalog").exit_code == 0
