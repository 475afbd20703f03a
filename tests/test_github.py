"""The list's GitHub workflow: the add-paper issue's step, and every workflow and action file
checked with actionlint."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO, write
from vrlcat.store import load_catalog

LIST = """\
page:
  - sections
sections:
  - id: math
    title: Mathematics
    level: 2
  - id: comms
    title: Communications
    level: 2
"""

ISSUE = """\
### arXiv links

Please add https://arxiv.org/pdf/1605.08386v1, thanks!

### Section

Mathematics

### Anything else?

_No response_
"""


@pytest.fixture
def catalog(tmp_path):
    root = tmp_path / "catalog"
    write(root / "list.yaml", LIST)
    return root


def test_the_add_paper_step_adds_what_the_issue_asks_for(run, services, catalog, tmp_path):
    body = write(tmp_path / "issue.md", ISSUE)
    result = run("add", "--catalog", catalog, "--from-issue", body)
    assert result.exit_code == 0, result.stderr
    [(section, entry)] = list(load_catalog(catalog).catalog.entries())
    assert (section.id, entry.arxiv, entry.title) == ("math", "1605.08386", "Heat-bath random walks with Markov bases")
    assert run("render", "--catalog", catalog, "-o", tmp_path / "README.md").exit_code == 0
    assert "[Heat-bath random walks with Markov bases](https://arxiv.org/abs/1605.08386)" in \
        (tmp_path / "README.md").read_text()


@pytest.mark.parametrize("body, message", [
    ("### Title\n\nsomething\n", "no '### arXiv links' field"),
    ("### arXiv links\n\nno links here\n", "holds no arXiv id"),
    (ISSUE.replace("Mathematics", "Biology"), "section 'Biology' is not in the catalog"),
])
def test_a_bad_issue_is_one_line_and_exit_2(run, catalog, tmp_path, body, message):
    result = run("add", "--catalog", catalog, "--from-issue", write(tmp_path / "issue.md", body))
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1


GITHUB_FILES = sorted([*REPO.glob(".github/workflows/*.yml"), REPO / "action.yml",
                       *REPO.glob(".github/ISSUE_TEMPLATE/*.yml")])


def test_the_github_files_exist():
    names = {p.name for p in GITHUB_FILES}
    assert {"action.yml", "lint.yml", "render.yml", "add-paper.yml"} <= names


def test_actionlint_passes_on_every_workflow():
    workflows = [str(p) for p in REPO.glob(".github/workflows/*.yml")]  # ./ in lint.yml brings in action.yml
    assert shutil.which("actionlint"), "actionlint comes with the test extras"
    result = subprocess.run(["actionlint", *workflows], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
