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


RENDER_PLAN = REPO / ".github" / "scripts" / "render-plan.sh"


def _git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def pushed(tmp_path):
    """A git repository with a list's files committed; commit(files) makes one more commit, returns its sha."""
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.org")
    _git(repo, "config", "user.name", "t")

    def commit(*files):
        for name in files:
            path = repo / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(path.read_text() + "more\n" if path.exists() else "text\n")
        _git(repo, "add", "--all")
        _git(repo, "commit", "-q", "-m", "a commit")
        return _git(repo, "rev-parse", "HEAD")

    commit.repo = repo
    return commit


def _plan(repo, before, after):
    done = subprocess.run(["sh", str(RENDER_PLAN), before, after], capture_output=True, text=True, cwd=repo)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("files, plan", [
    (["catalog/sections/a.yaml"], "plan=render"),  # a catalog edit is rendered, never undone by sync
    (["README.md"], "plan=sync"),  # a hand edit of README.md is taken into the catalog
    (["lists/vision.md"], "plan=sync"),
    (["CONTRIBUTING.md"], "plan=sync"),  # sync reports it: it is rendered from catalog prose
    (["catalog/sections/a.yaml", "README.md"], "plan=check"),  # both: README.md must be the render
    (["docs/usage.md"], "plan=render"),
])
def test_render_yml_syncs_only_a_push_that_changed_the_pages_and_not_the_catalog(pushed, files, plan):
    first = pushed("README.md", "catalog/list.yaml", "catalog/sections/a.yaml")
    pushed("docs/other.md")
    after = pushed(*files)
    assert _plan(pushed.repo, first, after) == plan  # two commits in one push: all of them count


def test_render_yml_without_an_earlier_commit_guesses_nothing(pushed):
    """A first push or a forced one: what changed is not known, so README.md must already be the render
    (a sync or a render could undo an edit made in an earlier commit of the push)."""
    first = pushed("README.md", "catalog/sections/a.yaml")
    assert _plan(pushed.repo, "0" * 40, first) == "plan=check"  # a first push
    pushed("README.md")
    after = pushed("docs/d.md")  # the last commit alone would say: render, over the README edit before it
    assert _plan(pushed.repo, "0" * 40, after) == "plan=check"
    assert _plan(pushed.repo, "1234567" * 5 + "89abc", after) == "plan=check"  # a force push: before is gone
    assert _plan(pushed.repo, first, after) == "plan=sync"  # with the push's start known, the README edit counts


def test_render_yml_runs_the_plan_step_and_sync_only_when_it_says_so():
    text = (REPO / ".github" / "workflows" / "render.yml").read_text()
    assert "sh .github/scripts/render-plan.sh \"$BEFORE\" \"$AFTER\"" in text
    assert "if: steps.plan.outputs.plan == 'sync'\n        run: |\n          if ! vrlcat sync README.md; then" in text
    assert text.count("vrlcat sync README.md;") == 1
    assert "fetch-depth: 0" in text


def test_lint_yml_fails_a_pull_request_whose_edit_sync_cannot_take():
    text = (REPO / ".github" / "workflows" / "lint.yml").read_text()
    step = text[text.index("vrlcat sync README.md"):]
    assert "continue-on-error" not in text and "|| true" not in text
    assert step.index("exit 1") < step.index("uses: ./")  # sync's exit 1 stops the job before lint


def _commit_step() -> str:
    import yaml

    steps = yaml.safe_load((REPO / ".github" / "workflows" / "render.yml").read_text())["jobs"]["render"]["steps"]
    return next(step["run"] for step in steps if step.get("name", "").startswith("Commit"))


@pytest.mark.parametrize("changed", ["CONTRIBUTING.md", "README.md", "catalog/list.yaml", "lists/vision.md"])
def test_render_yml_commits_and_pushes_every_page_render_writes(pushed, tmp_path, changed):
    repo = pushed.repo
    pushed("README.md", "CONTRIBUTING.md", "catalog/list.yaml", "lists/vision.md", "docs/img/timeline.svg")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(origin)], check=True)
    _git(repo, "remote", "add", "origin", str(origin))
    _git(repo, "push", "-q", "-u", "origin", "HEAD")
    (repo / changed).write_text("rendered again\n")  # what `vrlcat render -o README.md` rewrote
    done = subprocess.run(["bash", "-e", "-c", _commit_step()], capture_output=True, text=True, cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _git(origin, "show", "--name-only", "--format=", "HEAD") == changed  # committed and pushed
    assert _git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize("answer, section_id", [
    ("gui interaction", "gui-interaction"),  # the heading, in another case
    ("  GUI Interaction. ", "gui-interaction"),  # surrounding spaces and punctuation
    ("GUI-INTERACTION", "gui-interaction"),  # the id, in another case
    ("`Think With Image`", "think-with-image"),
    ("spatial 3d perception with rl for mllms", "spatial-3d-perception-with-rl-for-mllms"),  # "&" as typed or not
])
def test_the_issue_section_is_matched_by_id_or_heading_whatever_the_case(answer, section_id):
    from vrlcat.issueform import paper_request

    catalog = load_catalog(REPO / "catalog").catalog
    body = ISSUE.replace("Mathematics", answer)
    assert paper_request(body, catalog).section == section_id


def test_an_issue_section_near_a_heading_says_did_you_mean(run, catalog, tmp_path):
    body = write(tmp_path / "issue.md", ISSUE.replace("Mathematics", "Mathematic"))
    result = run("add", "--catalog", catalog, "--from-issue", body)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert "section 'Mathematic' is not in the catalog (did you mean 'Mathematics'?)" in result.stderr
    from vrlcat.errors import VrlcatError
    from vrlcat.issueform import paper_request

    with pytest.raises(VrlcatError, match="did you mean 'GUI Interaction'"):
        paper_request(ISSUE.replace("Mathematics", "GUI Interactions"), load_catalog(REPO / "catalog").catalog)


def _add_paper_step(name: str) -> str:
    import yaml

    steps = yaml.safe_load((REPO / ".github" / "workflows" / "add-paper.yml").read_text())["jobs"]["add"]["steps"]
    return next(step for step in steps if step.get("name") == name)


@pytest.mark.parametrize("added, says", [
    ("failure", "section 'Biology' is not in the catalog (did you mean 'Biologie'?)"),  # vrlcat's own words
    ("success", "A maintainer will look at the run: https://github.example/runs/7"),  # the pull request step failed
])
def test_add_paper_yml_comments_on_the_issue_when_it_fails(tmp_path, added, says):
    step = _add_paper_step("Tell the contributor what went wrong")
    assert step["if"] == "failure()"
    fake = write(tmp_path / "bin" / "gh", '#!/bin/sh\nprintf "%s\\n" "$@" > "$RUNNER_TEMP/gh-args"\n'
                 'cp "$7" "$RUNNER_TEMP/posted.md"\n')
    fake.chmod(0o755)
    write(tmp_path / "vrlcat.err", "error: issue.md: section 'Biology' is not in the catalog "
          "(did you mean 'Biologie'?); `vrlcat sections` lists them\n")
    env = {"PATH": f"{fake.parent}:/usr/bin:/bin", "RUNNER_TEMP": str(tmp_path), "ISSUE": "42", "ADDED": added,
           "GITHUB_REPOSITORY": "owner/list", "RUN_URL": "https://github.example/runs/7"}
    done = subprocess.run(["bash", "-e", "-c", step["run"]], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "gh-args").read_text().split("\n")[:5] == ["issue", "comment", "42", "--repo", "owner/list"]
    posted = (tmp_path / "posted.md").read_text()
    assert says in posted and ("Edit the issue" in posted) == (added == "failure")


def test_add_paper_yml_may_comment_on_issues():
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "add-paper.yml").read_text())
    assert workflow["permissions"]["issues"] == "write"
    assert "vrlcat.err" in _add_paper_step("Add the papers the issue names")["run"]
