"""Indented JSON, byte for byte as ``json.dumps(value, indent=n, sort_keys=True,
ensure_ascii=False)`` writes it, at the speed of the C encoder.

The standard library encodes indented JSON in pure Python, which made index.json and the
manifest (one small object per filed file) the largest cost of filing a big meeting that
grows with its size. An object whose values are all scalars is encoded here in one call of
the C encoder, its separators carrying the newline and indentation; containers around such
objects are walked in Python. Same bytes, so a folder filed by an earlier version is not
rewritten.
"""

from __future__ import annotations

import json
from typing import Any

# The types the C encoder writes exactly as the indenting one does (no nesting).
_SCALARS = frozenset({str, int, float, bool, type(None)})
_scalar = json.JSONEncoder(ensure_ascii=False).encode
_flat_encoders: dict[str, json.JSONEncoder] = {}


def dumps(value: Any, indent: int) -> str:
    """``value`` as ``json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=False)``."""
    parts: list[str] = []
    _write(value, parts, "\n", " " * indent)
    return "".join(parts)


def _flat(inner: str) -> json.JSONEncoder:
    encoder = _flat_encoders.get(inner)
    if encoder is None:
        encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=True,
                                   separators=("," + inner, ": "))
        _flat_encoders[inner] = encoder
    return encoder


def _write(value: Any, parts: list[str], newline: str, step: str) -> None:
    inner = newline + step
    if isinstance(value, dict):
        if not value:
            parts.append("{}")
        elif _SCALARS.issuperset(map(type, value.values())):
            # '{"a": 1,<inner>"b": 2}' from the C encoder, opened and closed on lines of
            # their own as the indenting encoder does.
            text = _flat(inner).encode(value)
            parts.append("{" + inner + text[1:-1] + newline + "}")
        else:
            parts.append("{")
            for number, (key, item) in enumerate(sorted(value.items())):
                if not isinstance(key, str):
                    raise TypeError("only string keys are written")
                parts.append(("," if number else "") + inner + _scalar(key) + ": ")
                _write(item, parts, inner, step)
            parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        parts.append("[")
        for number, item in enumerate(value):
            parts.append(("," if number else "") + inner)
            _write(item, parts, inner, step)
        parts.append(newline + "]")
    else:
        parts.append(_scalar(value))
