"""Webhooks listen to the changes they tell about; those apps do not know them.

* a new line of a request's timeline (``workflows.models.Milestone``, written by ``workflows.services``);
* invoices created by the billing import (``billing.services.invoices_issued``; a bulk insert sends no
  ``post_save``).

Each receiver runs in the transaction of the change: the event and its deliveries commit, or roll back, with it.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Invoice
from billing.services import invoices_issued
from workflows.models import Milestone

from . import services


@receiver(post_save, sender=Milestone, dispatch_uid="webhooks.milestone")
def milestone_written(sender, instance: Milestone, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        services.record_milestone(instance)


@receiver(invoices_issued, sender=Invoice, dispatch_uid="webhooks.invoices_issued")
def invoices_written(sender, invoices: list[Invoice], **kwargs) -> None:
    services.record_invoices_issued(invoices)
