"""The two period forms (compensation, follow-up): their defaults and reading them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from besoksrapport.outbox.context import Context
from besoksrapport.secretary.exports import longest_period
from besoksrapport.swedish import STOCKHOLM, number

FORMATS = {"compensation": ("csv", "xlsx"), "follow_up": ("docx", "csv")}


@dataclass
class PeriodForm:
    """What the form shows: the values and, after a bad submission, the errors by field."""

    first: str
    last: str
    format: str
    errors: dict[str, str] = field(default_factory=dict)


def period_forms(ctx: Context, today: dt.date | None = None) -> dict[str, PeriodForm]:
    """The forms' defaults: for the payroll the current calendar year (in December the
    payroll is made for the year ending), or last year in its first month, when the payroll
    of the year just ended is still to be made; the mandate period for the follow-up."""
    today = today or dt.datetime.now(STOCKHOLM).date()
    year = today.year - 1 if today.month == 1 else today.year
    mandate = ctx.committee.mandate_period
    first, last = (mandate.start, mandate.end) if mandate else (dt.date(year, 1, 1),
                                                                dt.date(year, 12, 31))
    return {"compensation": PeriodForm(f"{year}-01-01", f"{year}-12-31", "csv"),
            "follow_up": PeriodForm(first.isoformat(), last.isoformat(), "docx")}


def read_period(form: Mapping[str, str], kind: str,
                ctx: Context) -> tuple[PeriodForm, dt.date, dt.date]:
    """The submitted form and its dates; check ``errors`` before using the dates.

    A period longer than a mandate period and a margin (``exports.longest_period``) is
    refused: the export runs in a process of its own, which this bound keeps short.
    """
    values = PeriodForm(form.get("fran", "").strip(), form.get("till", "").strip(),
                        form.get("format", ""))
    dates: dict[str, dt.date] = {}
    for name, text, label in (("fran", values.first, "Från och med"),
                              ("till", values.last, "Till och med")):
        try:
            dates[name] = dt.date.fromisoformat(text)
        except ValueError:
            values.errors[name] = (f"{label}: skriv ett datum som ÅÅÅÅ-MM-DD, "
                                   "till exempel 2026-01-01.")
    if values.format not in FORMATS[kind]:
        values.errors["format"] = "Välj ett av filformaten."
    longest = longest_period(ctx)
    if len(dates) == 2 and dates["till"] - dates["fran"] > longest:
        values.errors["till"] = (f"Perioden får vara högst {number(longest.days)} dagar (en "
                                 "mandatperiod och ett års marginal). Välj en kortare period.")
    fallback = dt.date(1970, 1, 1)
    return values, dates.get("fran", fallback), dates.get("till", fallback)
