"""What the outbox's jobs are called in Swedish, for the secretary's commands.

``outbox``, ``process`` and ``move`` name a job by what it does («sparande i mappen för
sammanträdet den 10 december 2026»), never by its code, and its result in words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .swedish import long_date

KINDS = {
    "process_report": "kontroll av rapport",
    "file_meeting": "sparande i sammanträdets mapp",
    "deliver_meeting": "överföring till dokumentsystemet",
    "notify_report": "e-post till sekreteraren",
    "notify_digest": "daglig sammanfattning till sekreteraren",
    "notify_recount": "e-post till sekreteraren om ändrad räkning av besök",
    # Open ePlatform's callbacks (the oep package); their payload names the ärende.
    "oep_confirm_delivery": "leveransbesked till Open ePlatform",
    "oep_set_status": "status i Open ePlatform",
    "oep_add_message": "meddelande till kontaktpolitikern i Open ePlatform",
}
# What a job is about: a meeting's jobs name the meeting, a report's the report.
ABOUT_MEETING = {
    "file_meeting": "sparande i mappen för sammanträdet den {day}",
    "deliver_meeting": "överföring till dokumentsystemet för sammanträdet den {day}",
}
ABOUT_REPORT = {
    "process_report": "kontroll av rapport {report_id}",
    "notify_report": "e-post till sekreteraren om rapport {report_id}",
}
RESULTS = {
    "done": "klar",
    "retry": "misslyckades, ett nytt försök görs senare",
    "failed": "misslyckades",
}


def kind_label(kind: str) -> str:
    """«sparande i sammanträdets mapp»; a kind this version does not know, by its code."""
    return KINDS.get(kind, f"uppgiften {kind}")


def job_label(kind: str, payload: dict[str, Any]) -> str:
    """«överföring till dokumentsystemet för sammanträdet den 10 december 2026»."""
    day = payload.get("meeting_date")
    if kind in ABOUT_MEETING and isinstance(day, str):
        try:
            return ABOUT_MEETING[kind].format(day=long_date(dt.date.fromisoformat(day)))
        except ValueError:
            pass
    report_id = payload.get("report_id")
    if kind in ABOUT_REPORT and isinstance(report_id, str):
        return ABOUT_REPORT[kind].format(report_id=report_id)
    if "flow_instance_id" in payload:
        about = f"{kind_label(kind)} för ärende {payload['flow_instance_id']}"
        return f"{about}, rapport {report_id}" if isinstance(report_id, str) else about
    return kind_label(kind)


def result_label(result: str) -> str:
    return RESULTS.get(result, result)

