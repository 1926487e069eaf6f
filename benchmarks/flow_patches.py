"""Candidate speed-ups for the paperwork flow, as opt-in monkeypatches, to measure them with flow_bench.

NOT part of the application: ``benchmarks/flow_settings.py`` applies the ones named in
FLOW_BENCH_PATCHES (comma-separated; ``flow_bench.py --patch NAME`` sets it) in the driver and in
the worker, so a proposed change can be measured without editing ``documents/`` or ``workflows/``.
Each patch says which function it stands in for; the real change is described in its docstring.
The benchmark prints the patches in force with its figures.
"""

from __future__ import annotations

import io
import logging

logger = logging.getLogger(__name__)


def plan_inline() -> None:
    """documents/prechecks.py ``start_precheck``: plan right after the commit in the same process, not in a new task.

    The on-commit hook calls ``plan`` directly (the job's worker already has the rows warm) and
    falls back to ``plan_precheck_task.delay`` only if planning raises -- one Celery task fewer
    per request.
    """
    from dataclasses import asdict

    from django.db import transaction

    from accounts import audit
    from documents import prechecks
    from documents.models import Precheck

    def _plan_or_queue(precheck_id: int) -> None:
        try:
            prechecks.plan(precheck_id=precheck_id)
        except Exception:  # noqa: BLE001 - the task has the retry policy
            logger.warning("inline planning of pre-check %s failed; queueing the task", precheck_id, exc_info=True)
            from documents.tasks import plan_precheck_task

            plan_precheck_task.delay(precheck_id)

    def start_precheck(*, document_set, claim, actor):
        with transaction.atomic():
            precheck = Precheck.objects.create(document_set=document_set, claim=asdict(claim))
            audit.record(actor=actor, action="precheck.start", target=precheck, customer=document_set.customer, before=None,
                         after={"document_set": document_set.pk, "claim": precheck.claim}, reason="documents submitted",
                         request_ref=document_set.reference)
            transaction.on_commit(lambda: _plan_or_queue(precheck.pk))
        return precheck

    prechecks.start_precheck = start_precheck


def read_inline() -> None:
    """documents/prechecks.py ``_next_wave``: a wave of ONE page is read in the current task, not queued.

    Nothing runs in parallel with a one-page wave anyway (a one-page document, or the last page),
    so the extra ``read_page_task`` hop buys nothing. Pages of bigger waves are still queued.
    """
    from django.db import transaction
    from django.utils import timezone

    from documents import prechecks
    from documents.models import Precheck, PrecheckPage

    def _next_wave(precheck_id: int) -> None:
        from documents.tasks import read_page_task

        with transaction.atomic():
            precheck = Precheck.objects.select_for_update().get(pk=precheck_id)
            wave = prechecks._pick_wave(precheck)
            if wave:
                PrecheckPage.objects.filter(pk__in=wave).update(status=PrecheckPage.Status.QUEUED, queued_at=timezone.now())
                precheck.wave_pending = len(wave)
                precheck.save(update_fields=["wave_pending"])
                if len(wave) > 1:
                    transaction.on_commit(lambda: [read_page_task.delay(page_id) for page_id in wave])
        if not wave:
            prechecks.finish(precheck_id=precheck_id)
        elif len(wave) == 1:
            prechecks.read_page(page_id=wave[0])

    prechecks._next_wave = _next_wave


def no_acks_late() -> None:
    """Celery: acknowledge messages when a task starts instead of when it ends (``acks_late=False``).

    ``CELERY_TASK_ACKS_LATE`` in backoffice/settings.py and the explicit ``acks_late=True`` of
    ``flow_job`` (workflows/nodes.py), ``plan_precheck_task``/``read_page_task``/``make_previews_task``
    (documents/tasks.py). Measured only: a lost worker would then lose the task (the flow relies on
    redelivery, and the page sweeper exists for lost read_page tasks).
    """
    from backoffice.celery import app

    app.conf.task_acks_late = False
    for task in list(app.tasks.values()):
        task.acks_late = False


def audit_at_commit() -> None:
    """accounts/audit.py ``record``: chain the transaction's audit events at COMMIT, not when each is recorded.

    Today ``record`` takes the chain's global ``pg_advisory_xact_lock`` at the transaction's first
    event, so every auditing transaction (start, upload, submit, the pre-check job, decide+apply)
    holds the only chain lock from its first event to its commit, Viewflow and the apply included.
    Here ``record`` only builds the event and queues it on the connection (through Django's
    on-commit list, so a rolled-back savepoint drops its events); just before the commit the queued
    events are chained and inserted under the lock, which is then held for a few milliseconds.
    Same rows, same hashes, same order (id order = chain order = commit order); ``verify_chain``
    is unchanged. A prototype for measuring: the real change needs a proper pre-commit hook.
    """
    from django.db import connection as default_connection
    from django.db import transaction
    from django.db.backends.postgresql.base import DatabaseWrapper

    from accounts import audit
    from accounts.models import AuditEvent

    class _Pending:
        def __init__(self, event):
            self.event = event

        def __call__(self):  # never run: taken off the list before the commit
            pass

    def record(*, actor, action, target, customer, before, after, reason, request_ref=""):
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("audit.record must be called inside the service's transaction")
        event = AuditEvent(
            actor=actor.user if actor.user and actor.user.pk else None, actor_label=actor.name[:150], action=action,
            target_type=type(target).__name__.lower(), target_id=str(target.pk), customer=customer,
            before=audit._jsonable(before), after=audit._jsonable(after), reason=reason[:300], request_ref=request_ref,
            ip=actor.ip or None, prev_hash="",
        )
        transaction.on_commit(_Pending(event))
        return event

    original_commit = DatabaseWrapper.commit

    def commit(self):
        pending = [func.event for _, func, _ in self.run_on_commit if isinstance(func, _Pending)]
        if pending:
            self.run_on_commit = [entry for entry in self.run_on_commit if not isinstance(entry[1], _Pending)]
            with self.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit._CHAIN_LOCK_KEY])
                cursor.execute("SELECT hash FROM accounts_auditevent ORDER BY id DESC LIMIT 1")
                row = cursor.fetchone()
            last = row[0] if row else audit.GENESIS_HASH
            for event in pending:
                event.prev_hash = last
                event.hash = last = event.compute_hash()
            AuditEvent.objects.using(self.alias).bulk_create(pending)
        return original_commit(self)

    audit.record = record
    DatabaseWrapper.commit = commit
    assert default_connection  # noqa: the default alias is the only database


PATCHES = {
    "plan-inline": plan_inline,
    "read-inline": read_inline,
    "no-acks-late": no_acks_late,
    "audit-at-commit": audit_at_commit,
}


def apply(names: str) -> list[str]:
    applied = []
    for name in filter(None, (n.strip() for n in names.split(","))):
        if name not in PATCHES:
            raise ValueError(f"unknown flow_bench patch {name!r}; known: {', '.join(PATCHES)}")
        PATCHES[name]()
        applied.append(name)
    return applied
