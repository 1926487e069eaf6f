"""A Viewflow flow node that runs its work as a Celery task.

Viewflow's open-source package ships only ``AbstractJob``; the Celery job node
is a paid extra. This is our own, built on ``AbstractJob``/``AbstractJobActivation``.

Usage in a flow::

    from workflows.nodes import CeleryJob, WAIT, flow_job

    @flow_job
    def run_precheck(activation):          # runs in the worker, under the flow lock
        activation.process.data["checked"] = True
        activation.process.save()          # completes when it returns ...
        # ... or `return WAIT` and call complete_job(task_pk) later

    class OcrFlow(flow.Flow):
        lock_impl = lock.select_for_update_lock      # the default no_lock only opens a transaction
        ocr_precheck = CeleryJob(run_precheck).Annotation(title="Pre-check").Next(this.verify)

Life of a job task: the node is activated inside the flow's transaction, the
task row is inserted SCHEDULED and the Celery message is written to the outbox in
that transaction (``outbox.services.publish``: nothing is sent if it rolls back,
nothing is lost if the broker is down), with ``task.external_task_id`` as the
Celery task id. The worker takes the flow lock,
re-reads the task and, only if it is still SCHEDULED, starts it (STARTED is
written only if the function returns WAIT), runs the function in a savepoint,
and then completes the task and activates the next
nodes -- all in the lock's single transaction, so a worker that dies midway leaves
the task SCHEDULED for the redelivered message. A message for a task that is no
longer SCHEDULED (DONE, waiting, ERROR, CANCELED) is a no-op. An exception in the
function rolls its writes back and records the task as ERROR with ``_exception``
data (which also fires a ``.OnError(...)`` boundary); :func:`retry_job` revives it.
A database or storage fault (``faults.is_transient``) is not the job's:
it propagates, the task stays SCHEDULED and the Celery task retries it.

A committed STARTED job is always one waiting for :func:`complete_job` (or
:func:`fail_job`): the function returned :data:`WAIT`.
"""

import logging
import re
import threading
import uuid
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from functools import wraps

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow import nodes as flow_nodes
from viewflow.workflow.activation import Activation, has_manage_permission
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.fields import import_flow_by_ref
from viewflow.workflow.flow import mixins as flow_mixins
from viewflow.workflow.flow import nodes as flow_view_nodes
from viewflow.workflow.flow import views as flow_views
from viewflow.workflow.lock import SelectForUpdateLock
from viewflow.workflow.nodes import AbstractJob, AbstractJobActivation
from viewflow.workflow.signals import flow_finished, flow_started, task_finished, task_started
from viewflow.workflow.status import STATUS

from faults import is_transient
from outbox import services as outbox

logger = logging.getLogger(__name__)

__all__ = [
    "WAIT",
    "CeleryJob",
    "CeleryJobActivation",
    "Deadline",
    "End",
    "Handle",
    "JobFailed",
    "ProcessLock",
    "StaffTask",
    "StartHandle",
    "complete_job",
    "fail_job",
    "failure_of",
    "flow_job",
    "retry_job",
    "run_job",
]


class _Wait:
    def __repr__(self):
        return "WAIT"


#: Return this from a job function to leave the task STARTED until complete_job().
WAIT = _Wait()


class JobFailed(Exception):
    """The failure recorded by :func:`fail_job` on a waiting job."""


# -- the flow lock and the nodes our flows use, with less bookkeeping ------------------------
#
# Viewflow's nodes are general; ours do the same with fewer statements, which is most of
# the cost of moving a request along (see benchmarks/flow_profile.py --sql).


class ProcessLock(SelectForUpdateLock):
    """Viewflow's ``select_for_update`` lock on the process row, taken once per thread.

    A lock on a process this thread already holds (a service takes the lock, then a node's
    own code asks for it again) is a no-op instead of another savepoint and ``SELECT ...
    FOR UPDATE``. So is the lock on a process created in the current transaction (see
    :meth:`holding`): nobody else can see that row until the transaction commits.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._held = threading.local()

    def _keys(self) -> set:
        keys = getattr(self._held, "keys", None)
        if keys is None:
            keys = self._held.keys = set()
        return keys

    @contextmanager
    def holding(self, process_pk):
        """Treat ``process_pk`` as locked for the duration (a row this transaction just inserted)."""
        keys = self._keys()
        if process_pk in keys:
            yield
            return
        keys.add(process_pk)
        try:
            yield
        finally:
            keys.discard(process_pk)

    @contextmanager
    def __call__(self, flow_class, process_pk):
        keys = self._keys()
        if process_pk in keys:
            yield
            return
        with super().__call__(flow_class, process_pk):
            with self.holding(process_pk):
                yield


class Deadline(flow_view_nodes.TimerBoundary):
    """``.OnTimeout(...)`` of :class:`TimeoutsMixin` nodes: Viewflow's timer boundary, armed and
    disarmed in fewer statements; it fires and behaves exactly as Viewflow's, with the staff pages
    Viewflow's own ``.OnTimeout`` gives a timer (its task's page, its detail and cancel): every task
    page that lists a timer links to it.

    Armed: the timer row is inserted SCHEDULED with its due moment (Viewflow inserts it NEW,
    then updates it in a savepoint). Disarmed when the host task finishes: one UPDATE cancels
    all the host's timers (Viewflow loads each timer, its process and the process subclass,
    then saves it).
    """

    def _due(self, activation) -> datetime:
        delay = self._delay
        if callable(delay):
            delay = delay(activation)
        if isinstance(delay, timedelta):
            delay = now() + delay
        if not isinstance(delay, datetime):
            raise ValueError(f"Timer delay must be a timedelta or datetime, got {delay!r}")
        return delay

    def _arm(self, host_activation):
        task = self.flow_class.task_class(
            process=host_activation.process, flow_task=self, token=host_activation.task.token, status=STATUS.SCHEDULED
        )
        task.data = {}
        task.scheduled = self._due(self.activation_class(task))
        task.save()
        task.previous.add(host_activation.task)

    def _deadlines(self) -> list:
        return [node for node in self._attached_to._boundary_events if isinstance(node, Deadline)]

    def _on_host_finished(self, **signal_kwargs):
        host_task = signal_kwargs["task"]
        if host_task.flow_task != self._attached_to:
            return
        deadlines = self._deadlines()
        if deadlines[0] is not self:
            return  # the first of the host's deadlines disarms them all
        (
            self.flow_class.task_class._default_manager.filter(
                process_id=host_task.process_id,
                previous=host_task,
                flow_task__in=deadlines,
                status__in=[STATUS.NEW, STATUS.SCHEDULED],
            ).update(status=STATUS.CANCELED, finished=now())
        )


class TimeoutsMixin:
    """``.OnTimeout(delay, then, interrupting=True, title=None)`` with :class:`Deadline` timers."""

    def OnTimeout(self, delay, then, interrupting=True, title=None):
        boundary = Deadline(None, delay=delay, interrupting=interrupting).Next(then)
        if title is not None:
            boundary.Annotation(title=title)
        self._boundary_specs.append(("timeout", boundary))  # named <node>__timeout, as Viewflow names its own
        return self


class StartActivation(flow_nodes.StartHandle.activation_class):
    @Activation.status.transition(source=STATUS.NEW)
    def execute(self):
        """As Viewflow's, without saving the process again when the start function saved it, and
        without a savepoint or a row lock for a process inserted in this very transaction."""
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        with transaction.atomic(savepoint=False):
            if self.process.pk is None:
                self.process.save()
            with _held_as_new(self.flow_class, self.process.pk), self.flow_class.lock(self.process.pk):
                self.complete()
                flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
                self.activate_next()


def _held_as_new(flow_class, process_pk):
    lock_impl = flow_class.lock_impl
    return lock_impl.holding(process_pk) if isinstance(lock_impl, ProcessLock) else nullcontext()


class StartHandle(flow.StartHandle):
    """Viewflow's ``StartHandle``; its function saves the process row (once: see StartActivation)."""

    activation_class = StartActivation


class Handle(TimeoutsMixin, flow.Handle):
    """Viewflow's ``Handle``, run by code (``node.run(task, **kwargs)``).

    The task is re-read and row-locked under the flow lock with its process in one query
    (Viewflow refreshes the task, then loads the process and the process subclass).
    """

    def _create_wrapper_function(self, origin_func, task):
        node = self

        def func(**kwargs):
            with node.flow_class.lock(task.process_id):
                locked = _locked_task(node.flow_class, task.process_id, task.pk)
                activation = node.activation_class(locked)
                result = activation.run(origin_func, **kwargs)
                activation.execute()
                return result

        return func


class EndActivation(flow_nodes.End.activation_class):
    @Activation.status.super()
    def activate(self):
        """As Viewflow's: the process finishes when no other task is active; it saves only the
        process's status and end time (Viewflow saves every field of both process tables)."""
        with self.exception_guard(), transaction.atomic(savepoint=True):
            self.task.started = now()
            task_started.send(sender=self.flow_class, process=self.process, task=self.task)
            others_active = (
                self.flow_class.task_class._default_manager.filter(process=self.process, finished__isnull=True)
                .exclude(pk=self.task.pk)
                .exists()
            )
            if not others_active:
                self.process.status = STATUS.DONE
                self.process.finished = now()
                self.process.save(update_fields=["status", "finished"])
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
            if not others_active:
                flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class End(flow.End):
    activation_class = EndActivation


class CeleryJobActivation(AbstractJobActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """Insert the task already SCHEDULED and send its message after commit (Viewflow inserts
        a job task NEW and ``activate()`` then updates it: one statement more)."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process,
            flow_task=flow_task,
            token=token,
            external_task_id=str(uuid.uuid4()),
            status=STATUS.SCHEDULED,
        )
        task.data = data if data is not None else {}
        task.seed = seed
        task.save()
        task.previous.add(prev_activation.task)
        activation = cls(task)
        activation._enqueue_after_commit()
        return activation

    @Activation.status.transition(source=STATUS.NEW, target=STATUS.SCHEDULED)
    def activate(self):
        """A revived job (Viewflow's ``revive`` inserts it NEW): persist it SCHEDULED and send the message after commit."""
        self.task.save()
        self._enqueue_after_commit()

    def _enqueue_after_commit(self):
        self.flow_task.enqueue(self.ref(), self.task.external_task_id)

    @Activation.status.transition(source=[STATUS.SCHEDULED, STATUS.STARTED], target=STATUS.STARTED)
    def start(self):
        """STARTED in memory only: run_job saves the task once, with how the job ended (done,
        waiting or failed), in the same transaction."""
        self.task.started = now()

    def prepare_revived_task(self, task):
        super().prepare_revived_task(task)  # fresh external_task_id
        task.data = {k: v for k, v in (task.data or {}).items() if k != "_exception"}
        task.started = task.finished = None

    @Activation.status.transition(
        source=[STATUS.NEW, STATUS.SCHEDULED, STATUS.STARTED, STATUS.ERROR],
        target=STATUS.CANCELED,
        permission=has_manage_permission,
    )
    def cancel(self):
        # No broker revoke: a message for a task that is not SCHEDULED is a no-op
        # in run_job, and a waiting job's complete_job() then returns False.
        self.task.finished = now()
        self.task.save()


class CeleryJob(
    flow_mixins.NodeDetailMixin,
    flow_mixins.NodeUndoMixin,
    flow_mixins.NodeReviveMixin,
    flow_mixins.NodeCancelMixin,
    AbstractJob,
):
    """Run a Celery task as a flow step.

    ``celery_task`` is a Celery task (or a registered task name) that accepts one
    positional argument, the job reference -- e.g. one made with :func:`flow_job`,
    or your own ``@shared_task`` whose body calls :func:`run_job`; ``queue``: the
    queue its messages go to (the task's route otherwise).
    """

    activation_class = CeleryJobActivation

    index_view_class = flow_views.IndexTaskView
    detail_view_class = flow_views.DetailTaskView
    cancel_view_class = flow_views.CancelTaskView
    undo_view_class = flow_views.UndoTaskView
    revive_view_class = flow_views.ReviveTaskView

    def __init__(self, celery_task, *, queue: str = ""):
        super().__init__()
        self._celery_task = celery_task
        self._queue = queue

    def enqueue(self, job_ref, celery_id):
        """Send the Celery message for a SCHEDULED job task once the current transaction commits (through
        the outbox: written with the task row, relayed until the broker takes it)."""
        name = self._celery_task if isinstance(self._celery_task, str) else self._celery_task.name
        outbox.publish(name, args=[job_ref], task_id=celery_id, queue=self._queue)


class StaffTask(TimeoutsMixin, flow.View):
    """A staff task whose assignment and execution also obey ``refusal(user, process)``.

    ``refusal`` returns why a user may not work on the process (segregation of
    duties, roles), or None. The task page is a plain view that receives the task
    row; it locks nothing itself and decides through a service, which re-checks
    everything under the flow lock -- so a stale page gets a message, not a 403.
    """

    def __init__(self, view, *, refusal, **kwargs):
        super().__init__(view, **kwargs)
        self._refusal = refusal

    def _resolve(self, instance):
        super()._resolve(instance)
        self._refusal = this.resolve(instance, self._refusal)

    def refusal(self, user, task) -> str | None:
        return self._refusal(user, task.process.coerced)

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self.refusal(user, task) is None

    def can_execute(self, user, task):
        return super().can_execute(user, task) and self.refusal(user, task) is None

    @property
    def view_path(self):
        node, view = self, self.view

        def task_page(request, process_pk, task_pk, **kwargs):
            task = get_object_or_404(node.flow_class.task_class, pk=task_pk, process_id=process_pk)
            if task.flow_task != node:
                raise Http404
            if not node.flow_class.instance.has_view_permission(request.user):
                raise PermissionDenied
            return view(request, task=task, process=task.process.coerced)

        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/execute/", task_page, name="execute")


# -- the worker side ----------------------------------------------------------


def _parse_ref(job_ref):
    """``"<app>/<module.FlowClass>/<process_pk>/<task_pk>"`` (AbstractJobActivation.ref) -> parts."""
    flow_ref, process_pk, task_pk = job_ref.rsplit("/", 2)
    return import_flow_by_ref(flow_ref), int(process_pk), int(task_pk)


def _locked_task(flow_class, process_pk, task_pk):
    """The task row, re-read and row-locked inside the flow lock (works with any lock_impl).

    Its ``process`` is the flow's own process model, read in one query with the rows named
    in the model's ``flow_related``, so the activation does not load the base row, then the
    subclass row, then each related row.
    """
    task = flow_class.task_class._default_manager.select_for_update().filter(pk=task_pk, process_id=process_pk).first()
    if task is not None:
        model = flow_class.process_class
        task.process = model._default_manager.select_related(*getattr(model, "flow_related", ())).get(pk=process_pk)
    return task


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@~+-]+){2,}[\\/]?")
_LAST_LINE = re.compile(r"^(?P<type>[\w.]+)(?::|$)")


#: What staff read first about a failed job, by the kind of exception; the technical detail follows it.
FAILURE_SUMMARIES = {
    "JobFailed": gettext_lazy("The automatic step failed."),
    "OperationalError": gettext_lazy("The database did not answer."),
    "InterfaceError": gettext_lazy("The database did not answer."),
    "ConnectionError": gettext_lazy("A service the step needs did not answer."),
    "TimeoutError": gettext_lazy("A service the step needs did not answer in time."),
    "FileNotFoundError": gettext_lazy("A file the step needs is missing."),
    "PermissionError": gettext_lazy("The server may not read or write a file the step needs."),
}
FAILURE_SUMMARY = gettext_lazy("The step stopped with an error.")


def failure_of(task) -> str:
    """What staff read about a job in error: a sentence in their language for its kind of failure, then the
    technical detail (the exception's class and message) with no traceback and no file path of the server ("" when
    the task holds no error). The traceback is in the worker's log (_record_error)."""
    recorded = (task.data or {}).get("_exception") or {}
    if not recorded:
        return ""
    message = str(recorded.get("title") or "").strip()
    lines = str(recorded.get("traceback") or "").strip().splitlines()
    found = _LAST_LINE.match(lines[-1]) if lines else None
    kind = found.group("type").rsplit(".", 1)[-1] if found else ""
    readable = f"{kind}: {message}" if kind and message else kind or message
    summary = FAILURE_SUMMARIES.get(kind, FAILURE_SUMMARY)
    return gettext("%(summary)s Technical detail: %(detail)s") % {
        "summary": summary,
        "detail": _PATH.sub("…", readable),
    }


def _record_error(activation, exc):
    """Mark a STARTED job ERROR with the exception; must run inside an ``except`` block."""
    started = activation.task.started
    activation.task.refresh_from_db()  # drop in-memory changes the failed body made
    activation.task.status, activation.task.started = STATUS.STARTED, started  # as start() left it
    activation.error(exc)
    logger.warning("Flow job %s failed: %s", activation.task.pk, exc, exc_info=exc)


def run_job(job_ref, func):
    """Run ``func(activation)`` as the job ``job_ref`` under the flow lock.

    Returns ``"done"``, ``"waiting"`` (func returned WAIT), ``"error"`` (func raised;
    recorded on the task) or ``"skipped"`` (task gone or no longer SCHEDULED:
    redelivery, cancelled, already running/waiting). Raises ``FlowLockFailed``
    when the lock is busy -- the caller should retry later.
    """
    flow_class, process_pk, task_pk = _parse_ref(job_ref)
    try:
        with flow_class.lock(process_pk):
            task = _locked_task(flow_class, process_pk, task_pk)
            if task is None or task.status != STATUS.SCHEDULED:
                logger.info("Flow job %s skipped: %s", job_ref, task.status if task else "no such task")
                return "skipped"
            activation = task.flow_task.activation_class(task)
            activation.start()
            try:
                with transaction.atomic():
                    result = func(activation)
            except Exception as exc:
                if is_transient(exc):
                    raise  # the database or storage, not the job: the task retries it, still SCHEDULED
                _record_error(activation, exc)
                return "error"
            if result is WAIT:
                activation.task.save(update_fields=["status", "started"])
                return "waiting"
            activation.execute()
            return "done"
    except FlowLockFailed:
        raise
    except Exception as exc:
        if is_transient(exc):
            raise
        # Completing or activating the next nodes failed and the whole transaction
        # rolled back; record it so the task doesn't sit SCHEDULED with no message.
        logger.exception("Flow job %s failed outside its body", job_ref)
        with flow_class.lock(process_pk):
            task = _locked_task(flow_class, process_pk, task_pk)
            if task is None or task.status != STATUS.SCHEDULED:
                return "skipped"
            activation = task.flow_task.activation_class(task)
            activation.start()
            try:
                raise exc
            except Exception:  # noqa: BLE001 -- only exc, raised because _record_error must run in an except block
                _record_error(activation, exc)
        return "error"


def flow_job(func=None, *, lock_retry_delay=5, **task_options):
    """Make a Celery task for :class:`CeleryJob` from ``func(activation)``.

    ``func`` runs in the worker under the flow lock inside a transaction, with the
    job task STARTED; ``activation.process``/``activation.task`` are the rows.
    Return :data:`WAIT` to complete later with :func:`complete_job`. Extra keyword
    arguments go to ``shared_task`` (``name=``, ``queue=``, ...); the Celery task
    is retried when the flow lock is busy.

    ::

        @flow_job
        def run_precheck(activation): ...

        @flow_job(name="workflows.run_precheck", max_retries=20)
        def run_precheck(activation): ...
    """

    def decorate(func):
        @wraps(func)
        def task_body(self, job_ref):
            try:
                return run_job(job_ref, func)
            except FlowLockFailed as exc:
                raise self.retry(exc=exc, countdown=lock_retry_delay) from exc

        options = {"acks_late": True, "max_retries": 20, **task_options}
        return shared_task(bind=True, **options)(task_body)

    return decorate(func) if func is not None else decorate


# -- from elsewhere ------------------------------------------------------------


def _task_and_flow(task_or_pk):
    from viewflow.workflow.models import Task

    task = task_or_pk if isinstance(task_or_pk, Task) else Task._default_manager.get(pk=task_or_pk)
    return task.flow_task.flow_class, task.process_id, task.pk


def complete_job(task_pk, func=None):
    """Complete a job that is waiting (its function returned WAIT) and move the process on.

    ``func(activation)``, if given, runs first under the same lock and
    transaction (e.g. to store the result on the process). Returns True when
    completed now, False when the task is already finished (DONE, CANCELED,
    REVIVED) -- so a late or repeated completion is harmless. Raises
    ``FlowRuntimeError`` if the job is not waiting (SCHEDULED or ERROR).
    """
    flow_class, process_pk, task_pk = _task_and_flow(task_pk)
    with flow_class.lock(process_pk):
        task = _locked_task(flow_class, process_pk, task_pk)
        if task.status in (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED):
            return False
        if task.status != STATUS.STARTED:
            raise FlowRuntimeError(f"Job task {task.pk} is {task.status}, not waiting for completion")
        activation = task.flow_task.activation_class(task)
        if func is not None:
            func(activation)
        activation.execute()
        return True


def fail_job(task_pk, error):
    """Record a waiting job as failed (ERROR, retryable with retry_job). ``error``: an exception or a message.

    Returns True when recorded, False when the task is no longer waiting.
    """
    flow_class, process_pk, task_pk = _task_and_flow(task_pk)
    exc = error if isinstance(error, BaseException) else JobFailed(str(error))
    with flow_class.lock(process_pk):
        task = _locked_task(flow_class, process_pk, task_pk)
        if task.status != STATUS.STARTED:
            return False
        activation = task.flow_task.activation_class(task)
        try:
            raise exc
        except BaseException:  # noqa: BLE001 -- only exc, raised because _record_error must run in an except block
            _record_error(activation, exc)
        return True


def retry_job(task_pk, user=None):
    """Re-run a job in ERROR (or CANCELED): Viewflow's ``revive``.

    The failed task becomes REVIVED and a new SCHEDULED task (fresh Celery id,
    without the ``_exception`` data) is created and enqueued after commit. With
    ``user``, requires the flow's manage permission (as the Revive button does).
    Returns the new task.
    """
    flow_class, process_pk, task_pk = _task_and_flow(task_pk)
    with flow_class.lock(process_pk):
        task = _locked_task(flow_class, process_pk, task_pk)
        activation = task.flow_task.activation_class(task)
        if not activation.revive.can_proceed():
            raise FlowRuntimeError(f"Job task {task.pk} is {task.status}; only ERROR or CANCELED jobs can be retried")
        if user is not None and not activation.revive.has_perm(user):
            raise PermissionDenied
        return activation.revive()
