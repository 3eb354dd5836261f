"""``withdraw``, ``review`` and ``agenda``: what the secretary decides reaches the public files.

The storage is filled as the webhook fills it; the folder is read back as files, and the
document system is a real WebDAV server (wsgidav) read over HTTP; e-mail goes to a real SMTP
server (aiosmtpd), all on 127.0.0.1.
"""

from __future__ import annotations

import email
import json
import sqlite3
from email.policy import default

import pytest
import requests
from davserver import DavServer
from flow import visit_envelope
from public_text import docx_text, folder_texts
from smtpserver import running_inbox

from besoksrapport.filing.index import VENDOR
from besoksrapport.privacy.screening import MASK
from besoksrapport.swedish import long_date

from .conftest import run

PERSONAL = "Brukaren, personnummer 19800101-1234, vill bli uppringd på 070-123 45 67."


@pytest.fixture
def dav(tmp_path):
    (tmp_path / "dav").mkdir()
    with DavServer(tmp_path / "dav") as server:
        yield server


def remote_index(dav, day) -> list[str]:
    answer = requests.get(f"{dav.url}{day.isoformat()}/index.json", timeout=10)
    assert answer.status_code == 200
    return report_ids(json.loads(answer.content))


def report_ids(index: dict) -> list[str | None]:
    return [item.get(VENDOR + "reportId") for item in index["auxiliaryFile"]]


def remote_names(dav, day) -> list[str]:
    answer = requests.request("PROPFIND", f"{dav.url}{day.isoformat()}/",
                              headers={"Depth": "1"}, timeout=10)
    assert answer.status_code == 207
    return [name for name in requests.utils.unquote(answer.text).split("<")
            if name.startswith(("d:href>", "D:href>", "ns0:href>"))]


def remote_docx(dav, day, report_id: str) -> str:
    names = [n for n in remote_names(dav, day) if report_id in n]
    assert len(names) == 1, names
    href = names[0].split(">", 1)[1]
    return docx_text(requests.get(f"{dav.url.rstrip('/')}{requests.utils.quote(href)}",
                                  timeout=10).content)


def db(desk) -> sqlite3.Connection:
    conn = sqlite3.connect(desk.data_dir / "besoksrapport.sqlite3")
    conn.row_factory = sqlite3.Row
    return conn


def test_a_withdrawn_report_leaves_every_public_file_and_the_document_system(desk, dav,
                                                                             capsys):
    desk.configure(WEBDAV_URL=dav.url)
    kept, duplicate = (desk.receive(visit_envelope(n), desk.first) for n in (0, 1))
    desk.work()
    assert duplicate.report_id in remote_index(dav, desk.first)

    code, out, err = run(capsys, "withdraw", duplicate.report_id, "--reason",
                         f"Dubblett av {kept.report_id}")
    assert (code, err) == (0, "")
    assert out == (f"Rapport {duplicate.report_id} är makulerad och tas bort ur mappen för "
                   f"sammanträdet den {long_date(desk.first)}. Skäl: Dubblett av "
                   f"{kept.report_id}\n")
    folder = desk.meeting_dir(desk.first)
    assert not list(folder.glob(f"*{duplicate.report_id}*"))
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert duplicate.report_id not in report_ids(index)
    for name, text in folder_texts(folder).items():
        assert duplicate.report_id not in text, name
    assert remote_index(dav, desk.first) == [kept.report_id, None, None]
    assert not [n for n in remote_names(dav, desk.first) if duplicate.report_id in n]
    [row] = db(desk).execute("SELECT * FROM withdrawals").fetchall()
    assert row["reason"] == f"Dubblett av {kept.report_id}"
    assert row["withdrawn_by"].endswith("(kommandoraden)")
    assert db(desk).execute("SELECT count(*) FROM reports").fetchone()[0] == 2

    code, out, _ = run(capsys, "meeting", desk.first.isoformat())
    assert "Makulerad den " in out
    assert f"Skäl: Dubblett av {kept.report_id}" in out

    code, out, err = run(capsys, "withdraw", duplicate.report_id, "--restore")
    assert (code, err) == (0, "")
    assert "är återställd" in out
    assert sorted(filter(None, remote_index(dav, desk.first))) == sorted(
        [kept.report_id, duplicate.report_id])
    assert list(folder.glob(f"*{duplicate.report_id}.docx"))


def test_withdrawing_needs_a_reason_and_a_known_report(desk, capsys):
    report = desk.receive(visit_envelope(0), desk.first)
    assert run(capsys, "withdraw", report.report_id, "--reason", "  ")[0] == 2
    code, _, err = run(capsys, "withdraw", "BR-2026-XXXXXX", "--reason", "fel")
    assert (code, err) == (2, "besoksrapport: Det finns ingen rapport med id BR-2026-XXXXXX.\n")
    code, _, err = run(capsys, "withdraw", report.report_id, "--restore")
    assert (code, err) == (2, f"besoksrapport: Rapport {report.report_id} är inte makulerad.\n")
    assert run(capsys, "withdraw", report.report_id, "--reason", "Dubblett.")[0] == 0
    code, _, err = run(capsys, "withdraw", report.report_id, "--reason", "Igen.")
    assert (code, err) == (2, f"besoksrapport: Rapport {report.report_id} är redan makulerad.\n")


def _envelope_with_address(number: int) -> dict:
    envelope = visit_envelope(number)
    envelope["data"]["submitter"]["email"] = "politikern@exempelby.se"
    return envelope


def test_the_politician_is_mailed_when_a_webhook_report_is_withdrawn(desk, capsys):
    with running_inbox() as (inbox, port):
        desk.configure(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false")
        report = desk.receive(_envelope_with_address(0), desk.first)
        desk.work()
        assert run(capsys, "withdraw", report.report_id, "--reason",
                   "Besöket var ett studiebesök, inte ett verksamhetsbesök.")[0] == 0
        mails = [raw for _, to, raw in inbox.messages if to == ["politikern@exempelby.se"]]
        assert len(mails) == 1
        message = email.message_from_bytes(mails[0], policy=default)
        assert message["Subject"] == f"Din återrapport {report.report_id} har makulerats"
        body = message.get_content()
        assert "Skäl: Besöket var ett studiebesök, inte ett verksamhetsbesök." in body


def test_the_secretary_can_turn_the_politicians_mail_off(desk, capsys):
    with running_inbox() as (inbox, port):
        desk.configure(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false",
                       WITHDRAWAL_MAIL="false")
        report = desk.receive(_envelope_with_address(0), desk.first)
        desk.work()
        assert run(capsys, "withdraw", report.report_id, "--reason", "Dubblett.")[0] == 0
        assert [to for _, to, _ in inbox.messages if "politikern@exempelby.se" in to] == []


def test_a_report_with_personal_data_is_held_until_masked_and_the_original_is_kept(
        desk, dav, capsys):
    desk.configure(WEBDAV_URL=dav.url)
    plain = desk.receive(visit_envelope(0), desk.first)
    personal = desk.receive(visit_envelope(1, other_observations=PERSONAL), desk.first)
    desk.work()
    folder = desk.meeting_dir(desk.first)
    assert not list(folder.glob(f"*{personal.report_id}*"))
    assert remote_index(dav, desk.first) == [plain.report_id, None, None]
    code, out, _ = run(capsys, "meeting", desk.first.isoformat())
    assert ("Att kontrollera: Svaret på ”Övriga iakttagelser” innehåller ett möjligt "
            "personnummer (fel kontrollsiffra) och ett telefonnummer.") in out
    assert "19800101-1234" not in out.replace(PERSONAL, "")
    code, out, err = run(capsys, "agenda", desk.first.isoformat())
    assert "1 st" in out and personal.report_id in err
    code, out, _ = run(capsys, "meetings")
    assert (f"1 rapport till sammanträdet den {long_date(desk.first)} väntar på granskning av "
            "personuppgifter innan handlingarna publiceras") in out

    code, out, err = run(capsys, "review", personal.report_id, "--mask")
    assert (code, err) == (0, "")
    assert out == (f"Rapport {personal.report_id} är granskad: publiceras med uppgifterna "
                   "borttagna.\n")
    [text] = [t for n, t in folder_texts(folder).items() if personal.report_id in n]
    assert f"Brukaren, personnummer {MASK}, vill bli uppringd på {MASK}." in text
    assert "19800101" not in text and "070-123" not in text
    remote = remote_docx(dav, desk.first, personal.report_id)
    assert MASK in remote and "19800101" not in remote
    [row] = db(desk).execute("SELECT raw_body FROM reports WHERE report_id = ?",
                             (personal.report_id,)).fetchall()
    assert "19800101-1234" in json.loads(row[0])["data"]["answers"]["other_observations"]

    assert run(capsys, "review", personal.report_id, "--approve")[0] == 0
    [text] = [t for n, t in folder_texts(folder).items() if personal.report_id in n]
    assert "19800101-1234" in text


def test_with_flagging_only_a_report_with_personal_data_is_published_at_once(desk, capsys):
    desk.configure(HOLD_PERSONAL_DATA="false")
    personal = desk.receive(visit_envelope(1, other_observations=PERSONAL), desk.first)
    desk.work()
    assert list(desk.meeting_dir(desk.first).glob(f"*{personal.report_id}.docx"))
    assert "Att kontrollera: Svaret på ”Övriga iakttagelser”" in run(
        capsys, "meeting", desk.first.isoformat())[1]


def test_the_agenda_has_the_announcement_the_reports_and_the_oral_summaries(desk, capsys):
    oral = desk.receive(visit_envelope(0, oral_summary=True), desk.first)
    quiet = desk.receive(visit_envelope(1), desk.first)
    desk.work()
    assert run(capsys, "diary-number", "VSN 2026/143", "--meeting",
               desk.first.isoformat())[0] == 0
    code, out, err = run(capsys, "agenda", desk.first.isoformat())
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[2:4] == ["Anmälningsärende", "Återrapporter från kontaktpolitikers "
                          "verksamhetsbesök, 2 st, Dnr VSN 2026/143"]
    assert any(oral.report_id in line and line.startswith("1. ") for line in lines)
    assert any(quiet.report_id in line and line.startswith("2. ") for line in lines)
    at = lines.index("Muntlig återrapport önskas av")
    assert lines[at + 1].startswith(f"– {oral.submitter.name}: ")
    assert quiet.submitter.name not in "\n".join(lines[at:])
    [listing] = [t for n, t in folder_texts(desk.meeting_dir(desk.first)).items()
                 if "Förteckning" in n]
    assert ("Anmälningsärende: Återrapporter från kontaktpolitikers verksamhetsbesök, 2 st, "
            "Dnr VSN 2026/143") in listing
    assert f"Muntlig återrapport önskas av: {oral.submitter.name}" in listing


def test_the_agenda_of_a_day_without_a_meeting_is_refused(desk, capsys):
    code, _, err = run(capsys, "agenda", "2030-01-01")
    assert code == 2 and "inget sammanträde den 1 januari 2030" in err
