"""`vrlcat add`: a correct, complete entry from an arXiv id, placed where its section's order puts it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .dates import DATE_RE
from .errors import VrlcatError
from .model import Entry, Section, normalise_github_url, parse_arxiv_id, url_problem
from .sort import insertion_index
from .sources.http import SourceWarning, all_or_none, run_session
from .store import Loaded, write_files_atomically
from .suggest import suggest_sections

if TYPE_CHECKING:
    from .dedup import Group
    from .sources.arxiv import Paper
    from .sources.http import HttpSession
    from .sources.huggingface import PaperLinks
    from .sources.settings import NetworkSettings

ID_FORMS = ("an arXiv id (2505.01234, 2505.01234v2, hep-th/9901001, arXiv:2505.01234) or an arxiv.org, "
            "huggingface.co/papers or alphaxiv.org URL")
_URL = re.compile(r"https?://[^\s)\]}>,;\"']+")
_PROJECT_HINT = re.compile(r"(project|website|homepage|home page|demo|page)\W*$", re.IGNORECASE)


@dataclass
class Draft:
    """A new entry before it is written: what was fetched, where it could go, what went wrong."""

    entry: Entry
    abstract: str = ""
    warnings: list[str] = field(default_factory=list)
    section: Section | None = None


def parse_ids(arguments: list[str]) -> list[str]:
    """Version-less ids in order, each once; a clear error for anything else."""
    ids: list[str] = []
    for argument in arguments:
        arxiv_id = parse_arxiv_id(argument)
        if arxiv_id is None:
            raise VrlcatError(f"not an arXiv id or URL: {argument!r}; expected {ID_FORMS} "
                              "(add a paper not on arXiv with --url --title --date)")
        if arxiv_id not in ids:
            ids.append(arxiv_id)
    return ids


def _groups_with(loaded: Loaded, entry: Entry) -> list[Group]:
    """What the one duplicate finder (vrlcat.dedup) says about `entry` joining the catalog."""
    from .dedup import Member, catalog_members, duplicate_groups

    members = catalog_members(loaded.catalog, lambda s: loaded.display(loaded.section_path(s.id)))
    new = Member(Section(id="", title="", level=2), entry, "")
    return [g for g in duplicate_groups([*members, new], fuzzy=False) if any(m is new for m in g.members)]


def duplicate_of(loaded: Loaded, entry: Entry) -> str | None:
    """Where the catalog already has this paper (a shared arXiv id, DOI or link), if anywhere."""
    for group in _groups_with(loaded, entry):
        if group.kind != "possible":
            existing = next(m for m in group.members if m.entry is not entry)
            return f"{existing.path}:{existing.entry.line or 1}: section '{existing.section.id}' already has " \
                   f"{existing.entry.key!r}"
    return None


def possible_duplicates(loaded: Loaded, entry: Entry) -> list[str]:
    """Warnings for entries with the same title but other links: a person decides."""
    return [f"possible duplicate: {m.path}:{m.entry.line or 1}: section '{m.section.id}' has the same title under "
            f"{m.entry.key!r}; `vrlcat dedup` lists it" for g in _groups_with(loaded, entry) if g.kind == "possible"
            for m in g.members if m.entry is not entry]


def fetch_drafts(loaded: Loaded, arguments: list[str], code: str | None = None, website: str | None = None,
                 venue: str | None = None, settings: NetworkSettings | None = None) -> list[Draft]:
    """Drafts for arXiv ids: metadata in one arXiv request while Hugging Face is asked
    for links (else the abstract), then GitHub names checked. Refuses duplicates."""
    from .sources.settings import NetworkSettings

    settings = settings or NetworkSettings.from_env()
    ids = parse_ids(arguments)
    for arxiv_id in ids:
        if where := duplicate_of(loaded, Entry(title="", arxiv=arxiv_id)):
            raise VrlcatError(f"{arxiv_id} is already in the catalog: {where}", exit_code=1)
    return run_session(settings, lambda session: _fetch(session, loaded, ids, code, website, venue, settings))


async def _fetch(session: HttpSession, loaded: Loaded, ids: list[str], code: str | None, website: str | None,
                 venue: str | None, settings: NetworkSettings) -> list[Draft]:
    from .sources.arxiv import ArxivClient

    papers: dict[str, Paper]
    hf_links: dict[str, PaperLinks | SourceWarning]
    papers, hf_links = await all_or_none(ArxivClient(session, settings).fetch(ids),
                                         _hugging_face_links(session, ids, settings))
    missing = [i for i in ids if i not in papers]
    if missing:
        raise VrlcatError(f"arXiv has no paper {', '.join(missing)}")
    drafts = []
    for arxiv_id in ids:
        paper = papers[arxiv_id]
        entry = Entry(title=paper.title, arxiv=arxiv_id, date=paper.date, venue=venue or paper.venue,
                      code=code, website=website, authors=paper.authors, doi=paper.doi)
        if where := duplicate_of(loaded, entry):
            raise VrlcatError(f"{paper.title!r} is already in the catalog: {where}", exit_code=1)
        drafts.append(Draft(entry, abstract=paper.summary, warnings=possible_duplicates(loaded, entry)))
    for draft in drafts:
        assert draft.entry.arxiv is not None  # each draft is made from one of `ids`
        _fill_links(draft, papers[draft.entry.arxiv], hf_links[draft.entry.arxiv])
    await all_or_none(*(_check_repository(session, draft, settings) for draft in drafts))
    return drafts


async def _hugging_face_links(session: HttpSession, ids: list[str],
                              settings: NetworkSettings) -> dict[str, PaperLinks | SourceWarning]:
    """Per id: the PaperLinks Hugging Face knows, or the warning saying why there are none."""
    from .sources.huggingface import paper_links

    async def one(arxiv_id: str) -> PaperLinks | SourceWarning:
        try:
            return await paper_links(session, arxiv_id, settings)
        except SourceWarning as warning:
            return warning

    found = await all_or_none(*(one(i) for i in ids))
    return dict(zip(ids, found, strict=False))


def manual_draft(loaded: Loaded, url: str, title: str, date: str, venue: str | None = None,
                 code: str | None = None, website: str | None = None) -> Draft:
    """A paper not on arXiv, from what the user gives; nothing is fetched."""
    if not DATE_RE.match(date):
        raise VrlcatError(f"--date {date!r} is not YYYY-MM (or YYYY, or YYYY-MM-DD)")
    if not title.strip():
        raise VrlcatError("--title is empty")
    for option, value in (("--url", url), ("--code", code), ("--website", website)):
        if value and (problem := url_problem(value)):
            raise VrlcatError(f"{option} {value!r} {problem}")
    entry = Entry(title=" ".join(title.split()), url=url, date=date, venue=" ".join(venue.split()) if venue else None,
                  code=normalise_github_url(code) or code if code else None, website=website)
    if where := duplicate_of(loaded, entry):
        raise VrlcatError(f"{title!r} is already in the catalog: {where}", exit_code=1)
    return Draft(entry, warnings=possible_duplicates(loaded, entry))


def _fill_links(draft: Draft, paper: Paper, links: PaperLinks | SourceWarning) -> None:
    """Code and website the user did not give: from Hugging Face, else the abstract."""

    entry = draft.entry
    if isinstance(links, SourceWarning):
        draft.warnings.append(f"{links}; looking for links in the abstract")
    else:
        entry.code = entry.code or links.code
        entry.website = entry.website or links.website
    found_code, found_site = links_in_text(f"{paper.comment} {paper.summary}")
    entry.code = entry.code or found_code
    entry.website = entry.website or found_site


async def _check_repository(session: HttpSession, draft: Draft, settings: NetworkSettings) -> None:
    """GitHub's current name for the code repository; every failure is a warning."""
    from .sources.github import repository

    entry = draft.entry
    if entry.code:
        normalised = normalise_github_url(entry.code)
        if normalised is None:
            draft.warnings.append(f"code {entry.code} is not a GitHub repository; no Star badge")
        else:
            entry.code = normalised
            try:
                entry.code = (await repository(session, normalised, settings)).url
            except SourceWarning as warning:
                draft.warnings.append(f"{warning}; kept {normalised} as given")
    else:
        draft.warnings.append(f"no code repository found for {entry.arxiv}; added without a Star badge")
    if entry.website and entry.website.rstrip("/") in (entry.link or "", entry.code or ""):
        entry.website = None


def links_in_text(text: str) -> tuple[str | None, str | None]:
    """A GitHub repository and a project page named in an abstract or comment."""
    code = website = None
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".")
        repo = normalise_github_url(url)
        if repo and code is None:
            code = repo
        elif not repo and website is None and "arxiv.org" not in url:
            before = text[max(0, match.start() - 30):match.start()]
            if ".github.io" in url or _PROJECT_HINT.search(before):
                website = url
    return code, website


def suggestions(loaded: Loaded, draft: Draft, limit: int = 3) -> list[tuple[Section, float]]:
    return suggest_sections(loaded.catalog, draft.entry.title, draft.abstract, limit=limit)


def planned_files(loaded: Loaded, drafts: list[Draft]) -> dict[Path, str]:
    """The new text of every section file the drafts change (workflow.finish renders
    the pages). Nothing is written; the catalog in memory gets the entries, in their
    sorted places."""

    texts: dict[Path, str] = {}
    for draft in drafts:
        if draft.section is None:
            raise VrlcatError(f"no section chosen for {draft.entry.key}")
        section = draft.section
        index = insertion_index(section.entries, draft.entry, loaded.catalog.sort_order(section))
        section.entries.insert(index, draft.entry)
        path, text = loaded.rewritten_section(section)
        texts[path] = text
    return texts


def add_entries(loaded: Loaded, drafts: list[Draft]) -> list[Path]:
    """Write the drafts into their sections, all files or none."""
    texts = planned_files(loaded, drafts)
    write_files_atomically(texts)
    return list(texts)
