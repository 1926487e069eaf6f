"""Every change to the account store. One transaction each, audited, safe to retry."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import audit
from .audit import Actor
from .identifiers import InvalidIdentifier, mask_id_number, parse_personal_id
from .models import (
    CollaboratorBatch,
    CollaboratorBatchItem,
    Contract,
    Customer,
    EmailChange,
    Firm,
    Grant,
    Invitation,
    PendingRegistration,
    Person,
    SupplyPoint,
    User,
)
from .notifications import queue_after_commit, send_after_commit
from .parsing import normalise_name

logger = logging.getLogger(__name__)

Role = Grant.Role
AUTHORISED_ROLES = (Role.AUTHORISED_FULL, Role.AUTHORISED_READONLY)


class GrantError(Exception):
    """A change refused by the account store's rules; the message is for the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class RepresentativeExists(GrantError):
    pass


class AlreadyAuthorised(GrantError):
    pass


class TokenError(GrantError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def iban_fingerprint(iban: str, *, key: str | None = None) -> str:
    """Keyed digest of a normalised IBAN, so the clear IBAN never needs to be stored. Keyed by SECRET_KEY,
    or by ``key`` (a former secret key, from SECRET_KEY_FALLBACKS)."""
    key = settings.SECRET_KEY if key is None else key
    return hmac.new(key.encode(), iban.replace(" ", "").upper().encode(), hashlib.sha256).hexdigest()


def iban_matches(*, contract: Contract, iban: str) -> bool:
    """Whether ``iban`` is the contract's direct-debit account, compared through its stored fingerprint.

    After a secret key rotation (the old key moved to DJANGO_SECRET_KEY_FALLBACKS) a fingerprint made with a
    former key still matches, and is re-keyed with the current one in the same transaction, so it keeps
    matching once the old key leaves the fallbacks. A fingerprint not matched before then cannot be re-keyed
    (that needs the clear IBAN): it stops matching.
    """
    with transaction.atomic():
        stored = (
            Contract.objects.select_for_update()
            .filter(pk=contract.pk)
            .values_list("iban_fingerprint", flat=True)
            .first()
        )
        if not stored:
            return False
        current = iban_fingerprint(iban)
        if hmac.compare_digest(stored, current):
            return True
        if not any(
            hmac.compare_digest(stored, iban_fingerprint(iban, key=old)) for old in settings.SECRET_KEY_FALLBACKS
        ):
            return False
        Contract.objects.filter(pk=contract.pk).update(iban_fingerprint=current)
        contract.iban_fingerprint = current
        logger.info("contract %s: IBAN fingerprint re-keyed with the current secret key", contract.pk)
        return True


def _grant_for_update(grant_id: int) -> Grant:
    return Grant.objects.select_for_update().get(pk=grant_id)


def _lock_customer(customer: Customer) -> Customer:
    # Every grant change on a customer serialises on its row (real on PostgreSQL).
    return Customer.objects.select_for_update().get(pk=customer.pk)


def _active_grant(customer: Customer, person: Person) -> Grant | None:
    return Grant.objects.filter(customer=customer, person=person, revoked_at__isnull=True).first()


def _create_grant(
    *,
    customer,
    person,
    role,
    actor,
    reason,
    request_ref,
    firm=None,
    delegated_from=None,
    supply_points=(),
    invited_as: str = "",
) -> Grant:
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                customer=customer,
                person=person,
                role=role,
                firm=firm,
                delegated_from=delegated_from,
                scope_limited=bool(supply_points),
                invited_as=normalise_name(invited_as)[:200],
                granted_by=actor.user if actor.user and actor.user.pk else None,
            )
    except IntegrityError as exc:
        if role == Role.REPRESENTATIVE:
            raise RepresentativeExists(_("This customer already has an active representative.")) from exc
        raise AlreadyAuthorised(_("This person already has access to this customer.")) from exc
    if supply_points:
        grant.supply_points.set(supply_points)
    after = grant.snapshot() | ({"supply_points": sorted(sp.pk for sp in supply_points)} if supply_points else {})
    audit.record(
        actor=actor,
        action="grant.create",
        target=grant,
        customer=customer,
        before=None,
        after=after,
        reason=reason,
        request_ref=request_ref,
    )
    return grant


def _revoke(grant: Grant, *, actor: Actor, reason: str, request_ref: str) -> None:
    """Revoke a grant and, first, every grant delegated from it (the database refuses orphans)."""
    if grant.role == Role.EXTERNAL_MANAGER:  # only an external manager delegates (delegate_to_collaborator)
        for child in Grant.objects.select_for_update().filter(delegated_from=grant, revoked_at__isnull=True):
            _revoke(child, actor=actor, reason=reason, request_ref=request_ref)
    before = grant.snapshot()
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor.user if actor.user and actor.user.pk else None
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        actor=actor,
        action="grant.revoke",
        target=grant,
        customer_id=grant.customer_id,
        before=before,
        after=grant.snapshot(),
        reason=reason,
        request_ref=request_ref,
    )


@transaction.atomic
def grant_role(
    *,
    customer: Customer,
    person: Person,
    role: str,
    actor: Actor,
    reason: str,
    request_ref: str = "",
    invited_as: str = "",
) -> Grant:
    """Give ``person`` a representative or authorised role on ``customer``.

    Retrying with the same arguments returns the existing grant and writes nothing.
    """
    if role not in (Role.REPRESENTATIVE, *AUTHORISED_ROLES):
        raise ValueError(f"grant_role does not create {role!r} grants")
    customer = _lock_customer(customer)
    existing = _active_grant(customer, person)
    if existing and existing.role == role and not existing.is_collaborator:
        return existing
    if existing:
        raise AlreadyAuthorised(_("This person already has access to this customer."))
    if (
        role == Role.REPRESENTATIVE
        and customer.grants.filter(role=Role.REPRESENTATIVE, revoked_at__isnull=True).exists()
    ):
        raise RepresentativeExists(_("This customer already has an active representative."))
    return _create_grant(
        customer=customer,
        person=person,
        role=role,
        actor=actor,
        reason=reason,
        request_ref=request_ref,
        invited_as=invited_as,
    )


@transaction.atomic
def change_role(*, grant: Grant, role: str, actor: Actor, reason: str, request_ref: str = "") -> Grant:
    """Switch an authorised contact (or collaborator) between full and read-only access."""
    if role not in AUTHORISED_ROLES:
        raise GrantError(_("Only full or read-only authorisation can be changed here."))
    _lock_customer(grant.customer)
    grant = _grant_for_update(grant.pk)
    if not grant.is_active:
        raise GrantError(_("This contact is no longer active."))
    if grant.role not in AUTHORISED_ROLES:
        raise GrantError(_("Only full or read-only authorisation can be changed here."))
    if grant.role == role:
        return grant
    before = grant.snapshot()
    grant.role = role
    grant.save(update_fields=["role"])
    audit.record(
        actor=actor,
        action="grant.change_role",
        target=grant,
        customer_id=grant.customer_id,
        before=before,
        after=grant.snapshot(),
        reason=reason,
        request_ref=request_ref,
    )
    return grant


@transaction.atomic
def revoke_grant(*, grant: Grant, actor: Actor, reason: str, request_ref: str = "") -> Grant:
    """Deactivate a grant and every collaborator grant delegated from it. Idempotent."""
    _lock_customer(grant.customer)
    grant = _grant_for_update(grant.pk)
    if grant.is_active:
        _revoke(grant, actor=actor, reason=reason, request_ref=request_ref)
    return grant


@transaction.atomic
def transfer_representative(
    *,
    customer: Customer,
    new_person: Person,
    outgoing: str,
    actor: Actor,
    reason: str,
    request_ref: str = "",
    expected_current: Person | None = None,
) -> Grant:
    """Make ``new_person`` the representative; the outgoing one keeps full access or is deactivated.

    ``outgoing`` is ``"authorised_full"`` or ``"deactivate"``. Pass ``expected_current``
    to refuse the change when someone else changed the representative meanwhile.
    Retrying once ``new_person`` is representative changes nothing.
    """
    if outgoing not in ("authorised_full", "deactivate"):
        raise ValueError(f"unknown outgoing choice {outgoing!r}")
    customer = _lock_customer(customer)
    # The active representative grant and the new person's active grant, if any, in one query.
    active = list(
        customer.grants.select_for_update(of=("self",))
        .select_related("person")
        .filter(Q(role=Role.REPRESENTATIVE) | Q(person=new_person), revoked_at__isnull=True)
        .order_by("pk")
    )
    current = next((grant for grant in active if grant.role == Role.REPRESENTATIVE), None)
    if current and current.person_id == new_person.pk:
        return current
    if expected_current is not None and (current is None or current.person_id != expected_current.pk):
        raise RepresentativeExists(_("The representative of this customer changed meanwhile; reload and try again."))
    new_existing = next((grant for grant in active if grant.person_id == new_person.pk), None)
    if new_existing:
        _revoke(new_existing, actor=actor, reason=reason, request_ref=request_ref)
    if current:
        _revoke(current, actor=actor, reason=reason, request_ref=request_ref)
        if outgoing == "authorised_full":
            _create_grant(
                customer=customer,
                person=current.person,
                role=Role.AUTHORISED_FULL,
                actor=actor,
                reason=reason,
                request_ref=request_ref,
            )
    return _create_grant(
        customer=customer,
        person=new_person,
        role=Role.REPRESENTATIVE,
        actor=actor,
        reason=reason,
        request_ref=request_ref,
    )


@transaction.atomic
def register_external_manager(
    *,
    customer: Customer,
    person: Person,
    firm: Firm,
    actor: Actor,
    reason: str,
    request_ref: str = "",
    supply_points: list[SupplyPoint] | tuple = (),
) -> Grant:
    """Give the firm's manager the external-manager grant on the customer (or some of its supply points)."""
    customer = _lock_customer(customer)
    if any(sp.contract.customer_id != customer.pk for sp in supply_points):
        raise GrantError(_("A supply point does not belong to this customer."))
    existing = _active_grant(customer, person)
    if existing and existing.role == Role.EXTERNAL_MANAGER and existing.firm_id == firm.pk:
        return existing
    if existing:
        raise AlreadyAuthorised(_("This person already has access to this customer."))
    return _create_grant(
        customer=customer,
        person=person,
        role=Role.EXTERNAL_MANAGER,
        firm=firm,
        actor=actor,
        reason=reason,
        request_ref=request_ref,
        supply_points=supply_points,
    )


@transaction.atomic
def delegate_to_collaborator(
    *,
    manager_grant: Grant,
    person: Person,
    role: str,
    actor: Actor,
    reason: str,
    request_ref: str = "",
    invited_as: str = "",
) -> Grant:
    """An external manager authorises one of the firm's collaborators on a customer it manages."""
    if role not in AUTHORISED_ROLES:
        raise GrantError(_("A collaborator has full or read-only access."))
    _lock_customer(manager_grant.customer)
    manager_grant = _grant_for_update(manager_grant.pk)
    if not manager_grant.is_active or manager_grant.role != Role.EXTERNAL_MANAGER:
        raise GrantError(_("Only an active external manager can authorise collaborators."))
    if person.pk == manager_grant.person_id:
        raise GrantError(_("You cannot authorise yourself."))
    existing = _active_grant(manager_grant.customer, person)
    if existing and existing.delegated_from_id == manager_grant.pk and existing.role == role:
        return existing
    if existing:
        raise AlreadyAuthorised(_("This person already has access to this customer."))
    return _create_grant(
        customer=manager_grant.customer,
        person=person,
        role=role,
        delegated_from=manager_grant,
        actor=actor,
        reason=reason,
        request_ref=request_ref,
        invited_as=invited_as,
    )


def _get_or_create_person(
    *, id_number: str, name: str, email: str, phone: str = "", language: str = "ca", actor: Actor, reason: str
) -> tuple[Person, bool]:
    """(person, created): the person with this id, created (and audited) if the store does not know them yet.

    An existing person is returned as the store holds them: nothing typed here overwrites their identity.
    """
    ident = parse_personal_id(id_number)
    person = Person.objects.filter(id_number=ident.value).first()
    if person:
        return person, False
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    id_number=ident.value,
                    id_type=ident.kind,
                    name=normalise_name(name),
                    email=email.strip(),
                    phone=phone,
                    language=language,
                )
        except IntegrityError:  # created meanwhile by someone else
            return Person.objects.get(id_number=ident.value), False
        audit.record(
            actor=actor,
            action="person.create",
            target=person,
            customer=None,
            before=None,
            after={"id_number": person.id_number, "name": person.name, "email": person.email},
            reason=reason,
        )
    return person, True


def find_or_create_person(
    *, id_number: str, name: str, email: str, phone: str = "", language: str = "ca", actor: Actor, reason: str
) -> Person:
    """The person with this id, created (and audited) if the store does not know them yet; never changed."""
    return _get_or_create_person(
        id_number=id_number, name=name, email=email, phone=phone, language=language, actor=actor, reason=reason
    )[0]


def _new_invitation(grant: Grant, email: str, basis: str = Person.IdentityBasis.INVITATION) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        grant=grant,
        token_hash=hash_token(token),
        email=email,
        basis=basis,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    return invitation, token


def _grant_context(grant: Grant) -> dict:
    """What an e-mail about a grant says: only the store's data (never a name someone typed, which could carry a lure)."""
    with translation.override(grant.person.language):
        role = grant.display_role
    return {"name": grant.person.name, "customer": grant.customer.name, "role": role}


@transaction.atomic
def authorise_contact(
    *,
    customer: Customer,
    id_number: str,
    name: str,
    email: str,
    role: str,
    actor: Actor,
    by_grant: Grant,
    reason: str,
) -> Grant:
    """A representative authorises a contact, or an external manager a collaborator, and the person is told.

    Nothing the inviter typed touches a person the store already knows: their name and e-mail stay
    as they are, and the e-mail goes to the address they confirmed -- the notice when they have a login,
    an invitation to set one up when they have none. The typed name and address are used only for
    someone new to the store (the invitation then goes to the typed address). A known person with no
    confirmed address gets no login by invitation: they register with the holder's proof or ask us.
    The answer is the same in every case, and the customer's pages show the contact under the typed name
    (``Grant.invited_as``), so the inviter learns nothing about what the store holds.
    """
    person, created = _get_or_create_person(id_number=id_number, name=name, email=email, actor=actor, reason=reason)
    if person.pk == by_grant.person_id:
        raise GrantError(_("You cannot authorise yourself."))
    if by_grant.role == Role.EXTERNAL_MANAGER:
        grant = delegate_to_collaborator(
            manager_grant=by_grant, person=person, role=role, actor=actor, reason=reason, invited_as=name
        )
    else:
        if _active_grant(customer, person):
            raise AlreadyAuthorised(_("This person already has access to this customer."))
        grant = grant_role(customer=customer, person=person, role=role, actor=actor, reason=reason, invited_as=name)
    grant.person = person
    context = _grant_context(grant)
    _tell_authorised(person, grant, context, created=created)
    return grant


def invitation_for(*, grant: Grant, email: str, basis: str = Person.IdentityBasis.INVITATION) -> str | None:
    """A new invitation token for the grant's person when they cannot log in yet (None when they can)."""
    user = grant.person.user
    if user is not None and user.has_usable_password():
        return None
    return _new_invitation(grant, email, basis)[1]


@transaction.atomic
def find_or_create_firm(*, cif: str, name: str, kind: str, actor: Actor, reason: str, request_ref: str = "") -> Firm:
    """The firm with this CIF, created (and audited) if the store does not know it yet."""
    firm, created = Firm.objects.get_or_create(cif=cif, defaults={"name": name.strip(), "kind": kind})
    if created:
        audit.record(
            actor=actor,
            action="firm.create",
            target=firm,
            customer=None,
            before=None,
            after={"cif": firm.cif, "name": firm.name, "kind": firm.kind},
            reason=reason,
            request_ref=request_ref,
        )
    return firm


def check_invitation(invitation: Invitation | None) -> None:
    """Raise TokenError, with the message for the user, unless the invitation can still be accepted."""
    if invitation is None:
        raise TokenError(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise TokenError(_("This invitation link has already been used. Log in with your NIF and password."))
    if invitation.expires_at < timezone.now():
        raise TokenError(_("This invitation link has expired. Ask the person who invited you to send a new one."))
    if not invitation.grant.is_active:
        raise TokenError(_("This invitation was withdrawn."))


_BASIS_STRENGTH = {
    Person.IdentityBasis.NONE: 0,
    Person.IdentityBasis.INVITATION: 1,
    Person.IdentityBasis.REGISTRATION: 2,
    Person.IdentityBasis.STAFF: 2,
    Person.IdentityBasis.REQUEST: 2,
}


@transaction.atomic
def accept_invitation(*, token: str, id_number: str, password: str, language: str, actor_ip: str | None) -> User:
    """Set up the invited person's login. The invitation proves the link to the customer and that the
    address it went to is theirs; it changes nothing else about the person."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("grant__person", "grant__customer")
        .filter(token_hash=hash_token(token))
        .first()
    )
    check_invitation(invitation)
    grant = invitation.grant
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=grant.person_id)
    if parse_personal_id(id_number).value != person.id_number:
        raise TokenError(_("The NIF does not match the invited person."))
    if person.user is not None and person.user.has_usable_password():
        raise TokenError(_("This person is already registered. Log in with your NIF and password."))
    if invitation.email.strip().lower() != person.email.strip().lower():
        # The person's address changed since (their own change, or staff): this link no longer reaches them.
        raise TokenError(_("This invitation was withdrawn."))
    if not person.has_confirmed_email and reaches_beyond(person, grant.customer_id):
        # A login reaches every customer of the person: an address nobody confirmed may not open the others.
        raise TokenError(
            _(
                "This invitation can no longer be used: you hold roles on other customers too. Call us on %(phones)s "
                "so that we confirm who you are."
            )
            % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
        )
    before = {
        "email_confirmed": person.email_confirmed_at is not None,
        "identity_basis": person.identity_basis,
        "user": person.user_id,
    }
    if person.user is None:
        person.user = User.objects.create(
            username=person.id_number, email=person.email, password=make_password(password)
        )
    else:  # a login reset by an approved request (see hand_over_login): the person sets a new password
        person.user.set_password(password)
        person.user.email = person.email
        person.user.save(update_fields=["password", "email"])
    person.email_confirmed_at = timezone.now()
    if _BASIS_STRENGTH[invitation.basis] >= _BASIS_STRENGTH[person.identity_basis]:
        person.identity_basis = invitation.basis
    person.language = language
    person.save(update_fields=["user", "email_confirmed_at", "identity_basis", "language"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit.record(
        actor=Actor(user=person.user, ip=actor_ip),
        action="person.register",
        target=person,
        customer=grant.customer,
        before=before,
        after={"email_confirmed": True, "identity_basis": person.identity_basis, "user": person.user_id},
        reason="invitation accepted",
    )
    return person.user


def reaches_beyond(person: Person, customer_id: int) -> bool:
    """Whether the person holds an active grant on another customer than ``customer_id``."""
    return Grant.objects.filter(person=person, revoked_at__isnull=True).exclude(customer_id=customer_id).exists()


@dataclass(frozen=True)
class HandOver:
    """Where the e-mail about a role granted by a request goes, and with which link."""

    address: str
    token: str | None  # an invitation to set up the login
    can_log_in: bool  # the person logs in already: the e-mail links to the login page

    @property
    def must_call_us(self) -> bool:
        """No login and no link: the person proves who they are to staff (``correct_identity``), who send the invitation."""
        return self.token is None and not self.can_log_in


def hand_over_login(*, person: Person, email: str, grant: Grant, actor: Actor, request_ref: str) -> HandOver:
    """An approved request's documents name ``person`` for ``grant``: tell them, without handing anyone else a login.

    Inside the caller's transaction. A login, once someone holds it, is never reset or moved by a
    request: the e-mail goes to the address its holder confirmed. A person with no login gets the
    link to set one up at the address they confirmed or, when they have none, at the address the
    request gives -- but only while this customer is the only one they hold a role on, since a
    login reaches every customer of the person. Otherwise nobody gets a link: the person proves who
    they are to staff, who confirm their address and send it. Invitations that only rested on an
    inviter's word and are still pending for the person are withdrawn.
    """
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    Invitation.objects.filter(grant__person=person, used_at__isnull=True, basis=Person.IdentityBasis.INVITATION).update(
        used_at=timezone.now()
    )
    grant.person = person
    if person.user is not None and person.user.has_usable_password():
        same_address = person.has_confirmed_email and person.email.strip().lower() == email.strip().lower()
        if (
            same_address and not person.identity_proven
        ):  # the inviter's word, now backed by documents at the same address
            _set_basis(
                person,
                Person.IdentityBasis.REQUEST,
                actor=actor,
                customer_id=grant.customer_id,
                request_ref=request_ref,
            )
        return HandOver(address=person.email, token=None, can_log_in=True)
    if person.has_confirmed_email:
        return HandOver(
            address=person.email,
            token=_new_invitation(grant, person.email, Person.IdentityBasis.REQUEST)[1],
            can_log_in=False,
        )
    address = email.strip()
    if reaches_beyond(person, grant.customer_id):
        audit.record(
            actor=actor,
            action="person.login_withheld",
            target=person,
            customer_id=grant.customer_id,
            before=None,
            after={"address": address},
            reason="holds roles on other customers: staff confirm the identity first",
            request_ref=request_ref,
        )
        return HandOver(address=address, token=None, can_log_in=False)
    if person.email.strip().lower() != address.lower():
        before = {"email": person.email, "email_confirmed": False}
        person.email = address
        person.save(update_fields=["email"])
        audit.record(
            actor=actor,
            action="person.email_from_request",
            target=person,
            customer_id=grant.customer_id,
            before=before,
            after={"email": person.email, "email_confirmed": False},
            reason="named by an approved request",
            request_ref=request_ref,
        )
    return HandOver(
        address=address, token=_new_invitation(grant, address, Person.IdentityBasis.REQUEST)[1], can_log_in=False
    )


def _set_basis(person: Person, basis: str, *, actor: Actor, customer_id: int | None, request_ref: str = "") -> None:
    before = {"identity_basis": person.identity_basis}
    person.identity_basis = basis
    person.save(update_fields=["identity_basis"])
    audit.record(
        actor=actor,
        action="person.identity_confirmed",
        target=person,
        customer_id=customer_id,
        before=before,
        after={"identity_basis": basis},
        reason="named by an approved request",
        request_ref=request_ref,
    )


@transaction.atomic
def refuse_registration_beyond(person: Person, customer: Customer) -> None:
    """One customer's proof sets up a login only for someone whose roles are all on that customer."""
    if reaches_beyond(person, customer.pk):
        raise GrantError(
            _(
                "You hold roles on other customers too, so this customer's details are not enough to set up your login. "
                "Call us on %(phones)s so that we confirm who you are."
            )
            % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
        )


def start_registration(
    *, customer: Customer, person: Person, name: str, email: str, phone: str, password: str, language: str
) -> str:
    """Keep the registration until the e-mailed link confirms it; returns the token to send."""
    refuse_registration_beyond(person, customer)
    token = secrets.token_urlsafe(32)
    PendingRegistration.objects.create(
        token_hash=hash_token(token),
        person=person,
        customer=customer,
        name=name.strip(),
        email=email,
        phone=phone,
        language=language,
        password_hash=make_password(password),
        expires_at=timezone.now() + timedelta(days=2),
    )
    return token


@transaction.atomic
def confirm_registration(*, token: str, actor_ip: str | None) -> User:
    pending = PendingRegistration.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if pending is None:
        raise TokenError(_("This confirmation link is not valid."))
    if pending.used_at is not None:
        raise TokenError(_("This confirmation link has already been used. Log in with your NIF and password."))
    if pending.expires_at < timezone.now():
        raise TokenError(_("This confirmation link has expired. Please register again."))
    person = Person.objects.select_for_update().get(pk=pending.person_id)
    if person.user_id is not None:
        raise TokenError(_("This person is already registered. Log in with your NIF and password."))
    try:
        refuse_registration_beyond(person, pending.customer)
    except GrantError as refusal:
        raise TokenError(refusal.message) from None
    user = User.objects.create(username=person.id_number, email=pending.email, password=pending.password_hash)
    before = {"name": person.name, "email": person.email, "phone": person.phone, "user": None}
    person.user, person.name, person.email, person.phone, person.language = (
        user,
        pending.name,
        pending.email,
        pending.phone,
        pending.language,
    )
    person.email_confirmed_at, person.identity_basis = timezone.now(), Person.IdentityBasis.REGISTRATION
    person.save(update_fields=["user", "name", "email", "phone", "language", "email_confirmed_at", "identity_basis"])
    pending.used_at = timezone.now()
    pending.save(update_fields=["used_at"])
    audit.record(
        actor=Actor(user=user, ip=actor_ip),
        action="person.register",
        target=person,
        customer=pending.customer,
        before=before,
        after={"name": person.name, "email": person.email, "phone": person.phone, "user": user.pk},
        reason="registration confirmed by e-mail",
    )
    return user


# -- a person's own identity, and staff corrections -----------------------------------------------


def ask_password_reset(*, id_number: str) -> None:
    """E-mail a password-reset link to the person with ``id_number``, if they have an active login and a confirmed
    address (a reset link is a login). The same work either way, so the time of the answer does not tell whether the
    NIF is registered: a token is made (for a stand-in user when nobody may receive it) and one mail task is queued
    after commit, carrying no e-mail then."""
    logging.getLogger("security").info(
        "password reset asked for %s", mask_id_number(id_number), extra={"event": "password_reset.requested"}
    )
    person = Person.objects.select_related("user").filter(id_number=id_number, user__isnull=False).first()
    eligible = bool(person and person.user.is_active and person.has_confirmed_email)
    user = person.user if eligible else _reset_stand_in()
    link = reverse(
        "portal:password_reset_confirm",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
    )
    queue_after_commit(
        [
            {
                "to": person.email,
                "template": "password_reset",
                "language": person.language,
                "context": {"name": person.name, "link": link},
            }
        ]
        if eligible
        else []
    )


def _reset_stand_in() -> User:
    """The user a reset token is made for when nobody may receive it; never saved."""
    stand_in = User(pk=0, is_active=False)
    stand_in.set_unusable_password()
    return stand_in


def _identity(person: Person) -> dict:
    return {
        "name": person.name,
        "email": person.email,
        "phone": person.phone,
        "language": person.language,
        "email_confirmed": person.email_confirmed_at is not None,
        "identity_basis": person.identity_basis,
    }


@transaction.atomic
def update_own_profile(*, person: Person, name: str, phone: str, language: str, actor: Actor) -> Person:
    """The person changes their own name, phone and language (their e-mail: ``request_email_change``)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = _identity(person)
    person.name, person.phone, person.language = normalise_name(name), phone, language
    if _identity(person) != before:
        person.save(update_fields=["name", "phone", "language"])
        audit.record(
            actor=actor,
            action="person.update",
            target=person,
            customer=None,
            before=before,
            after=_identity(person),
            reason="changed by the person",
        )
    return person


@transaction.atomic
def request_email_change(*, person: Person, new_email: str, actor: Actor) -> EmailChange:
    """Send a confirmation link to ``new_email``; the address changes only when it is used. Earlier asks lapse."""
    new_email = new_email.strip()
    if new_email.lower() == person.email.strip().lower() and person.has_confirmed_email:
        raise GrantError(_("This is already your e-mail address."))
    EmailChange.objects.filter(person=person, used_at__isnull=True).update(used_at=timezone.now())
    token = secrets.token_urlsafe(32)
    change = EmailChange.objects.create(
        person=person,
        new_email=new_email,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.EMAIL_CHANGE_DAYS),
    )
    audit.record(
        actor=actor,
        action="person.email_change_asked",
        target=person,
        customer=None,
        before=None,
        after={"new_email": new_email},
        reason="asked by the person",
    )
    send_after_commit(
        to=new_email,
        template="confirm_email_change",
        language=person.language,
        context={
            "name": person.name,
            "link": reverse("portal:confirm_email", args=[token]),
            "days": settings.EMAIL_CHANGE_DAYS,
        },
    )
    return change


@transaction.atomic
def confirm_email_change(*, token: str, actor_ip: str | None) -> Person:
    """The link sent to the new address was used: it becomes the person's confirmed address; the old one is told."""
    change = EmailChange.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if change is None:
        raise TokenError(_("This confirmation link is not valid."))
    if change.used_at is not None:
        raise TokenError(_("This confirmation link has already been used or was replaced by a newer one."))
    if change.expires_at < timezone.now():
        raise TokenError(_("This confirmation link has expired. Ask for the change again from your profile."))
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=change.person_id)
    before = _identity(person)
    old_email = person.email
    person.email, person.email_confirmed_at = change.new_email, timezone.now()
    person.save(update_fields=["email", "email_confirmed_at"])
    if person.user is not None:
        person.user.email = person.email
        person.user.save(update_fields=["email"])
    change.used_at = timezone.now()
    change.save(update_fields=["used_at"])
    audit.record(
        actor=Actor(user=person.user, ip=actor_ip),
        action="person.email_changed",
        target=person,
        customer=None,
        before=before,
        after=_identity(person),
        reason="confirmed from the new address",
    )
    if old_email and old_email.lower() != person.email.lower():
        send_after_commit(
            to=old_email,
            template="email_changed",
            language=person.language,
            context={"name": person.name, "new_email": person.email},
        )
    return person


@transaction.atomic
def correct_identity(
    *, person: Person, name: str, email: str, phone: str, identity_checked: bool, reason: str, actor: Actor
) -> Person:
    """Staff correct a person's identity data, with the reason audited.

    ``identity_checked``: the staff member confirmed who the person is (documents, or a verified call)
    and that the e-mail is theirs; the address then counts as confirmed. The old address is told of a change.
    """
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise GrantError(_("Write why you are changing this person's data (at least 10 characters)."))
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    before = _identity(person)
    old_email = person.email
    person.name, person.phone = normalise_name(name), phone.strip()
    if email.strip().lower() != person.email.strip().lower():
        person.email, person.email_confirmed_at = email.strip(), None
    if identity_checked:
        person.email_confirmed_at = person.email_confirmed_at or timezone.now()
        person.identity_basis = Person.IdentityBasis.STAFF
    if _identity(person) == before:
        return person
    person.save(update_fields=["name", "email", "phone", "email_confirmed_at", "identity_basis"])
    if person.user is not None and person.user.email != person.email:
        person.user.email = person.email
        person.user.save(update_fields=["email"])
    audit.record(
        actor=actor,
        action="person.corrected_by_staff",
        target=person,
        customer=None,
        before=before,
        after=_identity(person),
        reason=reason,
    )
    if old_email and old_email.lower() != person.email.lower():
        send_after_commit(
            to=old_email,
            template="email_changed",
            language=person.language,
            context={"name": person.name, "new_email": person.email},
        )
    return person


@transaction.atomic
def send_login_invitation(*, person: Person, actor: Actor) -> Invitation:
    """Staff send a person with a confirmed address and an active grant the link to set up their login."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user is not None and person.user.has_usable_password():
        raise GrantError(_('This person already has a login. They can use "Forgot your password?".'))
    if not person.has_confirmed_email:
        raise GrantError(_("Confirm this person's e-mail address first."))
    grant = (
        Grant.objects.filter(person=person, revoked_at__isnull=True).select_related("customer").order_by("pk").first()
    )
    if grant is None:
        raise GrantError(_("This person has no active role on any customer."))
    grant.person = person
    basis = (
        Person.IdentityBasis.STAFF
        if person.identity_basis == Person.IdentityBasis.STAFF
        else Person.IdentityBasis.INVITATION
    )
    invitation, token = _new_invitation(grant, person.email, basis)
    audit.record(
        actor=actor,
        action="person.login_invited",
        target=person,
        customer_id=grant.customer_id,
        before=None,
        after={"email": person.email},
        reason="login invitation sent by staff",
    )
    send_after_commit(
        to=person.email,
        template="invitation",
        language=person.language,
        context=_grant_context(grant) | {"link": reverse("portal:invitation", args=[token])},
    )
    return invitation


# -- housekeeping -------------------------------------------------------------------------------
# Links and pending data that expired more than HOUSEKEEPING_GRACE_DAYS ago are deleted (a late click within
# the grace still gets "expired"). Their hashes are useless then, and a pending registration holds a password
# hash. Deleting them is logged, not audited: the audit log already says when each was made and used.


def expired_before():
    """What expired before this moment is past its grace."""
    return timezone.now() - timedelta(days=settings.HOUSEKEEPING_GRACE_DAYS)


@transaction.atomic
def purge_expired_registrations() -> int:
    """Delete pending registrations whose link expired more than the grace ago, confirmed or not. Returns how many."""
    deleted = PendingRegistration.objects.filter(expires_at__lt=expired_before()).delete()[0]
    logger.info("housekeeping: %d expired pending registrations deleted", deleted)
    return deleted


@transaction.atomic
def purge_expired_invitations() -> int:
    """Delete invitations that expired more than the grace ago, accepted or not. Returns how many."""
    deleted = Invitation.objects.filter(expires_at__lt=expired_before()).delete()[0]
    logger.info("housekeeping: %d expired invitations deleted", deleted)
    return deleted


def purge_expired_sessions() -> int:
    """What ``manage.py clearsessions`` does: delete expired sessions (none to count for engines that expire their own)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        store.clear_expired()
        return 0
    deleted = store.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()[0]
    logger.info("housekeeping: %d expired sessions deleted", deleted)
    return deleted


# -- an external manager's collaborator on many companies at once ---------------------------------


class BatchRefused(GrantError):
    """A collaborator batch refused as a whole: nothing was written. ``code`` says why; ``customer_ids`` names the
    companies at fault (those the manager may not manage collaborators on)."""

    def __init__(self, message, *, code: str, customer_ids=()) -> None:
        super().__init__(message)
        self.code = code
        self.customer_ids = tuple(customer_ids)


@dataclass(frozen=True)
class BatchUndo:
    """What ``undo_batch`` did: the items put back, and those left alone because they changed since."""

    batch: CollaboratorBatch
    undone: list[CollaboratorBatchItem]
    changed_since: list[CollaboratorBatchItem]


def _batch_reason(batch: CollaboratorBatch, what: str) -> str:
    return f"portal: collaborator batch {batch.reference} ({what})"


def _batch_companies(names: list[str], language: str) -> str:
    """The companies an e-mail about a batch names: the first three, then how many more."""
    with translation.override(language):
        shown = ", ".join(names[:3])
        rest = len(names) - 3
        if rest <= 0:
            return shown
        return ngettext("%(names)s and %(count)d more company", "%(names)s and %(count)d more companies", rest) % {
            "names": shown,
            "count": rest,
        }


def _tell_batch_collaborator(person: Person, grants: list[Grant], *, created: bool) -> None:
    """One e-mail for the whole batch, by the rules of ``authorise_contact``: a notice to someone who logs in, an
    invitation (for the first grant) to someone new or with a confirmed address and no login yet."""
    if not grants:
        return
    first = grants[0]
    first.person = person
    context = _grant_context(first) | {"customer": _batch_companies([g.customer.name for g in grants], person.language)}
    _tell_authorised(person, first, context, created=created)


def _tell_authorised(person: Person, grant: Grant, context: dict, *, created: bool) -> None:
    """A notice to someone who logs in (if their address is confirmed); an invitation to someone without a login
    whose address is confirmed or who was just created."""
    if person.user_id is not None:
        if person.has_confirmed_email:
            send_after_commit(
                to=person.email,
                template="authorised",
                language=person.language,
                context=context | {"link": reverse("portal:login")},
            )
    elif person.has_confirmed_email or created:
        token = _new_invitation(grant, person.email)[1]
        send_after_commit(
            to=person.email,
            template="invitation",
            language=person.language,
            context=context | {"link": reverse("portal:invitation", args=[token])},
        )


def _grants_elsewhere(person: Person, customer_ids: list[int]) -> int:
    """How many customers other than ``customer_ids`` the person holds an active grant on."""
    return Grant.objects.filter(person=person, revoked_at__isnull=True).exclude(customer_id__in=customer_ids).count()


@transaction.atomic
def apply_collaborator_batch(
    *,
    manager: Person,
    managed: Mapping[int, Grant],
    collaborator_id_number: str,
    collaborator_name: str = "",
    collaborator_email: str = "",
    role: str = "",
    customers: list[int] | tuple[int, ...] | set[int],
    add: bool,
    actor: Actor,
) -> CollaboratorBatch:
    """An external manager adds (``add``) or removes one collaborator on many companies in one step.

    ``managed``: the manager's grants through which the one access rule lets them manage collaborators, by
    customer id (``portal.services`` asks ``authority``; the account store does not decide who may do what): a
    company not in it (a forged id, a grant that ended since the companies were picked) refuses the whole batch
    and nothing is written; each grant is checked again under lock (``delegate_to_collaborator``). Each company then changes through ``delegate_to_collaborator`` / ``revoke_grant``: one audited
    change each, the batch's reference in the reason. A company where there is nothing to do (already a
    collaborator; another role there; not the manager's collaborator there) is left alone and said so. A
    person new to the store is created (audited) with the typed name and e-mail, as ``authorise_contact``
    does; the collaborator is told once for the whole batch. Someone without a confirmed e-mail address is
    added to one company at most (their invitation could not be accepted otherwise: ``accept_invitation``).
    """
    customer_ids = sorted({int(pk) for pk in customers})
    if not customer_ids:
        raise BatchRefused(_("Choose at least one company."), code="no_companies")
    if add and role not in AUTHORISED_ROLES:
        raise BatchRefused(_("A collaborator has full or read-only access."), code="bad_role")
    try:
        ident = parse_personal_id(collaborator_id_number)
    except InvalidIdentifier as exc:
        raise BatchRefused(_("Enter a valid NIF, NIE or passport number."), code="bad_id") from exc
    # Every grant change on a customer serialises on its row: lock them all, always in the same order.
    locked = list(Customer.objects.select_for_update().filter(pk__in=customer_ids).order_by("pk"))
    live = {g.pk: g for g in Grant.objects.select_for_update().filter(pk__in=[g.pk for g in managed.values()])}
    refused = [
        pk
        for pk in customer_ids
        if pk not in managed or not (live.get(managed[pk].pk) and live[managed[pk].pk].is_active)
    ] + sorted(set(customer_ids) - {c.pk for c in locked})
    if refused:
        raise BatchRefused(
            _("You do not manage collaborators on some of the companies chosen. Nothing was changed."),
            code="not_allowed",
            customer_ids=sorted(set(refused)),
        )
    created = False
    if add:
        known = Person.objects.filter(id_number=ident.value).exists()
        if not known and not (collaborator_name.strip() and collaborator_email.strip()):
            raise BatchRefused(
                _("We do not know this person yet: give their name and e-mail."), code="new_person_details"
            )
        person, created = _get_or_create_person(
            id_number=ident.value,
            name=collaborator_name,
            email=collaborator_email,
            actor=actor,
            reason="portal: collaborator batch",
        )
    else:
        person = Person.objects.filter(id_number=ident.value).first()
        if person is None:
            raise BatchRefused(_("This person is not your collaborator on any of these companies."), code="nothing")
    if person.pk == manager.pk:
        raise BatchRefused(_("You cannot authorise yourself."), code="self")
    existing = {
        g.customer_id: g
        for g in Grant.objects.filter(person=person, customer_id__in=customer_ids, revoked_at__isnull=True)
    }
    if add and not person.has_confirmed_email:
        # accept_invitation refuses a login to someone whose unconfirmed address would reach several customers.
        adding = sum(1 for c in locked if c.pk not in existing)
        if adding and adding + _grants_elsewhere(person, customer_ids) > 1:
            raise BatchRefused(
                _(
                    "This person has not confirmed an e-mail address with us yet, so for now they can be added to one "
                    "company only. They get an invitation; once they have set up their login, add them to the rest "
                    "in one step."
                ),
                code="unconfirmed_person",
            )
    batch = CollaboratorBatch.objects.create(
        reference=f"CB-{secrets.token_hex(4).upper()}",
        kind=CollaboratorBatch.Kind.ADD if add else CollaboratorBatch.Kind.REMOVE,
        manager=manager,
        collaborator=person,
        role=role if add else "",
        created_by=actor.user if actor.user and actor.user.pk else None,
    )
    Outcome = CollaboratorBatchItem.Outcome
    items, added = [], []
    for customer in locked:
        manager_grant = live[managed[customer.pk].pk]
        manager_grant.customer = customer
        found = existing.get(customer.pk)
        ours = found is not None and found.delegated_from_id == manager_grant.pk
        if add and found is None:
            grant = delegate_to_collaborator(
                manager_grant=manager_grant,
                person=person,
                role=role,
                actor=actor,
                reason=_batch_reason(batch, "add"),
                invited_as=collaborator_name if created else "",
            )
            grant.customer = customer
            added.append(grant)
            items.append(CollaboratorBatchItem(batch=batch, customer=customer, outcome=Outcome.ADDED, grant=grant))
        elif add:
            outcome = Outcome.ALREADY if ours else Outcome.OTHER_ROLE
            items.append(CollaboratorBatchItem(batch=batch, customer=customer, outcome=outcome))
        elif ours:
            revoke_grant(grant=found, actor=actor, reason=_batch_reason(batch, "remove"))
            items.append(CollaboratorBatchItem(batch=batch, customer=customer, outcome=Outcome.REMOVED, grant=found))
        else:
            items.append(CollaboratorBatchItem(batch=batch, customer=customer, outcome=Outcome.NOT_THERE))
    if not any(item.changed for item in items):  # raising undoes the person and the batch made above
        raise BatchRefused(
            _("There is nothing to change on the companies chosen: the person is already a collaborator there.")
            if add
            else _("This person is not your collaborator on any of these companies."),
            code="nothing",
        )
    CollaboratorBatchItem.objects.bulk_create(items)
    _tell_batch_collaborator(person, added, created=created)
    return batch


@transaction.atomic
def undo_batch(*, batch: CollaboratorBatch, manager: Person, managed: Mapping[int, Grant], actor: Actor) -> BatchUndo:
    """Revert exactly what ``batch`` changed: revoke the grants it created, give back (as new grants) those it
    revoked. A company where something changed since (the grant was revoked or its role changed, the person holds
    another grant there now, the manager no longer manages collaborators there) is left alone and listed in
    ``changed_since``. Only the batch's own manager undoes it, once; each change is audited."""
    batch = CollaboratorBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.manager_id != manager.pk:
        raise BatchRefused(_("This batch is not yours."), code="not_yours")
    if batch.undone_at is not None:
        raise BatchRefused(_("This batch was already undone."), code="already_undone")
    items = list(
        batch.items.filter(outcome__in=[CollaboratorBatchItem.Outcome.ADDED, CollaboratorBatchItem.Outcome.REMOVED])
        .select_related("customer")
        .order_by("customer_id")
    )
    list(Customer.objects.select_for_update().filter(pk__in=[i.customer_id for i in items]).order_by("pk"))
    grants = Grant.objects.select_for_update().in_bulk([i.grant_id for i in items])
    holding = {
        g.customer_id: g
        for g in Grant.objects.filter(
            person_id=batch.collaborator_id, customer_id__in=[i.customer_id for i in items], revoked_at__isnull=True
        )
    }
    reason = _batch_reason(batch, "undo")
    undone, changed = [], []
    for item in items:
        grant = grants[item.grant_id]
        found = managed.get(item.customer_id)
        manages = found is not None and found.pk == grant.delegated_from_id
        if item.outcome == CollaboratorBatchItem.Outcome.ADDED:
            intact = grant.is_active and grant.role == batch.role and manages
            if intact:
                revoke_grant(grant=grant, actor=actor, reason=reason)
        else:
            intact = manages and item.customer_id not in holding
            if intact:
                manager_grant = found
                manager_grant.customer = item.customer
                item.restored_grant = delegate_to_collaborator(
                    manager_grant=manager_grant,
                    person=batch.collaborator,
                    role=grant.role,
                    actor=actor,
                    reason=reason,
                    invited_as=grant.invited_as,
                )
        item.undo = CollaboratorBatchItem.Undo.UNDONE if intact else CollaboratorBatchItem.Undo.CHANGED_SINCE
        (undone if intact else changed).append(item)
    CollaboratorBatchItem.objects.bulk_update(items, ["undo", "restored_grant"])
    batch.undone_at = timezone.now()
    batch.save(update_fields=["undone_at"])
    return BatchUndo(batch=batch, undone=undone, changed_since=changed)


# -- the customer area's confirmations and notices ------------------------------------------------


def pending_registration(*, id_number: str, password: str) -> PendingRegistration | None:
    """The registration waiting for its e-mailed confirmation that this NIF and password started, if any: logging
    in before confirming then says so, instead of "wrong NIF or password"."""
    waiting = PendingRegistration.objects.filter(
        person__id_number=id_number, used_at__isnull=True, expires_at__gte=timezone.now()
    ).order_by("-created_at")[:3]
    return next((pending for pending in waiting if check_password(password, pending.password_hash)), None)


@transaction.atomic
def resend_registration_confirmation(*, id_number: str, actor_ip: str | None) -> bool:
    """A new confirmation link for the newest registration of ``id_number`` still waiting for one, to the address
    that registration gave; the old link stops working. False when there is none (callers answer the same)."""
    pending = (
        PendingRegistration.objects.select_for_update()
        .select_related("person")
        .filter(person__id_number=id_number, used_at__isnull=True, expires_at__gte=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if pending is None:
        return False
    token = secrets.token_urlsafe(32)
    pending.token_hash, pending.expires_at = hash_token(token), timezone.now() + timedelta(days=2)
    pending.save(update_fields=["token_hash", "expires_at"])
    audit.record(
        actor=Actor(user=None, ip=actor_ip, label="customer"),
        action="registration.confirmation_resent",
        target=pending.person,
        customer_id=pending.customer_id,
        before=None,
        after={"expires_at": pending.expires_at.isoformat()},
        reason="asked again from the login page",
    )
    send_after_commit(
        to=pending.email,
        template="confirm_registration",
        language=pending.language,
        context={"name": pending.name, "link": reverse("portal:register_confirm", args=[token])},
    )
    return True


def access_ending_with(grant: Grant) -> list[Grant]:
    """The active grants that deactivating ``grant`` ends: itself and, for an external manager, the grants of the
    collaborators delegated from it (``_revoke``), people loaded."""
    if not grant.is_active:
        return []
    delegated = Grant.objects.none()
    if grant.role == Role.EXTERNAL_MANAGER:
        delegated = Grant.objects.filter(delegated_from=grant, revoked_at__isnull=True)
    return [grant, *delegated.select_related("person").order_by("person__name", "pk")]


@transaction.atomic
def deactivate_contact(*, grant: Grant, actor: Actor, reason: str) -> list[Grant]:
    """Deactivate ``grant`` and what hangs on it (``revoke_grant``), and tell every person whose access ends, by
    e-mail in their own language. Returns the grants that ended: none if it had already ended."""
    _lock_customer(grant.customer)
    grant = Grant.objects.select_for_update(of=("self",)).select_related("person", "customer", "firm").get(pk=grant.pk)
    ended = access_ending_with(grant)
    if not ended:
        return []
    _revoke(grant, actor=actor, reason=reason, request_ref="")
    for each in ended:
        if each.person.email:
            send_after_commit(
                to=each.person.email,
                template="access_ended",
                language=each.person.language,
                context={
                    "name": each.person.name,
                    "customer": grant.customer.name,
                    "because_of": "" if each.pk == grant.pk else grant.display_name,
                },
                key=f"access_ended:{each.pk}",
            )
    return ended


@transaction.atomic
def change_own_password(*, person: Person, new_password: str, actor: Actor) -> User:
    """The person's new password, from their profile; the address they confirmed is told (it may not be them).
    Returns the login, for the caller to keep its session (``update_session_auth_hash``)."""
    user = User.objects.select_for_update().get(pk=person.user_id)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor,
        action="person.password_changed",
        target=person,
        customer=None,
        before=None,
        after=None,
        reason="changed from the profile",
    )
    if person.email:
        send_after_commit(
            to=person.email, template="password_changed", language=person.language, context={"name": person.name}
        )
    return user


@transaction.atomic
def resend_invitation(*, grant: Grant, actor: Actor) -> bool:
    """A new link for a contact who has not set up their login yet, to the address the last invitation went to;
    the earlier links stop working. False (nothing sent) when there is nothing to resend: the grant has ended,
    the person has a login, or no invitation was ever sent (a known person without a confirmed address)."""
    _lock_customer(grant.customer)
    grant = Grant.objects.select_for_update(of=("self",)).select_related("person", "customer").get(pk=grant.pk)
    last = grant.invitations.order_by("-created_at", "-pk").first()
    if not grant.is_active or grant.person.user_id is not None or last is None:
        return False
    grant.invitations.filter(used_at__isnull=True, expires_at__gt=timezone.now()).update(expires_at=timezone.now())
    invitation, token = _new_invitation(grant, last.email, last.basis)
    audit.record(
        actor=actor,
        action="invitation.resend",
        target=grant,
        customer_id=grant.customer_id,
        before=None,
        after={"invitation": invitation.pk, "expires_at": invitation.expires_at.isoformat()},
        reason="portal: resend invitation",
    )
    send_after_commit(
        to=last.email,
        template="invitation",
        language=grant.person.language,
        context=_grant_context(grant) | {"link": reverse("portal:invitation", args=[token])},
    )
    return True
