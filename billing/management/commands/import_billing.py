from django.core.management.base import BaseCommand, CommandError

from accounts.audit import Actor
from billing.services import MAX_REJECTIONS_KEPT, import_billing


class Command(BaseCommand):
    help = (
        "Import contracts and invoices from the billing system: JSON lines or CSV files, or folders of them "
        "(format: docs/billing-import.md). Prints the report; exits with 1 when any row was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE|DIR")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument(
            "--no-pdfs",
            action="store_true",
            help="do not generate the PDFs of invoices whose row brings none (made on first download instead)",
        )

    def handle(self, *args, paths, batch_size, no_pdfs, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        report = import_billing(
            paths=paths, actor=Actor.system("import_billing"), batch_size=batch_size, pdfs=not no_pdfs
        )
        for rejection in report.rejections:
            self.stderr.write(str(rejection))
        if report.rejected > len(report.rejections):
            self.stderr.write(f"... and {report.rejected - MAX_REJECTIONS_KEPT} more rejected rows")
        for label, counts in (("contracts", report.contracts), ("invoices", report.invoices)):
            self.stdout.write(
                f"{label}: {counts.created} created, {counts.updated} updated, {counts.unchanged} unchanged, "
                f"{counts.rejected} rejected"
            )
        if report.unreadable:
            self.stdout.write(f"unreadable rows: {report.unreadable}")
        rate = report.rows / report.seconds if report.seconds else 0
        self.stdout.write(
            f"{report.rows} rows from {len(report.files)} file(s) in {report.batches} batch(es), "
            f"{report.seconds:.1f} s ({rate:.0f} rows/s)"
        )
        if report.rejected:
            raise SystemExit(1)
