"""Section order: newest first by default, ties by title; stable and idempotent."""

from __future__ import annotations

from .model import Entry, SortOrder, normalise_title


def _date_key(entry: Entry) -> str:
    """`2025-03` > `2025` (a year alone sorts after its months when newest first) > no date."""
    return entry.date or ""


def sorted_entries(entries: list[Entry], order: SortOrder) -> list[Entry]:
    """A new list in the declared order; `added` keeps file order (reversed for desc)."""
    if order.by == "added":
        return list(entries) if order.order == "asc" else list(reversed(entries))
    result = sorted(entries, key=lambda e: normalise_title(e.title))
    if order.by == "title":
        return result if order.order == "asc" else list(reversed(result))
    return sorted(result, key=_date_key, reverse=order.order == "desc")


def first_misplaced(entries: list[Entry], order: SortOrder) -> int | None:
    """The index of the first entry not where the order puts it, or None."""
    if order.by == "added":
        return None  # file order is the order
    for index, (have, want) in enumerate(zip(entries, sorted_entries(entries, order))):
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
