"""Where the services are and how politely and how long to call them, from the environment.

A value that is not a number, or out of range, is refused with one line naming the
variable: a silently ignored `VRLCAT_HTTP_TIMEOUT=nan` would mean no deadline at all."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from .. import __version__
from ..errors import VrlcatError

USER_AGENT = f"vrlcat/{__version__} (+https://github.com/vrlcat/vrlcat; paper-list maintenance)"


def env_number(name: str, default: float, minimum: float = 0.0, integer: bool = False,
               positive: bool = False) -> float:
    """The number in environment variable `name`, else `default`; VrlcatError when it is unusable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    kind = "a whole number" if integer else "a number"
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise VrlcatError(f"{name}={raw!r} is not {kind}") from None
    if not math.isfinite(value) or value < minimum or (positive and value <= minimum):
        bound = f"greater than {minimum:g}" if positive else f"at least {minimum:g}"
        raise VrlcatError(f"{name}={raw!r}: expected {kind} {bound}")
    return value


def env_flag(name: str) -> bool:
    """A yes/no variable: 1/true/yes/on are yes, unset, empty, 0/false/no/off are no."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("", "0", "false", "no", "off"):
        return False
    raise VrlcatError(f"{name}={raw!r}: expected 1 or 0")


@dataclass(frozen=True)
class NetworkSettings:
    arxiv_api: str = "https://export.arxiv.org/api/query"
    hf_api: str = "https://huggingface.co/api"
    github_api: str = "https://api.github.com"
    github_token: str | None = None
    timeout: float = 8.0  # one deadline per request: connect, headers and body together
    budget: float = 300.0  # the whole run's network time; waits that would pass it are not taken
    arxiv_delay: float = 3.0  # arXiv's terms: one request at a time, 3 s apart
    retries: int = 3
    backoff: float = 1.0  # first retry waits this long, then doubles (Retry-After wins)
    max_wait: float = 60.0  # a Retry-After longer than this is not waited for: the host is given up
    per_host: int = 8  # requests in flight at once on one API host (Hugging Face, GitHub)
    breaker: int = 3  # consecutive failures after which a host is not called again this run
    allow_private: bool = False  # check-links may fetch loopback and private addresses

    @classmethod
    def from_env(cls) -> NetworkSettings:
        env = os.environ
        return cls(
            arxiv_api=env.get("VRLCAT_ARXIV_API", cls.arxiv_api),
            hf_api=env.get("VRLCAT_HF_API", cls.hf_api).rstrip("/"),
            github_api=env.get("VRLCAT_GITHUB_API", cls.github_api).rstrip("/"),
            github_token=env.get("GITHUB_TOKEN") or None,
            timeout=env_number("VRLCAT_HTTP_TIMEOUT", cls.timeout, positive=True),
            budget=env_number("VRLCAT_HTTP_BUDGET", cls.budget, positive=True),
            arxiv_delay=env_number("VRLCAT_ARXIV_DELAY", cls.arxiv_delay),
            retries=int(env_number("VRLCAT_HTTP_RETRIES", cls.retries, integer=True)),
            backoff=env_number("VRLCAT_HTTP_BACKOFF", cls.backoff),
            max_wait=env_number("VRLCAT_HTTP_MAX_WAIT", cls.max_wait),
            per_host=int(env_number("VRLCAT_HTTP_PER_HOST", cls.per_host, minimum=1, integer=True)),
            breaker=int(env_number("VRLCAT_HTTP_BREAKER", cls.breaker, minimum=1, integer=True)),
            allow_private=env_flag("VRLCAT_ALLOW_PRIVATE"),
        )
