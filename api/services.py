"""Every change to personal access tokens: create, revoke, note a use. Keyword-only, one transaction, audited."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.audit import Actor
from accounts.models import Person
from accounts.services import hash_token

from .models import PersonalAccessToken

#: What every token starts with, so that secret scanners (and people) recognise one.
TOKEN_PREFIX = "eab_"
#: The longest a token may live.
MAX_LIFETIME = timedelta(days=365)
#: A token's last use is written at most this often (a busy integration does not write on every call).
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenRequestError(Exception):
    """A token that cannot be created as asked; ``message`` is for the person, ``code`` for the software."""

    def __init__(self, message, *, code: str = "invalid") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


def _snapshot(token: PersonalAccessToken) -> dict:
    return {
        "name": token.name,
        "hint": token.hint,
        "scope": token.scope,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


@transaction.atomic
def create_token(
    *, person: Person, name: str, scope: str, expires_at: datetime, actor: Actor
) -> tuple[PersonalAccessToken, str]:
    """A new token for ``person``; returns the row and the token itself, which is stored only as its hash."""
    name = " ".join((name or "").split())
    now = timezone.now()
    if not name:
        raise TokenRequestError(_("Give the token a name, e.g. the software that will use it."))
    if len(name) > PersonalAccessToken._meta.get_field("name").max_length:
        raise TokenRequestError(_("At most 80 characters."))
    if scope not in PersonalAccessToken.Scope.values:
        raise TokenRequestError(_("Choose read only, or read and write."))
    if expires_at <= now:
        raise TokenRequestError(_("The expiry date must be in the future."))
    if expires_at > now + MAX_LIFETIME:
        raise TokenRequestError(_("A token lives at most one year."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        person=person,
        name=name,
        hint=secret[:10],
        token_hash=hash_token(secret),
        scope=scope,
        created_at=now,
        expires_at=expires_at,
    )
    audit.record(
        actor=actor,
        action="api_token.create",
        target=token,
        before=None,
        after=_snapshot(token),
        reason="portal: create API token",
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token: PersonalAccessToken, actor: Actor) -> PersonalAccessToken:
    """The token stops working at once. Idempotent."""
    token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        before = _snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="api_token.revoke",
            target=token,
            before=before,
            after=_snapshot(token),
            reason="portal: revoke API token",
        )
    return token


def note_use(token: PersonalAccessToken) -> None:
    """Remember when the token was last used (bookkeeping, not audited), at most once a ``LAST_USED_PRECISION``."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
