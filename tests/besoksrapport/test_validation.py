"""validate_envelope: all problems, one clear message each, and never an exception."""

from __future__ import annotations

import copy
import json
import random

import pytest

from besoksrapport.errors import ValidationIssue
from besoksrapport.form.validation import validate_envelope
from besoksrapport.paths import EXAMPLES_DIR

GARBAGE = [None, True, 0, -1.5, float("nan"), "", "x" * 100_000, [], [None], {}, {"": None},
           {"type": "visit_report.submitted"}, {"data": []}, {"data": {"answers": []}},
           {"data": {"answers": {"met": {"other": True}}}}, ["visit_report.submitted"],
           {"\ud800": "\x00"}, json.loads("[" * 900 + "]" * 900)]


def pairs(doc):
    return [(issue.pointer, issue.code) for issue in validate_envelope(doc)]


@pytest.mark.parametrize("payload", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_payload_gives_issues_never_an_exception(payload):
    issues = validate_envelope(payload)
    assert issues
    assert all(isinstance(issue, ValidationIssue) for issue in issues)


def _mutations(doc, rng):
    """Every place in a valid envelope, replaced by each kind of odd value."""
    odd = [None, True, 7, 2.5, "", " ", "\x07", "2026-02-30", [], [1, [2]], {}, {"a": {"b": []}},
           "x" * 20_000, ["staff", "staff"], json.loads("[" * 500 + "]" * 500)]
    places = []
    stack = [((), doc)]
    while stack:
        path, node = stack.pop()
        places.append(path)
        if isinstance(node, dict):
            stack.extend(((*path, key), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend(((*path, i), value) for i, value in enumerate(node))
    for path in places:
        for value in odd:
            mutated = copy.deepcopy(doc)
            if not path:
                yield value
                continue
            parent = mutated
            for token in path[:-1]:
                parent = parent[token]
            if rng.random() < 0.2 and isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            yield mutated


@pytest.mark.parametrize("name", ["maximal", "chair-decision", "met-other"])
def test_every_field_replaced_by_odd_values_never_raises(name):
    doc = json.loads((EXAMPLES_DIR / "valid" / f"{name}.json").read_text(encoding="utf-8"))
    rng = random.Random(name)
    for mutated in _mutations(doc, rng):
        issues = validate_envelope(mutated)
        assert all(issue.message and issue.code for issue in issues)
        assert len({issue.pointer for issue in issues}) == len(issues)


def test_valid_envelope_has_no_issues(envelope):
    assert validate_envelope(envelope("maximal")) == []


def test_all_problems_are_reported_in_form_order(envelope):
    doc = envelope(operation="skola", visit_date="2026-02-30", end_time="25:00",
                   public_record_acknowledged=False)
    del doc["data"]["answers"]["role"]
    doc["data"]["submitter"]["email"] = "anna"
    assert pairs(doc) == [
        ("/data/submitter/email", "format"),
        ("/data/answers/operation", "enum"),
        ("/data/answers/visit_date", "format"),
        ("/data/answers/end_time", "pattern"),
        ("/data/answers/role", "required"),
        ("/data/answers/public_record_acknowledged", "const"),
    ]


def test_missing_visit_date_says_so_in_swedish(envelope):
    doc = envelope()
    del doc["data"]["answers"]["visit_date"]
    [issue] = validate_envelope(doc)
    assert issue.as_dict() == {"pointer": "/data/answers/visit_date", "code": "required",
                               "message": "Ange datum för besöket."}


def test_no_discussion_answer_gets_one_message_at_the_first_discussion_question(envelope):
    doc = envelope()
    del doc["data"]["answers"]["unit_news"]
    [issue] = validate_envelope(doc)
    assert (issue.pointer, issue.code) == ("/data/answers/information_given", "one_required")
    assert issue.message == "Besvara minst en av frågorna om vad som togs upp under besöket."


def test_chair_decision_without_date_asks_for_the_date(envelope):
    doc = envelope("chair-decision")
    del doc["data"]["answers"]["chair_decision_date"]
    [issue] = validate_envelope(doc)
    assert issue.as_dict() == {"pointer": "/data/answers/chair_decision_date",
                               "code": "required",
                               "message": "Ange datum för ordförandens beslut."}


@pytest.mark.parametrize(("answers", "pointer"), [
    ({"chair_decision_date": "2026-11-01"}, "/data/answers/chair_decision_date"),
    ({"other_participants": ["Bengt Haraldsson"]}, "/data/answers/other_participants"),
    ({"met_other": "Elevrådet"}, "/data/answers/met_other"),
])
def test_conditional_answer_given_without_its_condition_is_not_allowed(envelope, answers,
                                                                        pointer):
    [issue] = validate_envelope(envelope(**answers))
    assert (issue.pointer, issue.code) == (pointer, "not_allowed")
    assert issue.message.startswith(("Ange bara", "Skriv bara"))


@pytest.mark.parametrize(("answers", "expected"), [
    # A wrong type is reported once, not also as "none of the choices".
    ({"operation": 5}, [("/data/answers/operation", "type")]),
    ({"operation": "Kost"}, [("/data/answers/operation", "enum")]),
    # A broken condition does not also produce its consequence.
    ({"joint_visit": "ja", "other_participants": ["Bengt Haraldsson"]},
     [("/data/answers/joint_visit", "type")]),
    ({"visit_kind": "extra", "chair_decision_date": "2026-11-01"},
     [("/data/answers/visit_kind", "enum")]),
    ({"met": ["staff", "othr"], "met_other": "Elevrådet"}, [("/data/answers/met/1", "enum")]),
    # An unsafe character in a date is one problem, not also a format error.
    ({"visit_date": "2026-11-0\x04"}, [("/data/answers/visit_date", "unsafe_character")]),
])
def test_one_mistake_gives_one_message(envelope, answers, expected):
    assert pairs(envelope(**answers)) == expected


def test_unknown_property_pointer_is_escaped(envelope):
    doc = envelope()
    doc["data"]["answers"]["a/b~c"] = 1
    assert pairs(doc) == [("/data/answers/a~1b~0c", "unknown_property")]


def test_each_missing_envelope_field_is_reported_at_its_own_pointer():
    assert pairs({"data": {"answers": {}}, "type": "visit_report.submitted"})[:4] == [
        ("/timestamp", "required"), ("/data/submission_id", "required"),
        ("/data/submitted_at", "required"), ("/data/submitter", "required")]


def test_list_items_are_sorted_by_index_not_text(envelope):
    participants = [f"Namn {i}" if i not in (2, 10) else "" for i in range(11)]
    doc = envelope(joint_visit=True, other_participants=participants)
    assert [p for p, _ in pairs(doc)] == ["/data/answers/other_participants",
                                          "/data/answers/other_participants/2",
                                          "/data/answers/other_participants/10"]
