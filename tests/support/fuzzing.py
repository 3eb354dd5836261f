"""Hostile deliveries for the fuzz runs: hypothesis strategies and raw-byte signing.

Correctly signed (the signature is made over whatever bytes are sent, the way the platform
signs), so every body gets past the signature check and reaches parsing and validation.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from envelopes import example_envelope
from hypothesis import strategies as st
from webhook_helpers import SECRET

# Any character, lone surrogates included (json.dumps writes them as \\udXXX escapes).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
EXTREME_MOMENTS = st.sampled_from([
    "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00Z", "9999-12-31T23:59:59-14:00",
    "0001-01-01", "9999-12-31", "1999-12-31T23:30:00-01:00", "2100-01-01T00:00:00+14:00",
    "2026-02-30", "2026-13-01T00:00:00Z", "24:00", "09.60", "",
])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False,
                                                                 allow_infinity=False)
           | ANY_TEXT | EXTREME_MOMENTS
           | st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat())
           | st.dates().map(lambda day: day.isoformat()))
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(ANY_TEXT, inner, max_size=5), max_leaves=30)
DEEP = st.builds(lambda depth, brackets: brackets[0] * depth + brackets[1] * depth,
                 st.integers(1, 20_000), st.sampled_from(["[]", ("{\"a\":", "}")]))


def sign(body: bytes, secret: str = SECRET) -> dict[str, str]:
    """Standard Webhooks v1 headers over the raw bytes (valid or not as UTF-8)."""
    webhook_id = f"msg_{uuid.uuid4().hex}"
    timestamp = str(int(time.time()))
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = webhook_id.encode() + b"." + timestamp.encode() + b"." + body
    digest = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {"content-type": "application/json", "webhook-id": webhook_id,
            "webhook-timestamp": timestamp, "webhook-signature": f"v1,{digest}"}


def _paths(node: Any, at: tuple = ()) -> list[tuple]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*at, index))
    return found


@st.composite
def mutated_envelopes(draw: st.DrawFn) -> Any:
    """The example envelope with a few values replaced or keys added, anywhere in it."""
    envelope = copy.deepcopy(example_envelope())
    envelope["data"]["submission_id"] = f"oep-{uuid.uuid4().hex[:10]}"
    for _ in range(draw(st.integers(0, 4))):  # 0: the valid envelope as it is
        paths = _paths(envelope)
        path = draw(st.sampled_from(paths))
        value = draw(JSON)
        if not path:
            return value
        parent = envelope
        for token in path[:-1]:
            parent = parent[token]
        if isinstance(parent, dict) and draw(st.booleans()):
            parent[draw(ANY_TEXT)] = value  # a new key beside it
        else:
            parent[path[-1]] = value
    return envelope


def body_bytes(value: Any) -> bytes:
    return json.dumps(value).encode("ascii")  # surrogates as escapes, as JSON allows
