"""``besoksrapport send-example``: sign an example report the way the platform does and post it.

After ``make run`` this shows the whole path working in one command. The bundled example
gets a fresh submission_id and today's timestamps on every run, so each run files a new
report. A file the user names (``--file``) is sent exactly as it is, byte for byte, so an
invalid example is answered as invalid; ``--fresh`` gives it a new id and today's times too.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from besoksrapport.failure_reasons import os_reason
from besoksrapport.paths import EXAMPLES_DIR
from besoksrapport.reception.signing import sign
from besoksrapport.settings import PREFIX, parse_secrets

DEFAULT_URL = "http://127.0.0.1:8000/webhooks/visit-reports"
DEFAULT_FILE = EXAMPLES_DIR / "valid" / "minimal.json"
# The webhook's statuses (README, «The webhook contract») in words.
ANSWERS = {
    200: "rapporten var redan mottagen",
    201: "rapporten togs emot",
    400: "innehållet är inte giltig JSON",
    401: "signaturen godtogs inte",
    413: "innehållet är för stort",
    415: "innehållet är inte JSON",
    422: "rapporten innehåller fel",
    503: "tjänsten är tillfälligt otillgänglig",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "send-example",
        help="signera en exempelrapport som e-tjänsten gör och skicka den till webhooken",
        description="Signera ett exempel på ett inskick med den första hemligheten i "
                    f"{PREFIX}WEBHOOK_SECRETS och skicka det; visar svaret.",
    )
    parser.add_argument("--url", default=DEFAULT_URL, metavar="ADRESS",
                        help=f"webhookens adress (standard: {DEFAULT_URL})")
    parser.add_argument("--file", type=Path, default=None, metavar="FIL",
                        help="skicka den här filen precis som den är (standard: "
                             "schemas/examples/valid/minimal.json med nytt id och dagens tider)")
    parser.add_argument("--fresh", action="store_true",
                        help="ge också filen från --file ett nytt id och dagens tider")
    parser.set_defaults(func=run)


def fresh_envelope(path: Path) -> dict:
    """The example with a new submission id and today's timestamps."""
    envelope = json.loads(path.read_text(encoding="utf-8"))
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    envelope["timestamp"] = now
    envelope["data"]["submission_id"] = f"example-{uuid.uuid4().hex[:12]}"
    envelope["data"]["submitted_at"] = now
    return envelope


def _body(path: Path | None, fresh: bool) -> bytes | None:
    """What to send: the bundled example made fresh, or the user's file (fresh if asked)."""
    if path is None:
        return json.dumps(fresh_envelope(DEFAULT_FILE), ensure_ascii=False).encode("utf-8")
    try:
        if not fresh:
            return path.read_bytes()
        envelope = fresh_envelope(path)
    except OSError as error:
        print(f"Filen {path} går inte att läsa: {os_reason(error)}.")
        return None
    except (ValueError, TypeError, KeyError, AttributeError):
        print(f"Filen {path} är inte ett inskick som kan få nya tider; skicka den utan "
              "--fresh.")
        return None
    return json.dumps(envelope, ensure_ascii=False).encode("utf-8")


def run(args: argparse.Namespace) -> int:
    import requests

    secret = parse_secrets(os.environ.get(PREFIX + "WEBHOOK_SECRETS"))[0]
    body = _body(args.file, args.fresh)
    if body is None:
        return 1
    webhook_id = f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }
    try:
        response = requests.post(args.url, data=body, headers=headers, timeout=30)
    except requests.ConnectionError:
        print(f"Ingen server svarar på {args.url}. Starta den med ”make run”.")
        return 1
    meaning = ANSWERS.get(response.status_code)
    print(f"HTTP {response.status_code}" + (f": {meaning}" if meaning else ""))
    try:
        print(json.dumps(response.json(), ensure_ascii=False, indent=2))
    except ValueError:
        print(response.text)
    return 0 if response.ok else 1
