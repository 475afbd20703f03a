"""The add-paper issue form's body, read into arXiv ids and a section.

GitHub writes a form's answers as Markdown: each field's label as a `###`
heading and the answer below it (`_No response_` when left empty). The
add-paper workflow saves the issue body to a file and runs
`vrlcat add --from-issue FILE`, so this is testable without GitHub.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import VrlcatError
from .headings import heading_text
from .model import Catalog, parse_arxiv_id

PAPERS_LABEL = "arXiv links"
SECTION_LABEL = "Section"
_NO_RESPONSE = "_No response_"
_FIELD_RE = re.compile(r"^###[ \t]+(?P<label>.+?)[ \t]*$", re.MULTILINE)
_TOKEN_RE = re.compile(r"[^\s<>()\[\],;]+")


@dataclass
class PaperRequest:
    ids: list[str]
    section: str | None  # a section id, or None to take the best suggestion


def form_fields(body: str) -> dict[str, str]:
    """Each `### Label` of an issue form body and its answer ('' when left empty)."""
    fields: dict[str, str] = {}
    matches = list(_FIELD_RE.finditer(body))
    for match, following in zip(matches, matches[1:] + [None], strict=False):
        answer = body[match.end():following.start() if following else len(body)].strip()
        fields[match["label"]] = "" if answer == _NO_RESPONSE else answer
    return fields


def paper_request(body: str, catalog: Catalog, source: str = "issue") -> PaperRequest:
    """The arXiv ids and the section an add-paper issue asks for."""
    fields = form_fields(body.replace("\r\n", "\n"))
    if PAPERS_LABEL not in fields:
        raise VrlcatError(f"no '### {PAPERS_LABEL}' field: is this an add-paper issue?", source)
    ids: list[str] = []
    for token in _TOKEN_RE.findall(fields[PAPERS_LABEL]):
        arxiv_id = parse_arxiv_id(token.rstrip("."))
        if arxiv_id and arxiv_id not in ids:
            ids.append(arxiv_id)
    if not ids:
        raise VrlcatError(f"'{PAPERS_LABEL}' holds no arXiv id or link", source)
    wanted = fields.get(SECTION_LABEL, "").strip().strip("`")
    if not wanted:
        return PaperRequest(ids, None)
    for section in catalog.walk():
        if wanted in (section.id, heading_text(section.title)):
            return PaperRequest(ids, section.id)
    raise VrlcatError(f"section {wanted!r} is not in the catalog (`vrlcat sections` lists them)", source)
