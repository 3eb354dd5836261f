"""Text that a Word document cannot hold is refused at its field, never passed on."""

from __future__ import annotations

import io
import json

import docx
import pytest

from besoksrapport.textsafety import first_unsafe, text_issues
from besoksrapport.validation import validate_envelope

BAD = {
    "nul": "\x00", "bell": "\x07", "vertical_tab": "\x0b", "form_feed": "\x0c",
    "escape": "\x1b", "delete": "\x7f", "c1_control": "\x85", "lone_high_surrogate": "\ud800",
    "lone_low_surrogate": "\udfff", "fffe": "\ufffe", "ffff": "\uffff",
}


@pytest.mark.parametrize("char", BAD.values(), ids=BAD.keys())
def test_each_kind_of_unsafe_character_is_refused_at_its_field(envelope, char):
    issues = validate_envelope(envelope(unit_news=f"Köket lagar{char} mat."))
    assert [(i.pointer, i.code) for i in issues] == [("/data/answers/unit_news",
                                                       "unsafe_character")]
    assert "tecken nummer 12" in issues[0].message
    assert "«Vad är på gång på den besökta enheten?»" in issues[0].message


def test_lone_surrogate_arriving_through_json_loads_is_refused(envelope):
    raw = json.dumps(envelope(), ensure_ascii=False).replace("Köket har", "K\\ud800öket har")
    payload = json.loads(raw)
    assert "\ud800" in payload["data"]["answers"]["unit_news"]
    assert [(i.pointer, i.code) for i in validate_envelope(payload)] == [
        ("/data/answers/unit_news", "unsafe_character")]


@pytest.mark.parametrize("text", ["rad ett\nrad två\r\n\tindrag", "åäö ÅÄÖ é ü ß", "🍲👍🏽",
                                  "غداء اليوم", "hårt\u00a0mellanslag", "\u200bnollbredd"])
def test_text_a_document_can_hold_passes(text):
    assert first_unsafe(text) is None
    document = docx.Document()
    document.add_paragraph(text)  # the real consumer accepts it
    document.save(io.BytesIO())


@pytest.mark.parametrize("char", ["\x07", "\ufffe"])
def test_python_docx_really_refuses_what_we_refuse(char):
    with pytest.raises(ValueError):
        docx.Document().add_paragraph(f"a{char}b")


def test_every_string_is_walked_including_lists_keys_and_the_envelope(envelope):
    doc = envelope(other_participants=["Bengt\x01"], joint_visit=True)
    doc["data"]["submitter"]["name"] = "Anna\x02"
    doc["data"]["answers"]["bad\x03key"] = "x"
    pointers = {issue.pointer for issue in text_issues(doc)}
    assert pointers == {"/data/answers/other_participants/0", "/data/submitter/name",
                        "/data/answers/bad\x03key"}


def test_deeply_nested_payload_is_walked_without_recursion_error():
    deep: list = ["\x07"]
    for _ in range(5_000):  # five times the recursion limit
        deep = [deep]
    [issue] = text_issues({"x": deep})
    assert issue.pointer == "/x" + "/0" * 5_001


def test_pointer_escapes_tilde_and_slash_in_keys():
    [issue] = text_issues({"a/b~c": "\x07"})
    assert issue.pointer == "/a~1b~0c"
