"""The one registry of the outbox's jobs: each package declares its kinds, runtime joins them.

A ``JobKind`` is a job's name, its handler and how the secretary reads it in Swedish («sparande
i mappen för sammanträdet den 10 december 2026»), never by its code. A name is written once,
beside its handler; the commands and the page ask the registry for the words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from besoksrapport.storage import Job
from besoksrapport.swedish import long_date

# A job's handler, called as ``handler(job, ctx)`` with the ``outbox.context.Context``.
Handler = Callable[[Job, Any], None]
About = Callable[[dict[str, Any]], str | None]

RESULTS = {
    "done": "klar",
    "retry": "misslyckades, ett nytt försök görs senare",
    "failed": "misslyckades",
}


@dataclass(frozen=True)
class JobKind:
    """One kind of job: its name in the outbox, its handler and its Swedish label.

    ``about`` names what one job is about from its payload (a meeting, a report, an
    ärende), or None when the payload does not say. A ``debounced`` kind waits for a burst
    of requests to end (``Storage.debounce``); a run of the outbox that was asked for
    (``run_pending(hurry=True)``: the commands, the secretary's page) does not wait.
    """

    name: str
    handler: Handler
    label: str
    about: About | None = None
    debounced: bool = False


def about_meeting(template: str) -> About:
    """«… för sammanträdet den {day}», from the payload's ``meeting_date``."""
    def about(payload: dict[str, Any]) -> str | None:
        day = payload.get("meeting_date")
        if not isinstance(day, str):
            return None
        try:
            return template.format(day=long_date(dt.date.fromisoformat(day)))
        except ValueError:
            return None
    return about


def about_report(template: str) -> About:
    """«… om rapport {report_id}», from the payload's ``report_id``."""
    def about(payload: dict[str, Any]) -> str | None:
        report_id = payload.get("report_id")
        return template.format(report_id=report_id) if isinstance(report_id, str) else None
    return about


class JobRegistry:
    """Every kind of job this version runs, by name."""

    def __init__(self, kinds: Iterable[JobKind]):
        self._kinds: dict[str, JobKind] = {}
        for kind in kinds:
            if kind.name in self._kinds:
                raise ValueError(f"job kind {kind.name} declared twice")
            self._kinds[kind.name] = kind

    @property
    def handlers(self) -> Mapping[str, Handler]:
        return {name: kind.handler for name, kind in self._kinds.items()}

    @property
    def debounced(self) -> tuple[str, ...]:
        return tuple(name for name, kind in self._kinds.items() if kind.debounced)

    @property
    def labels(self) -> Mapping[str, str]:
        return {name: kind.label for name, kind in self._kinds.items()}

    def kind_label(self, name: str) -> str:
        """«sparande i sammanträdets mapp»; a kind this version does not know, by its code."""
        kind = self._kinds.get(name)
        return kind.label if kind is not None else f"uppgiften {name}"

    def job_label(self, name: str, payload: dict[str, Any]) -> str:
        """«överföring till dokumentsystemet för sammanträdet den 10 december 2026»."""
        kind = self._kinds.get(name)
        about = kind.about(payload) if kind is not None and kind.about is not None else None
        return about or self.kind_label(name)


def result_label(result: str) -> str:
    return RESULTS.get(result, result)
