"""Deliveries as the platform sends them: a valid envelope, signing, settings for a server."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from envelopes import example_envelope
from standardwebhooks.webhooks import Webhook

from besoksrapport.paths import EXAMPLE_CONFIG

SECRET = "whsec_" + "dGVzdC1zZWNyZXQtZm9yLXRoZS13ZWJob29rLXRlc3Rz"
OLD_SECRET = "whsec_" + "b2xkLXNlY3JldC1iZWZvcmUtdGhlLXJvdGF0aW9uLTE="
PATH = "/webhooks/visit-reports"


def envelope_for(submission_id: str | None = None) -> dict:
    envelope = example_envelope()
    envelope["data"]["submission_id"] = submission_id or f"oep-{uuid.uuid4().hex[:10]}"
    return envelope


def body_of(envelope: dict) -> bytes:
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def signed_headers(body: bytes, *, secret: str = SECRET, webhook_id: str | None = None,
                   timestamp: int | None = None) -> dict[str, str]:
    """Headers as the official standardwebhooks library makes them (the platform's way)."""
    webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = Webhook(secret).sign(webhook_id, datetime.fromtimestamp(timestamp, UTC),
                                     body.decode("utf-8"))
    return {"content-type": "application/json", "webhook-id": webhook_id,
            "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def committee_config(path: Path, meetings: list[date] | None = None,
                     deadline: tuple[int, str] = (7, "12:00"), **replace: str) -> Path:
    """The example committee configuration with meeting dates the tests choose.

    By default the meetings lie 20, 50 and 80 days ahead, so tests do not age with the
    example file's calendar. ``replace`` swaps further lines (old text → new text).
    """
    today = datetime.now(UTC).date()
    if meetings is None:
        meetings = [today + timedelta(days=n) for n in (20, 50, 80)]
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    dates = ", ".join(f'"{day.isoformat()}"' for day in meetings)
    text = re.sub(r"(?ms)^dates = \[.*?\]$", f"dates = [{dates}]", text, count=1)
    text = re.sub(r"(?m)^days_before = .*$", f"days_before = {deadline[0]}", text, count=1)
    text = re.sub(r'(?m)^time = ".*"$', f'time = "{deadline[1]}"', text, count=1)
    for old, new in replace.items():
        text = text.replace(old, new)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def environment(data_dir: Path, **extra: str) -> dict[str, str]:
    config = extra.get("BESOKSRAPPORT_CONFIG") or \
        committee_config(Path(data_dir).parent / "generated-committee.toml")
    return {
        "BESOKSRAPPORT_DATA_DIR": str(data_dir),
        "BESOKSRAPPORT_CONFIG": str(config),
        "BESOKSRAPPORT_WEBHOOK_SECRETS": f"{SECRET} {OLD_SECRET}",
        **extra,
    }
