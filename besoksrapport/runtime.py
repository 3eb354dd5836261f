"""Building the service's ``Context`` from the settings: once per web process or command."""

from __future__ import annotations

from . import jobs
from .committee_config import load_committee
from .context import Context, Handler
from .documents import load_renderers
from .oep import jobs as oep_jobs
from .settings import Settings, load_settings
from .storage import Storage, open_storage

# Every kind of job the outbox runs, by kind.
HANDLERS: dict[str, Handler] = jobs.HANDLERS | oep_jobs.HANDLERS


def build_context(settings: Settings, storage: Storage | None = None) -> Context:
    """Everything a handler needs, loaded once; configuration errors surface here."""
    return Context(
        settings=settings,
        storage=storage if storage is not None else open_storage(settings.database_path),
        committee=load_committee(settings.config_path),
        handlers=HANDLERS,
        renderers=load_renderers(settings.template_path),
    )


def command_context() -> Context:
    """The context for the secretary's commands: the service's settings, no webhook secret."""
    return build_context(load_settings(require_secrets=False))
