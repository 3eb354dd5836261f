"""Text that a Word document cannot hold is refused at its field, never passed on."""

from __future__ import annotations

import copy
import io
import json

import docx
import pytest

from besoksrapport.form.textsafety import first_unsafe, may_hold_unsafe, text_issues
from besoksrapport.form.validation import validate_envelope
from besoksrapport.paths import EXAMPLES_DIR

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
    assert "”Vad är på gång på den besökta enheten?”" in issues[0].message


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


# -- the shortcut over the JSON text gives the very same issues as the walk --------------------

EXAMPLES = sorted(EXAMPLES_DIR.glob("*/*.json"))
# Raw characters (forbidden and allowed) and JSON escapes, put into values and keys.
INSERTS = [*BAD.values(), "\t", "\n", "\r", "å", "\u00a0", "\u200b", "🍲", "\\", "\\b", "\b",
           "\f", "\\u0007", "\\\\u0007", "x\\"]
RAW_ESCAPES = [r"\b", r"\f", r"\u0007", r"\u001F", r"\u007f", r"\u0085", r"\u009F", r"\uD800",
               r"\udfff", r"\uFFFE", r"\uffff", r"\ud83c\udf72", r"\\b", r"\\u0007", r"\t",
               r"\n", r"\u00e5", r"\u00A0", r"\/", r"\""]


def _strings(value, path=()):
    """Paths to every string value and every key (as ("key", path-of-its-object, key))."""
    if isinstance(value, str):
        yield ("value", path)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield ("key", path, key)
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _mutated(payload, place, insert):
    result = copy.deepcopy(payload)
    if place[0] == "value":
        *parents, last = place[1]
        node = result
        for token in parents:
            node = node[token]
        node[last] = node[last][:3] + insert + node[last][3:]
    else:
        node = result
        for token in place[1]:
            node = node[token]
        node[place[2] + insert] = node.pop(place[2])
    return result


def _texts(payload):
    yield json.dumps(payload, ensure_ascii=False)
    yield json.dumps(payload, ensure_ascii=True)
    yield json.dumps(payload, ensure_ascii=False, indent=2)


def _assert_same(text):
    try:
        payload = json.loads(text)
    except ValueError:
        return
    assert text_issues(payload, text) == text_issues(payload), text[:200]


def test_text_shortcut_agrees_with_the_walk_over_examples_and_mutations():
    for path in EXAMPLES:
        payload = json.loads(path.read_text(encoding="utf-8"))
        for text in _texts(payload):
            _assert_same(text)
        for place in _strings(payload):
            for insert in INSERTS:
                for text in _texts(_mutated(payload, place, insert)):
                    _assert_same(text)


def test_text_shortcut_agrees_with_the_walk_for_escapes_written_by_hand():
    template = json.dumps(json.loads(EXAMPLES[0].read_text(encoding="utf-8")),
                          ensure_ascii=False)
    for escape in RAW_ESCAPES:
        for text in (template.replace('"data"', f'"da{escape}ta"', 1),
                     template.replace('"visit_report', f'"{escape}visit_report', 1),
                     template.replace(':"', f':"{escape}')):
            _assert_same(text)


def test_text_shortcut_is_taken_for_plain_text_and_refused_for_suspect_escapes():
    assert not may_hold_unsafe('{"a": "åäö \\n \\t \\" \\\\ \\/ \\u00e5 🍲"}')
    for suspect in (r"\b", r"\f", r"\u0000", r"\u001f", r"\u007F", r"\u0090", r"\uDBFF",
                    r"\ufffe", "\x07", "\x85", "\ufffe"):
        assert may_hold_unsafe('{"a": "x' + suspect + 'y"}'), suspect


def test_validation_with_the_json_text_gives_the_same_issues(envelope):
    for payload in (envelope(), envelope(unit_news="K\x07ök"), envelope(unit_news=" ")):
        for text in _texts(payload):
            assert validate_envelope(json.loads(text), text) == validate_envelope(payload)
