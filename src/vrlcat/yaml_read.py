"""Reading catalog YAML fast: PyYAML's C parser, YAML 1.2 core scalars, line marks.

PyYAML's C parser is 2-3x faster than ruamel.yaml's C safe loader, but PyYAML
resolves scalars by YAML 1.1 (`yes` is true, `012` is octal). Here the parser's
resolver is swapped for the YAML 1.2 core rules ruamel applies (first-character
dispatch and patterns copied from ruamel), and a small constructor builds the
data with `__line__`/`__lines__` marks from the nodes' start marks. Anything
unusual (an error, a tag, a merge key, a duplicate key, a `%YAML` directive)
raises NotCoreYaml, and the caller reads the file with ruamel, whose answer and
messages are the reference.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

LINE = "__line__"
LINES = "__lines__"
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_NULL, _BOOL, _INT = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
_FLOAT, _TIMESTAMP, _OTHER = "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", "?unusual"

# ruamel.yaml's YAML 1.2 implicit resolvers (resolver.py), in ruamel's order.
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_FLOAT_RE = re.compile(r"""^(?:
     [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""", re.X)
_INT_RE = re.compile(r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+)$""", re.X)
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_TIMESTAMP_RE = re.compile(r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
    (?:[Tt]|[ \t]+)[0-9][0-9]?
    :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
    (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", re.X)
_UNUSUAL_RE = re.compile(r"^(?:<<|=)$")  # merge and value keys: left to ruamel

_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _firsts in ((_BOOL, _BOOL_RE, "tTfF"), (_FLOAT, _FLOAT_RE, "-+0123456789."),
                                (_INT, _INT_RE, "-+0123456789"), (_OTHER, _UNUSUAL_RE, "<="),
                                (_NULL, _NULL_RE, "~nN"), (_TIMESTAMP, _TIMESTAMP_RE, "0123456789")):
    for _first in _firsts:
        _RESOLVERS.setdefault(_first, []).append((_tag, _pattern))


class NotCoreYaml(Exception):
    """Something this reader leaves to ruamel: an error, a tag, a merge key, a duplicate key..."""


class _CoreLoader(yaml.CSafeLoader):
    """libyaml's parser and composer with YAML 1.2 core resolution (no constructor is used)."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if not implicit[0]:
                return _STR
            if not value:
                return _NULL
            for tag, pattern in _RESOLVERS.get(value[0], ()):
                if pattern.match(value):
                    return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


def load_core_yaml(text: str) -> Any:
    """The data of one YAML document (None when empty); NotCoreYaml when ruamel must read it."""
    if "%YAML" in text:
        raise NotCoreYaml
    loader = _CoreLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _construct(node)
    except (yaml.YAMLError, ValueError, IndexError, RecursionError):
        raise NotCoreYaml from None
    finally:
        loader.dispose()


def _construct(node: Node) -> Any:
    kind = type(node)
    if kind is ScalarNode:
        return _scalar(node)
    if kind is SequenceNode:
        if node.tag != _SEQ:
            raise NotCoreYaml
        return [_construct(child) for child in node.value]
    if node.tag != _MAP:
        raise NotCoreYaml
    data: dict[Any, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if type(key_node) is not ScalarNode:
            raise NotCoreYaml  # a collection as a key
        key = _scalar(key_node)
        if key in data:
            raise NotCoreYaml  # unhashable or duplicate: ruamel words the error
        data[key] = _construct(value_node)
        lines[str(key_node.value)] = key_node.start_mark.line + 1
    data[LINE] = node.start_mark.line + 1
    data[LINES] = lines
    return data


def _scalar(node: Node) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR or tag == _TIMESTAMP:  # timestamps stay text, as the schema wants
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    if tag == _INT:
        return _int(value)
    if tag == _FLOAT:
        return _float(value)
    raise NotCoreYaml


def _int(text: str) -> int:
    """ruamel's YAML 1.2 int: signs, underscores, 0b/0o/0x."""
    digits = text.replace("_", "")
    sign = -1 if digits[0] == "-" else 1
    digits = digits[1:] if digits[0] in "+-" else digits
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    digits = text.replace("_", "").lower()
    sign = -1 if digits[0] == "-" else 1
    digits = digits[1:] if digits[0] in "+-" else digits
    if digits == ".inf":
        return sign * float("inf")
    if digits == ".nan":
        return float("nan")
    return sign * float(digits)
