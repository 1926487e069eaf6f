"""Every change the console makes: open a call, verify the caller, start a request on their behalf, links, an
objection, close.

One transaction each, audited. Agents never verify documents or decide: those rules live
in ``workflows.rules`` and apply to them like to anyone. What the agent may do for a verified
caller is what ``authority`` lets that caller do (``selectors.Caller``).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import authority
from accounts import audit, throttle
from accounts import selectors as accounts_selectors
from accounts.audit import Actor
from accounts.identifiers import InvalidIdentifier, parse_personal_id
from accounts.models import Customer, Person
from accounts.parsing import normalise_name
from workflows import services as workflows
from workflows.models import Channel, PaperworkRequest, UploadLink

from .models import Interaction
from .selectors import Caller, caller_of

VERIFICATION_MINUTES = 60


class CallError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotVerified(CallError):
    pass


def _snapshot(interaction: Interaction) -> dict:
    return {
        "customer": interaction.customer_id,
        "caller_kind": interaction.caller_kind,
        "caller_person": interaction.caller_person_id,
        "caller_id_number": interaction.caller_id_number,
        "verification": interaction.verification,
        "reason": interaction.reason,
        "outcome": interaction.outcome,
        "request_ref": interaction.request_ref,
        "note": interaction.note,
        "ended_at": interaction.ended_at,
    }


def _audit(interaction: Interaction, *, actor: Actor, action: str, before: dict | None, reason: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=interaction,
        customer=interaction.customer,
        before=before,
        after=_snapshot(interaction),
        reason=reason,
        request_ref=interaction.request_ref,
    )


@transaction.atomic
def open_call(*, agent, customer: Customer, actor: Actor) -> Interaction:
    """Start logging a call about ``customer``."""
    interaction = Interaction.objects.create(agent=agent, customer=customer)
    _audit(interaction, actor=actor, action="call.open", before=None, reason="call started")
    return interaction


def _where(interaction: Interaction, session_key: str) -> str:
    """Where a caller's try comes from, in the throttle's terms: the agent's session stands for an address."""
    return f"agent{interaction.agent_id}:{session_key[:24]}"


def verify_caller(
    *,
    interaction: Interaction,
    caller_person: Person | None,
    caller_id_number: str,
    caller_name: str = "",
    bank_last4: str = "",
    invoice_total: Decimal | None = None,
    session_key: str,
    actor: Actor,
) -> Interaction:
    """Check who the caller is and the same proof as registration; the outcome and the case are logged either way.

    ``caller_person``: the one of the customer's known people the caller says they are, whose id number
    must be the NIF/NIE they tell; None for an unknown caller, whose own NIF/NIE and name are taken as told.
    A NIF/NIE that is not the known person's fails exactly like a wrong proof: it counts against the
    limit per customer and per agent session, and the outcome does not say which part was wrong. Once
    locked nothing is checked until the window passes.
    """
    try:
        caller_id = parse_personal_id(caller_id_number).value
    except InvalidIdentifier:
        raise CallError(_("Format de NIF, NIE o passaport incorrecte")) from None
    name = normalise_name(caller_name)
    if caller_person is None and len(name) < 3:
        raise CallError(_("Type the full name of the unknown caller."))
    if caller_person is not None and not authority.authority_of(caller_person, interaction.customer_id).active:
        raise CallError(_("This person has no access to this customer any more: choose the caller again."))
    if not bank_last4 and invoice_total is None:
        raise CallError(
            _("Ask the caller for the last 4 digits of the direct-debit account or the total of a recent invoice.")
        )
    # The holder's proof is one secret, one counter, whether tried in the customer area or on the phone.
    tried = throttle.attempt(
        throttle.HOLDER_PROOF, identifier=interaction.customer.tax_id, address=_where(interaction, session_key)
    )
    with transaction.atomic():
        interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
        if interaction.ended_at is not None:
            raise CallError(_("This call is closed. Open a new one."))
        before = _snapshot(interaction)
        interaction.caller_kind = (
            Interaction.CallerKind.UNKNOWN if caller_person is None else Interaction.CallerKind.KNOWN
        )
        interaction.caller_person, interaction.caller_id_number = caller_person, caller_id
        interaction.caller_name = name if caller_person is None else caller_person.name
        interaction.verified_at = None
        if tried.locked:
            interaction.verification = Interaction.Verification.LOCKED
        elif (caller_person is None or caller_person.id_number == caller_id) and accounts_selectors.proof_matches(
            customer=interaction.customer, bank_last4=bank_last4.strip(), invoice_total=invoice_total
        ):
            interaction.verification, interaction.verified_at = Interaction.Verification.VERIFIED, timezone.now()
        else:
            interaction.verification = Interaction.Verification.FAILED
        interaction.save()
        _audit(
            interaction,
            actor=actor,
            action="call.verify",
            before=before,
            reason=f"caller verification: {interaction.verification}",
        )
    if interaction.verification == Interaction.Verification.VERIFIED:
        throttle.succeeded(tried)
    elif interaction.verification == Interaction.Verification.FAILED:
        throttle.failed(tried)
    return interaction


def require_verified(interaction: Interaction) -> None:
    """Refuse unless the caller of this open call was verified within the last hour."""
    if interaction.ended_at is not None:
        raise CallError(_("This call is closed. Open a new one."))
    if not interaction.is_verified:
        raise NotVerified(_("Verify the caller first."))
    if interaction.verified_at < timezone.now() - timedelta(minutes=VERIFICATION_MINUTES):
        raise NotVerified(_("The verification is more than an hour old. Verify the caller again."))


def require_may_start(interaction: Interaction, kind: str) -> Caller:
    """The verified caller, if they may ask for a request of ``kind``; CallError otherwise."""
    require_verified(interaction)
    caller = caller_of(interaction)
    if caller.may_start(kind):
        return caller
    if caller.unknown:
        raise CallError(
            _("An unknown caller can only ask to become the representative themselves. Nothing was started.")
        )
    raise CallError(_("This caller may not start this request on this customer. Nothing was started."))


def _names_the_caller(interaction: Interaction, *, new_id_number: str, new_name: str) -> None:
    """An unknown caller's change of representative names the verified caller, nobody else."""
    try:
        new_id = parse_personal_id(new_id_number).value
    except InvalidIdentifier:
        raise CallError(_("Format de NIF, NIE o passaport incorrecte")) from None
    if (
        new_id != interaction.caller_id_number
        or normalise_name(new_name).casefold() != interaction.caller_name.casefold()
    ):
        raise CallError(
            _(
                "An unknown caller can only ask to become the representative themselves: the new representative "
                "must be the verified caller. Nothing was started."
            )
        )


def start_representative_change(
    *,
    interaction: Interaction,
    new_id_number: str,
    new_name: str,
    new_email: str,
    outgoing: str,
    contact_email: str,
    language: str,
    actor: Actor,
):
    """Start a change of representative on the verified caller's behalf; the caller gets the upload link.

    A known caller may if ``authority`` says so; an unknown caller only to become the representative themselves.
    """
    caller = require_may_start(interaction, "representative_change")
    if caller.unknown:
        _names_the_caller(interaction, new_id_number=new_id_number, new_name=new_name)
    with transaction.atomic():
        process = workflows.start_representative_change(
            customer=interaction.customer,
            new_id_number=new_id_number,
            new_name=new_name,
            new_email=new_email,
            outgoing=outgoing,
            contact_email=contact_email,
            language=language,
            requested_by=interaction.caller_person,
            asked_by=interaction.caller_name,
            actor=actor,
            channel=Channel.PHONE,
        )
        _record(
            interaction,
            actor=actor,
            reason=Interaction.Reason.REPRESENTATIVE_CHANGE,
            outcome=Interaction.Outcome.REQUEST_STARTED,
            request_ref=process.reference,
        )
    return process


def start_external_manager(
    *,
    interaction: Interaction,
    firm_cif: str,
    firm_name: str,
    firm_kind: str,
    manager_id_number: str,
    manager_name: str,
    manager_email: str,
    supply_points,
    contact_email: str,
    language: str,
    actor: Actor,
):
    """Start an external-manager registration on the verified caller's behalf, if ``authority`` lets them; the caller
    gets the upload link. Never for an unknown caller."""
    require_may_start(interaction, "external_manager")
    with transaction.atomic():
        process = workflows.start_external_manager(
            customer=interaction.customer,
            firm_cif=firm_cif,
            firm_name=firm_name,
            firm_kind=firm_kind,
            manager_id_number=manager_id_number,
            manager_name=manager_name,
            manager_email=manager_email,
            supply_points=supply_points,
            contact_email=contact_email,
            language=language,
            requested_by=interaction.caller_person,
            asked_by=interaction.caller_name,
            actor=actor,
            channel=Channel.PHONE,
        )
        _record(
            interaction,
            actor=actor,
            reason=Interaction.Reason.EXTERNAL_MANAGER,
            outcome=Interaction.Outcome.REQUEST_STARTED,
            request_ref=process.reference,
        )
    return process


def _record(interaction: Interaction, *, actor: Actor, reason: str, outcome: str, request_ref: str = "") -> None:
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    before = _snapshot(locked)
    locked.reason, locked.outcome = reason, outcome
    if request_ref:
        locked.request_ref = request_ref
    locked.save()
    _audit(locked, actor=actor, action="call.update", before=before, reason=outcome)
    interaction.refresh_from_db()


def _request_of_customer(interaction: Interaction, reference: str) -> PaperworkRequest:
    process = workflows.by_reference(reference)
    if process is None or process.customer_id != interaction.customer_id:
        raise CallError(_("This request does not belong to the customer of this call."))
    return process


def _links_for_caller(interaction: Interaction, reference: str) -> PaperworkRequest:
    """The request, if the verified caller may act on it (``authority``: a party to it, not read-only)."""
    require_verified(interaction)
    process = _request_of_customer(interaction, reference)
    if not caller_of(interaction).authority.may_act_on_request(process):
        raise CallError(
            _("This caller may not act on request %(reference)s: its upload links are not for them.")
            % {"reference": process.reference}
        )
    return process


def resend_link(*, interaction: Interaction, reference: str, actor: Actor, email: str = "") -> UploadLink:
    """A new upload link, to the request's contact e-mail or the one the caller gives; the earlier ones stop working."""
    process = _links_for_caller(interaction, reference)
    with transaction.atomic():
        try:
            link = workflows.send_upload_link(process=process, actor=actor, email=email)
        except workflows.RequestError as exc:
            raise CallError(exc.message) from None
        _record(
            interaction,
            actor=actor,
            reason=Interaction.Reason.UPLOAD_HELP,
            outcome=Interaction.Outcome.LINK_RESENT,
            request_ref=process.reference,
        )
    return link


def revoke_link(*, interaction: Interaction, link: UploadLink, actor: Actor) -> UploadLink:
    process = _links_for_caller(interaction, link.reference)
    with transaction.atomic():
        link = workflows.revoke_upload_link(link=link, actor=actor)
        _record(
            interaction,
            actor=actor,
            reason=Interaction.Reason.UPLOAD_HELP,
            outcome=Interaction.Outcome.LINK_REVOKED,
            request_ref=process.reference,
        )
    return link


def record_objection(*, interaction: Interaction, reference: str, note: str, actor: Actor) -> PaperworkRequest:
    """The verified caller, the representative when the request started, objects by phone: the request is put on
    hold for a supervisor (``workflows.services.object_to_request`` decides who may), and the call records it."""
    require_verified(interaction)
    if interaction.caller_person is None:
        raise CallError(_("Only the representative of the customer can object to this request."))
    process = _request_of_customer(interaction, reference)
    with transaction.atomic():
        try:
            process = workflows.object_to_request(
                process=process, person=interaction.caller_person, channel=Channel.PHONE, note=note, actor=actor
            )
        except workflows.RequestError as exc:
            raise CallError(exc.message) from None
        _record(
            interaction,
            actor=actor,
            reason=Interaction.Reason.OBJECTION,
            outcome=Interaction.Outcome.PUT_ON_HOLD,
            request_ref=process.reference,
        )
    return process


@transaction.atomic
def close_call(*, interaction: Interaction, reason: str, outcome: str, note: str, actor: Actor) -> Interaction:
    """End the call with its reason, outcome and the agent's note. Idempotent on a closed call (the note is appended)."""
    if reason not in Interaction.Reason.values or outcome not in Interaction.Outcome.values:
        raise CallError(_("Choose the reason and the outcome of the call."))
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    before = _snapshot(locked)
    locked.reason, locked.outcome = reason, outcome
    if outcome == Interaction.Outcome.OPEN:
        raise CallError(_("Choose the reason and the outcome of the call."))
    if note.strip():
        locked.note = "\n".join(filter(None, [locked.note, note.strip()]))
    locked.ended_at = locked.ended_at or timezone.now()
    locked.save()
    _audit(locked, actor=actor, action="call.close", before=before, reason=outcome)
    return locked


def verification_allowed(*, interaction: Interaction, session_key: str) -> bool:
    return not throttle.is_locked(
        throttle.HOLDER_PROOF, identifier=interaction.customer.tax_id, address=_where(interaction, session_key)
    )
