import json
import time
from dataclasses import asdict

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backoffice.demo import DemoBuilder


class Command(BaseCommand):
    help = "Load deterministic demo data (valid identifiers) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers", type=int, default=200, help="generated customers besides the demo story (at most 1,000,000)"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--json", action="store_true", help="print the demo logins as JSON")

    def handle(self, *args, customers: int, seed: int, json: bool, **options):
        if not 0 <= customers <= 1_000_000:
            raise CommandError("--customers must be between 0 and 1,000,000")
        started = time.perf_counter()
        builder = DemoBuilder(customers=customers, seed=seed)
        builder.story()
        added = builder.bulk()
        if added and connection.vendor == "postgresql":
            # Fresh planner statistics, or the first queries after a bulk load scan whole tables.
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE accounts_customer, accounts_person, accounts_grant, accounts_contract, "
                    "accounts_supplypoint, accounts_invoice, accounts_auditevent"
                )
        seconds = time.perf_counter() - started
        if json:
            self.stdout.write(
                _json_dump(
                    {
                        "logins": [asdict(login) for login in builder.logins],
                        "registration": builder.registration_cases,
                        "customers_added": added,
                        "seconds": round(seconds, 2),
                    }
                )
            )
            return
        self.stdout.write(f"Demo data ready: {added} generated customers added in {seconds:.1f} s.")
        self.stdout.write(f"Demo logins (password for all: {builder.logins[0].password}):")
        for login in builder.logins:
            self.stdout.write(f"  {login.role:<20} {login.username:<12} {login.name}  {login.note}")
        for case in builder.registration_cases:
            self.stdout.write(
                f"  registration: holder {case['holder']} "
                + ", ".join(f"{k} {v}" for k, v in case.items() if k != "holder")
            )


def _json_dump(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
