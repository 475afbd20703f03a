"""Every writing command leaves the repository consistent (vrlcat.workflow.finish)."""

from __future__ import annotations

import json

from conftest import one_section_catalog, write
from fakeapi import Reply

LIST = "page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n"
ENTRIES = ("entries:\n  - title: Beta\n    arxiv: '2501.00001'\n    date: 2025-01\n"
           "  - title: Alpha\n    arxiv: '2502.00001'\n    date: 2025-02\n")


def _catalog(tmp_path):
    return one_section_catalog(tmp_path / "catalog", ENTRIES)


def _clean(run, root):
    return run("lint", "--catalog", root).exit_code == 0 and run("render", "--catalog", root, "--check").exit_code == 0


def test_sort_by_title_declares_the_order_and_re_renders_the_readme(run, tmp_path):
    root = _catalog(tmp_path)
    result = run("sort", "--catalog", root, "--by", "title", "--order", "asc")
    assert result.exit_code == 0, result.stderr
    assert "settings.sort is now title asc in catalog/list.yaml" in result.stdout
    assert (tmp_path / "README.md").exists()
    assert _clean(run, root)


def test_a_command_run_inside_the_catalog_writes_the_readme_beside_it_and_prints_repo_paths(run, tmp_path,
                                                                                          monkeypatch):
    root = _catalog(tmp_path)
    monkeypatch.chdir(root)
    result = run("sort", "--by", "title", "--order", "asc")
    assert result.exit_code == 0, result.stderr
    assert not (root / "README.md").exists() and (tmp_path / "README.md").exists()
    assert "changed README.md, catalog/list.yaml, catalog/sections/a.yaml" in result.stdout


def test_a_hand_edited_readme_is_kept_and_named(run, tmp_path):
    root = _catalog(tmp_path)
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text() + "hand edit\n")
    result = run("sort", "--catalog", root, "--by", "title")
    assert result.exit_code == 0
    assert "hand edit" in readme.read_text()
    assert "left for you: README.md differs from the catalog" in result.stderr and "vrlcat sync" in result.stderr
    assert "`vrlcat sync` takes the edit into the catalog" in run("lint", "--catalog", root).stdout


def test_settings_readme_is_relative_to_the_catalog_and_must_stay_in_the_repository(run, tmp_path):
    root = _catalog(tmp_path)
    write(root / "list.yaml", "settings:\n  readme: ../docs/LIST.md\n" + LIST)
    assert run("sort", "--catalog", root, "--by", "title").exit_code == 0
    assert (tmp_path / "docs" / "LIST.md").exists() and _clean(run, root)
    write(root / "list.yaml", "settings:\n  readme: ../../outside.md\n" + LIST)
    result = run("lint", "--catalog", root)
    assert result.exit_code == 2 and "leads outside the repository" in result.stderr


def test_the_old_render_on_add_key_is_read_as_the_readme(run, tmp_path):
    root = _catalog(tmp_path)
    write(root / "list.yaml", "settings:\n  render_on_add: LIST.md\n" + LIST)
    assert run("sort", "--catalog", root).exit_code == 0
    assert (tmp_path / "LIST.md").exists()


def test_dedup_merge_leaves_lint_and_render_check_passing(run, tmp_path):
    root = _catalog(tmp_path)
    write(root / "sections" / "a.yaml", ENTRIES + "  - title: Beta\n    arxiv: 2501.00001v2\n    date: 2025-01\n")
    merged = run("dedup", "--catalog", root, "--merge", "-y", "--format", "json")
    assert merged.exit_code == 0, merged.stderr
    json.loads(merged.stdout)  # notes went to stderr
    assert _clean(run, root)


def test_contributing_is_rendered_and_checked(run, tmp_path):
    root = _catalog(tmp_path)
    write(root / "prose" / "contribute.md", "## Contribute\n\nOpen an issue.\n")
    write(root / "list.yaml", "settings:\n  contributing: prose/contribute.md\n"
          "page:\n  - sections\n  - file: prose/contribute.md\nsections:\n  - {id: a, title: A, level: 2}\n")
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    contributing = tmp_path / "CONTRIBUTING.md"
    assert "Open an issue." in contributing.read_text() and "Open an issue." in (tmp_path / "README.md").read_text()
    contributing.write_text("stale\n")
    assert run("render", "--catalog", root, "--check").exit_code == 1
    result = run("lint", "--catalog", root)
    assert result.exit_code == 1 and "CONTRIBUTING.md" in result.stdout


def test_add_sync_and_lint_fix_leave_lint_and_the_render_check_passing(run, tmp_path):
    root = _catalog(tmp_path)
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    added = run("add", "--catalog", root, "--url", "https://example.org/g", "--title", "Gamma", "--date", "2024-06",
                "--section", "a")
    assert added.exit_code == 0, added.stderr
    assert _clean(run, root)
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text().replace("[Gamma]", "[Gamma Revisited]"))
    synced = run("sync", "--catalog", root)
    assert synced.exit_code == 0, synced.stderr
    assert _clean(run, root)
    section = root / "sections" / "a.yaml"
    section.write_text(section.read_text().replace("    date: 2025-02\n", "    date: 2024-02\n"))  # a wrong date
    fixed = run("lint", "--catalog", root, "--fix")
    assert "fixed" in fixed.stderr and _clean(run, root)


def test_quiet_hides_notes_and_verbose_names_the_catalog(run, tmp_path):
    root = _catalog(tmp_path)
    quiet = run("-q", "sort", "--catalog", root, "--by", "title", "--order", "asc")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    verbose = run("-v", "lint", "--catalog", root)
    assert "catalog: " in verbose.stderr


def test_refresh_that_fills_a_date_re_sorts_the_section_and_re_renders_the_readme(run, services, tmp_path):
    root = _catalog(tmp_path)
    write(root / "list.yaml", "settings:\n  sort: {by: date, order: desc}\n" + LIST)
    write(root / "sections" / "a.yaml", "entries:\n  - title: Beta\n    arxiv: '2502.00001'\n    date: 2025-02\n"
          "  - title: Gamma\n    arxiv: '2503.00001'\n")  # no date: refresh fills March, which sorts first
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    services.arxiv_papers = {"2502.00001": {"id": "2502.00001", "title": "Beta", "published": "2025-02-03"},
                             "2503.00001": {"id": "2503.00001", "title": "Gamma", "published": "2025-03-04"}}
    result = run("refresh", "--catalog", root, "-y")
    assert result.exit_code == 0, result.stderr
    readme = (tmp_path / "README.md").read_text()
    assert readme.index("Gamma") < readme.index("Beta") and "Mar" in readme
    assert _clean(run, root)


def test_check_links_fix_re_renders_the_readme_with_the_new_address(run, services, tmp_path, monkeypatch):
    monkeypatch.setenv("VRLCAT_ALLOW_PRIVATE", "1")  # the loopback server
    root = _catalog(tmp_path)
    old, new = f"{services.url}/links/old", f"{services.url}/links/new"
    write(root / "sections" / "a.yaml", ENTRIES + f"  - title: Gamma\n    url: {old}\n    date: 2025-03\n")
    services.links["/links/old"] = Reply(301, b"", {"Location": new})
    services.links["/links/new"] = Reply(200, b"ok")
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    result = run("check-links", "--catalog", root, "--fix")
    assert result.exit_code == 0, result.stdout + result.stderr
    readme = (tmp_path / "README.md").read_text()
    assert new in readme and old not in readme
    assert _clean(run, root)


def test_render_check_names_files_from_the_repository_and_its_hints_work_where_they_are_printed(
        run, tmp_path, monkeypatch):
    root = _catalog(tmp_path)
    (tmp_path / ".git").mkdir()
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    readme = tmp_path / "README.md"
    readme.write_text(readme.read_text().replace("[Alpha]", "[Alpha Two]"))
    monkeypatch.chdir(root / "sections")
    check = run("render", "--check")
    assert check.exit_code == 1
    assert check.stderr.startswith("README.md is not what `vrlcat render` writes:\n--- README.md\n")
    assert str(tmp_path) not in check.stderr
    assert "`vrlcat sync ../../README.md` takes the edit into the catalog" in check.stderr
    synced = run("sync", "../../README.md")  # the hint, followed from where it was printed
    assert synced.exit_code == 0, synced.stderr
    assert "Alpha Two" in (root / "sections" / "a.yaml").read_text()
    assert run("render", "--check").exit_code == 0


def test_lint_names_files_from_the_repository_root_whatever_the_working_folder(run, tmp_path, monkeypatch):
    """GitHub annotations need repository-relative paths; a run from a subfolder must not prefix them twice."""
    root = _catalog(tmp_path)
    (tmp_path / ".git").mkdir()
    section = root / "sections" / "a.yaml"
    section.write_text(section.read_text().replace("date: 2025-02", "date: 2025-03"))  # 2502 is February
    shown = []
    for folder in (tmp_path, root, root / "sections"):
        monkeypatch.chdir(folder)
        result = run("lint", "--format", "github", "--ignore", "readme-stale")
        assert result.exit_code == 1
        shown.append(sorted({line.split("file=")[1].split(",")[0] for line in result.stdout.splitlines()}))
    assert shown == [["catalog/sections/a.yaml"]] * 3


def test_add_and_sync_draw_the_page_s_charts_again_in_the_same_batch(run, repo_catalog):
    """This list's README shows a timeline and a section tree: a new paper changes both pictures."""
    readme = repo_catalog.parent / "README.md"
    assert run("render", "--catalog", repo_catalog, "-o", readme).exit_code == 0
    pictures = sorted((repo_catalog.parent / "docs" / "img").glob("*.svg"))
    before = {p: p.read_bytes() for p in pictures}
    assert pictures and _clean(run, repo_catalog)
    added = run("add", "--catalog", repo_catalog, "--url", "https://example.org/new", "--title", "A New Paper",
                "--date", "2025-06", "--section", "mllm")
    assert added.exit_code == 0, added.stderr
    assert "chart-stale" not in added.stderr
    assert [p for p in pictures if p.read_bytes() != before[p]] == pictures
    assert _clean(run, repo_catalog)
    readme.write_text("".join(line for line in readme.read_text().splitlines(keepends=True)
                              if "[A New Paper](https://example.org/new)" not in line))
    assert run("sync", "--catalog", repo_catalog).exit_code == 0
    assert {p: p.read_bytes() for p in pictures} == before and _clean(run, repo_catalog)


def test_what_is_left_says_which_errors_lint_fix_mends(run, tmp_path):
    root = _catalog(tmp_path)
    write(root / "sections" / "a.yaml", ENTRIES + "  - title: Gamma\n    arxiv: '2503.00001'\n")  # no date
    added = run("add", "--catalog", root, "--url", "https://example.org/d", "--title", "Delta", "--date", "2024-06",
                "--section", "a")
    assert added.exit_code == 0 and "added Delta to section 'a'" in added.stdout
    assert "left for you: lint errors `vrlcat lint --fix` mends: date-missing (1)" in added.stderr
    assert "no command can settle alone" not in added.stderr
