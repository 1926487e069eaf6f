"""Which failures are the infrastructure's (retry later) and which are the work's own (record them).

A task retries a transient failure with back-off and records only a permanent one: a database, broker,
storage or mail server that is down or slow says nothing about the document or the request. Everything
that retries, and everything that reports a fault to a person, asks :func:`is_transient`.
"""

from __future__ import annotations

import errno
import smtplib

from django.db import InterfaceError, OperationalError

# A file or object that is not there will not appear by retrying (a full or read-only disk may be mended).
_PERMANENT_OS_ERRORS = (FileNotFoundError, IsADirectoryError, NotADirectoryError)
_PERMANENT_ERRNOS = {errno.ENOENT}


def _transient_classes() -> tuple[type[BaseException], ...]:
    classes: list[type[BaseException]] = [OperationalError, InterfaceError, OSError, smtplib.SMTPServerDisconnected]
    try:
        from kombu.exceptions import OperationalError as BrokerError

        classes.append(BrokerError)
    except ImportError:  # pragma: no cover
        pass
    try:
        from botocore.exceptions import BotoCoreError

        classes.append(BotoCoreError)
    except ImportError:  # pragma: no cover
        pass
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeout

        classes += [RedisConnectionError, RedisTimeout]
    except ImportError:  # pragma: no cover
        pass
    return tuple(classes)


TRANSIENT_ERRORS = _transient_classes()


def is_transient(exc: BaseException) -> bool:
    """True when ``exc`` says a part we depend on is down or slow, not that the work itself is wrong."""
    if isinstance(exc, _PERMANENT_OS_ERRORS) or (isinstance(exc, OSError) and exc.errno in _PERMANENT_ERRNOS):
        return False
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    try:
        from botocore.exceptions import ClientError
    except ImportError:  # pragma: no cover
        ClientError = ()  # noqa: N806
    if ClientError and isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        code = exc.response.get("Error", {}).get("Code", "")
        return (
            status >= 500 or status == 429 or code in {"SlowDown", "Throttling", "RequestTimeout", "ServiceUnavailable"}
        )
    return isinstance(exc, TRANSIENT_ERRORS)


def backoff(retries: int, *, base: float = 5, cap: float = 300) -> float:
    """Seconds before retry number ``retries`` + 1: doubling from ``base``, at most ``cap`` (below the broker's
    visibility timeout, so that a waiting retry is never redelivered as lost)."""
    return min(cap, base * 2**retries)
