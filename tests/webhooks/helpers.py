"""Builders of the webhook tests: endpoints registered through the service, milestones and imported invoices."""

from __future__ import annotations

from accounts.audit import Actor
from accounts.models import Customer, Person
from billing.services import import_billing
from tests.billing import files
from tests.factories import actor
from webhooks import services
from webhooks.models import SUBSCRIBABLE, Endpoint
from workflows.models import Milestone

EVERY_EVENT = [value for value, _label in SUBSCRIBABLE]


def person_actor(person: Person) -> Actor:
    return Actor(user=person.user, ip="203.0.113.9", label="customer")


def endpoint(
    person: Person, *, customer: Customer | None = None, url: str = "https://hooks.example.com/in", events=None
) -> tuple[Endpoint, str]:
    return services.register_endpoint(
        url=url,
        events=events or EVERY_EVENT,
        customer_id=customer.pk if customer else None,
        actor=person_actor(person),
    )


def milestone(process, kind: str = Milestone.Kind.UNDER_REVIEW, message: str = "") -> Milestone:
    return Milestone.objects.create(
        reference=process.reference, customer_id=process.customer_id, kind=kind, message=message
    )


def import_invoices(customer: Customer, tmp_path, *, cups: list[str | None]) -> list[str]:
    """Invoices of the customer's first contract, one per entry of ``cups`` (None: of the whole contract), as the
    billing system's import writes them. Returns their numbers."""
    contract = customer.contracts.first()
    of = {"number": contract.number, "supply_points": [{"cups": ""}]}
    rows = [files.invoice(of, cups=point or "") for point in cups]
    import_billing(paths=[files.write_jsonl(tmp_path / f"invoices-{rows[0]['number']}.jsonl", rows)], actor=actor())
    return [row["number"] for row in rows]
