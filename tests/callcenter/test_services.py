"""``callcenter.services`` called directly, as anything other than the console's forms could: the rules hold there."""

import pytest

from accounts.audit import Actor
from callcenter import services
from tests.workflows.paperwork import FIRM_CIF, FIRM_NAME, MANAGER_NAME, MANAGER_NIF, NEW_NAME, NEW_NIF
from workflows.models import ExternalManagerProcess, RepresentativeChangeProcess

from .helpers import verified_call

pytestmark = pytest.mark.django_db

CHANGE = {
    "new_email": "marta@example.com",
    "outgoing": "authorised_full",
    "contact_email": "marta@example.com",
    "language": "ca",
}
MANAGER = {
    "firm_cif": FIRM_CIF,
    "firm_name": FIRM_NAME,
    "firm_kind": "energy_manager",
    "manager_id_number": MANAGER_NIF,
    "manager_name": MANAGER_NAME,
    "manager_email": "jordi@example.com",
    "supply_points": [],
    "contact_email": "x@example.com",
    "language": "ca",
}


@pytest.fixture
def actor(agent):
    return Actor(user=agent, ip="198.51.100.7", label="call center")


@pytest.fixture
def unknown(console, story):
    return verified_call(console, story.customer, None, id_number=NEW_NIF, name=NEW_NAME)


@pytest.mark.parametrize(
    "named",
    [
        {"new_id_number": "87654321X", "new_name": NEW_NAME},
        {"new_id_number": NEW_NIF, "new_name": "Algu Altre"},
    ],
)
def test_the_service_refuses_an_unknown_callers_change_naming_someone_else(unknown, actor, named):
    with pytest.raises(services.CallError, match="the new representative must be the verified caller"):
        services.start_representative_change(interaction=unknown, actor=actor, **named, **CHANGE)
    assert RepresentativeChangeProcess.objects.count() == 0


def test_the_service_refuses_an_external_manager_asked_for_by_an_unknown_caller(unknown, actor):
    with pytest.raises(
        services.CallError, match="An unknown caller can only ask to become the representative themselves."
    ):
        services.start_external_manager(interaction=unknown, actor=actor, **MANAGER)
    assert ExternalManagerProcess.objects.count() == 0


def test_the_service_accepts_an_unknown_callers_own_nif_and_name_however_spaced_or_cased(unknown, actor):
    process = services.start_representative_change(
        interaction=unknown, actor=actor, new_id_number=NEW_NIF.lower(), new_name=f" {NEW_NAME.upper()} ", **CHANGE
    )
    assert process.new_id_number == NEW_NIF


def test_the_service_refuses_requests_from_a_read_only_caller(console, story, actor):
    interaction = verified_call(console, story.customer, story.readonly)
    with pytest.raises(services.CallError, match="This caller may not start this request on this customer."):
        services.start_representative_change(
            interaction=interaction, actor=actor, new_id_number=NEW_NIF, new_name=NEW_NAME, **CHANGE
        )
    with pytest.raises(services.CallError, match="This caller may not start this request on this customer."):
        services.start_external_manager(interaction=interaction, actor=actor, **MANAGER)


def test_the_service_refuses_a_caller_whose_grant_was_revoked_after_the_check(console, story, actor):
    interaction = verified_call(console, story.customer, story.full)
    story.full_grant.revoked_at = story.full_grant.granted_at
    story.full_grant.save(update_fields=["revoked_at"])
    with pytest.raises(services.CallError, match="This caller may not start this request on this customer."):
        services.start_external_manager(interaction=interaction, actor=actor, **MANAGER)
