"""Rewriting one YAML file in place: the round-trip loader keeps comments, key order
and quoting, and only the keys a command means to change are touched."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import VrlcatError
from .model import ENTRY_KEYS, Entry, Section
from .schema import ITEM_INDEX, entry_data, with_gap

if TYPE_CHECKING:
    from ruamel.yaml import YAML


def _round_trip_yaml() -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def _literal_safe(text: str) -> bool:
    """Can a `|` block hold this text so that it reads back the same and survives an editor
    that trims trailing spaces? (Else it is written as a quoted string with escapes.)"""
    lines = text.split("\n")
    return not any(ch in text for ch in "\r\t\x85\u2028\u2029") and not lines[0][:1].isspace() \
        and all(line == line.rstrip() for line in lines) and not any(line == "" for line in lines[-1:])


def _literal(value: Any) -> Any:
    """Multi-line text as a `|` block, which people can read and edit."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, str) and "\n" in value and _literal_safe(value):
        return LiteralScalarString(value)
    if isinstance(value, list):
        return [_literal(v) for v in value]
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items()}
    return value


def dump_yaml(data: Any) -> str:

    stream = io.StringIO()
    _round_trip_yaml().dump(_literal(data), stream)
    return stream.getvalue()


def edit_yaml(text: str, change: Callable[[Any], None], name: str) -> str:
    """`text` after `change` mutates its round-trip data in place (comments, key
    order and quoting survive). Nothing is written."""

    from ruamel.yaml.error import MarkedYAMLError

    yaml = _round_trip_yaml()
    try:
        data = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise VrlcatError(f"invalid YAML: {exc.problem}", name, mark and mark.line + 1,
                          column=mark and mark.column + 1) from None
    if not isinstance(data, dict):
        raise VrlcatError("expected a mapping", name, 1)
    change(data)
    stream = io.StringIO()
    yaml.dump(data, stream)
    edited = stream.getvalue()
    from ruamel.yaml import YAML

    try:
        YAML(typ="safe", pure=False).load(edited)  # the loader every command reads with
    except MarkedYAMLError as exc:  # a vrlcat bug; refuse rather than write a file nobody can read
        raise VrlcatError(f"vrlcat would write YAML it cannot read back ({exc.problem}); nothing was written. "
                          "Please report this with the file", name) from None
    return edited


def sync_entries(data: Any, section: Section) -> None:
    """Make a section file's round-trip data match the model's section: the same
    maps (with their comments, including comment lines written above an entry)
    in the model's order, fields updated in place, maps of entries no longer in
    the model removed, new entries added, verbatim blocks kept beside the entry
    they stand before."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if data.get("entries") is None:
        data["entries"] = CommentedSeq()
    sequence = data["entries"]
    if data.fa.flow_style() or sequence.fa.flow_style():  # a file in flow style: rewritten one key per line
        data.fa.set_block_style()
        sequence.fa.set_block_style()
        for item in sequence:
            if isinstance(item, (CommentedMap, CommentedSeq)):
                item.fa.set_block_style()
    by_line = {item.lc.line + 1: item for item in sequence if isinstance(item, CommentedMap)}
    reordered = []
    for entry in section.entries:
        item = _loaded_map(sequence, entry)
        if item is None or "raw" in item:
            item = CommentedMap(_literal(entry_data(entry)))
        else:
            _sync_map(item, _as_loaded(item), entry_data(entry))
        reordered.append(item)
    for block, index in reversed(section.raw_positions()):
        item = by_line.get(block.line) if block.line is not None else None
        reordered.insert(index, item if item is not None and "raw" in item
                         else CommentedMap(_literal(with_gap({"raw": block.text}, block.gap))))
    if [id(i) for i in reordered] == [id(i) for i in sequence]:
        return
    leading = _detach_leading_comments(sequence)
    sequence[:] = reordered
    _attach_leading_comments(data, sequence, [leading.get(id(item), []) for item in reordered])


_ITEM_INDENT = "  "  # the column of a sequence dash in the files vrlcat writes


def _trailing_slot(item: Any) -> tuple[Any, int] | None:
    """Where ruamel keeps the comment lines that follow a block item: (token list, index)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(item, CommentedMap) and item:
        last = list(item)[-1]
        value = item[last]
        if isinstance(value, (CommentedMap, CommentedSeq)) and value and not value.fa.flow_style():
            return _trailing_slot(value)
        return item.ca.items.get(last), 2
    if isinstance(item, CommentedSeq) and item:
        last = len(item) - 1
        if isinstance(item[last], (CommentedMap, CommentedSeq)):
            return _trailing_slot(item[last])
        return item.ca.items.get(last), 0
    return None


def _comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _detach_leading_comments(sequence: Any) -> dict[int, list[str]]:
    """Comment lines written above each item, taken off wherever ruamel keeps them:
    the sequence's own comment (first item), the sequence's slot for the item,
    or the end of the previous item's last value."""
    items = list(sequence)
    leading: dict[int, list[str]] = {id(item): [] for item in items}
    top = sequence.ca.comment[1] if sequence.ca.comment and len(sequence.ca.comment) > 1 else None
    if items and top:
        leading[id(items[0])] += _comment_lines("".join(token.value for token in top))
    for index, (previous, item) in enumerate(zip(items, items[1:], strict=False), start=1):
        found = _trailing_slot(previous)
        slot, position = found if found else (None, 0)
        token = slot[position] if slot and len(slot) > position else None
        if token is not None:
            end_of_line, newline, rest = token.value.partition("\n")
            leading[id(item)] += _comment_lines(rest)
            token.value = end_of_line + newline
        own = sequence.ca.items.get(index)
        if own and len(own) > 1 and own[1]:
            leading[id(item)] += _comment_lines("".join(t.value for t in own[1]))
    sequence.ca.items.clear()
    return leading


def _attach_leading_comments(data: Any, sequence: Any, leading: list[list[str]]) -> None:
    """Put each item's comment lines back above it, in its new place."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    def tokens(lines: list[str]) -> list[CommentToken] | None:
        return [CommentToken(f"{line}\n", CommentMark(len(_ITEM_INDENT)), None) for line in lines] or None

    first = tokens(leading[0]) if leading else None
    sequence.ca.comment = [None, first] if first else None
    slot = data.ca.items.get("entries")
    if isinstance(slot, list) and len(slot) > 3:
        slot[3] = first
    for index, lines in enumerate(leading[1:], start=1):
        if lines:
            sequence.ca.items[index] = [None, tokens(lines), None, None]


def _loaded_map(sequence: Any, entry: Entry) -> Any:
    """The map an entry was read from: by its index in the list and its line (maps written in
    flow style share a line), or None for an entry the file does not hold."""
    index = entry.lines.get(ITEM_INDEX)
    if entry.line is None or index is None or not 0 <= index < len(sequence):
        return None
    item = sequence[index]
    return item if hasattr(item, "lc") and item.lc.line + 1 == entry.line else None


def _as_loaded(item: Any) -> dict[str, Any]:
    """What an entry's map said when it was read: the fields the model took from it."""
    from .schema import Checker

    entry = Checker("<section file>").entry(dict(item))
    return entry_data(entry) if entry else {}


def _sync_map(item: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Change only the keys whose value the command changed: a key the model does not
    know (a typo, a value the schema refused) is left as the person wrote it."""
    for key in [k for k in before if k not in after and k in item]:
        del item[key]
    for key, value in after.items():
        if before.get(key) == value and key in item:
            continue
        if key in item:
            item[key] = _literal(value)
        else:
            position = sum(1 for k in item if k in ENTRY_KEYS and ENTRY_KEYS.index(k) < ENTRY_KEYS.index(key))
            item.insert(position, key, _literal(value))
