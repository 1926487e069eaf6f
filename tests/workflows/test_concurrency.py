"""Two people acting on the same request at the same moment, on real PostgreSQL connections."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation
from viewflow.workflow.status import PROCESS, STATUS

from accounts.models import AuditEvent, Grant
from workflows import services
from workflows.models import RepresentativeChangeProcess

from .paperwork import (
    NEW_NIF,
    OTHER_NIF,
    customer_actor,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    task_of,
    upload,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections need PostgreSQL")


def at_verify(story):
    """A request submitted and pre-checked (Celery eager; every step commits on its own)."""
    process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    services.submit_documents(process=process, actor=customer_actor(story.representative))
    process.refresh_from_db()
    assert task_of(process, "verify") is not None
    return process


def race(*calls):
    """Run the calls in threads, released together; each on its own connection. Returns results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 -- reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_two_verifiers_deciding_at_once_apply_the_change_once(story):
    process = at_verify(story)
    task = task_of(process, "verify")
    first, second = staff("verifiers"), staff("verifiers")

    def approve(user):
        return lambda: services.decide(task_id=task.pk, user=user, decision="approve", actor=staff_actor(user))

    results = race(approve(first), approve(second))

    won = [r for r in results if isinstance(r, RepresentativeChangeProcess)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], services.DecisionError), repr(lost[0])
    process.refresh_from_db()
    assert process.outcome == "applied" and process.status == PROCESS.DONE
    assert process.decided_by == won[0].decided_by
    assert Grant.objects.filter(customer=story.customer, person__id_number=NEW_NIF).count() == 1
    assert AuditEvent.objects.filter(request_ref=process.reference, action="request.apply").count() == 1
    assert AuditEvent.objects.filter(request_ref=process.reference, action="request.approve").count() == 1
    assert AuditEvent.objects.filter(request_ref=process.reference, action="grant.create").count() == 2


def test_an_approval_and_a_rejection_at_once_leave_one_outcome(story):
    process = at_verify(story)
    task = task_of(process, "verify")
    first, second = staff("verifiers"), staff("verifiers")
    results = race(
        lambda: services.decide(task_id=task.pk, user=first, decision="approve", actor=staff_actor(first)),
        lambda: services.decide(
            task_id=task.pk, user=second, decision="reject", reason="unreadable", actor=staff_actor(second)
        ),
    )
    assert sum(isinstance(r, services.DecisionError) for r in results) == 1, results
    process.refresh_from_db()
    winner = next(r for r in results if isinstance(r, RepresentativeChangeProcess))
    assert process.outcome == winner.outcome and process.decided_by == winner.decided_by
    applied = Grant.objects.filter(customer=story.customer, person__id_number=NEW_NIF).exists()
    assert applied == (process.outcome == "applied")


def test_a_stale_decision_after_the_task_is_done_is_refused(story):
    process = at_verify(story)
    task = task_of(process, "verify")
    first, second = staff("verifiers"), staff("verifiers")
    services.decide(task_id=task.pk, user=first, decision="approve", actor=staff_actor(first))
    events = AuditEvent.objects.count()

    for user, decision in ((second, "reject"), (first, "approve")):
        with translation.override("en"), pytest.raises(services.DecisionError, match="already decided"):
            services.decide(task_id=task.pk, user=user, decision=decision, reason="unreadable", actor=staff_actor(user))

    task.refresh_from_db()
    process.refresh_from_db()
    assert task.status == STATUS.DONE and process.outcome == "applied" and process.decided_by == first
    assert AuditEvent.objects.count() == events


def test_a_double_submit_starts_one_precheck(story):
    process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    actor = customer_actor(story.representative)
    results = race(*[lambda: services.submit_documents(process=process, actor=actor)] * 2)
    assert sum(isinstance(r, RepresentativeChangeProcess) for r in results) == 1, results
    [refused] = [r for r in results if isinstance(r, Exception)]
    assert isinstance(refused, services.RequestError), repr(refused)
    assert len([t for t in process.task_set.all() if t.flow_task.name == "precheck"]) == 1
    assert task_of(process, "verify") is not None


def test_two_starts_of_the_same_kind_at_once_open_one_request(story):
    results = race(
        lambda: start_change(story), lambda: start_change(story, new_id_number=OTHER_NIF, new_name="Pere Mas Pi")
    )
    started = [r for r in results if isinstance(r, RepresentativeChangeProcess)]
    assert len(started) == 1, results
    [other] = [r for r in results if r not in started]
    assert isinstance(other, services.RequestAlreadyOpen), repr(other)
    assert other.open_request.pk == started[0].pk
    assert RepresentativeChangeProcess.objects.filter(customer=story.customer).count() == 1


def _holding_the_lock(process):
    """A thread that holds the request's row lock (as a long step would) until the returned event is set."""
    held, release = threading.Event(), threading.Event()

    def hold():
        from django.db import transaction

        try:
            with transaction.atomic():
                RepresentativeChangeProcess.objects.select_for_update().filter(pk=process.pk).exists()
                held.set()
                release.wait(20)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert held.wait(10)
    return release, thread


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "Someone else is changing this request right now. Nothing was saved: try again in a moment."),
        (
            "ca",
            "Algú altre està modificant aquesta sol·licitud ara mateix. No s'ha desat res: torna-ho a provar d'aquí a un moment.",
        ),
        (
            "es",
            "Otra persona está modificando esta solicitud en este momento. No se ha guardado nada: vuelve a intentarlo en un momento.",
        ),
    ],
)
def test_a_decision_while_the_request_stays_locked_is_a_message_not_an_error_page(
    story, monkeypatch, language, message
):
    from workflows.flows import RepresentativeChange

    process = at_verify(story)
    task = task_of(process, "verify")
    verifier = staff("verifiers")
    monkeypatch.setattr(
        RepresentativeChange.lock_impl, "attempts", 1
    )  # give up at once instead of after ~6 s of retries
    events = AuditEvent.objects.count()
    release, thread = _holding_the_lock(process)
    try:
        with translation.override(language), pytest.raises(services.DecisionError) as caught:
            services.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor(verifier))
        with translation.override(language), pytest.raises(services.RequestError) as refused_submit:
            services.submit_documents(process=process, actor=customer_actor(story.representative))
    finally:
        release.set()
        thread.join(20)
    assert str(caught.value) == message and str(refused_submit.value) == message
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None and AuditEvent.objects.count() == events  # nothing saved
    process = services.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor(verifier))
    assert process.outcome == "applied"  # once the lock is free, the same decision goes through
