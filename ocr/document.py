"""Opening uploaded files and reading one page at a time.

Supported: PDF (text layer or rasterised), JPEG, PNG, TIFF (multi-page), BMP,
GIF, WebP.  Anything else, or anything broken, raises :class:`UnreadableError`
with a human readable ``reason`` (callers turn it into verdict "unreadable").
"""

from __future__ import annotations

import ctypes
import io
import os
import re
import threading
import time
from dataclasses import dataclass
from typing import Union

import numpy as np
from PIL import Image

from . import engine, identifiers, imaging
from .results import TEXT_LAYER_LINE_BASE, PageText, Word

FileInput = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]"]

RENDER_DPI = 300
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 80_000_000  # decoded image limit (~A3 at 600 dpi); JPEGs may be drafted down first
MAX_RENDER_PIXELS = 40_000_000  # PDF page raster limit (A4 at 300 dpi is 8.7 MP)
MIN_TEXT_LAYER_ALNUM = 40

# Pillow's own bomb check stays on (default ~89 MP warns, 2x raises); we check
# sizes ourselves before decoding, so the global limit is only lowered, never raised.
if Image.MAX_IMAGE_PIXELS is None or Image.MAX_IMAGE_PIXELS > MAX_PIXELS * 2:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS * 2

# pdfium is not thread-safe: serialise access within a process
_PDFIUM_LOCK = threading.RLock()


class UnreadableError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class OcrOptions:
    langs: str | None = None
    page_timeout: float = 60.0  # seconds of tesseract per page (all attempts)
    fix_orientation: bool = True
    text_layer_only: bool = False  # a page that needs OCR comes back as None instead


def load(file: FileInput) -> tuple[str, bytes]:
    """(display name, bytes) from bytes, a path, or a binary file object."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        return "<bytes>", bytes(file)
    if hasattr(file, "read"):
        name = os.path.basename(str(getattr(file, "name", "") or "<stream>"))
        data = file.read(MAX_FILE_BYTES + 1)
        if isinstance(data, str):
            raise UnreadableError("text stream, not a document")
        if len(data) > MAX_FILE_BYTES:
            raise UnreadableError("file too large")
        return name, data
    path = os.fspath(file)
    name = os.path.basename(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise UnreadableError("file too large")
        with open(path, "rb") as fh:
            return name, fh.read()
    except UnreadableError:
        raise
    except OSError as e:
        raise UnreadableError(f"cannot read file: {e.strerror or e.__class__.__name__}") from e


def sniff(data: bytes) -> str | None:
    head = data[:16]
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"BM"):
        return "bmp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def describe_unknown(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if not data:
        return "empty file"
    if head.startswith(b"pk\x03\x04"):
        return "unsupported format: zip archive (office document?)"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "unsupported format: HTML page"
    if head.startswith((b"<?xml", b"<svg")):
        return "unsupported format: XML/SVG"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "unsupported format: legacy office document"
    return "unsupported format"


# --------------------------------------------------------------------------- sources


class Source:
    kind = "?"

    def __len__(self) -> int:  # pragma: no cover
        raise NotImplementedError

    def read(self, index: int, opts: OcrOptions) -> PageText:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_source(data: bytes) -> Source:
    if not data:
        raise UnreadableError("empty file")
    kind = sniff(data)
    if kind is None:
        raise UnreadableError(describe_unknown(data))
    if kind == "pdf":
        return PdfSource(data)
    return ImageSource(data, kind)


def count_pages(data: FileInput) -> int:
    """Number of pages.  Raises UnreadableError for unusable input."""
    _, raw = load(data)
    with open_source(raw) as src:
        return len(src)


def read_page(
    data: FileInput,
    page_index: int,
    *,
    langs: str | None = None,
    page_timeout: float = 60.0,
    text_layer_only: bool = False,
) -> PageText | None:
    """Read one page (text layer or OCR).  Never raises: errors come back as a
    PageText with ``source == "error"`` and ``error`` set.  With ``text_layer_only``
    a page that would need OCR (an image, a scanned PDF page) is not rendered:
    the answer is None, so a caller can read text layers at once and queue the rest."""
    t0 = time.monotonic()
    try:
        _, raw = load(data)
        with open_source(raw) as src:
            if not 0 <= page_index < len(src):
                return PageText(page_index, source="error", error="no such page")
            return src.read(
                page_index, OcrOptions(langs=langs, page_timeout=page_timeout, text_layer_only=text_layer_only)
            )
    except UnreadableError as e:
        return PageText(page_index, source="error", error=e.reason, seconds=time.monotonic() - t0)
    except Exception as e:  # pragma: no cover - defensive
        return PageText(
            page_index, source="error", error=f"internal error: {e.__class__.__name__}", seconds=time.monotonic() - t0
        )


# --------------------------------------------------------------------------- OCR of a raster


def _located(
    pt: PageText, page_matrix: np.ndarray, frame: np.ndarray | None, upload_size: tuple[int, int] | None
) -> PageText:
    """Set ``pt.to_upload``: from the page image (``page_matrix`` maps the raster given to :func:`ocr_gray`
    to it) back to the upload as displayed (``frame`` maps that raster to the upload's displayed pixels)."""
    if frame is None or not upload_size or not (pt.width and pt.height):
        return pt
    try:
        m = frame @ np.linalg.inv(page_matrix)
    except np.linalg.LinAlgError:
        return pt
    if not np.isfinite(m).all() or abs(m[2, 2]) < 1e-12:
        return pt
    pt.to_upload = (m / m[2, 2]).ravel().tolist()
    pt.upload_width, pt.upload_height = int(upload_size[0]), int(upload_size[1])
    return pt


def _poor(words: list[Word], good: int) -> bool:
    """A read with few well-formed words (see ``engine.quality``): the page may be turned."""
    return (good < 8 or good < 0.3 * len(words)) and len(words) >= 3


def _clearly_upright(words: list[Word], good: int) -> bool:
    """A page read this well was upright: text read upside down gives few well-formed words (see
    ``engine.quality``), so the 180-degree second opinion would only cost a second tesseract run.  Measured on
    the corpora's ID copies, cards and photos read both ways: the first reads a turned read then replaced had 1 to
    15 well-formed words, at most 18% of their words of three or more characters; reads of 20 or more had 56 to
    97% (those under 60% are still read turned)."""
    long_words = sum(1 for w in words if sum(ch.isalnum() for ch in w.text) >= 3)
    return good >= 20 and good >= 0.6 * long_words


def ocr_gray(
    index: int,
    gray: np.ndarray,
    dpi: float | None,
    opts: OcrOptions,
    *,
    detect_page: bool = True,
    frame: np.ndarray | None = None,
    upload_size: tuple[int, int] | None = None,
) -> PageText:
    """OCR one raster.  ``frame`` (3x3, pixel edges) maps the raster to the upload as displayed, of
    ``upload_size`` (width, height) pixels; with it the page's ``to_upload`` is set."""
    pt, page_matrix = _ocr_gray(index, gray, dpi, opts, detect_page=detect_page)
    if page_matrix is not None:
        _located(pt, page_matrix, frame, upload_size)
    return pt


def _ocr_gray(
    index: int, gray: np.ndarray, dpi: float | None, opts: OcrOptions, *, detect_page: bool = True
) -> tuple[PageText, np.ndarray | None]:
    """The page read, and the matrix from ``gray`` to the page image read (None on early errors)."""
    t0 = time.monotonic()
    deadline = t0 + opts.page_timeout
    if gray.size == 0 or gray.shape[0] < 8 or gray.shape[1] < 8:
        return PageText(index, source="error", error="image too small", seconds=time.monotonic() - t0), None
    if opts.fix_orientation:
        prep = imaging.prepare(gray, dpi, detect_page=detect_page)
    else:
        resized = imaging.resize(gray, imaging.target_scale(gray.shape[1], gray.shape[0], dpi))
        prep = imaging.Prepared(
            resized, 1.0, 0, 0.0, False, False, matrix=imaging.resize_matrix(gray.shape, resized.shape)
        )
    del gray
    img = prep.gray
    page_matrix = prep.matrix if prep.matrix is not None else np.eye(3)  # raster -> current ``img``

    def located(pt: PageText) -> tuple[PageText, np.ndarray]:
        return pt, page_matrix

    h, w = img.shape
    card_like = max(h, w) < 3400 and 1.45 < w / max(h, 1) < 1.9  # ID-1 cards are 1.586
    if not card_like:  # a card's big bold letters are no rules; its fields are not ruled
        img = imaging.erase_rules(img)
    psm = 11 if card_like else 3
    runs = 0

    def run(image: np.ndarray, psm_: int):
        nonlocal runs
        remaining = deadline - time.monotonic()
        if remaining < 1:
            raise engine.OcrTimeout("page time limit")
        runs += 1
        return engine.ocr_words(image, langs=opts.langs, psm=psm_, timeout=remaining, invert=card_like)

    rotation = prep.rotation
    if imaging.ink_fraction(img) < 0.0005:  # blank page: nothing for tesseract to read
        return located(
            PageText(
                index,
                width=w,
                height=h,
                source="ocr",
                words=[],
                rotation=rotation,
                skew=prep.skew,
                scale=prep.scale,
                seconds=time.monotonic() - t0,
            )
        )
    try:
        words, mean = run(img, psm)
    except engine.OcrTimeout:
        return located(
            PageText(
                index,
                width=w,
                height=h,
                source="error",
                error="OCR time limit exceeded",
                rotation=rotation,
                skew=prep.skew,
                scale=prep.scale,
                seconds=time.monotonic() - t0,
                tesseract_runs=runs,
            )
        )
    except engine.OcrUnavailable as e:
        return PageText(index, source="error", error=str(e), seconds=time.monotonic() - t0), None
    except Exception as e:
        return PageText(
            index,
            source="error",
            error=f"OCR failed: {e.__class__.__name__}",
            seconds=time.monotonic() - t0,
            tesseract_runs=runs,
        ), None
    good, mconf = engine.quality(words)
    try:  # second opinions; on time-out or error the best read so far is kept
        if (
            opts.fix_orientation
            and (card_like or prep.orientation_score < 0.2)
            and len(words) >= 3
            and not _clearly_upright(words, good)
        ):
            # 0 vs 180 is uncertain (cards, all-caps layouts): read both ways
            alt = imaging.rotate_quarter(img, 180)
            w2, m2 = run(alt, psm)
            g2, c2 = engine.quality(w2)
            if (g2, c2) > (good, mconf):
                page_matrix = imaging.quarter_matrix(180, img.shape[1], img.shape[0]) @ page_matrix
                img, words, mean, good, mconf = alt, w2, m2, g2, c2
                rotation = (rotation + 180) % 360
        else:
            if _poor(words, good) and opts.fix_orientation:
                # level lines read poorly are most often a page upside down (36 of the 40 such first reads of the
                # corpora's ID copies, cards and photos; the other 4 no turn mended): the half turn is read first,
                # and tesseract's orientation detection is asked only when that read is poor too (words standing
                # up are a page on its side: then it is asked at once)
                half = not _sideways(words)
                tries = [180] if half else []
                asked = False
                while True:
                    poor = _poor(words, good)
                    if asked and not poor:
                        break  # OSD's turn read well: its half-turn second guess is not needed
                    if not tries:
                        if asked or not poor:
                            break
                        asked = True
                        small = imaging.resize(img, 0.5) if max(h, w) > 2000 else img
                        osd = engine.osd_rotation(small, timeout=max(1.0, min(20.0, deadline - time.monotonic())))
                        runs += 1
                        if osd and osd[0] != 0:
                            # an unsure OSD (a card, sparse capitals) may be a half turn out: try that too
                            tries = [osd[0]] + ([180] if osd[1] < 2.0 and osd[0] != 180 else [])
                        elif not (osd and osd[1] >= 2.0):  # a confident OSD: upright, just sparse or poor
                            tries = [180]
                        tries = [t for t in tries if not (half and t == 180)]  # the half turn was read
                        continue
                    rot = tries.pop(0)
                    alt = imaging.rotate_quarter(img, rot)
                    w2, m2 = run(alt, psm)
                    g2, c2 = engine.quality(w2)
                    if (g2, c2) > (good, mconf):
                        page_matrix = imaging.quarter_matrix(rot, img.shape[1], img.shape[0]) @ page_matrix
                        img, words, mean, good, mconf = alt, w2, m2, g2, c2
                        rotation = (rotation + rot) % 360
        turn = _sideways(words) if opts.fix_orientation else 0
        if turn:  # tesseract read the lines standing up: the page is still on its side
            alt = imaging.rotate_quarter(img, turn)
            w2, m2 = run(alt, psm)
            g2, c2 = engine.quality(w2)
            # a read standing up has its boxes on their side (no row, column or label beside a value holds): the
            # read lying flat is kept unless it is clearly worse
            if g2 >= 0.8 * good:
                page_matrix = imaging.quarter_matrix(turn, img.shape[1], img.shape[0]) @ page_matrix
                img, words, mean, good, mconf = alt, w2, m2, g2, c2
                rotation = (rotation + turn) % 360
        if card_like and good < 6:
            w2, m2 = run(img, 3)
            g2, c2 = engine.quality(w2)
            if g2 > good:
                words, mean, good, mconf = w2, m2, g2, c2
        if deadline - time.monotonic() > 5:
            words, looked = _second_look(img, words, opts, deadline)
            runs += looked
    except Exception:  # OcrTimeout, tesseract errors: keep the first read
        pass
    return located(
        PageText(
            index,
            width=img.shape[1],
            height=img.shape[0],
            source="ocr",
            words=words,
            rotation=rotation,
            skew=prep.skew,
            scale=prep.scale if not prep.cropped else 0.0,
            mean_conf=mean,
            seconds=time.monotonic() - t0,
            tesseract_runs=runs,
        )
    )


#: a word that looks like a NIF, NIE or CIF (8 to 10 letters and digits once its separators go, six or more
#: digits) but is none as printed: read again
_ID_SHAPED = re.compile(r"^(?=(?:[^0-9]*[0-9]){6})[A-Za-z0-9]{8,10}$")
SECOND_LOOK_SCALES = (1.0, 1.25, 1.5)
SECOND_LOOK_MAX_WORDS = 6


_DATE_SHAPED = re.compile(r"^\W*\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}\W*$")
#: the label an identifier follows ("N.I.F.", "DNI/NIE", "C.I.F.:", "NIE núm.")
_ID_LABEL = re.compile(r"^\W*(?:n\.?i\.?f|d\.?n\.?i|n\.?i\.?e|c\.?i\.?f|dni/nie|nif/nie|num|núm|nº|n\.º)\W*$", re.I)


def _suspect_identifier(words: list[Word], k: int) -> bool:
    """Word ``k`` is shaped like an identifier but is none as printed: one with a letter, or digits only (a DNI whose
    letter was read as a digit) right after an identifier's label; never a date."""
    text = words[k].text
    value = identifiers.compact(text)
    if not _ID_SHAPED.match(value) or identifiers.is_valid(value) or _DATE_SHAPED.match(text):
        return False
    if _after_sheet_label(words, k) or _NO_IDENTIFIER.search(text) or _BRACKET_LETTER.match(text):
        return False
    if identifiers.letter_read_as_digit_checks(value):
        return False  # "313408965": an S read as 5, and S is the check letter of 31340896: read again it says so
    before = [w for w in words[max(0, k - 3) : k] if w.line == words[k].line]
    if any(_PASSPORT_LABEL.match(w.text) for w in before):
        return False  # a passport's number ("Passport No. PRT M54126435", "pasaporte n.º M54126435")
    if not value.isdigit():
        return True
    return any(_ID_LABEL.match(w.text) for w in before)


#: what no identifier looks like even misread: three letters first (a DNI's support number "IDESP TXZ367740") or a
#: year after a slash (a reference "AUT-422/2026")
_NO_IDENTIFIER = re.compile(r"^\W*[A-Za-z]{3}|/(?:19|20)\d\d\W*$")
#: a DNI whose letter was read as a bracket ("53553259),"): the check letter is computed from the digits
#: (identifiers.find_identifiers), which a second reading could only read the same
_BRACKET_LETTER = re.compile(r"^\W*\d{2}\.?\d{3}\.?\d{3}-?[\]\})|][,.;:]*$")
_PASSPORT_LABEL = re.compile(r"^\W*(?:pasaporte|passport|passaport|pasaport)\W*$", re.I)
#: the label of a registry sheet number
_SHEET_LABEL = re.compile(r"^\W*(?:hoja|h|full|fulla)\W*$", re.I)


def _after_sheet_label(words: list[Word], k: int) -> bool:
    """Word ``k`` follows a registry sheet's label, maybe at the end of the line above ("Hoja SE-132638",
    "H B-1082740", "full GI-680823"): a sheet number, no identifier."""
    return k > 0 and bool(_SHEET_LABEL.match(words[k - 1].text))


#: a control letter printed apart from its number ("Z5206396 Y"): the whole-page read may fold the gap into the
#: number and still make a valid identifier of it, so both words are read again together
_CONTROL_LETTER = re.compile(rf"^[{identifiers.NIF_LETTERS}][.,;:)]?$")


def _letter_apart(words: list[Word], k: int) -> bool:
    """Word ``k`` is identifier-shaped (valid or not) and the next word on its line is a lone capital control
    letter."""
    if k + 1 >= len(words) or words[k + 1].line != words[k].line or not _CONTROL_LETTER.match(words[k + 1].text):
        return False
    value = identifiers.compact(words[k].text)
    if words[k].text.endswith((",", ";")) or _after_sheet_label(words, k):
        return False  # the lone capital after a comma starts something else
    if not (_ID_SHAPED.match(value) or (value.isdigit() and 7 <= len(value) <= 8)) or _DATE_SHAPED.match(words[k].text):
        return False
    # read right already when the two words make a valid identifier as printed (with an NIE's letter apart before
    # them: "Y 7786006 Z")
    lead = (
        words[k - 1].text
        if k > 0 and words[k - 1].line == words[k].line and words[k - 1].text in ("X", "Y", "Z")
        else ""
    )
    joined = f"{lead}{words[k].text} {words[k + 1].text}"
    return not any(not c.corrected for c in identifiers.find_identifiers(joined))


def _second_look(img: np.ndarray, words: list[Word], opts: OcrOptions, deadline: float) -> tuple[list[Word], int]:
    """Identifier-shaped words that are no valid identifier read again, alone, at three sizes (one tesseract run
    for all of them: the crops stacked on one white page).  A word becomes the identifier that two of the three
    readings agree on (look-alike repairs included), when exactly one is so agreed and the first reading did not
    give it: a reading of the whole page may take "36601686S" for "360016865" or "Z8793761S" for "487937615",
    and the same pixels read alone give the printed value back.  A word no
    reading agrees on keeps its first reading (the claim check then fails or finds nothing: a person looks).
    Returns the words and the tesseract runs made (0 or 1)."""
    suspects: list[tuple[int, int]] = []  # (first word, last word) read again together
    for k in range(len(words)):
        if _letter_apart(words, k):
            suspects.append((k, k + 1))
        elif (
            _suspect_identifier(words, k)
            and not (suspects and suspects[-1][1] == k)
            and not (
                k + 1 < len(words) and words[k + 1].line == words[k].line and _CONTROL_LETTER.match(words[k + 1].text)
            )
        ):
            suspects.append((k, k))
    suspects = suspects[:SECOND_LOOK_MAX_WORDS]
    if not suspects:
        return words, 0
    strips, owners = [], []
    for k, last in suspects:
        w, z = words[k], words[last]
        y0, y1 = min(w.y0, z.y0), max(w.y1, z.y1)
        m = max(4, int(0.4 * (y1 - y0)))
        right = z.x1 + m
        if identifiers.compact(z.text).isdigit():
            # the letter the page's read dropped ("89.837.373-V." read "89.837.373."): up to four characters
            # further right, short of the next word on the line
            char = (z.x1 - z.x0) / max(1, len(z.text))
            after = words[last + 1] if last + 1 < len(words) and words[last + 1].line == z.line else None
            room = z.x1 + 4 * char if after is None else min(z.x1 + 4 * char, after.x0 - 2)
            right = max(right, int(room))
        crop = img[max(0, y0 - m) : y1 + m, max(0, w.x0 - m) : max(right, z.x1 + 1)]
        if crop.size == 0:
            continue
        for scale in SECOND_LOOK_SCALES:
            strips.append(imaging.resize(crop, scale))
            owners.append((k, last))
    if not strips:
        return words, 0
    gap = 40
    canvas = np.full(
        (sum(s.shape[0] for s in strips) + gap * (len(strips) + 1), max(s.shape[1] for s in strips) + 2 * gap),
        255,
        dtype=np.uint8,
    )
    spans, y = [], gap
    for strip in strips:
        canvas[y : y + strip.shape[0], gap : gap + strip.shape[1]] = strip
        spans.append((y, y + strip.shape[0]))
        y += strip.shape[0] + gap
    # one language model is enough for letters and digits, and loads in two thirds of the time of spa+cat (measured)
    one_language = engine.resolve_langs(opts.langs).split("+")[0]
    found, _ = engine.ocr_words(
        canvas, langs=one_language, psm=6, timeout=max(1.0, min(20.0, deadline - time.monotonic()))
    )
    texts: list[list[str]] = [[] for _ in strips]
    for w in found:
        middle = (w.y0 + w.y1) / 2
        for j, (a, b) in enumerate(spans):
            if a <= middle <= b:
                texts[j].append(w.text)
                break
    votes: dict[tuple[int, int], dict[str, int]] = {}
    as_read: dict[str, int] = {}
    for j, owner in enumerate(owners):
        # each reading votes once for every identifier it can be read as (look-alike repairs included)
        for c in {c.value: c for c in identifiers.find_identifiers("".join(texts[j]))[::-1]}.values():
            votes.setdefault(owner, {}).setdefault(c.value, 0)
            votes[owner][c.value] += 1
            as_read[c.value] = as_read.get(c.value, 0) + (not c.corrected)
    out: list[Word | None] = list(words)
    for (k, last), tally in votes.items():
        agreed = [value for value, count in tally.items() if count >= 2]
        if len(agreed) == 2 and agreed[0][1:] == agreed[1][1:]:  # an NIE's Z and a DNI's 2: what was printed
            agreed = [max(agreed, key=lambda v: as_read.get(v, 0))]
        first = {c.value for c in identifiers.find_identifiers(" ".join(x.text for x in words[k : last + 1]))}
        if len(agreed) == 1 and agreed[0] not in first:
            w, z = words[k], words[last]
            tail = z.text[len(z.text.rstrip(",.;:)")) :]
            out[k] = Word(agreed[0] + tail, w.x0, min(w.y0, z.y0), z.x1, max(w.y1, z.y1), w.conf, w.line)
            out[k + 1 : last + 1] = [None] * (last - k)  # the letter apart is now part of the identifier
    return [w for w in out if w is not None], 1


def _sideways(words: list[Word]) -> int:
    """The clockwise quarter turn that lays vertical text flat (0 when the words lie flat): most
    words of four or more characters are taller than wide, and a line runs down (270) or up (90)."""
    long = [w for w in words if sum(c.isalnum() for c in w.text) >= 4]
    if len(long) < 3 or sum((w.y1 - w.y0) > 1.5 * (w.x1 - w.x0) for w in long) < 0.6 * len(long):
        return 0
    down = up = 0
    by_line: dict[int, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    for ws in by_line.values():
        for a, b in zip(ws, ws[1:]):
            if b.y0 > a.y0:
                down += 1
            elif b.y0 < a.y0:
                up += 1
    return 270 if down >= up else 90


# --------------------------------------------------------------------------- images

_SWAPS_SIDES = (5, 6, 7, 8)  # EXIF orientations displayed with width and height exchanged


def _exif_orientation(im: Image.Image) -> int:
    try:
        value = int(im.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1
    return value if 1 <= value <= 8 else 1


class ImageSource(Source):
    def __init__(self, data: bytes, kind: str):
        self.kind = kind
        try:
            self.im = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as e:
            raise UnreadableError("image too large (decompression bomb)") from e
        except Exception as e:
            raise UnreadableError(f"broken {kind} image") from e
        w, h = self.im.size
        if w <= 0 or h <= 0:
            raise UnreadableError(f"broken {kind} image")
        limit = MAX_PIXELS * (16 if kind == "jpeg" else 1)
        if w * h > limit:
            raise UnreadableError(f"image too large ({w}x{h} pixels)")
        self.n = 1
        if kind == "tiff":
            self.n = max(1, int(getattr(self.im, "n_frames", 1) or 1))

    def __len__(self) -> int:
        return self.n

    def close(self) -> None:
        try:
            self.im.close()
        except Exception:
            pass

    def _dpi(self, im: Image.Image) -> float | None:
        dpi = im.info.get("dpi")
        try:
            d = float(dpi[0]) if isinstance(dpi, (tuple, list)) else float(dpi)
        except (TypeError, ValueError, IndexError):
            return None
        w, h = im.size
        inches = max(w, h) / d if d else 0
        if not (2.0 <= inches <= 20.0):  # phone photos claim 72 dpi: ignore nonsense
            return None
        return d

    def read(self, index: int, opts: OcrOptions) -> PageText | None:
        if opts.text_layer_only:
            return None  # an image is always OCR
        t0 = time.monotonic()
        try:
            im = self.im
            if self.n > 1:
                im.seek(index)
            dpi = self._dpi(im)
            w, h = im.size
            orientation = _exif_orientation(im)
            if im.format == "JPEG":
                # the decoder gives the luminance only (no colour conversion), at 1/2, 1/4 or 1/8 of the size
                # when less is needed
                s = imaging.target_scale(w, h, dpi)
                need = min(s, (MAX_PIXELS / (w * h)) ** 0.5)
                im.draft("L", (max(1, int(w * need)), max(1, int(h * need))) if need < 0.95 else (w, h))
                if dpi:
                    dpi = dpi * im.size[0] / w
            if im.size[0] * im.size[1] > MAX_PIXELS:
                raise UnreadableError(f"image too large ({w}x{h} pixels)")
            im.load()
            gray = imaging.exif_upright(imaging.to_gray(im), orientation)
            # the upload as displayed: the full-size image after its EXIF turn (as previews show it); the
            # raster read is that frame, drafted down by the JPEG decoder
            shown = (h, w) if orientation in _SWAPS_SIDES else (w, h)
            frame = imaging.scale_matrix(shown[0] / gray.shape[1], shown[1] / gray.shape[0])
        except UnreadableError as e:
            return PageText(index, source="error", error=e.reason, seconds=time.monotonic() - t0)
        except Image.DecompressionBombError:
            return PageText(
                index, source="error", error="image too large (decompression bomb)", seconds=time.monotonic() - t0
            )
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as e:
            return PageText(
                index,
                source="error",
                error=f"broken {self.kind} image ({e.__class__.__name__})",
                seconds=time.monotonic() - t0,
            )
        pt = ocr_gray(index, gray, dpi, opts, frame=frame, upload_size=shown)
        pt.seconds = time.monotonic() - t0
        return pt


# --------------------------------------------------------------------------- PDF


def _pdfium():
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    return pdfium, pdfium_c


class PdfSource(Source):
    kind = "pdf"

    def __init__(self, data: bytes):
        pdfium, pdfium_c = _pdfium()
        self._data = data  # keep the buffer alive for pdfium
        with _PDFIUM_LOCK:
            try:
                self.pdf = pdfium.PdfDocument(data)
            except pdfium.PdfiumError as e:
                msg = str(e).lower()
                if "password" in msg or "security" in msg:
                    raise UnreadableError("encrypted PDF (password protected)") from e
                raise UnreadableError("broken PDF") from e
            except Exception as e:
                raise UnreadableError("broken PDF") from e
            try:
                self.n = len(self.pdf)
            except Exception as e:
                raise UnreadableError("broken PDF") from e
        if self.n <= 0:
            raise UnreadableError("PDF has no pages")

    def __len__(self) -> int:
        return self.n

    def close(self) -> None:
        with _PDFIUM_LOCK:
            try:
                self.pdf.close()
            except Exception:
                pass

    def read(self, index: int, opts: OcrOptions) -> PageText:
        t0 = time.monotonic()
        pdfium, pdfium_c = _pdfium()
        try:
            with _PDFIUM_LOCK:
                page = self.pdf[index]
                try:
                    w_pt, h_pt = page.get_size()
                    if not (w_pt > 0 and h_pt > 0):
                        raise UnreadableError("PDF page has no size")
                    scale = RENDER_DPI / 72.0
                    if w_pt * h_pt * scale * scale > MAX_RENDER_PIXELS:
                        scale = (MAX_RENDER_PIXELS / (w_pt * h_pt)) ** 0.5
                    W, H = max(1, round(w_pt * scale)), max(1, round(h_pt * scale))
                    words, stats = _text_layer(page, pdfium_c, W, H)
                    # few words are the page's text only when nothing else is drawn on it
                    real = _is_decodable_text(words, stats) and (
                        _is_enough_text(words, stats) or _only_text(page, pdfium_c)
                    )
                    image_cover = _image_coverage(page, pdfium_c, w_pt, h_pt) if real else 1.0
                    if real and not (image_cover > 0.5 and stats["alnum"] < 400):
                        # the words are in pixels of the page as rendered (with its /Rotate): the
                        # displayed frame itself
                        return PageText(
                            index,
                            width=W,
                            height=H,
                            source="text_layer",
                            words=words,
                            scale=scale * 72.0 / RENDER_DPI,
                            mean_conf=100.0,
                            seconds=time.monotonic() - t0,
                            to_upload=np.eye(3).ravel().tolist(),
                            upload_width=W,
                            upload_height=H,
                        )
                    if opts.text_layer_only:
                        return None
                    _check_renderable(page, pdfium_c)
                    bitmap = page.render(scale=scale, grayscale=True, may_draw_forms=True)
                    try:
                        arr = bitmap.to_numpy()
                        gray = np.ascontiguousarray(arr.reshape(arr.shape[0], arr.shape[1], -1)[:, :, 0])
                    finally:
                        bitmap.close()
                finally:
                    page.close()
        except UnreadableError as e:
            return PageText(index, source="error", error=e.reason, seconds=time.monotonic() - t0)
        except Exception as e:
            return PageText(
                index, source="error", error=f"broken PDF page ({e.__class__.__name__})", seconds=time.monotonic() - t0
            )
        # the raster is the page as displayed (pdfium applies the page's /Rotate), in its own pixels
        pt = ocr_gray(
            index,
            gray,
            RENDER_DPI * scale * 72.0 / RENDER_DPI,
            opts,
            detect_page=False,
            frame=np.eye(3),
            upload_size=(gray.shape[1], gray.shape[0]),
        )
        if real and pt.source == "ocr" and pt.rotation == 0 and pt.scale == 1.0:
            # keep the (sparse) text layer too, e.g. a CSV footer on a scanned page
            base = TEXT_LAYER_LINE_BASE
            pt.words.extend(Word(w.text, w.x0, w.y0, w.x1, w.y1, w.conf, base + w.line) for w in words)
        pt.seconds = time.monotonic() - t0
        return pt


class _Pdfium:
    """The few pdfium functions read once per character, re-declared from the same entry points
    with plain ``void*`` / ``int`` arguments: no pointer-type checks or ``byref`` objects per call
    (pypdfium2's declarations do both). Same functions, same results."""

    def __init__(self, c):
        vp, ci, cu, cd = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double

        def proto(fn, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, vp).value)

        self.unicode = proto(c.FPDFText_GetUnicode, cu, vp, ci)
        self.char_box = proto(c.FPDFText_GetCharBox, ci, vp, ci, vp, vp, vp, vp)
        self.text_object = proto(c.FPDFText_GetTextObject, vp, vp, ci)
        self.render_mode = proto(c.FPDFTextObj_GetTextRenderMode, ci, vp)
        self.fill_color = proto(c.FPDFText_GetFillColor, ci, vp, ci, vp, vp, vp, vp)
        self.font_size = proto(c.FPDFText_GetFontSize, cd, vp, ci)
        self.page_to_device = proto(c.FPDF_PageToDevice, ci, vp, ci, ci, ci, ci, ci, cd, cd, vp, vp)
        self.device_to_page = proto(c.FPDF_DeviceToPage, ci, vp, ci, ci, ci, ci, ci, ci, ci, vp, vp)


_PDFIUM_FNS: _Pdfium | None = None


def _pdfium_fns(c) -> _Pdfium:
    global _PDFIUM_FNS
    if _PDFIUM_FNS is None:
        _PDFIUM_FNS = _Pdfium(c)
    return _PDFIUM_FNS


class _ToDevice:
    """``FPDF_PageToDevice(page, 0, 0, W, H, 0, x, y)`` for many points at once, with the same
    integers pdfium gives.

    pdfium maps a point with the page's display matrix (an affine map, in float32) and rounds to the
    nearest integer.  The matrix is recovered from pdfium itself (``FPDF_DeviceToPage`` of three
    corners) and the points are mapped with numpy in float64; the prediction differs from pdfium's
    float32 value by far less than a thousandth of a pixel (measured: < 2e-4 px on an A4 page at 300
    dpi), so a rounded prediction is exact unless the value lies within ``GUARD`` of a rounding
    boundary (k + 0.5).  Those points -- a few percent -- and any non-finite or huge value are asked
    of pdfium itself, as is every point when the model fails its self-check on the page."""

    GUARD = 0.01  # px, plus GUARD_REL * |value|
    GUARD_REL = 2e-6
    LIMIT = 1e6  # |value| beyond this: ask pdfium (float32 spacing grows with the value)

    def __init__(self, fns: _Pdfium, page_addr: int, W: int, H: int):
        self.fns, self.page, self.W, self.H = fns, page_addr, W, H
        self._out = (ctypes.c_int * 2)()
        self._addr = ctypes.addressof(self._out)
        self.model = None
        try:
            self.model = self._fit()
        except Exception:
            self.model = None

    def exact(self, x: float, y: float) -> tuple[int, int]:
        a = self._addr
        self._out[0] = self._out[1] = 0
        self.fns.page_to_device(self.page, 0, 0, self.W, self.H, 0, x, y, a, a + 4)
        return self._out[0], self._out[1]

    def _fit(self):
        buf = (ctypes.c_double * 2)()
        addr = ctypes.addressof(buf)
        pts = []
        for dx, dy in ((0, 0), (self.W, 0), (0, self.H)):
            if not self.fns.device_to_page(self.page, 0, 0, self.W, self.H, 0, dx, dy, addr, addr + 8):
                return None
            pts.append((buf[0], buf[1]))
        p0 = np.array(pts[0])
        inv = np.column_stack([(np.array(pts[1]) - p0) / self.W, (np.array(pts[2]) - p0) / self.H])
        if not np.all(np.isfinite(inv)) or abs(np.linalg.det(inv)) < 1e-12:
            return None
        m = np.linalg.inv(inv)
        model = (m, p0)
        # self-check against pdfium: points that land a quarter pixel either side of an integer
        targets = np.array(
            [
                [0.0, 0.0],
                [self.W * 0.31 + 0.25, self.H * 0.62 + 0.75],
                [self.W * 0.73 + 0.75, self.H * 0.17 + 0.25],
                [self.W - 0.75, self.H - 0.25],
                [11.25, self.H * 0.5 - 0.75],
            ]
        )
        page_pts = p0[:, None] + inv @ targets.T
        xs, ys = page_pts[0], page_pts[1]
        got_x, got_y = self._predict(model, xs, ys)
        for k in range(len(xs)):
            if (got_x[k], got_y[k]) != self.exact(float(xs[k]), float(ys[k])):
                return None
        return model

    def _predict(self, model, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m, p0 = model
        with np.errstate(all="ignore"):
            # pdfium takes the point as float32
            x32 = xs.astype(np.float32).astype(np.float64) - p0[0]
            y32 = ys.astype(np.float32).astype(np.float64) - p0[1]
            out = []
            risky = np.zeros(len(xs), dtype=bool)
            for row in (0, 1):
                v = m[row, 0] * x32 + m[row, 1] * y32
                frac = v - np.floor(v)
                tame = np.isfinite(v) & (np.abs(v) <= self.LIMIT)
                risky |= ~tame | (np.abs(frac - 0.5) < self.GUARD + self.GUARD_REL * np.abs(v))
                out.append(np.where(tame, np.floor(v + 0.5), 0).astype(np.int64))
        ix, iy = out
        for k in np.flatnonzero(risky).tolist():
            ix[k], iy[k] = self.exact(float(xs[k]), float(ys[k]))
        return ix, iy

    def points(self, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Device (x, y) of every page point (xs[k], ys[k]), as integer arrays."""
        if self.model is not None:
            return self._predict(self.model, xs, ys)
        ix = np.zeros(len(xs), dtype=np.int64)
        iy = np.zeros(len(xs), dtype=np.int64)
        for k, (x, y) in enumerate(zip(xs.tolist(), ys.tolist())):
            ix[k], iy[k] = self.exact(x, y)
        return ix, iy


# character classes of the text layer loop
_NEWLINE, _BLANK, _CHAR = 0, 1, 2
_EXTRA_PRINTABLE = "ºª°€·’‘“”«»–—¡¿´¨"


def _char_class(code: int) -> int:
    ch = chr(code) if 0 < code < 0x110000 else ""
    if ch in ("\r", "\n"):
        return _NEWLINE
    if not ch or ch.isspace() or code == 0xFFFE:
        return _BLANK
    return _CHAR


def _is_weird(ch: str) -> bool:
    return not ch.isalnum() and not (ch.isprintable() and (ch.isascii() or ch in _EXTRA_PRINTABLE))


class _Chars:
    """The characters of a text page as the word grouping sees them.

    ``kinds[i]``: _NEWLINE, _BLANK or _CHAR for every character ``i``; ``cand``: the indices of
    the _CHAR ones, in order; for each of those (same order) ``has_box``, ``visible`` (drawn and on
    the page; False without a box) and ``box`` (left, right, bottom, top in content space)."""

    def __init__(
        self,
        codes: list[int],
        kinds: list[int],
        cand: list[int],
        has_box: list[int],
        visible: np.ndarray,
        box: np.ndarray,
    ):
        self.codes, self.kinds, self.cand, self.has_box, self.visible, self.box = (
            codes,
            kinds,
            cand,
            has_box,
            visible,
            box,
        )


#: grouped words: texts, line numbers, and per word [left, bottom, right, top] of the word's box
#: and the centres (x, y) of its first and last characters, all in content space
_Grouped = tuple[list[str], list[int], np.ndarray, dict]


def _group_words_scalar(ch: _Chars) -> _Grouped:
    """Words, character by character (the reference for :func:`_group_words`)."""
    found: list[tuple] = []
    cur: list[str] = []
    box = [0.0, 0.0, 0.0, 0.0]  # content space: left, bottom, right, top
    first_end = last_end = (0.0, 0.0)  # content-space centres of the word's first and last char
    line = 0
    last = None  # previous char box in content space
    chars = alnum = dropped = weird = 0
    lefts, rights, bottoms, tops = (ch.box[:, k].tolist() for k in range(4))
    visible = ch.visible.tolist()

    def flush():
        nonlocal cur
        if cur:
            t = "".join(cur).strip()
            if t:
                found.append((t, line, box[0], box[1], box[2], box[3], *first_end, *last_end))
        cur = []

    slot = dict(zip(ch.cand, range(len(ch.cand))))
    for i, kind in enumerate(ch.kinds):
        if kind == _NEWLINE:
            flush()
            line += 1
            last = None
            continue
        if kind == _BLANK:
            flush()
            continue
        chars += 1
        j = slot[i]
        if not ch.has_box[j]:
            dropped += 1
            continue
        if not visible[j]:
            dropped += 1
            flush()
            last = None
            continue
        c = chr(ch.codes[i])
        l_, r_, b_, t_ = lefts[j], rights[j], bottoms[j], tops[j]
        if c.isalnum():
            alnum += 1
        elif _is_weird(c):
            weird += 1
        if last is not None:
            pl, pr, pb, pt = last
            size = max(t_ - b_, r_ - l_, pt - pb, pr - pl, 1.0)
            v_overlap = min(t_, pt) - max(b_, pb)
            h_overlap = min(r_, pr) - max(l_, pl)
            if v_overlap > 0.3 * min(t_ - b_, pt - pb) and (t_ - b_) > 0:
                gap = max(l_ - pr, pl - r_)  # horizontal text (either direction)
                if gap > 0.55 * size:
                    flush()
            elif h_overlap > 0.3 * min(r_ - l_, pr - pl) and (r_ - l_) > 0:
                gap = max(b_ - pt, pb - t_)  # vertical text
                if gap > 0.55 * size:
                    flush()
            else:
                flush()
                line += 1
        if not cur:
            box = [l_, b_, r_, t_]
            first_end = last_end = ((l_ + r_) / 2, (b_ + t_) / 2)
        else:
            box = [min(box[0], l_), min(box[1], b_), max(box[2], r_), max(box[3], t_)]
            last_end = ((l_ + r_) / 2, (b_ + t_) / 2)
        cur.append(c)
        last = (l_, r_, b_, t_)
    flush()
    stats = {"chars": chars, "alnum": alnum, "dropped": dropped, "weird": weird}
    geometry = np.array([w[2:] for w in found], dtype=np.float64).reshape(len(found), 8)
    return [w[0] for w in found], [w[1] for w in found], geometry, stats


def _group_words(ch: _Chars) -> _Grouped:
    """Words of the visible characters: the same words as :func:`_group_words_scalar`, with the
    per-character comparisons done for all characters at once.

    A word ends at a blank, a line break or a dropped invisible character, and before a
    character whose box is too far from the previous character's (or not beside it: then a new
    line starts).  The previous character is the last one kept unless a line break or an
    invisible character came in between; a character without a box changes nothing.  Falls
    back to the character loop when a box is not finite (comparisons with NaN)."""
    cand = np.asarray(ch.cand, dtype=np.intp)
    has_box = np.asarray(ch.has_box, dtype=bool)
    visible = np.asarray(ch.visible, dtype=bool)
    kept = np.flatnonzero(visible)  # kept characters, indices into cand (visible implies a box)
    box = ch.box[kept]
    if not np.isfinite(box).all():
        return _group_words_scalar(ch)
    kinds = np.asarray(ch.kinds, dtype=np.int8)
    newline = kinds == _NEWLINE
    reset = newline.copy()  # events that forget the previous character (and end the word)
    reset[cand[has_box & ~visible]] = True
    ends_word = reset | (kinds == _BLANK)
    stats = {
        "chars": len(ch.cand),
        "alnum": 0,
        "dropped": int(np.count_nonzero(~has_box)) + int(np.count_nonzero(has_box & ~visible)),
        "weird": 0,
    }
    if not len(kept):
        return [], [], np.zeros((0, 8)), stats
    pos = cand[kept]  # character index of each kept character
    codes = [ch.codes[i] for i in pos.tolist()]
    text = "".join(map(chr, codes))
    for c in set(text):
        k = text.count(c)
        if c.isalnum():
            stats["alnum"] += k
        elif _is_weird(c):
            stats["weird"] += k

    l, r, b, t = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    # pairs (previous kept character, this one) for every kept character after the first
    cum_reset, cum_end, cum_newline = np.cumsum(reset), np.cumsum(ends_word), np.cumsum(newline)
    forgot = cum_reset[pos[1:]] != cum_reset[pos[:-1]]
    ended = cum_end[pos[1:]] != cum_end[pos[:-1]]
    pl, pr, pb, pt = l[:-1], r[:-1], b[:-1], t[:-1]
    cl, cr, cb, ct = l[1:], r[1:], b[1:], t[1:]
    ch_, cw, ph, pw = ct - cb, cr - cl, pt - pb, pr - pl
    size = np.maximum(np.maximum(np.maximum(ch_, cw), np.maximum(ph, pw)), 1.0)
    v_overlap = np.minimum(ct, pt) - np.maximum(cb, pb)
    h_overlap = np.minimum(cr, pr) - np.maximum(cl, pl)
    horizontal = (v_overlap > 0.3 * np.minimum(ch_, ph)) & (ch_ > 0)
    vertical = ~horizontal & (h_overlap > 0.3 * np.minimum(cw, pw)) & (cw > 0)
    apart = (horizontal & (np.maximum(cl - pr, pl - cr) > 0.55 * size)) | (
        vertical & (np.maximum(cb - pt, pb - ct) > 0.55 * size)
    )
    new_line = ~forgot & ~horizontal & ~vertical
    apart &= ~forgot
    starts_word = np.concatenate([[True], ended | apart | new_line])
    lines = cum_newline[pos] + np.concatenate([[0], np.cumsum(new_line)])

    starts = np.flatnonzero(starts_word)
    stops = np.append(starts[1:], len(kept))
    geometry = np.column_stack(
        [
            np.minimum.reduceat(l, starts),
            np.minimum.reduceat(b, starts),
            np.maximum.reduceat(r, starts),
            np.maximum.reduceat(t, starts),
            (l[starts] + r[starts]) / 2,
            (b[starts] + t[starts]) / 2,
            (l[stops - 1] + r[stops - 1]) / 2,
            (b[stops - 1] + t[stops - 1]) / 2,
        ]
    )
    texts = [text[s:e].strip() for s, e in zip(starts.tolist(), stops.tolist())]
    word_lines = lines[starts].tolist()
    if not all(texts):  # pragma: no cover - kept characters are never blank
        keep = [k for k, w in enumerate(texts) if w]
        texts, word_lines, geometry = [texts[k] for k in keep], [word_lines[k] for k in keep], geometry[keep]
    return texts, word_lines, geometry, stats


def _text_layer(page, c, W: int, H: int) -> tuple[list[Word], dict]:
    """Visible characters of the text layer grouped into words, with boxes in
    the W x H page-image pixel space.  Invisible (render mode 3), white, tiny
    and off-page characters are ignored: a pass must come from visible text.

    pdfium is asked for each character's code, box and text object (a render mode, fill colour
    and font size belong to the text object: asked once per object); the page-to-device mapping
    and the grouping into words are done for all characters at once (see :class:`_ToDevice`,
    :func:`_group_words`)."""
    tp = page.get_textpage()
    words: list[Word] = []
    stats = {"chars": 0, "alnum": 0, "dropped": 0, "weird": 0}
    try:
        n = tp.count_chars()
        if n <= 0:
            return words, stats
        n = min(n, 200_000)
        fns = _pdfium_fns(c)
        tpa = ctypes.cast(tp.raw, ctypes.c_void_p).value
        pga = ctypes.cast(page.raw, ctypes.c_void_p).value
        get_unicode, get_box, get_object = fns.unicode, fns.char_box, fns.text_object

        codes = [get_unicode(tpa, i) for i in range(n)]
        classes: dict[int, int] = {}
        kinds = []
        for code in codes:
            k = classes.get(code)
            if k is None:
                k = classes[code] = _char_class(code)
            kinds.append(k)
        cand = [i for i, k in enumerate(kinds) if k == _CHAR]
        m = len(cand)
        # boxes of the characters (left, right, bottom, top), 32 bytes per character
        boxes = (ctypes.c_double * (4 * max(m, 1)))()
        base = ctypes.addressof(boxes)
        has_box = [get_box(tpa, i, a, a + 8, a + 16, a + 24) for i, a in zip(cand, range(base, base + 32 * m, 32))]
        box = np.frombuffer(boxes, dtype=np.float64, count=4 * m).reshape(m, 4).copy()

        # visibility from the text object: render mode, fill colour, font size
        rgba = (ctypes.c_uint * 4)()
        ra = ctypes.addressof(rgba)
        obj_visible: dict[int, bool] = {}

        def paint_visible(i: int, visible: bool) -> bool:
            rgba[0] = rgba[1] = rgba[2] = rgba[3] = 0
            if visible and fns.fill_color(tpa, i, ra, ra + 4, ra + 8, ra + 12):
                if rgba[3] == 0 or (rgba[0] > 235 and rgba[1] > 235 and rgba[2] > 235):
                    visible = False
            if visible and fns.font_size(tpa, i) < 3.0:
                visible = False
            return visible

        boxed = [j for j in range(m) if has_box[j]]
        objects = [get_object(tpa, cand[j]) for j in boxed]
        for obj, j in zip(objects, boxed):  # first character of each text object
            if obj and obj not in obj_visible:
                obj_visible[obj] = paint_visible(cand[j], fns.render_mode(obj) not in (3, 7))
        visible = np.zeros(m, dtype=bool)
        visible[boxed] = [obj_visible[obj] if obj else paint_visible(cand[j], True) for obj, j in zip(objects, boxed)]

        # off-page characters: device corners (left, top) and (right, bottom) of the box
        dev = _ToDevice(fns, pga, W, H)
        shown = np.flatnonzero(visible)
        if len(shown):
            k = len(shown)
            dx, dy = dev.points(
                np.concatenate([box[shown, 0], box[shown, 1]]), np.concatenate([box[shown, 3], box[shown, 2]])
            )
            x0, x1, y0, y1 = dx[:k], dx[k:], dy[:k], dy[k:]
            off = (
                (np.maximum(x0, x1) < 0)
                | (np.maximum(y0, y1) < 0)
                | (np.minimum(x0, x1) > W)
                | (np.minimum(y0, y1) > H)
            )
            visible[shown[off]] = False

        texts, lines, geo, stats = _group_words(_Chars(codes, kinds, cand, has_box, visible, box))

        # device boxes of the words: the four corners of each content-space box, and the
        # centres of the first and last characters of words of three or more characters
        directions: list[tuple[int, int]] = []
        if texts:
            k = len(texts)
            L, B, R, T = geo[:, 0], geo[:, 1], geo[:, 2], geo[:, 3]
            dx, dy = dev.points(
                np.concatenate([L, R, L, R, geo[:, 4], geo[:, 6]]), np.concatenate([B, T, T, B, geo[:, 5], geo[:, 7]])
            )
            cx, cy = dx[: 4 * k].reshape(4, k), dy[: 4 * k].reshape(4, k)
            x0, y0, x1, y1 = (
                cx.min(axis=0).tolist(),
                cy.min(axis=0).tolist(),
                cx.max(axis=0).tolist(),
                cy.max(axis=0).tolist(),
            )
            ddx, ddy = (dx[5 * k :] - dx[4 * k : 5 * k]).tolist(), (dy[5 * k :] - dy[4 * k : 5 * k]).tolist()
            for q, w in enumerate(texts):
                words.append(Word(w, x0[q], y0[q], x1[q], y1[q], 100.0, lines[q]))
                if len(w) >= 3:
                    directions.append((ddx[q], ddy[q]))
    finally:
        tp.close()
    return _reading_order(words, directions), stats


def _reading_order(words: list[Word], directions: list[tuple[int, int]]) -> list[Word]:
    """Order lines and words as displayed: text may run in any of the four
    directions on a rotated page (PDF /Rotate or a rotated text matrix)."""
    if not words:
        return words
    sx = sum(d[0] for d in directions)
    sy = sum(d[1] for d in directions)
    if abs(sx) >= abs(sy):
        along = (lambda w: w.x0) if sx >= 0 else (lambda w: -w.x1)
        along_end = (lambda w: w.x1) if sx >= 0 else (lambda w: -w.x0)
        band = (lambda w: (w.y0, w.y1)) if sx >= 0 else (lambda w: (-w.y1, -w.y0))
    else:
        along = (lambda w: w.y0) if sy >= 0 else (lambda w: -w.y1)
        along_end = (lambda w: w.y1) if sy >= 0 else (lambda w: -w.y0)
        band = (lambda w: (-w.x1, -w.x0)) if sy >= 0 else (lambda w: (w.x0, w.x1))
    by: dict[int, list[Word]] = {}
    for w in words:
        by.setdefault(w.line, []).append(w)
    lines = list(by.values())
    for ws in lines:
        ws.sort(key=along)
    lines.sort(key=lambda ws: sorted(sum(band(w)) / 2 for w in ws)[len(ws) // 2])
    # pieces of one printed line split by a raised or lowered glyph ("Dª", "nº"): one row, in order
    rows: list[list[list[Word]]] = []
    for ws in lines:
        lo, hi = sorted(band(w)[0] for w in ws)[len(ws) // 2], sorted(band(w)[1] for w in ws)[len(ws) // 2]
        if rows:
            row = rows[-1]
            r_lo, r_hi = row[0][1], row[0][2]
            overlap = min(hi, r_hi) - max(lo, r_lo)
            apart = all(along_end(ws[-1]) <= along(p[0]) or along_end(p[-1]) <= along(ws[0]) for _, _, _, p in row)
            if overlap > 0.6 * min(hi - lo, r_hi - r_lo) and apart:
                row.append((along(ws[0]), lo, hi, ws))
                continue
        rows.append([(along(ws[0]), lo, hi, ws)])
    out: list[Word] = []
    for row in rows:
        first = row[0][3][0].line
        for *_, ws in sorted(row, key=lambda piece: piece[0]):
            for w in ws:
                w.line = first
                out.append(w)
    return out


def _is_enough_text(words: list[Word], stats: dict) -> bool:
    """Enough words for a text layer to be the page's text whatever else is drawn on it."""
    return stats["alnum"] >= MIN_TEXT_LAYER_ALNUM and len(words) >= 5


def _is_decodable_text(words: list[Word], stats: dict) -> bool:
    """Words a reader can take as text: few undecodable characters, and words with vowels (a font without a
    Unicode map gives consonant soup)."""
    if not words or stats["weird"] > 0.1 * max(1, stats["chars"]):
        return False
    alpha = [w.text for w in words if len(w.text) >= 3 and sum(map(str.isalpha, w.text)) >= 3]
    if not alpha:
        return False
    vowels = frozenset("aeiouáéíóúàèòïüAEIOUÁÉÍÓÚÀÈÒÏÜyY")
    with_vowel = sum(1 for t in alpha if not vowels.isdisjoint(t))
    return with_vowel >= 0.6 * len(alpha)


def _only_text(page, c) -> bool:
    """The page is drawn with text objects alone (no image, no path, no shading): its text layer is all there is
    to read, however little (a cover page with a notary's name)."""
    try:
        return all(obj.type == c.FPDF_PAGEOBJ_TEXT for obj in page.get_objects(max_depth=2))
    except Exception:
        return False


def _image_coverage(page, c, w_pt: float, h_pt: float) -> float:
    """Fraction of the page covered by the largest image object."""
    best = 0.0
    try:
        for obj in page.get_objects(filter=[c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            try:
                l, b, r, t = obj.get_pos()
            except Exception:
                continue
            area = max(0.0, min(r, w_pt) - max(l, 0)) * max(0.0, min(t, h_pt) - max(b, 0))
            best = max(best, area / (w_pt * h_pt))
    except Exception:
        return 0.0
    return best


MAX_PAGE_OBJECTS = 300_000
MAX_EMBEDDED_IMAGE_PIXELS = 150_000_000


def _check_renderable(page, c) -> None:
    """Refuse pages whose rendering would blow the time or memory budget
    (pdfium cannot be interrupted once rendering starts)."""
    try:
        n = c.FPDFPage_CountObjects(page.raw)
    except Exception:
        return
    if n > MAX_PAGE_OBJECTS:
        raise UnreadableError(f"PDF page too complex ({n} objects)")
    try:
        for obj in page.get_objects(filter=[c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
            try:
                w, h = obj.get_px_size()
            except Exception:
                continue
            if w * h > MAX_EMBEDDED_IMAGE_PIXELS:
                raise UnreadableError(f"PDF embeds an image too large to decode ({w}x{h} pixels)")
    except UnreadableError:
        raise
    except Exception:
        return
