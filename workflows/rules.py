"""Who may decide on a request: segregation of duties and the messages that explain a refusal.

Checked on the server for every decision (the task nodes, the services and the views all ask here);
whether a staff user holds a role is ``authority``'s answer.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from authority import SUPERVISE, VERIFY, StaffAction, is_staff, staff_may

from .models import PaperworkRequest

__all__ = [
    "SUPERVISE",
    "VERIFY",
    "GROUP_PERMISSIONS",
    "is_staff",
    "conflict",
    "verification_permission",
    "verify_refusal",
    "second_approval_refusal",
]

#: The staff groups and the permissions each holds (kept in sync on every migrate).
GROUP_PERMISSIONS = {
    "callcenter_agents": ["view_representativechangeprocess", "view_externalmanagerprocess", "start_request"],
    "verifiers": ["view_representativechangeprocess", "view_externalmanagerprocess", "verify_request"],
    "supervisors": [
        "view_representativechangeprocess",
        "view_externalmanagerprocess",
        "verify_request",
        "supervise_request",
        "manage_representativechangeprocess",
        "manage_externalmanagerprocess",
    ],
}


def verification_permission(activation) -> str:
    """Whose queue a new verification goes to: the verifiers', or the supervisors' when the request is on hold."""
    return SUPERVISE if activation.process.on_hold else VERIFY


def conflict(user, process: PaperworkRequest) -> str | None:
    """Why ``user`` may not decide on ``process`` whatever their role, or None."""
    if process.started_by_id is not None and process.started_by_id == user.pk:
        return _("You started this request, so someone else must decide on it.")
    person = getattr(user, "person", None)
    if person is not None and person.id_number in process.named_id_numbers():
        return _("This request names you, so someone else must decide on it.")
    return None


def verify_refusal(user, process: PaperworkRequest) -> str | None:
    """Why ``user`` may not take or decide the verification, or None when they may."""
    if not staff_may(user, StaffAction.VERIFY):
        return _("Only verification staff may decide on requests.")
    if process.on_hold and not staff_may(user, StaffAction.SUPERVISE):
        return _("This request is on hold: the representative objected to it. A supervisor decides.")
    if process.escalated_at and not staff_may(user, StaffAction.SUPERVISE):
        return _("This verification is overdue and went to the supervisors' queue: a supervisor decides.")
    return conflict(user, process)


def second_approval_refusal(user, process: PaperworkRequest) -> str | None:
    """Why ``user`` may not give the second approval, or None when they may."""
    if not staff_may(user, StaffAction.SUPERVISE):
        return _("Only a supervisor may give the second approval.")
    if process.decided_by_id == user.pk:
        return _("The second approval must come from a different person than the first decision.")
    return conflict(user, process)
