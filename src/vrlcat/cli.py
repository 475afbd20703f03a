"""The `vrlcat` command: the Typer app, its root options, and the commands in the order
`vrlcat --help` lists them. The commands live in `vrlcat.commands`, a module for each kind
of work; each parses options and calls the library.

Heavy modules (httpx, arxiv, the round-trip YAML loader, rich) are imported
inside the commands that use them, so `vrlcat --help` and `lint` start fast.
"""

from __future__ import annotations

import typer

from . import __version__
from .commands import catalog, lint, papers, publish
from .commands.shared import OUTPUT

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


COMMANDS = (
    ("import", catalog.import_command),
    ("render", catalog.render),
    ("sync", catalog.sync),
    ("sections", catalog.sections),
    ("add", papers.add),
    ("lint", lint.lint),
    ("rules", lint.rules),
    ("sort", catalog.sort_command),
    ("dedup", catalog.dedup),
    ("refresh", papers.refresh),
    ("check-links", papers.check_links_command),
    ("export", publish.export),
    ("stats", publish.stats),
    ("chart", publish.chart),
    ("site", publish.site),
)
for name, run in COMMANDS:
    app.command(name)(run)


def main() -> None:
    app()
