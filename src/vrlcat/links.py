"""`vrlcat check-links`: is every URL in the catalog and its prose still alive?

httpx asynchronously, with a bound on requests in flight overall and per host;
HEAD first, GET where HEAD is refused; redirects followed hop by hop so a
permanent one can be fixed; 429 and 5xx retried with backoff (Retry-After
honoured). arXiv links are not fetched (the API knows them) nor are shields.io
badge images. Results are cached for a while, like every answer of a service.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .model import Prose, Toc, parse_arxiv_id
from .sources.http import RETRY_STATUSES, retry_after
from .store import Loaded, write_files_atomically

DEFAULT_CONCURRENCY = 32
PER_HOST = 4  # a few at a time on one host
MAX_HOPS = 10
_URL = re.compile(r"https?://[^\s<>\"'`)\]]+")
_SKIPPED_HOSTS = ("img.shields.io", "api.star-history.com")
_PERMANENT = (301, 308)
_HEAD_REFUSED = (403, 405, 501)
LINK_FIELDS = ("url", "website", "code")


@dataclass
class Place:
    path: str
    line: int | None
    what: str  # "website of 2505.01234", "prose", ...


@dataclass
class LinkResult:
    url: str
    outcome: str  # ok | redirected | broken | skipped
    status: int | None = None
    final: str | None = None
    permanent: bool = False
    detail: str = ""
    places: list[Place] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"url": self.url, "outcome": self.outcome, "status": self.status, "final": self.final,
                "permanent": self.permanent, "detail": self.detail,
                "places": [{"path": p.path, "line": p.line, "what": p.what} for p in self.places]}


def collect_links(loaded: Loaded) -> dict[str, list[Place]]:
    """Every http(s) URL of the catalog (entry fields, badges) and its prose, with where it is."""
    catalog = loaded.catalog
    found: dict[str, list[Place]] = defaultdict(list)
    list_path = loaded.display(loaded.root / "list.yaml")
    for section, entry in catalog.entries():
        path = loaded.display(loaded.section_path(section.id))
        for key in LINK_FIELDS:
            value = getattr(entry, key)
            if value:
                found[value].append(Place(path, entry.line_of(key), f"{key} of {entry.key}"))
        for badge in entry.badges:
            for url in _URL.findall(badge):
                found[url].append(Place(path, entry.line_of("badges"), f"badge of {entry.key}"))
    texts: list[tuple[str, int | None, str]] = []
    for block in catalog.page:
        if isinstance(block, Prose):
            source = loaded.display(loaded.root / block.file) if block.file else list_path
            texts.extend((source, number, line) for number, line in enumerate(block.text.splitlines(), 1))
        elif isinstance(block, Toc):
            texts.append((list_path, None, block.intro))
    for section in catalog.walk():
        texts.extend((list_path, section.line, text) for text in [section.description, *(block.text for block in section.raw)])
    for source, line, text in texts:
        for url in _URL.findall(text):
            found[url.rstrip(".,;:")].append(Place(source, line, "prose"))
    return dict(found)


def skip_reason(url: str, ignore: list[str]) -> str | None:
    host = urlsplit(url).netloc.lower()
    if parse_arxiv_id(url) or host.endswith("arxiv.org"):
        return "arXiv (known from the API)"
    if host in _SKIPPED_HOSTS:
        return "badge image"
    if any(fnmatch.fnmatch(url, pattern) for pattern in ignore):
        return "in settings.link_ignore"
    return None


class LinkChecker:
    def __init__(self, settings, cache=None, concurrency: int = DEFAULT_CONCURRENCY, per_host: int = PER_HOST,
                 timeout: float | None = None):
        self.settings = settings
        self.cache = cache
        self.concurrency = concurrency
        self.per_host = per_host
        self.timeout = timeout or settings.timeout
        self.requests = 0
        self.seconds = 0.0

    def check(self, urls: list[str], progress=None) -> dict[str, LinkResult]:
        return asyncio.run(self._check_all(urls, progress))

    async def _check_all(self, urls: list[str], progress) -> dict[str, LinkResult]:
        import httpx

        from .sources.settings import USER_AGENT

        overall = asyncio.Semaphore(self.concurrency)
        hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(self.per_host))
        results: dict[str, LinkResult] = {}
        limits = httpx.Limits(max_connections=self.concurrency, max_keepalive_connections=self.concurrency)
        async with httpx.AsyncClient(timeout=self.timeout, headers={"User-Agent": USER_AGENT}, limits=limits) as client:
            async def one(url: str) -> None:
                results[url] = await self._cached(client, url, overall, hosts)
                if progress:
                    progress(len(results), len(urls))

            await asyncio.gather(*(one(url) for url in urls))
        return results

    async def _cached(self, client, url: str, overall, hosts) -> LinkResult:
        key = f"check-links {url}"
        if self.cache is not None and (hit := self.cache.get(key)):
            data = json.loads(hit.body)
            return LinkResult(url, data["outcome"], data["status"], data["final"], data["permanent"], data["detail"])
        result = await self._follow(client, url, overall, hosts)
        if self.cache is not None:
            self.cache.put(key, 200, {}, json.dumps({k: v for k, v in result.to_json().items()
                                                     if k != "places"}).encode())
        return result

    async def _follow(self, client, url: str, overall, hosts) -> LinkResult:
        """Hop by hop to the final answer; permanent only if every hop was 301/308."""
        import httpx

        current, hops, permanent = url, 0, True
        while True:
            try:
                response = await self._request(client, current, overall, hosts)
            except httpx.TimeoutException:
                return LinkResult(url, "broken", detail=f"no answer within {self.timeout:g} s")
            except httpx.HTTPError as exc:
                return LinkResult(url, "broken", detail=f"cannot connect ({type(exc).__name__})")
            location = response.headers.get("Location")
            if response.is_redirect and location:
                hops += 1
                permanent = permanent and response.status_code in _PERMANENT
                current = urljoin(current, location)
                if hops > MAX_HOPS:
                    return LinkResult(url, "broken", response.status_code, current, detail="too many redirects")
                continue
            if response.status_code >= 400:
                return LinkResult(url, "broken", response.status_code, current if hops else None,
                                  detail=f"HTTP {response.status_code}")
            if hops:
                kind = "permanent" if permanent else "temporary"
                return LinkResult(url, "redirected", response.status_code, current, permanent,
                                  detail=f"{kind} redirect ({hops} hop{'s' * (hops > 1)})")
            return LinkResult(url, "ok", response.status_code)

    async def _request(self, client, url: str, overall, hosts):
        """HEAD (GET where HEAD is refused), retried on 429/5xx, within both bounds."""
        host = urlsplit(url).netloc.lower()
        method = "HEAD"
        for attempt in range(self.settings.retries + 1):
            async with hosts[host], overall:
                self.requests += 1
                response = await client.request(method, url)
            if method == "HEAD" and response.status_code in _HEAD_REFUSED:
                method = "GET"
                async with hosts[host], overall:
                    self.requests += 1
                    response = await client.request(method, url)
            if response.status_code not in RETRY_STATUSES or attempt == self.settings.retries:
                return response
            asked = retry_after(response.headers)
            wait = asked if asked is not None else self.settings.backoff * 2 ** attempt
            await asyncio.sleep(min(wait, self.settings.max_wait))
        raise AssertionError("unreachable")


def check_links(loaded: Loaded, settings=None, cache=None, concurrency: int = DEFAULT_CONCURRENCY,
                timeout: float | None = None, progress=None) -> tuple[list[LinkResult], LinkChecker]:
    """Every link of the catalog checked (or skipped, with the reason), in a stable order."""
    from .sources.settings import NetworkSettings

    checker = LinkChecker(settings or NetworkSettings.from_env(), cache, concurrency, timeout=timeout)
    places = collect_links(loaded)
    ignore = loaded.catalog.settings.link_ignore
    skipped = {url: skip_reason(url, ignore) for url in places}
    started = time.monotonic()
    checked = checker.check([u for u, why in skipped.items() if why is None], progress)
    checker.seconds = time.monotonic() - started
    results = []
    for url in sorted(places):
        result = checked.get(url) or LinkResult(url, "skipped", detail=skipped[url] or "")
        result.places = places[url]
        results.append(result)
    return results, checker


def fix_redirects(loaded: Loaded, results: list[LinkResult]) -> list[tuple[str, str]]:
    """Replace permanently redirected entry URLs by where they lead; returns (old, new) pairs.
    Prose is left alone (it is the author's text)."""
    moved = {r.url: r.final for r in results if r.outcome == "redirected" and r.permanent and r.final}
    texts: dict[Path, str] = {}
    replaced = []
    for section in loaded.catalog.walk():
        changed = False
        for entry in section.entries:
            for key in LINK_FIELDS:
                value = getattr(entry, key)
                if value in moved:
                    setattr(entry, key, moved[value])
                    replaced.append((value, moved[value]))
                    changed = True
        if changed:
            path, text = loaded.rewritten_section(section)
            texts[path] = text
    write_files_atomically(texts)
    return replaced


def as_findings(results: list[LinkResult]):
    """Broken links as errors and redirected ones as warnings, where the first place holds them."""
    from .lint import ERROR, WARNING, Finding

    findings = []
    for r in results:
        if r.outcome in ("broken", "redirected"):
            target = f" -> {r.final}" if r.final else ""
            findings.append(Finding("check-links", ERROR if r.outcome == "broken" else WARNING, r.places[0].path,
                                    r.places[0].line, f"{r.url} {r.detail}{target}", fixable=r.permanent))
    return findings


def text_report(results: list[LinkResult], checker: LinkChecker) -> list[str]:
    """Each broken or redirected link with where it is, then the counts."""
    lines = []
    for r in results:
        if r.outcome not in ("broken", "redirected"):
            continue
        place = r.places[0]
        more = f" (+{len(r.places) - 1} more places)" if len(r.places) > 1 else ""
        target = f" -> {r.final}" if r.final else ""
        lines.append(f"{r.outcome:<10} {r.url}{target}  {r.detail}  [{place.path}:{place.line or '-'} {place.what}]{more}")
    counts = {k: sum(r.outcome == k for r in results) for k in ("ok", "redirected", "broken", "skipped")}
    lines.append("| " + " | ".join(counts) + " |")
    lines.append("|" + "---|" * len(counts))
    lines.append("| " + " | ".join(str(v) for v in counts.values()) + " |")
    lines.append(f"{len(results)} links, {checker.requests} requests, {checker.seconds:.1f} s")
    return lines
