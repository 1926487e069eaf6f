"""Who may decide on a request: the staff roles and segregation of duties.

Checked on the server for every decision (the task nodes, the services and the views all ask here).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import PaperworkRequest

VERIFY = "workflows.verify_request"
SUPERVISE = "workflows.supervise_request"

#: The staff groups and the permissions each holds (kept in sync on every migrate).
GROUP_PERMISSIONS = {
    "callcenter_agents": ["view_representativechangeprocess", "view_externalmanagerprocess", "start_request"],
    "verifiers": ["view_representativechangeprocess", "view_externalmanagerprocess", "verify_request"],
    "supervisors": [
        "view_representativechangeprocess", "view_externalmanagerprocess", "verify_request", "supervise_request",
        "manage_representativechangeprocess", "manage_externalmanagerprocess",
    ],
}


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


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
    if not is_staff(user):
        return _("Only verification staff may decide on requests.")
    if process.escalated_at and not user.has_perm(SUPERVISE):
        return _("This verification is overdue and went to the supervisors' queue: a supervisor decides.")
    if not user.has_perm(VERIFY) and not user.has_perm(SUPERVISE):
        return _("Only verification staff may decide on requests.")
    return conflict(user, process)


def second_approval_refusal(user, process: PaperworkRequest) -> str | None:
    """Why ``user`` may not give the second approval, or None when they may."""
    if not is_staff(user) or not user.has_perm(SUPERVISE):
        return _("Only a supervisor may give the second approval.")
    if process.decided_by_id == user.pk:
        return _("The second approval must come from a different person than the first decision.")
    return conflict(user, process)
