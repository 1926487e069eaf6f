"""Tesseract through pytesseract: one process per page, single-threaded."""

from __future__ import annotations

import functools
import os
import re
import subprocess

import numpy as np

# Tesseract's OpenMP threads fight each other (and Celery workers): measured ~8x
# slower on 2 cores without this.  setdefault keeps an operator's explicit value.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402
from PIL import Image  # noqa: E402

from .results import Word  # noqa: E402

# spa+cat covers the documents; eng costs ~13% more time per page (measured) and
# is opt-in through OCR_LANGS=spa+cat+eng or the ``langs`` argument.
DEFAULT_LANGS = os.environ.get("OCR_LANGS", "spa+cat")


class OcrTimeout(Exception):
    pass


class OcrUnavailable(Exception):
    pass


@functools.lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:
        return frozenset()


def resolve_langs(langs: str | None) -> str:
    """Keep only installed languages (falls back to eng, then to tesseract's default)."""
    wanted = [x for x in (langs or DEFAULT_LANGS).split("+") if x]
    have = available_languages()
    if not have:
        return "+".join(wanted)
    ok = [x for x in wanted if x in have]
    if ok:
        return "+".join(ok)
    for fallback in ("spa", "cat", "eng"):
        if fallback in have:
            return fallback
    return sorted(have)[0]


def _pil(gray: np.ndarray) -> Image.Image:
    im = Image.fromarray(gray)
    im.format = "PPM"  # (PGM for "L") uncompressed hand-over to tesseract: no PNG encode cost
    return im


def ocr_words(
    gray: np.ndarray,
    *,
    langs: str | None = None,
    psm: int = 3,
    timeout: float = 60,
    dpi: int = 300,
    invert: bool = False,
) -> tuple[list[Word], float | None]:
    """Run tesseract on an upright grayscale page.  Returns (words, mean confidence).

    ``invert=False`` skips tesseract's per-line search for white-on-black text
    (tessedit_do_invert): faster on document pages (measured).  No --dpi and
    default --oem, like plain ``tesseract``: both flags measured ~5-10% slower;
    tesseract estimates the resolution of the (already ~300 dpi) page itself.
    ``dpi`` is kept for API compatibility and ignored."""
    lang = resolve_langs(langs)
    extra = "" if invert else " -c tessedit_do_invert=0"
    try:
        data = pytesseract.image_to_data(
            _pil(gray), lang=lang, config=f"--psm {psm}{extra}", output_type=pytesseract.Output.DICT, timeout=timeout
        )
    except RuntimeError as e:  # pytesseract's timeout
        if "timeout" in str(e).lower():
            raise OcrTimeout(str(e)) from e
        raise
    except pytesseract.TesseractNotFoundError as e:
        raise OcrUnavailable("tesseract is not installed") from e
    words: list[Word] = []
    confs: list[float] = []
    n = len(data.get("text", []))
    for i in range(n):
        text = (data["text"][i] or "").strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if not text or conf < 0:
            continue
        line_id = data["block_num"][i] * 100000 + data["par_num"][i] * 1000 + data["line_num"][i]
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        words.append(Word(text, x, y, x + w, y + h, conf, line_id))
        if any(c.isalnum() for c in text):
            confs.append(conf)
    mean = sum(confs) / len(confs) if confs else None
    return words, mean


_ROTATE_RE = re.compile(r"Rotate:\s*(\d+)")
_CONF_RE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def osd_rotation(gray: np.ndarray, timeout: float = 20) -> tuple[int, float] | None:
    """Tesseract OSD (needs osd.traineddata): clockwise rotation to apply, confidence."""
    if "osd" not in available_languages():
        return None
    try:
        out = pytesseract.image_to_osd(_pil(gray), config="--psm 0 -c min_characters_to_try=10", timeout=timeout)
    except (pytesseract.TesseractError, RuntimeError, subprocess.SubprocessError):
        return None
    m, c = _ROTATE_RE.search(out), _CONF_RE.search(out)
    if not m:
        return None
    return int(m.group(1)) % 360, float(c.group(1)) if c else 0.0


_GOOD_WORD = re.compile(r"^[\W_]*(?:[A-ZÀ-ÖØ-Þ]?[a-zß-öø-ÿ·'’]{2,}|[A-ZÀ-ÖØ-Þ·'’]{3,}|\d[\d.,/\-]*\d)[\W_]*$")
_VOWELS = set("aeiouáéíóúàèòïüAEIOUÁÉÍÓÚÀÈÒÏÜyY")


def quality(words: list[Word]) -> tuple[int, float]:
    """(well-formed confident words, mean confidence) to compare OCR attempts.

    Upside-down or sideways text gives confident-looking garbage such as
    'OLN3IWIDVN' or 'vIJOS': only well-formed words (one case pattern, with a
    vowel, or a plain number) count."""
    good = 0
    confs = []
    for w in words:
        t = w.text
        if sum(ch.isalnum() for ch in t) < 3:
            continue
        confs.append(w.conf)
        if w.conf >= 70 and _GOOD_WORD.match(t) and (any(ch in _VOWELS for ch in t) or any(ch.isdigit() for ch in t)):
            good += 1
    return good, (sum(confs) / len(confs) if confs else 0.0)
