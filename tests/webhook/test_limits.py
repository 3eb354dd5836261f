"""The body limit is far above any real report: a report filled to every maxLength passes."""

from __future__ import annotations

import json

from webhook_helpers import PATH, envelope_for, signed_headers

from besoksrapport.form.schemas import form_fields
from besoksrapport.settings import Settings


def fullest_envelope() -> dict:
    """Every text at its maxLength, with emoji: 12 bytes each once \\u-escaped."""
    form = form_fields()
    envelope = envelope_for()
    answers = envelope["data"]["answers"]
    for name in ("information_given", "unit_news", "operation_raises",
                 "strengths_and_challenges", "other_observations"):
        answers[name] = "😀" * form[name]["maxLength"]
    answers["unit"] = "😀" * form["unit"]["maxLength"]
    answers["met"] = ["staff", "other"]
    answers["met_other"] = "😀" * form["met_other"]["maxLength"]
    answers["joint_visit"] = True
    item = form["other_participants"]
    answers["other_participants"] = [f"{n}" + "😀" * (item["items"]["maxLength"] - 1)
                                     for n in range(item["maxItems"])]
    return envelope


def test_a_report_at_every_maximum_fits_well_under_the_body_limit(client):
    body = json.dumps(fullest_envelope(), ensure_ascii=True).encode()
    assert len(body) < Settings.max_body_bytes / 3  # 2 MiB limit, about 0.6 MiB here
    response = client.post(PATH, data=body, headers=signed_headers(body))
    assert response.status_code == 201, response.get_json()
