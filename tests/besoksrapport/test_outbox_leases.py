"""The outbox's short, renewed leases, its graceful stop, its debounced jobs and the
incremental reassessment (issues 18, 19).

A killed worker's job is taken over within seconds; a running job keeps its lease however
long it runs; a stopped worker hands its job back at once; a burst of requests for a
meeting's bundle is one job, run after the burst and never later than its cap.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, datetime, timedelta

from flow import VISITS, visit_envelope, wait_for
from webhook_helpers import body_of

from besoksrapport.guideline.flags import assess_all
from besoksrapport.outbox import worker
from besoksrapport.outbox.jobs import BUILD_BUNDLE, jobs_for_new_report
from besoksrapport.outbox.worker import WorkerThread, heartbeat, run_pending


def test_a_killed_workers_job_is_taken_over_within_seconds(ctx):
    job_id = ctx.storage.enqueue("noop", {})
    now = datetime.now(UTC)
    assert ctx.storage.claim_job(now, worker.LEASE_SECONDS).id == job_id  # then "killed"
    assert ctx.storage.claim_job(now + timedelta(seconds=1), worker.LEASE_SECONDS) is None
    later = now + timedelta(seconds=worker.LEASE_SECONDS + 0.1)
    assert worker.LEASE_SECONDS <= 15
    assert ctx.storage.claim_job(later, worker.LEASE_SECONDS).id == job_id


# The tests' leases: renewed every 0.05 s, they lapse only if no renewal gets through for
# this long. A loaded test machine stalled a renewal (a write waiting for its fsync) for
# most of a second, and a 0.3 s lease and later a 1 s one lapsed under a full parallel run.
TEST_LEASE = 3.0


def retaken(ctx):
    """The first job anyone can claim, as soon as a lease has run out (polled)."""
    return wait_for(lambda: ctx.storage.claim_job(datetime.now(UTC), TEST_LEASE),
                    TEST_LEASE + 30, "a lease to run out")


def test_a_running_job_keeps_its_lease_while_its_heartbeat_beats(ctx):
    job_id = ctx.storage.enqueue("noop", {})
    job = ctx.storage.claim_job(datetime.now(UTC), TEST_LEASE)
    with heartbeat(ctx, job, every=0.05, lease_seconds=TEST_LEASE):
        time.sleep(TEST_LEASE + 1)  # well past the first lease
        assert ctx.storage.claim_job(datetime.now(UTC), TEST_LEASE) is None
    # The beats stopped with the block: the lease runs out (it would not if they went on).
    assert retaken(ctx).id == job_id


def test_a_graceful_stop_hands_the_running_job_back_at_once(ctx):
    started, release = threading.Event(), threading.Event()

    def slow(job, context):
        started.set()
        release.wait(10)

    ctx.handlers = {**ctx.handlers, "slow": slow}
    job_id = ctx.storage.enqueue("slow", {})
    thread = WorkerThread(ctx, poll_seconds=0.05)
    thread.start()
    assert started.wait(10)
    thread.stop(timeout=0.2)  # the job is still running: it is handed back
    try:
        again = ctx.storage.claim_job(datetime.now(UTC), worker.LEASE_SECONDS)
        assert again is not None and again.id == job_id
        assert again.attempts == 1  # the handed-back claim did not count
    finally:
        release.set()
        thread.join(10)


def test_a_burst_of_requests_is_one_job_run_after_the_burst(ctx):
    before = datetime.now(UTC)
    ids = {ctx.storage.debounce(BUILD_BUNDLE, {"meeting_date": "2026-12-10"},
                                "build_bundle:2026-12-10", delay=10, max_wait=60)
           for _ in range(50)}
    after = datetime.now(UTC)
    assert len(ids) == 1
    [job] = ctx.storage.pending_jobs(BUILD_BUNDLE)
    # ten seconds after the last request of the burst, however long the burst took
    assert before + timedelta(seconds=10) <= job.not_before <= after + timedelta(seconds=10)
    # not yet due (ten seconds, not three: a stall of a loaded machine is not that long)
    assert ctx.storage.claim_job(datetime.now(UTC), 5) is None


def test_a_steady_stream_still_gets_its_job_by_the_cap(ctx):
    key = "build_bundle:2026-12-10"
    before = datetime.now(UTC)
    ctx.storage.debounce(BUILD_BUNDLE, {"meeting_date": "2026-12-10"}, key, delay=1,
                         max_wait=2)
    first = datetime.now(UTC)
    time.sleep(0.6)
    ctx.storage.debounce(BUILD_BUNDLE, {"meeting_date": "2026-12-10"}, key, delay=10,
                         max_wait=2)
    [job] = ctx.storage.pending_jobs(BUILD_BUNDLE)
    # capped at two seconds after the first request, not ten after the second
    assert before + timedelta(seconds=2) <= job.not_before <= first + timedelta(seconds=2)


def test_a_run_that_was_asked_for_does_not_wait_for_the_burst(ctx):
    built = []
    ctx.handlers = {**ctx.handlers, BUILD_BUNDLE: lambda job, context: built.append(job.id)}
    job_id = ctx.storage.debounce(BUILD_BUNDLE, {"meeting_date": "2026-12-10"},
                                  "build_bundle:2026-12-10", delay=30, max_wait=60)
    assert run_pending(ctx, hurry=False) == []
    assert [outcome.job_id for outcome in run_pending(ctx)] == [job_id] == built


def test_judging_only_what_a_new_report_can_change_gives_what_judging_the_year_gives(ctx):
    """Random politicians, days and joint visits, late reports among them: after each
    report's own (incremental) reassessment, every stored judgement equals a judgement of
    the whole year at once."""
    chance = random.Random(19)
    units = ["Centralköket", "Ishallen"]
    for number in range(60):
        who = VISITS[chance.randrange(len(VISITS))]
        envelope = visit_envelope(number, unit=chance.choice(units), operation="kost",
                                  visit_date=f"2026-10-{chance.randint(1, 6):02d}")
        envelope["data"]["submitter"] = {"id": who[0], "name": who[1]}
        envelope["data"]["submission_id"] = f"year-{number}"
        ctx.storage.record_report(f"msg_year_{number}", body_of(envelope), envelope,
                                  datetime.now(UTC), None, jobs=jobs_for_new_report())
        run_pending(ctx)
    stored = ctx.storage.reports_between(datetime(2026, 1, 1).date(),
                                         datetime(2026, 12, 31).date())
    whole = assess_all(stored, ctx.committee)
    assert len(stored) == 60
    assert any(report.joint_visit_of for report in stored)
    assert any(flag.code == "over_yearly_visits" for report in stored for flag in report.flags)
    for report in stored:
        assert (report.flags, report.joint_visit_of) == (
            whole[report.report_id].flags, whole[report.report_id].joint_visit_of), \
            report.report_id


def test_one_keeper_renews_the_leases_of_several_running_jobs_and_stops_with_each(ctx):
    """Jobs running side by side (a web worker's threads, a command) share one thread;
    a job that ended is not renewed any more."""
    from besoksrapport.outbox.heartbeat import keeper

    for number in range(2):
        ctx.storage.enqueue(f"kind-{number}", {})
    now = datetime.now(UTC)
    first = ctx.storage.claim_job(now, TEST_LEASE)
    second = ctx.storage.claim_job(now, TEST_LEASE)
    threads_before = threading.active_count()
    with heartbeat(ctx, first, every=0.05, lease_seconds=TEST_LEASE):
        with heartbeat(ctx, second, every=0.05, lease_seconds=TEST_LEASE):
            time.sleep(TEST_LEASE + 1)  # past the first leases: only renewals keep both
            assert ctx.storage.claim_job(datetime.now(UTC), TEST_LEASE) is None
        assert threading.active_count() <= threads_before + 1  # one keeper, if new
        # The second's lease runs out; the first's is still renewed, so it is the second
        # that is taken over (the first, if its renewals had stopped too).
        assert retaken(ctx).id == second.id
    assert keeper() is keeper()
