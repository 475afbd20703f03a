"""One run's HTTP: every request ends by its deadline, every run by its budget.

- One deadline per request covers connect, headers and body (httpx's timeouts
  apply to each read, so a server dripping one byte at a time would never time out).
- A body is read up to a fixed size and no further.
- 429 and 5xx and failed connections are retried with backoff; Retry-After is
  honoured up to `max_wait`, and no wait may pass the run's budget.
- After `breaker` failures in a row a host is not called again this run (after
  one passed deadline if it never answered); what was skipped is counted so the
  command can say so.
- Every wait longer than a second is shown on stderr.
"""

from __future__ import annotations

import asyncio
import email.utils
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from .settings import USER_AGENT, NetworkSettings

if TYPE_CHECKING:
    import ssl

    import httpx

_T = TypeVar("_T")
# (connections per host, SSL context) -> the transport a host's requests go through
TransportFactory = Callable[[int, "ssl.SSLContext"], "httpx.AsyncBaseTransport"]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
API_BODY_LIMIT = 8 * 1024 * 1024  # an arXiv feed of 100 papers is ~0.3 MiB


class Unavailable(Exception):
    """A host gave no usable answer this run (deadline, connection, 5xx/429 after retries, breaker, budget)."""

    def __init__(self, host: str, reason: str, skipped: bool = False):
        super().__init__(f"{host}: {reason}")
        self.host = host
        self.reason = reason
        self.skipped = skipped  # not asked at all: the host was given up earlier this run


class SourceWarning(Exception):
    """A secondary source failed: the entry is still added, without what it would have given."""


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    value = (headers.get("Retry-After") or headers.get("retry-after") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def environment_proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for this scheme and host (HTTPS_PROXY, NO_PROXY, ...)."""
    import urllib.request

    proxy = urllib.request.getproxies().get(scheme)
    return None if proxy is None or urllib.request.proxy_bypass(host) else proxy


def say_on_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class RunClock:
    """The run's time budget and its waits; clock, sleep and notify are injectable for tests."""

    budget: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    notify: Callable[[str], None] = say_on_stderr
    started: float | None = None

    def remaining(self) -> float:
        if self.started is None:
            self.started = self.clock()
        return self.budget - (self.clock() - self.started)

    async def wait(self, seconds: float, host: str, reason: str) -> None:
        """Wait, shown when longer than a second; Unavailable when it would pass the budget."""
        if seconds <= 0:
            return
        if seconds > self.remaining():
            raise Unavailable(host, f"{reason}: waiting {seconds:.0f} s would pass the run's "
                                    f"{self.budget:g} s budget (VRLCAT_HTTP_BUDGET)")
        if seconds > 1:
            self.notify(f"waiting {seconds:.0f} s for {host}: {reason}")
        await self.sleep(seconds)


@dataclass
class Breaker:
    """Per host: consecutive failures, and once `threshold` is reached, no more calls this run."""

    threshold: int
    failures: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    opened: dict[str, str] = field(default_factory=dict)  # host -> the failure that opened it
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    answered: set[str] = field(default_factory=set)  # hosts that gave at least one answer this run

    def check(self, host: str) -> None:
        if host in self.opened:
            self.skipped[host] += 1
            raise Unavailable(host, f"not called again this run after {self.opened[host]}", skipped=True)

    def failed(self, host: str, reason: str) -> None:
        self.failures[host] += 1
        if self.failures[host] >= self.threshold:
            self.opened.setdefault(host, f"{self.failures[host]} failures in a row (last: {reason})")

    def trip(self, host: str, reason: str) -> None:
        self.opened.setdefault(host, reason)

    def succeeded(self, host: str) -> None:
        self.failures[host] = 0
        self.answered.add(host)

    def deadline_passed(self, host: str, reason: str) -> None:
        """A host that has not answered once this run and lets a deadline pass is taken for dead
        at once: the requests already in flight to it end at the same deadline, and no new one
        starts (nothing awaits between this call and the release of the request's slot)."""
        if host in self.answered:
            self.failed(host, reason)
        else:
            self.trip(host, f"{reason}, without any answer before")

    def report(self) -> list[str]:
        """One line per host given up, saying how many requests were skipped."""
        return [f"{host} was given up ({why}); {self.skipped.get(host, 0)} requests to it skipped"
                for host, why in self.opened.items()]


@dataclass
class Answer:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool = False  # the body was longer than the limit; only its start was read

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or "").split(";")[0].strip().lower()


class Pace:
    """At least `delay` seconds from the end of one request to the start of the next (arXiv's rule)."""

    def __init__(self, delay: float, reason: str):
        self.delay = delay
        self.reason = reason
        self.last: float | None = None
        self.turns = 0  # requests made at this pace

    async def turn(self, clock: RunClock, host: str) -> None:
        if self.last is not None:
            await clock.wait(self.delay - (clock.clock() - self.last), host, self.reason)
        self.turns += 1

    def finished(self, clock: RunClock) -> None:
        self.last = clock.clock()


class HttpSession:
    """An httpx.AsyncClient with the deadline, body limit, retry, breaker and budget rules above."""

    def __init__(self, settings: NetworkSettings, clock: RunClock | None = None, per_host: int | None = None,
                 transport_factory: TransportFactory | None = None, headers: dict[str, str] | None = None):
        self.settings = settings
        self.clock = clock or RunClock(settings.budget)
        self.breaker = Breaker(settings.breaker)
        self.requests = 0
        self._per_host = per_host or settings.per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._pools: dict[tuple[str, str], httpx.AsyncBaseTransport] = {}
        self._ssl_context: ssl.SSLContext | None = None
        self._transport_factory = transport_factory
        self._headers = {"User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "gzip, deflate",
                         **(headers or {})}

    async def __aenter__(self) -> HttpSession:
        self.clock.remaining()  # the budget starts now
        return self

    async def __aexit__(self, *exc: object) -> None:
        for pool in self._pools.values():
            await pool.aclose()

    def _pool(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        """One small connection pool per scheme and host, used as a bare httpx transport.

        httpcore scans its whole pool for every request, so one shared pool of many
        connections costs CPU quadratically; and httpx's client layer (cookies, auth,
        redirect machinery, none of which vrlcat uses) costs as much again as the transport."""
        import httpx

        key = (url.scheme, url.netloc.decode("ascii"))
        if key not in self._pools:
            if self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context()  # ~20 ms each: one per session
            if self._transport_factory is not None:
                self._pools[key] = self._transport_factory(self._per_host, self._ssl_context)
            else:
                limits = httpx.Limits(max_connections=self._per_host, max_keepalive_connections=self._per_host)
                self._pools[key] = httpx.AsyncHTTPTransport(verify=self._ssl_context, limits=limits,
                                                            proxy=environment_proxy(url.scheme, url.host))
        return self._pools[key]

    def _slot(self, host: str) -> asyncio.Semaphore:
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self._per_host)
        return self._hosts[host]

    async def once(self, method: str, url: str, headers: dict[str, str] | None = None,
                   max_bytes: int = API_BODY_LIMIT) -> Answer:
        """One request; its connect, headers and first `max_bytes` of body all within one deadline."""
        host = host_of(url)
        async with self._slot(host):
            self.breaker.check(host)  # after the wait for a slot: the host may have been given up meanwhile
            deadline = min(self.settings.timeout, self.clock.remaining())
            if deadline <= 0:
                raise Unavailable(host, f"the run's {self.settings.budget:g} s budget is spent (VRLCAT_HTTP_BUDGET)")
            self.requests += 1
            try:
                return await within(deadline, self._read(method, url, headers, max_bytes))
            except asyncio.TimeoutError:
                raise DeadlinePassed(deadline) from None

    async def _read(self, method: str, url: str, headers: dict[str, str] | None, max_bytes: int) -> Answer:
        import httpx

        request = httpx.Request(method, url, headers={**self._headers, **(headers or {})})
        response = await self._pool(request.url).handle_async_request(request)
        try:
            body = bytearray()
            truncated = False
            async for chunk in response.aiter_bytes():  # also for HEAD: a read-to-the-end response keeps its connection
                body += chunk
                if len(body) > max_bytes:
                    del body[max_bytes:]
                    truncated = True
                    break
        finally:
            await response.aclose()
        return Answer(url, response.status_code, response.headers, bytes(body), truncated)

    async def fetch(self, method: str, url: str, headers: dict[str, str] | None = None, max_bytes: int = API_BODY_LIMIT,
                    pace: Pace | None = None) -> Answer:
        """`once`, retried on 429, 5xx and failed connections; Unavailable when the host gives no answer.

        A deadline passed is not retried: a host that used its whole deadline once would
        likely use it again, and a dead service must not cost a run more than one deadline."""
        import httpx

        host = host_of(url)
        for attempt in range(self.settings.retries + 1):
            if pace is not None:
                await pace.turn(self.clock, host)
            asked = None
            try:
                answer = await self.once(method, url, headers, max_bytes)
            except DeadlinePassed as exc:
                self.breaker.deadline_passed(host, str(exc))
                raise Unavailable(host, str(exc)) from None
            except httpx.HTTPError as exc:
                failure = f"cannot connect ({type(exc).__name__})"
            else:
                if answer.status not in RETRY_STATUSES:
                    self.breaker.succeeded(host)
                    return answer
                failure = "rate limit" if answer.status == 429 else f"HTTP {answer.status}"
                asked = retry_after(answer.headers)
            finally:
                if pace is not None:
                    pace.finished(self.clock)
            self.breaker.failed(host, failure)
            if attempt == self.settings.retries or host in self.breaker.opened:
                raise Unavailable(host, f"{failure} after {attempt + 1} tries")
            if asked is not None and asked > self.settings.max_wait:
                self.breaker.trip(host, f"{failure}: asked to wait {asked:.0f} s")
                raise Unavailable(host, f"{failure}: asked to wait {asked:.0f} s, more than the "
                                        f"{self.settings.max_wait:g} s vrlcat waits (VRLCAT_HTTP_MAX_WAIT)")
            wait = asked if asked is not None else self.settings.backoff * 2 ** attempt
            await self.clock.wait(wait, host, failure)
        raise AssertionError("unreachable")


async def within(seconds: float, coroutine: Awaitable[_T]) -> _T:
    """`coroutine`, cancelled after `seconds` (asyncio.timeout where there is one: no extra task)."""
    if hasattr(asyncio, "timeout"):
        async with asyncio.timeout(seconds):
            return await coroutine
    return await asyncio.wait_for(coroutine, seconds)


class DeadlinePassed(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"no complete answer within {seconds:g} s")


async def all_or_none(*coroutines: Awaitable[Any]) -> list[Any]:
    """Run concurrently; when one fails, cancel the others and raise its error."""
    tasks = [asyncio.ensure_future(c) for c in coroutines]
    try:
        return await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


def run_session(settings: NetworkSettings, work: Callable[[HttpSession], Awaitable[_T]], **session_options: Any) -> _T:
    """Open a session, run `work(session)` on it, close it; from synchronous code."""

    async def main() -> _T:
        async with HttpSession(settings, **session_options) as session:
            return await work(session)

    return asyncio.run(main())
