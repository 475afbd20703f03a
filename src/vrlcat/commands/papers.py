"""Commands that ask the services about papers: add, refresh (with --fill), check-links."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from ..errors import VrlcatError
from .shared import OUTPUT, CatalogOption, LintFormat, OutputFormat, command, err, finish, load

if TYPE_CHECKING:
    from ..add import Draft
    from ..model import Section
    from ..store import Loaded


@command
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
    from .. import add as adding
    from ..terminal import section_by_id

    loaded = load(catalog, write=not dry_run)
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
            err(f"warning: {warning}")
        draft.section = chosen or _suggested_section(loaded, draft, yes)
    from ..terminal import interactive

    asking = not yes and not dry_run and interactive()
    if dry_run or asking:  # show what will be written; on a terminal, ask first
        _show_drafts(loaded, drafts, dry_run)
        if dry_run:
            return
        if not typer.confirm(f"add {'these' if len(drafts) > 1 else 'this'}?", default=True):
            raise typer.Exit(1)
    adding.add_entries(loaded, drafts)
    for draft in drafts:
        where = draft.section.id if draft.section else "?"
        named = draft.entry.key if draft.entry.key == draft.entry.title else f"{draft.entry.key} ({draft.entry.title})"
        typer.echo(f"added {named} to section '{where}'")
    finish(loaded)


def _show_drafts(loaded: Loaded, drafts: list[Draft], dry_run: bool) -> None:
    """Each entry as it will be written, and the file it goes into."""
    from ..entrytext import render_entry
    from ..render import section_settings

    for draft in drafts:
        target = draft.section
        assert target is not None  # chosen above
        path = loaded.display(loaded.section_path(target.id))
        typer.echo(f"{'would add' if dry_run else 'adding'} to {path} (section '{target.id}'):\n")
        typer.echo(render_entry(draft.entry, section_settings(loaded.catalog, target)) + "\n")


def _issue_request(loaded: Loaded, body_file: Path, section: Optional[str]) -> tuple[list[str], str | None, bool]:
    """(ids, section, yes) from an add-paper issue's body: the form's section, else the best suggestion."""
    from ..issueform import paper_request

    try:
        body = body_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VrlcatError(f"cannot read the issue body: {exc}", str(body_file)) from None
    request = paper_request(body, loaded.catalog, str(body_file))
    return request.ids, request.section or section, True


def _suggested_section(loaded: Loaded, draft: Draft, yes: bool) -> Section:
    """The best suggestion with --yes, else the person's answer on a terminal, else exit 2 saying how to choose."""
    from ..add import suggestions
    from ..terminal import choose_section

    ranked = suggestions(loaded, draft)
    if not ranked:
        raise VrlcatError("the catalog has no sections; add one to list.yaml first")
    return choose_section(loaded.catalog, draft.entry.title, draft.entry.key, ranked, yes)


class FillField(str, Enum):
    authors = "authors"


@command
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
    from ..refresh import CURATED, apply_refresh, changes_to_write, plan_refresh, text_report
    from ..sources.cache import HttpCache
    from ..terminal import progress as progress_bar
    from ..terminal import section_by_id

    taken = {field.strip() for value in take or [] for field in value.split(",") if field.strip()}
    if unknown := taken - {*CURATED, "all"}:
        raise VrlcatError(f"--take {', '.join(sorted(unknown))}: choose from {', '.join(CURATED)} or all")
    loaded = load(catalog, write=not dry_run)
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
    from ..terminal import interactive

    if not yes and interactive() and not typer.confirm("write these changes?", default=False):
        raise typer.Exit(1)
    apply_refresh(loaded, report, taken)
    finish(loaded, machine=output_format is not OutputFormat.text)


def _fill_authors(loaded: Loaded, section: Optional[str], dry_run: bool, no_cache: bool,
                  output_format: OutputFormat) -> None:
    """`refresh --fill authors`: see fill.py."""
    from ..fill import apply_author_fill, plan_author_fill, text_report
    from ..sources.cache import HttpCache

    report = plan_author_fill(loaded, section, cache=HttpCache.from_env(enabled=not no_cache))
    if not dry_run:
        apply_author_fill(loaded, report)
        finish(loaded, machine=output_format is not OutputFormat.text)
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(text_report(report, dry_run)))


@command
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
    from ..links import check_links, fix_redirects
    from ..sources.cache import HttpCache
    from ..terminal import progress as progress_bar

    loaded = load(catalog, write=fix)
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
            err(f"fixed: {old} -> {new}")
        finish(loaded, machine=output_format is not LintFormat.text)
    if output_format is LintFormat.json:
        import json

        typer.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
    elif output_format is LintFormat.github:
        from ..links import as_findings
        from ..lint.report import as_github

        typer.echo(as_github(as_findings(results)))
    else:
        from ..links import text_report

        typer.echo("\n".join(text_report(results, checker)))
    if any(r.outcome == "broken" for r in results):
        raise typer.Exit(1)
