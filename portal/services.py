"""Changes the customer area makes that need the one access rule before the account store acts.

The account store (``accounts.services``) never decides who may do what; these functions ask ``authority`` and
hand the account store what it allows. A change to a contact (add, change the role, deactivate) says what it came
to as a ``ContactOutcome``, which the contacts page shows and the API answers by the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import authority
from accounts import services as accounts
from accounts import throttle
from accounts.audit import Actor
from accounts.models import CollaboratorBatch, Grant, Person
from wording import elide


def _managed(manager: Person) -> dict[int, Grant]:
    """The manager's grants through which they may manage collaborators, by customer id."""
    return {pk: a.grant for pk, a in authority.authorities_of(manager).items() if a.can_manage_collaborators}


def apply_collaborator_batch(*, manager: Person, **change) -> CollaboratorBatch:
    """``accounts.services.apply_collaborator_batch`` on the companies the rule lets ``manager`` manage
    collaborators on (any other company refuses the whole batch)."""
    return accounts.apply_collaborator_batch(manager=manager, managed=_managed(manager), **change)


def undo_batch(*, batch: CollaboratorBatch, manager: Person, actor: Actor) -> accounts.BatchUndo:
    """``accounts.services.undo_batch``: a company the manager no longer manages collaborators on is left alone."""
    return accounts.undo_batch(batch=batch, manager=manager, managed=_managed(manager), actor=actor)


# -- contacts: what each change came to, as the page shows it and the API answers it ----------------------


@dataclass(frozen=True)
class ContactOutcome:
    """What a change to a contact came to: ``code`` (a key of ``CONTACT_OUTCOMES``) and the page's words."""

    code: str
    message: str
    grant: Grant | None = None  # the grant made, when a contact was added


#: Each outcome of a contact change as the page shows it (message level) and the API answers it (HTTP status).
CONTACT_OUTCOMES = {
    "changed": (messages.SUCCESS, 200),
    "unchanged": (messages.INFO, 200),
    "refused": (messages.ERROR, 400),
    "throttled": (messages.ERROR, 429),
}


def add_contact_outcome(
    *, by_grant: Grant, data: dict, person: Person, address: str, actor: Actor, reason: str
) -> ContactOutcome:
    """``accounts.services.authorise_contact`` (the person is told by e-mail), each try counted per person by the
    one throttle (``INVITATION``): a try that sends nothing -- refused, or refused for too many -- does not count."""
    tried = throttle.attempt(throttle.INVITATION, identifier=str(person.pk), address=address)
    try:
        if tried.locked:
            throttle.succeeded(tried)
            return ContactOutcome(
                "throttled",
                _("You have added many contacts in a short time. Try again in %(minutes)d minutes.")
                % {"minutes": settings.LOCKOUT_MINUTES},
            )
        grant = accounts.authorise_contact(
            customer=by_grant.customer,
            id_number=data["id_number"],
            name=data["name"],
            email=data["email"],
            role=data["role"],
            actor=actor,
            by_grant=by_grant,
            reason=reason,
        )
    except accounts.GrantError as error:
        throttle.succeeded(tried)
        return ContactOutcome("refused", str(error.message))
    # The same words whether or not the store knew the person: nothing of what it holds is shown.
    return ContactOutcome(
        "changed",
        _(
            "The authorisation of %(id_number)s is registered. We tell the person by e-mail: at the address they "
            "confirmed with us or, if they are new to us, at the address you gave."
        )
        % {"id_number": data["id_number"]},
        grant,
    )


def change_contact_role_outcome(*, target: Grant, role: str, actor: Actor, reason: str) -> ContactOutcome:
    """``services.change_role`` on a contact the caller may change, and what it came to."""
    if role == target.role:
        return ContactOutcome(
            "unchanged", elide(_("Nothing changed: %(name)s already has this access.") % {"name": target.display_name})
        )
    try:
        accounts.change_role(grant=target, role=role, actor=actor, reason=reason)
    except accounts.GrantError as error:
        return ContactOutcome("refused", str(error.message))
    return ContactOutcome(
        "changed", elide(_("The authorisation of %(name)s has been changed.") % {"name": target.display_name})
    )


def deactivate_contact_outcome(*, target: Grant, actor: Actor, reason: str) -> ContactOutcome:
    """``services.deactivate_contact`` (everyone whose access ends is told by e-mail), and what it came to."""
    ended = accounts.deactivate_contact(grant=target, actor=actor, reason=reason)
    collaborators = len(ended) - 1
    text = (
        ngettext(
            "%(name)s no longer has access, nor does the %(count)d collaborator who depended on them. We have told each of them by e-mail.",
            "%(name)s no longer has access, nor do the %(count)d collaborators who depended on them. We have told each of them by e-mail.",
            collaborators,
        )
        if collaborators > 0
        else _("%(name)s no longer has access. We have told them by e-mail.")
    )
    return ContactOutcome(
        "changed" if ended else "unchanged", text % {"name": target.display_name, "count": collaborators}
    )
