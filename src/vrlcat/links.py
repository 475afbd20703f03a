"""`vrlcat check-links`: is every URL in the catalog and its prose still alive?

Through the shared HttpSession (one deadline per request, run budget, per-host
breaker, Retry-After up to a cap): at most `concurrency` requests in flight and
`PER_HOST` per host; HEAD first, GET where HEAD is refused, and never more than
LINK_BODY_LIMIT bytes of any body; redirects followed hop by hop. Loopback,
private, link-local and multicast addresses are refused on every hop (guard.py)
unless allowed. arXiv links are not fetched (the API knows them) nor are
shields.io badge images. Only definitive results are cached.
"""

from __future__ import annotations

import asyncio
import dataclasses
import fnmatch
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .model import Prose, Toc, parse_arxiv_id
from .sources.sites import why_not_rewritten
from .store import Loaded, write_files_atomically

if TYPE_CHECKING:
    from .lint import Finding
    from .sources.cache import HttpCache
    from .sources.http import Answer, HttpSession, RunClock, TransportFactory
    from .sources.settings import NetworkSettings

Progress = Callable[[int, int], None]  # (links checked, links to check)

DEFAULT_CONCURRENCY = 80  # 20 hosts x PER_HOST: a list's usual spread of hosts all busy at once
PER_HOST = 4  # a few at a time on one host
MAX_HOPS = 10
LINK_BODY_LIMIT = 16 * 1024  # enough to keep a connection for reuse; a 1.5 GB body is not downloaded
_REDIRECTS = (301, 302, 303, 307, 308)
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
    not_fixed: str = ""  # why --fix leaves a permanent redirect as written

    @property
    def definitive(self) -> bool:
        """Worth caching: an answer that will still be true tomorrow (2xx, 404/410, permanent redirect to a 2xx)."""
        answered = self.status is not None and 200 <= self.status < 300
        return ((self.outcome == "ok" and answered) or (self.outcome == "broken" and self.status in (404, 410))
                or (self.outcome == "redirected" and self.permanent and answered))

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "outcome": self.outcome, "status": self.status, "final": self.final,
                "permanent": self.permanent, "detail": self.detail, "not_fixed": self.not_fixed,
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
        texts.extend((list_path, section.line, text)
                     for text in [section.description, *(block.text for block in section.raw)])
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
    def __init__(self, settings: NetworkSettings, cache: HttpCache | None = None,
                 concurrency: int = DEFAULT_CONCURRENCY, per_host: int = PER_HOST, timeout: float | None = None,
                 recheck_failed: bool = False, clock: RunClock | None = None):
        self.settings = dataclasses.replace(settings, timeout=timeout) if timeout else settings
        self.cache = cache
        self.concurrency = concurrency
        self.per_host = per_host
        self.timeout = self.settings.timeout
        self.recheck_failed = recheck_failed
        self.clock = clock
        self.requests = 0
        self.seconds = 0.0
        self.given_up: list[str] = []  # hosts the breaker gave up, with how much was skipped

    def check(self, urls: list[str], progress: Progress | None = None) -> dict[str, LinkResult]:
        return asyncio.run(self._check_all(urls, progress))

    async def _check_all(self, urls: list[str], progress: Progress | None) -> dict[str, LinkResult]:
        from .sources.guard import guarded_transport
        from .sources.http import HttpSession

        guard: TransportFactory | None = None if self.settings.allow_private else guarded_transport
        overall = asyncio.Semaphore(self.concurrency)
        results: dict[str, LinkResult] = {}
        async with HttpSession(self.settings, self.clock, self.per_host, guard) as session:
            async def one(url: str) -> None:
                results[url] = await self._cached(session, url, overall)
                if progress:
                    progress(len(results), len(urls))

            await asyncio.gather(*(one(url) for url in urls))
        self.requests = session.requests
        self.given_up = session.breaker.report()
        return results

    async def _cached(self, session: HttpSession, url: str, overall: asyncio.Semaphore) -> LinkResult:
        key = f"check-links {url}"
        if self.cache is not None and (hit := self.cache.get(key)):
            data = json.loads(hit.body)
            cached = LinkResult(url, data["outcome"], data["status"], data["final"], data["permanent"],
                                data["detail"])
            if cached.definitive and not (self.recheck_failed and cached.outcome == "broken"):
                return cached
        result = await self._follow(session, url, overall)
        if self.cache is not None and result.definitive:
            self.cache.put(key, 200, {}, json.dumps({k: v for k, v in result.to_json().items()
                                                     if k != "places"}).encode())
        return result

    async def _follow(self, session: HttpSession, url: str, overall: asyncio.Semaphore) -> LinkResult:
        """Hop by hop to the final answer; permanent only if every hop was 301/308."""
        import httpx

        from .sources.guard import BlockedAddress
        from .sources.http import Unavailable

        current, hops, permanent = url, 0, True
        while True:
            try:
                answer = await self._request(session, current, overall)
            except BlockedAddress as exc:
                return LinkResult(url, "broken", final=current if hops else None,
                                  detail=f"not fetched: {exc} (--allow-private to check it)")
            except Unavailable as exc:
                if exc.skipped:
                    return LinkResult(url, "skipped", detail=f"not checked: {exc.host} was given up this run")
                return LinkResult(url, "broken", final=current if hops else None, detail=exc.reason)
            except httpx.InvalidURL as exc:
                return LinkResult(url, "broken", final=current if hops else None, detail=f"malformed URL ({exc})")
            location = answer.headers.get("location")
            if answer.status in _REDIRECTS and location:
                hops += 1
                permanent = permanent and answer.status in _PERMANENT
                current = urljoin(current, location.strip())
                if urlsplit(current).scheme not in ("http", "https"):
                    return LinkResult(url, "broken", answer.status, current, detail="redirects to a non-web URL")
                if hops > MAX_HOPS:
                    return LinkResult(url, "broken", answer.status, current, detail="too many redirects")
                continue
            if answer.status >= 400:
                return LinkResult(url, "broken", answer.status, current if hops else None,
                                  detail=f"HTTP {answer.status}")
            if hops:
                kind = "permanent" if permanent else "temporary"
                return LinkResult(url, "redirected", answer.status, current, permanent,
                                  detail=f"{kind} redirect ({hops} hop{'s' * (hops > 1)})")
            return LinkResult(url, "ok", answer.status)

    async def _request(self, session: HttpSession, url: str, overall: asyncio.Semaphore) -> Answer:
        """HEAD (GET where HEAD is refused), each reading at most LINK_BODY_LIMIT bytes."""
        async with overall:
            answer = await session.fetch("HEAD", url, max_bytes=LINK_BODY_LIMIT)
            if answer.status in _HEAD_REFUSED:
                answer = await session.fetch("GET", url, max_bytes=LINK_BODY_LIMIT)
            return answer


def check_links(loaded: Loaded, settings: NetworkSettings | None = None, cache: HttpCache | None = None,
                concurrency: int = DEFAULT_CONCURRENCY, timeout: float | None = None,
                progress: Progress | None = None, allow_private: bool = False,
                recheck_failed: bool = False) -> tuple[list[LinkResult], LinkChecker]:
    """Every link of the catalog checked (or skipped, with the reason), in a stable order.

    `allow_private` (or VRLCAT_ALLOW_PRIVATE=1) lets loopback and private addresses be
    fetched; `recheck_failed` asks again about links cached as broken."""
    from .sources.settings import NetworkSettings

    settings = settings or NetworkSettings.from_env()
    if allow_private:
        settings = dataclasses.replace(settings, allow_private=True)
    checker = LinkChecker(settings, cache, concurrency, timeout=timeout, recheck_failed=recheck_failed)
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
        if result.outcome == "redirected" and result.permanent and result.final:
            result.not_fixed = why_not_rewritten(url, result.final) or ""
        results.append(result)
    return results, checker


def fix_redirects(loaded: Loaded, results: list[LinkResult]) -> list[tuple[str, str]]:
    """Replace permanently redirected entry URLs by where they lead, when that stays on the
    same site (see sources/sites.py); returns (old, new) pairs. Prose is left alone (it is
    the author's text)."""
    moved = {r.url: r.final for r in results
             if r.outcome == "redirected" and r.permanent and r.final and not r.not_fixed}
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


def as_findings(results: list[LinkResult]) -> list[Finding]:
    """Broken links as errors and redirected ones as warnings, where the first place holds them."""
    from .lint import ERROR, WARNING, Finding

    findings = []
    for r in results:
        if r.outcome in ("broken", "redirected"):
            target = f" -> {r.final}" if r.final else ""
            findings.append(Finding("check-links", ERROR if r.outcome == "broken" else WARNING, r.places[0].path,
                                    r.places[0].line, f"{r.url} {r.detail}{target}{_not_fixed(r)}",
                                    fixable=r.permanent and not r.not_fixed))
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
        lines.append(f"{r.outcome:<10} {r.url}{target}  {r.detail}{_not_fixed(r)}  "
                     f"[{place.path}:{place.line or '-'} {place.what}]{more}")
    lines.extend(f"given up: {line}" for line in checker.given_up)
    counts = {k: sum(r.outcome == k for r in results) for k in ("ok", "redirected", "broken", "skipped")}
    lines.append("| " + " | ".join(counts) + " |")
    lines.append("|" + "---|" * len(counts))
    lines.append("| " + " | ".join(str(v) for v in counts.values()) + " |")
    lines.append(f"{len(results)} links, {checker.requests} requests, {checker.seconds:.1f} s")
    return lines


def _not_fixed(result: LinkResult) -> str:
    return f" (--fix leaves it: {result.not_fixed})" if result.not_fixed else ""
