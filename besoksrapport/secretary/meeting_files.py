"""A meeting folder's documents for the secretary: the bundle made now, and filed files.

``besoksrapport bundle`` and the secretary's page share these; a file is found through the
folder's index.json (``read_filed``), never by a name from the outside. With several hosts
the folder is this host's copy of the shared store (``filing.shared``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from besoksrapport.filing.folder import read_filed
from besoksrapport.filing.index import FiledFile
from besoksrapport.filing.shared import shared_meeting
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import file_meeting_now


def bundle_now(ctx: Context, day: dt.date,
               on_render: Callable[[], None] | None = None) -> Path:
    """File the meeting now (cheap when nothing changed) and return its bundle's path."""
    filed = file_meeting_now(ctx, day, on_render=on_render)
    return filed.meeting_dir / filed.file("bundle").file_name


def filed_files(ctx: Context, day: dt.date) -> list[FiledFile]:
    """What the meeting's last filing left (reports, Förteckning, bundle); [] if never filed.

    With several hosts, this host's copy is brought in line with the shared store first, so
    every host lists and serves the same documents.
    """
    with shared_meeting(ctx.storage, ctx.meeting_dir(day), day):
        filed = read_filed(ctx.meeting_dir(day), day)
    return [] if filed is None else filed.files


def filed_path(ctx: Context, day: dt.date, kind: str,
               report_id: str | None = None) -> Path | None:
    """The path of a filed document of ``kind`` (and report), if the folder has it."""
    for item in filed_files(ctx, day):
        if item.kind == kind and (report_id is None or item.report_id == report_id):
            path = ctx.meeting_dir(day) / item.file_name
            return path if path.is_file() else None
    return None
