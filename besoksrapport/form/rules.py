"""Rules of the guideline that JSON Schema cannot express, in the same issue shape.

They compare fields with each other (a visit is reported after it took place, ends after it
starts, a chair's decision precedes the visit) or look at content (a text of only blanks is no
answer). ``validation`` runs them only on values that passed the schema; each rule still
re-checks its inputs, so it never raises on a value it did not expect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from besoksrapport.errors import ValidationIssue
from besoksrapport.form.messages import message_for
from besoksrapport.form.pointer import to_pointer, to_tokens
from besoksrapport.form.schemas import iter_properties
from besoksrapport.report import parse_clock
from besoksrapport.swedish import STOCKHOLM

VISIT_DATE = "/data/answers/visit_date"
START_TIME = "/data/answers/start_time"
END_TIME = "/data/answers/end_time"
DECISION_DATE = "/data/answers/chair_decision_date"
SUBMITTED_AT = "/data/submitted_at"
TIMESTAMP = "/timestamp"
# Dates a report can sensibly carry. Outside them a date is a typo or an attack, and the far
# ends (year 1, year 9999) cannot even be moved to Swedish time (OverflowError).
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
# The form's pattern for a free text: at least one character that is not a blank.
BLANK_PATTERN = "\\S"

# Told a pointer, says whether its value failed the schema (then no rule looks at it).
Skip = Callable[[str], bool]


def rule_issues(envelope: Any, skip: Skip) -> list[ValidationIssue]:
    """Every rule issue; ``skip(pointer)`` says a value failed the schema and must be left alone."""
    if not isinstance(envelope, dict):
        return []

    def get(pointer: str, parse: Callable[[str], Any]) -> Any:
        if skip(pointer):
            return None
        value: Any = envelope
        for token in _tokens(pointer):
            if not isinstance(value, dict) or token not in value:
                return None
            value = value[token]
        if not isinstance(value, str):
            return None
        try:
            return parse(value)
        except (ValueError, OverflowError):
            return None

    issues: list[ValidationIssue] = []
    visit = get(VISIT_DATE, date.fromisoformat)
    submitted = get(SUBMITTED_AT, _aware)
    decided = get(DECISION_DATE, date.fromisoformat)
    stamped = get(TIMESTAMP, _aware)
    for pointer, day in ((VISIT_DATE, visit), (SUBMITTED_AT, submitted),
                         (DECISION_DATE, decided), (TIMESTAMP, stamped)):
        if day is not None and not _in_range(day):
            issues.append(_issue(pointer, "date_out_of_range",
                                 limit=f"{EARLIEST.year} och {LATEST.year}"))
    visit, submitted, decided = (day if day is not None and _in_range(day) else None
                                 for day in (visit, submitted, decided))
    if visit and submitted and visit > submitted.astimezone(STOCKHOLM).date():
        issues.append(_issue(VISIT_DATE, "date_after_submission"))

    start, end = get(START_TIME, parse_clock), get(END_TIME, parse_clock)
    if start and end and end <= start:
        issues.append(_issue(END_TIME, "end_not_after_start"))

    if decided and visit and decided > visit:
        issues.append(_issue(DECISION_DATE, "decision_after_visit"))

    for tokens in _blank_texts(envelope):
        pointer = to_pointer(tokens)
        if not skip(pointer):
            issues.append(_issue(pointer, "blank"))
    return issues


@cache
def _tokens(pointer: str) -> tuple[str, ...]:
    return tuple(to_tokens(pointer))


def _in_range(day: date | datetime) -> bool:
    """Within EARLIEST..LATEST; a moment by its UTC date (never moved to Stockholm first)."""
    if isinstance(day, datetime):
        day = day.astimezone(UTC).date() if EARLIEST.year < day.year < LATEST.year \
            else day.date()
    return EARLIEST <= day <= LATEST


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("no timezone")
    return moment


def _issue(pointer: str, code: str, limit: object = None) -> ValidationIssue:
    return ValidationIssue(pointer, code, message_for(code, to_tokens(pointer), limit=limit))


@cache
def free_text_paths() -> tuple[tuple[str, ...], ...]:
    """Schema paths of texts that must have content: strings with a minLength and no fixed form.

    ``minLength: 1`` lets "   " through; these are the fields where that is not an answer.
    """
    fixed = ("format", "const", "enum", "oneOf")
    return tuple(path for path, sub in iter_properties()
                 if sub.get("type") == "string" and "minLength" in sub
                 and sub.get("pattern", BLANK_PATTERN) == BLANK_PATTERN
                 and not any(key in sub for key in fixed))


def _blank_texts(envelope: dict[str, Any]) -> Iterator[list[str | int]]:
    """Where a free text is only blanks (its pointer is built only then: most are not)."""
    for path in free_text_paths():
        yield from _blanks(envelope, path, 0, [])


def _blanks(node: Any, path: tuple[str, ...], at: int,
            done: list[str | int]) -> Iterator[list[str | int]]:
    if at == len(path):
        if isinstance(node, str) and not node.strip():
            yield done
        return
    head = path[at]
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _blanks(item, path, at + 1, [*done, index])
    elif isinstance(node, dict) and head in node:
        yield from _blanks(node[head], path, at + 1, [*done, head])
