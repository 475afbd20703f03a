"""After import, the list keeps working the way it did: new entries in its style, markers in
place, a stale table of contents reported, and no field can put live markup on the page."""

from __future__ import annotations

import json

from markdown_it import MarkdownIt

from conftest import write
from vrlcat.entrytext import render_entry
from vrlcat.model import Entry, Settings

MARKED = """\
## Papers

+ [Newest](https://arxiv.org/abs/2509.00001) (Sep. 2025)

<!-- entries above are new since 2025-08-19 -->

+ [Older](https://arxiv.org/abs/2501.00001) (Jan. 2025)
"""


def imported(run, tmp_path, text: str):
    source = write(tmp_path / "README.md", text)
    result = run("import", source, "--catalog", tmp_path / "catalog")
    assert result.exit_code == 0, result.stderr
    return source


def test_a_marker_stays_below_the_entries_it_stood_below(run, tmp_path):
    source = imported(run, tmp_path, MARKED)
    result = run("add", "--catalog", tmp_path / "catalog", "--url", "https://example.org/n", "--title", "Added",
                 "--date", "2025-10", "--section", "papers")
    assert result.exit_code == 0, result.stderr
    assert run("render", "--catalog", tmp_path / "catalog", "-o", source).exit_code == 0
    assert source.read_text(encoding="utf-8") == MARKED.replace(
        "## Papers\n\n", "## Papers\n\n+ [Added](https://example.org/n) (Oct. 2025)\n\n")


def test_a_stale_table_of_contents_is_reported_and_regenerated(run, tmp_path):
    text = ("# List\n\n## Contents\n\n- [Vision](#vision)\n\n## Vision\n\n"
            "+ [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n\n## Language\n\n"
            "+ [B](https://arxiv.org/abs/2501.00002) (Jan. 2025)\n")
    source = imported(run, tmp_path, text)
    findings = json.loads(run("lint", "--catalog", tmp_path / "catalog", "--format", "json").stdout)
    [stale] = [f for f in findings if f["rule"] == "toc-stale"]
    assert "#language" in stale["message"]
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "toc-stale").exit_code == 0
    assert source.read_text(encoding="utf-8") == text.replace(
        "- [Vision](#vision)\n", "- [Vision](#vision)\n- [Language](#language)\n")
    assert run("lint", "--catalog", tmp_path / "catalog").exit_code == 0


NASTY = "<script>alert(1)</script> [x](javascript:alert(1)) -->\n## heading"


def _live_markup(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    found = [t.type for t in tokens if t.type in ("heading_open", "html_block")]
    for token in tokens:
        for child in token.children or []:
            if child.type == "html_inline" or (child.type == "link_open"
                                                and not str(child.attrs["href"]).startswith("https://")):
                found.append(child.type)
    return found


def test_no_free_text_field_puts_live_markup_on_the_page():
    entry = Entry(title=NASTY, nickname=NASTY, venue=NASTY, date="2025-01", arxiv="2501.00001")
    for hidden in (False, True):
        entry.hidden = hidden
        text = render_entry(entry, Settings())
        assert _live_markup(text.removeprefix("<!-- ").removesuffix(" -->")) == []
        assert text.count("-->") == (1 if hidden else 0)


def test_a_kept_label_with_markup_is_not_used():
    entry = Entry(title="T", url="https://x.org", venue="<b>CVPR</b>", label="<b>CVPR</b>")
    assert "<b>" not in render_entry(entry, Settings())


def test_also_in_naming_its_own_section_renders_the_entry_once():
    from vrlcat.model import Catalog, Section
    from vrlcat.render import render

    entry = Entry(title="Once", url="https://x.org", date="2025-01", also_in=["a", "b"])
    catalog = Catalog(sections=[Section(id="a", title="A", level=2, entries=[entry]),
                                Section(id="b", title="B", level=2)])
    assert render(catalog).count("[Once](https://x.org)") == 2  # in A, and cross-listed in B


def test_a_block_after_the_last_entry_stays_last_when_an_entry_is_added(run, tmp_path):
    text = ("## Papers\n\n+ [Newest](https://arxiv.org/abs/2509.00001) (Sep. 2025)\n\n"
            "+ [Older](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n\n---\n\n## Next\n\n"
            "+ [Other](https://arxiv.org/abs/2502.00001) (Feb. 2025)\n")
    source = imported(run, tmp_path, text)
    assert run("add", "--catalog", tmp_path / "catalog", "--url", "https://example.org/n", "--title", "Added",
               "--date", "2025-10", "--section", "papers").exit_code == 0
    assert run("render", "--catalog", tmp_path / "catalog", "-o", source).exit_code == 0
    assert source.read_text(encoding="utf-8") == text.replace(
        "## Papers\n\n", "## Papers\n\n+ [Added](https://example.org/n) (Oct. 2025)\n\n")


ID_BADGES = """\
## Papers

+ [One](https://arxiv.org/abs/2406.16476) (Jun. 2024)
  [![arXiv](https://img.shields.io/badge/arXiv-2406.16476-b31b1b.svg)](https://arxiv.org/abs/2406.16476)
+ [Two](https://arxiv.org/abs/2305.07015) (May 2023)
  [![arXiv](https://img.shields.io/badge/arXiv-2305.07015-b31b1b.svg)](https://arxiv.org/abs/2305.07015)
+ [Three](https://arxiv.org/abs/2305.07015) (May 2023)
  [![arXiv](https://img.shields.io/badge/arXiv-2305.07015-b31b1b.svg)](https://arxiv.org/abs/2305.07015)
"""


def test_a_badge_showing_each_entry_s_arxiv_id_shows_a_new_entry_s_own_id(run, tmp_path, services):
    """The id in the badge's picture is learned as a placeholder, never as the house's fixed text."""
    source = imported(run, tmp_path, ID_BADGES)
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "entry-style").exit_code in (0, 1)
    assert run("render", "--catalog", tmp_path / "catalog", "-o", source).exit_code == 0
    assert source.read_text(encoding="utf-8") == ID_BADGES  # nothing to mend: every badge is the house form
    services.arxiv_papers = {"2501.00001": {"id": "2501.00001", "title": "New", "published": "2025-01-03"}}
    result = run("add", "https://arxiv.org/abs/2501.00001", "--catalog", tmp_path / "catalog", "--section", "papers",
                 "-y")
    assert result.exit_code == 0, result.stderr
    assert "badge/arXiv-2501.00001-b31b1b.svg)](https://arxiv.org/abs/2501.00001)" in source.read_text()


def test_one_entry_linking_a_version_does_not_make_every_link_versioned(run, tmp_path):
    source = imported(run, tmp_path, "## Papers\n\n+ [A](https://arxiv.org/abs/2310.01779v2) (Oct. 2023)\n"
                                     "+ [B](https://arxiv.org/abs/2109.13396) (Sep. 2021)\n")
    assert "arxiv_link" not in (tmp_path / "catalog" / "list.yaml").read_text()  # the default, abs/{id}
    findings = run("lint", "--catalog", tmp_path / "catalog", "--format", "json").stdout
    assert "2109.13396" not in findings  # B follows the house link: nothing to say about it
    assert run("render", "--catalog", tmp_path / "catalog", "--check", source).exit_code == 0


def test_the_entry_style_fix_never_hides_what_the_entry_shows(run, tmp_path):
    """An entry whose own form shows a code link the house style would not show keeps its form."""
    text = ("## Papers\n\n+ [Plain](https://arxiv.org/abs/2401.00001) (Jan. 2024)\n"
            "+ [Other](https://arxiv.org/abs/2401.00002) (Jan. 2024)\n"
            "- Row Paper. **`CVPR 2024`** [[Paper](https://arxiv.org/abs/2401.00003)] [[Code](https://github.com/o/r)]\n")
    source = imported(run, tmp_path, text)
    findings = json.loads(run("lint", "--catalog", tmp_path / "catalog", "--format", "json",
                              "--select", "entry-style").stdout)
    [finding] = findings
    assert not finding["fixable"] and "which shows its code; the house style does not" in finding["message"]
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "entry-style").exit_code == 0
    assert source.read_text(encoding="utf-8") == text


def test_a_plain_fix_never_changes_how_an_entry_kept_as_written_looks(run, tmp_path):
    """A row-of-links entry with a year-only date: --fix holds the date fix (it would rewrite the entry in
    the house style); naming the rule applies it, and no link leaves the page."""
    text = ("## Papers\n\n- GenAD: Predictive Model. **`CVPR 2024`** [[Paper](https://arxiv.org/abs/2403.09630)] "
            "[[Data](https://github.com/OpenDriveLab/DriveAGI)]\n")
    source = imported(run, tmp_path, text)
    fixed = run("lint", "--catalog", tmp_path / "catalog", "--fix")
    assert source.read_text(encoding="utf-8") == text
    assert "not fixed" in fixed.stderr and "--fix --select date-precision" in fixed.stderr
    assert run("lint", "--catalog", tmp_path / "catalog", "--fix", "--select", "date-precision,entry-style").exit_code == 0
    page = source.read_text(encoding="utf-8")
    assert "[GenAD: Predictive Model](https://arxiv.org/abs/2403.09630) (Mar. 2024, CVPR 2024)" in page
    assert "[Data](https://github.com/OpenDriveLab/DriveAGI)" in page
