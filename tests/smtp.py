"""A real SMTP server for the mail tests: aiosmtpd on a free loopback port.

The fixture `smtp_server` starts one, points Django's SMTP backend at it
(no locmem outbox: the message goes over a socket, as in production) and
collects what arrives, parsed with the standard library's e-mail parser.
A worker process started by a test can send to it as well: give it
`smtp_server.environment()`. `refuse(code)` makes it refuse recipients,
to see how sending copes with a relay that says "later" (4xx) or "never"
(5xx).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.server.refusal:
            return self.server.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self.server.lock:
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.server.messages.append(message)
        return "250 Message accepted"


class SmtpServer:
    """aiosmtpd in a thread, and what it received."""

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refusal = ""
        self.lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def refuse(self, code: int) -> None:
        """Refuse every recipient from now on: 451 means "try later", 550 "no such user"."""
        self.refusal = f"{code} {'Try again later' if code < 500 else 'No such user here'}"

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        """The messages, once `count` have arrived (from another process, say)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"{len(self.messages)} of {count} message(s) arrived in {timeout} s")

    def environment(self) -> dict[str, str]:
        """Settings for a kamteam process that should send here."""
        return {
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A running SMTP server, with Django's SMTP backend pointed at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.stop()
