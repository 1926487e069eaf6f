"""An app's authorisation in Chromium: the app sends a logged-out person to the consent link, they log in to the
customer area and come back to it, allow the app, and the browser lands on the app's loopback redirect URI with a
code (a redirect the page's Content-Security-Policy must let a form lead to); the app exchanges it and calls the API;
the person then takes its access away on their apps page. axe finds no serious or critical violation on the consent
page nor on the apps page."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.api.test_oauth import authorize_query, make_app, pkce
from tests.browser.test_accessibility import AXE_OPTIONS, BLOCKING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _blocking(page) -> list[str]:
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in BLOCKING]


@pytest.fixture
def app_callback():
    """The app's side on loopback, as a native app listens (RFC 8252): the addresses the browser was sent to."""
    received: list[str] = []

    class Callback(BaseHTTPRequestHandler):
        def do_GET(self):
            received.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"You can close this window.")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/callback", received
    server.shutdown()
    server.server_close()


def test_a_person_allows_an_app_which_then_calls_the_api_until_they_take_it_back(
    page, live_server, submit, app_callback
):
    redirect_uri, received = app_callback
    person = factories.person(login=True, name="Anna Gestora")
    factories.grant(customer=factories.customer(), person=person, role="representative")
    app, _ = make_app(name="Gestoria Cloud", redirect_uris="http://127.0.0.1/callback")
    verifier, challenge = pkce()

    page.goto(f"/oauth/authorize/?{urlencode(authorize_query(app, challenge, redirect_uri=redirect_uri))}")
    assert urlsplit(page.url).path == "/login/"
    form = page.locator("main form")
    form.locator("#id_id_number").fill(person.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form, expect_url=r"/oauth/authorize/\?")
    assert "Gestoria Cloud" in page.locator("h1").inner_text()
    assert _blocking(page) == []

    with page.expect_navigation(url=f"{redirect_uri}**"):
        page.locator("main form button[name=allow]").click()
    assert page.locator("body").inner_text() == "You can close this window."
    params = parse_qs(urlsplit(next(path for path in received if path.startswith("/callback?"))).query)
    assert params["state"] == ["st4te"]

    token = requests.post(
        f"{live_server.url}/oauth/token/",
        data={
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": redirect_uri,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = requests.get(f"{live_server.url}/api/v1/me/", headers=auth, timeout=10)
    assert me.status_code == 200 and me.json()["id"] == person.pk

    page.goto("/profile/apps/")
    assert _blocking(page) == []
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and "Gestoria Cloud" in rows.first.inner_text()
    submit(page, rows.first.locator("form"), expect_url=r"/profile/apps/$")
    assert page.locator("main table").count() == 0
    assert requests.get(f"{live_server.url}/api/v1/me/", headers=auth, timeout=10).status_code == 401
