"""Changes the customer area makes that need the one access rule before the account store acts.

The account store (``accounts.services``) never decides who may do what; these functions ask ``authority`` and
hand the account store what it allows.
"""

from __future__ import annotations

import authority
from accounts import services as accounts
from accounts.audit import Actor
from accounts.models import CollaboratorBatch, Grant, Person


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
