"""The audit trail: who did what, when and from where, for every change and download.

A public authority must be able to show who moved, withdrew or approved what. An action
that changes a record runs inside ``audited``, so that it and its entry are committed
together; one that only reads or sends (a download, a login) calls ``record`` once it is
done. The entry goes to the database only (``audit_log``), never to the JSON log, which is
for IT and carries no names.
``target`` names the record (a report id, a meeting date, a job number); ``details`` holds
counts and ids, never a report's content.
"""

from __future__ import annotations

import datetime as dt
import getpass
import socket
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from besoksrapport.outbox.context import Context
from besoksrapport.spreadsheet import write_swedish_csv
from besoksrapport.storage import AuditEntry
from besoksrapport.swedish import STOCKHOLM, long_datetime

SYSTEM = "systemet"  # the actor of what the service does by itself (the daily gallring)

# How each action reads in the trail. An action not listed is shown by its code, so a new
# action can be recorded before it has words here.
ACTIONS: dict[str, str] = {
    "login": "loggade in",
    "move": "flyttade rapport",
    "move_late": "flyttade rapport efter sista tiden",
    "diary_number_meeting": "satte sammanträdets diarienummer",
    "diary_number_report": "satte rapportens diarienummer",
    "retry_job": "försökte igen med misslyckat arbete",
    "run_work": "körde väntande arbete",
    "flag_handled": "markerade kontrollpunkt som hanterad",
    "flag_reopened": "öppnade kontrollpunkt igen",
    "refused_handled": "markerade avvisad leverans som hanterad",
    "refused_reopened": "öppnade avvisad leverans igen",
    "download_report": "laddade ner rapport",
    "download_listing": "laddade ner förteckningen",
    "download_bundle": "laddade ner samlingsdokumentet",
    "download_compensation": "laddade ner arvodesunderlaget",
    "download_follow_up": "laddade ner uppföljningen",
    "download_audit": "laddade ner loggen",
    "user_add": "skapade lokalt konto",
    "user_password": "bytte lösenord för lokalt konto",
    "user_remove": "tog bort lokalt konto",
    "gallring": "gallrade",
    "withdraw": "makulerade rapport",
    "restore": "återställde makulerad rapport",
    "review_approved": "godkände texten i rapport med personuppgifter",
    "review_masked": "publicerade rapport med personuppgifterna borttagna",
}

HEADER = ("Tidpunkt", "Vem", "Åtgärd", "Vad", "Varifrån", "Detaljer")


def record(ctx: Context, actor: str, action: str, target: str = "", address: str = "",
           details: str = "", at: dt.datetime | None = None) -> AuditEntry:
    """Add one entry to the trail and return it. ``action`` is a code of ``ACTIONS``."""
    entry = AuditEntry(at=at or dt.datetime.now(dt.UTC), actor=actor, action=action,
                       target=target, address=address, details=details)
    ctx.storage.record_audit(entry)
    return entry


def audited(ctx: Context, actor: str, action: str, target: str = "", address: str = "",
            details: str = "") -> AbstractContextManager[None]:
    """A block whose change is recorded in the same transaction as its entry (see
    ``Storage.audited``); a block refused before it wrote records nothing."""
    return ctx.storage.audited(AuditEntry(at=dt.datetime.now(dt.UTC), actor=actor,
                                          action=action, target=target, address=address,
                                          details=details))


def command_actor() -> tuple[str, str]:
    """Who runs a command and from where: the system account and the machine."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "okänd användare"
    return user, f"kommandorad på {socket.gethostname()}"


def command_user() -> str:
    """Who runs a command as a decision names them: «anna (kommandoraden)»."""
    return f"{command_actor()[0]} (kommandoraden)"


def record_command(ctx: Context, action: str, target: str = "", details: str = "") -> None:
    """``record`` for a command: the actor is the account running it."""
    actor, address = command_actor()
    record(ctx, actor, action, target, address, details)


def audited_command(ctx: Context, action: str, target: str = "",
                    details: str = "") -> AbstractContextManager[None]:
    """``audited`` for a command: the actor is the account running it."""
    actor, address = command_actor()
    return audited(ctx, actor, action, target, address, details)


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


def period_bounds(first: dt.date | None,
                  last: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Stockholm days ``first``..``last`` (both included) as moments for the query."""
    start = dt.datetime.combine(first, dt.time(), tzinfo=STOCKHOLM) if first else None
    end = (dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=STOCKHOLM)
           if last else None)
    return start, end


def entries(ctx: Context, first: dt.date | None = None,
            last: dt.date | None = None) -> list[AuditEntry]:
    """The trail for the Stockholm days ``first``..``last`` (either open), oldest first."""
    return ctx.storage.audit_entries(*period_bounds(first, last))


def rows(items: Iterable[AuditEntry]) -> list[Sequence[str]]:
    """The entries as the page, the command and the CSV show them."""
    return [(long_datetime(item.at), item.actor, action_label(item.action), item.target,
             item.address, item.details) for item in items]


def write_csv(items: Iterable[AuditEntry], path: Path) -> Path:
    """The trail as a CSV for Swedish Excel (``spreadsheet``)."""
    return write_swedish_csv(path, HEADER, rows(items))
