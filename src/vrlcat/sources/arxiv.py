"""arXiv metadata through the `arxiv` package, one polite request per batch of ids.

The package fetches with `requests` and sets no timeout and no User-Agent of
ours; a transport adapter on its session adds both and our retry policy."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from ..errors import VrlcatError
from ..model import clean_whitespace, parse_arxiv_id
from .http import send_with_retries
from .settings import USER_AGENT, NetworkSettings

BATCH = 100  # ids per request: URLs past ~650 ids get HTTP 414

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


class ArxivClient:
    """Fetches papers by id; one request at a time, `arxiv_delay` seconds apart."""

    def __init__(self, settings: NetworkSettings, cache=None):
        import arxiv
        import requests.adapters

        self.settings = settings
        self.cache = cache
        self.requests = 0
        self._last: float | None = None
        client = self

        class PoliteAdapter(requests.adapters.HTTPAdapter):
            def send(self, request, **kwargs):
                request.headers["User-Agent"] = USER_AGENT
                kwargs["timeout"] = settings.timeout
                if client.cache is not None and (hit := client.cache.get(request.url)):
                    return _response(request, hit)

                def once():
                    client._wait_turn()
                    try:
                        return super(PoliteAdapter, self).send(request, **kwargs)
                    finally:
                        client._last = time.monotonic()
                        client.requests += 1

                response = send_with_retries(once, lambda r: r.status_code, lambda r: r.headers, settings,
                                             min_wait=settings.arxiv_delay)
                if client.cache is not None:
                    client.cache.put(request.url, response.status_code, dict(response.headers), response.content)
                return response

        self._client = arxiv.Client(page_size=BATCH, delay_seconds=0, num_retries=0)
        self._client.query_url_format = settings.arxiv_api + "?{}"
        self._client._session.mount("http://", PoliteAdapter())
        self._client._session.mount("https://", PoliteAdapter())

    def _wait_turn(self) -> None:
        if self._last is not None:
            remaining = self.settings.arxiv_delay - (time.monotonic() - self._last)
            if remaining > 0:
                time.sleep(remaining)

    def fetch(self, ids: list[str]) -> dict[str, Paper]:
        """Papers for `ids` (version-less), up to BATCH per request. An id arXiv
        does not know is missing from the result; the caller decides if that is an error."""
        import arxiv
        import requests

        papers: dict[str, Paper] = {}
        for start in range(0, len(ids), BATCH):
            batch = ids[start:start + BATCH]
            search = arxiv.Search(id_list=batch, max_results=len(batch))
            try:
                results = list(self._client.results(search))
            except arxiv.HTTPError as exc:
                raise VrlcatError(f"arXiv API answered HTTP {exc.status} for {', '.join(batch)}") from None
            except requests.Timeout:
                raise VrlcatError(f"arXiv API did not answer within {self.settings.timeout:g} s") from None
            except requests.RequestException as exc:
                raise VrlcatError(f"cannot reach the arXiv API ({type(exc).__name__}): "
                                  f"{self.settings.arxiv_api}") from None
            except arxiv.ArxivError as exc:
                raise VrlcatError(f"arXiv API: {exc.message}") from None
            for result in results:
                paper = _paper(result)
                if paper:
                    papers[paper.arxiv] = paper
        return papers


def _response(request, cached):
    """A requests.Response rebuilt from a cached answer."""
    import requests
    from requests.structures import CaseInsensitiveDict

    response = requests.Response()
    response.status_code = cached.status
    response.headers = CaseInsensitiveDict(cached.headers)
    response._content = cached.body
    response.url = request.url
    response.request = request
    return response


def _paper(result) -> Paper | None:
    arxiv_id = parse_arxiv_id(result.entry_id)
    if arxiv_id is None or result.title == "Error":
        return None
    return Paper(
        arxiv=arxiv_id,
        title=clean_whitespace(result.title),
        date=result.published.strftime("%Y-%m"),
        authors=[author.name for author in result.authors],
        summary=clean_whitespace(result.summary or ""),
        comment=clean_whitespace(result.comment or ""),
        journal_ref=clean_whitespace(result.journal_ref or ""),
        doi=result.doi or None,
    )


def fetch_papers(ids: list[str], settings: NetworkSettings | None = None) -> dict[str, Paper]:
    """Metadata for every id, in as few requests as arXiv's page size allows.

    Raises VrlcatError naming every id arXiv does not know."""
    client = ArxivClient(settings or NetworkSettings.from_env())
    papers = client.fetch(ids)
    missing = [i for i in ids if i not in papers]
    if missing:
        raise VrlcatError(f"arXiv has no paper {', '.join(missing)}")
    return papers
