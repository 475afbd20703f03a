"""Code repository and project page from the Hugging Face papers API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .answers import JsonObject, get_json, optional_web_url
from .http import HttpSession
from .settings import NetworkSettings

if TYPE_CHECKING:
    from .cache import HttpCache


@dataclass
class PaperLinks:
    code: str | None = None
    website: str | None = None


def _links(data: JsonObject) -> PaperLinks:
    return PaperLinks(code=optional_web_url(data, "githubRepo", "Hugging Face"),
                      website=optional_web_url(data, "projectPage", "Hugging Face"))


async def paper_links(session: HttpSession, arxiv_id: str, settings: NetworkSettings,
                      cache: HttpCache | None = None) -> PaperLinks:
    """`githubRepo` and `projectPage` of /papers/{id}; SourceWarning when HF cannot say."""
    return await get_json(session, f"{settings.hf_api}/papers/{arxiv_id}", "Hugging Face", arxiv_id, _links,
                          cache, not_found=f"Hugging Face has no page for {arxiv_id}")
