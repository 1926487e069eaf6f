"""Beat entry points: reconcile what did not happen, purge what is done."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def reconcile() -> dict[str, int]:
    """Run every reconciler of ``settings.RECONCILERS``: each finds work whose next step has not happened
    in ``RECONCILE_AFTER_SECONDS`` and drives it again (audited); returns how many each re-drove. One that
    fails is logged and does not stop the others."""
    done: dict[str, int] = {}
    for path in settings.RECONCILERS:
        try:
            done[path] = import_string(path)()
        except Exception:
            logger.exception("reconciler %s failed", path)
    return done


@shared_task
def purge_relayed() -> int:
    return services.purge_relayed()
