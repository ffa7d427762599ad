"""A real SMTP server on loopback (aiosmtpd) that keeps what it is sent, for tests and the bench.

Run as a program it is the bench's sink: `python -m tests.mailserver PORT` counts messages and
prints the time each thousandth (and the last, on SIGTERM) was accepted.
"""

import asyncio
import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: accepts every message unless told to refuse a recipient."""

    def __init__(self, *, keep=True):
        self.keep = keep
        self.messages = []  # (recipients, email.message.EmailMessage)
        self.count = 0
        self.last_at = None
        self.refuse = {}  # address -> "550 No such mailbox" (or a 4xx) at RCPT
        self.hang_up_after_each = False  # close the connection after each message, as some do
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            self.last_at = time.monotonic()
            if self.keep:
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                self.messages.append((list(envelope.rcpt_tos), message))
        if self.hang_up_after_each:
            asyncio.get_running_loop().call_later(0.05, server.transport.close)
        return f"250 2.0.0 Ok: queued as {self.count}"

    def to(self, address):
        return [message for rcpts, message in self.messages if address in rcpts]


class MailServer:
    def __init__(self, *, keep=True, port=None):
        self.inbox = Inbox(keep=keep)
        self.port = port or free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
