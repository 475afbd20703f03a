"""Safe writes (vrlcat.fsio): all or nothing, old files put back on failure,
leftovers of a killed run cleaned up, and a file's mode, symlink and line
endings kept; what is not a writable regular file is refused."""

from __future__ import annotations

import json
import os
import stat

import pytest

from conftest import one_section_catalog, snapshot
from vrlcat import fsio
from vrlcat.errors import VrlcatError
from vrlcat.fsio import JOURNAL, Guard, recover, write_files

SECTION = "entries:\n  - {title: B, url: 'https://b.org', date: 2020-01}\n  - {title: A, url: 'https://a.org', date: 2025-01}\n"


def side_files(folder):
    return sorted(p.name for p in folder.rglob("*") if fsio.is_leftover(p.parent, p.name) or p.name == JOURNAL)


def test_a_failure_part_way_puts_every_old_file_back(tmp_path, monkeypatch):
    a, b, c = (tmp_path / n for n in ("a.txt", "b.txt", "c.txt"))
    a.write_text("old a")
    b.write_text("old b")
    real_replace, calls = os.replace, []

    def replace_then_fail(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(OSError):
        write_files({a: "new a", b: "new b", c: "new c"})
    assert (a.read_text(), b.read_text(), c.exists()) == ("old a", "old b", False)
    assert side_files(tmp_path) == []


def test_removals_are_part_of_the_same_swap(tmp_path):
    keep, stale = tmp_path / "keep.yaml", tmp_path / "stale.yaml"
    stale.write_text("old")
    write_files({keep: "new"}, remove=[stale])
    assert keep.read_text() == "new" and not stale.exists() and side_files(tmp_path) == []


@pytest.mark.parametrize("mode", [0o644, 0o664, 0o755])
def test_the_files_mode_is_kept(tmp_path, mode):
    path = tmp_path / "a.yaml"
    path.write_text("old")
    path.chmod(mode)
    write_files({path: "new"})
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_a_new_file_gets_the_usual_mode_not_0600(tmp_path):
    path = tmp_path / "new.md"
    write_files({path: "x"})
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_writes_go_through_a_symlink_to_its_target(tmp_path):
    target = tmp_path / "real" / "README.md"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "README.md"
    link.symlink_to(target)
    write_files({link: "new"})
    assert link.is_symlink() and target.read_text() == "new"


def test_crlf_files_stay_crlf(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"entries:\r\n  - x\r\n")
    write_files({path: "entries:\n  - y\n"})
    assert path.read_bytes() == b"entries:\r\n  - y\r\n"
    lf = tmp_path / "b.yaml"
    lf.write_bytes(b"a\n")
    write_files({lf: "b\n"})
    assert lf.read_bytes() == b"b\n"


def test_fifos_directories_and_devices_are_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "folder").mkdir()
    device_link = tmp_path / "null"
    device_link.symlink_to("/dev/null")
    for path, kind in ((fifo, "a FIFO"), (tmp_path / "folder", "a directory"), (device_link, "a device")):
        with pytest.raises(VrlcatError, match=f"is {kind}, not a regular file"):
            write_files({path: "x"})
    assert stat.S_ISFIFO(fifo.stat().st_mode) and side_files(tmp_path) == []


def test_a_read_only_file_is_refused_not_replaced(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("old")
    path.chmod(0o444)
    with pytest.raises(VrlcatError, match="read-only"):
        write_files({path: "new"})
    assert path.read_text() == "old" and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_a_name_near_the_length_limit_still_writes(tmp_path):
    path = tmp_path / ("x" * 250 + ".md")
    write_files({path: "ok"})
    assert path.read_text() == "ok" and side_files(tmp_path) == []


def test_recover_finishes_a_committed_batch_and_undoes_a_staged_one(tmp_path):
    root = tmp_path / "catalog"
    (root / "sections").mkdir(parents=True)
    a, b = root / "sections" / "a.yaml", root / "sections" / "b.yaml"
    a.write_text("old a")
    b.write_text("old b")
    temp_a, temp_b = a.with_name(".a.yaml.0000000a.vrlcat-tmp"), b.with_name(".b.yaml.0000000b.vrlcat-tmp")
    temp_b.write_text("new b")  # a killed run swapped a in, not yet b
    a.write_text("new a")
    items = [{"target": str(a), "temp": str(temp_a), "backup": None, "remove": False},
             {"target": str(b), "temp": str(temp_b), "backup": None, "remove": False}]
    (root / JOURNAL).write_text(json.dumps({"state": "committed", "items": items}))
    recover(root)
    assert (a.read_text(), b.read_text()) == ("new a", "new b") and side_files(tmp_path) == []

    temp_a.write_text("newer a")  # killed while staging: the old set stays
    (root / JOURNAL).write_text(json.dumps({"state": "staging", "items": items}))
    assert side_files(tmp_path) == sorted([JOURNAL, temp_a.name])
    recover(root)
    assert a.read_text() == "new a" and side_files(tmp_path) == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    path = tmp_path / "catalog" / "list.yaml"
    path.parent.mkdir()
    path.write_text("old")
    guard = Guard.snapshot(path.parent)
    path.write_text("a hand edit")
    token = fsio.ACTIVE_GUARD.set(guard)
    try:
        with pytest.raises(VrlcatError, match="changed on disk") as caught:
            write_files({path: "new"})
    finally:
        fsio.ACTIVE_GUARD.reset(token)
    assert caught.value.path == str(path) and path.read_text() == "a hand edit"


def test_leftovers_of_a_killed_run_are_removed_by_the_next_command(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    before = snapshot(root)
    for folder in (root, root / "sections", tmp_path):
        (folder / ".a.yaml.deadbeef.vrlcat-tmp").write_text("half")
        (folder / ".a.yaml.0123cafe.vrlcat-old").write_text("old")
    (root / "sections" / ".a.yaml.abcd1234.tmp").write_text("left by an older vrlcat")
    (tmp_path / ".notes.abcd1234.tmp").write_text("the user's own file, beside no notes")
    assert len(side_files(tmp_path)) == 7
    assert run("sections", "--catalog", root).exit_code == 0
    assert side_files(tmp_path) == [] and snapshot(root) == before
    assert (tmp_path / ".notes.abcd1234.tmp").exists()


@pytest.mark.parametrize("make, message", [
    (lambda p: os.mkfifo(p), "is a FIFO, not a regular file"),
    (lambda p: p.mkdir(), "is a directory, not a regular file"),
    (lambda p: p.symlink_to("/dev/null"), "is a device, not a regular file"),
])
def test_render_output_goes_through_the_same_checks(run, tmp_path, make, message):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    out = tmp_path / "README.md"
    make(out)
    result = run("render", "--catalog", root, "-o", out)
    assert result.exit_code == 2 and result.stderr.strip() == f"error: {out}: {message}; vrlcat only replaces " \
                                                              "files: choose another path"


def test_render_writes_through_a_symlinked_readme_keeping_crlf(run, tmp_path):
    root = one_section_catalog(tmp_path / "catalog", SECTION)
    target = tmp_path / "docs" / "list.md"
    target.parent.mkdir()
    target.write_bytes(b"old\r\n")
    target.chmod(0o640)
    (tmp_path / "README.md").symlink_to(target)
    assert run("render", "--catalog", root, "-o", tmp_path / "README.md").exit_code == 0
    data = target.read_bytes()
    assert (tmp_path / "README.md").is_symlink() and b"[A](https://a.org)" in data
    assert data.count(b"\n") == data.count(b"\r\n") and stat.S_IMODE(target.stat().st_mode) == 0o640
