"""A webhook receiver on loopback that is down, slow or up, and the fault tests' private Redis and workers."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.faults.conftest import redis, redis_port, smtp, stack  # noqa: F401 -- fixtures shared with the fault tests
from tests.faults.parts import free_port
from webhooks.verify import verify_signature


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    mode: str

    @property
    def payload(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """The check a receiver makes (docs/webhooks.md)."""
        return verify_signature(
            secret, self.headers["X-Webhook-Timestamp"], self.body, self.headers["X-Webhook-Signature"]
        )


@dataclass
class Receiver:
    """``start("up")``: answers ``status`` (and ``body``); ``"slow"``: reads the request, then sleeps ``delay``
    seconds before answering; ``stop()``: the port is closed (down). Records every request it read."""

    port: int = field(default_factory=free_port)
    mode: str = "up"
    status: int = 204
    body: bytes = b""
    headers_out: dict = field(default_factory=dict)
    delay: float = 3.0
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self, mode: str = "up") -> Receiver:
        self.mode = mode
        if self._server is None:
            owner = self

            class Handler(BaseHTTPRequestHandler):
                def do_POST(self):  # noqa: N802 -- http.server's name
                    body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    owner.received.append(Received(self.path, dict(self.headers.items()), body, owner.mode))
                    if owner.mode == "slow":
                        time.sleep(owner.delay)
                    self.send_response(owner.status)
                    for name, value in owner.headers_out.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(owner.body)))
                    self.end_headers()
                    self.wfile.write(owner.body)

                def log_message(self, *args):
                    pass

            ThreadingHTTPServer.allow_reuse_address = True
            self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
            self._server.daemon_threads = True
            threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def loopback(settings):
    """Loopback receivers allowed, one-second timeouts and retries (as the worker tests pass to their workers)."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    settings.WEBHOOKS_RETRY_SECONDS = [1]
    settings.WEBHOOKS_REDRIVE_AFTER_SECONDS = 3
    settings.WEBHOOKS_MAX_ATTEMPTS = 4
    return settings
