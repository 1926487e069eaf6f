"""Every path of the two flows, end to end through the services (OCR on text-layer PDFs, Celery eager)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from viewflow.workflow.status import PROCESS, STATUS

from accounts.audit import Actor
from accounts.models import AuditEvent, Grant, Invitation, Person, SupplyPoint
from documents.models import Precheck
from tests import factories
from workflows import services
from workflows.models import Milestone, RejectReason, UploadLink
from workflows.nodes import retry_job

from .paperwork import (
    FIRM_CIF,
    MANAGER_NAME,
    MANAGER_NIF,
    NEW_NIF,
    OTHER_NIF,
    customer_actor,
    fire,
    link_token,
    mails_to,
    manager_mandate,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    start_manager,
    task_of,
    task_summary,
    tasks_of,
    timer_task,
    upload,
)

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages the tests match are the English ones
        yield


@pytest.fixture
def verifier(db):
    return staff("verifiers")


@pytest.fixture
def supervisor(db):
    return staff("supervisors")


def submitted(story, django_capture_on_commit_callbacks, *, content=None, start=start_change, **kwargs):
    """A request started, with one document uploaded and submitted; the eager pre-check has run."""
    with django_capture_on_commit_callbacks(execute=True):
        process = start(story, **kwargs)
    upload(process, content if content is not None else power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    process.refresh_from_db()
    return process


def decide(capture, process, user, decision="approve", **kwargs):
    task = task_of(process, "verify")
    assert task is not None, task_summary(process)
    with capture(execute=True):
        return services.decide(task_id=task.pk, user=user, decision=decision, actor=staff_actor(user), **kwargs)


def second(capture, process, user, approve=True, **kwargs):
    task = task_of(process, "second_approval")
    assert task is not None, task_summary(process)
    with capture(execute=True):
        return services.second_decision(task_id=task.pk, user=user, approve=approve, actor=staff_actor(user), **kwargs)


def active_grants(customer) -> set:
    return set(
        Grant.objects.filter(customer=customer, revoked_at__isnull=True).values_list("pk", "person__id_number", "role")
    )


def milestones(process) -> list:
    return list(Milestone.objects.filter(reference=process.reference).values_list("kind", flat=True))


# -- approve ------------------------------------------------------------------------------


def test_approve_applies_the_change_and_tells_everyone(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(story, django_capture_on_commit_callbacks)
    assert process.precheck.verdict == "clear", process.precheck.result
    task = task_of(process, "verify")
    assert task is not None and task.status == STATUS.NEW
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        process = services.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor(verifier))
    assert process.outcome == "applied" and not process.is_open
    assert process.status == PROCESS.DONE, [(t.flow_task.name, t.status) for t in process.task_set.all()]
    rep = Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True)
    assert rep.person.id_number == NEW_NIF
    assert (
        Grant.objects.get(customer=story.customer, person=story.representative, revoked_at__isnull=True).role
        == "authorised_full"
    )
    assert {m.kind for m in Milestone.objects.filter(reference=process.reference)} >= {
        "submitted",
        "documents_received",
        "checks_running",
        "under_review",
        "applied",
    }
    assert AuditEvent.objects.filter(request_ref=process.reference, action="grant.create").count() == 2
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["rep@example.com", "marta@example.com", story.representative.email])


# -- reject, and decisions refused before anything changes ------------------------------------


def test_reject_with_a_reason_closes_the_request_without_touching_grants(
    story, verifier, django_capture_on_commit_callbacks
):
    process = submitted(story, django_capture_on_commit_callbacks)
    grants = active_grants(story.customer)
    mail.outbox.clear()

    process = decide(
        django_capture_on_commit_callbacks,
        process,
        verifier,
        "reject",
        reason="names_do_not_match",
        customer_message="El nom del poder no coincideix amb el de la sol·licitud.",
        internal_note="nom diferent",
    )

    assert process.outcome == "rejected" and not process.is_open and process.closed_at
    assert process.status == PROCESS.DONE, task_summary(process)
    assert process.decided_by == verifier and process.reject_reason == "names_do_not_match"
    assert active_grants(story.customer) == grants
    assert not AuditEvent.objects.filter(request_ref=process.reference, action__startswith="grant.").exists()
    rejected = Milestone.objects.get(reference=process.reference, kind="rejected")
    assert rejected.message == "El nom del poder no coincideix amb el de la sol·licitud."
    assert "nom diferent" not in rejected.message  # the internal note stays inside
    process.document_set.refresh_from_db()
    assert process.document_set.closed_at is not None
    [message] = mail.outbox
    assert message.to == ["rep@example.com"]
    with translation.override("ca"):  # the reason in the customer's language
        assert str(RejectReason.NAMES_DO_NOT_MATCH.label) in message.body and "no coincideix" in message.body
    assert "nom diferent" not in message.body


@pytest.mark.parametrize(
    "decision, reason, message",
    [
        ("reject", "", "El document no serveix."),  # no reason
        ("reject", "other", "   "),  # "other" needs an explanation for the customer
        ("more_documents", "", ""),  # asking for more without saying what
        ("more_documents", "", "  \n "),
        ("maybe", "", "x"),  # not a decision
    ],
)
def test_an_incomplete_decision_is_refused_and_changes_nothing(
    story, verifier, django_capture_on_commit_callbacks, decision, reason, message
):
    process = submitted(story, django_capture_on_commit_callbacks)
    task = task_of(process, "verify")
    events = AuditEvent.objects.count()
    mail.outbox.clear()

    with pytest.raises(services.DecisionError), django_capture_on_commit_callbacks(execute=True):
        services.decide(
            task_id=task.pk,
            user=verifier,
            decision=decision,
            reason=reason,
            customer_message=message,
            actor=staff_actor(verifier),
        )

    task.refresh_from_db()
    process.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner_id is None
    assert process.is_open and process.decision == "" and process.decided_by is None and process.status == PROCESS.NEW
    assert AuditEvent.objects.count() == events and mail.outbox == []
    assert task_of(process, "verify").pk == task.pk


# -- more documents ----------------------------------------------------------------------------


def test_ask_for_more_documents_then_approve(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(story, django_capture_on_commit_callbacks)
    first_precheck = process.precheck
    mail.outbox.clear()

    process = decide(
        django_capture_on_commit_callbacks,
        process,
        verifier,
        "more_documents",
        customer_message="Envieu també l'escriptura de nomenament.",
    )

    assert process.is_open and process.outcome == "" and process.documents_rounds == 1
    assert services.waiting_for_documents(process), task_summary(process)
    process.document_set.refresh_from_db()
    assert process.document_set.submitted_at is None and process.document_set.closed_at is None
    asked = Milestone.objects.get(reference=process.reference, kind="more_documents")
    assert asked.message == "Envieu també l'escriptura de nomenament."
    assert [m.to for m in mail.outbox] == [["rep@example.com"]]
    assert not Grant.objects.filter(customer=story.customer, person__id_number=NEW_NIF).exists()

    upload(process, power_of_attorney(story.customer, seed=11), name="escriptura.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    process.refresh_from_db()

    assert process.precheck != first_precheck
    assert process.precheck.status == Precheck.Status.DONE and process.precheck.verdict == "clear", (
        process.precheck.result
    )
    assert Precheck.objects.filter(document_set=process.document_set).count() == 2
    assert len(tasks_of(process, "precheck")) == 2 and len(tasks_of(process, "verify")) == 2
    assert milestones(process).count("checks_running") == 2

    process = decide(django_capture_on_commit_callbacks, process, verifier, "approve")
    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)
    assert (
        Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True).person.id_number
        == NEW_NIF
    )


def test_submitting_without_documents_is_refused_and_the_request_keeps_waiting(
    story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    with pytest.raises(services.RequestError), django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    process.refresh_from_db()
    assert services.waiting_for_documents(process) and task_of(process, "documents").status == STATUS.NEW
    assert process.precheck is None and "documents_received" not in milestones(process)


# -- timers ---------------------------------------------------------------------------------


def test_a_request_without_documents_expires(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    grants = active_grants(story.customer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert fire(process, "expire") == 1
    process.refresh_from_db()

    assert process.outcome == "expired" and not process.is_open and process.closed_at
    assert process.status == PROCESS.DONE, task_summary(process)
    assert not process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).exists(), task_summary(process)
    process.document_set.refresh_from_db()
    assert process.document_set.closed_at is not None
    assert "expired" in milestones(process)
    assert active_grants(story.customer) == grants
    [message] = mail.outbox
    with translation.override("ca"):
        expected = gettext("Your request %(reference)s has expired") % {"reference": process.reference}
    assert message.to == ["rep@example.com"] and message.subject == expected
    with pytest.raises(services.RequestError):
        upload(process, power_of_attorney(story.customer))


def test_the_reminder_does_not_interrupt_the_wait_for_documents(story, verifier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    reminder = timer_task(process, "remind")
    assert reminder.scheduled - reminder.created >= timedelta(days=3) - timedelta(seconds=5)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert fire(process, "remind") == 1
    process.refresh_from_db()

    assert process.is_open and process.status == PROCESS.NEW
    assert services.waiting_for_documents(process), task_summary(process)
    assert task_of(process, "documents").status == STATUS.NEW
    assert timer_task(process, "expire") is not None  # the expiry is still armed
    assert "reminder" in milestones(process)
    [message] = mail.outbox
    assert message.to == ["rep@example.com"] and process.reference in message.body

    # and the request goes on as usual
    upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    assert timer_task(process, "expire") is None  # disarmed with the documents
    process = decide(django_capture_on_commit_callbacks, process, verifier)
    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)


def test_an_overdue_verification_escalates_to_the_supervisors(
    story, verifier, supervisor, django_capture_on_commit_callbacks
):
    process = submitted(story, django_capture_on_commit_callbacks)
    task = task_of(process, "verify")
    assert task.owner_permission == "workflows.verify_request"
    with process.flow_class.lock(process.pk):  # the verifier had taken it
        task.flow_task.activation_class(task).assign(verifier)
    escalation = timer_task(process, "escalate")
    assert escalation.scheduled >= timezone.now() + timedelta(days=2) - timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert fire(process, "escalate") == 1
    task.refresh_from_db()
    process.refresh_from_db()

    assert process.escalated_at is not None and process.is_open
    assert task.status == STATUS.NEW and task.owner_id is None
    assert task.owner_permission == "workflows.supervise_request"
    assert AuditEvent.objects.filter(request_ref=process.reference, action="request.escalate").exists()
    with pytest.raises(services.DecisionError):  # the verifier no longer may take it
        decide(django_capture_on_commit_callbacks, process, verifier)
    process = decide(django_capture_on_commit_callbacks, process, supervisor)
    assert process.outcome == "applied" and process.decided_by == supervisor
    assert process.status == PROCESS.DONE, task_summary(process)


def test_add_working_days_skips_the_weekend():
    friday = datetime(2026, 3, 6, 10, 0, tzinfo=MADRID)
    assert friday.weekday() == 4
    assert services.add_working_days(friday, 2) == datetime(2026, 3, 10, 10, 0, tzinfo=MADRID)  # Tuesday
    assert services.add_working_days(friday - timedelta(days=1), 2) == datetime(
        2026, 3, 9, 10, 0, tzinfo=MADRID
    )  # Thu -> Mon
    assert services.add_working_days(friday + timedelta(days=1), 2) == datetime(
        2026, 3, 10, 10, 0, tzinfo=MADRID
    )  # Sat -> Tue
    assert services.add_working_days(friday + timedelta(days=2), 1) == datetime(
        2026, 3, 9, 10, 0, tzinfo=MADRID
    )  # Sun -> Mon
    assert services.add_working_days(friday - timedelta(days=4), 2) == datetime(
        2026, 3, 4, 10, 0, tzinfo=MADRID
    )  # Mon -> Wed


def test_the_verification_deadline_counts_working_days_in_local_time(monkeypatch):
    # Saturday 00:30 in Madrid is still Friday in UTC: the deadline is Tuesday 00:30, not Wednesday.
    saturday = datetime(2026, 3, 7, 0, 30, tzinfo=MADRID)
    monkeypatch.setattr(timezone, "now", lambda: saturday.astimezone(ZoneInfo("UTC")))
    deadline = services.verification_deadline(None)
    assert deadline == datetime(2026, 3, 10, 0, 30, tzinfo=MADRID), timezone.localtime(deadline)


# -- four eyes ----------------------------------------------------------------------------------


def test_an_unclear_precheck_needs_a_second_approval(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(
        story, django_capture_on_commit_callbacks, content=power_of_attorney(story.customer, nif=OTHER_NIF)
    )
    assert process.precheck.verdict != "clear", process.precheck.result
    grants = active_grants(story.customer)

    process = decide(django_capture_on_commit_callbacks, process, verifier)

    task = task_of(process, "second_approval")
    assert task is not None and task.status == STATUS.NEW, task_summary(process)
    assert task.owner_permission == "workflows.supervise_request"
    assert process.is_open and process.outcome == "" and process.applied_at is None
    assert active_grants(story.customer) == grants
    assert "second_approval" in milestones(process)


def test_a_sensitive_customer_needs_a_second_approval(story, verifier, django_capture_on_commit_callbacks):
    story.customer.sensitive = True
    story.customer.save()
    process = submitted(story, django_capture_on_commit_callbacks)
    assert process.precheck.verdict == "clear"

    process = decide(django_capture_on_commit_callbacks, process, verifier)

    assert task_of(process, "second_approval") is not None, task_summary(process)
    assert process.is_open and process.applied_at is None
    assert not Grant.objects.filter(customer=story.customer, person__id_number=NEW_NIF).exists()


@pytest.fixture
def awaiting_second(story, verifier, django_capture_on_commit_callbacks):
    story.customer.sensitive = True
    story.customer.save()
    process = submitted(story, django_capture_on_commit_callbacks)
    return decide(django_capture_on_commit_callbacks, process, verifier)


def test_the_verifier_cannot_give_the_second_approval(awaiting_second, verifier, django_capture_on_commit_callbacks):
    with pytest.raises(services.DecisionError, match="supervisor"):
        second(django_capture_on_commit_callbacks, awaiting_second, verifier)
    assert task_of(awaiting_second, "second_approval").owner_id is None
    awaiting_second.refresh_from_db()
    assert awaiting_second.applied_at is None and awaiting_second.second_approved_by is None


def test_the_supervisor_who_decided_first_cannot_give_the_second_approval(
    story, supervisor, django_capture_on_commit_callbacks
):
    story.customer.sensitive = True
    story.customer.save()
    process = submitted(story, django_capture_on_commit_callbacks)
    process = decide(django_capture_on_commit_callbacks, process, supervisor)
    assert process.decided_by == supervisor and task_of(process, "second_approval") is not None

    with pytest.raises(services.DecisionError, match="different person"):
        second(django_capture_on_commit_callbacks, process, supervisor)
    process.refresh_from_db()
    assert process.applied_at is None and process.is_open
    another = staff("supervisors")
    process = second(django_capture_on_commit_callbacks, process, another)
    assert process.outcome == "applied"


def test_a_supervisor_gives_the_second_approval_and_the_change_is_applied(
    awaiting_second, verifier, supervisor, django_capture_on_commit_callbacks, story
):
    process = second(django_capture_on_commit_callbacks, awaiting_second, supervisor)
    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)
    assert process.decided_by == verifier and process.second_approved_by == supervisor
    assert (
        Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True).person.id_number
        == NEW_NIF
    )
    assert AuditEvent.objects.filter(request_ref=process.reference, action="request.second_approve").count() == 1


def test_a_supervisor_rejects_at_the_second_approval(
    awaiting_second, supervisor, django_capture_on_commit_callbacks, story
):
    grants = active_grants(story.customer)
    mail.outbox.clear()
    with pytest.raises(services.DecisionError):  # a rejection needs a reason here too
        second(django_capture_on_commit_callbacks, awaiting_second, supervisor, approve=False)

    process = second(
        django_capture_on_commit_callbacks,
        awaiting_second,
        supervisor,
        approve=False,
        reason="not_valid_representation",
        customer_message="El poder ha caducat.",
    )

    assert process.outcome == "rejected" and process.status == PROCESS.DONE, task_summary(process)
    assert process.decision == "reject" and process.reject_reason == "not_valid_representation"
    assert process.applied_at is None and active_grants(story.customer) == grants
    assert Milestone.objects.get(reference=process.reference, kind="rejected").message == "El poder ha caducat."
    [message] = mail.outbox
    assert message.to == ["rep@example.com"] and "El poder ha caducat." in message.body


def test_apply_request_refuses_a_request_still_waiting_for_its_second_approval(awaiting_second, story):
    grants = active_grants(story.customer)
    with pytest.raises(services.DecisionError):
        services.apply_request(process=awaiting_second)
    awaiting_second.refresh_from_db()
    assert awaiting_second.applied_at is None and awaiting_second.is_open
    assert active_grants(story.customer) == grants


# -- segregation of duties ---------------------------------------------------------------------


def test_nobody_decides_on_a_request_they_started(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(story, django_capture_on_commit_callbacks, actor=staff_actor(verifier), channel="phone")
    assert process.started_by == verifier

    with pytest.raises(services.DecisionError, match="started"):
        decide(django_capture_on_commit_callbacks, process, verifier)
    assert task_of(process, "verify").owner_id is None
    process = decide(django_capture_on_commit_callbacks, process, staff("verifiers"))
    assert process.outcome == "applied"


def test_nobody_decides_on_a_request_that_names_them(story, django_capture_on_commit_callbacks):
    named = staff("supervisors")
    person = factories.person(id_number=NEW_NIF, name="Marta Puig Soler")
    person.user = named
    person.save(update_fields=["user"])
    process = submitted(story, django_capture_on_commit_callbacks)

    with pytest.raises(services.DecisionError, match="names you"):
        decide(django_capture_on_commit_callbacks, process, named)
    process.refresh_from_db()
    assert process.decision == "" and process.is_open


def test_nobody_gives_the_second_approval_on_a_request_that_names_them(
    awaiting_second, django_capture_on_commit_callbacks, story
):
    named = staff("supervisors")
    Person.objects.filter(pk=story.representative.pk).update(user=named)  # the requester is a supervisor too
    with pytest.raises(services.DecisionError, match="names you"):
        second(django_capture_on_commit_callbacks, awaiting_second, named)


@pytest.mark.parametrize("who", ["customer", "agent", "inactive verifier", "verifier without staff flag"])
def test_only_verification_staff_decide(story, django_capture_on_commit_callbacks, who):
    process = submitted(story, django_capture_on_commit_callbacks)
    if who == "customer":
        user = story.full.user
    elif who == "agent":
        user = staff("callcenter_agents")
    else:
        user = staff("verifiers")
        if who == "inactive verifier":
            user.is_active = False
        else:
            user.is_staff = False
        user.save()
    with pytest.raises(services.DecisionError, match="Only verification staff"):
        decide(django_capture_on_commit_callbacks, process, user)
    assert task_of(process, "verify").owner_id is None


def test_a_task_another_verifier_took_is_theirs(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(story, django_capture_on_commit_callbacks)
    task = task_of(process, "verify")
    with process.flow_class.lock(process.pk):
        task.flow_task.activation_class(task).assign(verifier)
    with pytest.raises(services.DecisionError, match="is working on this task"):
        decide(django_capture_on_commit_callbacks, process, staff("verifiers"))
    process = decide(django_capture_on_commit_callbacks, process, verifier)
    assert process.outcome == "applied"


def test_a_decision_on_the_wrong_kind_of_task_is_refused(
    story, verifier, supervisor, django_capture_on_commit_callbacks
):
    process = submitted(story, django_capture_on_commit_callbacks)
    task = task_of(process, "verify")
    with pytest.raises(services.DecisionError, match="not a decision task"):
        services.second_decision(task_id=task.pk, user=supervisor, approve=True, actor=staff_actor(supervisor))
    [job] = tasks_of(process, "precheck")
    with pytest.raises(services.DecisionError, match="not a decision task"):
        services.decide(task_id=job.pk, user=verifier, decision="approve", actor=staff_actor(verifier))


# -- by phone: the upload link --------------------------------------------------------------------


def test_a_phone_request_goes_on_through_the_upload_link(story, verifier, django_capture_on_commit_callbacks):
    agent = staff("callcenter_agents")
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story, actor=staff_actor(agent), channel="phone", contact_email="caller@example.com")
    assert process.channel == "phone" and process.started_by == agent

    link = UploadLink.objects.get(reference=process.reference)
    assert link.email == "caller@example.com" and link.created_by == agent and link.state == "sent"
    assert milestones(process) == ["submitted", "link_sent"]
    [message] = mail.outbox
    assert message.to == ["caller@example.com"]
    token = link_token(message, process.reference)
    assert link.token_hash not in message.body and token not in link.token_hash

    found, same = services.check_upload_link(reference=process.reference, token=token, mark_opened=True)
    assert found == link and same.pk == process.pk
    link.refresh_from_db()
    assert link.state == "opened"

    holder = Actor(user=None, ip="203.0.113.9", label="upload link")
    upload(same, power_of_attorney(story.customer), actor=holder)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=same, actor=holder, link=found)
    process.refresh_from_db()
    link.refresh_from_db()

    assert link.state == "uploaded"
    assert process.precheck.verdict == "clear", process.precheck.result
    assert task_of(process, "verify") is not None, task_summary(process)
    process = decide(django_capture_on_commit_callbacks, process, verifier)
    assert process.outcome == "applied"


# -- the external manager flow ------------------------------------------------------------------


def test_external_manager_end_to_end(story, verifier, django_capture_on_commit_callbacks):
    points = list(SupplyPoint.objects.filter(contract__customer=story.customer).order_by("pk")[:1])
    process = submitted(
        story,
        django_capture_on_commit_callbacks,
        start=start_manager,
        supply_points=points,
        content=manager_mandate(story.customer),
    )
    assert process.reference.startswith("EM-")
    assert process.precheck.verdict == "clear", process.precheck.result
    mail.outbox.clear()

    process = decide(django_capture_on_commit_callbacks, process, verifier)

    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)
    grant = process.grant
    assert grant.role == "external_manager" and grant.revoked_at is None and grant.customer == story.customer
    assert grant.person.id_number == MANAGER_NIF and grant.person.name == MANAGER_NAME
    assert grant.firm.cif == FIRM_CIF and grant.firm.kind == "energy_manager"
    assert list(grant.supply_points.all()) == points
    assert Invitation.objects.filter(grant=grant, email="jordi@example.com").exists()
    assert sorted(m.to[0] for m in mail.outbox) == ["jordi@example.com", "rep@example.com"]
    assert "applied" in milestones(process)


def test_an_approval_the_account_store_refuses_is_not_saved(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(
        story, django_capture_on_commit_callbacks, start=start_manager, content=manager_mandate(story.customer)
    )
    # meanwhile the manager became an authorised contact of the customer: the store refuses a second grant
    manager = Person.objects.get(id_number=MANAGER_NIF)  # known to the store since the request named them
    factories.grant(customer=story.customer, person=manager, role="authorised_readonly")
    grants = active_grants(story.customer)
    events = AuditEvent.objects.count()

    with pytest.raises(services.DecisionError, match="already has access"):
        decide(django_capture_on_commit_callbacks, process, verifier)

    process.refresh_from_db()
    assert process.is_open and process.decision == "" and process.applied_at is None
    assert task_of(process, "verify").status == STATUS.NEW
    assert active_grants(story.customer) == grants and AuditEvent.objects.count() == events


def test_an_external_manager_request_arms_only_its_own_timers(story, django_capture_on_commit_callbacks):
    from workflows.flows import ExternalManager

    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(story)
    assert {t.flow_task.flow_class for t in process.task_set.all()} == {ExternalManager}
    timers = [t.flow_task.name for t in process.task_set.filter(flow_task_type="TIMER")]
    assert sorted(timers) == ["documents__timeout", "documents__timeout_2"]


def test_an_external_manager_request_can_be_rejected(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(
        story, django_capture_on_commit_callbacks, start=start_manager, content=manager_mandate(story.customer)
    )
    grants = active_grants(story.customer)
    process = decide(
        django_capture_on_commit_callbacks,
        process,
        verifier,
        "reject",
        reason="wrong_document",
        customer_message="Cal el mandat signat.",
    )
    assert process.outcome == "rejected" and process.status == PROCESS.DONE, task_summary(process)
    assert process.grant is None and active_grants(story.customer) == grants


def test_an_external_manager_request_asks_for_more_then_goes_to_second_approval(
    story, verifier, supervisor, django_capture_on_commit_callbacks
):
    story.customer.sensitive = True
    story.customer.save()
    process = submitted(
        story, django_capture_on_commit_callbacks, start=start_manager, content=manager_mandate(story.customer)
    )
    process = decide(
        django_capture_on_commit_callbacks, process, verifier, "more_documents", customer_message="Falta el CIF."
    )
    upload(
        process,
        power_of_attorney(story.customer, nif=MANAGER_NIF, name=MANAGER_NAME, doc_type="manager_mandate", seed=12),
        name="mandat2.pdf",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    process = decide(django_capture_on_commit_callbacks, process, verifier)
    assert process.grant is None and task_of(process, "second_approval") is not None, task_summary(process)
    process = second(django_capture_on_commit_callbacks, process, supervisor)
    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)
    assert process.grant.role == "external_manager" and list(process.grant.supply_points.all()) == []


def test_an_external_manager_request_without_documents_expires(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        process = start_manager(story)
    with django_capture_on_commit_callbacks(execute=True):
        fire(process, "remind")
        fire(process, "expire")
    process.refresh_from_db()
    assert process.outcome == "expired" and process.status == PROCESS.DONE, task_summary(process)
    assert milestones(process)[-2:] == ["reminder", "expired"]


# -- applying is idempotent, one open request per kind --------------------------------------------


def test_applying_twice_changes_nothing(story, verifier, django_capture_on_commit_callbacks):
    process = decide(django_capture_on_commit_callbacks, submitted(story, django_capture_on_commit_callbacks), verifier)
    grants = active_grants(story.customer)
    all_grants = Grant.objects.count()
    events = AuditEvent.objects.count()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.apply_request(process=process)

    assert again.applied_at == process.applied_at
    assert active_grants(story.customer) == grants and Grant.objects.count() == all_grants
    assert AuditEvent.objects.count() == events
    assert mail.outbox == [] and milestones(process).count("applied") == 1


def test_a_second_open_request_of_the_same_kind_is_refused(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = start_change(story)
    with pytest.raises(services.RequestAlreadyOpen) as refused:
        start_change(story, new_id_number=OTHER_NIF, new_name="Pere Mas Pi")
    assert refused.value.open_request.pk == first.pk and first.reference in str(refused.value.message)
    assert type(first).objects.filter(customer=story.customer).count() == 1


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"new_id_number": "12345678A"}, "NIF"),  # wrong check letter
        ({"new_email": "not-an-address"}, "e-mail"),
        ({"contact_email": ""}, "e-mail"),
        ({"new_name": " M "}, "full name"),
        ({"outgoing": "keep_it_all"}, "outgoing"),
    ],
)
def test_a_representative_change_with_bad_fields_is_not_started(story, overrides, message):
    with pytest.raises(services.RequestError, match=message):
        start_change(story, **overrides)
    assert not Milestone.objects.exists()


def test_the_current_representative_cannot_be_named_again(story):
    with pytest.raises(services.RequestError, match="already the representative"):
        start_change(story, new_id_number=story.representative.id_number, new_name=story.representative.name)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"firm_cif": "B12345678"}, "CIF"),
        ({"firm_kind": "bank"}, "kind of firm"),
        ({"manager_id_number": "X"}, "NIF"),
    ],
)
def test_an_external_manager_with_bad_fields_is_not_started(story, overrides, message):
    with pytest.raises(services.RequestError, match=message):
        start_manager(story, **overrides)
    assert not Milestone.objects.exists()


def test_an_external_manager_needs_the_customers_own_supply_points_and_a_person_without_access(story):
    foreign = SupplyPoint.objects.filter(contract__customer=story.other_customer).first()
    with pytest.raises(services.RequestError, match="supply point"):
        start_manager(story, supply_points=[foreign])
    with pytest.raises(services.RequestError, match="already has access"):
        start_manager(story, manager_id_number=story.full.id_number)


def test_a_request_of_another_kind_may_be_open_at_the_same_time(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = start_change(story)
        other = start_manager(story)
    assert first.is_open and other.is_open and other.reference.startswith("EM-")


def test_a_new_request_is_allowed_once_the_first_is_closed(story, verifier, django_capture_on_commit_callbacks):
    first = submitted(story, django_capture_on_commit_callbacks)
    decide(django_capture_on_commit_callbacks, first, verifier, "reject", reason="unreadable")
    with django_capture_on_commit_callbacks(execute=True):
        again = start_change(story)
    assert again.is_open and again.reference != first.reference


# -- a pre-check that cannot run ------------------------------------------------------------------


def test_a_failed_precheck_leaves_the_job_in_error_and_retry_goes_on(
    story, verifier, django_capture_on_commit_callbacks, monkeypatch
):
    """The OCR-queue path (pages that need OCR): the pre-check's own task fails, the waiting job records it."""
    from documents import prechecks

    def broken_plan(*, precheck_id):
        raise RuntimeError("the document store is unreachable")

    monkeypatch.setattr(prechecks, "_read_text_layers", lambda precheck, rows: False)  # as if the page were a scan
    monkeypatch.setattr(prechecks, "plan", broken_plan)
    process = submitted(story, django_capture_on_commit_callbacks)

    assert process.precheck.status == Precheck.Status.FAILED
    assert "the document store is unreachable" in process.precheck.error
    [job] = tasks_of(process, "precheck")
    assert job.status == STATUS.ERROR, task_summary(process)
    assert "the document store is unreachable" in job.data["_exception"]["title"]
    assert task_of(process, "verify") is None and process.is_open

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retry_job(job.pk)
    process.refresh_from_db()
    job.refresh_from_db()

    assert job.status == STATUS.REVIVED
    assert process.precheck.status == Precheck.Status.DONE and process.precheck.verdict == "clear"
    assert [t.status for t in tasks_of(process, "precheck")] == [STATUS.REVIVED, STATUS.DONE]
    assert task_of(process, "verify") is not None, task_summary(process)
    process = decide(django_capture_on_commit_callbacks, process, verifier)
    assert process.outcome == "applied" and process.status == PROCESS.DONE, task_summary(process)


def test_a_text_layer_precheck_runs_inside_the_job_and_a_storage_fault_there_is_retried_not_recorded(
    story, verifier, django_capture_on_commit_callbacks, monkeypatch
):
    """Text-layer pages are read inside the job: no pre-check task at all; a storage fault there is not the job's
    error: the job stays scheduled and its message runs again (the Celery retry, or reconciliation)."""
    from documents import prechecks
    from outbox import services as outbox
    from outbox.models import Message

    process = submitted(story, django_capture_on_commit_callbacks)
    assert not Message.objects.filter(
        task__in=["documents.tasks.plan_precheck_task", "documents.tasks.read_page_task"]
    ).exists()
    assert process.precheck.status == Precheck.Status.DONE and process.precheck.verdict == "clear"
    assert process.precheck.pages_done == process.precheck.pages_total == 1
    assert [t.status for t in tasks_of(process, "precheck")] == [STATUS.DONE]
    assert task_of(process, "verify") is not None, task_summary(process)

    # the same with the document store failing while the job reads: nothing of that round is kept
    first_precheck = process.precheck
    process = decide(
        django_capture_on_commit_callbacks, process, verifier, "more_documents", customer_message="Falta una pàgina."
    )
    upload(process, power_of_attorney(story.customer, seed=11), name="escriptura.pdf")

    original = prechecks._read_text_layers

    def unreachable(precheck, rows):
        raise OSError("the document store is unreachable")

    monkeypatch.setattr(prechecks, "_read_text_layers", unreachable)
    with pytest.raises(OSError), django_capture_on_commit_callbacks(execute=True):  # eagerly the fault surfaces
        services.submit_documents(process=process, actor=customer_actor(story.representative))
    process.refresh_from_db()
    job = max(tasks_of(process, "precheck"), key=lambda t: t.pk)
    assert job.status == STATUS.SCHEDULED, task_summary(process)
    assert process.precheck == first_precheck  # the failed round left no pre-check behind
    assert Precheck.objects.filter(document_set=process.document_set).count() == 1

    monkeypatch.setattr(prechecks, "_read_text_layers", original)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.offer(Message.objects.get(task_id=job.external_task_id))  # what the retry delivers
    process.refresh_from_db()
    assert task_of(process, "verify") is not None, task_summary(process)
    assert process.precheck != first_precheck
    assert process.precheck.status == Precheck.Status.DONE and process.precheck.verdict == "clear"
    assert process.precheck.pages_done == process.precheck.pages_total == 2  # both documents of the set


# -- who is told what -----------------------------------------------------------------------------


def test_a_new_representative_without_login_gets_an_invitation(story, verifier, django_capture_on_commit_callbacks):
    process = submitted(story, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    process = decide(django_capture_on_commit_callbacks, process, verifier)

    grant = Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True)
    invitation = Invitation.objects.get(grant=grant)
    assert invitation.email == "marta@example.com" and invitation.used_at is None
    [welcome] = mails_to("marta@example.com")
    assert "/invitation/" in welcome.body
    [replaced] = mails_to(story.representative.email)
    assert process.reference in replaced.body


def test_a_new_representative_with_a_login_gets_no_invitation(story, verifier, django_capture_on_commit_callbacks):
    new = story.full  # already an authorised contact with a login
    process = submitted(
        story,
        django_capture_on_commit_callbacks,
        new_id_number=new.id_number,
        new_name=new.name,
        new_email=new.email,
        content=power_of_attorney(story.customer, nif=new.id_number, name=new.name),
    )
    mail.outbox.clear()
    process = decide(django_capture_on_commit_callbacks, process, verifier)
    assert process.outcome == "applied", task_summary(process)
    grant = Grant.objects.get(customer=story.customer, role="representative", revoked_at__isnull=True)
    assert grant.person == new and not Invitation.objects.filter(grant=grant).exists()
    [welcome] = mails_to(new.email)
    assert "/invitation/" not in welcome.body


def test_deactivating_the_outgoing_representative_revokes_their_grant(
    story, verifier, django_capture_on_commit_callbacks
):
    process = submitted(story, django_capture_on_commit_callbacks, outgoing="deactivate")
    mail.outbox.clear()
    process = decide(django_capture_on_commit_callbacks, process, verifier)

    assert process.outcome == "applied"
    story.rep_grant.refresh_from_db()
    assert story.rep_grant.revoked_at is not None
    assert not Grant.objects.filter(
        customer=story.customer, person=story.representative, revoked_at__isnull=True
    ).exists()
    assert len(mails_to(story.representative.email)) == 1


def test_a_decision_on_a_task_that_does_not_exist_gets_a_message_in_the_users_language(verifier):
    with translation.override("ca"), pytest.raises(services.DecisionError) as refused:
        services.decide(task_id=987654321, user=verifier, decision="approve", actor=staff_actor(verifier))
    assert str(refused.value) == "Aquesta tasca ja no existeix."  # rendered when raised, in the active language
    assert not AuditEvent.objects.filter(action__startswith="request.").exists()
