"""Finding personal data in a report's free texts before it is published.

A report becomes an allmän handling as it arrives, but what it says is published with the
agenda. A politician who writes a personnummer, a phone number, an e-mail address or a home
address into an answer publishes it unless the secretary sees it first. ``screen`` finds such
strings by their shape and says where (the answer) and what kind, so a flag can name both
without ever repeating the value; ``masked`` replaces each found string.

A personnummer or samordningsnummer is a real date (a samordningsnummer's day plus 60) and
four digits, with or without the century and the dash. A wrong check digit still counts,
as a possible one: a reader takes «19800101-1234» for a personnummer all the same. Dates,
report ids («BR-2026-7Q3K9X»), diarienummer («VSN 2026/143») and numbers in unit names
(«Avdelning 3B») do not have these shapes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MASK = "[uppgift borttagen]"

# The free-text answers, in the form's order; ``unit`` is screened for every kind but the
# address (a unit's own address is not a person's).
FREE_TEXTS = ("unit", "met_other", "information_given", "unit_news", "operation_raises",
              "strengths_and_challenges", "other_observations", "own_conclusions")
NO_ADDRESS = frozenset({"unit"})

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
POSSIBLE_PERSONNUMMER = "possible_personnummer"
POSSIBLE_SAMORDNINGSNUMMER = "possible_samordningsnummer"
PHONE = "phone"
EMAIL = "email"
ADDRESS = "address"

# What each kind is called in the secretary's Swedish.
KIND_NAMES = {
    PERSONNUMMER: "ett personnummer",
    SAMORDNINGSNUMMER: "ett samordningsnummer",
    POSSIBLE_PERSONNUMMER: "ett möjligt personnummer (fel kontrollsiffra)",
    POSSIBLE_SAMORDNINGSNUMMER: "ett möjligt samordningsnummer (fel kontrollsiffra)",
    PHONE: "ett telefonnummer",
    EMAIL: "en e-postadress",
    ADDRESS: "en gatuadress",
}

_ID_NUMBER = re.compile(r"(?<![\w/+.-])(\d{2})?(\d{2})(\d{2})(\d{2})[-+]?(\d{4})(?![\w/-])")
_PHONE = re.compile(r"(?<![\w+/.-])(?:\+46[ -]?(?:\(0\)[ -]?)?|0)[1-9]\d{0,2}"
                    r"(?:[ -]?\d){5,8}(?![\w/-]|\.\d)")
_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_STREET = (r"gatan|gata|vägen|väg|gränd|gränden|stigen|backen|allén|allé|torget|torg|"
           r"leden|plan|platsen|stråket|slingan|höjden|liden|bruket")
_STREET_NUMBER = re.compile(rf"(?:{_STREET})\s+\d")  # cheap: most texts have none
_ADDRESS = re.compile(
    rf"\b[A-ZÅÄÖ][a-zåäöéü]*(?:{_STREET})\s+\d{{1,4}}(?:\s?[A-Za-z](?![\w]))?"
    r"(?:,?\s*(?:lgh|lägenhet)\s*\d{1,5})?", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    """One string of personal data: the answer it is in, its kind, where it is in the text.

    The value itself is never kept here beyond the offsets; nothing logs a finding's text.
    """

    field: str
    kind: str
    start: int
    end: int


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _real_date(century: str | None, year: str, month: str, day: int) -> bool:
    centuries = [int(century)] if century else [18, 19, 20]
    for hundred in centuries:
        try:
            dt.date(hundred * 100 + int(year), int(month), day)
        except ValueError:
            continue
        return True
    return False


def _id_number(match: re.Match[str]) -> str | None:
    century, year, month, day_text, _ = match.groups()
    if century is None and match.group(0).isdigit() and match.group(0).startswith("0"):
        return None  # «0701234567»: a phone number's shape first (the phone check finds it)
    day = int(day_text)
    coordination = day > 60
    if not _real_date(century, year, month, day - 60 if coordination else day):
        return None
    valid = _luhn_ok(re.sub(r"\D", "", match.group(0))[-10:])
    if coordination:
        return SAMORDNINGSNUMMER if valid else POSSIBLE_SAMORDNINGSNUMMER
    return PERSONNUMMER if valid else POSSIBLE_PERSONNUMMER


def _in_text(field: str, text: str) -> Iterator[Finding]:
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    if "@" in text:  # the checks below are skipped where they cannot match (most texts)
        for match in _EMAIL.finditer(text):
            taken.append(match.span())
            yield Finding(field, EMAIL, *match.span())
    if _DIGIT.search(text) is None:
        return
    for match in _ID_NUMBER.finditer(text):
        kind = _id_number(match)
        if kind is not None and free(*match.span()):
            taken.append(match.span())
            yield Finding(field, kind, *match.span())
    for match in _PHONE.finditer(text):
        if free(*match.span()):
            taken.append(match.span())
            yield Finding(field, PHONE, *match.span())
    if field not in NO_ADDRESS and _STREET_NUMBER.search(text) is not None:
        for match in _ADDRESS.finditer(text):
            if free(*match.span()):
                taken.append(match.span())
                yield Finding(field, ADDRESS, *match.span())


def screen(answers: Mapping[str, Any]) -> list[Finding]:
    """Every finding in the free-text answers, answer by answer, in text order."""
    found: list[Finding] = []
    for field in FREE_TEXTS:
        text = answers.get(field)
        if isinstance(text, str) and text:
            found.extend(sorted(_in_text(field, text), key=lambda f: f.start))
    return found


def masked(answers: Mapping[str, Any], findings: list[Finding] | None = None) -> dict[str, Any]:
    """The answers with each found string replaced by «[uppgift borttagen]»."""
    findings = screen(answers) if findings is None else findings
    result = dict(answers)
    for field in {finding.field for finding in findings}:
        text = answers[field]
        for finding in sorted((f for f in findings if f.field == field),
                              key=lambda f: f.start, reverse=True):
            text = text[:finding.start] + MASK + text[finding.end:]
        result[field] = text
    return result
