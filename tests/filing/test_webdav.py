"""Uploading to a real WebDAV server (wsgidav + cheroot) on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json

import pytest
from davserver import DavServer
from ports import free_port

from besoksrapport.filing.errors import DeliveryFailed
from besoksrapport.filing.folder import file_meeting
from besoksrapport.filing.webdav import WebdavClient
from besoksrapport.settings import WebdavSettings
from docgen.report import render_report

from .conftest import MEETING

FOLDER = "2026-12-10"
NAME = "2026-11-03 Kost Åsa Öberg BR-1.docx"
PAYLOAD = b"PK\x03\x04 not really a docx \xe5\xe4\xf6" * 100


@pytest.fixture
def dav_root(tmp_path):
    root = tmp_path / "dav"
    root.mkdir()
    return root


@pytest.fixture
def open_server(dav_root):
    with DavServer(dav_root) as server:
        yield server


@pytest.fixture
def basic_server(dav_root):
    with DavServer(dav_root, users={"namnd": "hemligt-lösen"}) as server:
        yield server


def test_put_creates_the_meeting_folder_and_stores_identical_bytes(open_server, dav_root):
    client = WebdavClient(WebdavSettings(url=open_server.url))
    client.ensure_collection(FOLDER)
    client.put(FOLDER, NAME, PAYLOAD)
    assert (dav_root / FOLDER / NAME).read_bytes() == PAYLOAD


def test_mkcol_of_an_existing_folder_is_accepted(open_server, dav_root):
    client = WebdavClient(WebdavSettings(url=open_server.url))
    client.ensure_collection(FOLDER)
    client.ensure_collection(FOLDER)
    assert (dav_root / FOLDER).is_dir()


def test_put_replaces_an_existing_file(open_server, dav_root):
    client = WebdavClient(WebdavSettings(url=open_server.url))
    client.ensure_collection(FOLDER)
    client.put(FOLDER, NAME, b"first")
    client.put(FOLDER, NAME, PAYLOAD)
    assert (dav_root / FOLDER / NAME).read_bytes() == PAYLOAD


def test_delete_removes_a_file_and_tolerates_a_missing_one(open_server, dav_root):
    client = WebdavClient(WebdavSettings(url=open_server.url))
    client.ensure_collection(FOLDER)
    client.put(FOLDER, NAME, PAYLOAD)
    client.delete(FOLDER, NAME)
    client.delete(FOLDER, NAME)
    assert not (dav_root / FOLDER / NAME).exists()


def test_put_into_a_missing_parent_is_not_retryable(open_server):
    client = WebdavClient(WebdavSettings(url=open_server.url + "saknas/"))
    with pytest.raises(DeliveryFailed) as failure:
        client.ensure_collection(FOLDER)
    assert failure.value.status == 409
    assert not failure.value.retryable


def test_basic_auth_with_the_right_password_uploads(basic_server, dav_root):
    client = WebdavClient(WebdavSettings(url=basic_server.url, username="namnd",
                                         password="hemligt-lösen"))
    client.ensure_collection(FOLDER)
    client.put(FOLDER, NAME, PAYLOAD)
    assert (dav_root / FOLDER / NAME).read_bytes() == PAYLOAD


@pytest.mark.parametrize("settings", [
    {"username": "namnd", "password": "fel"},
    {},
], ids=["wrong-password", "no-credentials"])
def test_rejected_credentials_fail_without_retry(basic_server, settings):
    client = WebdavClient(WebdavSettings(url=basic_server.url, **settings))
    with pytest.raises(DeliveryFailed) as failure:
        client.ensure_collection(FOLDER)
    assert failure.value.status == 401
    assert not failure.value.retryable
    assert "fel" not in str(failure.value)


def test_bearer_token_is_sent(dav_root):
    with DavServer(dav_root, token="tok-123") as server:
        WebdavClient(WebdavSettings(url=server.url, token="tok-123")).ensure_collection(FOLDER)
        with pytest.raises(DeliveryFailed) as failure:
            WebdavClient(WebdavSettings(url=server.url, token="other")).put(FOLDER, NAME, b"x")
        assert failure.value.status == 401
    assert (dav_root / FOLDER).is_dir()
    assert not (dav_root / FOLDER / NAME).exists()


def test_server_down_is_retryable_and_delivery_succeeds_when_it_returns(dav_root, tmp_path):
    port = free_port()
    client = WebdavClient(WebdavSettings(url=f"http://127.0.0.1:{port}/"), timeout=(2, 5))
    with pytest.raises(DeliveryFailed) as failure:
        client.ensure_collection(FOLDER)
    assert failure.value.retryable
    assert failure.value.status is None

    server = DavServer(dav_root, port).start()
    try:
        local = tmp_path / "local"
        local.mkdir()
        (local / NAME).write_bytes(PAYLOAD)
        (local / "index.json").write_text("{}\n")
        urls = client.deliver_folder(FOLDER, local, [NAME, "index.json"])
    finally:
        server.stop()
    assert urls[-1].endswith("/index.json")
    assert (dav_root / FOLDER / NAME).read_bytes() == PAYLOAD
    assert (dav_root / FOLDER / "index.json").read_text() == "{}\n"


def test_a_filed_meeting_arrives_whole_with_the_checksums_of_its_index(
        open_server, dav_root, tmp_path, committee, reports):
    filed = file_meeting(tmp_path / "local", MEETING, committee, reports,
                         lambda report: render_report(report, committee))
    client = WebdavClient(WebdavSettings(url=open_server.url))
    client.deliver_meeting(filed)

    remote = dav_root / MEETING.isoformat()
    index = json.loads((remote / "index.json").read_text(encoding="utf-8"))
    assert len(index["auxiliaryFile"]) == len(reports) + 2
    for entry in index["auxiliaryFile"]:
        data = (remote / entry["fileName"]).read_bytes()
        assert hashlib.sha512(data).hexdigest() == entry["sha512Checksum"]

    # A report moved to another meeting disappears from the remote folder too.
    moved = file_meeting(tmp_path / "local", MEETING, committee, reports[1:],
                         lambda report: render_report(report, committee))
    client.deliver_meeting(moved)
    assert not (remote / moved.removed[0]).exists()
    assert sorted(p.name for p in remote.iterdir()) == sorted(
        [f.file_name for f in moved.files] + ["index.json"])
