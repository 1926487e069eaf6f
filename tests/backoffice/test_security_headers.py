"""Every page carries a Content-Security-Policy, private pages are never cached, link secrets never reach
the log, and X-Forwarded-Proto is believed only behind a configured proxy (backoffice/security.py, settings)."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import HttpResponse
from django.test import RequestFactory

from backoffice.security import PrivateCacheMiddleware, redact_tokens
from tests import factories
from tests.backoffice.test_settings import PRODUCTION, _manage

SECRET = "S3cr3tT0k3n_from-an-e-mail"


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: sources for name, *sources in (part.split() for part in policy.split(";") if part.strip())}


def _assert_site_policy(response):
    directives = _directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]


@pytest.fixture
def verifier(db):
    user = factories.staff_user("verifier")
    user.groups.add(Group.objects.get(name="verifiers"))
    return user


@pytest.mark.parametrize("url", ["/login/", "/staff/login/"])
def test_login_pages_carry_the_site_policy(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    _assert_site_policy(response)


def test_customer_login_page_is_not_marked_no_store_for_an_anonymous_visitor(client, db):
    assert "no-store" not in client.get("/login/").get("Cache-Control", "")


def test_customer_area_page_for_a_logged_in_customer_carries_the_policy_and_no_store(client, story):
    client.force_login(story.representative.user)
    response = client.get("/supplies/")
    assert response.status_code == 200
    _assert_site_policy(response)
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_staff_page_carries_the_policy_and_no_store(client, verifier):
    client.force_login(verifier)
    response = client.get("/staff/workflow/inbox/")
    assert response.status_code == 200
    _assert_site_policy(response)
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_no_inline_script_is_allowed_and_the_language_switcher_needs_none(client, db):
    """The language switcher changes the language with its button (WCAG 3.2.2), not with an inline handler."""
    script_src = _directives(client.get("/login/"))["script-src"]
    assert script_src == ["'self'"]
    assert "onchange=" not in client.get("/login/").content.decode()


def test_anonymous_page_opened_through_a_link_secret_is_not_stored(client, db):
    response = client.get(f"/invitation/{SECRET}/")
    assert response.status_code == 400
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_view_that_sets_its_own_policy_keeps_it(rf, settings):
    from csp.middleware import CSPMiddleware

    own = "default-src 'none'"
    middleware = CSPMiddleware(lambda request: HttpResponse(headers={"Content-Security-Policy": own}))
    assert middleware(rf.get("/documents/1/file/"))["Content-Security-Policy"] == own


def test_static_files_keep_their_own_caching_even_for_a_logged_in_user(db):
    request = RequestFactory().get("/static/portal/site.css")
    request.user = factories.staff_user()
    response = PrivateCacheMiddleware(lambda request: HttpResponse("body {}", content_type="text/css"))(request)
    assert "Cache-Control" not in response


def test_anonymous_page_without_a_secret_gets_no_cache_header():
    request = RequestFactory().get("/login/")
    request.user = AnonymousUser()
    assert "Cache-Control" not in PrivateCacheMiddleware(lambda request: HttpResponse())(request)


@pytest.mark.parametrize(
    "url",
    [
        f"/invitation/{SECRET}/",
        f"/upload/RC-NOPE/{SECRET}/",
        f"/object/RC-NOPE/{SECRET}/",
    ],
)
def test_a_4xx_on_a_link_with_a_secret_logs_the_path_without_the_secret(client, db, caplog, url):
    with caplog.at_level(logging.INFO):
        response = client.get(url)
    assert 400 <= response.status_code < 500
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "[redacted]" in logged
    assert SECRET not in logged


def test_a_csrf_failure_on_a_link_with_a_secret_logs_no_secret(db, caplog):
    from django.test import Client

    with caplog.at_level(logging.INFO):
        response = Client(enforce_csrf_checks=True).post(f"/invitation/{SECRET}/", {})
    assert response.status_code == 403
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "[redacted]" in logged and SECRET not in logged


def test_the_development_server_access_log_redacts_secrets(caplog):
    """django.server does not propagate to the root logger: listen on it directly."""
    server_log = logging.getLogger("django.server")
    server_log.addHandler(caplog.handler)
    try:
        server_log.info('"%s" %s %s', f"GET /profile/email/{SECRET}/ HTTP/1.1", "404", "179")
    finally:
        server_log.removeHandler(caplog.handler)
    assert caplog.records[-1].getMessage() == '"GET /profile/email/[redacted]/ HTTP/1.1" 404 179'


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/password/reset/MQ/{SECRET}/", "/password/reset/MQ/[redacted]/"),
        ("/password/reset/MQ/set-password/", "/password/reset/MQ/set-password/"),
        ("/password/reset/done/", "/password/reset/done/"),
        (f"/login/?next=%2Finvitation%2F{SECRET}%2F", "/login/?next=%2Finvitation%2F[redacted]%2F"),
        ("/requests/RC-ABC/", "/requests/RC-ABC/"),
    ],
)
def test_redaction_hides_only_the_secret_segment(path, expected):
    assert redact_tokens(path) == expected


PROXY_HEADER = "from django.conf import settings as s; print(repr(getattr(s, 'SECURE_PROXY_SSL_HEADER', None)))"


@pytest.mark.parametrize(("proxies", "expected"), [("0", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_forwarded_proto_is_trusted_only_behind_a_configured_proxy(tmp_path, proxies, expected):
    result = _manage(
        "shell", "-c", PROXY_HEADER, env_extra=PRODUCTION | {"TRUSTED_PROXY_COUNT": proxies}, var_dir=tmp_path
    )
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_check_deploy_passes_behind_a_trusted_proxy(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra=PRODUCTION | {"TRUSTED_PROXY_COUNT": "1"},
        var_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
