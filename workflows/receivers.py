"""Signal receivers: a finished pre-check completes the request's waiting job; staff groups exist after migrate."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from documents.models import Precheck
from documents.prechecks import precheck_finished

from . import nodes, services

logger = logging.getLogger(__name__)


@receiver(precheck_finished, sender=Precheck)
def continue_after_precheck(sender, precheck: Precheck, **kwargs) -> None:
    task = services.precheck_job_task(precheck)
    if task is None:
        return  # not a request's pre-check, or already moved on (a retried job)
    if precheck.status == Precheck.Status.FAILED:
        nodes.fail_job(task.pk, f"The pre-check failed: {precheck.error}")
    else:
        nodes.complete_job(task.pk)


def ensure_staff_groups(**kwargs) -> None:
    """The three staff groups with their permissions (idempotent; runs after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    from .rules import GROUP_PERMISSIONS

    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="workflows", codename__in=codenames)
        group.permissions.add(*permissions)
