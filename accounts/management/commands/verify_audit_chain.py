from django.core.management.base import BaseCommand, CommandError

from accounts import audit
from accounts.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check that the audit log's hash chain is intact and still holds its newest anchor "
        "(AUDIT_ANCHOR_SINK); exits non-zero on any sign of tampering."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", action="store_true", help="then, if the chain holds, anchor its current head")

    def handle(self, *args, **options):
        sink = audit.anchor_sink()
        try:
            if options["anchor"]:
                head = audit.verify_and_anchor(sink)
                summary = f"anchored its head at position {head.chain_seq}"
            else:
                latest, breaks = audit.verify_anchored_chain(sink)
                if breaks:
                    raise audit.AuditChainBroken(breaks)
                summary = (
                    f"holds the anchor at position {latest.chain_seq} of {latest.at.isoformat(timespec='seconds')}"
                    if latest
                    else "no anchor yet"
                )
        except audit.AnchorError as error:
            raise CommandError(f"cannot read the audit anchors: {error}") from error
        except audit.AuditChainBroken as broken:
            for item in broken.breaks:
                self.stderr.write(
                    f"event {item.event_id}: {item.problem}" if item.event_id else f"anchor: {item.problem}"
                )
            raise CommandError(
                f"audit chain broken in {len(broken.breaks)} place(s) out of {AuditEvent.objects.count()} events"
            ) from broken
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} events; {summary}")
