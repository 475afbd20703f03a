"""The add-paper issue form's body, read into arXiv ids and a section.

GitHub writes a form's answers as Markdown: each field's label as a `###`
heading and the answer below it (`_No response_` when left empty). The
add-paper workflow saves the issue body to a file and runs
`vrlcat add --from-issue FILE`, so this is testable without GitHub.
"""

from __future__ import annotations

import difflib
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
    return PaperRequest(ids, _section_id(wanted, catalog, source))


def _plain(text: str) -> str:
    """A section's name as a person may type it: any case, spaces and punctuation (`-`, `&`, `:`) alike."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _section_id(wanted: str, catalog: Catalog, source: str) -> str:
    """The section the form's answer names: its id or heading exactly, else either ignoring case,
    spaces and punctuation; else an error with the closest heading."""
    sections = list(catalog.walk())
    for section in sections:
        if wanted in (section.id, heading_text(section.title)):
            return section.id
    names: dict[str, list[str]] = {}
    for section in sections:
        for name in {section.id, heading_text(section.title)}:
            ids = names.setdefault(_plain(name), [])
            if section.id not in ids:
                ids.append(section.id)
    found = names.get(_plain(wanted), [])
    if len(found) == 1:
        return found[0]
    if found:
        raise VrlcatError(f"section {wanted!r} names {len(found)} sections ({', '.join(found)}): give its id "
                          "(`vrlcat sections` lists them)", source)
    headings = {_plain(heading_text(s.title)): heading_text(s.title) for s in sections}
    close = difflib.get_close_matches(_plain(wanted), list(headings) + [_plain(s.id) for s in sections], n=1,
                                      cutoff=0.6)
    hint = ""
    if close:
        hint = f" (did you mean '{headings.get(close[0]) or names[close[0]][0]}'?)"
    raise VrlcatError(f"section {wanted!r} is not in the catalog{hint}; `vrlcat sections` lists them, or leave "
                      "the Section empty to let vrlcat suggest one", source)
