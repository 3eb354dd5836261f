"""The quarantine: correctly signed deliveries that failed validation, kept for the secretary.

They are answered as invalid, so the platform will not send them again as they were; what
was sent and why it was refused stays here for a person to look at.
"""

from __future__ import annotations

import json
from datetime import datetime

from besoksrapport.errors import ValidationIssue, capped_issues
from besoksrapport.storage.protocol import QuarantinedDelivery
from besoksrapport.storage.sqlite.database import Database, iso


class Quarantine(Database):
    """The ``quarantine`` table."""

    def record_quarantine(self, webhook_id: str, raw_body: bytes,
                          issues: list[ValidationIssue], received_at: datetime) -> None:
        """Keep an authenticated but invalid delivery; a redelivery is kept once."""
        errors_json = json.dumps([issue.as_dict() for issue in capped_issues(issues)],
                                 ensure_ascii=False)
        with self._write() as conn:
            conn.execute("INSERT INTO quarantine (webhook_id, received_at, raw_body, errors_json) "
                         "VALUES (?, ?, ?, ?) ON CONFLICT (webhook_id) DO NOTHING",
                         (webhook_id, iso(received_at), raw_body, errors_json))

    def quarantined(self) -> list[QuarantinedDelivery]:
        return [QuarantinedDelivery(
            id=row["id"], webhook_id=row["webhook_id"],
            received_at=datetime.fromisoformat(row["received_at"]),
            raw_body=bytes(row["raw_body"]), errors=json.loads(row["errors_json"]),
        ) for row in self._read("SELECT * FROM quarantine ORDER BY id")]
