"""The product's Prometheus metrics, read from the database (and the broker) when scraped.

Nothing is counted in process memory: any gunicorn worker of any node answers a scrape with the same
figures. Every family costs one query (or one broker call per queue), whatever the volume.

* ``backoffice_paperwork_requests{process, state}``: requests by kind and state (open, or their outcome);
* ``backoffice_sla_breaches{process}``: open requests whose verification passed its service level (the
  workflow's escalation timer set ``escalated_at``) and that staff has not decided since;
* ``backoffice_precheck_duration_seconds``: OCR pre-checks finished in the last hour, queued to done;
* ``backoffice_precheck_pages_last_hour{status}`` and ``backoffice_precheck_page_seconds_last_hour``: pages read;
* ``backoffice_queue_depth{queue, source}``: outbox messages not yet relayed, and messages waiting in the broker
  (Redis and RabbitMQ; the filesystem broker is not asked);
* ``backoffice_decisions_last_hour{outcome}``: staff decisions audited in the last hour;
* ``backoffice_emails{status}``; ``backoffice_heartbeat_age_seconds{name}`` (``beat``: its last send).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

logger = logging.getLogger(__name__)

#: The audit actions of a staff decision (``workflows.services.decide`` and ``second_decision``).
DECISION_ACTIONS = (
    "request.approve",
    "request.reject",
    "request.more_documents",
    "request.second_approve",
    "request.second_reject",
)
PRECHECK_BUCKETS = (5, 10, 30, 60, 120, 300, 600, 1800, 3600)
#: Broker transports that say how many messages a queue holds through a passive declare.
_COUNTING_TRANSPORTS = ("redis", "rediss", "amqp", "pyamqp", "amqps")


class ProductCollector:
    def collect(self):
        now = timezone.now()
        hour_ago = now - timedelta(hours=1)
        yield from self._requests()
        yield self._precheck_durations(hour_ago)
        yield from self._precheck_pages(hour_ago)
        yield self._queue_depth()
        yield self._decisions(hour_ago)
        yield self._emails()
        yield self._heartbeats(now)

    def _requests(self):
        from workflows.models import PROCESS_MODELS

        requests = GaugeMetricFamily(
            "backoffice_paperwork_requests", "Paperwork requests by process and state", labels=["process", "state"]
        )
        breaches = GaugeMetricFamily(
            "backoffice_sla_breaches", "Open requests past their verification service level", labels=["process"]
        )
        for model in PROCESS_MODELS:
            process = model._meta.model_name.removesuffix("process")
            for row in model.objects.values("is_open", "outcome").annotate(n=Count("pk")).order_by():
                requests.add_metric([process, "open" if row["is_open"] else row["outcome"] or "closed"], row["n"])
            overdue = model.objects.filter(
                Q(decided_at__isnull=True) | Q(decided_at__lt=F("escalated_at")),
                is_open=True,
                escalated_at__isnull=False,
            ).count()
            breaches.add_metric([process], overdue)
        yield requests
        yield breaches

    def _precheck_durations(self, since):
        from documents.models import Precheck

        rows = Precheck.objects.filter(finished_at__gte=since).values_list("created_at", "finished_at")
        durations = [(finished - created).total_seconds() for created, finished in rows]
        buckets = [(str(bound), sum(1 for d in durations if d <= bound)) for bound in PRECHECK_BUCKETS]
        family = HistogramMetricFamily(
            "backoffice_precheck_duration_seconds",
            "OCR pre-checks finished in the last hour: seconds from queued to done",
        )
        family.add_metric([], [*buckets, ("+Inf", len(durations))], sum_value=sum(durations))
        return family

    def _precheck_pages(self, since):
        from documents.models import PrecheckPage

        pages = GaugeMetricFamily(
            "backoffice_precheck_pages_last_hour",
            "Pre-check pages started in the last hour, by status",
            labels=["status"],
        )
        seconds = GaugeMetricFamily(
            "backoffice_precheck_page_seconds_last_hour", "Seconds spent reading the pages started in the last hour"
        )
        total = 0.0
        for row in (
            PrecheckPage.objects.filter(started_at__gte=since)
            .values("status")
            .annotate(n=Count("pk"), seconds=Sum("seconds"))
            .order_by()
        ):
            pages.add_metric([row["status"]], row["n"])
            total += row["seconds"] or 0.0
        seconds.add_metric([], total)
        yield pages
        yield seconds

    def _queue_depth(self):
        from backoffice.celery import QUEUES, app
        from outbox.models import Message

        family = GaugeMetricFamily(
            "backoffice_queue_depth",
            "Messages waiting per Celery queue: in the outbox, in the broker",
            labels=["queue", "source"],
        )
        routes = app.conf.task_routes or {}
        waiting = dict.fromkeys(QUEUES, 0)
        for row in (
            Message.objects.filter(relayed_at__isnull=True).values("task", "queue").annotate(n=Count("pk")).order_by()
        ):
            queue = row["queue"] or routes.get(row["task"], {}).get("queue", "celery")
            waiting[queue] = waiting.get(queue, 0) + row["n"]
        for queue, n in waiting.items():
            family.add_metric([queue, "outbox"], n)
        for queue, n in _broker_depths(app, QUEUES).items():
            family.add_metric([queue, "broker"], n)
        return family

    def _decisions(self, since):
        from accounts.models import AuditEvent

        family = GaugeMetricFamily(
            "backoffice_decisions_last_hour", "Staff decisions in the last hour, by outcome", labels=["outcome"]
        )
        counts = dict.fromkeys(DECISION_ACTIONS, 0) | dict(
            AuditEvent.objects.filter(at__gte=since, action__in=DECISION_ACTIONS)
            .values("action")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("action", "n")
        )
        for action, n in counts.items():
            family.add_metric([action.removeprefix("request.")], n)
        return family

    def _emails(self):
        from outbox.models import Email

        family = GaugeMetricFamily("backoffice_emails", "E-mails by delivery status", labels=["status"])
        counts = dict.fromkeys(Email.Status.values, 0) | dict(
            Email.objects.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
        )
        for status, n in counts.items():
            family.add_metric([status], n)
        return family

    def _heartbeats(self, now):
        from supervision.models import Heartbeat

        family = GaugeMetricFamily(
            "backoffice_heartbeat_age_seconds",
            "Seconds since a worker of each queue ran its heartbeat (beat: since beat last sent one)",
            labels=["name"],
        )
        beats = list(Heartbeat.objects.all())
        for beat in beats:
            family.add_metric([beat.name], (now - beat.ran_at).total_seconds())
        if beats:
            family.add_metric(["beat"], (now - max(beat.sent_at for beat in beats)).total_seconds())
        return family


def _broker_depths(app, queues) -> dict[str, int]:
    """Messages waiting in the broker per queue, where the broker tells it cheaply; {} for the filesystem
    broker or a broker that does not answer within its connect timeout."""
    depths: dict[str, int] = {}
    try:
        with app.connection_for_write() as connection:
            if connection.transport.driver_type not in _COUNTING_TRANSPORTS:
                return {}
            connection.ensure_connection(max_retries=0)
            for queue in queues:
                channel = connection.channel()  # a passive declare of a missing queue closes its channel (AMQP)
                try:
                    depths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except Exception:  # noqa: BLE001 -- a queue never declared holds nothing
                    depths[queue] = 0
                finally:
                    try:
                        channel.close()
                    except Exception:  # noqa: BLE001,S110 -- already closed by the broker
                        pass
    except Exception as exc:  # noqa: BLE001 -- the metrics still answer; /readyz says the broker is down
        logger.warning("metrics: broker queue depths not read: %r", exc)
    return depths


def exposition() -> bytes:
    """The Prometheus text for one scrape."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ProductCollector())
    return generate_latest(registry)
