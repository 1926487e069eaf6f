"""Deterministic demo data with valid identifiers, bulk-inserted so 100,000 customers are quick."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import schwifty
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from stdnum.es import cif as es_cif
from stdnum.es import cups as es_cups
from stdnum.es import dni as es_dni

from . import audit
from .audit import Actor
from .models import Contract, Customer, Firm, Grant, Invoice, Person, SupplyPoint, User
from .services import iban_fingerprint

DEMO_PASSWORD = "Demo-2026!energia"
STAFF_GROUPS = ("callcenter_agents", "verifiers", "supervisors")
FIRST_NAMES = [
    "Marta",
    "Jordi",
    "Laia",
    "Pau",
    "Núria",
    "Carlos",
    "Lucía",
    "Javier",
    "Montserrat",
    "Àlex",
    "Elena",
    "Sergi",
    "Carmen",
    "Joan",
    "Ana",
    "Miguel",
]
SURNAMES = [
    "Puig",
    "García",
    "Martínez",
    "Ferrer",
    "Soler",
    "López",
    "Vidal",
    "Sánchez",
    "Roca",
    "Fernández",
    "Font",
    "Pérez",
    "Serra",
    "Romero",
    "Camps",
    "Navarro",
]
TRADES = [
    "Forns",
    "Tallers",
    "Construccions",
    "Transports",
    "Hotel",
    "Gràfiques",
    "Distribucions",
    "Serveis",
    "Fusteria",
    "Clínica",
    "Logística",
    "Alimentació",
]
PLACES = [
    "del Vallès",
    "Mediterrani",
    "Pirineu",
    "Barcelona",
    "Girona",
    "Tarragona",
    "Lleida",
    "Maresme",
    "Penedès",
    "Empordà",
    "Garraf",
    "Osona",
]
CITIES = [
    ("Barcelona", "08"),
    ("Girona", "17"),
    ("Tarragona", "43"),
    ("Lleida", "25"),
    ("Sabadell", "08"),
    ("Reus", "43"),
    ("Manresa", "08"),
    ("Vic", "08"),
]
STREETS = [
    "Carrer Major",
    "Avinguda Diagonal",
    "Carrer de la Indústria",
    "Passeig de Gràcia",
    "Rambla Nova",
    "Carrer del Mar",
    "Polígon Can Roca, nau",
]


def make_nif(number: int) -> str:
    digits = f"{number % 100_000_000:08d}"
    return digits + es_dni.calc_check_digit(digits)


def make_cif(letter: str, number: int) -> str:
    body = f"{letter}{number % 10_000_000:07d}"
    return body + es_cif.calc_check_digits(body)[0]


def make_cups(number: int) -> str:
    body = f"ES0031{number % 10**12:012d}"
    return body + es_cups.calc_check_digits(body)


def make_iban(number: int) -> str:
    return str(
        schwifty.IBAN.generate("ES", bank_code=f"2100{number % 10000:04d}", account_code=f"{number % 10**10:010d}")
    )


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str
    name: str
    customer: str | None = None
    note: str = ""


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


class DemoBuilder:
    """Builds the demo story (named logins) plus ``n`` generated customers."""

    def __init__(self, *, customers: int, seed: int) -> None:
        self.n = customers
        self.rng = random.Random(seed)
        self.seed = seed
        self.password_hash = make_password(DEMO_PASSWORD)
        self.logins: list[DemoLogin] = []
        self.registration_cases: list[dict] = []

    # -- the named story ----------------------------------------------------------------
    def _user(self, username: str, *, staff: bool = False) -> User:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"password": self.password_hash, "is_staff": staff}
        )
        return user

    def _person(self, nif: str, name: str, email: str, *, login: bool, language: str = "ca") -> Person:
        person, _ = Person.objects.get_or_create(
            id_number=nif,
            defaults={"id_type": "nif", "name": name, "email": email, "phone": "600000000", "language": language},
        )
        if login and person.user_id is None:
            # Demo logins stand for people who registered with the holder's proof and confirmed their address.
            person.user = self._user(nif)
            person.email_confirmed_at, person.identity_basis = timezone.now(), Person.IdentityBasis.REGISTRATION
            person.save(update_fields=["user", "email_confirmed_at", "identity_basis"])
        return person

    def _customer(self, tax_id: str, name: str, kind: str, *, index: int, direct_debit: bool = True) -> Customer:
        customer, created = Customer.objects.get_or_create(tax_id=tax_id, defaults={"name": name, "kind": kind})
        if created:
            iban = make_iban(9_000_000 + index)
            contract = Contract.objects.create(
                customer=customer,
                number=f"DEMO{index:06d}",
                energy="electricity",
                started_on=date(2021, 1, 1),
                iban_last4=iban[-4:] if direct_debit else "",
                iban_fingerprint=iban_fingerprint(iban) if direct_debit else "",
            )
            for k in range(2):
                SupplyPoint.objects.create(
                    contract=contract,
                    cups=make_cups(9_000_000 + index * 10 + k),
                    address=f"{STREETS[k]} {10 + index}",
                    city="Barcelona",
                    postcode="08001",
                )
            for m in range(4):
                Invoice.objects.create(
                    contract=contract,
                    number=f"FDEMO{index:04d}{m:02d}",
                    issued_on=date(2026, 10 - m, 1),
                    total=Decimal(f"{100 + index * 7 + m * 13}.{(index + m) % 100:02d}"),
                    paid=m < 3 or not direct_debit,
                )
        return customer

    def story(self) -> None:
        system = Actor.system("seed_demo")
        company = self._customer(make_cif("B", 9_100_001), "Demo Industrial S.L.", "company", index=1)
        rep = self._person(make_nif(71_000_001), "Marta Puig Soler", "marta.puig@example.com", login=True)
        full = self._person(
            make_nif(71_000_002), "Jordi Vidal Roca", "jordi.vidal@example.com", login=True, language="es"
        )
        readonly = self._person(
            make_nif(71_000_003), "Laia Font Serra", "laia.font@example.com", login=True, language="en"
        )
        manager = self._person(
            make_nif(71_000_004), "Pau Ferrer Camps", "pau.ferrer@gestioenergia.example.com", login=True
        )
        collaborator = self._person(
            make_nif(71_000_005), "Núria Soler Vidal", "nuria.soler@gestioenergia.example.com", login=True
        )
        firm, _ = Firm.objects.get_or_create(
            cif=make_cif("B", 9_200_001), defaults={"name": "Gestió Energètica Demo S.L.", "kind": "energy_manager"}
        )
        community = self._customer(
            make_cif("H", 9_100_002), "Comunitat de Propietaris Carrer Major 10", "community", index=2
        )
        if not Grant.objects.filter(customer=company).exists():
            with transaction.atomic():
                for customer, person, role, extra in [
                    (company, rep, "representative", {}),
                    (company, full, "authorised_full", {}),
                    (company, readonly, "authorised_readonly", {}),
                    (company, manager, "external_manager", {"firm": firm}),
                    (community, manager, "external_manager", {"firm": firm}),
                ]:
                    grant = Grant.objects.create(customer=customer, person=person, role=role, **extra)
                    audit.record(
                        actor=system,
                        action="grant.create",
                        target=grant,
                        customer=customer,
                        before=None,
                        after=grant.snapshot(),
                        reason="demo data",
                    )
                manager_grant = Grant.objects.get(customer=company, person=manager)
                collab = Grant.objects.create(
                    customer=company, person=collaborator, role="authorised_full", delegated_from=manager_grant
                )
                audit.record(
                    actor=system,
                    action="grant.create",
                    target=collab,
                    customer=company,
                    before=None,
                    after=collab.snapshot(),
                    reason="demo data",
                )
        # Registration cases: representatives the store names who have no login yet.
        unregistered = self._person(
            make_nif(71_000_006), "Carlos García López", "carlos.garcia@example.com", login=False, language="es"
        )
        reg_company = self._customer(make_cif("B", 9_100_003), "Construccions Registre S.L.", "company", index=3)
        self_employed_nif = make_nif(71_000_007)
        self_employed = self._person(self_employed_nif, "Elena Roca Martínez", "elena.roca@example.com", login=False)
        freelancer = self._customer(
            self_employed_nif, "Elena Roca Martínez", "self_employed", index=4, direct_debit=False
        )
        for customer, person in [(reg_company, unregistered), (freelancer, self_employed)]:
            if not Grant.objects.filter(customer=customer).exists():
                with transaction.atomic():
                    grant = Grant.objects.create(customer=customer, person=person, role="representative")
                    audit.record(
                        actor=system,
                        action="grant.create",
                        target=grant,
                        customer=customer,
                        before=None,
                        after=grant.snapshot(),
                        reason="demo data",
                    )
        for role, person, customer, note in [
            ("representative", rep, company, ""),
            ("authorised_full", full, company, ""),
            ("authorised_readonly", readonly, company, ""),
            ("external_manager", manager, company, f"firm {firm.name}; also manages {community.name}"),
            ("collaborator", collaborator, company, f"collaborator of {manager.name}"),
        ]:
            self.logins.append(
                DemoLogin(
                    role=role,
                    username=person.id_number,
                    password=DEMO_PASSWORD,
                    name=person.name,
                    customer=customer.tax_id,
                    note=note,
                )
            )
        groups = {name: Group.objects.get_or_create(name=name)[0] for name in STAFF_GROUPS}
        for username, group, role, name in [
            ("agent", "callcenter_agents", "callcenter_agent", "Call-center agent"),
            ("verifier", "verifiers", "verifier", "Verification staff"),
            ("verifier2", "verifiers", "verifier", "Verification staff"),
            ("supervisor", "supervisors", "supervisor", "Supervisor"),
        ]:
            user = self._user(username, staff=True)
            user.groups.add(groups[group])
            self.logins.append(
                DemoLogin(role=role, username=username, password=DEMO_PASSWORD, name=name, note="staff site")
            )
        contract = reg_company.contracts.first()
        self.registration_cases.append(
            {
                "holder": reg_company.tax_id,
                "bank_last4": contract.iban_last4,
                "nif": unregistered.id_number,
                "name": unregistered.name,
            }
        )
        paid = Invoice.objects.filter(contract__customer=freelancer, paid=True).order_by("-issued_on").first()
        self.registration_cases.append(
            {
                "holder": freelancer.tax_id,
                "invoice_total": str(paid.total),
                "nif": self_employed.id_number,
                "name": self_employed.name,
            }
        )

    # -- the generated bulk -------------------------------------------------------------
    def bulk(self, batch: int = 5000) -> int:
        """Add ``n`` generated customers (beyond those already generated). Returns how many were added."""
        existing = Customer.objects.filter(tax_id__startswith="B0").count()
        made = 0
        for offset in range(existing, self.n, batch):
            size = min(batch, self.n - offset)
            with transaction.atomic():
                self._bulk_batch(offset, size)
            made += size
        return made

    def _bulk_batch(self, offset: int, size: int) -> None:
        """One batch of generated customers, each with a representative, contracts, supply points and invoices."""
        rng = random.Random(self.seed * 1_000_003 + offset)
        customers = [
            Customer(
                kind="company", tax_id=make_cif("B", i), name=f"{rng.choice(TRADES)} {rng.choice(PLACES)} {i} S.L."
            )
            for i in range(offset, offset + size)
        ]
        Customer.objects.bulk_create(customers, batch_size=2000)
        persons = [
            Person(
                id_type="nif",
                id_number=make_nif(10_000_000 + i),
                name=_person_name(rng),
                email=f"rep{i}@example.com",
                phone=f"6{i % 100_000_000:08d}",
                language=rng.choice(["ca", "es", "en"]),
            )
            for i in range(offset, offset + size)
        ]
        Person.objects.bulk_create(persons, batch_size=2000)
        Grant.objects.bulk_create(
            [Grant(customer=c, person=p, role="representative") for c, p in zip(customers, persons)], batch_size=2000
        )
        contracts = []
        for customer, i in zip(customers, range(offset, offset + size)):
            for k in range(1 + (i % 2)):
                direct_debit = (i + k) % 5 != 0
                iban = make_iban(i * 2 + k) if direct_debit else ""
                contracts.append(
                    Contract(
                        customer=customer,
                        number=f"C{i:08d}{k}",
                        energy="electricity" if k == 0 else "gas",
                        started_on=date(2018, 1, 1) + timedelta(days=i % 2000),
                        iban_last4=iban[-4:],
                        iban_fingerprint=iban_fingerprint(iban) if iban else "",
                    )
                )
        Contract.objects.bulk_create(contracts, batch_size=2000)
        points, invoices = [], []
        for contract in contracts:
            serial = int(contract.number[1:])
            city, province = CITIES[serial % len(CITIES)]
            for k in range(1 + serial % 2):
                points.append(
                    SupplyPoint(
                        contract=contract,
                        cups=make_cups(serial * 2 + k),
                        address=f"{STREETS[(serial + k) % len(STREETS)]} {1 + serial % 200}",
                        city=city,
                        postcode=f"{province}{serial % 1000:03d}",
                    )
                )
            for m in range(3):
                invoices.append(
                    Invoice(
                        contract=contract,
                        number=f"F{serial:09d}{m}",
                        issued_on=date(2026, 9 - 2 * m, 15),
                        total=Decimal(rng.randint(4000, 250000)) / 100,
                        paid=True,
                    )
                )
        SupplyPoint.objects.bulk_create(points, batch_size=2000)
        Invoice.objects.bulk_create(invoices, batch_size=2000)
        audit.record(
            actor=Actor.system("seed_demo"),
            action="seed.bulk",
            target=customers[0],
            customer=None,
            before=None,
            after={"customers": size, "first": customers[0].tax_id, "last": customers[-1].tax_id},
            reason="demo data",
        )
