"""Branded 403/404 pages in the person's language (not Viewflow's English page), and a person deactivated while
logged in is logged out with a page that says why."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from accounts import services
from backoffice import errors
from tests import factories as f
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _not_debug(settings):
    settings.DEBUG = False


@pytest.mark.parametrize(
    ("language", "title"), [("ca", "No hem trobat aquesta pàgina"), ("es", "No hemos encontrado esta página")]
)
def test_an_unknown_address_gets_our_404_in_the_persons_language(client, language, title):
    use_language(client, language)
    response = client.get("/no/such/page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert 'data-error-code="not_found"' in text and title in text and f'lang="{language}"' in text
    assert "Page not found" not in text  # neither Viewflow's nor Django's English page


def test_a_portal_404_for_another_customer_is_our_page(client, story):
    login_as(client, story.outsider)
    response = client.get(reverse("portal:contacts", args=[story.customer.pk]))
    assert response.status_code == 404 and 'data-error-code="not_found"' in response.content.decode()


def test_the_403_handler_renders_our_page_in_spanish():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    response = errors.permission_denied(request, PermissionDenied())
    text = response.content.decode()
    assert response.status_code == 403
    assert 'data-error-code="forbidden"' in text and "No puedes abrir esta página" in text


def test_the_handlers_are_ours():
    from backoffice import urls

    assert urls.handler404 == "backoffice.errors.page_not_found"
    assert urls.handler403 == "backoffice.errors.permission_denied"


def test_someone_deactivated_while_logged_in_is_logged_out_with_a_clear_page(client, story):
    login_as(client, story.full)
    assert client.get(reverse("portal:supplies")).status_code == 200
    services.revoke_grant(grant=story.full_grant, actor=f.actor(), reason="test")
    response = client.get(reverse("portal:supplies"))
    text = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 403
    assert "S'ha desactivat el teu accés a l'Àrea Clients" in text
    assert "_auth_user_id" not in client.session
