"""Cheap image preparation before OCR: size, page crop, lighting, orientation, skew.

Everything heavy is measured on a small (~1000 px) binarised copy; the full
resolution image only gets at most one resize, one perspective warp, one
normalisation pass, one 90-degree transpose and one small-angle rotation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

TARGET_DPI = 300
A4_LONG_PX = 3508  # A4 long side at 300 dpi
MAX_LONG_PX = 4200  # above this (unknown dpi) the image is downscaled
MIN_LONG_PX = 2000  # below this (unknown dpi) the image is upscaled: small photos, 150 dpi scans


@dataclass
class Prepared:
    gray: np.ndarray  # uint8, upright, deskewed
    scale: float  # output px per input px (before rotation)
    rotation: int  # clockwise degrees applied (0, 90, 180, 270)
    skew: float  # degrees of small-angle correction applied
    cropped: bool  # perspective/page crop applied
    normalised: bool
    orientation_score: float = 1.0  # |upside-down score|: low means 0/180 is uncertain


def to_gray(img) -> np.ndarray:
    """PIL image -> uint8 grayscale array (alpha flattened on white)."""
    from PIL import Image

    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        img = img.convert("RGBA")
        bg = Image.new("RGBA", img.size, (255, 255, 255, 255))
        bg.alpha_composite(img)
        img = bg
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float32)
        mx = float(arr.max()) or 1.0
        return np.clip(arr * (255.0 / mx), 0, 255).astype(np.uint8)
    if img.mode == "F":
        arr = np.asarray(img, dtype=np.float32)
        return np.clip(arr, 0, 255).astype(np.uint8)
    if img.mode != "L":
        img = img.convert("L")
    return np.asarray(img, dtype=np.uint8)


def target_scale(w: int, h: int, dpi: float | None) -> float:
    long_side = max(w, h)
    if dpi and 72 <= dpi <= 2400:
        target = TARGET_DPI if long_side / dpi > 6.0 else 2 * TARGET_DPI  # cards: keep detail
        s = target / dpi
        if s < 0.9:  # oversampled scan (e.g. 600 dpi)
            return max(s, A4_LONG_PX / long_side if long_side > A4_LONG_PX else s)
        if target / dpi > 1.75:  # 150 dpi and below: too small for tesseract
            return min(s, 2.0)
        return 1.0
    if long_side > MAX_LONG_PX:
        return A4_LONG_PX / long_side if long_side > 1.25 * A4_LONG_PX else MAX_LONG_PX / long_side
    if long_side < MIN_LONG_PX:
        return min(2.5, MIN_LONG_PX * 1.6 / long_side) if long_side < 1400 else A4_LONG_PX / long_side
    return 1.0


def resize(gray: np.ndarray, scale: float) -> np.ndarray:
    if abs(scale - 1.0) < 0.03:
        return gray
    h, w = gray.shape[:2]
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=interp)


def _small(gray: np.ndarray, long_side: int = 1000) -> tuple[np.ndarray, float]:
    """Downscaled copy with long side <= ``long_side`` (integer factor: fast path)."""
    h, w = gray.shape
    if max(h, w) <= long_side:
        return gray, 1.0
    n = -(-max(h, w) // long_side)
    out = cv2.resize(gray, (max(1, w // n), max(1, h // n)), interpolation=cv2.INTER_LINEAR)
    return out, out.shape[1] / w


# --------------------------------------------------------------------------- page crop (photos)

def find_page_quad(gray: np.ndarray, small: np.ndarray | None = None) -> np.ndarray | None:
    """Corners (tl, tr, br, bl) of a bright page photographed on a darker
    background, in full-resolution coordinates, or None (plain scans)."""
    if small is None:
        small, _ = _small(gray, 800)
    f = small.shape[1] / gray.shape[1]
    if max(small.shape) > 900:
        g = 800 / max(small.shape)
        small = cv2.resize(small, (max(1, int(small.shape[1] * g)), max(1, int(small.shape[0] * g))),
                           interpolation=cv2.INTER_AREA)
        f *= g
    h, w = small.shape
    # cheap rejection first: plain scans have a white border
    border = np.concatenate([small[:6].ravel(), small[-6:].ravel(), small[:, :6].ravel(), small[:, -6:].ravel()])
    centre = small[h // 4:3 * h // 4, w // 4:3 * w // 4]
    if np.median(border) > np.percentile(centre, 75) - 25:
        return None
    blur = cv2.GaussianBlur(small, (7, 7), 0)
    _, th = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    th = cv2.morphologyEx(th, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    contours, _ = cv2.findContours(th, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    if area < 0.25 * w * h or area > 0.985 * w * h:
        return None
    peri = cv2.arcLength(c, True)
    approx = None
    for eps in (0.01, 0.02, 0.03, 0.05):
        a = cv2.approxPolyDP(c, eps * peri, True)
        if len(a) == 4:
            approx = a.reshape(4, 2).astype(np.float32)
            break
    if approx is None:
        rect = cv2.minAreaRect(c)
        approx = cv2.boxPoints(rect).astype(np.float32)
    if not cv2.isContourConvex(approx.astype(np.int32)):
        return None
    # order corners
    s = approx.sum(axis=1)
    d = np.diff(approx, axis=1).ravel()
    quad = np.array([approx[np.argmin(s)], approx[np.argmin(d)], approx[np.argmax(s)], approx[np.argmax(d)]],
                    dtype=np.float32)
    return quad / f


def warp_quad(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = quad
    wa = np.linalg.norm(tr - tl)
    wb = np.linalg.norm(br - bl)
    ha = np.linalg.norm(bl - tl)
    hb = np.linalg.norm(br - tr)
    w = int(max(wa, wb))
    h = int(max(ha, hb))
    # normalise to ~300 dpi A4 equivalent on the long side
    long_side = max(w, h)
    f = min(1.3, A4_LONG_PX / long_side) if long_side > 0 else 1.0
    w, h = max(1, int(w * f)), max(1, int(h * f))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


# --------------------------------------------------------------------------- lighting

def normalise_light(gray: np.ndarray, small: np.ndarray | None = None,
                    force: bool = False) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Flatten uneven illumination / stretch low contrast when needed.
    Returns (full, small, applied); ``small`` is updated alongside."""
    if small is None:
        small, _ = _small(gray, 1400)
    tiny, _ = _small(small, 320)
    k = max(7, (min(tiny.shape) // 20) | 1)
    bg = cv2.morphologyEx(tiny, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    lo, hi = np.percentile(bg, [5, 95])
    ink_lo = np.percentile(small[::2, ::2], 0.5)
    uneven = (hi - lo) > 35
    low_contrast = (np.median(bg) - ink_lo) < 110
    if not (uneven or low_contrast or force):
        return gray, small, False

    def apply(img: np.ndarray) -> np.ndarray:
        bgi = cv2.resize(bg, (img.shape[1], img.shape[0]), interpolation=cv2.INTER_LINEAR)
        out = cv2.divide(img, np.maximum(bgi, 1), scale=255)
        if low_contrast:
            p1 = float(np.percentile(out[::4, ::4], 0.5))
            if p1 < 250:
                lut = np.clip((np.arange(256, dtype=np.float32) - p1) * (255.0 / max(1.0, 255.0 - p1)), 0, 255)
                out = cv2.LUT(out, lut.astype(np.uint8))
        return out

    return apply(gray), apply(small), True


# --------------------------------------------------------------------------- orientation & skew

def _binary(small: np.ndarray) -> np.ndarray:
    return cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def _ink_points(gray: np.ndarray):
    small, _ = _small(gray, 1000)
    th = _binary(small)
    ys, xs = np.nonzero(th)
    if len(xs) > 30000:
        idx = np.random.default_rng(0).choice(len(xs), 30000, replace=False)
        xs, ys = xs[idx], ys[idx]
    return np.stack([xs, ys], axis=1).astype(np.float32), small.shape


def _profile_score(pts: np.ndarray, angle_deg: float, length: int) -> float:
    a = np.deg2rad(angle_deg)
    y = pts[:, 1] * np.cos(a) - pts[:, 0] * np.sin(a)
    y = (y - y.min()).astype(np.int64)
    hist = np.bincount(y, minlength=length)
    d = np.diff(hist.astype(np.float64))
    return float((d * d).sum())


def detect_skew(gray: np.ndarray, max_angle: float = 8.0) -> tuple[int, float, float]:
    """Returns (quarter_turn_hint, skew_deg, strength).

    quarter_turn_hint is 0 when text lines run horizontally, 90 when they run
    vertically (page on its side; direction unknown).  skew_deg is the angle
    to rotate (counter-clockwise, cv2 convention) to make lines horizontal."""
    (pts, shape) = _ink_points(gray)
    if len(pts) < 500:
        return 0, 0.0, 0.0
    length = int(np.hypot(*shape)) + 4
    best = {}
    for axis, p in ((0, pts), (90, pts[:, ::-1].copy())):
        angles = np.arange(-max_angle, max_angle + 0.01, 1.0)
        sc = [_profile_score(p, a, length) for a in angles]
        a0 = float(angles[int(np.argmax(sc))])
        fine = np.arange(a0 - 0.9, a0 + 0.91, 0.15)
        sc2 = [_profile_score(p, a, length) for a in fine]
        i = int(np.argmax(sc2))
        best[axis] = (float(fine[i]), sc2[i])
    h_angle, h_score = best[0]
    v_angle, v_score = best[90]
    if v_score > 1.3 * h_score:
        return 90, -v_angle, v_score / max(h_score, 1e-9)
    return 0, h_angle, h_score / max(v_score, 1e-9)


def _ud_profile(th: np.ndarray, rel: float) -> float:
    rows = (th > 0).sum(axis=1).astype(np.float64)
    if rows.max() <= 0:
        return 0.0
    on = rows > (0.02 * th.shape[1] if rel <= 0 else max(0.01 * th.shape[1], rel * np.percentile(rows, 90)))
    above = below = 0.0
    i, n = 0, len(rows)
    while i < n:
        if not on[i]:
            i += 1
            continue
        j = i
        while j < n and on[j]:
            j += 1
        seg = rows[i:j]
        if 6 <= len(seg) <= 120:
            idx = np.nonzero(seg >= 0.5 * seg.max())[0]
            above += seg[:idx[0]].sum()
            below += seg[idx[-1] + 1:].sum()
        i = j
    tot = above + below
    return 0.0 if tot <= 0 else (below - above) / tot


def upside_down_score(gray: np.ndarray) -> float:
    """>0 when the page looks upside down, <0 when upright (lines must be
    horizontal).  Latin text has more ink above the x-height band (capitals,
    ascenders, accents) than below the baseline (descenders).  Two
    binarisations are summed: a plain one (strong on clean scans) and a
    denoised one (robust on noisy photos).  Pass a ~1400 px copy."""
    small = gray if max(gray.shape) <= 1500 else _small(gray, 1400)[0]
    plain = _ud_profile(_binary(small), 0.0)
    den = cv2.adaptiveThreshold(cv2.medianBlur(small, 3), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                31, 20)
    den = cv2.morphologyEx(den, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return plain + _ud_profile(den, 0.15)


def ink_fraction(gray: np.ndarray) -> float:
    """Share of pixels that look like ink (0 for a blank page)."""
    small, _ = _small(gray, 1000)
    th = _binary(small)
    return float(np.count_nonzero(th)) / max(1, th.size)


def rotate_quarter(gray: np.ndarray, rotation: int) -> np.ndarray:
    """Rotate clockwise by ``rotation`` degrees (multiple of 90)."""
    r = rotation % 360
    if r == 90:
        return cv2.rotate(gray, cv2.ROTATE_90_CLOCKWISE)
    if r == 180:
        return cv2.rotate(gray, cv2.ROTATE_180)
    if r == 270:
        return cv2.rotate(gray, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return gray


def rotate_small(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.3:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def prepare(gray: np.ndarray, dpi: float | None = None, *, detect_page: bool = True) -> Prepared:
    """Scale to ~300 dpi, crop a photographed page, even out the light and make
    the text upright and level.  Analysis runs on one ~1400 px copy."""
    scale = target_scale(gray.shape[1], gray.shape[0], dpi)
    cropped = False
    small, _ = _small(gray, 1400)
    if detect_page:
        quad = find_page_quad(gray, small)
        if quad is not None:
            gray = warp_quad(gray, quad)
            cropped = True
            scale = 1.0
            small, _ = _small(gray, 1400)
    if not cropped:
        gray = resize(gray, scale)
    gray, small, normalised = normalise_light(gray, small)
    axis, skew, _strength = detect_skew(small)
    rotation = 0
    if axis == 90:
        # lines are vertical: turn clockwise, then 0 vs 180 is decided below
        small = rotate_quarter(small, 90)
        rotation = 90
        _axis, skew, _strength = detect_skew(small)
    small = rotate_small(small, skew)
    ud = upside_down_score(small)
    if ud > 0:
        rotation = (rotation + 180) % 360
    gray = rotate_small(rotate_quarter(gray, rotation), skew)  # rotations commute
    return Prepared(gray, scale, rotation, skew if abs(skew) >= 0.3 else 0.0, cropped, normalised, abs(ud))
