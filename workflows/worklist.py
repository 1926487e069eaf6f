"""The staff work queue: open verifications and second approvals with what the work is (reference, customer, type,
pre-check verdict, round, flags, age and due time), oldest due first; the same columns for what was decided (the
archive); saved filter sets; "Take next"; and the numbers on the staff menu.

Who may open it: verification staff and supervisors (``authority.staff_may``). Which tasks a person works on:
their own, and those whose permission their role holds (as ``authority`` maps it), less the ones the rules keep
from them whatever their role -- requests they started, second approvals of their own decision. Taking a task
asks the rules again (``rules`` through the node's ``can_assign``, Viewflow's assign).

Reads cost a fixed number of queries whatever the number of rows: the light list of candidates (ordered here,
since a due time counts working days and public holidays: ``services.service_level``), the page's tasks, and one
query per kind of request on the page.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, reduce

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accounts import audit
from accounts.audit import Actor
from authority import SUPERVISE, VERIFY, StaffAction, staff_may
from client_address import client_ip

from .flows import FLOW_OF_MODEL
from .models import PROCESS_MODELS, Channel, PaperworkRequest, SavedView
from .selectors import VERDICT_LABELS
from .services import AGE_BUCKETS, service_level

#: The steps where a person decides.
DECISION_STEPS = ("verify", "second_approval")
OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
PAGE_SIZE = 50
#: The permission a staff task asks for (``rules.verification_permission``, the nodes' ``.Permission``) and the
#: staff action (``authority``) of those who hold it.
TASK_PERMISSIONS = {VERIFY: StaffAction.VERIFY, SUPERVISE: StaffAction.SUPERVISE}
MAX_SAVED_VIEWS = 30


class WorklistError(Exception):
    """Something the person asked for that cannot be done; ``code`` says why, ``message`` is for them."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _nodes(*, kinds=None, steps=DECISION_STEPS) -> list:
    return [
        getattr(flow_class, step)
        for model, flow_class in FLOW_OF_MODEL.items()
        if kinds is None or model.kind in kinds
        for step in steps
    ]


# -- the filters ------------------------------------------------------------------------------------------------


AGE_LABELS = {
    "fresh": gettext_lazy("Less than 1 working day"),
    "aging": gettext_lazy("Due soon"),
    "breached": gettext_lazy("Overdue"),
}


def _any(choices) -> list:
    return [("", gettext_lazy("Any")), *choices]


class WorklistFilters(forms.Form):
    """The filters of the queue and the archive; their field names are the query string's keys."""

    verdict = forms.ChoiceField(
        label=gettext_lazy("Pre-check"), required=False, choices=_any(list(VERDICT_LABELS.items()))
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Request type"),
        required=False,
        choices=_any([(model.kind, model._meta.verbose_name) for model in PROCESS_MODELS]),
    )
    step = forms.ChoiceField(
        label=gettext_lazy("Step"),
        required=False,
        choices=_any([(step, getattr(next(iter(FLOW_OF_MODEL.values())), step).task_title) for step in DECISION_STEPS]),
    )
    age = forms.ChoiceField(
        label=gettext_lazy("Age"), required=False, choices=_any([(b, AGE_LABELS[b]) for b in AGE_BUCKETS])
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False, choices=_any(Channel.choices))
    flag = forms.ChoiceField(
        label=gettext_lazy("Flag"),
        required=False,
        choices=_any(
            [
                ("sensitive", gettext_lazy("Sensitive customer")),
                ("escalated", gettext_lazy("Escalated")),
                ("on_hold", gettext_lazy("On hold")),
            ]
        ),
    )
    assignee = forms.ChoiceField(
        label=gettext_lazy("Assignee"),
        required=False,
        choices=_any([("mine", gettext_lazy("Mine")), ("unassigned", gettext_lazy("Unassigned"))]),
    )


def clean_filters(data: QueryDict) -> tuple[WorklistFilters, dict]:
    """The filter form on ``data`` and the filters that are valid in it (the others are the form's errors)."""
    form = WorklistFilters(data)
    form.is_valid()
    return form, form.cleaned_data


def filter_query(filters: dict) -> str:
    """The query string of the chosen filters, in the form's order (what a saved view stores)."""
    return urlencode([(name, filters[name]) for name in WorklistFilters.base_fields if filters.get(name)])


def _process_filter(filters: dict) -> Q | None:
    conditions = []
    if filters.get("verdict"):
        conditions.append(Q(precheck__verdict=filters["verdict"]))
    if filters.get("channel"):
        conditions.append(Q(channel=filters["channel"]))
    flag = filters.get("flag")
    if flag == "sensitive":
        conditions.append(Q(customer__sensitive=True))
    elif flag == "escalated":
        conditions.append(Q(escalated_at__isnull=False))
    elif flag == "on_hold":
        conditions.append(Q(objected_at__isnull=False))
    return reduce(operator.and_, conditions) if conditions else None


def _filtered(tasks: QuerySet, filters: dict, user) -> QuerySet:
    if filters.get("kind") or filters.get("step"):
        kinds = [filters["kind"]] if filters.get("kind") else None
        steps = [filters["step"]] if filters.get("step") else DECISION_STEPS
        tasks = tasks.filter(flow_task__in=_nodes(kinds=kinds, steps=steps))
    if filters.get("assignee") == "mine":
        tasks = tasks.filter(owner=user)
    elif filters.get("assignee") == "unassigned":
        tasks = tasks.filter(owner__isnull=True)
    condition = _process_filter(filters)
    if condition is not None:
        tasks = tasks.filter(
            reduce(
                operator.or_,
                (Q(process_id__in=model.objects.filter(condition).values("pk")) for model in PROCESS_MODELS),
            )
        )
    return tasks


# -- which tasks ------------------------------------------------------------------------------------------------


def _takeable_permissions(user) -> list[str]:
    return [permission for permission, action in TASK_PERMISSIONS.items() if staff_may(user, action)]


def _kept_from(user) -> Q:
    """Tasks the rules keep from ``user`` whatever their role (``rules.conflict``, ``rules.second_approval_refusal``):
    on requests they started, and second approvals of their own decision. (A request naming them is left to the
    rules themselves when they take it.)"""
    second_approvals = _nodes(steps=("second_approval",))
    return reduce(
        operator.or_,
        (
            Q(process_id__in=model.objects.filter(started_by=user).values("pk"))
            | Q(flow_task__in=second_approvals, process_id__in=model.objects.filter(decided_by=user).values("pk"))
            for model in PROCESS_MODELS
        ),
    )


def open_tasks(user) -> QuerySet:
    """Open verifications and second approvals ``user`` works on: theirs, and the others their role may take that no
    rule keeps from them (whoever holds them now)."""
    mine = Q(owner=user)
    theirs_to_take = Q(owner_permission__in=_takeable_permissions(user)) & ~_kept_from(user)
    return Task.objects.filter(flow_task__in=_nodes(), status__in=OPEN).filter(mine | theirs_to_take)


def decided_tasks(user) -> QuerySet:
    """Verifications and second approvals done: by ``user``, or by anyone for a supervisor."""
    tasks = Task.objects.filter(flow_task__in=_nodes(), status=STATUS.DONE)
    return tasks if staff_may(user, StaffAction.SUPERVISE) else tasks.filter(owner=user)


# -- a page of work ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    task: Task
    process: PaperworkRequest
    bucket: str  # services.AGE_BUCKETS: at now for open work, at the decision for the archive
    due: datetime

    @property
    def overdue(self) -> bool:
        return self.bucket == "breached"

    @property
    def round(self) -> int:
        """1 for the documents first sent, one more each time staff asked for more."""
        return self.process.documents_rounds + 1

    @property
    def kind_label(self) -> str:
        return self.process._meta.verbose_name

    @property
    def verdict_label(self) -> str:
        verdict = self.process.precheck.verdict if self.process.precheck_id else ""
        return str(VERDICT_LABELS.get(verdict, ""))

    @property
    def url(self) -> str:
        return self.task.reverse("detail" if self.task.finished else "execute")


@dataclass(frozen=True)
class WorkPage:
    rows: list[Row]
    page: Page
    total: int


def _ordered_keys(tasks: QuerySet, *, archive: bool, age: str, now: datetime, extra=()) -> list[tuple]:
    """(task, bucket, due, *extra fields) of every task, oldest due first (the archive: latest decision first).
    One query."""
    keyed = []
    for pk, created, finished, *more in tasks.values_list("pk", "created", "finished", *extra):
        bucket, due = service_level(created, finished if archive else now)
        if not age or bucket == age:
            keyed.append(((finished, pk) if archive else (due, created, pk), (pk, bucket, due, *more)))
    keyed.sort(key=operator.itemgetter(0), reverse=archive)
    return [row for _key, row in keyed]


def _rows(keys: list[tuple]) -> list[Row]:
    """The page's tasks with their requests: one query for the tasks, one per kind of request among them."""
    tasks = Task.objects.filter(pk__in=[pk for pk, _bucket, _due in keys]).select_related("owner").in_bulk()
    processes: dict[int, PaperworkRequest] = {}
    for model in PROCESS_MODELS:
        ids = [t.process_id for t in tasks.values() if FLOW_OF_MODEL[model] is t.flow_task.flow_class]
        if ids:
            processes |= model.objects.select_related("customer", "precheck").in_bulk(ids)
    return [
        Row(task=tasks[pk], process=processes[tasks[pk].process_id], bucket=bucket, due=due)
        for pk, bucket, due in keys
        if pk in tasks and tasks[pk].process_id in processes
    ]


def work_page(user, filters: dict, *, archive: bool = False, page=1) -> WorkPage:
    """A page of ``PAGE_SIZE`` rows of the person's open work (or of the archive) matching ``filters``."""
    tasks = _filtered(decided_tasks(user) if archive else open_tasks(user), filters, user)
    keys = _ordered_keys(tasks, archive=archive, age=filters.get("age", ""), now=timezone.localtime())
    paginated = Paginator(keys, PAGE_SIZE).get_page(page)
    return WorkPage(rows=_rows(list(paginated.object_list)), page=paginated, total=len(keys))


class MenuCounts:
    """The numbers on the staff menu, each the count of a filter of the queue: my tasks, the queue (unassigned tasks
    I may take) and the overdue ones among all I see. Counted on first use, in one query."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def _tasks(self) -> list[tuple[int | None, datetime]]:
        return list(open_tasks(self.user).values_list("owner_id", "created"))

    @property
    def mine(self) -> int:
        return sum(1 for owner_id, _created in self._tasks if owner_id == self.user.pk)

    @property
    def queue(self) -> int:
        return sum(1 for owner_id, _created in self._tasks if owner_id is None)

    @cached_property
    def overdue(self) -> int:
        now = timezone.localtime()
        return sum(1 for _owner, created in self._tasks if service_level(created, now)[0] == "breached")


def menu_counts(user) -> MenuCounts | None:
    """The menu's numbers for those who may work the queue; None for anyone else."""
    return MenuCounts(user) if staff_may(user, StaffAction.VERIFY) else None


# -- changes ----------------------------------------------------------------------------------------------------


def _take(task_id: int, node, process_id: int, *, user, actor: Actor) -> Task | None:
    """Assign one task to ``user`` with Viewflow's assign, under the request's flow lock; None when someone else
    holds that request right now (its row is locked: skipped, not waited for), the task is no longer free, or the
    rules refuse ``user``."""
    flow_class = node.flow_class
    model = flow_class.process_class
    with transaction.atomic():
        process = (
            model._default_manager.select_for_update(skip_locked=True, of=("self", "process_ptr"))
            .select_related("requested_by", *model.flow_related)
            .filter(pk=process_id)
            .first()
        )
        if process is None:
            return None
        with flow_class.lock(process_id):  # the row is ours already: Viewflow's lock, as its assign view takes it
            task = flow_class.task_class._default_manager.select_for_update().get(pk=task_id)
            if task.status != STATUS.NEW or task.owner_id is not None:
                return None
            task.process = process
            activation = node.activation_class(task)
            if not activation.assign.has_perm(user):  # the node's can_assign: the permission and the rules
                return None
            activation.assign(user)
            audit.record(
                actor=actor,
                action="task.take",
                target=process,
                customer_id=process.customer_id,
                before={"task": task.pk, "owner": None, "status": STATUS.NEW},
                after={"task": task.pk, "owner": user.pk, "status": task.status},
                reason="take next",
                request_ref=process.reference,
            )
            return task


def take_next(*, user, actor: Actor) -> Task | None:
    """Give ``user`` the unassigned verification or second approval with the earliest due time that they may
    decide, and return it (None when there is none). Someone pressing at the same moment is not waited for: the
    request they are taking is skipped (``SKIP LOCKED`` on PostgreSQL), so two people get two different tasks.
    Each take is its own transaction, audited as ``task.take``."""
    if not staff_may(user, StaffAction.VERIFY):
        raise WorklistError("not_allowed", _("Only verification staff and supervisors take work from the queue."))
    free = open_tasks(user).filter(status=STATUS.NEW, owner__isnull=True)
    candidates = _ordered_keys(free, archive=False, age="", now=timezone.localtime(), extra=("flow_task", "process_id"))
    for task_id, _bucket, _due, node, process_id in candidates:
        task = _take(task_id, node, process_id, user=user, actor=actor)
        if task is not None:
            return task
    return None


def _clean_view_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise WorklistError("name_missing", _("Give the view a name."))
    if len(name) > SavedView._meta.get_field("name").max_length:
        raise WorklistError(
            "name_too_long",
            _("A view's name has at most %(count)d characters.")
            % {"count": SavedView._meta.get_field("name").max_length},
        )
    return name


@transaction.atomic
def save_view(*, user, name: str, query: str) -> tuple[SavedView, bool]:
    """Save the filters in ``query`` (a query string, checked against ``WorklistFilters`` and written back in its
    order) as ``user``'s view ``name``, replacing their view of that name. Returns (view, created)."""
    name = _clean_view_name(name)
    form, filters = clean_filters(QueryDict(query or ""))
    if form.errors:
        raise WorklistError("bad_filters", _("These filters cannot be saved: choose them again in the form."))
    views = SavedView.objects.select_for_update().filter(user=user)
    if not views.filter(name=name).exists() and views.count() >= MAX_SAVED_VIEWS:
        raise WorklistError(
            "too_many", _("You have %(count)d saved views already: delete one first.") % {"count": MAX_SAVED_VIEWS}
        )
    return SavedView.objects.update_or_create(user=user, name=name, defaults={"query": filter_query(filters)})


def delete_view(*, user, view_id: int) -> SavedView:
    """Delete ``user``'s saved view ``view_id``; ``SavedView.DoesNotExist`` for anyone else's."""
    view = SavedView.objects.get(pk=view_id, user=user)
    view.delete()
    return view


# -- pages ------------------------------------------------------------------------------------------------------


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request), label="staff")


def _refuse_unless_deciding(request) -> None:
    if not staff_may(request.user, StaffAction.VERIFY):
        raise PermissionDenied


def _list_url(query: str = "", *, archive: bool = False) -> str:
    url = reverse("staff:workflow:worklist_archive" if archive else "staff:workflow:worklist")
    return f"{url}?{query}" if query else url


def _from_archive(request) -> bool:
    """A saved view is a set of filters that both lists take; the list it was saved or deleted from is shown after."""
    return request.POST.get("list") == "archive"


def _list_page(request, *, archive: bool):
    _refuse_unless_deciding(request)
    form, filters = clean_filters(request.GET)
    query = filter_query(filters)
    context = {
        "archive": archive,
        "form": form,
        "work": work_page(request.user, filters, archive=archive, page=request.GET.get("page") or 1),
        "query": query,
        "saved_views": list(SavedView.objects.filter(user=request.user)),
        "queue_url": reverse("staff:workflow:worklist"),
        "archive_url": reverse("staff:workflow:worklist_archive"),
        "page_url": reverse("staff:workflow:worklist_archive" if archive else "staff:workflow:worklist"),
    }
    return TemplateResponse(request, "workflows/worklist/list.html", context, status=400 if form.errors else 200)


@require_safe
def queue(request):
    """Open work, oldest due first, with the filters, the saved views and "Take next"."""
    return _list_page(request, archive=False)


@require_safe
def archive(request):
    """The same columns for what was decided: by the person, or by anyone for a supervisor; the same saved views."""
    return _list_page(request, archive=True)


@require_POST
def take(request):
    _refuse_unless_deciding(request)
    task = take_next(user=request.user, actor=_actor(request))
    if task is None:
        messages.info(request, _("Nothing to take: no open task you may decide is waiting."))
        return redirect(_list_url())
    return redirect(task.reverse("execute"))


@require_POST
def save(request):
    _refuse_unless_deciding(request)
    query = request.POST.get("query", "")
    try:
        view, created = save_view(user=request.user, name=request.POST.get("name", ""), query=query)
    except WorklistError as exc:
        messages.error(request, exc.message)
        return redirect(_list_url(filter_query(clean_filters(QueryDict(query))[1]), archive=_from_archive(request)))
    messages.success(
        request,
        (_("View “%(name)s” saved.") if created else _("View “%(name)s” updated.")) % {"name": view.name},
    )
    return redirect(_list_url(view.query, archive=_from_archive(request)))


@require_POST
def delete(request, pk: int):
    _refuse_unless_deciding(request)
    try:
        view = delete_view(user=request.user, view_id=pk)
    except SavedView.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(_list_url(archive=_from_archive(request)))


#: Mounted in the staff site's Requests application (``backoffice.staff``): names under ``staff:workflow:``.
urlpatterns = [
    path("worklist/", queue, name="worklist"),
    path("worklist/archive/", archive, name="worklist_archive"),
    path("worklist/take/", take, name="worklist_take"),
    path("worklist/views/", save, name="worklist_save_view"),
    path("worklist/views/<int:pk>/delete/", delete, name="worklist_delete_view"),
]
