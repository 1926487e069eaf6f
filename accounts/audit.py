"""Writing and verifying the hash-chained audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from .models import AuditEvent, Customer, User

GENESIS_HASH = AuditEvent.GENESIS_HASH
# Any constant: the key of the PostgreSQL advisory lock that orders the chain. It is taken by the
# sealing trigger (migration 0004, ``accounts_audit_seal()``) at COMMIT; keep the two in step.
_CHAIN_LOCK_KEY = 0x617564697431
# The deferred constraint trigger that seals events into the chain at COMMIT on PostgreSQL.
# ``SET CONSTRAINTS accounts_audit_seal IMMEDIATE`` seals at insert instead (tests/conftest.py).
SEAL_TRIGGER = "accounts_audit_seal"


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
    customer: Customer | None = None,
    customer_id: int | None = None,
    before: dict | None,
    after: dict | None,
    reason: str,
    request_ref: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction.

    The customer concerned is ``customer`` or, when the caller has only its key, ``customer_id``.

    The event is INSERTed at once with its ``content_hash`` (so it is visible in the transaction and
    rolled back with it, savepoints included). Where it goes in the chain is decided when it is
    *sealed*:

    - PostgreSQL: at COMMIT, by the deferred constraint trigger ``accounts_audit_seal`` (migration
      0004), which takes the chain's advisory lock only for that moment and sets ``chain_seq``,
      ``prev_hash`` and ``hash``. Until then those are None, also on the returned object (which is
      not refreshed: read the row again after the commit if you need them).
    - SQLite (one writer at a time): here and now, in Python, with the same hash function.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the service's transaction")
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
        # Normalised as the database will store it (IPv6 case and zeros), so the hash still matches when read back.
        ip=AuditEvent._meta.get_field("ip").to_python(actor.ip or None),
    )
    if customer is None and customer_id is not None:
        event.customer_id = customer_id  # the caller has only the key: no query for the row
    event.content_hash = event.compute_content_hash()
    if conn.vendor != "postgresql":
        _seal_now(event)
    event.save()
    return event


def _seal_now(event: AuditEvent) -> None:
    """Link ``event`` to the last sealed event (the chain's single writer: SQLite)."""
    last = (AuditEvent.objects.filter(chain_seq__isnull=False).order_by("-chain_seq")
            .values_list("chain_seq", "hash").first())
    last_seq, last_hash = last or (0, GENESIS_HASH)
    event.chain_seq = last_seq + 1
    event.prev_hash = last_hash
    event.hash = event.compute_hash()


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainBreak]:
    """Yield every place where the stored chain does not hold.

    Walks the chain in ``chain_seq`` order (commit order), recomputing each event's content hash
    and link hash in Python, then reports the events never sealed into the chain. Run it outside
    any transaction that has recorded events: on PostgreSQL those are only sealed at its COMMIT.
    """
    previous_hash, previous_seq = GENESIS_HASH, 0
    sealed = AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
    for event in sealed.iterator(chunk_size=batch_size):
        if event.prev_hash != previous_hash:
            yield ChainBreak(event.id, "previous hash does not match the event before it (an event was removed or reordered)")
        elif event.chain_seq != previous_seq + 1:
            yield ChainBreak(event.id, f"chain position {event.chain_seq} does not follow {previous_seq} (the chain was renumbered)")
        if event.compute_content_hash() != event.content_hash:
            yield ChainBreak(event.id, "content does not match its hash (the event was altered)")
        if event.compute_hash() != event.hash:
            yield ChainBreak(event.id, "link hash does not match its previous hash and content hash (the chain fields were altered)")
        previous_hash, previous_seq = event.hash, event.chain_seq
    unsealed = AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id").values_list("id", flat=True)
    for event_id in unsealed.iterator(chunk_size=batch_size):
        yield ChainBreak(event_id, "the event was never sealed into the chain (its chain fields are empty)")
