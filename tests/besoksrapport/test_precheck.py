"""The compiled pre-check never accepts what the full 2020-12 validator rejects.

validate_envelope asks besoksrapport.form.precheck first and skips jsonschema when it says
"valid". These tests run every example and thousands of mutations of them both ways: the
pre-check's "valid" must imply no schema error from the full validator, and
validate_envelope must give the very same issues with the pre-check switched off.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from besoksrapport.form import precheck, validation
from besoksrapport.form.schemas import validator
from besoksrapport.paths import EXAMPLES_DIR

EXAMPLES = sorted(EXAMPLES_DIR.glob("*/*.json"))
VALID = sorted(EXAMPLES_DIR.glob("valid/*.json"))

# Values chosen to sit on the schemas' edges: types, formats (2026-02-30), patterns with a
# trailing newline, lengths, enums, booleans that are numbers, nesting.
REPLACEMENTS: list[Any] = [
    None, True, False, 0, 1, 1.0, -1, 2.5, "", " ", "x", "x" * 101, "x" * 5001, "x\n",
    "2026-02-30", "2026-02-28", "2026-13-01", "2026-11-18\n", "18/11/2026",
    "09:30", "24:00", "9:30", "09:30\n", "23:59",
    "2026-11-20T09:14:58Z", "2026-11-20T09:14:58", "2026-11-20T09:14:60Z",
    "2026-11-20t09:14:58z", "2026-11-20T09:14:58+01:00",
    "a@b", "a b@example.se", "anna@example.se", "anna@example.se\n",
    "kost", "chair_decision", "ordinary", "ledamot", "staff", "other", "visit_report.submitted",
    "oep-1001", "oep 1001", "-oep", "Tab\there", "nul\x00", "\ud800",
    [], {}, ["staff"], ["staff", "staff"], ["other"], ["staff", 1], [True, 1], [[["deep"]]],
    {"a": 1}, {"name": "x"},
]


def _load(path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _places(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """Every place in a JSON value: paths to each member and item, the root first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _replaced(payload: Any, path: tuple, value: Any) -> Any:
    if not path:
        return copy.deepcopy(value)
    result = copy.deepcopy(payload)
    node = result
    for token in path[:-1]:
        node = node[token]
    node[path[-1]] = copy.deepcopy(value)
    return result


def _removed(payload: Any, path: tuple) -> Any:
    result = copy.deepcopy(payload)
    node = result
    for token in path[:-1]:
        node = node[token]
    del node[path[-1]]
    return result


def _mutations(payload: Any) -> Iterator[Any]:
    for path in _places(payload):
        for value in REPLACEMENTS:
            yield _replaced(payload, path, value)
        if path:
            yield _removed(payload, path)
        container = payload
        for token in path:
            container = container[token]
        if isinstance(container, dict):
            yield _replaced(payload, (*path, "unknown_field"), "x")


def _full_schema_errors(payload: Any) -> list:
    return list(validator().iter_errors(validation._bounded(payload, validation.MAX_DEPTH)))


def _without_precheck(payload: Any, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patch:
        # Not a mock: this switches the fast path off, so the full validator answers.
        patch.setattr(validation, "envelope_is_valid", lambda _payload: False)
        return validation.validate_envelope(payload)


def test_precheck_is_in_use_for_our_schemas():
    assert precheck.available()
    bundled = json.dumps(precheck.draft7_envelope())
    assert '"$ref"' not in bundled and "draft-07" in bundled


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_every_valid_example_takes_the_fast_path(path):
    assert precheck.envelope_is_valid(_load(path))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_examples_fast_valid_implies_full_valid_and_same_issues(path, monkeypatch):
    payload = _load(path)
    if precheck.envelope_is_valid(payload):
        assert _full_schema_errors(payload) == []
    assert validation.validate_envelope(payload) == _without_precheck(payload, monkeypatch)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_mutated_examples_are_never_accepted_by_the_precheck_alone(path, monkeypatch):
    accepted = rejected = 0
    for payload in _mutations(_load(path)):
        if precheck.envelope_is_valid(payload):
            accepted += 1
            assert _full_schema_errors(payload) == [], json.dumps(payload, ensure_ascii=False)
        else:
            rejected += 1
        assert validation.validate_envelope(payload) == _without_precheck(payload, monkeypatch)
    assert accepted and rejected  # both verdicts were exercised


def test_random_double_mutations_of_every_example_agree(monkeypatch):
    rng = random.Random(20261120)
    payloads = [_load(path) for path in EXAMPLES]
    for _ in range(1500):
        payload = rng.choice(payloads)
        for _step in range(2):
            places = [p for p in _places(payload) if p]
            payload = _replaced(payload, rng.choice(places), rng.choice(REPLACEMENTS))
        if precheck.envelope_is_valid(payload):
            assert _full_schema_errors(payload) == [], json.dumps(payload, ensure_ascii=False)
        assert validation.validate_envelope(payload) == _without_precheck(payload, monkeypatch)


def test_impossible_date_is_refused_by_the_precheck_and_reported_in_swedish():
    payload = _load(EXAMPLES_DIR / "valid" / "minimal.json")
    payload["data"]["answers"]["visit_date"] = "2026-02-30"
    assert not precheck.envelope_is_valid(payload)
    issues = validation.validate_envelope(payload)
    assert [(i.pointer, i.code) for i in issues] == [("/data/answers/visit_date", "format")]


def test_absurdly_nested_payload_falls_back_instead_of_failing():
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    payload = _load(EXAMPLES_DIR / "valid" / "minimal.json")
    payload["data"]["answers"]["met"] = deep
    assert not precheck.envelope_is_valid(payload)
    assert validation.validate_envelope(payload)
