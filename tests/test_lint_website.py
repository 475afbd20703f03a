"""website-is-paper's fix: it drops only a Website badge that is the paper itself (pinned while typing it)."""

from __future__ import annotations

import pytest

from vrlcat.lint.rules import _fix_website
from vrlcat.model import Entry


@pytest.mark.parametrize(("website", "url", "dropped"), [
    (None, None, False),
    ("", None, False),  # an empty website is left alone, even with no title link to compare
    ("https://arxiv.org/abs/2505.01234", None, True),
    ("https://paper.example.org/", "https://paper.example.org", True),  # the title's own link
    ("https://project.example.org", "https://paper.example.org", False),
])
def test_fix_website(website: str | None, url: str | None, dropped: bool) -> None:
    entry = Entry(title="A", arxiv="2505.01234", url=url, website=website)
    assert _fix_website(entry) is dropped
    assert entry.website == (None if dropped else website)
