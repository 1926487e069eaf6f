"""Serving document files and page previews, after a permission check, never cacheable.

Anyone who may not read a document gets 404, whether or not it exists. On S3
the response is a redirect to a presigned URL valid for at most 5 minutes; on
local storage the bytes are streamed from here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

import authority

from . import previews, selectors

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


class _ZoomCache:
    """The pages rendered at a zoom resolution, most recently used kept, within a byte budget (per process).

    Keyed by the file's hash as well as the document: a document whose file is gone is answered 410 before the cache
    is asked, so retention never leaves a readable copy here."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size, self.items, self.lock = max_bytes, 0, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, png: bytes) -> None:
        with self.lock:
            if key in self.items or len(png) > self.max_bytes:
                return
            self.items[key], self.size = png, self.size + len(png)
            while self.size > self.max_bytes:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)


ZOOM_CACHE = _ZoomCache(max_bytes=64 * 1024 * 1024)


def _zoom_dpi(request) -> int | None:
    """The ``?dpi=`` asked for: None for the stored preview; one of ``previews.ZOOM_DPIS``; ValueError otherwise."""
    raw = request.GET.get("dpi")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) not in previews.ZOOM_DPIS:
        raise ValueError(raw)
    return int(raw)


def zoomed_page_png(document, index: int, dpi: int) -> bytes | None:
    """Page ``index`` of a readable document at ``dpi``, rendered from the original file once, then cached.
    The caller has checked the permission. None when there is no such page."""
    key = (document.pk, document.sha256, index, dpi)
    png = ZOOM_CACHE.get(key)
    if png is None:
        try:
            rendered = previews.render_zoomed_page(
                selectors.read_file(document), document.content_type, index=index, dpi=dpi
            )
        except FileNotFoundError:
            raise Http404 from None
        if rendered is None:
            return None
        png = rendered.png
        ZOOM_CACHE.put(key, png)
    return png


def _png_response(png: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = selectors.content_disposition("inline", filename)
    return private_response(response)


@require_safe
def document_page(request, document_id: int, index: int):
    """A page's stored preview; with ``?dpi=200`` or ``?dpi=300``, the page rendered at that resolution (zoom)."""
    document, gone = _readable_document(request, document_id)
    if gone:
        return gone
    try:
        dpi = _zoom_dpi(request)
    except ValueError:
        return private_response(HttpResponseBadRequest("dpi"))
    if dpi is not None:
        png = zoomed_page_png(document, index, dpi) if 0 <= index < document.page_count else None
        if png is None:
            raise Http404
        return _png_response(png, f"page-{index + 1}-{dpi}dpi.png")
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


def _crop_box(raw: str) -> dict[str, float]:
    """``left,top,width,height`` in shares of the page (an evidence box's place), optionally followed by its angle."""
    parts = raw.split(",")
    if len(parts) not in (4, 5):
        raise ValueError(raw)
    left, top, width, height = (float(p) for p in parts[:4])
    if not (0 <= left <= 1 and 0 <= top <= 1 and 0 < width <= 1 and 0 < height <= 1):
        raise ValueError(raw)
    return {"left": left, "top": top, "width": width, "height": height}


@require_safe
def evidence_crop(request, document_id: int, index: int):
    """One evidence box of a page, zoomed (from the page at the lowest zoom resolution), for the verifier to read
    beside the claimed value, turned upright as the viewer shows the page (``turn``). The same permission as the
    page itself."""
    document, gone = _readable_document(request, document_id)
    if gone:
        return gone
    try:
        box = _crop_box(request.GET.get("box") or "") | {"turn": int(request.GET.get("turn") or 0)}
    except ValueError:
        return private_response(HttpResponseBadRequest("box"))
    png = zoomed_page_png(document, index, previews.ZOOM_DPIS[0]) if 0 <= index < document.page_count else None
    if png is None:
        raise Http404
    try:
        crop = previews.crop_png(png, **box)
    except ValueError:
        return private_response(HttpResponseBadRequest("box"))
    return _png_response(crop, f"page-{index + 1}-evidence.png")
