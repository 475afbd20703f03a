"""What every network source shares: one retry policy (back off on 429 and 5xx,
honour Retry-After), the httpx client, and the warning a secondary source raises."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from .settings import USER_AGENT, NetworkSettings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
Response = TypeVar("Response")


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def send_with_retries(send: Callable[[], Response], status: Callable[[Response], int],
                      headers: Callable[[Response], Mapping[str, str]], settings: NetworkSettings,
                      min_wait: float = 0.0, sleep: Callable[[float], None] = time.sleep) -> Response:
    """Call `send` until it answers something other than 429/5xx or retries run out.

    Waits Retry-After when given (capped at settings.max_wait), else an
    exponential backoff; never less than `min_wait` (arXiv's spacing)."""
    for attempt in range(settings.retries + 1):
        response = send()
        if status(response) not in RETRY_STATUSES or attempt == settings.retries:
            return response
        asked = retry_after(headers(response))
        wait = asked if asked is not None else settings.backoff * 2 ** attempt
        sleep(max(min_wait, min(wait, settings.max_wait)))
    raise AssertionError("unreachable")


class SourceWarning(Exception):
    """A secondary source failed: the entry is still added, without what it would have given."""


def http_client(settings: NetworkSettings, headers: dict | None = None):
    import httpx

    return httpx.Client(timeout=settings.timeout, headers={"User-Agent": USER_AGENT, **(headers or {})})


def get(client, url: str, settings: NetworkSettings, cache=None, headers: dict | None = None,
        follow_redirects: bool = False):
    """GET with the retry policy, from `cache` (a sources.cache.HttpCache) when fresh there."""
    import httpx

    if cache is not None and (hit := cache.get(url)):
        return httpx.Response(hit.status, headers=hit.headers, content=hit.body, request=httpx.Request("GET", url))
    response = send_with_retries(lambda: client.get(url, headers=headers, follow_redirects=follow_redirects),
                                 lambda r: r.status_code, lambda r: r.headers, settings)
    if cache is not None:
        cache.put(url, response.status_code, dict(response.headers), response.content)
    return response


def get_json(client, url: str, settings: NetworkSettings, service: str, subject: str, cache=None,
             headers: dict | None = None, follow_redirects: bool = False, not_found: str | None = None,
             rate_limit_hint: str = "") -> dict:
    """The JSON object a secondary service answers; every way it can fail is a SourceWarning
    that names the service and what was asked."""
    import httpx

    try:
        response = get(client, url, settings, cache, headers=headers, follow_redirects=follow_redirects)
    except httpx.TimeoutException:
        raise SourceWarning(f"{service} did not answer within {settings.timeout:g} s for {subject}") from None
    except httpx.HTTPError as exc:
        raise SourceWarning(f"cannot reach {service} ({type(exc).__name__}) for {subject}") from None
    if response.status_code in (403, 429) and response.headers.get("X-RateLimit-Remaining") == "0":
        raise SourceWarning(f"{service} rate limit reached; {subject} not checked{rate_limit_hint}")
    if response.status_code == 404:
        raise SourceWarning(not_found or f"{service} has nothing for {subject}")
    if response.status_code != 200:
        raise SourceWarning(f"{service} answered HTTP {response.status_code} for {subject}")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise SourceWarning(f"{service} answered something other than a JSON object for {subject}")
    return data
