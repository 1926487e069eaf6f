"""Signal receivers: a finished pre-check moves its request on; staff groups exist after migrate."""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS
from django.dispatch import receiver

from documents.models import Precheck
from documents.prechecks import precheck_finished
from outbox import services as outbox

logger = logging.getLogger(__name__)


@receiver(precheck_finished, sender=Precheck)
def continue_after_precheck(sender, precheck: Precheck, **kwargs) -> None:
    """In the pre-check's finishing transaction: the message that moves its request on commits with the result."""
    outbox.publish("workflows.tasks.continue_after_precheck", args=[precheck.pk])


def ensure_staff_groups(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The three staff groups with their permissions (idempotent; runs after every migrate, the first one included)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from . import flows  # noqa: F401 - building the flows adds "manage" to the process models' default permissions
    from .rules import GROUP_PERMISSIONS

    # Viewflow's "manage_<process>" permissions exist only on the live models, not in the migration state
    # that auth's post_migrate handler reads; viewflow's own handler creates them, but it is connected after
    # this receiver. Create them here from the live models, so one migrate is enough.
    create_permissions(apps.get_app_config("workflows"), verbosity=0, using=using, apps=apps)
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        permissions = Permission.objects.using(using).filter(
            content_type__app_label="workflows", codename__in=codenames
        )
        group.permissions.add(*permissions)
