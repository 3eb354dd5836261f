"""How deeply a JSON text nests, found before ``json.loads`` ever sees it.

``json.loads`` recurses once per level: about 1,000 levels raise ``RecursionError``, and
well below that the validators recurse as deeply again. A report needs five levels
(``/data/answers/met/0``), so anything deeper than ``MAX_DEPTH`` is refused from the text
with one issue, without parsing it.
"""

from __future__ import annotations

import re

from besoksrapport.errors import ValidationIssue
from besoksrapport.form.messages import message_for

MAX_DEPTH = 32
# A string (skipped whole, brackets inside it included) or one bracket.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def deeper_than(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when arrays and objects in this JSON text nest more than ``limit`` levels."""
    if text.count("[") + text.count("{") <= limit:  # the common case, at C speed
        return False
    depth = 0
    for token in _TOKEN.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def depth_issue(text: str) -> ValidationIssue | None:
    """The issue for a text nested deeper than ``MAX_DEPTH``, or None."""
    if not deeper_than(text):
        return None
    return ValidationIssue("", "too_deep", message_for("too_deep", [], limit=MAX_DEPTH))
