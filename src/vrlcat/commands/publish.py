"""Commands that make something of the catalog for others: export, stats, chart, site."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import VrlcatError
from .shared import CatalogOption, OutputFormat, command, err, load


class ExportFormat(str, Enum):
    bibtex = "bibtex"
    csl_json = "csl-json"
    csv = "csv"
    json = "json"


@command
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
    from ..export import export_text, in_section, records
    from ..store import write_text_atomically

    loaded = load(catalog)
    if section and loaded.catalog.section(section) is None:
        raise VrlcatError(f"unknown section id {section!r}; `vrlcat sections` lists them")
    chosen = records(loaded.catalog, include_hidden)
    chosen = in_section(loaded.catalog, chosen, section) if section else chosen
    if missing := sum(1 for record in chosen if not record.entry.authors):
        err(f"{missing} of {len(chosen)} entries have no authors; `vrlcat refresh --fill authors` "
             "fills them from arXiv")
    text = export_text(chosen, output_format.value)
    if output:
        write_text_atomically(output, text)
    else:
        sys.stdout.write(text)


@command
def stats(
    catalog: Optional[Path] = CatalogOption,
    output_format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Count the entries: by section, year and month, with code or a website, by venue, recent ones.

    Example: vrlcat stats --format json
    """
    import datetime

    from ..stats import catalog_stats, text_report

    loaded = load(catalog)
    numbers = catalog_stats(loaded.catalog, datetime.date.today())
    if output_format is OutputFormat.json:
        import json

        typer.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(text_report(numbers, loaded.catalog)))


class ChartKind(str, Enum):
    timeline = "timeline"
    taxonomy = "taxonomy"


@command
def chart(
    kind: ChartKind = typer.Argument(..., metavar="timeline|taxonomy", help="timeline (papers per month by "
                                     "top-level section) or taxonomy (the section tree with counts)."),
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE",
                                help="The picture to write: FILE.svg or FILE.png."),
    catalog: Optional[Path] = CatalogOption,
) -> None:
    """Draw one of the list's charts as SVG or PNG; the same catalog gives the same SVG bytes.

    Example: vrlcat chart timeline -o docs/img/timeline.svg
    """
    from ..charts import write_chart

    loaded = load(catalog)
    write_chart(loaded.catalog, kind.value, output)
    typer.echo(f"wrote {output}")


@command
def site(
    output: Path = typer.Option(..., "-o", "--output", metavar="DIR", help="The folder to write the site into."),
    catalog: Optional[Path] = CatalogOption,
) -> None:
    """Write the list as a static, searchable web page (index.html and its assets) into a folder.

    Example: vrlcat site -o site/
    """
    from ..site import write_site

    for path in write_site(load(catalog).catalog, output):
        err(f"wrote {path}")
