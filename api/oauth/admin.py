"""OAuth2 apps in the admin (/staff/admin/): registered, changed and removed by superusers only, and their tokens
seen (masked) and revoked by superusers only. Apps are confidential or public clients of the authorization code
flow with exact redirect URIs (``server.redirect_uri_refusal``); the consent page is never skipped.

django-oauth-toolkit's ``oauth2_provider.admin`` imports these classes (``OAUTH2_PROVIDER["*_ADMIN_CLASS"]``) while
it registers its models, after defining the classes they extend: import this module only through it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from oauth2_provider import admin as oauth_admin

import authority
from accounts.audit import Actor
from client_address import client_ip

from . import services
from .server import redirect_uri_refusal


class SuperusersOnly:
    """Nothing here for other staff, whatever their permissions; for superusers, what the admin class allows."""

    def _may_register(self, request) -> bool:
        return authority.staff_may(request.user, authority.StaffAction.REGISTER_APPS)

    def has_module_permission(self, request) -> bool:
        return self._may_register(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_register(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_register(request) and super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return self._may_register(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_register(request) and super().has_delete_permission(request, obj)


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = services.Application
        fields = ("name", "client_type", "redirect_uris", "client_id", "client_secret")
        help_texts = {
            "client_type": _(
                "Confidential: a server that keeps the secret. Public: an app on the person's device or browser "
                "(it proves itself with PKCE only)."
            ),
            "redirect_uris": _(
                "Exact addresses, separated by spaces: https, or http://127.0.0.1 or http://[::1] (any port) for an "
                "app on the person's own computer."
            ),
            "client_secret": _("Copy it now for a confidential app: it is stored hashed when you save."),
        }

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the app the name people will see on the consent page."))
        return name

    def clean_redirect_uris(self) -> str:
        uris = self.cleaned_data["redirect_uris"].split()
        if not uris:
            raise forms.ValidationError(_("At least one redirect URI."))
        problems = [f"{uri}: {refusal}" for uri in uris if (refusal := redirect_uri_refusal(uri))]
        if problems:
            raise forms.ValidationError(problems)
        return " ".join(uris)


@admin.display(description=_("redirect URIs"))
def _redirect_uris(application) -> str:
    return application.redirect_uris


class ApplicationAdmin(SuperusersOnly, admin.ModelAdmin):
    form = ApplicationForm
    list_display = ("name", "client_id", "client_type", _redirect_uris, "created")
    list_filter = ("client_type",)
    search_fields = ("name", "=client_id")
    radio_fields = {"client_type": admin.HORIZONTAL}
    ordering = ("name", "pk")

    def save_model(self, request, obj, form, change) -> None:
        services.save_application(application=obj, actor=_actor(request))

    def delete_model(self, request, obj) -> None:
        services.delete_application(application=obj, actor=_actor(request))

    def delete_queryset(self, request, queryset) -> None:
        for application in queryset:
            services.delete_application(application=application, actor=_actor(request))


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None)


class AccessTokenAdmin(SuperusersOnly, oauth_admin.AccessTokenAdmin):
    pass


class RefreshTokenAdmin(SuperusersOnly, oauth_admin.RefreshTokenAdmin):
    pass


class GrantAdmin(SuperusersOnly, oauth_admin.GrantAdmin):
    pass


class IDTokenAdmin(SuperusersOnly, oauth_admin.IDTokenAdmin):
    pass
