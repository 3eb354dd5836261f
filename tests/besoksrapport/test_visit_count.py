"""The receipt's count of a politician's ordinary visits is the guideline's count (visits.py).

The year of tests/support/year.py is stored in a real SQLite storage as the webhook stores
it; for every report, the count read from the storage at reception must equal the number
``visits.participations`` gives the same visit when it sees the whole year.
"""

from __future__ import annotations

import json

import pytest
from year import sent_year

from besoksrapport.guideline.visits import participations, visit_key
from besoksrapport.reception.visit_count import ordinary_visit_number
from besoksrapport.storage.sqlite import SqliteStorage


@pytest.fixture
def stored(tmp_path):
    store = SqliteStorage(tmp_path / "db.sqlite3")
    reports = []
    for item in sent_year():
        body = json.dumps(item.envelope, ensure_ascii=False).encode()
        report, _ = store.record_report(f"msg_{item.label}", body, item.envelope,
                                        item.received_at, None)
        reports.append(report)
    yield store, reports
    store.close()


def test_every_reports_count_is_the_one_the_whole_year_gives(stored):
    store, reports = stored
    numbered = {(part.politician_id, part.key): part.ordinal
                for part in participations(reports)}
    for report in reports:
        expected = numbered[report.submitter.id, visit_key(report)]
        assert ordinary_visit_number(store, report) == expected, report.submission_id


def test_the_third_ordinary_visit_is_counted_third_and_a_chair_decision_not_at_all(stored):
    store, reports = stored
    by_label = {report.submission_id.removeprefix("oep-"): report for report in reports}
    assert ordinary_visit_number(store, by_label["R04"]) == 3  # Bengt: R02, R03, R04
    assert ordinary_visit_number(store, by_label["R13"]) is None  # by the chair's decision
    # Dragan's second report of one visit has the number of his first report of it.
    assert ordinary_visit_number(store, by_label["R10"]) == \
        ordinary_visit_number(store, by_label["R09"]) == 1
