"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from .models import AuditEvent, Customer, User

GENESIS_HASH = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock that orders the chain.
_CHAIN_LOCK_KEY = 0x617564697431


@dataclass(frozen=True)
class Actor:
    """Who is changing something, and from where."""

    user: User | None
    ip: str | None = None
    label: str = ""

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return self.user.get_username() if self.user else "system"

    @classmethod
    def system(cls, label: str = "system") -> "Actor":
        return cls(user=None, ip=None, label=label)


def _jsonable(value: Any) -> Any:
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Actor,
    action: str,
    target: Any,
    customer: Customer | None,
    before: dict | None,
    after: dict | None,
    reason: str,
    request_ref: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
    if connection.vendor == "postgresql":
        # Serialises appenders so each event links to the one committed before it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event = AuditEvent(
        actor=actor.user if actor.user and actor.user.pk else None,
        actor_label=actor.name[:150],
        action=action,
        target_type=type(target).__name__.lower(),
        target_id=str(target.pk),
        customer=customer,
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason[:300],
        request_ref=request_ref,
        ip=actor.ip or None,
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainBreak]:
    """Yield every place where the stored chain does not hold."""
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != previous:
            yield ChainBreak(event.id, "previous hash does not match the event before it (an event was removed or reordered)")
        if event.compute_hash() != event.hash:
            yield ChainBreak(event.id, "content does not match its hash (the event was altered)")
        previous = event.hash
