"""The meeting folder made from reports posted through the real server.

One gunicorn and one meeting of four reports serve the module: index.json is checked
against the files themselves, and the bundle is opened by LibreOffice.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from flow import meeting_dir, post, visit_envelope, wait_until_filed
from gunicorn_server import GunicornServer
from libreoffice import pdf_text, words
from webhook_helpers import committee_config, environment

pytestmark = pytest.mark.e2e

REPORTS = 4


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    """(folder, meeting date, {report id: envelope}) once every report is filed."""
    root = tmp_path_factory.mktemp("meeting-folder")
    day = datetime.now(UTC).date() + timedelta(days=20)
    config = committee_config(root / "committee.toml", [day, day + timedelta(days=28)])
    data = root / "data"
    server = GunicornServer(environment(data, BESOKSRAPPORT_CONFIG=str(config)),
                            log_path=root / "gunicorn.log").start()
    try:
        sent = {}
        for number in range(REPORTS):
            envelope = visit_envelope(number)
            answer = post(server, envelope)
            assert answer.status_code == 201
            assert answer.json()["meeting_date"] == day.isoformat()
            sent[answer.json()["report_id"]] = envelope
        wait_until_filed(data, day, list(sent))
    finally:
        server.stop()
    return meeting_dir(data, day), day, sent


def test_index_lists_every_file_with_its_true_size_and_sha512(meeting):
    folder, day, sent = meeting
    listed = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert listed["start"] == day.isoformat()
    assert listed["besoksrapport:reportCount"] == REPORTS
    files = {item["fileName"]: item for item in listed["auxiliaryFile"]}
    on_disk = {path.name for path in folder.iterdir()
               if path.is_file() and not path.name.startswith(".") and path.name != "index.json"}
    assert set(files) == on_disk
    for name, item in files.items():
        data = (folder / name).read_bytes()
        assert item["size"] == len(data), name
        assert item["sha512Checksum"] == hashlib.sha512(data).hexdigest(), name
        assert item["mimeType"] == ("application/vnd.openxmlformats-officedocument"
                                    ".wordprocessingml.document")
    reports = {item["besoksrapport:reportId"]: name for name, item in files.items()
               if item["besoksrapport:kind"] == "report"}
    assert set(reports) == set(sent)
    assert all(name.endswith(f" {report_id}.docx") for report_id, name in reports.items())
    assert sorted(item["besoksrapport:kind"] for item in files.values()) == \
        ["bundle", "listing"] + ["report"] * REPORTS


@pytest.mark.libreoffice
def test_libreoffice_opens_the_bundle_and_finds_every_report(meeting, tmp_path):
    folder, _, sent = meeting
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    [name] = [item["fileName"] for item in index["auxiliaryFile"]
              if item["besoksrapport:kind"] == "bundle"]
    text = words(pdf_text(folder / name, tmp_path, layout=False))
    assert "Förteckning över återrapporterade verksamhetsbesök" in text
    for report_id, envelope in sent.items():
        assert report_id in text
        assert envelope["data"]["answers"]["unit_news"] in text
        assert envelope["data"]["submitter"]["name"] in text
