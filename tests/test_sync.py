"""vrlcat sync: a README edited by hand, as contributors do, goes back into the catalog."""

from __future__ import annotations

from conftest import write
from vrlcat.store import load_catalog

README = """\
# A List

## Vision

+ [Pixel Policies](https://arxiv.org/abs/2503.00001) (Mar. 2025)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2503.00001)

+ [Frame Models](https://arxiv.org/abs/2502.00002) (Feb. 2025)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2502.00002)

## Language

+ [Token Agents](https://arxiv.org/abs/2501.00003) (Jan. 2025)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2501.00003)
"""

NEW = """\
+ [Grid Worlds](https://arxiv.org/abs/2504.00004) (Apr. 2025)
  [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/2504.00004)

"""


def adopted(run, tmp_path):
    readme = write(tmp_path / "README.md", README)
    assert run("import", readme, "--catalog", tmp_path / "catalog").exit_code == 0
    return readme, tmp_path / "catalog"


def titles(catalog) -> dict[str, list[str]]:
    return {s.id: [e.title for e in s.entries] for s in load_catalog(catalog).catalog.walk()}


def test_added_edited_removed_and_moved_entries_reach_the_catalog(run, tmp_path):
    readme, catalog = adopted(run, tmp_path)
    vision = catalog / "sections" / "vision.yaml"
    vision.write_text(vision.read_text().replace("  - title: Frame Models\n",
                                                 "  # keep: cited in the survey\n  - title: Frame Models\n"))
    text = README.replace("## Vision\n\n", "## Vision\n\n" + NEW)  # added at the top
    text = text.replace("[Pixel Policies]", "[Pixel Policies at Scale]")  # edited
    moved = text[text.index("+ [Frame Models]"):text.index("## Language")]
    text = text.replace(moved, "").replace("## Language\n\n", "## Language\n\n" + moved)  # moved
    write(readme, text)
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 0, result.stderr
    assert "added: 2504.00004" in result.stdout and "edited: 2503.00001" in result.stdout
    assert "moved: 2502.00002: vision -> language" in result.stdout
    assert titles(catalog) == {"a-list": [], "vision": ["Grid Worlds", "Pixel Policies at Scale"],
                               "language": ["Frame Models", "Token Agents"]}
    assert run("render", "--catalog", catalog).stdout == readme.read_text()
    assert run("render", "--check", "--catalog", catalog).exit_code == 0


def test_removed_entries_go_and_catalog_only_fields_stay(run, tmp_path):
    readme, catalog = adopted(run, tmp_path)
    language = catalog / "sections" / "language.yaml"
    language.write_text(language.read_text().replace("    date: 2025-01\n",
                                                     "    date: 2025-01\n    doi: 10.1/token   # from the publisher\n"))
    vision = catalog / "sections" / "vision.yaml"
    vision.write_text(vision.read_text().replace("    date: 2025-03\n", "    date: 2025-03\n    authors: [A. One]\n"))
    start = README.index("+ [Frame Models]")
    write(readme, README[:start] + README[README.index("## Language"):])
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 0 and "removed: 2502.00002" in result.stdout
    assert "doi: 10.1/token   # from the publisher" in language.read_text()  # untouched file, comment and all
    assert "authors: [A. One]" in vision.read_text()
    assert titles(catalog)["vision"] == ["Pixel Policies"]


def test_an_unchanged_readme_changes_nothing(run, tmp_path):
    readme, catalog = adopted(run, tmp_path)
    before = {p: p.read_bytes() for p in catalog.rglob("*") if p.is_file()}
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 0 and "already is what the catalog renders" in result.stdout
    assert {p: p.read_bytes() for p in catalog.rglob("*") if p.is_file()} == before


def test_a_stale_readme_check_points_at_sync(run, tmp_path):
    readme, catalog = adopted(run, tmp_path)
    write(readme, README.replace("(Mar. 2025)", "(Mar. 2025, ICML 2025)"))
    result = run("render", "--check", "--catalog", catalog)
    assert result.exit_code == 1 and "vrlcat sync" in result.stderr
    assert run("sync", "--catalog", catalog).exit_code == 0
    assert load_catalog(catalog).catalog.section("vision").entries[0].venue == "ICML 2025"


def test_a_section_not_in_the_catalog_is_refused(run, tmp_path):
    readme, catalog = adopted(run, tmp_path)
    write(readme, README + "\n## Robots\n\n" + NEW)
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 2 and "section 'Robots' is not in the catalog" in result.stderr


def _git(repo, *args):
    import subprocess

    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)


def test_sync_refuses_to_undo_a_catalog_edit_not_yet_rendered(run, tmp_path):
    import shutil

    import pytest

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    readme, catalog = adopted(run, tmp_path)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "0")
    _git(tmp_path, "add", "--all")
    _git(tmp_path, "-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q", "-m", "the list")
    vision = catalog / "sections" / "vision.yaml"
    edited = vision.read_text().replace("title: Pixel Policies", "title: Pixel Policies at Scale")
    vision.write_text(edited)  # edited, README.md not rendered since: it still says "Pixel Policies"
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: catalog/sections/vision.yaml: has changes not committed that sync "
                                    "would undo") and "run `vrlcat render -o " in result.stderr
    assert vision.read_text() == edited
    assert "Pixel Policies at Scale" not in readme.read_text()
    # a hand edit of README.md elsewhere, with the catalog edit rendered first, is taken as ever
    assert run("render", "--catalog", catalog, "-o", readme).exit_code == 0
    write(readme, readme.read_text().replace("[Token Agents]", "[Token Agents II]"))
    synced = run("sync", readme, "--catalog", catalog)
    assert synced.exit_code == 0, synced.stderr
    assert titles(catalog)["language"] == ["Token Agents II"] and "Pixel Policies at Scale" in vision.read_text()


PROSE_README = README.replace("# A List\n", "# A List\n\nPapers on visual RL.\n") + \
    "\n## Contribute\n\nOpen a pull request.\n"


def adopted_with_prose(run, tmp_path):
    readme = write(tmp_path / "README.md", PROSE_README)
    catalog = tmp_path / "catalog"
    assert run("import", readme, "--catalog", catalog).exit_code == 0
    return readme, catalog


def test_a_prose_edit_is_not_taken_exit_1_naming_the_prose_file_and_the_readme_is_kept(run, tmp_path):
    readme, catalog = adopted_with_prose(run, tmp_path)
    edited = PROSE_README.replace("Papers on visual RL.", "Papers on visual RL, curated.")
    edited = edited.replace("## Vision\n\n", "## Vision\n\n" + NEW)  # and an entry, which is taken
    write(readme, edited)
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 1
    assert "README.md:3: not taken into the catalog: Papers on visual RL, curated.\n" in result.stderr
    assert "README.md: edit catalog/prose/a-list.md instead" in result.stderr
    assert "added: 2504.00004" in result.stdout
    assert titles(catalog)["vision"][0] == "Grid Worlds"  # what it could take, it took
    assert readme.read_text() == edited  # the prose edit is not lost by a render
    (catalog / "prose" / "a-list.md").write_text("# A List\n\nPapers on visual RL, curated.\n")
    assert run("sync", readme, "--catalog", catalog).exit_code == 0  # the hint, followed
    assert run("render", "--check", "--catalog", catalog).exit_code == 0


def test_a_line_taken_out_of_the_prose_is_named_too(run, tmp_path):
    readme, catalog = adopted_with_prose(run, tmp_path)
    write(readme, PROSE_README.replace("Open a pull request.\n", ""))
    result = run("sync", readme, "--catalog", catalog, "--dry-run")
    assert result.exit_code == 1
    assert "not taken into the catalog: a line taken out: Open a pull request." in result.stderr
    assert "edit catalog/prose/contribute.md instead" in result.stderr


def test_a_live_count_sync_updates_is_not_reported_as_an_edit(run, tmp_path):
    readme, catalog = adopted_with_prose(run, tmp_path)
    (catalog / "prose" / "contribute.md").write_text(
        "## Contribute\n\nOpen a pull request: <!-- vrlcat:counts {papers} papers -->3 papers<!-- /vrlcat:counts -->.\n")
    assert run("render", "--catalog", catalog, "-o", readme).exit_code == 0
    write(readme, readme.read_text().replace("## Vision\n\n", "## Vision\n\n" + NEW))
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 0, result.stderr
    assert "not taken" not in result.stderr and "4 papers<!--" in readme.read_text()


def test_sync_names_each_file_it_changed_once_and_dry_run_says_would(run, tmp_path):
    readme, catalog = adopted(run, tmp_path)
    write(readme, README.replace("[Pixel Policies]", "[Pixel Policies at Scale]"))
    dry = run("sync", readme, "--catalog", catalog, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stdout == "would edit: 2503.00001\nwould change README.md, catalog/sections/vision.yaml\n"
    assert titles(catalog)["vision"] == ["Pixel Policies", "Frame Models"]
    result = run("sync", readme, "--catalog", catalog)
    assert result.stdout == "edited: 2503.00001\nchanged README.md, catalog/sections/vision.yaml\n"


def test_a_hand_edit_of_contributing_md_is_reported_not_silently_undone(run, tmp_path):
    readme, catalog = adopted_with_prose(run, tmp_path)
    list_yaml = catalog / "list.yaml"
    list_yaml.write_text(list_yaml.read_text().replace("settings:\n", "settings:\n  contributing: prose/contribute.md\n"))
    assert run("render", "--catalog", catalog, "-o", readme).exit_code == 0
    contributing = tmp_path / "CONTRIBUTING.md"
    edited = contributing.read_text().replace("Open a pull request.", "Open a pull request, please.")
    contributing.write_text(edited)
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 1
    assert "CONTRIBUTING.md:5: not taken into the catalog: Open a pull request, please." in result.stderr
    assert "CONTRIBUTING.md: edit catalog/prose/contribute.md instead" in result.stderr
    assert contributing.read_text() == edited


def test_after_syncing_a_new_paper_the_render_check_passes_charts_and_all(run, repo_catalog, tmp_path):
    readme = tmp_path / "README.md"
    assert run("render", "--catalog", repo_catalog, "-o", readme).exit_code == 0
    assert list((tmp_path / "docs" / "img").glob("*.svg"))  # this list has charts
    text = readme.read_text(encoding="utf-8")
    first = text.index("\n+ [", text.index("#### GUI Interaction")) + 1
    write(readme, text[:first] + NEW + text[first:])
    result = run("sync", readme, "--catalog", repo_catalog)
    assert result.exit_code == 0, result.stderr
    assert "added: 2504.00004" in result.stdout
    check = run("render", "--check", readme, "--catalog", repo_catalog)  # what lint.yml runs after sync
    assert check.exit_code == 0, check.stderr


def test_sync_refuses_to_undo_a_committed_catalog_edit_the_readme_never_saw(run, tmp_path):
    """The catalog was edited and committed without rendering: README.md is stale, not edited, and
    sync must not put the catalog back as README.md shows it."""
    import shutil

    import pytest

    if not shutil.which("git"):
        pytest.skip("git is not installed")
    readme, catalog = adopted(run, tmp_path)
    commit = ("-c", "user.email=t@example.org", "-c", "user.name=t", "commit", "-q")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "--all")
    _git(tmp_path, *commit, "-m", "the list")
    vision = catalog / "sections" / "vision.yaml"
    edited = vision.read_text().replace("title: Pixel Policies", "title: Pixel Policies at Scale")
    vision.write_text(edited)
    _git(tmp_path, *commit, "-am", "rename a paper (README.md not rendered)")
    result = run("sync", readme, "--catalog", catalog)
    assert result.exit_code == 2 and result.stderr.startswith("error: README.md: was last committed before")
    assert vision.read_text() == edited
    # once README.md is edited by hand (a contributor's pull request), sync takes the edit as ever
    assert run("render", "--catalog", catalog, "-o", readme).exit_code == 0
    _git(tmp_path, *commit, "-am", "render")
    write(readme, readme.read_text().replace("[Token Agents]", "[Token Agents II]"))
    _git(tmp_path, *commit, "-am", "a contributor's edit")
    synced = run("sync", readme, "--catalog", catalog)
    assert synced.exit_code == 0, synced.stderr
    assert titles(catalog)["language"] == ["Token Agents II"] and "Pixel Policies at Scale" in vision.read_text()
