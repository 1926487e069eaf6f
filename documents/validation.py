"""Deciding whether an uploaded file is an acceptable document. Pure: bytes in, verdict out.

A file is accepted as PDF, JPEG, PNG or TIFF only when its CONTENT says so
(magic bytes, then actually parsing it with pdfium / Pillow); the name and the
browser's content type are never trusted. Every refusal is a
``DocumentRejected`` with a stable ``code`` and a translatable ``message``.

Parsing runs in a bounded child process (``documents.sandbox``), and the compressed
streams of a PDF are measured before pdfium inflates them, so a decompression bomb
is refused without taking the web node's memory.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import struct
import threading
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile

from . import sandbox

logger = logging.getLogger(__name__)

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB
DEFAULT_MAX_PAGES = 30
DEFAULT_MAX_PIXELS_PER_PAGE = 60_000_000
# What one compressed PDF stream may inflate to, and all of them together: a greyscale A4
# page scanned at 300 dpi is 9 MB, an RGB one 26 MB; a flate bomb is 1 GB per MB.
DEFAULT_MAX_INFLATED_BYTES = 256 * MB
DEFAULT_MAX_INFLATED_TOTAL = 1024 * MB
PDF_CHECK_DPI = 300
_CHUNK = 64 * 1024

# pdfium is not thread-safe: every use in this app goes through this lock.
PDFIUM_LOCK = threading.RLock()


class Code:
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TOO_MANY_PAGES = "too_many_pages"
    ENCRYPTED = "encrypted"
    BROKEN = "broken"
    BOMB = "bomb"
    UNSUPPORTED_TYPE = "unsupported_type"
    POLYGLOT = "polyglot"


class DocumentRejected(Exception):
    """The file is not accepted. ``message`` is lazy: render it in the user's language."""

    def __init__(self, code: str, message) -> None:
        super().__init__(code)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self):  # crosses the sandbox's pipe with its lazy message intact
        return (type(self), (self.code, self.message))


@dataclass(frozen=True)
class ValidatedFile:
    content_type: str
    extension: str
    page_count: int
    size: int
    sha256: str
    width: int | None = None  # first page, images only
    height: int | None = None


def _interpolate(message, values: dict) -> str:
    return str(message) % values


_interpolate_lazy = lazy(_interpolate, str)


def lazy_interpolate(message, **values):
    """Interpolate when rendered, so the message follows the active language (and pickles: no lambda)."""
    return _interpolate_lazy(message, values)


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pages() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_PAGES", DEFAULT_MAX_PAGES))


def max_pixels() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_PIXELS_PER_PAGE", DEFAULT_MAX_PIXELS_PER_PAGE))


def max_inflated_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_INFLATED_BYTES", DEFAULT_MAX_INFLATED_BYTES))


def max_inflated_total() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_INFLATED_TOTAL", DEFAULT_MAX_INFLATED_TOTAL))


def too_large(limit: int) -> DocumentRejected:
    mb = f"{limit / MB:.0f}" if limit >= MB else f"{limit / MB:.2f}"
    return DocumentRejected(
        Code.TOO_LARGE, lazy_interpolate(_("The file is larger than the %(limit)s MB limit."), limit=mb)
    )


def _broken() -> DocumentRejected:
    return DocumentRejected(Code.BROKEN, _("The file is damaged or incomplete and cannot be opened."))


def _bomb() -> DocumentRejected:
    return DocumentRejected(Code.BOMB, _("A page or image of this file is too large to process."))


def _unsupported() -> DocumentRejected:
    return DocumentRejected(Code.UNSUPPORTED_TYPE, _("Only PDF, JPEG, PNG and TIFF files are accepted."))


def _polyglot() -> DocumentRejected:
    return DocumentRejected(
        Code.POLYGLOT,
        _("The file contains embedded content (a web page, script or archive) that is not allowed in a document."),
    )


def _encrypted() -> DocumentRejected:
    return DocumentRejected(
        Code.ENCRYPTED, _("The PDF is password-protected or encrypted. Please upload a copy without a password.")
    )


def _too_many_pages(count: int, limit: int) -> DocumentRejected:
    return DocumentRejected(
        Code.TOO_MANY_PAGES,
        lazy_interpolate(
            _("The document has %(count)s pages; at most %(limit)s are accepted."), count=count, limit=limit
        ),
    )


# --------------------------------------------------------------------------- reading


def read_limited(source: bytes | bytearray | memoryview | BinaryIO, *, limit: int | None = None) -> tuple[bytes, str]:
    """(content, sha256 hex) reading at most ``limit`` + 1 bytes; raises too_large / empty."""
    limit = max_bytes() if limit is None else limit
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > limit:
            raise too_large(limit)
        digest = hashlib.sha256(data).hexdigest()
    else:
        declared = getattr(source, "size", None)
        if isinstance(declared, int) and declared > limit:
            raise too_large(limit)
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        hasher = hashlib.sha256()
        buffer = io.BytesIO()
        remaining = limit + 1
        while remaining > 0:
            chunk = source.read(min(_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            hasher.update(chunk)
            buffer.write(chunk)
        if remaining <= 0:
            raise too_large(limit)
        data = buffer.getvalue()
        digest = hasher.hexdigest()
    if not data:
        raise DocumentRejected(Code.EMPTY, _("The file is empty."))
    return data, digest


# --------------------------------------------------------------------------- sniffing

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", TIFF: "tif"}
_PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}


def sniff(data: bytes) -> str | None:
    """The accepted type the magic bytes announce, or None. Leading junk is not tolerated."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return TIFF
    return None


# Markup a browser would render or run. Looked for near both ends of every file
# (where sniffers and HTML/PDF polyglots put it); ``<script`` anywhere.
_MARKUP = re.compile(rb"<\s*(?:script|html|svg|body|iframe|object|embed)[\s>/]|<!doctype\s+html|<\?php", re.IGNORECASE)
_SCRIPT_ANYWHERE = re.compile(rb"<script[\s>/]", re.IGNORECASE)
_EOCD = b"PK\x05\x06"
_ZIP64_EOCD = b"PK\x06\x06"


def _has_zip_directory(data: bytes) -> bool:
    """A ZIP end-of-central-directory record that a ZIP reader would accept (searched like unzip does)."""
    window_start = max(0, len(data) - (0xFFFF + 22))
    pos = len(data)
    while True:
        pos = data.rfind(_EOCD, window_start, pos)
        if pos < 0:
            break
        record = data[pos : pos + 22]
        if len(record) == 22:
            _, _, _, _, _, cd_size, _, comment_len = struct.unpack("<4sHHHHIIH", record)
            cd_start = pos - cd_size
            if pos + 22 + comment_len == len(data):
                return True
            if 0 <= cd_start and data[cd_start : cd_start + 4] in (b"PK\x01\x02", _ZIP64_EOCD):
                return True
    return False


def check_polyglot(data: bytes, content_type: str) -> None:
    head, tail = data[:1024], data[-1024:]
    if _MARKUP.search(head) or _MARKUP.search(tail) or _SCRIPT_ANYWHERE.search(data):
        raise _polyglot()
    if _has_zip_directory(data):
        raise _polyglot()
    if content_type == PDF:
        end = data.rfind(b"%%EOF")
        if end >= 0 and _MARKUP.search(data[end:]):
            raise _polyglot()


# --------------------------------------------------------------------------- PDF


def _pdf_encrypted_marker(data: bytes) -> bool:
    # The /Encrypt entry lives in the trailer or the (uncompressed) xref-stream dictionary.
    return re.search(rb"/Encrypt(?![A-Za-z0-9_])", data) is not None


# "stream" at the start of a stream's data; "endstream" is excluded by the look-behind.
_STREAM_KEYWORD = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_INFLATE_STEP = MB


def _inflated_size(data: bytes, start: int, cap: int) -> int:
    """Bytes the zlib stream at ``start`` inflates to, counted in steps and given up past ``cap``.

    0 when there is no zlib stream there (a JPEG image, an unfiltered stream): pdfium judges those.
    """
    inflater = zlib.decompressobj()
    produced, position, pending = 0, start, b""
    while produced <= cap and not inflater.eof:
        if not pending:
            if position >= len(data):
                break
            pending, position = data[position : position + _INFLATE_STEP], position + _INFLATE_STEP
        try:
            produced += len(inflater.decompress(pending, _INFLATE_STEP))
        except zlib.error:
            break
        pending = inflater.unconsumed_tail
    return produced


def check_inflated_streams(data: bytes, *, per_stream: int | None = None, total: int | None = None) -> None:
    """Refuse a PDF whose Flate streams inflate past ``per_stream`` bytes each or ``total`` together.

    pdfium inflates a stream whole, into memory, when it first needs it; this measures each
    one beforehand with bounded memory (the output is counted, never kept).
    """
    per_stream = max_inflated_bytes() if per_stream is None else per_stream
    total = max_inflated_total() if total is None else total
    inflated = 0
    for match in _STREAM_KEYWORD.finditer(data):
        size = _inflated_size(data, match.end(), min(per_stream, total - inflated))
        inflated += size
        if size > per_stream or inflated > total:
            raise _bomb()


def _validate_pdf(data: bytes, sha256: str) -> ValidatedFile:
    import pypdfium2 as pdfium

    # A complete PDF ends with %%EOF (readers look in the last KB); a cut one does not.
    if b"%%EOF" not in data[-1024:]:
        if _pdf_encrypted_marker(data):
            raise _encrypted()
        raise _broken()
    if _pdf_encrypted_marker(data):
        raise _encrypted()
    check_inflated_streams(data)
    limit_pages, limit_pixels = max_pages(), max_pixels()
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            text = str(exc).lower()
            if "password" in text or "security" in text:
                raise _encrypted() from exc
            raise _broken() from exc
        except Exception as exc:
            raise _broken() from exc
        try:
            count = len(pdf)
            if count <= 0:
                raise _broken()
            if count > limit_pages:
                raise _too_many_pages(count, limit_pages)
            for index in range(count):
                try:
                    page = pdf[index]
                except Exception as exc:
                    raise _broken() from exc
                try:
                    width_pt, height_pt = page.get_size()
                finally:
                    page.close()
                if width_pt <= 0 or height_pt <= 0:
                    raise _broken()
                pixels = (width_pt / 72 * PDF_CHECK_DPI) * (height_pt / 72 * PDF_CHECK_DPI)
                if pixels > limit_pixels:
                    raise _bomb()
        finally:
            pdf.close()
    return ValidatedFile(content_type=PDF, extension="pdf", page_count=count, size=len(data), sha256=sha256)


# --------------------------------------------------------------------------- images


def _open_image(data: bytes, content_type: str) -> Image.Image:
    return Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[content_type]])


def _check_pixels(image: Image.Image, limit: int) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise _broken()
    if width * height > limit:
        raise _bomb()


def _validate_image(data: bytes, sha256: str, content_type: str) -> ValidatedFile:
    if getattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False):  # someone relaxed Pillow globally: refuse to guess
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False for document validation")
    limit_pages, limit_pixels = max_pages(), max_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # 1. header + structure (CRCs for PNG), sizes checked before any decoding
            with _open_image(data, content_type) as image:
                _check_pixels(image, limit_pixels)
                image.verify()
            # 2. decode for real, one frame at a time
            with _open_image(data, content_type) as image:
                width, height = image.size
                frames = getattr(image, "n_frames", 1) if content_type == TIFF else 1
                if frames > limit_pages:
                    raise _too_many_pages(frames, limit_pages)
                for frame in range(frames):
                    if frame:
                        image.seek(frame)
                    _check_pixels(image, limit_pixels)
                    if content_type == JPEG:
                        # Scaled decode: reads every byte of the scan, at 1/64 of the memory.
                        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()
        except DocumentRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb() from exc
        except (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError, TypeError) as exc:
            raise _broken() from exc  # MemoryError is the sandbox's to report: too large to process
    return ValidatedFile(
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        page_count=frames,
        size=len(data),
        sha256=sha256,
        width=width,
        height=height,
    )


# --------------------------------------------------------------------------- entry points


def validate_bytes(data: bytes, sha256: str | None = None) -> ValidatedFile:
    """Validate content already read (``read_limited`` enforces size); raises ``DocumentRejected``."""
    if not data:
        raise DocumentRejected(Code.EMPTY, _("The file is empty."))
    limit = max_bytes()
    if len(data) > limit:
        raise too_large(limit)
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    content_type = sniff(data)
    if content_type is None:
        raise _unsupported()
    check_polyglot(data, content_type)
    if content_type == PDF:
        return _parse_bounded(_validate_pdf, data, sha256)
    return _parse_bounded(_validate_image, data, sha256, content_type)


def _parse_bounded(parse, *args) -> ValidatedFile:
    """``parse(*args)`` in the sandbox; a file that exhausts its memory or time is refused as too large to process."""
    try:
        return sandbox.call(parse, *args)
    except sandbox.ResourcesExceeded as exc:
        logger.warning("document refused, its parser exceeded the sandbox: %s", exc)
        raise _bomb() from exc


def validate(source: bytes | bytearray | memoryview | BinaryIO) -> tuple[ValidatedFile, bytes]:
    """Read (bounded) and validate ``source``; returns the verdict and the bytes that were checked."""
    data, sha256 = read_limited(source)
    return validate_bytes(data, sha256), data


# --------------------------------------------------------------------------- names

_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*;]')


def sanitise_name(name: str | None, *, max_length: int = 200) -> str:
    """A display name from the customer's file name: no path, no control or shell/HTTP-header characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return "document"
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: max_length - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:max_length]
    return name


_ALIASES = {"jpg": {"jpg", "jpeg", "jpe"}, "tif": {"tif", "tiff"}, "pdf": {"pdf"}, "png": {"png"}}


def download_name(name: str, extension: str) -> str:
    """``name`` with the extension the content was recognised as (``poder.pdf.exe`` → ``poder.pdf.exe.pdf``)."""
    name = sanitise_name(name)
    current = name.rpartition(".")[2].lower() if "." in name else ""
    if current in _ALIASES.get(extension, {extension}):
        return name
    return f"{name}.{extension}"
