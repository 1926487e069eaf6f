"""The Django admin's pages on the account store (/staff/admin/): people, customers, grants, the audit log and
the throttle's counters.

Only for staff who may administer (``authority.StaffAction.ADMINISTER``: supervisors, and superusers). Every page
reads; changes go through ``accounts.services`` and the supervisors' pages, never through a form here. The one
write is the "unlock" action on the throttle's counters, which calls ``throttle.lift`` (audited, like the
supervisors' locks page). Each list selects its related rows in the same query, so it costs the same number of
queries for 10 rows as for 10,000.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import authority
from accounts import throttle
from accounts.audit import Actor
from accounts.identifiers import mask_id_number
from accounts.models import AuditEvent, Customer, FailedAttempt, Grant, Person
from client_address import client_ip


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen by those who may administer; never added, changed or deleted here."""

    show_full_result_count = False  # one COUNT less per page on big tables

    def has_module_permission(self, request) -> bool:
        return authority.staff_may(request.user, authority.StaffAction.ADMINISTER)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "masked_id_number", "email", "email_confirmed_at", "identity_basis", "user", "created_at")
    list_filter = ("identity_basis", "language", "id_type")
    search_fields = ("name", "=id_number", "email", "phone")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")

    @admin.display(description=_("Id number"), ordering="id_number")
    def masked_id_number(self, person: Person) -> str:
        return mask_id_number(person.id_number)


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("name", "tax_id", "kind", "sensitive", "created_at")
    list_filter = ("kind", "sensitive")
    search_fields = ("name", "=tax_id")
    date_hierarchy = "created_at"
    ordering = ("name", "id")


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = (
        "customer",
        "person_shown",
        "role",
        "firm",
        "scope_limited",
        "delegated_from_id",
        "granted_at",
        "revoked_at",
    )
    list_filter = ("role", "scope_limited", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("=customer__tax_id", "customer__name", "=person__id_number", "person__name")
    list_select_related = ("customer", "person", "firm")
    raw_id_fields = ("customer", "person", "firm", "delegated_from", "supply_points", "granted_by", "revoked_by")
    date_hierarchy = "granted_at"
    ordering = ("-granted_at", "-id")

    @admin.display(description=_("Person"), ordering="person__name")
    def person_shown(self, grant: Grant) -> str:
        return f"{grant.person.name} ({mask_id_number(grant.person.id_number)})"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The append-only audit log. Filter by action and date here; by actor or customer through the links in the list
    (``?actor_label=`` and ``?customer__id__exact=``), which scale where a list of every actor or customer would not."""

    list_display = (
        "at",
        "action",
        "actor_link",
        "customer_link",
        "target_type",
        "target_id",
        "request_ref",
        "reason",
        "chain_seq",
    )
    list_filter = ("action",)
    search_fields = ("=actor_label", "=customer__tax_id", "=request_ref", "=target_id")
    list_select_related = ("customer",)
    raw_id_fields = ("actor", "customer")
    date_hierarchy = "at"
    ordering = ("-at", "-id")

    @admin.display(description=_("Actor"), ordering="actor_label")
    def actor_link(self, event: AuditEvent) -> str:
        return format_html('<a href="?{}">{}</a>', urlencode({"actor_label": event.actor_label}), event.actor_label)

    @admin.display(description=_("Customer"), ordering="customer__name")
    def customer_link(self, event: AuditEvent) -> str:
        if event.customer_id is None:
            return "-"
        return format_html(
            '<a href="?{}">{}</a>', urlencode({"customer__id__exact": event.customer_id}), event.customer
        )


class UnlockForm(forms.Form):
    reason = forms.CharField(label=_("Why"), min_length=10, max_length=300)


@admin.register(FailedAttempt)
class FailedAttemptAdmin(ReadOnlyAdmin):
    """The throttle's counted tries. "Unlock" lifts the counters of the selected tries (``throttle.lift``, audited)."""

    list_display = ("at", "scope", "shown_key")
    fields = ("at", "scope", "shown_key")  # the key holds an id number: shown masked, as on the supervisors' page
    readonly_fields = ("shown_key",)
    list_filter = ("scope",)
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    actions = ("unlock",)

    @admin.display(description=_("Who or where"))
    def shown_key(self, attempt: FailedAttempt) -> str:
        return throttle.shown(attempt.scope, attempt.key)

    @admin.action(description=_("Unlock: forget these counters' tries"))
    def unlock(self, request, queryset):
        counters = sorted(set(queryset.values_list("scope", "key")))
        form = UnlockForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/accounts/failedattempt/unlock.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Unlock"),
                    "opts": self.model._meta,
                    "form": form,
                    "counters": [throttle.shown(scope, key) for scope, key in counters],
                    "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "changelist_url": reverse("admin:accounts_failedattempt_changelist"),
                },
            )
        actor = Actor(user=request.user, ip=client_ip(request), label="admin")
        reason = " ".join(form.cleaned_data["reason"].split())
        for scope, key in counters:
            throttle.lift(scope=scope, key=key, actor=actor, reason=reason)
        self.message_user(
            request,
            ngettext("%(count)d lock was lifted.", "%(count)d locks were lifted.", len(counters))
            % {"count": len(counters)},
            messages.SUCCESS,
        )
        return None
