"""Refuse text that cannot be written into a Word document.

A .docx is XML 1.0: it cannot hold control characters other than tab, line feed and carriage
return, nor lone surrogates (``json.loads('"\\ud800"')`` yields one) or U+FFFE/U+FFFF;
python-docx raises on them. We also refuse the C1 controls (U+0080–U+009F), which in a
politician's text only ever come from a broken copy and paste. Every string in the payload,
keys included, is checked, so such text never reaches storage or the document step.

When the JSON text the payload was parsed from is at hand, a search over it replaces the
walk in the common case: a parsed string can only hold a forbidden
character that stands in the text as itself or as an escape (``\\b``, ``\\f``, ``\\uXXXX``)
for it; ``may_hold_unsafe`` looks for both, and only when it finds one is the payload walked
to say where.
"""

from __future__ import annotations

import re
from typing import Any

from besoksrapport.errors import ValidationIssue
from besoksrapport.form.messages import message_for
from besoksrapport.form.pointer import to_pointer

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_HEX = "[0-9A-Fa-f]"
# A JSON escape that may decode to a forbidden character: \b, \f, \u0000-\u001f,
# \u007f-\u009f, \ud800-\udfff, \ufffe, \uffff.
SUSPECT_ESCAPE = re.compile(
    r"\\(?:[bf]|u(?:00[01]" + _HEX + r"|007[Ff]|00[89]" + _HEX
    + r"|[Dd][89A-Fa-f]" + _HEX + _HEX + r"|[Ff][Ff][Ff][EeFf]))")


def may_hold_unsafe(json_text: str) -> bool:
    """False only if no string parsed from this JSON text can hold a forbidden character.

    Such a character stands in the text as itself or as one of the ``SUSPECT_ESCAPE``
    escapes (which also finds a few harmless look-alikes, such as an escaped backslash
    before a ``b``: the caller then merely walks the payload).
    """
    return UNSAFE.search(json_text) is not None or (
        "\\" in json_text and SUSPECT_ESCAPE.search(json_text) is not None)


def first_unsafe(text: str) -> int | None:
    """The 0-based index of the first character that cannot go into a document, or None."""
    found = UNSAFE.search(text)
    return found.start() if found else None


def text_issues(payload: Any, source: str | None = None) -> list[ValidationIssue]:
    """One ``unsafe_character`` issue per string (value or key) holding a forbidden character.

    ``source``, if given, is the JSON text ``payload`` was parsed from (``json.loads``);
    when it cannot hold a forbidden character (``may_hold_unsafe``), the walk is skipped.
    Walks iteratively, so a deeply nested payload cannot exhaust the recursion limit.
    """
    if source is not None and not may_hold_unsafe(source):
        return []
    issues: list[ValidationIssue] = []
    stack: list[tuple[list[str], Any]] = [([], payload)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            issues.extend(_check(path, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                child = [*path, str(key)]
                if isinstance(key, str) and first_unsafe(key) is not None:
                    issues.extend(_check(child, key))
                else:
                    stack.append((child, item))
        elif isinstance(value, list):
            stack.extend(([*path, str(index)], item) for index, item in enumerate(value))
    return issues


def _check(path: list[str], text: str) -> list[ValidationIssue]:
    index = first_unsafe(text)
    if index is None:
        return []
    return [ValidationIssue(to_pointer(path), "unsafe_character",
                            message_for("unsafe_character", path, position=index + 1))]
