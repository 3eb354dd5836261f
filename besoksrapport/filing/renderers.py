"""The documents the service makes, as an interface the domain calls and docgen implements.

Filing, the secretary's commands and the follow-up ask a ``Renderers`` for bytes. The
implementation is found by entry point (group ``besoksrapport.renderers``; docgen's DOCX
renderers are ``docx``), so the domain never imports docgen, which imports the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol

from besoksrapport.committee.model import Committee
from besoksrapport.errors import ConfigError
from besoksrapport.filing.entries import ListedReport
from besoksrapport.guideline.followup import FollowUp
from besoksrapport.report import Report
from besoksrapport.settings import PREFIX

ENTRY_POINT_GROUP = "besoksrapport.renderers"
DEFAULT_RENDERERS = "docx"


class Renderers(Protocol):
    """Makes the public documents from reports; the same input gives the same bytes."""

    @property
    def key(self) -> str:
        """Changes whenever the same report would render differently (e.g. a new template)."""
        ...

    def report(self, report: Report, committee: Committee) -> bytes: ...

    def listing(self, meeting_date: date, committee: Committee,
                entries: Sequence[ListedReport], *, diary_number: str | None = None) -> bytes:
        """The Förteckning; ``diary_number`` is the meeting's, when the secretary gave one."""
        ...

    def bundle(self, meeting_date: date, committee: Committee, entries: Sequence[ListedReport],
               load: Callable[[ListedReport], bytes], *,
               diary_number: str | None = None) -> bytes:
        """The Förteckning followed by every report; ``load`` gives a filed report's bytes."""
        ...

    def follow_up(self, numbers: FollowUp, committee: Committee) -> bytes: ...


def load_renderers(template_path: Path | None = None,
                   name: str = DEFAULT_RENDERERS) -> Renderers:
    """The installed renderers called ``name``, with the municipality's template loaded.

    A template that cannot be read is a configuration error naming BESOKSRAPPORT_TEMPLATE.
    """
    found = entry_points(group=ENTRY_POINT_GROUP, name=name)
    if not found:
        raise ConfigError(f"ingen dokumentmodul med namnet ”{name}” är installerad "
                          f"(ingångspunkt i gruppen {ENTRY_POINT_GROUP}); installera om "
                          "paketet")
    factory = next(iter(found)).load()
    try:
        renderers: Renderers = factory(template_path)
    except ConfigError:
        raise
    except Exception as error:
        raise ConfigError(f"mallen går inte att läsa (oväntat fel: {type(error).__name__})",
                          field=PREFIX + "TEMPLATE") from None
    return renderers
