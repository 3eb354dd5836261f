"""``move`` refiles both meeting folders; ``bundle`` writes the bundle and says where."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

import pytest
from docx import Document
from flow import visit_envelope

from besoksrapport.cli.main import main
from besoksrapport.swedish import long_date

from .conftest import run


def listed(folder) -> dict[str, str]:
    """Report id → file name, as the folder's index.json lists them."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return {item["besoksrapport:reportId"]: item["fileName"] for item in index["auxiliaryFile"]
            if item["besoksrapport:kind"] == "report"}


@pytest.fixture
def filed(desk):
    """Two reports filed with the next meeting."""
    reports = [desk.receive(visit_envelope(n), desk.first) for n in (1, 2)]
    desk.work()
    return reports


def test_move_takes_the_file_out_of_one_folder_and_into_the_other(desk, filed, capsys):
    moved, stays = filed
    old, new = desk.meeting_dir(desk.first), desk.meeting_dir(desk.second)
    name = listed(old)[moved.report_id]

    code, out, err = run(capsys, "move", moved.report_id, "--to", desk.second.isoformat())

    assert (code, err) == (0, "")
    assert out == (f"{moved.report_id} har flyttats från sammanträdet den "
                   f"{long_date(desk.first)} till sammanträdet den {long_date(desk.second)}.\n")
    assert not (old / name).exists()
    assert (new / name).is_file()
    assert listed(old) == {stays.report_id: listed(old)[stays.report_id]}
    assert listed(new) == {moved.report_id: name}
    assert desk.ctx.storage.get_report(moved.report_id).meeting_date == desk.second


def test_move_of_a_waiting_report_files_it_with_the_chosen_meeting(desk, capsys):
    waiting = desk.receive(visit_envelope(3), None)
    desk.work()
    code, out, _ = run(capsys, "move", waiting.report_id, "--to", desk.first.isoformat())
    assert code == 0
    assert out == (f"{waiting.report_id} har flyttats från väntelistan till sammanträdet den "
                   f"{long_date(desk.first)}.\n")
    assert waiting.report_id in listed(desk.meeting_dir(desk.first))


def test_move_to_a_day_without_a_meeting_is_refused_in_swedish(desk, filed, capsys):
    day = desk.first + timedelta(days=1)
    before = listed(desk.meeting_dir(desk.first))
    code, out, err = run(capsys, "move", filed[0].report_id, "--to", day.isoformat())
    assert (code, out) == (2, "")
    assert err == (f"besoksrapport: det finns inget sammanträde den {long_date(day)} i "
                   "konfigurationen\n")
    assert listed(desk.meeting_dir(desk.first)) == before
    assert desk.ctx.storage.get_report(filed[0].report_id).meeting_date == desk.first


def test_move_of_an_unknown_report_is_refused_in_swedish(desk, filed, capsys):
    code, out, err = run(capsys, "move", "BR-2026-FINNSEJ", "--to", desk.second.isoformat())
    assert (code, out) == (2, "")
    assert err == "besoksrapport: det finns ingen rapport med id BR-2026-FINNSEJ\n"
    assert not desk.meeting_dir(desk.second).exists()


def test_bundle_prints_the_path_of_a_bundle_with_every_report(desk, filed, capsys):
    code, out, _ = run(capsys, "bundle", desk.first.isoformat())
    assert code == 0
    path = desk.meeting_dir(desk.first) / out.strip().rpartition("/")[2]
    assert out.strip() == str(path)
    assert zipfile.is_zipfile(path)
    text = "\n".join(paragraph.text for paragraph in Document(path).paragraphs)
    for report in filed:
        assert report.report_id in text


def test_bundle_of_a_meeting_without_reports_is_the_listing_alone(desk, capsys):
    code, out, _ = run(capsys, "bundle", desk.second.isoformat())
    assert code == 0
    assert "Inga återrapporter" in "\n".join(p.text for p in Document(out.strip()).paragraphs)


def test_a_mistyped_date_is_refused_in_swedish_with_exit_code_2(desk, filed, capsys):
    with pytest.raises(SystemExit) as refused:
        main(["move", filed[0].report_id, "--to", "2026-13-45"])
    assert refused.value.code == 2
    assert capsys.readouterr().err.endswith(
        "besoksrapport move: fel: --to: ”2026-13-45” är inget datum som finns; skriv "
        "datumet som ÅÅÅÅ-MM-DD, till exempel 2026-12-10\n")
