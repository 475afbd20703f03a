"""Refuse YAML that vrlcat never writes and that could hurt it, before it is parsed.

Anchors and aliases (an alias bomb takes minutes and all memory), tags
(`!!binary`, `!!set`, ...), control characters, nesting deeper than any
catalog needs (RecursionError) and numbers too long to convert are each
reported as one error naming file and line. Cheap substring tests skip the
token scan for the files (nearly all) that contain none of them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import VrlcatError

MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 1000
_MARKS = tuple(before + mark for before in (b" ", b"\t", b"\n", b"[", b"{", b",") for mark in (b"&", b"*", b"!"))
_NESTED_FLOW = (b"[[", b"[{", b"{[", b"{{", b"[ [", b"{ {")
_DEEP_INDENT = b"\n" + b" " * 40
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # the same, as UTF-8 bytes
GUARD_VERSION = b"guard 1"  # part of a passed file's cache key: change it when the checks change
_NUMBER = re.compile(r"[-+]?[0-9_.]+")
_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 27: "ESC", 127: "DEL"}


def check_yaml_file(path: Path) -> None:
    """Raise a VrlcatError naming `path` and the line if the file holds YAML vrlcat refuses.
    A file whose bytes passed before is not checked again (its digest is kept in the cache)."""
    from .store import cache_dir

    raw = path.read_bytes()
    passed = cache_dir() / "checked" / hashlib.blake2b(raw + GUARD_VERSION, digest_size=16).hexdigest()
    if passed.exists():
        return
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise VrlcatError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", str(path), line) from None
    check_yaml_text(text, str(path), raw)
    try:
        passed.parent.mkdir(parents=True, exist_ok=True)
        passed.touch()
    except OSError:
        pass  # a read-only cache only costs speed


def check_yaml_to_write(text: str, path: Path) -> None:
    """Refuse to write YAML that vrlcat itself would refuse to read (an alias written by
    the round-trip dumper loses an entry): nothing is written, and the user hears why."""
    try:
        check_yaml_text(text, str(path))
    except VrlcatError as exc:
        raise VrlcatError(f"vrlcat would write YAML it refuses ({exc.message}); nothing was written. Rewrite the "
                          "file in block style (one key per line) and try again", str(path)) from None


def check_yaml_text(text: str, name: str, raw: bytes | None = None) -> None:
    """`raw`: the text's UTF-8 bytes, when the caller has them."""
    raw = text.encode("utf-8") if raw is None else raw
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw) and (control := _CONTROL.search(text)):
        code = ord(control.group())
        raise VrlcatError(f"control character {_NAMES.get(code, f'U+{code:04X}')} is not allowed; remove it "
                          "(a file saved as UTF-16 shows as NUL: save it as UTF-8)", name,
                          text.count("\n", 0, control.start()) + 1)
    if _suspect(raw):
        _check_tokens(text, name)


def _suspect(raw: bytes) -> bool:
    """Whether a file may hold what the token scan looks for (substring tests: ~10 ms for 20,000 entries)."""
    if any(char in raw for char in (b"&", b"*", b"!")) and (
            raw.startswith((b"&", b"*", b"!")) or any(mark in raw for mark in _MARKS)):
        return True
    if _DEEP_INDENT in raw or raw.count(b"[") + raw.count(b"{") > 64 and any(n in raw for n in _NESTED_FLOW):
        return True
    return max(map(len, raw.splitlines()), default=0) >= MAX_NUMBER_DIGITS


def _check_tokens(text: str, name: str) -> None:
    """Scan with libyaml (PyYAML's C scanner): a list with `&` in a title needs no pure-Python
    scan. What libyaml refuses (it stops at 1,000 open brackets) is scanned again by ruamel's
    pure-Python scanner, which reports the depth with its line."""
    import yaml
    from yaml import tokens as c_tokens

    try:
        _check_token_stream(yaml.scan(text, Loader=yaml.CSafeLoader), c_tokens, name)
    except yaml.YAMLError:
        from ruamel.yaml import YAML
        from ruamel.yaml import tokens as ruamel_tokens
        from ruamel.yaml.error import YAMLError

        try:
            _check_token_stream(YAML(typ="safe", pure=True).scan(text), ruamel_tokens, name)
        except YAMLError:
            return  # the loader reports invalid YAML with its own line and column


def _check_token_stream(tokens: Iterable[Any], t: Any, name: str) -> None:
    """Refuse anchors, aliases, tags, deep nesting and over-long numbers; `t` is the scanner's tokens module."""
    depth = 0
    for token in tokens:
        line = token.start_mark.line + 1
        if isinstance(token, (t.AnchorToken, t.AliasToken)):
            raise VrlcatError("YAML anchors and aliases (&name, *name) are not allowed: write the value out",
                              name, line)
        if isinstance(token, t.TagToken):
            raise VrlcatError("YAML tags (!!binary, !!set, !name) are not allowed: write plain text", name, line)
        if isinstance(token, (t.BlockMappingStartToken, t.BlockSequenceStartToken, t.FlowMappingStartToken,
                              t.FlowSequenceStartToken)):
            depth += 1
            if depth > MAX_DEPTH:
                raise VrlcatError(f"nested more than {MAX_DEPTH} levels deep: a catalog needs a few", name, line)
        elif isinstance(token, (t.BlockEndToken, t.FlowMappingEndToken, t.FlowSequenceEndToken)):
            depth -= 1
        elif isinstance(token, t.ScalarToken) and token.plain and len(token.value) >= MAX_NUMBER_DIGITS \
                and _NUMBER.fullmatch(token.value):
            raise VrlcatError(f"a number of {len(token.value)} digits is too long: quote it as text", name, line)


def check_catalog_yaml(root: Path) -> None:
    """Check list.yaml, every section file and every prose file of the catalog at `root`."""
    files = [root / "list.yaml", *sorted((root / "sections").glob("*.yaml"))]
    for path in files:
        if path.is_file():
            check_yaml_file(path)
    for path in sorted((root / "prose").glob("*.md")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise VrlcatError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", str(path)) from None
