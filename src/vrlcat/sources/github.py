"""The canonical name of a GitHub repository (a renamed one redirects)."""

from __future__ import annotations

from ..model import github_repo
from .http import SourceWarning, send_with_retries
from .settings import NetworkSettings


def canonical_repository(client, url: str, settings: NetworkSettings) -> str:
    """`https://github.com/OWNER/REPO` as GitHub names it now; SourceWarning when it cannot say."""
    import httpx

    repo = github_repo(url)
    if repo is None:
        raise SourceWarning(f"{url} is not a GitHub repository URL")
    api = f"{settings.github_api}/repos/{repo[0]}/{repo[1]}"
    headers = {"Accept": "application/vnd.github+json"}
    if settings.github_token:
        headers["Authorization"] = f"Bearer {settings.github_token}"
    try:
        response = send_with_retries(lambda: client.get(api, headers=headers, follow_redirects=True),
                                     lambda r: r.status_code, lambda r: r.headers, settings)
    except httpx.HTTPError as exc:
        raise SourceWarning(f"cannot reach GitHub ({type(exc).__name__}) to check {url}") from None
    if response.status_code in (403, 429) and response.headers.get("X-RateLimit-Remaining") == "0":
        raise SourceWarning(f"GitHub rate limit reached; {url} not checked (set GITHUB_TOKEN)")
    if response.status_code == 404:
        raise SourceWarning(f"GitHub has no repository {repo[0]}/{repo[1]}")
    if response.status_code != 200:
        raise SourceWarning(f"GitHub answered HTTP {response.status_code} for {url}")
    try:
        full_name = response.json()["full_name"]
    except (ValueError, KeyError, TypeError):
        raise SourceWarning(f"GitHub answered an unexpected shape for {url}") from None
    return f"https://github.com/{full_name}"
