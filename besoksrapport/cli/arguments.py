"""What the commands share: arguments read in plain Swedish, a progress bar, and the
notice about work a change queued that could not be finished at once."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from besoksrapport.outbox.context import Context


def add_report_id(parser: argparse.ArgumentParser) -> None:
    """The report a command is about, as its first argument."""
    parser.add_argument("report_id", metavar="RAPPORT-ID",
                        help="rapportens id, till exempel BR-2026-7Q3K9X")


def day_argument(text: str) -> dt.date:
    """A YYYY-MM-DD command argument; a mistyped date is refused in plain Swedish."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"”{text}” är inget datum som finns; skriv datumet som ÅÅÅÅ-MM-DD, till exempel "
            "2026-12-10"
        ) from None


def positive_number(text: str) -> int:
    """A count given on the command line (``--limit``), refused in plain Swedish."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"”{text}” är inget heltal större än noll")
    return number


class Progress:
    """A one-line progress bar on stderr, shown only when a person is watching."""

    def __init__(self, label: str, total: int, stream=None, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream or sys.stderr
        self.done = 0
        self.visible = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self) -> None:
        self.done += 1
        if self.visible:
            filled = int(self.width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.visible:
            self.stream.write("\n")
            self.stream.flush()


def finish_queued_work(ctx: Context, *, with_reason: bool = False) -> None:
    """Run what the change queued (refiling, delivery, mail); say on stderr, in Swedish, what
    could not be finished now and will be tried again."""
    from besoksrapport.outbox.worker import run_pending
    from besoksrapport.swedish import capitalized, sentence

    for outcome in run_pending(ctx):
        if outcome.result == "done":
            continue
        what = capitalized(ctx.jobs.kind_label(outcome.kind))
        reason = f": {sentence(outcome.error or 'okänt fel')}" if with_reason else "."
        print(f"Obs! {what} gick inte att slutföra nu och görs om senare{reason}",
              file=sys.stderr)
