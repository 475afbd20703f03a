"""`vrlcat refresh --fill authors`: fill empty author lists from arXiv, in batched requests.

A bibliography needs authors, and lists imported from Markdown have none.
Only empty lists are filled (a curated list of names is never replaced);
nothing is written until every batch was fetched, then all files at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Entry, Section, parse_arxiv_id
from .store import Loaded, write_files_atomically

FILLABLE = ("authors",)


@dataclass
class Filled:
    section: Section
    entry: Entry
    authors: list[str]


@dataclass
class FillReport:
    filled: list[Filled] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    arxiv_requests: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"arxiv_requests": self.arxiv_requests, "not_found": self.not_found,
                "filled": [{"section": f.section.id, "entry": f.entry.key, "authors": f.authors}
                           for f in self.filled]}


def entries_without_authors(loaded: Loaded, section_id: str | None = None) -> list[tuple[Section, Entry]]:
    return [(s, e) for s, e in loaded.catalog.entries()
            if not e.authors and e.arxiv and parse_arxiv_id(e.arxiv) == e.arxiv and section_id in (None, s.id)]


def plan_author_fill(loaded: Loaded, section_id: str | None = None, settings: Any = None,
                     cache: Any = None) -> FillReport:
    """Ask arXiv for the authors of every arXiv entry that has none (BATCH ids a request)."""
    from .sources.arxiv import ArxivClient
    from .sources.http import HttpSession, run_session
    from .sources.settings import NetworkSettings

    settings = settings or NetworkSettings.from_env()
    targets = entries_without_authors(loaded, section_id)
    ids = list(dict.fromkeys(entry.arxiv for _, entry in targets if entry.arxiv))
    report = FillReport()

    async def fetch(session: HttpSession) -> dict[str, Any]:
        client = ArxivClient(session, settings, cache)
        try:
            return await client.fetch(ids)
        finally:
            report.arxiv_requests = client.requests

    papers = run_session(settings, fetch) if ids else {}
    for section, entry in targets:
        paper = papers.get(entry.arxiv) if entry.arxiv is not None else None  # targets all have one
        if paper is None:
            report.not_found.append(f"arXiv has no paper {entry.arxiv} ('{entry.title}', section '{section.id}')")
        elif paper.authors:
            report.filled.append(Filled(section, entry, list(paper.authors)))
    return report


def apply_author_fill(loaded: Loaded, report: FillReport) -> list[Path]:
    """Write the filled author lists, every touched section file at once."""
    touched: dict[str, Section] = {}
    for filled in report.filled:
        filled.entry.authors = list(filled.authors)
        touched[filled.section.id] = filled.section
    texts = dict(loaded.rewritten_section(section) for section in touched.values())
    write_files_atomically(texts)
    return list(texts)


def text_report(report: FillReport, dry_run: bool) -> list[str]:
    lines = [f"{f.entry.key}: authors {', '.join(f.authors)}" for f in report.filled]
    lines += [f"problem: {line}" for line in report.not_found]
    files = len({f.section.id for f in report.filled})
    lines.append(f"filled authors of {len(report.filled)} entries in {files} files"
                 f"{' (dry run: nothing written)' * dry_run}, {report.arxiv_requests} arXiv requests")
    return lines
