"""billing.services.change_payment_day: who may, which days, audited, e-mailed, and the same day again."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.utils import translation

from accounts.audit import Actor
from accounts.models import AuditEvent, Contract, Grant
from billing.services import PaymentDayError, change_payment_day
from tests import factories as f

pytestmark = pytest.mark.django_db

MAY = {"representative", "authorised_full"}


@pytest.fixture
def people(story):
    """Every role on the story's company, a manager limited to one supply point and its collaborator, a person
    with a login and no grant, and the representative of another company."""
    point = story.customer.contracts.get().supply_points.first()
    scoped = f.person(login=True, name="Scoped Manager")
    scoped_grant = f.grant(
        customer=story.customer, person=scoped, role="external_manager", firm=story.firm, supply_points=[point]
    )
    scoped_collaborator = f.person(login=True, name="Scoped Collaborator")
    f.grant(customer=story.customer, person=scoped_collaborator, role="authorised_full", delegated_from=scoped_grant)
    return story.people() | {
        "scoped_manager": scoped,
        "scoped_collaborator": scoped_collaborator,
        "stranger": f.person(login=True, name="No Grant"),
    }


def as_actor(person) -> Actor:
    return Actor(user=person.user, ip="192.0.2.7")


def changes() -> int:
    return AuditEvent.objects.filter(action="contract.change_payment_day").count()


@pytest.mark.parametrize(
    "role",
    [
        "representative",
        "authorised_full",
        "authorised_readonly",
        "external_manager",
        "collaborator",
        "scoped_manager",
        "scoped_collaborator",
        "stranger",
        "outsider",
    ],
)
def test_only_the_representative_and_full_contacts_may_change_the_payment_day(story, people, role):
    contract = story.customer.contracts.get()
    if role in MAY:
        changed = change_payment_day(contract=contract, day=20, actor=as_actor(people[role]))
        assert changed.payment_day == 20 and changes() == 1
    else:
        with pytest.raises(PaymentDayError) as refused:
            change_payment_day(contract=contract, day=20, actor=as_actor(people[role]))
        assert refused.value.code == "not_allowed"
        assert Contract.objects.get(pk=contract.pk).payment_day == 5 and changes() == 0


def test_a_representative_of_another_company_may_not_change_ours_even_holding_a_role_there(story):
    contract = story.other_customer.contracts.get()
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=contract, day=20, actor=as_actor(story.representative))
    assert refused.value.code == "not_allowed"


def test_a_revoked_full_contact_may_not(story):
    Grant.objects.filter(pk=story.full_grant.pk).update(revoked_at=f.timezone.now())
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=story.customer.contracts.get(), day=20, actor=as_actor(story.full))
    assert refused.value.code == "not_allowed"


def test_staff_have_no_customer_authority_here(story):
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=story.customer.contracts.get(), day=20, actor=Actor(user=f.staff_user()))
    assert refused.value.code == "not_allowed"


@pytest.mark.parametrize("day", [0, 1, 12, 28, 31])
def test_only_the_offered_days_are_accepted_with_a_message_in_the_persons_language(story, day):
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=story.customer.contracts.get(), day=day, actor=as_actor(story.representative))
    assert refused.value.code == "day_not_offered" and "5, 10, 15, 20, 25" in str(refused.value.message)
    assert changes() == 0


@pytest.mark.parametrize(
    ("language", "words"), [("ca", "dies de pagament"), ("es", "días de pago"), ("en", "payment days")]
)
def test_the_refusal_reads_in_ca_es_and_en(story, language, words):
    with translation.override(language), pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=story.customer.contracts.get(), day=3, actor=as_actor(story.representative))
    assert words in str(refused.value.message)


def test_the_offered_days_come_from_the_settings(story, settings):
    settings.BILLING_PAYMENT_DAYS = [3, 18]
    contract = change_payment_day(contract=story.customer.contracts.get(), day=3, actor=as_actor(story.full))
    assert contract.payment_day == 3


def test_the_same_day_again_changes_nothing_and_says_so(story):
    contract = story.customer.contracts.get()
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=contract, day=5, actor=as_actor(story.representative))
    assert refused.value.code == "unchanged" and "5" in str(refused.value.message)
    assert changes() == 0 and not mail.outbox


def test_a_contract_paid_by_transfer_has_no_payment_day_to_change(db):
    customer = f.customer(direct_debit=False)
    representative = f.person(login=True)
    f.grant(customer=customer, person=representative, role="representative")
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=customer.contracts.get(), day=10, actor=as_actor(representative))
    assert refused.value.code == "not_direct_debit"


def test_an_ended_contract_is_refused(story):
    Contract.objects.filter(customer=story.customer).update(ended_on=date(2024, 1, 31))
    with pytest.raises(PaymentDayError) as refused:
        change_payment_day(contract=story.customer.contracts.get(), day=10, actor=as_actor(story.representative))
    assert refused.value.code == "contract_ended"


def test_the_change_is_audited_with_before_and_after(story):
    contract = story.customer.contracts.get()
    change_payment_day(contract=contract, day=15, actor=as_actor(story.full))
    event = AuditEvent.objects.get(action="contract.change_payment_day")
    assert event.before == {"contract": contract.number, "payment_day": 5}
    assert event.after == {"contract": contract.number, "payment_day": 15}
    assert (event.actor_id, event.customer_id, event.ip) == (story.full.user_id, story.customer.pk, "192.0.2.7")


def test_the_representative_and_who_changed_it_are_told_each_in_their_language(
    story, django_capture_on_commit_callbacks
):
    story.representative.language = "es"
    story.representative.save(update_fields=["language"])
    story.full.language = "en"
    story.full.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        change_payment_day(contract=story.customer.contracts.get(), day=25, actor=as_actor(story.full))
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {story.representative.email, story.full.email}
    spanish, english = by_recipient[story.representative.email], by_recipient[story.full.email]
    assert "25" in spanish.body and "próxima factura" in spanish.body
    assert "next invoice" in english.body and "Full Access" in english.body


def test_the_representative_changing_it_gets_one_email(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change_payment_day(contract=story.customer.contracts.get(), day=10, actor=as_actor(story.representative))
    assert [message.to for message in mail.outbox] == [[story.representative.email]]
