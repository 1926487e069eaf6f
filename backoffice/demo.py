"""Deterministic demo data with valid identifiers, bulk-inserted so 100,000 customers are quick."""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import schwifty
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from stdnum.es import cif as es_cif
from stdnum.es import cups as es_cups
from stdnum.es import dni as es_dni

from accounts import audit
from accounts.audit import Actor
from accounts.models import Contract, Customer, Firm, Grant, Invoice, Person, SupplyPoint, User
from accounts.services import iban_fingerprint
from billing.services import import_billing

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


# -- billing: contracts and 12 months of invoices, through the billing import ---------------------------------------

FIRM_COMPANIES = 62  # the demo gestoria's workspace: dozens of companies, as a real one holds
MONTHS = 12
VAT_RATE = Decimal("21.00")
ELECTRICITY_TAX = Decimal("0.0511269632")  # Impuesto especial sobre la electricidad
_CENT = Decimal("0.01")
PRODUCTS = {
    "2.0TD": ("Tarifa Fixa Pime", "Preu Indexat Pime"),
    "3.0TD": ("Tarifa Fixa Empresa", "Tarifa 6 Períodes", "Preu Indexat Empresa"),
    "6.1TD": ("Tarifa Gran Consum",),
    "RL.1": ("Gas Pime",),
    "RL.2": ("Gas Empresa",),
    "RL.3": ("Gas Empresa Plus",),
}
# Per tariff: kW of P1 to choose from, monthly kWh range, €/kWh, €/kW and day, meter rental €/month.
ELECTRICITY = {
    "2.0TD": ((3.45, 4.6, 5.75, 6.928, 9.2), (250, 900), "0.1420", "0.1150", "0.81"),
    "3.0TD": ((15, 20, 25, 30, 40, 50), (2_000, 9_000), "0.1290", "0.0950", "1.53"),
    "6.1TD": ((100, 150, 250, 450), (30_000, 90_000), "0.1120", "0.0700", "25.40"),
}
# Per tariff: fixed term €/month, monthly kWh range, €/kWh; the hydrocarbons tax is €/kWh.
GAS = {
    "RL.1": ("4.62", (300, 1_500), "0.0810"),
    "RL.2": ("9.51", (1_500, 5_000), "0.0760"),
    "RL.3": ("21.95", (5_000, 20_000), "0.0720"),
}
HYDROCARBONS_TAX = Decimal("0.00234")
# Heating and air conditioning: winter and summer months use more.
SEASON = {1: 1.3, 2: 1.2, 3: 1.05, 4: 0.9, 5: 0.85, 6: 1.0, 7: 1.25, 8: 1.2, 9: 0.95, 10: 0.9, 11: 1.05, 12: 1.3}


@dataclass(frozen=True)
class DemoCustomer:
    """A demo customer for the billing import: its electricity contract (``points`` supply points) and, with
    ``gas``, a gas contract too."""

    index: int
    tax_id: str
    name: str
    points: int = 1
    tariff: str = "2.0TD"
    gas: bool = False
    direct_debit: bool = True
    city: tuple[str, str] = ("Barcelona", "08")


def firm_portfolio(seed: int) -> list[DemoCustomer]:
    """The companies and communities of owners the demo gestoria manages (``FIRM_COMPANIES``)."""
    rng = random.Random(seed * 104_729)
    companies = []
    for k in range(FIRM_COMPANIES):
        index = 100 + k
        if k % 4 == 3:
            street = rng.choice(STREETS[:-1])
            tax_id, name = make_cif("H", 9_300_000 + k), f"Comunitat de Propietaris {street} {2 + k}"
        else:
            tax_id, name = make_cif("B", 9_300_000 + k), f"{rng.choice(TRADES)} {rng.choice(PLACES)} S.L."
        companies.append(
            DemoCustomer(
                index,
                tax_id,
                name,
                points=1 + (k % 5 == 0) + (k % 11 == 0),
                tariff=("2.0TD", "3.0TD", "3.0TD", "6.1TD")[k % 4] if k % 4 != 3 else "2.0TD",
                gas=k % 6 == 1,
                direct_debit=k % 9 != 4,
                city=CITIES[k % len(CITIES)],
            )
        )
    return companies


def _money(value) -> Decimal:
    return Decimal(value).quantize(_CENT)


def _month_back(today: date, months: int) -> date:
    """The first day of the month ``months`` before today's."""
    serial = today.year * 12 + today.month - 1 - months
    return date(serial // 12, serial % 12 + 1, 1)


def _due(issued: date, payment_day: int | None) -> date:
    if payment_day is None:
        return issued + timedelta(days=20)
    due = issued.replace(day=payment_day)
    return due if due > issued else (issued.replace(day=28) + timedelta(days=4)).replace(day=payment_day)


def _electricity_lines(tariff: str, powers: dict, kwh: int, days: int) -> list[dict]:
    _, _, energy_price, power_price, rental = ELECTRICITY[tariff]
    energy = _money(kwh * Decimal(energy_price))
    power = _money(sum(Decimal(kw) for kw in powers.values()) / len(powers) * days * Decimal(power_price))
    return [
        {"concept": f"Término de energía ({kwh} kWh)", "amount": str(energy)},
        {"concept": f"Término de potencia ({days} días)", "amount": str(power)},
        {"concept": "Impuesto eléctrico", "amount": str(_money((energy + power) * ELECTRICITY_TAX))},
        {"concept": "Alquiler de equipos de medida", "amount": rental},
    ]


def _gas_lines(tariff: str, kwh: int) -> list[dict]:
    fixed, _, price = GAS[tariff]
    return [
        {"concept": "Término fijo", "amount": fixed},
        {"concept": f"Término variable ({kwh} kWh)", "amount": str(_money(kwh * Decimal(price)))},
        {"concept": "Impuesto sobre hidrocarburos", "amount": str(_money(kwh * HYDROCARBONS_TAX))},
        {"concept": "Alquiler de contador", "amount": "1.20"},
    ]


def demo_billing_rows(customer: DemoCustomer, *, seed: int, today: date) -> list[dict]:
    """The import records (``docs/billing-import.md``) of one demo customer: its contracts with their supply
    points, and an invoice per supply point and month for the last ``MONTHS`` months. Deterministic for a seed
    and a month."""
    rng = random.Random(seed * 1_000_003 + customer.index)
    city, province = customer.city
    days = settings.BILLING_PAYMENT_DAYS
    payment_day = days[customer.index % len(days)] if customer.direct_debit else None
    contracts = [(f"DEMO{customer.index:06d}", "electricity", customer.tariff, customer.points)]
    if customer.gas:
        contracts.append((f"DEMOG{customer.index:05d}", "gas", ("RL.1", "RL.2", "RL.3")[customer.index % 3], 1))
    rows = []
    for c, (number, energy, tariff, points) in enumerate(contracts):
        iban = make_iban(9_000_000 + customer.index * 3 + c) if customer.direct_debit else ""
        if energy == "electricity":
            choices, kwh_range, *_ = ELECTRICITY[tariff]
            p1 = Decimal(str(rng.choice(choices)))
            periods = 2 if tariff == "2.0TD" else 6
            # Spanish rules: P(n+1) >= P(n) in the six-period tariffs; 2.0TD mostly the same in P1 and P2.
            powers = {
                f"P{p}": f"{p1 * (1 + Decimal(p - 1) / 10 if periods == 6 else 1):.3f}" for p in range(1, periods + 1)
            }
        else:
            powers, kwh_range = {}, GAS[tariff][1]
        cups = [make_cups(9_000_000 + customer.index * 10 + c * 5 + k) for k in range(points)]
        rows.append(
            {
                "type": "contract",
                "number": number,
                "customer_tax_id": customer.tax_id,
                "customer_name": customer.name,
                "energy": energy,
                "product": rng.choice(PRODUCTS[tariff]),
                "tariff": tariff,
                "contracted_power_kw": powers,
                "payment_method": "direct_debit" if iban else "transfer",
                "iban": iban,
                "payment_day": payment_day,
                "started_on": str(date(2019 + customer.index % 5, 1 + customer.index % 12, 1)),
                "supply_points": [
                    {
                        "cups": code,
                        "address": f"{STREETS[(customer.index + k) % len(STREETS)]} {1 + (customer.index * 7 + k) % 180}",
                        "city": city,
                        "postcode": f"{province}{(customer.index * 13 + k) % 1000:03d}",
                    }
                    for k, code in enumerate(cups)
                ],
            }
        )
        for k, code in enumerate(cups):
            base_kwh = rng.randint(*kwh_range)
            for back in range(MONTHS, 0, -1):
                start = _month_back(today, back)
                end = _month_back(today, back - 1) - timedelta(days=1)
                issued = end + timedelta(days=3)
                kwh = int(base_kwh * SEASON[start.month] * rng.uniform(0.9, 1.1))
                lines = (
                    _electricity_lines(tariff, powers, kwh, (end - start).days + 1)
                    if energy == "electricity"
                    else _gas_lines(tariff, kwh)
                )
                base = sum(Decimal(line["amount"]) for line in lines)
                vat = _money(base * VAT_RATE / 100)
                due = _due(issued, payment_day)
                # Paid once due; one returned direct debit now and then (the bank refused it).
                status = "paid" if due < today else "pending"
                if iban and back == 2 and customer.index % 10 in (1, 3) and k == 0:
                    status = "returned"
                rows.append(
                    {
                        "type": "invoice",
                        "number": f"FD{start:%y%m}{customer.index:04d}{c}{k}",
                        "contract_number": number,
                        "cups": code,
                        "period_start": str(start),
                        "period_end": str(end),
                        "issued_on": str(issued),
                        "due_on": str(due),
                        "lines": lines,
                        "vat": [{"rate": str(VAT_RATE), "base": str(base), "amount": str(vat)}],
                        "total": str(base + vat),
                        "status": status,
                    }
                )
    return rows


def import_demo_billing(customers: list[DemoCustomer], *, today: date, seed: int = 2026, pdfs: bool = True):
    """Write the demo customers' billing records to an import file in a temporary folder and import it the way
    the billing system's files are (``billing.services.import_billing``, invoice PDFs included). Run again, it
    changes nothing. Returns the import's report; a rejected row is a bug here, so it fails loudly."""

    with tempfile.TemporaryDirectory(prefix="demo-billing-") as folder:
        path = Path(folder) / "billing.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for customer in customers:
                for row in demo_billing_rows(customer, seed=seed, today=today):
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        report = import_billing(paths=[path], actor=Actor.system("seed_demo"), pdfs=pdfs)
    if report.rejected:
        raise RuntimeError(f"demo billing rows rejected: {[str(r) for r in report.rejections[:5]]}")
    return report


@dataclass
class DemoLogin:
    role: str
    username: str
    password: str
    name: str
    customer: str | None = None
    note: str = ""


def _demo_grant(system: Actor, *, customer: Customer, person: Person, role: str, **extra) -> Grant:
    """A grant of the demo data, audited like any other."""
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
    return grant


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

    def story(self) -> None:
        system = Actor.system("seed_demo")
        self_employed_nif = make_nif(71_000_007)
        named = [
            DemoCustomer(1, make_cif("B", 9_100_001), "Demo Industrial S.L.", points=2, tariff="3.0TD", gas=True),
            DemoCustomer(2, make_cif("H", 9_100_002), "Comunitat de Propietaris Carrer Major 10", tariff="2.0TD"),
            DemoCustomer(3, make_cif("B", 9_100_003), "Construccions Registre S.L.", tariff="3.0TD"),
            DemoCustomer(4, self_employed_nif, "Elena Roca Martínez", tariff="2.0TD", direct_debit=False),
        ]
        portfolio = firm_portfolio(self.seed)
        # The named customers' invoice PDFs are made by the import; the firm's hundreds of invoices get theirs on
        # first download (``billing.services.ensure_invoice_pdf``, the same renderer), which keeps seeding quick.
        today = timezone.localdate()
        self.billing_reports = [
            import_demo_billing(named, today=today, seed=self.seed),
            import_demo_billing(portfolio, today=today, seed=self.seed, pdfs=False),
        ]
        customers = {c.tax_id: c for c in Customer.objects.filter(tax_id__in=[d.tax_id for d in named])}
        company, community, reg_company, freelancer = (customers[d.tax_id] for d in named)
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
        if not Grant.objects.filter(customer=company).exists():
            with transaction.atomic():
                for customer, person, role, extra in [
                    (company, rep, "representative", {}),
                    (company, full, "authorised_full", {}),
                    (company, readonly, "authorised_readonly", {}),
                    (company, manager, "external_manager", {"firm": firm}),
                    (community, manager, "external_manager", {"firm": firm}),
                ]:
                    _demo_grant(system, customer=customer, person=person, role=role, **extra)
                manager_grant = Grant.objects.get(customer=company, person=manager)
                _demo_grant(
                    system, customer=company, person=collaborator, role="authorised_full", delegated_from=manager_grant
                )
        self._portfolio_grants(portfolio, manager=manager, collaborator=collaborator, firm=firm, system=system)
        # Registration cases: representatives the store names who have no login yet.
        unregistered = self._person(
            make_nif(71_000_006), "Carlos García López", "carlos.garcia@example.com", login=False, language="es"
        )
        self_employed = self._person(self_employed_nif, "Elena Roca Martínez", "elena.roca@example.com", login=False)
        for customer, person in [(reg_company, unregistered), (freelancer, self_employed)]:
            if not Grant.objects.filter(customer=customer).exists():
                with transaction.atomic():
                    _demo_grant(system, customer=customer, person=person, role="representative")
        for role, person, customer, note in [
            ("representative", rep, company, ""),
            ("authorised_full", full, company, ""),
            ("authorised_readonly", readonly, company, ""),
            (
                "external_manager",
                manager,
                company,
                f"firm {firm.name}; also manages {community.name} and {len(portfolio)} more companies",
            ),
            ("collaborator", collaborator, company, f"collaborator of {manager.name}, on all of its companies"),
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
        paid = (
            Invoice.objects.filter(contract__customer=freelancer, status=Invoice.Status.PAID)
            .order_by("-issued_on")
            .first()
        )
        self.registration_cases.append(
            {
                "holder": freelancer.tax_id,
                "invoice_total": str(paid.total),
                "nif": self_employed.id_number,
                "name": self_employed.name,
            }
        )

    def _portfolio_grants(
        self, portfolio: list[DemoCustomer], *, manager: Person, collaborator: Person, firm: Firm, system: Actor
    ) -> None:
        """The firm's companies: each with its representative (no login), the demo manager as external manager and
        the demo collaborator delegated from it -- a gestoria's workspace of dozens of companies."""
        customers = Customer.objects.filter(tax_id__in=[d.tax_id for d in portfolio]).order_by("tax_id")
        if Grant.objects.filter(customer__in=customers, person=manager).exists():
            return
        rng = random.Random(self.seed * 7_919)
        with transaction.atomic():
            for k, customer in enumerate(customers):
                name = _person_name(rng)
                representative = self._person(
                    make_nif(72_000_000 + k),
                    name,
                    f"representant{k}@example.com",
                    login=False,
                    language=rng.choice(["ca", "es"]),
                )
                _demo_grant(system, customer=customer, person=representative, role="representative")
                managing = _demo_grant(system, customer=customer, person=manager, role="external_manager", firm=firm)
                _demo_grant(
                    system, customer=customer, person=collaborator, role="authorised_full", delegated_from=managing
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
                        product=PRODUCTS["2.0TD" if k == 0 else "RL.1"][0],
                        tariff="2.0TD" if k == 0 else "RL.1",
                        contracted_power_kw={"P1": "5.750", "P2": "5.750"} if k == 0 else {},
                        payment_day=settings.BILLING_PAYMENT_DAYS[i % len(settings.BILLING_PAYMENT_DAYS)]
                        if direct_debit
                        else None,
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
            first_point = points[-1 - serial % 2]  # the contract's first supply point
            for m in range(3):
                issued = date(2026, 9 - 2 * m, 15)
                base = Decimal(rng.randint(3300, 206000)) / 100
                vat = _money(base * VAT_RATE / 100)
                invoices.append(
                    Invoice(
                        contract=contract,
                        supply_point=first_point,
                        number=f"F{serial:09d}{m}",
                        period_start=date(2026, 8 - 2 * m, 1),
                        period_end=date(2026, 9 - 2 * m, 1) - timedelta(days=1),
                        issued_on=issued,
                        due_on=issued + timedelta(days=10),
                        total=base + vat,
                        status=Invoice.Status.PAID,
                        lines=[{"concept": "Término de energía", "amount": f"{base:.2f}"}],
                        vat=[{"rate": str(VAT_RATE), "base": f"{base:.2f}", "amount": f"{vat:.2f}"}],
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
