"""Set-up as a new maintainer meets it: the README's two commands on a fresh clone, and the
packages `python -m build` makes, installed in a fresh virtual environment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO, fresh_clone

pytestmark = pytest.mark.slow
INNER = "VRLCAT_SETUP_TEST"  # set inside the clone's own test run, so this file does not run itself again


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Maintaining this list", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return block.strip().splitlines()


@pytest.mark.skipif(os.environ.get(INNER) == "1", reason="this is the clone's own run of the suite")
def test_the_readme_set_up_commands_work_on_a_fresh_clone(tmp_path):
    clone = fresh_clone(tmp_path)
    env = {**os.environ, INNER: "1", "VRLCAT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("VIRTUAL_ENV", None)
    for command in readme_commands():
        result = subprocess.run(["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True,
                                timeout=900)
        assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    assert (clone / ".venv" / "bin" / "vrlcat").exists()


def test_build_gives_a_wheel_and_an_sdist_that_install_and_run(tmp_path):
    clone = fresh_clone(tmp_path)
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(clone)], check=True,
                   capture_output=True, timeout=900)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1
    for package in (wheels[0], sdists[0]):
        venv = tmp_path / f"venv-{package.suffix.strip('.')}"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(package)], check=True, timeout=900)
        version = subprocess.run([str(venv / "bin" / "vrlcat"), "--version"], capture_output=True, text=True)
        assert version.returncode == 0 and version.stdout.startswith("vrlcat ")
        work = tmp_path / f"list-{package.suffix.strip('.')}"
        work.mkdir()
        (work / "README.md").write_text("## Papers\n\n+ [A](https://arxiv.org/abs/2501.00001) (Jan. 2025)\n")
        for args in (["import", "README.md"], ["render", "--check"], ["site", "-o", "site"]):
            ran = subprocess.run([str(venv / "bin" / "vrlcat"), *args], cwd=work, capture_output=True, text=True)
            assert ran.returncode == 0, (args, ran.stderr)
        assert (work / "site" / "index.html").exists()  # the site's assets are package data and came along


def test_pipx_install_gives_a_vrlcat_that_checks_the_list(tmp_path):
    """`pipx install .` (docs/adopt.md) on a fresh clone, with pipx's folders in tmp_path: the
    installed `vrlcat`, run from outside the clone, prints the version and passes lint and the
    render check on the clone's own list."""
    from vrlcat import __version__

    clone = fresh_clone(tmp_path)
    pipx = tmp_path / "pipx"
    env = {**os.environ, "PIPX_HOME": str(pipx / "home"), "PIPX_BIN_DIR": str(pipx / "bin"),
           "PIPX_MAN_DIR": str(pipx / "man"), "PIPX_SHARED_LIBS": str(pipx / "shared"),
           "VRLCAT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("VIRTUAL_ENV", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    installed = subprocess.run([sys.executable, "-m", "pipx", "install", str(clone)], cwd=elsewhere, env=env,
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    vrlcat = pipx / "bin" / "vrlcat"
    for args, expected in ((["-V"], f"vrlcat {__version__}\n"),
                           (["lint", "--catalog", str(clone / "catalog")], None),
                           (["render", "--check", str(clone / "README.md"), "--catalog", str(clone / "catalog")], None)):
        ran = subprocess.run([str(vrlcat), *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, (args, ran.stdout[-2000:], ran.stderr[-2000:])
        if expected is not None:
            assert ran.stdout == expected
    # the command is pipx's own environment's, not this test run's vrlcat
    assert vrlcat.resolve().is_relative_to((pipx / "home").resolve())
