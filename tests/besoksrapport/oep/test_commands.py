"""``besoksrapport oep poll`` and ``oep check-mapping``, the outbox's view of the callbacks,
and a poll killed halfway (a real ``besoksrapport`` process, SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from oep_instances import flow_instance_xml

from besoksrapport.cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out, printed.err


def test_poll_says_in_swedish_what_it_fetched(platform, capsys):
    platform.submit(6001)
    platform.submit(6002, without=("visit_date",))
    code, out, _ = run(capsys, "oep", "poll")
    assert code == 0
    assert "Open ePlatform: 2 ärenden i listan." in out
    assert "1 rapport togs emot: BR-" in out
    assert "1 rapport kunde inte tas emot (ärende 6002)" in out
    code, out, _ = run(capsys, "oep", "poll")
    assert "2 ärenden hade redan hämtats." in out


def test_poll_with_the_platform_down_says_so_and_exits_1(platform, capsys):
    platform.fake.stop()
    code, out, err = run(capsys, "oep", "poll")
    assert (code, out) == (1, "")
    assert "Open ePlatform svarade inte när ärendena i e-tjänsten 1234 listades" in err
    assert "försök igen senare" in err


def test_check_mapping_shows_the_answers_and_exits_0_when_all_is_well(platform, capsys, tmp_path):
    path = tmp_path / "instance.xml"
    path.write_bytes(flow_instance_xml(6003))
    code, out, _ = run(capsys, "oep", "check-mapping", str(path))
    assert code == 0
    assert "Ärende 6003, inskickat 2026-11-20T09:14:58+01:00, av Anna Lindqvist" in out
    assert '  operation = "kost"' in out
    assert "Inga fel: rapporten skulle tas emot." in out
    assert platform.ctx.storage.quarantined() == []  # nothing stored


def test_check_mapping_lists_every_problem_and_exits_1(platform, capsys, tmp_path):
    path = tmp_path / "instance.xml"
    path.write_bytes(flow_instance_xml(6004, without=("visit_date",),
                                       override={"role": [("Value", "Ordförande")]}))
    code, out, _ = run(capsys, "oep", "check-mapping", str(path), "--config",
                       str(platform.config))
    assert code == 1
    assert "Fel (2):" in out
    assert "  /FlowInstance/Values/role/Value: Svaret på frågan ”Din roll i nämnden”" in out
    assert "  /FlowInstance/Values/visitDate: Ange datum för besöket." in out


def test_check_mapping_of_something_that_is_no_flow_instance(platform, capsys, tmp_path):
    path = tmp_path / "page.xml"
    path.write_bytes(b"<html/>")
    code, out, _ = run(capsys, "oep", "check-mapping", str(path))
    assert code == 1
    assert "XML:en från Open ePlatform är inte ett FlowInstance." in out


def test_the_outbox_shows_a_refused_status_with_its_swedish_reason(platform, capsys):
    platform.fake.faults["setStatus"] = "StatusNotFoundFault"
    platform.submit(6005)
    platform.poll()
    platform.work()
    code, out, _ = run(capsys, "outbox")
    assert code == 1
    assert "Misslyckades: status i Open ePlatform för ärende 6005, rapport BR-" in out
    assert "Open ePlatform känner inte till statusen (StatusNotFoundFault)" in out


def test_a_poll_killed_halfway_loses_nothing_and_makes_nothing_twice(platform):
    platform.submit(6006)
    platform.submit(6007)
    platform.fake.holding[6007] = threading.Event()  # the poll stops at the second instance
    env = {**os.environ, **platform.env}
    poll = subprocess.Popen([sys.executable, "-m", "besoksrapport.cli", "oep", "poll"],
                            env=env, cwd=Path(platform.data_dir).parent,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        platform.fake.wait_for_fetch(6007)
    finally:
        poll.send_signal(signal.SIGKILL)
        poll.wait(10)
    platform.fake.holding.pop(6007).set()
    assert platform.ctx.storage.oep_cursor("1234/") is None  # the killed poll moved nothing

    result = platform.poll()
    assert result.complete and result.skipped == 1 and len(result.reports) == 1
    platform.work()
    reports = platform.ctx.storage.reports_for_meeting(platform.meetings[0])
    assert sorted(r.submission_id for r in reports) == ["oep-6006", "oep-6007"]
    operations = platform.fake.operations()
    assert operations.count("confirmDelivery") == 2 and operations.count("addMessage") == 2
