"""Load the committee configuration (TOML) and check it against its schema.

A mistake stops start-up with the file, the field and what is wrong, in one Swedish line,
e.g. «Konfigurationsfel i examples/committee.toml, fältet deadline.days_before: värdet -1 är
mindre än det minsta tillåtna, 0.» (``config_messages`` words jsonschema's findings).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from besoksrapport.committee.config_messages import config_problem, toml_problem
from besoksrapport.committee.meetings_ics import meetings_from_ics
from besoksrapport.committee.model import (
    Committee,
    DeadlineRule,
    DiaryNumberRule,
    Guideline,
    MandatePeriod,
    Politician,
    Proposals,
)
from besoksrapport.committee.oep import oep_config
from besoksrapport.errors import ConfigError
from besoksrapport.failure_reasons import os_reason
from besoksrapport.form.schemas import COMMITTEE_SCHEMA, format_checker, load_schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema(COMMITTEE_SCHEMA),
                                format_checker=format_checker())


def _plain(value: Any) -> Any:
    """TOML gives date objects for unquoted dates; the schema speaks JSON, so use ISO text."""
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _hhmm(value: str | None, default: dt.time) -> dt.time:
    return dt.time.fromisoformat(value) if value else default


def load_committee(path: Path) -> Committee:
    """Read, validate and build the Committee; raises ConfigError naming file and field."""
    source = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("filen finns inte", source=source) from None
    except OSError as error:
        raise ConfigError(f"filen går inte att läsa: {os_reason(error)}",
                          source=source) from None
    except UnicodeDecodeError:
        raise ConfigError("filen är inte text i UTF-8", source=source) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(toml_problem(str(error)), source=source) from None
    data = _plain(raw)
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        field, problem = config_problem(errors[0])
        raise ConfigError(problem, source=source, field=field or None)
    return _build(data, Path(path))


def _build(data: dict[str, Any], path: Path) -> Committee:
    meetings = {dt.date.fromisoformat(day) for day in data["meetings"].get("dates", [])}
    if "ics" in data["meetings"]:
        ics_path = path.parent / data["meetings"]["ics"]
        meetings |= meetings_from_ics(ics_path, source=str(path), field="meetings.ics")
    deadline = data["deadline"]
    secretary = data["secretary"]
    period = data.get("mandate_period")
    mandate = None
    if period:
        mandate = MandatePeriod(dt.date.fromisoformat(period["start"]),
                                dt.date.fromisoformat(period["end"]))
        if mandate.end < mandate.start:
            raise ConfigError("slutdatumet ligger före startdatumet", source=str(path),
                              field="mandate_period")
    politicians = tuple(_politician(p, position, path)
                        for position, p in enumerate(data.get("politicians", [])))
    return Committee(
        municipality=data["municipality"],
        name=data["committee"],
        meetings=tuple(sorted(meetings)),
        deadline=DeadlineRule(days_before=deadline["days_before"],
                              at=_hhmm(deadline.get("time"), dt.time(12, 0))),
        secretary_emails=tuple(secretary["emails"]),
        notify=secretary.get("notify", "each"),
        digest_at=_hhmm(secretary.get("digest_time"), dt.time(7, 0)),
        mandate_period=mandate,
        politicians=politicians,
        guideline=_guideline(data.get("guideline", {})),
        diary_number=_diary_number(data.get("diary_number"), path),
        proposals=Proposals(**data.get("proposals", {})),
        oep=oep_config(data.get("oep"), source=str(path)),
    )


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _politician(entry: dict[str, Any], position: int, path: Path) -> Politician:
    person = Politician(id=entry["id"], name=entry["name"], role=entry["role"],
                        operations=tuple(entry["operations"]),
                        appointed=_day(entry.get("appointed")), until=_day(entry.get("until")))
    if person.appointed and person.until and person.until < person.appointed:
        raise ConfigError("”until” ligger före ”appointed”", source=str(path),
                          field=f"politicians[{position}]")
    return person


def _guideline(entry: dict[str, Any]) -> Guideline:
    default = Guideline()
    return Guideline(title=entry.get("title", default.title),
                     adopted=_day(entry.get("adopted")) or default.adopted,
                     paragraph=entry.get("paragraph", default.paragraph))


def _diary_number(entry: dict[str, Any] | None, path: Path) -> DiaryNumberRule | None:
    """The rule, once its pattern compiles and its own example matches it."""
    if entry is None:
        return None
    try:
        re.compile(entry["pattern"])
    except re.error as error:
        where = f" (felet är vid tecken {error.pos + 1})" if error.pos is not None else ""
        raise ConfigError(f"mönstret är inget giltigt reguljärt uttryck{where}",
                          source=str(path), field="diary_number.pattern") from None
    rule = DiaryNumberRule(pattern=entry["pattern"], example=entry["example"])
    if not rule.matches(rule.example):
        raise ConfigError(f"exemplet ”{rule.example}” passar inte mönstret ”{rule.pattern}”",
                          source=str(path), field="diary_number.example")
    return rule
