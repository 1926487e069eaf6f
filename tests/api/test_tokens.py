"""Personal access tokens: made in the customer area, shown once, stored hashed, listed, revoked; the API refuses
unknown, expired and revoked tokens, tokens of people who can no longer log in, and writes with read tokens."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AuditEvent
from api import services
from api.models import PersonalAccessToken
from tests.api.conftest import ApiClient, make_token
from tests.portal.helpers import login_as, use_language


def _error(response) -> dict:
    return response.json()["error"]


def test_a_token_is_stored_only_as_its_hash_and_its_creation_is_audited(story):
    token, secret = make_token(story.representative, scope="read")
    assert secret.startswith("eab_") and len(secret) > 40
    row = PersonalAccessToken.objects.get()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {row.name, row.hint, row.token_hash} and row.hint == secret[:10]
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.target_id == str(token.pk) and secret not in str(event.after)


@pytest.mark.parametrize(("days", "message"), [(0, "future"), (366, "one year")])
def test_a_token_must_expire_within_a_year(story, days, message):
    with translation.override("en"), pytest.raises(services.TokenRequestError, match=message):
        services.create_token(
            person=story.full,
            name="ERP",
            scope="read",
            expires_at=timezone.now() + timedelta(days=days),
            actor=services.Actor.system("test"),
        )
    assert not PersonalAccessToken.objects.exists()


def test_the_profile_page_makes_a_token_shows_it_once_then_lists_it_with_its_last_use(client, story):
    login_as(client, story.representative)
    use_language(client, "en")
    assert reverse("api_portal:tokens") in client.get(reverse("portal:profile")).content.decode()
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    sent = client.post(reverse("api_portal:tokens"), {"name": "Gestoria ERP", "scope": "read", "expires_on": day})
    assert sent.status_code == 302
    page = client.get(sent["Location"])
    secret = page.context["created"]["secret"]
    assert secret in page.content.decode()
    again = client.get(reverse("api_portal:tokens")).content.decode()
    assert secret not in again and "Gestoria ERP" in again and "Never" in again
    assert ApiClient(secret).get("/api/v1/me/").status_code == 200
    assert "Never" not in client.get(reverse("api_portal:tokens")).content.decode()


def test_the_profile_page_refuses_an_expiry_beyond_a_year(client, story):
    login_as(client, story.representative)
    day = (timezone.localdate() + timedelta(days=400)).isoformat()
    page = client.post(reverse("api_portal:tokens"), {"name": "ERP", "scope": "write", "expires_on": day})
    assert page.status_code == 400 and not PersonalAccessToken.objects.exists()


def test_a_revoked_token_gets_401_and_the_revocation_is_audited(client, story):
    token, secret = make_token(story.representative)
    api = ApiClient(secret)
    assert api.get("/api/v1/customers/").status_code == 200
    login_as(client, story.representative)
    assert client.post(reverse("api_portal:revoke", args=[token.pk])).status_code == 302
    response = api.get("/api/v1/customers/")
    assert response.status_code == 401 and _error(response)["code"] == "token_revoked"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert AuditEvent.objects.filter(action="api_token.revoke", target_id=str(token.pk)).exists()


def test_nobody_revokes_someone_elses_token(client, story):
    token, secret = make_token(story.representative)
    login_as(client, story.outsider)
    assert client.post(reverse("api_portal:revoke", args=[token.pk])).status_code == 404
    assert ApiClient(secret).get("/api/v1/me/").status_code == 200


def test_an_expired_token_gets_401(story):
    token, secret = make_token(story.representative)
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = ApiClient(secret).get("/api/v1/me/")
    assert response.status_code == 401 and _error(response)["code"] == "token_expired"


@pytest.mark.parametrize("header", ["Bearer eab_nonsense", "Bearer nope", "Bearer", "Bearer a b"])
def test_an_unknown_or_malformed_token_gets_401(db, header):
    from django.test import Client

    response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/customers/")
    assert response.status_code == 401 and _error(response)["code"] == "invalid_token"


def test_no_token_gets_401_in_the_callers_language(db):
    from django.test import Client
    from rest_framework.exceptions import NotAuthenticated

    for language in ("es", "ca", "en"):
        response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/api/v1/invoices/")
        with translation.override(language):
            expected = str(NotAuthenticated.default_detail)
        assert response.status_code == 401
        assert _error(response) == {"code": "not_authenticated", "message": expected, "fields": {}}
    with translation.override("es"):
        assert str(NotAuthenticated.default_detail) != "Authentication credentials were not provided."


def test_a_deactivated_users_tokens_stop_working(story):
    _token, secret = make_token(story.full)
    story.full.user.is_active = False
    story.full.user.save()
    assert ApiClient(secret).get("/api/v1/me/").status_code == 401


def test_a_staff_accounts_token_never_works(story):
    _token, secret = make_token(story.full)
    story.full.user.is_staff = True
    story.full.user.save()
    assert ApiClient(secret).get("/api/v1/me/").status_code == 401


def test_a_token_dies_with_the_persons_access(story):
    _token, secret = make_token(story.readonly)
    api = ApiClient(secret)
    assert [c["id"] for c in api.get("/api/v1/customers/").json()["results"]] == [story.customer.pk]
    from accounts.services import revoke_grant
    from tests import factories as f

    revoke_grant(grant=story.readonly_grant, actor=f.actor(), reason="test")
    for path in ("/api/v1/customers/", f"/api/v1/customers/{story.customer.pk}/", "/api/v1/invoices/"):
        response = api.get(path)
        assert response.status_code == 403 and response.json()["error"]["code"] == "access_ended"


def test_a_read_token_may_not_write(story):
    _token, secret = make_token(story.representative, scope="read")
    response = ApiClient(secret).delete(f"/api/v1/customers/{story.customer.pk}/contacts/{story.readonly_grant.pk}/")
    assert response.status_code == 403 and _error(response)["code"] == "insufficient_scope"
    story.readonly_grant.refresh_from_db()
    assert story.readonly_grant.is_active


def test_a_write_through_the_api_is_audited_with_the_tokens_name(story):
    token, secret = make_token(story.representative)
    response = ApiClient(secret).delete(f"/api/v1/customers/{story.customer.pk}/contacts/{story.readonly_grant.pk}/")
    assert response.status_code == 204
    event = AuditEvent.objects.get(action="grant.revoke", target_id=str(story.readonly_grant.pk))
    assert token.name in event.actor_label and event.actor_id == story.representative.user_id
    assert event.reason == "api: deactivate contact"
