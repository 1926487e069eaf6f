"""Webhook endpoints in the customer area: list, register, one endpoint with its recent deliveries, and the
buttons (test event, new secret, disable / enable, delete). Views parse input, call a selector or a service and
render. An endpoint is its owner's alone: anyone else gets a 404, logged by ``authority.refused``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import authority
from accounts.audit import Actor
from client_address import client_ip
from portal.access import customer_required

from . import selectors, services
from .forms import EndpointForm
from .models import Endpoint

FIELD_OF_ERROR = {"events": "events", "not_allowed": "customer"}


def error_field(error: services.WebhookError) -> str | None:
    """The form field a refusal is about (None: the form as a whole)."""
    return "url" if error.code.startswith("url_") else FIELD_OF_ERROR.get(error.code)


def register_from(form: EndpointForm, *, actor: Actor, reason: str = services.CUSTOMER_AREA) -> tuple[Endpoint, str]:
    """``services.register_endpoint`` with what a valid endpoint form holds (the page's and the API's)."""
    return services.register_endpoint(
        url=form.cleaned_data["url"],
        events=form.cleaned_data["events"],
        customer_id=form.customer_id,
        description=form.cleaned_data["description"],
        actor=actor,
        reason=reason,
    )


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None, label="customer")


def own_endpoint(request, endpoint_id: int) -> Endpoint:
    """The person's own endpoint (the page's and the API's); 404, logged, for any other."""
    endpoint = selectors.endpoint_of(request.person, endpoint_id)
    if endpoint is None:
        authority.refused(request.user, action="manage_webhook", target=f"webhook endpoint {endpoint_id}")
        raise Http404
    return endpoint


@customer_required
@require_safe
def endpoints(request):
    return render(request, "webhooks/endpoints.html", {"endpoints": selectors.endpoints_of(request.person)})


@customer_required
@require_http_methods(["GET", "POST"])
def new_endpoint(request):
    """Register an endpoint; its secret is shown on the answer to the POST, and never again."""
    form = EndpointForm(request.POST or None, authorities=authority.authorities_of(request.person))
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = register_from(form, actor=_actor(request))
        except services.WebhookError as error:
            form.add_error(error_field(error), ValidationError(error.message, code=error.code))
        else:
            return render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "created": True})
    return render(request, "webhooks/new.html", {"form": form})


@customer_required
@require_safe
def endpoint_detail(request, endpoint_id: int):
    endpoint = own_endpoint(request, endpoint_id)
    return render(
        request,
        "webhooks/endpoint.html",
        {"endpoint": endpoint, "deliveries": selectors.recent_deliveries(endpoint)},
    )


@customer_required
@require_POST
def rotate_secret(request, endpoint_id: int):
    endpoint = own_endpoint(request, endpoint_id)
    secret = services.rotate_secret(endpoint=endpoint, actor=_actor(request))
    return render(request, "webhooks/secret.html", {"endpoint": endpoint, "secret": secret, "created": False})


@customer_required
@require_POST
def send_test(request, endpoint_id: int):
    endpoint = own_endpoint(request, endpoint_id)
    try:
        services.send_test_event(endpoint=endpoint, actor=_actor(request))
    except services.WebhookError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Test event sent. Its delivery shows below in a few seconds."))
    return redirect("webhooks:endpoint", endpoint_id=endpoint.pk)


@customer_required
@require_POST
def set_active(request, endpoint_id: int):
    endpoint = own_endpoint(request, endpoint_id)
    active = request.POST.get("active") == "1"
    services.set_active(endpoint=endpoint, active=active, actor=_actor(request))
    messages.success(
        request, _("The endpoint is enabled again.") if active else _("The endpoint is disabled: nothing is sent.")
    )
    return redirect("webhooks:endpoint", endpoint_id=endpoint.pk)


@customer_required
@require_POST
def delete_endpoint(request, endpoint_id: int):
    endpoint = own_endpoint(request, endpoint_id)
    services.delete_endpoint(endpoint=endpoint, actor=_actor(request))
    messages.success(request, _("The endpoint was deleted."))
    return redirect("webhooks:endpoints")
