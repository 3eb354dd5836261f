"""Gallring: removing what the municipality's dokumenthanteringsplan says may go, by age.

Each method finds the records of one kind older than a cut-off and, unless ``dry_run``,
removes them in one transaction; it returns their ids (never their content). The reports
themselves, their documents and folders are never touched here.
"""

from __future__ import annotations

import json
from datetime import datetime

from besoksrapport.storage.sqlite.database import Database, iso

# What a withdrawn report keeps of its raw body after gallring: what its listing shows.
KEPT_ANSWERS = ("operation", "unit", "visit_date", "start_time", "end_time", "visit_kind",
                "role")


class Retention(Database):
    """Gallring of refused deliveries, withdrawn reports' bodies, the trail and OeP XML."""

    def purge_quarantine(self, before: datetime, dry_run: bool) -> list[str]:
        """Refused deliveries received before ``before`` (their raw bodies and errors)."""
        with self._write() as conn:
            ids = [str(row["id"]) for row in conn.execute(
                "SELECT id FROM quarantine WHERE received_at < ? ORDER BY id", (iso(before),))]
            if ids and not dry_run:
                conn.execute("DELETE FROM quarantine WHERE received_at < ?", (iso(before),))
                conn.executemany("DELETE FROM handled_marks WHERE kind = 'refused' AND "
                                 "target = ?", [(i,) for i in ids])
            return ids

    def purge_audit(self, before: datetime, dry_run: bool) -> list[str]:
        """Audit entries older than ``before``."""
        with self._write() as conn:
            ids = [str(row["id"]) for row in conn.execute(
                "SELECT id FROM audit_log WHERE at < ? ORDER BY id", (iso(before),))]
            if ids and not dry_run:
                conn.execute("DELETE FROM audit_log WHERE at < ?", (iso(before),))
            return ids

    def purge_oep_xml(self, before: datetime, dry_run: bool) -> list[str]:
        """The XML of Open ePlatform instances read before ``before``; the row stays (it
        says the instance was handled), the envelope in ``reports`` stays the source."""
        with self._write() as conn:
            rows = conn.execute(
                "SELECT flow_instance_id, revision FROM oep_instances WHERE received_at < ? "
                "AND length(xml) > 0 ORDER BY flow_instance_id, revision",
                (iso(before),)).fetchall()
            if rows and not dry_run:
                conn.execute("UPDATE oep_instances SET xml = ? WHERE received_at < ?",
                             (b"", iso(before)))
            return [f"{row['flow_instance_id']}:{row['revision']}" for row in rows]

    def purge_withdrawn_bodies(self, before: datetime, dry_run: bool) -> list[str]:
        """Thin the raw bodies of reports withdrawn before ``before`` to what their listing
        needs (no free text); a body thinned before is left as it is."""
        with self._write() as conn:
            rows = conn.execute(
                "SELECT r.report_id, r.raw_body FROM reports r "
                "JOIN withdrawals w ON w.report_id = r.report_id "
                "WHERE w.withdrawn_at < ? ORDER BY r.report_id", (iso(before),)).fetchall()
            due = [row for row in rows if not is_thinned(bytes(row["raw_body"]))]
            if not dry_run:
                for row in due:
                    conn.execute("UPDATE reports SET raw_body = ? WHERE report_id = ?",
                                 (thinned(bytes(row["raw_body"])), row["report_id"]))
            return [row["report_id"] for row in due]


def is_thinned(raw_body: bytes) -> bool:
    """Whether gallring already cut this body down (it then says ``"thinned": true``)."""
    try:
        return json.loads(raw_body).get("thinned") is True
    except (ValueError, AttributeError):
        return False


def thinned(raw_body: bytes) -> bytes:
    """An envelope with only the facts a withdrawn report's listing shows."""
    envelope = json.loads(raw_body)
    data = envelope.get("data", {})
    answers = data.get("answers", {})
    who = data.get("submitter", {})
    kept = {
        "type": envelope.get("type"), "timestamp": envelope.get("timestamp"), "thinned": True,
        "data": {"submission_id": data.get("submission_id"),
                 "submitted_at": data.get("submitted_at"),
                 "submitter": {"id": who.get("id"), "name": who.get("name")},
                 "answers": {key: answers[key] for key in KEPT_ANSWERS if key in answers}},
    }
    return json.dumps(kept, ensure_ascii=False).encode()
