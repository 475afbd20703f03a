"""One paper, one entry: the one duplicate finder (lint, dedup and add use it), and merging.

Entries are one paper only when they share an identifier: an arXiv id (in any
version or form), a DOI, or the same link. Sharing one while the titles differ
is a conflict (one link is wrong), reported and never merged. The same title
with different links, or titles rapidfuzz scores above a threshold, is only a
possible duplicate for a person to decide; fuzzy candidates are blocked by
their rarest words, so the work grows with the catalog, not with its square.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .model import ENTRY_KEYS, FORM_KEYS, Catalog, Entry, Section, normalise_title, parse_arxiv_id
from .store import Loaded, write_files_atomically

DEFAULT_THRESHOLD = 90
_BLOCK_WORDS = 3  # rarest words of a title used as blocking keys
_COMMON = 50  # a word in more titles than this is no blocking key
_WORD = re.compile(r"[a-z0-9]{3,}")
# How a copy was written (its own style, label, spacing, Markdown) is not merged: the kept entry keeps its own.
MERGEABLE = tuple(k for k in ENTRY_KEYS if k not in ("title", "hidden", *FORM_KEYS))
SAME_ARXIV, SAME_DOI, SAME_URL, SAME_TITLE = "same arXiv id", "same DOI", "same URL", "same title"


@dataclass
class Member:
    section: Section
    entry: Entry
    path: str

    def to_json(self) -> dict[str, object]:
        return {"section": self.section.id, "path": self.path, "line": self.entry.line, "entry": self.entry.key,
                "title": self.entry.title}


@dataclass
class Group:
    kind: str  # "exact", "possible", "conflict"
    reason: str
    members: list[Member]
    differing: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # SAME_ARXIV, SAME_DOI, SAME_URL or SAME_TITLE

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind, "reason": self.reason, "differing": self.differing,
                "members": [m.to_json() for m in self.members]}


def arxiv_key(entry: Entry) -> str | None:
    """The version-less arXiv id an entry names (in `arxiv`, or as an arXiv link in `url`)."""
    if entry.arxiv:
        return parse_arxiv_id(entry.arxiv) or entry.arxiv.strip()
    return parse_arxiv_id(entry.url) if entry.url else None


def doi_key(entry: Entry) -> str | None:
    if not entry.doi:
        return None
    doi = entry.doi.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        doi = doi.removeprefix(prefix)
    return doi or None


def url_key(entry: Entry) -> str | None:
    """A link compared without its scheme, `www.`, host case, fragment or trailing slash."""
    if not entry.url or arxiv_key(entry) and parse_arxiv_id(entry.url):
        return None
    try:
        parts = urlsplit(entry.url.strip())
    except ValueError:
        return entry.url.strip()
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}{'?' * bool(parts.query)}{parts.query}" if host else entry.url.strip()


IDENTIFIERS: list[tuple[str, Callable[[Entry], str | None]]] = [
    (SAME_ARXIV, arxiv_key), (SAME_DOI, doi_key), (SAME_URL, url_key)]


def _similar(a: str, b: str, threshold: float) -> bool:
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    return normalise_title(a) == normalise_title(b) or \
        fuzz.token_sort_ratio(a, b, processor=default_process) >= threshold


def _comparable(entry: Entry) -> dict[str, Any]:
    """What an entry says; a title link that is just another form of its arXiv link says nothing more."""
    facts = entry.facts()
    if entry.url and entry.arxiv and parse_arxiv_id(entry.url) == entry.arxiv:
        facts.pop("url")
    return facts


def _differing(members: list[Member]) -> list[str]:
    keys = []
    for key in ENTRY_KEYS:
        values = {repr(_comparable(m.entry).get(key)) for m in members}
        if len(values) > 1:
            keys.append(key)
    return keys


def catalog_members(catalog: Catalog, path_of: Callable[[Section], str]) -> list[Member]:
    """Every entry with its section and file; `path_of` is asked once per section (a display
    path costs a `Path.cwd()`)."""
    members: list[Member] = []
    for section in catalog.walk():
        path = path_of(section)
        members.extend(Member(section, entry, path) for entry in section.entries)
    return members


def find_duplicates(loaded: Loaded, threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
    """Every duplicate group of a catalog on disk, fuzzy pairs included."""
    members = catalog_members(loaded.catalog, lambda s: loaded.display(loaded.section_path(s.id)))
    return duplicate_groups(members, threshold)


def duplicate_groups(members: list[Member], threshold: float = DEFAULT_THRESHOLD, fuzzy: bool = True) -> list[Group]:
    """Exact groups, conflicts, then possible duplicates (same title; with `fuzzy`,
    similar titles), each in catalog order."""
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    reasons: dict[int, set[str]] = defaultdict(set)
    conflicts: list[Group] = []
    for reason, keyer in IDENTIFIERS:
        seen: dict[str, int] = {}
        for index, member in enumerate(members):
            key = keyer(member.entry)
            if key is None:
                continue
            first = seen.setdefault(key, index)
            if first == index:
                continue
            if not _similar(members[first].entry.title, member.entry.title, threshold):
                conflicts.append(Group("conflict", f"{reason.removeprefix('same ')} {key} carries two titles: "
                                       "one link points at the wrong paper", [members[first], member],
                                       _differing([members[first], member]), [reason]))
                continue
            a, b = sorted((root(first), root(index)))
            if a != b:
                parent[b] = a
                reasons[a] |= reasons.pop(b, set())
            reasons[a].add(reason)
    clusters: dict[int, list[int]] = defaultdict(list)
    for index in range(len(members)):
        clusters[root(index)].append(index)
    exact = []
    for head, indexes in clusters.items():
        if len(indexes) > 1:
            group_members = [members[i] for i in indexes]
            ordered = [r for r, _ in IDENTIFIERS if r in reasons[head]]
            exact.append(Group("exact", ", ".join(ordered), group_members, _differing(group_members), ordered))
    conflicted = {frozenset((id(g.members[0]), id(g.members[1]))) for g in conflicts}
    possible = [Group("possible", reason, [members[i], members[j]], _differing([members[i], members[j]]),
                      [SAME_TITLE] if reason == SAME_TITLE else [])
                for i, j, reason in _possible_pairs(members, threshold, fuzzy)
                if root(i) != root(j) and frozenset((id(members[i]), id(members[j]))) not in conflicted]
    return exact + conflicts + possible


def _possible_pairs(members: list[Member], threshold: float, fuzzy: bool) -> list[tuple[int, int, str]]:
    """Pairs with the same title (each later one against the first), then similar ones."""
    first_with: dict[str, int] = {}
    pairs = []
    for index, member in enumerate(members):
        title = normalise_title(member.entry.title)
        if title:
            first = first_with.setdefault(title, index)
            if first != index:
                pairs.append((first, index, SAME_TITLE))
    if fuzzy:
        pairs += [(i, j, f"titles {score:.0f}% alike") for i, j, score in _fuzzy_pairs(members, threshold)]
    return pairs


def unresolved(groups: list[Group]) -> bool:
    """Whether a group still needs `dedup --merge` or a person: dedup then exits 1."""
    return any(g.kind in ("exact", "conflict") for g in groups)


def _fuzzy_pairs(members: list[Member], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs of different titles at least `threshold` alike, compared only within blocks
    of titles that share one of their rarest words."""
    from rapidfuzz import fuzz

    titles = [m.entry.title for m in members]
    processed = _processed_titles(titles)
    # token_sort_ratio is the ratio of the sorted words: sort each title's words once, not per pair
    words_sorted = [" ".join(sorted(title.split())) for title in processed]
    pairs = []
    for i, j in fuzzy_candidates(titles, processed):
        score = fuzz.ratio(words_sorted[i], words_sorted[j], score_cutoff=threshold)
        if score and normalise_title(titles[i]) != normalise_title(titles[j]):
            pairs.append((i, j, score))
    return sorted(pairs)


def _processed_titles(titles: list[str]) -> list[str]:
    from rapidfuzz.utils import default_process

    return [default_process(title) for title in titles]


def fuzzy_candidates(titles: list[str], processed: list[str] | None = None) -> set[tuple[int, int]]:
    """The pairs (i < j) of titles the fuzzy comparison scores: titles sharing one of their
    rarest words (a word in more than 50 titles is no block), not equal once processed.
    Each pair is scored once, however many words it shares."""
    processed = processed if processed is not None else _processed_titles(titles)
    words = [set(_WORD.findall(title.lower())) for title in titles]
    frequency = Counter(w for ws in words for w in ws)
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, ws in enumerate(words):
        for word in sorted(ws, key=lambda w: (frequency[w], w))[:_BLOCK_WORDS]:
            if frequency[word] <= _COMMON:
                blocks[word].append(index)
    candidates: set[tuple[int, int]] = set()
    for indexes in blocks.values():
        for n, i in enumerate(indexes):
            candidates.update((i, j) for j in indexes[n + 1:] if processed[i] != processed[j])
    return candidates


@dataclass
class Conflict:
    key: str
    kept: object
    other: object
    member: Member


Chooser = Callable[[Conflict], object]


def merge_group(group: Group, choose: Chooser) -> tuple[Entry, list[Conflict]]:
    """The first member, with every other member's fields added; `choose` settles each
    conflict. Versions of one arXiv id are no conflict (the bare id is kept), two notes
    (descriptions) are both kept, and a member from another section keeps its place there
    through `also_in`."""
    home = group.members[0].section.id
    keeper = group.members[0].entry
    conflicts = []
    for member in group.members[1:]:
        other = member.entry
        if keeper.arxiv and other.arxiv and arxiv_key(keeper) == arxiv_key(other):
            keeper.arxiv = other.arxiv = arxiv_key(keeper)
        if member.section.id != home and member.section.id not in keeper.also_in:
            keeper.also_in = [*keeper.also_in, member.section.id]
        for key in MERGEABLE:
            attribute = key.replace("-", "_")
            mine, theirs = getattr(keeper, attribute), getattr(other, attribute)
            if key == "url" and theirs and keeper.arxiv and parse_arxiv_id(theirs) == arxiv_key(keeper):
                continue  # another form of the arXiv link the keeper already has
            if isinstance(mine, list):
                setattr(keeper, attribute, mine + [v for v in theirs if v not in mine])
            elif key == "description" and mine and theirs and theirs != mine:  # two notes: keep both, lose none
                lines = mine.split("\n")
                lines += [line for line in theirs.split("\n") if line not in lines]
                setattr(keeper, attribute, "\n".join(lines))
            elif mine in (None, "") and theirs not in (None, ""):
                setattr(keeper, attribute, theirs)
            elif theirs not in (None, "") and theirs != mine:
                conflict = Conflict(key, mine, theirs, member)
                setattr(keeper, attribute, choose(conflict))
                conflicts.append(conflict)
        keeper.hidden = keeper.hidden and other.hidden  # shown if either copy was shown
    keeper.also_in = [s for s in keeper.also_in if s != home]
    return keeper, conflicts


def keep_first(conflict: Conflict) -> object:
    return conflict.kept


def merge_duplicates(loaded: Loaded, groups: list[Group],
                     choose: Chooser = keep_first) -> tuple[list[Conflict], list[Path]]:
    """Merge every exact group into its first entry and remove the others, all files at once."""
    exact = [g for g in groups if g.kind == "exact"]
    conflicts: list[Conflict] = []
    removed: set[int] = set()
    touched: set[str] = set()
    for group in exact:
        _, found = merge_group(group, choose)
        conflicts.extend(found)
        touched.update(m.section.id for m in group.members)
        removed.update(id(m.entry) for m in group.members[1:])
    texts: dict[Path, str] = {}
    for section in loaded.catalog.walk():
        if section.id not in touched:
            continue
        section.entries = [e for e in section.entries if id(e) not in removed]
        path, text = loaded.rewritten_section(section)
        texts[path] = text
    write_files_atomically(texts)
    return conflicts, list(texts)


def text_report(groups: list[Group]) -> list[str]:
    """Each group with its members (file, line, section, id, title), then the counts."""
    lines = []
    for group in groups:
        differs = f"; differ in {', '.join(group.differing)}" if group.differing else ""
        lines.append(f"{group.kind} duplicates ({group.reason}{differs}):")
        for member in group.members:
            lines.append(f"  {member.path}:{member.entry.line}  [{member.section.id}]  {member.entry.key}  "
                         f"{member.entry.title}")
    counts = {kind: sum(g.kind == kind for g in groups) for kind in ("exact", "conflict", "possible")}
    lines.append(f"{counts['exact']} exact groups, {counts['conflict']} conflicts, "
                 f"{counts['possible']} possible duplicates")
    return lines
