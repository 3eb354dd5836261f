"""«Hanterad»: the secretary marks a flag or a refused delivery handled, with a note.

A flag stays on its report (the guideline's check found it), but once handled it no longer
counts in «Att kontrollera»; a refused delivery stays until gallring, but no longer counts
as one to look at. Each mark says who, when and why, and goes into the audit trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from besoksrapport.errors import BesoksrapportError
from besoksrapport.outbox.context import Context
from besoksrapport.report import Flag, Report
from besoksrapport.secretary.audit import audited
from besoksrapport.storage import HandledMark

FLAG, REFUSED = "flag", "refused"
MAX_NOTE = 1000


class CannotMark(BesoksrapportError):
    """A mark that cannot be made; the message is Swedish."""


def flag_target(report_id: str, code: str) -> str:
    return f"{report_id}:{code}"


def _note(text: str) -> str:
    note = " ".join(text.split())
    if len(note) > MAX_NOTE:
        raise CannotMark(f"Anteckningen får ha högst {MAX_NOTE} tecken.")
    return note


def mark_flag(ctx: Context, report_id: str, code: str, actor: str, address: str,
              note: str = "", *, handled: bool = True) -> HandledMark | None:
    """Mark the report's flag ``code`` handled (or open again); CannotMark if it has none."""
    try:
        report = ctx.storage.get_report(report_id)
    except KeyError:
        raise CannotMark(f"Det finns ingen rapport med id {report_id}.") from None
    if not any(flag.code == code for flag in report.flags):
        raise CannotMark(f"Rapport {report_id} har ingen sådan kontrollpunkt.")
    target = flag_target(report_id, code)
    return _mark(ctx, FLAG, target, actor, address, note, handled,
                 ("flag_handled", "flag_reopened"))


def mark_refused(ctx: Context, delivery_id: int, actor: str, address: str, note: str = "",
                 *, handled: bool = True) -> HandledMark | None:
    """Mark a refused delivery (its quarantine number) handled, or open again."""
    if not any(item.id == delivery_id for item in ctx.storage.quarantined()):
        raise CannotMark(f"Det finns ingen avvisad leverans med nummer {delivery_id}.")
    return _mark(ctx, REFUSED, str(delivery_id), actor, address, note, handled,
                 ("refused_handled", "refused_reopened"))


def _mark(ctx: Context, kind: str, target: str, actor: str, address: str, note: str,
          handled: bool, actions: tuple[str, str]) -> HandledMark | None:
    if not handled:
        with audited(ctx, actor, actions[1], target, address):
            ctx.storage.unmark_handled(kind, target)
        return None
    mark = HandledMark(kind, target, actor, dt.datetime.now(dt.UTC), _note(note))
    with audited(ctx, actor, actions[0], target, address, mark.note):
        ctx.storage.mark_handled(mark)
    return mark


def flag_marks(ctx: Context) -> dict[str, HandledMark]:
    return ctx.storage.handled_marks(FLAG)


def open_flags(report: Report, marks: dict[str, HandledMark]) -> list[Flag]:
    """The report's flags nobody has marked handled."""
    return [flag for flag in report.flags
            if flag_target(report.report_id, flag.code) not in marks]


def reports_to_check(reports: Iterable[Report], marks: dict[str, HandledMark]) -> int:
    """How many of the reports still have an open flag («Att kontrollera»)."""
    return sum(1 for report in reports if open_flags(report, marks))


def open_refused(ctx: Context) -> int:
    """Refused deliveries nobody has marked handled."""
    marks = ctx.storage.handled_marks(REFUSED)
    return sum(1 for item in ctx.storage.quarantined() if str(item.id) not in marks)
