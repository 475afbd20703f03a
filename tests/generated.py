"""Large made-up catalogs for the site's and the multi-page render's tests."""

from __future__ import annotations

import random

from vrlcat.model import SECTIONS, Catalog, Entry, Section, Toc

WORDS = ("visual reinforcement learning policy reward model video image reasoning agent world robot navigation "
         "grounding diffusion preference token scaling benchmark perception planning manipulation spatial").split()
VENUES = ("", "", "CVPR", "ICLR", "NeurIPS", "ICML", "ACL", "ECCV")


def generated_catalog(entries: int, roots: int = 8, children: int = 3, seed: int = 7) -> Catalog:
    """`entries` papers spread over `roots` top-level sections with `children` subsections each."""
    rng = random.Random(seed)
    sections = []
    for r in range(roots):
        kids = [Section(id=f"topic-{r}-{c}", title=f"Topic {r}.{c} {WORDS[(r + c) % len(WORDS)]}", level=4)
                for c in range(children)]
        sections.append(Section(id=f"area-{r}", title=f"Area {r}: {WORDS[r % len(WORDS)].title()}", level=3,
                                children=kids))
    leaves = [s for root in sections for s in root.walk()]
    for number in range(entries):
        year = 2015 + number % 11
        month = 1 + number % 12
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {number}"
        venue = VENUES[number % len(VENUES)]
        entry = Entry(title=title, arxiv=f"{year % 100:02d}{month:02d}.{number:05d}", date=f"{year}-{month:02d}",
                      venue=f"{venue} {year}" if venue else None, authors=[f"Author {number % 97}", "A. Person"],
                      code=f"https://github.com/lab{number % 50}/repo{number}" if number % 3 == 0 else None,
                      website=f"https://lab{number % 50}.example.org/p{number}/" if number % 5 == 0 else None)
        leaves[number % len(leaves)].entries.append(entry)
    return Catalog(title="Generated list", page=[Toc(heading="Contents"), SECTIONS], sections=sections)
