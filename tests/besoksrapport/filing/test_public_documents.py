"""What is the secretary's never reaches a public document: every file of a filed meeting.

The politician declares whether they are employed in the operation, whether a närstående
is, and whether they claim sammanträdesarvode; the secretary's flags follow from those
answers. A filed meeting folder (each report, the Förteckning, the bundle, index.json) is
public, so every word of every part of those files is searched, with everything declared
«Ja» and flagged, for any trace of them; the Förteckning names no files either.
"""

from __future__ import annotations

import json

import pytest
from documents import PRIVATE_WORDS
from meeting_reports import MEETING, RENDERERS, make_report
from public_text import folder_texts

from besoksrapport.committee.config import load_committee
from besoksrapport.filing.folder import file_meeting
from besoksrapport.form.schemas import FORM_SCHEMA, load_schema
from besoksrapport.guideline.flags import EMPLOYED_IN_OPERATION, RELATIVE_EMPLOYED
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.report import Flag

DECLARED = {"employed_in_operation": True, "relative_employed_in_operation": True,
            "claims_meeting_fee": True}
FLAGS = [Flag(EMPLOYED_IN_OPERATION, "Kontaktpolitikern är anställd i verksamheten kost."),
         Flag(RELATIVE_EMPLOYED, "En närstående är anställd i verksamheten kost.")]


def private_phrases() -> list[str]:
    """The words that give a declaration away, the form's questions and the flag texts."""
    form = load_schema(FORM_SCHEMA)["properties"]
    return [*PRIVATE_WORDS, *(form[field]["title"].casefold() for field in DECLARED),
            *(flag.message.casefold() for flag in FLAGS)]


@pytest.fixture(scope="module")
def filed(tmp_path_factory):
    reports = []
    for number in range(1, 5):
        report = make_report(number, **DECLARED, oral_summary=True)
        report.flags = list(FLAGS)
        reports.append(report)
    folder = tmp_path_factory.mktemp("public") / MEETING.isoformat()
    result = file_meeting(folder, MEETING, load_committee(EXAMPLE_CONFIG), reports, RENDERERS,
                          diary_number="VSN 2026/143")
    return folder, result


def public_texts(folder) -> dict[str, str]:
    texts = folder_texts(folder)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    texts["index.json (names)"] = "\n".join(
        f"{item['name']}\n{item['fileName']}" for item in index["auxiliaryFile"])
    texts["index.json"] = (folder / "index.json").read_text(encoding="utf-8")
    return texts


def test_every_public_document_was_read(filed):
    folder, result = filed
    texts = public_texts(folder)
    assert len(texts) == len(result.files) + 2  # each DOCX, and index.json twice
    for item in result.files:
        if item.report_id:
            assert item.report_id in texts[item.file_name]  # the text really is there


def test_no_declaration_arvode_claim_or_flag_is_in_any_public_document(filed):
    folder, _ = filed
    found = {name: [phrase for phrase in private_phrases() if phrase in text.casefold()]
             for name, text in public_texts(folder).items()}
    assert found == {name: [] for name in found}


def test_the_forteckning_and_the_bundle_name_no_file(filed):
    folder, result = filed
    texts = folder_texts(folder)
    report_files = [item.file_name for item in result.files if item.kind == "report"]
    for kind in ("listing", "bundle"):
        text = texts[result.file(kind).file_name]
        assert [name for name in report_files if name in text] == [], kind
        assert ".docx" not in text, kind
