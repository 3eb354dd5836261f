"""Filing heals itself: a file our filing could have written that belongs to no report of the
meeting is removed at the next filing, whatever crashed before (issue 18); and a filing
that leaves the bundle for later says so (issue 19)."""

from __future__ import annotations

import dataclasses

import pytest
from meeting_reports import MEETING, make_report

from besoksrapport.filing.folder import file_meeting, manifest_path
from docgen.renderers import DocxRenderers


class CrashAfterReports(DocxRenderers):
    """The real renderers, dying when the Förteckning is due: the reports are written, the
    manifest (written last) is not, as when the process is killed mid-filing."""

    def listing(self, *args, **kwargs):
        raise KeyboardInterrupt("killed mid-filing")


def canonical(number: int):
    """A report with an id in storage's form, as every filed report has."""
    report = make_report(number)
    return dataclasses.replace(report, report_id=f"BR-2026-{'ABCDEFGH'[number]}2345{number}")


def docx_names(folder):
    return sorted(path.name for path in folder.glob("*.docx"))


def test_a_crash_mid_filing_followed_by_a_move_leaves_no_stale_file(tmp_path, committee):
    folder = tmp_path / MEETING.isoformat()
    staying, moved = canonical(1), canonical(2)
    file_meeting(folder, MEETING, committee, [staying], DocxRenderers())
    with pytest.raises(KeyboardInterrupt):
        file_meeting(folder, MEETING, committee, [staying, moved], CrashAfterReports())
    assert any(moved.report_id in name for name in docx_names(folder))  # left by the crash
    (folder / "Anteckningar från sekreteraren.docx").write_bytes(b"hers")
    # The report moves to another meeting; this one is filed again with what stays.
    filed = file_meeting(folder, MEETING, committee, [staying], DocxRenderers())
    assert not [name for name in docx_names(folder) if moved.report_id in name]
    assert [name for name in filed.removed if moved.report_id in name]
    assert (folder / "Anteckningar från sekreteraren.docx").read_bytes() == b"hers"
    on_disk = {path.name for path in folder.iterdir()
               if path.is_file() and not path.name.startswith(".") and path.suffix == ".docx"}
    assert on_disk == {item.file_name for item in filed.files} | {
        "Anteckningar från sekreteraren.docx"}


def test_a_file_named_like_a_report_of_this_meeting_but_of_no_report_is_removed(tmp_path,
                                                                                committee):
    folder = tmp_path / MEETING.isoformat()
    report = canonical(1)
    file_meeting(folder, MEETING, committee, [report], DocxRenderers())
    manifest_path(folder).unlink()  # even without any manifest to say it was ours
    stray = folder / "2026-10-01 Kost Anna Lindqvist BR-2026-ZZZZ99.docx"
    stray.write_bytes(b"left by an older filing")
    filed = file_meeting(folder, MEETING, committee, [report], DocxRenderers())
    assert not stray.exists()
    assert stray.name in filed.removed


def test_a_filing_without_the_meeting_documents_lists_the_old_ones_as_behind(tmp_path,
                                                                             committee):
    folder = tmp_path / MEETING.isoformat()
    first, second = canonical(1), canonical(2)
    built = file_meeting(folder, MEETING, committee, [first], DocxRenderers())
    old_bundle, old_listing = built.file("bundle"), built.file("listing")
    later = file_meeting(folder, MEETING, committee, [first, second], DocxRenderers(),
                         documents=False)
    assert later.documents_stale
    assert later.file("bundle") == old_bundle  # listed as it is, until it is rebuilt
    assert later.file("listing") == old_listing
    assert len([item for item in later.files if item.kind == "report"]) == 2
    rebuilt = file_meeting(folder, MEETING, committee, [first, second], DocxRenderers())
    assert not rebuilt.documents_stale
    assert rebuilt.file("bundle").sha512 != old_bundle.sha512
    assert rebuilt.written == [rebuilt.file("listing").file_name,
                               rebuilt.file("bundle").file_name, "index.json"]
