"""The payment day through the API: the page's form and service, the same refusals, audited with the token."""

from __future__ import annotations

from django.conf import settings

from accounts.models import AuditEvent, Contract


def _url(contract) -> str:
    return f"/api/v1/contracts/{contract.pk}/payment-day/"


def _other_day(contract) -> int:
    return next(day for day in settings.BILLING_PAYMENT_DAYS if day != contract.payment_day)


def test_the_representative_changes_the_day_and_the_change_is_audited_with_the_token(
    story, api_for, django_capture_on_commit_callbacks
):
    contract = story.customer.contracts.get()
    day = _other_day(contract)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(story.representative).put(_url(contract), {"day": day})
    assert response.status_code == 200 and response.json()["payment_day"] == day
    assert Contract.objects.get(pk=contract.pk).payment_day == day
    event = AuditEvent.objects.get(action="contract.change_payment_day")
    assert "api token" in event.actor_label and event.after["payment_day"] == day


def test_a_day_not_offered_is_a_400_with_the_pages_words(story, api_for):
    contract = story.customer.contracts.get()
    response = api_for(story.representative).put(_url(contract), {"day": 31})
    assert response.status_code == 400
    days = ", ".join(str(day) for day in settings.BILLING_PAYMENT_DAYS)
    assert response.json()["error"]["fields"]["day"] == [f"Choose one of the payment days offered: {days}."]
    assert Contract.objects.get(pk=contract.pk).payment_day == contract.payment_day


def test_the_same_day_again_changes_nothing_and_is_no_error(story, api_for):
    contract = story.customer.contracts.get()
    response = api_for(story.full).put(_url(contract), {"day": contract.payment_day})
    assert response.status_code == 200 and response.json()["payment_day"] == contract.payment_day
    assert not AuditEvent.objects.filter(action="contract.change_payment_day").exists()


def test_a_contract_paid_by_transfer_has_no_day_to_change(story, api_for):
    contract = story.customer.contracts.get()
    Contract.objects.filter(pk=contract.pk).update(iban_last4="", iban_fingerprint="", payment_day=None)
    response = api_for(story.representative).put(_url(contract), {"day": settings.BILLING_PAYMENT_DAYS[0]})
    assert (response.status_code, response.json()["error"]["code"]) == (409, "not_direct_debit")


def test_a_read_only_token_cannot_change_it(story, api_for):
    contract = story.customer.contracts.get()
    response = api_for(story.representative, scope="read").put(_url(contract), {"day": _other_day(contract)})
    assert response.status_code == 403
    assert Contract.objects.get(pk=contract.pk).payment_day == contract.payment_day
