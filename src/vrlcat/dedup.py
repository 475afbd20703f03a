"""One paper, one entry: find entries that are the same paper, and merge them.

Exact duplicates share a version-less arXiv id, a DOI, or a normalised title.
Possible duplicates have titles rapidfuzz scores above a threshold; candidates
are blocked by their rarest words, so the work grows with the catalog, not with
its square. One id carrying two unrelated titles, or one title two ids, is a
conflict (one link is wrong), reported and never merged.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .model import ENTRY_KEYS, Entry, Section, normalise_title, parse_arxiv_id
from .store import Loaded, write_files_atomically

DEFAULT_THRESHOLD = 90
_BLOCK_WORDS = 3  # rarest words of a title used as blocking keys
_COMMON = 50  # a word in more titles than this is no blocking key
_WORD = re.compile(r"[a-z0-9]{3,}")
MERGEABLE = tuple(k for k in ENTRY_KEYS if k not in ("title", "hidden"))


@dataclass
class Member:
    section: Section
    entry: Entry
    path: str

    def to_json(self) -> dict:
        return {"section": self.section.id, "path": self.path, "line": self.entry.line, "entry": self.entry.key,
                "title": self.entry.title}


@dataclass
class Group:
    kind: str  # "exact", "possible", "conflict"
    reason: str
    members: list[Member]
    differing: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"kind": self.kind, "reason": self.reason, "differing": self.differing,
                "members": [m.to_json() for m in self.members]}


def _similar(a: str, b: str, threshold: float) -> bool:
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    return fuzz.token_sort_ratio(a, b, processor=default_process) >= threshold


def _comparable(entry) -> dict:
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


def find_duplicates(loaded: Loaded, threshold: float = DEFAULT_THRESHOLD) -> list[Group]:
    """Exact groups, conflicts, then possible (fuzzy) pairs, each in catalog order."""
    members = [Member(s, e, loaded.display(loaded.section_path(s.id))) for s, e in loaded.catalog.entries()]
    parent = list(range(len(members)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    reasons: dict[int, set[str]] = defaultdict(set)
    groups: list[Group] = []
    keyers: list[tuple[str, Callable[[Entry], str | None]]] = [
        ("same arXiv id", lambda e: e.arxiv),
        ("same DOI", lambda e: e.doi.lower() if e.doi else None),
        ("same title", lambda e: normalise_title(e.title) or None),
    ]
    for reason, keyer in keyers:
        seen: dict[str, int] = {}
        for index, member in enumerate(members):
            key = keyer(member.entry)
            if key is None:
                continue
            if key not in seen:
                seen[key] = index
                continue
            first = members[seen[key]].entry
            if reason == "same arXiv id" and not _similar(first.title, member.entry.title, threshold):
                groups.append(Group("conflict", f"arXiv id {key} carries two titles: one link points at the "
                                    "wrong paper", [members[seen[key]], member]))
                continue
            if reason == "same title" and first.arxiv and member.entry.arxiv and first.arxiv != member.entry.arxiv:
                groups.append(Group("conflict", "one title carries two arXiv ids: one link points at the wrong paper",
                                    [members[seen[key]], member]))
                continue
            a, b = sorted((root(seen[key]), root(index)))
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
            exact.append(Group("exact", ", ".join(sorted(reasons[head])), group_members, _differing(group_members)))
    in_exact = {id(m.entry) for g in exact for m in g.members}
    possible = [Group("possible", f"titles {score:.0f}% alike", [members[i], members[j]],
                      _differing([members[i], members[j]]))
                for i, j, score in _fuzzy_pairs(members, threshold)
                if root(i) != root(j) and not (id(members[i].entry) in in_exact and id(members[j].entry) in in_exact)]
    return exact + groups + possible


def _fuzzy_pairs(members: list[Member], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs of different titles at least `threshold` alike, compared only within blocks
    of titles that share one of their rarest words."""
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    words = [set(_WORD.findall(m.entry.title.lower())) for m in members]
    frequency = Counter(w for ws in words for w in ws)
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, ws in enumerate(words):
        for word in sorted(ws, key=lambda w: (frequency[w], w))[:_BLOCK_WORDS]:
            if frequency[word] <= _COMMON:
                blocks[word].append(index)
    titles = [default_process(m.entry.title) for m in members]
    pairs: dict[tuple[int, int], float] = {}
    for indexes in blocks.values():
        for n, i in enumerate(indexes):
            for j in indexes[n + 1:]:
                if (i, j) in pairs or titles[i] == titles[j]:
                    continue
                score = fuzz.token_sort_ratio(titles[i], titles[j], processor=None)
                if score >= threshold and normalise_title(members[i].entry.title) != normalise_title(members[j].entry.title):
                    pairs[(i, j)] = score
    return sorted((i, j, s) for (i, j), s in pairs.items())


@dataclass
class Conflict:
    key: str
    kept: object
    other: object
    member: Member


Chooser = Callable[[Conflict], object]


def merge_group(group: Group, choose: Chooser) -> tuple[Entry, list[Conflict]]:
    """The first member, with every other member's fields added; `choose` settles each conflict."""
    keeper = group.members[0].entry
    conflicts = []
    for member in group.members[1:]:
        other = member.entry
        for key in MERGEABLE:
            attribute = key.replace("-", "_")
            mine, theirs = getattr(keeper, attribute), getattr(other, attribute)
            if isinstance(mine, list):
                setattr(keeper, attribute, mine + [v for v in theirs if v not in mine])
            elif mine in (None, "") and theirs not in (None, ""):
                setattr(keeper, attribute, theirs)
            elif theirs not in (None, "") and theirs != mine:
                conflict = Conflict(key, mine, theirs, member)
                setattr(keeper, attribute, choose(conflict))
                conflicts.append(conflict)
        keeper.hidden = keeper.hidden and other.hidden  # shown if either copy was shown
    return keeper, conflicts


def keep_first(conflict: Conflict) -> object:
    return conflict.kept


def merge_duplicates(loaded: Loaded, groups: list[Group], choose: Chooser = keep_first) -> tuple[list[Conflict], list[Path]]:
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
