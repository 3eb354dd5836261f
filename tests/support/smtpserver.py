"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from ports import free_port


@dataclass
class Inbox:
    """aiosmtpd handler: each received message as (envelope sender, recipients, raw bytes)."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              bytes(envelope.original_content)))
        return "250 OK"


class Authenticator:
    """Accepts exactly one user name and password (LOGIN and PLAIN)."""

    def __init__(self, username: str, password: str):
        self.expected = (username.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            (auth_data.login, auth_data.password) == self.expected)
        return AuthResult(success=ok, handled=False)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 made with the openssl command line tool."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


@contextmanager
def running_inbox(**controller_options) -> Iterator[tuple[Inbox, int]]:
    """An aiosmtpd server on a free port of 127.0.0.1 for the ``with`` block: (inbox, port).

    ``controller_options`` go to aiosmtpd's Controller (tls_context, authenticator, …).
    """
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            **controller_options)
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@dataclass
class Refusing(Inbox):
    """An inbox that answers chosen SMTP commands with a fixed reply instead of accepting.

    ``recipients`` maps an address to the reply its RCPT gets; the reply quotes the address,
    as real servers do, so tests can check it never reaches an error text.
    """

    recipients: dict[str, str] = field(default_factory=dict)
    mail_reply: str | None = None
    data_reply: str | None = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.recipients:
            return f"{self.recipients[address]} <{address}>"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        return await super().handle_DATA(server, session, envelope)


@contextmanager
def refusing_inbox(**replies) -> Iterator[tuple[Refusing, int]]:
    """A real aiosmtpd server on 127.0.0.1 with the ``Refusing`` handler."""
    handler = Refusing(**replies)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()
