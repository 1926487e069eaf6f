"""``Authorization: Bearer eab_...``: the personal access token of a person with an active login.

An unknown, expired or revoked token, or one whose person can no longer log in (deactivated user, staff
account, no login), is refused with 401; a person left without any active grant gets 403 ``access_ended``, as the
pages answer them. What the person may then see or do is ``authority``'s answer.
"""

from __future__ import annotations

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
        if not secret.startswith(services.TOKEN_PREFIX):
            raise InvalidToken()
        token = PersonalAccessToken.objects.select_related("person__user").filter(token_hash=hash_token(secret)).first()
        if token is None:
            raise InvalidToken()
        if token.revoked_at is not None:
            raise RevokedToken()
        if token.expires_at <= timezone.now():
            raise ExpiredToken()
        user = token.person.user
        if authority.person_of(user) is None:  # no login any more, deactivated, or a staff account
            raise InvalidToken()
        if authority.access_ended(token.person):  # as the pages: a login whose every grant ended leads nowhere
            raise AccessEnded()
        services.note_use(token)
        request.person = token.person  # what the customer area's helpers read (portal.access)
        return user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def person_of(request):
    """The person the request's token acts for."""
    return request.person


def api_actor(request) -> Actor:
    """Who changes something through the API: the token's person, with the token named in the audit log."""
    token: PersonalAccessToken = request.auth
    return Actor(
        user=request.user, ip=client_ip(request) or None, label=f"api token {token.hint}… «{token.name}»"[:150]
    )
