"""The one rule: may this person see or do X on this customer? May this staff user do X?

Every page, selector, document view, task, staff screen and (later) API asks here; no other
code decides by role, group name or permission on its own.

Customers. What a person may do on a customer follows from their *active grant chain*:

* an active grant of theirs on the customer -- without one, nothing at all;
* for a collaborator, the external manager's grant it was delegated from must be active too,
  and the collaborator inherits that grant's supply-point scope;
* an external manager may be limited to some supply points (``Grant.scope_limited``): then
  they see those supply points and nothing customer-wide (other people's requests, their
  documents). A limited scope with no supply points is nothing, never "everything".

Requests and their documents. A request's documents, and acting on them, belong to the
*parties* to that request: who asked for it, the representative when it started, and the
person it names -- each while they hold an active grant on the customer. Someone granted
access later, or a scoped manager, is not a party.

Staff. Permissions, never group names: verification staff (``workflows.verify_request``) and
supervisors (``workflows.supervise_request``) read documents and decide; call-center agents
(``workflows.start_request``) use the console and never read document contents.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, Q

from accounts.models import Grant, Person

Role = Grant.Role
security_log = logging.getLogger("security")
AUTHORISED_ROLES = (Role.AUTHORISED_FULL, Role.AUTHORISED_READONLY)

# -- customers ------------------------------------------------------------------------------


class Action(StrEnum):
    VIEW = "view"  # the customer, and the supply points within the scope
    VIEW_CONTACTS = "view_contacts"  # names and roles; identities only where sees_identity_of says
    MANAGE_CONTACTS = "manage_contacts"  # add, change, deactivate authorised contacts
    MANAGE_COLLABORATORS = "manage_collaborators"  # an external manager's own collaborators
    VIEW_REQUESTS = "view_requests"  # every request on the customer, not only one's own
    START_REPRESENTATIVE_CHANGE = "start_representative_change"
    START_EXTERNAL_MANAGER = "start_external_manager"
    CHANGE_PAYMENT_DAY = "change_payment_day"  # the direct-debit day of the customer's contracts


_EVERYONE = {Action.VIEW, Action.VIEW_CONTACTS}
#: What each role may do on a customer, before scope and delegation are taken into account.
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.REPRESENTATIVE: frozenset(
        _EVERYONE
        | {
            Action.MANAGE_CONTACTS,
            Action.VIEW_REQUESTS,
            Action.START_REPRESENTATIVE_CHANGE,
            Action.START_EXTERNAL_MANAGER,
            Action.CHANGE_PAYMENT_DAY,
        }
    ),
    Role.AUTHORISED_FULL: frozenset(
        _EVERYONE
        | {
            Action.VIEW_REQUESTS,
            Action.START_REPRESENTATIVE_CHANGE,
            Action.START_EXTERNAL_MANAGER,
            Action.CHANGE_PAYMENT_DAY,
        }
    ),
    Role.AUTHORISED_READONLY: frozenset(_EVERYONE | {Action.VIEW_REQUESTS}),
    Role.EXTERNAL_MANAGER: frozenset(_EVERYONE | {Action.MANAGE_COLLABORATORS, Action.VIEW_REQUESTS}),
}
#: A collaborator (delegated from an external manager) sees, within the manager's scope; it starts nothing.
COLLABORATOR_ACTIONS = frozenset(_EVERYONE | {Action.VIEW_REQUESTS})
#: Actions about the customer as a whole: refused to anyone limited to some supply points.
CUSTOMER_WIDE = frozenset(
    {
        Action.VIEW_REQUESTS,
        Action.START_REPRESENTATIVE_CHANGE,
        Action.START_EXTERNAL_MANAGER,
        Action.CHANGE_PAYMENT_DAY,
    }
)


@dataclass(frozen=True)
class Authority:
    """What one person may see and do on one customer, from their active grant chain."""

    person: Person | None
    customer_id: int
    grant: Grant | None
    #: None: the whole customer; otherwise the supply points (ids) within reach, possibly none.
    scope: frozenset[int] | None = None

    @property
    def active(self) -> bool:
        return self.grant is not None

    @property
    def whole_customer(self) -> bool:
        return self.grant is not None and self.scope is None

    @property
    def actions(self) -> frozenset[Action]:
        if self.grant is None:
            return frozenset()
        allowed = COLLABORATOR_ACTIONS if self.grant.is_collaborator else ROLE_ACTIONS[self.grant.role]
        return allowed if self.scope is None else allowed - CUSTOMER_WIDE

    def may(self, action: Action) -> bool:
        return action in self.actions

    # Names the templates read.
    @property
    def can_view(self) -> bool:
        return self.may(Action.VIEW)

    @property
    def can_manage_contacts(self) -> bool:
        return self.may(Action.MANAGE_CONTACTS)

    @property
    def can_manage_collaborators(self) -> bool:
        return self.may(Action.MANAGE_COLLABORATORS)

    @property
    def can_change(self) -> bool:
        return self.can_manage_contacts or self.can_manage_collaborators

    @property
    def can_change_payment_day(self) -> bool:
        return self.may(Action.CHANGE_PAYMENT_DAY)

    @property
    def can_start_requests(self) -> bool:
        return self.may(Action.START_REPRESENTATIVE_CHANGE) or self.may(Action.START_EXTERNAL_MANAGER)

    def sees_supply_point(self, supply_point_id: int) -> bool:
        return self.grant is not None and (self.scope is None or supply_point_id in self.scope)

    # -- other people's grants on the same customer

    def may_edit(self, target: Grant) -> bool:
        """May this person change or deactivate ``target`` (another active grant on the same customer)?"""
        if (
            self.grant is None
            or target.customer_id != self.customer_id
            or target.pk == self.grant.pk
            or not target.is_active
        ):
            return False
        if self.can_manage_contacts:
            return target.role != Role.REPRESENTATIVE
        if self.can_manage_collaborators:
            return target.delegated_from_id == self.grant.pk
        return False

    def may_change_role(self, target: Grant) -> bool:
        return self.may_edit(target) and target.role in AUTHORISED_ROLES

    def sees_identity_of(self, target: Grant) -> bool:
        """The full id number, e-mail and phone of ``target``'s person. Everyone sees their own; the
        representative sees everyone's on the customer, an external manager its own collaborators'.
        Everyone else sees them masked."""
        if self.grant is None or target.customer_id != self.customer_id:
            return False
        if target.person_id == self.grant.person_id or self.can_manage_contacts:
            return True
        return self.can_manage_collaborators and target.delegated_from_id == self.grant.pk

    # -- paperwork requests on this customer

    def is_party(self, request) -> bool:
        """Who asked, the representative when it started, or the person it names -- holding an active grant."""
        if self.grant is None or request.customer_id != self.customer_id:
            return False
        person = self.grant.person if self.person is None else self.person
        return person.pk in request.party_person_ids() or person.id_number == request.named_person_id_number

    def may_view_request(self, request) -> bool:
        """Its status and timeline: parties, and whoever may see every request on the customer."""
        return self.is_party(request) or (request.customer_id == self.customer_id and self.may(Action.VIEW_REQUESTS))

    def sees_request_details(self, request) -> bool:
        """Who and what the request names (id numbers, e-mails) and its documents: the parties only."""
        return self.is_party(request)

    def may_act_on_request(self, request) -> bool:
        """Upload, remove and submit documents: a party that is not read-only, while the request is open."""
        return request.is_open and self.is_party(request) and not (self.grant.role == Role.AUTHORISED_READONLY)

    def may_start(self, kind: str) -> bool:
        action = {
            "representative_change": Action.START_REPRESENTATIVE_CHANGE,
            "external_manager": Action.START_EXTERNAL_MANAGER,
        }[kind]
        return self.may(action)


def unknown_caller_may_start(kind: str) -> bool:
    """Someone on the phone whom the store does not know holds no grant; the one thing they may ask for is to become
    the representative themselves, with documents (the call center holds them to naming themselves)."""
    return kind == "representative_change"


def _scope_ids(grants: list[Grant]) -> dict[int, frozenset[int]]:
    """The supply points of every scope-limited grant among ``grants``. One query, or none."""
    limited = [g.pk for g in grants if g.scope_limited]
    if not limited:
        return {}
    through = Grant.supply_points.through
    ids: dict[int, set[int]] = {pk: set() for pk in limited}
    for grant_id, point_id in through.objects.filter(grant_id__in=limited).values_list("grant_id", "supplypoint_id"):
        ids[grant_id].add(point_id)
    return {pk: frozenset(points) for pk, points in ids.items()}


def _chain(grant: Grant) -> Grant | None:
    """The grant whose scope applies (the manager's for a collaborator), or None when the chain is broken."""
    if grant.delegated_from_id is None:
        return grant
    parent = grant.delegated_from
    if parent.revoked_at is not None or parent.role != Role.EXTERNAL_MANAGER or parent.customer_id != grant.customer_id:
        return None
    return parent


def _authorities(person: Person, grants: list[Grant]) -> dict[int, Authority]:
    sources = {g.pk: _chain(g) for g in grants}
    scopes = _scope_ids([s for s in sources.values() if s is not None])
    result = {}
    for grant in grants:
        source = sources[grant.pk]
        if source is None:
            continue
        result[grant.customer_id] = Authority(
            person=person,
            customer_id=grant.customer_id,
            grant=grant,
            scope=scopes.get(source.pk) if source.scope_limited else None,
        )
    return result


def _active_grants(person: Person, *, with_customers: bool = True):
    grants = Grant.objects.filter(person=person, revoked_at__isnull=True)
    if with_customers:
        return grants.select_related("customer", "firm", "delegated_from")
    return grants.select_related("delegated_from").defer("granted_at")


def authority_of(person: Person | None, customer_id: int) -> Authority:
    """What ``person`` may do on the customer. Two queries at most (one without a limited scope)."""
    if person is None or person.pk is None:
        return Authority(person=person, customer_id=customer_id, grant=None)
    grants = list(_active_grants(person).filter(customer_id=customer_id)[:1])
    return _authorities(person, grants).get(customer_id) or Authority(
        person=person, customer_id=customer_id, grant=None
    )


def authorities_of(person: Person | None, *, with_customers: bool = True) -> dict[int, Authority]:
    """Every customer the person may see, with what they may do there, by customer name. Two queries whatever
    their number.

    ``with_customers=False`` gives the same answers for a caller that needs only the customer ids and the rule
    (the API's lists): the grants' customer, firm and ``granted_at`` are not loaded (reading one costs a query)
    and the dict is in customer id order. It reads the person's grants alone, through their index, instead of joining
    every customer for the names, which at a firm's hundreds of customers the planner answers with a scan of the
    whole customer table."""
    if person is None or person.pk is None:
        return {}
    grants = _active_grants(person, with_customers=with_customers)
    ordered = grants.order_by("customer__name", "customer_id") if with_customers else grants.order_by("customer_id")
    return _authorities(person, list(ordered))


def access_ended(person: Person) -> bool:
    """Every grant the person had has ended (one query): their login leads nowhere, on the pages as through the API.
    Someone who never held a grant (a login made before its first grant) has not lost access."""
    grants = person.grants.aggregate(every=Count("pk"), active=Count("pk", filter=Q(revoked_at__isnull=True)))
    return grants["every"] > 0 and grants["active"] == 0


def person_of(user) -> Person | None:
    """The customer-area person behind a login (never a staff account's)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active or user.is_staff:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


# -- staff ----------------------------------------------------------------------------------

VERIFY = "workflows.verify_request"
SUPERVISE = "workflows.supervise_request"
START_ON_BEHALF = "workflows.start_request"


class StaffAction(StrEnum):
    READ_DOCUMENTS = "read_documents"
    VERIFY = "verify"
    SUPERVISE = "supervise"
    USE_CONSOLE = "use_console"
    CORRECT_IDENTITY = "correct_identity"
    ADMINISTER = "administer"  # the Django admin's pages on the account store, the audit log and the locks
    REGISTER_APPS = "register_apps"  # third-party OAuth2 apps and their tokens (superusers only)


STAFF_PERMISSIONS: dict[StaffAction, tuple[str, ...]] = {
    StaffAction.READ_DOCUMENTS: (VERIFY, SUPERVISE),
    StaffAction.VERIFY: (VERIFY, SUPERVISE),
    StaffAction.SUPERVISE: (SUPERVISE,),
    StaffAction.USE_CONSOLE: (START_ON_BEHALF,),
    StaffAction.CORRECT_IDENTITY: (SUPERVISE,),
    StaffAction.ADMINISTER: (SUPERVISE,),
    StaffAction.REGISTER_APPS: (),  # no group permission reaches it: superusers only
}


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def staff_may(user, action: StaffAction) -> bool:
    return is_staff(user) and (user.is_superuser or any(user.has_perm(p) for p in STAFF_PERMISSIONS[action]))


def refused(user, *, action: str, target: str) -> None:
    """Log that this rule refused ``user`` (security event ``access.refused``). Called where a refusal becomes
    the answer: the customer and document gates (a 404), and every 403 (``backoffice.observability.RequestIdMiddleware``)."""
    security_log.warning(
        "access refused: user %s may not %s %s",
        getattr(user, "pk", None),
        action,
        target,
        extra={"event": "access.refused", "action": str(action), "target": str(target)},
    )


# -- documents ------------------------------------------------------------------------------


def may_read_request_documents(user, request) -> bool:
    """Staff who verify or supervise; otherwise the parties to ``request``, the paperwork request the documents
    back (None for documents of no request: staff only). ``workflows.selectors.may_read_document`` finds it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff:
        return staff_may(user, StaffAction.READ_DOCUMENTS)
    person = person_of(user)
    if person is None or request is None:
        return False
    return authority_of(person, request.customer_id).sees_request_details(request)
