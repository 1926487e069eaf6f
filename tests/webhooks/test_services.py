"""webhooks/services.py: endpoints, the events that follow a change, and who gets them (``authority``)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEvent, Invoice
from accounts.services import revoke_grant
from outbox.models import Message
from tests.factories import actor, grant, person
from tests.workflows.paperwork import start_change
from webhooks import services
from webhooks.models import Delivery, Endpoint, Event, EventType
from workflows.models import Milestone

from .helpers import endpoint, import_invoices, milestone, person_actor

pytestmark = pytest.mark.django_db

SSRF = [
    "http://10.0.0.1/hook",
    "https://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "https://169.254.169.254/latest/meta-data/",
    "https://192.168.1.10/",
    "https://172.16.0.1/",
    "https://100.64.0.1/",
    "https://[fe80::1]/",
    "https://[fd00::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://167772161/",  # 10.0.0.1 written as one number
    "https://0x0a000001/",
    "https://0.0.0.0/",
    "https://127.0.0.1/",
    "https://localhost/",
    "https://api.localhost/",
    "file:///etc/passwd",
    "gopher://example.com/",
    "ftp://example.com/",
    "http://example.com/hook",  # plain HTTP to a public host
    "https://user:secret@example.com/",
    "https://",
    "https://example.com:99999/",
    "not a url",
]


def deliveries_to(endpoint_row: Endpoint) -> list[Delivery]:
    return list(Delivery.objects.filter(endpoint=endpoint_row).select_related("event").order_by("id"))


# -- registering -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", SSRF)
def test_an_address_that_is_not_public_https_is_refused_and_nothing_is_written(story, url):
    with pytest.raises(services.WebhookError) as refused:
        endpoint(story.representative, customer=story.customer, url=url)
    assert refused.value.code.startswith("url_")
    assert not Endpoint.objects.exists() and not AuditEvent.objects.filter(action__startswith="webhook.").exists()


def test_loopback_over_plain_http_only_when_the_setting_allows_it(story, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    row, _secret = endpoint(story.representative, url="http://127.0.0.1:8999/in")
    assert row.url == "http://127.0.0.1:8999/in"
    for url in ("http://10.0.0.1/", "http://169.254.169.254/", "http://example.com/"):
        with pytest.raises(services.WebhookError):
            endpoint(story.representative, url=url)


def test_registering_keeps_the_secret_out_of_the_audit_log_and_returns_it_once(story):
    row, secret = endpoint(story.manager, customer=story.customer)
    assert secret.startswith("whsec_") and len(secret) > 40 and row.secret == secret
    event = AuditEvent.objects.get(action="webhook.endpoint_registered")
    assert event.customer_id == story.customer.pk and event.actor == story.manager.user
    assert secret not in str(event.after) and event.after["secret"] == row.secret_hint


def test_nobody_registers_for_a_customer_they_do_not_see(story):
    with pytest.raises(services.WebhookError) as refused:
        endpoint(story.outsider, customer=story.customer)
    assert refused.value.code == "not_allowed" and not Endpoint.objects.exists()


def test_a_scoped_manager_registers_only_for_customers_in_reach(story):
    other = person(login=True)
    with pytest.raises(services.WebhookError):
        endpoint(other)  # no grant anywhere: not even "every customer"
    grant(customer=story.customer, person=other, role="external_manager", firm=story.firm, supply_points=[])
    with pytest.raises(services.WebhookError):
        endpoint(other, customer=story.other_customer)
    row, _secret = endpoint(other, customer=story.customer)  # sees the customer; what it is sent, the rule decides
    assert row.owner == other


def test_only_the_owner_changes_an_endpoint(story):
    row, secret = endpoint(story.manager, customer=story.customer)
    for intruder in (story.representative, story.outsider):
        who = person_actor(intruder)
        for change, extra in (
            (services.rotate_secret, {}),
            (services.set_active, {"active": False}),
            (services.delete_endpoint, {}),
            (services.send_test_event, {}),
        ):
            with pytest.raises(services.WebhookError):
                change(endpoint=row, actor=who, **extra)
    row.refresh_from_db()
    assert row.secret == secret and row.is_active and not Event.objects.exists()


def test_rotating_disabling_and_deleting_are_audited(story):
    row, secret = endpoint(story.manager, customer=story.customer)
    new = services.rotate_secret(endpoint=row, actor=person_actor(story.manager))
    assert new != secret and Endpoint.objects.get(pk=row.pk).secret == new
    services.set_active(endpoint=row, active=False, actor=person_actor(story.manager))
    services.delete_endpoint(endpoint=row, actor=person_actor(story.manager))
    assert not Endpoint.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="webhook.").order_by("pk").values_list("action", flat=True)
    )
    assert actions == [
        "webhook.endpoint_registered",
        "webhook.secret_rotated",
        "webhook.endpoint_disabled",
        "webhook.endpoint_deleted",
    ]
    assert all(
        new not in str(e.after) + str(e.before) for e in AuditEvent.objects.filter(action__startswith="webhook.")
    )


# -- events: who gets what ---------------------------------------------------------------------------------------


def test_a_request_milestone_is_one_event_delivered_to_every_endpoint_whose_owner_sees_the_request(story):
    rep_endpoint, _ = endpoint(story.representative, customer=story.customer)
    manager_endpoint, _ = endpoint(story.manager)  # every customer the manager sees
    outsider_endpoint, _ = endpoint(story.outsider)  # every customer the outsider sees: not ours
    readonly_endpoint, _ = endpoint(story.readonly, customer=story.customer, events=["invoice.issued"])
    process = start_change(story)
    [event] = Event.objects.filter(request_reference=process.reference)
    assert event.type == EventType.REQUEST_STATUS_CHANGED and event.customer_id == story.customer.pk
    assert event.data["status"] == Milestone.Kind.SUBMITTED and event.data["request"]["reference"] == process.reference
    assert [d.endpoint for d in Delivery.objects.filter(event=event).order_by("endpoint_id")] == [
        rep_endpoint,
        manager_endpoint,
    ]
    assert deliveries_to(outsider_endpoint) == [] and deliveries_to(readonly_endpoint) == []
    # each delivery's first attempt leaves through the outbox, in the same transaction
    messages = Message.objects.filter(task="webhooks.tasks.deliver")
    assert sorted(m.args for m in messages) == sorted([d.pk, 1] for d in Delivery.objects.filter(event=event))


@pytest.mark.parametrize(
    ("kind", "event_type"),
    [
        (Milestone.Kind.MORE_DOCUMENTS, EventType.REQUEST_DOCUMENTS_REQUESTED),
        (Milestone.Kind.APPLIED, EventType.REQUEST_APPLIED),
        (Milestone.Kind.REJECTED, EventType.REQUEST_REJECTED),
        (Milestone.Kind.EXPIRED, EventType.REQUEST_STATUS_CHANGED),
    ],
)
def test_each_step_of_the_timeline_is_its_event_and_only_subscribers_get_it(story, kind, event_type):
    process = start_change(story)
    wanted, _ = endpoint(story.representative, customer=story.customer, events=[event_type])
    other_type = next(t for t in ("request.applied", "request.rejected") if t != event_type)
    unwanted, _ = endpoint(story.representative, customer=story.customer, events=[other_type])
    milestone(process, kind, message="Falta la pàgina 2")
    [delivery] = deliveries_to(wanted)
    assert delivery.event.type == event_type and delivery.event.data["message"] == "Falta la pàgina 2"
    assert deliveries_to(unwanted) == []


def test_reminders_send_nothing_and_nothing_is_written_without_endpoints(story):
    process = start_change(story)
    milestone(process, Milestone.Kind.UNDER_REVIEW)
    assert not Event.objects.exists()
    endpoint(story.representative, customer=story.customer)
    milestone(process, Milestone.Kind.REMINDER)
    assert not Event.objects.exists()


def test_a_scoped_manager_gets_no_request_events_of_the_customer(story):
    scoped = person(login=True)
    point = story.customer.contracts.first().supply_points.first()
    grant(customer=story.customer, person=scoped, role="external_manager", firm=story.firm, supply_points=[point])
    scoped_endpoint, _ = endpoint(scoped, customer=story.customer)
    start_change(story)
    assert deliveries_to(scoped_endpoint) == []


def test_an_event_rolled_back_with_its_change_leaves_nothing(story):
    endpoint(story.representative, customer=story.customer)
    process = start_change(story)
    before = (Event.objects.count(), Delivery.objects.count(), Message.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        milestone(process, Milestone.Kind.UNDER_REVIEW)
        assert Event.objects.count() == before[0] + 1
        raise RuntimeError("the change failed")
    assert (Event.objects.count(), Delivery.objects.count(), Message.objects.count()) == before


def test_invoices_of_customer_a_never_reach_customer_b(story, tmp_path):
    mine, _ = endpoint(story.representative)
    theirs, _ = endpoint(story.outsider)
    numbers = import_invoices(story.customer, tmp_path, cups=[None, None])
    events = Event.objects.filter(type=EventType.INVOICE_ISSUED).order_by("pk")
    assert [e.data["invoice"]["number"] for e in events] == numbers
    assert events[0].data["invoice"]["customer"]["tax_id"] == story.customer.tax_id
    assert len(deliveries_to(mine)) == 2 and deliveries_to(theirs) == []
    other_numbers = import_invoices(story.other_customer, tmp_path, cups=[None])
    assert [d.event.data["invoice"]["number"] for d in deliveries_to(theirs)] == other_numbers
    assert len(deliveries_to(mine)) == 2


def test_a_scoped_manager_gets_the_invoices_of_their_supply_points_only(story, tmp_path):
    scoped = person(login=True)
    mine, other_point = story.customer.contracts.first().supply_points.order_by("pk")[:2]
    grant(customer=story.customer, person=scoped, role="external_manager", firm=story.firm, supply_points=[mine])
    scoped_endpoint, _ = endpoint(scoped, customer=story.customer)
    numbers = import_invoices(story.customer, tmp_path, cups=[mine.cups, other_point.cups, None])
    assert Invoice.objects.filter(number__in=numbers).count() == 3
    assert [d.event.data["invoice"]["number"] for d in deliveries_to(scoped_endpoint)] == numbers[:1]


def test_a_revoked_managers_endpoint_gets_nothing_after_the_revocation(story, tmp_path):
    manager_endpoint, _ = endpoint(story.manager, customer=story.customer)
    every_endpoint, _ = endpoint(story.manager)
    process = start_change(story)
    pending = deliveries_to(manager_endpoint) + deliveries_to(every_endpoint)
    assert len(pending) == 2
    revoke_grant(grant=story.manager_grant, actor=actor(), reason="mandate ended")
    # written before, attempted after: withheld, nothing posted
    for delivery in pending:
        assert services.attempt_delivery(delivery_id=delivery.pk, attempt=1) is None
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.WITHHELD and delivery.withheld == Delivery.Withheld.NOT_VISIBLE
        assert not delivery.attempts.exists()
    # and nothing new is written for them
    milestone(process, Milestone.Kind.UNDER_REVIEW)
    import_invoices(story.customer, tmp_path, cups=[None])
    assert len(deliveries_to(manager_endpoint) + deliveries_to(every_endpoint)) == 2


def test_a_collaborators_endpoint_stops_with_the_managers_grant(story):
    collaborator_endpoint, _ = endpoint(story.collaborator, customer=story.customer)
    start_change(story)
    [delivery] = deliveries_to(collaborator_endpoint)
    revoke_grant(grant=story.manager_grant, actor=actor(), reason="mandate ended")
    assert services.attempt_delivery(delivery_id=delivery.pk, attempt=1) is None
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.WITHHELD


def test_a_disabled_endpoint_gets_no_new_deliveries_and_its_pending_ones_are_withheld(story):
    row, _ = endpoint(story.representative, customer=story.customer)
    process = start_change(story)
    [pending] = deliveries_to(row)
    services.set_active(endpoint=row, active=False, actor=person_actor(story.representative))
    milestone(process, Milestone.Kind.UNDER_REVIEW)
    assert deliveries_to(row) == [pending]
    assert services.attempt_delivery(delivery_id=pending.pk, attempt=1) is None
    pending.refresh_from_db()
    assert pending.withheld == Delivery.Withheld.ENDPOINT_DISABLED


def test_the_sweeper_publishes_due_deliveries_once_per_round(story):
    row, _ = endpoint(story.representative, customer=story.customer)
    start_change(story)
    [delivery] = deliveries_to(row)
    assert services.redrive_due() == 0  # its first message is on its way: not due yet
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now(), attempt_count=2)
    assert services.redrive_due() == 1
    assert Message.objects.filter(task="webhooks.tasks.deliver", args=[delivery.pk, 3]).count() == 1
    assert services.redrive_due() == 0  # moved on: the next round does not publish it again
