"""What filing writes for every file at every filing is written fast, and byte for byte as
before (issue 19): index.json and the manifest as ``json.dumps`` indents them, the access
URLs as ``urllib.parse.quote`` makes them, and fingerprints as the documented digest, so a
folder filed by the earlier version is neither rewritten nor rendered again."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from urllib.parse import quote

import pytest
from meeting_reports import MEETING, make_report

from besoksrapport.committee.model import Politician
from besoksrapport.filing import pretty_json
from besoksrapport.filing.folder import Fingerprints, file_meeting, fingerprint, manifest_path
from besoksrapport.filing.index import access_url, render_index
from docgen.renderers import DocxRenderers


class Subclassed(dict):
    pass


SHAPES = [
    {}, [], "å\"\n\t\\", 3, -0.5, None, True,
    {"a": [], "b": {}, "c": [[], [[]], {}]},
    {"z": 1, "å": "ä", "A": {"k": [1, 2.5, None, False, "ö"]}},
    {"nested": {"deeper": {"list": [{"q": "w", "a": 1}, {"b": [1, {"c": {}}]}]}}},
    {"tuple": (1, "två"), "sub": Subclassed(b=1, a={"x": 2})},
    {"big": 10 ** 30, "small": 1e-9, "emoji": "😀", "control": "\x01\x1f"},
]


@pytest.mark.parametrize("indent", [1, 2, 4])
@pytest.mark.parametrize("value", SHAPES)
def test_indented_json_is_what_json_dumps_writes(value, indent):
    assert pretty_json.dumps(value, indent) == json.dumps(value, indent=indent,
                                                          sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("name", [
    "2026-11-03 Kost Åsa Öberg BR-2026-7Q3K9X.docx", "a/b c%d+e&f?g#h=i", "~_.-", "",
    "日本 語.pdf", "😀 (2).docx", "tab\there", "Ω" * 130])
def test_access_urls_are_what_quote_makes(name):
    assert access_url(name) == quote(name)


def test_index_json_and_the_manifest_are_written_as_json_dumps_indents_them(tmp_path,
                                                                          committee):
    reports = [make_report(number) for number in range(1, 8)]
    filed = file_meeting(tmp_path / MEETING.isoformat(), MEETING, committee, reports,
                         DocxRenderers())
    index = filed.index_path.read_text(encoding="utf-8")
    assert index == json.dumps(json.loads(index), indent=2, sort_keys=True,
                               ensure_ascii=False) + "\n"
    assert render_index(json.loads(index)) == index.encode()
    manifest = manifest_path(filed.meeting_dir).read_text(encoding="utf-8")
    assert manifest == json.dumps(json.loads(manifest), indent=1, sort_keys=True,
                                  ensure_ascii=False) + "\n"
    assert len(json.loads(manifest)["reports"]) == 7


def documented_digest(report, render_key, committee) -> str:
    """The fingerprint as its docstring defines it, computed the plain way."""
    state = {item.name: getattr(report, item.name) for item in dataclasses.fields(report)
             if item.name != "flags"}
    state["submitter"] = dataclasses.asdict(report.submitter)
    shown = [committee.municipality, committee.name, dataclasses.asdict(committee.guideline),
             committee.politician(report.submitter.id)]
    canonical = json.dumps([render_key, state, shown], sort_keys=True, default=str,
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_fingerprints_are_the_documented_digest_so_filed_reports_stay_current(committee):
    roster = dataclasses.replace(committee, politicians=(
        Politician(id="p1", name="Anna Lindqvist", role="ledamot", operations=("kost",)),))
    reports = [make_report(number) for number in range(1, 6)]
    reports[2] = dataclasses.replace(reports[2], diary_number="VSN 2026/143",
                                     joint_visit_of="BR-0001")
    for board in (committee, roster):
        fingerprints = Fingerprints("layout-key", board)
        for report in reports:
            expected = documented_digest(report, "layout-key", board)
            assert fingerprints(report) == expected
            assert fingerprint(report, "layout-key", board) == expected
    assert len({Fingerprints("k", roster)(report) for report in reports}) == len(reports)
