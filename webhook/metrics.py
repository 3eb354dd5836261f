"""``GET /metrics``: what IT needs to see trouble before the secretary does, for Prometheus.

Deliveries by answer status (a counter in each worker, summed over the workers by
prometheus_client's multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR``, which
``gunicorn_conf`` sets up), and, read at each scrape: the outbox's backlog, how long its
longest-due job has waited, failed jobs, the age of the last complete Open ePlatform poll,
free space in the data folder and whether the database answers. No names, no report
content, no ids: counts, ages and bytes only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, request

from besoksrapport.errors import StorageUnavailable
from besoksrapport.oep.poller import cursor_name

from .service import Service, service

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Counter
    from prometheus_client.core import GaugeMetricFamily, Metric

log = logging.getLogger("webhook.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
DELIVERY_ENDPOINT = "webhook.receive_visit_report"



@cache
def deliveries() -> Counter:
    """The counter of deliveries by answer status, made on first use (see the docstring)."""
    from prometheus_client import Counter

    return Counter("besoksrapport_deliveries", "Deliveries to the webhook by answer status.",
                   ["status"], registry=None)

@cache
def _counter(status: int) -> Any:
    """The counter of one status (prometheus' ``labels`` looks it up at every call)."""
    return deliveries().labels(status=str(status))


bp = Blueprint("metrics", __name__)


class ServiceCollector:
    """Gauges read from storage and the data folder at each scrape."""

    def __init__(self, state: Service):
        self.state = state

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import GaugeMetricFamily

        now = dt.datetime.now(dt.UTC)
        ctx, settings = self.state.ctx, self.state.settings
        up = GaugeMetricFamily("besoksrapport_storage_up",
                               "1 when the database answers, 0 when it does not.")
        try:
            figures = ctx.storage.outbox_figures(now)
            cursor = (ctx.storage.oep_cursor(cursor_name(ctx.committee.oep))
                      if settings.oep is not None and ctx.committee.oep is not None else None)
        except StorageUnavailable:
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
            yield _gauge("besoksrapport_outbox_pending_jobs",
                         "Jobs in the outbox waiting to be done.", figures.pending)
            yield _gauge("besoksrapport_outbox_oldest_due_seconds",
                         "How long the pending job due first has waited (0 if none).",
                         figures.oldest_due_seconds)
            yield _gauge("besoksrapport_outbox_failed_jobs",
                         "Jobs that failed for good and wait for a person.", figures.failed)
            if cursor is not None:
                yield _gauge("besoksrapport_oep_last_poll_age_seconds",
                             "Seconds since the last complete Open ePlatform poll started.",
                             (now - cursor).total_seconds())
        yield up
        try:
            free = shutil.disk_usage(settings.data_dir).free
        except OSError:
            return
        yield _gauge("besoksrapport_data_dir_free_bytes", "Free space in the data folder.", free)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    from prometheus_client.core import GaugeMetricFamily

    return GaugeMetricFamily(name, documentation, value=value)


def _registry(state: Service) -> CollectorRegistry:
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    if os.environ.get(MULTIPROC_ENV):
        MultiProcessCollector(registry)  # every worker's counters, summed
    else:
        registry.register(deliveries())  # one process (tests, the Flask dev server)
    collector: Any = ServiceCollector(state)  # a collector: it has collect()
    registry.register(collector)
    return registry


@bp.get("/metrics")
def metrics() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return Response(generate_latest(_registry(service())), mimetype=CONTENT_TYPE_LATEST)


def install(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.after_request
    def count_delivery(response: Response) -> Response:
        """Count the answer; a fault in counting never changes it (the report is stored by
        now, and a 500 would tell the platform it was not)."""
        if request.endpoint == DELIVERY_ENDPOINT:
            try:
                _counter(response.status_code).inc()
            except Exception as error:
                log.error("delivery not counted", extra={"error_type": type(error).__name__})
        return response
