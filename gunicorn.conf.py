"""gunicorn's settings for the web nodes, read from the environment (gunicorn loads ./gunicorn.conf.py).

Run from the repository root (the image's working directory): ``gunicorn`` with no arguments.

| variable | default | meaning |
|---|---|---|
| `BIND` | `0.0.0.0:$PORT` | address(es) to listen on, comma-separated (`unix:/run/app.sock` works too) |
| `PORT` | `8000` | port when `BIND` is not set |
| `GUNICORN_WORKERS` (or `WEB_CONCURRENCY`) | 2 x cores + 1 | worker processes |
| `GUNICORN_THREADS` | `2` | threads per worker (gthread); each thread may hold a database connection |
| `GUNICORN_TIMEOUT` | 2 x `DOCUMENTS_SANDBOX_TIMEOUT_SECONDS` + 60 = `180` | seconds a worker may be silent before it is killed and replaced |
| `GUNICORN_GRACEFUL_TIMEOUT` | the timeout | seconds a worker gets after SIGTERM to finish the requests it is serving |
| `GUNICORN_KEEPALIVE` | `5` | seconds an idle keep-alive connection (from the proxy) is kept |
| `GUNICORN_MAX_REQUESTS`, `GUNICORN_MAX_REQUESTS_JITTER` | `1000`, `100` | a worker is replaced after about this many requests (memory held by pdfium, Pillow, NumPy is given back) |
| `TRUSTED_PROXY_COUNT` | `0` | the same variable as Django's, see `forwarded_allow_ips` below |
| `FORWARDED_ALLOW_IPS` | `*` when `TRUSTED_PROXY_COUNT` > 0 | the proxies' addresses or networks, to narrow who may say "https" |
| `GUNICORN_LOG_LEVEL` | `info` | error log level |
| `GUNICORN_CONTROL_SOCKET` | none | path of gunicorn's control socket, off when unset |

The longest web request is an upload: up to `DOCUMENTS_MAX_BYTES` (20 MB) read from the client, each
file parsed in the sandbox (at most `DOCUMENTS_SANDBOX_TIMEOUT_SECONDS`, 60 s) and stored (S3 fails
within 20 s): the timeout is above that. With threads (gthread) a long request does not silence its
worker, so the timeout only catches a stuck worker; with ``GUNICORN_THREADS=1`` (sync workers) it also
ends any request that runs longer.
"""

import os

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


wsgi_app = "backoffice.wsgi:application"
bind = [part.strip() for part in os.environ.get("BIND", "").split(",") if part.strip()] or [
    f"0.0.0.0:{_int('PORT', 8000)}"
]

workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * _cores() + 1))
threads = _int("GUNICORN_THREADS", 2)
timeout = _int("GUNICORN_TIMEOUT", 2 * _int("DOCUMENTS_SANDBOX_TIMEOUT_SECONDS", 60) + 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", timeout)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)  # so the workers are not all replaced at once
# gunicorn's control socket (gunicornc) only where asked for: by default it lives in $HOME, shared by every
# gunicorn of the user (and the image's user has no writable home).
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files: never on a slow or overlay disk

# Who may tell gunicorn that the request came over HTTPS (X-Forwarded-Proto and friends set wsgi.url_scheme),
# tied to Django's TRUSTED_PROXY_COUNT: with 0 there is no proxy, a client could write these headers, so
# nobody is trusted (as Django then ignores X-Forwarded-Proto and X-Forwarded-For). With 1 or more the web
# nodes are reachable only through the proxies, which overwrite the header, and Django trusts it from any
# peer: gunicorn does the same ("*") unless FORWARDED_ALLOW_IPS names the proxies' addresses or networks.
# The client's address itself is read by Django (client_address.py: the TRUSTED_PROXY_COUNT-th entry from
# the right of X-Forwarded-For), never rewritten by gunicorn.
TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", 0)
forwarded_allow_ips = (os.environ.get("FORWARDED_ALLOW_IPS") or "*") if TRUSTED_PROXY_COUNT > 0 else ""

# Access log on stdout, one line per request ending with its duration in milliseconds (%(M)s); the client
# behind the proxies is in the X-Forwarded-For field. Error log on stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


class RedactingLogger(Logger):
    """gunicorn's logger with the secrets of e-mailed links (invitation, upload, password reset...) replaced by
    ``[redacted]`` in the request line, path, query and referer of every access-log line (backoffice.security)."""

    def atoms(self, resp, req, environ, request_time):
        from backoffice.security import redact_tokens

        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}


logger_class = RedactingLogger
