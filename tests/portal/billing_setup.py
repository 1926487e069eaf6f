"""Billing data for the invoice and contract pages' tests: invoices per supply point, stored PDFs, every role.

``BillingStory`` is the factories' ``Story`` (one company with a person in every portal role, and an outsider who
represents another company) plus what the billing pages need:

* the company's contract gets billing terms, and each of its two supply points four invoices (``point_invoices``);
  the factories' four invoices of the whole contract (no supply point) stay;
* a manager limited to the first supply point ("scoped_manager") and a collaborator it authorised
  ("scoped_collaborator"); a person with a login and no grant at all ("stranger").

``expected_numbers(role)`` says which invoice numbers each role sees on the company and on the other one.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts.models import Contract, Customer, Invoice, SupplyPoint
from documents.storage import documents_storage
from tests import factories as f

ROLES = (
    "representative",
    "authorised_full",
    "authorised_readonly",
    "external_manager",
    "collaborator",
    "scoped_manager",
    "scoped_collaborator",
    "outsider",
    "stranger",
)
WHOLE_CUSTOMER = ("representative", "authorised_full", "authorised_readonly", "external_manager", "collaborator")
SCOPED = ("scoped_manager", "scoped_collaborator")
MAY_CHANGE_PAYMENT_DAY = ("representative", "authorised_full")
_serial = itertools.count(1)


def add_invoices(
    contract: Contract,
    *,
    count: int,
    supply_point: SupplyPoint | None = None,
    first_issue: date = date(2026, 11, 5),
    status: str = Invoice.Status.PAID,
    total: Decimal | None = None,
) -> list[Invoice]:
    """``count`` monthly invoices of ``contract`` (newest first), with period, due date, lines and VAT that add up."""
    rows = []
    for m in range(count):
        n = next(_serial)
        months = first_issue.year * 12 + first_issue.month - 1 - m
        issued = date(months // 12, months % 12 + 1, first_issue.day)
        period_end = issued.replace(day=1) - timedelta(days=1)
        net = (total / Decimal("1.21")).quantize(Decimal("0.01")) if total is not None else Decimal(50 + n % 400)
        vat = (net * Decimal("0.21")).quantize(Decimal("0.01"))
        rows.append(
            Invoice(
                contract=contract,
                supply_point=supply_point,
                number=f"FB{n:08d}",
                period_start=period_end.replace(day=1),
                period_end=period_end,
                issued_on=issued,
                due_on=issued + timedelta(days=20),
                total=net + vat if total is None else total,
                status=status,
                lines=[
                    {"concept": "Término de energía", "amount": f"{net - Decimal('10.00'):.2f}"},
                    {"concept": "Término de potencia", "amount": "10.00"},
                ],
                vat=[{"rate": "21.00", "base": f"{net:.2f}", "amount": f"{vat:.2f}"}],
            )
        )
    return Invoice.objects.bulk_create(rows)


def store_pdfs(invoices, *, size: int = 2048) -> None:
    """Give each invoice a stored file (not a real PDF: bytes that name the invoice, padded to ``size``)."""
    storage = documents_storage()
    for invoice in invoices:
        body = f"%PDF-1.4 fake invoice {invoice.number}\n".encode()
        name = storage.save(f"invoices/test/{invoice.number}.pdf", ContentFile(body + b"%" * max(size - len(body), 0)))
        invoice.pdf_name = name
    Invoice.objects.bulk_update(invoices, ["pdf_name"])


def set_terms(contract: Contract) -> Contract:
    contract.product = "Tarifa Empresa Plana"
    contract.tariff = "3.0TD"
    contract.contracted_power_kw = {f"P{k}": f"{10 + k}.000" for k in range(1, 7)}
    contract.payment_day = 10
    contract.save()
    return contract


class BillingStory(f.Story):
    def __init__(self) -> None:
        super().__init__()
        self.contract = set_terms(self.customer.contracts.get())
        self.points = list(self.contract.supply_points.order_by("cups"))
        self.point_invoices = {
            point.pk: add_invoices(self.contract, count=4, supply_point=point) for point in self.points
        }
        other_contract = self.other_customer.contracts.get()
        other_point = other_contract.supply_points.order_by("cups").first()
        self.other_invoices = add_invoices(other_contract, count=3, supply_point=other_point)
        self.scoped_manager = f.person(login=True, name="Scoped Manager")
        self.scoped_manager_grant = f.grant(
            customer=self.customer,
            person=self.scoped_manager,
            role="external_manager",
            firm=f.firm(),
            supply_points=[self.points[0]],
        )
        self.scoped_collaborator = f.person(login=True, name="Scoped Collaborator")
        f.grant(
            customer=self.customer,
            person=self.scoped_collaborator,
            role="authorised_full",
            delegated_from=self.scoped_manager_grant,
        )
        self.stranger = f.person(login=True, name="Stran Ger")

    def people(self):
        return super().people() | {
            "scoped_manager": self.scoped_manager,
            "scoped_collaborator": self.scoped_collaborator,
            "stranger": self.stranger,
        }

    def invoices_of(self, customer: Customer) -> set[str]:
        return set(Invoice.objects.filter(contract__customer=customer).values_list("number", flat=True))

    def expected_numbers(self, role: str) -> set[str]:
        if role in WHOLE_CUSTOMER:
            return self.invoices_of(self.customer)
        if role in SCOPED:
            return {invoice.number for invoice in self.point_invoices[self.points[0].pk]}
        if role == "outsider":
            return self.invoices_of(self.other_customer)
        return set()
