"""Every change the console makes: open a call, verify the caller, start a request on their behalf, links, close.

One transaction each, audited. Agents never verify documents or decide: those rules live
in ``workflows.rules`` and apply to them like to anyone.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts import selectors as accounts_selectors
from accounts import services as accounts_services
from accounts.audit import Actor
from accounts.identifiers import InvalidIdentifier, parse_personal_id
from accounts.models import Customer
from workflows import services as workflows
from workflows.models import Channel, UploadLink

from .models import Interaction
from .selectors import person_known

VERIFICATION_MINUTES = 60


class CallError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotVerified(CallError):
    pass


def _snapshot(interaction: Interaction) -> dict:
    return {"customer": interaction.customer_id, "caller_id_number": interaction.caller_id_number, "verification": interaction.verification,
            "reason": interaction.reason, "outcome": interaction.outcome, "request_ref": interaction.request_ref, "note": interaction.note,
            "ended_at": interaction.ended_at}


def _audit(interaction: Interaction, *, actor: Actor, action: str, before: dict | None, reason: str) -> None:
    audit.record(actor=actor, action=action, target=interaction, customer=interaction.customer, before=before,
                 after=_snapshot(interaction), reason=reason, request_ref=interaction.request_ref)


@transaction.atomic
def open_call(*, agent, customer: Customer, actor: Actor) -> Interaction:
    """Start logging a call about ``customer``."""
    interaction = Interaction.objects.create(agent=agent, customer=customer)
    _audit(interaction, actor=actor, action="call.open", before=None, reason="call started")
    return interaction


def _lock_keys(interaction: Interaction, session_key: str) -> list[tuple[str, str]]:
    return [("callcenter_customer", str(interaction.customer_id)), ("callcenter_session", f"{interaction.agent_id}:{session_key}")]


def verify_caller(*, interaction: Interaction, caller_id_number: str, caller_name: str = "", bank_last4: str = "",
                  invoice_total: Decimal | None = None, session_key: str, actor: Actor) -> Interaction:
    """Check the caller's own NIF/NIE and the same proof as registration; the outcome is logged either way.

    A wrong proof counts against the limit per customer and per agent session; once locked
    nothing is checked until the window passes.
    """
    try:
        caller_id = parse_personal_id(caller_id_number).value
    except InvalidIdentifier:
        raise CallError(_("Format de NIF, NIE o passaport incorrecte")) from None
    if not bank_last4 and invoice_total is None:
        raise CallError(_("Ask the caller for the last 4 digits of the direct-debit account or the total of a recent invoice."))
    keys = _lock_keys(interaction, session_key)
    with transaction.atomic():
        interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
        if interaction.ended_at is not None:
            raise CallError(_("This call is closed. Open a new one."))
        before = _snapshot(interaction)
        interaction.caller_id_number, interaction.caller_name = caller_id, " ".join(caller_name.split())
        if any(accounts_selectors.is_locked_out(scope=scope, key=key) for scope, key in keys):
            interaction.verification = Interaction.Verification.LOCKED
        elif accounts_selectors.proof_matches(customer=interaction.customer, bank_last4=bank_last4.strip(), invoice_total=invoice_total):
            interaction.verification, interaction.verified_at = Interaction.Verification.VERIFIED, timezone.now()
        else:
            interaction.verification = Interaction.Verification.FAILED
        interaction.save()
        _audit(interaction, actor=actor, action="call.verify", before=before, reason=f"caller verification: {interaction.verification}")
    if interaction.verification == Interaction.Verification.FAILED:
        for scope, key in keys:
            accounts_services.note_failure(scope=scope, key=key)
    return interaction


def require_verified(interaction: Interaction) -> None:
    """Refuse unless the caller of this open call was verified within the last hour."""
    if interaction.ended_at is not None:
        raise CallError(_("This call is closed. Open a new one."))
    if not interaction.is_verified:
        raise NotVerified(_("Verify the caller first."))
    if interaction.verified_at < timezone.now() - timedelta(minutes=VERIFICATION_MINUTES):
        raise NotVerified(_("The verification is more than an hour old. Verify the caller again."))


def start_representative_change(*, interaction: Interaction, new_id_number: str, new_name: str, new_email: str, outgoing: str,
                                contact_email: str, language: str, actor: Actor):
    """Start a change of representative on the verified caller's behalf; the caller gets the upload link."""
    require_verified(interaction)
    with transaction.atomic():
        process = workflows.start_representative_change(
            customer=interaction.customer, new_id_number=new_id_number, new_name=new_name, new_email=new_email, outgoing=outgoing,
            contact_email=contact_email, language=language, requested_by=_caller(interaction), actor=actor, channel=Channel.PHONE)
        _record(interaction, actor=actor, reason=Interaction.Reason.REPRESENTATIVE_CHANGE, outcome=Interaction.Outcome.REQUEST_STARTED,
                request_ref=process.reference)
    return process


def start_external_manager(*, interaction: Interaction, firm_cif: str, firm_name: str, firm_kind: str, manager_id_number: str,
                           manager_name: str, manager_email: str, supply_points, contact_email: str, language: str, actor: Actor):
    """Start an external-manager registration on the verified caller's behalf; the caller gets the upload link."""
    require_verified(interaction)
    with transaction.atomic():
        process = workflows.start_external_manager(
            customer=interaction.customer, firm_cif=firm_cif, firm_name=firm_name, firm_kind=firm_kind, manager_id_number=manager_id_number,
            manager_name=manager_name, manager_email=manager_email, supply_points=supply_points, contact_email=contact_email,
            language=language, requested_by=_caller(interaction), actor=actor, channel=Channel.PHONE)
        _record(interaction, actor=actor, reason=Interaction.Reason.EXTERNAL_MANAGER, outcome=Interaction.Outcome.REQUEST_STARTED,
                request_ref=process.reference)
    return process


def _caller(interaction: Interaction):
    """The caller as the store knows them (None for someone new, e.g. the incoming representative)."""
    return person_known(interaction.caller_id_number)


def _record(interaction: Interaction, *, actor: Actor, reason: str, outcome: str, request_ref: str = "") -> None:
    locked = Interaction.objects.select_for_update().get(pk=interaction.pk)
    before = _snapshot(locked)
    locked.reason, locked.outcome = reason, outcome
    if request_ref:
        locked.request_ref = request_ref
    locked.save()
    _audit(locked, actor=actor, action="call.update", before=before, reason=outcome)
    interaction.refresh_from_db()


def _request_of_customer(interaction: Interaction, reference: str):
    process = workflows.by_reference(reference)
    if process is None or process.customer_id != interaction.customer_id:
        raise CallError(_("This request does not belong to the customer of this call."))
    return process


def resend_link(*, interaction: Interaction, reference: str, actor: Actor, email: str = "") -> UploadLink:
    require_verified(interaction)
    process = _request_of_customer(interaction, reference)
    with transaction.atomic():
        try:
            link = workflows.send_upload_link(process=process, actor=actor, email=email)
        except workflows.RequestError as exc:
            raise CallError(exc.message) from None
        _record(interaction, actor=actor, reason=Interaction.Reason.UPLOAD_HELP, outcome=Interaction.Outcome.LINK_RESENT, request_ref=process.reference)
    return link


def revoke_link(*, interaction: Interaction, link: UploadLink, actor: Actor) -> UploadLink:
    require_verified(interaction)
    process = _request_of_customer(interaction, link.reference)
    with transaction.atomic():
        link = workflows.revoke_upload_link(link=link, actor=actor)
        _record(interaction, actor=actor, reason=Interaction.Reason.UPLOAD_HELP, outcome=Interaction.Outcome.LINK_REVOKED, request_ref=process.reference)
    return link


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
    return not any(accounts_selectors.is_locked_out(scope=scope, key=key) for scope, key in _lock_keys(interaction, session_key))

