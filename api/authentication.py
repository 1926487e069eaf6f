"""``Authorization: Bearer ...``: the personal access token (``eab_...``) of a person with an active login, or an
OAuth2 access token an app holds for such a person (``api.oauth``).

An unknown, expired or revoked token, or one whose person can no longer log in (deactivated user, staff
account, no login), is refused with 401; a person left without any active grant gets 403 ``access_ended``, as the
pages answer them. What the person may then see or do is ``authority``'s answer, whichever kind of token.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

import authority
from accounts.audit import Actor
from accounts.services import hash_token
from client_address import client_ip

from . import services
from .models import PersonalAccessToken
from .oauth.server import WRITE_SCOPE, AccessToken, oauth_access_token

KEYWORD = b"bearer"


class InvalidToken(exceptions.AuthenticationFailed):
    default_detail = _("The token is not valid: check that you copied it whole, or create a new one.")
    default_code = "invalid_token"


class ExpiredToken(exceptions.AuthenticationFailed):
    default_detail = _("The token has expired. Create a new one in the customer area.")
    default_code = "token_expired"


class RevokedToken(exceptions.AuthenticationFailed):
    default_detail = _("The token has been revoked. Create a new one in the customer area.")
    default_code = "token_revoked"


class AccessEnded(exceptions.PermissionDenied):
    default_detail = _(
        "Your access to the customer area has been deactivated. Ask the company's representative to authorise you again."
    )
    default_code = "access_ended"


@dataclass(frozen=True)
class Credential:
    """What a call was authenticated with (``request.auth``), whichever kind of token: what the scope check, the
    rate limit and the audit log read."""

    token: PersonalAccessToken | AccessToken
    may_write: bool
    #: The rate limit's bucket: one per personal token, one per (app, person) for OAuth.
    bucket: str
    #: Who acted, in the audit log: the token's name, or the app's.
    label: str


def _personal(secret: str) -> tuple[object, Credential]:
    token = PersonalAccessToken.objects.select_related("person__user").filter(token_hash=hash_token(secret)).first()
    if token is None:
        raise InvalidToken()
    if token.revoked_at is not None:
        raise RevokedToken()
    if token.expires_at <= timezone.now():
        raise ExpiredToken()
    label = f"api token {token.hint}… «{token.name}»"
    return token.person.user, Credential(token=token, may_write=token.may_write, bucket=str(token.pk), label=label)


def _oauth(secret: str, request) -> tuple[object, Credential]:
    token = oauth_access_token(secret, request)
    if token is None:
        raise InvalidToken()
    if token.is_expired():
        raise ExpiredToken(_("The access token has expired. Get a new one with the refresh token."))
    application = token.application
    label = f"api app {application.client_id[:8]}… «{application.name}»"
    bucket = f"oauth:{application.pk}:{token.user_id}"
    return token.user, Credential(token=token, may_write=WRITE_SCOPE in token.scope.split(), bucket=bucket, label=label)


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise InvalidToken()
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise InvalidToken() from None
        if secret.startswith(services.TOKEN_PREFIX):
            user, credential = _personal(secret)
        else:
            user, credential = _oauth(secret, request)
        person = authority.person_of(user)
        if person is None:  # no login any more, deactivated, or a staff account
            raise InvalidToken()
        if authority.access_ended(person):  # as the pages: a login whose every grant ended leads nowhere
            raise AccessEnded()
        if isinstance(credential.token, PersonalAccessToken):
            services.note_use(credential.token)  # a refused call is no use
        request.person = person  # what the customer area's helpers read (portal.access)
        return user, credential

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def person_of(request):
    """The person the request's token acts for."""
    return request.person


def api_actor(request) -> Actor:
    """Who changes something through the API: the token's person, with the token (or the app) named in the audit
    log."""
    credential: Credential = request.auth
    return Actor(user=request.user, ip=client_ip(request) or None, label=credential.label[:150])
