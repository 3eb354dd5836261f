"""The webhook endpoint through Flask's test client: every answer and what it stores."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from datetime import UTC, datetime

import pytest
from webhook_helpers import (
    OLD_SECRET,
    PATH,
    body_of,
    envelope_for,
    environment,
    signed_headers,
)
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response

from besoksrapport.errors import ConfigError
from besoksrapport.paths import EXAMPLE_CONFIG, schema_text
from besoksrapport.reception.receive import receipt_text
from besoksrapport.report import Report
from besoksrapport.swedish import long_date
from webhook import create_app


def post(client, body: bytes, **kwargs):
    headers = signed_headers(body, **kwargs)
    return client.post(PATH, data=body, headers=headers), headers


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    problem = response.get_json(force=True)
    assert problem["type"] == f"https://besoksrapport.se/problems/{slug}"
    assert problem["status"] == status and problem["title"] and problem["detail"]
    return problem


def test_new_report_is_created_with_id_meeting_and_swedish_receipt(client, storage):
    response, _ = post(client, body_of(envelope_for()))
    assert response.status_code == 201
    answer = response.get_json()
    assert re.fullmatch(r"BR-\d{4}-[0-9A-HJKMNP-TV-Z]{6}", answer["report_id"])
    stored = storage.get_report(answer["report_id"])
    assert answer["meeting_date"] == (stored.meeting_date.isoformat()
                                      if stored.meeting_date else None)
    assert answer["receipt"].startswith(f"Tack! Vi har tagit emot din rapport "
                                        f"{answer['report_id']}.")
    [job] = storage.pending_jobs("process_report")
    assert job.payload == {"report_id": answer["report_id"]}


def test_receipt_names_the_report_and_the_meeting_in_swedish_or_says_none_is_planned(app):
    committee = app.extensions["besoksrapport"].ctx.committee
    from datetime import date
    report = Report.from_envelope(envelope_for(), report_id="BR-2026-7Q3K9X",
                                  received_at=datetime.now(UTC), meeting_date=date(2026, 12, 10))
    assert receipt_text(committee, report) == (
        "Tack! Vi har tagit emot din rapport BR-2026-7Q3K9X. Den är nu en allmän handling och "
        "skickas med till Välfärd- och servicenämndens sammanträde den 10 december 2026.")
    report.meeting_date = None
    assert receipt_text(committee, report) == (
        "Tack! Vi har tagit emot din rapport BR-2026-7Q3K9X. Den är nu en allmän handling och "
        "skickas med till Välfärd- och servicenämndens nästa sammanträde när det är planerat.")
    assert receipt_text(committee, report, 2) == receipt_text(committee, report)
    year = report.visit_date.year
    assert receipt_text(committee, report, 3).endswith(
        f" Observera att det här är ditt tredje ordinarie besök under {year} utan beslut av "
        "ordföranden. Enligt riktlinjerna deltar en kontaktpolitiker vid 1–2 "
        "verksamhetsbesök per år, och fler besök görs efter beslut av ordföranden. "
        "Nämndsekreteraren får också veta det. Om ordföranden har beslutat om besöket, "
        "kontakta nämndsekreteraren.")


def test_same_webhook_id_again_answers_200_with_the_same_body(client):
    body = body_of(envelope_for())
    first, headers = post(client, body)
    again = client.post(PATH, data=body, headers=headers)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()


def test_same_submission_under_new_webhook_id_answers_200_with_the_same_body(client, storage):
    envelope = envelope_for("oep-77")
    first, _ = post(client, body_of(envelope))
    envelope["timestamp"] = "2026-11-21T10:00:00Z"  # the platform re-sent it the next day
    again, _ = post(client, body_of(envelope))
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert len(storage.pending_jobs()) == 1


def test_signature_made_with_the_old_secret_passes_during_rotation(client):
    response, _ = post(client, body_of(envelope_for()), secret=OLD_SECRET)
    assert response.status_code == 201


@pytest.mark.parametrize("change", [
    lambda h: {**h, "webhook-signature": "v1,AAAA"},
    lambda h: {k: v for k, v in h.items() if k != "webhook-id"},
    lambda h: {**h, "webhook-timestamp": "yesterday"},
    lambda h: {**h, "webhook-signature": "garbage"},
    lambda h: {**h, "webhook-signature": "v1,%%%"},
])
def test_bad_or_malformed_signature_headers_are_401(client, storage, change):
    body = body_of(envelope_for())
    response = client.post(PATH, data=body, headers=change(signed_headers(body)))
    assert_problem(response, 401, "invalid-signature")
    assert not storage.pending_jobs() and not storage.quarantined()


def test_unparseable_json_is_400(client):
    response, _ = post(client, b'{"type": "visit_report.submitted", ')
    assert_problem(response, 400, "malformed-json")


def test_non_standard_json_constants_are_400(client):
    response, _ = post(client, b'{"x": NaN}')
    assert_problem(response, 400, "malformed-json")


def test_body_over_the_limit_is_413(tmp_path):
    app = create_app(environment(tmp_path, BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_MAX_BODY_BYTES="1000"))
    body = body_of(envelope_for()) + b" " * 1000
    response = app.test_client().post(PATH, data=body, headers=signed_headers(body))
    problem = assert_problem(response, 413, "body-too-large")
    assert problem["detail"] == "Innehållet är större än gränsen på 1\u00a0000 byte."


def test_chunked_body_over_the_limit_is_413_without_content_length(tmp_path):
    app = create_app(environment(tmp_path, BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_MAX_BODY_BYTES="1000"))
    body = body_of(envelope_for()) + b" " * 1000
    headers = signed_headers(body)
    response = app.test_client().post(PATH, input_stream=io.BytesIO(body), headers=headers,
                                      environ_overrides={"wsgi.input_terminated": True})
    assert_problem(response, 413, "body-too-large")


class Trickle(io.RawIOBase):
    """A request body that arrives a few bytes per read, as from a slow network."""

    def __init__(self, data: bytes, step: int = 7):
        self.data, self.step = data, step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        piece, self.data = self.data[:min(self.step, len(buffer))], self.data[self.step:]
        buffer[:len(piece)] = piece
        return len(piece)


def post_in_pieces(app, body: bytes, step: int, *, chunked: bool):
    """POST through the WSGI interface with the body read a few bytes at a time."""
    builder = EnvironBuilder(path=PATH, method="POST", data=body,
                             headers=signed_headers(body))
    environ = builder.get_environ()
    environ["wsgi.input"] = Trickle(body, step)
    if chunked:  # no Content-Length: the server says where the body ends
        environ.pop("CONTENT_LENGTH")
        environ["wsgi.input_terminated"] = True
    return Response.from_app(app, environ)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_body_arriving_in_pieces_is_read_whole(app, chunked):
    response = post_in_pieces(app, body_of(envelope_for()), 7, chunked=chunked)
    assert response.status_code == 201, response.get_data(as_text=True)


def test_body_over_the_limit_arriving_in_pieces_is_413(tmp_path):
    app = create_app(environment(tmp_path, BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_MAX_BODY_BYTES="1000"))
    response = post_in_pieces(app, body_of(envelope_for()) + b" " * 1000, 100, chunked=True)
    assert response.status_code == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=latin-1"])
def test_other_media_types_are_415(client, content_type):
    body = body_of(envelope_for())
    headers = {**signed_headers(body), "content-type": content_type}
    assert_problem(client.post(PATH, data=body, headers=headers), 415, "unsupported-media-type")


def test_json_with_utf8_charset_is_accepted(client):
    body = body_of(envelope_for())
    headers = {**signed_headers(body), "content-type": "application/json; charset=UTF-8"}
    assert client.post(PATH, data=body, headers=headers).status_code == 201


def test_invalid_report_is_422_with_swedish_errors_and_kept_in_quarantine(client, storage):
    envelope = envelope_for()
    del envelope["data"]["answers"]["unit"]
    envelope["data"]["answers"]["end_time"] = "25:00"
    body = body_of(envelope)
    response, headers = post(client, body)
    problem = assert_problem(response, 422, "invalid-report")
    pointers = {error["pointer"] for error in problem["errors"]}
    assert {"/data/answers/unit", "/data/answers/end_time"} <= pointers
    assert all(set(error) == {"pointer", "code", "message"} for error in problem["errors"])
    assert any(ch in problem["detail"] + problem["errors"][0]["message"] for ch in "åäö")
    [kept] = storage.quarantined()
    assert kept.webhook_id == headers["webhook-id"] and kept.raw_body == body
    assert kept.errors == problem["errors"]
    assert not storage.pending_jobs()


def test_json_that_is_not_an_envelope_is_422(client):
    response, _ = post(client, b"[1, 2, 3]")
    assert_problem(response, 422, "invalid-report")


def test_locked_database_is_503_with_retry_after(tmp_path):
    app = create_app(environment(tmp_path, BESOKSRAPPORT_RUN_WORKER="false"))
    state = app.extensions["besoksrapport"]
    state.ctx.storage.busy_timeout_ms = 50
    state.ctx.storage.close()  # reconnect with the short timeout
    blocker = sqlite3.connect(state.settings.database_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        body = body_of(envelope_for())
        response = app.test_client().post(PATH, data=body, headers=signed_headers(body))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    problem = assert_problem(response, 503, "storage-unavailable")
    assert response.headers["Retry-After"] == "30"
    assert "Försök igen" in problem["detail"]


def test_unknown_path_and_method_are_problems_never_410(client):
    assert_problem(client.get("/nothing-here"), 404, "not-found")
    assert_problem(client.get(PATH), 405, "method-not-allowed")


def test_healthz_and_readyz_answer_200(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ready"}


def test_readyz_is_503_when_the_data_folder_is_gone(app, client, tmp_path):
    import shutil
    app.extensions["besoksrapport"].ctx.storage.close()
    shutil.rmtree(tmp_path / "data")
    (tmp_path / "data").write_text("not a folder")
    assert_problem(client.get("/readyz"), 503, "not-ready")


def test_openapi_documents_every_answer_and_embeds_the_envelope_schema(client):
    document = client.get("/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    post_op = document["paths"][PATH]["post"]
    assert set(post_op["responses"]) >= {"200", "201", "400", "401", "413", "415", "422",
                                         "503"}
    assert "410" not in post_op["responses"]
    assert set(document["paths"]) >= {"/healthz", "/readyz", "/openapi.json"}
    # Bundled: the schemas as components without $id, the envelope referring to the form
    # inside the document (OpenAPI tools resolve a relative $ref against the document).
    envelope = json.loads(schema_text("webhook-envelope.schema.json"))
    form = json.loads(schema_text("visit-report.schema.json"))
    for schema in (envelope, form):
        del schema["$id"], schema["$schema"]
    envelope["properties"]["data"]["properties"]["answers"]["$ref"] = (
        "#/components/schemas/VisitReport")
    assert document["components"]["schemas"]["WebhookEnvelope"] == envelope
    assert document["components"]["schemas"]["VisitReport"] == form


def test_missing_setting_stops_the_app_naming_it(tmp_path, monkeypatch):
    monkeypatch.delenv("BESOKSRAPPORT_WEBHOOK_SECRETS", raising=False)
    with pytest.raises(ConfigError, match="BESOKSRAPPORT_WEBHOOK_SECRETS"):
        create_app({"BESOKSRAPPORT_DATA_DIR": str(tmp_path),
                    "BESOKSRAPPORT_CONFIG": str(EXAMPLE_CONFIG)})


def test_report_after_the_last_meeting_has_no_meeting_and_says_so(tmp_path):
    config = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    config = re.sub(r"dates = \[[^\]]*\]", 'dates = ["2020-01-15"]', config)
    path = tmp_path / "committee.toml"
    path.write_text(config, encoding="utf-8")
    app = create_app(environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_CONFIG=str(path)))
    body = body_of(envelope_for())
    answer = app.test_client().post(PATH, data=body, headers=signed_headers(body)).get_json()
    assert answer["meeting_date"] is None
    assert answer["receipt"] == (
        f"Tack! Vi har tagit emot din rapport {answer['report_id']}. Den är nu en allmän "
        "handling och skickas med till Välfärd- och servicenämndens nästa sammanträde när "
        "det är planerat.")


def test_access_log_is_json_lines_without_names_or_answers(client, capsys):
    body = body_of(envelope_for())
    response, headers = post(client, body)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    [entry] = [line for line in lines if line.get("delivery_id") == headers["webhook-id"]]
    assert entry["report_id"] == response.get_json()["report_id"]
    assert entry["status"] == 201 and isinstance(entry["duration_ms"], float)
    logged = json.dumps(lines, ensure_ascii=False)
    answers = envelope_for()["data"]
    for private in (answers["submitter"]["name"], answers["answers"]["unit"], "whsec_"):
        assert private not in logged


def test_answer_is_byte_for_byte_what_jsonify_would_write(app, client):
    body = body_of(envelope_for())
    response, _ = post(client, body)
    with app.app_context():
        expected = app.json.response(**response.get_json())
    assert response.status_code == 201
    assert response.data == expected.data
    assert response.headers["Content-Type"] == expected.headers["Content-Type"]


def test_a_422_says_the_report_was_not_received(client):
    envelope = envelope_for()
    del envelope["data"]["answers"]["unit"]
    response, _ = post(client, body_of(envelope))
    problem = assert_problem(response, 422, "invalid-report")
    assert problem["detail"].startswith("Rapporten togs inte emot")
    assert "skicka rapporten igen" in problem["detail"]


def test_receipt_says_why_a_report_goes_to_a_later_meeting_and_acknowledges_oral_summary(app):
    from datetime import date, timedelta

    committee = app.extensions["besoksrapport"].ctx.committee
    first, second = committee.meetings[:2]
    envelope = envelope_for()
    envelope["data"]["answers"]["oral_summary"] = True
    # Came in on the day before the first meeting: its deadline (7 days before) had passed.
    late = Report.from_envelope(envelope, report_id="BR-2026-7Q3K9X",
                                received_at=datetime.combine(first - timedelta(days=1),
                                                             datetime.min.time(), tzinfo=UTC),
                                meeting_date=second)
    text = receipt_text(committee, late)
    assert (f"Rapporten kom in efter sista dagen för sammanträdet den {long_date(first)} "
            f"({long_date(first - timedelta(days=7))} kl. 12.00), så den tas upp vid ett "
            "senare sammanträde.") in text
    assert text.endswith(" Du har angett att du vill göra en muntlig sammanfattning av "
                         "besöket vid sammanträdet; nämndsekreteraren får veta det.")
    in_time = Report.from_envelope(envelope_for(), report_id="BR-2026-7Q3K9X",
                                   received_at=datetime.now(UTC), meeting_date=first)
    assert "sista dagen" not in receipt_text(committee, in_time)
    assert "muntlig" not in receipt_text(committee, in_time)
    assert date.today() < first
