#!/usr/bin/env python
"""Latency of the call-center one-box search (``callcenter.selectors.search``) at scale, per kind of key.

What it does, in order:

1. Uses the PostgreSQL database named by DATABASE_URL (never SQLite), creating it
   if it does not exist, migrates it and seeds it with ``manage.py seed_demo
   --customers N`` unless it already holds N generated customers (seed_demo runs
   ANALYZE after a load). The seeding time is printed.
2. Creates a few change-of-representative requests (``RC-...`` references) if the
   database has none, with Celery eager and the locmem e-mail backend, so no
   broker or mail server is needed.
3. Picks real keys of every kind with a fixed seed (``--seed``): a person's NIF
   with active grants, a self-employed customer's NIF (its tax id), a company
   CIF, a CUPS, a phone (written +34 6xx xxx xxx), an e-mail in mixed case, an
   invoice number and a request reference; plus malformed keys (a NIF with a
   wrong check letter, a CIF with a wrong check digit, garbage), which must be
   refused without touching the database. Each key is checked once: the kind
   ``classify`` gives, and that the expected customer is among the cards.
4. Counts the SQL queries of one search per key (CaptureQueriesContext).
5. In-process, one call at a time, the keys interleaved round-robin with a bare
   ORM query (``Customer.objects.filter(pk=1).exists()``) as baseline: W warm-up
   then R timed calls each. Prints median, p95, max (ms), queries per search,
   the ratio to the baseline's median, and the check "p95 <= 200 ms".
6. Prints EXPLAIN (ANALYZE, BUFFERS) of the main lookup query (the one that turns
   the key into customer ids) of the kind with the highest p95 (``--explain-all``:
   of every kind).

Exits 1 if any kind's p95 is above the target, 2 on a set-up error, 0 otherwise.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal \\
        .venv/bin/python benchmarks/callcenter_search_bench.py --customers 100000
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench_portal"
SETTINGS_MODULE = "benchmarks.bench_settings"
TARGET_P95_MS = 200.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "The database comes from the DATABASE_URL environment variable and must be PostgreSQL, e.g.\n"
            f"  DATABASE_URL={DEFAULT_DATABASE_URL} .venv/bin/python benchmarks/callcenter_search_bench.py\n"
            "The database is created if missing, migrated and seeded (seeding 100,000 customers takes minutes,\n"
            "and is skipped on later runs). The benchmark adds a few change-of-representative requests when\n"
            "there are none; never point it at a database you care about."
        ),
    )
    parser.add_argument("--customers", type=int, default=100_000, help="generated customers to seed (default 100000)")
    parser.add_argument("--runs", type=int, default=200, help="timed searches per kind of key (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed warm-up searches per kind (default 20)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed for picking the keys (default 2026)")
    parser.add_argument("--requests", type=int, default=3, help="requests to create when the database has none (default 3)")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL each search runs, with its in-process time")
    parser.add_argument("--explain-all", action="store_true", help="EXPLAIN ANALYZE the lookup query of every kind, not only the slowest")
    return parser.parse_args()


def fail(message: str, code: int = 2) -> None:
    print(f"callcenter_search_bench: {message}", file=sys.stderr)
    sys.exit(code)


def check_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fail(f"DATABASE_URL is not set. This benchmark needs PostgreSQL, e.g.\n  DATABASE_URL={DEFAULT_DATABASE_URL}")
    scheme = urlsplit(url).scheme.lower()
    if scheme.startswith("sqlite"):
        fail("refusing to run on SQLite: the figures would say nothing about production. "
             f"Point DATABASE_URL at PostgreSQL, e.g. {DEFAULT_DATABASE_URL}")
    if scheme not in {"postgres", "postgresql", "pgsql", "postgis"}:
        fail(f"DATABASE_URL must be a PostgreSQL URL, not {scheme}://")
    name = urlsplit(url).path.lstrip("/")
    if name == "test" or name.startswith("test_"):
        fail(f"refusing to seed and write requests into {name!r}, the test suite's database; use e.g. bench_portal")
    return url


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` when the server does not have it yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        psycopg.connect(url, connect_timeout=5).close()
        return
    except psycopg.OperationalError as error:
        if "does not exist" not in str(error):
            fail(f"cannot connect to {parts.hostname}:{parts.port or 5432}: {error}")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"Created database {name}.")


def bench_env(url: str) -> dict[str, str]:
    """Production-like settings (DEBUG off: no query log unless captured), no mail server, no broker needed."""
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def manage(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


# -- the keys ------------------------------------------------------------------------------


@dataclass
class Key:
    kind: str                 # label in the table
    query: str                # what the agent types
    expect_kind: str | None   # what classify() must say; None: must be refused (SearchError)
    expect_customer: int | None = None
    note: str = ""
    queries: int = -1
    sql: list[dict] = field(default_factory=list)
    samples_ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    def percentile(self, pct: float) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def nth(queryset, rng: random.Random):
    """A row of ``queryset`` (ordered by pk) at a seeded random offset, or None if empty."""
    count = queryset.count()
    if not count:
        return None
    return queryset.order_by("pk")[rng.randrange(count)]


def mixed_case(text: str, rng: random.Random) -> str:
    out = "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in text)
    return out if out != text.lower() else out[0].upper() + out[1:]  # at least one capital


def ensure_requests(count: int, rng: random.Random) -> None:
    """Create ``count`` change-of-representative requests on generated customers if there are none at all."""
    from django.test.utils import override_settings

    from accounts.audit import Actor
    from accounts.models import Customer
    from backoffice.celery import app
    from workflows import services
    from workflows.models import RepresentativeChangeProcess

    if RepresentativeChangeProcess.objects.exists():
        return
    generated = Customer.objects.filter(tax_id__startswith="B0")
    eager_before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    made = []
    try:
        with override_settings(CELERY_TASK_ALWAYS_EAGER=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            while len(made) < count:
                customer = nth(generated, rng)
                if customer is None:
                    fail("no generated customers to open requests on")
                if RepresentativeChangeProcess.objects.filter(customer=customer, is_open=True).exists():
                    continue
                process = services.start_representative_change(
                    customer=customer, new_id_number="12345678Z", new_name="Marta Puig Soler", new_email="m@example.com",
                    outgoing="authorised_full", contact_email="c@example.com", language="ca", requested_by=None,
                    actor=Actor.system("bench"), channel="portal",
                )
                made.append(process.reference)
    finally:
        app.conf.task_always_eager = eager_before
    print(f"Created {len(made)} change-of-representative requests: {', '.join(made)}.")


def pick_keys(seed: int) -> list[Key]:
    from accounts.models import Customer, Grant, Invoice, Person, SupplyPoint
    from workflows.models import RepresentativeChangeProcess

    rng = random.Random(seed)
    keys: list[Key] = []
    active = Grant.objects.filter(revoked_at__isnull=True)

    grant = nth(active.filter(customer__tax_id__startswith="B0").select_related("person"), rng)
    if grant is None:
        fail("no active grant on a generated customer; seed first")
    nif = grant.person.id_number
    keys.append(Key("person NIF", nif, "person", grant.customer_id,
                    f"{active.filter(person=grant.person).count()} active grant(s)"))

    freelancer = nth(Customer.objects.filter(kind=Customer.Kind.SELF_EMPLOYED), rng)
    if freelancer is not None:
        keys.append(Key("self-employed NIF", freelancer.tax_id, "person", freelancer.pk, "the customer's own tax id"))
    else:
        print("No self-employed customer in the database: that kind is skipped.")

    company = nth(Customer.objects.filter(kind=Customer.Kind.COMPANY, tax_id__startswith="B0"), rng)
    keys.append(Key("company CIF", company.tax_id, "cif", company.pk))

    point = nth(SupplyPoint.objects.select_related("contract"), rng)
    keys.append(Key("CUPS", point.cups, "cups", point.contract.customer_id))

    # Generated phones are unique; the demo story's people share 600000000, so pick among the generated.
    grant = nth(active.filter(person__id_number__startswith="1", customer__tax_id__startswith="B0").exclude(person__phone="")
                .select_related("person"), rng)
    phone = grant.person.phone
    keys.append(Key("phone", f"+34 {phone[:3]} {phone[3:6]} {phone[6:]}", "phone", grant.customer_id,
                    f"{Person.objects.filter(phone=phone).count()} person(s) with it"))

    grant = nth(active.exclude(person__email="").select_related("person"), rng)
    keys.append(Key("e-mail", mixed_case(grant.person.email, rng), "email", grant.customer_id, f"stored as {grant.person.email}"))

    invoice = nth(Invoice.objects.select_related("contract"), rng)
    keys.append(Key("invoice", invoice.number, "invoice", invoice.contract.customer_id))

    process = nth(RepresentativeChangeProcess.objects.all(), rng)
    keys.append(Key("reference", process.reference.lower(), "reference", process.customer_id, "typed in lower case"))

    # Malformed: a wrong NIF check letter, a wrong CIF check digit, garbage.
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    wrong = next(c for c in letters[rng.randrange(len(letters)):] + letters if c != nif[-1])
    keys.append(Key("bad NIF letter", nif[:-1] + wrong, None, note=f"{nif} with {wrong}"))
    cif = company.tax_id
    bad_cif = cif[:-1] + (str((int(cif[-1]) + 1) % 10) if cif[-1].isdigit() else "0")
    keys.append(Key("bad CIF digit", bad_cif, None, note=f"{cif} with {bad_cif[-1]}"))
    keys.append(Key("garbage", "hola, em dic ???", None))
    return keys


def check_keys(keys: list[Key]) -> None:
    """Each key once: the kind classify() gives and that the expected customer is found; count its SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from callcenter.selectors import SearchError, search

    for key in keys:
        with CaptureQueriesContext(connection) as ctx:
            try:
                kind, found = search(key.query)
            except SearchError as error:
                if key.expect_kind is not None:
                    fail(f"{key.kind} {key.query!r} was refused: {error.message}")
                key.note = (key.note + "; " if key.note else "") + f"refused: {error.message}"
                kind, found = None, []
        if key.expect_kind is not None:
            if kind != key.expect_kind:
                fail(f"{key.kind} {key.query!r} classified as {kind!r}, not {key.expect_kind!r}")
            if key.expect_customer not in {card.customer.pk for card in found}:
                fail(f"{key.kind} {key.query!r} did not find customer {key.expect_customer}")
            key.note = (key.note + "; " if key.note else "") + f"{len(found)} card(s)"
        elif kind is not None:
            # Not refused: say what classify() took it for, and what the lookup found.
            key.note = (key.note + "; " if key.note else "") + f"NOT refused: classified as {kind!r}, {len(found)} card(s)"
        key.queries = len(ctx.captured_queries)
        key.sql = list(ctx.captured_queries)


# -- what is measured ----------------------------------------------------------------------


def measure(keys: list[Key], baseline: Key, runs: int, warmup: int) -> None:
    """One call at a time, the keys interleaved round-robin so background load hits them alike."""
    from accounts.models import Customer
    from callcenter.selectors import SearchError, search

    def bare() -> None:
        Customer.objects.filter(pk=1).exists()

    def one(query: str) -> None:
        try:
            search(query)
        except SearchError:
            pass

    calls = [(baseline, lambda _q: bare())] + [(key, one) for key in keys]
    for i in range(warmup + runs):
        for key, call in calls:
            started = time.perf_counter_ns()
            call(key.query)
            elapsed_ms = (time.perf_counter_ns() - started) / 1e6
            if i >= warmup:
                key.samples_ms.append(elapsed_ms)


def report(keys: list[Key], baseline: Key, args: argparse.Namespace) -> bool:
    base = baseline.median
    print(f"\nLatency of callcenter.selectors.search(query), in-process, one call at a time interleaved across kinds: "
          f"{args.runs} timed after {args.warmup} warm-up per kind")
    header = (f"{'kind':<18} {'query':<26} {'SQL':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'x bare median':>14}"
              f"  p95 <= {TARGET_P95_MS:.0f} ms")
    print(header)
    print("-" * len(header))
    for key in [baseline, *keys]:
        p95 = key.percentile(95)
        verdict = "-" if key is baseline else ("PASS" if p95 <= TARGET_P95_MS else "FAIL")
        print(f"{key.kind:<18} {key.query:<26} {key.queries:>4} {key.median:>10.2f} {p95:>8.2f} {max(key.samples_ms):>8.2f} "
              f"{key.median / base:>14.1f}  {verdict}")
    print("\nKeys:")
    for key in keys:
        print(f"  {key.kind:<18} {key.query:<26} {key.note}")
    worst = max(keys, key=lambda k: k.percentile(95))
    ok = all(k.percentile(95) <= TARGET_P95_MS for k in keys)
    print(f"\nTarget p95 <= {TARGET_P95_MS:.0f} ms for every kind: {'MET' if ok else 'NOT MET'} "
          f"(worst p95 {worst.percentile(95):.2f} ms: {worst.kind})")
    return ok


def explain(key: Key) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the key's first query: the lookup that turns the key into customer ids."""
    from django.db import connection

    if not key.sql:
        print(f"\n-- {key.kind}: no SQL (refused before the database)")
        return
    sql = key.sql[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join("    " + row[0] for row in cursor.fetchall())
    print(f"\n-- lookup query of {key.kind} ({key.query}):\n  {sql}\n{plan}")


def main() -> int:
    args = parse_args()
    url = check_database_url()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    ensure_database(url)
    env = bench_env(url)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE_URL", "LOG_LEVEL", "EMAIL_BACKEND"))})

    seconds, _ = manage(env, "migrate", "--noinput", "-v", "0")
    print(f"Migrated in {seconds:.1f} s.")

    import django

    django.setup()
    from django.db import connection

    from accounts.models import Customer, Grant, Invoice, Person, SupplyPoint

    generated = Customer.objects.filter(tax_id__startswith="B0").count()
    if generated < args.customers:
        print(f"Seeding: {generated} generated customers present, {args.customers} wanted; running "
              f"manage.py seed_demo --customers {args.customers} ...", flush=True)
        seconds, output = manage(env, "seed_demo", "--customers", str(args.customers))
        print("\n".join("  | " + line for line in output.rstrip().splitlines()))
        print(f"SEEDING TIME: {seconds:.1f} s wall clock for seed_demo --customers {args.customers} "
              f"({args.customers - generated} customers added, including process start-up).")
    else:
        print(f"Seeding skipped: {generated} generated customers already present (>= {args.customers}).")

    rng = random.Random(args.seed)
    ensure_requests(args.requests, rng)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    print(f"\nData: {Customer.objects.count()} customers, {Person.objects.count()} people, {Grant.objects.count()} grants, "
          f"{SupplyPoint.objects.count()} supply points, {Invoice.objects.count()} invoices.")
    print(f"Stack: Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {pg_version}, "
          f"{os.cpu_count()} CPUs; DEBUG=false, in-process (no HTTP), one connection.")

    keys = pick_keys(args.seed)
    check_keys(keys)
    baseline = Key("bare ORM", "Customer pk=1 exists()", None, queries=1)
    if args.show_sql:
        for key in keys:
            print(f"\n{key.kind} ({key.query}): {key.queries} queries")
            for query in key.sql:
                print(f"  [{float(query['time']) * 1000:.2f} ms] {query['sql']}")

    load_before = os.getloadavg()
    started = time.perf_counter()
    measure(keys, baseline, args.runs, args.warmup)
    seconds = time.perf_counter() - started
    load_after = os.getloadavg()
    ok = report(keys, baseline, args)
    cpus = os.cpu_count() or 1
    print(f"Measured {(len(keys) + 1) * (args.runs + args.warmup)} calls in {seconds:.1f} s; load average (1 min) "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after, on {cpus} CPUs"
          + (" - the machine was busy, expect noisy tails." if max(load_before[0], load_after[0]) > cpus else "."))

    with_sql = [k for k in keys if k.sql]
    if args.explain_all:
        for key in with_sql:
            explain(key)
    elif with_sql:
        slowest = max(with_sql, key=lambda k: k.percentile(95))
        print(f"\nSlowest kind by p95 that reaches the database: {slowest.kind} ({slowest.percentile(95):.2f} ms).")
        explain(slowest)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
