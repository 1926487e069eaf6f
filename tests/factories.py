"""Builders for test data with valid identifiers. Plain functions: each returns saved rows."""

from __future__ import annotations

import itertools
import time
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.audit import Actor
from accounts.models import Contract, Customer, Firm, Grant, Invoice, Person, SupplyPoint, User
from accounts.services import iban_fingerprint
from backoffice.demo import make_cif, make_cups, make_iban, make_nif

PASSWORD = "Prova-2026!segura"
_counter = itertools.count(1)
_password_hash = None


def _next() -> int:
    return next(_counter)


def password_hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = make_password(PASSWORD)
    return _password_hash


def customer(
    *,
    name: str | None = None,
    kind: str = "company",
    direct_debit: bool = True,
    supply_points: int = 2,
    invoices: tuple = ("120.50", "98.10", "143.00", "77.77"),
) -> Customer:
    """A customer with one contract, some supply points and paid invoices (newest first)."""
    n = _next()
    row = Customer.objects.create(
        kind=kind, tax_id=make_cif("B", 5_000_000 + n), name=name or f"Empresa Prova {n} S.L."
    )
    iban = make_iban(7_000_000 + n)
    contract = Contract.objects.create(
        customer=row,
        number=f"T{n:08d}",
        energy="electricity",
        started_on=date(2022, 1, 1),
        iban_last4=iban[-4:] if direct_debit else "",
        iban_fingerprint=iban_fingerprint(iban) if direct_debit else "",
        product="Tarifa Empresa Fixa",
        tariff="2.0TD",
        contracted_power_kw={"P1": "9.900", "P2": "9.900"},
        payment_day=5 if direct_debit else None,
    )
    for k in range(supply_points):
        SupplyPoint.objects.create(
            contract=contract,
            cups=make_cups(50_000_000 + n * 100 + k),
            address=f"Carrer Prova {k}",
            city="Girona",
            postcode="17001",
        )
    for m, total in enumerate(invoices):
        Invoice.objects.create(
            contract=contract,
            number=f"TF{n:06d}{m:02d}",
            issued_on=date(2026, 10 - m, 1),
            total=Decimal(total),
            status=Invoice.Status.PAID,
        )
    return row


def person(
    *,
    name: str | None = None,
    login: bool = False,
    email: str | None = None,
    language: str = "ca",
    id_number: str | None = None,
) -> Person:
    n = _next()
    row = Person.objects.create(
        id_type="nif",
        id_number=id_number or make_nif(40_000_000 + n),
        name=name or f"Persona Prova {n}",
        email=email or f"persona{n}@example.com",
        phone="600111222",
        language=language,
    )
    if login:  # as after a registration with the holder's proof
        row.user = User.objects.create(username=row.id_number, password=password_hash())
        row.email_confirmed_at, row.identity_basis = timezone.now(), Person.IdentityBasis.REGISTRATION
        row.save(update_fields=["user", "email_confirmed_at", "identity_basis"])
    return row


def firm() -> Firm:
    n = _next()
    return Firm.objects.create(cif=make_cif("B", 6_000_000 + n), name=f"Gestoria Prova {n} S.L.", kind="energy_manager")


def grant(
    *,
    customer: Customer,
    person: Person,
    role: str,
    firm: Firm | None = None,
    delegated_from: Grant | None = None,
    supply_points: list[SupplyPoint] | None = None,
) -> Grant:
    """A grant; ``supply_points`` (even empty) limits an external manager to those supply points."""
    row = Grant.objects.create(
        customer=customer,
        person=person,
        role=role,
        firm=firm,
        delegated_from=delegated_from,
        scope_limited=supply_points is not None,
    )
    if supply_points:
        row.supply_points.set(supply_points)
    return row


def staff_user(username: str = "staff") -> User:
    return User.objects.create(username=f"{username}{_next()}", password=password_hash(), is_staff=True)


def totp_device(user: User):
    """The user's confirmed TOTP device (made if none), as after an enrolment."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )


def totp_code(device, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for ``device`` (read afresh). If this window's code was used
    already, the next window's, which the device also accepts (``tolerance`` 1), so a second login within
    30 seconds works."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def actor() -> Actor:
    return Actor.system("test")


class Story:
    """One company with a person in every portal role, all with logins."""

    def __init__(self) -> None:
        self.customer = customer()
        self.representative = person(login=True, name="Rep Resentant")
        self.full = person(login=True, name="Full Access")
        self.readonly = person(login=True, name="Read Only")
        self.manager = person(login=True, name="Manager Extern")
        self.collaborator = person(login=True, name="Colla Borator")
        self.outsider = person(login=True, name="Out Sider")
        self.firm = firm()
        self.rep_grant = grant(customer=self.customer, person=self.representative, role="representative")
        self.full_grant = grant(customer=self.customer, person=self.full, role="authorised_full")
        self.readonly_grant = grant(customer=self.customer, person=self.readonly, role="authorised_readonly")
        self.manager_grant = grant(customer=self.customer, person=self.manager, role="external_manager", firm=self.firm)
        self.collaborator_grant = grant(
            customer=self.customer, person=self.collaborator, role="authorised_full", delegated_from=self.manager_grant
        )
        # The outsider represents another company: every action on ours must be refused.
        self.other_customer = customer()
        self.other_grant = grant(customer=self.other_customer, person=self.outsider, role="representative")

    def people(self) -> dict[str, Person]:
        return {
            "representative": self.representative,
            "authorised_full": self.full,
            "authorised_readonly": self.readonly,
            "external_manager": self.manager,
            "collaborator": self.collaborator,
            "outsider": self.outsider,
        }
