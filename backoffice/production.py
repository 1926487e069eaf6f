"""What the back office refuses to run in production (``DJANGO_DEBUG=false``) with.

Pure functions of the configuration's values, each answering with the problems it found as sentences that
name the variable to set, so that an operator reads every problem of a configuration at once.
``backoffice/settings.py`` raises ImproperlyConfigured with all of them when ``DJANGO_DEBUG=false``; the
embedded defaults (SQLite, the filesystem broker, local documents, ``SITE_URL`` on 127.0.0.1) are each
allowed by a variable of their own, for a deliberate single-machine installation. ``manage.py doctor``
prints the same list. Tesseract's languages are checked at startup by a system check
(``backoffice.apps.tesseract_languages``), since asking Tesseract is not for settings import.

Nothing here imports Django's settings: settings.py calls it while it is being loaded.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

SECRET_KEY_MIN_LENGTH = 50
#: The embedded brokers: kombu's filesystem transport and ours (backoffice/broker.py).
FILESYSTEM_BROKER_SCHEMES = {"safefs", "filesystem"}
SQLITE_SCHEMES = {"sqlite", "spatialite"}


def secret_problems(*, secret_key: str, fallbacks: Sequence[str], dev_secret: str) -> list[str]:
    """The signing key and the old keys still accepted (SECRET_KEY_FALLBACKS): a weak or published old key
    would let anyone sign sessions and links just as well as the current one."""
    problems = []
    if len(secret_key) < SECRET_KEY_MIN_LENGTH or secret_key == dev_secret:
        problems.append(f"DJANGO_SECRET_KEY must be set to a random value of {SECRET_KEY_MIN_LENGTH}+ characters")
    if any(len(key) < SECRET_KEY_MIN_LENGTH or key == dev_secret for key in fallbacks):
        problems.append(
            f"DJANGO_SECRET_KEY_FALLBACKS must hold only former secret keys of {SECRET_KEY_MIN_LENGTH}+ random "
            "characters (never the development key)"
        )
    return problems


def hosts_problems(*, allowed_hosts: Sequence[str]) -> list[str]:
    return [] if allowed_hosts else ["DJANGO_ALLOWED_HOSTS must be set to the host names the site answers to"]


def database_problems(*, database_url: str, allow_sqlite: bool) -> list[str]:
    """``database_url`` as given in DATABASE_URL; empty means the embedded SQLite file."""
    if allow_sqlite or _scheme(database_url) not in SQLITE_SCHEMES | {""}:
        return []
    return [
        "DATABASE_URL is SQLite (the embedded default when unset): set DATABASE_URL to a PostgreSQL database, "
        "or PRODUCTION_ALLOW_SQLITE=true for a deliberate single-machine installation"
    ]


def broker_problems(*, broker_url: str, allow_filesystem_broker: bool) -> list[str]:
    """``broker_url`` as given in CELERY_BROKER_URL; empty means the embedded filesystem broker."""
    if allow_filesystem_broker or _scheme(broker_url) not in FILESYSTEM_BROKER_SCHEMES | {""}:
        return []
    return [
        "CELERY_BROKER_URL is the embedded filesystem broker (the default when unset): set CELERY_BROKER_URL to "
        "Redis or RabbitMQ, or PRODUCTION_ALLOW_FILESYSTEM_BROKER=true for a deliberate single-machine installation"
    ]


def documents_problems(*, documents_s3_bucket: str, allow_local_documents: bool) -> list[str]:
    if documents_s3_bucket or allow_local_documents:
        return []
    return [
        "DOCUMENTS_S3_BUCKET is not set, so documents are kept in a local folder (DOCUMENTS_ROOT): set "
        "DOCUMENTS_S3_BUCKET (and its DOCUMENTS_S3_* variables), or PRODUCTION_ALLOW_LOCAL_DOCUMENTS=true when every "
        "process shares that folder"
    ]


def site_url_problems(*, site_url: str, allow_insecure_site_url: bool) -> list[str]:
    """SITE_URL starts every link the e-mails carry: a local or plain-HTTP address sends people nowhere or in clear."""
    if allow_insecure_site_url:
        return []
    parts = urlsplit(site_url)
    if parts.scheme == "https" and parts.hostname and not _is_local_host(parts.hostname):
        return []
    return [
        f"SITE_URL must be the site's public https address, not {site_url!r} (the links in e-mails start with it): "
        "set SITE_URL, or PRODUCTION_ALLOW_INSECURE_SITE_URL=true"
    ]


def proxy_problems(*, trusted_proxy_count: str | None) -> list[str]:
    """``trusted_proxy_count`` as given in TRUSTED_PROXY_COUNT (None when unset). Which X-Forwarded-For entry
    is the client decides who is locked out and what the audit log records: it must be said, not assumed."""
    raw = (trusted_proxy_count or "").strip()
    if raw.isdigit():
        return []
    if not raw:
        return [
            "TRUSTED_PROXY_COUNT must be set explicitly: the number of reverse proxies in front of the web "
            "nodes that add to X-Forwarded-For (0 when clients connect to gunicorn directly)"
        ]
    return [f"TRUSTED_PROXY_COUNT must be a whole number, 0 or more, not {trusted_proxy_count!r}"]


def problems(
    *,
    secret_key: str,
    secret_key_fallbacks: Sequence[str],
    dev_secret: str,
    allowed_hosts: Sequence[str],
    database_url: str,
    broker_url: str,
    documents_s3_bucket: str,
    site_url: str,
    trusted_proxy_count: str | None,
    allow_sqlite: bool = False,
    allow_filesystem_broker: bool = False,
    allow_local_documents: bool = False,
    allow_insecure_site_url: bool = False,
) -> list[str]:
    """Every reason this configuration may not run with DJANGO_DEBUG=false (empty: none)."""
    return [
        *secret_problems(secret_key=secret_key, fallbacks=secret_key_fallbacks, dev_secret=dev_secret),
        *hosts_problems(allowed_hosts=allowed_hosts),
        *database_problems(database_url=database_url, allow_sqlite=allow_sqlite),
        *broker_problems(broker_url=broker_url, allow_filesystem_broker=allow_filesystem_broker),
        *documents_problems(documents_s3_bucket=documents_s3_bucket, allow_local_documents=allow_local_documents),
        *site_url_problems(site_url=site_url, allow_insecure_site_url=allow_insecure_site_url),
        *proxy_problems(trusted_proxy_count=trusted_proxy_count),
    ]


def refusal(found: Sequence[str]) -> str:
    """The ImproperlyConfigured message: every problem on a line of its own."""
    return f"DJANGO_DEBUG=false refuses to start with {len(found)} problem(s):\n" + "\n".join(f"  - {p}" for p in found)


def missing_ocr_languages(*, wanted: str, installed: Iterable[str]) -> list[str]:
    """The languages of ``wanted`` (Tesseract's ``spa+cat`` form, as in OCR_LANGS) that are not installed."""
    have = set(installed)
    return [lang for lang in wanted.split("+") if lang and lang not in have]


def _scheme(url: str) -> str:
    return url.partition("://")[0].lower() if "://" in url else ""


def _is_local_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
