"""The hooks, run by the real pre-commit.

The published hooks (.pre-commit-hooks.yaml) in a throwaway list repository: pre-commit installs
this repository (at a commit or tag) into its own virtual environment, as it would for any other
list that uses them. This repository's own hooks (.pre-commit-config.yaml) on a fresh clone: they
run the clone's src/ in an environment holding only vrlcat's dependencies.

The tests that run pre-commit are slow (a real git repository and virtual environments): .ci/run
runs them, -m "not slow" skips them."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, fresh_clone, write

try:
    import tomllib
except ImportError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

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
def env(tmp_path_factory) -> dict[str, str]:
    """pre-commit's cache (its hook environments) in the session's tmp folder, shared by the tests."""
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home"),
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}


def pre_commit(folder, env, *args):
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture
def list_repo(tmp_path, head, run, env):
    folder = tmp_path / "list"
    write(folder / "catalog" / "list.yaml", LIST)
    write(folder / "catalog" / "sections" / "papers.yaml", ENTRIES)
    assert run("render", "--catalog", folder / "catalog", "-o", folder / "README.md").exit_code == 0
    write(folder / ".pre-commit-config.yaml", f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
          "      - id: vrlcat-lint\n      - id: vrlcat-render\n")
    assert git(folder, "init", "-q", "-b", "main").returncode == 0
    install = pre_commit(folder, env, "install")
    assert install.returncode == 0, install.stderr
    return folder, env


def commit(folder, env, message):
    """git commit; the hooks' report is on its stderr."""
    git(folder, "add", "-A", env=env)
    return git(folder, "commit", "-q", "-m", message, env=env)


@pytest.mark.slow
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


# This repository's own hooks.

def own_hooks() -> list[dict]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_every_hook_is_language_python():
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    for hook in [*own_hooks(), *published]:
        assert hook["language"] == "python", hook["id"]


def test_own_hooks_run_src_with_the_package_dependencies():
    """pre-commit never installs this repository for a `repo: local` hook: the environment holds the
    additional_dependencies only, so they must be vrlcat's runtime dependencies, word for word."""
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for hook in own_hooks():
        assert hook["additional_dependencies"] == dependencies, (
            f"{hook['id']}: additional_dependencies in .pre-commit-config.yaml differ from pyproject.toml's dependencies")
        assert hook["entry"].startswith("python -c ") and 'sys.path.insert(0, "src")' in hook["entry"], hook["id"]


WRONG_DATE = re.compile(r"(arxiv: '(\d\d)(\d\d)\.\d+'\n\s+date: '?20\2-)(\d\d)")


def break_a_date(catalog) -> None:
    """Give one arXiv entry of the catalog a month its arXiv id contradicts (lint: date-matches-arxiv)."""
    for path in sorted((catalog / "sections").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        found = WRONG_DATE.search(text)
        if found:
            wrong = "01" if found[4] != "01" else "02"
            path.write_text(text[:found.start(4)] + wrong + text[found.end(4):], encoding="utf-8")
            return
    raise AssertionError("no entry with an arXiv id and its date in the catalog")


@pytest.mark.slow
def test_own_hooks_check_a_fresh_clone_with_its_own_code(tmp_path, env):
    """With nothing but pre-commit installed: the clean clone passes; a wrong date in its catalog is
    refused, by `pre-commit run` and by `git commit`; and the vrlcat that runs is the clone's src/."""
    clone = fresh_clone(tmp_path)
    clean = pre_commit(clone, env, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"vrlcat lint\.+Passed", clean.stdout) and re.search(r"vrlcat render --check\.+Passed", clean.stdout)

    break_a_date(clone / "catalog")
    refused = pre_commit(clone, env, "run", "--all-files")
    assert refused.returncode != 0
    assert re.search(r"vrlcat lint\.+Failed", refused.stdout) and "date-matches-arxiv" in refused.stdout

    assert pre_commit(clone, env, "install").returncode == 0
    committed = git(clone, "commit", "-q", "-am", "a wrong date", env=env)
    assert committed.returncode != 0 and "date-matches-arxiv" in committed.stdout + committed.stderr
    assert git(clone, "checkout", "--", "catalog").returncode == 0

    init = clone / "src" / "vrlcat" / "__init__.py"
    init.write_text(init.read_text(encoding="utf-8") + 'raise SystemExit("the vrlcat of this clone ran")\n')
    ours = pre_commit(clone, env, "run", "--all-files")
    assert ours.returncode != 0 and ours.stdout.count("the vrlcat of this clone ran") == 2, ours.stdout


# The published snippet and the release tag it names.

def version_tag() -> str:
    from vrlcat import __version__

    return f"v{__version__}"


PLACEHOLDER = "vX.Y.Z"  # docs/releasing.md writes the steps for any version


def test_the_docs_name_the_release_tag_of_this_version():
    """Every `rev:` and every `vrlcat@...` (uses:, pip and pipx installs from git) in docs/*.md names
    v{__version__}: a version bump that leaves a doc behind fails here."""
    tag, seen = version_tag(), set()
    for doc in sorted((REPO / "docs").glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        for ref in re.findall(r"\brev:\s*['\"]?([^\s'\"`]+)", text) + re.findall(r"vrlcat@([\w.]+)", text):
            assert ref in (tag, PLACEHOLDER), f"{doc.name} names {ref}; this version's release tag is {tag}"
            if ref == tag:
                seen.add(doc.name)
    assert {"usage.md", "adopt.md"} <= seen


def published_snippet() -> str:
    """The `.pre-commit-config.yaml` of docs/usage.md's "As a pre-commit hook", as written."""
    usage = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")
    return usage.split("### As a pre-commit hook\n", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]


@pytest.mark.slow
def test_the_published_snippet_works_at_its_release_tag(list_repo):
    """docs/usage.md's snippet through pre-commit, with only `repo:` pointed at this repository: it
    installs vrlcat at the tag named there, passes a clean list and refuses a wrong date."""
    snippet = published_snippet()
    (config,) = yaml.safe_load(snippet)["repos"]
    assert config["repo"] == "https://github.com/OWNER/vrlcat" and config["rev"] == version_tag()
    if not git(REPO, "tag", "-l", config["rev"]).stdout.strip():
        pytest.skip(f"the release tag {config['rev']} is missing: the lead tags main (docs/releasing.md)")
    folder, env = list_repo
    write(folder / ".pre-commit-config.yaml", snippet.replace(config["repo"], str(REPO), 1))

    clean = commit(folder, env, "a clean list")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (folder / "catalog" / "sections" / "papers.yaml").write_text(ENTRIES.replace("date: 2025-05", "date: 2025-03"))
    refused = commit(folder, env, "a wrong date")
    assert refused.returncode != 0 and "date-matches-arxiv" in refused.stderr
