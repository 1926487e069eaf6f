"""Rendering page previews (PNG), one page at a time so memory stays bounded. No storage, no DB.

Rendering runs in a bounded child process (``documents.sandbox``): a file that would take
more memory or time than it allows fails its previews instead of the worker.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image

from . import sandbox
from .validation import JPEG, PDF, PDFIUM_LOCK, DocumentRejected, check_inflated_streams, max_pixels

PDF_PREVIEW_DPI = 110
MAX_SIDE = 1600  # long side of an image preview, and the cap for a PDF page preview
#: The resolutions a verifier may ask for one page at ("zoom"), rendered on demand; and the long side they may reach.
ZOOM_DPIS = (200, 300)
ZOOM_MAX_SIDE = 5000


T = Image.Transpose
_TRANSPOSE = {
    2: T.FLIP_LEFT_RIGHT,
    3: T.ROTATE_180,
    4: T.FLIP_TOP_BOTTOM,
    5: T.TRANSPOSE,
    6: T.ROTATE_270,
    7: T.TRANSVERSE,
    8: T.ROTATE_90,
}


class PreviewError(Exception):
    """The stored file cannot be rendered (it passed validation, so this is a bad-file case, not transient)."""


@dataclass(frozen=True)
class RenderedPage:
    index: int
    png: bytes
    width: int
    height: int


def _displayable(image: Image.Image) -> Image.Image:
    """8-bit L/LA/RGB/RGBA, so resampling is smooth (bilevel fax scans, palettes, 16-bit, CMYK)."""
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode.startswith("I;16"):
        import numpy as np

        return Image.fromarray((np.asarray(image, dtype=np.uint16) >> 8).astype(np.uint8), "L")
    if mode in ("I", "F"):
        return image.convert("L")
    if mode in ("P", "PA", "RGBa", "La"):
        return image.convert("RGBA")
    return image.convert("RGB")


def _png(image: Image.Image) -> bytes:
    import numpy as np

    image = _displayable(image)
    if image.mode == "L":
        return _grey_png(np.asarray(image, dtype=np.uint8))
    if image.mode == "RGB":
        return _rgb_png(np.asarray(image))
    return _colour_png(image)


def _rgb_png(pixels) -> bytes:
    """The PNG of an RGB array (any strides): 8-bit grey when every pixel is grey (text-layer
    PDFs, black-and-white scans: a third of the bytes), else in colour."""
    import numpy as np

    if np.array_equal(pixels[..., 0], pixels[..., 1]) and np.array_equal(pixels[..., 1], pixels[..., 2]):
        return _grey_png(pixels[..., 0])
    return _colour_png(Image.fromarray(np.ascontiguousarray(pixels), "RGB"))


def _colour_png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=1)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _grey_png(pixels) -> bytes:
    """An 8-bit greyscale PNG of a 2-D uint8 array (any strides), with no row filter, deflated at level 3.

    Document pages are mostly flat white with dark text, which deflate handles well unfiltered:
    about 3x faster than Pillow's encoder (which tries every filter on every row) and a
    slightly smaller file. Photos keep Pillow's encoder (they are RGB, or grey only when
    scanned in grey, where this is still a valid, lossless PNG).
    """
    import numpy as np

    height, width = pixels.shape
    rows = np.empty((height, width + 1), dtype=np.uint8)
    rows[:, 0] = 0  # first byte of each row: filter 0 (none)
    rows[:, 1:] = pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit, colour type 0 (grey)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(rows, 3))
        + _png_chunk(b"IEND", b"")
    )


def _render_pdf(
    data: bytes, dpi: int = PDF_PREVIEW_DPI, max_side: int = MAX_SIDE, only: int | None = None
) -> Iterator[RenderedPage]:
    import pypdfium2 as pdfium

    try:  # files stored before the cap existed are measured too
        check_inflated_streams(data)
    except DocumentRejected as exc:
        raise PreviewError(f"stream too large: {exc.code}") from exc
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except Exception as exc:
            raise PreviewError(f"cannot open PDF: {exc}") from exc
    try:
        with PDFIUM_LOCK:
            count = len(pdf)
        for index in range(count) if only is None else [only] if 0 <= only < count else []:
            with PDFIUM_LOCK:
                page = pdf[index]
                try:
                    width_pt, height_pt = page.get_size()
                    scale = dpi / 72
                    longest = max(width_pt, height_pt) * scale
                    if longest > max_side:
                        scale *= max_side / longest
                    bitmap = page.render(scale=scale, rotation=0, rev_byteorder=True)  # RGB
                    try:
                        pixels = bitmap.to_numpy()  # read in place: no copy into a Pillow image
                        height, width = pixels.shape[:2]
                        png = _rgb_png(pixels)
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            yield RenderedPage(index=index, png=png, width=width, height=height)
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def _render_image(
    data: bytes, dpi: int = PDF_PREVIEW_DPI, max_side: int = MAX_SIDE, only: int | None = None
) -> Iterator[RenderedPage]:
    """An image has no page size to render at: ``dpi`` does not apply, ``max_side`` caps its long side."""
    limit = max_pixels()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "TIFF"]) as image:
            frames = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
            for index in range(frames) if only is None else [only] if 0 <= only < frames else []:
                if index:
                    image.seek(index)
                if image.width * image.height > limit:
                    raise PreviewError("image too large")
                if image.format == "JPEG":
                    image.draft(image.mode, (max_side, max_side))  # decode at a reduced scale where possible
                frame = image.copy() if frames > 1 else image
                frame.load()
                orientation = frame.getexif().get(0x0112, 1)
                frame = _displayable(frame)
                frame.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                if orientation in _TRANSPOSE:  # phone photos: honour the EXIF rotation
                    frame = frame.transpose(_TRANSPOSE[orientation])
                png = _png(frame)
                yield RenderedPage(index=index, png=png, width=frame.width, height=frame.height)
                del frame


def render_pages(
    data: bytes, content_type: str, *, dpi: int = PDF_PREVIEW_DPI, max_side: int = MAX_SIDE, only: int | None = None
) -> Iterator[RenderedPage]:
    """Yield one PNG per page (or only page ``only``). Any failure to decode, or to stay within the sandbox,
    surfaces as ``PreviewError``."""
    renderer = _render_pdf if content_type == PDF else _render_image
    iterator = sandbox.iterate(renderer, data, dpi, max_side, only)
    while True:
        try:
            page = next(iterator)
        except StopIteration:
            return
        except PreviewError:
            raise
        except Exception as exc:  # Pillow / pdfium raise many kinds for a bad file
            raise PreviewError(f"{type(exc).__name__}: {exc}") from exc
        yield page


def render_zoomed_page(data: bytes, content_type: str, *, index: int, dpi: int) -> RenderedPage | None:
    """Page ``index`` at ``dpi`` (one of ``ZOOM_DPIS``), for a verifier's zoom; an image page at its own resolution
    up to the same long side a PDF page reaches. None when there is no such page."""
    if dpi not in ZOOM_DPIS:
        raise ValueError(f"zoom resolution not offered: {dpi}")
    max_side = min(ZOOM_MAX_SIDE, round(MAX_SIDE * dpi / PDF_PREVIEW_DPI))
    return next(iter(render_pages(data, content_type, dpi=dpi, max_side=max_side, only=index)), None)


#: A quarter turn clockwise (as the viewer turns a page upright) as PIL's transposition.
_QUARTER_TURNS = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


def crop_png(
    png: bytes, *, left: float, top: float, width: float, height: float, turn: int = 0, margin: float = 0.005
) -> bytes:
    """The part of a page image given in shares of its size (0..1), with a small margin, as a PNG; turned ``turn``
    degrees clockwise (0, 90, 180 or 270: the turn that sets the scanned page upright), so it reads upright."""
    if turn not in (0, *_QUARTER_TURNS):
        raise ValueError(f"not a quarter turn: {turn}")
    with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
        w, h = image.size
        box = (
            max(0, int((left - margin) * w)),
            max(0, int((top - margin) * h)),
            min(w, int((left + width + margin) * w) + 1),
            min(h, int((top + height + margin) * h) + 1),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            raise ValueError("empty crop")
        crop = image.crop(box)
        return _png(crop.transpose(_QUARTER_TURNS[turn]) if turn else crop)


__all__ = [
    "JPEG",
    "PDF",
    "ZOOM_DPIS",
    "PreviewError",
    "RenderedPage",
    "crop_png",
    "render_pages",
    "render_zoomed_page",
]
