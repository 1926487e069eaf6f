"""Beat's heartbeat to every queue: proof for ``/readyz`` that each queue has a working consumer."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from .models import Heartbeat


def record_heartbeat(*, name: str, sent_at: datetime) -> None:
    """Upsert the heartbeat ``name`` in one statement (INSERT ... ON CONFLICT DO UPDATE)."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, sent_at=sent_at, ran_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["sent_at", "ran_at"],
    )


@shared_task(bind=True, ignore_result=True)
def heartbeat(self, queue: str, sent_at: str | None = None) -> None:
    """Record that a worker consuming ``queue`` ran this now. ``sent_at`` (ISO 8601): when beat sent it; by
    default the ``published_at`` header every message carries (``backoffice.observability.stamp_published``)."""
    sent = sent_at or getattr(self.request, "published_at", None) or (self.request.headers or {}).get("published_at")
    record_heartbeat(name=f"queue:{queue}", sent_at=datetime.fromisoformat(sent) if sent else timezone.now())
