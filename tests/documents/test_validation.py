import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import AuditEvent
from documents import services, validation
from documents.models import Document
from documents.validation import DocumentRejected, sanitise_name, validate, validate_bytes

from . import samples

BAD_FILES = {
    "empty": (lambda: b"", "empty"),
    "encrypted_user_password": (
        lambda: samples.pdf(encrypt=samples.Rc4Encryption(user_password="secret")),
        "encrypted",
    ),
    "encrypted_owner_password_only": (lambda: samples.pdf(encrypt=samples.Rc4Encryption()), "encrypted"),
    "truncated_pdf": (lambda: samples.pdf(2)[:400], "broken"),
    "garbage_pdf": (samples.pdf_garbage, "broken"),
    "truncated_jpeg": (lambda: samples.jpeg()[: len(samples.jpeg()) // 2], "broken"),
    "corrupt_png_crc": (lambda: samples.png()[:40] + b"\x00\x01\x02\x03" + samples.png()[44:], "broken"),
    "png_bomb_100000x100000": (lambda: samples.png_declaring(100_000, 100_000), "bomb"),
    "png_over_our_pixel_cap": (lambda: samples.png_declaring(10_000, 7_000), "bomb"),
    "pdf_page_too_large": (samples.pdf_huge_page, "bomb"),
    "html": (lambda: samples.HTML, "unsupported_type"),
    "svg": (lambda: samples.SVG, "unsupported_type"),
    "shell_script": (lambda: samples.SHELL, "unsupported_type"),
    "zip": (samples.zip_archive, "unsupported_type"),
    "docx": (samples.docx, "unsupported_type"),
    "exe": (lambda: samples.EXE, "unsupported_type"),
    "text_named_pdf": (lambda: b"just text, although the name says .pdf\n", "unsupported_type"),
    "jpeg_zip_polyglot": (samples.jpeg_zip_polyglot, "polyglot"),
    "pdf_with_html_appended": (samples.pdf_with_html, "polyglot"),
    "jpeg_with_html_comment": (samples.jpeg_with_html_comment, "polyglot"),
    "pdf_40_pages": (lambda: samples.pdf(40), "too_many_pages"),
    "tiff_31_pages": (lambda: samples.tiff(31, size=(16, 16)), "too_many_pages"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_refused_and_leaves_no_trace(kind, document_set, actor, stored_local):
    make, code = BAD_FILES[kind]
    events = AuditEvent.objects.count()
    upload = SimpleUploadedFile("poder.pdf", make(), content_type="application/pdf")  # the browser's claim is ignored
    with pytest.raises(DocumentRejected) as caught:
        services.add_document(document_set=document_set, uploaded=upload, original_name="poder.pdf", actor=actor)
    assert caught.value.code == code
    assert stored_local() == []
    assert Document.objects.count() == 0
    assert AuditEvent.objects.count() == events
    with translation.override("en"):
        assert str(caught.value.message)
        assert "%(" not in str(caught.value.message)


def test_oversize_file_refused_without_reading_it_all(settings, document_set, actor, stored_local):
    settings.DOCUMENTS_MAX_BYTES = 10_000

    class EndlessUpload(io.RawIOBase):
        """A "2 GB" upload: counts what is read from it."""

        read_total = 0

        def readable(self):
            return True

        def read(self, n=-1):
            n = 1 << 20 if n is None or n < 0 else n
            self.read_total += n
            return b"%PDF-" + b"\0" * (n - 5) if self.read_total == n else b"\0" * n

    stream = EndlessUpload()
    with pytest.raises(DocumentRejected) as caught:
        services.add_document(document_set=document_set, uploaded=stream, original_name="huge.pdf", actor=actor)
    assert caught.value.code == "too_large"
    assert stream.read_total <= settings.DOCUMENTS_MAX_BYTES + 1
    assert stored_local() == [] and Document.objects.count() == 0
    with translation.override("en"):
        assert str(caught.value.message) == "The file is larger than the 0.01 MB limit."


def test_oversize_bytes_and_declared_size(settings):
    settings.DOCUMENTS_MAX_BYTES = 1000
    data = samples.png()
    assert len(data) > 1000
    for source in (data, SimpleUploadedFile("a.png", data, content_type="image/png")):
        with pytest.raises(DocumentRejected) as caught:
            validate(source)
        assert caught.value.code == "too_large"


def test_page_limit_comes_from_settings(settings):
    settings.DOCUMENTS_MAX_PAGES = 2
    assert validate_bytes(samples.pdf(2)).page_count == 2
    with pytest.raises(DocumentRejected) as caught:
        validate_bytes(samples.tiff(3))
    assert caught.value.code == "too_many_pages"
    with translation.override("en"):
        assert str(caught.value.message) == "The document has 3 pages; at most 2 are accepted."


def test_pillow_bomb_warning_is_an_error(settings):
    # Our cap raised above Pillow's: Pillow's DecompressionBombWarning (not the error) fires and must refuse.
    settings.DOCUMENTS_MAX_PIXELS_PER_PAGE = 10**12
    with pytest.raises(DocumentRejected) as caught:
        validate_bytes(samples.png_declaring(10_000, 10_000))
    assert caught.value.code == "bomb"


def test_encrypted_pdf_refused_by_pdfium_too(monkeypatch):
    """Without the /Encrypt scan, pdfium's password error still classifies it."""
    monkeypatch.setattr(validation, "_pdf_encrypted_marker", lambda data: False)
    with pytest.raises(DocumentRejected) as caught:
        validate_bytes(samples.pdf(encrypt=samples.Rc4Encryption(user_password="secret")))
    assert caught.value.code == "encrypted"


GOOD_FILES = {
    "pdf_with_text": (lambda: samples.pdf(3), "application/pdf", "pdf", 3),
    "jpeg": (samples.jpeg, "image/jpeg", "jpg", 1),
    "png": (samples.png, "image/png", "png", 1),
    "tiff": (samples.tiff, "image/tiff", "tif", 1),
    "multipage_tiff": (lambda: samples.tiff(4), "image/tiff", "tif", 4),
    "bilevel_g4_tiff": (samples.tiff_g4, "image/tiff", "tif", 2),
    "png_16bit": (samples.png_16bit, "image/png", "png", 1),
    "jpeg_exif_rotated": (samples.jpeg_rotated, "image/jpeg", "jpg", 1),
}


@pytest.mark.parametrize("kind", sorted(GOOD_FILES))
def test_good_files_are_accepted(kind):
    make, content_type, extension, pages = GOOD_FILES[kind]
    data = make()
    checked = validate_bytes(data)
    assert (checked.content_type, checked.extension, checked.page_count, checked.size) == (
        content_type,
        extension,
        pages,
        len(data),
    )
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    if content_type.startswith("image/"):
        assert checked.width and checked.height
    streamed, read = validate(io.BytesIO(data))
    assert streamed == checked and read == data


def test_type_is_decided_by_content_not_name(document_set, actor):
    document = services.add_document(
        document_set=document_set,
        uploaded=SimpleUploadedFile("scan.pdf", samples.png(), content_type="application/pdf"),
        original_name="scan.pdf",
        actor=actor,
    )
    assert document.content_type == "image/png"
    assert document.file.name.endswith(".png")
    assert document.download_name == "scan.pdf.png"


def test_ordinary_pdf_with_markup_like_text_is_not_a_polyglot():
    # XMP-style metadata and "<" in text must not look like HTML.
    data = samples.pdf(1, text="Clausula <1> & <b> tags, x < y, <htm")
    assert validate_bytes(data).content_type == "application/pdf"


def test_messages_render_in_a_language():
    with pytest.raises(DocumentRejected) as caught:
        validate_bytes(samples.HTML)
    with translation.override("en"):
        assert str(caught.value.message) == "Only PDF, JPEG, PNG and TIFF files are accepted."
    with translation.override("ca"):
        assert isinstance(str(caught.value.message), str)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\poder notarial.pdf", "poder notarial.pdf"),
        ("a\x00b\r\nc.pdf", "abc.pdf"),
        ('inv"oice<script>.pdf', "inv_oice_script_.pdf"),
        ("", "document"),
        ("...", "document"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_sanitise_name(raw, expected):
    assert sanitise_name(raw) == expected
