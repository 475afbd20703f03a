"""Code repository and project page from the Hugging Face papers API."""

from __future__ import annotations

from dataclasses import dataclass

from .http import SourceWarning, get
from .settings import NetworkSettings


@dataclass
class PaperLinks:
    code: str | None = None
    website: str | None = None


def paper_links(client, arxiv_id: str, settings: NetworkSettings, cache=None) -> PaperLinks:
    """`githubRepo` and `projectPage` of /papers/{id}; SourceWarning when HF cannot say."""
    import httpx

    url = f"{settings.hf_api}/papers/{arxiv_id}"
    try:
        response = get(client, url, settings, cache)
    except httpx.TimeoutException:
        raise SourceWarning(f"Hugging Face did not answer within {settings.timeout:g} s for {arxiv_id}") from None
    except httpx.HTTPError as exc:
        raise SourceWarning(f"cannot reach Hugging Face ({type(exc).__name__}) for {arxiv_id}") from None
    if response.status_code == 404:
        raise SourceWarning(f"Hugging Face has no page for {arxiv_id}")
    if response.status_code != 200:
        raise SourceWarning(f"Hugging Face answered HTTP {response.status_code} for {arxiv_id}")
    try:
        data = response.json()
    except ValueError:
        raise SourceWarning(f"Hugging Face answered something other than JSON for {arxiv_id}") from None
    if not isinstance(data, dict):
        raise SourceWarning(f"Hugging Face answered an unexpected shape for {arxiv_id}")
    return PaperLinks(code=_text(data.get("githubRepo")), website=_text(data.get("projectPage")))


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
