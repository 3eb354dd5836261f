"""The gunicorn worker of the webhook: gunicorn's gthread worker, with two changes.

* Gunicorn's own error answers (a request line it cannot parse: 400, headers over its
  limits: 431, a URI too long: 414, ...) are written before the app sees the request, as
  an English HTML page. The platform may show any answer to the politician, so they go
  out as ``application/problem+json`` in Swedish like every other error (``problems``).
  Gunicorn still decides the status and logs as usual.
* A worker whose master is gone (killed) stops listening at once, not after draining its
  connections: with ``reuse_port`` every worker has its own listening socket, and while an
  orphan held it a restart failed for about 11 s (EADDRINUSE), and new connections queued
  on it were lost. On a normal stop the same happens: the other workers take new
  connections while this one finishes its own.
"""

from __future__ import annotations

import os
import re

from gunicorn import util
from gunicorn.workers.gthread import ThreadWorker

from . import problems

_STATUS = re.compile(rb"^HTTP/1\.[01] (\d{3}) ")


class _Capture:
    """Stands in for the client's socket while gunicorn writes its own error answer."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data


class Worker(ThreadWorker):
    """``worker_class = "webhook.gunicorn_worker.Worker"`` (see ``gunicorn_conf``)."""

    def handle_error(self, req, client, addr, exc) -> None:
        captured = _Capture()
        super().handle_error(req, captured, addr, exc)  # its status, logs and access line
        found = _STATUS.match(captured.data)
        status = int(found.group(1)) if found else 500
        kind = problems.PROTOCOL_BY_STATUS.get(status, problems.INTERNAL_ERROR)
        body = problems.problem_bytes(kind, kind.detail)
        head = (f"HTTP/1.1 {kind.status} {kind.reason}\r\nConnection: close\r\n"
                f"Content-Type: {problems.MEDIA_TYPE}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
        try:
            util.write_nonblock(client, head + body)
        except Exception:  # the client may be gone; nothing more to tell it
            self.log.debug("Failed to send error message.")

    def set_accept_enabled(self, enabled: bool) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and (not self.alive or self.ppid != os.getppid()):
            for listener in self.sockets:
                listener.close()  # idempotent; gunicorn closes them again at the end
