"""Serving document files and page previews, after a permission check, never cacheable.

Anyone who may not read a document gets 404, whether or not it exists. On S3
the response is a redirect to a presigned URL valid for at most 5 minutes; on
local storage the bytes are streamed from here.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

import authority

from . import selectors

DEFAULT_ACCESS_POLICY = "workflows.selectors.may_read_document"
CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


@lru_cache(maxsize=4)
def _policy(path: str):
    return import_string(path)


def may_read(user, document) -> bool:
    return bool(_policy(getattr(settings, "DOCUMENTS_ACCESS_POLICY", DEFAULT_ACCESS_POLICY))(user, document))


def private_response(response: HttpResponse) -> HttpResponse:
    """The headers every private file download carries (documents, invoice PDFs, exports): never cached,
    never sniffed, no script, no referrer."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = CSP
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _readable_document(request, document_id: int):
    document = selectors.document_by_id(document_id)
    if document is None or not may_read(request.user, document):
        if document is not None:
            authority.refused(request.user, action="read", target=f"document {document_id}")
        raise Http404
    if not document.has_file:
        return document, private_response(HttpResponse(status=410))
    return document, None


def _open(name: str):
    try:
        return selectors.open_file(name)
    except FileNotFoundError:  # the row says it exists but the object is gone: treat as missing, not a crash
        raise Http404 from None


@require_safe
def document_file(request, document_id: int):
    document, gone = _readable_document(request, document_id)
    if gone:
        return gone
    url = selectors.download_url(document)
    if url:
        return private_response(HttpResponseRedirect(url))
    response = FileResponse(
        _open(document.file.name),
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    return private_response(response)


@require_safe
def document_page(request, document_id: int, index: int):
    document, gone = _readable_document(request, document_id)
    if gone:
        return gone
    page = selectors.page_of(document, index)
    if page is None:
        raise Http404
    url = selectors.preview_url(page)
    if url:
        return private_response(HttpResponseRedirect(url))
    response = FileResponse(
        _open(page.image.name), as_attachment=False, filename=f"page-{index + 1}.png", content_type="image/png"
    )
    return private_response(response)
