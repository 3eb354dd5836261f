"""Uploading to a real WebDAV server (wsgidav + cheroot) on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import hashlib
import http
import io
import json
import logging
import shutil
import socket
import threading
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from cheroot import wsgi
from davserver import DavServer, refusing
from davserver import untrusted_https as untrusted_https_server
from meeting_reports import MEETING, RENDERERS
from ports import HeldPort, free_port

from besoksrapport.delivery.errors import DeliveryFailed
from besoksrapport.delivery.webdav import WebdavClient
from besoksrapport.filing.folder import file_meeting
from besoksrapport.filing.names import written_by_filing
from besoksrapport.jsonlog import JsonLinesFormatter
from besoksrapport.settings import WebdavSettings
from besoksrapport.swedish import long_date

FOLDER = "2026-12-10"
NAME = "2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X.docx"
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
    {"username": "namnd", "password": "fel-lösen-9"},
    {},
], ids=["wrong-password", "no-credentials"])
def test_rejected_credentials_fail_without_retry(basic_server, settings):
    client = WebdavClient(WebdavSettings(url=basic_server.url, **settings))
    with pytest.raises(DeliveryFailed) as failure:
        client.ensure_collection(FOLDER)
    assert failure.value.status == 401
    assert not failure.value.retryable
    assert "fel-lösen-9" not in str(failure.value)


def test_bearer_token_is_sent(dav_root):
    with DavServer(dav_root, token="tok-123") as server:
        WebdavClient(WebdavSettings(url=server.url, token="tok-123")).ensure_collection(FOLDER)
        with pytest.raises(DeliveryFailed) as failure:
            WebdavClient(WebdavSettings(url=server.url, token="other")).put(FOLDER, NAME, b"x")
        assert failure.value.status == 401
    assert (dav_root / FOLDER).is_dir()
    assert not (dav_root / FOLDER / NAME).exists()


def test_server_down_is_retryable_and_delivery_succeeds_when_it_returns(dav_root, tmp_path):
    held = HeldPort()  # refused until the server starts; no other test's server takes it
    port = held.port
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
        held.release()
    assert urls[-1].endswith("/index.json")
    assert (dav_root / FOLDER / NAME).read_bytes() == PAYLOAD
    assert (dav_root / FOLDER / "index.json").read_text() == "{}\n"


def test_a_filed_meeting_arrives_whole_with_the_checksums_of_its_index(
        open_server, dav_root, tmp_path, committee, reports):
    filed = file_meeting(tmp_path / "local", MEETING, committee, reports,
                         RENDERERS)
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
                         RENDERERS)
    client.deliver_meeting(moved)
    assert not (remote / moved.removed[0]).exists()
    assert sorted(p.name for p in remote.iterdir()) == sorted(
        [f.file_name for f in moved.files] + ["index.json"])


# --- Keeping the remote folder equal to the local one -------------------------------------

HAND_PLACED = ["Anteckningar från sekreteraren.docx", "2026-12-10 Protokollsutdrag.docx",
               "2026-11-03 Kost Anna Lindqvist BR-2026-7Q3K9X - kopia.docx", "läs mig.txt"]


def with_storage_ids(reports):
    """The fixture's reports with ids as storage hands them out (``BR-2026-XXXXXX``)."""
    return [dataclasses.replace(report, report_id=f"BR-2026-{number:06d}")
            for number, report in enumerate(reports, start=1)]


def test_a_report_refiled_elsewhere_leaves_the_remote_folder_and_hand_placed_files_stay(
        open_server, dav_root, tmp_path, committee, reports):
    reports = with_storage_ids(reports)
    local = tmp_path / "local"

    client = WebdavClient(WebdavSettings(url=open_server.url))
    client.deliver_meeting(file_meeting(local, MEETING, committee, reports, RENDERERS))
    remote = dav_root / MEETING.isoformat()
    for name in HAND_PLACED:
        client.put(MEETING.isoformat(), name, b"handwritten")
    (remote / "Bilagor").mkdir()
    (remote / "Bilagor" / "2026-11-03 Kost Anna Lindqvist BR-2026-000001.docx").write_bytes(b"x")

    # As the outbox does it: the move's filing empties ``removed`` before the delivery
    # refiles, so only the listing of the remote folder can find the moved report.
    moved = file_meeting(local, MEETING, committee, reports[1:], RENDERERS)
    refiled = file_meeting(local, MEETING, committee, reports[1:], RENDERERS)
    assert moved.removed and not refiled.removed
    client.deliver_meeting(refiled)

    assert not (remote / moved.removed[0]).exists()
    assert sorted(path.name for path in remote.iterdir()) == sorted(
        [item.file_name for item in refiled.files] + ["index.json", "Bilagor", *HAND_PLACED])
    assert (remote / "Bilagor" / "2026-11-03 Kost Anna Lindqvist BR-2026-000001.docx").exists()


@pytest.mark.parametrize(("name", "ours"), [
    ("index.json", True),
    ("2026-12-10 Förteckning över återrapporter.docx", True),
    ("2026-12-10 Samtliga återrapporter.docx", True),
    ("2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X.docx", True),
    ("2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X (2).docx", True),
    ("2026-11-03 Kost A\u030asa O\u0308berg BR-2026-7Q3K9X.docx", True),  # decomposed
    ("2027-01-28 Förteckning över återrapporter.docx", False),  # another meeting's
    ("2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X - kopia.docx", False),
    ("2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9I.docx", False),  # no I in Crockford base32
    ("2026-13-03 Kost Åsa Öberg BR-2026-7Q3K9X.docx", False),
    ("2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X.pdf", True),  # its PDF/A (BESOKSRAPPORT_PDF)
    ("2026-12-10 Samtliga återrapporter.pdf", True),
    ("2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X.txt", False),
    ("2026-12-10 Protokollsutdrag.pdf", False),
    ("2026-12-10 Protokollsutdrag.docx", False),
    ("Anteckningar.docx", False),
    (".besoksrapport-manifest.json", False),
])
def test_only_names_our_filing_writes_may_be_deleted_remotely(name, ours):
    assert written_by_filing(name, MEETING) is ours


def test_listing_names_the_files_of_a_folder_and_nothing_of_a_missing_one(open_server, dav_root):
    client = WebdavClient(WebdavSettings(url=open_server.url + "namnd/"))
    (dav_root / "namnd").mkdir()
    assert client.list_folder(FOLDER) == []
    client.ensure_collection(FOLDER)
    client.put(FOLDER, NAME, PAYLOAD)
    client.put(FOLDER, "100% klart #1?.docx", b"x")
    (dav_root / "namnd" / FOLDER / "Undermapp").mkdir()
    assert sorted(client.list_folder(FOLDER)) == sorted([NAME, "100% klart #1?.docx"])


# --- A clean-up the server does not allow ---------------------------------------------------

@pytest.fixture
def dav_refusing(dav_root):
    """Start wsgidav on ``dav_root`` answering ``status`` to ``method``; returns its URL."""
    servers = []

    def start(status: int, method: str) -> str:
        server = DavServer(dav_root)
        server.server.wsgi_app = refusing(server.server.wsgi_app, {method: status})
        servers.append(server.start())
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def webdav_log():
    """The JSON lines the webdav module logs, formatted as the web app and worker do."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("besoksrapport.delivery.webdav")
    logger.addHandler(handler)
    yield stream.getvalue
    logger.removeHandler(handler)


def names_in(text: str, names) -> list[str]:
    """Those of ``names`` (file names, people) that ``text`` holds, plain or percent-encoded."""
    return [name for name in names if name in text or quote(name) in text]


@pytest.mark.parametrize("status", [403, 405, 501])
def test_a_server_that_cannot_be_listed_gets_the_meeting_and_one_warning_without_names(
        dav_refusing, dav_root, tmp_path, committee, reports, webdav_log, status):
    reports = with_storage_ids(reports)
    filed = file_meeting(tmp_path / "local", MEETING, committee, reports,
                         RENDERERS)
    client = WebdavClient(WebdavSettings(url=dav_refusing(status, "PROPFIND")))
    client.deliver_meeting(filed)

    remote = dav_root / MEETING.isoformat()
    names = [item.file_name for item in filed.files] + ["index.json"]
    assert sorted(path.name for path in remote.iterdir()) == sorted(names)
    for name in names:
        assert (remote / name).read_bytes() == (filed.meeting_dir / name).read_bytes(), name
    lines = [json.loads(line) for line in webdav_log().splitlines()]
    assert [(line["level"], line["method"], line["status"], line["meeting_date"])
            for line in lines] == [("warning", "PROPFIND", status, MEETING.isoformat())]
    people = [report.submitter.name for report in reports]
    assert names_in(webdav_log(), names[:-1] + people) == []


@pytest.mark.parametrize("status", [403, 405, 501])
def test_an_account_that_may_not_delete_keeps_stale_files_and_the_delivery_succeeds(
        open_server, dav_refusing, dav_root, tmp_path, committee, reports, webdav_log, status):
    reports = with_storage_ids(reports)
    local = tmp_path / "local"

    WebdavClient(WebdavSettings(url=open_server.url)).deliver_meeting(
        file_meeting(local, MEETING, committee, reports, RENDERERS))
    # Two reports leave: one known from this filing's ``removed``, one found by listing.
    file_meeting(local, MEETING, committee, reports[1:], RENDERERS)
    moved = file_meeting(local, MEETING, committee, reports[2:], RENDERERS)
    assert len(moved.removed) == 1
    client = WebdavClient(WebdavSettings(url=dav_refusing(status, "DELETE")))
    client.deliver_meeting(moved)

    remote = dav_root / MEETING.isoformat()
    stale = sorted(set(path.name for path in remote.iterdir())
                   - {item.file_name for item in moved.files} - {"index.json"})
    assert len(stale) == 2 and moved.removed[0] in stale
    index = json.loads((remote / "index.json").read_text(encoding="utf-8"))
    assert sorted(entry["fileName"] for entry in index["auxiliaryFile"]) == sorted(
        item.file_name for item in moved.files)
    lines = [json.loads(line) for line in webdav_log().splitlines()]
    assert [(line["level"], line["method"], line["status"], line["meeting_date"])
            for line in lines] == [("warning", "DELETE", status, MEETING.isoformat())]
    people = [report.submitter.name for report in reports]
    assert names_in(webdav_log(), stale + people) == []


@pytest.mark.parametrize(("status", "method", "retryable"), [
    (503, "PROPFIND", True), (401, "PROPFIND", False), (400, "PROPFIND", False),
    (503, "DELETE", True), (401, "DELETE", False), (409, "DELETE", False),
])
def test_other_clean_up_failures_keep_their_classification(
        dav_refusing, tmp_path, committee, reports, status, method, retryable):
    reports = with_storage_ids(reports)
    local = tmp_path / "local"

    file_meeting(local, MEETING, committee, reports, RENDERERS)
    moved = file_meeting(local, MEETING, committee, reports[1:], RENDERERS)
    client = WebdavClient(WebdavSettings(url=dav_refusing(status, method)))
    with pytest.raises(DeliveryFailed) as failure:
        client.deliver_meeting(moved)
    assert failure.value.status == status
    assert failure.value.retryable is retryable
    assert str(failure.value).startswith(f"WebDAV {method} av ")


# --- Sorting failures into temporary and permanent -----------------------------------------

def serve(app, **options) -> wsgi.Server:
    """A real cheroot server on a free port of 127.0.0.1 running ``app``; stop it after."""
    server = wsgi.Server(("127.0.0.1", free_port()), app, **options)
    server.prepare()
    threading.Thread(target=server.serve, daemon=True).start()
    return server


def answering(status: int, methods: tuple[str, ...] = ()):
    """A WSGI app answering ``status`` to ``methods`` (all when empty), else 201 Created."""

    def app(environ, start_response):
        environ["wsgi.input"].read()
        code = status if not methods or environ["REQUEST_METHOD"] in methods else 201
        start_response(f"{code} {http.HTTPStatus(code).phrase}",
                       [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"no"]

    return app


def answering_by_path(environ, start_response):
    """``/503/…`` answers 503 to everything, ``/507-PUT/…`` 507 to PUT and 201 to the rest."""
    status, _, method = environ["PATH_INFO"].split("/")[1].partition("-")
    return answering(int(status), (method,) if method else ())(environ, start_response)


@pytest.fixture(scope="module")
def misbehaving_server():
    server = serve(answering_by_path)
    yield f"http://127.0.0.1:{server.bind_addr[1]}/"
    server.stop()


@pytest.fixture
def status_server(misbehaving_server):
    """The base URL under which the server answers ``status`` (to ``methods`` only)."""

    def url(status: int, *methods: str) -> str:
        return misbehaving_server + "-".join([str(status), *methods]) + "/"

    return url


TEMPORARY = [408, 423, 429, 500, 502, 503, 504, 507]
PERMANENT = [301, 302, 307, 308, 400, 401, 403, 404, 405, 409, 412, 413, 415, 501, 505]


@pytest.mark.parametrize("status", TEMPORARY + PERMANENT)
def test_an_http_status_is_temporary_or_permanent(status_server, status):
    client = WebdavClient(WebdavSettings(url=status_server(status)))
    with pytest.raises(DeliveryFailed) as failure:
        client.put(FOLDER, NAME, PAYLOAD)
    assert failure.value.status == status
    assert failure.value.retryable is (status in TEMPORARY)


@contextmanager
def raw_server(answer):
    """A plain TCP server on 127.0.0.1 that calls ``answer(connection)`` for each client."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run():
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                answer(connection)

    threading.Thread(target=run, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


@pytest.fixture
def cut_off_server():
    """A raw server that starts a chunked answer and hangs up in the middle of it."""

    def answer(connection):
        request = b""
        while b"\r\n\r\n" not in request:
            request += connection.recv(65536)
        connection.sendall(b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                           b"40\r\nonly part of the chunk")

    with raw_server(answer) as port:
        yield f"http://127.0.0.1:{port}/"


def test_an_answer_cut_off_midway_is_temporary(cut_off_server):
    client = WebdavClient(WebdavSettings(url=cut_off_server), timeout=(2, 5))
    with pytest.raises(DeliveryFailed) as failure:
        client.ensure_collection(FOLDER)
    assert failure.value.retryable
    assert str(failure.value) == ("WebDAV MKCOL av mappen för sammanträdet den 10 december "
                                  "2026: dokumentsystemet svarade inte – svaret bröts av mitt "
                                  "i")


def test_a_server_that_never_answers_is_temporary():
    # The kernel accepts the connection into the backlog; nobody ever reads the request.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        client = WebdavClient(WebdavSettings(url=url), timeout=(2, 0.3))
        with pytest.raises(DeliveryFailed) as failure:
            client.put(FOLDER, NAME, PAYLOAD)
    assert failure.value.retryable
    assert str(failure.value).endswith("dokumentsystemet svarade inte – inget svar inom "
                                       "tidsgränsen")


def test_https_against_a_plain_http_port_is_permanent(open_server):
    client = WebdavClient(WebdavSettings(url=open_server.url.replace("http:", "https:")))
    with pytest.raises(DeliveryFailed) as failure:
        client.ensure_collection(FOLDER)
    assert not failure.value.retryable
    assert str(failure.value) == (
        "WebDAV MKCOL av mappen för sammanträdet den 10 december 2026: TLS-anslutningen "
        "misslyckades: servern svarar inte med TLS, kanske https mot en port för http "
        "(WRONG_VERSION_NUMBER); kontrollera BESOKSRAPPORT_WEBDAV_URL och serverns certifikat")


@pytest.fixture
def untrusted_https(tmp_path):
    """A real HTTPS server (cheroot, builtin TLS) with a self-signed certificate."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificate and is not installed")
    with untrusted_https_server(tmp_path, answering(201)) as url:
        yield url


def test_a_certificate_that_fails_verification_is_permanent(untrusted_https):
    client = WebdavClient(WebdavSettings(url=untrusted_https))
    with pytest.raises(DeliveryFailed) as failure:
        client.put(FOLDER, NAME, PAYLOAD)
    assert not failure.value.retryable
    assert ("TLS-anslutningen misslyckades: certifikatet är självsignerat "
            "(CERTIFICATE_VERIFY_FAILED)") in str(failure.value)


@pytest.fixture
def truncated_handshake_server():
    """A raw server that reads the TLS ClientHello, sends a piece of a ServerHello and hangs
    up, as a server restarting mid-handshake does."""

    def answer(connection):
        # The whole ClientHello record (5-byte header, then its length), so the close is a
        # clean EOF rather than a reset over unread data.
        record = b""
        while len(record) < 5 or len(record) < 5 + int.from_bytes(record[3:5], "big"):
            chunk = connection.recv(65536)
            if not chunk:
                break
            record += chunk
        connection.sendall(b"\x16\x03\x03\x00\x50\x02\x00\x00")  # 80 bytes promised

    with raw_server(answer) as port:
        yield f"https://127.0.0.1:{port}/"


def test_a_handshake_cut_off_by_the_server_is_temporary(truncated_handshake_server):
    client = WebdavClient(WebdavSettings(url=truncated_handshake_server), timeout=(2, 5))
    with pytest.raises(DeliveryFailed) as failure:
        client.put(FOLDER, NAME, PAYLOAD)
    assert failure.value.retryable
    assert failure.value.status is None
    assert "TLS-anslutningen bröts: " in str(failure.value)
    assert "CERTIFICATE" not in str(failure.value)
    assert leaks(str(failure.value)) == []


# --- Error texts carry no personal data -----------------------------------------------------

def leaks(text: str) -> list[str]:
    """Pieces of the report file's name (the politician's name) found in ``text``."""
    pieces = ["Åsa", "Öberg", "BR-2026-7Q3K9X", quote("Åsa"), quote("Öberg"), NAME, quote(NAME)]
    return [piece for piece in pieces if piece in text]


def test_error_texts_name_the_meeting_and_the_status_never_the_report_file(
        status_server, open_server):
    failures = []
    for url, call in [
        (status_server(503), lambda client: client.put(FOLDER, NAME, PAYLOAD)),
        (status_server(403), lambda client: client.delete(FOLDER, NAME)),
        (f"http://127.0.0.1:{free_port()}/", lambda client: client.put(FOLDER, NAME, PAYLOAD)),
        (open_server.url.replace("http:", "https:"),
         lambda client: client.put(FOLDER, NAME, PAYLOAD)),
    ]:
        with pytest.raises(DeliveryFailed) as failure:
            call(WebdavClient(WebdavSettings(url=url), timeout=(2, 5)))
        failures.append(failure.value)
    texts = [str(failure) for failure in failures]
    assert all("sammanträdet den 10 december 2026" in text for text in texts), texts
    assert "HTTP 503 (fel hos dokumentsystemet)" in texts[0]
    assert "HTTP 403 (saknar kontot skrivrätt?)" in texts[1]
    assert "svarade inte – anslutningen nekades (errno 111, ECONNREFUSED)" in texts[2]
    assert "TLS-anslutningen misslyckades" in texts[3]
    assert [leaks(text) for text in texts] == [[]] * len(texts)
    assert all(failure.__cause__ is None for failure in failures)


def test_a_filed_meeting_that_fails_to_upload_names_only_its_date(
        status_server, tmp_path, committee, reports):
    filed = file_meeting(tmp_path / "local", MEETING, committee, reports,
                         RENDERERS)
    client = WebdavClient(WebdavSettings(url=status_server(507, "PUT")))  # MKCOL passes
    with pytest.raises(DeliveryFailed) as failure:
        client.deliver_meeting(filed)
    text = str(failure.value)
    assert text == (f"WebDAV PUT av ett dokument för sammanträdet den {long_date(MEETING)}: "
                    "HTTP 507 (lagringsutrymmet är slut)")
    people = {report.submitter.name for report in reports}
    assert [person for person in people if person in text or quote(person) in text] == []
