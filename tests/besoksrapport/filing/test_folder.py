"""Filing a meeting folder: names, index.json, re-rendering only what changed, idempotence."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zipfile
from datetime import date

import pytest
from meeting_reports import MEETING, make_report

from besoksrapport.committee.model import Politician
from besoksrapport.filing.folder import (
    LEGACY_LOCK_NAME,
    LEGACY_MANIFEST_NAME,
    file_meeting,
    manifest_path,
    state_dir,
)
from besoksrapport.filing.index import DOCX_MIME, INDEX_NAME
from besoksrapport.filing.names import is_safe_name
from besoksrapport.report import Flag
from docgen import renderers as renderers_module
from docgen.renderers import DocxRenderers


class CountingRender(DocxRenderers):
    """The real renderers, counting which reports they were asked to render."""

    def __init__(self, committee):
        super().__init__()
        self.rendered: list[str] = []

    def report(self, report, committee):
        self.rendered.append(report.report_id)
        return super().report(report, committee)


def snapshot(folder):
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns)
            for path in folder.iterdir() if path.is_file()}


def test_filing_writes_every_report_the_lists_and_a_truthful_index(tmp_path, committee, reports):
    render = CountingRender(committee)
    filed = file_meeting(tmp_path / "2026-12-10", MEETING, committee, reports, render)

    assert sorted(render.rendered) == sorted(r.report_id for r in reports)
    index = json.loads(filed.index_path.read_text(encoding="utf-8"))
    assert index["type"] == "https://schema.oparl.org/1.1/Meeting"
    assert index["start"] == "2026-12-10"
    assert index["organization"][0]["name"] == "Välfärd- och servicenämnden"
    assert index["organization"][0]["body"]["name"] == "Exempelby kommun"
    files = index["auxiliaryFile"]
    assert [f["besoksrapport:kind"] for f in files] == ["report"] * 5 + ["listing", "bundle"]
    assert [f.get("besoksrapport:reportId") for f in files[:5]] == [
        r.report_id for r in sorted(reports, key=lambda r: (r.visit_date, r.report_id))]
    for entry in files:
        data = (filed.meeting_dir / entry["fileName"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha512Checksum"] == hashlib.sha512(data).hexdigest()
        assert entry["mimeType"] == DOCX_MIME
        assert is_safe_name(entry["fileName"])
    assert files[0]["fileName"].startswith(f"{reports[0].visit_date.isoformat()} ")
    assert files[0]["fileName"].endswith(f" {reports[0].report_id}.docx")
    assert [item.sha512 for item in filed.files] == [f["sha512Checksum"] for f in files]


def test_the_index_is_dated_by_the_latest_report_not_the_clock(tmp_path, committee, reports):
    filed = file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    index = json.loads(filed.index_path.read_text(encoding="utf-8"))
    latest = max(r.received_at for r in reports)
    assert index["besoksrapport:generatedAt"] == latest.isoformat().replace("+00:00", "Z")


def test_filing_twice_renders_nothing_and_touches_no_file(tmp_path, committee, reports):
    file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    before = snapshot(tmp_path)
    render = CountingRender(committee)
    again = file_meeting(tmp_path, MEETING, committee, list(reversed(reports)), render)
    assert render.rendered == []
    assert again.written == [] and again.removed == []
    assert not again.changed
    assert snapshot(tmp_path) == before


def test_a_changed_report_alone_is_rendered_again(tmp_path, committee, reports):
    file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    changed = dataclasses.replace(reports[2], answers={**reports[2].answers, "unit": "Nya köket"})
    render = CountingRender(committee)
    filed = file_meeting(tmp_path, MEETING, committee,
                         [*reports[:2], changed, *reports[3:]], render)
    assert render.rendered == [changed.report_id]
    name = next(f.file_name for f in filed.files if f.report_id == changed.report_id)
    assert set(filed.written) == {name, filed.file("listing").file_name,
                                  filed.file("bundle").file_name, INDEX_NAME}


def test_a_report_moved_to_another_meeting_leaves_the_folder(tmp_path, committee, reports):
    first = file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    gone = next(f for f in first.files if f.report_id == reports[1].report_id)
    render = CountingRender(committee)
    filed = file_meeting(tmp_path, MEETING, committee, [r for r in reports if r is not reports[1]],
                         render)
    assert render.rendered == []
    assert filed.removed == [gone.file_name]
    assert not (tmp_path / gone.file_name).exists()
    index = json.loads(filed.index_path.read_text(encoding="utf-8"))
    assert reports[1].report_id not in json.dumps(index)
    assert index["besoksrapport:reportCount"] == 4


def test_a_renamed_politician_moves_the_file_to_its_new_name(tmp_path, committee, reports):
    first = file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    old = next(f.file_name for f in first.files if f.report_id == reports[0].report_id)
    renamed = dataclasses.replace(reports[0], submitter=dataclasses.replace(
        reports[0].submitter, name="Anna Lindqvist-Åberg"))
    filed = file_meeting(tmp_path, MEETING, committee, [renamed, *reports[1:]],
                         CountingRender(committee))
    new = next(f.file_name for f in filed.files if f.report_id == reports[0].report_id)
    assert "Lindqvist-Åberg" in new
    assert filed.removed == [old]
    assert (tmp_path / new).exists() and not (tmp_path / old).exists()


def test_a_deleted_or_altered_file_is_restored(tmp_path, committee, reports):
    first = file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    deleted, altered = first.files[0], first.files[1]
    original = (tmp_path / altered.file_name).read_bytes()
    (tmp_path / deleted.file_name).unlink()
    (tmp_path / altered.file_name).write_bytes(b"edited by hand")
    render = CountingRender(committee)
    file_meeting(tmp_path, MEETING, committee, reports, render)
    assert sorted(render.rendered) == sorted([deleted.report_id, altered.report_id])
    assert (tmp_path / altered.file_name).read_bytes() == original
    assert hashlib.sha512((tmp_path / deleted.file_name).read_bytes()).hexdigest() == deleted.sha512


def test_a_lost_manifest_costs_renders_but_changes_no_bytes(tmp_path, committee, reports):
    file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    before = snapshot(tmp_path)
    manifest_path(tmp_path).write_text("{not json")
    again = file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    assert again.written == []
    after = snapshot(tmp_path)
    assert after == before


def test_two_folders_filed_from_the_same_reports_are_byte_identical(tmp_path, committee, reports):
    file_meeting(tmp_path / "a", MEETING, committee, reports, CountingRender(committee))
    file_meeting(tmp_path / "b", MEETING, committee, list(reversed(reports)),
                 CountingRender(committee))
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_an_empty_meeting_still_gets_a_listing_and_an_index(tmp_path, committee):
    filed = file_meeting(tmp_path, MEETING, committee, [], CountingRender(committee))
    assert [f.kind for f in filed.files] == ["listing", "bundle"]
    index = json.loads(filed.index_path.read_text(encoding="utf-8"))
    assert index["besoksrapport:reportCount"] == 0


def test_a_report_of_another_meeting_is_refused(tmp_path, committee):
    stray = make_report(1, meeting=date(2027, 1, 28))
    with pytest.raises(ValueError, match="belongs to 2027-01-28"):
        file_meeting(tmp_path, MEETING, committee, [stray], CountingRender(committee))


def test_the_same_report_twice_is_refused(tmp_path, committee):
    with pytest.raises(ValueError, match="twice"):
        file_meeting(tmp_path, MEETING, committee, [make_report(1), make_report(1)],
                     CountingRender(committee))


def test_flags_for_the_secretary_do_not_reach_the_folder(tmp_path, committee):
    flagged = make_report(1)
    flagged.flags.append(Flag("employed", "Hemlig anteckning till sekreteraren"))
    file_meeting(tmp_path, MEETING, committee, [flagged], CountingRender(committee))
    seen = b""
    for path in tmp_path.iterdir():
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                contents = b"".join(archive.read(name) for name in archive.namelist())
        else:
            contents = path.read_bytes()
        assert b"Hemlig anteckning" not in contents, path.name
        seen += contents
    assert flagged.unit.encode() in seen  # the search does find text that is there


def test_a_meetings_diary_number_renders_every_report_and_the_lists_again(
        tmp_path, committee, reports):
    file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    render = CountingRender(committee)
    own = dataclasses.replace(reports[0], diary_number="VSN 2026/150")
    filed = file_meeting(tmp_path, MEETING, committee, [own, *reports[1:]], render,
                         diary_number="VSN 2026/143")
    assert sorted(render.rendered) == sorted(report.report_id for report in reports)
    assert {filed.file("listing").file_name, filed.file("bundle").file_name} <= set(
        filed.written)
    render = CountingRender(committee)
    again = file_meeting(tmp_path, MEETING, committee, [own, *reports[1:]], render,
                         diary_number="VSN 2026/143")
    assert (render.rendered, again.written) == ([], [])


def test_an_empty_meetings_list_is_rebuilt_when_it_gets_a_diary_number(tmp_path, committee):
    file_meeting(tmp_path, MEETING, committee, [], CountingRender(committee))
    filed = file_meeting(tmp_path, MEETING, committee, [], CountingRender(committee),
                         diary_number="VSN 2026/143")
    assert filed.file("listing").file_name in filed.written


def test_a_change_of_the_politicians_roster_entry_renders_their_report_again(
        tmp_path, committee, reports):
    """The sender block names the operations the roster appoints the politician for."""
    file_meeting(tmp_path, MEETING, committee, reports, CountingRender(committee))
    appointed = dataclasses.replace(committee, politicians=(
        Politician(reports[0].submitter.id, reports[0].submitter.name, "ledamot", ("kost",)),))
    render = CountingRender(appointed)
    file_meeting(tmp_path, MEETING, appointed, reports, render)
    assert render.rendered == [report.report_id for report in reports
                               if report.submitter.id == reports[0].submitter.id]


def test_reports_filed_with_an_earlier_layout_are_rendered_again(tmp_path, committee, reports,
                                                                  monkeypatch):
    monkeypatch.setattr(renderers_module, "LAYOUT_VERSION", "1")
    earlier = CountingRender(committee)
    file_meeting(tmp_path, MEETING, committee, reports, earlier)
    monkeypatch.undo()
    current = CountingRender(committee)
    assert current.key != earlier.key
    file_meeting(tmp_path, MEETING, committee, reports, current)
    assert sorted(current.rendered) == sorted(report.report_id for report in reports)


def test_the_meeting_folder_holds_only_documents_and_its_bookkeeping_lies_outside(
        tmp_path, committee, reports):
    meeting = tmp_path / "data" / "meetings" / MEETING.isoformat()
    filed = file_meeting(meeting, MEETING, committee, reports, CountingRender(committee))
    names = {path.name for path in meeting.iterdir()}
    assert names == {item.file_name for item in filed.files} | {"index.json"}
    assert state_dir(meeting) == tmp_path / "data" / ".filing" / MEETING.isoformat()
    assert json.loads(manifest_path(meeting).read_text(encoding="utf-8"))["reports"]


def test_a_folder_filed_by_the_earlier_version_has_its_manifest_moved_out(
        tmp_path, committee, reports):
    meeting = tmp_path / "meetings" / MEETING.isoformat()
    file_meeting(meeting, MEETING, committee, reports, CountingRender(committee))
    # As the earlier version left it: the manifest and the lock inside the folder.
    manifest_path(meeting).replace(meeting / LEGACY_MANIFEST_NAME)
    (meeting / LEGACY_LOCK_NAME).touch()
    render = CountingRender(committee)
    again = file_meeting(meeting, MEETING, committee, reports, render)
    assert render.rendered == [] and again.written == []  # the old manifest still counts
    assert not (meeting / LEGACY_MANIFEST_NAME).exists()
    assert not (meeting / LEGACY_LOCK_NAME).exists()
    assert manifest_path(meeting).is_file()
