"""The OAuth2 server the API offers: django-oauth-toolkit on oauthlib, narrowed to what a customer may use.

Only the authorization code grant with PKCE (S256) and the refresh token grant exist here: oauthlib's
``WebApplicationServer`` knows no implicit, password or client-credentials grant, so no app can ask for them,
whatever it was registered with. Redirect URIs are https, or http on a loopback address for native apps (RFC 8252
section 7.3), and match the registered ones exactly. A code or refresh token of someone who can no longer log in to
the customer area (deactivated, or a staff account) is refused.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_access_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request as OauthlibRequest
from oauthlib.oauth2 import WebApplicationServer
from oauthlib.oauth2.rfc6749 import errors

import authority

AccessToken = get_access_token_model()
#: The scope that lets an app change things; every token reads (the personal tokens' "read and write").
WRITE_SCOPE = "write"
#: Hosts a native app's loopback redirect may name over plain http, on any port (RFC 8252 section 7.3). Not
#: "localhost": a name can resolve elsewhere (section 8.3).
LOOPBACK_HOSTS = ("127.0.0.1", "::1")
GRANT_TYPES = ("authorization_code", "refresh_token")


def redirect_uri_refusal(uri: str) -> str | None:
    """Why ``uri`` may not be an app's redirect URI, or None when it may."""
    try:
        parts = urlsplit(uri)
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        return str(_("Not a valid address."))
    if "#" in uri or "@" in parts.netloc or "*" in parts.netloc or port == 0:
        return str(_("An address with a fragment, credentials, a wildcard or port 0 is not allowed."))
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return str(_("Use an https address (or http on 127.0.0.1 or [::1] for an app on the person's own computer)."))


def require_s256(request) -> dict:
    """A code challenge must be made with S256: "plain" gives no protection if the request is seen."""
    if request.code_challenge is not None and request.code_challenge_method != "S256":
        raise errors.UnsupportedCodeChallengeMethodError(
            description='Only the "S256" code_challenge_method is supported.', request=request
        )
    return {}


class CustomerAppServer(WebApplicationServer):
    """Authorization code (PKCE S256 only) and refresh token grants, bearer tokens, revocation."""

    def __init__(
        self, request_validator, token_expires_in=None, token_generator=None, refresh_token_generator=None, **kwargs
    ):
        # The other keyword arguments django-oauth-toolkit passes are for the device flow, not offered here.
        super().__init__(
            request_validator,
            token_generator=token_generator,
            token_expires_in=token_expires_in,
            refresh_token_generator=refresh_token_generator,
        )
        self.auth_grant.custom_validators.pre_auth.append(require_s256)


class CustomerAppValidator(OAuth2Validator):
    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs) -> bool:
        return redirect_uri_refusal(redirect_uri) is None and super().validate_redirect_uri(
            client_id, redirect_uri, request, *args, **kwargs
        )

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs) -> bool:
        return response_type == "code" and super().validate_response_type(
            client_id, response_type, client, request, *args, **kwargs
        )

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        return grant_type in GRANT_TYPES and super().validate_grant_type(
            client_id, grant_type, client, request, *args, **kwargs
        )

    def validate_code(self, client_id, code, client, request, *args, **kwargs) -> bool:
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        return valid and authority.person_of(request.user) is not None

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs) -> bool:
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return valid and authority.person_of(request.user) is not None


def oauth_access_token(secret: str, request) -> AccessToken | None:
    """The access token ``secret`` is, if django-oauth-toolkit accepts it for this request; an expired one is
    returned too (the caller says so), anything else is None. Who its person is and what they may do is not
    decided here."""
    checked = OauthlibRequest(request.build_absolute_uri())
    if CustomerAppValidator().validate_bearer_token(secret, [], checked):
        return checked.access_token
    checksum = hashlib.sha256(secret.encode()).hexdigest()
    return (
        AccessToken.objects.select_related("application", "user")
        .filter(token_checksum=checksum, expires__lte=timezone.now())
        .first()
    )
