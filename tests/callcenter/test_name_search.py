"""The console's search by person or company name (trigram, accents and case ignored), contract numbers and
shortened CUPS: what it finds, what it does not, and what it costs."""

import pytest
from django.db import connection

from accounts.models import Contract, Customer, Grant, Person, SupplyPoint
from accounts.name_search import name_matches, normalised_name
from callcenter import selectors
from tests import factories

from .helpers import html, logged_in, url

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search is PostgreSQL's")


def found(query: str) -> set[int]:
    return {card.customer.pk for card in selectors.search(query)[1]}


def test_a_name_is_a_key_of_its_own_and_two_letters_are_not():
    assert selectors.classify("  garcía   núñez ") == ("name", "garcía núñez")
    assert normalised_name("a1") == "" and normalised_name("Bo") == ""
    with pytest.raises(selectors.SearchError):
        selectors.classify("A1")


@postgres_only
def test_a_company_name_is_found_whatever_its_accents_and_case():
    wanted = factories.customer(name="Càrnies Ramón i Fills S.L.")
    factories.customer(name="Ferreteria Puig S.A.")
    assert found("CARNIES RAMON") == {wanted.pk}
    assert found("càrnies ramón") == {wanted.pk}
    assert found("ramon fills") == {wanted.pk}


@postgres_only
def test_a_person_finds_the_customers_they_hold_an_active_grant_on_and_not_the_revoked_ones(story):
    person = factories.person(name="José García Núñez")
    factories.grant(customer=story.customer, person=person, role="authorised_readonly")
    elsewhere = factories.customer()
    revoked = factories.grant(
        customer=elsewhere, person=factories.person(name="Jose Garcia Nunez"), role="authorised_full"
    )
    Grant.objects.filter(pk=revoked.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert found("jose garcia") == {story.customer.pk}
    assert found("GARCÍA NÚÑEZ") == {story.customer.pk}


@postgres_only
def test_the_name_search_is_answered_by_the_trigram_indexes():
    factories.customer(name="Càrnies Ramón i Fills S.L.")
    factories.person(name="Ramon Puig")
    with connection.cursor() as cursor:
        # A handful of rows: without this the planner rightly reads the table; with it, only an index that matches
        # the query's expression can answer (else it falls back to a disabled plan, which EXPLAIN shows).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for model, index in ((Customer, "customers_name_trgm"), (Person, "persons_name_trgm")):
            sql, params = model.objects.filter(name_matches("name", "ramon")).query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert f"Bitmap Index Scan on {index}" in plan, plan


def test_without_trigrams_the_name_search_falls_back_to_icontains(monkeypatch):
    wanted = factories.customer(name="Ferreteria Puig S.A.")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert found("ferreteria puig") == {wanted.pk}


@postgres_only
@pytest.mark.parametrize("matches", [2, 20])
def test_a_name_search_costs_the_same_queries_for_2_or_20_customers(matches, django_assert_num_queries):
    for n in range(matches):
        customer = factories.customer(name=f"Comunitat Prats {n}")
        factories.grant(customer=customer, person=factories.person(name=f"Pere Prats {n}"), role="representative")
    # the ids (one UNION), the customers, contracts, supply points, grants, and the open requests of each process model
    with django_assert_num_queries(7):
        kind, cards = selectors.search("prats")
    assert kind == "name" and len(cards) == matches


def test_a_contract_number_finds_its_customer(story):
    contract = Contract.objects.get(customer=story.customer)
    assert contract.number.startswith("T")  # reads as a passport number too: both are asked
    assert found(contract.number.lower()) == {story.customer.pk}
    Contract.objects.filter(pk=contract.pk).update(number="CT20260001")
    assert selectors.classify("ct20260001") == ("invoice", "CT20260001")
    assert found("ct-2026-0001") == {story.customer.pk}


def test_a_shortened_cups_finds_the_customer_either_way(story):
    point = SupplyPoint.objects.filter(contract__customer=story.customer).first()
    assert len(point.cups) == 20
    assert found(point.cups + "0F") == {story.customer.pk}  # the full 22 characters when the store keeps 20
    SupplyPoint.objects.filter(pk=point.pk).update(cups=point.cups + "0F")
    assert found(point.cups) == {story.customer.pk}  # the first 20 when the store keeps 22
    assert found(point.cups.lower()) == {story.customer.pk}
    other = SupplyPoint.objects.exclude(pk=point.pk).filter(contract__customer=story.customer).first()
    assert found(other.cups) == {story.customer.pk}


@postgres_only
def test_the_console_page_finds_a_company_by_name(console):
    wanted = factories.customer(name="Càrnies Ramón i Fills S.L.")
    page = html(console.get(url("index"), {"q": "carnies ramon"}))
    assert page.count("data-cc-result ") == 1 and wanted.tax_id in page and "(name)" in page


@pytest.mark.parametrize("who", ["anonymous", "verifier", "customer"])
def test_nobody_but_an_agent_searches_by_name(client, story, who):
    factories.customer(name="Càrnies Ramón i Fills S.L.")
    if who == "verifier":
        from tests.workflows.paperwork import staff

        logged_in(staff("verifiers"), client)
    elif who == "customer":
        client.force_login(story.outsider.user)
    response = client.get(url("index"), {"q": "carnies ramon"})
    assert response.status_code in (302, 403)
    assert b"Ramon" not in response.content and "Ramón".encode() not in response.content
