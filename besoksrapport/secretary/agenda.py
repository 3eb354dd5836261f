"""A meeting's kallelse text as the secretary pastes it (page and ``besoksrapport agenda``).

It lists what is published: withdrawn reports and reports held for review are not in the
Förteckning, so they are not in the kallelse either; the secretary is told of them apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.filing.agenda import agenda_text
from besoksrapport.outbox.context import Context
from besoksrapport.privacy.review import public_reports


@dataclass(frozen=True)
class Agenda:
    text: str
    count: int  # reports in it
    left_out: list[str]  # report ids withdrawn or held for review


def meeting_agenda(ctx: Context, day: dt.date) -> Agenda:
    reports = ctx.storage.reports_for_meeting(day)
    public = public_reports(ctx.storage, reports, hold=ctx.settings.hold_personal_data)
    shown = {report.report_id for report in public}
    text = agenda_text(ctx.committee, day, public, ctx.storage.meeting_diary_number(day))
    return Agenda(text, len(public),
                  [report.report_id for report in reports if report.report_id not in shown])
