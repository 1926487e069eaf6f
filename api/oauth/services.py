"""The customer area's side of OAuth2: which apps a person has let in, consent noted, access taken back.

Keyword-only, one transaction, audited, like ``api.services`` for the personal tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_refresh_token_model,
)

from accounts import audit
from accounts.audit import Actor
from accounts.models import Person

Application = get_application_model()
AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()
Grant = get_grant_model()


@dataclass(frozen=True)
class AuthorisedApp:
    application: Application
    scopes: list[str]
    last_issued: datetime | None


def authorised_apps(person: Person) -> list[AuthorisedApp]:
    """The apps that can act for the person now (a live access token or refresh token), newest first. One query."""
    user_id, now = person.user_id, timezone.now()
    live_access = AccessToken.objects.filter(application=OuterRef("pk"), user_id=user_id, expires__gt=now)
    live_refresh = RefreshToken.objects.filter(application=OuterRef("pk"), user_id=user_id, revoked__isnull=True)
    newest = AccessToken.objects.filter(application=OuterRef("pk"), user_id=user_id).order_by("-created", "-pk")
    rows = (
        Application.objects.filter(Exists(live_access) | Exists(live_refresh))
        .annotate(
            scope=Subquery(newest.values("scope")[:1]),
            last_issued=Subquery(
                AccessToken.objects.filter(application=OuterRef("pk"), user_id=user_id)
                .values("application")
                .annotate(last=Max("created"))
                .values("last")[:1]
            ),
        )
        .order_by("-last_issued", "name", "pk")
    )
    return [
        AuthorisedApp(application=app, scopes=(app.scope or "").split(), last_issued=app.last_issued) for app in rows
    ]


def _snapshot(application: Application) -> dict:
    return {
        "name": application.name,
        "client_id": application.client_id,
        "client_type": application.client_type,
        "redirect_uris": application.redirect_uris.split(),
    }


@transaction.atomic
def save_application(*, application: Application, actor: Actor) -> Application:
    """Register or change an app (a superuser, in the admin). Only the authorization code flow, never without the
    consent page, no OpenID Connect signing; the client secret is stored hashed."""
    before = _snapshot(stored) if (stored := Application.objects.filter(pk=application.pk).first()) else None
    application.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    application.skip_authorization = False
    application.algorithm = Application.NO_ALGORITHM
    application.hash_client_secret = True
    application.full_clean()
    application.save()
    audit.record(
        actor=actor,
        action="oauth_app.change" if before else "oauth_app.register",
        target=application,
        before=before,
        after=_snapshot(application),
        reason="admin: OAuth2 app",
    )
    return application


@transaction.atomic
def delete_application(*, application: Application, actor: Actor) -> None:
    """Remove an app: its codes and tokens go with it, so it can no longer act for anyone."""
    audit.record(
        actor=actor,
        action="oauth_app.delete",
        target=application,
        before=_snapshot(application),
        after=None,
        reason="admin: OAuth2 app",
    )
    application.delete()


@transaction.atomic
def note_consent(*, person: Person, application: Application, scopes: list[str], actor: Actor) -> None:
    """The person let ``application`` act for them with ``scopes`` (the code itself is django-oauth-toolkit's)."""
    audit.record(
        actor=actor,
        action="oauth_app.authorise",
        target=application,
        before=None,
        after={"application": application.name, "client_id": application.client_id, "scopes": sorted(scopes)},
        reason=f"portal: authorise app for person {person.pk}",
    )


@transaction.atomic
def revoke_app(*, person: Person, application: Application, actor: Actor) -> int:
    """Every access token, refresh token and unused code ``application`` holds for the person stops working at
    once; returns how many tokens were live. Idempotent (a second call revokes nothing and writes no event)."""
    user_id, now = person.user_id, timezone.now()
    refresh = list(
        RefreshToken.objects.select_for_update().filter(application=application, user_id=user_id, revoked__isnull=True)
    )
    for token in refresh:
        token.revoke()  # django-oauth-toolkit's: marks it revoked and deletes its access token
    access = AccessToken.objects.filter(application=application, user_id=user_id)
    live_access = access.filter(expires__gt=now).count()
    access.delete()
    Grant.objects.filter(application=application, user_id=user_id).delete()
    live = len(refresh) + live_access
    if live:
        audit.record(
            actor=actor,
            action="oauth_app.revoke",
            target=application,
            before={"application": application.name, "live_tokens": live},
            after={"application": application.name, "live_tokens": 0},
            reason=f"portal: revoke app for person {person.pk}",
        )
    return live
