"""The supervisors' pages: the board, requests on hold, stuck work, locks, and a person's identity (correct it,
send the login invitation).

Every view is for staff holding the supervisors' permission (``authority``), checked here on the server
whatever the menu shows. The views parse and render; ``accounts.services`` decides, ``supervision.selectors`` reads.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

import authority
from accounts import services as accounts
from accounts import throttle
from accounts.audit import Actor
from client_address import client_ip
from workflows.services import by_reference

from . import selectors, services
from .forms import IdentityCorrectionForm, PersonSearchForm, ReassignForm, SensitiveForm


def may_supervise(user) -> bool:
    return authority.staff_may(user, authority.StaffAction.SUPERVISE)


def staff_required(action: authority.StaffAction):
    """Anonymous visitors go to the staff login; anyone without ``action`` gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect(f"{reverse('staff_login')}?{urlencode({'next': request.path})}")
            if not authority.staff_may(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request), label="supervisor")


def _person_url(person_id: int) -> str:
    return reverse("staff:supervision:person", args=[person_id])


# -- the board ---------------------------------------------------------------------------------


def _board_page(request, *, reassign_form=None, sensitive_form=None, error: str = "", status: int = 200):
    board = selectors.supervisor_board()
    verifiers = selectors.staff_who_may(authority.StaffAction.VERIFY)
    return render(
        request,
        "supervision/board.html",
        {
            "board": board,
            "reassign_form": reassign_form or ReassignForm(verifications=board.verifications, verifiers=verifiers),
            "sensitive_form": sensitive_form or SensitiveForm(),
            "error": error,
        },
        status=status,
    )


def _board_url() -> str:
    return reverse("staff:supervision:board")


@staff_required(authority.StaffAction.SUPERVISE)
@require_safe
def board(request):
    """Queues per step, ages against the service level, throughput, failed jobs, stuck approvals, holds, health."""
    return _board_page(request)


@staff_required(authority.StaffAction.SUPERVISE)
@require_POST
def reassign(request):
    verifiers = selectors.staff_who_may(authority.StaffAction.VERIFY)
    form = ReassignForm(request.POST, verifications=selectors.open_verifications(), verifiers=verifiers)
    if not form.is_valid():
        return _board_page(
            request, reassign_form=form, status=400, error=_("Nothing was changed: correct the form below.")
        )
    to = next(user for user in verifiers if user.pk == form.cleaned_data["to"])
    try:
        services.reassign_verification(
            task_id=form.cleaned_data["task"], to=to, reason=form.cleaned_data["reason"], actor=_actor(request)
        )
    except services.SupervisionError as exc:
        return _board_page(request, reassign_form=form, status=400, error=exc.message)
    messages.success(
        request, _("The verification was given to %(who)s.") % {"who": to.get_full_name() or to.get_username()}
    )
    return redirect(_board_url())


@staff_required(authority.StaffAction.SUPERVISE)
@require_POST
def set_sensitive(request):
    form = SensitiveForm(request.POST)
    if not form.is_valid():
        return _board_page(
            request, sensitive_form=form, status=400, error=_("Nothing was changed: correct the form below.")
        )
    process = by_reference(form.cleaned_data["reference"])
    if process is None:
        return _board_page(
            request,
            sensitive_form=form,
            status=400,
            error=_("No request has the reference %(reference)s.") % {"reference": form.cleaned_data["reference"]},
        )
    sensitive = form.cleaned_data["change"] == SensitiveForm.SET
    try:
        services.set_sensitive(
            process=process, sensitive=sensitive, reason=form.cleaned_data["reason"], actor=_actor(request)
        )
    except services.SupervisionError as exc:
        return _board_page(request, sensitive_form=form, status=400, error=exc.message)
    names = {"customer": process.customer.name}
    messages.success(
        request,
        _("%(customer)s is now flagged as sensitive: its approvals need a second one.") % names
        if sensitive
        else _("%(customer)s is no longer flagged as sensitive.") % names,
    )
    return redirect(_board_url())


# -- requests on hold --------------------------------------------------------------------


@staff_required(authority.StaffAction.SUPERVISE)
@require_safe
def holds(request):
    return render(request, "supervision/holds.html", {"holds": selectors.requests_on_hold()})


@staff_required(authority.StaffAction.SUPERVISE)
@require_safe
def stuck(request):
    """What reconciliation could not mend: steps in error, e-mails not delivered, messages the broker has not taken."""
    return render(request, "supervision/stuck.html", {"stuck": selectors.stuck_work()})


# -- locks ------------------------------------------------------------------------------------


@staff_required(authority.StaffAction.SUPERVISE)
@require_safe
def locks(request):
    """Every lock the throttle holds now, with how to lift it."""
    return render(request, "supervision/locks.html", {"locks": throttle.active_locks()})


@staff_required(authority.StaffAction.SUPERVISE)
@require_POST
def lift_lock(request):
    scope, key = request.POST.get("scope", ""), request.POST.get("key", "")
    reason = " ".join(request.POST.get("reason", "").split())
    if not scope or not key or len(reason) < 10:
        messages.error(request, _("Write why you are lifting this lock (at least 10 characters)."))
    else:
        throttle.lift(scope=scope, key=key, actor=_actor(request), reason=reason[:300])
        messages.success(request, _("The lock was lifted."))
    return redirect(reverse("staff:supervision:locks"))


# -- a person's identity -----------------------------------------------------------------


@staff_required(authority.StaffAction.CORRECT_IDENTITY)
@require_safe
def people(request):
    """The search box: an exact id number of a known person leads to their page; a name lists the people it
    resembles (the console's name search)."""
    form = PersonSearchForm(request.GET or None)
    not_found, found = "", None
    if form.is_valid():
        typed = form.cleaned_data["id_number"]
        if form.kind == "name":
            found = selectors.people_named(typed)
            if not found:
                not_found = _("Nobody whose name resembles “%(name)s” is known.") % {"name": typed}
        else:
            person = selectors.person_with_id_number(typed)
            if person is not None:
                return redirect(_person_url(person.pk))
            not_found = _("Nobody with the id number %(id_number)s is known.") % {"id_number": typed}
    return render(
        request,
        "supervision/people.html",
        {"form": form, "found": found, "not_found": not_found},
        status=400 if form.errors else 200,
    )


def _identity_or_404(person_id: int) -> selectors.Identity:
    identity = selectors.identity_of(person_id)
    if identity is None:
        raise Http404
    return identity


def _person_page(request, person_id: int, *, form=None, error: str = "", status: int = 200):
    identity = _identity_or_404(person_id)
    return render(
        request,
        "supervision/person.html",
        {
            "identity": identity,
            "person": identity.person,
            "search_form": PersonSearchForm(),
            "form": form or IdentityCorrectionForm.for_person(identity.person),
            "error": error,
        },
        status=status,
    )


@staff_required(authority.StaffAction.CORRECT_IDENTITY)
@require_safe
def person(request, pk: int):
    return _person_page(request, pk)


@staff_required(authority.StaffAction.CORRECT_IDENTITY)
@require_POST
def correct_identity(request, pk: int):
    identity = _identity_or_404(pk)
    form = IdentityCorrectionForm.for_person(identity.person, request.POST)
    if not form.is_valid():
        return _person_page(request, pk, form=form, status=400, error=_("Nothing was changed: correct the form below."))
    try:
        accounts.correct_identity(person=identity.person, actor=_actor(request), **form.cleaned_data)
    except accounts.GrantError as exc:
        return _person_page(request, pk, form=form, status=400, error=exc.message)
    messages.success(request, _("The data of %(name)s were saved.") % {"name": form.cleaned_data["name"]})
    return redirect(_person_url(pk))


@staff_required(authority.StaffAction.CORRECT_IDENTITY)
@require_POST
def send_login_invitation(request, pk: int):
    identity = _identity_or_404(pk)
    try:
        accounts.send_login_invitation(person=identity.person, actor=_actor(request))
    except accounts.GrantError as exc:
        return _person_page(request, pk, status=400, error=exc.message)
    messages.success(request, _("The login invitation was e-mailed to %(email)s.") % {"email": identity.person.email})
    return redirect(_person_url(pk))
