"""index.json bytes are stable and readable; writes are atomic and skip identical bytes."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from besoksrapport.filing.atomic import write_atomic
from besoksrapport.filing.index import FiledFile, build_index, render_index, write_index

FILES = [
    FiledFile(name="Återrapport BR-1", file_name="2026-11-03 Kost Åsa Öberg BR-1.docx",
              size=1234, sha512="ab" * 64, kind="report", report_id="BR-1",
              date=date(2026, 11, 3)),
    FiledFile(name="Förteckning", file_name="2026-12-10 Förteckning.docx", size=99,
              sha512="cd" * 64, kind="listing"),
]


def index_at(moment: datetime) -> dict:
    return build_index(meeting_date=date(2026, 12, 10), committee="Välfärd- och servicenämnden",
                       municipality="Exempelby kommun", files=FILES, generated_at=moment)


def test_index_keeps_swedish_letters_and_percent_encodes_access_urls():
    text = render_index(index_at(datetime(2026, 11, 5, 9, 0, tzinfo=UTC))).decode("utf-8")
    assert "Välfärd- och servicenämnden" in text
    index = json.loads(text)
    first = index["auxiliaryFile"][0]
    assert first["type"] == "https://schema.oparl.org/1.1/File"
    assert first["fileName"] == "2026-11-03 Kost Åsa Öberg BR-1.docx"
    assert first["accessUrl"] == "2026-11-03%20Kost%20%C3%85sa%20%C3%96berg%20BR-1.docx"
    assert first["date"] == "2026-11-03"
    assert "besoksrapport:reportId" not in index["auxiliaryFile"][1]


def test_the_same_moment_in_any_zone_gives_the_same_bytes():
    moment = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    stockholm = moment.astimezone(timezone(timedelta(hours=1)))
    assert render_index(index_at(moment)) == render_index(index_at(stockholm))
    assert index_at(moment)["modified"] == "2026-11-05T09:00:00Z"


def test_write_index_reports_whether_it_changed_anything(tmp_path):
    moment = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    assert write_index(tmp_path, index_at(moment)) is True
    assert write_index(tmp_path, index_at(moment)) is False
    assert write_index(tmp_path, index_at(moment + timedelta(seconds=1))) is True


def test_atomic_write_replaces_whole_files_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "sub" / "fil.docx"
    assert write_atomic(target, b"first")
    stat = target.stat()
    assert not write_atomic(target, b"first")
    assert target.stat().st_mtime_ns == stat.st_mtime_ns
    assert write_atomic(target, b"second version")
    assert target.read_bytes() == b"second version"
    assert sorted(os.listdir(target.parent)) == ["fil.docx"]


def test_a_failed_atomic_write_keeps_the_old_file_and_cleans_up(tmp_path):
    target = tmp_path / "fil.docx"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):  # fails inside the write, after the temporary file exists
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["fil.docx"]


def test_atomically_written_documents_are_readable_by_others(tmp_path):
    from besoksrapport.filing.atomic import write_atomic

    target = tmp_path / "rapport.docx"
    write_atomic(target, b"dokument")
    assert target.stat().st_mode & 0o777 == 0o644
