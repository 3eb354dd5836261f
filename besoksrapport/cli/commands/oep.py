"""``besoksrapport oep poll`` and ``besoksrapport oep check-mapping FILE.xml``.

``poll`` asks Open ePlatform for new reports once, as the web process does every few
minutes; ``check-mapping`` shows what the committee's ``[oep]`` section makes of one
FlowInstance export and every problem, without storing anything, for whoever sets up the
e-service.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from besoksrapport.committee.config import load_committee
from besoksrapport.errors import ConfigError
from besoksrapport.failure_reasons import os_reason
from besoksrapport.oep.errors import OepError
from besoksrapport.oep.flowinstance import (
    MAX_XML_BYTES,
    FlowInstanceUnreadable,
    parse_flow_instance,
)
from besoksrapport.oep.mapping import map_flow_instance
from besoksrapport.oep.poller import PollResult, poll_once
from besoksrapport.paths import EXAMPLE_CONFIG
from besoksrapport.runtime import command_context
from besoksrapport.swedish import quantity


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "oep", help="hämta rapporter från Open ePlatform, pröva översättningen av frågorna",
        description="Open ePlatform: hämta inskickade rapporter och pröva hur e-tjänstens "
                    "frågor förs över till rapportens svar.")
    commands = parser.add_subparsers(dest="oep_command", required=True, metavar="KOMMANDO")
    poll = commands.add_parser(
        "poll", help="hämta nya rapporter från Open ePlatform en gång, nu",
        description="Hämta nya rapporter från Open ePlatform en gång, som webbtjänsten gör "
                    "med jämna mellanrum. Besked till plattformen skickas från utkorgen.")
    poll.set_defaults(func=run_poll)
    check = commands.add_parser(
        "check-mapping", help="visa vad nämndens [oep]-avsnitt gör av en FlowInstance-XML",
        description="Visa svaren som nämndens [oep]-avsnitt får ut av en FlowInstance-XML "
                    "från Open ePlatform, och varje fel. Inget sparas. Slutstatus 1 om något "
                    "fel hittades.")
    check.add_argument("file", type=Path, metavar="FIL.xml",
                       help="en FlowInstance exporterad från Open ePlatform")
    check.add_argument("--config", type=Path, metavar="FIL.toml",
                       help="nämndens konfiguration (standard: $BESOKSRAPPORT_CONFIG, annars "
                            "det medföljande exemplet)")
    check.set_defaults(func=run_check_mapping)


def _print_poll(result: PollResult) -> None:
    print(f"Open ePlatform: {quantity(result.listed, 'ärende', 'ärenden')} i listan.")
    if result.reports:
        print(f"  {quantity(len(result.reports), 'rapport', 'rapporter')} togs emot: "
              + ", ".join(result.reports))
    if result.refused:
        print(f"  {quantity(len(result.refused), 'rapport', 'rapporter')} kunde inte tas emot "
              f"(ärende {', '.join(map(str, result.refused))}); felen står i "
              "besoksrapport quarantine och skickas till kontaktpolitikern.")
    if result.skipped:
        print(f"  {quantity(result.skipped, 'ärende', 'ärenden')} hade redan hämtats.")
    if result.gone:
        print(f"  {quantity(result.gone, 'ärende', 'ärenden')} fanns inte längre i Open ePlatform.")
    for error in result.failed:
        print(f"  Fel: {error}")
    if result.failed:
        print("  De ärendena hämtas igen vid nästa hämtning.")


def run_poll(args: argparse.Namespace) -> int:
    ctx = command_context()
    try:
        result = poll_once(ctx)
    except OepError as error:
        print(f"besoksrapport: {error}; försök igen senare.", file=sys.stderr)
        return 1
    assert result is not None  # poll_once waits for the lock
    _print_poll(result)
    return 0 if result.complete else 1


def run_check_mapping(args: argparse.Namespace) -> int:
    config_path = Path(args.config or os.environ.get("BESOKSRAPPORT_CONFIG") or EXAMPLE_CONFIG)
    committee = load_committee(config_path)
    if committee.oep is None:
        raise ConfigError("nämndens konfiguration har inget avsnitt [oep]",
                          source=str(config_path))
    try:
        with args.file.open("rb") as file:
            data = file.read(MAX_XML_BYTES + 1)  # enough to tell that it is too large
    except OSError as error:
        print(f"besoksrapport: {args.file} går inte att läsa: {os_reason(error)}",
              file=sys.stderr)
        return 2
    try:
        flow = parse_flow_instance(data)
        mapped = map_flow_instance(flow, committee.oep, dt.datetime.now(dt.UTC))
    except FlowInstanceUnreadable as unreadable:
        print(f"Fel (1):\n  {unreadable.issue.pointer}: {unreadable.issue.message}")
        return 1
    except Exception as error:  # hostile content: one line, never a traceback
        print(f"Fel (1):\n  /: Filen kunde inte läsas som en FlowInstance "
              f"({type(error).__name__}).")
        return 1
    issues = mapped.every_issue()
    data_part = mapped.envelope["data"]
    who = data_part["submitter"]
    print(f"Ärende {flow.flow_instance_id}, inskickat {data_part.get('submitted_at', '–')}, "
          f"av {who.get('name') or '–'} (id {who.get('id') or '–'})")
    print("Svar:")
    for name, value in data_part["answers"].items():
        print(f"  {name} = {json.dumps(value, ensure_ascii=False)}")
    if not issues:
        print("Inga fel: rapporten skulle tas emot.")
        return 0
    print(f"Fel ({len(issues)}):")
    for issue in issues:
        print(f"  {issue.pointer}: {issue.message}")
    return 1
