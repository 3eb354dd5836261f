"""The example envelopes: what our validator and an independent one say about each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from besoksrapport.form.messages import CODES, SCHEMA_CODES
from besoksrapport.form.schemas import form_fields
from besoksrapport.form.validation import validate_envelope
from besoksrapport.paths import EXAMPLES_DIR, schema_file

VALID_DIR = EXAMPLES_DIR / "valid"
INVALID_DIR = EXAMPLES_DIR / "invalid"
MANIFEST = EXAMPLES_DIR / "invalid.expected.json"



def read_example(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def valid_examples() -> list[Path]:
    return sorted(VALID_DIR.glob("*.json"))


def invalid_examples() -> list[Path]:
    return sorted(INVALID_DIR.glob("*.json"))


def expected_issues() -> dict[str, dict[str, str]]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
ENVELOPE = schema_file("webhook-envelope.schema.json")


def test_the_named_valid_examples_exist():
    names = {path.stem for path in valid_examples()}
    assert {"minimal", "maximal", "chair-decision", "joint-visit", "oral-summary"} <= names


def test_there_are_at_least_fifteen_invalid_examples_each_listed_in_the_manifest():
    files = {path.name for path in invalid_examples()}
    assert len(files) >= 15
    assert files == set(expected_issues())
    assert all(entry["code"] in CODES for entry in expected_issues().values())


@pytest.mark.parametrize("path", valid_examples(), ids=lambda p: p.stem)
def test_valid_example_validates(path):
    assert validate_envelope(read_example(path)) == []


@pytest.mark.parametrize("path", invalid_examples(), ids=lambda p: p.stem)
def test_invalid_example_gives_exactly_its_one_documented_issue(path):
    expected = expected_issues()[path.name]
    issues = validate_envelope(read_example(path))
    assert [(i.pointer, i.code) for i in issues] == [(expected["pointer"], expected["code"])]


def test_maximal_example_fills_every_answer_with_demanding_text():
    answers = read_example(VALID_DIR / "maximal.json")["data"]["answers"]
    assert set(answers) == set(form_fields())
    texts = "".join(value for value in answers.values() if isinstance(value, str))
    for needle in ("å", "ä", "ö", "\n", "\t", "🍲", "غداء"):
        assert needle in texts, needle
    longest = max(len(v) for v in answers.values() if isinstance(v, str))
    assert 2500 <= longest < 10000


def test_lone_surrogate_example_really_yields_a_lone_surrogate():
    text = read_example(INVALID_DIR / "lone-surrogate.json")["data"]["answers"]["unit_news"]
    assert "\ud800" in text


def _check_jsonschema(*instances: Path) -> dict:
    """Run the check-jsonschema CLI offline: --base-uri makes the relative $ref a local file."""
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--output-format", "json",
         "--base-uri", ENVELOPE.resolve().as_uri(), "--schemafile", str(ENVELOPE),
         *map(str, instances)],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def _files_with_errors(report: dict) -> set[str]:
    assert report["parse_errors"] == []
    return {Path(error["filename"]).name for error in report["errors"]}


def test_check_jsonschema_accepts_every_valid_example():
    report = _check_jsonschema(*valid_examples())
    assert report["status"] == "ok", report


def test_check_jsonschema_agrees_on_every_invalid_example():
    """Schema-level examples fail there too, blank answers and characters a document cannot
    hold among them; only the rules comparing answers pass, as JSON Schema cannot see them."""
    failing = _files_with_errors(_check_jsonschema(*invalid_examples()))
    schema_level = {name for name, entry in expected_issues().items()
                    if entry["code"] in (*SCHEMA_CODES, "blank", "unsafe_character")}
    assert failing == schema_level


def test_check_jsonschema_really_checks_formats(tmp_path):
    doc = read_example(VALID_DIR / "minimal.json")
    doc["data"]["answers"]["visit_date"] = "2026-02-30"
    instance = tmp_path / "impossible.json"
    instance.write_text(json.dumps(doc), encoding="utf-8")
    report = _check_jsonschema(instance)
    assert [error["path"] for error in report["errors"]] == ["$.data.answers.visit_date"]
