"""Celery entry points of webhooks: thin adapters around ``services``."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def deliver(delivery_id: int, attempt: int) -> int | None:
    """Post attempt ``attempt`` of a delivery (at most once: see ``services.attempt_delivery``); its status code."""
    row = services.attempt_delivery(delivery_id=delivery_id, attempt=attempt)
    return None if row is None else row.status_code


@shared_task
def sweep_deliveries() -> int:
    """Beat: publish every delivery whose next attempt is due (a retry, or a message that was lost)."""
    return services.redrive_due()


@shared_task
def purge_old_deliveries() -> int:
    """Beat, daily: delete the deliveries finished more than ``WEBHOOKS_RETENTION_DAYS`` ago (in batches)."""
    return services.purge_old_deliveries()
