"""manage.py create_staff_user (supervision/management/commands/create_staff_user.py, supervision.services.create_staff_user)."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent, User
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "Vermell-Dimecres-42"


def create(**options) -> str:
    out = StringIO()
    call_command(
        "create_staff_user",
        stdout=out,
        **({"username": "marta", "email": "marta@example.com", "group": "verifiers"} | options),
    )
    return out.getvalue()


def test_a_staff_user_is_created_in_its_group_audited_and_told_about_mfa(monkeypatch):
    monkeypatch.setenv("STAFF_USER_PASSWORD", PASSWORD)
    out = create(group="supervisors", first_name="Marta", last_name="Puig")
    user = User.objects.get(username="marta")
    assert user.is_staff and not user.is_superuser and user.check_password(PASSWORD)
    assert (user.first_name, user.last_name, user.email) == ("Marta", "Puig", "marta@example.com")
    assert list(user.groups.values_list("name", flat=True)) == ["supervisors"]
    assert "second factor" in out and "TOTP" in out
    event = AuditEvent.objects.get(action="staff_user.create")
    assert event.after == {
        "username": "marta",
        "email": "marta@example.com",
        "group": "supervisors",
    } and PASSWORD not in str(event.after)


def test_the_password_is_asked_twice_when_not_in_the_environment(monkeypatch):
    monkeypatch.delenv("STAFF_USER_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    create()
    assert User.objects.get(username="marta").check_password(PASSWORD)


def test_the_password_is_never_an_argument():
    with pytest.raises(CommandError):
        call_command(
            "create_staff_user",
            "--username",
            "marta",
            "--email",
            "marta@example.com",
            "--group",
            "verifiers",
            "--password",
            PASSWORD,
        )
    assert not User.objects.filter(username="marta").exists()


@pytest.mark.parametrize("password, words", [("Ab1!", "too short"), ("password123", "too common")])
def test_a_weak_password_is_refused_by_djangos_validators(monkeypatch, password, words):
    monkeypatch.setenv("STAFF_USER_PASSWORD", password)
    with pytest.raises(CommandError, match=words) as refused:
        create()
    assert refused.value.returncode == 2 and not User.objects.filter(username="marta").exists()


def test_an_unknown_group_is_refused_with_exit_code_2(monkeypatch):
    monkeypatch.setenv("STAFF_USER_PASSWORD", PASSWORD)
    Group.objects.create(name="friends")  # a group, but not a staff group
    for group in ("admins", "friends"):
        with pytest.raises(CommandError, match="not a staff group") as refused:
            create(group=group)
        assert refused.value.returncode == 2
    assert (
        not User.objects.filter(username="marta").exists()
        and not AuditEvent.objects.filter(action="staff_user.create").exists()
    )


def test_an_existing_username_is_refused_whatever_its_case(monkeypatch):
    monkeypatch.setenv("STAFF_USER_PASSWORD", PASSWORD)
    User.objects.create(username="Marta", password=f.password_hash())
    with pytest.raises(CommandError, match="exists already") as refused:
        create()
    assert refused.value.returncode == 2 and User.objects.filter(username__iexact="marta").count() == 1


def test_from_the_command_line_a_refusal_exits_with_2(monkeypatch, capsys):
    monkeypatch.setenv("STAFF_USER_PASSWORD", PASSWORD)
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(
            [
                "manage.py",
                "create_staff_user",
                "--username",
                "marta",
                "--email",
                "marta@example.com",
                "--group",
                "admins",
            ]
        ).execute()
    assert exited.value.code == 2 and "not a staff group" in capsys.readouterr().err
