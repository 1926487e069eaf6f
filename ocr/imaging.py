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
    #: 3x3 homography from pixels of the image given to :func:`prepare` to pixels of ``gray``
    #: (pixel-edge coordinates: pixel (i, j) covers [i, i+1) x [j, j+1)); see :mod:`ocr.geometry`
    matrix: np.ndarray | None = None


# --------------------------------------------------------------------------- geometry of each step
#
# Every step below that moves pixels has its matrix here, in pixel-edge coordinates (a point x of the
# continuous image; pixel i covers [i, i+1)).  OpenCV's warps and its rotation matrix work on pixel
# centres (index coordinates): ``_edges`` converts.  Composing them gives ``Prepared.matrix``.


def _edges(m: np.ndarray) -> np.ndarray:
    """A 2x3 or 3x3 matrix on pixel indices (OpenCV) as a 3x3 matrix on pixel-edge coordinates."""
    m3 = np.eye(3)
    m3[: m.shape[0], :] = m
    t, ti = np.eye(3), np.eye(3)
    t[:2, 2], ti[:2, 2] = 0.5, -0.5
    return t @ m3 @ ti


def scale_matrix(sx: float, sy: float) -> np.ndarray:
    return np.diag([sx, sy, 1.0])


def quarter_matrix(rotation: int, w: int, h: int) -> np.ndarray:
    """Matrix of :func:`rotate_quarter` (clockwise) for an input of ``w`` x ``h`` pixels."""
    r = rotation % 360
    if r == 90:  # (x, y) -> (h - y, x)
        return np.array([[0.0, -1.0, h], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    if r == 180:
        return np.array([[-1.0, 0.0, w], [0.0, -1.0, h], [0.0, 0.0, 1.0]])
    if r == 270:  # (x, y) -> (y, w - x)
        return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w], [0.0, 0.0, 1.0]])
    return np.eye(3)


def small_rotation_matrix(angle: float, w: int, h: int) -> np.ndarray:
    """Matrix of :func:`rotate_small` for an input of ``w`` x ``h`` pixels (identity when it does nothing)."""
    if abs(angle) < 0.3:
        return np.eye(3)
    return _edges(cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0))


def resize_matrix(before: tuple[int, ...], after: tuple[int, ...]) -> np.ndarray:
    """Matrix of :func:`resize` from an image of shape ``before`` to one of shape ``after`` (OpenCV's resize
    maps pixel edges to pixel edges: a plain scale per axis)."""
    return scale_matrix(after[1] / before[1], after[0] / before[0])


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
    """Corners (tl, tr, br, bl) of a page photographed on a background (dark, grey, light, textured, or
    unevenly lit), in full-resolution coordinates, or None (plain scans).

    Two candidates are found on a ~800 px copy with the text closed away: the outline of the bright region
    (Otsu threshold: dark backgrounds) and the four strongest straight edges with the page on their bright
    side (lighting and texture proof: signed log-brightness steps summed along lines).  Each is scored by
    the brightness step across its sides; the better one wins if the step is clear.  A side along the
    image border (page cut off there) is not scored."""
    if small is None:
        small, _ = _small(gray, 800)
    f = small.shape[1] / gray.shape[1]
    if max(small.shape) > 900:
        g = 800 / max(small.shape)
        small = cv2.resize(
            small, (max(1, int(small.shape[1] * g)), max(1, int(small.shape[0] * g))), interpolation=cv2.INTER_AREA
        )
        f *= g
    h, w = small.shape
    # cheap rejection first: plain scans have a white border as bright as the page
    border = np.concatenate([small[:6].ravel(), small[-6:].ravel(), small[:, :6].ravel(), small[:, -6:].ravel()])
    centre = small[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    if np.median(border) > np.percentile(centre, 75) - 12:
        return None
    k = max(5, (max(h, w) // 90) | 1)  # wider than a letter's stroke: the page becomes plain
    plain = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    logimg = np.log1p(cv2.GaussianBlur(plain, (0, 0), 1.5).astype(np.float32))
    best, best_score = None, 0.0
    for quad in (_otsu_quad(small), _line_quad(logimg)):
        if quad is None:
            continue
        score = _quad_contrast(logimg, quad)
        if score > best_score:
            best, best_score = quad, score
    if best is None or best_score < 0.05:
        return None
    area = cv2.contourArea(best.astype(np.float32))
    if area < 0.25 * w * h or area > 0.985 * w * h or not cv2.isContourConvex(best.astype(np.int32)):
        return None
    return best / f


def _order_corners(pts: np.ndarray) -> np.ndarray:
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def _otsu_quad(small: np.ndarray) -> np.ndarray | None:
    """The largest bright region's four corners (a bright page on a darker, evenly lit background)."""
    h, w = small.shape
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
        approx = cv2.boxPoints(cv2.minAreaRect(c)).astype(np.float32)
    if not cv2.isContourConvex(approx.astype(np.int32)):
        return None
    return _order_corners(approx)


_COARSE_ANGLES = np.deg2rad(np.arange(-20.0, 20.01, 2.0))
_FINE_STEPS = np.deg2rad(np.arange(-1.75, 1.76, 0.25))


def _line_sums(d_along: np.ndarray, d_across: np.ndarray, a: float):
    """For the lines ``v = r + u * tan(a)``: r values, mean brightness step across each (derivative along v,
    rotated to the line's normal) and the share of each line inside the image."""
    n_v, n_u = d_across.shape
    t = np.tan(a)
    off = int(np.ceil(abs(t) * n_u)) + 1
    size = n_v + 2 * off + 2
    # pixel (v, u) lies on line r = v - u * tan(a), rounded: column u's lines are its rows shifted by one amount
    shift = np.floor(off + 0.5 - np.arange(n_u) * t).astype(np.intp)
    idx = (np.arange(n_v)[:, None] + shift).ravel()
    normal = (d_across * np.cos(a) - d_along * np.sin(a)).ravel()
    sums = np.bincount(idx, weights=normal, minlength=size)
    # each column puts one pixel on each of n_v consecutive lines from its shift on
    edges = np.bincount(shift, minlength=size + n_v + 1) - np.bincount(shift + n_v, minlength=size + n_v + 1)
    counts = np.cumsum(edges)[:size]
    return np.arange(size) - off, sums / n_u, counts / n_u, abs(t) * n_u


def _best_lines(d_along: np.ndarray, d_across: np.ndarray):
    """The strongest line ``v = r + u * tan(a)`` (v the arrays' row axis, u their column axis, |a| <= 20
    degrees) with brightness rising across it in the first half of v (the page below it), and the strongest
    with brightness falling in the second half (the page above it): the mean signed step along each line, for
    lines with at least half their length in the image.  Returns two (r, angle in radians, mean step) or None."""
    n_v, n_u = d_across.shape
    best: list = [None, None]

    def consider(a: float, which: tuple[int, ...]):
        rs, mean, inside, slack = _line_sums(d_along, d_across, a)
        for k in which:
            sign = 1.0 if k == 0 else -1.0
            lo, hi = (-slack, n_v / 2) if k == 0 else (n_v / 2, n_v + slack)
            ok = (rs >= lo) & (rs <= hi) & (inside > 0.5)
            if not ok.any():
                continue
            score = np.where(ok, sign * mean, -np.inf)
            i = int(np.argmax(score))
            if best[k] is None or score[i] > best[k][2]:
                best[k] = (float(rs[i]), float(a), float(score[i]))

    for a in _COARSE_ANGLES:
        consider(a, (0, 1))
    for k in (0, 1):
        if best[k] is not None:
            for a in best[k][1] + _FINE_STEPS:
                consider(a, (k,))
    return best


def _line_quad(logimg: np.ndarray) -> np.ndarray | None:
    """The page's four sides as the strongest straight steps up into it (see :func:`find_page_quad`); a side
    without a clear edge (the page cut off there) is the image's border."""
    h, w = logimg.shape
    step = max(1, round(max(h, w) / 300))
    img = logimg[::step, ::step]
    gy = cv2.Sobel(img, cv2.CV_32F, 0, 1, ksize=3) / 8
    gx = cv2.Sobel(img, cv2.CV_32F, 1, 0, ksize=3) / 8
    sh, sw = img.shape
    top, bottom = _best_lines(gx, gy)
    left, right = _best_lines(np.ascontiguousarray(gy.T), np.ascontiguousarray(gx.T))
    found = {"top": top, "bottom": bottom, "left": left, "right": right}
    strengths = [v[2] for v in found.values() if v is not None]
    if len(strengths) < 3 or max(strengths) <= 0:
        return None
    strong = max(strengths)
    lines = {}
    for name, v in found.items():
        if v is None or v[2] < 0.3 * strong:  # no edge: the page runs off the image there
            r, a = {"top": (0.0, 0.0), "bottom": (sh - 1.0, 0.0), "left": (0.0, 0.0), "right": (sw - 1.0, 0.0)}[name]
        else:
            r, a = v[0], v[1]
        lines[name] = ((r + 0.5) * step - 0.5, np.tan(a))

    # top/bottom: y = r + x t ; left/right: x = r + y t
    def meet(hl, vl):
        (rh, th), (rv, tv) = hl, vl
        y = (rh + rv * th) / (1 - th * tv)
        return rv + y * tv, y

    quad = np.array(
        [
            meet(lines["top"], lines["left"]),
            meet(lines["top"], lines["right"]),
            meet(lines["bottom"], lines["right"]),
            meet(lines["bottom"], lines["left"]),
        ],
        dtype=np.float32,
    )
    if not np.isfinite(quad).all():
        return None
    quad[:, 0] = np.clip(quad[:, 0], 0, w - 1)
    quad[:, 1] = np.clip(quad[:, 1], 0, h - 1)
    return quad


def _quad_contrast(logimg: np.ndarray, quad: np.ndarray) -> float:
    """The weakest side's brightness step (log units) from just outside the quad to just inside; sides along
    the image border are not counted (0 when no side can be measured)."""
    h, w = logimg.shape
    centre = quad.mean(axis=0)
    d = max(3.0, max(h, w) / 160)
    steps = []
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        mid = (p + q) / 2
        t = np.linspace(0.15, 0.85, 24)[:, None]
        pts = p + (q - p) * t
        n = np.array([-(q - p)[1], (q - p)[0]], dtype=np.float32)
        n /= max(1e-6, float(np.hypot(*n)))
        if np.dot(centre - mid, n) < 0:
            n = -n
        if min(mid[0], mid[1], w - 1 - mid[0], h - 1 - mid[1]) < 2 * d:
            # along the border: fine if the page runs off the image there (as bright as further in),
            # a wrong side (background inside the quad) otherwise
            near, far = pts + 2 * d * n, pts + 10 * d * n
            ok = (far[:, 0] >= 0) & (far[:, 0] < w) & (far[:, 1] >= 0) & (far[:, 1] < h)
            if ok.sum() >= 8:
                vn = cv2.remap(
                    logimg, near[ok, 0:1].astype(np.float32), near[ok, 1:2].astype(np.float32), cv2.INTER_LINEAR
                )
                vf = cv2.remap(
                    logimg, far[ok, 0:1].astype(np.float32), far[ok, 1:2].astype(np.float32), cv2.INTER_LINEAR
                )
                darker = float(np.median(vf - vn))
                if darker > 0.1:
                    steps.append(-darker)
            continue
        inside, outside = pts + 2 * d * n, pts - 2 * d * n
        ok = (outside[:, 0] >= 0) & (outside[:, 0] < w) & (outside[:, 1] >= 0) & (outside[:, 1] < h)
        if ok.sum() < 8:
            continue
        vi = cv2.remap(logimg, inside[ok, 0:1].astype(np.float32), inside[ok, 1:2].astype(np.float32), cv2.INTER_LINEAR)
        vo = cv2.remap(
            logimg, outside[ok, 0:1].astype(np.float32), outside[ok, 1:2].astype(np.float32), cv2.INTER_LINEAR
        )
        steps.append(float(np.median(vi - vo)))
    return min(steps) if len(steps) >= 2 else 0.0


def warp_quad(gray: np.ndarray, quad: np.ndarray) -> np.ndarray:
    return warp_quad_matrix(gray, quad)[0]


def warp_quad_matrix(gray: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The page inside ``quad`` straightened, and the 3x3 matrix (pixel edges) from ``gray`` to it."""
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
    return cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255), _edges(m)


# --------------------------------------------------------------------------- lighting


def normalise_light(
    gray: np.ndarray, small: np.ndarray | None = None, force: bool = False
) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """Flatten uneven illumination / stretch low contrast when needed.
    Returns (full, small, applied); ``small`` is updated alongside."""
    if small is None:
        small, _ = _small(gray, 1400)
    tiny, _ = _small(small, 320)
    k = max(7, (min(tiny.shape) // 20) | 1)
    bg = cv2.morphologyEx(tiny, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 2)
    lo, hi = np.percentile(bg, [5, 95])
    # the darkest ink, even on a sparse page (a card copied on A4: its text is far less than 1% of the pixels)
    ink_lo = np.percentile(small[::2, ::2], 0.1)
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
    """Each line of text votes: +1 when it has more ink below its x-height band than above it (descenders only:
    upside down), -1 when more above (capitals, ascenders, accents).  The share of votes, not of ink: a QR
    code, a photo's frame or a bold table row is one line among many, not most of the ink.  A line with no ink
    outside its band (capitals only) does not vote."""
    rows = (th > 0).sum(axis=1).astype(np.float64)
    if rows.max() <= 0:
        return 0.0
    on = rows > (0.02 * th.shape[1] if rel <= 0 else max(0.01 * th.shape[1], rel * np.percentile(rows, 90)))
    votes = []
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
            above, below = seg[: idx[0]].sum(), seg[idx[-1] + 1 :].sum()
            # the side with more ink must be two rows deep at least: one row is a capital's anti-aliased edge
            deep = idx[0] >= 2 if above > below else len(seg) - 1 - idx[-1] >= 2
            if above + below > 0.02 * seg[idx[0] : idx[-1] + 1].sum() and above != below and deep:
                votes.append(1.0 if below > above else -1.0)
        i = j
    return sum(votes) / len(votes) if votes else 0.0


def _letters_only(ink: np.ndarray) -> np.ndarray:
    """``ink`` (a ~1400 px copy's) without its rules and frames: runs of ink longer than any letter, across or
    down (RULE_MIN_PIXELS at 300 dpi, scaled), put ink on every row of a line or on one row of it."""
    n = max(4, round(RULE_MIN_PIXELS * max(ink.shape) / A4_LONG_PX))
    return cv2.bitwise_and(ink, cv2.bitwise_not(cv2.bitwise_or(_open(ink, (n, 1)), _open(ink, (1, n)))))


def upside_down_score(gray: np.ndarray) -> float:
    """>0 when the page looks upside down, <0 when upright (lines must be horizontal), between -2 and 2.  Latin
    text has more ink above the x-height band (capitals, ascenders, accents) than below the baseline
    (descenders): each line votes (see ``_ud_profile``).  Two binarisations are summed: a plain one (strong on
    clean scans) and a denoised one (robust on noisy photos).  Pass a ~1400 px copy.

    Measured on the 646 single images of the corpora that are not on their side: 23 wrong, 17 of them among the
    65 ID documents, whose capitals seldom vote; 15 scored under 0.2 (unsure: read both ways when the first read
    is not clearly good).  The sum of ink over the page, not of votes, was wrong on 61, 36 of them pages that
    were not IDs (a table's rows, a QR code, a card's photo frame)."""
    small = gray if max(gray.shape) <= 1500 else _small(gray, 1400)[0]
    plain = _ud_profile(_letters_only(_binary(small)), 0.0)
    den = cv2.adaptiveThreshold(
        cv2.medianBlur(small, 3), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 20
    )
    den = cv2.morphologyEx(den, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    return plain + _ud_profile(_letters_only(den), 0.15)


#: a ruled line is a run of ink at least this share of the page's width (horizontal) or height (vertical), and at
#: least RULE_MIN_PIXELS long (13.5 mm at 300 dpi: longer than any letter's stroke, headings in bold included)
RULE_MIN_SHARE = (1 / 30, 1 / 40)
RULE_MIN_PIXELS = 160


def _rule_lengths(shape: tuple[int, ...], minimum: int) -> tuple[int, int]:
    h, w = shape[:2]
    return max(minimum, int(w * RULE_MIN_SHARE[0])), max(minimum, int(h * RULE_MIN_SHARE[1]))


def _open(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))


def _bands(hits: np.ndarray, ratio: float, pad: int, limit: int) -> list[tuple[int, int]]:
    """Full-size index ranges around the small copy's rows (or columns) that hold a rule, merged."""
    out: list[tuple[int, int]] = []
    for k in np.flatnonzero(hits):
        lo, hi = max(0, int(k / ratio) - pad), min(limit, int((k + 1) / ratio) + pad)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def erase_rules(gray: np.ndarray) -> np.ndarray:
    """The page with its ruled lines painted white; the words keep their places.  Tesseract may take a ruled
    table for a picture and leave its cells unread (measured: the signature table of a photographed mandate,
    names and NIFs included, was missing from the text; without its rules every cell was read, and faster).

    A rule is a run of ink at least RULE_MIN_PIXELS long (and a share of the page).  The rules are found on a
    small copy; the full page is then worked on only in the bands of rows (columns) that hold one: a page with
    no rules costs a few milliseconds, one with a table a few tens."""
    h, w = gray.shape
    n = max(1, -(-max(h, w) // 1000))
    # averaged, not sampled: a rule two pixels wide must not fall between the samples
    small = cv2.resize(gray, (max(1, w // n), max(1, h // n)), interpolation=cv2.INTER_AREA) if n > 1 else gray
    ratio = small.shape[1] / w
    level, _ = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    # a thin rule is grey on the small copy: looked for with a lighter threshold (the length keeps letters out)
    ink = (small <= (level + 255) / 2).astype(np.uint8) * 255
    across, down = _rule_lengths(small.shape, max(4, int(RULE_MIN_PIXELS * ratio)))
    rows, cols = _open(ink, (across, 1)).any(axis=1), _open(ink, (1, down)).any(axis=0)
    if not rows.any() and not cols.any():
        return gray
    out = gray.copy()
    across, down = _rule_lengths(gray.shape, RULE_MIN_PIXELS)
    pad = int(2 / ratio) + 2
    dilate = np.ones((3, 3), np.uint8)
    # a rule drawn cell by cell may step a pixel aside at each cell: thickened across before it is followed
    for lo, hi in _bands(rows, ratio, pad, h):
        band = cv2.dilate((gray[lo:hi] <= level).astype(np.uint8) * 255, np.ones((3, 1), np.uint8))
        out[lo:hi][cv2.dilate(_open(band, (across, 1)), dilate) > 0] = 255
    for lo, hi in _bands(cols, ratio, pad, w):
        band = cv2.dilate((gray[:, lo:hi] <= level).astype(np.uint8) * 255, np.ones((1, 3), np.uint8))
        out[:, lo:hi][cv2.dilate(_open(band, (1, down)), dilate) > 0] = 255
    return out


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


def exif_upright(gray: np.ndarray, orientation: int) -> np.ndarray:
    """The raster as displayed under its EXIF orientation (1-8; 1 and unknown values: as stored), turned and
    mirrored on the grey array (one channel: cheaper than on the decoded colour image, and lossless)."""
    if orientation == 2:
        return np.ascontiguousarray(gray[:, ::-1])
    if orientation == 4:
        return np.ascontiguousarray(gray[::-1])
    if orientation == 5:  # mirrored along the main diagonal
        return np.ascontiguousarray(gray.T)
    if orientation == 7:  # mirrored along the other diagonal
        return np.ascontiguousarray(gray.T[::-1, ::-1])
    return rotate_quarter(gray, {3: 180, 6: 90, 8: 270}.get(orientation, 0))


def rotate_small(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.3:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def invert_dark_bands(gray: np.ndarray) -> np.ndarray:
    """Light text on a dark bar ("Registradores de España · Información Mercantil ... Fecha de emisión: ...", a
    form's section heading in white on black) made dark on light, as Tesseract reads it: each solid dark
    rectangle as wide as a fifth of the page and as tall as a line or a few (never a rule, a photo's shadow or a
    signature), inverted in place.  Returns ``gray`` itself when there is none."""
    h, w = gray.shape[:2]
    f = 4
    small = cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)
    solid = small < 90
    if not solid.any():
        return gray
    # text holes inside a bar: closed over, so the bar is one component
    dark = cv2.morphologyEx(solid.astype(np.uint8), cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 5)))
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(dark, connectivity=8)
    out = gray
    for x, y, bw, bh, _area in stats[1:n]:
        if bw < small.shape[1] // 5:
            continue
        # the bar's own rows: mostly dark across the component (bold text closed onto it is not)
        rows = np.flatnonzero(solid[y : y + bh, x : x + bw].mean(axis=1) > 0.6)
        if rows.size == 0:
            continue
        top, bottom = y + rows[0], y + rows[-1] + 1
        tall = (bottom - top) * f
        if not (24 <= tall <= 0.12 * h) or solid[top:bottom, x : x + bw].mean() < 0.7:
            continue
        x0, y0, x1, y1 = x * f, top * f, min(w, (x + bw) * f), min(h, bottom * f)
        if out is gray:
            out = gray.copy()
        out[y0:y1, x0:x1] = 255 - out[y0:y1, x0:x1]
    return out


def prepare(gray: np.ndarray, dpi: float | None = None, *, detect_page: bool = True) -> Prepared:
    """Scale to ~300 dpi, crop a photographed page, even out the light and make
    the text upright and level.  Analysis runs on one ~1400 px copy.
    ``Prepared.matrix`` maps pixels of ``gray`` to pixels of the result."""
    scale = target_scale(gray.shape[1], gray.shape[0], dpi)
    cropped = False
    small, _ = _small(gray, 1400)
    matrix = np.eye(3)
    if detect_page:
        quad = find_page_quad(gray, small)
        if quad is not None:
            gray, matrix = warp_quad_matrix(gray, quad)
            cropped = True
            scale = 1.0
            small, _ = _small(gray, 1400)
    if not cropped:
        before = gray.shape
        gray = resize(gray, scale)
        matrix = resize_matrix(before, gray.shape)
    gray, small, normalised = normalise_light(gray, small)
    gray = invert_dark_bands(gray)
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
    h, w = gray.shape
    matrix = quarter_matrix(rotation, w, h) @ matrix
    gray = rotate_quarter(gray, rotation)
    matrix = small_rotation_matrix(skew, gray.shape[1], gray.shape[0]) @ matrix
    gray = rotate_small(gray, skew)  # rotations commute
    return Prepared(gray, scale, rotation, skew if abs(skew) >= 0.3 else 0.0, cropped, normalised, abs(ud), matrix)
