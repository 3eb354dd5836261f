"""``diary-number``: the secretary registers reports under a diarienummer; documents follow.

The storage is filled as the webhook fills it and the outbox run with ``run_pending``; the
meeting folder is read back as the secretary opens it.
"""

from __future__ import annotations

from flow import visit_envelope
from public_text import folder_texts

from besoksrapport.filing.folder import read_filed
from besoksrapport.swedish import long_date
from docgen.listing import TITLE

from .conftest import run


def test_a_meetings_number_is_shown_in_every_report_and_the_list(desk, capsys):
    reports = [desk.receive(visit_envelope(n), desk.first) for n in (0, 1)]
    desk.work()
    code, out, err = run(capsys, "diary-number", "VSN  2026/143 ", "--meeting",
                         desk.first.isoformat())
    assert (code, err) == (0, "")
    assert out == (f"Rapporterna till sammanträdet den {long_date(desk.first)} har "
                   "diarienummer VSN 2026/143.\n")
    texts = folder_texts(desk.meeting_dir(desk.first))
    for report in reports:
        [text] = [t for name, t in texts.items() if report.report_id in name]
        assert "Diarienummer: VSN 2026/143" in text
    [listing] = [text for name, text in texts.items()
                 if name.endswith("Förteckning över återrapporter.docx")]
    assert TITLE in listing and "Diarienummer: VSN 2026/143" in listing


def test_a_reports_own_number_goes_before_the_meetings(desk, capsys):
    own, other = (desk.receive(visit_envelope(n), desk.first) for n in (0, 1))
    desk.work()
    assert run(capsys, "diary-number", "VSN 2026/143", "--meeting",
               desk.first.isoformat())[0] == 0
    code, out, _ = run(capsys, "diary-number", "VSN 2026/150", "--report", own.report_id)
    assert (code, out) == (0, f"Rapporten {own.report_id} har diarienummer VSN 2026/150.\n")
    texts = folder_texts(desk.meeting_dir(desk.first))
    [mine] = [t for name, t in texts.items() if own.report_id in name]
    [theirs] = [t for name, t in texts.items() if other.report_id in name]
    assert "Diarienummer: VSN 2026/150" in mine and "VSN 2026/143" not in mine
    assert "Diarienummer: VSN 2026/143" in theirs
    code, out, _ = run(capsys, "meeting", desk.first.isoformat())
    assert "   Diarienummer: VSN 2026/150" in out and "   Diarienummer: VSN 2026/143" in out


def test_removing_the_number_renders_the_documents_without_it(desk, capsys):
    report = desk.receive(visit_envelope(0), desk.first)
    desk.work()
    run(capsys, "diary-number", "VSN 2026/143", "--meeting", desk.first.isoformat())
    filed = read_filed(desk.meeting_dir(desk.first), desk.first)
    code, out, _ = run(capsys, "diary-number", "--remove", "--meeting", desk.first.isoformat())
    assert code == 0 and "har inte längre något gemensamt diarienummer" in out
    again = read_filed(desk.meeting_dir(desk.first), desk.first)
    assert {f.sha512 for f in again.files}.isdisjoint({f.sha512 for f in filed.files})
    texts = folder_texts(desk.meeting_dir(desk.first))
    assert not any("VSN 2026/143" in text for text in texts.values()), report.report_id


def test_a_number_of_the_wrong_form_is_refused_with_the_committees_example(desk, capsys):
    code, out, err = run(capsys, "diary-number", "2026/143", "--meeting",
                         desk.first.isoformat())
    assert (code, out) == (2, "")
    assert err == ("besoksrapport: ”2026/143” har inte nämndens form för diarienummer; skriv "
                   "till exempel ”VSN 2026/143”.\n")
    assert desk.ctx.storage.meeting_diary_number(desk.first) is None


def test_an_unknown_report_and_a_missing_number_are_refused(desk, capsys):
    code, _, err = run(capsys, "diary-number", "VSN 2026/1", "--report", "BR-2026-NOSUCH")
    assert (code, err) == (2, "besoksrapport: det finns ingen rapport med id BR-2026-NOSUCH\n")
    code, _, err = run(capsys, "diary-number", "--meeting", desk.first.isoformat())
    assert (code, err) == (2, "besoksrapport: ange antingen ett diarienummer eller --remove\n")
