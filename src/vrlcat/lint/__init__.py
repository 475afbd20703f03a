"""Lint: small rule functions, registered with a stable id and a severity.

An entry rule looks at one entry and yields (message, field); a catalog rule
looks at the whole catalog and yields findings. A rule with a `fix` mends
what it finds in the model; `vrlcat.lint.fix` writes the result back.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..model import Catalog, Entry, Section

if TYPE_CHECKING:
    from ..dedup import Group
    from ..schema import Problem
    from ..store import Loaded

ERROR, WARNING = "error", "warning"


@dataclass
class Finding:
    rule: str
    severity: str
    path: str
    line: int | None
    message: str
    entry: str | None = None
    fixable: bool = False
    target: Entry | None = field(default=None, compare=False, repr=False)  # the entry a fix mends
    wrong_field: str | None = field(default=None, compare=False)  # the field of `target` it calls wrong

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "path": self.path, "line": self.line,
                "entry": self.entry, "message": self.message, "fixable": self.fixable}


@dataclass
class Context:
    """What rules read: the catalog, where each part of it lives, and the README to compare."""

    catalog: Catalog
    list_path: str
    section_paths: dict[str, str]
    readme: Path | None = None
    contributing: Path | None = None  # CONTRIBUTING.md, when the catalog renders one
    display: Callable[[Path], str] = str  # how findings name a file: store.Loaded.display, repository-relative
    rendered: str | None = None
    this_month: str = field(default_factory=lambda: datetime.date.today().strftime("%Y-%m"))
    problems: list[Problem] = field(default_factory=list)  # store.Problem: schema errors found while loading
    import_warnings: list[tuple[int, str]] = field(default_factory=list)  # when linting a Markdown file
    orphan_files: list[str] = field(default_factory=list)  # section files no section owns
    _duplicates: list[Group] | None = field(default=None, repr=False)  # dedup.Group: found once for four rules
    fingerprint: str | None = None  # store.Loaded.fingerprint: the catalog's files, as read

    def path(self, section: Section) -> str:
        return self.section_paths.get(section.id, self.list_path)

    def fresh_readme_marker(self, readme: str | None) -> Path | None:
        """A cache file that exists once this README was found to be the render of these catalog files
        by this vrlcat's code (cachecap.code_stamp): re-rendering 20,000 entries takes ~0.4 s."""
        if self.fingerprint is None or readme is None:
            return None
        from ..cachecap import cache_dir, code_stamp

        key = hashlib.blake2b("\n".join([self.fingerprint, code_stamp(), readme]).encode("utf-8", "surrogatepass"),
                              digest_size=16).hexdigest()
        return cache_dir() / "rendered" / key

    def duplicates(self) -> list[Group]:
        """The exact duplicate finder's groups (no fuzzy pairs), found once per run: four rules read them."""
        if self._duplicates is None:
            from ..dedup import catalog_members, duplicate_groups

            self._duplicates = duplicate_groups(catalog_members(self.catalog, self.path), fuzzy=False)
        return self._duplicates

    def render(self) -> str:
        if self.rendered is None:
            from ..render import render

            self.rendered = render(self.catalog)
        return self.rendered

    def expected_pages(self) -> dict[Path, str]:
        """Each page the catalog renders (README, its section pages past the size limit,
        CONTRIBUTING.md) and the text render gives it."""
        from ..outputs import contributing_text
        from ..pages import files_beside

        pages = files_beside(self.catalog, self.readme) if self.readme else {}
        if self.contributing:
            pages[self.contributing] = contributing_text(self.catalog)
        return pages


EntryProblem = tuple[str, str | None] | tuple[str, str | None, bool]  # (message, field[, fixable])
EntryCheck = Callable[[Entry, Context], Iterable[EntryProblem]]
EntryFix = Callable[[Entry], bool]
CatalogCheck = Callable[[Context], Iterator[Finding]]
_E = TypeVar("_E", bound=EntryCheck)
_C = TypeVar("_C", bound=CatalogCheck)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str
    check: CatalogCheck
    fixable: bool = False
    fix_entry: EntryFix | None = None
    reads: tuple[str, ...] = ()  # fields the fix builds on: not applied while another finding calls one wrong


RULES: dict[str, Rule] = {}


def catalog_rule(rule_id: str, severity: str, summary: str, fixable: bool = False) -> Callable[[_C], _C]:
    """Register a rule over the whole catalog; it yields Findings."""

    def register(check: _C) -> _C:
        RULES[rule_id] = Rule(rule_id, severity, summary, check, fixable)
        return check

    return register


def entry_rule(rule_id: str, severity: str, summary: str, fix: EntryFix | None = None,
               reads: tuple[str, ...] = ()) -> Callable[[_E], _E]:
    """Register a rule over each entry; it yields (message, field) pairs, or
    (message, field, False) for a finding its fix cannot mend."""

    def register(check: _E) -> _E:
        def run(context: Context) -> Iterator[Finding]:
            for section, entry in context.catalog.entries():
                for message, key, *mendable in check(entry, context):
                    fixable = fix is not None and (mendable or [True])[0]
                    yield Finding(rule_id, severity, context.path(section), entry.line_of(key) if key else entry.line,
                                  message, entry.key, fixable, entry, key)

        RULES[rule_id] = Rule(rule_id, severity, summary, run, fix is not None, fix, reads)
        return check

    return register


def chosen_rules(context: Context, select: set[str] | None = None, ignore: set[str] | None = None) -> set[str]:
    """The ids of the rules that run: --select, minus --ignore and list.yaml's lint_ignore."""
    switched_off = set(ignore or ()) | set(context.catalog.settings.lint_ignore)
    return {r for r in known_rules() if (not select or r in select) and r not in switched_off}


def run_rules(context: Context, select: set[str] | None = None, ignore: set[str] | None = None) -> list[Finding]:
    """Every finding of the chosen rules, minus what an entry's `lint-ignore`
    switches off, in file order."""
    rules = known_rules()
    findings: list[Finding] = []
    for rule_id in sorted(chosen_rules(context, select, ignore)):
        findings.extend(f for f in rules[rule_id].check(context) if not (f.target and f.rule in f.target.lint_ignore))
    findings.sort(key=lambda f: (f.path, f.line or 0, f.rule))
    return findings


def known_rules() -> dict[str, Rule]:
    from . import page, pictures, rules, style  # noqa: F401

    return RULES


def rule_table() -> list[dict[str, object]]:
    """Every rule as `vrlcat rules` lists it: id, severity, fixable, one-line description."""
    return [{"id": rule.id, "severity": rule.severity, "fixable": rule.fixable, "description": rule.summary}
            for rule in sorted(known_rules().values(), key=lambda r: r.id)]


def catalog_context(loaded: Loaded) -> Context:
    """A Context for a catalog on disk (a store.Loaded), comparing the pages it renders."""
    from ..outputs import contributing_path, readme_path
    from ..store import orphan_section_files

    catalog, root = loaded.catalog, loaded.root
    readme, contributing = readme_path(loaded), contributing_path(loaded)
    return Context(
        catalog=catalog,
        list_path=loaded.display(root / "list.yaml"),
        section_paths={s.id: loaded.display(loaded.section_path(s.id)) for s in catalog.walk()},
        readme=readme,
        contributing=contributing,
        display=loaded.display,
        problems=loaded.problems,
        orphan_files=[loaded.display(p) for p in orphan_section_files(root, catalog)],
        fingerprint=loaded.fingerprint,
    )


def markdown_context(path: Path) -> Context:
    """A Context for a Markdown list imported in memory: lines point into the Markdown."""
    from ..errors import VrlcatError
    from ..importer import import_markdown

    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise VrlcatError("file not found", str(path)) from None
    except UnicodeDecodeError as exc:
        raise VrlcatError(f"not UTF-8 text (byte {exc.start})", str(path)) from None
    catalog, report = import_markdown(text, str(path))
    return Context(catalog=catalog, list_path=str(path), section_paths={}, import_warnings=report.warnings)
