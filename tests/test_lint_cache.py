"""The lint result cache: a warm `vrlcat lint` prints what a cold one would, byte for byte, and sees
every change to what lint reads (vrlcat.lintcache lists it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

import vrlcat
import vrlcat.lint
from conftest import REPO, write
from vrlcat import lintcache

PAGE_FILES = ("README.md", "CONTRIBUTING.md", "docs/img/timeline.svg", "docs/img/taxonomy.svg")


@pytest.fixture
def page(tmp_path, repo_catalog, monkeypatch) -> Path:
    """This repository's catalog with its README, CONTRIBUTING.md and charts beside it: lint is clean."""
    for name in PAGE_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    # The files were written a moment ago; a real run keeps no result read from files that young.
    monkeypatch.setattr(lintcache, "SETTLED_NS", 0)
    return repo_catalog


def stored_entries() -> list[Path]:
    return sorted((Path(os.environ["VRLCAT_CACHE_DIR"]) / "lint").glob("*.json"))


def outcome(run, *args) -> tuple[int, str, str]:
    result = run("lint", *args)
    return result.exit_code, result.stdout, result.stderr


def cold(run, monkeypatch, tmp_path, *args) -> tuple[int, str, str]:
    """What lint says with an empty cache (in a folder of its own)."""
    warm_cache = os.environ["VRLCAT_CACHE_DIR"]
    monkeypatch.setenv("VRLCAT_CACHE_DIR", tempfile.mkdtemp(prefix="cold-cache-", dir=tmp_path))
    try:
        return outcome(run, *args)
    finally:
        monkeypatch.setenv("VRLCAT_CACHE_DIR", warm_cache)


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_a_warm_run_prints_what_the_cold_run_printed(run, page, monkeypatch, output_format):
    (page.parent / "README.md").write_text("stale\n", encoding="utf-8")  # a finding, and exit 1
    args = ("--catalog", page, "--format", output_format)
    first = outcome(run, *args)
    assert first[0] == 1 and "readme-stale" in first[1]
    assert len(stored_entries()) == 1

    def no_rules(*args, **kwargs):
        raise AssertionError("the rules ran: the stored result was not used")

    monkeypatch.setattr(vrlcat.lint, "run_rules", no_rules)
    assert outcome(run, *args) == first


def test_a_clean_catalog_replays_exit_0_and_no_cache_runs_the_rules(run, page, monkeypatch):
    first = outcome(run, "--catalog", page)
    assert first == (0, "0 errors, 0 warnings\n", "")
    ran = []
    run_rules = vrlcat.lint.run_rules
    monkeypatch.setattr(vrlcat.lint, "run_rules", lambda *args: ran.append(1) or run_rules(*args))
    assert outcome(run, "--catalog", page) == first and not ran
    assert outcome(run, "--catalog", page, "--no-cache") == first and ran


def _same_size_edit(catalog: Path) -> None:
    """A date moved into the future without changing the file's size or its modification time."""
    path = catalog / "sections" / "blog.yaml"
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b"date: 2022-03", b"date: 2099-03"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def _add_section_file(catalog: Path) -> None:
    write(catalog / "sections" / "no-such-section.yaml", "entries: []\n")


def _delete_section_file(catalog: Path) -> None:
    (catalog / "sections" / "blog.yaml").unlink()


def _edit_list_yaml(catalog: Path) -> None:
    path = catalog / "list.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: MLLM\n", "title: MLLMs\n"), encoding="utf-8")


def _edit_prose(catalog: Path) -> None:
    with (catalog / "prose" / "news.md").open("a", encoding="utf-8") as prose:
        prose.write("One more line of news.\n")


def _edit_readme(catalog: Path) -> None:
    with (catalog.parent / "README.md").open("a", encoding="utf-8") as readme:
        readme.write("\nA line added by hand.\n")


def _delete_contributing(catalog: Path) -> None:
    (catalog.parent / "CONTRIBUTING.md").unlink()


def _add_section_page(catalog: Path) -> None:
    write(catalog.parent / "lists" / "gone.md", "[← Back to the list](../README.md)\n\nold\n")


def _edit_chart(catalog: Path) -> None:
    (catalog.parent / "docs" / "img" / "timeline.svg").write_text("<svg/>\n", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit a section file, same size and mtime": _same_size_edit,
    "add a section file": _add_section_file,
    "delete a section file": _delete_section_file,
    "edit list.yaml": _edit_list_yaml,
    "edit a prose file": _edit_prose,
    "edit README.md": _edit_readme,
    "delete CONTRIBUTING.md": _delete_contributing,
    "add a section page beside the README": _add_section_page,
    "edit a chart picture": _edit_chart,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_every_change_to_what_lint_reads_is_seen(run, page, monkeypatch, tmp_path, change):
    before = outcome(run, "--catalog", page, "--format", "json")
    assert before[0] == 0 and stored_entries()
    change(page)
    after = outcome(run, "--catalog", page, "--format", "json")
    assert after != before
    assert after == cold(run, monkeypatch, tmp_path, "--catalog", page, "--format", "json")


def test_other_options_get_their_own_result(run, page, monkeypatch, tmp_path):
    (page.parent / "README.md").unlink()
    (page.parent / "docs" / "img" / "timeline.svg").unlink()
    for args in (("--select", "readme-stale"), ("--select", "chart-stale"), ("--ignore", "readme-stale"),
                 ("--format", "github"), ("--select", "readme-stale", "--format", "json"), ()):
        assert outcome(run, "--catalog", page, *args) == cold(run, monkeypatch, tmp_path, "--catalog", page, *args)
    assert len(stored_entries()) == 6


def test_paths_are_shown_as_a_cold_run_shows_them_from_each_folder(run, page, monkeypatch, tmp_path):
    (page.parent / "README.md").unlink()
    (page.parent / "docs" / "img" / "timeline.svg").unlink()
    for folder, catalog in ((page.parent, "catalog"), (page, "."), (page / "sections", "..")):
        monkeypatch.chdir(folder)
        expected = cold(run, monkeypatch, tmp_path, "--catalog", catalog)
        assert outcome(run, "--catalog", catalog) == expected
        assert outcome(run, "--catalog", catalog) == expected


def test_a_corrupt_or_unreadable_entry_is_ignored(run, page, monkeypatch, tmp_path):
    (page.parent / "README.md").unlink()
    expected = outcome(run, "--catalog", page)
    for garbage in (b"", b"\x00\xff not json", b"[]", b'{"inputs": [], "output": {"lines": 7}}',
                    b'{"inputs": [[1, 2]], "output": null}', b'{"inputs": [], "output": {"lines": null, '
                    b'"text": "made up", "exit_code": 5}}'):
        for entry in stored_entries():
            entry.write_bytes(garbage)
        assert outcome(run, "--catalog", page) == expected
    for entry in stored_entries():
        entry.unlink()
        entry.mkdir()  # a folder where the entry should be: read and write both fail
    assert outcome(run, "--catalog", page) == expected


def test_fix_always_runs(run, page):
    readme = page.parent / "README.md"
    readme.unlink()
    assert outcome(run, "--catalog", page)[0] == 1
    result = run("lint", "--catalog", page, "--fix")
    assert result.exit_code == 0 and readme.is_file()
    assert outcome(run, "--catalog", page) == (0, "0 errors, 0 warnings\n", "")


def test_a_catalog_written_a_moment_ago_is_not_kept(run, repo_catalog):
    """A file changed less than a second before lint began may have changed while lint read it."""
    assert outcome(run, "--catalog", repo_catalog)[0] == 1
    assert stored_entries() == []


def test_verbose_and_markdown_runs_are_not_kept(run, page):
    assert run("-v", "lint", "--catalog", page).stderr.startswith("catalog: ")
    assert run("lint", str(REPO / "tests" / "data" / "seed.md")).exit_code in (0, 1)
    assert stored_entries() == []


def _lint_in_a_process(catalog: Path, package: Path | None = None) -> tuple[str, str]:
    """(stdout, whether the rules were imported) of `vrlcat lint` in a new Python process."""
    script = ("import sys\nimport vrlcat.lintcache\nvrlcat.lintcache.SETTLED_NS = 0\n"
              "from vrlcat.cli import main\n"
              f"sys.argv = ['vrlcat', 'lint', '--catalog', {str(catalog)!r}]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "heavy = ['vrlcat.store', 'vrlcat.schema', 'vrlcat.model', 'vrlcat.lint', 'vrlcat.render', "
              "'vrlcat.dedup', 'vrlcat.charts', 'vrlcat.workflow', 'yaml', 'ruamel', 'rich', 'httpx', "
              "'markdown_it', 'matplotlib']\n"
              "print(' '.join(name for name in heavy if name in sys.modules) or 'none', file=sys.stderr)\n")
    env = {**os.environ, "PYTHONPATH": str(package)} if package else None
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    return result.stdout, result.stderr.strip()


def test_a_warm_run_imports_none_of_the_heavy_modules(page):
    cold_stdout, cold_imports = _lint_in_a_process(page)
    assert "vrlcat.lint" in cold_imports.split()
    warm_stdout, warm_imports = _lint_in_a_process(page)
    assert (warm_stdout, warm_imports) == (cold_stdout, "none")


def test_another_vrlcat_version_or_code_runs_again(tmp_path, page):
    package = tmp_path / "package"
    shutil.copytree(Path(vrlcat.__file__).parent, package / "vrlcat", ignore=shutil.ignore_patterns("__pycache__"))
    (page.parent / "README.md").unlink()
    first, _ = _lint_in_a_process(page, package)
    assert "README.md is missing" in first
    assert _lint_in_a_process(page, package) == (first, "none")

    init = package / "vrlcat" / "__init__.py"  # another version, same size and time: no code changed
    before = init.stat()
    version = vrlcat.__version__
    other = version[:-1] + ("8" if version.endswith("9") else "9")
    init.write_text(init.read_text(encoding="utf-8").replace(f'"{version}"', f'"{other}"'), encoding="utf-8")
    os.utime(init, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert other in init.read_text(encoding="utf-8") and init.stat().st_size == before.st_size
    stdout, imported = _lint_in_a_process(page, package)
    assert stdout == first and "vrlcat.lint" in imported.split()

    rules = package / "vrlcat" / "lint" / "page.py"  # new code: a message says it otherwise
    rules.write_text(rules.read_text(encoding="utf-8").replace('"missing" if written', '"gone" if written'),
                     encoding="utf-8")
    stdout, imported = _lint_in_a_process(page, package)
    assert "README.md is gone" in stdout and "vrlcat.lint" in imported.split()


def test_while_a_writer_holds_the_lock_lint_says_what_a_cold_run_says(run, page, monkeypatch, tmp_path):
    from filelock import FileLock

    from vrlcat.workflow import LOCK_FILE

    assert outcome(run, "--catalog", page)[0] == 0
    with FileLock(str(page / LOCK_FILE)):
        _edit_readme(page)  # the writer's change, made under its lock
        expected = cold(run, monkeypatch, tmp_path, "--catalog", page)
        assert expected[0] == 1
        assert outcome(run, "--catalog", page) == expected
        assert outcome(run, "--catalog", page) == expected


def test_a_killed_runs_leftovers_are_cleaned_up_as_by_a_cold_run(run, page):
    assert outcome(run, "--catalog", page)[0] == 0
    leftover = write(page.parent / ".README.md.0123abcd.vrlcat-tmp", "half written\n")  # not a catalog file
    assert outcome(run, "--catalog", page)[0] == 0
    assert not leftover.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_on_a_terminal_a_replay_is_coloured_as_the_cold_run_was(page):
    import pty

    (page.parent / "README.md").unlink()
    script = ("import sys\nimport vrlcat.lintcache\nvrlcat.lintcache.SETTLED_NS = 0\nfrom vrlcat.cli import main\n"
              f"sys.argv = ['vrlcat', 'lint', '--catalog', {str(page)!r}]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('vrlcat.lint' in sys.modules, file=sys.stderr)\n")
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env.update(COLUMNS="100", TERM="xterm-256color")

    def on_a_terminal() -> tuple[bytes, str]:
        main, terminal = pty.openpty()
        try:
            done = subprocess.run([sys.executable, "-c", script], stdout=terminal, stderr=subprocess.PIPE,
                                  env=env, text=True, check=True)
        finally:
            os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            shown += chunk
        os.close(main)
        return shown, done.stderr.strip()

    cold_run, warm_run = on_a_terminal(), on_a_terminal()
    assert b"\x1b[" in cold_run[0] and b"README.md is missing" in cold_run[0]
    assert (cold_run[1], warm_run) == ("True", (cold_run[0], "False"))
