"""The login page in the seed's words: the NIF help and the notice about CIF and gestor e-mail logins, the
seed's error texts, an e-mail typed as NIF told why, and a registration not confirmed yet said so (no lock
counted) with a way to have the confirmation sent again."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent, FailedAttempt
from tests import factories as f
from tests.portal.helpers import use_language

pytestmark = pytest.mark.django_db

NOTICE = "A partir d'ara no pots accedir amb CIF (NIF de persona jurídica) ni amb l'adreça electrònica de gestors"


def _login(client, id_number, password=f.PASSWORD):
    return client.post(reverse("portal:login"), {"id_number": id_number, "password": password})


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_the_login_page_shows_the_seeds_help_and_notice(client):
    text = _text(client.get(reverse("portal:login")))
    assert "Introdueix el NIF sense punts ni guions. P. ex.: 02356126X" in text
    assert NOTICE in text
    assert "Accedeix a la teva Àrea Clients" in text and "Has oblidat la contrasenya?" in text


@pytest.mark.parametrize("typed", ["gestor@example.com", "a.very.long.address.of.a.gestoria@example.com"])
def test_an_email_typed_as_nif_gets_the_notice_and_counts_nothing(client, typed):
    text = _text(_login(client, typed))
    assert text.count(NOTICE) == 3  # the page's notice, the error summary's link to the field and the field's error
    assert not FailedAttempt.objects.exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ca", "Format de NIF, NIE o passaport incorrecte. Revisa les indicacions abans de posar la contrasenya."),
        ("es", "Formato de NIF, NIE o pasaporte incorrecto. Revisa las indicaciones antes de poner la contraseña."),
    ],
)
def test_a_malformed_nif_gets_the_seeds_message(client, language, expected):
    use_language(client, language)
    assert expected in _text(_login(client, "12345678A"))


def test_wrong_credentials_get_the_seeds_message(client):
    person = f.person(login=True)
    f.grant(customer=f.customer(), person=person, role="representative")
    assert "L'usuari o la contrasenya no són correctes." in _text(_login(client, person.id_number, "Wrong-Pass-123"))


@pytest.fixture
def unconfirmed(db):
    customer = f.customer()
    person = f.person(login=False, name="Oriol Nou")
    f.grant(customer=customer, person=person, role="representative")
    services.start_registration(
        customer=customer,
        person=person,
        name=person.name,
        email="oriol@example.com",
        phone="600123123",
        password=f.PASSWORD,
        language="ca",
    )
    return person


def test_logging_in_before_confirming_says_so_and_counts_nothing(client, unconfirmed):
    response = _login(client, unconfirmed.id_number)
    text = _text(response)
    assert response.status_code == 400
    assert "Encara no has confirmat el registre" in text
    assert "L'usuari o la contrasenya no són correctes." not in text
    assert not FailedAttempt.objects.exists()


def test_a_wrong_password_on_an_unconfirmed_registration_is_just_wrong(client, unconfirmed):
    text = _text(_login(client, unconfirmed.id_number, "Wrong-Pass-123"))
    assert "Encara no has confirmat el registre" not in text
    assert "L'usuari o la contrasenya no són correctes." in text
    assert FailedAttempt.objects.exists()


def _confirm_path() -> str:
    return re.search(r"https?://\S+(/register/confirm/\S+/)", mail.outbox[-1].body).group(1)


def test_resending_the_confirmation_sends_a_new_link_and_the_old_one_stops(
    client, unconfirmed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_registration_confirmation(id_number=unconfirmed.id_number, actor_ip=None)
    first = _confirm_path()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:resend_confirmation"), {"id_number": unconfirmed.id_number})
    assert response.status_code == 200
    second = _confirm_path()
    assert mail.outbox[-1].to == ["oriol@example.com"] and first != second
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 302
    assert AuditEvent.objects.filter(action="registration.confirmation_resent").count() == 2


def test_resending_for_an_unknown_nif_answers_the_same_and_sends_nothing(
    client, unconfirmed, django_capture_on_commit_callbacks
):
    stranger = f.person(login=False)
    with django_capture_on_commit_callbacks(execute=True):
        known = _text(client.post(reverse("portal:resend_confirmation"), {"id_number": unconfirmed.id_number}))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _text(client.post(reverse("portal:resend_confirmation"), {"id_number": stranger.id_number}))
    assert len(mail.outbox) == sent == 1
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known) == strip.sub("", unknown)


def test_resending_is_rate_limited(client, unconfirmed, settings, django_capture_on_commit_callbacks):
    settings.LOCKOUT_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            client.post(reverse("portal:resend_confirmation"), {"id_number": unconfirmed.id_number})
    assert len(mail.outbox) == 2


def test_resending_refuses_a_get(client):
    assert client.get(reverse("portal:resend_confirmation")).status_code == 405
