"""Two hosts on one PostgreSQL database, each with its own data folder: a meeting filed on
one is read, served and filed further on the other, and a host's folder can go at any time."""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from webhook_helpers import body_of, committee_config, envelope_for

from besoksrapport.filing.shared import COPY_NAME
from besoksrapport.outbox.jobs import file_meeting_now
from besoksrapport.runtime import build_context
from besoksrapport.secretary.meeting_files import filed_files, filed_path
from besoksrapport.settings import load_settings

TODAY = datetime.now(UTC).date()
MEETINGS = [TODAY + timedelta(days=20), TODAY + timedelta(days=50)]


@pytest.fixture
def hosts(tmp_path, postgres_url):
    config = committee_config(tmp_path / "committee.toml", MEETINGS)
    contexts = [build_context(load_settings(
        {"BESOKSRAPPORT_DATA_DIR": str(tmp_path / name), "BESOKSRAPPORT_CONFIG": str(config),
         "BESOKSRAPPORT_DATABASE_URL": postgres_url}, require_secrets=False))
        for name in ("host-a", "host-b")]
    yield contexts
    for ctx in contexts:
        ctx.storage.close()


def receive(ctx, number, meeting=MEETINGS[0]):
    envelope = envelope_for(f"oep-{number}")
    envelope["data"]["answers"]["visit_date"] = (TODAY - timedelta(days=number)).isoformat()
    report, _ = ctx.storage.record_report(f"msg_{number}", body_of(envelope), envelope,
                                          datetime.now(UTC), meeting)
    return report


def listing(ctx, day):
    return [(item.kind, item.file_name, item.sha512) for item in filed_files(ctx, day)]


def test_a_meeting_filed_on_one_host_is_listed_and_served_the_same_on_the_other(hosts):
    first, second = hosts
    report = receive(first, 1)
    file_meeting_now(first, MEETINGS[0])
    assert listing(second, MEETINGS[0]) == listing(first, MEETINGS[0])
    assert [kind for kind, _, _ in listing(second, MEETINGS[0])] == ["report", "listing",
                                                                      "bundle"]
    for kind in ("report", "listing", "bundle"):
        served = filed_path(second, MEETINGS[0], kind)
        assert served is not None and served.read_bytes() == \
            filed_path(first, MEETINGS[0], kind).read_bytes()
    assert filed_path(second, MEETINGS[0], "report", report.report_id) is not None


def test_filing_on_the_other_host_starts_from_the_last_filing_and_renders_only_the_new(hosts):
    first, second = hosts
    receive(first, 1)
    file_meeting_now(first, MEETINGS[0])
    receive(second, 2)
    renders = []
    filed = file_meeting_now(second, MEETINGS[0], on_render=lambda: renders.append(1))
    assert renders == [1]  # the first report's document came from the shared store
    assert len([item for item in filed.files if item.kind == "report"]) == 2
    assert listing(first, MEETINGS[0]) == listing(second, MEETINGS[0])


def test_a_report_moved_away_leaves_both_hosts_copies(hosts):
    first, second = hosts
    moved = receive(first, 1)
    receive(first, 2)
    file_meeting_now(first, MEETINGS[0])
    gone = filed_path(first, MEETINGS[0], "report", moved.report_id)
    second.storage.set_meeting(moved.report_id, MEETINGS[1])
    file_meeting_now(second, MEETINGS[0])
    file_meeting_now(second, MEETINGS[1])
    assert filed_path(first, MEETINGS[0], "report", moved.report_id) is None
    assert not gone.exists()  # the other host's copy let go of it too
    assert filed_path(first, MEETINGS[1], "report", moved.report_id) is not None


def test_a_hosts_folder_deleted_loses_nothing(hosts, tmp_path):
    first = hosts[0]
    receive(first, 1)
    file_meeting_now(first, MEETINGS[0])
    before = listing(first, MEETINGS[0])
    shutil.rmtree(tmp_path / "host-a")
    assert listing(first, MEETINGS[0]) == before
    assert (tmp_path / "host-a" / ".filing" / MEETINGS[0].isoformat() / COPY_NAME).is_file()
    assert not (tmp_path / "host-a" / "meetings" / MEETINGS[0].isoformat() / COPY_NAME).exists()


def test_one_meeting_filed_on_both_hosts_at_once_is_filed_one_after_the_other(hosts):
    first, second = hosts
    for number in range(1, 5):
        receive(hosts[number % 2], number)
    results, errors = [], []

    def file(ctx):
        try:
            results.append(file_meeting_now(ctx, MEETINGS[0]))
        except Exception as error:  # the test looks at it
            errors.append(error)

    threads = [threading.Thread(target=file, args=(ctx,)) for ctx in (first, second) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    # Only the first filing rendered; the others found every document already filed.
    assert sum(bool(result.written) for result in results) == 1
    assert listing(first, MEETINGS[0]) == listing(second, MEETINGS[0])
    assert len(first.storage.filed_digests(MEETINGS[0])) == 4 + 2 + 2  # docs, index, manifest


def test_on_sqlite_the_data_folder_stays_the_only_place(tmp_path):
    config = committee_config(tmp_path / "committee.toml", MEETINGS)
    ctx = build_context(load_settings({"BESOKSRAPPORT_DATA_DIR": str(tmp_path / "data"),
                                       "BESOKSRAPPORT_CONFIG": str(config)},
                                      require_secrets=False))
    receive(ctx, 1)
    file_meeting_now(ctx, MEETINGS[0])
    folder = tmp_path / "data" / "meetings" / MEETINGS[0].isoformat()
    assert not (folder / COPY_NAME).exists()
    assert not (tmp_path / "data" / ".filing" / MEETINGS[0].isoformat() / COPY_NAME).exists()
    assert len(listing(ctx, MEETINGS[0])) == 3
    ctx.storage.close()


def test_a_meeting_never_filed_lists_nothing_on_either_host(hosts):
    assert filed_files(hosts[1], date(2030, 1, 1)) == []
