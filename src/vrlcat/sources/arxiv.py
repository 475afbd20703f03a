"""arXiv metadata: one polite request per batch of ids, the Atom feed checked before use.

Fetched with the same httpx session as every other service (deadline, budget,
breaker, waits shown) and parsed with the standard library's XML parser: the
`arxiv` package would bring a second HTTP stack (requests) without a total
deadline, and it reads an HTML page served with HTTP 200 as "no results"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from ..errors import VrlcatError
from ..model import clean_whitespace, parse_arxiv_id
from .answers import BadAnswer
from .http import HttpSession, Pace, Unavailable, run_session
from .settings import NetworkSettings

if TYPE_CHECKING:
    from .cache import HttpCache

BATCH = 100  # ids per request: URLs past ~650 ids get HTTP 414
FEED_TYPES = ("application/atom+xml", "application/xml", "text/xml")
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_PUBLISHED = re.compile(r"^(\d{4})-(\d{2})-\d{2}T")
_VENUES = (r"CVPR|ICCV|ECCV|NeurIPS|NIPS|ICML|ICLR|AAAI|IJCAI|ACL|EMNLP|NAACL|COLING|CoRL|RSS|ICRA|IROS|"
           r"WACV|BMVC|ACCV|3DV|TPAMI|T-PAMI|IJCV|TMLR|JMLR|SIGGRAPH Asia|SIGGRAPH|KDD|WWW|ACM MM|MICCAI|"
           r"AISTATS|UAI|ICASSP|Interspeech|Nature|Science|L4DC|HRI|RA-L|T-RO")
_VENUE_RE = re.compile(rf"\b({_VENUES})\s*'?(\d{{4}}|\d{{2}})\b")


@dataclass
class Paper:
    """What arXiv says about one paper."""

    arxiv: str
    title: str
    date: str  # YYYY-MM of version 1
    authors: list[str] = field(default_factory=list)
    summary: str = ""
    comment: str = ""
    journal_ref: str = ""
    doi: str | None = None

    @property
    def venue(self) -> str | None:
        """A venue the comment or journal reference names with its year ("Accepted to CVPR 2025")."""
        for text in (self.comment, self.journal_ref):
            match = _VENUE_RE.search(text or "")
            if match:
                year = match.group(2)
                return f"{match.group(1)} {year if len(year) == 4 else '20' + year}"
        return None


def parse_feed(body: bytes, asked: list[str]) -> dict[str, Paper]:
    """The papers of an arXiv Atom feed; BadAnswer unless it is a well-formed feed whose
    entries each have an id that was asked for, a title and a publication date."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise BadAnswer(f"not well-formed XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise BadAnswer(f"not an Atom feed (root element {root.tag[:60]})")
    papers: dict[str, Paper] = {}
    for entry in root.iter(f"{_ATOM}entry"):
        paper = _paper(entry)
        if paper.arxiv not in asked:
            raise BadAnswer(f"a paper that was not asked for ({paper.arxiv})")
        papers[paper.arxiv] = paper
    return papers


def _text(entry: Element, tag: str) -> str:
    return clean_whitespace(entry.findtext(tag) or "")


def _paper(entry: Element) -> Paper:
    title = _text(entry, f"{_ATOM}title")
    if title == "Error":
        raise BadAnswer(f"an error entry: {_text(entry, f'{_ATOM}summary')[:120]}")
    arxiv_id = parse_arxiv_id(_text(entry, f"{_ATOM}id"))
    if arxiv_id is None:
        raise BadAnswer(f"an entry without an arXiv id ({_text(entry, f'{_ATOM}id')[:60]!r})")
    if not title:
        raise BadAnswer(f"a blank title for {arxiv_id}")
    published = _PUBLISHED.match(_text(entry, f"{_ATOM}published"))
    if published is None:
        raise BadAnswer(f"no publication date for {arxiv_id}")
    return Paper(
        arxiv=arxiv_id, title=title, date=f"{published.group(1)}-{published.group(2)}",
        authors=[_text(a, f"{_ATOM}name") for a in entry.findall(f"{_ATOM}author") if _text(a, f"{_ATOM}name")],
        summary=_text(entry, f"{_ATOM}summary"), comment=_text(entry, f"{_ARXIV}comment"),
        journal_ref=_text(entry, f"{_ARXIV}journal_ref"), doi=_text(entry, f"{_ARXIV}doi") or None)


class ArxivClient:
    """Fetches papers by id: one request at a time, `arxiv_delay` seconds apart, through `session`."""

    def __init__(self, session: HttpSession, settings: NetworkSettings, cache: HttpCache | None = None):
        self.session = session
        self.settings = settings
        self.cache = cache
        self.pace = Pace(settings.arxiv_delay, f"arXiv asks for {settings.arxiv_delay:g} s between requests")

    @property
    def requests(self) -> int:
        return self.pace.turns

    async def fetch(self, ids: list[str]) -> dict[str, Paper]:
        """Papers for `ids` (version-less), up to BATCH per request. An id arXiv does not
        know is missing from the result; any answer that is not a sound feed is a VrlcatError."""
        papers: dict[str, Paper] = {}
        for start in range(0, len(ids), BATCH):
            papers.update(await self._batch(ids[start:start + BATCH]))
        return papers

    async def _batch(self, batch: list[str]) -> dict[str, Paper]:
        query = urlencode({"id_list": ",".join(batch), "start": 0, "max_results": len(batch)})
        url = f"{self.settings.arxiv_api}?{query}"
        if self.cache is not None and (hit := self.cache.get(url)):
            try:
                return parse_feed(hit.body, batch)
            except BadAnswer:
                pass  # written by an older vrlcat: ask again
        try:
            answer = await self.session.fetch("GET", url, pace=self.pace)
        except Unavailable as exc:
            raise VrlcatError(f"the arXiv API gave no answer ({exc.reason}); nothing was changed") from None
        if answer.status != 200:
            raise VrlcatError(f"arXiv API answered HTTP {answer.status} for {', '.join(batch)}")
        try:
            if answer.truncated:
                raise BadAnswer(f"more than {len(answer.body)} bytes")
            if answer.content_type not in FEED_TYPES:
                raise BadAnswer(f"{answer.content_type or 'no content type'}, not an Atom feed")
            papers = parse_feed(answer.body, batch)
        except BadAnswer as exc:
            raise VrlcatError(f"the arXiv API answered {exc}; nothing was changed or cached") from None
        if self.cache is not None:
            self.cache.put(url, 200, {"content-type": answer.content_type}, answer.body)
        return papers


def fetch_papers(ids: list[str], settings: NetworkSettings | None = None) -> dict[str, Paper]:
    """Metadata for every id, in as few requests as arXiv's page size allows.

    Raises VrlcatError naming every id arXiv does not know."""
    settings = settings or NetworkSettings.from_env()

    async def work(session: HttpSession) -> dict[str, Paper]:
        return await ArxivClient(session, settings).fetch(ids)

    papers = run_session(settings, work)
    missing = [i for i in ids if i not in papers]
    if missing:
        raise VrlcatError(f"arXiv has no paper {', '.join(missing)}")
    return papers
