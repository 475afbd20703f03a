"""What a service answer must look like before vrlcat believes it.

A maintenance page served with HTTP 200, a JSON document nested a million deep,
a field of the wrong type: each is a BadAnswer, an error for this run, never
cached and never written into the catalog."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

from .http import Answer, HttpSession, SourceWarning, Unavailable, host_of

if TYPE_CHECKING:
    from .cache import HttpCache

JsonObject = dict[str, Any]  # a JSON object as json.loads reads it
_T = TypeVar("_T")

JSON_TYPES = ("application/json",)
_SPACE = re.compile(r"\s")


class BadAnswer(Exception):
    """A service answered something vrlcat cannot rely on."""


class NotFound(SourceWarning):
    """The service answered, definitively, that it has nothing for this subject."""


class GaveUp(SourceWarning):
    """The service gave no answer this run (deadline, errors, rate limit, breaker)."""

    def __init__(self, message: str, skipped: bool = False):
        super().__init__(message)
        self.skipped = skipped  # not asked: the breaker had given the host up (counted in its report)


def json_object(answer: Answer, service: str) -> JsonObject:
    """The body as a JSON object; BadAnswer for anything else."""
    if answer.truncated:
        raise BadAnswer(f"{service} answered more than {len(answer.body)} bytes")
    if not (answer.content_type in JSON_TYPES or answer.content_type.endswith("+json")):
        raise BadAnswer(f"{service} answered {answer.content_type or 'no content type'}, not JSON")
    try:
        data = json.loads(answer.body)
    except (ValueError, RecursionError):
        raise BadAnswer(f"{service} answered malformed JSON") from None
    if not isinstance(data, dict):
        raise BadAnswer(f"{service} answered JSON that is not an object")
    return data


def optional_text(data: JsonObject, key: str, service: str) -> str | None:
    """A string field that may be absent or null; BadAnswer when it is something else."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadAnswer(f"{service} answered a {type(value).__name__} for {key!r}")
    return value.strip() or None


def optional_web_url(data: JsonObject, key: str, service: str) -> str | None:
    """An http(s) URL field without spaces, or None; BadAnswer when malformed."""
    value = optional_text(data, key, service)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or _SPACE.search(value):
        raise BadAnswer(f"{service} answered a malformed URL for {key!r}: {value[:80]!r}")
    return value


async def get_json(session: HttpSession, url: str, service: str, subject: str, shape: Callable[[JsonObject], _T],
                   cache: HttpCache | None = None, headers: dict[str, str] | None = None,
                   follow_redirects: bool = False, not_found: str | None = None, rate_limit_hint: str = "") -> _T:
    """`shape(data)` of the JSON object a service answers for `url`.

    Every way it can fail is a SourceWarning naming the service and the subject
    (NotFound for a 404, GaveUp when the service gave no answer). Only a 404 or an
    answer that passed `shape` is cached."""
    if cache is not None and (hit := cache.get(url)):
        if hit.status == 404:
            raise NotFound(not_found or f"{service} has nothing for {subject}")
        try:
            return shape(json.loads(hit.body))
        except (ValueError, RecursionError, BadAnswer):
            pass  # an entry written by an older vrlcat: ask again
    target = url
    for _ in range(5):
        try:
            answer = await session.fetch("GET", target, headers=headers)
        except Unavailable as exc:
            raise GaveUp(f"{service} gave no answer for {subject}: {exc.reason}", exc.skipped) from None
        location = answer.headers.get("location")
        if not (follow_redirects and answer.status in (301, 302, 307, 308) and location):
            break
        target = urljoin(target, location)
        if host_of(target) != host_of(url):
            raise SourceWarning(f"{service} redirected {subject} to another host: {target[:100]}")
    if answer.status in (403, 429) and answer.headers.get("x-ratelimit-remaining") == "0":
        session.breaker.trip(host_of(url), "its rate limit was reached")
        raise GaveUp(f"{service} rate limit reached; {subject} not checked{rate_limit_hint}")
    if answer.status == 404:
        if cache is not None:
            cache.put(url, 404, {}, b"")
        raise NotFound(not_found or f"{service} has nothing for {subject}")
    if answer.status != 200:
        raise SourceWarning(f"{service} answered HTTP {answer.status} for {subject}")
    try:
        data = json_object(answer, service)
        result = shape(data)
    except BadAnswer as exc:
        raise SourceWarning(f"{exc} for {subject} (not used, not cached)") from None
    if cache is not None:
        cache.put(url, 200, {"content-type": "application/json"}, json.dumps(data).encode())
    return result
