"""Reconciliation of the requests' flow (called by ``outbox.tasks.reconcile`` on beat).

Two steps can be lost with a broker or a worker: a job's message (the task stays SCHEDULED) and the
hand-off from a finished pre-check (the job stays STARTED although its pre-check has a result). Both are
driven again, audited; both are idempotent, so a late first message does nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts import audit
from accounts.audit import Actor
from documents.models import Precheck
from outbox import services as outbox

from . import flows, nodes

logger = logging.getLogger(__name__)

RECONCILER = Actor.system("reconciler")
CONTINUE_TASK = "workflows.tasks.continue_after_precheck"


def redrive() -> int:
    window = timedelta(seconds=settings.RECONCILE_AFTER_SECONDS)
    cutoff = timezone.now() - window
    count = 0
    for task in Task.objects.filter(status=STATUS.SCHEDULED, created__lt=cutoff).order_by("pk")[:200]:
        node = task.flow_task
        if not isinstance(node, nodes.CeleryJob):
            continue
        activation = node.activation_class(task)
        name = node._celery_task if isinstance(node._celery_task, str) else node._celery_task.name
        if outbox.recently_published(name, task_id=task.external_task_id, within=window):
            continue
        node.enqueue(activation.ref(), task.external_task_id)
        _audit(task.process.coerced, f"job {node.name} never ran")
        count += 1
    for model, flow_class in flows.FLOW_OF_MODEL.items():
        jobs = Task.objects.filter(flow_task=flow_class.precheck, status=STATUS.STARTED, started__lt=cutoff).values(
            "process_id"
        )
        waiting = model.objects.filter(
            pk__in=jobs,
            precheck__status__in=[Precheck.Status.DONE, Precheck.Status.FAILED],
            precheck__finished_at__lt=cutoff,
        )
        for process in waiting:
            if outbox.recently_published(CONTINUE_TASK, args=[process.precheck_id], within=window):
                continue
            outbox.publish(CONTINUE_TASK, args=[process.precheck_id])
            _audit(process, "finished pre-check did not move the request on")
            count += 1
    return count


def _audit(process, what: str) -> None:
    logger.warning("reconciliation: %s (request %s)", what, process.reference)
    audit.record(
        actor=RECONCILER,
        action="reconcile.redrive",
        target=process,
        customer_id=process.customer_id,
        before=None,
        after={"step": what},
        reason=f"re-driven: {what}",
        request_ref=process.reference,
    )
