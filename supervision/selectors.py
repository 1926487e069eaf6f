"""Reads for the supervisors' pages: the requests on hold, a person's identity, and the work that is stuck."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.nodes import TimerBoundary
from viewflow.workflow.status import STATUS

import authority
from accounts.models import Grant, Person, User
from accounts.name_search import name_matches, name_similarity
from outbox.models import Email, Message
from workflows.flows import FLOW_OF_MODEL
from workflows.models import PROCESS_MODELS, PaperworkRequest
from workflows.nodes import StaffTask, failure_of
from workflows.rules import SUPERVISE, second_approval_refusal
from workflows.selectors import FINISHED
from workflows.services import AGE_BUCKETS, service_level

from .models import Heartbeat
from .queues import QUEUES


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


#: The most people a name search lists (the console lists as many customers: ``callcenter.selectors.MAX_RESULTS``).
MAX_PEOPLE_FOUND = 20


def people_named(name: str) -> list[Identity]:
    """People whose name resembles ``name`` (already ``accounts.name_search.normalised_name``), the most alike
    first, with their active grants: the console's name search (``accounts.name_search``, its trigram index) on
    people. Two queries whatever the number found."""
    people = list(
        Person.objects.filter(name_matches("name", name))
        .annotate(similarity=name_similarity("name", name))
        .select_related("user")
        .order_by("-similarity", "name", "pk")[:MAX_PEOPLE_FOUND]
    )
    if not people:
        return []
    grants: dict[int, list[Grant]] = {}
    for grant in (
        Grant.objects.filter(person__in=people, revoked_at__isnull=True)
        .select_related("customer", "firm")
        .order_by("customer__name", "pk")
    ):
        grants.setdefault(grant.person_id, []).append(grant)
    return [Identity(person=person, grants=grants.get(person.pk, [])) for person in people]


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

    failed_steps: list[FailedJob]  # each with the error recorded and its Retry page
    failed_emails: list[Email]
    waiting_messages: int
    oldest_waiting: datetime | None
    unapprovable: list[Unapprovable] = field(default_factory=list)  # second approvals no supervisor may give


def stuck_work(*, email_days: int = 30) -> StuckWork:
    """Jobs in ERROR on open requests, e-mails not delivered in the last ``email_days`` days, and outbox messages
    the broker has not taken for longer than the relay's grace. A fixed number of queries."""
    failed_steps = failed_jobs()
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
        failed_steps=failed_steps,
        failed_emails=failed_emails,
        waiting_messages=waiting.count(),
        oldest_waiting=oldest,
        unapprovable=second_approvals_nobody_can_give(),
    )


# -- the supervisor's board -------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedJob:
    """A job in error on an open request: what staff read about it (``failure_of``), and its Retry page."""

    process: PaperworkRequest
    step: Step
    error: str
    retry_url: str


def failed_jobs(*, limit: int = 200) -> list[FailedJob]:
    """Jobs in ERROR on open requests, oldest first. Three queries: the tasks, then one per kind of request."""
    errors = list(Task.objects.filter(status=STATUS.ERROR).select_related("owner").order_by("created", "pk")[:limit])
    processes: dict[int, PaperworkRequest] = {}
    if errors:
        for model in PROCESS_MODELS:
            processes |= {
                p.pk: p
                for p in model.objects.filter(pk__in=[t.process_id for t in errors], is_open=True).select_related(
                    "customer"
                )
            }
    return [
        FailedJob(process=processes[t.process_id], step=_step(t), error=failure_of(t), retry_url=t.reverse("revive"))
        for t in errors
        if t.process_id in processes
    ]


def _flow_nodes(name: str) -> list:
    return [getattr(flow_class, name) for flow_class in FLOW_OF_MODEL.values()]


def _processes_by_pk(process_ids, *related: str, flow_related: bool = False) -> dict[int, PaperworkRequest]:
    """The requests with these keys, whatever their kind: one query per kind of request (with the rows its flow
    reads, ``flow_related``, when asked)."""
    found: dict[int, PaperworkRequest] = {}
    ids = list(process_ids)
    if ids:
        for model in PROCESS_MODELS:
            joined = {*related, *(model.flow_related if flow_related else ())}
            found |= {p.pk: p for p in model.objects.filter(pk__in=ids).select_related(*joined)}
    return found


def staff_who_may(action: authority.StaffAction) -> list[User]:
    """Active staff users who may ``action`` (``authority.staff_may``), by name. Three queries whatever their number:
    the candidates (holders of one of the action's permissions, from ``authority``'s table) and their permissions;
    then ``staff_may`` asks each."""
    permissions = authority.STAFF_PERMISSIONS[action]
    holders = User.objects.none()
    for permission in permissions:
        holders = holders | User.objects.with_perm(permission)
    candidates = User.objects.filter(pk__in=holders.values("pk"), is_staff=True, is_active=True).select_related(
        "person"
    )
    users = _with_permissions_loaded(list(candidates.order_by("first_name", "last_name", "username")))
    return [user for user in users if authority.staff_may(user, action)]


def _with_permissions_loaded(users: list[User]) -> list[User]:
    """``users`` with the permission caches of Django's ``ModelBackend`` (the only backend, ``settings``) filled in
    two queries for all of them, so that ``has_perm`` -- and so ``authority.staff_may`` -- asks nothing more per user
    (it would ask two queries each). The caches are ``ModelBackend._get_permissions``' and ``get_all_permissions``'
    (Django 5.2): ``_user_perm_cache``, ``_group_perm_cache``, ``_perm_cache``, each a set of "app_label.codename";
    ``tests/supervision/test_staff_who_may.py`` fails if they change. Superusers are left alone: ``User.has_perm``
    answers them without a query."""
    ids = [user.pk for user in users if not user.is_superuser]
    own: dict[int, set[str]] = {pk: set() for pk in ids}
    from_groups: dict[int, set[str]] = {pk: set() for pk in ids}
    for found, relation in ((own, "user"), (from_groups, "group__user")):
        rows = Permission.objects.filter(**{f"{relation}__in": ids}).values_list(
            relation, "content_type__app_label", "codename"
        )
        for user_id, app_label, codename in rows.order_by():
            found[user_id].add(f"{app_label}.{codename}")
    for user in users:
        if user.pk in own:
            user._user_perm_cache, user._group_perm_cache = own[user.pk], from_groups[user.pk]
            user._perm_cache = own[user.pk] | from_groups[user.pk]
    return users


@dataclass(frozen=True)
class Unapprovable:
    """A request waiting for a second approval that no supervisor may give (four eyes, not the starter...)."""

    process: PaperworkRequest
    step: Step


def second_approvals_nobody_can_give() -> list[Unapprovable]:
    """Open second approvals for which every supervisor is refused by ``rules.second_approval_refusal``
    (the only supervisor made the first decision, started the request or is named by it). Queries: the tasks, one
    per kind of request, the supervisors, and each supervisor's permissions once -- never one per request."""
    tasks = list(
        Task.objects.filter(flow_task__in=_flow_nodes("second_approval"))
        .exclude(status__in=FINISHED)
        .select_related("owner")
        .order_by("created", "pk")
    )
    if not tasks:
        return []
    processes = _processes_by_pk({t.process_id for t in tasks}, "requested_by", flow_related=True)
    supervisors = staff_who_may(authority.StaffAction.SUPERVISE)
    stuck: list[Unapprovable] = []
    for task in tasks:
        process = processes.get(task.process_id)
        if process is None or not process.is_open:
            continue
        if all(second_approval_refusal(user, process) for user in supervisors):
            stuck.append(Unapprovable(process=process, step=_step(task)))
    return stuck


@dataclass(frozen=True)
class StepQueue:
    name: str
    title: str
    open_tasks: int


@dataclass(frozen=True)
class OpenVerification:
    """An open verification task: who holds it, how old it is in working days, when its service level ends."""

    task: Task
    process: PaperworkRequest
    bucket: str  # "fresh" (< 1 working day), "aging" (1 to the deadline), "breached" (past it)
    due: datetime

    @property
    def url(self) -> str:
        return self.task.reverse("execute")


@dataclass(frozen=True)
class DayCount:
    day: date
    decisions: int


@dataclass(frozen=True)
class VerifierCount:
    user_id: int
    name: str
    decisions: int


@dataclass(frozen=True)
class QueueHealth:
    queue: str
    worker_alive_at: datetime | None  # the last time a worker consuming the queue said it was alive
    task_ran_at: datetime | None  # the last heartbeat task run from the queue
    late: bool


@dataclass(frozen=True)
class Board:
    queues: list[StepQueue]
    verifications: list[OpenVerification]  # oldest first
    buckets: dict[str, int]
    escalations: int
    per_day: list[DayCount]  # the last ``days`` days, oldest first, days without decisions included
    per_verifier: list[VerifierCount]  # most decisions first
    failed_jobs: list[FailedJob]
    unapprovable: list[Unapprovable]
    on_hold: int
    health: list[QueueHealth]
    beat_sent_at: datetime | None
    beat_late: bool
    heartbeat_max_age: int  # seconds

    @property
    def breached(self) -> int:
        return self.buckets["breached"]


#: The steps whose open tasks the board counts, in the flow's order.
BOARD_STEPS = ("documents", "precheck", "verify", "second_approval")


def _step_queues() -> list[StepQueue]:
    counts: dict[str, int] = {}
    rows = (
        Task.objects.filter(flow_task__in=[n for name in BOARD_STEPS for n in _flow_nodes(name)])
        .exclude(status__in=FINISHED)
        .values_list("flow_task")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for node, n in rows:
        counts[node.name] = counts.get(node.name, 0) + n
    first_flow = next(iter(FLOW_OF_MODEL.values()))
    return [
        StepQueue(name=name, title=str(getattr(first_flow, name).task_title), open_tasks=counts.get(name, 0))
        for name in BOARD_STEPS
    ]


def open_verifications(now: datetime | None = None) -> list[OpenVerification]:
    """Open verification tasks on open requests, oldest first, with their age bucket. Three queries."""
    now = now or timezone.localtime()
    tasks = list(
        Task.objects.filter(flow_task__in=_flow_nodes("verify"))
        .exclude(status__in=FINISHED)
        .select_related("owner")
        .order_by("created", "pk")
    )
    processes = _processes_by_pk({t.process_id for t in tasks}, "customer")
    rows = []
    for task in tasks:
        process = processes.get(task.process_id)
        if process is None or not process.is_open:
            continue
        bucket, due = service_level(task.created, now)
        rows.append(OpenVerification(task=task, process=process, bucket=bucket, due=due))
    return rows


def _throughput(days: int, today: date) -> tuple[list[DayCount], list[VerifierCount]]:
    """Verification decisions (verification tasks done) per day and per person over the last ``days`` days."""
    first = today - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    rows = (
        Task.objects.filter(flow_task__in=_flow_nodes("verify"), status=STATUS.DONE, finished__gte=since)
        .annotate(day=TruncDate("finished", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "owner_id", "owner__username", "owner__first_name", "owner__last_name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_day: dict[date, int] = {}
    per_user: dict[int, list] = {}
    for day, owner_id, username, first_name, last_name, n in rows:
        per_day[day] = per_day.get(day, 0) + n
        if owner_id is not None:
            name = f"{first_name} {last_name}".strip() or username
            per_user.setdefault(owner_id, [name, 0])[1] += n
    return (
        [
            DayCount(day=first + timedelta(days=i), decisions=per_day.get(first + timedelta(days=i), 0))
            for i in range(days)
        ],
        sorted(
            (VerifierCount(user_id=pk, name=name, decisions=n) for pk, (name, n) in per_user.items()),
            key=lambda v: (-v.decisions, v.name),
        ),
    )


def _health(now: datetime) -> tuple[list[QueueHealth], datetime | None, bool]:
    """The heartbeats ``/readyz`` reads (``supervision.Heartbeat``), late past the same ``READY_HEARTBEAT_MAX_AGE``."""
    max_age = timedelta(seconds=settings.READY_HEARTBEAT_MAX_AGE)
    names = [f"{kind}:{queue}" for queue in QUEUES for kind in ("queue", "worker")]
    beats = {beat.name: beat for beat in Heartbeat.objects.filter(name__in=names)}
    rows = []
    for queue in QUEUES:
        worker, task = beats.get(f"worker:{queue}"), beats.get(f"queue:{queue}")
        alive_at = worker.ran_at if worker else None
        rows.append(
            QueueHealth(
                queue=queue,
                worker_alive_at=alive_at,
                task_ran_at=task.ran_at if task else None,
                late=alive_at is None or now - alive_at >= max_age,
            )
        )
    sent = [beats[f"queue:{queue}"].sent_at for queue in QUEUES if f"queue:{queue}" in beats]
    beat_sent_at = max(sent, default=None)
    return rows, beat_sent_at, beat_sent_at is None or now - beat_sent_at >= max_age


def supervisor_board(*, days: int = 14) -> Board:
    """Everything the supervisor's board shows, in a fixed number of queries whatever the number of requests."""
    now = timezone.localtime()
    verifications = open_verifications(now)
    buckets = dict.fromkeys(AGE_BUCKETS, 0)
    for row in verifications:
        buckets[row.bucket] += 1
    per_day, per_verifier = _throughput(days, now.date())
    health, beat_sent_at, beat_late = _health(now)
    return Board(
        queues=_step_queues(),
        verifications=verifications,
        buckets=buckets,
        escalations=sum(m.objects.filter(is_open=True, escalated_at__isnull=False).count() for m in PROCESS_MODELS),
        per_day=per_day,
        per_verifier=per_verifier,
        failed_jobs=failed_jobs(),
        unapprovable=second_approvals_nobody_can_give(),
        on_hold=sum(m.objects.filter(is_open=True, objected_at__isnull=False).count() for m in PROCESS_MODELS),
        health=health,
        beat_sent_at=beat_sent_at,
        beat_late=beat_late,
        heartbeat_max_age=settings.READY_HEARTBEAT_MAX_AGE,
    )
