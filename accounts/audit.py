"""Writing and verifying the hash-chained audit log, and anchoring its head outside the database."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

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
    def system(cls, label: str = "system") -> Actor:
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
    last = (
        AuditEvent.objects.filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values_list("chain_seq", "hash")
        .first()
    )
    last_seq, last_hash = last or (0, GENESIS_HASH)
    event.chain_seq = last_seq + 1
    event.prev_hash = last_hash
    event.hash = event.compute_hash()


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None  # None: the loss of events no longer in the table (found against an anchor)
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
            yield ChainBreak(
                event.id, "previous hash does not match the event before it (an event was removed or reordered)"
            )
        elif event.chain_seq != previous_seq + 1:
            yield ChainBreak(
                event.id, f"chain position {event.chain_seq} does not follow {previous_seq} (the chain was renumbered)"
            )
        if event.compute_content_hash() != event.content_hash:
            yield ChainBreak(event.id, "content does not match its hash (the event was altered)")
        if event.compute_hash() != event.hash:
            yield ChainBreak(
                event.id, "link hash does not match its previous hash and content hash (the chain fields were altered)"
            )
        previous_hash, previous_seq = event.hash, event.chain_seq
    unsealed = AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id").values_list("id", flat=True)
    for event_id in unsealed.iterator(chunk_size=batch_size):
        yield ChainBreak(event_id, "the event was never sealed into the chain (its chain fields are empty)")


@dataclass(frozen=True)
class Anchor:
    """The chain's head at one moment, kept outside the database so that losing the tail shows."""

    chain_seq: int  # 0: the chain was empty
    hash: str
    count: int  # audit events in the table, sealed or not
    at: datetime

    def to_json(self) -> str:
        return json.dumps(
            {"chain_seq": self.chain_seq, "hash": self.hash, "count": self.count, "at": self.at.isoformat()},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        data = json.loads(text)
        return cls(
            chain_seq=int(data["chain_seq"]),
            hash=str(data["hash"]),
            count=int(data["count"]),
            at=datetime.fromisoformat(data["at"]),
        )


class AnchorError(RuntimeError):
    """Something in the anchor sink is not an anchor: verification cannot vouch for the chain."""


class FileAnchorSink:
    """Anchors as JSON lines in a file opened only for appending (embedded mode).

    The application never rewrites the file; in production make it append-only for the app's user
    too (``chattr +a``) or use the S3 sink.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def write(self, anchor: Anchor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        with os.fdopen(fd, "a", encoding="utf-8") as sink:
            sink.write(anchor.to_json() + "\n")
            sink.flush()
            os.fsync(sink.fileno())

    def latest(self) -> Anchor | None:
        """The anchor furthest along the chain: a later, shorter one (written after a loss) cannot hide the loss."""
        if not self.path.exists():
            return None
        anchors = []
        with self.path.open(encoding="utf-8") as sink:
            for number, line in enumerate(sink, start=1):
                if line.strip():
                    try:
                        anchors.append(Anchor.from_json(line))
                    except (ValueError, KeyError, TypeError) as error:
                        raise AnchorError(f"{self.path} line {number} is not an anchor: {error}") from error
        return max(anchors, key=lambda anchor: (anchor.chain_seq, anchor.at), default=None)


class S3AnchorSink:
    """Anchors as one object each in an S3 bucket with object lock (production).

    The key starts with the zero-padded ``chain_seq``, so keys sort in chain order; objects are
    written only if absent (``If-None-Match: *``) and, when ``lock_mode`` is set, retained in that
    object-lock mode (GOVERNANCE or COMPLIANCE) for ``retain_days``. The app's credentials need only
    s3:PutObject, s3:GetObject and s3:ListBucket.
    """

    def __init__(self, *, bucket: str, prefix: str = "", lock_mode: str = "", retain_days: int = 0, **client_options):
        import boto3

        self.bucket, self.prefix = bucket, prefix
        self.lock_mode, self.retain_days = lock_mode, retain_days
        self.client = boto3.client("s3", **client_options)

    def write(self, anchor: Anchor) -> None:
        key = f"{self.prefix}{anchor.chain_seq:020d}-{anchor.at.strftime('%Y%m%dT%H%M%S%fZ')}.json"
        extra = {}
        if self.lock_mode:
            extra = {
                "ObjectLockMode": self.lock_mode,
                "ObjectLockRetainUntilDate": anchor.at + timedelta(days=self.retain_days),
            }
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=anchor.to_json().encode(),
            ContentType="application/json",
            IfNoneMatch="*",
            **extra,
        )

    def latest(self) -> Anchor | None:
        """The anchor furthest along the chain (the last key), as for the file sink."""
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        key = max((item["Key"] for page in pages for item in page.get("Contents", [])), default=None)
        if key is None:
            return None
        body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        try:
            return Anchor.from_json(body.decode())
        except (ValueError, KeyError, TypeError) as error:
            raise AnchorError(f"s3://{self.bucket}/{key} is not an anchor: {error}") from error


AnchorSink = FileAnchorSink | S3AnchorSink


def anchor_sink() -> AnchorSink:
    """The sink named by ``settings.AUDIT_ANCHOR_SINK``: ``file:///path`` or ``s3://bucket/prefix``."""
    url = urlsplit(settings.AUDIT_ANCHOR_SINK)
    if url.scheme == "file":
        return FileAnchorSink(url.path)
    if url.scheme == "s3" and url.netloc:
        prefix = url.path.lstrip("/")
        return S3AnchorSink(
            bucket=url.netloc,
            prefix=prefix and prefix.rstrip("/") + "/",
            lock_mode=settings.AUDIT_ANCHOR_S3_LOCK_MODE,
            retain_days=settings.AUDIT_ANCHOR_S3_RETAIN_DAYS,
            **settings.AUDIT_ANCHOR_S3_CLIENT,
        )
    raise ImproperlyConfigured(
        f"AUDIT_ANCHOR_SINK must be file:///path or s3://bucket/prefix, not {settings.AUDIT_ANCHOR_SINK!r}"
    )


def chain_head() -> Anchor:
    """The last sealed event's position and hash, and the number of events (position and count read together)."""
    head = AuditEvent.objects.aggregate(chain_seq=Max("chain_seq"), count=Count("id"))
    seq = head["chain_seq"] or 0
    last_hash = AuditEvent.objects.get(chain_seq=seq).hash if seq else GENESIS_HASH
    return Anchor(chain_seq=seq, hash=last_hash, count=head["count"], at=timezone.now())


def verify_anchor(anchor: Anchor) -> Iterator[ChainBreak]:
    """Yield what the chain has lost since ``anchor`` was written: a deleted tail, a truncation, a rewrite."""
    when = anchor.at.isoformat(timespec="seconds")
    if anchor.chain_seq:
        anchored = AuditEvent.objects.filter(chain_seq=anchor.chain_seq).values_list("id", "hash").first()
        if anchored is None:
            yield ChainBreak(
                None,
                f"the anchored head (position {anchor.chain_seq}, anchored {when}) is missing "
                "(the chain's tail was deleted or the table truncated)",
            )
        elif anchored[1] != anchor.hash:
            yield ChainBreak(
                anchored[0],
                f"the event at the anchored head (position {anchor.chain_seq}, anchored {when}) "
                "has another hash (the chain was rewritten)",
            )
    kept = AuditEvent.objects.filter(chain_seq__gte=1, chain_seq__lte=anchor.chain_seq).count()
    if kept != anchor.chain_seq:
        yield ChainBreak(
            None, f"{anchor.chain_seq - kept} of the {anchor.chain_seq} events anchored {when} are missing"
        )
    total = AuditEvent.objects.count()
    if total < anchor.count:
        yield ChainBreak(
            None, f"{total} events where there were {anchor.count} when anchored {when} (events were deleted)"
        )


def verify_anchored_chain(sink: AnchorSink | None = None) -> tuple[Anchor | None, list[ChainBreak]]:
    """The chain checked on its own and against the newest anchor in ``sink`` (default: the configured one)."""
    anchor = (sink or anchor_sink()).latest()
    breaks = list(verify_chain())
    if anchor is not None:
        breaks += verify_anchor(anchor)
    return anchor, breaks


class AuditChainBroken(Exception):
    def __init__(self, breaks: list[ChainBreak]):
        self.breaks = breaks
        shown = "; ".join(f"event {b.event_id}: {b.problem}" if b.event_id else b.problem for b in breaks[:5])
        more = f" (and {len(breaks) - 5} more)" if len(breaks) > 5 else ""
        super().__init__(f"{len(breaks)} place(s): {shown}{more}")


def verify_and_anchor(sink: AnchorSink | None = None) -> Anchor:
    """Verify the chain against its newest anchor and, if it holds, anchor its current head.

    The head is read before the walk, so every event it covers has been verified. A broken chain is
    not anchored (that would record the loss as the new normal): ``AuditChainBroken`` is raised.
    """
    sink = sink or anchor_sink()
    head = chain_head()
    _, breaks = verify_anchored_chain(sink)
    if breaks:
        raise AuditChainBroken(breaks)
    sink.write(head)
    return head
