"""The supplies and contacts pages cost the same number of queries for few or many rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from backoffice.demo import make_nif
from tests import factories as f

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_supplies_page_queries_do_not_grow(client):
    person = f.person(login=True)
    f.grant(customer=f.customer(supply_points=1), person=person, role="representative")
    client.force_login(person.user)
    few = _count(client, reverse("portal:supplies"))
    for _ in range(8):
        f.grant(customer=f.customer(supply_points=5), person=person, role="authorised_full")
    assert _count(client, reverse("portal:supplies")) == few


def test_contacts_page_queries_do_not_grow(client, story):
    client.force_login(story.representative.user)
    url = reverse("portal:contacts", args=[story.customer.pk])
    few = _count(client, url)
    for i in range(12):
        services.authorise_contact(
            customer=story.customer,
            id_number=make_nif(77_000_000 + i),
            name=f"Contacte {i}",
            email=f"c{i}@example.com",
            role="authorised_readonly",
            actor=f.actor(),
            by_grant=story.rep_grant,
            reason="test",
        )
    for _i in range(5):
        services.delegate_to_collaborator(
            manager_grant=story.manager_grant, person=f.person(), role="authorised_full", actor=f.actor(), reason="test"
        )
    assert _count(client, url) == few
