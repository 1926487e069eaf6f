"""seed_demo's billing data: made by writing an import file and importing it, like the billing system's."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent, Contract, Grant, Invoice
from authority import authorities_of
from backoffice.demo import FIRM_COMPANIES, MONTHS, make_nif

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(capsys):
    call_command("seed_demo", customers=0, json=True)
    capsys.readouterr()


def test_the_demo_company_has_contracts_with_terms_and_twelve_months_of_invoices(seeded):
    contracts = Contract.objects.filter(customer__name="Demo Industrial S.L.").order_by("number")
    electricity, gas = contracts
    assert (electricity.tariff, len(electricity.contracted_power_kw), electricity.payment_day) == ("3.0TD", 6, 10)
    assert gas.energy == "gas" and gas.tariff.startswith("RL.") and gas.contracted_power_kw == {}
    for point in electricity.supply_points.all():
        invoices = list(point.invoices.order_by("issued_on"))
        assert len(invoices) == MONTHS
        assert all(invoice.pdf_name for invoice in invoices)
        concepts = [line["concept"].split(" (")[0] for line in invoices[0].lines]
        assert concepts == [
            "Término de energía",
            "Término de potencia",
            "Impuesto eléctrico",
            "Alquiler de equipos de medida",
        ]
        assert all(invoice.vat[0]["rate"] == "21.00" for invoice in invoices)
    statuses = set(
        Invoice.objects.filter(contract__customer__name="Demo Industrial S.L.").values_list("status", flat=True)
    )
    assert {"paid", "returned"} <= statuses


def test_the_demo_firm_manages_sixty_companies_and_its_collaborator_sees_them_all(seeded):
    manager = Grant.objects.filter(person__id_number=make_nif(71_000_004)).first().person
    collaborator = Grant.objects.filter(person__id_number=make_nif(71_000_005)).first().person
    assert len(authorities_of(manager)) >= FIRM_COMPANIES >= 60
    assert len(authorities_of(collaborator)) >= FIRM_COMPANIES  # the firm's companies and Demo Industrial
    assert Invoice.objects.filter(contract__customer_id__in=list(authorities_of(collaborator))).count() > 60 * MONTHS


def test_seeding_again_imports_nothing_new(seeded, capsys):
    events = AuditEvent.objects.filter(action="billing.import_batch").count()
    invoices = Invoice.objects.count()
    call_command("seed_demo", customers=0, json=True)
    assert AuditEvent.objects.filter(action="billing.import_batch").count() == events
    assert Invoice.objects.count() == invoices
