"""Cursor pages: ``?cursor=`` from the ``next`` / ``previous`` links of the page before, ``page_size`` up to 200.

Each view names its stable order (``cursor_ordering``: unique, or ending in the primary key). The requests table
is a UNION of one query per kind of request, which a position cannot filter: its cursor holds a signed offset
in the same stable order instead.
"""

from __future__ import annotations

from base64 import b64decode, b64encode
from binascii import Error as BinasciiError

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from .errors import ApiError

INVALID_CURSOR = _("The cursor is not valid: use the next or previous link of a page as it is.")
MAX_PAGE_SIZE = 200


class StableCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and (not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE_SIZE):
            message = _("The page size must be a number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}
            raise ApiError(message, fields={"page_size": [message]})
        return super().get_page_size(request)

    def get_ordering(self, request, queryset, view):
        return tuple(view.cursor_ordering)

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:  # DRF's answer to a cursor it cannot read
            raise ApiError(INVALID_CURSOR, code="invalid_cursor", fields={"cursor": [INVALID_CURSOR]}) from None


class OffsetCursorPagination(StableCursorPagination):
    """For a UNION in a stable order (the view's queryset is already ordered): the cursor is a signed offset."""

    salt = "api.pagination.offset"

    def paginate_queryset(self, queryset, request, view=None):
        self.request, self.base_url = request, request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        offset = self._offset(request)
        rows = list(queryset[offset : offset + self.page_size + 1])
        self.offset, self.has_next = offset, len(rows) > self.page_size
        return rows[: self.page_size]

    def _offset(self, request) -> int:
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return 0
        try:
            return int(signing.loads(b64decode(raw.encode("ascii")).decode("ascii"), salt=self.salt))
        except (signing.BadSignature, BinasciiError, UnicodeError, ValueError, TypeError):
            raise ApiError(INVALID_CURSOR, code="invalid_cursor", fields={"cursor": [INVALID_CURSOR]}) from None

    def _link(self, offset: int) -> str:
        cursor = b64encode(signing.dumps(offset, salt=self.salt).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    def get_next_link(self):
        return self._link(self.offset + self.page_size) if self.has_next else None

    def get_previous_link(self):
        return self._link(max(self.offset - self.page_size, 0)) if self.offset > 0 else None

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})
