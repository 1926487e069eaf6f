"""Every change to a paperwork request: start, documents, decisions, apply, close. One transaction each, audited.

The flows (``flows.py``) call the node functions here; the portal, the staff pages,
the call-center console and the benchmark call the public functions.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from contextlib import contextmanager
from datetime import date, datetime, timedelta

import holidays
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from stdnum.es import cif as cif_number
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

import ocr
from accounts import audit
from accounts import services as accounts
from accounts.audit import Actor
from accounts.identifiers import InvalidIdentifier, parse_personal_id
from accounts.models import Customer, Firm, Grant, Person, SupplyPoint
from accounts.notifications import send_after_commit
from accounts.parsing import normalise_name
from documents import prechecks
from documents import services as documents
from documents.models import Document, Precheck

from . import nodes, rules
from .models import (
    PROCESS_MODELS,
    Channel,
    Decision,
    ExternalManagerProcess,
    Milestone,
    Outcome,
    PaperworkRequest,
    RejectReason,
    RepresentativeChangeProcess,
    UploadLink,
    model_for_reference,
    new_reference,
)

logger = logging.getLogger(__name__)
security_log = logging.getLogger("security")  # staff decisions, as security events


class RequestError(Exception):
    """A request the user can fix or must be told about; ``message`` is for them."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RequestAlreadyOpen(RequestError):
    def __init__(self, open_request: PaperworkRequest):
        super().__init__(
            _(
                "There is already an open request of this kind for this customer: %(reference)s. "
                "Follow it in Requests, or wait until it is closed."
            )
            % {"reference": open_request.reference}
        )
        self.open_request = open_request


class DecisionError(RequestError):
    pass


class UploadLinkError(RequestError):
    pass


# -- reading -----------------------------------------------------------------------------


def flow_of(process: PaperworkRequest):
    return process.flow_class


def _flow_for(model):
    from . import flows

    return flows.FLOW_OF_MODEL[model]


def by_reference(reference: str) -> PaperworkRequest | None:
    model = model_for_reference(reference)
    return model.objects.filter(reference=reference.upper()).first() if model else None


def active_task(process: PaperworkRequest, node):
    """The process's unfinished task of ``node``, or None."""
    return (
        process.task_set.filter(flow_task=node)
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        .order_by("-pk")
        .first()
    )


def waiting_for_documents(process: PaperworkRequest) -> bool:
    return process.is_open and active_task(process, flow_of(process).documents) is not None


def _milestone(process: PaperworkRequest, kind: str, message: str = "") -> None:
    Milestone.objects.create(reference=process.reference, customer_id=process.customer_id, kind=kind, message=message)


def _snapshot(process: PaperworkRequest) -> dict:
    return {
        "reference": process.reference,
        "is_open": process.is_open,
        "outcome": process.outcome,
        "decision": process.decision,
        "reject_reason": process.reject_reason,
        "decided_by": process.decided_by_id,
        "second_approved_by": process.second_approved_by_id,
        "escalated_at": process.escalated_at,
        "objected_at": process.objected_at,
    }


def _audit(process: PaperworkRequest, *, actor: Actor, action: str, before: dict | None, reason: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=process,
        customer_id=process.customer_id,
        before=before,
        after=_snapshot(process),
        reason=reason,
        request_ref=process.reference,
    )


# -- starting ----------------------------------------------------------------------------


def _clean_personal_id(raw: str) -> str:
    try:
        return parse_personal_id(raw).value
    except InvalidIdentifier:
        raise RequestError(_("Format de NIF, NIE o passaport incorrecte")) from None


def _clean_email(raw: str) -> str:
    try:
        validate_email(raw)
    except ValidationError:
        raise RequestError(_("Enter a valid e-mail address.")) from None
    return raw.strip()


def _clean_name(raw: str) -> str:
    name = normalise_name(raw)
    if len(name) < 3:
        raise RequestError(_("Write the full name."))
    return name


def _refuse_if_open(model, customer: Customer) -> None:
    open_request = model.objects.filter(customer=customer, is_open=True).first()
    if open_request is not None:
        raise RequestAlreadyOpen(open_request)


def _current_representative(customer: Customer) -> Person | None:
    grant = (
        customer.grants.filter(role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True).select_related("person").first()
    )
    return grant.person if grant else None


def _named_person(
    *, id_number: str, name: str, email: str, language: str, actor: Actor, reference_reason: str
) -> Person:
    """The person a request names, known to the store from now on: nobody can then create a login for that
    id number by inviting it with an address of their own (``accounts.services.authorise_contact``)."""
    return accounts.find_or_create_person(
        id_number=id_number, name=name, email=email, language=language, actor=actor, reason=reference_reason
    )


def _start(
    model,
    *,
    customer: Customer,
    channel: str,
    requested_by: Person | None,
    actor: Actor,
    contact_email: str,
    language: str,
    fields: dict,
    named: dict,
    supply_points=(),
    asked_by: str = "",
) -> PaperworkRequest:
    """Open the document set and start the flow; one transaction. Refuses a second open request of the kind.

    The representative at that moment becomes a party to the request and, unless they asked for it
    themselves, is told at once, with a link to object.
    """
    contact_email = _clean_email(contact_email)
    _refuse_if_open(model, customer)
    flow_class = _flow_for(model)
    try:
        with transaction.atomic():
            reference = new_reference(model.reference_prefix)
            representative = _current_representative(customer)
            person = _named_person(
                **named, language=language, actor=actor, reference_reason=f"named in request {reference}"
            )
            fields = (
                fields
                | {"representative_at_start": representative}
                | ({"new_person": person} if model is RepresentativeChangeProcess else {})
            )
            document_set = documents.create_document_set(
                reference=reference, customer=customer, actor=actor, reason="request started", request_ref=reference
            )
            process = flow_class.start.run(
                reference=reference,
                customer=customer,
                channel=channel,
                requested_by=requested_by,
                started_by=actor.user,
                contact_email=contact_email,
                language=language,
                document_set=document_set,
                fields=fields,
                supply_points=supply_points,
                actor=actor,
            )
            if representative is not None and representative.pk != getattr(requested_by, "pk", None):
                _tell_representative(
                    process, representative, asked_by=asked_by or (requested_by.name if requested_by else "")
                )
    except IntegrityError:
        _refuse_if_open(model, customer)
        raise
    return process


def open_request(
    activation,
    *,
    reference,
    customer,
    channel,
    requested_by,
    started_by,
    contact_email,
    language,
    document_set,
    fields,
    supply_points,
    actor,
) -> PaperworkRequest:
    """The start node: fill and save the process row, tell the customer (or send the upload link)."""
    process = activation.process
    process.reference, process.customer, process.channel = reference, customer, channel
    process.requested_by, process.started_by = requested_by, started_by
    process.contact_email, process.language, process.document_set = contact_email, language, document_set
    for name, value in fields.items():
        setattr(process, name, value)
    process.save()
    if supply_points:
        process.supply_points.set(supply_points)
    _audit(process, actor=actor, action="request.start", before=None, reason=f"started from {channel}")
    _milestone(process, Milestone.Kind.SUBMITTED)
    if channel == Channel.PHONE:
        _issue_link(process, actor=actor, email=contact_email)
    else:
        send_after_commit(
            to=contact_email,
            template="request_received",
            language=language,
            context=_mail_context(process) | {"link": reverse("portal:request_detail", args=[reference])},
        )
    return process


def start_representative_change(
    *,
    customer: Customer,
    new_id_number: str,
    new_name: str,
    new_email: str,
    outgoing: str,
    contact_email: str,
    language: str,
    requested_by: Person | None,
    actor: Actor,
    channel: str = Channel.PORTAL,
    asked_by: str = "",
) -> RepresentativeChangeProcess:
    """Start a change of representative (from the customer area, or on a caller's behalf)."""
    new_id = _clean_personal_id(new_id_number)
    if outgoing not in RepresentativeChangeProcess.Outgoing.values:
        raise RequestError(_("Choose what happens to the outgoing representative."))
    current = _current_representative(customer)
    if current is not None and current.id_number == new_id:
        raise RequestError(_("This person is already the representative of this customer."))
    fields = {
        "new_id_number": new_id,
        "new_name": _clean_name(new_name),
        "new_email": _clean_email(new_email),
        "outgoing": outgoing,
        "outgoing_person": current,
    }
    named = {"id_number": new_id, "name": fields["new_name"], "email": fields["new_email"]}
    return _start(
        RepresentativeChangeProcess,
        customer=customer,
        channel=channel,
        requested_by=requested_by,
        actor=actor,
        contact_email=contact_email,
        language=language,
        fields=fields,
        named=named,
        asked_by=asked_by,
    )


def start_external_manager(
    *,
    customer: Customer,
    firm_cif: str,
    firm_name: str,
    firm_kind: str,
    manager_id_number: str,
    manager_name: str,
    manager_email: str,
    supply_points: list[SupplyPoint] | tuple = (),
    contact_email: str,
    language: str,
    requested_by: Person | None,
    actor: Actor,
    channel: str = Channel.PORTAL,
    asked_by: str = "",
) -> ExternalManagerProcess:
    """Start the registration of an external manager firm for the customer (or some of its supply points)."""
    compact_cif = cif_number.compact(firm_cif or "")
    if not cif_number.is_valid(compact_cif):
        raise RequestError(_("The firm's CIF is not valid."))
    if firm_kind not in Firm.Kind.values:
        raise RequestError(_("Choose the kind of firm."))
    if any(sp.contract.customer_id != customer.pk for sp in supply_points):
        raise RequestError(_("A supply point does not belong to this customer."))
    manager_id = _clean_personal_id(manager_id_number)
    if customer.grants.filter(person__id_number=manager_id, revoked_at__isnull=True).exists():
        raise RequestError(_("This person already has access to this customer."))
    fields = {
        "firm_cif": compact_cif,
        "firm_name": _clean_name(firm_name),
        "firm_kind": firm_kind,
        "manager_id_number": manager_id,
        "manager_name": _clean_name(manager_name),
        "manager_email": _clean_email(manager_email),
    }
    named = {"id_number": manager_id, "name": fields["manager_name"], "email": fields["manager_email"]}
    return _start(
        ExternalManagerProcess,
        customer=customer,
        channel=channel,
        requested_by=requested_by,
        actor=actor,
        contact_email=contact_email,
        language=language,
        fields=fields,
        named=named,
        supply_points=list(supply_points),
        asked_by=asked_by,
    )


# -- the representative is told, and may object ----------------------------------------------

_OBJECTION_SALT = "workflows.objection"


def objection_token(process: PaperworkRequest, person: Person) -> str:
    return signing.dumps({"r": process.reference, "p": person.pk}, salt=_OBJECTION_SALT)


def _tell_representative(process: PaperworkRequest, representative: Person, *, asked_by: str) -> None:
    """E-mail the current representative, in their language: what started, who asked, how to stop it."""
    if not representative.email:
        return
    token = objection_token(process, representative)
    send_after_commit(
        to=representative.email,
        template="representative_notice",
        language=representative.language,
        context=_mail_context(process, representative.language)
        | {
            "name": representative.name,
            "asked_by": asked_by,
            "channel": process.channel,
            "link": reverse("portal:object", args=[process.reference, token]),
            "days": settings.OBJECTION_LINK_DAYS,
        },
    )


def check_objection_token(*, reference: str, token: str) -> tuple[PaperworkRequest, Person]:
    """The request and the representative an objection link was sent to, or RequestError for the page."""
    try:
        payload = signing.loads(token, salt=_OBJECTION_SALT, max_age=timedelta(days=settings.OBJECTION_LINK_DAYS))
    except signing.SignatureExpired:
        raise RequestError(
            _("This link has expired. Call us on %(phones)s to stop the request.")
            % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
        ) from None
    except signing.BadSignature:
        raise RequestError(_("This link is not valid. Check that you copied the whole link.")) from None
    process = by_reference(reference)
    if process is None or payload.get("r") != process.reference:
        raise RequestError(_("This link is not valid. Check that you copied the whole link."))
    person = Person.objects.filter(pk=payload.get("p")).first()
    if person is None or person.pk != process.representative_at_start_id:
        raise RequestError(_("This link is not valid. Check that you copied the whole link."))
    return process, person


def object_to_request(
    *, process: PaperworkRequest, person: Person, channel: str, note: str, actor: Actor
) -> PaperworkRequest:
    """The representative objects: the request is put on hold for a supervisor (idempotent).

    Only the representative when the request started may object; a closed request cannot be stopped any more.
    """
    flow_class = flow_of(process)
    with _request_lock(flow_class, process.pk, RequestError):
        process = type(process).objects.select_related(*type(process).flow_related).get(pk=process.pk)
        if person.pk != process.representative_at_start_id:
            raise RequestError(_("Only the representative of the customer can object to this request."))
        if not process.is_open:
            raise RequestError(
                _("This request is already closed (%(outcome)s): it can no longer be stopped.")
                % {"outcome": process.get_outcome_display()}
            )
        if process.on_hold:
            return process
        before = _snapshot(process)
        process.objected_at, process.objected_by, process.objection_channel = timezone.now(), person, channel
        process.objection_note = " ".join((note or "").split())[:2000]
        process.save(update_fields=["objected_at", "objected_by", "objection_channel", "objection_note"])
        task = active_task(process, flow_class.verify)
        if task is not None and task.status in (STATUS.NEW, STATUS.ASSIGNED):
            task.owner, task.owner_permission, task.status = None, rules.SUPERVISE, STATUS.NEW
            task.save(update_fields=["owner", "owner_permission", "status"])
        _audit(
            process,
            actor=actor,
            action="request.objection",
            before=before,
            reason=process.objection_note or "objection",
        )
        _milestone(process, Milestone.Kind.ON_HOLD)
    return process


# -- upload links ------------------------------------------------------------------------

_LINK_SALT = "workflows.upload-link"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_link(process: PaperworkRequest, *, actor: Actor, email: str) -> UploadLink:
    """Revoke the request's earlier links and e-mail a new one. Inside the caller's transaction."""
    now = timezone.now()
    UploadLink.objects.filter(reference=process.reference, revoked_at__isnull=True, uploaded_at__isnull=True).update(
        revoked_at=now
    )
    token = signing.dumps({"r": process.reference, "n": get_random_string(16)}, salt=_LINK_SALT)
    link = UploadLink.objects.create(
        reference=process.reference,
        token_hash=_hash(token),
        email=email,
        created_by=actor.user,
        expires_at=now + timedelta(days=settings.UPLOAD_LINK_DAYS),
    )
    audit.record(
        actor=actor,
        action="upload_link.issue",
        target=link,
        customer=process.customer,
        before=None,
        after={"email": email, "expires_at": link.expires_at},
        reason="upload link e-mailed",
        request_ref=process.reference,
    )
    _milestone(process, Milestone.Kind.LINK_SENT)
    send_after_commit(
        to=email,
        template="upload_link",
        language=process.language,
        context=_mail_context(process)
        | {
            "link": reverse("portal:upload_link", args=[process.reference, token]),
            "days": settings.UPLOAD_LINK_DAYS,
            "message": more_documents_message(process),
        },
    )
    return link


@transaction.atomic
def send_upload_link(*, process: PaperworkRequest, actor: Actor, email: str = "") -> UploadLink:
    """(Re)send the secure upload link; earlier links stop working."""
    if not waiting_for_documents(process):
        raise UploadLinkError(_("This request is not waiting for documents."))
    return _issue_link(process, actor=actor, email=_clean_email(email or process.contact_email))


@transaction.atomic
def revoke_upload_link(*, link: UploadLink, actor: Actor) -> UploadLink:
    link = UploadLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        process = by_reference(link.reference)
        audit.record(
            actor=actor,
            action="upload_link.revoke",
            target=link,
            customer=process.customer,
            before=None,
            after={"revoked_at": link.revoked_at},
            reason="upload link revoked",
            request_ref=link.reference,
        )
    return link


@transaction.atomic
def purge_expired_upload_links() -> int:
    """Delete upload links that expired, or were revoked, more than ``HOUSEKEEPING_GRACE_DAYS`` ago (their issue and
    revocation stay in the audit log). Returns how many."""
    cutoff = accounts.expired_before()
    deleted = UploadLink.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff)).delete()[0]
    logger.info("housekeeping: %d expired or revoked upload links deleted", deleted)
    return deleted


def check_upload_link(*, reference: str, token: str, mark_opened: bool = False) -> tuple[UploadLink, PaperworkRequest]:
    """The link and its request, or UploadLinkError with the message for the person holding the link."""
    try:
        payload = signing.loads(token, salt=_LINK_SALT)
    except signing.BadSignature:
        raise UploadLinkError(_("This upload link is not valid. Check that you copied the whole link.")) from None
    if payload.get("r") != reference.upper():
        raise UploadLinkError(_("This upload link belongs to another request."))
    link = UploadLink.objects.filter(token_hash=_hash(token)).first()
    process = by_reference(reference)
    if link is None or process is None:
        raise UploadLinkError(_("This upload link is not valid. Check that you copied the whole link."))
    if link.revoked_at is not None:
        raise UploadLinkError(
            _("This upload link was withdrawn. Call us on %(phones)s for a new one.")
            % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
        )
    if link.expires_at <= timezone.now():
        raise UploadLinkError(
            _("This upload link has expired. Call us on %(phones)s for a new one.")
            % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
        )
    if not waiting_for_documents(process):
        raise UploadLinkError(
            _("This request is no longer waiting for documents: %(reference)s.") % {"reference": process.reference}
        )
    if link.uploaded_at is not None:  # used once already; asking for more documents e-mails a new link
        raise UploadLinkError(
            _("This upload link was withdrawn. Call us on %(phones)s for a new one.")
            % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
        )
    if mark_opened and link.opened_at is None:
        UploadLink.objects.filter(pk=link.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    return link, process


# -- documents ---------------------------------------------------------------------------


def _require_waiting(process: PaperworkRequest) -> None:
    if not waiting_for_documents(process):
        raise RequestError(_("This request is not waiting for documents any more."))


def add_request_document(*, process: PaperworkRequest, uploaded, original_name: str, actor: Actor) -> Document:
    """Store one uploaded file on the request (validated by ``documents``)."""
    _require_waiting(process)
    return documents.add_document(
        document_set=process.document_set, uploaded=uploaded, original_name=original_name, actor=actor
    )


def remove_request_document(*, process: PaperworkRequest, document: Document, actor: Actor) -> Document:
    _require_waiting(process)
    if document.document_set_id != process.document_set_id:
        raise RequestError(_("This document does not belong to this request."))
    return documents.remove_document(document=document, actor=actor, request_ref=process.reference)


@contextmanager
def _request_lock(flow_class, process_id, error):
    """The request's flow lock; still busy after Viewflow's retries (someone else is moving the
    same request), it is a message in the user's language -- ``error`` -- and nothing is saved."""
    try:
        with flow_class.lock(process_id):
            yield
    except FlowLockFailed:
        raise error(
            _("Someone else is changing this request right now. Nothing was saved: try again in a moment.")
        ) from None


def submit_documents(*, process: PaperworkRequest, actor: Actor, link: UploadLink | None = None) -> PaperworkRequest:
    """The customer is done uploading: the request moves on to the automatic checks."""
    flow_class = flow_of(process)
    with _request_lock(
        flow_class, process.pk, RequestError
    ):  # its own transaction, outermost: a busy lock is retried, never left as a broken one
        task = active_task(process, flow_class.documents)
        if task is None or task.status != STATUS.NEW:
            raise RequestError(_("This request is not waiting for documents any more."))
        flow_class.documents.run(task, actor=actor, link=link)
    process.refresh_from_db()
    return process


def take_documents(activation, *, actor: Actor, link: UploadLink | None) -> None:
    """The documents node: freeze the set (refused when empty) and note the milestone."""
    process = activation.process
    try:
        process.document_set = documents.submit_document_set(
            document_set=process.document_set, actor=actor, request_ref=process.reference
        )
    except documents.DocumentError as exc:
        raise RequestError(exc.args[0] if exc.args else str(exc)) from None
    if link is not None:
        UploadLink.objects.filter(pk=link.pk).update(uploaded_at=timezone.now())
    _milestone(process, Milestone.Kind.DOCUMENTS_RECEIVED)


# -- the automatic pre-check (a CeleryJob that waits for the pre-check to finish) ----------


def claim_of(process: PaperworkRequest) -> ocr.Claim:
    customer = process.customer
    if isinstance(process, ExternalManagerProcess):
        return ocr.Claim(
            request_type="external_manager",
            company_cif=customer.tax_id,
            company_name=customer.name,
            person_nif=process.manager_id_number,
            person_name=process.manager_name,
        )
    return ocr.Claim(
        request_type="representative_change",
        company_cif=customer.tax_id,
        company_name=customer.name,
        person_nif=process.new_id_number,
        person_name=process.new_name,
    )


def begin_precheck(activation) -> bool:
    """Start the OCR pre-check of the submitted documents; True when it already finished.

    Text-layer pages are read at once (milliseconds each), so a set of text-layer PDFs is
    assessed inside the job and the request goes straight on to verification; anything that
    needs OCR runs in the OCR queue and the job waits for it (see receivers.py).
    """
    process = activation.process  # read with its customer and document set (flow_related)
    precheck = prechecks.start_precheck(
        document_set=process.document_set, claim=claim_of(process), actor=Actor.system("workflow"), read_text_now=True
    )
    process.precheck = precheck
    process.save(update_fields=["precheck"])
    _milestone(process, Milestone.Kind.CHECKS_RUNNING)
    return precheck.status == Precheck.Status.DONE


def precheck_job_task(precheck: Precheck):
    """The waiting pre-check job of the request that ran ``precheck``, or None."""
    for model in PROCESS_MODELS:
        process = model.objects.filter(precheck=precheck).first()
        if process is not None:
            task = active_task(process, _flow_for(model).precheck)
            return task if task is not None and task.status == STATUS.STARTED else None
    return None


def continue_after_precheck(*, precheck_id: int) -> str:
    """Complete (or fail) the request's job that waits for pre-check ``precheck_id``; idempotent. Returns
    "completed", "failed" or "skipped" (not a request's pre-check, not finished, or already moved on).
    Raises ``FlowLockFailed`` while the request is locked: the caller tries again."""
    precheck = Precheck.objects.filter(pk=precheck_id).first()
    if precheck is None or precheck.status not in (Precheck.Status.DONE, Precheck.Status.FAILED):
        return "skipped"
    task = precheck_job_task(precheck)
    if task is None:
        return "skipped"
    if precheck.status == Precheck.Status.FAILED:
        return "failed" if nodes.fail_job(task.pk, f"The pre-check failed: {precheck.error}") else "skipped"
    return "completed" if nodes.complete_job(task.pk) else "skipped"


def note_under_review(activation) -> None:
    _milestone(activation.process, Milestone.Kind.UNDER_REVIEW)


# -- staff decisions ---------------------------------------------------------------------


def validate_decision(decision: str, reason: str, customer_message: str) -> None:
    """Raise DecisionError unless the decision carries what it needs (a reason, a message for the customer)."""
    if decision not in Decision.values:
        raise DecisionError(_("Choose a decision."))
    if decision == Decision.REJECT and reason not in RejectReason.values:
        raise DecisionError(_("Choose the reason for the rejection."))
    if decision == Decision.REJECT and reason == RejectReason.OTHER and not customer_message.strip():
        raise DecisionError(_("Explain the reason to the customer."))
    if decision == Decision.MORE_DOCUMENTS and not customer_message.strip():
        raise DecisionError(_("Tell the customer which documents are needed."))


#: The request's fields a decision (or a second decision) writes.
DECISION_FIELDS = [
    "decision",
    "decided_by",
    "decided_at",
    "reject_reason",
    "customer_message",
    "internal_note",
    "second_approved_by",
]
#: The fields closing a request writes (see _close).
CLOSE_FIELDS = ["is_open", "outcome", "closed_at"]


def _take_task(flow_class, node, task_id: int, user):
    """Lock and re-read the task; assign it to ``user`` when free; refuse a finished or someone else's task."""
    task = flow_class.task_class._default_manager.select_for_update().get(pk=task_id)
    if task.flow_task != node:
        raise DecisionError(_("This is not a decision task."))
    # The request itself in one query, with what the decision and four eyes read; Viewflow's
    # activation and the refusal rule then use it instead of loading it again.
    model = flow_class.process_class
    process = model._default_manager.select_related(*model.flow_related).get(pk=task.process_id)
    task.process = process
    refusal = node.refusal(user, task)
    if refusal:
        raise DecisionError(refusal)
    if task.status in (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED):
        raise DecisionError(
            _("This task was already decided (%(who)s); your decision was not saved.") % {"who": task.owner or "-"}
        )
    activation = node.activation_class(task)
    if task.status == STATUS.NEW:
        if not node.can_assign(user, task):
            raise DecisionError(_("You may not take this task."))
        task.owner, task.status = user, STATUS.ASSIGNED  # Viewflow's assign, saved with the decision below
    elif task.owner_id != user.pk:
        raise DecisionError(_("%(who)s is working on this task.") % {"who": task.owner})
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    return task, process, activation


def decide(
    *,
    task_id: int,
    user,
    decision: str,
    reason: str = "",
    customer_message: str = "",
    internal_note: str = "",
    actor: Actor,
) -> PaperworkRequest:
    """The verification decision: approve, reject with a reason, or ask for more documents."""
    validate_decision(decision, reason, customer_message)
    flow_class, process_id = _flow_and_process_of_task(task_id)
    with _request_lock(flow_class, process_id, DecisionError):  # one transaction (see submit_documents)
        task, process, activation = _take_task(flow_class, flow_class.verify, task_id, user)
        before = _snapshot(process)
        process.decision, process.decided_by, process.decided_at = decision, user, timezone.now()
        process.reject_reason = reason if decision == Decision.REJECT else ""
        process.customer_message, process.internal_note = customer_message.strip(), internal_note.strip()
        process.second_approved_by = None
        process.save(update_fields=DECISION_FIELDS)
        _audit(
            process, actor=actor, action=f"request.{decision}", before=before, reason=internal_note.strip() or decision
        )
        activation.process = process
        activation.execute()  # the next steps (apply, notify, end...) update this same object
    security_log.info(
        "decision %s on %s by user %s",
        decision,
        process.reference,
        user.pk,
        extra={"event": "decision", "decision": decision, "request_ref": process.reference},
    )
    return process


def second_decision(
    *,
    task_id: int,
    user,
    approve: bool,
    reason: str = "",
    customer_message: str = "",
    internal_note: str = "",
    actor: Actor,
) -> PaperworkRequest:
    """The supervisor's second approval (four eyes): approve, or reject with a reason."""
    if not approve:
        validate_decision(Decision.REJECT, reason, customer_message)
    flow_class, process_id = _flow_and_process_of_task(task_id)
    with _request_lock(flow_class, process_id, DecisionError):  # one transaction (see submit_documents)
        task, process, activation = _take_task(flow_class, flow_class.second_approval, task_id, user)
        before = _snapshot(process)
        if approve:
            process.second_approved_by = user
        else:
            process.decision, process.reject_reason = Decision.REJECT, reason
            process.customer_message = customer_message.strip()
        if internal_note.strip():
            process.internal_note = "\n".join(filter(None, [process.internal_note, internal_note.strip()]))
        process.save(update_fields=DECISION_FIELDS)
        _audit(
            process,
            actor=actor,
            action="request.second_approve" if approve else "request.second_reject",
            before=before,
            reason=internal_note.strip() or ("second approval" if approve else "rejected at second approval"),
        )
        activation.process = process
        activation.execute()
    security_log.info(
        "second decision %s on %s by user %s",
        "approve" if approve else "reject",
        process.reference,
        user.pk,
        extra={
            "event": "decision",
            "decision": "second_approve" if approve else "second_reject",
            "request_ref": process.reference,
        },
    )
    return process


def _flow_and_process_of_task(task_id: int):
    """(flow class, process id) of a task, in one query; DecisionError when there is no such task."""
    from viewflow.workflow.models import Task

    row = Task.objects.filter(pk=task_id).values_list("flow_task", "process_id").first()
    if row is None:
        raise DecisionError(_("This task does not exist any more."))
    node, process_id = row  # the field converts the stored reference to the flow node
    return node.flow_class, process_id


def more_documents_message(process: PaperworkRequest) -> str:
    """What staff last asked the customer to send, word for word, while the request waits for it (else empty)."""
    return process.customer_message if process.documents_rounds and process.decision == Decision.MORE_DOCUMENTS else ""


def ask_for_more(activation) -> None:
    """Back to documents: reopen the set and tell the customer what is missing."""
    process = activation.process
    process.document_set = documents.reopen_document_set(
        document_set=process.document_set,
        actor=Actor.system("workflow"),
        reason="more documents asked",
        request_ref=process.reference,
    )
    process.documents_rounds += 1
    process.save(update_fields=["documents_rounds"])
    _milestone(process, Milestone.Kind.MORE_DOCUMENTS, process.customer_message)
    if process.channel == Channel.PHONE:
        _issue_link(process, actor=Actor.system("workflow"), email=process.contact_email)
    else:
        send_after_commit(
            to=process.contact_email,
            template="more_documents",
            language=process.language,
            context=_mail_context(process)
            | {
                "link": reverse("portal:request_detail", args=[process.reference]),
                "message": more_documents_message(process),
            },
        )


def note_second_approval(activation) -> None:
    _milestone(activation.process, Milestone.Kind.SECOND_APPROVAL)


def escalate_verification(activation) -> None:
    """The verification passed its service level: it moves to the supervisors' queue."""
    process = activation.process
    flow_class = flow_of(process)
    before = _snapshot(process)
    process.escalated_at = timezone.now()
    process.save(update_fields=["escalated_at"])
    task = active_task(process, flow_class.verify)
    if task is not None and task.status in (STATUS.NEW, STATUS.ASSIGNED):
        task.owner, task.owner_permission, task.status = None, rules.SUPERVISE, STATUS.NEW
        task.save(update_fields=["owner", "owner_permission", "status"])
    _audit(
        process, actor=Actor.system("workflow"), action="request.escalate", before=before, reason="verification overdue"
    )


def reminder_delay(activation) -> timedelta:
    return timedelta(days=settings.REQUEST_REMINDER_DAYS)


def expiry_delay(activation) -> timedelta:
    return timedelta(days=settings.REQUEST_EXPIRY_DAYS)


def verification_deadline(activation):
    """``VERIFICATION_WORKING_DAYS`` working days (``add_working_days``) from now."""
    return add_working_days(timezone.localtime(), settings.VERIFICATION_WORKING_DAYS)


@functools.lru_cache(maxsize=64)
def _public_holidays(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("ES", subdiv=region, years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday in Spain or in ``WORKING_DAYS_REGION`` (the ``holidays`` calendar)."""
    return day.weekday() < 5 and day not in _public_holidays(settings.WORKING_DAYS_REGION, day.year)


def add_working_days(start, days: int):
    """``start`` moved on by ``days`` working days (``is_working_day``), at the same time of day; ``start`` is local
    time (its own date decides which days count)."""
    moment = start
    while days > 0:
        moment += timedelta(days=1)
        if is_working_day(moment.date()):
            days -= 1
    return moment


#: How far a staff task is into its service level: under 1 working day, up to the deadline, past it.
AGE_BUCKETS = ("fresh", "aging", "breached")


def service_level(created, now) -> tuple[str, datetime]:
    """The age bucket (``AGE_BUCKETS``) at ``now`` of a staff task created at ``created``, and its due time: the
    flow's own deadline (``verification_deadline``), ``VERIFICATION_WORKING_DAYS`` working days later."""
    created = timezone.localtime(created)
    due = add_working_days(created, settings.VERIFICATION_WORKING_DAYS)
    if now >= due:
        return "breached", due
    if now >= add_working_days(created, 1):
        return "aging", due
    return "fresh", due


# -- the end of a request ----------------------------------------------------------------


def _close(process: PaperworkRequest, outcome: str) -> None:
    process.is_open, process.outcome, process.closed_at = False, outcome, timezone.now()
    process.document_set = documents.close_document_set(
        document_set=process.document_set,
        actor=Actor.system("workflow"),
        reason=f"request {outcome}",
        request_ref=process.reference,
    )
    # Links still usable stop working; a used one keeps its "uploaded" state.
    UploadLink.objects.filter(reference=process.reference, revoked_at__isnull=True, uploaded_at__isnull=True).update(
        revoked_at=process.closed_at
    )


def apply_request(*, process: PaperworkRequest, locked: bool = False) -> PaperworkRequest:
    """Make the approved change in the account store. Exactly once: a second call changes nothing.

    ``locked``: the caller holds the request's flow lock and read ``process`` under it (the
    apply step); otherwise the request is re-read and row-locked here.
    """
    with transaction.atomic():
        if not locked:
            process = (
                type(process)
                .objects.select_for_update(of=("self",))
                .select_related(*type(process).flow_related)
                .get(pk=process.pk)
            )
        if process.applied_at is not None:
            return process
        if not process.approved or (process.needs_second_approval and not process.second_approved):
            raise DecisionError(_("Only an approved request can be applied."))
        actor = Actor.system("workflow")
        reason = f"{process._meta.verbose_name} {process.reference}"
        before = _snapshot(process)
        if isinstance(process, RepresentativeChangeProcess):
            person = process.new_person or accounts.find_or_create_person(
                id_number=process.new_id_number,
                name=process.new_name,
                email=process.new_email,
                language=process.language,
                actor=actor,
                reason=reason,
            )
            grant = accounts.transfer_representative(
                customer=process.customer,
                new_person=person,
                outgoing=process.outgoing,
                actor=actor,
                reason=reason,
                request_ref=process.reference,
            )
            process.new_person = person
            changed = ["new_person"]
        else:
            firm = accounts.find_or_create_firm(
                cif=process.firm_cif,
                name=process.firm_name,
                kind=process.firm_kind,
                actor=actor,
                reason=reason,
                request_ref=process.reference,
            )
            person = accounts.find_or_create_person(
                id_number=process.manager_id_number,
                name=process.manager_name,
                email=process.manager_email,
                language=process.language,
                actor=actor,
                reason=reason,
            )
            grant = accounts.register_external_manager(
                customer=process.customer,
                person=person,
                firm=firm,
                actor=actor,
                reason=reason,
                request_ref=process.reference,
                supply_points=list(process.supply_points.all()),
            )
            process.grant = grant
            changed = ["grant"]
        process.applied_at = timezone.now()
        _close(process, Outcome.APPLIED)
        process.save(update_fields=[*changed, "applied_at", *CLOSE_FIELDS])
        _audit(process, actor=actor, action="request.apply", before=before, reason=reason)
        _milestone(process, Milestone.Kind.APPLIED)
        grant.person = person  # the same row: no need to load it again
        # The documents name this person: the login that gets the role must be theirs (accounts.hand_over_login).
        address = process.new_email if isinstance(process, RepresentativeChangeProcess) else process.manager_email
        handover = accounts.hand_over_login(
            person=person, email=address, grant=grant, actor=actor, request_ref=process.reference
        )
        _mail_new_holder(process, grant, handover)
    return process


def apply_change(activation) -> None:
    try:
        activation.process = apply_request(process=activation.process, locked=True)
    except accounts.GrantError as exc:  # the store changed since the request started: the decision is not saved
        raise DecisionError(exc.message) from exc


def close_rejected(activation) -> None:
    process = activation.process
    before = _snapshot(process)
    _close(process, Outcome.REJECTED)
    process.save(update_fields=CLOSE_FIELDS)
    _audit(process, actor=Actor.system("workflow"), action="request.close", before=before, reason="rejected")
    _milestone(process, Milestone.Kind.REJECTED, process.customer_message)


def close_expired(activation) -> None:
    process = activation.process
    before = _snapshot(process)
    _close(process, Outcome.EXPIRED)
    process.save(update_fields=CLOSE_FIELDS)
    # The expiry cancels the documents task without disarming its other timer (the reminder):
    # disarm it here, or the process never finishes and a late reminder goes out for a closed request.
    for timer in process.task_set.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED):
        timer.flow_task.activation_class(timer).cancel()
    _audit(
        process, actor=Actor.system("workflow"), action="request.close", before=before, reason="no documents in time"
    )
    _milestone(process, Milestone.Kind.EXPIRED)


# -- e-mails -----------------------------------------------------------------------------


def _mail_context(process: PaperworkRequest, language: str | None = None) -> dict:
    """What every request e-mail names, with the request's kind in the recipient's language."""
    return {
        "reference": process.reference,
        "customer": process.customer.name,
        "kind": _in_language(language or process.language, lambda: process._meta.verbose_name),
        "kind_code": process.kind,
    }


def send_reminder(activation) -> None:
    """Three days without documents: remind the customer (the request keeps waiting)."""
    process = activation.process
    if process.channel == Channel.PHONE:
        _issue_link(process, actor=Actor.system("workflow"), email=process.contact_email)
    else:
        send_after_commit(
            to=process.contact_email,
            template="documents_reminder",
            language=process.language,
            context=_mail_context(process) | {"link": reverse("portal:request_detail", args=[process.reference])},
        )
    _milestone(process, Milestone.Kind.REMINDER)


def _in_language(language: str, func) -> str:
    with translation.override(language):
        return str(func())


def notify_outcome(activation) -> None:
    """Tell the person who asked how the request ended."""
    process = activation.process
    context = _mail_context(process) | {
        "outcome": process.outcome,
        "message": process.customer_message,
        "reason": _in_language(process.language, process.get_reject_reason_display) if process.reject_reason else "",
        "link": reverse("portal:request_detail", args=[process.reference]),
    }
    send_after_commit(to=process.contact_email, template="request_outcome", language=process.language, context=context)


def _mail_new_holder(process: PaperworkRequest, grant, handover: accounts.HandOver) -> None:
    """The new representative / manager is told, at the address ``hand_over_login`` chose, with the link to set up their
    login, to log in, or none (then they call us); the outgoing representative is told too."""
    person = grant.person
    link = (
        reverse("portal:invitation", args=[handover.token])
        if handover.token
        else reverse("portal:login")
        if handover.can_log_in
        else ""
    )
    context = _mail_context(process, person.language) | {
        "name": person.name,
        "role": _in_language(person.language, grant.get_role_display),
        "link": link,
    }
    send_after_commit(to=handover.address, template="role_granted", language=person.language, context=context)
    if (
        isinstance(process, RepresentativeChangeProcess)
        and process.outgoing_person_id
        and process.outgoing_person_id != person.pk
    ):
        outgoing = process.outgoing_person
        send_after_commit(
            to=outgoing.email,
            template="representative_replaced",
            language=outgoing.language,
            context=_mail_context(process, outgoing.language)
            | {
                "name": outgoing.name,
                "new_name": person.name,
                "kept_access": process.outgoing == RepresentativeChangeProcess.Outgoing.AUTHORISED_FULL,
            },
        )
