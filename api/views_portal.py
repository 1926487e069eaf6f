"""The customer area's page for personal access tokens: create (shown once), list with last use, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.audit import Actor
from client_address import client_ip
from portal.access import customer_required

from . import services
from .forms import TokenForm
from .models import PersonalAccessToken


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None, label="customer")


#: Where the new token waits, in the session, for the one page that shows it (POST, redirect, GET: a reload
#: neither makes a second token nor shows this one again).
NEW_TOKEN = "api_new_token"


@customer_required
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "GET" and NEW_TOKEN in request.session:
        shown = request.session.pop(NEW_TOKEN)
        token = PersonalAccessToken.objects.filter(person=request.person, pk=shown["id"]).first()
        created = {"token": token, "secret": shown["secret"]} if token is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_token(
                person=request.person,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_at=form.expires_at(),
                actor=_actor(request),
            )
        except services.TokenRequestError as error:
            form.add_error(None, error.message)
        else:
            request.session[NEW_TOKEN] = {"id": token.pk, "secret": secret}
            return redirect("api_portal:tokens")
    rows = PersonalAccessToken.objects.filter(person=request.person).order_by("-created_at", "-pk")
    return render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": rows},
        status=400 if form.errors else 200,
    )


@customer_required
@require_POST
def revoke(request, token_id: int):
    token = PersonalAccessToken.objects.filter(person=request.person, pk=token_id).first()
    if token is None:
        return render(
            request, "portal/message.html", {"title": _("API tokens"), "error": _("No such token.")}, status=404
        )
    services.revoke_token(token=token, actor=_actor(request))
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("api_portal:tokens")
