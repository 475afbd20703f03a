"""`vrlcat refresh`: re-fetch what the services know and bring entries up to date.

arXiv is asked in batches (100 ids a request, one request at a time, 3 s
apart); Hugging Face for entries without code or project page; GitHub for
repositories renamed, archived or gone; the three at the same time. Every
answer that passed its checks goes through the disk cache. Nothing is written
until everything was fetched, and then all at once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .model import Entry, Section, github_repo, normalise_github_url, parse_arxiv_id
from .store import Loaded, write_files_atomically

if TYPE_CHECKING:
    from .sources.arxiv import ArxivClient, Paper
    from .sources.cache import HttpCache
    from .sources.http import HttpSession
    from .sources.settings import NetworkSettings

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Target = tuple[Section, Entry]  # an entry to refresh, with its section
_T = TypeVar("_T")


CURATED = ("title", "date", "venue")  # what a maintainer chose: reported when a service differs, never overwritten


@dataclass
class Change:
    section: Section
    entry: Entry
    field: str
    old: str | None
    new: str
    why: str

    @property
    def curated(self) -> bool:
        """A difference in a field the maintainer chose (not a missing value, not a moved repository)."""
        return self.field in CURATED and self.old is not None

    def to_json(self) -> dict[str, Any]:
        return {"section": self.section.id, "entry": self.entry.key, "field": self.field, "old": self.old,
                "new": self.new, "why": self.why, "curated": self.curated}


@dataclass
class RefreshReport:
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    arxiv_requests: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"arxiv_requests": self.arxiv_requests, "changes": [c.to_json() for c in self.changes],
                "problems": self.problems}


def _quiet(stage: str, done: int, total: int) -> None:
    pass


def plan_refresh(loaded: Loaded, section_id: str | None = None, only_missing: bool = False,
                 settings: NetworkSettings | None = None, cache: HttpCache | None = None,
                 progress: Progress = _quiet) -> RefreshReport:
    """Fetch and compare; returns the changes without applying them.

    arXiv (one request at a time, 3 s apart), Hugging Face and GitHub are asked
    at the same time, each API host with a few requests in flight."""
    from .sources.http import run_session
    from .sources.settings import NetworkSettings

    settings = settings or NetworkSettings.from_env()
    targets = [(s, e) for s, e in loaded.catalog.entries()
               if e.arxiv and parse_arxiv_id(e.arxiv) == e.arxiv and section_id in (None, s.id)]
    if only_missing:
        targets = [(s, e) for s, e in targets if not (e.code and e.website and e.venue)]
    report = RefreshReport()
    run_session(settings, lambda session: _plan(session, targets, report, only_missing, settings, cache, progress))
    return report


async def _plan(session: HttpSession, targets: list[Target], report: RefreshReport, only_missing: bool,
                settings: NetworkSettings, cache: HttpCache | None, progress: Progress) -> None:
    from .sources.arxiv import ArxivClient
    from .sources.http import all_or_none

    client = ArxivClient(session, settings, cache)
    ids = list(dict.fromkeys(e.arxiv for _, e in targets if e.arxiv))  # every target has one
    try:
        papers, *_ = await all_or_none(_arxiv(client, ids, progress),
                                       _hugging_face(session, targets, report, settings, cache, progress),
                                       _github(session, targets, report, settings, cache, progress))
    finally:
        report.arxiv_requests = client.requests
    for section, entry in targets:
        paper = papers.get(entry.arxiv)
        if paper is None:
            report.problems.append(f"arXiv has no paper {entry.arxiv} ('{entry.title}', section '{section.id}')")
            continue
        if not only_missing and paper.title.split() != entry.title.split():  # any kind of space is a space
            report.changes.append(Change(section, entry, "title", entry.title, paper.title, "arXiv's title differs"))
        if not entry.date and paper.date:
            report.changes.append(Change(section, entry, "date", None, paper.date, "the month of arXiv's version 1"))
        elif not only_missing and paper.date and entry.date and entry.date[:7] != paper.date[:7] \
                and len(entry.date) >= 7:
            report.changes.append(Change(section, entry, "date", entry.date, paper.date,
                                         "arXiv's version 1 is from another month"))
        if not entry.venue and paper.venue:
            report.changes.append(Change(section, entry, "venue", None, paper.venue,
                                         "named in arXiv's comment or journal reference"))
    report.problems.extend(session.breaker.report())


async def _arxiv(client: ArxivClient, ids: list[str], progress: Progress) -> dict[str, Paper]:
    from .sources.arxiv import BATCH

    papers: dict[str, Paper] = {}
    for start in range(0, len(ids), BATCH):
        papers.update(await client.fetch(ids[start:start + BATCH]))
        progress("arXiv", min(start + BATCH, len(ids)), len(ids))
    return papers


async def _each(items: list[_T], look_up: Callable[[_T], Awaitable[None]], progress: Progress,
                stage: str) -> None:
    """`look_up(item)` for every item at once (the session bounds each host), counting progress."""
    from .sources.http import all_or_none

    done = 0

    async def one(item: _T) -> None:
        nonlocal done
        await look_up(item)
        done += 1
        progress(stage, done, len(items))

    await all_or_none(*(one(item) for item in items))


async def _hugging_face(session: HttpSession, targets: list[Target], report: RefreshReport, settings: NetworkSettings,
                        cache: HttpCache | None, progress: Progress) -> None:
    from .sources.answers import GaveUp, NotFound
    from .sources.http import SourceWarning
    from .sources.huggingface import paper_links

    async def look_up(target: Target) -> None:
        section, entry = target
        assert entry.arxiv is not None  # plan_refresh targets only entries with an arXiv id
        try:
            links = await paper_links(session, entry.arxiv, settings, cache)
        except NotFound:
            return  # most papers have no Hugging Face page: not worth a line each
        except SourceWarning as warning:
            if isinstance(warning, GaveUp) and warning.skipped:
                return  # reported once, with the count, by the breaker
            report.problems.append(f"{warning} ('{entry.title}', section '{section.id}')")
            return
        code = normalise_github_url(links.code) if links.code else None
        if code and not entry.code:
            report.changes.append(Change(section, entry, "code", None, code, "Hugging Face knows its repository"))
        if links.website and not entry.website:
            report.changes.append(Change(section, entry, "website", None, links.website,
                                         "Hugging Face knows its project page"))

    await _each([(s, e) for s, e in targets if not (e.code and e.website)], look_up, progress, "Hugging Face")


async def _github(session: HttpSession, targets: list[Target], report: RefreshReport, settings: NetworkSettings,
                  cache: HttpCache | None, progress: Progress) -> None:
    from .sources.answers import GaveUp
    from .sources.github import repository
    from .sources.http import SourceWarning

    async def look_up(target: Target) -> None:
        section, entry = target
        assert entry.code is not None  # only entries whose code is a GitHub repository are looked up
        try:
            found = await repository(session, entry.code, settings, cache)
        except SourceWarning as warning:
            if isinstance(warning, GaveUp) and warning.skipped:
                return  # reported once, with the count, by the breaker
            report.problems.append(f"{warning} ('{entry.title}', section '{section.id}')")
            return
        if found.url.lower() != entry.code.lower():
            report.changes.append(Change(section, entry, "code", entry.code, found.url,
                                         "the repository was renamed or moved"))
        if found.archived:
            report.problems.append(f"{entry.code} is archived ('{entry.title}', section '{section.id}')")

    await _each([(s, e) for s, e in targets if e.code and github_repo(e.code)], look_up, progress, "GitHub")


def changes_to_write(report: RefreshReport, take: AbstractSet[str]) -> list[Change]:
    """Missing values filled and moved repositories followed; a curated field only where
    `take` names it ("all" for every field)."""
    return [c for c in report.changes if not c.curated or c.field in take or "all" in take]


def apply_refresh(loaded: Loaded, report: RefreshReport, take: AbstractSet[str] = frozenset()) -> list[Path]:
    """Write the changes to write, all files at once (a failure leaves every file as it was)."""
    touched: dict[str, Section] = {}
    for change in changes_to_write(report, set(take)):
        setattr(change.entry, change.field, change.new)
        touched[change.section.id] = change.section
    texts = {}
    for section in touched.values():
        path, text = loaded.rewritten_section(section)
        texts[path] = text
    write_files_atomically(texts)
    return list(texts)


def text_report(loaded: Loaded, report: RefreshReport, dry_run: bool,
                take: AbstractSet[str] = frozenset()) -> list[str]:
    """Each change as a small diff with where it is, the problems, then the counts."""
    lines = []
    written = {id(c) for c in changes_to_write(report, set(take))}
    for change in report.changes:
        where = loaded.display(loaded.section_path(change.section.id))
        kept = "" if id(change) in written else f"; kept yours (--take {change.field} takes arXiv's)"
        lines.append(f"{where}:{change.entry.line} {change.entry.key}: {change.field} ({change.why}{kept})")
        if change.old:
            lines.append(f"  - {change.old}")
        lines.append(f"  + {change.new}")
    lines.extend(f"problem: {problem}" for problem in report.problems)
    files = len({c.section.id for c in report.changes if id(c) in written})
    kept_count = len(report.changes) - len(written)
    lines.append(f"{len(written)} changes in {files} files{' (dry run: nothing written)' * dry_run}, "
                 f"{kept_count} differences in your titles, dates and venues kept, "
                 f"{len(report.problems)} problems, {report.arxiv_requests} arXiv requests")
    return lines
