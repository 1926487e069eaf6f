"""Every change to webhooks: endpoints (register, rotate the secret, disable, enable, delete, send a test event),
the events and deliveries that follow a change elsewhere, and each delivery attempt.

Who may be told what is ``authority``'s answer, asked twice: when an event is written (only endpoints whose
owner may see what it is about get a delivery) and again when each attempt is claimed (an owner who lost access
in between gets nothing: the delivery is withheld).

Deliveries are written in the transaction of the change and published through the outbox (``outbox.services``),
so a broker that is down loses nothing. Each attempt is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and
recorded as its own row (unique per delivery and number) before the POST: two workers never post the same
attempt. A failed attempt waits ``WEBHOOKS_RETRY_SECONDS`` and is re-sent by the sweeper (``redrive_due``), which
also re-sends any delivery whose message was lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.audit import Actor
from accounts.models import Invoice, Person
from authority import Authority, authorities_of, authority_of, person_of
from billing.selectors import invoice_visible_to, visibility
from outbox.services import publish
from workflows.models import Milestone, model_for_reference
from workflows.selectors import request_for

from . import transport
from .models import SUBSCRIBABLE, Attempt, Delivery, Endpoint, Event, EventType, new_secret
from .verify import signature

DELIVER_TASK = "webhooks.tasks.deliver"
USER_AGENT = "Backoffice-Webhooks/1"

#: The event a line of a request's timeline is; reminders are no change of status and send none.
MILESTONE_EVENTS = {
    Milestone.Kind.MORE_DOCUMENTS: EventType.REQUEST_DOCUMENTS_REQUESTED,
    Milestone.Kind.APPLIED: EventType.REQUEST_APPLIED,
    Milestone.Kind.REJECTED: EventType.REQUEST_REJECTED,
    **dict.fromkeys(
        (
            Milestone.Kind.SUBMITTED,
            Milestone.Kind.LINK_SENT,
            Milestone.Kind.DOCUMENTS_RECEIVED,
            Milestone.Kind.CHECKS_RUNNING,
            Milestone.Kind.UNDER_REVIEW,
            Milestone.Kind.SECOND_APPROVAL,
            Milestone.Kind.ON_HOLD,
            Milestone.Kind.EXPIRED,
        ),
        EventType.REQUEST_STATUS_CHANGED,
    ),
}


class WebhookError(Exception):
    """A refusal the person can fix or must be told, with a code to branch on and a message in their language."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _url_refusal_message(code: str) -> str:
    return {
        "scheme": _("The address must start with https://."),
        "credentials": _("Don't put a user name or password in the address."),
        "host": _("Write a complete address, such as https://example.com/webhooks."),
        "address": _("This address points to a private or local network: use a public address."),
    }[code]


def clean_url(url: str) -> str:
    """``url`` without spaces or fragment, if it may be an endpoint; WebhookError (with the reason) otherwise."""
    url = (url or "").strip().split("#", 1)[0]
    if len(url) > Endpoint._meta.get_field("url").max_length:
        raise WebhookError("url_too_long", _("The address is too long."))
    code = transport.refusal(url, allow_loopback=settings.WEBHOOKS_ALLOW_LOOPBACK)
    if code is not None:
        raise WebhookError(f"url_{code}", _url_refusal_message(code))
    return url


def _subscribable(events: Iterable[str]) -> list[str]:
    """``events``, sorted, when they are at least one of those offered; WebhookError otherwise."""
    events = sorted(set(events))
    known = {value for value, _label in SUBSCRIBABLE}
    if not events or not set(events) <= known:
        raise WebhookError("events", _("Choose at least one of the events offered."))
    return events


def _person(actor: Actor) -> Person | None:
    return person_of(actor.user)


def _owned(endpoint: Endpoint, actor: Actor) -> Endpoint:
    """The endpoint, locked, when ``actor`` is its owner; WebhookError otherwise."""
    person = _person(actor)
    locked = Endpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if person is None or locked is None or locked.owner_id != person.pk:
        raise WebhookError("not_allowed", _("This endpoint is not yours."))
    return locked


def _snapshot(endpoint: Endpoint) -> dict:
    """What the audit log keeps of an endpoint: never its secret, only its last characters."""
    return {
        "url": endpoint.url,
        "customer": endpoint.customer_id,
        "events": endpoint.events,
        "active": endpoint.is_active,
        "secret": endpoint.secret_hint,
    }


def _audit(
    endpoint: Endpoint, *, actor: Actor, action: str, before: dict | None, reason: str, deleted: bool = False
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=endpoint,
        customer_id=endpoint.customer_id,
        before=before,
        after=None if deleted else _snapshot(endpoint),
        reason=reason,
    )


# -- endpoints ---------------------------------------------------------------------------------------------------


#: the audit reason of a change made on the customer-area pages (the API names itself: "api")
CUSTOMER_AREA = "customer area"


def register_endpoint(
    *,
    url: str,
    events: Iterable[str],
    customer_id: int | None,
    description: str = "",
    actor: Actor,
    reason: str = CUSTOMER_AREA,
) -> tuple[Endpoint, str]:
    """A new endpoint of the person behind ``actor``, for one customer they may see (``customer_id``) or every
    customer they may see when an event happens (None). Returns it with its secret, shown this once."""
    person = _person(actor)
    if person is None:
        raise WebhookError("not_allowed", _("Only people of the customer area register endpoints."))
    url = clean_url(url)
    events = _subscribable(events)
    if customer_id is not None:
        if not authority_of(person, customer_id).can_view:
            raise WebhookError("not_allowed", _("You can't register endpoints for this company."))
    elif not any(found.can_view for found in authorities_of(person).values()):
        raise WebhookError("not_allowed", _("You don't have access to any company yet."))
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            owner=person,
            customer_id=customer_id,
            url=url,
            description=description.strip()[:200],
            events=events,
            secret=new_secret(),
        )
        _audit(endpoint, actor=actor, action="webhook.endpoint_registered", before=None, reason=reason)
    return endpoint, endpoint.secret


def rotate_secret(*, endpoint: Endpoint, actor: Actor, reason: str = CUSTOMER_AREA) -> str:
    """A new secret for ``endpoint``, in force at once (attempts from now on are signed with it); returned once."""
    with transaction.atomic():
        endpoint = _owned(endpoint, actor)
        before = _snapshot(endpoint)
        endpoint.secret, endpoint.secret_rotated_at = new_secret(), timezone.now()
        endpoint.save(update_fields=["secret", "secret_rotated_at"])
        _audit(endpoint, actor=actor, action="webhook.secret_rotated", before=before, reason=reason)
    return endpoint.secret


def set_active(*, endpoint: Endpoint, active: bool, actor: Actor, reason: str = CUSTOMER_AREA) -> Endpoint:
    """Disable (nothing more is sent, pending deliveries are withheld) or enable ``endpoint`` again."""
    with transaction.atomic():
        endpoint = _owned(endpoint, actor)
        if endpoint.is_active == active:
            return endpoint
        before = _snapshot(endpoint)
        endpoint.is_active = active
        endpoint.save(update_fields=["is_active"])
        action = "webhook.endpoint_enabled" if active else "webhook.endpoint_disabled"
        _audit(endpoint, actor=actor, action=action, before=before, reason=reason)
    return endpoint


def change_events(*, endpoint: Endpoint, events: Iterable[str], actor: Actor, reason: str = CUSTOMER_AREA) -> Endpoint:
    """The events ``endpoint`` receives from now on (at least one of those offered); deliveries already written
    keep going. Audited when it changes anything."""
    events = _subscribable(events)
    with transaction.atomic():
        endpoint = _owned(endpoint, actor)
        if endpoint.events == events:
            return endpoint
        before = _snapshot(endpoint)
        endpoint.events = events
        endpoint.save(update_fields=["events"])
        _audit(endpoint, actor=actor, action="webhook.events_changed", before=before, reason=reason)
    return endpoint


def delete_endpoint(*, endpoint: Endpoint, actor: Actor, reason: str = CUSTOMER_AREA) -> None:
    """Delete ``endpoint`` with its deliveries (the audit log keeps what it was)."""
    with transaction.atomic():
        endpoint = _owned(endpoint, actor)
        _audit(
            endpoint,
            actor=actor,
            action="webhook.endpoint_deleted",
            before=_snapshot(endpoint),
            reason=reason,
            deleted=True,
        )
        endpoint.delete()


def send_test_event(*, endpoint: Endpoint, actor: Actor) -> Delivery:
    """A ``webhook.test`` event to ``endpoint`` alone, whatever it subscribes to, delivered like any other."""
    with transaction.atomic():
        endpoint = _owned(endpoint, actor)
        if not endpoint.is_active:
            raise WebhookError("disabled", _("Enable the endpoint before sending it a test event."))
        event = Event.objects.create(
            type=EventType.TEST,
            customer_id=endpoint.customer_id,
            data={"endpoint": endpoint.pk, "message": "This is a test event."},
        )
        [delivery] = _deliver(event, [endpoint])
        _audit(endpoint, actor=actor, action="webhook.test_sent", before=None, reason=f"test event {event.public_id}")
    return delivery


# -- events: written in the transaction of the change ------------------------------------------------------------


def _subscribed(customer_ids: set[int], event_type: str) -> list[Endpoint]:
    """Active endpoints for ``event_type`` that may concern these customers: those registered for one of them,
    and those for every customer whose owner holds an active grant on one of them. One query."""
    reach = Q(customer_id__in=customer_ids) | Q(
        customer__isnull=True,
        owner__grants__customer_id__in=customer_ids,
        owner__grants__revoked_at__isnull=True,
    )
    endpoints = Endpoint.objects.filter(reach, is_active=True).select_related("owner").distinct().order_by("pk")
    return [e for e in endpoints if event_type in e.events]


class _Authorities:
    """``authorities_of`` per owner, asked once per event (or per batch of invoices)."""

    def __init__(self) -> None:
        self._known: dict[int, dict[int, Authority]] = {}

    def of(self, endpoint: Endpoint, customer_id: int) -> Authority | None:
        """The owner's authority on ``customer_id`` when the endpoint reaches that customer, else None."""
        if endpoint.customer_id is not None and endpoint.customer_id != customer_id:
            return None
        if endpoint.owner_id not in self._known:
            self._known[endpoint.owner_id] = authorities_of(endpoint.owner)
        return self._known[endpoint.owner_id].get(customer_id)


def _deliver(event: Event, endpoints: list[Endpoint]) -> list[Delivery]:
    """One delivery of ``event`` per endpoint, each published (through the outbox) for its first attempt."""
    due = timezone.now() + timedelta(seconds=settings.WEBHOOKS_REDRIVE_AFTER_SECONDS)
    deliveries = Delivery.objects.bulk_create(
        [Delivery(event=event, endpoint=endpoint, next_attempt_at=due) for endpoint in endpoints]
    )
    for delivery in deliveries:
        publish(DELIVER_TASK, args=[delivery.pk, 1])
    return deliveries


def _customer_data(customer) -> dict:
    return {"id": customer.pk, "name": customer.name, "tax_id": customer.tax_id}


def record_milestone(milestone: Milestone) -> Event | None:
    """The event of a new line of a request's timeline, delivered to every endpoint whose owner may see the
    request (``Authority.may_view_request``). Nothing is written when no endpoint wants it."""
    event_type = MILESTONE_EVENTS.get(milestone.kind)
    if event_type is None:
        return None
    with transaction.atomic(savepoint=False):  # one with the change it describes
        endpoints = _subscribed({milestone.customer_id}, event_type)
        if not endpoints:
            return None
        process = (
            model_for_reference(milestone.reference)
            .objects.select_related("customer")
            .get(reference=milestone.reference)
        )
        authorities = _Authorities()
        recipients = [
            e
            for e in endpoints
            if (found := authorities.of(e, milestone.customer_id)) is not None and found.may_view_request(process)
        ]
        if not recipients:
            return None
        event = Event.objects.create(
            type=event_type,
            customer_id=milestone.customer_id,
            request_reference=milestone.reference,
            data={
                "request": {
                    "reference": process.reference,
                    "kind": process.kind,
                    "customer": _customer_data(process.customer),
                    "is_open": process.is_open,
                    "outcome": process.outcome,
                },
                "status": milestone.kind,
                "message": milestone.message,
                "at": milestone.at.isoformat(),
            },
        )
        _deliver(event, recipients)
    return event


def _invoice_data(invoice: Invoice) -> dict:
    contract = invoice.contract
    return {
        "invoice": {
            "number": invoice.number,
            "customer": _customer_data(contract.customer),
            "contract": contract.number,
            "cups": invoice.supply_point.cups if invoice.supply_point_id else None,
            "issued_on": invoice.issued_on.isoformat(),
            "due_on": invoice.due_on.isoformat() if invoice.due_on else None,
            "period_start": invoice.period_start.isoformat() if invoice.period_start else None,
            "period_end": invoice.period_end.isoformat() if invoice.period_end else None,
            "total": str(invoice.total),
            "currency": "EUR",
            "status": invoice.status,
        }
    }


def record_invoices_issued(invoices: list[Invoice]) -> list[Event]:
    """One ``invoice.issued`` event per new invoice that some endpoint's owner may see (``billing.selectors``'
    visibility), delivered to those endpoints. Queries: one when no endpoint wants invoices, else a fixed
    number per endpoint and per owner, whatever the number of invoices."""
    if not invoices:
        return []
    by_id = {invoice.pk: invoice for invoice in invoices}
    customer_ids = {invoice.contract.customer_id for invoice in invoices}
    with transaction.atomic(savepoint=False):
        endpoints = _subscribed(customer_ids, EventType.INVOICE_ISSUED)
        if not endpoints:
            return []
        authorities = _Authorities()
        recipients: dict[int, list[Endpoint]] = {}
        for endpoint in endpoints:
            reach = [a for cid in customer_ids if (a := authorities.of(endpoint, cid)) is not None]
            rule = visibility(reach)
            if rule is None:
                continue
            for pk in Invoice.objects.filter(rule, pk__in=list(by_id)).values_list("pk", flat=True):
                recipients.setdefault(pk, []).append(endpoint)
        events = []
        for pk in sorted(recipients):
            invoice = by_id[pk]
            event = Event.objects.create(
                type=EventType.INVOICE_ISSUED,
                customer_id=invoice.contract.customer_id,
                invoice=invoice,
                data=_invoice_data(invoice),
            )
            _deliver(event, recipients[pk])
            events.append(event)
    return events


# -- delivery ----------------------------------------------------------------------------------------------------


def _withheld_because(delivery: Delivery) -> str:
    """Why ``delivery`` may not be sent now (a ``Delivery.Withheld`` value), or "" when it may: the endpoint is
    active and its owner may still see what the event is about."""
    endpoint, event = delivery.endpoint, delivery.event
    if not endpoint.is_active:
        return Delivery.Withheld.ENDPOINT_DISABLED
    if event.type == EventType.TEST:
        return ""
    if endpoint.customer_id is not None and endpoint.customer_id != event.customer_id:
        return Delivery.Withheld.NOT_VISIBLE
    if event.request_reference:
        process, _found = request_for(endpoint.owner, event.request_reference)
        return "" if process is not None else Delivery.Withheld.NOT_VISIBLE
    if event.invoice_id is not None:
        return "" if invoice_visible_to(endpoint.owner, event.invoice_id) is not None else Delivery.Withheld.NOT_VISIBLE
    return Delivery.Withheld.NOT_VISIBLE  # an event about nothing we can check is not sent


def retry_delay(attempt: int) -> int:
    """Seconds to wait after failed attempt number ``attempt`` (1-based); the last delay repeats."""
    delays = settings.WEBHOOKS_RETRY_SECONDS
    return delays[min(attempt, len(delays)) - 1]


def _claim(delivery_id: int, attempt: int) -> tuple[Delivery, Attempt] | None:
    """Take attempt number ``attempt`` of the delivery, if it is still the next one and nobody holds the row."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event", "endpoint__owner")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING, attempt_count=attempt - 1)
            .first()
        )
        if delivery is None:
            return None
        if why := _withheld_because(delivery):
            delivery.status, delivery.withheld, delivery.finished_at = Delivery.Status.WITHHELD, why, now
            delivery.save(update_fields=["status", "withheld", "finished_at"])
            return None
        delivery.attempt_count = attempt
        # Held for this attempt: should its worker die, the sweeper sends the next one after this.
        delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOKS_REDRIVE_AFTER_SECONDS)
        delivery.save(update_fields=["attempt_count", "next_attempt_at"])
        return delivery, Attempt.objects.create(delivery=delivery, number=attempt, started_at=now)


def signed_request(event: Event, secret: str, *, timestamp: int) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one attempt of ``event``."""
    body = json.dumps(event.payload(), separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Webhook-Id": event.public_id,
        "X-Webhook-Timestamp": str(timestamp),
        "X-Webhook-Signature": signature(secret, timestamp, body),
    }
    return body, headers


def attempt_delivery(*, delivery_id: int, attempt: int) -> Attempt | None:
    """Post attempt number ``attempt`` of a delivery, once: None when it is not (or no longer) that attempt's
    turn, the row is held by another worker, or the delivery is withheld. Records the answer and what follows:
    delivered on a 2xx; otherwise the next attempt after ``retry_delay``, or failed after
    ``WEBHOOKS_MAX_ATTEMPTS``."""
    claimed = _claim(delivery_id, attempt)
    if claimed is None:
        return None
    delivery, row = claimed
    body, headers = signed_request(delivery.event, delivery.endpoint.secret, timestamp=int(timezone.now().timestamp()))
    answer = transport.post(
        delivery.endpoint.url,
        body,
        headers,
        timeout=settings.WEBHOOKS_TIMEOUT_SECONDS,
        allow_loopback=settings.WEBHOOKS_ALLOW_LOOPBACK,
    )
    now = timezone.now()
    with transaction.atomic():
        # By key: the endpoint may have been deleted (with its deliveries) while the POST was under way.
        Attempt.objects.filter(pk=row.pk).update(
            finished_at=now,
            status_code=answer.status_code,
            duration_ms=answer.duration_ms,
            error=answer.error,
            response_body=answer.body,
        )
        current = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING, attempt_count=attempt)
        if answer.ok:
            current.update(status=Delivery.Status.DELIVERED, finished_at=now)
        elif attempt >= settings.WEBHOOKS_MAX_ATTEMPTS:
            current.update(status=Delivery.Status.FAILED, finished_at=now)
        else:
            current.update(next_attempt_at=now + timedelta(seconds=retry_delay(attempt)))
    row.finished_at, row.status_code, row.duration_ms = now, answer.status_code, answer.duration_ms
    row.error, row.response_body = answer.error, answer.body
    return row


def redrive_due(*, limit: int = 200) -> int:
    """Publish the next attempt of every pending delivery whose time has come: a retry that is due, or a first
    attempt or a claimed one whose message was lost. Moves their time on by ``WEBHOOKS_REDRIVE_AFTER_SECONDS``
    so the next round does not publish them again; several sweepers skip each other's rows."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("pk", "attempt_count")[:limit]
        )
        if due:
            Delivery.objects.filter(pk__in=[pk for pk, _count in due]).update(
                next_attempt_at=now + timedelta(seconds=settings.WEBHOOKS_REDRIVE_AFTER_SECONDS)
            )
        for pk, count in due:
            publish(DELIVER_TASK, args=[pk, count + 1])
    return len(due)


# -- retention ---------------------------------------------------------------------------------------------------

#: Deliveries deleted per transaction by ``purge_old_deliveries``: short transactions, no long lock on the table.
PURGE_BATCH = 1000
#: A delivery that will never be attempted again.
FINISHED = (Delivery.Status.DELIVERED, Delivery.Status.FAILED, Delivery.Status.WITHHELD)


def purge_old_deliveries(*, now=None, batch_size: int = PURGE_BATCH) -> int:
    """Delete the deliveries that finished (delivered, failed or withheld) more than ``WEBHOOKS_RETENTION_DAYS``
    ago, with their attempts, ``batch_size`` at a time, each batch in its own transaction; then the events of
    that age left without any delivery. A pending delivery is never deleted. Returns the deliveries deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.WEBHOOKS_RETENTION_DAYS)
    old = Delivery.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(old.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not batch:
                break
            Attempt.objects.filter(delivery_id__in=batch).delete()
            deleted += Delivery.objects.filter(pk__in=batch).delete()[1].get(Delivery._meta.label, 0)
        if len(batch) < batch_size:
            break
    while True:
        with transaction.atomic():
            events = list(
                Event.objects.filter(created_at__lt=cutoff, deliveries__isnull=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if events:
                Event.objects.filter(pk__in=events).delete()
        if len(events) < batch_size:
            break
    return deleted
