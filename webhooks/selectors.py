"""Reads of webhooks for the customer area: a person sees their own endpoints and nothing else."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import Person

from .models import Attempt, Delivery, Endpoint

#: Deliveries an endpoint's page lists, newest first.
RECENT_DELIVERIES = 50


def endpoints_of(person: Person) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(owner=person).select_related("customer")


def endpoint_of(person: Person, endpoint_id: int) -> Endpoint | None:
    """The endpoint, if it is ``person``'s own; None otherwise (whether it exists is not told)."""
    return endpoints_of(person).filter(pk=endpoint_id).first()


def recent_deliveries(endpoint: Endpoint, *, limit: int = RECENT_DELIVERIES) -> list[Delivery]:
    """The endpoint's latest deliveries with their event and attempts (last attempt first). Three queries."""
    return list(
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(Prefetch("attempts", queryset=Attempt.objects.order_by("-number")))
        .order_by("-created_at", "-id")[:limit]
    )
