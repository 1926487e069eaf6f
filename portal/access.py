"""Request helpers for the customer area: who is asking, from where, and may they."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

import authority
from accounts.models import Person


def current_person(request) -> Person | None:
    return authority.person_of(request.user)


def customer_required(view):
    """Only logged-in customers (never staff accounts) reach the view; ``request.person`` is set."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = current_person(request)
        if person is None:
            if request.user.is_authenticated:
                logout(request)
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        if authority.access_ended(person):
            # Deactivated while logged in: out, with a page that says why (never an empty page).
            logout(request)
            return render(
                request,
                "portal/message.html",
                {
                    "title": _("Your access has ended"),
                    "error": _(
                        "Your access to the customer area has been deactivated. Ask the company's representative to authorise you again."
                    ),
                },
                status=403,
            )
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def customer_authority(request, customer_id: int) -> authority.Authority:
    """What the logged-in person may do on this customer (``authority``); 404 without an active grant
    chain (whether the customer exists is not revealed)."""
    found = authority.authority_of(request.person, customer_id)
    if not found.can_view:
        authority.refused(request.user, action=authority.Action.VIEW, target=f"customer {customer_id}")
        raise Http404
    return found
