import pytest
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, Grant, Invitation, Person
from tests import factories as f
from tests import mailbox

pytestmark = pytest.mark.django_db


def test_grant_role_creates_grant_and_audit_event():
    customer, person = f.customer(), f.person()
    grant = services.grant_role(
        customer=customer, person=person, role="authorised_full", actor=f.actor(), reason="click"
    )
    event = AuditEvent.objects.get(action="grant.create", target_id=str(grant.pk))
    assert event.before is None and event.after["role"] == "authorised_full" and event.customer == customer


def test_grant_role_retried_with_same_role_writes_nothing():
    customer, person = f.customer(), f.person()
    first = services.grant_role(
        customer=customer, person=person, role="authorised_readonly", actor=f.actor(), reason="click"
    )
    events = AuditEvent.objects.count()
    again = services.grant_role(
        customer=customer, person=person, role="authorised_readonly", actor=f.actor(), reason="click"
    )
    assert again.pk == first.pk and AuditEvent.objects.count() == events


def test_grant_role_refuses_second_grant_for_same_person():
    customer, person = f.customer(), f.person()
    services.grant_role(customer=customer, person=person, role="authorised_readonly", actor=f.actor(), reason="click")
    with pytest.raises(services.AlreadyAuthorised):
        services.grant_role(customer=customer, person=person, role="authorised_full", actor=f.actor(), reason="click")


def test_grant_role_refuses_second_representative():
    customer = f.customer()
    services.grant_role(customer=customer, person=f.person(), role="representative", actor=f.actor(), reason="seed")
    with pytest.raises(services.RepresentativeExists):
        services.grant_role(customer=customer, person=f.person(), role="representative", actor=f.actor(), reason="seed")
    assert Grant.objects.filter(customer=customer, role="representative", revoked_at__isnull=True).count() == 1


def test_change_role_switches_between_full_and_readonly_with_before_and_after():
    customer, person = f.customer(), f.person()
    grant = f.grant(customer=customer, person=person, role="authorised_full")
    services.change_role(grant=grant, role="authorised_readonly", actor=f.actor(), reason="click")
    grant.refresh_from_db()
    event = AuditEvent.objects.get(action="grant.change_role")
    assert grant.role == "authorised_readonly"
    assert (event.before["role"], event.after["role"]) == ("authorised_full", "authorised_readonly")


def test_change_role_refuses_representative_grant():
    story_customer = f.customer()
    rep = f.grant(customer=story_customer, person=f.person(), role="representative")
    with pytest.raises(services.GrantError):
        services.change_role(grant=rep, role="authorised_full", actor=f.actor(), reason="click")


def test_revoke_is_idempotent():
    grant = f.grant(customer=f.customer(), person=f.person(), role="authorised_full")
    services.revoke_grant(grant=grant, actor=f.actor(), reason="click")
    services.revoke_grant(grant=grant, actor=f.actor(), reason="click")
    assert AuditEvent.objects.filter(action="grant.revoke").count() == 1


def test_revoking_manager_revokes_its_collaborators_first(story):
    services.revoke_grant(grant=story.manager_grant, actor=f.actor(), reason="click")
    story.collaborator_grant.refresh_from_db()
    assert story.collaborator_grant.revoked_at is not None
    revoked = list(AuditEvent.objects.filter(action="grant.revoke").order_by("id").values_list("target_id", flat=True))
    assert revoked == [str(story.collaborator_grant.pk), str(story.manager_grant.pk)]


def test_transfer_representative_keeps_outgoing_as_full_contact(story):
    newcomer = f.person()
    services.transfer_representative(
        customer=story.customer, new_person=newcomer, outgoing="authorised_full", actor=f.actor(), reason="REQ-1"
    )
    active = {g.person_id: g.role for g in Grant.objects.filter(customer=story.customer, revoked_at__isnull=True)}
    assert active[newcomer.pk] == "representative"
    assert active[story.representative.pk] == "authorised_full"


def test_transfer_representative_can_deactivate_outgoing(story):
    newcomer = f.person()
    services.transfer_representative(
        customer=story.customer, new_person=newcomer, outgoing="deactivate", actor=f.actor(), reason="REQ-1"
    )
    assert not Grant.objects.filter(
        customer=story.customer, person=story.representative, revoked_at__isnull=True
    ).exists()


def test_transfer_representative_twice_changes_nothing_the_second_time(story):
    newcomer = f.person()
    services.transfer_representative(
        customer=story.customer, new_person=newcomer, outgoing="authorised_full", actor=f.actor(), reason="REQ-1"
    )
    events = AuditEvent.objects.count()
    services.transfer_representative(
        customer=story.customer, new_person=newcomer, outgoing="authorised_full", actor=f.actor(), reason="REQ-1"
    )
    assert AuditEvent.objects.count() == events


def test_transfer_to_an_existing_contact_replaces_their_grant(story):
    services.transfer_representative(
        customer=story.customer, new_person=story.full, outgoing="deactivate", actor=f.actor(), reason="REQ-2"
    )
    assert (
        Grant.objects.get(customer=story.customer, person=story.full, revoked_at__isnull=True).role == "representative"
    )


def test_transfer_refuses_when_representative_changed_meanwhile(story):
    with pytest.raises(services.RepresentativeExists):
        services.transfer_representative(
            customer=story.customer,
            new_person=f.person(),
            outgoing="deactivate",
            actor=f.actor(),
            reason="REQ-3",
            expected_current=story.full,
        )


def test_register_external_manager_on_some_supply_points():
    customer, person, firm = f.customer(supply_points=3), f.person(), f.firm()
    points = list(customer.contracts.first().supply_points.all()[:1])
    grant = services.register_external_manager(
        customer=customer, person=person, firm=firm, actor=f.actor(), reason="REQ-4", supply_points=points
    )
    assert grant.role == "external_manager" and list(grant.supply_points.all()) == points
    again = services.register_external_manager(
        customer=customer, person=person, firm=firm, actor=f.actor(), reason="REQ-4", supply_points=points
    )
    assert again.pk == grant.pk


def test_register_external_manager_refuses_supply_point_of_another_customer():
    customer, other = f.customer(), f.customer()
    foreign = list(other.contracts.first().supply_points.all()[:1])
    with pytest.raises(services.GrantError):
        services.register_external_manager(
            customer=customer, person=f.person(), firm=f.firm(), actor=f.actor(), reason="x", supply_points=foreign
        )


def test_delegate_to_collaborator_links_to_manager_grant(story):
    helper = f.person()
    grant = services.delegate_to_collaborator(
        manager_grant=story.manager_grant, person=helper, role="authorised_readonly", actor=f.actor(), reason="click"
    )
    assert grant.delegated_from_id == story.manager_grant.pk and grant.is_collaborator


def test_delegate_refuses_non_manager_grant(story):
    with pytest.raises(services.GrantError):
        services.delegate_to_collaborator(
            manager_grant=story.full_grant, person=f.person(), role="authorised_full", actor=f.actor(), reason="click"
        )


def _authorise_new(story, capture, *, id_number="87654321X", email="nova@example.com") -> tuple:
    with capture(execute=True):
        grant = services.authorise_contact(
            customer=story.customer,
            id_number=id_number,
            name="Nova Persona",
            email=email,
            role="authorised_readonly",
            actor=f.actor(),
            by_grant=story.rep_grant,
            reason="click",
        )
    return grant, mailbox.token(email, "/invitation/")


def test_authorise_contact_creates_unknown_person_and_invitation(story, django_capture_on_commit_callbacks):
    grant, token = _authorise_new(story, django_capture_on_commit_callbacks)
    assert (
        grant.person.id_number == "87654321X"
        and grant.person.email == "nova@example.com"
        and grant.person.email_confirmed_at is None
    )
    assert Invitation.objects.get(grant=grant).token_hash == services.hash_token(token)


def test_authorise_contact_never_changes_a_known_person_nor_invites_a_typed_address(
    story, django_capture_on_commit_callbacks
):
    known = f.person(name="Known Person", email="known@example.com")  # no login, no confirmed address
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.authorise_contact(
            customer=story.customer,
            id_number=known.id_number,
            name="Typed Name",
            email="typed@example.com",
            role="authorised_full",
            actor=f.actor(),
            by_grant=story.rep_grant,
            reason="click",
        )
    known.refresh_from_db()
    assert (known.name, known.email, known.user_id) == ("Known Person", "known@example.com", None)
    assert grant.person == known and not Invitation.objects.filter(grant=grant).exists()
    assert mailbox.to("typed@example.com") == [] and mailbox.to("known@example.com") == []


def test_authorise_contact_invites_a_known_person_at_the_address_they_confirmed(
    story, django_capture_on_commit_callbacks
):
    known = f.person(name="Known Person", email="mine@example.com")
    known.email_confirmed_at = timezone.now()
    known.save(update_fields=["email_confirmed_at"])
    with django_capture_on_commit_callbacks(execute=True):
        services.authorise_contact(
            customer=story.customer,
            id_number=known.id_number,
            name="x",
            email="typed@example.com",
            role="authorised_full",
            actor=f.actor(),
            by_grant=story.rep_grant,
            reason="click",
        )
    assert mailbox.to("typed@example.com") == [] and "/invitation/" in mailbox.to("mine@example.com")[-1].body


def test_authorise_contact_failure_leaves_no_person_behind(story):
    # The second grant on the same person fails; the person created in the same call must not stay.
    with pytest.raises(services.GrantError):
        services.authorise_contact(
            customer=story.customer,
            id_number=story.representative.id_number,
            name="x",
            email="x@example.com",
            role="authorised_full",
            actor=f.actor(),
            by_grant=story.rep_grant,
            reason="click",
        )
    count = Person.objects.count()
    with pytest.raises(services.AlreadyAuthorised):
        with transaction.atomic():
            services.authorise_contact(
                customer=story.customer,
                id_number=story.full.id_number,
                name="x",
                email="x@example.com",
                role="authorised_full",
                actor=f.actor(),
                by_grant=story.rep_grant,
                reason="click",
            )
    assert Person.objects.count() == count


def test_accept_invitation_once_only(story, django_capture_on_commit_callbacks):
    grant, token = _authorise_new(story, django_capture_on_commit_callbacks)
    user = services.accept_invitation(
        token=token, id_number="87654321X", password=f.PASSWORD, language="es", actor_ip="127.0.0.1"
    )
    person = user.person
    assert user.check_password(f.PASSWORD) and person.language == "es" and person.name == "Nova Persona"
    assert person.email_confirmed_at is not None and person.identity_basis == Person.IdentityBasis.INVITATION
    with pytest.raises(services.TokenError):
        services.accept_invitation(
            token=token, id_number="87654321X", password=f.PASSWORD, language="es", actor_ip=None
        )


def test_accept_invitation_refuses_other_nif(story, django_capture_on_commit_callbacks):
    _, token = _authorise_new(story, django_capture_on_commit_callbacks)
    with pytest.raises(services.TokenError):
        services.accept_invitation(
            token=token, id_number="12345678Z", password=f.PASSWORD, language="ca", actor_ip=None
        )


def test_accept_invitation_refuses_once_the_person_address_changed(story, django_capture_on_commit_callbacks):
    grant, token = _authorise_new(story, django_capture_on_commit_callbacks)
    Person.objects.filter(pk=grant.person_id).update(email="other@example.com")
    with pytest.raises(services.TokenError):
        services.accept_invitation(
            token=token, id_number="87654321X", password=f.PASSWORD, language="ca", actor_ip=None
        )
