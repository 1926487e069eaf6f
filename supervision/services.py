"""The supervisors' changes: staff logins for operators (``manage.py create_staff_user``), moving a verification
to another verifier, and flagging a customer as sensitive.

Staff logins are here rather than in ``accounts``: a staff group is one holding a staff permission of
``authority``, which itself reads the account store.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

import authority
from accounts import audit
from accounts.audit import Actor
from accounts.models import User
from workflows.models import PaperworkRequest
from workflows.rules import verify_refusal


class StaffUserError(Exception):
    """A staff user that cannot be created as asked; ``code`` says why, the message is for the operator."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _staff_group(name: str) -> Group | None:
    """The group called ``name`` if it is a staff group: one that holds a staff permission (``authority``)."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        return None
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    return group if held & {authority.VERIFY, authority.SUPERVISE, authority.START_ON_BEHALF} else None


def check_new_staff_user(*, username: str, email: str, group: str) -> Group:
    """The staff group for a new staff user ``username``, or StaffUserError (bad name or address, a name taken
    already -- compared as staff log in, case-insensitively --, or a group that is not a staff group)."""
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise StaffUserError("invalid_username", " ".join(error.messages)) from None
    try:
        validate_email(email)
    except ValidationError:
        raise StaffUserError("invalid_email", f"{email!r} is not an e-mail address") from None
    if User.objects.filter(username__iexact=username).exists():
        raise StaffUserError("username_taken", f"a user named {username!r} exists already")
    staff_group = _staff_group(group)
    if staff_group is None:
        raise StaffUserError("unknown_group", f"{group!r} is not a staff group (the staff groups exist after migrate)")
    return staff_group


@transaction.atomic
def create_staff_user(
    *, username: str, email: str, group: str, password: str, first_name: str = "", last_name: str = "", actor: Actor
) -> User:
    """A staff login in the staff group ``group``, with a password Django's validators accept. It has no second
    factor yet: the user enrols a TOTP device at first login (``accounts.mfa``). Audited as ``staff_user.create``."""
    username, email = username.strip(), email.strip()
    staff_group = check_new_staff_user(username=username, email=email, group=group)
    user = User(
        username=username, email=email, first_name=first_name.strip(), last_name=last_name.strip(), is_staff=True
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise StaffUserError("weak_password", " ".join(error.messages)) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created meanwhile
        raise StaffUserError("username_taken", f"a user named {username!r} exists already") from None
    user.groups.add(staff_group)
    audit.record(
        actor=actor,
        action="staff_user.create",
        target=user,
        before=None,
        after={"username": username, "email": email, "group": staff_group.name},
        reason="staff user created",
    )
    return user


# -- the supervisor's board ---------------------------------------------------------------------------

#: The shortest reason a supervisor may give for a change made on the board (as for lifting a lock).
REASON_MIN_LENGTH = 10
#: A verification task that is still open: in the queue, or taken by someone.
OPEN_VERIFICATION = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class SupervisionError(Exception):
    """A change the supervisor cannot make as asked; ``code`` says why, ``message`` is for them (translated)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _clean_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < REASON_MIN_LENGTH:
        raise SupervisionError(
            "reason_missing", _("Write why (at least %(count)d characters).") % {"count": REASON_MIN_LENGTH}
        )
    return reason[:300]


def reassign_verification(*, task_id: int, to: User, reason: str, actor: Actor) -> Task:
    """Give the open verification task ``task_id`` to ``to``, who must be allowed to decide it
    (``workflows.rules.verify_refusal``: a verifier, a supervisor when it is on hold or escalated, never the person
    who started it or whom it names). The task is theirs at once (assigned). Under the request's flow lock, in one
    transaction, audited as ``task.reassign``."""
    reason = _clean_reason(reason)
    row = Task.objects.filter(pk=task_id).values_list("flow_task", "process_id").first()
    if row is None:
        raise SupervisionError("no_task", _("This task does not exist any more."))
    node, process_id = row
    flow_class = node.flow_class
    if node is not flow_class.verify:
        raise SupervisionError("not_verification", _("Only a verification task can be reassigned."))
    try:
        with transaction.atomic(), flow_class.lock(process_id):
            task = Task.objects.select_for_update().get(pk=task_id)
            if task.status not in OPEN_VERIFICATION:
                raise SupervisionError("task_closed", _("This verification was already decided."))
            model = flow_class.process_class
            process = model._default_manager.select_related("requested_by", *model.flow_related).get(pk=process_id)
            refusal = verify_refusal(to, process)
            if refusal:
                raise SupervisionError(
                    "not_allowed",
                    _("%(who)s may not decide this request: %(why)s")
                    % {"who": to.get_full_name() or to.get_username(), "why": refusal},
                )
            if task.owner_id == to.pk:
                raise SupervisionError("same_owner", _("This verification is already theirs."))
            before = {"task": task.pk, "owner": task.owner_id, "status": task.status}
            task.owner = to
            if task.status == STATUS.NEW:
                task.status = STATUS.ASSIGNED
            task.save(update_fields=["owner", "status"])
            audit.record(
                actor=actor,
                action="task.reassign",
                target=process,
                customer_id=process.customer_id,
                before=before,
                after={"task": task.pk, "owner": to.pk, "status": task.status},
                reason=reason,
                request_ref=process.reference,
            )
    except FlowLockFailed:
        raise SupervisionError(
            "busy", _("Someone else is changing this request right now. Nothing was saved: try again in a moment.")
        ) from None
    return task


@transaction.atomic
def set_sensitive(*, process: PaperworkRequest, sensitive: bool, reason: str, actor: Actor) -> PaperworkRequest:
    """Flag (or unflag) the customer of ``process`` as sensitive: while flagged, every approval of its requests
    needs a second one (``PaperworkRequest.needs_second_approval``). Audited as ``customer.sensitive`` with the
    request's reference; a flag already as asked is an error, so that nothing is audited twice."""
    reason = _clean_reason(reason)
    customer = type(process.customer)._default_manager.select_for_update().get(pk=process.customer_id)
    if customer.sensitive == sensitive:
        raise SupervisionError(
            "unchanged",
            _("%(customer)s is already flagged as sensitive.") % {"customer": customer.name}
            if sensitive
            else _("%(customer)s is not flagged as sensitive.") % {"customer": customer.name},
        )
    customer.sensitive = sensitive
    customer.save(update_fields=["sensitive"])
    audit.record(
        actor=actor,
        action="customer.sensitive",
        target=customer,
        customer=customer,
        before={"sensitive": not sensitive},
        after={"sensitive": sensitive},
        reason=reason,
        request_ref=process.reference,
    )
    process.customer = customer
    return process
