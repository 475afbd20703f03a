"""Code repository and project page from the Hugging Face papers API."""

from __future__ import annotations

from dataclasses import dataclass

from .http import get_json
from .settings import NetworkSettings


@dataclass
class PaperLinks:
    code: str | None = None
    website: str | None = None


def paper_links(client, arxiv_id: str, settings: NetworkSettings, cache=None) -> PaperLinks:
    """`githubRepo` and `projectPage` of /papers/{id}; SourceWarning when HF cannot say."""
    data = get_json(client, f"{settings.hf_api}/papers/{arxiv_id}", settings, "Hugging Face", arxiv_id, cache,
                    not_found=f"Hugging Face has no page for {arxiv_id}")
    return PaperLinks(code=_text(data.get("githubRepo")), website=_text(data.get("projectPage")))


def _text(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
