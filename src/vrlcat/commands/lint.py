"""The lint commands: lint (and --fix) and rules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from ..errors import VrlcatError
from .shared import OUTPUT, CatalogOption, LintFormat, OutputFormat, command, err, finish, load

if TYPE_CHECKING:
    from ..lint import Context, Finding
    from ..lintcache import Output
    from ..store import Loaded


def _rule_set(values: Optional[list[str]], option: str) -> set[str]:
    from ..lint import known_rules
    from ..terminal import did_you_mean

    chosen = {r.strip().lower() for value in values or [] for r in value.split(",") if r.strip()}
    if values is not None and not chosen:
        raise VrlcatError(f"{option}: no rule id given; `vrlcat rules` lists them")
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
    fix: bool = typer.Option(False, "--fix", help="Mend every mechanical defect in place and say what changed "
                             "(house-style rules only when named with --select)."),
    output_format: LintFormat = typer.Option(LintFormat.text, "--format", help="text, json or github."),
    select: Optional[list[str]] = typer.Option(None, "--select", metavar="RULES", help="Only these rules "
                                               "(comma-separated; `vrlcat rules` lists them)."),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", metavar="RULES", help="Not these rules "
                                               "(comma-separated)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Run every rule even when the result for this "
                                  "unchanged catalog is cached (the new result is kept)."),
) -> None:
    """Find every defect in the catalog (and a stale README); --fix mends the mechanical ones.

    Example: vrlcat lint --fix --select date-missing
    """
    cache = None
    if markdown is None and not fix and not OUTPUT["verbose"]:  # see lintcache for what it covers
        from ..lintcache import LintCache

        options = {"select": select, "ignore": ignore, "format": output_format.value, "quiet": OUTPUT["quiet"]}
        cache = LintCache.open(catalog, options)
        stored = cache.stored() if cache and not no_cache else None
        if stored is not None:
            _show(stored)
            return
    from ..lint import catalog_context, markdown_context, run_rules

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
        loaded, context, findings = _fix(loaded, context, findings, chosen, skipped, output_format)
    output = _output(findings, output_format)
    if cache is not None:
        cache.save(output, context)
    _show(output)


def _fix(loaded: Loaded, context: Context, findings: list[Finding], chosen: set[str], skipped: set[str],
         output_format: LintFormat) -> tuple[Loaded, Context, list[Finding]]:
    """`lint --fix`: mend, write, say what changed; then the catalog as written and what lint finds in it.

    House-style rules (severity `style`) are applied only when named with --select: adopting
    vrlcat changes nothing on the page until the maintainer asks for one normalisation."""
    from ..lint import catalog_context, chosen_rules, known_rules, run_rules
    from ..lint.fix import apply_fixes
    from ..lint.style import STYLE
    from ..store import load_catalog

    rules_run = chosen_rules(context, chosen, skipped)
    if not chosen:
        rules_run = {r for r in rules_run if known_rules()[r].severity != STYLE}
    result = apply_fixes(loaded, [f for f in findings if f.rule in rules_run], context.readme, rules_run,
                         keep_forms=not chosen)
    for done in result.fixed:
        err(f"fixed {done.path}:{done.line or '-'} {done.rule}: {done.message}")
    for held, why in result.held:
        err(f"not fixed {held.path}:{held.line or '-'} {held.rule}: {why}")
    finish(loaded, regenerate="readme-stale" in rules_run, machine=output_format is not LintFormat.text)
    loaded = load_catalog(loaded.root, strict=False)
    context = catalog_context(loaded)
    return loaded, context, run_rules(context, chosen, skipped)


def _output(findings: list[Finding], output_format: LintFormat) -> Output:
    from ..lint import ERROR, report
    from ..lintcache import Output

    exit_code = 1 if any(f.severity == ERROR for f in findings) else 0
    if output_format is LintFormat.json:
        return Output(None, report.as_json(findings), exit_code)
    if output_format is LintFormat.github:
        return Output(None, report.as_github(findings) if findings else None, exit_code)
    return Output(report.text_report(findings), None, exit_code)


def _show(output: Output) -> None:
    """Print lint's report and exit with its code, the same whether lint ran or its cache answered."""
    if output.lines is not None:
        from ..terminal import print_report

        print_report(output.lines)
    elif output.text is not None:
        typer.echo(output.text)
    if output.exit_code:
        raise typer.Exit(output.exit_code)


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
