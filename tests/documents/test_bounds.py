"""Bounded resources for every file: stream caps, the parsing sandbox, the body limit, the document cap."""

from __future__ import annotations

import io
import logging
import os
import resource
import signal
import time
import zlib

import pytest
from django.utils import translation
from PIL import Image

from documents import sandbox, services, validation
from documents.previews import PreviewError, render_pages
from documents.validation import DocumentRejected

from . import samples

MB = 1024 * 1024
NODE_LIMIT = 500 * MB  # no file may take a process past this (issue 12)


def flate_bomb(inflated: int) -> bytes:
    """A zlib stream of ``inflated`` zero bytes, about 1/1000 of that size, built in a second.

    After a full flush deflate starts afresh, so every further 16 MB block compresses
    to the same bytes: compress one, repeat it, and add the checksum of the whole.
    """
    block = 16 * MB
    zeros = bytes(block)
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflater.compress(zeros)
    deflater.flush(zlib.Z_FULL_FLUSH)
    repeated = deflater.compress(zeros) + deflater.flush(zlib.Z_FULL_FLUSH)
    count = inflated // block
    checksum = 1
    for _ in range(count):
        checksum = zlib.adler32(zeros, checksum)
    return b"\x78\xda" + repeated * count + deflater.flush() + checksum.to_bytes(4, "big")


def pdf_flate_bomb(inflated: int = 1024 * MB) -> bytes:
    """A one-page PDF whose content stream is ``flate_bomb(inflated)`` (1 GB from 1 MB by default)."""
    return samples._pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            samples._stream(flate_bomb(inflated), b"/Filter /FlateDecode "),
        ]
    )


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return pdf_flate_bomb()


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _child_ceiling() -> int:
    """What a child may reach: the 500 MB a node may hold -- unless the test process itself is already that large
    (late in a long suite), where the child's RSS counts the pages it shares with it and only its own growth
    (``sandbox.MIN_GROWTH``, plus the kernel's rounding) is the child's doing."""
    return max(NODE_LIMIT, sandbox._resident() + sandbox.MIN_GROWTH + 16 * MB)


def _child_peaks(caplog) -> list[int]:
    return [record.peak_rss for record in caplog.records if hasattr(record, "peak_rss")]


# --------------------------------------------------------------------------- stream caps


def test_a_flate_bomb_is_refused_as_too_large_to_process(bomb):
    assert len(bomb) < 1.1 * MB
    with pytest.raises(DocumentRejected) as caught:
        validation.validate_bytes(bomb)
    assert caught.value.code == validation.Code.BOMB
    with translation.override("es"):
        spanish = str(caught.value.message)
    with translation.override("en"):
        assert spanish != str(caught.value.message)


def test_streams_are_measured_against_a_cap_each_and_a_cap_together():
    stream = b"stream\n" + zlib.compress(bytes(3 * MB)) + b"\nendstream\n"
    validation.check_inflated_streams(stream * 2, per_stream=3 * MB, total=6 * MB)
    with pytest.raises(DocumentRejected, match="bomb"):
        validation.check_inflated_streams(stream, per_stream=3 * MB - 1, total=6 * MB)
    with pytest.raises(DocumentRejected, match="bomb"):
        validation.check_inflated_streams(stream * 3, per_stream=3 * MB, total=6 * MB)


def test_ordinary_documents_pass_the_stream_cap():
    for data in (samples.pdf(30), samples.pdf(1, text="x" * 2000)):
        assert validation.validate_bytes(data).content_type == validation.PDF


def test_previews_of_a_stored_bomb_fail_without_rendering(bomb):
    with pytest.raises(PreviewError, match="stream too large"):
        list(render_pages(bomb, validation.PDF))


# --------------------------------------------------------------------------- the sandbox


@pytest.fixture
def no_stream_cap(settings):
    """Lets a bomb reach pdfium, to show that the sandbox alone holds it."""
    settings.DOCUMENTS_MAX_INFLATED_BYTES = settings.DOCUMENTS_MAX_INFLATED_TOTAL = 1 << 40


def test_past_the_stream_cap_a_bomb_kills_only_the_child(bomb, no_stream_cap, caplog):
    caplog.set_level(logging.DEBUG, logger="documents.sandbox")
    before = _peak_rss()
    with pytest.raises(DocumentRejected) as caught:
        validation.validate_bytes(bomb)
    assert caught.value.code == validation.Code.BOMB
    assert _peak_rss() - before < 50 * MB  # the parent only held the file
    (child,) = _child_peaks(caplog)
    assert child < _child_ceiling()


def test_past_the_stream_cap_previews_of_a_bomb_fail_in_the_child(bomb, no_stream_cap, caplog):
    caplog.set_level(logging.DEBUG, logger="documents.sandbox")
    before = _peak_rss()
    with pytest.raises(PreviewError, match="memory"):
        list(render_pages(bomb, validation.PDF))
    assert _peak_rss() - before < 50 * MB
    assert max(_child_peaks(caplog)) < _child_ceiling()


def test_an_image_larger_than_the_budget_is_refused(settings, caplog):
    caplog.set_level(logging.DEBUG, logger="documents.sandbox")
    buffer = io.BytesIO()
    Image.new("RGBA", (6000, 6000)).save(buffer, format="PNG")  # 144 MB decoded, 400 KB stored
    settings.DOCUMENTS_SANDBOX_MAX_RSS = 0  # the least growth a child is allowed: sandbox.MIN_GROWTH
    with pytest.raises(DocumentRejected, match="bomb"):
        validation.validate_bytes(buffer.getvalue())
    settings.DOCUMENTS_SANDBOX_MAX_RSS = sandbox._resident() + 160 * MB
    assert validation.validate_bytes(buffer.getvalue()).width == 6000


def test_a_parent_that_freed_much_memory_gives_its_child_no_extra_room(settings):
    """A worker that read a large document holds its freed heap mapped; a child must not decode a bomb into it."""
    import ctypes

    libc = ctypes.CDLL(None)
    malloc, free = libc.malloc, libc.free
    malloc.restype, malloc.argtypes, free.argtypes = ctypes.c_void_p, [ctypes.c_size_t], [ctypes.c_void_p]
    assert libc.mallopt(-3, 16 * MB) == 1  # M_MMAP_THRESHOLD (at most 32 MB): blocks of 8 MB now come from the heap
    keepers = []
    try:
        blocks = []
        for _ in range(30):  # the keepers between the blocks stop malloc giving the freed heap back
            blocks.append(malloc(8 * MB))
            keepers.append(malloc(MB))  # large enough to come from the top of the heap, right after its block
        for block in blocks:
            free(block)
        assert sandbox._free_heap() > 100 * MB
        buffer = io.BytesIO()
        Image.new("RGBA", (6000, 6000)).save(buffer, format="PNG")  # 144 MB decoded
        settings.DOCUMENTS_SANDBOX_MAX_RSS = 0
        with pytest.raises(DocumentRejected, match="bomb"):
            validation.validate_bytes(buffer.getvalue())
    finally:
        for keeper in keepers:
            free(keeper)
        libc.mallopt(-3, 128 * 1024)


def test_a_slow_parser_is_stopped_at_the_timeout(settings):
    settings.DOCUMENTS_SANDBOX_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    with pytest.raises(sandbox.ResourcesExceeded) as caught:
        sandbox.call(time.sleep, 30)
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 5


def test_a_refusal_crosses_the_pipe_with_its_message_still_translatable():
    with pytest.raises(DocumentRejected) as caught:
        sandbox.call(_too_many_pages)
    assert caught.value.code == validation.Code.TOO_MANY_PAGES
    with translation.override("ca"):
        catalan = str(caught.value.message)
    with translation.override("en"):
        assert str(caught.value.message) == "The document has 40 pages; at most 30 are accepted."
        assert catalan != str(caught.value.message)


def _too_many_pages():
    raise validation._too_many_pages(40, 30)


def _crash():
    os.kill(os.getpid(), signal.SIGSEGV)


def test_a_crashing_child_is_reported_not_hung():
    with pytest.raises(sandbox.ResourcesExceeded):
        sandbox.call(_crash)


# --------------------------------------------------------------------------- request body


class _Unreadable:
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _post(size: int, **headers):
    from django.test import RequestFactory

    request = RequestFactory().generic(
        "POST", "/upload", data=b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(size), **headers
    )
    request._stream = _Unreadable()
    return request


def test_a_body_past_the_limit_is_refused_with_413_before_it_is_read(settings):
    from documents.limits import RequestBodyLimitMiddleware, max_request_bytes

    settings.DOCUMENTS_MAX_BYTES = 20 * MB
    assert max_request_bytes() == 20 * MB + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    middleware = RequestBodyLimitMiddleware(lambda request: request.read())
    response = middleware(_post(300 * MB, HTTP_ACCEPT_LANGUAGE="es"))
    assert response.status_code == 413
    with translation.override("es"):
        assert response.content.decode() == str(validation.too_large(20 * MB).message)
    with pytest.raises(AssertionError, match="the body was read"):  # at the limit, the view reads it
        middleware(_post(max_request_bytes()))


def test_the_body_limit_is_in_the_middleware_stack_before_csrf(client, settings):
    settings.DOCUMENTS_MAX_BYTES = 1000
    response = client.post(
        "/", data=b"x" * (1001 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    middleware = settings.MIDDLEWARE
    assert middleware.index("documents.limits.RequestBodyLimitMiddleware") < middleware.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )


# --------------------------------------------------------------------------- documents per request


def test_a_request_holds_at_most_the_configured_number_of_documents(document_set, actor, settings):
    settings.DOCUMENTS_MAX_PER_REQUEST = 2

    def add(text):
        return services.add_document(
            document_set=document_set, uploaded=samples.pdf(1, text=text), original_name="p.pdf", actor=actor
        )

    first = add("one")
    add("two")
    with pytest.raises(services.TooManyDocuments) as caught:
        add("three")
    with translation.override("en"):
        assert str(caught.value.message) == "A request holds at most 2 documents; remove one to add another."
    services.remove_document(document=first, actor=actor)
    add("three")
    assert document_set.documents.filter(removed_at__isnull=True).count() == 2
