"""Talking with the person at the terminal: questions, progress, reports in colour, and "did you mean".

Kept out of cli.py so each command there stays a few lines, and so a prompt
that asks again after a wrong answer is written once.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import typer

from .errors import VrlcatError

if TYPE_CHECKING:
    from .dedup import Conflict
    from .model import Catalog, Section

Progress = Callable[[str, int, int], None]


def interactive() -> bool:
    """Whether a person can answer: standard input is a terminal."""
    return sys.stdin.isatty()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def section_by_id(catalog: Catalog, section_id: str) -> Section:
    """The section `section_id`, or an error with the closest id and where the ids are listed."""
    section = catalog.section(section_id)
    if section is None:
        known = [s.id for s in catalog.walk()]
        raise VrlcatError(f"unknown section id {section_id!r}{did_you_mean(section_id, known)}; "
                          "`vrlcat sections` lists them")
    return section


def choose_section(catalog: Catalog, title: str, key: str, ranked: list[tuple[Section, float]], yes: bool) -> Section:
    """The best suggestion with --yes; else ask on a terminal until the answer names a
    section; else exit 2 saying how to choose."""
    if yes:
        return ranked[0][0]
    lines = [f"  {n}. {s.id}  ({s.title}, score {score:.2f})" for n, (s, score) in enumerate(ranked, 1)]
    if not interactive():
        typer.echo(f"no --section given for {key} ({title}) and no terminal to ask on: pass --section ID "
                   "(`vrlcat sections` lists them) or --yes to take the closest section. The closest:", err=True)
        typer.echo("\n".join(lines), err=True)
        raise typer.Exit(2)
    from rich.prompt import Prompt

    typer.echo(f"{title}\nclosest sections:\n" + "\n".join(lines))
    while True:
        choice = Prompt.ask("section (number or id)", default="1").strip()
        if choice.isdigit() and 1 <= int(choice) <= len(ranked):
            return ranked[int(choice) - 1][0]
        section = catalog.section(choice)
        if section is not None:
            return section
        known = [s.id for s in catalog.walk()]
        typer.echo(f"no section {choice!r}{did_you_mean(choice, known)}; answer a number from 1 to "
                   f"{len(ranked)} or a section id")


def ask_conflict(conflict: Conflict) -> object:
    """On a terminal, which of two values a merged entry keeps."""
    from rich.prompt import Prompt

    typer.echo(f"{conflict.member.entry.key}: '{conflict.key}' differs:\n"
               f"  1. {conflict.kept!r}\n  2. {conflict.other!r}")
    return conflict.other if Prompt.ask("keep", choices=["1", "2"], default="1") == "2" else conflict.kept


def progress(label: str, quiet: bool = False) -> tuple[Progress, Callable[[], None]]:
    """A progress callback: a rich bar with counts and ETA on a terminal, plain lines
    otherwise, nothing when `quiet`. Returns (callback, close)."""
    if quiet:
        return (lambda stage, done, total: None), lambda: None
    if not sys.stderr.isatty():
        last: dict[str, int] = {}

        def plain(stage: str, done: int, total: int) -> None:
            step = max(1, total // 10)
            if done == total or done - last.get(stage, 0) >= step:
                last[stage] = done
                typer.echo(f"{label}: {stage} {done}/{total}", err=True)

        return plain, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    bar.start()
    tasks: dict[str, Any] = {}

    def rich(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(f"{label}: {stage}", total=total)
        bar.update(tasks[stage], completed=done)

    return rich, bar.stop


def print_report(lines: list[str]) -> None:
    """A report of findings (a file heading, then its findings; a summary last): rich colours when
    standard output is a terminal and NO_COLOR is unset; plain otherwise."""
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    styles = {"error": "red", "warning": "yellow", "style": "cyan"}
    for number, line in enumerate(lines, start=1):
        text = escape(line)
        for word, style in styles.items():
            text = text.replace(f"  {word} ", f"  [{style}]{word}[/] ", 1)
        if not line.startswith(" ") and number < len(lines):  # a file's heading; the summary is last
            text = f"[bold underline]{text}[/]"
        console.print(text)


def print_section_tree(title: str, rows: list[dict[str, Any]]) -> None:
    """The section tree (model.section_rows): rich's tree on a terminal; on a pipe, or with
    NO_COLOR, the same guides as plain lines, never wrapped, so scripts can read them."""
    counted = [(row, f"{row['entries']} {'entry' if row['entries'] == 1 else 'entries'}") for row in rows]
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        children: dict[str | None, list[dict[str, Any]]] = {}
        for row, count in counted:
            children.setdefault(row["parent"], []).append({**row, "count": count})
        lines = [title]

        def walk(parent: str | None, prefix: str) -> None:
            kids = children.get(parent, [])
            for index, row in enumerate(kids):
                last = index == len(kids) - 1
                lines.append(f"{prefix}{'└── ' if last else '├── '}{row['id']}  {row['title']}  ({row['count']})")
                walk(row["id"], prefix + ("    " if last else "│   "))

        walk(None, "")
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    tree = Tree(escape(title))
    nodes = {None: tree}
    for row, count in counted:
        nodes[row["id"]] = nodes[row["parent"]].add(f"[bold]{escape(row['id'])}[/]  {escape(row['title'])}  "
                                                    f"[dim]({count})[/]")
    Console().print(tree)
