"""Property: over random customers, people, grants, scopes, delegations, revocations and representative changes,
what the portal pages and ``authority`` allow equals what the grant chain allows.

The oracle below reads the grant rows and nothing else: a person reaches a customer through their active
grant; a collaborator only while the external manager's grant it was delegated from is active, and within
that manager's scope; a scope-limited manager reaches exactly the supply points its grant lists (none, if
it lists none); only a representative or an external manager (not a collaborator) may add contacts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import authority
from accounts import services as accounts
from accounts.models import Grant, SupplyPoint
from backoffice.demo import make_nif
from tests import factories as f

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["none", "authorised_full", "authorised_readonly", "external_manager", "collaborator"]
_nifs = itertools.count(78_000_001)


@dataclass(frozen=True)
class Role:
    kind: str  # "none", "representative", "authorised_full", "authorised_readonly", "external_manager", "collaborator"
    scope: tuple[int, ...] | None = None  # a manager's supply points (indices) when limited; () is limited to nothing
    parent: int = 0  # a collaborator: which of the customer's managers delegated it (modulo their number)
    collaborator_role: str = "authorised_full"
    revoke: bool = False


@dataclass(frozen=True)
class World:
    supply_points: tuple[int, ...]  # per customer
    persons: int
    roles: tuple[tuple[Role, ...], ...]  # per customer, per person
    transfer: tuple[int, int, str] | None  # (customer, new representative, outgoing)
    transfer_first: bool  # the representative change before the revocations, or after


@st.composite
def roles_on_a_customer(draw, persons: int, points: int) -> tuple[Role, ...]:
    representative = draw(st.one_of(st.none(), st.integers(0, persons - 1)))
    result = []
    for index in range(persons):
        kind = "representative" if index == representative else draw(st.sampled_from(OTHER_ROLES))
        scope = None
        if kind == "external_manager":
            scope = draw(
                st.one_of(
                    st.none(),
                    st.lists(st.integers(0, points - 1), unique=True, max_size=points).map(lambda s: tuple(sorted(s))),
                )
            )
        result.append(
            Role(
                kind=kind,
                scope=scope,
                parent=draw(st.integers(0, 5)),
                collaborator_role=draw(st.sampled_from(["authorised_full", "authorised_readonly"])),
                revoke=draw(st.booleans()),
            )
        )
    return tuple(result)


@st.composite
def worlds(draw) -> World:
    supply_points = tuple(draw(st.lists(st.integers(1, 3), min_size=2, max_size=3)))
    persons = draw(st.integers(3, 6))
    roles = tuple(draw(roles_on_a_customer(persons, points)) for points in supply_points)
    transfer = draw(
        st.one_of(
            st.none(),
            st.tuples(
                st.integers(0, len(supply_points) - 1),
                st.integers(0, persons - 1),
                st.sampled_from(["authorised_full", "deactivate"]),
            ),
        )
    )
    return World(
        supply_points=supply_points, persons=persons, roles=roles, transfer=transfer, transfer_first=draw(st.booleans())
    )


@dataclass
class Built:
    customers: list
    persons: list
    points: dict  # customer pk -> [SupplyPoint]


def build(world: World) -> Built:
    """The world in the account store: grants as rows (managers may be limited to no supply point at all),
    collaborators, revocations and the representative change through ``accounts.services``."""
    actor = f.actor()
    customers = [f.customer(supply_points=count) for count in world.supply_points]
    persons = [f.person(login=True) for _ in range(world.persons)]
    points = {c.pk: list(SupplyPoint.objects.filter(contract__customer=c).order_by("cups")) for c in customers}
    firm = f.firm()
    to_revoke = []
    for customer, roles in zip(customers, world.roles):
        managers = []
        for person, role in zip(persons, roles):  # everyone but collaborators first: they need their manager
            if role.kind in ("none", "collaborator"):
                continue
            scope = None if role.scope is None else [points[customer.pk][i] for i in role.scope]
            grant = f.grant(
                customer=customer,
                person=person,
                role=role.kind,
                firm=firm if role.kind == "external_manager" else None,
                supply_points=scope,
            )
            managers += [grant] if role.kind == "external_manager" else []
            to_revoke += [grant] if role.revoke else []
        for person, role in zip(persons, roles):
            if role.kind == "collaborator" and managers:
                grant = accounts.delegate_to_collaborator(
                    manager_grant=managers[role.parent % len(managers)],
                    person=person,
                    role=role.collaborator_role,
                    actor=actor,
                    reason="property test",
                )
                to_revoke += [grant] if role.revoke else []

    def transfer():
        if world.transfer is not None:
            customer_index, person_index, outgoing = world.transfer
            accounts.transfer_representative(
                customer=customers[customer_index],
                new_person=persons[person_index],
                outgoing=outgoing,
                actor=actor,
                reason="property test",
            )

    if world.transfer_first:
        transfer()
    for grant in to_revoke:
        accounts.revoke_grant(grant=grant, actor=actor, reason="property test")
    if not world.transfer_first:
        transfer()
    return Built(customers=customers, persons=persons, points=points)


@dataclass(frozen=True)
class Expected:
    scope: frozenset[int]  # the supply points (ids) within reach
    limited: bool
    may_add_contacts: bool


def oracle(person, customer, points: list) -> Expected | None:
    """What the grant rows allow ``person`` on ``customer``; None: nothing at all."""
    grants = list(Grant.objects.filter(person=person, customer=customer, revoked_at__isnull=True))
    assert len(grants) <= 1
    if not grants:
        return None
    grant = grants[0]
    source = grant
    if grant.delegated_from_id is not None:
        source = Grant.objects.get(pk=grant.delegated_from_id)
        if source.revoked_at is not None or source.role != "external_manager":
            return None
    if source.scope_limited:
        scope = frozenset(source.supply_points.values_list("pk", flat=True))
    else:
        scope = frozenset(point.pk for point in points)
    return Expected(
        scope=scope,
        limited=source.scope_limited,
        may_add_contacts=grant.delegated_from_id is None and grant.role in ("representative", "external_manager"),
    )


def check(built: Built, client: Client) -> None:
    expected = {(p.pk, c.pk): oracle(p, c, built.points[c.pk]) for p in built.persons for c in built.customers}
    for person in built.persons:
        # every grant of theirs ended: each page logs them out with the "access ended" page (403)
        ended = authority.access_ended(person)
        client.force_login(person.user)
        body = client.get(reverse("portal:supplies")).content.decode()
        for customer in built.customers:
            points = built.points[customer.pk]
            want = expected[person.pk, customer.pk]
            where = f"person {person.pk} on customer {customer.pk}: {want}"
            shown = {point.pk for point in points if point.cups in body}
            assert shown == (want.scope if want else frozenset()), where

            if ended:
                client.force_login(person.user)
            response = client.get(reverse("portal:contacts", args=[customer.pk]))
            assert response.status_code == (200 if want else 403 if ended else 404), where

            found = authority.authority_of(person, customer.pk)
            assert found.active == (want is not None), where
            if want is not None:
                assert {point.pk for point in points if found.sees_supply_point(point.pk)} == want.scope, where
                assert found.scope == (want.scope if want.limited else None), where
    # Adding contacts last: each adds a new person, so nobody's grants above change meanwhile.
    for person in built.persons:
        ended = authority.access_ended(person)
        client.force_login(person.user)
        for customer in built.customers:
            want = expected[person.pk, customer.pk]
            nif = make_nif(next(_nifs))
            if ended:
                client.force_login(person.user)
            response = client.post(
                reverse("portal:contacts", args=[customer.pk]),
                {
                    "name": "Contacte Propietat",
                    "email": "propietat@example.com",
                    "id_number": nif,
                    "role": "authorised_readonly",
                },
            )
            added = Grant.objects.filter(customer=customer, person__id_number=nif, revoked_at__isnull=True).exists()
            where = f"person {person.pk} adds a contact on customer {customer.pk}: {want}"
            if want is None:
                assert (response.status_code, added) == (403 if ended else 404, False), where
            elif want.may_add_contacts:
                assert (response.status_code, added) == (302, True), where
            else:
                assert (response.status_code, added) == (403, False), where


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
def test_pages_and_authority_allow_exactly_what_the_grant_chain_allows(client, world):
    with transaction.atomic():  # each example in a savepoint of its own, rolled back
        check(build(world), client)
        transaction.set_rollback(True)
