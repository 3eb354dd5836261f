"""Refuse text that cannot be written into a Word document.

A .docx is XML 1.0: it cannot hold control characters other than tab, line feed and carriage
return, nor lone surrogates (``json.loads('"\\ud800"')`` yields one) or U+FFFE/U+FFFF;
python-docx raises on them. We also refuse the C1 controls (U+0080–U+009F), which in a
politician's text only ever come from a broken copy and paste. Every string in the payload,
keys included, is checked, so such text never reaches storage or the document step.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import ValidationIssue
from .messages import message_for
from .pointer import to_pointer

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_unsafe(text: str) -> int | None:
    """The 0-based index of the first character that cannot go into a document, or None."""
    found = UNSAFE.search(text)
    return found.start() if found else None


def text_issues(payload: Any) -> list[ValidationIssue]:
    """One ``unsafe_character`` issue per string (value or key) holding a forbidden character.

    Walks iteratively, so a deeply nested payload cannot exhaust the recursion limit.
    """
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
