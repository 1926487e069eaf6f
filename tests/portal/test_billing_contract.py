"""The contract page of a supply point and its payment-day form, for every role."""

import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Contract
from tests import factories as f
from tests.portal.billing_setup import MAY_CHANGE_PAYMENT_DAY, ROLES, SCOPED, WHOLE_CUSTOMER, BillingStory
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def billing(db):
    return BillingStory()


def contract_url(point) -> str:
    return reverse("portal:contract", args=[point.pk])


def payment_url(point) -> str:
    return reverse("portal:change_payment_day", args=[point.pk])


def sees_contract(role: str, point_index: int) -> bool:
    return role in WHOLE_CUSTOMER or (role in SCOPED and point_index == 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("point_index", [0, 1])
def test_the_contract_page_is_there_only_for_who_sees_the_supply_point(client, billing, role, point_index):
    login_as(client, billing.people()[role])
    response = client.get(contract_url(billing.points[point_index]))
    assert response.status_code == (200 if sees_contract(role, point_index) else 404)


def test_a_supply_point_of_another_customer_is_404_and_logged(client, billing, caplog):
    login_as(client, billing.representative)
    other_point = billing.other_customer.contracts.get().supply_points.first()
    with caplog.at_level("WARNING", logger="security"):
        assert client.get(contract_url(other_point)).status_code == 404
        assert client.get(reverse("portal:contract", args=[999_999_999])).status_code == 404
    assert [r.event for r in caplog.records if getattr(r, "event", "") == "access.refused"] == ["access.refused"] * 2


def test_the_contract_page_shows_the_terms(client, billing):
    login_as(client, billing.readonly)
    page = client.get(contract_url(billing.points[0])).content.decode()
    assert billing.contract.number in page
    assert "Tarifa Empresa Plana" in page and "3.0TD" in page
    for k in range(1, 7):
        assert f"<strong>P{k}</strong> {10 + k}.000 kW" in page
    assert billing.contract.masked_iban in page
    assert re.search(r'id="payment-day">[^<]*10', page)
    for point in billing.points:
        assert point.cups in page
    assert f"?cups={billing.points[0].cups}" in page  # the list filtered by the supply point


def test_a_contract_paid_by_transfer_shows_no_iban_and_no_payment_day_form(client):
    company = f.customer(direct_debit=False)
    person = f.person(login=True)
    f.grant(customer=company, person=person, role="representative")
    login_as(client, person)
    page = client.get(contract_url(company.contracts.get().supply_points.first())).content.decode()
    assert 'id="payment-day-form"' not in page
    assert "ES**" not in page


def test_an_ended_contract_offers_no_payment_day_form(client, billing):
    billing.contract.ended_on = date(2026, 1, 31)
    billing.contract.save()
    login_as(client, billing.representative)
    page = client.get(contract_url(billing.points[0])).content.decode()
    assert 'id="payment-day-form"' not in page
    assert "31/01/2026" in page


def test_a_scoped_manager_sees_only_its_supply_points_and_their_invoices(client, billing):
    login_as(client, billing.scoped_manager)
    page = client.get(contract_url(billing.points[0])).content.decode()
    assert billing.points[0].cups in page and billing.points[1].cups not in page
    mine = {i.number for i in billing.point_invoices[billing.points[0].pk]}
    others = {i.number for i in billing.point_invoices[billing.points[1].pk]}
    assert all(number in page for number in mine)
    assert not any(number in page for number in others)
    whole_contract = billing.contract.invoices.filter(supply_point__isnull=True).values_list("number", flat=True)
    assert not any(number in page for number in whole_contract)


@pytest.mark.parametrize("role", ROLES)
def test_the_payment_day_form_is_offered_only_to_who_may_change_it(client, billing, role, settings):
    login_as(client, billing.people()[role])
    response = client.get(contract_url(billing.points[0]))
    if not sees_contract(role, 0):
        assert response.status_code == 404
        return
    page = response.content.decode()
    assert ('id="payment-day-form"' in page) == (role in MAY_CHANGE_PAYMENT_DAY)
    if role in MAY_CHANGE_PAYMENT_DAY:
        form = page[page.index('id="payment-day-form"') :]
        offered = [int(day) for day in re.findall(r'<option value="(\d+)"', form[: form.index("</form>")])]
        assert offered == list(settings.BILLING_PAYMENT_DAYS)


@pytest.mark.parametrize("role", MAY_CHANGE_PAYMENT_DAY)
def test_representative_and_full_contact_change_the_payment_day(
    client, billing, role, django_capture_on_commit_callbacks
):
    login_as(client, billing.people()[role])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(payment_url(billing.points[1]), {"day": "20"}, follow=True)
    assert response.redirect_chain[-1][0] == contract_url(billing.points[1])
    billing.contract.refresh_from_db()
    assert billing.contract.payment_day == 20
    assert AuditEvent.objects.filter(target_type="contract", target_id=str(billing.contract.pk)).count() == 1
    assert re.search(r'<li class="success">[^<]*20', response.content.decode())
    assert mail.outbox  # the customer is told


def test_the_same_day_again_changes_nothing_and_says_so(client, billing):
    login_as(client, billing.representative)
    response = client.post(payment_url(billing.points[0]), {"day": "10"}, follow=True)
    assert re.search(r'<li class="info">[^<]*10', response.content.decode())
    assert not AuditEvent.objects.filter(target_type="contract").exists()


@pytest.mark.parametrize("day", ["7", "31", "0", "abc", ""])
def test_a_day_not_offered_is_refused_with_a_message_and_nothing_changes(client, billing, day):
    login_as(client, billing.representative)
    use_language(client, "es")
    response = client.post(payment_url(billing.points[0]), {"day": day}, follow=True)
    assert re.search(r'<li class="error">', response.content.decode())
    assert Contract.objects.get(pk=billing.contract.pk).payment_day == 10
    assert not AuditEvent.objects.filter(target_type="contract").exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r not in MAY_CHANGE_PAYMENT_DAY])
def test_a_forged_payment_day_post_is_refused_and_changes_nothing(client, billing, role):
    login_as(client, billing.people()[role])
    response = client.post(payment_url(billing.points[0]), {"day": "20"})
    assert response.status_code == (403 if sees_contract(role, 0) else 404)
    assert Contract.objects.get(pk=billing.contract.pk).payment_day == 10
    assert not AuditEvent.objects.filter(target_type="contract").exists()


def test_the_payment_day_form_needs_csrf(billing):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login_as(client, billing.representative)
    assert client.post(payment_url(billing.points[0]), {"day": "20"}).status_code == 403
    assert Contract.objects.get(pk=billing.contract.pk).payment_day == 10


def test_a_get_on_the_payment_day_url_is_not_allowed(client, billing):
    login_as(client, billing.representative)
    assert client.get(payment_url(billing.points[0])).status_code == 405
