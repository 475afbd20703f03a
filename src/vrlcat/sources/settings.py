"""Where the services are and how politely and how long to call them, from the environment
(numbers checked by vrlcat.environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .. import __version__
from ..environment import flag, number

USER_AGENT = f"vrlcat/{__version__} (+https://github.com/vrlcat/vrlcat; paper-list maintenance)"


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
            timeout=number("VRLCAT_HTTP_TIMEOUT", cls.timeout),
            budget=number("VRLCAT_HTTP_BUDGET", cls.budget),
            arxiv_delay=number("VRLCAT_ARXIV_DELAY", cls.arxiv_delay),
            retries=int(number("VRLCAT_HTTP_RETRIES", cls.retries)),
            backoff=number("VRLCAT_HTTP_BACKOFF", cls.backoff),
            max_wait=number("VRLCAT_HTTP_MAX_WAIT", cls.max_wait),
            per_host=int(number("VRLCAT_HTTP_PER_HOST", cls.per_host)),
            breaker=int(number("VRLCAT_HTTP_BREAKER", cls.breaker)),
            allow_private=flag("VRLCAT_ALLOW_PRIVATE"),
        )
