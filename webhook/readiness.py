"""Whether this process can take a delivery now, and if not, why (for ``GET /readyz``).

Ready means: the database answers, the data folder has at least ``BESOKSRAPPORT_MIN_FREE_MB``
free (with 3 KiB left every delivery failed while /readyz still said ready), and a file can
be written and synced there. The reason is Swedish and names no report or person.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass

from besoksrapport.errors import StorageUnavailable
from besoksrapport.failure_reasons import os_reason
from besoksrapport.swedish import number

from .service import Service

MB = 1024 * 1024


def free_bytes(service: Service) -> int | None:
    """Free space in the data folder, or None when the folder cannot be reached."""
    try:
        return shutil.disk_usage(service.settings.data_dir).free
    except OSError:
        return None


@dataclass(frozen=True)
class NotReady:
    detail: str  # what is wrong, in one stable Swedish sentence
    reason: str | None = None  # the underlying cause, when there is more to say


def not_ready(service: Service) -> NotReady | None:
    """Why the service is not ready, or None when it is."""
    try:
        service.ctx.storage.ping()
    except StorageUnavailable as error:
        return NotReady("Databasen går inte att nå.", str(error))
    settings = service.settings
    try:
        with tempfile.NamedTemporaryFile(dir=settings.data_dir, prefix=".ready-") as probe:
            probe.write(b"ok")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as error:
        return NotReady("Det går inte att skriva i datamappen.",
                        f"{settings.data_dir}: {os_reason(error)}")
    free = free_bytes(service)
    if free is not None and free < settings.min_free_mb * MB:
        return NotReady(f"Det finns bara {number(free // MB)} MB ledigt i datamappen, mindre "
                        f"än gränsen på {number(settings.min_free_mb)} MB.",
                        "Gränsen ställs in med BESOKSRAPPORT_MIN_FREE_MB.")
    return None
