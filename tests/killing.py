"""Kill -9 a writing command at a random moment and judge what it left.

Shared by tests/test_kill.py (a few kills per command) and
benchmarks/kill_bench.py (hundreds). A project is a folder holding catalog/
and README.md; its state is every file's bytes (the lock file aside).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from vrlcat.fsio import JOURNAL
from vrlcat.importer import import_file
from vrlcat.workflow import LOCK_FILE

SCENARIOS: dict[str, list[str]] = {
    "lint --fix": ["lint", "--fix"],
    "sort": ["sort", "--by", "title", "--order", "asc"],
    "dedup --merge --yes": ["dedup", "--merge", "--yes"],
    "render -o": ["render", "-o", "{project}/README.md"],
    "add": ["add", "--url", "https://kill.example.org/p", "--title", "Killed mid-write", "--date", "2025-01",
            "--section", "mllm"],
}
_SIDE_FILE = re.compile(r"^\..*(?:\.vrlcat-tmp|\.vrlcat-old|\.tmp)$")  # wider than fsio's, on purpose


def state(project: Path) -> dict[str, bytes]:
    """Every file's bytes; side files (see `side_files`) and the lock file are not content."""
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file() and p.name != LOCK_FILE and p.name != JOURNAL and not _SIDE_FILE.match(p.name)}


def side_files(project: Path) -> list[str]:
    return sorted(str(p.relative_to(project)) for p in project.rglob("*")
                  if _SIDE_FILE.match(p.name) or p.name == JOURNAL)


def make_project(folder: Path, seed_markdown: Path) -> Path:
    """A project with the seed list imported and a rendered README (so every command changes something)."""
    project = folder / "project"
    import_file(seed_markdown, project / "catalog")
    (project / "README.md").write_text("stale\n", encoding="utf-8")
    return project


def command(scenario: str, project: Path) -> list[str]:
    args = [a.replace("{project}", str(project)) for a in SCENARIOS[scenario]]
    return [sys.executable, "-m", "vrlcat", *args, "--catalog", str(project / "catalog")]


def run_whole(scenario: str, project: Path) -> float:
    """Run the command to its end in place; returns its wall time."""
    started = time.perf_counter()
    subprocess.run(command(scenario, project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120,
                   check=False)
    return time.perf_counter() - started


@dataclass
class Outcome:
    scenario: str
    delay: float
    finished: bool  # the command ended before the kill
    mid_write: bool  # side files or a journal were on disk right after the kill
    files_old_or_new: bool  # each file, right after the kill
    result: str  # after the next command: "old", "new" or "mixed"
    leftovers: list[str] = field(default_factory=list)  # side files after the next command

    @property
    def ok(self) -> bool:
        return self.files_old_or_new and self.result in ("old", "new") and not self.leftovers


def _wait_for_a_write(project: Path, process: subprocess.Popen) -> None:
    """Return as soon as the command has a side file on disk (it is writing), or has ended."""
    folders = [project, project / "catalog", project / "catalog" / "sections", project / "catalog" / "prose"]
    while process.poll() is None:
        for folder in folders:
            try:
                if any(_SIDE_FILE.match(name) or name == JOURNAL for name in os.listdir(folder)):
                    return
            except FileNotFoundError:
                continue


def kill_once(scenario: str, old: Path, new: dict[str, bytes], workdir: Path, delay: float, next_command,
              in_write: bool = False) -> Outcome:
    """Copy the old project, start the command, kill -9 it after `delay` seconds (with
    `in_write`, counted from the moment it starts writing), then run
    `next_command(project)` and judge every file."""
    project = workdir / "project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(old, project, symlinks=True)
    before = state(project)
    process = subprocess.Popen(command(scenario, project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if in_write:
        _wait_for_a_write(project, process)
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    mid_write = bool(side_files(project))
    after_kill = state(project)
    each = all(after_kill.get(name) in (before.get(name), new.get(name))
               for name in set(after_kill) | set(before) | set(new))
    next_command(project)
    final = state(project)
    result = "old" if final == before else "new" if final == new else "mixed"
    return Outcome(scenario, delay, finished, mid_write, each, result, side_files(project))


def kill_many(scenario: str, seed_markdown: Path, workdir: Path, kills: int, rng: random.Random,
              next_command) -> list[Outcome]:
    """`kills` runs of one scenario, killed at random moments: half anywhere in a whole
    run's duration, half within the first 20 ms after it starts writing."""
    old = make_project(workdir / "old", seed_markdown)
    finished = workdir / "new"
    shutil.copytree(old, finished / "project", symlinks=True)
    duration = run_whole(scenario, finished / "project")
    new = state(finished / "project")
    assert new != state(old), f"{scenario} changed nothing: the kill test would prove nothing"
    outcomes = []
    for n in range(kills):  # half at any moment, half within the write (the window that matters)
        in_write = n % 2 == 1
        delay = rng.uniform(0.0, 0.02) if in_write else rng.uniform(0.0, duration)
        outcomes.append(kill_once(scenario, old, new, workdir / "run", delay, next_command, in_write))
    return outcomes
