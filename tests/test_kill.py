"""kill -9 at random moments of every writing command: each file is old or new,
the next command finishes or undoes the batch (never a mix), and no temporary
file survives it. benchmarks/kill_bench.py runs the same with hundreds of kills."""

from __future__ import annotations

import random

import pytest
from typer.testing import CliRunner

from conftest import SEED
from killing import SCENARIOS, kill_many
from vrlcat.cli import app

pytestmark = pytest.mark.slow  # real processes killed mid-write: run by .ci/run, skipped by -m "not slow"

KILLS_PER_COMMAND = 4  # 5 commands: 20 kills


def next_command(project):
    result = CliRunner().invoke(app, ["sections", "--catalog", str(project / "catalog")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_kill_leaves_old_or_new_files_and_no_temporary_file(tmp_path, scenario):
    outcomes = kill_many(scenario, SEED, tmp_path, KILLS_PER_COMMAND, random.Random(scenario), next_command)
    assert len(outcomes) == KILLS_PER_COMMAND
    for outcome in outcomes:
        assert outcome.files_old_or_new, outcome
        assert outcome.result in ("old", "new"), outcome
        assert outcome.leftovers == [], outcome
