"""What a command does with the log: a Swedish notice where the secretary may act, else quiet.

The log is English and for IT (the web app writes it as JSON lines). A command reports its
own outcomes in Swedish, so a log line must not reach the secretary's terminal (Python
prints unhandled warnings to stderr). The exception is what only the log says: a document
system that would not let stale files be removed, which she may want to tidy by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys

from besoksrapport.delivery.document_system import CANNOT_LIST, DELETE_REFUSED
from besoksrapport.swedish import long_date

NOTICES = {
    CANNOT_LIST: ("Obs! Dokumentsystemet går inte att lista, så filer som inte längre hör till "
                  "sammanträdet den {day} kan ligga kvar i dess mapp där."),
    DELETE_REFUSED: ("Obs! Dokumentsystemet tillät inte att filer som inte längre hör till "
                     "sammanträdet den {day} togs bort; de ligger kvar i dess mapp där."),
}


class SwedishNotices(logging.Handler):
    """Prints the notice of a known warning on stderr; every other record is dropped."""

    def emit(self, record: logging.LogRecord) -> None:
        template = NOTICES.get(str(record.msg))
        day = getattr(record, "meeting_date", None)
        if template is None or not isinstance(day, str):
            return
        try:
            shown = long_date(dt.date.fromisoformat(day))
        except ValueError:
            shown = day
        print(template.format(day=shown), file=sys.stderr)


def install() -> None:
    """Once per process: the project's log gives Swedish notices, never English lines."""
    logger = logging.getLogger("besoksrapport")
    if not any(isinstance(handler, SwedishNotices) for handler in logger.handlers):
        logger.addHandler(SwedishNotices(logging.WARNING))
