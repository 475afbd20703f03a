"""The `vrlcat` command: each command parses options and calls the library.

Heavy modules (httpx, arxiv, the round-trip YAML loader, rich) are imported
inside the commands that use them, so `vrlcat --help` and `lint` start fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional, ParamSpec, TypeVar

import typer

from . import __version__
from .errors import VrlcatError

if TYPE_CHECKING:
    from .add import Draft
    from .model import Section
    from .store import Loaded

P = ParamSpec("P")
R = TypeVar("R")

ENVIRONMENT = (
    "Environment: VRLCAT_CATALOG (the catalog folder), VRLCAT_CACHE_DIR (the cache folder), "
    "VRLCAT_ARXIV_API, VRLCAT_HF_API, VRLCAT_GITHUB_API (service addresses), GITHUB_TOKEN (GitHub's higher "
    "rate limit), VRLCAT_HTTP_TIMEOUT, VRLCAT_HTTP_BUDGET, VRLCAT_ARXIV_DELAY, VRLCAT_HTTP_RETRIES, "
    "VRLCAT_HTTP_BACKOFF, VRLCAT_HTTP_MAX_WAIT, VRLCAT_HTTP_PER_HOST, VRLCAT_HTTP_BREAKER, "
    "VRLCAT_HTTP_CACHE_AGE (network limits, in seconds or counts), VRLCAT_CACHE_SIZE (cache cap, MB), "
    "VRLCAT_LOCK_TIMEOUT (seconds a writer waits), VRLCAT_ALLOW_PRIVATE (check-links may fetch private "
    "addresses), NO_COLOR (plain output). docs/usage.md says more."
)
app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Keep a curated Markdown paper list as a YAML catalog, and render it back.",
                  epilog=ENVIRONMENT)
# Set by the root options (-q, -v) for the command that follows.
OUTPUT = {"quiet": False, "verbose": False}

CatalogOption = typer.Option(None, "--catalog", metavar="DIR", help="Catalog folder (default: $VRLCAT_CATALOG, "
                             "else the nearest catalog/ upward).", show_default=False)
YesOption = typer.Option(False, "-y", "--yes", help="Take the default answer instead of asking.")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def command(name: str | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a command whose expected failures print one line and exit with their code."""

    def register(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            from .workflow import command_scope, expected_error

            try:
                with command_scope():
                    return function(*args, **kwargs)
            except Exception as exc:
                error = expected_error(exc)
                if error is None:
                    raise
                _err(f"error: {error}")
                raise typer.Exit(error.exit_code) from None

        app.command(name)(run)
        return run

    return register


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vrlcat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "-V", "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print only results and errors: no progress, "
                               "no notes on what was written."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="Also say which catalog is used."),
) -> None:
    """Keep a curated Markdown paper list as a YAML catalog, and render it back.

    Example: vrlcat add https://arxiv.org/abs/2505.01234 --section mllm
    """
    OUTPUT.update(quiet=quiet, verbose=verbose and not quiet)


def _load(catalog: Optional[Path], write: bool = False, strict: bool = True) -> Loaded:
    """The catalog; with `write`, locked for the rest of the command (see workflow)."""
    from .workflow import load

    loaded = load(catalog, write=write, strict=strict)
    if OUTPUT["verbose"]:
        _err(f"catalog: {loaded.display(loaded.root)} ({'writing' if write else 'reading'})")
    return loaded


def _note(message: str, machine: bool = False) -> None:
    """A note on what a command did: hidden by -q; on stderr when stdout carries data (`machine`)."""
    if not OUTPUT["quiet"]:
        typer.echo(message, err=machine)


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _finish(loaded: Loaded, regenerate: bool = False, readme: Optional[Path] = None, machine: bool = False) -> None:
    """Write the command's changes with the sections re-sorted and the pages re-rendered
    (workflow.finish), and say so; on stderr when stdout carries JSON or annotations (`machine`)."""
    from .workflow import finish

    outcome = finish(loaded, regenerate, readme)
    for section_id in outcome.sorted:
        _note(f"sorted: section '{section_id}' is back in its declared order (settings.sort)", machine)
    if outcome.written:
        _note("changed " + ", ".join(outcome.written), machine)
    for line in outcome.left:
        _err(f"left for you: {line}")


@command("import")
def import_command(
    markdown: Path = typer.Argument(..., metavar="LIST.md", help="The Markdown list to import."),
    catalog: Optional[Path] = CatalogOption,
    force: bool = typer.Option(False, "--force", help="Replace an existing catalog."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write nothing; report what import would keep and "
                                 "the diff of the first render."),
) -> None:
    """Turn a Markdown paper list into a catalog whose render is the list itself, byte for byte.

    Example: vrlcat import README.md --dry-run
    """
    from .importer import import_file

    target, report = import_file(markdown, catalog, force=force, dry_run=dry_run)
    verb = "would import" if dry_run else "imported"
    typer.echo(f"{verb} {markdown} into {target}/: {report.sections} sections, {report.entries} entries, "
               f"{report.hidden} hidden entries, {report.raw_blocks} raw blocks, {len(report.warnings)} warnings")
    typer.echo(f"{report.lines_identical} of {report.lines} lines come back byte-identical; "
               f"{report.entries + report.hidden - report.own_form} entries in the house style, "
               f"{report.own_form} kept in their own form (lint: entry-style)")
    for line, warning in report.warnings:
        _err(f"warning: {markdown}:{line}: {warning}")
    if dry_run:
        typer.echo(report.diff or "the first render is the list itself, byte for byte")


@command()
def render(
    catalog: Optional[Path] = CatalogOption,
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write here (and "
                                          "CONTRIBUTING.md where the catalog says) instead of standard output."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 with a diff if FILE (or "
                               "CONTRIBUTING.md) is stale."),
    file: Optional[Path] = typer.Argument(None, metavar="[FILE]", help="With --check: the file to compare "
                                          "(default: -o, else the catalog's settings.readme)."),
) -> None:
    """Render the catalog as Markdown (past settings.page_limit: a README and one page per top-level
    section; CONTRIBUTING.md when settings.contributing names its prose; stale charts drawn again).

    Example: vrlcat render -o README.md
    """
    from .outputs import page_texts, readme_path
    from .pages import leftover_pages
    from .render import stale_diff

    loaded = _load(catalog, write=bool(output) and not check)
    if check:
        from .charts import stale_charts

        readme = file or output or readme_path(loaded)
        pages = page_texts(loaded, readme)
        stale = False
        for target, text in pages.items():
            diff = stale_diff(target, text)
            if diff:
                stale = True
                shown = loaded.display(target)
                _err(diff)
                _err(f"if {shown} was edited by hand, `vrlcat sync {shown}` takes the edit into the catalog; "
                     f"else `vrlcat render -o {shown}` writes it" if target.name != "CONTRIBUTING.md" else
                     f"{shown} is rendered from the catalog's prose: `vrlcat render -o README.md` writes it")
        for leftover in leftover_pages(pages, readme):
            stale = True
            _err(f"{loaded.display(leftover)} is a section page render no longer writes: `vrlcat render -o` removes it")
        for chart in stale_charts(loaded.catalog, readme.parent):
            stale = True
            _err(chart)
        raise typer.Exit(1 if stale else 0)
    if output:
        from .charts import write_stale_charts

        write_stale_charts(loaded.catalog, output.parent)
        _finish(loaded, regenerate=True, readme=output)
    else:
        files = page_texts(loaded, readme_path(loaded))
        readme_text = files[readme_path(loaded)]
        if len(files) > 1 + bool(loaded.catalog.settings.contributing):
            _err("the list passes settings.page_limit: this is the README alone; `vrlcat render -o README.md` "
                 "also writes its section pages")
        sys.stdout.write(readme_text)


@command()
def sync(
    readme: Optional[Path] = typer.Argument(None, metavar="[README.md]", help="The README edited by hand "
                                            "(default: the catalog's settings.readme)."),
    catalog: Optional[Path] = CatalogOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Write nothing; say what would change."),
) -> None:
    """Take a README.md edited by hand (entries added, edited, removed, moved) back into the catalog.

    Example: vrlcat sync README.md
    """
    from .outputs import readme_path
    from .store import write_files_atomically
    from .sync import sync_readme

    loaded = _load(catalog, write=not dry_run)
    path = readme or readme_path(loaded)
    report = sync_readme(loaded, path)
    if not report.files:
        typer.echo(f"{loaded.display(path)} already is what the catalog renders")
        if not dry_run:
            _finish(loaded, regenerate=True)
        return
    for what, keys in (("added", report.added), ("edited", report.edited), ("moved", report.moved),
                       ("removed", report.removed)):
        for key in keys:
            typer.echo(f"{what}: {key}")
    for line in report.left:
        _err(f"not taken into the catalog: {line}")
    for section_id in report.sorted:
        typer.echo(f"sorted: section '{section_id}' is back in its declared order (settings.sort)")
    if not dry_run:
        write_files_atomically(report.files)
        _finish(loaded, regenerate=True)


@command()
def sections(
    catalog: Optional[Path] = CatalogOption,
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Show the section tree: ids to pass to `add --section`.

    Example: vrlcat sections --format json
    """
    from .model import section_rows

    loaded = _load(catalog)
    rows = section_rows(loaded.catalog)
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    tree = Tree(escape(loaded.catalog.title or str(loaded.root)))
    nodes = {None: tree}
    for row in rows:
        count = f"{row['entries']} {'entry' if row['entries'] == 1 else 'entries'}"
        label = f"[bold]{escape(row['id'])}[/]  {escape(row['title'])}  [dim]({count})[/]"
        nodes[row["id"]] = nodes[row["parent"]].add(label)
    Console().print(tree)


@command()
def add(
    ids: Optional[list[str]] = typer.Argument(None, metavar="[URL_OR_ID]...", help="arXiv ids or URLs (several "
                                              "are fetched in one request)."),
    section: Optional[str] = typer.Option(None, "--section", metavar="ID", help="Section id (see `vrlcat sections`)."),
    catalog: Optional[Path] = CatalogOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the entry and the file it would change; "
                                 "write nothing."),
    yes: bool = typer.Option(False, "-y", "--yes", help="Without --section, take the best suggested section "
                             "without asking."),
    code: Optional[str] = typer.Option(None, "--code", metavar="URL", help="Code repository URL (instead of "
                                       "looking it up)."),
    website: Optional[str] = typer.Option(None, "--website", metavar="URL", help="Project page URL (instead of "
                                          "looking it up)."),
    venue: Optional[str] = typer.Option(None, "--venue", metavar="TEXT", help="Venue, e.g. 'ICML 2024'."),
    url: Optional[str] = typer.Option(None, "--url", metavar="URL", help="A paper not on arXiv: its link (with "
                                      "--title and --date)."),
    title: Optional[str] = typer.Option(None, "--title", metavar="TEXT", help="With --url: the title."),
    date: Optional[str] = typer.Option(None, "--date", metavar="YYYY-MM", help="With --url: the date."),
    from_issue: Optional[Path] = typer.Option(None, "--from-issue", metavar="FILE", help="Read the arXiv links and "
                                              "the section from an add-paper issue's body saved in this file."),
) -> None:
    """Add papers from arXiv (title, date, authors, code, project page), each in its section's order.

    Example: vrlcat add https://arxiv.org/abs/2505.01234 --section mllm
    """
    from . import add as adding
    from .terminal import section_by_id

    loaded = _load(catalog, write=not dry_run)
    if from_issue:
        ids, section, yes = _issue_request(loaded, from_issue, section)
    chosen = section_by_id(loaded.catalog, section) if section else None  # before any request
    if url:
        if ids or not (title and date):
            raise VrlcatError("--url takes --title and --date, and no arXiv ids")
        drafts = [adding.manual_draft(loaded, url, title, date, venue, code, website)]
    elif ids:
        drafts = adding.fetch_drafts(loaded, ids, code=code, website=website, venue=venue)
    else:
        raise VrlcatError("give an arXiv id or URL (or --url --title --date for a paper not on arXiv)")
    for draft in drafts:
        for warning in draft.warnings:
            _err(f"warning: {warning}")
        draft.section = chosen or _suggested_section(loaded, draft, yes)
    from .terminal import interactive

    asking = not yes and not dry_run and interactive()
    if dry_run or asking:  # show what will be written; on a terminal, ask first
        from .entrytext import render_entry
        from .render import section_settings

        for draft in drafts:
            target = draft.section
            assert target is not None  # chosen above
            path = loaded.display(loaded.section_path(target.id))
            typer.echo(f"{'would add' if dry_run else 'adding'} to {path} (section '{target.id}'):\n")
            typer.echo(render_entry(draft.entry, section_settings(loaded.catalog, target)) + "\n")
        if dry_run:
            return
        if not typer.confirm(f"add {'these' if len(drafts) > 1 else 'this'}?", default=True):
            raise typer.Exit(1)
    adding.add_entries(loaded, drafts)
    for draft in drafts:
        where = draft.section.id if draft.section else "?"
        typer.echo(f"added {draft.entry.key} ({draft.entry.title}) to section '{where}'")
    _finish(loaded)


def _issue_request(loaded: Loaded, body_file: Path, section: Optional[str]) -> tuple[list[str], str | None, bool]:
    """(ids, section, yes) from an add-paper issue's body: the form's section, else the best suggestion."""
    from .issueform import paper_request

    try:
        body = body_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VrlcatError(f"cannot read the issue body: {exc}", str(body_file)) from None
    request = paper_request(body, loaded.catalog, str(body_file))
    return request.ids, request.section or section, True


def _suggested_section(loaded: Loaded, draft: Draft, yes: bool) -> Section:
    """The best suggestion with --yes, else the person's answer on a terminal, else exit 2 saying how to choose."""
    from .add import suggestions
    from .terminal import choose_section

    ranked = suggestions(loaded, draft)
    if not ranked:
        raise VrlcatError("the catalog has no sections; add one to list.yaml first")
    return choose_section(loaded.catalog, draft.entry.title, draft.entry.key, ranked, yes)


def _rule_set(values: Optional[list[str]], option: str) -> set[str]:
    from .lint import known_rules
    from .terminal import did_you_mean

    chosen = {r.strip() for value in values or [] for r in value.split(",") if r.strip()}
    unknown = sorted(chosen - set(known_rules()))
    if unknown:
        hints = "; ".join(f"{rule!r}{did_you_mean(rule, known_rules())}" for rule in unknown)
        raise VrlcatError(f"{option}: unknown rule id {hints}; `vrlcat rules` lists them")
    return chosen


@command()
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
    from .lint import ERROR, catalog_context, chosen_rules, markdown_context, report, run_rules
    from .store import load_catalog

    chosen, skipped = _rule_set(select, "--select"), _rule_set(ignore, "--ignore")
    if markdown is not None:
        if fix:
            raise VrlcatError("--fix works on a catalog; import the Markdown list first")
        context = markdown_context(markdown)
    else:
        loaded = _load(catalog, write=fix, strict=False)
        context = catalog_context(loaded)
    findings = run_rules(context, chosen, skipped)
    if fix:
        from .lint.fix import apply_fixes

        rules_run = chosen_rules(context, chosen, skipped)
        result = apply_fixes(loaded, findings, context.readme, rules_run)
        for done in result.fixed:
            _err(f"fixed {done.path}:{done.line or '-'} {done.rule}: {done.message}")
        for held, why in result.held:
            _err(f"not fixed {held.path}:{held.line or '-'} {held.rule}: {why}")
        _finish(loaded, regenerate="readme-stale" in rules_run, machine=output_format is not LintFormat.text)
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


@command()
def rules(output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json.")) -> None:
    """List every lint rule: its id, severity, whether --fix mends it, and what it checks.

    Example: vrlcat rules --format json
    """
    from .lint import rule_table

    rows = rule_table()
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['id']:<22} {row['severity']:<8} {'fixable' if row['fixable'] else '':<8} "
                   f"{row['description']}")


class SortBy(str, Enum):
    date = "date"
    title = "title"  # type: ignore[assignment]  # a member named like str.title, as the option's value must be
    added = "added"


class SortDirection(str, Enum):
    desc = "desc"
    asc = "asc"


@command("sort")
def sort_command(
    catalog: Optional[Path] = CatalogOption,
    by: Optional[SortBy] = typer.Option(None, "--by", help="Sort by this instead of each section's declared order."),
    order: Optional[SortDirection] = typer.Option(None, "--order", help="desc or asc (with --by; default desc)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 naming the first misplaced entry."),
) -> None:
    """Put every section's entries in their declared order (newest first by default).

    --by/--order make another order the declared one (settings.sort), so lint agrees.

    Example: vrlcat sort --by title --order asc
    """
    from .model import SortOrder
    from .sort import misplaced_sections, sort_catalog

    loaded = _load(catalog, write=not check)
    override = SortOrder(by.value, (order or SortDirection.desc).value) if by else None
    if check:
        misplaced = misplaced_sections(loaded.catalog, override)
        for section, index in misplaced[:1]:
            entry = section.entries[index]
            path = loaded.display(loaded.section_path(section.id))
            _err(f"{path}:{entry.line}: section '{section.id}' is out of order from {entry.key!r} on "
                 f"({len(misplaced)} section{'s' * (len(misplaced) != 1)} out of order)")
        raise typer.Exit(1 if misplaced else 0)
    if override:
        from .sort import declare_order

        kept = declare_order(loaded, override)
        _note(f"settings.sort is now {override.by} {override.order} in {loaded.display(loaded.root / 'list.yaml')}")
        for section in kept:
            if section.sort:
                _note(f"section '{section.id}' keeps its own sort: {section.sort.by} {section.sort.order}")
    changed = sort_catalog(loaded)
    for section in changed:
        _note(f"sorted {loaded.display(loaded.section_path(section.id))}")
    _note(f"{len(changed)} section{'s' * (len(changed) != 1)} re-ordered")
    _finish(loaded)


@command()
def dedup(
    catalog: Optional[Path] = CatalogOption,
    merge: bool = typer.Option(False, "--merge", help="Merge each exact group into its first entry."),
    yes: bool = typer.Option(False, "-y", "--yes", help="With --merge: the first entry wins every conflict (printed)."),
    threshold: float = typer.Option(90, "--threshold", min=0, max=100, metavar="N",
                                    help="Title similarity (0-100) for possible duplicates."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Find entries that are one paper (same arXiv id, DOI or link) and merge them; list same or similar titles.

    Example: vrlcat dedup --merge --yes
    """
    from .dedup import find_duplicates, keep_first, merge_duplicates, unresolved

    loaded = _load(catalog, write=merge)
    groups = find_duplicates(loaded, threshold)
    if merge and any(g.kind == "exact" for g in groups):
        from .terminal import ask_conflict, interactive

        chooser = keep_first if yes or not interactive() else ask_conflict
        conflicts, _ = merge_duplicates(loaded, groups, chooser)
        for conflict in conflicts:
            _err(f"conflict: {conflict.member.entry.key} field '{conflict.key}': kept {conflict.kept!r}, "
                 f"not {conflict.other!r} ({conflict.member.path}:{conflict.member.entry.line})")
        _err(f"merged {sum(g.kind == 'exact' for g in groups)} groups")
        _finish(loaded, machine=output_format is not OutputFormat.text)
        groups = [g for g in groups if g.kind != "exact"]
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps([g.to_json() for g in groups], ensure_ascii=False, indent=2))
    else:
        from .dedup import text_report

        typer.echo("\n".join(text_report(groups)))
    if unresolved(groups):
        raise typer.Exit(1)


class FillField(str, Enum):
    authors = "authors"


@command()
def refresh(
    catalog: Optional[Path] = CatalogOption,
    section: Optional[str] = typer.Option(None, "--section", metavar="ID", help="Only this section."),
    only_missing: bool = typer.Option(False, "--only-missing", help="Only fill in missing code, website and venue."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ask the services even when a cached answer is fresh."),
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
    take: Optional[list[str]] = typer.Option(None, "--take", metavar="FIELDS",
                                             help="Take arXiv's value where it differs from "
                                             "your title, date or venue (comma-separated fields, or 'all'); "
                                             "by default yours are kept and the differences listed."),
    yes: bool = typer.Option(False, "--yes", "-y", help="On a terminal, write without asking first."),
    fill: Optional[FillField] = typer.Option(None, "--fill", metavar="authors",
                                             help="Only fill this empty field from arXiv "
                                             "(authors), in batched requests."),
) -> None:
    """Re-fetch arXiv, Hugging Face and GitHub facts: fill what is missing, follow moved repositories,
    list where arXiv differs from your titles, dates and venues (kept unless --take).

    Example: vrlcat refresh --only-missing --dry-run
    """
    from .refresh import CURATED, apply_refresh, changes_to_write, plan_refresh, text_report
    from .sources.cache import HttpCache
    from .terminal import progress as progress_bar
    from .terminal import section_by_id

    taken = {field.strip() for value in take or [] for field in value.split(",") if field.strip()}
    if unknown := taken - {*CURATED, "all"}:
        raise VrlcatError(f"--take {', '.join(sorted(unknown))}: choose from {', '.join(CURATED)} or all")
    loaded = _load(catalog, write=not dry_run)
    if section:
        section_by_id(loaded.catalog, section)
    if fill is not None:
        return _fill_authors(loaded, section, dry_run, no_cache, output_format)
    progress, close = progress_bar("refresh", OUTPUT["quiet"])
    try:
        report = plan_refresh(loaded, section, only_missing, cache=HttpCache.from_env(enabled=not no_cache),
                              progress=progress)
    finally:
        close()
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(text_report(loaded, report, dry_run, taken)))
    if dry_run or not changes_to_write(report, taken):
        return
    from .terminal import interactive

    if not yes and interactive() and not typer.confirm("write these changes?", default=False):
        raise typer.Exit(1)
    apply_refresh(loaded, report, taken)
    _finish(loaded, machine=output_format is not OutputFormat.text)


@command("check-links")
def check_links_command(
    catalog: Optional[Path] = CatalogOption,
    concurrency: int = typer.Option(80, "--concurrency", min=1, metavar="N",
                                    help="Requests in flight at once (at most 4 per host)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.1, show_default=False, metavar="SECONDS",
                                            help="Seconds per request, body included "
                                                 "(default: $VRLCAT_HTTP_TIMEOUT, else 8)."),
    output_format: LintFormat = typer.Option(LintFormat.text, "--format", help="text, json or github."),
    fix: bool = typer.Option(False, "--fix", help="Replace permanently redirected entry URLs by their new address."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Check again even links checked recently."),
    recheck_failed: bool = typer.Option(False, "--recheck-failed",
                                        help="Check again links cached as broken (404/410)."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Also fetch loopback and private addresses "
                                       "(or VRLCAT_ALLOW_PRIVATE=1)."),
) -> None:
    """Check every URL of the catalog and its prose (arXiv links and badge images are skipped).

    Example: vrlcat check-links --format github
    """
    from .links import check_links, fix_redirects
    from .sources.cache import HttpCache
    from .terminal import progress as progress_bar

    loaded = _load(catalog, write=fix)
    progress, close = progress_bar("check-links", OUTPUT["quiet"])
    try:
        results, checker = check_links(loaded, cache=HttpCache.from_env(enabled=not no_cache),
                                       concurrency=concurrency, timeout=timeout,
                                       progress=lambda done, total: progress("links", done, total),
                                       allow_private=allow_private, recheck_failed=recheck_failed)
    finally:
        close()
    if fix:
        for old, new in fix_redirects(loaded, results):
            _err(f"fixed: {old} -> {new}")
        _finish(loaded, machine=output_format is not LintFormat.text)
    if output_format is LintFormat.json:
        import json

        typer.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    elif output_format is LintFormat.github:
        from .links import as_findings
        from .lint.report import as_github

        typer.echo(as_github(as_findings(results)))
    else:
        from .links import text_report

        typer.echo("\n".join(text_report(results, checker)))
    if any(r.outcome == "broken" for r in results):
        raise typer.Exit(1)


class ExportFormat(str, Enum):
    bibtex = "bibtex"
    csl_json = "csl-json"
    csv = "csv"
    json = "json"


@command()
def export(
    catalog: Optional[Path] = CatalogOption,
    output_format: ExportFormat = typer.Option(ExportFormat.bibtex, "--format", help="bibtex, csl-json, csv or json."),
    section: Optional[str] = typer.Option(None, "--section", metavar="ID",
                                          help="Only this section, its subsections and the "
                                          "entries cross-listed there."),
    include_hidden: bool = typer.Option(False, "--include-hidden", help="Also the hidden (commented-out) entries."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Write here instead of standard output."),
) -> None:
    """Export every entry once as BibTeX, CSL-JSON, CSV or JSON, with stable citation keys.

    Example: vrlcat export --format bibtex -o papers.bib
    """
    from .export import export_text, in_section, records
    from .store import write_text_atomically

    loaded = _load(catalog)
    if section and loaded.catalog.section(section) is None:
        raise VrlcatError(f"unknown section id {section!r}; `vrlcat sections` lists them")
    chosen = records(loaded.catalog, include_hidden)
    chosen = in_section(loaded.catalog, chosen, section) if section else chosen
    if missing := sum(1 for record in chosen if not record.entry.authors):
        _err(f"{missing} of {len(chosen)} entries have no authors; `vrlcat refresh --fill authors` "
             "fills them from arXiv")
    text = export_text(chosen, output_format.value)
    if output:
        write_text_atomically(output, text)
    else:
        sys.stdout.write(text)


@command()
def stats(
    catalog: Optional[Path] = CatalogOption,
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Count the entries: by section, year and month, with code or a website, by venue, recent ones.

    Example: vrlcat stats --format json
    """
    import datetime

    from .stats import catalog_stats, text_report

    loaded = _load(catalog)
    numbers = catalog_stats(loaded.catalog, datetime.date.today())
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(text_report(numbers, loaded.catalog)))


class ChartKind(str, Enum):
    timeline = "timeline"
    taxonomy = "taxonomy"


@command()
def chart(
    kind: ChartKind = typer.Argument(..., help="timeline (papers per month by top-level section) or taxonomy "
                                     "(the section tree with counts)."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE",
                                help="The picture to write: FILE.svg or FILE.png."),
    catalog: Optional[Path] = CatalogOption,
) -> None:
    """Draw one of the list's charts as SVG or PNG; the same catalog gives the same SVG bytes.

    Example: vrlcat chart timeline -o docs/img/timeline.svg
    """
    from .charts import write_chart

    loaded = _load(catalog)
    write_chart(loaded.catalog, kind.value, output)
    typer.echo(f"wrote {output}")


def _fill_authors(loaded: Loaded, section: Optional[str], dry_run: bool, no_cache: bool,
                  output_format: OutputFormat) -> None:
    """`refresh --fill authors`: see fill.py."""
    from .fill import apply_author_fill, plan_author_fill, text_report
    from .sources.cache import HttpCache

    report = plan_author_fill(loaded, section, cache=HttpCache.from_env(enabled=not no_cache))
    if not dry_run:
        apply_author_fill(loaded, report)
        _finish(loaded, machine=output_format is not OutputFormat.text)
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(text_report(report, dry_run)))


def main() -> None:
    app()


@command()
def site(
    output: Path = typer.Option(..., "-o", "--output", metavar="DIR", help="The folder to write the site into."),
    catalog: Optional[Path] = CatalogOption,
) -> None:
    """Write the list as a static, searchable web page (index.html and its assets) into a folder.

    Example: vrlcat site -o site/
    """
    from .site import write_site

    for path in write_site(_load(catalog).catalog, output):
        _err(f"wrote {path}")
