"""Diarienummer: the secretary registers a meeting's reports, or one report, under a number.

A committee registers its anmälningsärenden in its diarium, often all of a meeting's
återrapporter under one number («VSN 2026/143»), sometimes a report under its own. The
number is checked against the committee's pattern (``[diary_number]`` in the committee
configuration), stored, and the meeting is filed again in the same transaction, so the
report documents and the Förteckning show it (a report's own number before the meeting's).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from besoksrapport.errors import BesoksrapportError
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import filing_job
from besoksrapport.storage import QueuedJob

MAX_LENGTH = 50


class DiaryNumberInvalid(BesoksrapportError):
    """A diarienummer that does not look like one of the committee's; the text is Swedish."""


def normalised(number: str) -> str:
    """The number as typed, with its spaces tidied: «VSN  2026/143 » is «VSN 2026/143»."""
    return " ".join(unicodedata.normalize("NFC", number).split())


def check_number(ctx: Context, number: str | None) -> str | None:
    """The tidied number (None: no number, as when one is taken away), or
    ``DiaryNumberInvalid`` saying what a number looks like."""
    if number is None:
        return None
    tidy = normalised(number)
    if not tidy:
        raise DiaryNumberInvalid("Diarienumret är tomt.")
    if len(tidy) > MAX_LENGTH or any(unicodedata.category(c).startswith("C") for c in tidy):
        raise DiaryNumberInvalid(f"”{tidy}” kan inte vara ett diarienummer: högst "
                                 f"{MAX_LENGTH} tecken, inga styrtecken.")
    rule = ctx.committee.diary_number
    if rule is not None and not rule.matches(tidy):
        raise DiaryNumberInvalid(f"”{tidy}” har inte nämndens form för diarienummer; "
                                 f"skriv till exempel ”{rule.example}”.")
    return tidy


def _refile(meeting: dt.date | None) -> list[QueuedJob]:
    return [] if meeting is None else [filing_job(meeting)]


def set_meeting_number(ctx: Context, day: dt.date, number: str | None) -> str | None:
    """Register all of ``day``'s reports under ``number`` (None: under none); the meeting
    is refiled. Returns the number as stored."""
    tidy = check_number(ctx, number)
    ctx.storage.set_meeting_diary_number(day, tidy, _refile)
    return tidy


def set_report_number(ctx: Context, report_id: str,
                      number: str | None) -> tuple[str | None, dt.date | None]:
    """Register one report under its own ``number`` (None: its meeting's again); its meeting
    is refiled. Returns the number as stored and the meeting; KeyError for an unknown id."""
    tidy = check_number(ctx, number)
    return tidy, ctx.storage.set_report_diary_number(report_id, tidy, _refile)

