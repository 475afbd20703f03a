"""The lint commands: lint (and --fix) and rules."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import VrlcatError
from .shared import CatalogOption, LintFormat, OutputFormat, command, err, finish, load


def _rule_set(values: Optional[list[str]], option: str) -> set[str]:
    from ..lint import known_rules
    from ..terminal import did_you_mean

    chosen = {r.strip() for value in values or [] for r in value.split(",") if r.strip()}
    unknown = sorted(chosen - set(known_rules()))
    if unknown:
        hints = "; ".join(f"{rule!r}{did_you_mean(rule, known_rules())}" for rule in unknown)
        raise VrlcatError(f"{option}: unknown rule id {hints}; `vrlcat rules` lists them")
    return chosen


@command
def lint(
    markdown: Optional[Path] = typer.Argument(None, metavar="[LIST.md]", help="Lint this Markdown list (imported "
                                              "in memory) instead."),
    catalog: Optional[Path] = CatalogOption,
    fix: bool = typer.Option(False, "--fix", help="Mend every mechanical defect in place and say what changed."),
    output_format: LintFormat = typer.Option(LintFormat.text, "--format", help="text, json or github."),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="RULES", help="Only these rules "
                                               "(comma-separated; `vrlcat rules` lists them)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Not these rules "
                                               "(comma-separated)."),
) -> None:
    """Find every defect in the catalog (and a stale README); --fix mends the mechanical ones.

    Example: vrlcat lint --fix --select date-missing
    """
    from ..lint import ERROR, catalog_context, chosen_rules, markdown_context, report, run_rules
    from ..store import load_catalog

    chosen, skipped = _rule_set(select, "--select"), _rule_set(ignore, "--ignore")
    if markdown is not None:
        if fix:
            raise VrlcatError("--fix works on a catalog; import the Markdown list first")
        context = markdown_context(markdown)
    else:
        loaded = load(catalog, write=fix, strict=False)
        context = catalog_context(loaded)
    findings = run_rules(context, chosen, skipped)
    if fix:
        from ..lint.fix import apply_fixes

        rules_run = chosen_rules(context, chosen, skipped)
        result = apply_fixes(loaded, findings, context.readme, rules_run)
        for done in result.fixed:
            err(f"fixed {done.path}:{done.line or '-'} {done.rule}: {done.message}")
        for held, why in result.held:
            err(f"not fixed {held.path}:{held.line or '-'} {held.rule}: {why}")
        finish(loaded, regenerate="readme-stale" in rules_run, machine=output_format is not LintFormat.text)
        loaded = load_catalog(loaded.root, strict=False)
        context = catalog_context(loaded)
        findings = run_rules(context, chosen, skipped)
    if markdown is None:
        for finding in findings:  # repository-relative, as GitHub annotations need
            finding.path = loaded.display(Path(finding.path))
    if output_format is LintFormat.json:
        typer.echo(report.as_json(findings))
    elif output_format is LintFormat.github:
        if findings:
            typer.echo(report.as_github(findings))
    else:
        report.print_text(findings)
    if any(f.severity == ERROR for f in findings):
        raise typer.Exit(1)


@command
def rules(output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json.")) -> None:
    """List every lint rule: its id, severity, whether --fix mends it, and what it checks.

    Example: vrlcat rules --format json
    """
    from ..lint import rule_table

    rows = rule_table()
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['id']:<22} {row['severity']:<8} {'fixable' if row['fixable'] else '':<8} "
                   f"{row['description']}")
