"""The token's scope: every token reads; only a read-and-write token changes anything. What the person may do
is not decided here but by ``authority``, in the views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .authentication import Credential


class TokenScope(BasePermission):
    """The same for a personal token and an OAuth app's token (scope ``write`` or not)."""

    message = _("This token may only read. Create a read and write token to make changes.")
    code = "insufficient_scope"

    def has_permission(self, request, view) -> bool:
        credential = request.auth
        if not isinstance(credential, Credential):
            return False
        return request.method in SAFE_METHODS or credential.may_write
