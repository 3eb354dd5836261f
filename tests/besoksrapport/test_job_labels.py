"""Each job is named in Swedish by what it does and what it is about."""

from __future__ import annotations

from english import english_words

from besoksrapport.outbox.registry import RESULTS
from besoksrapport.runtime import HANDLERS, JOBS

KINDS = JOBS.labels
job_label, kind_label = JOBS.job_label, JOBS.kind_label



def test_every_job_kind_the_outbox_runs_has_a_swedish_name():
    assert set(HANDLERS) == set(KINDS)
    assert [text for text in [*KINDS.values(), *RESULTS.values()] if english_words(text)] == []


def test_a_job_names_its_meeting_its_report_or_its_arende():
    assert job_label("file_meeting", {"meeting_date": "2026-12-10"}) == \
        "sparande i mappen för sammanträdet den 10 december 2026"
    assert job_label("notify_report", {"report_id": "BR-2026-7Q3K9X"}) == \
        "e-post till sekreteraren om rapport BR-2026-7Q3K9X"
    assert job_label("oep_set_status", {"flow_instance_id": 235212}) == \
        "status i Open ePlatform för ärende 235212"
    assert job_label("oep_add_message", {"flow_instance_id": 235212,
                                         "report_id": "BR-2026-7Q3K9X"}) == \
        "meddelande till kontaktpolitikern i Open ePlatform för ärende 235212, rapport " \
        "BR-2026-7Q3K9X"
    assert kind_label("from_a_newer_version") == "uppgiften from_a_newer_version"
