"""The `vrlcat` command: each command parses options and calls the library.

Heavy modules (httpx, arxiv, the round-trip YAML loader, rich) are imported
inside the commands that use them, so `vrlcat --help` and `lint` start fast.
"""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import VrlcatError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Keep a curated Markdown paper list as a YAML catalog, and render it back.")

CatalogOption = typer.Option(None, "--catalog", help="Catalog folder (default: $VRLCAT_CATALOG, "
                             "else the nearest catalog/ upward).", show_default=False)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


def command(name: str | None = None):
    """Register a command whose expected failures print one line and exit with their code."""

    def register(function):
        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except VrlcatError as exc:
                _err(f"error: {exc}")
                raise typer.Exit(exc.exit_code) from None

        return app.command(name)(run)

    return register


def _version(value: bool) -> None:
    if value:
        typer.echo(f"vrlcat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Show the version and exit.")) -> None:
    """Keep a curated Markdown paper list as a YAML catalog, and render it back."""


def _load(catalog: Optional[Path]):
    from .store import find_catalog, load_catalog

    return load_catalog(find_catalog(catalog))


def _err(message: str) -> None:
    typer.echo(message, err=True)


@command("import")
def import_command(
    markdown: Path = typer.Argument(..., help="The Markdown list to import."),
    catalog: Optional[Path] = CatalogOption,
    force: bool = typer.Option(False, "--force", help="Replace an existing catalog."),
) -> None:
    """Turn a Markdown paper list into a catalog, losing nothing."""
    from .importer import import_file

    target, report = import_file(markdown, catalog, force=force)
    typer.echo(f"imported {markdown} into {target}/: {report.sections} sections, {report.entries} entries, "
               f"{report.hidden} hidden entries, {report.raw_blocks} raw blocks, {len(report.warnings)} warnings")
    for line, warning in report.warnings:
        _err(f"warning: {markdown}:{line}: {warning}")


@command()
def render(
    catalog: Optional[Path] = CatalogOption,
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of standard output."),
    check: bool = typer.Option(False, "--check", help="Write nothing; exit 1 with a diff if FILE is stale."),
    file: Optional[Path] = typer.Argument(None, help="With --check: the file to compare (default: -o, "
                                          "else README.md beside the catalog)."),
) -> None:
    """Render the catalog as Markdown."""
    from .render import render as render_catalog
    from .render import stale_diff
    from .store import write_text_atomically

    loaded = _load(catalog)
    text = render_catalog(loaded.catalog)
    if check:
        target = file or output or loaded.root.parent / "README.md"
        diff = stale_diff(target, text)
        if diff:
            _err(diff)
            raise typer.Exit(1)
        return
    if output:
        write_text_atomically(output, text)
    else:
        sys.stdout.write(text)


@command()
def sections(
    catalog: Optional[Path] = CatalogOption,
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Show the section tree: ids to pass to `add --section`."""
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


def main() -> None:
    app()
