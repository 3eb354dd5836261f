"""Every problem the webhook can answer is Swedish: the platform may show it to the politician.

Each answer is made the real way through the app (a body that is not JSON, each broken
signature header, a body over the limit, a data folder gone, …; the locked database's 503
is tests/webhook/test_app.py's, its texts are its problem type's); only the unexpected error
(500) needs a stand-in, since no real input makes the code fail: ``receive`` is replaced by
one that raises, and the test says so.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest
from english import english_words
from webhook_helpers import PATH, SECRET, body_of, envelope_for, environment, signed_headers

from besoksrapport.paths import EXAMPLES_DIR
from besoksrapport.reception.signing import sign
from webhook import create_app, problems, routes

WRONG_SECRET = "whsec_" + "QUFBQUFBQUFBQUFBQUFBQQ=="


def texts_of(response) -> list[str]:
    """The title, the detail and every error message of a problem answer."""
    assert response.mimetype == "application/problem+json", response.data
    problem = response.get_json(force=True)
    return [problem["title"], problem["detail"],
            *(error["message"] for error in problem.get("errors", []))]


def assert_swedish(answers: dict[str, list[str]]) -> None:
    found = {case: english_words(" ".join(texts)) for case, texts in answers.items()}
    assert {case: words for case, words in found.items() if words} == {}


def test_every_problem_type_has_a_swedish_title_and_detail():
    assert_swedish({kind.slug: [kind.title, kind.detail] for kind in problems.ALL})


def signed(body: bytes, change=lambda headers: headers) -> dict[str, str]:
    return change(signed_headers(body))


def signed_bytes(body: bytes) -> dict[str, str]:
    """Signed as the platform signs, for a body that need not be UTF-8 (our own signer)."""
    webhook_id, timestamp = "msg_bytes", int(time.time())
    return {"content-type": "application/json", "webhook-id": webhook_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(SECRET, webhook_id, timestamp, body)}


SIGNATURE_CASES = {
    "no headers": lambda h: {"content-type": "application/json"},
    "no signature": lambda h: {k: v for k, v in h.items() if k != "webhook-signature"},
    "id with a space": lambda h: {**h, "webhook-id": "msg 1"},
    "timestamp not a number": lambda h: {**h, "webhook-timestamp": "yesterday"},
    "timestamp too old": lambda h: {**h, "webhook-timestamp": str(int(time.time()) - 600)},
    "timestamp in the future": lambda h: {**h, "webhook-timestamp": str(int(time.time()) + 600)},
    "signature without version": lambda h: {**h, "webhook-signature": "garbage"},
    "signature not base64": lambda h: {**h, "webhook-signature": "v1,%%%"},
    "no v1 signature": lambda h: {**h, "webhook-signature": "v1a,AAAA"},
}


def test_every_refused_delivery_is_explained_in_swedish(client):
    body = body_of(envelope_for())
    answers = {case: client.post(PATH, data=body, headers=signed(body, change))
               for case, change in SIGNATURE_CASES.items()}
    answers["wrong secret"] = client.post(PATH, data=body,
                                          headers=signed_headers(body, secret=WRONG_SECRET))
    for case, raw in {"not json": b'{"type": ', "not utf-8": b'{"x": "\xff"}',
                      "NaN": b'{"x": NaN}'}.items():
        answers[case] = client.post(PATH, data=raw, headers=signed_bytes(raw))
    for case, media_type in {"text": "text/plain", "latin-1": "application/json; charset=latin-1",
                             "none": ""}.items():
        headers = {**signed_headers(body), "content-type": media_type}
        answers[f"media type {case}"] = client.post(PATH, data=body, headers=headers)
    answers["unknown path"] = client.get("/finns-inte")
    answers["wrong method"] = client.get(PATH)
    assert [answer.status_code for answer in answers.values()] == \
        [401] * 10 + [400] * 3 + [415] * 3 + [404, 405]
    assert_swedish({case: texts_of(answer) for case, answer in answers.items()})
    assert texts_of(answers["not json"])[1] == \
        "Innehållet går inte att läsa som JSON (fel på rad 1, kolumn 10)."
    assert texts_of(answers["not utf-8"])[1] == "Innehållet är inte text i UTF-8 (byte nummer 8)."
    assert texts_of(answers["media type none"])[1] == \
        "Content-Type måste vara application/json (UTF-8), men saknas."


@pytest.mark.parametrize("path", sorted((EXAMPLES_DIR / "invalid").glob("*.json")),
                         ids=lambda path: path.stem)
def test_every_invalid_example_is_refused_with_swedish_texts(client, path):
    body = path.read_bytes()
    answer = client.post(PATH, data=body, headers=signed_headers(body))
    assert answer.status_code == 422
    assert_swedish({path.name: texts_of(answer)})


def test_a_body_over_the_limit_is_refused_in_swedish(tmp_path):
    app = create_app(environment(tmp_path, BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_MAX_BODY_BYTES="1000"))
    body = body_of(envelope_for()) + b" " * 1000
    answer = app.test_client().post(PATH, data=body, headers=signed_headers(body))
    assert answer.status_code == 413
    assert_swedish({"too large": texts_of(answer)})


def test_a_service_that_is_not_ready_says_why_in_swedish(tmp_path):
    app = create_app(environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false"))
    storage = app.extensions["besoksrapport"].ctx.storage
    storage.ping()  # the connection stays open while the folder goes
    shutil.rmtree(tmp_path / "data")
    unwritable = app.test_client().get("/readyz")
    storage.close()
    (tmp_path / "data").write_text("inte en mapp")
    unreachable = app.test_client().get("/readyz")
    assert [unwritable.status_code, unreachable.status_code] == [503] * 2
    assert texts_of(unwritable)[1] == "Det går inte att skriva i datamappen."
    assert texts_of(unreachable)[1] == "Databasen går inte att nå."
    assert_swedish({"unwritable": texts_of(unwritable), "unreachable": texts_of(unreachable)})


def test_an_unexpected_error_is_explained_in_swedish(app, client, monkeypatch):
    # A stand-in: no real input makes the code fail, so reception is replaced by one that
    # raises what a bug would.
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(routes, "receive", broken)
    body = body_of(envelope_for())
    answer = client.post(PATH, data=body, headers=signed_headers(body))
    assert answer.status_code == 500
    assert "a bug" not in json.dumps(answer.get_json(force=True))
    assert_swedish({"unexpected": texts_of(answer)})
