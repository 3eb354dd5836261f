"""``GET /metrics``: deliveries by answer, the outbox, the last poll, free space; no content."""

from __future__ import annotations

import datetime as dt
import re
import shutil

from webhook_helpers import PATH, body_of, envelope_for, environment, signed_headers

from webhook import create_app


def samples(client) -> dict[str, float]:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/plain"
    found = {}
    for line in answer.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


def test_metrics_count_deliveries_by_answer_and_show_the_outbox_and_free_space(client):
    before = samples(client)
    body = body_of(envelope_for())
    assert client.post(PATH, data=body, headers=signed_headers(body)).status_code == 201
    invalid = envelope_for()
    del invalid["data"]["answers"]["visit_date"]
    for _ in range(2):
        body = body_of(invalid)
        assert client.post(PATH, data=body, headers=signed_headers(body)).status_code == 422
    after = samples(client)

    def grew(status: str) -> float:
        name = f'besoksrapport_deliveries_total{{status="{status}"}}'
        return after[name] - before.get(name, 0)

    assert (grew("201"), grew("422")) == (1, 2)
    assert after["besoksrapport_storage_up"] == 1
    assert after["besoksrapport_outbox_pending_jobs"] >= 1  # no worker runs in this test
    assert after["besoksrapport_outbox_oldest_due_seconds"] >= 0
    assert after["besoksrapport_outbox_failed_jobs"] == 0
    assert after["besoksrapport_data_dir_free_bytes"] > 0
    assert "besoksrapport_oep_last_poll_age_seconds" not in after  # Open ePlatform is off


def test_metrics_show_no_names_and_no_report_content(client, storage):
    envelope = envelope_for()
    body = body_of(envelope)
    answer = client.post(PATH, data=body, headers=signed_headers(body)).get_json()
    text = client.get("/metrics").get_data(as_text=True)
    submitter = envelope["data"]["submitter"]
    for secret in (answer["report_id"], submitter["name"], submitter["id"],
                   envelope["data"]["answers"]["unit"], envelope["data"]["submission_id"]):
        assert secret not in text
    names = set(re.findall(r"^(besoksrapport_[a-z_]+)", text, re.MULTILINE))
    assert names <= {"besoksrapport_deliveries_total", "besoksrapport_deliveries_created",
                     "besoksrapport_storage_up", "besoksrapport_outbox_pending_jobs",
                     "besoksrapport_outbox_oldest_due_seconds",
                     "besoksrapport_outbox_failed_jobs", "besoksrapport_data_dir_free_bytes",
                     "besoksrapport_oep_last_poll_age_seconds"}


def test_metrics_show_the_age_of_the_last_open_eplatform_poll(tmp_path):
    app = create_app(environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_OEP_URL="http://127.0.0.1:9",
                                 BESOKSRAPPORT_OEP_USERNAME="api",
                                 BESOKSRAPPORT_OEP_PASSWORD="hemligt"))
    ctx = app.extensions["besoksrapport"].ctx
    from besoksrapport.oep.poller import cursor_name

    polled = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    ctx.storage.set_oep_cursor(cursor_name(ctx.committee.oep), polled)
    age = samples(app.test_client())["besoksrapport_oep_last_poll_age_seconds"]
    assert 600 <= age < 700
    ctx.storage.close()


def test_metrics_say_when_the_database_does_not_answer(app, client, storage, tmp_path):
    storage.close()
    data = tmp_path / "data"
    shutil.rmtree(data)
    data.write_text("not a folder")
    found = samples(client)
    assert found["besoksrapport_storage_up"] == 0
    assert "besoksrapport_outbox_pending_jobs" not in found


def test_a_fault_in_counting_never_turns_a_stored_report_into_a_500(client, monkeypatch):
    """The counter is broken on purpose (a stand-in for a full or unwritable metrics folder):
    the report was stored, so the platform must still hear 201."""
    from webhook import metrics

    class Broken:
        def inc(self) -> None:
            raise OSError(28, "No space left on device")

    metrics._counter.cache_clear()
    monkeypatch.setattr(metrics, "_counter", lambda status: Broken())
    body = body_of(envelope_for())
    answer = client.post(PATH, data=body, headers=signed_headers(body))
    assert answer.status_code == 201
    assert answer.get_json()["report_id"].startswith("BR-")
