"""The OpenAPI schema (drf-spectacular): the two bearer schemes (personal token, OAuth2 app), and the error shape on
every operation."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable: branch on it, never on the message.")
    message = serializers.CharField(help_text="For people, in the language of Accept-Language (ca, es, en).")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="The input at fault, if any."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


#: The errors every operation may answer, with what they mean.
ERRORS = {
    "400": "Bad input (`invalid`, or the code of the rule refused); `fields` names the input at fault.",
    "401": "No token, or an unknown, expired or revoked one (`not_authenticated`, `invalid_token`, "
    "`token_expired`, `token_revoked`).",
    "403": "A read-only token asked for a change (`insufficient_scope`), or the person may see the object but "
    "not do this (`permission_denied`).",
    "404": "No such object, or not one the person may see (`not_found`): the two are never told apart.",
    "429": "Too many calls with this token (`throttled`); wait the seconds `Retry-After` says.",
}


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in ERRORS.items():
            responses.setdefault(
                code,
                self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=description), code, direction=direction
                ),
            )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Either kind of bearer token: a personal access token, or an OAuth2 app's (scope ``read`` for reads,
    ``write`` for changes)."""

    target_class = "api.authentication.BearerTokenAuthentication"
    name = ["personalAccessToken", "oauth2"]

    def get_security_requirement(self, auto_schema):
        scope = "read" if auto_schema.method in SAFE_METHODS else "write"
        return [{"personalAccessToken": []}, {"oauth2": [scope]}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "eab_…",
                "description": "A personal access token, created in the customer area (Profile › API tokens).",
            },
            {
                "type": "oauth2",
                "description": "For third-party apps registered with us: authorization code with PKCE (S256 only). "
                "The person logs in to the customer area and allows the app; access tokens last "
                f"{settings.OAUTH_ACCESS_TOKEN_SECONDS} s, refresh tokens are replaced at each use.",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": settings.SITE_URL + reverse("oauth2_provider:authorize"),
                        "tokenUrl": settings.SITE_URL + reverse("oauth2_provider:token"),
                        "refreshUrl": settings.SITE_URL + reverse("oauth2_provider:token"),
                        "scopes": {
                            "read": "See what the person can see (companies, supplies, invoices, requests).",
                            "write": "Also make the changes the person can make (contacts, requests).",
                        },
                    }
                },
            },
        ]
