"""The supervisors' pages: requests on hold, and a person's identity (correct it, send the login invitation).

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

from . import selectors
from .forms import IdentityCorrectionForm, PersonSearchForm


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
    """The search box; an exact id number of a known person leads to their page."""
    form = PersonSearchForm(request.GET or None)
    not_found = ""
    if form.is_valid():
        person = selectors.person_with_id_number(form.cleaned_data["id_number"])
        if person is not None:
            return redirect(_person_url(person.pk))
        not_found = _("Nobody with the id number %(id_number)s is known.") % {
            "id_number": form.cleaned_data["id_number"]
        }
    return render(
        request, "supervision/people.html", {"form": form, "not_found": not_found}, status=400 if form.errors else 200
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
