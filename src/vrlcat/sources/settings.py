"""Where the services are and how politely to call them, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass

from .. import __version__

USER_AGENT = f"vrlcat/{__version__} (+https://github.com/vrlcat/vrlcat; paper-list maintenance)"


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class NetworkSettings:
    arxiv_api: str = "https://export.arxiv.org/api/query"
    hf_api: str = "https://huggingface.co/api"
    github_api: str = "https://api.github.com"
    github_token: str | None = None
    timeout: float = 20.0
    arxiv_delay: float = 3.0  # arXiv's terms: one request at a time, 3 s apart
    retries: int = 3
    backoff: float = 3.0  # first retry waits this long, then doubles (Retry-After wins)
    max_wait: float = 120.0  # never wait longer than this for a Retry-After

    @classmethod
    def from_env(cls) -> NetworkSettings:
        env = os.environ
        return cls(
            arxiv_api=env.get("VRLCAT_ARXIV_API", cls.arxiv_api),
            hf_api=env.get("VRLCAT_HF_API", cls.hf_api).rstrip("/"),
            github_api=env.get("VRLCAT_GITHUB_API", cls.github_api).rstrip("/"),
            github_token=env.get("GITHUB_TOKEN") or None,
            timeout=_float("VRLCAT_HTTP_TIMEOUT", cls.timeout),
            arxiv_delay=_float("VRLCAT_ARXIV_DELAY", cls.arxiv_delay),
            retries=int(_float("VRLCAT_HTTP_RETRIES", cls.retries)),
            backoff=_float("VRLCAT_HTTP_BACKOFF", cls.backoff),
            max_wait=_float("VRLCAT_HTTP_MAX_WAIT", cls.max_wait),
        )
