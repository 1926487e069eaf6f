"""Customer-area views: parse input, call a service or selector, render."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext
from django.views.decorators.http import require_http_methods, require_POST

import authority
from accounts import selectors, services, throttle
from accounts.audit import Actor
from accounts.identifiers import mask_id_number
from accounts.models import Customer, Grant, Person
from accounts.notifications import send_after_commit
from client_address import client_ip

from .access import current_person, customer_authority, customer_required
from .forms import (
    AddContactForm,
    ChangeRoleForm,
    ContactDataForm,
    EmailChangeForm,
    ForgotPasswordForm,
    HolderProofForm,
    InvitationForm,
    LoginForm,
    OwnPasswordForm,
    PasswordForm,
    ProfileForm,
)
from .services import (
    CONTACT_OUTCOMES,
    ContactOutcome,
    add_contact_outcome,
    change_contact_role_outcome,
    deactivate_contact_outcome,
)

GENERIC_LOGIN_ERROR = gettext_noop("The NIF, NIE or passport or the password is not correct.")
GENERIC_PROOF_ERROR = gettext_noop("The details do not match our records for this contract holder.")
SESSION_REGISTRATION = "registration"


def _locked_message() -> str:
    return ngettext(
        "Too many failed attempts. For your security, try again in %(minutes)d minute or call us on %(phones)s.",
        "Too many failed attempts. For your security, try again in %(minutes)d minutes or call us on %(phones)s.",
        settings.LOCKOUT_MINUTES,
    ) % {"minutes": settings.LOCKOUT_MINUTES, "phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}


def _actor(request) -> Actor:
    return Actor(user=request.user if request.user.is_authenticated else None, ip=client_ip(request) or None)


# The day the accessibility statement was last reviewed against WCAG 2.1 AA (change it with the statement).
ACCESSIBILITY_REVIEWED_ON = date(2026, 12, 7)


def accessibility(request):
    """The accessibility statement: open to everyone, signed in or not."""
    return render(request, "portal/accessibility.html", {"reviewed_on": ACCESSIBILITY_REVIEWED_ON})


def home(request):
    if current_person(request):
        return redirect("portal:supplies")
    return redirect("portal:login")


def login_view(request):
    form = LoginForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        id_number, password = form.cleaned_data["id_number"], form.cleaned_data["password"]
        tried = throttle.attempt(throttle.PASSWORD, identifier=id_number, address=ip)
        if tried.locked:
            form.add_error(None, _locked_message())
        else:
            user = authenticate(request, username=id_number, password=password)
            person = Person.objects.filter(user=user).first() if user is not None and not user.is_staff else None
            if person is None and services.pending_registration(id_number=id_number, password=password):
                # The right password of a registration not confirmed yet: say so; it is no failed guess.
                throttle.succeeded(tried)
                return render(
                    request,
                    "portal/login.html",
                    {"form": form, "next": "", "unconfirmed": True},
                    status=400,
                )
            if person is None:
                throttle.failed(tried)
                form.add_error(None, _(GENERIC_LOGIN_ERROR))
            elif authority.access_ended(person):
                throttle.succeeded(tried, reset=True)
                form.add_error(
                    None,
                    _(
                        "Your access to the customer area has been deactivated. Ask the company's representative to authorise you again."
                    ),
                )
            else:
                throttle.succeeded(tried, reset=True)
                login(request, user)
                target = request.POST.get("next") or request.GET.get("next") or ""
                if not url_has_allowed_host_and_scheme(
                    target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    target = reverse("portal:supplies")
                return HttpResponseRedirect(target)
    return render(request, "portal/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("portal:login")


# -- registration in four steps -------------------------------------------------------------


def register_holder(request):
    """Step 1: the contract holder plus the weak secret that proves the caller knows the account."""
    form = HolderProofForm(request.POST or None)
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        holder_id = form.cleaned_data["holder_id"]
        tried = throttle.attempt(throttle.HOLDER_PROOF, identifier=holder_id, address=ip)
        if tried.locked:
            form.add_error(None, _locked_message())
        else:
            customer = selectors.holder_by_tax_id(holder_id)
            ok = customer is not None and selectors.proof_matches(
                customer=customer,
                bank_last4=form.cleaned_data["bank_last4"],
                invoice_total=form.cleaned_data["invoice_total"],
            )
            if not ok:
                throttle.failed(tried)
                form.add_error(None, _(GENERIC_PROOF_ERROR))
            else:
                throttle.succeeded(tried)
                request.session[SESSION_REGISTRATION] = {"customer_id": customer.pk}
                return redirect("portal:register_contact")
    return render(request, "portal/register_holder.html", {"form": form, "step": 1})


def _registration(request) -> dict | None:
    return request.session.get(SESSION_REGISTRATION)


def register_contact(request):
    """Step 2: who is registering; only the representative the account store already names."""
    state = _registration(request)
    if not state:
        messages.info(request, _("Start with the contract holder's details."))
        return redirect("portal:register")
    customer = get_object_or_404(Customer, pk=state["customer_id"])
    form = ContactDataForm(request.POST or None, initial=state.get("contact"))
    ip = client_ip(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        representative = (
            customer.grants.select_related("person")
            .filter(role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True)
            .first()
        )
        # Guessing the representative's NIF counts like guessing the holder's proof: one counter for both.
        tried = throttle.attempt(throttle.HOLDER_PROOF, identifier=customer.tax_id, address=ip)
        right_person = representative is not None and representative.person.id_number == data["id_number"]
        if right_person:
            throttle.succeeded(tried)
        if tried.locked:
            del request.session[SESSION_REGISTRATION]
            form.add_error(None, _locked_message())
        elif not right_person:
            throttle.failed(tried)
            form.add_error(
                None,
                _(
                    "Our records name another person as the representative of this customer. To become its representative, "
                    "the current representative can ask for a change of representative from the customer area, or call us on %(phones)s "
                    "and we will start it for you. If someone has authorised you, use the link in their invitation e-mail."
                )
                % {"phones": settings.CUSTOMER_SERVICE_PHONES_TEXT},
            )
        elif representative.person.user_id is not None:
            form.add_error(
                None,
                _('You are already registered. Log in with your NIF and password, or use "Forgot your password?".'),
            )
        else:
            try:
                services.refuse_registration_beyond(representative.person, customer)
            except services.GrantError as error:
                form.add_error(None, error.message)
            else:
                state["contact"] = data
                request.session[SESSION_REGISTRATION] = state
                return redirect("portal:register_password")
    return render(request, "portal/register_contact.html", {"form": form, "step": 2, "customer": customer})


def register_password(request):
    """Step 3: a strong password; then the confirmation e-mail (step 4)."""
    state = _registration(request)
    if not state or "contact" not in state:
        return redirect("portal:register_contact" if state else "portal:register")
    contact = state["contact"]
    form = PasswordForm(
        request.POST or None,
        user_attributes={"username": contact["id_number"], "email": contact["email"], "name": contact["name"]},
    )
    if request.method == "POST" and form.is_valid():
        customer = get_object_or_404(Customer, pk=state["customer_id"])
        person = get_object_or_404(Person, id_number=contact["id_number"])
        language = translation.get_language()
        try:
            with transaction.atomic():
                token = services.start_registration(
                    customer=customer,
                    person=person,
                    name=contact["name"],
                    email=contact["email"],
                    phone=contact["phone"],
                    password=form.cleaned_data["password1"],
                    language=language,
                )
                send_after_commit(
                    to=contact["email"],
                    template="confirm_registration",
                    language=language,
                    context={"name": contact["name"], "link": reverse("portal:register_confirm", args=[token])},
                )
        except services.GrantError as error:
            form.add_error(None, error.message)
        else:
            del request.session[SESSION_REGISTRATION]
            return render(request, "portal/register_sent.html", {"step": 4, "email": contact["email"]})
    return render(request, "portal/register_password.html", {"form": form, "step": 3})


def register_confirm(request, token: str):
    if request.method == "POST":
        try:
            services.confirm_registration(token=token, actor_ip=client_ip(request) or None)
        except services.TokenError as error:
            return render(
                request, "portal/message.html", {"title": _("Registration"), "error": error.message}, status=400
            )
        messages.success(request, _("Your registration is complete. You can now log in."))
        return redirect("portal:login")
    # A GET only shows a button: mail scanners that open links must not confirm registrations.
    return render(request, "portal/register_confirm.html", {"token": token})


@require_POST
def resend_confirmation(request):
    """A new confirmation e-mail for a registration not confirmed yet; the same answer whether there is one."""
    form = ForgotPasswordForm(request.POST)
    if form.is_valid():
        id_number = form.cleaned_data["id_number"]
        # Each ask may send an e-mail: counted like a password reset, and limited.
        if throttle.attempt(throttle.PASSWORD_RESET, identifier=id_number, address=client_ip(request)).locked:
            return render(request, "portal/message.html", {"title": _("Registration"), "error": _locked_message()})
        services.resend_registration_confirmation(id_number=id_number, actor_ip=client_ip(request) or None)
    return render(
        request,
        "portal/message.html",
        {
            "title": _("Registration"),
            "text": _(
                "If a registration with this NIF is waiting for its confirmation, we have sent a new link to the "
                "e-mail address it gave. The previous link no longer works."
            ),
        },
    )


# -- password reset ---------------------------------------------------------------------------


def forgot_password(request):
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        # Every ask counts (it sends an e-mail), whether or not the NIF is known: the same answer either way.
        if throttle.attempt(throttle.PASSWORD_RESET, identifier=form.cleaned_data["id_number"], address=ip).locked:
            form.add_error(None, _locked_message())
        else:
            services.ask_password_reset(id_number=form.cleaned_data["id_number"])
            # The same answer whether or not the person exists.
            return render(
                request,
                "portal/message.html",
                {
                    "title": _("Forgot your password?"),
                    "text": _(
                        "If this NIF belongs to a registered user, we have sent an e-mail with a link to choose a new password."
                    ),
                },
            )
    return render(request, "portal/forgot_password.html", {"form": form})


# -- after login ------------------------------------------------------------------------------


@customer_required
def contacts(request, customer_id: int):
    caps = customer_authority(request, customer_id)
    customer = caps.grant.customer
    form = AddContactForm(request.POST or None)
    if request.method == "POST":
        if not caps.can_change:
            return _refuse(request)
        if form.is_valid():
            # Each contact added may send an e-mail from the utility: counted, and limited per person.
            outcome = add_contact_outcome(
                by_grant=caps.grant,
                data=form.cleaned_data,
                person=request.person,
                address=client_ip(request),
                actor=_actor(request),
                reason="portal: add contact",
            )
            if outcome.code != "changed":
                form.add_error(None, outcome.message)
            else:
                _show(request, outcome)
                return redirect("portal:contacts", customer_id=customer.pk)
    rows = [
        {
            "grant": grant,
            "may_edit": caps.may_edit(grant),
            "may_change_role": caps.may_change_role(grant),
            # Invited, but no login set up yet: shown as pending, with "send again" and "withdraw".
            "pending": grant.person.user_id is None,
            "id_number": grant.person.id_number
            if caps.sees_identity_of(grant)
            else mask_id_number(grant.person.id_number),
        }
        for grant in selectors.contacts_of(customer.pk)
    ]
    return render(
        request,
        "portal/contacts.html",
        {
            "customer": customer,
            "caps": caps,
            "rows": rows,
            "form": form,
            "role_form": ChangeRoleForm(),
            "role_table": role_table(),
        },
        status=400 if form.errors else 200,
    )


# What each authority.Action is called on the contacts page's table of roles (the rule itself is authority's).
ACTION_WORDS = {
    authority.Action.VIEW: gettext_lazy("See the supply points, contracts and invoices"),
    authority.Action.VIEW_CONTACTS: gettext_lazy("See who else has access"),
    authority.Action.VIEW_REQUESTS: gettext_lazy("Follow every request on the company"),
    authority.Action.START_REPRESENTATIVE_CHANGE: gettext_lazy("Ask for a change of representative"),
    authority.Action.START_EXTERNAL_MANAGER: gettext_lazy("Register an external manager firm"),
    authority.Action.CHANGE_PAYMENT_DAY: gettext_lazy("Change the direct-debit day"),
    authority.Action.MANAGE_CONTACTS: gettext_lazy("Add, change and deactivate authorised contacts"),
    authority.Action.MANAGE_COLLABORATORS: gettext_lazy("Authorise the firm's own collaborators"),
}
COLLABORATOR = gettext_lazy("Collaborator of an external manager")


def role_table() -> dict:
    """Who may do what, read from ``authority.ROLE_ACTIONS`` and ``COLLABORATOR_ACTIONS``: one column per role."""
    columns = [(label, authority.ROLE_ACTIONS[role]) for role, label in Grant.Role.choices]
    columns.append((COLLABORATOR, authority.COLLABORATOR_ACTIONS))
    return {
        "roles": [label for label, _actions in columns],
        "rows": [
            (words, [(label, action in actions) for label, actions in columns])
            for action, words in ACTION_WORDS.items()
        ],
    }


def editable_grant(request, customer_id: int, grant_id: int) -> tuple[authority.Authority, Grant]:
    caps = customer_authority(request, customer_id)
    target = get_object_or_404(Grant.objects.select_related("person", "customer"), pk=grant_id, customer_id=customer_id)
    return caps, target


def _show(request, outcome: ContactOutcome) -> None:
    messages.add_message(request, CONTACT_OUTCOMES[outcome.code][0], outcome.message)


@customer_required
@require_POST
def change_contact_role(request, customer_id: int, grant_id: int):
    caps, target = editable_grant(request, customer_id, grant_id)
    if not caps.may_change_role(target):
        return _refuse(request)
    form = ChangeRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("role", [])))
    else:
        _show(
            request,
            change_contact_role_outcome(
                target=target, role=form.cleaned_data["role"], actor=_actor(request), reason="portal: change role"
            ),
        )
    return redirect("portal:contacts", customer_id=customer_id)


@customer_required
@require_http_methods(["GET", "POST"])
def deactivate_contact(request, customer_id: int, grant_id: int):
    """A page naming everything the deactivation ends (collaborators of a manager too, by name); the POST ends it
    and the service tells each of those people by e-mail."""
    caps, target = editable_grant(request, customer_id, grant_id)
    if not caps.may_edit(target):
        return _refuse(request)
    if request.method == "GET":
        ending = services.access_ending_with(target)
        return render(
            request,
            "portal/deactivate_confirm.html",
            {"customer": target.customer, "target": target, "collaborators": ending[1:]},
        )
    _show(
        request, deactivate_contact_outcome(target=target, actor=_actor(request), reason="portal: deactivate contact")
    )
    return redirect("portal:contacts", customer_id=customer_id)


@customer_required
@require_POST
def resend_invitation(request, customer_id: int, grant_id: int):
    """A new invitation link for a contact who has not set up their login yet (counted like adding a contact)."""
    caps, target = editable_grant(request, customer_id, grant_id)
    if not caps.may_edit(target):
        return _refuse(request)
    tried = throttle.attempt(throttle.INVITATION, identifier=str(request.person.pk), address=client_ip(request))
    if tried.locked:
        messages.error(
            request,
            _("You have sent many invitations in a short time. Try again in %(minutes)d minutes.")
            % {"minutes": settings.LOCKOUT_MINUTES},
        )
    elif services.resend_invitation(grant=target, actor=_actor(request)):
        messages.success(request, _("We have sent %(name)s a new invitation.") % {"name": target.display_name})
    else:
        throttle.succeeded(tried)  # nothing was sent: it does not count
        messages.info(request, _("There is no invitation to send again to %(name)s.") % {"name": target.display_name})
    return redirect("portal:contacts", customer_id=customer_id)


def _refuse(request):
    return render(
        request,
        "portal/message.html",
        {"title": _("Not allowed"), "error": _("You cannot change this contact.")},
        status=403,
    )


# -- invitations ------------------------------------------------------------------------------


def invitation(request, token: str):
    """Set up the login an invitation offers. The name and e-mail are the store's; the person changes them
    later from their profile, never here."""
    invitation_row = selectors.invitation_by_token(token)
    person = invitation_row.grant.person if invitation_row else None
    form = InvitationForm(
        request.POST or None,
        user_attributes={
            "username": person.id_number if person else "",
            "email": person.email if person else "",
            "name": person.name if person else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.accept_invitation(
                token=token,
                id_number=data["id_number"],
                password=data["password1"],
                language=translation.get_language(),
                actor_ip=client_ip(request) or None,
            )
        except services.TokenError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your login is ready. Log in with your NIF and password."))
            return redirect("portal:login")
    if request.method == "GET":
        try:
            services.check_invitation(invitation_row)
        except services.TokenError as error:
            return render(
                request, "portal/message.html", {"title": _("Invitation"), "error": error.message}, status=400
            )
    return render(
        request,
        "portal/invitation.html",
        {"form": form, "invitation": invitation_row},
        status=400 if form.errors else 200,
    )


# -- the person's own profile -----------------------------------------------------------------


@customer_required
def profile(request):
    """Name, phone and language change at once; a new e-mail only once confirmed from that address."""
    person = request.person
    profile_form = ProfileForm(initial={"name": person.name, "phone": person.phone, "language": person.language})
    email_form = EmailChangeForm()
    password_form = OwnPasswordForm(user=request.user)
    if request.method == "POST":
        if request.POST.get("action") == "password":
            password_form = OwnPasswordForm(request.POST, user=request.user)
            # The current password is a guessable secret: counted like a login.
            tried = throttle.attempt(throttle.PASSWORD, identifier=person.id_number, address=client_ip(request))
            if tried.locked:
                password_form.add_error(None, _locked_message())
            elif password_form.is_valid():
                throttle.succeeded(tried, reset=True)
                user = services.change_own_password(
                    person=person, new_password=password_form.cleaned_data["password1"], actor=_actor(request)
                )
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password has been changed. We have told you by e-mail."))
                return redirect("portal:profile")
            elif "current_password" in password_form.errors:
                throttle.failed(tried)
            else:
                throttle.succeeded(tried)
        elif request.POST.get("action") == "email":
            email_form = EmailChangeForm(request.POST)
            if email_form.is_valid():
                try:
                    services.request_email_change(
                        person=person, new_email=email_form.cleaned_data["email"], actor=_actor(request)
                    )
                except services.GrantError as error:
                    email_form.add_error(None, error.message)
                else:
                    messages.success(
                        request,
                        _("We have sent a link to %(email)s. Your e-mail changes when you open it.")
                        % {"email": email_form.cleaned_data["email"]},
                    )
                    return redirect("portal:profile")
        else:
            profile_form = ProfileForm(request.POST)
            if profile_form.is_valid():
                data = profile_form.cleaned_data
                services.update_own_profile(
                    person=person,
                    name=data["name"],
                    phone=data["phone"],
                    language=data["language"],
                    actor=_actor(request),
                )
                messages.success(request, _("Your details have been saved."))
                return redirect("portal:profile")
    status = 400 if profile_form.errors or email_form.errors or password_form.errors else 200
    return render(
        request,
        "portal/profile.html",
        {
            "person": person,
            "profile_form": profile_form,
            "email_form": email_form,
            "password_form": password_form,
            "pending_email": selectors.pending_email_change(person),
        },
        status=status,
    )


def confirm_email(request, token: str):
    if request.method == "POST":
        try:
            services.confirm_email_change(token=token, actor_ip=client_ip(request) or None)
        except services.TokenError as error:
            return render(request, "portal/message.html", {"title": _("E-mail"), "error": error.message}, status=400)
        messages.success(request, _("Your new e-mail address is confirmed."))
        return redirect("portal:profile" if current_person(request) else "portal:login")
    # A GET only shows a button: mail scanners that open links must not confirm anything.
    return render(request, "portal/confirm_email.html", {"token": token})
