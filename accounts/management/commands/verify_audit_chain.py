from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_chain
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = "Check that the audit log's hash chain is intact; exits non-zero on the first sign of tampering."

    def handle(self, *args, **options):
        breaks = list(verify_chain())
        total = AuditEvent.objects.count()
        if breaks:
            for item in breaks:
                self.stderr.write(f"event {item.event_id}: {item.problem}")
            raise CommandError(f"audit chain broken in {len(breaks)} place(s) out of {total} events")
        self.stdout.write(f"audit chain intact: {total} events")
