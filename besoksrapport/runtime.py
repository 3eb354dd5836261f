"""Building the service's ``Context`` from the settings: once per web process or command."""

from __future__ import annotations

from .committee_config import load_committee
from .context import Context
from .documents import load_renderers
from .jobs import HANDLERS
from .oep.jobs import HANDLERS as OEP_HANDLERS
from .settings import Settings, load_settings
from .storage import Storage, open_storage


def build_context(settings: Settings, storage: Storage | None = None) -> Context:
    """Everything a handler needs, loaded once; configuration errors surface here."""
    return Context(
        settings=settings,
        storage=storage if storage is not None else open_storage(settings.database_path),
        committee=load_committee(settings.config_path),
        handlers=HANDLERS | OEP_HANDLERS,
        renderers=load_renderers(settings.template_path),
    )


def command_context() -> Context:
    """The context for the secretary's commands: the service's settings, no webhook secret."""
    return build_context(load_settings(require_secrets=False))
