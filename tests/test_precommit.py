"""The published hooks, run by the real pre-commit in a throwaway git repository.

pre-commit installs this repository (at its HEAD commit) into its own virtual
environment, as it would for any other list that uses the hooks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, write

pytestmark = pytest.mark.slow  # a real git repository and pre-commit: run by .ci/run, skipped by -m "not slow"

LIST = "title: Tiny\npage:\n  - toc: {heading: Contents}\n  - sections\nsections:\n  - {id: papers, title: Papers, level: 2}\n"
ENTRIES = "entries:\n  - title: A Paper\n    arxiv: '2505.01234'\n    date: 2025-05\n"


def git(folder, *args, env=None):
    return subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def head() -> str:
    result = git(REPO, "rev-parse", "HEAD")
    if result.returncode != 0:
        pytest.skip("the project is not a git checkout")
    return result.stdout.strip()


@pytest.fixture
def list_repo(tmp_path, head, run, tmp_path_factory):
    folder = tmp_path / "list"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    write(folder / "catalog" / "list.yaml", LIST)
    write(folder / "catalog" / "sections" / "papers.yaml", ENTRIES)
    assert run("render", "--catalog", folder / "catalog", "-o", folder / "README.md").exit_code == 0
    write(folder / ".pre-commit-config.yaml", f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
          "      - id: vrlcat-lint\n      - id: vrlcat-render\n")
    assert git(folder, "init", "-q", "-b", "main").returncode == 0
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=folder, env=env,
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return folder, env


def commit(folder, env, message):
    """git commit; the hooks' report is on its stderr."""
    git(folder, "add", "-A", env=env)
    return git(folder, "commit", "-q", "-m", message, env=env)


def test_hooks_refuse_errors_and_stale_readmes_and_pass_clean_lists(list_repo):
    folder, env = list_repo
    clean = commit(folder, env, "a clean list")
    assert clean.returncode == 0, clean.stdout + clean.stderr

    papers = folder / "catalog" / "sections" / "papers.yaml"
    papers.write_text(ENTRIES.replace("date: 2025-05", "date: 2025-03"))  # 2505 is May: lint error, README stale
    refused = commit(folder, env, "a wrong date")
    assert refused.returncode != 0
    assert "vrlcat lint" in refused.stderr and "date-matches-arxiv" in refused.stderr

    papers.write_text(ENTRIES)
    readme = folder / "README.md"
    readme.write_text(readme.read_text() + "hand edit\n")
    stale = commit(folder, env, "a hand-edited README")
    assert stale.returncode != 0
    assert "vrlcat render --check" in stale.stderr and "hand edit" in stale.stderr
    assert "vrlcat lint" in stale.stderr  # lint, too, sees the stale README
