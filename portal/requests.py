"""Customer-side paperwork requests: start, upload, submit, track ("Gestions"), and the e-mailed upload link.

Views only parse input, call a service or selector and render. Who may do what is ``authority``'s answer:

* the Gestions list and a request's page: whoever may see every request on the customer, and
  the parties to the request (others get 404);
* who and what a request names, its documents, and uploading, removing and submitting them:
  the parties only; a POST from anyone else gets 403 with nothing changed;
* starting a request: the representative, or a contact with full access (others get 404);
* the upload link: no login, the token alone, re-checked on every request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

import authority
from accounts.audit import Actor
from accounts.identifiers import mask_id_number
from accounts.models import AuditEvent, Customer, Firm, Grant, Person
from client_address import client_ip
from documents import selectors as documents
from documents import validation
from documents.services import DocumentError, DocumentRejected
from ocr.precheck import ACCEPTED_DOC_TYPES
from workflows import selectors, services
from workflows.evidence import DOC_TYPE_LABELS
from workflows.models import Channel, ExternalManagerProcess, Milestone, PaperworkRequest, RepresentativeChangeProcess

from . import selectors as workspace
from .access import current_person, customer_authority, customer_required
from .forms import DocumentsUploadForm, ExternalManagerForm, ObjectionForm, RepresentativeChangeForm
from .workspace_forms import RequestFilterForm

# The one UploadLinkError that means "no such link" (404); every other one is a link that was good once (410).
# Same msgid as in workflows.services, which gives the error no code to tell them apart.
INVALID_LINK = gettext_lazy("This upload link is not valid. Check that you copied the whole link.")


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None, label="customer")


def _link_actor(request) -> Actor:
    return Actor(user=None, ip=client_ip(request) or None, label="upload link")


def _kind(process: PaperworkRequest) -> str:
    return str(process._meta.verbose_name)


def _refuse(request):
    return render(
        request,
        "portal/message.html",
        {"title": _("Not allowed"), "error": _("You cannot change this request.")},
        status=403,
    )


# -- status words: whose move it is, and by when (the one place the list and a request's page read) ------

_YOUR_MOVE = {
    Milestone.Kind.SUBMITTED,
    Milestone.Kind.LINK_SENT,
    Milestone.Kind.REMINDER,
    Milestone.Kind.MORE_DOCUMENTS,
}
STATUS_WORDS = {
    Milestone.Kind.SUBMITTED: gettext_lazy("Waiting for your documents"),
    Milestone.Kind.LINK_SENT: gettext_lazy("Waiting for your documents"),
    Milestone.Kind.REMINDER: gettext_lazy("Waiting for your documents"),
    Milestone.Kind.MORE_DOCUMENTS: gettext_lazy("Waiting for more documents from you"),
    Milestone.Kind.DOCUMENTS_RECEIVED: gettext_lazy("We are checking your documents"),
    Milestone.Kind.CHECKS_RUNNING: gettext_lazy("We are checking your documents"),
    Milestone.Kind.UNDER_REVIEW: gettext_lazy("We are reviewing it"),
    Milestone.Kind.SECOND_APPROVAL: gettext_lazy("We are reviewing it (a second approval)"),
    Milestone.Kind.ON_HOLD: gettext_lazy("On hold: the representative objected; we will call"),
    Milestone.Kind.APPLIED: gettext_lazy("Done: approved and applied"),
    Milestone.Kind.REJECTED: gettext_lazy("Closed: rejected"),
    Milestone.Kind.EXPIRED: gettext_lazy("Closed: expired"),
}


def documents_deadline(waiting_since: datetime) -> datetime:
    """The day a request waiting for documents since ``waiting_since`` expires (the flow's expiry timer)."""
    return waiting_since + timedelta(days=settings.REQUEST_EXPIRY_DAYS)


def status_words(milestone: str | None, *, waiting_since: datetime | None = None) -> str:
    """The status as the customer reads it: whose move it is and, while it is theirs, until when."""
    words = STATUS_WORDS.get(milestone)
    if words is None:
        return ""
    if milestone in _YOUR_MOVE and waiting_since is not None:
        until = formats.date_format(documents_deadline(waiting_since), "SHORT_DATE_FORMAT")
        return _("%(status)s — until %(date)s") % {"status": words, "date": until}
    return str(words)


def documents_needed(process: PaperworkRequest) -> list[str]:
    """The kinds of document that back this request (any one of them), from the pre-check's own table."""
    return [str(DOC_TYPE_LABELS[code]) for code in ACCEPTED_DOC_TYPES.get(process.kind, ())]


# -- "Gestions" ---------------------------------------------------------------------------


def _role_label(snapshot: dict) -> str:
    return Grant(role=snapshot.get("role", ""), delegated_from_id=snapshot.get("delegated_from")).display_role


def _describe_change(event: AuditEvent, names: dict[int, str]) -> str:
    """An audited grant change as a plain sentence (names and roles; no identifiers, no internal reasons)."""
    before, after = event.before or {}, event.after or {}
    snapshot = after or before
    # A contact someone added is named as they typed it (Grant.display_name), never as the store holds it.
    name = snapshot.get("invited_as") or names.get(snapshot.get("person"), _("A contact"))
    values = {"person": name, "customer": event.customer.name if event.customer else ""}
    if event.action == "grant.create":
        return _("%(person)s was given the role %(role)s on %(customer)s") % (values | {"role": _role_label(after)})
    if event.action == "grant.revoke":
        return _("%(person)s no longer has access to %(customer)s (was %(role)s)") % (
            values | {"role": _role_label(before)}
        )
    if event.action == "grant.change_role":
        return _("The role of %(person)s on %(customer)s changed from %(old)s to %(new)s") % (
            values | {"old": _role_label(before), "new": _role_label(after)}
        )
    return _("The access of %(person)s to %(customer)s changed") % values


def _direct_changes(person: Person) -> list[dict]:
    """The grant changes made at once on the person's customers, as sentences. Two queries whatever their number."""
    events = selectors.direct_changes(person)
    person_ids = {snap.get("person") for e in events for snap in (e.before or {}, e.after or {}) if snap.get("person")}
    user_ids = {e.actor_id for e in events if e.actor_id}
    names, by_user = {}, {}
    if person_ids or user_ids:
        for pk, user_id, name in Person.objects.filter(Q(pk__in=person_ids) | Q(user_id__in=user_ids)).values_list(
            "pk", "user_id", "name"
        ):
            names[pk] = name
            if user_id:
                by_user[user_id] = name
    return [{"at": e.at, "text": _describe_change(e, names), "by": by_user.get(e.actor_id, "")} for e in events]


@customer_required
def requests_list(request):
    """Every request the person may see, one table across their companies (filter, sort, pages of 50); and the
    direct changes to their contacts. Companies without requests do not appear."""
    person = request.person
    authorities = authority.authorities_of(person)
    companies = workspace.companies_with_requests(person, authorities)
    chosen = authorities.get(int(request.GET["customer"])) if request.GET.get("customer", "").isdigit() else None
    if chosen is not None and chosen.grant.customer not in companies:  # e.g. from a company's page: none there yet
        companies.append(chosen.grant.customer)
    form = RequestFilterForm(request.GET, companies=companies)
    filters = form.filters()
    page = Paginator(workspace.requests_table(person, authorities, filters), 50).get_page(request.GET.get("page"))
    kinds = {kind: str(model._meta.verbose_name) for kind, model in workspace.REQUEST_KINDS.items()}
    rows = [
        row
        | {
            "kind_label": kinds[row["kind"]],
            # The latest milestone opened the wait for documents (a reminder does not: no date for it here).
            "status_label": status_words(
                row["milestone"],
                waiting_since=row["updated"] if row["milestone"] != Milestone.Kind.REMINDER else None,
            ),
        }
        for row in page
    ]
    # The start buttons for the one company the list is about: the one filtered, or the person's only one.
    focus = authorities.get(filters.customer_id) if filters.customer_id else None
    if focus is None and len(authorities) == 1:
        focus = next(iter(authorities.values()))
    return render(
        request,
        "portal/requests/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "sort": filters.sort,
            "focus": focus if focus is not None and focus.can_start_requests else None,
            "may_start_somewhere": any(a.can_start_requests for a in authorities.values()),
            "changes": _direct_changes(person),
        },
    )


# -- starting a request ------------------------------------------------------------------


def customer_to_start(request, customer_id: int, kind: str) -> Customer:
    found = customer_authority(request, customer_id)
    if not found.may_start(kind):
        raise Http404
    return found.grant.customer


def _start_page(request, *, customer: Customer, form, kind: str, start):
    open_request = None
    if request.method == "POST" and form.is_valid():
        try:
            process = start(form.cleaned_data)
        except services.RequestError as error:
            form.add_error(None, error.message)
            open_request = getattr(error, "open_request", None)
        else:
            messages.success(
                request,
                _("Your request %(reference)s is registered. Now upload the documents that back it.")
                % {"reference": process.reference},
            )
            return redirect("portal:request_detail", reference=process.reference)
    return render(
        request,
        "portal/requests/new.html",
        {"customer": customer, "form": form, "kind": kind, "open_request": open_request},
        status=400 if form.errors else 200,
    )


def start_from_form(kind: str, data: dict, *, customer: Customer, person, actor):
    """Start a request of ``kind`` from its form's cleaned data, in the customer area's name: the pages and the API."""
    common = {
        "customer": customer,
        "contact_email": data["contact_email"],
        "language": translation.get_language(),
        "requested_by": person,
        "actor": actor,
        "channel": "portal",
    }
    if kind == RepresentativeChangeProcess.kind:
        return services.start_representative_change(
            new_id_number=data["new_id_number"],
            new_name=data["new_name"],
            new_email=data["new_email"],
            outgoing=data["outgoing"],
            **common,
        )
    return services.start_external_manager(
        firm_cif=data["firm_cif"],
        firm_name=data["firm_name"],
        firm_kind=data["firm_kind"],
        manager_id_number=data["manager_id_number"],
        manager_name=data["manager_name"],
        manager_email=data["manager_email"],
        supply_points=list(data["supply_points"]),
        **common,
    )


@customer_required
@require_http_methods(["GET", "POST"])
def new_representative_change(request, customer_id: int):
    customer = customer_to_start(request, customer_id, RepresentativeChangeProcess.kind)
    form = RepresentativeChangeForm(
        request.POST or None,
        initial={
            "contact_email": request.person.email,
            "outgoing": RepresentativeChangeProcess.Outgoing.AUTHORISED_FULL,
        },
    )

    def start(data):
        return start_from_form(
            RepresentativeChangeProcess.kind, data, customer=customer, person=request.person, actor=_actor(request)
        )

    return _start_page(request, customer=customer, form=form, kind="representative_change", start=start)


@customer_required
@require_http_methods(["GET", "POST"])
def new_external_manager(request, customer_id: int):
    customer = customer_to_start(request, customer_id, ExternalManagerProcess.kind)
    form = ExternalManagerForm(request.POST or None, customer=customer, initial={"contact_email": request.person.email})

    def start(data):
        return start_from_form(
            ExternalManagerProcess.kind, data, customer=customer, person=request.person, actor=_actor(request)
        )

    return _start_page(request, customer=customer, form=form, kind="external_manager", start=start)


# -- documents: the controls shared by a request's page and the upload link ------------------


@dataclass
class _DocumentsAction:
    """What one POST to the documents controls did."""

    action: str
    form: DocumentsUploadForm | None = None
    errors: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and (self.form is None or not self.form.errors)


def _documents_action(request, *, process: PaperworkRequest, actor: Actor, link=None) -> _DocumentsAction:
    """Upload, remove or submit, as the POST's ``action`` says; every refusal becomes a message for the page."""
    action = request.POST.get("action", "")
    result = _DocumentsAction(action=action)
    if action == "upload":
        result.form = DocumentsUploadForm(request.POST, request.FILES)
        if result.form.is_valid():
            for uploaded in result.form.cleaned_data["files"]:
                try:
                    services.add_request_document(
                        process=process, uploaded=uploaded, original_name=uploaded.name, actor=actor
                    )
                except (DocumentRejected, DocumentError, services.RequestError) as error:
                    result.errors.append(_("%(file)s: %(message)s") % {"file": uploaded.name, "message": error.message})
                else:
                    result.done.append(_("%(file)s uploaded.") % {"file": uploaded.name})
    elif action == "remove":
        try:
            document_id = int(request.POST.get("document", ""))
        except ValueError:
            document_id = None
        document = documents.document_by_id(document_id) if document_id else None
        if document is None:
            result.errors.append(_("This document does not belong to this request."))
        else:
            try:
                services.remove_request_document(process=process, document=document, actor=actor)
            except (DocumentError, services.RequestError) as error:
                result.errors.append(error.message)
            else:
                result.done.append(_("%(file)s removed.") % {"file": document.original_name})
    elif action == "submit":
        try:
            services.submit_documents(process=process, actor=actor, link=link)
        except (DocumentError, services.RequestError) as error:
            result.errors.append(error.message)
        else:
            result.done.append(_("Thank you. We have received your documents and will check them."))
    else:
        result.errors.append(_("Choose what to do: upload, remove or submit documents."))
    return result


def documents_checklist(process: PaperworkRequest, uploaded: list) -> list[dict]:
    """What the request still needs, ticked off against the documents uploaded: the document that backs it (any
    one of the kinds it accepts) and, after we asked for more, the documents of this round (uploaded since)."""
    needed = documents_needed(process)
    items = [
        {
            "label": _("A document that backs the request: %(kinds)s")
            % {
                "kinds": _("%(first)s or %(last)s") % {"first": ", ".join(needed[:-1]), "last": needed[-1]}
                if len(needed) > 1
                else needed[0]
            },
            "files": [document.original_name for document in uploaded],
        }
    ]
    asked = services.more_documents_message(process)
    task = services.active_task(process, services.flow_of(process).documents) if asked else None
    if task is not None:
        items.append(
            {
                "label": _("The further documents we asked you for on %(date)s")
                % {"date": formats.date_format(task.created, "SHORT_DATE_FORMAT")},
                "files": [document.original_name for document in uploaded if document.uploaded_at >= task.created],
            }
        )
    return [item | {"done": bool(item["files"])} for item in items]


def _documents_context(
    process: PaperworkRequest, *, may_act: bool, details: bool = True, outcome: _DocumentsAction | None = None
) -> dict:
    waiting = services.waiting_for_documents(process)
    upload_form = outcome.form if outcome is not None and outcome.form is not None else DocumentsUploadForm()
    uploaded = list(documents.documents_of(process.document_set)) if waiting or details else []
    checklist = documents_checklist(process, uploaded) if waiting and documents_needed(process) else []
    return {
        "waiting": waiting,
        "may_upload": waiting and may_act,
        "show_documents": details,
        "documents": uploaded if details else [],
        "checklist": checklist,
        "checklist_missing": sum(not item["done"] for item in checklist),
        "upload_form": upload_form,
        "action_errors": outcome.errors if outcome else [],
        "max_pages": validation.max_pages(),
        "max_mb": validation.max_bytes() // validation.MB,
        "documents_needed": documents_needed(process),
    }


# -- a request's page ----------------------------------------------------------------------


def _asked(process: PaperworkRequest, details: bool) -> list[tuple[str, str]]:
    """What the request asks for, as label/value pairs. The named person's id number whole and the
    e-mails only for the request's parties (``details``); masked or left out for everyone else."""

    def ident(value: str) -> str:
        return value if details else mask_id_number(value)

    if isinstance(process, RepresentativeChangeProcess):
        rows = [
            (_("New representative"), process.new_name),
            (_("NIF, NIE or passport"), ident(process.new_id_number)),
            (_("E-mail"), process.new_email if details else None),
            (_("Outgoing representative"), process.get_outgoing_display()),
        ]
    elif isinstance(process, ExternalManagerProcess):
        points = [point.cups for point in process.supply_points.order_by("cups")]
        kind = Firm.Kind(process.firm_kind).label if process.firm_kind in Firm.Kind.values else process.firm_kind
        rows = [
            (_("Firm"), f"{process.firm_name} ({process.firm_cif})"),
            (_("Kind of firm"), str(kind)),
            (_("Manager"), f"{process.manager_name} ({ident(process.manager_id_number)})"),
            (_("E-mail"), process.manager_email if details else None),
            (_("Supply points"), ", ".join(points) if points else _("All the customer's supply points")),
        ]
    else:
        rows = []
    return [(label, value) for label, value in rows if value is not None]


def _detail_page(
    request,
    process: PaperworkRequest,
    found: authority.Authority,
    *,
    outcome: _DocumentsAction | None = None,
    status: int = 200,
):
    precheck = process.precheck
    running = precheck is not None and precheck.status in (precheck.Status.QUEUED, precheck.Status.RUNNING)
    may_act, details = found.may_act_on_request(process), found.sees_request_details(process)
    timeline = list(selectors.timeline(process))
    latest = timeline[-1].kind if timeline else None
    documents_task = services.active_task(process, services.flow_of(process).documents) if process.is_open else None
    context = {
        "process": process,
        "status": status_words(latest, waiting_since=documents_task.created if documents_task else None),
        "kind": _kind(process),
        "asked": _asked(process, details),
        "timeline": timeline,
        "may_act": may_act,
        "precheck": precheck if running else None,
        "reject_reason": process.get_reject_reason_display()
        if process.outcome == "rejected" and process.reject_reason
        else "",
    } | _documents_context(process, may_act=may_act, details=details, outcome=outcome)
    return render(request, "portal/requests/detail.html", context, status=status)


@customer_required
@require_http_methods(["GET", "POST"])
def request_detail(request, reference: str):
    process, found = selectors.request_for(request.person, reference)
    if process is None:
        raise Http404
    if request.method == "POST":
        if not found.may_act_on_request(process):
            return _refuse(request)
        outcome = _documents_action(request, process=process, actor=_actor(request))
        if outcome.ok and outcome.action == "submit":
            return _to_documents_received(request, process)
        for text in outcome.done:
            messages.success(request, text)
        if outcome.ok:
            return redirect("portal:request_detail", reference=process.reference)
        return _detail_page(request, process, found, outcome=outcome, status=400)
    return _detail_page(request, process, found)


@customer_required
@require_GET
def precheck_progress(request, reference: str):
    """The automatic checks' progress as JSON, for the request page's poll; the same refusal (404) as the page."""
    process, _found = selectors.request_for(request.person, reference)
    if process is None:
        raise Http404
    precheck = process.precheck
    if precheck is None:
        return JsonResponse({"status": "none", "done": True, "pages_done": 0, "pages_total": 0, "text": ""})
    finished = precheck.status not in (precheck.Status.QUEUED, precheck.Status.RUNNING)
    text = (
        _("The automatic checks have finished. We are reviewing your request.")
        if finished
        else _("%(status)s · pages %(done)s of %(total)s")
        % {"status": precheck.get_status_display(), "done": precheck.pages_done, "total": precheck.pages_total}
    )
    return JsonResponse(
        {
            "status": precheck.status,
            "done": finished,
            "pages_done": precheck.pages_done,
            "pages_total": precheck.pages_total,
            "text": text,
        }
    )


# -- "documents received": the page a submit redirects to (Post/Redirect/Get) ------------------

_RECEIVED = "documents_received"


def _to_documents_received(request, process: PaperworkRequest):
    """Remember in the session that this browser submitted the request's documents, and redirect to the
    confirmation, so that reloading it asks again for the page and never re-posts."""
    request.session[_RECEIVED] = [process.reference, *request.session.get(_RECEIVED, [])][:10]
    return redirect("portal:documents_received", reference=process.reference)


@require_GET
def documents_received(request, reference: str):
    """The confirmation after a submit, from a request's page or from an upload link (whose link is spent by then:
    the session, not the link, is what shows this browser submitted them). Anyone else gets 404."""
    if reference not in request.session.get(_RECEIVED, []):
        raise Http404
    process = services.by_reference(reference)
    if process is None:
        raise Http404
    person = current_person(request)  # signed in as a party: a link to follow the request
    signed_in = person is not None and selectors.request_for(person, reference)[0] is not None
    return render(
        request,
        "portal/requests/upload_done.html",
        {"reference": process.reference, "kind": _kind(process), "signed_in": signed_in},
    )


# -- the e-mailed upload link (requests started by phone) -----------------------------------


def _link_refused(request, error: services.UploadLinkError):
    status = 404 if error.message == INVALID_LINK else 410
    return render(
        request, "portal/message.html", {"title": _("Upload documents"), "error": error.message}, status=status
    )


def _link_page(request, process: PaperworkRequest, *, outcome: _DocumentsAction | None = None, status: int = 200):
    # Only the customer's name, the reference and the kind of request: the link proves nothing about who holds it.
    context = {
        "reference": process.reference,
        "customer_name": process.customer.name,
        "kind": _kind(process),
        "action_url": request.path,
        "more_documents_message": services.more_documents_message(process),
    } | _documents_context(process, may_act=True, outcome=outcome)
    return render(request, "portal/requests/upload_link.html", context, status=status)


@require_http_methods(["GET", "POST"])
def upload_link(request, reference: str, token: str):
    try:
        link, process = services.check_upload_link(
            reference=reference, token=token, mark_opened=request.method == "GET"
        )
    except services.UploadLinkError as error:
        return _link_refused(request, error)
    if request.method == "POST":
        outcome = _documents_action(request, process=process, actor=_link_actor(request), link=link)
        if outcome.ok and outcome.action == "submit":
            return _to_documents_received(request, process)
        for text in outcome.done:
            messages.success(request, text)
        if outcome.ok:
            return redirect(request.path)
        return _link_page(request, process, outcome=outcome, status=400)
    return _link_page(request, process)


# -- the representative's objection (link in the notice e-mail) ------------------------------


@require_http_methods(["GET", "POST"])
def objection(request, reference: str, token: str):
    """The current representative stops a request they were told about: it goes on hold for a supervisor.

    The signed link is the proof (it went to the representative's address); a GET only shows what the
    request is and a button, so mail scanners that open links object to nothing.
    """
    try:
        process, person = services.check_objection_token(reference=reference, token=token)
    except services.RequestError as error:
        return render(
            request, "portal/message.html", {"title": _("Stop a request"), "error": error.message}, status=404
        )
    form = ObjectionForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            process = services.object_to_request(
                process=process,
                person=person,
                channel=Channel.PORTAL,
                note=form.cleaned_data["note"],
                actor=Actor(user=None, ip=client_ip(request) or None, label="objection link"),
            )
        except services.RequestError as error:
            form.add_error(None, error.message)
        else:
            done = True
    return render(
        request,
        "portal/requests/objection.html",
        {
            "process": process,
            "kind": _kind(process),
            "form": form,
            "done": done or process.on_hold,
        },
        status=400 if form.errors else 200,
    )
