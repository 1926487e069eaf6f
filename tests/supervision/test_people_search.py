"""The supervisors' people page finds a person by name with the console's name search (accents and case
ignored, the most alike first), in a fixed number of queries, and only for those who may correct identities."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from supervision import selectors
from tests import factories
from tests.workflows.paperwork import staff

from .conftest import html, logged_in, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(story):
    """Two people sharing a surname, one with an accent and roles on two customers, and one unrelated."""
    maria = factories.person(name="Maria Àngels Puigdomènech")
    factories.grant(customer=story.customer, person=maria, role="authorised_readonly")
    factories.grant(customer=story.other_customer, person=maria, role="authorised_full")
    jordi = factories.person(name="Jordi Puigdomenech Roca")
    factories.person(name="Xavier Ferrer")
    return maria, jordi


def test_a_name_without_accents_finds_both_people_and_links_their_pages(supervising, story, named):
    maria, jordi = named
    response = supervising.get(url("people"), {"id_number": "puigdomenech"})
    page = html(response)
    assert response.status_code == 200 and 'data-sv-people-found="2"' in page
    for person in (maria, jordi):
        assert f'data-sv-found-person="{person.pk}"' in page and url("person", person.pk) in page
    assert "Xavier Ferrer" not in page
    assert story.customer.name in page and story.other_customer.name in page  # Maria's roles


def test_the_most_alike_comes_first(supervising, named):
    maria, jordi = named
    found = selectors.people_named("Jordi Puigdomenech")
    assert [identity.person for identity in found][:1] == [jordi]


def test_a_name_nobody_has_says_so(supervising, named):
    response = supervising.get(url("people"), {"id_number": "Zacarias Quiroga"})
    page = html(response)
    assert response.status_code == 200 and "data-sv-not-found" in page and "Zacarias Quiroga" in page
    assert "data-sv-people-found" not in page


@pytest.mark.parametrize("typed", ["ab", "  x y  "])
def test_fewer_than_three_letters_is_refused_with_a_message(supervising, db, typed):
    response = supervising.get(url("people"), {"id_number": typed})
    assert response.status_code == 400 and "Type at least three letters of the name" in html(response)


def test_an_exact_id_number_still_leads_to_the_persons_page(supervising, named):
    maria, _jordi = named
    response = supervising.get(url("people"), {"id_number": maria.id_number})
    assert response.status_code == 302 and response["Location"] == url("person", maria.pk)


def test_the_search_costs_the_same_queries_for_one_person_as_for_many(supervising, story, named):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert supervising.get(url("people"), {"id_number": "Puigdomenech"}).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        person = factories.person(name=f"Anna Puigdomenech {n}")
        factories.grant(customer=factories.customer(supply_points=1, invoices=()), person=person, role="representative")
    assert queries() == few
    with CaptureQueriesContext(connection) as captured:
        assert len(selectors.people_named("Puigdomenech")) == 10
    assert len(captured) == 2


@pytest.mark.parametrize("group", ["verifiers", "callcenter_agents"])
def test_staff_without_the_permission_get_403(named, group):
    response = logged_in(staff(group)).get(url("people"), {"id_number": "Puigdomenech"})
    assert response.status_code == 403 and "data-sv-found-person" not in html(response)


@pytest.mark.parametrize("who", ["outsider", "readonly", "manager", "collaborator", "representative"])
def test_customers_of_any_kind_get_403(story, named, who):
    response = logged_in(getattr(story, who).user).get(url("people"), {"id_number": "Puigdomenech"})
    assert response.status_code == 403 and "data-sv-found-person" not in html(response)


def test_anonymous_visitors_go_to_the_staff_login(client, named):
    response = client.get(url("people"), {"id_number": "Puigdomenech"})
    assert response.status_code == 302 and "/login" in response["Location"] and not html(response)


def test_a_full_name_longer_than_an_id_number_is_taken(supervising, named):
    maria, _jordi = named
    typed = "Maria Àngels Puigdomènech Ferrer i Vidal"  # 40 characters: more than any id number
    response = supervising.get(url("people"), {"id_number": typed})
    assert response.status_code == 200 and f'data-sv-found-person="{maria.pk}"' in html(response)
