"""One throttle for every guessable secret: passwords, the holder's proof (bank digits or an invoice total), resets,
staff one-time codes.

Each secret has ONE counter per identifier, shared by every channel that checks it (the holder's proof
is the same counter in the registration and in the call center), a counter per (identifier, address),
and a high ceiling per address against credential stuffing. A try is counted *before* the secret is
checked: every try inserts its rows, committed at once, and then counts what is committed, so a try
sees at least every try committed before it -- at most ``limit`` tries are ever checked, however many
arrive at once. The limits:

* per (identifier, address): ``LOCKOUT_MAX_ATTEMPTS`` -- someone mistyping, or one attacker;
* per identifier: the secret's own limit -- low for the 4-digit proof (it has only 10,000 values),
  higher for passwords, so that strangers elsewhere cannot lock a person out;
* per address: ``LOCKOUT_MAX_PER_ADDRESS`` -- an office behind one NAT is not locked by one user's typos.

Own module rather than django-axes or django-ratelimit: axes throttles Django's ``authenticate`` only
(not the bank digits, the invoice totals or the call center's checks), ratelimit counts in a cache
that the embedded mode does not share between processes, and neither counts *before* the check.
Every lock and every lift is logged on the ``security`` logger; supervisors lift locks (audited).
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from .models import FailedAttempt

logger = logging.getLogger("security")


@dataclass(frozen=True)
class Secret:
    name: str
    per_identifier_setting: str  # the setting with the limit per identifier
    per_pair_setting: str = "LOCKOUT_MAX_ATTEMPTS"  # the limit per identifier and address

    @property
    def per_identifier(self) -> int:
        return getattr(settings, self.per_identifier_setting)

    @property
    def per_pair(self) -> int:
        return getattr(settings, self.per_pair_setting)


PASSWORD = Secret("password", "LOCKOUT_MAX_PER_ACCOUNT")
STAFF_PASSWORD = Secret("staff_password", "LOCKOUT_MAX_PER_ACCOUNT")
HOLDER_PROOF = Secret("holder_proof", "LOCKOUT_MAX_ATTEMPTS")
PASSWORD_RESET = Secret("password_reset", "LOCKOUT_MAX_ATTEMPTS")
#: Not a secret but a cost: every contact added may send an e-mail from the utility, so each one counts
#: (a refused one is taken back with ``succeeded``).
INVITATION = Secret("invitation", "INVITATIONS_PER_WINDOW", "INVITATIONS_PER_WINDOW")
STAFF_OTP = Secret("staff_otp", "LOCKOUT_MAX_ATTEMPTS")  # a staff user's TOTP or recovery code, keyed on the user's pk
SECRETS = {
    secret.name: secret for secret in (PASSWORD, STAFF_PASSWORD, HOLDER_PROOF, PASSWORD_RESET, STAFF_OTP, INVITATION)
}


def user_name_key(raw: str) -> str:
    """A staff user name as Django authenticates it (NFKC, like UsernameField), case-folded."""
    return unicodedata.normalize("NFKC", raw or "").strip().casefold()


def _scopes(secret: Secret, identifier: str, address: str) -> list[tuple[str, str, int]]:
    return [
        (f"{secret.name}:id", identifier, secret.per_identifier),
        (f"{secret.name}:id+ip", f"{identifier}|{address}", secret.per_pair),
        (f"{secret.name}:ip", address, settings.LOCKOUT_MAX_PER_ADDRESS),
    ]


def _since():
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


@dataclass
class Attempt:
    """One try at a secret, counted already. Check the secret only when ``locked`` is False."""

    secret: Secret
    identifier: str
    address: str
    locked: bool
    row_ids: list[int] = field(default_factory=list)


def attempt(secret: Secret, *, identifier: str, address: str) -> Attempt:
    """Count one try at ``secret`` for ``identifier`` from ``address`` -- before the secret is checked."""
    identifier, address = identifier[:60], (address or "-")[:39]
    scopes = _scopes(secret, identifier, address)
    with transaction.atomic():  # committed before counting: concurrent tries see each other
        rows = FailedAttempt.objects.bulk_create(
            [FailedAttempt(scope=scope, key=key[:100]) for scope, key, _ in scopes]
        )
    since = _since()
    over = [
        (scope, key, limit)
        for scope, key, limit in scopes
        if FailedAttempt.objects.filter(scope=scope, key=key[:100], at__gte=since).count() > limit
    ]
    for scope, key, limit in over:
        logger.warning(
            "lock: %s %s is over its limit of %d tries in %d minutes",
            scope,
            shown(scope, key),
            limit,
            settings.LOCKOUT_MINUTES,
            extra={"event": "lockout", "scope": scope, "key": shown(scope, key)},
        )
    if over:  # refused unchecked: it does not count, the lock runs from the tries that did
        FailedAttempt.objects.filter(pk__in=[row.pk for row in rows]).delete()
        rows = []
    return Attempt(
        secret=secret,
        identifier=identifier,
        address=address,
        locked=bool(over),
        row_ids=[row.pk for row in rows if row.pk],
    )


def succeeded(tried: Attempt, *, reset: bool = False) -> None:
    """The secret was right: this try no longer counts. ``reset`` also forgets the earlier failures of the same
    identifier from the same address (safe for passwords; never for the 4-digit proof, which anyone may know)."""
    FailedAttempt.objects.filter(pk__in=tried.row_ids).delete()
    if reset:
        scope, key, _ = _scopes(tried.secret, tried.identifier, tried.address)[1]
        FailedAttempt.objects.filter(scope=scope, key=key[:100]).delete()


def failed(tried: Attempt) -> None:
    """The secret was wrong: the try keeps counting (nothing to write; it is logged)."""
    logger.info(
        "failed try: %s for %s",
        tried.secret.name,
        shown(f"{tried.secret.name}:id", tried.identifier),
        extra={
            "event": "login.failed" if tried.secret in (PASSWORD, STAFF_PASSWORD) else "secret.failed",
            "secret": tried.secret.name,
            "key": shown(f"{tried.secret.name}:id", tried.identifier),
            "address": tried.address,
        },
    )


def is_locked(secret: Secret, *, identifier: str, address: str) -> bool:
    """Whether a try now would be refused (without counting one): for pages that say so before asking."""
    since = _since()
    return any(
        FailedAttempt.objects.filter(scope=scope, key=key[:100], at__gte=since).count() >= limit
        for scope, key, limit in _scopes(secret, identifier, address)
    )


def shown(scope: str, key: str) -> str:
    """A counter's key as logs and staff see it: addresses whole, identifiers masked."""
    from .identifiers import mask_id_number

    if scope.endswith(":ip"):
        return key
    identifier, _, address = key.partition("|")
    return mask_id_number(identifier) + (f"|{address}" if address else "")


@dataclass(frozen=True)
class Lock:
    scope: str
    key: str
    shown: str
    tries: int
    limit: int
    since: object
    until: object


def active_locks() -> list[Lock]:
    """Every counter at or over its limit now. One query."""
    since = _since()
    rows = (
        FailedAttempt.objects.filter(at__gte=since)
        .values("scope", "key")
        .annotate(tries=Count("id"), first=Min("at"))
        .order_by("scope", "key")
    )
    locks = []
    for row in rows:
        name, _, kind = row["scope"].partition(":")
        secret = SECRETS.get(name)
        if secret is None:
            continue
        limit = {"id": secret.per_identifier, "id+ip": secret.per_pair, "ip": settings.LOCKOUT_MAX_PER_ADDRESS}.get(
            kind
        )
        if limit is not None and row["tries"] >= limit:
            locks.append(
                Lock(
                    scope=row["scope"],
                    key=row["key"],
                    shown=shown(row["scope"], row["key"]),
                    tries=row["tries"],
                    limit=limit,
                    since=row["first"],
                    until=row["first"] + timedelta(minutes=settings.LOCKOUT_MINUTES),
                )
            )
    return locks


def lift(*, scope: str, key: str, actor, reason: str) -> int:
    """A supervisor lifts a lock: its counter is emptied, audited and logged. Returns how many tries were forgotten."""
    from . import audit

    with transaction.atomic():
        forgotten = FailedAttempt.objects.filter(scope=scope, key=key).delete()[0]
        audit.record(
            actor=actor,
            action="lock.lift",
            target=actor.user,
            customer=None,
            before={"scope": scope, "key": shown(scope, key), "tries": forgotten},
            after=None,
            reason=reason,
        )
    logger.warning(
        "unlock: %s %s lifted by %s (%d tries forgotten): %s",
        scope,
        shown(scope, key),
        actor.name,
        forgotten,
        reason,
        extra={"event": "unlock", "scope": scope, "key": shown(scope, key)},
    )
    return forgotten


def purge_stale() -> int:
    return FailedAttempt.objects.filter(at__lt=_since()).delete()[0]
