"""Standard Webhooks v1 signatures: the MAC the platform computes and our verifier checks.

HMAC-SHA256 under a ``whsec_<base64>`` secret over ``{webhook-id}.{webhook-timestamp}.{body}``.
Here, apart from the web app, because ``besoksrapport send-example`` signs as the platform.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from besoksrapport.settings import SECRET_PREFIX


def decode_secret(secret: str) -> bytes:
    body = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(body + "=" * (-len(body) % 4))


def mac(key: bytes, webhook_id: str, timestamp: int | str, body: bytes) -> bytes:
    return hmac.new(key, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature the platform sends (for send-example and tests)."""
    return "v1," + base64.b64encode(mac(decode_secret(secret), webhook_id, timestamp,
                                        body)).decode("ascii")
