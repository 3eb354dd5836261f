"""The period files the secretary asks for: the payroll's basis and the follow-up.

``besoksrapport compensation`` / ``follow-up`` and the secretary's page both call these, so
the files are the same whichever way they were made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from besoksrapport.errors import BesoksrapportError
from besoksrapport.guideline import compensation, followup
from besoksrapport.outbox.context import Context


class PeriodError(BesoksrapportError):
    """A period that cannot be used; the message is Swedish."""


# A mandate period is four years; the secretary's page makes period files for at most one and
# a margin. Without a bound, 0001–9999 read for minutes in the page's export process.
# (The commands, run by whoever runs the service, have none.)
MANDATE_YEARS = 4
MARGIN_YEARS = 1


def longest_period(ctx: Context) -> dt.timedelta:
    """The committee's mandate period (four years if it has none) and a year's margin."""
    mandate = ctx.committee.mandate_period
    years = (mandate.end - mandate.start) if mandate else dt.timedelta(days=366 * MANDATE_YEARS)
    return years + dt.timedelta(days=366 * MARGIN_YEARS)


def _check(first: dt.date, last: dt.date) -> None:
    if last < first:
        raise PeriodError("Periodens sista dag ligger före den första.")


def compensation_files(ctx: Context, first: dt.date, last: dt.date, folder: Path) -> list[Path]:
    """Write «arvodesunderlag_FROM_TO.csv» and «.xlsx» into ``folder``; their paths.

    Reads every calendar year the period touches: a visit's place among the politician's
    yearly one or two depends on the whole year.
    """
    _check(first, last)
    reports = ctx.storage.reports_between(dt.date(first.year, 1, 1), dt.date(last.year, 12, 31))
    rows = compensation.compensation_rows(reports, ctx.committee, first, last)
    counted = {row.report_id for row in rows}
    created = max((r.received_at for r in reports if r.report_id in counted), default=None)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"arvodesunderlag_{first.isoformat()}_{last.isoformat()}"
    return [compensation.write_csv(rows, folder / f"{stem}.csv"),
            compensation.write_xlsx(rows, folder / f"{stem}.xlsx", created=created,
                                    author=ctx.committee.name)]




def follow_up_files(ctx: Context, first: dt.date, last: dt.date, folder: Path) -> list[Path]:
    """Write «uppfoljning_kontaktpolitiker_FROM_TO.docx» and «.csv» into ``folder``."""
    _check(first, last)
    # Whole years: a visit's place in its year's count needs the visits before it.
    reports = ctx.storage.reports_between(dt.date(first.year, 1, 1), dt.date(last.year, 12, 31))
    numbers = followup.follow_up(reports, ctx.committee, first, last)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"uppfoljning_kontaktpolitiker_{first.isoformat()}_{last.isoformat()}"
    document = folder / f"{stem}.docx"
    document.write_bytes(ctx.renderers.follow_up(numbers, ctx.committee))
    return [document, followup.write_csv(numbers, folder / f"{stem}.csv")]
