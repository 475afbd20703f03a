"""Reading is fast and cached; writing is atomic and keeps hand-edited YAML intact."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrlcat import store, yaml_read
from vrlcat.errors import VrlcatError
from vrlcat.store import edit_yaml, read_yaml, write_files_atomically


def test_the_c_loader_is_in_use():
    from ruamel.yaml import CParser
    yaml = store._safe_yaml()
    assert CParser is not None
    assert yaml.Parser is CParser


def test_the_fast_reader_uses_pyyaml_s_c_parser():
    import yaml.cyaml

    assert yaml.__with_libyaml__ and issubclass(yaml_read._CoreLoader, yaml.cyaml.CParser)


SCALARS = ["yes", "on", "No", "2503.21776", "'2503.21776'", "012", "0o12", "0x1F", "-0b11", "1_000", ".5", "1e3",
           "+.inf", ".NaN", "~", "null", "", "True", "FALSE", "2025-06", "2025-06-01", "2025-06-01 10:00:00", "1:20",
           "0.", "+12", "_", "=", "<<", "a b", "\"x\\ty\"", "[1, yes, '2']", "{a: 1}", "|\n  block\n", "-"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_the_fast_reader_reads_what_ruamel_reads(scalar):
    """YAML 1.2 core, as ruamel reads it: `yes` stays text, an unquoted 2503.21776 is a number
    (the schema asks to quote it), timestamps stay text; what it leaves aside goes to ruamel."""
    text = f"entries:\n  - title: {scalar}\n    k: 1\n"
    try:
        expected = ("data", store._safe_yaml().load(text))
    except Exception as exc:
        expected = ("error", type(exc).__name__)
    try:
        assert repr(("data", yaml_read.load_core_yaml(text))) == repr(expected)
    except yaml_read.NotCoreYaml:
        pass  # ruamel reads it, so the answer is ruamel's


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children,
                                                                                     max_size=3), max_leaves=8))
@settings(max_examples=150, deadline=None)
def test_the_fast_reader_agrees_with_ruamel_on_any_data(value):
    text = store.dump_yaml({"entries": [{"x": value}]})
    try:
        got = yaml_read.load_core_yaml(text)
    except yaml_read.NotCoreYaml:
        return
    assert repr(got) == repr(store._safe_yaml().load(text))
    assert store.parse_yaml(text, "x.yaml") == got


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
