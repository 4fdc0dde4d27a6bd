"""A mail server for tests: plain SMTP on 127.0.0.1 that keeps every message it is given.

Just enough of RFC 5321 for Python's smtplib: EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP and QUIT, no TLS and no login (the server's settings turn both off).
"""

from __future__ import annotations

import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType


class SmtpSink:
    """`with SmtpSink() as sink:` a server on `sink.port`; what arrived is in `sink.messages`."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self._received = threading.Condition()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                sink._converse(self)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="smtp-sink")

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop answering, as a mail server that is away; again is harmless."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
        self._server.server_close()

    def wait_for(self, count: int, timeout_s: float = 10) -> list[EmailMessage]:
        """The messages once `count` have arrived (a sender may still be talking)."""
        with self._received:
            self._received.wait_for(lambda: len(self.messages) >= count, timeout=timeout_s)
            return list(self.messages)

    def _converse(self, handler: socketserver.StreamRequestHandler) -> None:
        def say(line: str) -> None:
            handler.wfile.write(line.encode("ascii") + b"\r\n")
            handler.wfile.flush()

        say("220 sink.test ESMTP")
        while line := handler.rfile.readline():
            verb = line.decode("ascii", errors="replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                say("250-sink.test")
                say("250 8BITMIME")
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                say("250 OK")
            elif verb == "DATA":
                say("354 End data with <CR><LF>.<CR><LF>")
                self._keep(self._data(handler))
                say("250 OK: queued")
            elif verb == "QUIT":
                say("221 Bye")
                return
            else:
                say("502 Command not implemented")

    @staticmethod
    def _data(handler: socketserver.StreamRequestHandler) -> bytes:
        lines = []
        while (line := handler.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)

    def _keep(self, data: bytes) -> None:
        message = message_from_bytes(data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._received:
            self.messages.append(message)
            self._received.notify_all()
