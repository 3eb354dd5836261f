"""The composition root: the one place that picks the backends and builds the ``Context``.

Storage comes from its URL (``storage.open_storage``), the document system from the settings
(WebDAV when ``BESOKSRAPPORT_WEBDAV_URL`` is set), the renderers by entry point, and the
outbox's job kinds from each package that declares some. Once per web process or command.
"""

from __future__ import annotations

import logging
import shutil
from typing import cast

from besoksrapport.committee.config import load_committee
from besoksrapport.delivery.document_system import DocumentSystem
from besoksrapport.errors import ConfigError, StorageUnavailable
from besoksrapport.filing.pdf import PdfConverter
from besoksrapport.filing.renderers import Renderers, load_renderers
from besoksrapport.oep import jobs as oep_jobs
from besoksrapport.oep.status import queue_filed_statuses, withdrawal_jobs
from besoksrapport.outbox import jobs, mail_jobs
from besoksrapport.outbox.assignment import assign_waiting
from besoksrapport.outbox.context import Context, Handler
from besoksrapport.outbox.registry import JobRegistry
from besoksrapport.secretary import retention, withdrawal
from besoksrapport.settings import PREFIX, Settings, load_settings
from besoksrapport.storage import Storage, open_storage

# Every kind of job the outbox runs.
JOBS = JobRegistry([*jobs.JOB_KINDS, *mail_jobs.JOB_KINDS, *oep_jobs.JOB_KINDS,
                    *withdrawal.JOB_KINDS, *retention.JOB_KINDS])
HANDLERS: dict[str, Handler] = dict(JOBS.handlers)


def document_system(settings: Settings) -> DocumentSystem | None:
    """The document system the settings name, or None; built lazily (it loads requests)."""
    if settings.webdav is None:
        return None
    from besoksrapport.delivery.webdav import WebdavClient

    return WebdavClient(settings.webdav)


def pdf_converter(settings: Settings, renderers: Renderers) -> PdfConverter | None:
    """The renderers' PDF/A conversion when BESOKSRAPPORT_PDF is on; it needs LibreOffice."""
    if not settings.pdf:
        return None
    if not hasattr(renderers, "to_pdfa"):
        raise ConfigError("dokumentmodulen kan inte göra PDF/A-filer", field=PREFIX + "PDF")
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        raise ConfigError("PDF/A-filer kräver LibreOffice (soffice), som inte är installerat; "
                          "installera det (Debian: libreoffice-writer-nogui) eller stäng av "
                          "inställningen", field=PREFIX + "PDF")
    return cast(PdfConverter, renderers)


def build_context(settings: Settings, storage: Storage | None = None, *,
                  lazy_storage: bool = False) -> Context:
    """Everything a handler needs, loaded once; configuration errors surface here.

    ``lazy_storage``: storage that cannot be used yet does not stop this (see
    ``open_storage``); the web service starts so and answers 503 until it can.
    """
    renderers = load_renderers(settings.template_path)
    return Context(
        settings=settings,
        storage=storage if storage is not None else open_storage(settings.storage_url,
                                                                 lazy=lazy_storage),
        committee=load_committee(settings.config_path),
        jobs=JOBS,
        renderers=renderers,
        document_system=document_system(settings),
        after_filing=(queue_filed_statuses,),
        pdf=pdf_converter(settings, renderers),
        withdrawal_notices=(withdrawal_jobs,),
    )


def command_context() -> Context:
    """The context for the secretary's commands: the service's settings, no webhook secret."""
    return build_context(load_settings(require_secrets=False))


log = logging.getLogger("besoksrapport.runtime")


def outbox_started(ctx: Context) -> bool:
    """What an outbox does once as it starts, wherever it runs (its own process or a web
    worker's thread): reports kept without a meeting go to the next one if the calendar now
    has one, and the daily gallring is queued (coalesced, when a period is set; each run
    queues the next). Each on its own, so storage failing one does not skip the other;
    True when both were done (the caller tries again later otherwise).
    """
    done = True
    try:
        assigned = assign_waiting(ctx)
        if assigned:
            log.info("%d waiting report(s) assigned to a meeting", len(assigned))
    except StorageUnavailable as error:  # the worker and /readyz report it too
        log.warning("could not assign waiting reports",
                    extra={"error_type": type(error).__name__})
        done = False
    try:
        retention.schedule(ctx)
    except StorageUnavailable as error:
        log.warning("could not schedule the daily gallring",
                    extra={"error_type": type(error).__name__})
        done = False
    return done
