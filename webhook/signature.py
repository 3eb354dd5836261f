"""Standard Webhooks v1 signature verification, over the raw body, before any parsing.

The sender signs ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256 under a
``whsec_<base64>`` secret and sends ``webhook-signature: v1,<base64> [v1,<base64> …]``.
We accept any listed v1 signature that matches any configured secret (key rotation: both
the old and the new secret are configured for a while), compare in constant time and allow
five minutes of clock difference either way. Svix sends the same headers named ``svix-*``;
those names are accepted too. Every problem raises ``SignatureError`` with a precise reason,
a Swedish sentence (the platform may show it as the problem's detail).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from collections.abc import Iterable
from typing import Protocol

from besoksrapport.reception.signing import decode_secret, mac
from besoksrapport.swedish import enumeration

TOLERANCE_SECONDS = 5 * 60
MAX_ID_LENGTH = 256
_ID = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII without spaces
_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")


class Headers(Protocol):
    """Request headers looked up by name (a dict, or werkzeug's case-insensitive Headers)."""

    def get(self, key: str) -> str | None: ...


class SignatureError(Exception):
    """The request is not proven to come from the platform; ``str()`` says why."""


def _header(headers: Headers, name: str) -> str | None:
    value = headers.get(f"webhook-{name}")
    return value if value is not None else headers.get(f"svix-{name}")


class Verifier:
    """Checks deliveries against the configured secrets (decoded once)."""

    def __init__(self, secrets: Iterable[str], tolerance: int = TOLERANCE_SECONDS):
        self._keys = tuple(decode_secret(secret) for secret in secrets)
        if not self._keys:
            raise ValueError("at least one webhook secret is required")
        self.tolerance = tolerance

    def verify(self, headers: Headers, body: bytes, now: float) -> str:
        """Return the verified webhook-id, or raise SignatureError."""
        webhook_id = _header(headers, "id")
        timestamp = _header(headers, "timestamp")
        signature = _header(headers, "signature")
        missing = [name for name, value in (("webhook-id", webhook_id),
                                            ("webhook-timestamp", timestamp),
                                            ("webhook-signature", signature)) if not value]
        if missing or webhook_id is None or timestamp is None or signature is None:
            raise SignatureError(f"HTTP-huvudet {missing[0]} saknas." if len(missing) == 1
                                 else f"HTTP-huvudena {enumeration(missing)} saknas.")
        if len(webhook_id) > MAX_ID_LENGTH or not _ID.match(webhook_id):
            raise SignatureError("webhook-id ska bestå av synliga ASCII-tecken utan mellanslag, "
                                 f"högst {MAX_ID_LENGTH} tecken.")
        if not _TIMESTAMP.match(timestamp):
            raise SignatureError("webhook-timestamp ska vara ett helt antal sekunder sedan "
                                 "den 1 januari 1970 (UTC).")
        age = now - int(timestamp)
        if age > self.tolerance:
            raise SignatureError("webhook-timestamp är mer än 5 minuter gammal.")
        if age < -self.tolerance:
            raise SignatureError("webhook-timestamp ligger mer än 5 minuter fram i tiden.")

        candidates = []
        for entry in signature.split():
            version, comma, value = entry.partition(",")
            if not comma or not version or not value:
                raise SignatureError("webhook-signature ska bestå av poster som ”v1,<base64>”, "
                                     "åtskilda av mellanslag.")
            if version != "v1":
                continue  # other schemes (e.g. v1a) may be listed; we use v1
            try:
                candidates.append(base64.b64decode(value, validate=True))
            except (binascii.Error, ValueError):
                raise SignatureError("webhook-signature har ett v1-värde som inte är "
                                     "giltig base64.") from None
        if not candidates:
            raise SignatureError("webhook-signature har ingen v1-signatur.")

        matched = False
        for key in self._keys:
            expected = mac(key, webhook_id, timestamp, body)
            for candidate in candidates:
                matched |= hmac.compare_digest(expected, candidate)
        if not matched:
            raise SignatureError("Ingen v1-signatur stämmer med någon av de inställda "
                                 "hemligheterna.")
        return webhook_id
