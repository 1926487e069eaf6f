"""Reads for the supervisors' pages: the requests on hold, a person's identity, and the work that is stuck."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.nodes import TimerBoundary
from viewflow.workflow.status import STATUS

from accounts.models import Grant, Person, User
from outbox.models import Email, Message
from workflows.models import PROCESS_MODELS, PaperworkRequest
from workflows.nodes import StaffTask, failure_of
from workflows.rules import SUPERVISE
from workflows.selectors import FINISHED


@dataclass(frozen=True)
class Step:
    """One unfinished step of a request, as Viewflow holds it: the node's title and who holds the task."""

    title: str
    description: str
    status: str
    status_label: str
    owner: User | None  # the staff member who took it; None while it waits in a queue (or on the customer, the system)
    supervisors_only: bool  # a staff task only supervisors may take (an objection or an escalation put it there)
    since: datetime
    url: str  # the staff task page, for a verification or a second approval


@dataclass(frozen=True)
class Hold:
    process: PaperworkRequest
    steps: list[Step] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return self.process._meta.verbose_name


def _step(task: Task) -> Step:
    node = task.flow_task
    staff_task = isinstance(node, StaffTask)
    return Step(
        title=str(node.task_title),
        description=str(node.task_description),
        status=task.status,
        status_label=task.get_status_display(),
        owner=task.owner,
        supervisors_only=staff_task and task.owner_permission == SUPERVISE,
        since=task.created,
        url=task.reverse("execute") if staff_task else "",
    )


def requests_on_hold() -> list[Hold]:
    """Every open request the representative objected to, newest objection first, with its unfinished steps.

    Three queries whatever the number of requests: one per kind of request, one for their tasks.
    """
    processes: list[PaperworkRequest] = []
    for model in PROCESS_MODELS:
        processes += model.objects.filter(is_open=True, objected_at__isnull=False).select_related(
            "customer", "objected_by"
        )
    if not processes:
        return []
    processes.sort(key=lambda p: (p.objected_at, p.pk), reverse=True)
    steps: dict[int, list[Step]] = {}
    tasks = (
        Task.objects.filter(process_id__in=[p.pk for p in processes])
        .exclude(status__in=FINISHED)
        .select_related("owner")
        .order_by("created", "pk")
    )
    for task in tasks:
        if not isinstance(task.flow_task, TimerBoundary):  # reminders, expiry and escalation timers are not steps
            steps.setdefault(task.process_id, []).append(_step(task))
    return [Hold(process=p, steps=steps.get(p.pk, [])) for p in processes]


@dataclass(frozen=True)
class Identity:
    """A person as the account store knows them, with the roles they hold now."""

    person: Person
    grants: list[Grant]

    @property
    def has_login(self) -> bool:
        """A login they can use (an account without a password is an invitation not yet taken up)."""
        return self.person.user is not None and self.person.user.has_usable_password()


def person_with_id_number(id_number: str) -> Person | None:
    """The person with this (already normalised) NIF, NIE or passport number."""
    return Person.objects.filter(id_number=id_number).first()


def identity_of(person_id: int) -> Identity | None:
    """The person and their active grants (customer and role). Two queries."""
    person = Person.objects.select_related("user").filter(pk=person_id).first()
    if person is None:
        return None
    grants = list(
        Grant.objects.filter(person=person, revoked_at__isnull=True)
        .select_related("customer", "firm")
        .order_by("customer__name", "pk")
    )
    return Identity(person=person, grants=grants)


# -- what reconciliation could not mend -------------------------------------------------------------


@dataclass(frozen=True)
class StuckWork:
    """What needs a person: failed steps, undelivered e-mails, and messages the broker has not taken."""

    failed_steps: list[tuple[PaperworkRequest, Step, str]]  # (request, step, the error recorded)
    failed_emails: list[Email]
    waiting_messages: int
    oldest_waiting: datetime | None


def stuck_work(*, email_days: int = 30) -> StuckWork:
    """Jobs in ERROR on open requests, e-mails not delivered in the last ``email_days`` days, and outbox messages
    the broker has not taken for longer than the relay's grace. A fixed number of queries."""
    errors = list(Task.objects.filter(status=STATUS.ERROR).select_related("owner").order_by("created", "pk")[:200])
    processes: dict[int, PaperworkRequest] = {}
    for model in PROCESS_MODELS:
        processes |= {
            p.pk: p
            for p in model.objects.filter(pk__in=[t.process_id for t in errors], is_open=True).select_related(
                "customer"
            )
        }
    failed_steps = [(processes[t.process_id], _step(t), failure_of(t)) for t in errors if t.process_id in processes]
    since = timezone.now() - timedelta(days=email_days)
    failed_emails = list(
        Email.objects.filter(status=Email.Status.FAILED, created_at__gte=since).order_by("-created_at")[:200]
    )
    waiting = Message.objects.filter(
        relayed_at__isnull=True,
        created_at__lt=timezone.now() - timedelta(seconds=settings.OUTBOX_RELAY_GRACE_SECONDS * 6),
    )
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return StuckWork(
        failed_steps=failed_steps, failed_emails=failed_emails, waiting_messages=waiting.count(), oldest_waiting=oldest
    )
