"""The firm's workspace: the companies table, one company's page, "needs my action" and the collaborator batch.

Views only parse input, call a selector or a service and render; who may see or do what is ``authority``'s answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

import authority
from accounts.audit import Actor
from accounts.services import BatchRefused
from client_address import client_ip

from . import selectors, services
from .access import customer_authority, customer_required
from .workspace_forms import CollaboratorBatchForm

PAGE_SIZE = 50


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None, label="customer")


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _sort(request, allowed, default: str) -> str:
    sort = request.GET.get("sort", "") or default
    return sort if sort.lstrip("-") in allowed else default


# -- the companies table (the customer area's home) -------------------------------------------


@customer_required
def companies(request):
    """Every company the person may act for: search by name, CIF or CUPS, sort, pages of 50; and what needs them."""
    authorities = authority.authorities_of(request.person)
    search = request.GET.get("q", "").strip()[:100]
    sort = _sort(request, selectors.COMPANY_SORTS, "name")
    rows = selectors.companies(request.person, authorities, search=search, sort=sort)
    page = _page(request, rows)
    selectors.add_previews(page.object_list)
    return render(
        request,
        "portal/supplies.html",
        {
            "page": page,
            "search": search,
            "sort": sort,
            "companies_total": sum(1 for a in authorities.values() if a.can_view),
            "todo": selectors.needs_action(request.person, authorities),
            "may_batch": any(a.can_manage_collaborators for a in authorities.values()),
        },
    )


@customer_required
def company(request, customer_id: int):
    """One company: its supply points within reach (pages of 50) and what the person may do there."""
    found = customer_authority(request, customer_id)
    return render(
        request,
        "portal/workspace/company.html",
        {
            "caps": found,
            "customer": found.grant.customer,
            "page": _page(request, selectors.supply_points_of(found)),
            "may_start_representative_change": found.may_start("representative_change"),
            "may_start_external_manager": found.may_start("external_manager"),
        },
    )


@customer_required
def needs_action(request):
    """What waits for the person across their companies, each item linking to where it is done."""
    authorities = authority.authorities_of(request.person)
    return render(
        request, "portal/workspace/actions.html", {"todo": selectors.needs_action(request.person, authorities)}
    )


# -- a collaborator on many companies at once ---------------------------------------------------


def batch_form(request, authorities, data=None) -> CollaboratorBatchForm:
    """The batch form over the companies the person manages collaborators on (the page's and the API's)."""
    managed = {cid: a for cid, a in authorities.items() if a.can_manage_collaborators}
    search = ((data or {}).get("q") or "").strip()[:100]
    matching = [row.customer for row in selectors.companies(request.person, managed, search=search)] if search else []
    return CollaboratorBatchForm(
        data,
        companies=[a.grant.customer for a in sorted(managed.values(), key=lambda a: a.grant.customer.name)],
        collaborators=selectors.collaborators_of(request.person, authorities),
        matching=matching,
    )


def batch_authorities(request) -> dict[int, authority.Authority]:
    """The person's authorities, when they manage collaborators somewhere; 404 (logged) otherwise."""
    authorities = authority.authorities_of(request.person)
    if not any(a.can_manage_collaborators for a in authorities.values()):
        authority.refused(request.user, action=authority.Action.MANAGE_COLLABORATORS, target="collaborator batch")
        raise Http404
    return authorities


@customer_required
@require_http_methods(["GET", "POST"])
def collaborator_batch(request):
    """Step 1 (GET): pick companies and a collaborator. Step 2 (POST): confirm the list. Step 3 (POST with
    ``confirm``): the service applies it, asking ``authority`` again for every company."""
    authorities = batch_authorities(request)
    search = request.GET.get("q", "").strip()[:100]
    managed = {cid: a for cid, a in authorities.items() if a.can_manage_collaborators}
    if request.method == "GET":
        rows = selectors.companies(request.person, managed, search=search, sort=_sort(request, {"name"}, "name"))
        return render(
            request,
            "portal/workspace/batch.html",
            {
                "form": batch_form(request, authorities),
                "page": _page(request, rows),
                "search": search,
                "batches": selectors.batches_of(request.person),
            },
        )
    form = batch_form(request, authorities, request.POST)
    if not form.is_valid():
        rows = selectors.companies(request.person, managed, search=form.data.get("q", ""))
        return render(
            request,
            "portal/workspace/batch.html",
            {"form": form, "page": _page(request, rows), "search": form.data.get("q", ""), "batches": []},
            status=400,
        )
    if not request.POST.get("confirm"):
        return render(request, "portal/workspace/batch_confirm.html", {"form": form})
    data = form.cleaned_data
    try:
        batch = services.apply_collaborator_batch(
            manager=request.person,
            collaborator_id_number=form.collaborator_id_number,
            collaborator_name=data.get("name") or "",
            collaborator_email=data.get("email") or "",
            role=data.get("role") or "",
            customers=data["customer_ids"],
            add=data["action"] == "add",
            actor=_actor(request),
        )
    except BatchRefused as error:
        return render(
            request, "portal/workspace/batch_confirm.html", {"form": form, "error": error.message}, status=400
        )
    messages.success(request, _("Done. You can undo this change from this page."))
    return redirect("portal:collaborator_batch_detail", reference=batch.reference)


@customer_required
def collaborator_batch_detail(request, reference: str):
    batch_authorities(request)
    batch = selectors.batch_of(request.person, reference)
    if batch is None:
        raise Http404
    return render(
        request, "portal/workspace/batch_detail.html", {"batch": batch, "items": selectors.batch_items(batch)}
    )


@customer_required
@require_POST
def undo_collaborator_batch(request, reference: str):
    batch_authorities(request)
    batch = selectors.batch_of(request.person, reference)
    if batch is None:
        raise Http404
    try:
        result = services.undo_batch(batch=batch, manager=request.person, actor=_actor(request))
    except BatchRefused as error:
        messages.error(request, error.message)
    else:
        count = len(result.undone)
        messages.success(
            request,
            ngettext(
                "The change was undone on %(count)d company.", "The change was undone on %(count)d companies.", count
            )
            % {"count": count},
        )
        if result.changed_since:
            messages.warning(
                request,
                _("Left as they are, because they changed since: %(companies)s.")
                % {"companies": ", ".join(item.customer.name for item in result.changed_since)},
            )
    return redirect("portal:collaborator_batch_detail", reference=reference)
