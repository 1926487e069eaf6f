"""Where a box of the pre-check's page image lies on the page as uploaded and displayed.

The pre-check reads a *page image*: the upload scaled to ~300 dpi, a photographed page found and
straightened, turned upright and levelled.  Its evidence boxes ([x0, y0, x1, y1]) are in pixels of that
image.  A viewer shows the upload itself (an image after its EXIF rotation, a PDF page as rendered), so a
box is mapped back with the page's ``to_upload`` homography (``ocr.results.PageText.to_upload``, copied
into ``PrecheckResult.page_images[i]``) and given as shares of the displayed page, which scale to any
preview size:

    {"left", "top", "width", "height", "angle"}

``left``/``top``/``width``/``height`` are fractions of the displayed page's width and height: a rectangle
whose centre is the mapped centre of the box and whose sides are the mapped box's edge lengths, to be
turned by ``angle`` degrees (clockwise on screen, the direction of the mapped top edge) about its centre.

Results stored before ``to_upload`` existed are placed from the page image's ``width``, ``height``,
``rotation`` (clockwise quarter turns), ``skew`` (degrees, OpenCV's sense) and ``scale`` as the
verification page's script used to; a cropped photo without a transform (``scale == 0``) cannot be placed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["place", "map_point"]


def _num(value: Any, default: float = 0.0) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if math.isfinite(out) else default


def map_point(m: Sequence[float], x: float, y: float) -> tuple[float, float] | None:
    """``(x, y)`` through the row-major 3x3 homography ``m`` (None at infinity)."""
    d = m[6] * x + m[7] * y + m[8]
    if abs(d) < 1e-12:
        return None
    return (m[0] * x + m[1] * y + m[2]) / d, (m[3] * x + m[4] * y + m[5]) / d


def _box(bbox) -> tuple[float, float, float, float] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _by_transform(box, m: list[float], uw: float, uh: float) -> dict | None:
    x0, y0, x1, y1 = box
    corners = [map_point(m, x, y) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    centre = map_point(m, (x0 + x1) / 2, (y0 + y1) / 2)
    if centre is None or any(c is None for c in corners):
        return None
    tl, tr, br, bl = corners
    width = (math.dist(tl, tr) + math.dist(bl, br)) / 2
    height = (math.dist(tl, bl) + math.dist(tr, br)) / 2
    # direction of the top edge (the mean of top and bottom: the same up to perspective)
    dx = (tr[0] - tl[0]) + (br[0] - bl[0])
    dy = (tr[1] - tl[1]) + (br[1] - bl[1])
    angle = math.degrees(math.atan2(dy, dx)) if (dx or dy) else 0.0
    cx, cy = centre
    return {
        "left": (cx - width / 2) / uw,
        "top": (cy - height / 2) / uh,
        "width": width / uw,
        "height": height / uh,
        "angle": angle,
    }


def _by_legacy(box, image: dict) -> dict | None:
    """As the verification page's script did for results without a transform: undo the skew about the
    centre, undo the quarter turn, take the box as shares of the page."""
    W, H = _num(image.get("width")), _num(image.get("height"))
    scale = image.get("scale")
    if not W or not H or (scale is not None and _num(scale, 1.0) == 0):
        return None
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    bw, bh = x1 - x0, y1 - y0
    skew = _num(image.get("skew"))
    if skew:
        a = math.radians(skew)
        dx, dy = cx - W / 2, cy - H / 2
        cx = W / 2 + dx * math.cos(a) - dy * math.sin(a)
        cy = H / 2 + dx * math.sin(a) + dy * math.cos(a)
    rotation = int(_num(image.get("rotation"))) % 360
    turned = rotation in (90, 270)
    w0, h0 = (H, W) if turned else (W, H)
    w, h = (bh, bw) if turned else (bw, bh)
    if rotation == 90:
        x, y = cy, h0 - cx
    elif rotation == 180:
        x, y = w0 - cx, h0 - cy
    elif rotation == 270:
        x, y = w0 - cy, cx
    else:
        x, y = cx, cy
    return {"left": (x - w / 2) / w0, "top": (y - h / 2) / h0, "width": w / w0, "height": h / h0, "angle": skew or 0.0}


def place(bbox, page_image: dict | None) -> dict | None:
    """The box ``bbox`` ([x0, y0, x1, y1] in page-image pixels) on the displayed upload, as fractions of
    it: ``{"left", "top", "width", "height", "angle"}``; None when unknown."""
    box = _box(bbox)
    if box is None or not page_image:
        return None
    m = page_image.get("to_upload")
    uw, uh = _num(page_image.get("upload_width")), _num(page_image.get("upload_height"))
    if m and uw > 0 and uh > 0:
        try:
            mm = [float(v) for v in m]
        except (TypeError, ValueError):
            mm = []
        if len(mm) == 9 and all(math.isfinite(v) for v in mm):
            return _by_transform(box, mm, uw, uh)
    return _by_legacy(box, page_image)
