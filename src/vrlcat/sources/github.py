"""The canonical name of a GitHub repository (a renamed one redirects)."""

from __future__ import annotations

from ..model import github_repo
from dataclasses import dataclass

from .http import SourceWarning, get
from .settings import NetworkSettings


@dataclass
class Repository:
    url: str  # https://github.com/OWNER/REPO as GitHub names it now (a renamed one redirects)
    archived: bool = False


def repository(client, url: str, settings: NetworkSettings, cache=None) -> Repository:
    """What GitHub says of a repository URL; SourceWarning when it cannot say."""
    import httpx

    repo = github_repo(url)
    if repo is None:
        raise SourceWarning(f"{url} is not a GitHub repository URL")
    api = f"{settings.github_api}/repos/{repo[0]}/{repo[1]}"
    headers = {"Accept": "application/vnd.github+json"}
    if settings.github_token:
        headers["Authorization"] = f"Bearer {settings.github_token}"
    try:
        response = get(client, api, settings, cache, headers=headers, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise SourceWarning(f"cannot reach GitHub ({type(exc).__name__}) to check {url}") from None
    if response.status_code in (403, 429) and response.headers.get("X-RateLimit-Remaining") == "0":
        raise SourceWarning(f"GitHub rate limit reached; {url} not checked (set GITHUB_TOKEN)")
    if response.status_code == 404:
        raise SourceWarning(f"GitHub has no repository {repo[0]}/{repo[1]}")
    if response.status_code != 200:
        raise SourceWarning(f"GitHub answered HTTP {response.status_code} for {url}")
    try:
        data = response.json()
        return Repository(f"https://github.com/{data['full_name']}", data.get("archived") is True)
    except (ValueError, KeyError, TypeError):
        raise SourceWarning(f"GitHub answered an unexpected shape for {url}") from None
