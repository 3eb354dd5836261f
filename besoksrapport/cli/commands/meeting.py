"""``besoksrapport meeting YYYY-MM-DD``: one meeting's reports, with what to check."""

from __future__ import annotations

import argparse

from besoksrapport.cli.arguments import day_argument
from besoksrapport.committee.operations import operation_label
from besoksrapport.guideline.declarations import declaration_lines
from besoksrapport.runtime import command_context
from besoksrapport.secretary.handling import flag_marks, flag_target
from besoksrapport.secretary.overview import meeting_reports
from besoksrapport.secretary.withdrawal import withdrawal_line
from besoksrapport.swedish import long_date, long_datetime, quantity, yes_no


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "meeting",
        help="visa ett sammanträdes rapporter och det som bör kontrolleras",
        description="Ett sammanträdes rapporter, med det som sekreteraren bör kontrollera.",
    )
    parser.add_argument("day", type=day_argument, metavar="ÅÅÅÅ-MM-DD",
                        help="sammanträdets datum")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    reports = meeting_reports(ctx, args.day)
    planned = "" if args.day in ctx.committee.meetings else " (finns inte i konfigurationen)"
    print(f"Sammanträdet den {long_date(args.day)}{planned}: "
          f"{quantity(len(reports), 'rapport', 'rapporter')}")
    print(f"Mapp: {ctx.settings.meetings_dir / args.day.isoformat()}")
    meeting_number = ctx.storage.meeting_diary_number(args.day)
    withdrawn = ctx.storage.withdrawals()
    marks = flag_marks(ctx)
    for number, report in enumerate(reports, start=1):
        oral = yes_no(bool(report.answers.get("oral_summary")))
        print(f"\n{number}. {report.report_id}  {long_date(report.visit_date)}  "
              f"{operation_label(report.operation)}, {report.unit}")
        print(f"   Kontaktpolitiker: {report.submitter.name}  Muntlig sammanfattning: {oral}")
        if report.joint_visit_of:
            print(f"   Gemensamt besök med rapport {report.joint_visit_of}")
        diary_number = report.diary_number or meeting_number
        if diary_number:
            print(f"   Diarienummer: {diary_number}")
        for line in declaration_lines(report):
            print(f"   {line}")
        for flag in report.flags:
            mark = marks.get(flag_target(report.report_id, flag.code))
            handled = "" if mark is None else (
                f" (hanterad av {mark.handled_by} den {long_datetime(mark.handled_at)}"
                + (f": {mark.note})" if mark.note else ")"))
            print(f"   Att kontrollera: {flag.message}{handled}")
        if report.report_id in withdrawn:
            print(f"   {withdrawal_line(withdrawn[report.report_id])}")
    return 0
