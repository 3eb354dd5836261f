"""A worker's start never depends on storage: it answers 503 until storage recovers.

Found by a fault run: a worker replaced while the data folder was unusable failed
``check_data_dir`` in ``create_app``; gunicorn then stopped the whole service («Worker
failed to boot»), and it stayed down after the storage recovered. And ``/readyz`` said
ready with 3 KiB free while every delivery got 503.
"""

from __future__ import annotations

import shutil

from webhook_helpers import (
    PATH,
    body_of,
    committee_config,
    envelope_for,
    environment,
    signed_headers,
)

from webhook import create_app


def deliver(client):
    body = body_of(envelope_for())
    return client.post(PATH, data=body, headers=signed_headers(body))


def test_a_worker_starts_on_an_unusable_data_folder_answers_503_and_recovers(tmp_path):
    blocker = tmp_path / "mount"
    blocker.write_text("the data folder's parent is a file: nothing can be created there")
    config = committee_config(tmp_path / "committee.toml")
    app = create_app(environment(blocker / "data", BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_CONFIG=str(config)))
    client = app.test_client()

    refused = deliver(client)
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "30"
    assert refused.get_json()["type"].endswith("/storage-unavailable")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["detail"] == "Databasen går inte att nå."
    assert str(blocker / "data") in ready.get_json()["reason"]  # says why, in Swedish
    assert client.get("/healthz").status_code == 200

    blocker.unlink()  # the storage recovers
    (blocker / "data").mkdir(parents=True)
    assert deliver(client).status_code == 201
    assert client.get("/readyz").get_json() == {"status": "ready"}
    app.extensions["besoksrapport"].ctx.storage.close()


def test_readyz_is_not_ready_below_the_free_space_threshold(tmp_path):
    free_mb = shutil.disk_usage(tmp_path).free // 2**20
    app = create_app(environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false",
                                 BESOKSRAPPORT_MIN_FREE_MB=str(free_mb + 1024)))
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    problem = answer.get_json()
    assert "MB ledigt i datamappen, mindre än gränsen på" in problem["detail"]
    assert "BESOKSRAPPORT_MIN_FREE_MB" in problem["reason"]
    app.extensions["besoksrapport"].ctx.storage.close()

    roomy = create_app(environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false",
                                   BESOKSRAPPORT_MIN_FREE_MB="1"))
    assert roomy.test_client().get("/readyz").get_json() == {"status": "ready"}
    roomy.extensions["besoksrapport"].ctx.storage.close()
