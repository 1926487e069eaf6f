"""Where a webhook may go, and one POST there.

Server-side request forgery is refused twice: when an endpoint is registered (``refusal``: the URL as written)
and at every attempt (``post``: the addresses the name resolves to *now*, and the connection is made to the
address that was checked, so a name that changes its answer between the check and the connect -- DNS
rebinding -- reaches nothing new). Only public addresses are allowed; loopback only when the setting
``WEBHOOKS_ALLOW_LOOPBACK`` says so (tests, a developer's machine). Redirects are never followed: a 3xx is a
failed attempt like any other non-2xx answer.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

#: Characters of an answer's body kept with the attempt.
BODY_KEPT = 500
LOOPBACK_NAMES = ("localhost", "localhost.")


def address_allowed(address: str, *, allow_loopback: bool) -> bool:
    """A public unicast address; loopback when ``allow_loopback``. Private, link-local (cloud metadata),
    shared, reserved, multicast and unspecified addresses never."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def _literal_address(host: str) -> str | None:
    """``host`` as an IP address when it is one, in any spelling the resolver accepts (``10.1``, ``0x0a000001``,
    ``167772161``); None for a name."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def _is_loopback_host(host: str) -> bool:
    literal = _literal_address(host)
    if literal is not None:
        return ipaddress.ip_address(literal).is_loopback
    return host.lower() in LOOPBACK_NAMES or host.lower().endswith(".localhost")


def refusal(url: str, *, allow_loopback: bool) -> str | None:
    """Why ``url`` may not be an endpoint, as a code (``services`` words it); None when it may be.

    ``scheme``: not HTTPS (plain HTTP only to loopback, when allowed); ``credentials``: a user or password in it;
    ``host``: no host name; ``address``: a non-public address, written as such or as a loopback name."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number in range
    except ValueError:
        return "host"
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http"):
        return "scheme"
    if not host:
        return "host"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    loopback = _is_loopback_host(host)
    if parts.scheme == "http" and not (allow_loopback and loopback):
        return "scheme"
    if loopback:
        return None if allow_loopback else "address"
    literal = _literal_address(host)
    if literal is not None and not address_allowed(literal, allow_loopback=allow_loopback):
        return "address"
    return None


@dataclass(frozen=True)
class Answer:
    """What one POST got: the status code (None when nothing answered), the body's beginning, or the error."""

    status_code: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _Pinned:
    """Connects to ``address`` (checked) while speaking to ``host`` (Host header, TLS name and certificate)."""

    address: str

    def _socket(self) -> socket.socket:
        return socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = self._socket()


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        self.sock = self.tls.wrap_socket(self._socket(), server_hostname=self.host)


def _resolve(host: str, port: int) -> list[str]:
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_loopback: bool) -> Answer:
    """POST ``body`` to ``url`` once, within ``timeout`` seconds per network step. Never raises for what the
    network or the receiver does: the answer says it."""
    started = time.monotonic()

    def answer(status_code: int | None = None, text: str = "", error: str = "") -> Answer:
        return Answer(status_code, text[:BODY_KEPT], error[:BODY_KEPT], int((time.monotonic() - started) * 1000))

    why = refusal(url, allow_loopback=allow_loopback)
    if why is not None:
        return answer(error=f"refused: the address is not allowed ({why})")
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    try:
        addresses = _resolve(parts.hostname, port)
    except (OSError, UnicodeError) as exc:
        return answer(error=f"could not resolve {parts.hostname}: {exc}")
    if not addresses or not all(address_allowed(a, allow_loopback=allow_loopback) for a in addresses):
        return answer(error=f"refused: {parts.hostname} resolves to a non-public address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPS if secure else _PinnedHTTP
    connection = connection_class(parts.hostname, port, address=addresses[0], timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read(BODY_KEPT * 4).decode("utf-8", errors="replace")
        return answer(status_code=response.status, text=text)
    except TimeoutError:
        return answer(error=f"no answer within {timeout:g} s")
    except (OSError, http.client.HTTPException) as exc:
        return answer(error=f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()
