"""Commands between the catalog and its Markdown: import, render, sync; and the ones that look at
or tidy the whole catalog: sections, sort, dedup."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from .shared import CatalogOption, OutputFormat, command, err, finish, load, note


@command
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
    from ..importer import import_file

    target, report = import_file(markdown, catalog, force=force, dry_run=dry_run)
    verb = "would import" if dry_run else "imported"
    typer.echo(f"{verb} {markdown} into {target}/: {report.sections} sections, {report.entries} entries, "
               f"{report.hidden} hidden entries, {report.raw_blocks} raw blocks, {len(report.warnings)} warnings")
    typer.echo(f"{report.lines_identical} of {report.lines} lines come back byte-identical; "
               f"{report.entries + report.hidden - report.own_form} entries in the house style, "
               f"{report.own_form} kept in their own form (lint: entry-style)")
    if report.papers_as_text:
        typer.echo(f"{report.papers_as_text} list items that look like papers are kept as text, not read as "
                   "entries: lint, dedup and export do not see them (the warnings name each line)")
    for line, warning in report.warnings:
        err(f"warning: {markdown}:{line}: {warning}")
    if dry_run:
        typer.echo(report.diff or "the first render is the list itself, byte for byte")


@command
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
    from ..outputs import page_texts, readme_path, stale_report

    loaded = load(catalog, write=bool(output) and not check)
    if check:
        lines = stale_report(loaded, file or output or readme_path(loaded))
        for line in lines:
            err(line)
        raise typer.Exit(1 if lines else 0)
    if output:
        finish(loaded, regenerate=True, readme=output)
    else:
        files = page_texts(loaded, readme_path(loaded))
        readme_text = files[readme_path(loaded)]
        if len(files) > 1 + bool(loaded.catalog.settings.contributing):
            err("the list passes settings.page_limit: this is the README alone; `vrlcat render -o README.md` "
                 "also writes its section pages")
        sys.stdout.write(readme_text)


@command
def sync(
    readme: Optional[Path] = typer.Argument(None, metavar="[README.md]", help="The README edited by hand "
                                            "(default: the catalog's settings.readme)."),
    catalog: Optional[Path] = CatalogOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Write nothing; say what would change."),
) -> None:
    """Take a README.md edited by hand (entries added, edited, removed, moved) back into the catalog.

    Exit 1 when part of the edit (prose, CONTRIBUTING.md) cannot be taken: it names the file to edit.

    Example: vrlcat sync README.md
    """
    from ..outputs import readme_path
    from ..store import write_files_atomically
    from ..sync import describe, refuse_undoing, sync_readme
    from ..workflow import finish as finish_writing

    loaded = load(catalog, write=not dry_run)
    path = readme or readme_path(loaded)
    report = sync_readme(loaded, path)
    refuse_undoing(loaded, report, path)
    said, problems = describe(loaded, report, path, dry_run)
    for line in said:
        typer.echo(line)
    for line in problems:
        err(line)
    if not dry_run:
        write_files_atomically(report.files)
        outcome = finish_writing(loaded, regenerate=not report.left)  # the pages, and the charts drawn again
        for section_id in outcome.sorted:
            note(f"sorted: section '{section_id}' is back in its declared order (settings.sort)")
        if outcome.written:
            note("changed " + ", ".join(outcome.written))
        for line in outcome.left:
            if not (report.left and " differs from the catalog (edited by hand?)" in line):  # said above
                err(f"left for you: {line}")
    if report.left:
        raise typer.Exit(1)


@command
def sections(
    catalog: Optional[Path] = CatalogOption,
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Show the section tree: ids to pass to `add --section`.

    Example: vrlcat sections --format json
    """
    from ..model import section_rows

    loaded = load(catalog)
    rows = section_rows(loaded.catalog)
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from ..terminal import print_section_tree

    print_section_tree(loaded.catalog.title or str(loaded.root), rows)


class SortBy(str, Enum):
    date = "date"
    title = "title"  # type: ignore[assignment]  # a member named like str.title, as the option's value must be
    added = "added"


class SortDirection(str, Enum):
    desc = "desc"
    asc = "asc"


@command
def sort_command(
    catalog: Optional[Path] = CatalogOption,
    by: Optional[SortBy] = typer.Option(None, "--by", help="Sort by this instead of each section's declared order."),
    order: Optional[SortDirection] = typer.Option(None, "--order", help="desc or asc (with --by; default: asc "
                                                  "for title, desc for date and added)."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 naming the first misplaced entry."),
) -> None:
    """Put every section's entries in their declared order (newest first by default).

    --by/--order make another order the declared one (settings.sort), so lint agrees.

    Example: vrlcat sort --by title --order asc
    """
    from ..model import SortOrder
    from ..sort import misplaced_sections, sort_catalog

    loaded = load(catalog, write=not check)
    default = SortDirection.asc if by is SortBy.title else SortDirection.desc  # A to Z; newest first
    override = SortOrder(by.value, (order or default).value) if by else None
    if check:
        misplaced = misplaced_sections(loaded.catalog, override)
        for section, index in misplaced[:1]:
            entry = section.entries[index]
            path = loaded.display(loaded.section_path(section.id))
            err(f"{path}:{entry.line}: section '{section.id}' is out of order from {entry.key!r} on "
                 f"({len(misplaced)} section{'s' * (len(misplaced) != 1)} out of order)")
        raise typer.Exit(1 if misplaced else 0)
    if override:
        from ..sort import declare_order

        kept = declare_order(loaded, override)
        note(f"settings.sort is now {override.by} {override.order} in {loaded.display(loaded.root / 'list.yaml')}")
        for section in kept:
            if section.sort:
                note(f"section '{section.id}' keeps its own sort: {section.sort.by} {section.sort.order}")
    changed = sort_catalog(loaded)
    for section in changed:
        note(f"sorted {loaded.display(loaded.section_path(section.id))}")
    note(f"{len(changed)} section{'s' * (len(changed) != 1)} re-ordered")
    finish(loaded)


@command
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
    from ..dedup import find_duplicates, keep_first, merge_duplicates, unresolved

    loaded = load(catalog, write=merge)
    groups = find_duplicates(loaded, threshold)
    if merge and any(g.kind == "exact" for g in groups):
        from ..terminal import ask_conflict, interactive

        chooser = keep_first if yes or not interactive() else ask_conflict
        conflicts, _ = merge_duplicates(loaded, groups, chooser)
        for conflict in conflicts:
            err(f"conflict: {conflict.member.entry.key} field '{conflict.key}': kept {conflict.kept!r}, "
                 f"not {conflict.other!r} ({conflict.member.path}:{conflict.member.entry.line})")
        err(f"merged {sum(g.kind == 'exact' for g in groups)} groups")
        finish(loaded, machine=output_format is not OutputFormat.text)
        groups = [g for g in groups if g.kind != "exact"]
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps([g.to_json() for g in groups], ensure_ascii=False, indent=2))
    else:
        from ..dedup import text_report

        typer.echo("\n".join(text_report(groups)))
    if unresolved(groups):
        raise typer.Exit(1)
