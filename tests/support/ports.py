"""Free TCP ports on 127.0.0.1, for the real servers the tests start.

Tests run in parallel processes (pytest-xdist), each asking the OS for free ports. A port
that nothing holds for a while (between ``free_port`` and a server's bind, or while a
server is stopped to be started again on the same port) can be handed to another process
meanwhile; ``HeldPort`` keeps it for the test instead.
"""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it; the socket is closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HeldPort:
    """A free port kept for this test until ``release``: bound, but not listening.

    Connections to it are refused, as to a closed port, and the OS hands it to no other
    process asking for a free one (``free_port`` binds without SO_REUSEADDR, which a bound
    socket refuses). A server that sets SO_REUSEADDR (gunicorn, cheroot, aiosmtpd) still
    binds and listens on it, so the hold may last as long as the servers that use it.
    """

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]

    def release(self) -> None:
        self._socket.close()  # a second time does nothing

    def __enter__(self) -> HeldPort:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __del__(self) -> None:
        self.release()
