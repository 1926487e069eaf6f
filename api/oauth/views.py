"""The consent page (django-oauth-toolkit's authorize view, in the customer area), and the customer area's page of
the apps a person has let in, where they take that back."""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from oauth2_provider.views import AuthorizationView, TokenView

from accounts.audit import Actor
from client_address import client_ip
from portal.access import customer_required

from . import services

#: What each scope lets an app do, in the words of the personal tokens' page.
SCOPE_WORDS = {
    "read": gettext_lazy("Read only: see companies, supplies, invoices and requests"),
    "write": gettext_lazy("Read and write: also manage contacts and requests, as you can"),
}


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None, label="customer")


class ConsentView(AuthorizationView):
    """GET: the app's name and what it asks, with Allow and Deny. POST: django-oauth-toolkit issues the code (or the
    refusal) and sends the browser back to the app's registered redirect URI, and nowhere else.

    Only a customer logged in to the customer area reaches it: someone logged out is sent to the login page and
    back here; a staff account, or a person whose access ended, gets what every customer page gives them."""

    template_name = "api/oauth_authorize.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()  # to the login page, then back here with the whole query
        return customer_required(super().dispatch)(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "approval_prompt" in request.GET:  # the person is asked every time, whatever the app asks for
            request.GET = request.GET.copy()
            del request.GET["approval_prompt"]
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["scope_words"] = [SCOPE_WORDS[scope] for scope in context.get("scopes", []) if scope in SCOPE_WORDS]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        redirect_uri = context.get("redirect_uri")
        if not redirect_uri or context.get("error"):
            return response
        # The answer to the form's POST redirects to the app: a browser enforcing form-action on redirects must be
        # told that this one registered address (already checked against the app) is a form's destination too.
        parts = urlsplit(redirect_uri)
        origin = f"{parts.scheme}://{parts.netloc}"
        return csp_update({"form-action": [origin]})(lambda request: response)(self.request)

    @method_decorator(transaction.atomic)  # the code and the audit event of the consent commit together
    def form_valid(self, form):
        self.success_url = None
        response = super().form_valid(form)
        if form.cleaned_data.get("allow") and self.success_url:
            application = services.Application.objects.get(client_id=form.cleaned_data["client_id"])
            services.note_consent(
                person=self.request.person,
                application=application,
                scopes=form.cleaned_data.get("scope", "").split(),
                actor=_actor(self.request),
            )
        return response


class CodeAndRefreshTokenView(TokenView):
    """The token endpoint, every grant through ``server.CustomerAppServer`` (django-oauth-toolkit's own view sends
    the device flow's grant past it)."""

    def post(self, request, *args, **kwargs):
        return self.authorization_flow_token_response(request)


@customer_required
def apps(request):
    return render(request, "api/oauth_apps.html", {"apps": services.authorised_apps(request.person)})


@customer_required
@require_POST
def revoke(request, application_id: int):
    found = [
        app.application for app in services.authorised_apps(request.person) if app.application.pk == application_id
    ]
    application = found[0] if found else None
    if application is None:  # unknown, or not an app this person let in: the same answer
        return render(
            request, "portal/message.html", {"title": _("Authorised apps"), "error": _("No such app.")}, status=404
        )
    services.revoke_app(person=request.person, application=application, actor=_actor(request))
    messages.success(request, _("%(name)s can no longer use your access.") % {"name": application.name})
    return redirect("oauth_portal:apps")
