"""The docs cannot fall behind the commands."""

import typer.main

from conftest import REPO
from vrlcat.cli import app


def test_every_command_has_help_and_a_section_in_usage():
    usage = (REPO / "docs" / "usage.md").read_text(encoding="utf-8")
    commands = typer.main.get_command(app).commands
    assert commands
    for name, command in commands.items():
        assert command.help, name
        assert f"## vrlcat {name}\n" in usage, f"docs/usage.md has no section for `vrlcat {name}`"


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("vrlcat ")


def test_every_lint_rule_has_a_section_with_examples():
    from vrlcat.lint import known_rules

    rules_doc = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for rule_id in known_rules():
        assert f"## {rule_id}\nBad" in rules_doc, f"docs/lint-rules.md has no bad/good example for {rule_id}"
