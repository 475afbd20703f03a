"""Reading is fast and cached; writing is atomic and keeps hand-edited YAML intact."""

from __future__ import annotations

import os

import pytest

from vrlcat import store
from vrlcat.errors import VrlcatError
from vrlcat.store import edit_yaml, read_yaml, write_files_atomically


def test_the_c_loader_is_in_use():
    from ruamel.yaml import CParser
    yaml = store._safe_yaml()
    assert CParser is not None
    assert yaml.Parser is CParser


def test_a_warm_read_comes_from_the_cache_and_a_change_is_seen(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text("entries:\n  - title: A\n")
    assert read_yaml(path)["entries"][0]["title"] == "A"
    monkeypatch.setattr(store, "parse_yaml", lambda *a: pytest.fail("parsed again"))
    assert read_yaml(path)["entries"][0]["__line__"] == 2
    monkeypatch.undo()
    path.write_text("entries:\n  - title: B\n")
    assert read_yaml(path)["entries"][0]["title"] == "B"


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path, monkeypatch):
    good, other = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_files_atomically({good: "new", other: "new"})
    assert good.read_text() == "old" and not other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary files left


def test_round_trip_edit_keeps_comments_and_quoting(tmp_path):
    original = "# hand-written header\nentries:\n  - title: 'A'  # why A\n    arxiv: '2501.00001'\n"
    text = edit_yaml(original, lambda data: data["entries"].append({"title": "B"}), "s.yaml")
    assert text.startswith("# hand-written header\n")
    assert "title: 'A'  # why A" in text and "- title: B" in text


def test_unreadable_yaml_is_a_vrlcat_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a: [\n")
    with pytest.raises(VrlcatError, match=r"bad.yaml:2:1: invalid YAML"):
        read_yaml(path)
