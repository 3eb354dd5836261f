"""Two hosts polling one platform on one PostgreSQL database: one poll at a time across
hosts (the storage's advisory lock, not a file in either data folder), one report."""

from __future__ import annotations

from besoksrapport.oep.poller import poll_lock, poll_once
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings


def second_host(platform, postgres_url, tmp_path):
    """The platform's service moved to PostgreSQL, and another host beside it."""
    platform.ctx.storage.close()
    hosts = []
    for name in ("host-a", "host-b"):
        env = {**platform.env, "BESOKSRAPPORT_DATA_DIR": str(tmp_path / name),
               "BESOKSRAPPORT_DATABASE_URL": postgres_url}
        hosts.append(build_context(load_settings(env, require_secrets=False)))
    platform.ctx = hosts[0]
    return hosts


def test_a_poll_on_one_host_makes_the_other_hosts_poll_wait_its_turn(platform, postgres_url,
                                                                      tmp_path):
    first, second = second_host(platform, postgres_url, tmp_path)
    platform.submit(5101)
    with poll_lock(first, wait=False) as held:
        assert held
        assert poll_once(second, wait=False) is None  # another host is polling
    result = poll_once(second, wait=False)
    assert result is not None and len(result.reports) == 1
    again = poll_once(first, wait=False)
    assert again is not None and again.reports == [] and again.skipped == 1
    assert not (tmp_path / "host-a" / "oep-poll.lock").exists()
    second.storage.close()


def test_the_same_instance_polled_by_both_hosts_is_one_report(platform, postgres_url, tmp_path):
    first, second = second_host(platform, postgres_url, tmp_path)
    platform.submit(5102)
    results = [poll_once(ctx, wait=True) for ctx in (first, second)]
    made = [report for result in results if result for report in result.reports]
    assert len(made) == 1
    assert len(first.storage.reports_for_meeting(platform.meetings[0])) == 1
    second.storage.close()
