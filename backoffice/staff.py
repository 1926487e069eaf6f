"""The staff site: Viewflow's frontend (inbox, queue, archive, process detail with chart) behind its own login.

Staff log in at /staff/login/ with a staff account; a customer account can never
reach anything under /staff/ (403), whatever it types.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowViewset, WorkflowAppViewset

from client_address import client_ip
from accounts import throttle
from authority import is_staff
from callcenter import urls as callcenter_urls
from callcenter.views import may_use_console
from supervision import urls as supervision_urls
from supervision.views import may_supervise
from workflows.flows import ExternalManager, RepresentativeChange

STAFF_PREFIX = "/staff/"
OPEN_PATHS = ("/staff/login/",)


class StaffSite(Site):
    def has_view_permission(self, user, obj=None):
        return is_staff(user)


site = StaffSite(
    title=_("Back office"),
    app_name="staff",
    viewsets=[
        WorkflowAppViewset(
            title=_("Requests"),
            icon="assignment",
            flow_viewsets=[
                FlowViewset(RepresentativeChange, icon="badge"),
                FlowViewset(ExternalManager, icon="business_center"),
            ],
        ),
        # The call-center console (/staff/callcenter/): agents only; every view checks it again.
        Application(
            app_name="callcenter",
            title=_("Call center"),
            icon="support_agent",
            permission=may_use_console,
            menu_template_name="callcenter/menu.html",
            urlpatterns=callcenter_urls.urlpatterns,
        ),
        # The supervisors' pages (/staff/supervision/): requests on hold, a person's identity; every view checks it again.
        Application(
            app_name="supervision",
            title=_("Supervision"),
            icon="supervisor_account",
            permission=may_supervise,
            menu_template_name="supervision/menu.html",
            urlpatterns=supervision_urls.urlpatterns,
        ),
    ],
)


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("This is the staff site. Customers log in at the customer area."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


class StaffLoginView(auth_views.LoginView):
    """Staff login, throttled like every password (``accounts.throttle``: per user name, per name and address, per address)."""

    template_name = "staff/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("staff:index")

    def post(self, request, *args, **kwargs):
        self.tried = throttle.attempt(throttle.STAFF_PASSWORD, identifier=throttle.user_name_key(request.POST.get("username")),
                                      address=client_ip(request))
        if self.tried.locked:
            form = self.authentication_form(request)
            return self.render_to_response(self.get_context_data(form=form, locked=True), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.failed(self.tried)
        return super().form_invalid(form)

    def form_valid(self, form):
        throttle.succeeded(self.tried, reset=True)
        return super().form_valid(form)


class StaffLogoutView(auth_views.LogoutView):
    next_page = "staff_login"


class StaffAreaMiddleware:
    """Anonymous visitors of /staff/ go to the staff login; customer accounts get 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(STAFF_PREFIX) and not path.startswith(OPEN_PATHS) and not path.startswith("/staff/logout/"):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('staff_login')}?next={path}")
            if not is_staff(user):
                raise PermissionDenied
        return self.get_response(request)
