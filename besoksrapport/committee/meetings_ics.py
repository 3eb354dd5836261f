"""Meeting dates from an iCalendar file exported from the secretary's own calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from besoksrapport.errors import ConfigError
from besoksrapport.failure_reasons import os_reason
from besoksrapport.swedish import STOCKHOLM


def meetings_from_ics(path: Path, *, source: str, field: str) -> set[dt.date]:
    """Every event's start date (Stockholm), except cancelled ones.

    Each event in the file is taken as one sammanträde: export the committee's meeting
    calendar, not a personal one. Recurring events are not expanded (meeting calendars
    list each meeting on its own).
    """
    import icalendar  # only for a committee with a calendar file: commands start fast

    try:
        calendar = icalendar.Calendar.from_ical(Path(path).read_bytes())
    except FileNotFoundError:
        raise ConfigError(f"iCalendar-filen {path} finns inte", source=source,
                          field=field) from None
    except OSError as error:
        raise ConfigError(f"iCalendar-filen {path} går inte att läsa: {os_reason(error)}",
                          source=source, field=field) from None
    except ValueError:
        raise ConfigError(f"filen {path} är inte en giltig iCalendar-fil", source=source,
                          field=field) from None
    days: set[dt.date] = set()
    for event in calendar.walk("VEVENT"):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start = event.get("DTSTART")
        if start is None:
            continue
        value = start.dt
        if isinstance(value, dt.datetime):
            value = (value.replace(tzinfo=STOCKHOLM) if value.tzinfo is None
                     else value.astimezone(STOCKHOLM)).date()
        days.add(value)
    return days
