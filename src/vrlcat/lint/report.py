"""Findings as text (grouped by file; terminal.print_report colours it on a terminal), JSON, or GitHub
workflow commands."""

from __future__ import annotations

import json
from collections.abc import Iterable

from . import ERROR, Finding


def summary(findings: list[Finding]) -> str:
    errors = sum(f.severity == ERROR for f in findings)
    style = sum(f.severity == "style" for f in findings)
    warnings = len(findings) - errors - style
    fixable = sum(f.fixable for f in findings)
    text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if style:
        text += f", {style} house-style finding{'s' * (style != 1)}"
    return text + (f" ({fixable} fixable with `vrlcat lint --fix`)" if fixable else "")


def as_json(findings: Iterable[Finding]) -> str:
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(findings: Iterable[Finding]) -> str:
    """GitHub Actions workflow commands: annotations on the files in a pull request."""
    lines = []
    for f in findings:
        where = f"file={_escape_property(f.path)}" + (f",line={f.line}" if f.line else "")
        level = "notice" if f.severity == "style" else f.severity
        lines.append(f"::{level} {where},title={_escape_property(f.rule)}::{_escape_data(f.message)}")
    return "\n".join(lines)


def as_text(findings: list[Finding]) -> list[str]:
    """Plain lines: a file heading, then `line  severity  rule  [entry] message`."""
    lines, current = [], None
    for f in findings:
        if f.path != current:
            current = f.path
            lines.append(f.path)
        entry = f"[{f.entry}] " if f.entry else ""
        fix = " (fixable)" if f.fixable else ""
        lines.append(f"  {f.line or '-':>5}  {f.severity:<7}  {f.rule:<20}  {entry}{f.message}{fix}")
    return lines


def text_report(findings: list[Finding]) -> list[str]:
    """The lines `vrlcat lint` prints (terminal.print_report shows them): the findings, then the summary."""
    return as_text(findings) + [summary(findings)]
