"""Swedish presentation of dates, times, lists and the fixed labels of the form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)

ROLES = {"ledamot": "Ledamot", "ersattare": "Ersättare"}

VISIT_KINDS = {
    "ordinary": "Ordinarie besök (1–2 per år)",
    "chair_decision": "Besök efter beslut av ordföranden",
}

MET = {
    "staff": "Personal",
    "service_users": "Brukare",
    "management": "Ledning eller chefer",
    "other": "Andra",
}


def enumeration(words: Sequence[str]) -> str:
    """«a», «a och b», «a, b och c»: a list in running Swedish text."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " och " + words[-1]


# «tredje»: small ordinals are written in words in running text.
ORDINAL_WORDS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde",
                 "nionde", "tionde", "elfte", "tolfte")


def ordinal(number: int) -> str:
    """Swedish ordinal in digits: 1:a, 2:a, 3:e … 11:e, 12:e … 21:a, 22:a."""
    suffix = "a" if number % 10 in (1, 2) and number % 100 not in (11, 12) else "e"
    return f"{number}:{suffix}"


def ordinal_word(number: int) -> str:
    """«tredje» up to «tolfte», then in digits («13:e»)."""
    return ORDINAL_WORDS[number - 1] if 1 <= number <= len(ORDINAL_WORDS) else ordinal(number)


def quantity(number: int, one: str, many: str) -> str:
    """«1 rapport», «3 rapporter»: a count and its noun in agreement."""
    return f"{number} {one if number == 1 else many}"


def number(value: int) -> str:
    """«10 000»: Swedish groups thousands with a (non-breaking) space."""
    return f"{value:,}".replace(",", "\u00a0")


def sentence(text: str) -> str:
    """``text`` ending in a full stop, unless it ends in one, a «?» or a «!» already."""
    return text if text.endswith((".", "?", "!")) else text + "."


def capitalized(text: str) -> str:
    """The first letter upper case, the rest as written («Överföring till …»)."""
    return text[:1].upper() + text[1:]


def long_date(day: date) -> str:
    """«10 december 2026»: the form Swedish documents use."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def local(moment: datetime) -> datetime:
    """The moment in Stockholm time; naive datetimes are refused, not guessed."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: a timezone is required")
    return moment.astimezone(STOCKHOLM)


def long_datetime(moment: datetime) -> str:
    """«10 december 2026 kl. 14.05» in Stockholm time."""
    here = local(moment)
    return f"{long_date(here.date())} kl. {here:%H.%M}"


def yes_no(value: bool) -> str:
    return "Ja" if value else "Nej"


# The discussion points of the guideline («Verksamhetsbesök»), in its order, then the free
# field; form field → heading in the report.
DISCUSSION_POINTS = {
    "information_given": "Information om vad som är på gång i nämnden",
    "unit_news": "Vad som är på gång på enheten",
    "operation_raises": "Vad verksamheten vill lyfta upp",
    "strengths_and_challenges": "Enhetens starka sidor, utmaningar och utvecklingsområden",
    "other_observations": "Övriga iakttagelser",
}


def clock(moment: time) -> str:
    """«09.30»: Swedish writes the time of day with a full stop."""
    return f"{moment:%H.%M}"


def time_range(start: time, end: time) -> str:
    """«kl. 09.30–11.00»."""
    return f"kl. {clock(start)}–{clock(end)}"
