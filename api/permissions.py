"""The token's scope: every token reads; only a read-and-write token changes anything. What the person may do
is not decided here but by ``authority``, in the views."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import PersonalAccessToken


class TokenScope(BasePermission):
    message = _("This token may only read. Create a read and write token to make changes.")
    code = "insufficient_scope"

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, PersonalAccessToken):
            return False
        return request.method in SAFE_METHODS or token.may_write
