#!/usr/bin/env python
"""Latency of the customer area's "My supplies" and "Authorised contacts" pages at scale.

What it does, in order:

1. Uses the PostgreSQL database named by DATABASE_URL (never SQLite), creating it
   if it does not exist, migrates it and seeds it with ``manage.py seed_demo
   --customers N`` unless it already holds N generated customers. The seeding
   time is printed.
2. Starts gunicorn (sync workers) on 127.0.0.1 and a free port with production
   settings: DJANGO_DEBUG=false, a generated DJANGO_SECRET_KEY,
   DJANGO_ALLOWED_HOSTS=127.0.0.1, DJANGO_SECURE_SSL_REDIRECT=false. The URLconf
   is the project's plus a bare view (``benchmarks/baseline_urls.py``).
3. Logs in three customers by writing a session in the database (the cookies are
   ``Secure`` in production and the client speaks plain http): the demo
   representative, a representative among the generated customers, and the
   person with active grants on the most customers.
4. Says whether PostgreSQL has planner statistics on the tables the pages read
   (``--analyze`` runs ANALYZE first, as autovacuum would have after a load).
5. One client, one request at a time, the URLs interleaved round-robin: W
   warm-up then R timed requests per URL. Prints median, p95 and max, the ratio
   to the bare view's median, the number of SQL queries per page (counted
   in-process with the test client on the same database) and the target check
   "p95 <= 100 ms". Exits 0 whether the target is met or not.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_portal \\
        .venv/bin/python benchmarks/portal_bench.py --customers 100000
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks.common import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    Timings,
    check_database_url,
    close_sessions,
    ensure_database,
    fail,
    gunicorn_server,
    manage,
    open_session,
    production_env,
    timed_get,
)

SETTINGS_MODULE = "benchmarks.bench_settings"
TARGET_P95_MS = 100.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "The database comes from the DATABASE_URL environment variable and must be PostgreSQL, e.g.\n"
            f"  DATABASE_URL={DEFAULT_DATABASE_URL} .venv/bin/python benchmarks/portal_bench.py\n"
            "The database is created if missing, migrated and seeded (seeding 100,000 customers takes minutes,\n"
            "and is skipped on later runs). The benchmark adds a login for one generated representative and\n"
            "short-lived sessions (deleted at the end); never point it at a database you care about."
        ),
    )
    parser.add_argument("--customers", type=int, default=100_000, help="generated customers to seed (default 100000)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per URL (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed warm-up requests per URL (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (default sync)")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE on the tables the pages read before measuring (what autovacuum would have done)",
    )
    parser.add_argument(
        "--show-sql", action="store_true", help="print the SQL each page runs, with its in-process time"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN (ANALYZE, BUFFERS) for each query of each page"
    )
    return parser.parse_args()


STATS_TABLES = (
    "accounts_customer",
    "accounts_person",
    "accounts_grant",
    "accounts_grant_supply_points",
    "accounts_firm",
    "accounts_contract",
    "accounts_supplypoint",
    "accounts_user",
    "django_session",
)


def planner_statistics(analyze: bool) -> None:
    """Say whether PostgreSQL has statistics on the tables the pages read; ANALYZE them when asked."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        if analyze:
            started = time.perf_counter()
            cursor.execute("ANALYZE " + ", ".join(STATS_TABLES))
            print(f"ANALYZE of {len(STATS_TABLES)} tables took {time.perf_counter() - started:.1f} s (--analyze).")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE c.relname = ANY(%s) AND s.n_live_tup > 1000 AND s.last_analyze IS NULL AND s.last_autoanalyze IS NULL "
            "ORDER BY c.relname",
            [list(STATS_TABLES)],
        )
        missing = [row[0] for row in cursor.fetchall()]
    if missing:
        print(
            f"WARNING: planner statistics MISSING (never analyzed) on {', '.join(missing)}; autovacuum={autovacuum}. "
            "Plans are guessed from page counts; run with --analyze to measure with statistics."
        )
    else:
        print(f"Planner statistics present on the large tables (autovacuum={autovacuum}).")


# -- logins --------------------------------------------------------------------------------


@dataclass
class Login:
    label: str
    username: str
    person_id: int
    user_id: int
    contacts_customer_id: int
    contacts_customer: str
    grants: int
    supplies_marker: bytes
    contacts_marker: bytes
    session_key: str = ""


def pick_logins(customers: int) -> list[Login]:
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from accounts import selectors
    from accounts.models import Grant, Person, User
    from backoffice.demo import make_nif

    chosen: list[tuple[str, Person]] = []
    rep = Person.objects.select_related("user").filter(id_number=make_nif(71_000_001)).first()
    if rep is None or rep.user is None:
        fail("the demo representative 71000001J is missing; run seed_demo")
    chosen.append(("demo representative", rep))

    # A generated representative half-way through the bulk, odd index: two contracts, three supply points.
    index = max(1, (customers // 2) | 1)
    generated = Person.objects.filter(id_number=make_nif(10_000_000 + index)).first()
    if generated is None:
        generated = (
            Person.objects.filter(id_number__startswith="1", grants__role="representative").order_by("-id").first()
        )
    if generated is None:
        fail("no generated representative found; seed with --customers > 0")
    if generated.user_id is None:
        # Generated people have no login; give this one a login with an unusable password.
        user, _ = User.objects.get_or_create(username=generated.id_number, defaults={"password": make_password(None)})
        generated.user = user
        generated.save(update_fields=["user"])
        print(f"Gave generated representative {generated.id_number} a login (unusable password) for the benchmark.")
    chosen.append(("generated representative", generated))

    busiest = (
        Grant.objects.filter(revoked_at__isnull=True, person__user__isnull=False, person__user__is_staff=False)
        .values("person")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("-n", "person")
        .first()
    )
    if busiest:
        chosen.append(("grants on several customers", Person.objects.get(pk=busiest["person"])))

    logins = []
    for label, person in chosen:
        groups = selectors.supplies_visible_to(person)
        if not groups:
            fail(f"{person.id_number} has no active grant")
        counts = dict(
            Grant.objects.filter(customer_id__in=[g.customer.pk for g in groups], revoked_at__isnull=True)
            .values_list("customer_id")
            .annotate(n=Count("id"))
        )
        target = max(groups, key=lambda g: (counts.get(g.customer.pk, 0), -g.customer.pk))
        cups = next((sp.cups for g in groups for sp in g.supply_points), "")
        logins.append(
            Login(
                label=label,
                username=person.id_number,
                person_id=person.pk,
                user_id=person.user_id,
                contacts_customer_id=target.customer.pk,
                contacts_customer=target.customer.name,
                grants=len(groups),
                supplies_marker=cups.encode(),
                contacts_marker=person.id_number.encode(),
            )
        )
    return logins


# -- what is measured ----------------------------------------------------------------------


@dataclass
class Target(Timings):
    page: str
    login: str
    path: str
    session_key: str
    marker: bytes
    queries: int = -1
    sql: list[dict] = field(default_factory=list)
    samples_ms: list[float] = field(default_factory=list)


def count_queries(targets: list[Target]) -> None:
    """Run each page once in-process (test client, same database and settings) and count its SQL."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for target in targets:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = target.session_key
        client.get(target.path)  # first hit: CSRF cookie, lazy caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target.path)
        if response.status_code != 200 or target.marker not in response.content:
            fail(
                f"in-process GET {target.path} as {target.login} gave {response.status_code} without the expected content"
            )
        target.queries = len(ctx.captured_queries)
        target.sql = list(ctx.captured_queries)


def explain(targets: list[Target]) -> None:
    from django.db import connection

    seen: set[str] = set()
    for target in targets:
        for query in target.sql:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or sql in seen:
                continue
            seen.add(sql)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join("    " + row[0] for row in cursor.fetchall())
            print(f"\n-- {target.page} as {target.login}:\n  {sql}\n{plan}")


def measure(targets: list[Target], port: int, requests: int, warmup: int) -> None:
    """One client, one request at a time, URLs interleaved round-robin so background load hits them alike."""
    from django.conf import settings

    connections = {id(t): http.client.HTTPConnection("127.0.0.1", port, timeout=30) for t in targets}
    cookies = {id(t): {settings.SESSION_COOKIE_NAME: t.session_key} for t in targets}
    try:
        for i in range(warmup + requests):
            for target in targets:
                status, body, elapsed_ms, location = timed_get(
                    connections[id(target)], target.path, cookies[id(target)]
                )
                if status != 200 or target.marker not in body:
                    fail(
                        f"GET {target.path} as {target.login} gave {status} (Location: {location}) without the expected content"
                    )
                if i >= warmup:
                    target.samples_ms.append(elapsed_ms)
    finally:
        for conn in connections.values():
            conn.close()


def report(targets: list[Target], args: argparse.Namespace) -> None:
    baseline = targets[0].median
    print(
        f"\nLatency, one client, sequential requests interleaved across URLs: {args.requests} timed after {args.warmup} warm-up per URL "
        f"(gunicorn {args.workers} x {args.worker_class} worker; times include connect, full body read)"
    )
    header = f"{'page':<10} {'login':<28} {'SQL':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'x bare median':>14}  p95 <= {TARGET_P95_MS:.0f} ms"
    print(header)
    print("-" * len(header))
    for target in targets:
        p95 = target.percentile(95)
        verdict = "-" if target.page == "bare" else ("PASS" if p95 <= TARGET_P95_MS else "FAIL")
        print(
            f"{target.page:<10} {target.login:<28} {target.queries:>4} {target.median:>10.2f} {p95:>8.2f} "
            f"{max(target.samples_ms):>8.2f} {target.median / baseline:>14.1f}  {verdict}"
        )
    pages = [t for t in targets if t.page != "bare"]
    worst = max(pages, key=lambda t: t.percentile(95))
    ok = all(t.percentile(95) <= TARGET_P95_MS for t in pages)
    print(
        f"\nTarget p95 <= {TARGET_P95_MS:.0f} ms: {'MET' if ok else 'NOT MET'} "
        f"(worst p95 {worst.percentile(95):.2f} ms: {worst.page} as {worst.login})"
    )


def main() -> int:
    args = parse_args()
    url = check_database_url()
    os.chdir(BASE_DIR)
    sys.path.insert(0, str(BASE_DIR))
    ensure_database(url)
    env = production_env(url, SETTINGS_MODULE)
    os.environ.update({k: v for k, v in env.items() if k.startswith(("DJANGO_", "DATABASE_URL", "LOG_LEVEL"))})

    seconds, _ = manage(env, "migrate", "--noinput", "-v", "0")
    print(f"Migrated in {seconds:.1f} s.")

    import django

    django.setup()
    from django.db import connection

    from accounts.models import Customer, Grant, SupplyPoint

    generated = Customer.objects.filter(tax_id__startswith="B0").count()
    if generated < args.customers:
        print(
            f"Seeding: {generated} generated customers present, {args.customers} wanted; running "
            f"manage.py seed_demo --customers {args.customers} ...",
            flush=True,
        )
        seconds, output = manage(env, "seed_demo", "--customers", str(args.customers))
        print("\n".join("  | " + line for line in output.rstrip().splitlines()))
        print(
            f"SEEDING TIME: {seconds:.1f} s wall clock for seed_demo --customers {args.customers} "
            f"({args.customers - generated} customers added, including process start-up)."
        )
    else:
        print(f"Seeding skipped: {generated} generated customers already present (>= {args.customers}).")

    import django as dj
    import gunicorn

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    print(
        f"\nData: {Customer.objects.count()} customers, {Grant.objects.count()} grants, {SupplyPoint.objects.count()} supply points."
    )
    print(
        f"Stack: Python {platform.python_version()}, Django {dj.get_version()}, gunicorn {gunicorn.__version__}, "
        f"PostgreSQL {pg_version}, {os.cpu_count()} CPUs; DEBUG=false, CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}."
    )

    planner_statistics(args.analyze)

    from django.urls import reverse

    from benchmarks.baseline_urls import BARE_PATH

    logins = pick_logins(args.customers)
    try:
        for login in logins:
            login.session_key = open_session(login.user_id)
        print("\nLogins (session written to the database):")
        for login in logins:
            print(
                f"  {login.label:<28} {login.username}  active grants on {login.grants} customer(s); "
                f"contacts page of customer {login.contacts_customer_id} ({login.contacts_customer})"
            )

        targets = [Target("bare", "(logged in, unused)", BARE_PATH, logins[0].session_key, b"ok")]
        for login in logins:
            targets.append(
                Target("supplies", login.label, reverse("portal:supplies"), login.session_key, login.supplies_marker)
            )
        for login in logins:
            targets.append(
                Target(
                    "contacts",
                    login.label,
                    reverse("portal:contacts", args=[login.contacts_customer_id]),
                    login.session_key,
                    login.contacts_marker,
                )
            )

        count_queries(targets)
        if args.show_sql:
            for target in targets:
                print(f"\n{target.page} as {target.login} ({target.path}): {target.queries} queries")
                for query in target.sql:
                    print(f"  [{float(query['time']) * 1000:.2f} ms] {query['sql']}")
        if args.explain:
            explain(targets)
        connection.close()

        with gunicorn_server(
            env,
            "backoffice.wsgi:application",
            workers=args.workers,
            worker_class=args.worker_class,
            ready_path=BARE_PATH,
        ) as (_, port):
            load_before = os.getloadavg()
            started = time.perf_counter()
            measure(targets, port, args.requests, args.warmup)
            seconds = time.perf_counter() - started
            load_after = os.getloadavg()
        report(targets, args)
        print(
            f"Measured {len(targets) * (args.requests + args.warmup)} requests in {seconds:.1f} s; load average "
            f"(1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, on {os.cpu_count()} CPUs"
            + (
                " - the machine was busy, expect noisy tails."
                if max(load_before[0], load_after[0]) > (os.cpu_count() or 1)
                else "."
            )
        )
    finally:
        close_sessions([login.session_key for login in logins])
    return 0


if __name__ == "__main__":
    sys.exit(main())
