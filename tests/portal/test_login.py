import pytest
from django.urls import reverse

from accounts import services
from accounts.models import FailedAttempt
from backoffice.demo import make_nif
from tests import factories as f
from tests.portal.helpers import use_language

pytestmark = pytest.mark.django_db
URL = reverse("portal:login")


def _post(client, id_number, password, **extra):
    return client.post(URL, {"id_number": id_number, "password": password}, **extra)


def test_login_page_renders(client):
    assert client.get(URL).status_code == 200


def test_representative_logs_in_and_lands_on_supplies(client, story):
    response = _post(client, story.representative.id_number, f.PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("portal:supplies")


def test_login_accepts_lower_case_and_separators(client, story):
    nif = story.representative.id_number
    response = _post(client, f"{nif[:2]}.{nif[2:5]}.{nif[5:8]}-{nif[8].lower()}", f.PASSWORD)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "language, message",
    [
        ("ca", "Format de NIF, NIE o passaport incorrecte"),
        ("es", "Formato de NIF, NIE o pasaporte incorrecto"),
        ("en", "Incorrect NIF, NIE or passport format"),
    ],
)
def test_malformed_number_gets_the_format_message(client, language, message):
    use_language(client, language)
    response = _post(client, "1234X", "whatever")
    assert message in response.content.decode()


def test_cif_is_refused_with_representative_hint(client):
    use_language(client, "en")
    response = _post(client, "B12345674", "whatever")
    assert (
        "Log in with the personal NIF, NIE or passport of the company&#x27;s representative"
        in response.content.decode()
    )


def test_required_fields_say_so(client):
    use_language(client, "en")
    body = _post(client, "", "").content.decode()
    assert body.count("This field is required.") == 4  # under each field, and in the summary that links to it
    assert 'href="#id_id_number"' in body and 'href="#id_password"' in body


def test_wrong_password_and_unknown_person_get_the_same_message(client, story):
    use_language(client, "en")
    wrong_password = _post(client, story.representative.id_number, "Nope-2026!xx").content.decode()
    unknown = _post(client, "11111111H", "Nope-2026!xx").content.decode()
    generic = "The NIF, NIE or passport or the password is not correct."
    assert generic in wrong_password and generic in unknown


def test_staff_account_cannot_log_in_to_the_customer_area(client):
    staff = f.staff_user()
    staff.username = "12345678Z"
    staff.save()
    use_language(client, "en")
    assert (
        "The NIF, NIE or passport or the password is not correct."
        in _post(client, "12345678Z", f.PASSWORD).content.decode()
    )


def test_deactivated_contact_cannot_log_in_and_is_told_why(client, story):
    services.revoke_grant(grant=story.readonly_grant, actor=f.actor(), reason="test")
    use_language(client, "en")
    response = _post(client, story.readonly.id_number, f.PASSWORD)
    assert response.status_code == 200 and "has been deactivated" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_the_number_there_even_with_the_right_password(client, story, settings):
    use_language(client, "en")
    nif = story.representative.id_number
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        _post(client, nif, "Wrong-pass!1", REMOTE_ADDR="10.0.0.1")
    response = _post(client, nif, f.PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200 and "Too many failed attempts" in response.content.decode()


def test_strangers_failing_elsewhere_do_not_lock_the_owner_out_until_the_account_limit(client, story, settings):
    use_language(client, "en")
    nif = story.representative.id_number
    for i in range(settings.LOCKOUT_MAX_ATTEMPTS):
        _post(client, nif, "Wrong-pass!1", REMOTE_ADDR=f"10.0.0.{i + 1}")
    assert _post(client, nif, f.PASSWORD, REMOTE_ADDR="10.0.1.1").status_code == 302
    client.logout()
    use_language(client, "en")
    for i in range(settings.LOCKOUT_MAX_PER_ACCOUNT):
        _post(client, nif, "Wrong-pass!1", REMOTE_ADDR=f"10.1.{i // 200}.{i % 200 + 1}")
    response = _post(client, nif, f.PASSWORD, REMOTE_ADDR="10.2.0.1")
    assert response.status_code == 200 and "Too many failed attempts" in response.content.decode()


def test_an_office_behind_one_address_is_not_locked_by_other_peoples_failures(client, story, settings):
    use_language(client, "en")
    for i in range(settings.LOCKOUT_MAX_ATTEMPTS):  # five colleagues each mistype once
        _post(client, make_nif(33_000_000 + i), "Wrong-pass!1", REMOTE_ADDR="10.9.9.9")
    assert _post(client, story.representative.id_number, f.PASSWORD, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_one_address_trying_many_numbers_hits_the_address_ceiling(client, story, settings):
    settings.LOCKOUT_MAX_PER_ADDRESS = 8
    use_language(client, "en")
    for i in range(8):
        _post(client, make_nif(34_000_000 + i), "Wrong-pass!1", REMOTE_ADDR="10.8.8.8")
    response = _post(client, story.representative.id_number, f.PASSWORD, REMOTE_ADDR="10.8.8.8")
    assert "Too many failed attempts" in response.content.decode()
    assert _post(client, story.representative.id_number, f.PASSWORD, REMOTE_ADDR="10.8.8.9").status_code == 302


def test_lock_expires_after_the_window(client, story, settings):
    nif = story.representative.id_number
    for _ in range(settings.LOCKOUT_MAX_ATTEMPTS):
        _post(client, nif, "Wrong-pass!1")
    from datetime import timedelta

    from django.utils import timezone

    FailedAttempt.objects.update(at=timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES + 1))
    assert _post(client, nif, f.PASSWORD).status_code == 302


def test_next_parameter_cannot_redirect_off_site(client, story):
    response = client.post(
        URL + "?next=https://evil.example/", {"id_number": story.representative.id_number, "password": f.PASSWORD}
    )
    assert response["Location"] == reverse("portal:supplies")


def test_logout_requires_post(client, story):
    client.force_login(story.representative.user)
    assert client.get(reverse("portal:logout")).status_code == 405
    assert client.post(reverse("portal:logout")).status_code == 302
