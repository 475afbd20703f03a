"""Section order: newest first by default, ties by title; stable and idempotent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Catalog, Entry, Section, SortOrder, normalise_title

if TYPE_CHECKING:
    from .store import Loaded


def _date_key(entry: Entry) -> str:
    """`2025-03` > `2025` (a year alone sorts after its months when newest first) > no date."""
    return entry.date or ""


def sorted_entries(entries: list[Entry], order: SortOrder) -> list[Entry]:
    """A new list in the declared order; `added` keeps file order (its `order` only
    says where `add` puts a new entry), so sorting never reverses a section."""
    if order.by == "added":
        return list(entries)
    descending = order.order == "desc"
    if order.by == "title":
        return sorted(entries, key=lambda e: normalise_title(e.title), reverse=descending)
    by_title = sorted(entries, key=lambda e: normalise_title(e.title))
    return sorted(by_title, key=_date_key, reverse=descending)


def first_misplaced(entries: list[Entry], order: SortOrder) -> int | None:
    """The index of the first entry not where the order puts it, or None."""
    if order.by == "added":
        return None  # file order is the order
    for index, (have, want) in enumerate(zip(entries, sorted_entries(entries, order), strict=False)):
        if have is not want:
            return index
    return None


def insertion_index(entries: list[Entry], new: Entry, order: SortOrder) -> int:
    """Where `new` goes: before the first entry the order puts after it."""
    if order.by == "added":
        return 0 if order.order == "desc" else len(entries)
    for index, entry in enumerate(entries):
        ranked = sorted_entries([entry, new], order)
        if ranked[0] is new:
            return index
    return len(entries)


def misplaced_sections(catalog: Catalog, override: SortOrder | None = None) -> list[tuple[Section, int]]:
    """(section, index of its first misplaced entry) for every section out of order."""
    found = []
    for section in catalog.walk():
        index = first_misplaced(section.entries, override or catalog.sort_order(section))
        if index is not None:
            found.append((section, index))
    return found


def declare_order(loaded: Loaded, order: SortOrder) -> list[Section]:
    """Make `order` the list's declared order (settings.sort in list.yaml), so lint
    agrees with what `sort --by` did; returns the sections that keep their own `sort:`."""
    from .store import LIST_FILE, write_files_atomically
    from .yamledit import edit_yaml

    def set_order(data: Any) -> None:
        data.setdefault("settings", {})["sort"] = {"by": order.by, "order": order.order}

    loaded.catalog.settings.sort = order
    path = loaded.root / LIST_FILE
    write_files_atomically({path: edit_yaml(path.read_text(encoding="utf-8"), set_order, str(path))})
    return [section for section in loaded.catalog.walk() if section.sort]


def sort_catalog(loaded: Loaded, override: SortOrder | None = None) -> list[Section]:
    """Sort every section out of order and rewrite only those files (comments
    inside entries move with them). Returns the sections rewritten."""
    from .store import write_files_atomically

    changed = []
    texts = {}
    for section, _ in misplaced_sections(loaded.catalog, override):
        section.entries = sorted_entries(section.entries, override or loaded.catalog.sort_order(section))
        path, text = loaded.rewritten_section(section)
        texts[path] = text
        changed.append(section)
    write_files_atomically(texts)
    return changed
