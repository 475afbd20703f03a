"""Hostile edits of this repository's catalog: every command ends, says one line, and changes nothing.

Each example mutates one file of a copy of catalog/ (types changed, keys deleted,
odd Unicode and control characters, aliases, tags, huge numbers, deep nesting,
bad URLs, a directory in place of a file); lint, render, `sort --check` and
dedup then run on it.
"""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, snapshot

pytestmark = pytest.mark.slow

SCALARS = st.sampled_from([
    "''", "'   '", "null", "true", "[]", "{}", "[1, [2, [3]]]", "9" * 5000, "1e999", "-0", "2503.21776",
    '"\\u0007bell"', '"\\x1b[31mred"', '"\\u202e reversed"', '"\\ud800"', "\"zero\\u200bwidth\"",
    "!!binary aGVsbG8=", "!!set {a, b}", "!!python/object:os.system ls", "&a x", "*a",
    "'http://[x'", "'javascript:alert(1)'", "'https://x.org/a\\nb'", "'data:text/html,<script>'",
    "'" + "[" * 3000 + "'", "'<!-- -->'", "'## heading'", "\"line\\n## injected\"",
])
KEYS = st.sampled_from(["title", "arxiv", "url", "date", "venue", "code", "website", "badges", "authors", "hidden",
                        "also_in", "lint-ignore", "style", "label", "gap", "source", "bogus", "id", "level",
                        "children", "page", "settings", "entries", "file", "sort"])


def _mutants(text: str) -> st.SearchStrategy[str]:
    lines = text.split("\n")

    def set_value(index: int, key: str, value: str) -> str:
        out = list(lines)
        line = out[index % len(out)]
        indent = line[:len(line) - len(line.lstrip(" -"))]
        out[index % len(out)] = f"{indent}{key}: {value}"
        return "\n".join(out)

    def delete_line(index: int) -> str:
        out = list(lines)
        del out[index % len(out)]
        return "\n".join(out)

    def nest(depth: int) -> str:
        return text + "\nextra: " + "[" * depth + "]" * depth + "\n"

    def bomb(_: int) -> str:
        return text + "\nx: &a [1, 1, 1]\ny: &b [*a, *a, *a, *a]\nz: [*b, *b, *b, *b, *b]\n"

    index = st.integers(min_value=0, max_value=10_000)
    return st.one_of(
        st.builds(set_value, index, KEYS, SCALARS),
        st.builds(delete_line, index),
        st.builds(nest, st.sampled_from([40, 3000])),
        st.builds(bomb, index),
        st.builds(lambda t: t.replace(": ", ":\t", 3), st.just(text)),
        st.builds(lambda b: b, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))),
    )


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("mutants") / "catalog"
    shutil.copytree(REPO / "catalog", target)
    return target


FILES = ["list.yaml", "sections/mllm.yaml", "sections/visual-navigation.yaml", "prose/news.md"]


def _timeout(signum, frame):
    raise TimeoutError("a command ran past 10 s")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.sampled_from(FILES), st.data(), st.booleans())
def test_no_mutant_escapes(run, catalog, name, data, directory):
    path = catalog / name
    original = path.read_bytes()
    try:
        if directory and name.startswith("sections/"):
            path.unlink()
            path.mkdir()
        else:
            path.write_text(data.draw(_mutants(original.decode("utf-8"))), encoding="utf-8")
        before = snapshot(catalog)
        for args in (["lint"], ["render"], ["sort", "--check"], ["dedup"]):
            signal.signal(signal.SIGALRM, _timeout)
            signal.alarm(10)
            try:
                result = run(*args, "--catalog", catalog)
            finally:
                signal.alarm(0)
            assert result.exit_code in (0, 1, 2), (args, result.exit_code)
            assert "Traceback" not in result.stderr, (args, result.stderr)
            if result.exit_code == 2:
                assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)
            assert snapshot(catalog) == before, args
    finally:
        if path.is_dir():
            path.rmdir()
        path.write_bytes(original)
