"""Hostile FlowInstance files never crash a command or block a poll.

Found by an attack: an XML declaration naming an encoding Python does not know raised
LookupError, so ``check-mapping`` printed a traceback and ``oep poll`` stopped at that
instance every round; neither capped what it read (a 64 MiB file took 324 MiB).
"""

from __future__ import annotations

import os
import re
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from english import english_words
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oep_instances import example_mapping, flow_instance_xml

from besoksrapport.cli.main import main
from besoksrapport.oep.client import OepClient
from besoksrapport.oep.errors import AnswerTooLarge
from besoksrapport.oep.flowinstance import (
    MAX_XML_BYTES,
    FlowInstanceUnreadable,
    parse_flow_instance,
)
from besoksrapport.oep.mapping import map_flow_instance
from besoksrapport.settings import OepSettings


def declaring(encoding: str, number: int = 7000) -> bytes:
    """Flow instance ``number`` (ISO-8859-1 bytes) with another encoding declared."""
    xml = flow_instance_xml(number)
    changed = re.sub(rb"""encoding=(["'])[^"']*\1""", f'encoding="{encoding}"'.encode(), xml,
                     count=1)
    assert changed != xml
    return changed


HOSTILE = {
    "unknown-encoding": declaring("x-evil"),
    "unknown-hebrew-encoding": declaring("iso-8859-8-i"),
    "codec-that-is-no-text-encoding": declaring("rot13"),
    "lying-utf-8": declaring("UTF-8"),  # the bytes are ISO-8859-1 (å, ä, ö)
    "lying-utf-16": declaring("UTF-16"),
    "binary": bytes(range(256)) * 64,
    "empty": b"",
    "dtd-entities": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>',
    "deeply-nested": b"<a>" * 100_000 + b"</a>" * 100_000,
    "no-flow-instance": b"<html/>",
    "over-the-size-limit": b"<FlowInstance>" + b" " * MAX_XML_BYTES + b"</FlowInstance>",
}


@pytest.mark.parametrize("name", ["unknown-encoding", "unknown-hebrew-encoding",
                                  "codec-that-is-no-text-encoding"])
def test_an_unknown_encoding_declaration_is_unreadable_with_a_swedish_reason(name):
    with pytest.raises(FlowInstanceUnreadable) as raised:
        parse_flow_instance(HOSTILE[name])
    assert raised.value.issue.code == "oep_unknown_encoding"
    assert "teckenkodning" in raised.value.issue.message


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_check_mapping_answers_a_hostile_file_in_one_swedish_line(platform, capsys, tmp_path,
                                                                   name):
    path = tmp_path / "instance.xml"
    path.write_bytes(HOSTILE[name])
    code = main(["oep", "check-mapping", str(path)])
    printed = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in printed.out + printed.err
    assert printed.out.startswith("Fel (1):\n  /")
    assert english_words(printed.out) == []


def test_check_mapping_reads_no_more_of_a_huge_file_than_the_limit(platform, capsys, tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as file:  # 64 MiB, as in the attack; sparse, so cheap to make
        file.write(b"<FlowInstance>")
        file.truncate(64 * 2**20)
    code = main(["oep", "check-mapping", str(path)])
    assert code == 1
    assert "är större än gränsen på 8 MiB" in capsys.readouterr().out


def test_one_bad_instance_never_blocks_the_others_in_a_poll(platform):
    bad = {7001: declaring("x-evil", 7001), 7003: declaring("UTF-8", 7003),
           7005: HOSTILE["binary"], 7006: HOSTILE["over-the-size-limit"]}
    for number, xml in bad.items():
        platform.fake.add(number, xml, datetime.now(UTC))
    platform.submit(7002)
    platform.submit(7004)
    result = platform.poll()
    assert result.complete
    assert len(result.reports) == 2
    assert sorted(result.refused) == sorted(bad)
    reasons = {q.webhook_id.split(":")[0]: q.errors[0]["code"]
               for q in platform.ctx.storage.quarantined()}
    assert reasons == {"oep-7001": "oep_unknown_encoding", "oep-7003": "oep_not_xml",
                       "oep-7005": "oep_not_xml", "oep-7006": "oep_too_large"}
    again = platform.poll()  # refused ones are read again (a corrected revision may come)
    assert (again.complete, again.skipped, again.refused, again.failed) == (True, 6, [], [])
    assert len(platform.ctx.storage.quarantined()) == len(bad)


def test_an_unforeseen_failure_on_one_instance_quarantines_it_and_the_poll_goes_on(
        platform, monkeypatch):
    from besoksrapport.oep import poller

    real = poller.map_flow_instance

    def breaks_on_7011(flow, config, now):
        if flow.flow_instance_id == 7011:
            raise KeyError("a failure nobody foresaw")  # stands in for a bug
        return real(flow, config, now)

    monkeypatch.setattr(poller, "map_flow_instance", breaks_on_7011)
    platform.submit(7011)
    platform.submit(7012)
    result = platform.poll()
    assert (result.complete, len(result.reports), result.refused) == (True, 1, [7011])
    [kept] = platform.ctx.storage.quarantined()
    assert kept.errors[0]["code"] == "oep_unreadable"
    assert "kunde inte läsas (KeyError)" in kept.errors[0]["message"]


class _Endless(BaseHTTPRequestHandler):
    """An answer with no Content-Length that never ends (until the client hangs up)."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b" " * 65536)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_the_client_stops_reading_an_endless_answer_at_its_limit():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = OepSettings(url=f"http://127.0.0.1:{server.server_port}",
                               username="api", password="secret")
        client = OepClient(settings, max_bytes=2**20, timeout=(5, 5))
        with pytest.raises(AnswerTooLarge) as raised:
            client.flow_instance(7020)
        assert not raised.value.retryable
        assert "mer än 1 MiB" in str(raised.value)
    finally:
        server.shutdown()
        server.server_close()


SAMPLE_XML = flow_instance_xml(7100)
SCALE = int(os.environ.get("BESOKSRAPPORT_FUZZ_SCALE", "1"))  # make chaos: 10


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """The sample export with bytes changed, cut, or its declaration rewritten."""
    xml = bytearray(SAMPLE_XML)
    for _ in range(draw(st.integers(0, 6))):
        where = draw(st.integers(0, len(xml) - 1))
        xml[where:where + draw(st.integers(0, 20))] = draw(st.binary(max_size=20))
    if draw(st.booleans()):
        xml = bytearray(xml[:draw(st.integers(0, len(xml)))])
    if draw(st.booleans()):
        encoding = draw(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E,
                                              exclude_characters="\"'"), max_size=20))
        declared = f'encoding="{encoding}"'.encode()
        xml = bytearray(re.sub(rb"""encoding=(["'])[^"']*\1""", lambda _: declared,
                               bytes(xml), count=1))
    return bytes(xml)


@settings(max_examples=600 * SCALE, deadline=None, database=None, derandomize=SCALE == 1,
          suppress_health_check=list(HealthCheck))
@given(damaged())
def test_a_damaged_flow_instance_is_read_or_refused_with_a_reason_never_anything_else(xml):
    try:
        flow = parse_flow_instance(xml)
    except FlowInstanceUnreadable as unreadable:
        assert unreadable.issue.message
        return
    mapped = map_flow_instance(flow, example_mapping(), datetime.now(UTC))
    for issue in mapped.every_issue():
        issue.message.encode("utf-8")  # storable and showable
