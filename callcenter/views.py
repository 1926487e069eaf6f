"""The call-center console: one-box search, the call page (verify, explain, start, links, objection, close) and the
interaction log.

Every view is for call-center agents only (``workflows.start_request``), checked here on the server
whatever the menu shows; a call page is for the agent who took the call (404 for anyone else).
The views parse and render; ``callcenter.services`` decides, ``callcenter.selectors`` reads. What the page tells
about the customer's people and requests follows what the verified caller may hear (``selectors.Caller``).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

import authority
from accounts import selectors as accounts_selectors
from accounts.audit import Actor
from accounts.identifiers import compact, mask_id_number
from accounts.models import Customer, User
from client_address import client_ip
from documents.models import Document
from workflows import services as workflows
from workflows.glance import customer_glance
from workflows.models import Milestone, UploadLink

from . import selectors, services
from .forms import (
    CloseCallForm,
    ExternalManagerForm,
    LogFilterForm,
    ObjectionForm,
    RepresentativeChangeForm,
    ResendLinkForm,
    SearchForm,
    VerifyForm,
)
from .models import Interaction

REVOCABLE = (UploadLink.State.SENT, UploadLink.State.OPENED)


def may_use_console(user) -> bool:
    """Call-center agents: active staff holding the permission to start requests on a caller's behalf."""
    return authority.staff_may(user, authority.StaffAction.USE_CONSOLE)


def agent_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('staff_login')}?{urlencode({'next': request.path})}")
        if not may_use_console(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request), label="call center")


def _session_key(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _url(name: str, *args) -> str:
    return reverse(f"staff:callcenter:{name}", args=args)


def _call_url(interaction: Interaction, anchor: str = "") -> str:
    return _url("call", interaction.pk) + (f"#{anchor}" if anchor else "")


def _own_call(request, pk: int) -> Interaction:
    """The call, if this agent took it; 404 otherwise (whether it exists is not revealed)."""
    return get_object_or_404(Interaction.objects.select_related("customer", "agent"), pk=pk, agent=request.user)


# -- the console home: search ------------------------------------------------------------


@agent_required
@require_safe
def console(request):
    """The search box and its results; a key the console cannot read is a 400 with the reason."""
    form = SearchForm(request.GET or None)
    query = (request.GET.get("q") or "").strip()
    kind, results, error = "", [], ""
    if query:
        try:
            kind, results = selectors.search(query)
        except selectors.SearchError as exc:
            error = exc.message
    open_calls = list(
        Interaction.objects.filter(agent=request.user, ended_at__isnull=True).select_related("customer")[:10]
    )
    rows = [
        {
            "card": card,
            "open_requests": [
                {"reference": p.reference, "kind_label": p._meta.verbose_name} for p in card.open_requests
            ],
        }
        for card in results
    ]
    return render(
        request,
        "callcenter/console.html",
        {
            "form": form,
            "query": query,
            "kind": kind,
            "kind_label": KIND_LABELS.get(kind, ""),
            "results": rows,
            "search_error": error,
            "open_calls": open_calls,
        },
        status=400 if error else 200,
    )


KIND_LABELS = {
    "reference": gettext_lazy("request reference"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
    "cups": gettext_lazy("CUPS"),
    "person": gettext_lazy("NIF/NIE"),
    "cif": gettext_lazy("CIF"),
    "invoice": gettext_lazy("invoice or contract number"),
    "name": gettext_lazy("name"),
}


@agent_required
@require_POST
def take_call(request, customer_id: int):
    customer = get_object_or_404(Customer, pk=customer_id)
    interaction = services.open_call(agent=request.user, customer=customer, actor=_actor(request))
    return redirect(_call_url(interaction))


# -- the call page -----------------------------------------------------------------------


def _verification_state(interaction: Interaction) -> tuple[bool, str]:
    """(may the agent act for the caller now, and if not why) — the same rule the services apply."""
    try:
        services.require_verified(interaction)
    except services.CallError as exc:
        return False, exc.message
    return True, ""


def _status_labels(processes) -> dict[str, str]:
    """The customer-facing status of each request: its outcome when closed, else its latest milestone. One query."""
    latest: dict[str, Milestone] = {}
    for milestone in Milestone.objects.filter(reference__in=[p.reference for p in processes]).order_by("at", "id"):
        latest[milestone.reference] = milestone
    labels = {}
    for process in processes:
        if not process.is_open and process.outcome:
            labels[process.reference] = process.get_outcome_display()
        elif process.reference in latest:
            labels[process.reference] = latest[process.reference].get_kind_display()
        else:
            labels[process.reference] = _("Open")
    return labels


def _document_counts(processes) -> dict[int, int]:
    rows = (
        Document.objects.filter(document_set_id__in=[p.document_set_id for p in processes], removed_at__isnull=True)
        .values("document_set_id")
        .annotate(n=Count("id"))
    )
    return {row["document_set_id"]: row["n"] for row in rows}


def _resend_form(reference: str, data=None) -> ResendLinkForm:
    # One form per request on the page: unprefixed names, but ids of their own.
    return ResendLinkForm(data, initial={"reference": reference}, auto_id=f"id_resend_{reference}_%s")


def _objection_form(reference: str, data=None) -> ObjectionForm:
    return ObjectionForm(data, initial={"reference": reference}, auto_id=f"id_objection_{reference}_%s")


def _request_rows(
    processes, *, caller: selectors.Caller | None, resend_forms: dict | None = None, objection_forms: dict | None = None
) -> list[dict]:
    """Each request as the agent may explain it to ``caller`` (None: not verified): its status for anyone; the steps
    and timeline where the caller may follow the request; who it names and where its links go only to its parties."""
    labels = _status_labels(processes)
    rows = []
    counts = _document_counts(processes) if caller is not None else {}
    for process in processes:
        row = {"process": process, "kind_label": process._meta.verbose_name, "status_label": labels[process.reference]}
        if caller is not None and caller.authority.may_view_request(process):
            explained = selectors.status_explained(process)
            details, may_act = (
                caller.authority.sees_request_details(process),
                caller.authority.may_act_on_request(process),
            )
            named = process.named_person_id_number
            row |= {
                "explained": True,
                "details": details,
                "named_id_number": named if details else mask_id_number(named),
                "timeline": explained["timeline"],
                "pending": explained["pending"],
                "documents": counts.get(process.document_set_id, 0),
                "links": [
                    {
                        "link": link,
                        "state": link.state,
                        "state_label": UploadLink.State(link.state).label,
                        "revocable": may_act and link.state in REVOCABLE,
                    }
                    for link in explained["links"]
                ],
                "resend_form": ((resend_forms or {}).get(process.reference) or _resend_form(process.reference))
                if may_act and workflows.waiting_for_documents(process)
                else None,
                "objection_form": ((objection_forms or {}).get(process.reference) or _objection_form(process.reference))
                if caller.may_object_to(process)
                else None,
            }
        rows.append(row)
    return rows


def _call_page(
    request,
    interaction: Interaction,
    *,
    status: int = 200,
    error: str = "",
    verify_form=None,
    rc_form=None,
    em_form=None,
    close_form=None,
    resend_forms=None,
    objection_forms=None,
):
    interaction.refresh_from_db()
    customer = interaction.customer
    [card] = selectors.cards([customer.pk])
    people = selectors.known_people(customer)
    verified, not_verified_why = _verification_state(interaction)
    caller = selectors.caller_of(interaction) if verified else None
    direct_debit = accounts_selectors.pays_by_direct_debit(customer)
    closed = interaction.ended_at is not None
    context = {
        "interaction": interaction,
        "customer": customer,
        "card": card,
        "verified": verified,
        "caller": caller,
        "contacts": selectors.contacts_told(people, caller),
        "not_verified_why": not_verified_why
        if interaction.verification != Interaction.Verification.NOT_ATTEMPTED or closed
        else "",
        "closed": closed,
        "direct_debit": direct_debit,
        "verification_allowed": services.verification_allowed(
            interaction=interaction, session_key=_session_key(request)
        ),
        "verify_form": verify_form or VerifyForm.for_call(interaction, direct_debit=direct_debit, people=people),
        "may_start_representative_change": caller is not None and caller.may_start("representative_change"),
        "may_start_external_manager": caller is not None and caller.may_start("external_manager"),
        "close_form": close_form or CloseCallForm.for_call(interaction),
        "requests": _request_rows(
            selectors.requests_of(customer), caller=caller, resend_forms=resend_forms, objection_forms=objection_forms
        ),
        "error": error,
        # Not "log_url": callcenter/base.html names its menu link so, and the template's would win.
        "customer_log_url": f"{_url('log')}?{urlencode({'customer': customer.pk})}",
        "glance": customer_glance(customer=customer, user=request.user),
    }
    if caller is not None:
        context |= {
            "rc_form": rc_form or RepresentativeChangeForm(caller=caller),
            "em_form": em_form or ExternalManagerForm(caller=caller),
        }
    return render(request, "callcenter/call.html", context, status=status)


@agent_required
@require_safe
def call(request, pk: int):
    return _call_page(request, _own_call(request, pk))


@agent_required
@require_POST
def verify(request, pk: int):
    interaction = _own_call(request, pk)
    direct_debit = accounts_selectors.pays_by_direct_debit(interaction.customer)
    form = VerifyForm(request.POST, direct_debit=direct_debit, people=selectors.known_people(interaction.customer))
    if not form.is_valid():
        return _call_page(
            request,
            interaction,
            status=400,
            verify_form=form,
            error=_("The caller was not checked: correct the form below."),
        )
    data = form.cleaned_data
    try:
        interaction = services.verify_caller(
            interaction=interaction,
            caller_person=data["caller"],
            caller_id_number=data["caller_id_number"],
            caller_name=data["caller_name"],
            bank_last4=data.get("bank_last4", ""),
            invoice_total=data.get("invoice_total"),
            session_key=_session_key(request),
            actor=_actor(request),
        )
    except services.CallError as exc:
        return _call_page(request, interaction, status=400, verify_form=form, error=exc.message)
    outcome = interaction.verification
    if outcome == Interaction.Verification.VERIFIED:
        messages.success(request, _("Caller verified. You may now act for them."))
    elif outcome == Interaction.Verification.LOCKED:
        messages.error(
            request,
            _(
                "Too many failed checks: verification is locked for now. Nothing was checked. Do not act for this caller."
            ),
        )
    else:  # a wrong NIF/NIE or a wrong proof: the same words, whichever it was
        messages.error(request, _("The proof does not match. The caller is not verified."))
    return redirect(_call_url(interaction, "verification"))


def _start(request, pk: int, *, kind: str, form_class, start, form_name: str):
    interaction = _own_call(request, pk)
    # Checked before the form: a caller who may not ask for it gets the refusal, not a list of fields to fill.
    try:
        caller = services.require_may_start(interaction, kind)
    except services.CallError as exc:
        return _call_page(request, interaction, status=400, error=exc.message)
    form = form_class(request.POST, caller=caller)
    if not form.is_valid():
        return _call_page(
            request,
            interaction,
            status=400,
            error=_("Nothing was started: correct the form below."),
            **{form_name: form},
        )
    try:
        process = start(interaction=interaction, actor=_actor(request), **form.cleaned_data)
    except (services.CallError, workflows.RequestError) as exc:
        return _call_page(request, interaction, status=400, error=exc.message, **{form_name: form})
    messages.success(
        request,
        _("Request %(reference)s started. The upload link was e-mailed to %(email)s.")
        % {"reference": process.reference, "email": process.contact_email},
    )
    return redirect(_call_url(interaction, f"request-{process.reference}"))


@agent_required
@require_POST
def start_representative_change(request, pk: int):
    def start(**kwargs):
        return services.start_representative_change(**kwargs)

    return _start(
        request, pk, kind="representative_change", form_class=RepresentativeChangeForm, start=start, form_name="rc_form"
    )


@agent_required
@require_POST
def start_external_manager(request, pk: int):
    def start(*, supply_points, **kwargs):
        return services.start_external_manager(supply_points=list(supply_points), **kwargs)

    return _start(
        request, pk, kind="external_manager", form_class=ExternalManagerForm, start=start, form_name="em_form"
    )


@agent_required
@require_POST
def resend_link(request, pk: int):
    interaction = _own_call(request, pk)
    reference = (request.POST.get("reference") or "").strip().upper()
    form = _resend_form(reference, request.POST) if reference else None
    if form is None or not form.is_valid():
        return _call_page(
            request,
            interaction,
            status=400,
            error=_("The link was not sent: check the e-mail address."),
            resend_forms={reference: form} if form is not None else None,
        )
    try:
        link = services.resend_link(
            interaction=interaction,
            reference=form.cleaned_data["reference"],
            email=form.cleaned_data["email"],
            actor=_actor(request),
        )
    except services.CallError as exc:
        return _call_page(request, interaction, status=400, error=exc.message, resend_forms={reference: form})
    messages.success(
        request,
        _("A new upload link for %(reference)s was e-mailed to %(email)s; the earlier links no longer work.")
        % {"reference": link.reference, "email": link.email},
    )
    return redirect(_call_url(interaction, f"request-{link.reference}"))


@agent_required
@require_POST
def revoke_link(request, pk: int, link_id: int):
    interaction = _own_call(request, pk)
    link = UploadLink.objects.filter(pk=link_id).first()
    if link is None:
        raise Http404
    try:
        link = services.revoke_link(interaction=interaction, link=link, actor=_actor(request))
    except services.CallError as exc:
        return _call_page(request, interaction, status=400, error=exc.message)
    messages.success(request, _("The upload link of %(reference)s was revoked.") % {"reference": link.reference})
    return redirect(_call_url(interaction, f"request-{link.reference}"))


@agent_required
@require_POST
def object_to_request(request, pk: int):
    interaction = _own_call(request, pk)
    reference = (request.POST.get("reference") or "").strip().upper()
    form = _objection_form(reference, request.POST) if reference else None
    if form is None or not form.is_valid():
        return _call_page(
            request,
            interaction,
            status=400,
            error=_("Nothing was put on hold: correct the form below."),
            objection_forms={reference: form} if form is not None else None,
        )
    try:
        process = services.record_objection(
            interaction=interaction,
            reference=form.cleaned_data["reference"],
            note=form.cleaned_data["note"],
            actor=_actor(request),
        )
    except services.CallError as exc:
        return _call_page(request, interaction, status=400, error=exc.message, objection_forms={reference: form})
    messages.success(
        request,
        _("Request %(reference)s is on hold: a supervisor will decide on it.") % {"reference": process.reference},
    )
    return redirect(_call_url(interaction, f"request-{process.reference}"))


@agent_required
@require_POST
def close(request, pk: int):
    interaction = _own_call(request, pk)
    form = CloseCallForm(request.POST)
    if not form.is_valid():
        return _call_page(
            request,
            interaction,
            status=400,
            close_form=form,
            error=_("The call was not closed: correct the form below."),
        )
    try:
        services.close_call(interaction=interaction, actor=_actor(request), **form.cleaned_data)
    except services.CallError as exc:
        return _call_page(request, interaction, status=400, close_form=form, error=exc.message)
    messages.success(request, _("Call with %(customer)s closed.") % {"customer": interaction.customer.name})
    return redirect(_url("index"))


# -- the interaction log -----------------------------------------------------------------


def _customer_by_key(key: str) -> Customer | None:
    if key.isdigit():
        return Customer.objects.filter(pk=int(key)).first()
    return Customer.objects.filter(tax_id=compact(key)).first()


@agent_required
@require_safe
def log(request):
    form = LogFilterForm(request.GET or None)
    customer_key = (request.GET.get("customer") or "").strip()
    agent_key = (request.GET.get("agent") or "").strip()
    customer = agent = None
    problems = []
    if customer_key:
        customer = _customer_by_key(customer_key)
        if customer is None:
            problems.append(_("No customer has the tax id or number “%(key)s”.") % {"key": customer_key})
    if agent_key:
        agent = User.objects.filter(username__iexact=agent_key, is_staff=True).first()
        if agent is None:
            problems.append(_("No staff user is called “%(key)s”.") % {"key": agent_key})
    rows = [] if problems else selectors.interactions(customer=customer, agent=agent)
    return render(
        request,
        "callcenter/log.html",
        {
            "form": form,
            "rows": rows,
            "problems": problems,
            "customer": customer,
            "agent": agent,
            "filtered": bool(customer_key or agent_key),
        },
        status=200,
    )
