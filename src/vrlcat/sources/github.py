"""The canonical name of a GitHub repository (a renamed one redirects)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import github_repo
from .answers import BadAnswer, JsonObject, get_json
from .http import HttpSession, SourceWarning
from .settings import NetworkSettings

if TYPE_CHECKING:
    from .cache import HttpCache

_FULL_NAME = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")


@dataclass
class Repository:
    url: str  # https://github.com/OWNER/REPO as GitHub names it now (a renamed one redirects)
    archived: bool = False


def _repository(data: JsonObject) -> Repository:
    name, archived = data.get("full_name"), data.get("archived", False)
    if not isinstance(name, str) or not _FULL_NAME.match(name):
        raise BadAnswer(f"GitHub answered no usable full_name ({str(name)[:60]!r})")
    if not isinstance(archived, bool):
        raise BadAnswer("GitHub answered a non-boolean 'archived'")
    return Repository(f"https://github.com/{name}", archived)


async def repository(session: HttpSession, url: str, settings: NetworkSettings,
                     cache: HttpCache | None = None) -> Repository:
    """What GitHub says of a repository URL; SourceWarning when it cannot say."""
    repo = github_repo(url)
    if repo is None:
        raise SourceWarning(f"{url} is not a GitHub repository URL")
    headers = {"Accept": "application/vnd.github+json"}
    if settings.github_token:
        headers["Authorization"] = f"Bearer {settings.github_token}"
    return await get_json(session, f"{settings.github_api}/repos/{repo[0]}/{repo[1]}", "GitHub", url, _repository,
                          cache, headers=headers, follow_redirects=True,
                          not_found=f"GitHub has no repository {repo[0]}/{repo[1]}",
                          rate_limit_hint=" (set GITHUB_TOKEN)")
