"""What happens to a received report after the webhook has answered.

The webhook stores the report together with the jobs from ``jobs_for_new_report`` in one
transaction; the worker then runs them from the outbox. Today that is one job,
``process_report``: render the DOCX into the meeting's folder. Each handler is idempotent
(it may run again after a crash), and adding a step is adding a handler to ``HANDLERS``
and, if every new report needs it, a line in ``jobs_for_new_report``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from .committee_config import load_committee
from .errors import ConfigError
from .report import Report
from .settings import PREFIX, Settings
from .storage import Job, Storage, open_storage
from .worker import Context, Handler, PermanentError

PROCESS_REPORT = "process_report"
UNASSIGNED = "unassigned"


def jobs_for_new_report() -> list[tuple[str, dict[str, Any]]]:
    """The jobs committed with a new report (storage adds its ``report_id`` to each payload)."""
    return [(PROCESS_REPORT, {})]


def meeting_folder(settings: Settings, report: Report) -> Path:
    name = report.meeting_date.isoformat() if report.meeting_date else UNASSIGNED
    return settings.meetings_dir / name


def document_path(settings: Settings, report: Report) -> Path:
    return meeting_folder(settings, report) / f"{report.report_id}.docx"


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never half a document."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _load_report(job: Job, ctx: Context) -> Report:
    try:
        return ctx.storage.get_report(job.payload["report_id"])
    except KeyError:
        raise PermanentError(f"no report {job.payload.get('report_id')!r}") from None


def process_report(job: Job, ctx: Context) -> None:
    """Render the report's DOCX into its meeting's folder (or ``unassigned``)."""
    from docgen.report import render_report

    report = _load_report(job, ctx)
    target = document_path(ctx.settings, report)
    write_atomically(target, render_report(report, ctx.committee, template=ctx.template))
    # The meeting may have changed since an earlier run: keep exactly one copy.
    for stale in ctx.settings.meetings_dir.glob(f"*/{report.report_id}.docx"):
        if stale != target:
            stale.unlink(missing_ok=True)


HANDLERS: dict[str, Handler] = {
    PROCESS_REPORT: process_report,
}


def load_template(settings: Settings) -> Any:
    """The DOCX template from BESOKSRAPPORT_TEMPLATE, else docgen's bundled one, loaded once."""
    from docgen.template import Template

    try:
        return Template.load(settings.template_path)
    except ConfigError:
        raise
    except Exception as error:
        raise ConfigError(f"cannot read the template: {type(error).__name__}: {error}",
                          field=PREFIX + "TEMPLATE") from None


def build_context(settings: Settings, storage: Storage | None = None) -> Context:
    """Everything a handler needs, loaded once; configuration errors surface here."""
    return Context(
        settings=settings,
        storage=storage if storage is not None else open_storage(settings.database_path),
        committee=load_committee(settings.config_path),
        handlers=HANDLERS,
        template=load_template(settings),
    )
