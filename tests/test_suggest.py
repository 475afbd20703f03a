"""Section suggestions rank an entry's true section first for most entries of the real list."""

from conftest import REPO
from vrlcat.store import load_catalog
from vrlcat.suggest import suggest_sections


def test_held_out_entries_find_their_section():
    catalog = load_catalog(REPO / "catalog").catalog
    entries = list(catalog.entries())
    first = top3 = 0
    for section, entry in entries:
        ranked = [s.id for s, _ in suggest_sections(catalog, entry.title, skip_title=entry.title)]
        first += ranked[0] == section.id
        top3 += section.id in ranked
    assert first / len(entries) > 0.5
    assert top3 / len(entries) > 0.65
