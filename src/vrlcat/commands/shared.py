"""What every command module uses: the expected-error wrapper, the root options' state,
the options several commands share, and the few lines that load, note and finish.

Kept apart from cli.py (which imports the command modules to register them) so
that the command modules can import it without a cycle. Like every module the
commands import at start-up, it imports nothing heavy.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Optional, ParamSpec, TypeVar

import typer

if TYPE_CHECKING:
    from ..store import Loaded

P = ParamSpec("P")
R = TypeVar("R")

# Set by the root options (-q, -v) for the command that follows.
OUTPUT = {"quiet": False, "verbose": False}

CatalogOption = typer.Option(None, "--catalog", metavar="DIR", help="Catalog folder (default: $VRLCAT_CATALOG, "
                             "else the nearest catalog/ upward).", show_default=False)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class LintFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


# -q and -v are also taken after the command's name (`vrlcat lint -q`), as well as before it.
_OUTPUT_OPTIONS = (
    inspect.Parameter("quiet", inspect.Parameter.KEYWORD_ONLY, annotation=bool, default=typer.Option(
        False, "-q", "--quiet", help="Print only results and errors (as `vrlcat -q COMMAND`).")),
    inspect.Parameter("verbose", inspect.Parameter.KEYWORD_ONLY, annotation=bool, default=typer.Option(
        False, "-v", "--verbose", help="Also say which catalog is used (as `vrlcat -v COMMAND`).")),
)


def command(function: Callable[P, R]) -> Callable[P, R]:
    """A command whose expected failures print one line and exit with their code (cli.py registers it),
    and which takes -q and -v after its name too."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from ..scope import command_scope

        if kwargs.pop("quiet", False):
            OUTPUT.update(quiet=True, verbose=False)
        if kwargs.pop("verbose", False) and not OUTPUT["quiet"]:
            OUTPUT["verbose"] = True
        try:
            with command_scope():
                return function(*args, **kwargs)
        except typer.Exit:
            raise  # the command's own exit code (importing workflow to learn that would cost start-up)
        except Exception as exc:
            from ..workflow import expected_error

            error = expected_error(exc)
            if error is None:
                raise
            err(f"error: {error}")
            raise typer.Exit(error.exit_code) from None

    signature = inspect.signature(function)
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *_OUTPUT_OPTIONS])
    return run


def load(catalog: Optional[Path], write: bool = False, strict: bool = True) -> Loaded:
    """The catalog; with `write`, locked for the rest of the command (see workflow)."""
    from ..workflow import load as load_catalog

    loaded = load_catalog(catalog, write=write, strict=strict)
    if OUTPUT["verbose"]:
        err(f"catalog: {loaded.display(loaded.root)} ({'writing' if write else 'reading'})")
    return loaded


def note(message: str, machine: bool = False) -> None:
    """A note on what a command did: hidden by -q; on stderr when stdout carries data (`machine`)."""
    if not OUTPUT["quiet"]:
        typer.echo(message, err=machine)


def err(message: str) -> None:
    typer.echo(message, err=True)


def finish(loaded: Loaded, regenerate: bool = False, readme: Optional[Path] = None, machine: bool = False) -> None:
    """Write the command's changes with the sections re-sorted and the pages re-rendered
    (workflow.finish), and say so; on stderr when stdout carries JSON or annotations (`machine`)."""
    from ..workflow import finish as finish_writing

    outcome = finish_writing(loaded, regenerate, readme)
    for section_id in outcome.sorted:
        note(f"sorted: section '{section_id}' is back in its declared order (settings.sort)", machine)
    if outcome.written:
        note("changed " + ", ".join(outcome.written), machine)
    for line in outcome.left:
        err(f"left for you: {line}")
