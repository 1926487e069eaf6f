#!/usr/bin/env python
"""Latency of the API's list endpoints (supply points, invoices) for a firm's person managing 500 companies among
many customers, against a bare DRF view on the same server.

Seeds its own PostgreSQL database (DATABASE_URL, never SQLite) with bulk_create when it holds fewer generated
customers than asked: each with a contract, a supply point and two invoices; the firm's person holds an external
manager grant on 500 of them and a read token. Then, in-process with Django's test client (production settings,
every middleware, the token's authentication and the rate-limit row per call), W warm-up and N timed calls per
URL, interleaved; prints median, p95, max, SQL queries per call and the ratio of each p95 to the bare view's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api .venv/bin/python benchmarks/api_bench.py --customers 100000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks.common import Timings, check_database_url, ensure_database, manage, production_env  # noqa: E402

MARK = "BA"  # the tax ids of the generated customers start with it
FIRM_COMPANIES = 500
TARGET_P95_MS = 50.0
BATCH = 5000


@dataclass
class Target(Timings):
    name: str
    path: str
    queries: int = 0
    samples_ms: list[float] = field(default_factory=list)


def seed(customers: int) -> None:
    from datetime import date
    from decimal import Decimal

    from django.db import connection

    from accounts.models import Contract, Customer, Firm, Grant, Invoice, Person, SupplyPoint, User

    present = Customer.objects.filter(tax_id__startswith=MARK).count()
    if present >= customers:
        print(f"Seeding skipped: {present} generated customers present.")
        return
    started = time.perf_counter()
    for start in range(present, customers, BATCH):
        ids = range(start, min(start + BATCH, customers))
        rows = Customer.objects.bulk_create(
            Customer(kind="company", tax_id=f"{MARK}{n:07d}", name=f"Empresa {n:06d} S.L.") for n in ids
        )
        contracts = Contract.objects.bulk_create(
            Contract(customer=c, number=f"BC{n:08d}", energy="electricity", started_on=date(2022, 1, 1))
            for n, c in zip(ids, rows, strict=True)
        )
        points = SupplyPoint.objects.bulk_create(
            SupplyPoint(contract=k, cups=f"ES00BENCH{n:011d}", address="Carrer 1", city="Girona", postcode="17001")
            for n, k in zip(ids, contracts, strict=True)
        )
        Invoice.objects.bulk_create(
            Invoice(
                contract=p.contract,
                supply_point=p,
                number=f"BI{n:08d}{m}",
                issued_on=date(2026, 9 - m, 1),
                total=Decimal("99.90"),
                status="paid",
            )
            for n, p in zip(ids, points, strict=True)
            for m in range(2)
        )
    user = User.objects.create(username="BENCHAPI1")
    person = Person.objects.create(id_type="nif", id_number="BENCHAPI1", name="Gestor Bench", user=user)
    firm = Firm.objects.create(cif="BBENCH001", name="Gestoria Bench", kind="gestoria")
    step = max(1, customers // FIRM_COMPANIES)
    managed = Customer.objects.filter(tax_id__startswith=MARK).order_by("pk")[::step][:FIRM_COMPANIES]
    Grant.objects.bulk_create(Grant(customer=c, person=person, role="external_manager", firm=firm) for c in managed)
    with connection.cursor() as cursor:  # what autovacuum does soon after a load: the planner needs the statistics
        cursor.execute("ANALYZE")
    print(f"SEEDING TIME: {time.perf_counter() - started:.1f} s for {customers - present} customers (bulk_create).")


def bare_urlpatterns():
    from django.urls import include, path
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Bare(APIView):
        """No authentication, no query: the cost of the middleware stack and DRF."""

        authentication_classes, permission_classes, throttle_classes = [], [AllowAny], []

        def get(self, request):
            return Response({"ok": True})

    return [path("bare/", Bare.as_view()), path("", include("backoffice.urls"))]


urlpatterns: list = []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()
    url = check_database_url("postgres://postgres@127.0.0.1:5432/bench_api")
    ensure_database(url)
    env = production_env(url, "backoffice.settings", DJANGO_ALLOWED_HOSTS="testserver", API_RATE_READ="1000000/min")
    os.environ.update(env)
    seconds, _ = manage(env, "migrate", "--noinput", "-v", "0")
    print(f"Migrated in {seconds:.1f} s.")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from accounts.audit import Actor
    from accounts.models import Customer, Person
    from api.services import create_token

    seed(args.customers)
    urlpatterns[:] = bare_urlpatterns()
    person = Person.objects.get(id_number="BENCHAPI1")
    _token, secret = create_token(
        person=person,
        name="bench",
        scope="read",
        expires_at=timezone.now() + timedelta(days=1),
        actor=Actor.system("benchmark"),
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    targets = [
        Target("bare DRF view", "/bare/"),
        Target("supply points", "/api/v1/supply-points/"),
        Target("invoices", "/api/v1/invoices/"),
        Target("invoices ?status=paid&issued_from", "/api/v1/invoices/?status=paid&issued_from=2026-08-01"),
    ]
    print(f"Data: {Customer.objects.count()} customers; the firm's person manages {person.grants.count()}.")
    with override_settings(ROOT_URLCONF=__name__):
        for target in targets:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(target.path)
            assert response.status_code == 200, (target.path, response.status_code, response.content[:200])
            target.queries = len(captured.captured_queries)
        for i in range(args.warmup + args.requests):
            for target in targets:
                started = time.perf_counter()
                client.get(target.path)
                if i >= args.warmup:
                    target.samples_ms.append((time.perf_counter() - started) * 1000)
    bare = targets[0].percentile(95)
    print(f"\n{args.requests} timed calls per URL after {args.warmup} warm-up, in-process test client, DEBUG=false")
    print(f"{'endpoint':<36} {'SQL':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'p95 / bare':>11}")
    for t in targets:
        p95 = t.percentile(95)
        print(
            f"{t.name:<36} {t.queries:>4} {t.median:>10.2f} {p95:>8.2f} {max(t.samples_ms):>8.2f} {p95 / bare:>11.1f}"
        )
    worst = max(t.percentile(95) for t in targets[1:])
    print(
        f"\nTarget p95 <= {TARGET_P95_MS:.0f} ms: {'MET' if worst <= TARGET_P95_MS else 'NOT MET'} (worst {worst:.2f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
