"""Standard Webhooks v1 verification against signatures made by the official libraries."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import standardwebhooks.webhooks
import svix.webhooks
from webhook_helpers import OLD_SECRET, SECRET

from besoksrapport.reception.signing import sign
from webhook.signature import SignatureError, Verifier

BODY = '{"type":"visit_report.submitted","data":{"å":"ä"}}'.encode()
NOW = 1_790_000_000


def headers(signature: str, *, webhook_id: str = "msg_1", timestamp: int = NOW) -> dict:
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature}


def std_sign(secret: str, webhook_id: str = "msg_1", timestamp: int = NOW,
             body: bytes = BODY) -> str:
    return standardwebhooks.webhooks.Webhook(secret).sign(
        webhook_id, datetime.fromtimestamp(timestamp, UTC), body.decode())


def test_standardwebhooks_signature_is_accepted():
    assert Verifier([SECRET]).verify(headers(std_sign(SECRET)), BODY, NOW) == "msg_1"


def test_svix_signature_with_svix_header_names_is_accepted():
    signature = svix.webhooks.Webhook(SECRET).sign("msg_2", datetime.fromtimestamp(NOW, UTC),
                                                   BODY.decode())
    sent = {"svix-id": "msg_2", "svix-timestamp": str(NOW), "svix-signature": signature}
    assert Verifier([SECRET]).verify(sent, BODY, NOW) == "msg_2"


def test_our_signer_matches_the_official_library():
    assert sign(SECRET, "msg_1", NOW, BODY) == std_sign(SECRET)


def test_old_secret_still_passes_during_rotation():
    verifier = Verifier([SECRET, OLD_SECRET])
    assert verifier.verify(headers(std_sign(OLD_SECRET)), BODY, NOW) == "msg_1"


def test_any_of_several_listed_signatures_may_match():
    listed = f"v1a,c29tZXRoaW5nIGVsc2U= {std_sign(OLD_SECRET)} {std_sign(SECRET)}"
    assert Verifier([SECRET]).verify(headers(listed), BODY, NOW) == "msg_1"


@pytest.mark.parametrize(("tamper", "reason"), [
    (lambda h, b: (h, b + b" "), "Ingen v1-signatur stämmer"),
    (lambda h, b: ({**h, "webhook-id": "msg_other"}, b), "Ingen v1-signatur stämmer"),
    (lambda h, b: ({**h, "webhook-timestamp": str(NOW - 1)}, b), "Ingen v1-signatur stämmer"),
])
def test_changed_body_id_or_timestamp_fails(tamper, reason):
    sent, body = tamper(headers(std_sign(SECRET)), BODY)
    with pytest.raises(SignatureError, match=reason):
        Verifier([SECRET]).verify(sent, body, NOW)


def test_unknown_secret_fails():
    with pytest.raises(SignatureError, match="Ingen v1-signatur stämmer med någon av de "
                                             "inställda hemligheterna"):
        Verifier([SECRET]).verify(headers(std_sign(OLD_SECRET)), BODY, NOW)


def test_timestamp_more_than_five_minutes_old_fails():
    sent = headers(std_sign(SECRET, timestamp=NOW - 301), timestamp=NOW - 301)
    with pytest.raises(SignatureError, match="mer än 5 minuter gammal"):
        Verifier([SECRET]).verify(sent, BODY, NOW)


def test_timestamp_more_than_five_minutes_ahead_fails():
    sent = headers(std_sign(SECRET, timestamp=NOW + 301), timestamp=NOW + 301)
    with pytest.raises(SignatureError, match="mer än 5 minuter fram i tiden"):
        Verifier([SECRET]).verify(sent, BODY, NOW)


def test_timestamp_at_the_edge_of_the_tolerance_passes():
    for moment in (NOW - 300, NOW + 300):
        sent = headers(std_sign(SECRET, timestamp=moment), timestamp=moment)
        assert Verifier([SECRET]).verify(sent, BODY, NOW) == "msg_1"


@pytest.mark.parametrize(("sent", "reason"), [
    ({}, "HTTP-huvudena webhook-id, webhook-timestamp och webhook-signature saknas"),
    ({"webhook-id": "msg_1", "webhook-timestamp": str(NOW)},
     "HTTP-huvudet webhook-signature saknas"),
    (headers("v1,AAAA", webhook_id="has space"), "webhook-id ska bestå av synliga ASCII-tecken"),
    (headers("v1,AAAA", webhook_id="x" * 257), "webhook-id ska bestå av synliga ASCII-tecken"),
    ({**headers("v1,AAAA"), "webhook-timestamp": "1.5e9"},
     "webhook-timestamp ska vara ett helt antal sekunder"),
    ({**headers("v1,AAAA"), "webhook-timestamp": "-5"},
     "webhook-timestamp ska vara ett helt antal sekunder"),
    (headers("AAAA"), "webhook-signature ska bestå av poster"),
    (headers("v1,"), "webhook-signature ska bestå av poster"),
    (headers("v1,not base64!"), "v1-värde som inte är giltig base64"),
    (headers("v1a,AAAA"), "webhook-signature har ingen v1-signatur"),
])
def test_malformed_headers_are_refused_with_the_reason(sent, reason):
    with pytest.raises(SignatureError, match=reason):
        Verifier([SECRET]).verify(sent, BODY, NOW)


def test_verification_uses_the_current_clock_by_default_in_the_app():
    # The app passes time.time(); a signature made now verifies now.
    now = int(time.time())
    sent = headers(std_sign(SECRET, timestamp=now), timestamp=now)
    assert Verifier([SECRET]).verify(sent, BODY, time.time()) == "msg_1"
