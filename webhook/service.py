"""What the routes need from the app, built once per process by ``create_app``.

Kept apart from the app factory so that the factory imports the routes and the routes
import this, never each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app

from besoksrapport.oep.loop import PollThread
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.worker import WorkerThread
from besoksrapport.settings import Settings

from .signature import Verifier

EXTENSION = "besoksrapport"


@dataclass
class Service:
    settings: Settings
    ctx: Context
    verifier: Verifier
    openapi: dict[str, Any]
    worker: WorkerThread | None = None
    oep_poller: PollThread | None = None  # polls Open ePlatform when it is configured

    def wake_worker(self) -> None:
        if self.worker is not None:
            self.worker.wake()


def service() -> Service:
    """The current app's service."""
    state: Service = current_app.extensions[EXTENSION]
    return state
