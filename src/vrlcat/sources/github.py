"""The canonical name of a GitHub repository (a renamed one redirects)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import github_repo
from .http import SourceWarning, get_json
from .settings import NetworkSettings


@dataclass
class Repository:
    url: str  # https://github.com/OWNER/REPO as GitHub names it now (a renamed one redirects)
    archived: bool = False


def repository(client, url: str, settings: NetworkSettings, cache=None) -> Repository:
    """What GitHub says of a repository URL; SourceWarning when it cannot say."""
    repo = github_repo(url)
    if repo is None:
        raise SourceWarning(f"{url} is not a GitHub repository URL")
    headers = {"Accept": "application/vnd.github+json"}
    if settings.github_token:
        headers["Authorization"] = f"Bearer {settings.github_token}"
    data = get_json(client, f"{settings.github_api}/repos/{repo[0]}/{repo[1]}", settings, "GitHub", url, cache,
                    headers=headers, follow_redirects=True, not_found=f"GitHub has no repository {repo[0]}/{repo[1]}",
                    rate_limit_hint=" (set GITHUB_TOKEN)")
    if not isinstance(data.get("full_name"), str):
        raise SourceWarning(f"GitHub answered an unexpected shape for {url}")
    return Repository(f"https://github.com/{data['full_name']}", data.get("archived") is True)
