"""A real WebDAV server (wsgidav on cheroot) on 127.0.0.1, started and stopped by tests."""

from __future__ import annotations

import http
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from ports import free_port
from smtpserver import self_signed_certificate
from wsgidav.wsgidav_app import WsgiDAVApp


def _bearer_guard(app, token: str):
    """wsgidav has no bearer scheme; this real WSGI layer checks the header in front of it."""

    def guarded(environ, start_response):
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {token}":
            start_response("401 Unauthorized", [("Content-Type", "text/plain"),
                                                ("WWW-Authenticate", "Bearer")])
            return [b"unauthorized"]
        return app(environ, start_response)

    return guarded


def refusing(app, refusals: dict[str, int]):
    """A real WSGI layer in front of ``app`` answering ``refusals[method]`` to that method."""

    def guarded(environ, start_response):
        status = refusals.get(environ["REQUEST_METHOD"])
        if status is None:
            return app(environ, start_response)
        environ["wsgi.input"].read()
        start_response(f"{status} {http.HTTPStatus(status).phrase}",
                       [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"no"]

    return guarded


class DavServer:
    """wsgidav serving ``root`` on ``port``; ``users`` turns on basic auth, ``token`` bearer.

    Without ``port`` it takes a free one. As a context manager it runs for the ``with`` block.
    """

    def __init__(self, root: Path, port: int | None = None, *,
                 users: dict[str, str] | None = None, token: str | None = None):
        port = free_port() if port is None else port
        self.root, self.port = root, port
        config = {
            "host": "127.0.0.1",
            "port": port,
            "provider_mapping": {"/": str(root)},
            "verbose": 0,
            "logging": {"enable": False},
            "property_manager": True,
            "lock_storage": True,
        }
        if users:
            config["http_authenticator"] = {"accept_basic": True, "accept_digest": False,
                                            "default_to_digest": False}
            config["simple_dc"] = {"user_mapping": {"*": {
                name: {"password": password} for name, password in users.items()}}}
        else:
            config["simple_dc"] = {"user_mapping": {"*": True}}
        app = WsgiDAVApp(config)
        self.server = wsgi.Server(("127.0.0.1", port), _bearer_guard(app, token) if token else app)
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> DavServer:
        self.server.prepare()
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.stop()
        if self.thread is not None:
            self.thread.join(timeout=10)

    def __enter__(self) -> DavServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()


@contextmanager
def untrusted_https(folder: Path, app) -> Iterator[str]:
    """``app`` on a real HTTPS server (cheroot, builtin TLS) with a self-signed certificate
    made in ``folder``; yields its base URL. A client that verifies certificates refuses it."""
    cert, key = self_signed_certificate(folder)
    server = wsgi.Server(("127.0.0.1", free_port()), app)
    server.ssl_adapter = BuiltinSSLAdapter(str(cert), str(key))
    server.error_log = lambda *args, **kwargs: None  # the refused handshake is expected
    server.prepare()
    threading.Thread(target=server.serve, daemon=True).start()
    try:
        yield f"https://127.0.0.1:{server.bind_addr[1]}/"
    finally:
        server.stop()
