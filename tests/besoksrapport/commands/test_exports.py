"""``besoksrapport compensation`` and ``follow-up`` read the real SQLite storage and write files."""

from __future__ import annotations

import base64
import csv
import io
import json

import openpyxl
import pytest
from docx import Document
from year import sent_year

from besoksrapport.cli.main import main
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.storage.sqlite import SqliteStorage
from docgen.accessibility import check_docx


@pytest.fixture
def stored(tmp_path, monkeypatch):
    """The year of reports recorded in the storage the settings point at."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("BESOKSRAPPORT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BESOKSRAPPORT_CONFIG", str(EXAMPLE_CONFIG))
    monkeypatch.setenv("BESOKSRAPPORT_WEBHOOK_SECRETS",
                       "whsec_" + base64.b64encode(b"k" * 24).decode())
    monkeypatch.delenv("BESOKSRAPPORT_TEMPLATE", raising=False)
    storage = SqliteStorage(data_dir / "besoksrapport.sqlite3")
    for item in sent_year():
        raw = json.dumps(item.envelope, ensure_ascii=False).encode()
        storage.record_report(f"msg_{item.label}", raw, item.envelope, item.received_at, None)
    storage.close()
    return tmp_path / "out"


def _printed(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_compensation_writes_csv_and_xlsx_and_prints_their_paths(stored, capsys):
    assert main(["compensation", "--from", "2026-01-01", "--to", "2026-12-31",
                 "-o", str(stored)]) == 0
    printed = _printed(capsys)
    assert printed == [str(stored / "arvodesunderlag_2026-01-01_2026-12-31.csv"),
                       str(stored / "arvodesunderlag_2026-01-01_2026-12-31.xlsx")]
    with open(printed[0], encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream, delimiter=";"))
    # 16 reports: 3 in 2025, R10 repeats R09: 12 rows for 2026 (see test_compensation).
    assert len(table) == 1 + 12
    bases = {(row[0], row[2]): row[10] for row in table[1:]}
    assert bases["bengt.haraldsson", "2026-05-12"] == "Utöver 1–2 besök utan ordförandebeslut"
    assert bases["anna.lindqvist", "2026-09-15"] == "Efter ordförandens beslut (2026-09-01)"
    assert openpyxl.load_workbook(printed[1]).active.max_row == 1 + 12


def test_compensation_for_part_of_a_year_still_counts_the_whole_year(stored, capsys):
    assert main(["compensation", "--from", "2026-05-01", "--to", "2026-05-31",
                 "-o", str(stored)]) == 0
    with open(_printed(capsys)[0], encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream, delimiter=";"))
    assert [(row[0], row[10]) for row in table[1:]] == [
        ("bengt.haraldsson", "Utöver 1–2 besök utan ordförandebeslut")]


def test_follow_up_defaults_to_the_mandate_period(stored, capsys):
    assert main(["follow-up", "-o", str(stored)]) == 0
    printed = _printed(capsys)
    stem = "uppfoljning_kontaktpolitiker_2023-01-01_2026-12-31"
    assert printed == [str(stored / f"{stem}.docx"), str(stored / f"{stem}.csv")]
    data = (stored / f"{stem}.docx").read_bytes()
    assert check_docx(data) == []
    by_operation = Document(io.BytesIO(data)).tables[0]
    # Hand count as in test_followup, with the empty years 2023 and 2024 of the period.
    assert [cell.text for cell in by_operation.rows[0].cells] == [
        "Verksamhet", "2023", "2024", "2025", "2026", "Totalt"]
    assert [cell.text for cell in by_operation.rows[-1].cells] == [
        "Totalt", "0", "0", "2", "11", "13"]


def test_a_period_that_ends_before_it_starts_is_refused(stored, capsys):
    assert main(["follow-up", "--from", "2026-12-31", "--to", "2026-01-01",
                 "-o", str(stored)]) == 2
    assert main(["compensation", "--from", "2026-12-31", "--to", "2026-01-01",
                 "-o", str(stored)]) == 2
    assert capsys.readouterr().err == (
        "besoksrapport: datumet i --to ligger före datumet i --from\n" * 2)
    assert not stored.exists()


@pytest.mark.parametrize("command", ["compensation", "follow-up"])
def test_a_database_out_of_reach_is_one_swedish_line_and_status_3(stored, capsys, command):
    database = stored.parent / "data" / "besoksrapport.sqlite3"
    database.unlink()
    database.mkdir()  # a folder where the database should be: SQLite cannot open it
    assert main([command, "--from", "2026-01-01", "--to", "2026-12-31",
                 "-o", str(stored)]) == 3
    assert capsys.readouterr() == ("", f"besoksrapport: databasen går inte att använda: "
                                       f"{database}: databasfilen går inte att öppna "
                                       "(SQLITE_CANTOPEN)\n")
    assert not stored.exists()
