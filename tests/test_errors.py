"""Bad input: one clear line naming file, line and field; exit 2; nothing written."""

from __future__ import annotations

import pytest

from conftest import snapshot, write
from vrlcat.store import LIST_FILE, section_path


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_markdown_file(run, tmp_path):
    result = run("import", tmp_path / "nope.md", "--catalog", tmp_path / "c")
    assert_one_line_error(result, "nope.md", "file not found")
    assert not (tmp_path / "c").exists()


def test_invalid_yaml_names_line_and_column(run, seed_catalog, tmp_path):
    path = section_path(seed_catalog, "mllm")
    lines = path.read_text().splitlines()
    lines[2] = "    arxiv: [unclosed"
    path.write_text("\n".join(lines) + "\n")
    result = run("render", "--catalog", seed_catalog, "-o", tmp_path / "out.md")
    assert_one_line_error(result, "mllm.yaml:4:", "invalid YAML:")
    assert not (tmp_path / "out.md").exists()


def test_unknown_field_names_file_line_entry_and_suggests(run, seed_catalog):
    path = section_path(seed_catalog, "mllm")
    path.write_text(path.read_text().replace("    code: https://github.com/ModalMinds", "    cod: https://github.com/ModalMinds", 1))
    result = run("render", "--catalog", seed_catalog)
    assert_one_line_error(result, "mllm.yaml:5:", "2503.07365", "unknown entry field 'cod'", "did you mean 'code'")


@pytest.mark.parametrize("replacement, message", [
    ("    date: 2025-13", "date '2025-13' is not YYYY-MM"),
    ("    date: 2025.03", "read as the number"),
    ("    date: [2025]", "field 'date' must be text"),
])
def test_wrong_values_are_schema_errors(run, seed_catalog, replacement, message):
    path = section_path(seed_catalog, "mllm")
    path.write_text(path.read_text().replace("    date: 2025-03", replacement, 1))
    assert_one_line_error(run("render", "--catalog", seed_catalog), "mllm.yaml:4:", message)


def test_duplicate_section_id(run, seed_catalog):
    path = seed_catalog / LIST_FILE
    path.write_text(path.read_text().replace("id: multi-agent", "id: mllm"))
    assert_one_line_error(run("sections", "--catalog", seed_catalog), "list.yaml", "duplicate section id 'mllm'")


def test_unknown_section_id_in_a_cross_listing(run, seed_catalog):
    path = section_path(seed_catalog, "mllm")
    path.write_text(path.read_text().replace("    date: 2025-03", "    date: 2025-03\n    also_in: [nowhere]", 1))
    assert_one_line_error(run("render", "--catalog", seed_catalog), "unknown section id 'nowhere'")


def test_no_catalog_anywhere(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(run("render"), "no catalog/ found")


def test_a_failed_command_writes_nothing(run, seed_catalog, tmp_path):
    write(seed_catalog / LIST_FILE, (seed_catalog / LIST_FILE).read_text() + "bogus: 1\n")
    before = snapshot(tmp_path)
    result = run("render", "--catalog", seed_catalog, "-o", tmp_path / "README.md")
    assert_one_line_error(result, "unknown list field 'bogus'")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("replacement, message", [
    ("  - title: '   '", "field 'title' is empty"),
    ("  - title: \"A\\aB\"", "control character U+0007"),
    ("  - title: \"A\\x1bB\"", "control character U+001B"),
    ("    date: 2025-03\n    venue: " + "9" * 5000, "a number of 5000 digits is too long: quote it as text"),
])
def test_text_fields_are_real_text(run, seed_catalog, replacement, message):
    path = section_path(seed_catalog, "mllm")
    text = path.read_text()
    first_title = next(line for line in text.splitlines() if line.startswith("  - title:"))
    target = first_title if replacement.startswith("  - title") else "    date: 2025-03"
    path.write_text(text.replace(target, replacement, 1))
    assert_one_line_error(run("render", "--catalog", seed_catalog), "mllm.yaml:", message)


@pytest.mark.parametrize("old, new, message", [
    ("id: multi-agent", "id: ../../x", "section id '../../x' must be"),
    ("id: multi-agent", "id: /tmp/x", "section id '/tmp/x' must be"),
    ("  - file: prose/news.md", "  - file: /etc/passwd", "prose file '/etc/passwd' must be a relative path"),
    ("  - file: prose/news.md", "  - file: ../../secret.md", "must be a relative path inside the catalog"),
    ("settings:\n", "settings:\n  render_on_add: /tmp/elsewhere.md\n", "render_on_add '/tmp/elsewhere.md' must be"),
])
def test_nothing_in_list_yaml_points_outside_the_repository(run, seed_catalog, tmp_path, old, new, message):
    path = seed_catalog / LIST_FILE
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    before = snapshot(tmp_path)
    result = run("render", "--catalog", seed_catalog, "-o", tmp_path / "README.md")
    assert_one_line_error(result, "list.yaml:", message)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("url", ["http://[x", "https://example.org/a\nb", "javascript:alert(1)"])
def test_a_bad_url_is_a_finding_never_a_crash(run, seed_catalog, url):
    path = section_path(seed_catalog, "mllm")
    path.write_text(path.read_text().replace("    code: https://github.com/ModalMinds/MM-EUREKA",
                                             f"    code: {url!r}".replace("'", '"'), 1))
    for args in (["lint"], ["lint", "--fix"], ["render"]):
        result = run(*args, "--catalog", seed_catalog)
        assert "Traceback" not in result.stderr and result.exit_code in (0, 1), (args, result.stderr)
    findings = run("lint", "--catalog", seed_catalog, "--format", "json").stdout
    assert '"code-url"' in findings or '"url-malformed"' in findings or '"url-scheme"' in findings


def test_a_prose_file_that_links_outside_the_catalog_is_refused(run, seed_catalog, tmp_path):
    secret = write(tmp_path / "secret.txt", "do not publish\n")
    news = seed_catalog / "prose" / "news.md"
    news.unlink()
    news.symlink_to(secret)
    result = run("render", "--catalog", seed_catalog)
    assert_one_line_error(result, "prose/news.md leads outside the catalog folder")
    assert "do not publish" not in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--url", "https://x.org", "--title", "   ", "--date", "2025-01"], "--title is empty"),
    (["--url", "http://[x", "--title", "T", "--date", "2025-01"], "--url 'http://[x' is not a valid URL"),
    (["--url", "https://x.org/a\nb", "--title", "T", "--date", "2025-01"], "contains spaces or line breaks"),
    (["--url", "javascript:alert(1)", "--title", "T", "--date", "2025-01"], "uses the scheme 'javascript:'"),
])
def test_add_never_writes_an_empty_or_invalid_value(run, seed_catalog, tmp_path, args, message):
    before = snapshot(seed_catalog)
    result = run("add", "--catalog", seed_catalog, *args, "--section", "mllm")
    assert_one_line_error(result, message)
    assert snapshot(seed_catalog) == before


def test_a_repeated_section_id_is_a_lint_finding_not_a_crash(run, seed_catalog):
    path = seed_catalog / LIST_FILE
    path.write_text(path.read_text().replace("id: multi-agent", "id: mllm"))
    result = run("lint", "--catalog", seed_catalog)
    assert result.exit_code == 1 and "duplicate section id 'mllm'" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_error_lines_name_files_relative_to_the_repository_from_any_folder(run, seed_catalog, monkeypatch):
    """The same path lint and GitHub annotations show, wherever the command is run from."""
    (seed_catalog.parent / ".git").mkdir()
    path = section_path(seed_catalog, "mllm")
    path.write_text(path.read_text().replace("    date: 2025-03", "    date: 2025-13", 1))
    shown = path.relative_to(seed_catalog.parent).as_posix()
    monkeypatch.chdir(path.parent)
    result = run("render")
    assert_one_line_error(result, "2025-13")
    assert result.stderr.startswith(f"error: {shown}:4: ")
