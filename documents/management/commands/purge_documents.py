from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from documents import selectors, services


class Command(BaseCommand):
    help = "Delete the files and previews of document sets closed longer ago than the retention period (rows and audit stay)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="retention in days (default: DOCUMENTS_RETENTION_DAYS)"
        )
        parser.add_argument("--dry-run", action="store_true", help="only list what would be purged")

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be zero or more")
        now = timezone.now()
        due = selectors.sets_due_for_purge(now=now, days=days)
        if dry_run:
            count = 0
            for document_set in due:
                files = document_set.documents.filter(file_deleted_at__isnull=True).exclude(file="").count()
                count += files
                self.stdout.write(
                    f"would purge set {document_set.pk} ({document_set.reference}), closed {document_set.closed_at:%Y-%m-%d}: {files} file(s)"
                )
            self.stdout.write(f"dry run: {count} file(s) in {len(due)} set(s) would be deleted")
            return
        deleted = services.purge_expired_files(now=now, days=days)
        self.stdout.write(f"purged {deleted} file(s)")
