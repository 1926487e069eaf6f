"""OAuth2 for third-party apps: the authorization code flow with PKCE (S256) from the consent page in the customer
area to the API, refresh with rotation, and every refusal on the way; an app's token acts as its person exactly like
a personal token (scope, access ended, another customer's data, rate limit, audit), and dies when the person takes
the app's access away, or can no longer log in."""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.services import revoke_grant
from api.oauth import services as oauth_services
from api.oauth.server import redirect_uri_refusal
from tests import factories as f
from tests.api.conftest import ApiClient, make_token
from tests.api.test_matrix import _call, people  # noqa: F401 - the matrix's people fixture
from tests.portal.helpers import login_as, use_language

CALLBACK = "https://app.example.com/callback"
Application = oauth_services.Application
Grant = oauth_services.Grant
RefreshToken = oauth_services.RefreshToken


def make_app(*, client_type: str = "public", redirect_uris: str = CALLBACK, name: str = "Gestoria Cloud"):
    """An app as a superuser registers it; returns it and its client secret (shown once, then stored hashed)."""
    application = Application(name=name, client_type=client_type, redirect_uris=redirect_uris)
    secret = application.client_secret
    oauth_services.save_application(application=application, actor=f.actor())
    return application, secret


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize_query(app, challenge: str | None, *, method: str | None = "S256", **extra) -> dict:
    query = {"response_type": "code", "client_id": app.client_id, "redirect_uri": CALLBACK, "scope": "read write"}
    query["state"] = "st4te"
    if challenge is not None:
        query["code_challenge"] = challenge
    if method is not None:
        query["code_challenge_method"] = method
    return query | extra


def consent(client, app, challenge: str, *, allow: bool = True, **extra):
    """The consent page, then its form sent back with Allow (or Deny)."""
    query = authorize_query(app, challenge, **extra)
    page = client.get("/oauth/authorize/", query)
    assert page.status_code == 200, page.content[:500]
    form = {field.name: field.value() or "" for field in page.context["form"].hidden_fields()}
    if allow:
        form["allow"] = "1"
    return client.post("/oauth/authorize/", form)


def code_from(response) -> str:
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    params = parse_qs(location.query)
    assert params["state"] == ["st4te"] and params["iss"] == [django_settings.SITE_URL]  # RFC 9207: who answered
    return params["code"][0]


def token_call(data: dict, secret: str | None = None, app=None):
    client = Client()
    headers = {}
    if secret is not None:
        basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
        headers["HTTP_AUTHORIZATION"] = f"Basic {basic}"
    return client.post("/oauth/token/", urlencode(data), content_type="application/x-www-form-urlencoded", **headers)


def exchange(app, code: str, verifier: str | None, *, redirect_uri: str = CALLBACK, secret=None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "client_id": app.client_id}
    if verifier is not None:
        data["code_verifier"] = verifier
    return token_call(data, secret, app)


def refresh(app, refresh_token: str, secret=None):
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app.client_id}
    return token_call(data, secret, app)


def tokens_for(person, app=None, *, scope: str = "read write") -> dict:
    """The whole flow for ``person`` (logged in to the customer area): the token endpoint's answer."""
    app = app or make_app()[0]
    client = Client()
    login_as(client, person)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge, scope=scope))
    answer = exchange(app, code, verifier)
    assert answer.status_code == 200, answer.content
    return answer.json()


# -- the flow -----------------------------------------------------------------------------------------------------


def test_code_with_pkce_then_the_api_then_a_refresh_that_replaces_the_old_refresh_token(client, story):
    app, _ = make_app()
    login_as(client, story.representative)
    use_language(client, "en")
    verifier, challenge = pkce()
    page = client.get("/oauth/authorize/", authorize_query(app, challenge))
    text = page.content.decode()
    assert page.status_code == 200 and "Allow Gestoria Cloud" in text and "Deny" in text
    assert "Read and write: also manage contacts and requests, as you can" in text
    assert "https://app.example.com" in page["Content-Security-Policy"]  # the form's POST redirects there

    code = code_from(consent(client, app, challenge))
    assert AuditEvent.objects.filter(action="oauth_app.authorise", target_id=str(app.pk)).exists()
    answer = exchange(app, code, verifier)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["scope"] == "read write"
    me = ApiClient(body["access_token"]).get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["id"] == story.representative.pk

    renewed = refresh(app, body["refresh_token"])
    assert renewed.status_code == 200, renewed.content
    new = renewed.json()
    assert new["refresh_token"] != body["refresh_token"] and new["access_token"] != body["access_token"]
    assert ApiClient(new["access_token"]).get("/api/v1/me/").status_code == 200
    assert ApiClient(body["access_token"]).get("/api/v1/me/").status_code == 401
    again = refresh(app, body["refresh_token"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")
    # The replay of an old refresh token ends the whole chain: the one just issued too.
    assert ApiClient(new["access_token"]).get("/api/v1/me/").status_code == 401


def test_a_confidential_app_must_also_send_its_secret_and_tokens_are_stored_only_as_hashes(client, story):
    app, secret = make_app(client_type="confidential")
    login_as(client, story.full)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))
    assert exchange(app, code, verifier, secret="wrong").status_code == 401
    answer = exchange(app, code, verifier, secret=secret)
    assert answer.status_code == 200, answer.content
    access = answer.json()["access_token"]
    stored = oauth_services.AccessToken.objects.get()
    assert stored.token == "" and stored.token_checksum == hashlib.sha256(access.encode()).hexdigest()
    assert secret not in Application.objects.get().client_secret


def test_someone_logged_out_logs_in_and_comes_back_to_the_same_consent_page(client, story):
    app, _ = make_app()
    _, challenge = pkce()
    query = urlencode(authorize_query(app, challenge))
    page = client.get(f"/oauth/authorize/?{query}")
    assert page.status_code == 302
    login = urlsplit(page["Location"])
    assert login.path == reverse("portal:login")
    assert parse_qs(login.query)["next"] == [f"/oauth/authorize/?{query}"]


def test_the_person_is_asked_every_time_even_when_the_app_asks_not_to(client, story):
    app, _ = make_app()
    tokens_for(story.full, app)
    login_as(client, story.full)
    _, challenge = pkce()
    page = client.get("/oauth/authorize/", authorize_query(app, challenge, approval_prompt="auto"))
    assert page.status_code == 200 and "form" in page.context and Grant.objects.count() == 0


def test_deny_sends_the_app_access_denied_and_issues_nothing(client, story):
    app, _ = make_app()
    login_as(client, story.full)
    _, challenge = pkce()
    answer = consent(client, app, challenge, allow=False)
    params = parse_qs(urlsplit(answer["Location"]).query)
    assert params["error"] == ["access_denied"] and "code" not in params
    assert not Grant.objects.exists()


# -- refusals -----------------------------------------------------------------------------------------------------


def _redirected_error(response) -> str:
    assert response.status_code == 302, response.content[:300]
    assert response["Location"].startswith(CALLBACK + "?")
    return parse_qs(urlsplit(response["Location"]).query)["error"][0]


@pytest.mark.parametrize(
    ("challenge", "method"), [(None, None), ("x" * 43, "plain"), ("x" * 43, None)], ids=["none", "plain", "default"]
)
def test_an_authorization_without_an_s256_challenge_is_refused(client, story, challenge, method):
    app, _ = make_app()
    login_as(client, story.full)
    answer = client.get("/oauth/authorize/", authorize_query(app, challenge, method=method))
    assert _redirected_error(answer) == "invalid_request"
    assert not Grant.objects.exists()


@pytest.mark.parametrize("response_type", ["token", "code token", "none"])
def test_no_other_response_type_than_code(client, story, response_type):
    app, _ = make_app()
    login_as(client, story.full)
    _, challenge = pkce()
    answer = client.get("/oauth/authorize/", authorize_query(app, challenge, response_type=response_type))
    assert answer.status_code in (302, 400)
    assert "access_token" not in answer.get("Location", "") and not Grant.objects.exists()


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example.net/callback",
        "https://app.example.com/callback/more",
        CALLBACK + "?next=x",
        "http://app.example.com/callback",
    ],
)
def test_an_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(client, story, redirect_uri):
    app, _ = make_app()
    login_as(client, story.full)
    use_language(client, "en")
    _, challenge = pkce()
    answer = client.get("/oauth/authorize/", authorize_query(app, challenge, redirect_uri=redirect_uri))
    assert answer.status_code == 400 and "Location" not in answer
    text = answer.content.decode()
    assert (
        "This authorisation link does not work" in text
        and "invalid_request" in text
        and 'href="https://evil' not in text
    )


def test_a_tampered_consent_form_cannot_send_the_code_elsewhere(client, story):
    app, _ = make_app()
    login_as(client, story.full)
    _, challenge = pkce()
    page = client.get("/oauth/authorize/", authorize_query(app, challenge))
    form = {field.name: field.value() or "" for field in page.context["form"].hidden_fields()}
    answer = client.post("/oauth/authorize/", form | {"allow": "1", "redirect_uri": "https://evil.example.net/cb"})
    assert "evil" not in answer.get("Location", "") and not Grant.objects.exists()


def test_the_consent_form_needs_its_csrf_token(story):
    app, _ = make_app()
    client = Client(enforce_csrf_checks=True)
    login_as(client, story.full)
    _, challenge = pkce()
    form = authorize_query(app, challenge) | {"allow": "1"}
    assert client.post("/oauth/authorize/", form).status_code == 403
    assert not Grant.objects.exists()


def test_a_wrong_verifier_a_missing_one_a_reused_code_and_another_redirect_uri_are_refused(client, story):
    app, _ = make_app()
    login_as(client, story.full)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))
    assert exchange(app, code, pkce()[0]).json()["error"] == "invalid_grant"
    assert exchange(app, code, None).json()["error"] == "invalid_request"
    assert exchange(app, code, verifier, redirect_uri="https://app.example.com/other").status_code == 400
    assert exchange(app, code, verifier).status_code == 200
    reused = exchange(app, code, verifier)
    assert (reused.status_code, reused.json()["error"]) == (400, "invalid_grant")


def test_a_code_lives_sixty_seconds(client, story):
    app, _ = make_app()
    login_as(client, story.full)
    verifier, challenge = pkce()
    code = code_from(consent(client, app, challenge))
    grant = Grant.objects.get()
    assert timedelta(seconds=55) < grant.expires - grant.created <= timedelta(seconds=61)
    Grant.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert exchange(app, code, verifier).json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "grant_type", ["password", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"]
)
def test_no_other_grant_than_the_code_and_the_refresh(story, grant_type):
    app, secret = make_app(client_type="confidential")
    data = {"grant_type": grant_type, "username": story.full.user.username, "password": "x", "client_id": app.client_id}
    answer = token_call(data, secret, app)
    assert (answer.status_code, answer.json()["error"]) == (400, "unsupported_grant_type")


def test_a_staff_account_cannot_authorise_an_app(client, story):
    app, _ = make_app()
    staff = f.staff_user()
    client.force_login(staff)
    _, challenge = pkce()
    page = client.get("/oauth/authorize/", authorize_query(app, challenge))
    assert page.status_code == 302 and urlsplit(page["Location"]).path == reverse("portal:login")
    client.force_login(staff)
    sent = client.post("/oauth/authorize/", authorize_query(app, challenge) | {"allow": "1"})
    assert urlsplit(sent["Location"]).path == reverse("portal:login")
    assert not Grant.objects.exists()


# -- the token acts as its person -----------------------------------------------------------------------------------


def test_a_read_token_cannot_change_anything_with_the_personal_tokens_answer(story):
    oauth = ApiClient(tokens_for(story.representative, scope="read")["access_token"])
    _personal, secret = make_token(story.representative, scope="read")
    personal = ApiClient(secret)
    body = {
        "id_number": "12345678Z",
        "name": "Nova Persona",
        "email": "nova@example.com",
        "role": "authorised_readonly",
    }
    path = f"/api/v1/customers/{story.customer.pk}/contacts/"
    answers = [api.post(path, body) for api in (oauth, personal)]
    assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [(403, "insufficient_scope")] * 2
    assert oauth.get(path).status_code == 200


def test_a_write_through_an_app_is_audited_with_the_apps_name(story):
    app, _ = make_app(name="Gestoria Cloud")
    api = ApiClient(tokens_for(story.representative, app)["access_token"])
    target = story.readonly_grant
    answer = api.patch(f"/api/v1/customers/{story.customer.pk}/contacts/{target.pk}/", {"role": "authorised_full"})
    assert answer.status_code == 200, answer.content
    event = AuditEvent.objects.filter(reason="api: change role").get()
    assert "«Gestoria Cloud»" in event.actor_label and event.actor_id == story.representative.user_id


def test_when_access_ends_the_app_gets_403_access_ended(story):
    api = ApiClient(tokens_for(story.readonly)["access_token"])
    revoke_grant(grant=story.readonly_grant, actor=f.actor(), reason="test")
    answer = api.get("/api/v1/customers/")
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "access_ended")


def test_a_deactivated_users_app_tokens_stop_working_and_cannot_be_refreshed(story):
    app, _ = make_app()
    body = tokens_for(story.full, app)
    story.full.user.is_active = False
    story.full.user.save(update_fields=["is_active"])
    answer = ApiClient(body["access_token"]).get("/api/v1/me/")
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "invalid_token")
    assert refresh(app, body["refresh_token"]).json()["error"] == "invalid_grant"


def test_an_expired_access_token_says_so(story):
    body = tokens_for(story.full)
    oauth_services.AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    answer = ApiClient(body["access_token"]).get("/api/v1/me/")
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "token_expired")
    assert ApiClient("not-a-token").get("/api/v1/me/").json()["error"]["code"] == "invalid_token"


@pytest.mark.parametrize(
    ("role", "operation", "customer", "expected"),
    [
        ("authorised_readonly", "view_customer", "other", ("not_found", 404)),
        ("external_manager", "invoice_pdf", "other", ("not_found", 404)),
        ("authorised_readonly", "add_contact", "own", ("permission_denied", 403)),
        ("scoped_manager", "view_invoice", "own", ("not_found", 404)),
    ],
)
def test_the_matrix_answers_the_same_through_an_app(story, people, role, operation, customer, expected):  # noqa: F811
    """Cases of tests/api/test_matrix.py with an app's token and a personal one: the same answers."""
    customer_id = story.other_customer.pk if customer == "other" else story.customer.pk
    oauth = ApiClient(tokens_for(people[role])["access_token"])
    _token, secret = make_token(people[role])
    answers = [_call(api, story, operation, customer_id=customer_id) for api in (oauth, ApiClient(secret))]
    assert [(a.json()["error"]["code"], a.status_code) for a in answers] == [expected, expected]


def test_an_apps_tokens_for_one_person_share_one_rate_limit(story, settings):
    app, _ = make_app()
    first = ApiClient(tokens_for(story.full, app)["access_token"])
    second = ApiClient(tokens_for(story.full, app)["access_token"])
    other_person = ApiClient(tokens_for(story.representative, app)["access_token"])
    settings.API_RATE_READ = "3/min"
    assert [api.get("/api/v1/me/").status_code for api in (first, second, first)] == [200, 200, 200]
    throttled = second.get("/api/v1/me/")
    assert throttled.status_code == 429 and throttled.json()["error"]["code"] == "throttled"
    assert int(throttled["Retry-After"]) >= 1
    assert other_person.get("/api/v1/me/").status_code == 200


# -- the customer area's page of apps ------------------------------------------------------------------------------


def test_the_person_sees_the_apps_they_let_in_and_taking_access_away_kills_every_token(client, story):
    app, _ = make_app(name="Gestoria Cloud")
    other, _ = make_app(name="Never Used")
    body = tokens_for(story.full, app)
    login_as(client, story.full)
    use_language(client, "en")
    page = client.get(reverse("oauth_portal:apps")).content.decode()
    assert "Gestoria Cloud" in page and "Read and write" in page and "Never Used" not in page
    assert reverse("oauth_portal:apps") in client.get(reverse("api_portal:tokens")).content.decode()
    assert client.post(reverse("oauth_portal:revoke", args=[other.pk])).status_code == 404

    sent = client.post(reverse("oauth_portal:revoke", args=[app.pk]))
    assert sent.status_code == 302
    assert client.get(reverse("oauth_portal:apps")).context["apps"] == []
    answer = ApiClient(body["access_token"]).get("/api/v1/me/")
    assert (answer.status_code, answer.json()["error"]["code"]) == (401, "invalid_token")
    assert refresh(app, body["refresh_token"]).json()["error"] == "invalid_grant"
    event = AuditEvent.objects.get(action="oauth_app.revoke")
    assert event.target_id == str(app.pk) and event.actor_id == story.full.user_id


def test_someone_elses_apps_are_not_listed_nor_revocable(client, story):
    app, _ = make_app()
    body = tokens_for(story.full, app)
    login_as(client, story.representative)
    assert client.get(reverse("oauth_portal:apps")).context["apps"] == []
    assert client.post(reverse("oauth_portal:revoke", args=[app.pk])).status_code == 404
    assert ApiClient(body["access_token"]).get("/api/v1/me/").status_code == 200


def test_the_revoke_endpoint_ends_the_token_the_app_sends(story):
    app, _ = make_app()
    body = tokens_for(story.full, app)
    revoked = Client().post(
        "/oauth/revoke_token/",
        urlencode({"token": body["refresh_token"], "client_id": app.client_id}),
        content_type="application/x-www-form-urlencoded",
    )
    assert revoked.status_code == 200
    assert ApiClient(body["access_token"]).get("/api/v1/me/").status_code == 401
    assert refresh(app, body["refresh_token"]).json()["error"] == "invalid_grant"


# -- registration and the schema -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "allowed"),
    [
        ("https://app.example.com/callback", True),
        ("http://127.0.0.1/callback", True),
        ("http://[::1]:8765/callback", True),
        ("http://localhost:8765/callback", False),
        ("http://app.example.com/callback", False),
        ("https://app.example.com/callback#frag", False),
        ("https://user@app.example.com/callback", False),
        ("com.example.app:/callback", False),
        ("javascript:alert(1)", False),
    ],
)
def test_redirect_uris_are_https_or_loopback_http(uri, allowed):
    assert (redirect_uri_refusal(uri) is None) is allowed


def test_a_loopback_redirect_may_use_any_port(client, story):
    app, _ = make_app(redirect_uris="http://127.0.0.1/callback")
    login_as(client, story.full)
    _, challenge = pkce()
    query = authorize_query(app, challenge, redirect_uri="http://127.0.0.1:51234/callback")
    page = client.get("/oauth/authorize/", query)
    assert page.status_code == 200
    form = {field.name: field.value() or "" for field in page.context["form"].hidden_fields()} | {"allow": "1"}
    assert client.post("/oauth/authorize/", form)["Location"].startswith("http://127.0.0.1:51234/callback?code=")


def test_the_daily_purge_deletes_expired_codes_and_tokens_and_keeps_live_ones(client, story):
    from api.tasks import purge_expired_oauth_tokens

    expired = tokens_for(story.full)
    live = tokens_for(story.representative)
    dormant = timedelta(seconds=django_settings.OAUTH2_PROVIDER["REFRESH_TOKEN_EXPIRE_SECONDS"] + 1)
    checksum = hashlib.sha256(expired["access_token"].encode()).hexdigest()
    # expired and not refreshed for the refresh token's whole lifetime: both go
    oauth_services.AccessToken.objects.filter(token_checksum=checksum).update(expires=timezone.now() - dormant)
    app = make_app(name="Stale")[0]
    login_as(client, story.full)
    consent(client, app, pkce()[1])  # a code never exchanged
    Grant.objects.update(expires=timezone.now() - timedelta(seconds=1))
    purge_expired_oauth_tokens()
    assert not Grant.objects.exists()
    assert ApiClient(live["access_token"]).get("/api/v1/me/").status_code == 200
    assert ApiClient(expired["access_token"]).get("/api/v1/me/").json()["error"]["code"] == "invalid_token"


def test_only_superusers_register_apps_in_the_admin_and_registration_is_audited(client, db):
    supervisor = f.staff_user()
    supervisor.user_permissions.add(*Permission.objects.all())
    client.force_login(supervisor)
    assert client.get("/staff/admin/oauth2_provider/application/").status_code == 403
    superuser = f.staff_user("root")
    superuser.is_superuser = True
    superuser.save(update_fields=["is_superuser"])
    client.force_login(superuser)
    form = {"name": "ERP", "client_type": "public", "redirect_uris": "http://erp.example.com/cb", "client_id": "erp-1"}
    form["client_secret"] = "s" * 40
    refused = client.post("/staff/admin/oauth2_provider/application/add/", form)
    assert refused.status_code == 200 and not Application.objects.exists()
    done = client.post("/staff/admin/oauth2_provider/application/add/", form | {"redirect_uris": CALLBACK})
    assert done.status_code == 302, done.content[:2000]
    app = Application.objects.get()
    assert app.authorization_grant_type == Application.GRANT_AUTHORIZATION_CODE and not app.skip_authorization
    assert app.client_secret != "s" * 40
    assert AuditEvent.objects.get(action="oauth_app.register").actor_id == superuser.pk


def test_the_schema_offers_the_oauth2_scheme_beside_the_personal_token(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["personalAccessToken"]["scheme"] == "bearer"
    flow = schemes["oauth2"]["flows"]["authorizationCode"]
    assert flow["authorizationUrl"].endswith("/oauth/authorize/") and flow["tokenUrl"].endswith("/oauth/token/")
    assert set(flow["scopes"]) == {"read", "write"}
    me = schema["paths"]["/api/v1/me/"]["get"]["security"]
    assert {"oauth2": ["read"]} in me and {"personalAccessToken": []} in me
