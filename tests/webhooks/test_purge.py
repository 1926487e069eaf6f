"""The retention of webhook deliveries: finished ones older than WEBHOOKS_RETENTION_DAYS go, in batches, with their
attempts and the events left without any; pending ones and recent ones stay."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from webhooks import services, tasks
from webhooks.models import Attempt, Delivery, Endpoint, Event


def _endpoint(story) -> Endpoint:
    return Endpoint.objects.create(owner=story.manager, url="https://hooks.example.com/in", events=["webhook.test"])


def _delivery(endpoint, *, status: str, finished_days_ago: int | None) -> Delivery:
    now = timezone.now()
    created = now - timedelta(days=(finished_days_ago or 0) + 1)
    event = Event.objects.create(type="webhook.test", created_at=created)
    finished = None if finished_days_ago is None else now - timedelta(days=finished_days_ago)
    delivery = Delivery.objects.create(
        event=event, endpoint=endpoint, status=status, created_at=created, finished_at=finished, attempt_count=1
    )
    Attempt.objects.create(delivery=delivery, number=1, started_at=created, status_code=204)
    return delivery


def test_finished_deliveries_past_retention_go_in_batches_and_the_rest_stays(story, settings):
    settings.WEBHOOKS_RETENTION_DAYS = 30
    endpoint = _endpoint(story)
    old = [_delivery(endpoint, status=s, finished_days_ago=31) for s in ("delivered", "failed", "withheld") * 3]
    recent = _delivery(endpoint, status="delivered", finished_days_ago=29)
    pending = _delivery(endpoint, status="pending", finished_days_ago=None)
    Event.objects.filter(pk=pending.event_id).update(created_at=timezone.now() - timedelta(days=90))
    assert services.purge_old_deliveries(batch_size=4) == len(old)
    assert set(Delivery.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert set(Attempt.objects.values_list("delivery_id", flat=True)) == {recent.pk, pending.pk}
    assert set(Event.objects.values_list("pk", flat=True)) == {recent.event_id, pending.event_id}
    assert services.purge_old_deliveries(batch_size=4) == 0


def test_the_beat_task_purges_with_the_retention_setting(story, settings):
    endpoint = _endpoint(story)
    _delivery(endpoint, status="delivered", finished_days_ago=8)
    settings.WEBHOOKS_RETENTION_DAYS = 10
    assert tasks.purge_old_deliveries.apply().get() == 0
    settings.WEBHOOKS_RETENTION_DAYS = 7
    assert tasks.purge_old_deliveries.apply().get() == 1
    assert not Delivery.objects.exists() and not Event.objects.exists()


def test_the_purge_runs_daily_on_beat():
    from backoffice.celery import app

    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "webhooks.tasks.purge_old_deliveries")
    assert entry["schedule"] == 86400.0
