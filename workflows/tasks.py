"""Celery beat entry points for the processes."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_conditions, fire_due_timers


@shared_task
def fire_workflow_timers() -> int:
    """Fire due OnTimeout/Timer tasks (reminders, expiry, escalation). Safe to run from several beats."""
    return fire_due_timers() + fire_due_conditions()
