"""What every command does around its work (vrlcat.workflow): one writer at a
time, no overwriting of a file changed on disk, import --force replacing the
whole catalog, and every expected failure as one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from filelock import FileLock

from conftest import SEED, one_section_catalog, snapshot, write
from vrlcat.store import load_catalog
from vrlcat.workflow import LOCK_FILE

SECTION = "entries:\n  - {title: Old paper, url: 'https://old.org', date: 2020-01}\n"


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def add_args(root, n):
    return ["add", "--catalog", str(root), "--url", f"https://p{n}.org", "--title", f"Paper {n}",
            "--date", "2025-01", "--section", "a"]


def test_a_second_writer_waits_then_says_the_catalog_is_busy(run, tmp_path, monkeypatch):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    before = snapshot(root)
    monkeypatch.setenv("VRLCAT_LOCK_TIMEOUT", "0.2")
    with FileLock(str(root / LOCK_FILE)):
        result = run(*add_args(root, 1))
        assert run("lint", "--catalog", root).exit_code in (0, 1)  # a reader does not wait
    assert_one_line_error(result, str(root), "the catalog is busy", "waited 0.2 s")
    assert snapshot(root) == before
    assert run(*add_args(root, 1)).exit_code == 0


@pytest.mark.slow  # six real vrlcat processes
def test_two_adds_at_once_never_lose_an_entry(tmp_path):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    for round_ in range(3):
        numbers = (2 * round_, 2 * round_ + 1)
        adds = [subprocess.Popen([sys.executable, "-m", "vrlcat", *add_args(root, n)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for n in numbers]
        for process in adds:
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, stderr
    titles = sorted(e.title for e in load_catalog(root).catalog.section("a").entries)
    assert titles == ["Old paper"] + [f"Paper {n}" for n in range(6)]


def test_a_hand_edit_made_while_a_command_works_is_never_overwritten(run, tmp_path, monkeypatch):
    import vrlcat.add

    root = one_section_catalog(tmp_path / "catalog", SECTION)
    path = root / "sections" / "a.yaml"
    planned = vrlcat.add.planned_files

    def edit_by_hand_then_plan(loaded, drafts):
        path.write_text(SECTION + "  - {title: Typed meanwhile, url: 'https://h.org', date: 2021-01}\n")
        return planned(loaded, drafts)

    monkeypatch.setattr(vrlcat.add, "planned_files", edit_by_hand_then_plan)
    result = run(*add_args(root, 1))
    assert_one_line_error(result, f"{path}: changed on disk while vrlcat was working; nothing was written")
    assert "Typed meanwhile" in path.read_text() and "Paper 1" not in path.read_text()


def test_import_force_leaves_no_stale_section_or_prose_file(run, tmp_path):
    root = tmp_path / "catalog"
    assert run("import", SEED, "--catalog", root).exit_code == 0
    write(root / "sections" / "gone.yaml", "entries: []\n")
    write(root / "prose" / "gone.md", "old prose\n")
    write(root / "notes.txt", "mine\n")
    small = write(tmp_path / "small.md", "# T\n\n## Only\n\n+ [P](https://p.org) (Jan. 2025)\n")
    assert run("import", small, "--catalog", root, "--force").exit_code == 0
    assert sorted(p.name for p in (root / "sections").iterdir()) == ["only.yaml"]
    assert not (root / "prose").exists() or list((root / "prose").iterdir()) == []
    assert (root / "notes.txt").read_text() == "mine\n"
    lint = run("lint", "--catalog", root, "--format", "json")
    assert "orphan-file" not in lint.stdout


def test_a_failed_import_into_a_new_folder_leaves_no_folder(run, tmp_path):
    bad = tmp_path / "latin1.md"
    bad.write_bytes(b"# T\n\n## S\n\n+ [Caf\xe9](https://p.org) (Jan. 2025)\n")
    assert_one_line_error(run("import", bad, "--catalog", tmp_path / "c"), str(bad), "not UTF-8")
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("variable, value", [
    ("VRLCAT_HTTP_RETRIES", "-1"), ("VRLCAT_HTTP_TIMEOUT", "nan"), ("VRLCAT_HTTP_TIMEOUT", "0"),
    ("VRLCAT_ARXIV_DELAY", "inf"), ("VRLCAT_HTTP_RETRIES", "2.5"), ("VRLCAT_LOCK_TIMEOUT", "soon"),
    ("VRLCAT_HTTP_CACHE_AGE", "a day"), ("VRLCAT_HTTP_RETRIES", "1e9"),
])
def test_a_bad_environment_value_names_the_variable(run, tmp_path, monkeypatch, variable, value):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    monkeypatch.setenv(variable, value)
    assert_one_line_error(run("sections", "--catalog", root), f"{variable}={value!r}", "fix or unset it")


HOSTILE_YAML = [
    ("alias", "entries:\n  - &e {title: A, url: 'https://a.org', date: 2020-01}\n  - *e\n", ":2:", "anchors and aliases"),
    ("alias bomb", ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nentries: [*c]\n"), ":1:", "anchors and aliases"),
    ("binary tag", "entries:\n  - {title: !!binary aGk=, url: 'https://a.org', date: 2020-01}\n", ":2:", "tags"),
    ("set tag", "entries: !!set {a, b}\n", ":1:", "tags"),
    ("BEL", "entries:\n  - {title: \"A\x07\", url: 'https://a.org', date: 2020-01}\n", ":2:", "BEL"),
    ("ESC", "entries:\n\n  - {title: \"A\x1b[31m\", url: 'https://a.org', date: 2020-01}\n", ":3:", "ESC"),
    ("deep flow", "entries: " + "[" * 3000 + "]" * 3000 + "\n", ":1:", "nested more than"),
    ("deep block", "entries:\n" + "".join("  " * i + "- \n" for i in range(1, 3000)), ":", "nested more than"),
    ("huge number", "entries:\n  - {title: A, url: 'https://a.org', date: " + "1" * 5000 + "}\n", ":2:",
     "5000 digits"),
]


@pytest.mark.parametrize("text, line, message", [h[1:] for h in HOSTILE_YAML], ids=[h[0] for h in HOSTILE_YAML])
@pytest.mark.parametrize("command", ["lint", "render", "sort", "dedup"])
def test_hostile_yaml_is_one_line_naming_file_and_line(run, tmp_path, text, line, message, command):
    root = one_section_catalog(tmp_path / "catalog", text)
    before = snapshot(root)
    assert_one_line_error(run(command, "--catalog", root), "a.yaml" + line, message)
    assert snapshot(root) == before


def test_utf16_and_latin1_files_are_one_line(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    (root / "sections" / "a.yaml").write_bytes(SECTION.encode("utf-16"))
    assert_one_line_error(run("lint", "--catalog", root), "a.yaml", "UTF-8")
    (root / "sections" / "a.yaml").write_text(SECTION)
    write(root / "list.yaml", "page: [sections, {file: prose/intro.md}]\nsections:\n  - {id: a, title: A, level: 2}\n")
    (root / "prose").mkdir()
    (root / "prose" / "intro.md").write_bytes(b"caf\xe9\n")
    assert_one_line_error(run("render", "--catalog", root), "intro.md", "not UTF-8")


def test_a_directory_where_a_file_should_be_is_one_line(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    (root / "sections" / "a.yaml").unlink()
    (root / "sections" / "a.yaml").mkdir()
    assert_one_line_error(run("render", "--catalog", root), "a.yaml")


def test_a_name_over_255_bytes_is_one_line(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    write(root / "list.yaml", f"page: [{{file: prose/{'x' * 300}.md}}, sections]\nsections:\n"
          "  - {id: a, title: A, level: 2}\n")
    assert_one_line_error(run("render", "--catalog", root), "x" * 255)


def test_an_unwritable_folder_is_one_line_and_changes_nothing(run, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    (root / "sections").chmod(0o555)
    try:
        assert_one_line_error(run(*add_args(root, 1)), "sections")
    finally:
        (root / "sections").chmod(0o755)


FLOW_STYLE = ("{entries: [{title: A, url: 'https://a.org', date: 2020-01}, "
              "{title: B, url: 'https://b.org', date: 2021-01}]}\n")


@pytest.mark.parametrize("command", [["sort"], add_args("{root}", 1)[:1] + add_args("{root}", 1)[3:]])
def test_yaml_vrlcat_would_refuse_to_read_is_never_written(run, tmp_path, command):
    root = one_section_catalog(tmp_path / "catalog", FLOW_STYLE)
    before = snapshot(root)
    result = run(*command, "--catalog", root)
    if result.exit_code == 0:  # the dumper wrote it readably: every entry must still be there, once
        titles = [e.title for e in load_catalog(root).catalog.section("a").entries]
        assert sorted(set(titles)) == sorted(titles) and {"A", "B"} <= set(titles)
    else:
        assert_one_line_error(result, "a.yaml", "vrlcat would write YAML it refuses", "nothing was written")
        assert snapshot(root) == before
