"""Import then render keeps every entry's facts; the repository's README is the render."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter

from conftest import REPO, SEED, snapshot
from vrlcat.dates import parse_date_label
from vrlcat.importer import import_markdown
from vrlcat.model import parse_arxiv_id
from vrlcat.render import render
from vrlcat.store import catalog_files, find_catalog, load_catalog

ENTRY_LINE = re.compile(r"^(?:<!--\s*)?[+*-] \[(?P<title>.+)\]\((?P<url>[^)\s]+)\)\s*(?:\((?P<label>[^()]*)\))?\s*(?:-->)?$")
BADGE = re.compile(r"\[!\[(?P<alt>[^\]]*)\]\((?P<image>[^)]*)\)\]\((?P<href>[^)]*)\)")


def facts(markdown: str) -> Counter:
    """(title, paper, date, venue, code, website) of every entry, read with plain
    line matching, independently of the importer."""
    found: Counter = Counter()
    current = None
    for line in markdown.splitlines() + [""]:
        match = ENTRY_LINE.match(line)
        if match or not line.startswith("  [!["):
            if current:
                found[tuple(current.values())] += 1
            current = None
        if match:
            title = re.sub(r"\\(.)", r"\1", match["title"])
            date, venue = parse_date_label(match["label"] or "")
            current = {"title": title, "paper": parse_arxiv_id(match["url"]) or match["url"], "date": date,
                       "venue": venue, "code": None, "website": None}
        if current and (badge := BADGE.search(line)):
            if badge["alt"] == "Star":
                current["code"] = badge["href"]
            elif badge["alt"] == "Website":
                current["website"] = badge["href"]
    return found


def test_import_then_render_keeps_every_entry_fact():
    seed = SEED.read_text(encoding="utf-8")
    catalog, _ = import_markdown(seed)
    before, after = facts(seed), facts(render(catalog))
    assert sum(before.values()) >= 185
    assert before == after


def test_import_render_import_gives_the_same_catalog():
    first, _ = import_markdown(SEED.read_text(encoding="utf-8"))
    second, _ = import_markdown(render(first))
    assert second == first


def test_render_is_byte_identical_across_runs_and_loads(seed_catalog):
    first = render(load_catalog(seed_catalog).catalog)
    second = render(load_catalog(seed_catalog).catalog)  # this one comes from the parse cache
    assert first == second


def test_written_catalog_reads_back_as_the_imported_one(tmp_path):
    catalog, _ = import_markdown(SEED.read_text(encoding="utf-8"))
    files = catalog_files(catalog, tmp_path)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert render(load_catalog(tmp_path).catalog) == render(catalog)


def test_committed_readme_is_the_render_of_the_committed_catalog():
    loaded = load_catalog(REPO / "catalog")
    assert (REPO / "README.md").read_text(encoding="utf-8") == render(loaded.catalog)


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Maintaining this list", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    commands = block.strip().splitlines()
    assert len(commands) == 2
    assert "vrlcat render --check" in commands[0]
    assert commands[1] in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_render_check_passes_on_fresh_output_and_fails_with_a_diff(seed_catalog, run, tmp_path):
    readme = tmp_path / "README.md"
    assert run("render", "--catalog", seed_catalog, "-o", readme).exit_code == 0
    assert run("render", "--catalog", seed_catalog, "--check", readme).exit_code == 0
    readme.write_text(readme.read_text().replace("(Mar. 2025)", "(Apr. 2025)", 1))
    before = snapshot(tmp_path)
    result = run("render", "--catalog", seed_catalog, "--check", readme)
    assert result.exit_code == 1
    assert "-+ [MM-Eureka" in result.stderr and "(Mar. 2025)" in result.stderr
    assert snapshot(tmp_path) == before


def test_render_writes_to_stdout_by_default(seed_catalog, run):
    result = run("render", "--catalog", seed_catalog)
    assert result.stdout.startswith("# Awesome-Visual-Reinforcement-Learning\n")


def test_the_catalog_is_found_from_option_env_or_upward(tmp_path, monkeypatch, repo_catalog):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert find_catalog() == repo_catalog.resolve()
    monkeypatch.setenv("VRLCAT_CATALOG", str(repo_catalog))
    assert find_catalog() == repo_catalog
    assert find_catalog(str(repo_catalog)) == repo_catalog


def test_no_title_can_break_the_markdown_or_inject_html():
    from vrlcat.model import Catalog, Entry, Section

    nasty = "A ]( [link](javascript:x) <script>alert(1)</script> --> *b* _i_ `c` &amp; \\ end"
    catalog = Catalog(sections=[Section(id="s", title="S", level=2, entries=[
        Entry(title=nasty, arxiv="2501.00001", date="2025-01"),
        Entry(title=nasty + " hidden", arxiv="2501.00002", date="2025-01", hidden=True)])])
    text = render(catalog)
    from markdown_it import MarkdownIt

    inline = [t for t in MarkdownIt("commonmark").parse(text) if t.type == "inline"][1]  # the visible entry
    assert [c.attrs["href"] for c in inline.children if c.type == "link_open"] == [
        "https://arxiv.org/abs/2501.00001", "https://arxiv.org/abs/2501.00001"]  # the title and its badge
    assert not [c for c in inline.children if c.type in ("html_inline", "em_open", "strong_open", "code_inline")]
    assert text.count("-->") == 1  # only the hidden entry's own comment end
    again, _ = import_markdown(text)
    assert [e.title for _, e in again.entries()] == [nasty, nasty + " hidden"]


def test_sections_lists_the_tree_as_text_and_json(run, seed_catalog):
    text = run("sections", "--catalog", seed_catalog)
    assert text.exit_code == 0 and "multi-agent" in text.stdout and "(1 entry)" in text.stdout
    # on a pipe: one unwrapped line a section, tree guides kept, so grep and scripts can read it
    assert "│   └── mllm  MLLM  (3 entries)\n" in text.stdout
    assert "├── benchmarks-environments-and-datasets-with-visual-rl  Benchmarks environments and datasets with " \
           "Visual RL  (0 entries)\n" in text.stdout
    piped = subprocess.run([sys.executable, "-c", "import sys, runpy; sys.argv = ['vrlcat', 'sections', '--catalog', "
                            f"{str(seed_catalog)!r}]; sys.modules.pop('rich', None)\n"
                            "try:\n    runpy.run_module('vrlcat', run_name='__main__')\nexcept SystemExit:\n    pass\n"
                            "print('rich' in sys.modules, file=sys.stderr)"], capture_output=True, text=True)
    assert piped.stdout == text.stdout and piped.stderr.strip() == "False"  # rich is not imported for a pipe
    rows = json.loads(run("sections", "--catalog", seed_catalog, "--format", "json").stdout)
    assert len(rows) == 29 and set(rows[0]) == {"id", "title", "level", "parent", "entries"}
    mllm = next(r for r in rows if r["id"] == "mllm")
    assert mllm == {"id": "mllm", "title": "MLLM", "level": 4,
                    "parent": "benchmarks-environments-and-datasets-with-visual-rl", "entries": 3}
