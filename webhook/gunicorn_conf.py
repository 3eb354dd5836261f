"""Gunicorn settings for the webhook (``gunicorn --config webhook/gunicorn_conf.py``).

Threaded workers: a delivery spends most of its time waiting on the database's fsync, so a
few threads per process keep both cores busy. The app is created in each worker after the
fork (no preload), so every worker has its own database connections and outbox thread.
Settings are checked in the master first: a bad one stops start-up with one line.
"""

import os
import sys

bind = os.environ.get("BESOKSRAPPORT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("BESOKSRAPPORT_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("BESOKSRAPPORT_THREADS", "8"))
timeout = 30
graceful_timeout = 10
keepalive = 5
accesslog = None  # the app writes its own JSON-lines access log
errorlog = "-"
loglevel = "warning"
proc_name = "besoksrapport"


def on_starting(server) -> None:
    """Refuse to start on a bad setting, naming it in one line (no traceback)."""
    from besoksrapport.errors import ConfigError
    from webhook.startup import check

    try:
        check()
    except ConfigError as error:
        print(f"besoksrapport: configuration error: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
