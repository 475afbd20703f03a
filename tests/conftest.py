"""Shared fixtures: every test runs with its own parse cache and no catalog in sight."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakeapi import FakeServices
from vrlcat.cli import app
from vrlcat.workflow import LOCK_FILE

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
SEED = DATA / "seed.md"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("VRLCAT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("VRLCAT_CATALOG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def run():
    """Run the real CLI; returns the click Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def _imported_seed(tmp_path_factory) -> Path:
    """The seed list imported once per session (an import takes ~0.2 s; 60 tests start from it)."""
    target = tmp_path_factory.mktemp("seed") / "catalog"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VRLCAT_CACHE_DIR", str(tmp_path_factory.mktemp("seed-cache")))
        patch.delenv("VRLCAT_CATALOG", raising=False)
        result = CliRunner().invoke(app, ["import", str(SEED), "--catalog", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return target


@pytest.fixture
def seed_catalog(tmp_path, _imported_seed) -> Path:
    """The seed list imported into a fresh catalog folder (a copy of the session's import)."""
    target = tmp_path / "catalog"
    shutil.copytree(_imported_seed, target)
    return target


@pytest.fixture
def repo_catalog(tmp_path) -> Path:
    """A copy of the repository's own catalog, safe to change."""
    target = tmp_path / "catalog"
    shutil.copytree(REPO / "catalog", target)
    return target


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fresh_clone(tmp_path: Path) -> Path:
    """`git clone` of this repository (its committed HEAD) into tmp_path/clone; skips outside a git checkout."""
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    return clone


def one_section_catalog(root: Path, entries_yaml: str) -> Path:
    """A catalog with one section, `a`, holding the given section-file text."""
    write(root / "list.yaml", "page: [sections]\nsections:\n  - {id: a, title: A, level: 2}\n")
    write(root / "sections" / "a.yaml", entries_yaml)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove nothing changed (the
    lock file, which holds nothing, is left out)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != LOCK_FILE}


@pytest.fixture
def services(monkeypatch):
    """The loopback stand-in for arXiv, Hugging Face and GitHub, with the settings pointed at it."""
    with FakeServices() as fake:
        monkeypatch.setenv("VRLCAT_ARXIV_API", f"{fake.url}/arxiv/api/query")
        monkeypatch.setenv("VRLCAT_HF_API", f"{fake.url}/hf/api")
        monkeypatch.setenv("VRLCAT_GITHUB_API", f"{fake.url}/github")
        monkeypatch.setenv("VRLCAT_ARXIV_DELAY", "0.3")
        monkeypatch.setenv("VRLCAT_HTTP_BACKOFF", "0.05")
        monkeypatch.setenv("VRLCAT_HTTP_TIMEOUT", "1")
        monkeypatch.delenv("GITHUB_TOKEN", raising=False)
        yield fake


