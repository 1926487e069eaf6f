import json

import pytest
from django.core.management import call_command
from django.db import transaction
from stdnum.es import cif, cups, nif

from accounts.audit import verify_chain
from accounts.models import Customer, Grant, SupplyPoint

pytestmark = pytest.mark.django_db


def _seed(capsys, **options) -> dict:
    call_command("seed_demo", json=True, **options)
    return json.loads(capsys.readouterr().out)


def test_seed_demo_prints_a_login_for_every_role(capsys):
    data = _seed(capsys, customers=30, seed=7)
    roles = {login["role"] for login in data["logins"]}
    assert {
        "representative",
        "authorised_full",
        "authorised_readonly",
        "external_manager",
        "collaborator",
        "callcenter_agent",
        "verifier",
        "supervisor",
    } <= roles
    assert data["customers_added"] == 30 and data["registration"]


def test_demo_logins_work(client, capsys):
    data = _seed(capsys, customers=0, seed=7)
    for login in data["logins"]:
        if login["role"] in ("representative", "authorised_readonly", "external_manager", "collaborator"):
            response = client.post("/login/", {"id_number": login["username"], "password": login["password"]})
            assert response.status_code == 302, login
            client.logout()


def test_seed_demo_identifiers_are_valid_and_deterministic(capsys):
    _seed(capsys, customers=25, seed=3)
    first = sorted(Customer.objects.values_list("tax_id", "name"))
    assert all(cif.is_valid(t) or nif.is_valid(t) for t, _ in first)
    assert all(cups.is_valid(c) for c in SupplyPoint.objects.values_list("cups", flat=True))
    companies = Customer.objects.filter(kind="company")
    assert (
        Grant.objects.filter(customer__in=companies, role="representative", revoked_at__isnull=True).count()
        == companies.count()
    )
    # Running it again adds nothing and keeps the audit chain intact.
    again = _seed(capsys, customers=25, seed=3)
    assert again["customers_added"] == 0 and sorted(Customer.objects.values_list("tax_id", "name")) == first
    assert list(verify_chain()) == []


class _Rollback(Exception):
    pass


def _generated_names(capsys, seed: int) -> list[str]:
    names = []
    try:
        with transaction.atomic():
            _seed(capsys, customers=6, seed=seed)
            names = sorted(Customer.objects.filter(tax_id__startswith="B0").values_list("name", flat=True))
            raise _Rollback
    except _Rollback:
        return names


def test_seed_demo_is_deterministic_for_a_seed(capsys):
    first, again, other = _generated_names(capsys, 3), _generated_names(capsys, 3), _generated_names(capsys, 4)
    assert len(first) == 6 and first == again and first != other
