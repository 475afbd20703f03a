"""Render beyond one page: past settings.page_limit, a README and one page per top-level section."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

import pytest

from conftest import REPO
from generated import generated_catalog
from vrlcat.headings import headings_in, unique_anchors
from vrlcat.pages import render_files
from vrlcat.render import render
from vrlcat.store import catalog_files, load_catalog

_LINK_RE = re.compile(r"\]\(([^)\s]+)\)")


def test_a_list_under_the_limit_is_one_readme_as_before():
    catalog = load_catalog(REPO / "catalog").catalog
    assert render_files(catalog) == {"README.md": render(catalog)}


def local_links(files: dict[str, str]) -> list[tuple[str, str]]:
    """(file, target) for every link that stays inside the rendered files."""
    return [(name, target) for name, text in files.items() for target in _LINK_RE.findall(text)
            if not target.startswith(("http://", "https://"))]


def resolves(files: dict[str, str], name: str, target: str) -> bool:
    path, _, fragment = target.partition("#")
    goal = str(PurePosixPath(name).parent / path) if path else name
    goal = re.sub(r"[^/]+/\.\./", "", goal)
    if goal not in files:
        return False
    return not fragment or fragment in unique_anchors(headings_in(files[goal]))


@pytest.mark.slow
def test_5000_entries_split_into_pages_that_hold_each_entry_once_and_link_up():
    catalog = generated_catalog(5_000)
    assert len(render(catalog).encode("utf-8")) > catalog.settings.page_limit
    files = render_files(catalog)
    assert set(files) == {"README.md"} | {f"lists/area-{n}.md" for n in range(8)}
    for name, text in files.items():
        assert len(text.encode("utf-8")) < catalog.settings.page_limit, name
    for _, entry in catalog.entries():
        holders = [name for name, text in files.items() if f"(https://arxiv.org/abs/{entry.arxiv})" in text]
        assert len(holders) == 1 and holders[0].startswith("lists/"), (entry.arxiv, holders)
    links = local_links(files)
    assert len(links) == 8 * 4 + 8 + 8  # the contents, the pages list, each page's link back
    assert [link for link in links if not resolves(files, *link)] == []
    assert "- [Area 3: Policy](lists/area-3.md) (624 papers)" in files["README.md"]
    assert "  - [Topic 3.1 reward](lists/area-3.md#topic-31-reward) (156)" in files["README.md"]


def split_catalog(tmp_path: Path, limit: int = 30_000) -> Path:
    """This repository's list written to disk with a limit it passes."""
    catalog = load_catalog(REPO / "catalog").catalog
    catalog.settings.page_limit = limit
    root = tmp_path / "catalog"
    for path, text in catalog_files(catalog, root).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_render_check_lint_and_sync_handle_every_page(run, tmp_path):
    catalog = split_catalog(tmp_path)
    readme = tmp_path / "README.md"
    assert run("render", "-o", readme, "--catalog", catalog).exit_code == 0
    pages = sorted((tmp_path / "lists").glob("*.md"))
    assert len(pages) == 6 and "lists/rl-for-unified-model.md" in readme.read_text(encoding="utf-8")
    assert run("render", "--check", readme, "--catalog", catalog).exit_code == 0
    assert run("lint", "--catalog", catalog).exit_code == 0
    page = tmp_path / "lists" / "rl-for-unified-model.md"
    text = page.read_text(encoding="utf-8")
    title = re.search(r"\+ \[([^\]]+)\]", text).group(1)
    page.write_text(text.replace(title, title + " Revisited"), encoding="utf-8")
    check = run("render", "--check", readme, "--catalog", catalog)
    assert check.exit_code == 1 and "rl-for-unified-model.md" in check.stderr
    lint = run("lint", "--catalog", catalog)
    assert lint.exit_code != 0 and "rl-for-unified-model.md" in lint.stdout + lint.stderr
    synced = run("sync", readme, "--catalog", catalog)
    assert synced.exit_code == 0, synced.stderr
    assert "edited:" in synced.stdout
    assert title + " Revisited" in "".join(p.read_text(encoding="utf-8") for p in (catalog / "sections").iterdir())
    assert run("render", "--check", readme, "--catalog", catalog).exit_code == 0


def test_a_list_back_under_the_limit_loses_its_pages(run, tmp_path):
    catalog = split_catalog(tmp_path)
    readme = tmp_path / "README.md"
    run("render", "-o", readme, "--catalog", catalog)
    list_yaml = catalog / "list.yaml"
    list_yaml.write_text(list_yaml.read_text(encoding="utf-8").replace("  page_limit: 30000\n", ""), encoding="utf-8")
    assert run("render", "--check", readme, "--catalog", catalog).exit_code == 1
    assert run("render", "-o", readme, "--catalog", catalog).exit_code == 0
    assert list((tmp_path / "lists").glob("*.md")) == []
    assert run("render", "--check", readme, "--catalog", catalog).exit_code == 0


def test_sync_takes_a_missing_section_page_for_no_change(run, tmp_path):
    catalog = split_catalog(tmp_path)
    readme = tmp_path / "README.md"
    run("render", "-o", readme, "--catalog", catalog)
    before = sorted(p.read_text(encoding="utf-8") for p in (catalog / "sections").iterdir())
    (tmp_path / "lists" / "others.md").unlink()
    assert run("sync", readme, "--catalog", catalog).exit_code == 0
    assert sorted(p.read_text(encoding="utf-8") for p in (catalog / "sections").iterdir()) == before
    # sync, like every writing command, leaves the pages what render writes: the missing one is back
    assert (tmp_path / "lists" / "others.md").exists()
    assert run("render", "--check", readme, "--catalog", catalog).exit_code == 0
