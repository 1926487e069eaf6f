import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, PendingRegistration, User
from backoffice.demo import make_cif
from tests import factories as f
from tests.portal.helpers import use_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder():
    """A company whose representative is in the store but has no login yet."""
    customer = f.customer()
    rep = f.person(login=False, name="Carla Nova Puig")
    f.grant(customer=customer, person=rep, role="representative")
    return customer, rep


def _step1(client, customer, **data):
    payload = {
        "holder_id": customer.tax_id,
        "proof": "bank",
        "bank_last4": customer.contracts.first().iban_last4,
    } | data
    return client.post(reverse("portal:register"), payload)


def _step2(client, rep, **data):
    payload = {
        "id_number": rep.id_number,
        "name": rep.name,
        "email": "carla@example.com",
        "phone": "600 123 456",
    } | data
    return client.post(reverse("portal:register_contact"), payload)


def _step3(client, password=f.PASSWORD, repeat=None):
    return client.post(reverse("portal:register_password"), {"password1": password, "password2": repeat or password})


def _confirm_link() -> str:
    return re.search(r"https?://\S+(/register/confirm/\S+/)", mail.outbox[-1].body).group(1)


def test_full_registration_with_bank_digits(client, holder, django_capture_on_commit_callbacks):
    customer, rep = holder
    assert _step1(client, customer).status_code == 302
    assert _step2(client, rep).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = _step3(client)
    assert response.status_code == 200 and not User.objects.filter(username=rep.id_number).exists()
    assert mail.outbox[-1].to == ["carla@example.com"]
    link = _confirm_link()
    assert (
        client.get(link).status_code == 200 and not User.objects.filter(username=rep.id_number).exists()
    )  # GET does not confirm
    assert client.post(link).status_code == 302
    rep.refresh_from_db()
    assert rep.user.check_password(f.PASSWORD) and rep.email == "carla@example.com" and rep.phone == "600123456"
    assert AuditEvent.objects.filter(action="person.register", target_id=str(rep.pk)).exists()
    assert client.post(reverse("portal:login"), {"id_number": rep.id_number, "password": f.PASSWORD}).status_code == 302


def test_confirmation_link_works_once(client, holder, django_capture_on_commit_callbacks):
    customer, rep = holder
    _step1(client, customer), _step2(client, rep)
    with django_capture_on_commit_callbacks(execute=True):
        _step3(client)
    link = _confirm_link()
    client.post(link)
    use_language(client, "en")
    response = client.post(link)
    assert response.status_code == 400 and "already been used" in response.content.decode()


def test_registration_with_invoice_total_when_no_direct_debit(client):
    customer = f.customer(direct_debit=False, invoices=("55.10", "60.00", "70.25", "80.00"))
    rep = f.person()
    f.grant(customer=customer, person=rep, role="representative")
    response = client.post(
        reverse("portal:register"), {"holder_id": customer.tax_id, "proof": "invoice", "invoice_total": "70,25"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:register_contact")


def test_invoice_total_is_refused_for_a_direct_debit_holder(client, holder):
    customer, _ = holder
    use_language(client, "en")
    response = client.post(
        reverse("portal:register"), {"holder_id": customer.tax_id, "proof": "invoice", "invoice_total": "120.50"}
    )
    assert "do not match our records" in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"holder_id": "B1234567"}, "Incorrect NIF or CIF format"),
        ({"holder_id": ""}, "This field is required."),
        ({"bank_last4": ""}, "This field is required."),
        ({"bank_last4": "12a4"}, "Enter exactly 4 digits."),
        ({"bank_last4": "12345"}, "Enter exactly 4 digits."),
        ({"proof": "invoice", "invoice_total": "abc"}, "Enter an amount such as 123,45."),
        ({"proof": "magic"}, "Select a valid choice."),
    ],
)
def test_step1_bad_input_gets_clear_message(client, holder, data, message):
    customer, _ = holder
    use_language(client, "en")
    response = _step1(client, customer, **data)
    assert response.status_code == 200 and message in response.content.decode()


def test_unknown_holder_and_wrong_digits_give_the_same_message(client, holder):
    customer, _ = holder
    use_language(client, "en")
    wrong = "0000" if customer.contracts.first().iban_last4 != "0000" else "1111"
    a = _step1(client, customer, bank_last4=wrong).content.decode()
    b = _step1(client, customer, holder_id=make_cif("B", 4_444_444)).content.decode()
    assert "do not match our records" in a and "do not match our records" in b


def test_bank_check_locks_after_five_failures_per_holder(client, holder, settings):
    customer, _ = holder
    use_language(client, "en")
    right = customer.contracts.first().iban_last4
    wrong = "0000" if right != "0000" else "1111"
    for i in range(settings.LOCKOUT_MAX_ATTEMPTS):
        client.post(
            reverse("portal:register"),
            {"holder_id": customer.tax_id, "proof": "bank", "bank_last4": wrong},
            REMOTE_ADDR=f"10.1.0.{i}",
        )
    response = client.post(
        reverse("portal:register"),
        {"holder_id": customer.tax_id, "proof": "bank", "bank_last4": right},
        REMOTE_ADDR="10.1.1.1",
    )
    assert "Too many failed attempts" in response.content.decode()


def test_bank_check_locks_an_address_trying_many_holders_at_its_ceiling(client, holder, settings):
    settings.LOCKOUT_MAX_PER_ADDRESS = 6
    customer, _ = holder
    use_language(client, "en")
    others = [f.customer() for _ in range(6)]
    for other in others:
        client.post(
            reverse("portal:register"),
            {"holder_id": other.tax_id, "proof": "bank", "bank_last4": "9999"},
            REMOTE_ADDR="10.2.2.2",
        )
    right = customer.contracts.first().iban_last4
    response = client.post(
        reverse("portal:register"),
        {"holder_id": customer.tax_id, "proof": "bank", "bank_last4": right},
        REMOTE_ADDR="10.2.2.2",
    )
    assert "Too many failed attempts" in response.content.decode()


@pytest.mark.parametrize("typed", ["1,234.56", "1.234,56", "1234,56", "1 234,56 €", "€1234.56"])
def test_an_invoice_total_is_read_in_any_usual_format(client, typed):
    customer = f.customer(direct_debit=False, invoices=("1234.56", "60.00", "70.25"))
    response = client.post(
        reverse("portal:register"), {"holder_id": customer.tax_id, "proof": "invoice", "invoice_total": typed}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:register_contact")


def test_a_malformed_invoice_total_never_counts_toward_the_proof_lock(client, settings):
    customer = f.customer(direct_debit=False, invoices=("1234.56", "60.00", "70.25"))
    use_language(client, "en")
    for malformed in ["abc", "1,234.567", "-70,25", "12,34,567", "1e3"] * settings.LOCKOUT_MAX_ATTEMPTS:
        response = client.post(
            reverse("portal:register"), {"holder_id": customer.tax_id, "proof": "invoice", "invoice_total": malformed}
        )
        assert "Enter an amount such as 123,45." in response.content.decode()
    response = client.post(
        reverse("portal:register"), {"holder_id": customer.tax_id, "proof": "invoice", "invoice_total": "1,234.56"}
    )
    assert response.status_code == 302


def test_someone_else_than_the_named_representative_is_pointed_to_the_change_request(client, holder):
    customer, _ = holder
    use_language(client, "en")
    _step1(client, customer)
    stranger = f.person()
    response = _step2(client, stranger, id_number=stranger.id_number)
    body = response.content.decode()
    assert "another person as the representative" in body and "change of representative" in body
    assert "registration" in client.session and "contact" not in client.session["registration"]


def test_already_registered_representative_is_told_to_log_in(client):
    customer = f.customer()
    rep = f.person(login=True)
    f.grant(customer=customer, person=rep, role="representative")
    use_language(client, "en")
    _step1(client, customer)
    assert "You are already registered" in _step2(client, rep).content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"phone": "12"}, "Enter a valid phone number."),
        ({"name": "x" * 201}, "At most 200 characters."),
        ({"id_number": "B12345674"}, "representative"),
        ({"id_number": "123"}, "Incorrect NIF, NIE or passport format"),
        ({"name": ""}, "This field is required."),
    ],
)
def test_step2_bad_input_gets_clear_message(client, holder, data, message):
    customer, rep = holder
    use_language(client, "en")
    _step1(client, customer)
    response = _step2(client, rep, **data)
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.parametrize(
    "password, repeat, message",
    [
        ("short1!A", None, "too short"),
        ("alllowercase-only", None, "upper-case and lower-case"),
        ("Prova-2026!segura", "Prova-2026!segurb", "The two passwords are different."),
        ("12345678901234", None, "entirely numeric"),
    ],
)
def test_step3_requires_a_strong_password(client, holder, password, repeat, message):
    customer, rep = holder
    use_language(client, "en")
    _step1(client, customer), _step2(client, rep)
    response = _step3(client, password, repeat)
    assert response.status_code == 200 and message in response.content.decode()
    assert not PendingRegistration.objects.exists()


def test_steps_cannot_be_skipped(client, holder):
    assert client.get(reverse("portal:register_contact"))["Location"] == reverse("portal:register")
    assert client.get(reverse("portal:register_password"))["Location"] == reverse("portal:register")


def test_forgot_password_sends_a_link_only_to_registered_people_with_the_same_answer(
    client, story, django_capture_on_commit_callbacks
):
    use_language(client, "en")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            reverse("portal:forgot_password"), {"id_number": story.representative.id_number}
        ).content.decode()
        unknown = client.post(reverse("portal:forgot_password"), {"id_number": "11111111H"}).content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [story.representative.email]
    assert "If this NIF belongs to a registered user" in known and "If this NIF belongs to a registered user" in unknown
    link = re.search(r"https?://\S+(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Nova-Clau!2026x", "new_password2": "Nova-Clau!2026x"}
    )
    assert response.status_code == 302
    story.representative.user.refresh_from_db()
    assert story.representative.user.check_password("Nova-Clau!2026x")


def test_guessing_the_representatives_nif_counts_against_the_holder_proof_lock(client, holder, settings):
    from backoffice.demo import make_nif

    customer, rep = holder
    use_language(client, "en")
    assert _step1(client, customer).status_code == 302
    for n in range(settings.LOCKOUT_MAX_ATTEMPTS):
        assert (
            "another person as the representative"
            in _step2(client, rep, id_number=make_nif(62_000_000 + n)).content.decode()
        )
    response = _step2(client, rep)  # now even the right NIF is refused, and the proof must be given again
    assert "Too many failed attempts" in response.content.decode()
    assert _step1(client, customer).status_code == 200  # locked: step 1 refuses too


def test_a_representative_with_roles_on_other_customers_is_asked_to_call_instead(client, holder):
    customer, rep = holder
    f.grant(customer=f.customer(), person=rep, role="authorised_full")
    use_language(client, "en")
    assert _step1(client, customer).status_code == 302
    response = _step2(client, rep)
    assert response.status_code == 200 and "You hold roles on other customers too" in response.content.decode()
    assert "912 100 100" in response.content.decode()
