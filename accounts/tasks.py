import logging

from celery import shared_task

from . import audit, notifications, services, throttle

logger = logging.getLogger(__name__)


@shared_task
def purge_stale_attempts() -> int:
    return throttle.purge_stale()


@shared_task
def housekeeping() -> dict[str, int]:
    """Daily: delete what expired beyond its grace (``accounts.services`` housekeeping); never audit events.
    (The requests' upload links have their own: ``workflows.tasks.purge_expired_upload_links``.)"""
    return {
        "pending_registrations": services.purge_expired_registrations(),
        "invitations": services.purge_expired_invitations(),
        "sessions": services.purge_expired_sessions(),
    }


@shared_task
def verify_and_anchor_audit_chain() -> int | None:
    """Daily: verify the audit chain against its newest anchor, then anchor its head.

    Returns the anchored position, or None when the chain is broken (logged as CRITICAL on ``security``: the alert).
    """
    try:
        return audit.verify_and_anchor().chain_seq
    except audit.AuditChainBroken as broken:
        logging.getLogger("security").critical("audit chain broken: %s", broken, extra={"event": "audit.chain_broken"})
        return None


@shared_task(bind=True, acks_late=True, soft_time_limit=600, time_limit=660)
def deliver_emails(self, *, ids: list[int] | None = None, messages: list[dict] | None = None) -> dict:
    """Send the QUEUED e-mails ``ids`` -- or those ``messages`` carries (``notifications.queue_after_commit``) --
    each at most once (see ``accounts.notifications.deliver``)."""
    if messages is not None:
        ids = notifications.record_carried(messages=messages, carried_by=self.request.id or "eager")
    outcomes: dict[str, int] = {}
    for email_id in ids or []:
        outcome = notifications.deliver(email_id=email_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
