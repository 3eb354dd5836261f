"""The form page in headless Chromium, with the shipped files served by the real service."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from chromium import chromium, require_chromium
from form_page import built_page, static_server
from webhook_helpers import environment
from werkzeug.serving import make_server


@pytest.fixture(scope="module")
def service_url(tmp_path_factory) -> Iterator[str]:
    """The webhook service (its Flask app, on 127.0.0.1), which serves /schemas/…."""
    from webhook import create_app

    data = tmp_path_factory.mktemp("service") / "data"
    app = create_app(environment(data, BESOKSRAPPORT_RUN_WORKER="false"))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    """The bundled test page (RJSF and JSON Forms from npm), on its own local origin."""
    with static_server(built_page()) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    require_chromium()
    home = tmp_path_factory.mktemp("chromium")
    with chromium(home / "profile", home / "downloads") as driver:
        yield driver
