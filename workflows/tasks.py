"""Celery entry points for the processes: beat's timers, and the hand-off from a finished pre-check."""

from celery import shared_task
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.timers import fire_due_conditions, fire_due_timers

from . import services


@shared_task
def fire_workflow_timers() -> int:
    """Fire due OnTimeout/Timer tasks (reminders, expiry, escalation). Safe to run from several beats."""
    return fire_due_timers() + fire_due_conditions()


@shared_task(bind=True, acks_late=True, max_retries=60)
def continue_after_precheck(self, precheck_id: int) -> str:
    """Move the request on once its pre-check has a result; a request locked by a verifier is tried again."""
    try:
        return services.continue_after_precheck(precheck_id=precheck_id)
    except FlowLockFailed as exc:
        raise self.retry(exc=exc, countdown=5) from exc


@shared_task
def purge_expired_upload_links() -> int:
    """Daily: upload links past their validity (or revoked) beyond the housekeeping grace."""
    return services.purge_expired_upload_links()
