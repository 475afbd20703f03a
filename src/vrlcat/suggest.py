"""Which sections a new paper belongs in.

Each existing title is a TF-IDF vector; a section scores the summed cosine
similarity of its three titles nearest to the new paper, plus the similarity
of its heading and description. Nearest neighbours beat one centroid per
section on lists whose sections overlap (measured in docs/usage.md)."""

from __future__ import annotations

import math
import re
from collections import Counter

from .headings import heading_text
from .model import Catalog, Section

NEIGHBOURS = 3
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""a an the of for and or in on with to via from by as at is are be we our this that
these those its it into using based towards toward through than can do does how what when which new
all any more most vs""".split())


def words(text: str) -> list[str]:
    """Lower-case words worth comparing (no stop words, no single letters)."""
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]


def _vector(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vector = {w: (1 + math.log(n)) * idf.get(w, 0.0) for w, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {w: v / norm for w, v in vector.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(weight * b.get(w, 0.0) for w, weight in a.items())


def suggest_sections(catalog: Catalog, title: str, abstract: str = "", limit: int = 3,
                     skip_title: str | None = None) -> list[tuple[Section, float]]:
    """The `limit` best sections for a paper, best first, with their scores.

    `skip_title` leaves one existing entry out (to measure how well this ranks)."""
    sections = list(catalog.walk())
    titles = [(s, Counter(words(e.title))) for s in sections for e in s.entries if e.title != skip_title]
    frequency = Counter(w for _, counts in titles for w in counts)
    idf = {w: math.log((1 + len(titles)) / (1 + n)) + 1 for w, n in frequency.items()}
    query = _vector(Counter(words(title) * 2 + words(abstract)), idf)
    nearest: dict[str, list[float]] = {s.id: [] for s in sections}
    for section, counts in titles:
        nearest[section.id].append(_cosine(query, _vector(counts, idf)))
    scored = []
    for section in sections:
        about = _vector(Counter(words(heading_text(section.title) + " " + section.description)), idf)
        score = sum(sorted(nearest[section.id], reverse=True)[:NEIGHBOURS]) + _cosine(query, about)
        if section.entries or score > 0:
            scored.append((section, score))
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]
