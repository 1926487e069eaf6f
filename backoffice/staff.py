"""The staff site: Viewflow's frontend (inbox, queue, archive, process detail with chart) behind its own login.

Staff log in at /staff/login/ with a staff account and then a second factor (``accounts.mfa``): a user
without a TOTP device enrols at /staff/mfa/enrol/ and gets recovery codes; others give a code at
/staff/mfa/verify/. No other staff page opens before that. A customer account can never reach anything
under /staff/ (403), whatever it types.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from django_otp import login as otp_login
from viewflow.urls import Application, Site
from viewflow.workflow.flow import FlowViewset, WorkflowAppViewset
from viewflow.workflow.flow.views.list import (
    WorkflowArchiveListView,
    WorkflowInboxListView,
    WorkflowQueueListView,
)

from accounts import mfa, throttle
from accounts.audit import Actor
from authority import StaffAction, is_staff, staff_may
from callcenter import urls as callcenter_urls
from callcenter.views import may_use_console
from client_address import client_ip
from supervision import urls as supervision_urls
from supervision.views import may_supervise
from workflows import worklist
from workflows.flows import ExternalManager, RepresentativeChange

STAFF_PREFIX = "/staff/"
OPEN_PATHS = ("/staff/login/", "/staff/logout/")  # to anyone
MFA_PATHS = ("/staff/mfa/",)  # to staff who gave their password


def landing_url(user) -> str:
    """Where a staff user starts their day: an agent at the console, a supervisor at the board, a verifier at the
    queue of work they may take; anyone else at the inbox (which tells them they may not see it)."""
    if staff_may(user, StaffAction.USE_CONSOLE) and not staff_may(user, StaffAction.VERIFY):
        return reverse("staff:callcenter:index")
    if staff_may(user, StaffAction.SUPERVISE):
        return reverse("staff:supervision:board")
    if staff_may(user, StaffAction.VERIFY):
        return reverse("staff:workflow:worklist")
    return reverse("staff:workflow:inbox")


def staff_home(request):
    return redirect(landing_url(request.user))


class StaffSite(Site):
    def has_view_permission(self, user, obj=None):
        return is_staff(user)

    @property
    def index_path(self):
        """/staff/ opens the page of the person's role (Viewflow's would open the first application: the inbox)."""
        return path("", staff_home, name="index")


class StaffTaskList:
    """Viewflow's inbox, queue and archive as staff see them: without the "+" (start a process) button, since our
    requests start in the customer area or at the call-center console, never from an empty Viewflow form; and with
    the column titles Viewflow leaves in English (it makes them from the method names) translated."""

    template_name = "viewflow/views/list.html"

    def brief(self, task):
        return task.brief

    brief.short_description = _("Brief")

    def process_brief(self, task):
        return super().process_brief(task)

    process_brief.short_description = _("Process brief")


class StaffInbox(StaffTaskList, WorkflowInboxListView):
    pass


class StaffQueue(StaffTaskList, WorkflowQueueListView):
    pass


class StaffArchive(StaffTaskList, WorkflowArchiveListView):
    pass


class RequestsViewset(WorkflowAppViewset):
    """Viewflow's requests application, with the work queue (``workflows.worklist``) and its numbers on the menu."""

    inbox_view_class = StaffInbox
    queue_view_class = StaffQueue
    archive_view_class = StaffArchive
    menu_template_name = "workflows/worklist/menu.html"

    def get_context_data(self, request):
        return super().get_context_data(request) | {"worklist_counts": worklist.menu_counts(request.user)}

    @property
    def index_path(self):
        """/staff/workflow/ opens the work queue for those who decide, the inbox for anyone else (an agent)."""
        return path("", requests_home, name="index")


def requests_home(request):
    if staff_may(request.user, StaffAction.VERIFY):
        return redirect("staff:workflow:worklist")
    return redirect("staff:workflow:inbox")


site = StaffSite(
    title=_("Back office"),
    app_name="staff",
    viewsets=[
        RequestsViewset(
            title=_("Requests"),
            icon="assignment",
            urlpatterns=worklist.urlpatterns,
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

    def get_success_url(self):
        return second_factor_url(self.request.user, next_url=super().get_success_url())

    def post(self, request, *args, **kwargs):
        self.tried = throttle.attempt(
            throttle.STAFF_PASSWORD,
            identifier=throttle.user_name_key(request.POST.get("username")),
            address=client_ip(request),
        )
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


def second_factor_url(user, *, next_url: str) -> str:
    """Where a staff user who gave only the password goes: enrolment the first time, the code page afterwards."""
    name = "staff_mfa_verify" if mfa.has_confirmed_totp(user) else "staff_mfa_enrol"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(max_length=40, strip=True)


class SecondFactorView(FormView):
    """A code for the signed-in staff user, counted by ``accounts.throttle`` (secret ``staff_otp``, keyed on the
    user) before it is checked; a right code marks the session verified (``django_otp.login``)."""

    form_class = OneTimeCodeForm

    def next_url(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return reverse("staff:index")

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.next_url(), **kwargs)

    def form_valid(self, form):
        request = self.request
        tried = throttle.attempt(throttle.STAFF_OTP, identifier=str(request.user.pk), address=client_ip(request))
        if tried.locked:
            return self.render_to_response(self.get_context_data(form=form, locked=True), status=429)
        response = self.check(form.cleaned_data["code"])
        if response is None:
            throttle.failed(tried)
            return self.render_to_response(self.get_context_data(form=form, wrong=True), status=200)
        throttle.succeeded(tried, reset=True)
        return response

    def check(self, code: str):
        """The response for a right ``code``, or None."""
        raise NotImplementedError


class StaffMfaEnrolView(SecondFactorView):
    """First login: a TOTP device is set up and confirmed with a code; the recovery codes are shown once."""

    template_name = "staff/mfa_enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if mfa.has_confirmed_totp(request.user):  # a password alone never replaces an enrolled device
            return redirect(second_factor_url(request.user, next_url=self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = mfa.pending_totp_device(self.request.user)
        return super().get_context_data(secret=mfa.shown_secret(device), config_url=device.config_url, **kwargs)

    def check(self, code):
        user = self.request.user
        enrolment = mfa.confirm_enrolment(
            user=user, token=code, actor=Actor(user=user, ip=client_ip(self.request), label="staff")
        )
        if enrolment is None:
            return None
        otp_login(self.request, enrolment.device)
        return self.response_class(
            request=self.request,
            template=["staff/mfa_recovery_codes.html"],
            context={"codes": enrolment.recovery_codes, "next": self.next_url()},
            using=self.template_engine,
        )


class StaffMfaVerifyView(SecondFactorView):
    """Later logins: a current TOTP code or an unused recovery code."""

    template_name = "staff/mfa_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not mfa.has_confirmed_totp(request.user):
            return redirect(second_factor_url(request.user, next_url=self.next_url()))
        return super().dispatch(request, *args, **kwargs)

    def check(self, code):
        device = mfa.verified_device(user=self.request.user, token=code)
        if device is None:
            return None
        otp_login(self.request, device)
        return redirect(self.next_url())


class StaffAreaMiddleware:
    """Anonymous visitors of /staff/ go to the staff login; customer accounts get 403; staff who gave only
    their password go to the second factor (only the MFA pages open before it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(STAFF_PREFIX) and not path.startswith(OPEN_PATHS):
            user = request.user
            if not user.is_authenticated:
                return redirect(f"{reverse('staff_login')}?next={path}")
            if not is_staff(user):
                raise PermissionDenied
            if not path.startswith(MFA_PATHS) and not user.is_verified():
                return redirect(second_factor_url(user, next_url=request.get_full_path()))
        return self.get_response(request)
