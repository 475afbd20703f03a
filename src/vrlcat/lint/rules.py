"""The rules. Each docstring is the rule's one-line summary in docs/lint-rules.md."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..dates import DATE_RE
from ..dedup import SAME_ARXIV, SAME_DOI, SAME_TITLE, SAME_URL
from ..model import Entry, arxiv_id_month, normalise_github_url, parse_arxiv_id, url_problem
from . import ERROR, WARNING, Context, EntryProblem, Finding, catalog_rule, entry_rule

EARLIEST_YEAR = 1990  # arXiv opened in 1991; a list's date before that is a typo
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSING = frozenset(_BRACKETS.values())
_ANY_BRACKET = re.compile(r"[()\[\]{}]")


def _set(entry: Entry, attribute: str, value: object) -> bool:
    """Give a field its mended value; True when that changed something."""
    if value == getattr(entry, attribute):
        return False
    setattr(entry, attribute, value)
    return True


# --- what loading found --------------------------------------------------------

@catalog_rule("schema", ERROR, "Files follow the catalog format: known fields, right types, required fields.")
def schema(context: Context) -> Iterator[Finding]:
    for problem in context.problems:
        yield Finding("schema", ERROR, context.display(Path(problem.path)), problem.line, problem.message,
                      problem.entry)


@catalog_rule("orphan-file", ERROR, "Every file in sections/ belongs to a section in list.yaml.")
def orphan_file(context: Context) -> Iterator[Finding]:
    for path in context.orphan_files:
        yield Finding("orphan-file", ERROR, path, None,
                      "no section in list.yaml has this id; its entries are not rendered")


@catalog_rule("import-raw", WARNING, "(Markdown files) Everything in the list is structured as entries and sections.")
def import_raw(context: Context) -> Iterator[Finding]:
    for line, message in context.import_warnings:
        yield Finding("import-raw", WARNING, context.list_path, line, message)


# --- dates -------------------------------------------------------------------

def _fix_date_from_id(entry: Entry) -> bool:
    """The date becomes the id's month; a year-only date that was the venue's year
    moves into the venue ("(2024, NeurIPS)" -> "(May. 2023, NeurIPS 2024)")."""
    month = arxiv_id_month(entry.arxiv) if entry.arxiv else None
    if not month or entry.date == month:
        return False
    if entry.date and len(entry.date) == 4 and entry.date != month[:4] and entry.venue \
            and entry.date not in entry.venue:
        entry.venue = f"{entry.venue} {entry.date}"
    return _set(entry, "date", month)


@entry_rule("date-missing", ERROR, "Every arXiv paper has a date (--fix takes it from the id).", fix=_fix_date_from_id,
            reads=("arxiv",))
def date_missing(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if not entry.date and entry.arxiv:
        yield "no date (--fix takes it from the arXiv id)", None


@entry_rule("date-unknown", WARNING, "An entry not on arXiv has a date, unless it is a tool, a course or a product.")
def date_unknown(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if not entry.date and not entry.arxiv:
        yield "no date: add one if this is a paper", None


@entry_rule("date-range", ERROR, "Dates are YYYY-MM, not before 1990 and not in the future.")
def date_range(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if not entry.date or not DATE_RE.match(entry.date):
        return
    if int(entry.date[:4]) < EARLIEST_YEAR:
        yield f"date {entry.date} is before {EARLIEST_YEAR}", "date"
    elif entry.date[:len(context.this_month)] > context.this_month[:len(entry.date)]:
        yield f"date {entry.date} is in the future", "date"


@entry_rule("date-matches-arxiv", ERROR, "The date is the month the arXiv id encodes (2505.xxxxx is May 2025).",
            fix=_fix_date_from_id, reads=("arxiv",))
def date_matches_arxiv(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    month = arxiv_id_month(entry.arxiv) if entry.arxiv and parse_arxiv_id(entry.arxiv) == entry.arxiv else None
    if month and entry.date and DATE_RE.match(entry.date) and entry.date[:7] != month and len(entry.date) >= 7:
        yield f"date {entry.date} but arXiv id {entry.arxiv} was submitted in {month}", "date"


@entry_rule("date-precision", WARNING, "A year-only date gets its month from the arXiv id.", fix=_fix_date_from_id,
            reads=("arxiv",))
def date_precision(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    month = arxiv_id_month(entry.arxiv) if entry.arxiv and parse_arxiv_id(entry.arxiv) == entry.arxiv else None
    if month and entry.date and len(entry.date) == 4:
        if entry.date == month[:4]:
            yield f"date {entry.date} has no month; the arXiv id says {month}", "date"
        else:
            yield f"date {entry.date} but arXiv id {entry.arxiv} was submitted in {month}", "date"


# --- ids ---------------------------------------------------------------------

def _fix_arxiv_id(entry: Entry) -> bool:
    fixed = parse_arxiv_id(entry.arxiv or "")
    return bool(fixed) and _set(entry, "arxiv", fixed)


@entry_rule("arxiv-id", ERROR, "`arxiv` is a bare, version-less arXiv id.", fix=_fix_arxiv_id)
def arxiv_id(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if entry.arxiv is not None and parse_arxiv_id(entry.arxiv) != entry.arxiv:
        fixed = parse_arxiv_id(entry.arxiv)
        hint = f" (write '{fixed}')" if fixed else ""
        yield f"arxiv {entry.arxiv!r} is not a bare arXiv id{hint}", "arxiv", bool(fixed)


def _duplicate_findings(context: Context, reason: str) -> Iterator[Finding]:
    """What the one duplicate finder (vrlcat.dedup) says, for the groups found by `reason`:
    lint reports exactly what `vrlcat dedup` would list."""
    rule = {SAME_ARXIV: "duplicate-arxiv", SAME_DOI: "duplicate-doi", SAME_URL: "duplicate-url",
            SAME_TITLE: "duplicate-title"}[reason]
    for group in context.duplicates():
        if not group.reasons or group.reasons[0] != reason:
            continue
        first = group.members[0]
        where = f"{first.path}:{first.entry.line}"
        if group.kind == "conflict":  # either entry may hold the wrong link: both are reported
            field = {SAME_ARXIV: "arxiv", SAME_DOI: "doi", SAME_URL: "url"}.get(reason)
            for member in group.members:
                other = next(m for m in group.members if m is not member)
                message = (f"{reason.removeprefix('same ')} also carried by {other.entry.key!r} "
                           f"({other.path}:{other.entry.line}) under the title {other.entry.title!r}: one of the "
                           "two links points at the wrong paper")
                yield Finding(rule, ERROR, member.path, member.entry.line, message, member.entry.key,
                              target=member.entry, wrong_field=field)
            continue
        for member in group.members[1:]:
            if group.kind == "exact":
                message = (f"{reason} as {first.entry.key!r} in section '{first.section.id}' ({where}); "
                           "`vrlcat dedup --merge` merges them")
            else:
                message = (f"same title as {first.entry.key!r} in section '{first.section.id}' ({where}) but other "
                           "links: if they are one paper, give both its id (`vrlcat dedup` lists them)")
            severity = WARNING if group.kind == "possible" else ERROR
            yield Finding(rule, severity, member.path, member.entry.line, message, member.entry.key,
                          target=member.entry)


@catalog_rule("duplicate-arxiv", ERROR, "An arXiv id (in any version) appears once in the catalog (cross-list "
              "with `also_in`); one id never carries two titles.")
def duplicate_arxiv(context: Context) -> Iterator[Finding]:
    yield from _duplicate_findings(context, SAME_ARXIV)


@catalog_rule("duplicate-doi", ERROR, "A DOI appears once in the catalog.")
def duplicate_doi(context: Context) -> Iterator[Finding]:
    yield from _duplicate_findings(context, SAME_DOI)


@catalog_rule("duplicate-url", ERROR, "A paper link appears once in the catalog (http/https, `www.` and a "
              "trailing slash aside).")
def duplicate_url(context: Context) -> Iterator[Finding]:
    yield from _duplicate_findings(context, SAME_URL)


@catalog_rule("duplicate-title", WARNING, "The same title with different links is a possible duplicate for a "
              "person to decide (`vrlcat dedup` lists it).")
def duplicate_title(context: Context) -> Iterator[Finding]:
    yield from _duplicate_findings(context, SAME_TITLE)


_ARXIV_BADGE = re.compile(r"^\[!\[arXiv\]\([^)]*\)\]\(([^)]*)\)$")


def _arxiv_badge_targets(entry: Entry) -> Iterator[tuple[str, str]]:
    for badge in entry.badges:
        if match := _ARXIV_BADGE.match(badge):
            yield badge, match.group(1)


def _drop_mislabelled_badges(entry: Entry) -> bool:
    """Drop an arXiv-labelled badge that only repeats the title's non-arXiv link."""
    mislabelled = {badge for badge, target in _arxiv_badge_targets(entry)
                   if parse_arxiv_id(target) is None and target == entry.link}
    return _set(entry, "badges", [b for b in entry.badges if b not in mislabelled])


@entry_rule("badge-mislabelled", ERROR, "A badge labelled arXiv links to arXiv (not to the paper's other page).",
            fix=_drop_mislabelled_badges)
def badge_mislabelled(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    for _, target in _arxiv_badge_targets(entry):
        if parse_arxiv_id(target) is None:
            mendable = target == entry.link
            yield (f"the arXiv badge links to {target}, which is not on arXiv{'; --fix drops it' * mendable}",
                   "badges", mendable)


@entry_rule("badge-mismatch", ERROR, "An arXiv badge names the entry's own paper, not another one.")
def badge_mismatch(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    for _, target in _arxiv_badge_targets(entry):
        paper = parse_arxiv_id(target)
        if paper is not None and paper != entry.arxiv:
            yield f"the arXiv badge points at {paper}, but the entry is {entry.arxiv or entry.url}", "arxiv"


# --- URLs ----------------------------------------------------------------------

_SCHEME_TYPO = re.compile(r"^h+t+p+s?:?/*", re.IGNORECASE)


def _repair_url(url: str) -> str:
    """`hhttps://x`, `https//x`, ` https://x ` -> `https://x`; `www.x` -> `https://www.x`; http -> https."""
    url = url.strip()
    if _SCHEME_TYPO.match(url) and not url.startswith(("http://", "https://")):
        url = _SCHEME_TYPO.sub("https://", url, count=1)
    if url.startswith("www."):
        url = "https://" + url
    if url.startswith("http://"):
        url = "https://" + url[len("http://"):]
    return url.replace(" ", "%20")


def _fix_urls(entry: Entry) -> bool:
    changed = False
    for key in ("url", "website", "code"):
        value = getattr(entry, key)
        if value and (url_problem(value) or value.startswith("http://")):
            repaired = _repair_url(value)
            if repaired != value and url_problem(repaired) is None:
                setattr(entry, key, repaired)
                changed = True
    return changed


@entry_rule("url-malformed", ERROR, "URLs are well formed: a scheme, a host, no spaces, no `hhttps://`.",
            fix=_fix_urls)
def url_malformed(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    for key in ("url", "website", "code"):
        value = getattr(entry, key)
        if value is None:
            continue
        problem = url_problem(value)
        mendable = url_problem(_repair_url(value)) is None
        if problem and not problem.startswith("uses the scheme"):
            yield f"{key} {value!r} {problem}", key, mendable
        elif problem and _SCHEME_TYPO.match(value):
            yield f"{key} {value!r} has a misspelt scheme", key, mendable


_MARKDOWN_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]+)")
# A script scheme with what follows it in a real link (`javascript:alert`, `data:text/html`, `file:///`),
# so that words such as "Bridge data: Boosting ..." in a title are not taken for one.
_SCRIPT_SCHEME_RE = re.compile(r"\b(?:(?:javascript|vbscript):\S|data:[a-z]+/|file:/)", re.IGNORECASE)


@entry_rule("url-scheme", ERROR, "Links are web links: no `javascript:`, `data:` or other schemes, in any field.")
def url_scheme(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    for key in ("url", "website", "code"):
        value = getattr(entry, key)
        problem = url_problem(value) if value else None
        if problem and problem.startswith("uses the scheme") and not _SCHEME_TYPO.match(value):
            yield f"{key} {value!r} {problem}", key
    seen = set()  # a kept `source` holds the description and badges again: each link is named once
    for key, texts in (("badges", entry.badges), ("description", [entry.description or ""]),
                       ("source", [entry.source or ""])):
        for target in (t for text in texts for t in _MARKDOWN_TARGET_RE.findall(text)):
            if ":" in target.split("/", 1)[0] and not target.lower().startswith(("http://", "https://", "mailto:")) \
                    and target not in seen:
                seen.add(target)
                yield f"{key} links to {target[:60]!r}: not a web link", key
    for key in ("title", "nickname", "venue", "label"):
        value = getattr(entry, key)
        if value and (scheme := _SCRIPT_SCHEME_RE.search(value)):
            yield f"{key} holds {scheme.group(0).split(':')[0] + ':'!r}: render shows it as text, but is it meant?", key


@entry_rule("url-insecure", WARNING, "Links use https.", fix=_fix_urls)
def url_insecure(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    for key in ("url", "website", "code"):
        value = getattr(entry, key)
        if value and value.startswith("http://"):
            yield f"{key} {value} uses http; https is safer", key


def _fix_code(entry: Entry) -> bool:
    fixed = normalise_github_url(entry.code or "")
    return bool(fixed) and _set(entry, "code", fixed)


@entry_rule("code-url", WARNING, "`code` is a repository URL: https://github.com/OWNER/REPO (no .git, no /tree/...).",
            fix=_fix_code)
def code_url(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if entry.code and normalise_github_url(entry.code) != entry.code:
        fixed = normalise_github_url(entry.code)
        hint = f" (write {fixed})" if fixed else "; no Star badge is rendered"
        yield f"code {entry.code} is not a repository URL{hint}", "code", bool(fixed)


def _is_paper(entry: Entry, url: str) -> bool:
    """An arXiv page, or the title's own link when the title is an arXiv paper's (a title
    that links to the project page makes that page the website, not the paper)."""
    if parse_arxiv_id(url) is not None:
        return True
    return entry.arxiv is not None and url.rstrip("/") == (entry.url or "").rstrip("/")


def _fix_website(entry: Entry) -> bool:
    if not entry.website:
        return False
    return _is_paper(entry, entry.website) and _set(entry, "website", None)


@entry_rule("website-is-paper", ERROR, "The Website badge links somewhere other than the paper.", fix=_fix_website)
def website_is_paper(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if entry.website and _is_paper(entry, entry.website):
        yield f"website {entry.website} is the paper itself", "website"


# --- titles --------------------------------------------------------------------

def _fix_title_spaces(entry: Entry) -> bool:
    return _set(entry, "title", re.sub(r"[ \t\r\n]+", " ", entry.title).strip(" "))


@entry_rule("title-whitespace", ERROR, "Titles have no leading, trailing or double spaces and no line breaks.",
            fix=_fix_title_spaces)
def title_whitespace(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    title = entry.title
    if not title.strip():
        yield "the title is empty", "title"
    elif title != title.strip() or "  " in title or "\n" in title or "\t" in title:
        yield f"title {title!r} has stray whitespace", "title"


@entry_rule("title-brackets", ERROR, "Brackets in titles are balanced.")
def title_brackets(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    stack = []
    for ch in _ANY_BRACKET.findall(entry.title):
        if ch in _BRACKETS:
            stack.append(_BRACKETS[ch])
        elif ch in _CLOSING:
            if not stack or stack.pop() != ch:
                yield f"title has an unmatched {ch!r}", "title"
                return
    if stack:
        yield f"title has an unclosed bracket (expected {stack[-1]!r})", "title"


def _fix_quotes(entry: Entry) -> bool:
    return _set(entry, "title", entry.title.translate(_CURLY))


@entry_rule("title-curly-quotes", WARNING, "Titles use straight quotes.", fix=_fix_quotes)
def title_curly_quotes(entry: Entry, context: Context) -> Iterator[EntryProblem]:
    if entry.title.translate(_CURLY) != entry.title:
        yield "title has curly quotes", "title"
