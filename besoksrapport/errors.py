"""The project's error hierarchy.

Modelled on jsonschema's errors: every error that concerns a place in a document carries
that place (a JSON Pointer into a payload, or a dotted path into a configuration file), so a
message can always say *where* as well as *what*.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from besoksrapport.swedish import number, sentence

# The most issues an answer or the quarantine lists; one more issue says how many were left
# out. A delivery with 50,000 unknown properties once got a 7.4 MB answer, stored as well.
MAX_ISSUES = 100
MORE_ISSUES = "more_errors"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BesoksrapportError(Exception):
    """Base of every error this project raises on purpose."""


@dataclass(frozen=True)
class ValidationIssue:
    """One problem with a submitted report, as shown to the platform and the politician.

    pointer: RFC 6901 JSON Pointer into the envelope, e.g. ``/data/answers/visit_date``.
    code:    stable machine code, e.g. ``required`` or ``date_after_submission``.
    message: Swedish text a politician understands.
    """

    pointer: str
    code: str
    message: str

    def __post_init__(self) -> None:
        # A JSON key may hold a lone surrogate (``"\\ud800"``): the pointer naming it must
        # still be text that UTF-8 (the answer, the database) can carry.
        for name in ("pointer", "message"):
            value = getattr(self, name)
            if _LONE_SURROGATE.search(value):
                object.__setattr__(self, name, _LONE_SURROGATE.sub("\ufffd", value))

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "code": self.code, "message": self.message}


def capped_issues(issues: list[ValidationIssue],
                  limit: int = MAX_ISSUES) -> list[ValidationIssue]:
    """The first ``limit`` issues, and one more that counts the rest when there are more.

    Capping a capped list changes nothing, so every layer may apply it.
    """
    if len(issues) <= limit + 1:  # one more issue is shown rather than counted
        return list(issues)
    rest = len(issues) - limit
    return [*issues[:limit], ValidationIssue(
        "", MORE_ISSUES, f"Rapporten har {number(rest)} fel till som inte visas här. "
        "Rätta felen ovan och skicka rapporten igen.")]


class ReportInvalid(BesoksrapportError):
    """A payload failed the schema or the rules.

    ``issues`` holds the problems to show (at most ``MAX_ISSUES`` and a count of the rest),
    ``total`` how many were found.
    """

    def __init__(self, issues: list[ValidationIssue], total: int | None = None):
        self.issues = capped_issues(issues)
        self.total = len(issues) if total is None else total
        super().__init__(f"Rapporten har {self.total} fel: "
                         + ", ".join(f"{i.pointer} ({i.code})" for i in self.issues))


class ConfigError(BesoksrapportError):
    """A setting or the committee configuration is wrong; the message names file and field.

    ``str()`` is the one Swedish line that stops start-up, e.g. «Konfigurationsfel i
    committee.toml, fältet deadline.days_before: värdet -1 är mindre än det minsta tillåtna,
    0.» A ``field`` that is a setting (``BESOKSRAPPORT_…``, ``--bind``) is named as one.
    """

    def __init__(self, message: str, *, source: str | None = None, field: str | None = None):
        self.source = source
        self.field = field
        self.detail = message
        super().__init__(f"Konfigurationsfel{_where(source, field)}: {sentence(message)}")


def _where(source: str | None, field: str | None) -> str:
    setting = field is not None and field.startswith(("BESOKSRAPPORT_", "--"))
    if setting and source:
        return f" i inställningen {field} ({source})"
    if setting:
        return f" i inställningen {field}"
    if source and field:
        return f" i {source}, fältet {field}"
    if source:
        return f" i {source}"
    return f" i fältet {field}" if field else ""


class StorageUnavailable(BesoksrapportError):
    """The database or the data folder cannot be used right now; the caller may retry."""


class PermanentError(BesoksrapportError):
    """A job failure that retrying cannot fix: the outbox marks the job failed at once."""


class TransportFailed(BesoksrapportError):
    """A request to another system (document system, mail server, Open ePlatform) failed.

    ``retryable`` tells the outbox what to do: True for outages (no answer, a timeout, 5xx,
    429, temporary SMTP codes), so it backs off and tries again; False when only a person
    can fix it (rejected credentials, a missing folder or e-service, a refused recipient),
    so the job fails at once and stays visible. The Swedish text is stored in the outbox
    and shown to the secretary: it names the receiver and the status, never personal data.
    """

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        self.retryable = retryable
        self.status = status
        super().__init__(message)
