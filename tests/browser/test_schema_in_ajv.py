"""The form schema as AJV 8 reads it (the validator of RJSF and JSON Forms), strict mode on."""

from __future__ import annotations

import json
import subprocess

import pytest
from form_page import PAGE_DIR, built_page

from besoksrapport.paths import EXAMPLES_DIR

pytestmark = pytest.mark.browser

CROSS_FIELD = {"date_after_submission", "end_not_after_start", "decision_after_visit"}


def test_ajv_strict_compiles_the_form_and_agrees_with_the_server_on_every_example():
    built_page()  # installs ajv from the lock file
    result = subprocess.run(["node", "strict-check.cjs", str(EXAMPLES_DIR.parent)],
                            cwd=PAGE_DIR, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr  # strict mode throws on any doubt
    verdicts = json.loads(result.stdout)
    expected = json.loads((EXAMPLES_DIR / "invalid.expected.json").read_text(encoding="utf-8"))
    refused = {f"invalid/{name}" for name, entry in expected.items()
               if entry["pointer"].startswith("/data/answers")
               and entry["code"] not in CROSS_FIELD}
    assert {name for name, verdict in verdicts.items() if verdict is not True} == refused
    # Each is refused at the question the server names (AJV: the path or the missing name).
    for name in refused:
        pointer = expected[name.removeprefix("invalid/")]["pointer"].removeprefix(
            "/data/answers")
        places = {path + ("/" + (params.get("missingProperty")
                                 or params.get("unevaluatedProperty") or "")
                          if keyword in ("required", "unevaluatedProperties") else "")
                  for path, keyword, params in verdicts[name]}
        assert pointer.replace("~1", "/").replace("~0", "~") in places, (name, places)
