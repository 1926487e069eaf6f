"""Where the pre-check's page image lies on the page as uploaded (``PageText.to_upload``), and phone
photos of pages on varied backgrounds.

Marks are drawn at known positions of the upload; the page is prepared as the pre-check prepares it (the
same decoding, page crop, quarter turns, deskew and 180-degree retry), and each mark is looked for in the
final page image where ``to_upload``'s inverse puts it, then mapped back within a few pixels.
Runs without Django (``-p no:django``) and mostly without tesseract (its reading is replaced by a stub that
records the image it was given)."""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.ocr import corpus

# --------------------------------------------------------------------------- phone photos


def photo_variant(
    page: Image.Image,
    seed: int,
    *,
    bg: float = 70.0,
    angle: float = 0.0,
    jitter: float = 0.035,
    fill: float = 0.82,
    cut: float = 0.0,
    shadow: bool = False,
    texture: bool = False,
    size: tuple[int, int] = (3000, 4000),
) -> tuple[Image.Image, np.ndarray]:
    """A phone photo of ``page`` (like :func:`corpus.v_photo`, with knobs): the page covers ``fill`` of the
    width, turned by ``angle`` degrees, corners moved by up to ``jitter`` of the width (perspective), shifted
    so that ``cut`` of its height falls off the bottom edge, on a background of brightness ``bg`` (plain, or
    ``texture``: wood-like grain), with a soft hand ``shadow``.  Returns (RGB photo, 3x3 matrix from page
    pixels to photo pixels)."""
    rng = np.random.default_rng(seed)
    W, H = size
    gray = np.asarray(page.convert("L"), np.uint8)
    ph, pw = gray.shape
    s = fill * W / pw
    cw, ch = pw * s, ph * s
    ox, oy = (W - cw) / 2, (H - ch) / 2 + cut * ch
    corners = np.float64([[ox, oy], [ox + cw, oy], [ox + cw, oy + ch], [ox, oy + ch]])
    c = np.array([W / 2, H / 2 + cut * ch])
    a = np.deg2rad(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    corners = (corners - c) @ rot.T + c + rng.uniform(-jitter, jitter, (4, 2)) * W
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    m = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    back = bg + rng.normal(0, 8, (H, W))
    if texture:
        grain = np.sin(xx / 23.0 + 3 * np.sin(yy / 170.0)) * 0.5 + np.sin(xx / 7.3 + yy / 300.0) * 0.25
        back = back + 28 * grain + cv2.GaussianBlur(rng.normal(0, 30, (H, W)).astype(np.float32), (0, 0), 3)
    warped = cv2.warpPerspective(gray, m, (W, H), flags=cv2.INTER_AREA, borderValue=0).astype(np.float32)
    mask = cv2.warpPerspective(np.full_like(gray, 255), m, (W, H), borderValue=0).astype(np.float32) / 255
    out = back * (1 - mask) + warped * mask
    light = 0.62 + 0.38 * (xx / W * 0.6 + (1 - yy / H) * 0.4)
    out = out * light
    if shadow:  # a soft shadow over one corner (the phone and the hand holding it)
        d = np.hypot(xx - W * rng.uniform(0.7, 1.0), yy - H * rng.uniform(0.7, 1.0))
        out = out * (1 - 0.35 * np.clip(1.4 - d / (0.45 * W), 0, 1))
    out = cv2.GaussianBlur(out, (0, 0), 1.1) + rng.normal(0, 5, out.shape)
    rgb = np.stack([out * 1.02, out, out * 0.93], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB"), m


#: the photo variants measured (and the phone-photo tests): (background, angle, jitter, cut, shadow, texture)
PHOTO_KINDS = [
    dict(bg=70),
    dict(bg=25, angle=-3),
    dict(bg=120, angle=5, jitter=0.05),
    dict(bg=165, angle=-6),
    dict(bg=200, angle=2, jitter=0.04),
    dict(bg=110, texture=True, angle=4),
    dict(bg=70, cut=0.04, angle=1),
    dict(bg=60, shadow=True, angle=-8),
    dict(bg=215, texture=True, angle=-2),
    dict(bg=140, shadow=True, angle=7, jitter=0.045),
]


# --------------------------------------------------------------------------- marks and the pipeline

#: marks, as shares of the page (in its margins; no point or quarter turn maps one onto another)
MARKS = [(0.045, 0.030), (0.930, 0.045), (0.060, 0.960), (0.500, 0.022), (0.955, 0.700)]


def _disc(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, fill=0) -> None:
    draw.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def marked_page(seed: int = 3, dpi: int = 300) -> tuple[Image.Image, list[tuple[float, float]]]:
    """A corpus page (text) with black discs at :data:`MARKS`; returns it and the discs' centres (pixels)."""
    f = corpus.make_facts(random.Random(seed), "power_of_attorney", "es")
    page = corpus.render_document(f, dpi=dpi)[0].convert("L")
    draw = ImageDraw.Draw(page)
    w, h = page.size
    points = [(fx * w, fy * h) for fx, fy in MARKS]
    for x, y in points:
        _disc(draw, x, y, 14 * dpi / 300)
    return page, points


def _png(im: Image.Image, **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, "PNG", **kw)
    return b.getvalue()


class _Tesseract:
    """Stands in for tesseract: records each image given to it.  ``poor_first``: the first read is poor
    (three unreadable words), later reads good -- the pipeline then tries OSD's turn and keeps it."""

    def __init__(self, poor_first: bool = False):
        self.images: list[np.ndarray] = []
        self.poor_first = poor_first

    def __call__(self, gray, **kw):
        from ocr.results import Word

        self.images.append(gray.copy())
        if self.poor_first and len(self.images) == 1:
            return [Word("xq", 0, 0, 5, 5, 10.0, 1)] * 3, 10.0
        return [Word("palabra", 10 * i, 10, 10 * i + 8, 20, 95.0, 1) for i in range(20)], 95.0


@pytest.fixture
def fake_tesseract(monkeypatch):
    from ocr import engine

    def install(poor_first: bool = False, osd: tuple[int, float] | None = None) -> _Tesseract:
        stub = _Tesseract(poor_first)
        monkeypatch.setattr(engine, "ocr_words", stub)
        monkeypatch.setattr(engine, "osd_rotation", lambda *a, **k: osd)
        return stub

    return install


def _find_mark(gray: np.ndarray, x: float, y: float, radius: int = 60) -> tuple[float, float] | None:
    """Centre (pixel edges) of the dark disc nearest (x, y) within ``radius`` pixels."""
    h, w = gray.shape
    x0, y0 = max(0, int(x) - radius), max(0, int(y) - radius)
    x1, y1 = min(w, int(x) + radius), min(h, int(y) + radius)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    win = gray[y0:y1, x0:x1]
    dark = (win < 110).astype(np.uint8)
    n, _, stats, centroids = cv2.connectedComponentsWithStats(dark)
    best = None
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] < 150:  # a disc, not noise or a letter's stroke
            continue
        cx, cy = centroids[i][0] + x0 + 0.5, centroids[i][1] + y0 + 0.5
        d = np.hypot(cx - x, cy - y)
        if best is None or d < best[0]:
            best = (d, cx, cy)
    return None if best is None else (best[1], best[2])


def _inverse(m: list[float]) -> np.ndarray:
    return np.linalg.inv(np.array(m, dtype=np.float64).reshape(3, 3))


def _apply(m: np.ndarray, x: float, y: float) -> tuple[float, float]:
    v = m @ np.array([x, y, 1.0])
    return v[0] / v[2], v[1] / v[2]


def assert_marks_found(
    pt, page_image: np.ndarray, upload_marks, displayed: np.ndarray | None = None, tolerance: float = 3.0
) -> None:
    """Each mark of the upload (displayed pixels) is in the page image where ``to_upload``'s inverse puts it,
    and maps back within ``tolerance`` pixels of the page image (and of the upload, scaled)."""
    assert pt.to_upload is not None and pt.upload_width > 0 and pt.upload_height > 0, pt
    assert (pt.width, pt.height) == (page_image.shape[1], page_image.shape[0])
    if displayed is not None:  # the test's own expectations: the marks are where it says on the upload
        assert (pt.upload_width, pt.upload_height) == (displayed.shape[1], displayed.shape[0])
        for x, y in upload_marks:
            got = _find_mark(displayed, x, y)
            assert got is not None and np.hypot(got[0] - x, got[1] - y) < 2.0, (x, y, got)
    to_page = _inverse(pt.to_upload)
    for x, y in upload_marks:
        qx, qy = _apply(to_page, x, y)
        assert 0 <= qx < pt.width and 0 <= qy < pt.height, ((x, y), (qx, qy))
        found = _find_mark(page_image, qx, qy)
        assert found is not None, f"no mark near {(qx, qy)} (upload {(x, y)})"
        assert np.hypot(found[0] - qx, found[1] - qy) <= tolerance, (found, (qx, qy))
        back = _apply(np.array(pt.to_upload).reshape(3, 3), *found)
        zoom = np.sqrt(abs(np.linalg.det(np.array(pt.to_upload).reshape(3, 3)[:2, :2])))
        assert np.hypot(back[0] - x, back[1] - y) <= tolerance * max(1.0, zoom), (back, (x, y))


def _read(blob: bytes):
    from ocr.document import read_page

    return read_page(blob, 0)


def _gray(im: Image.Image) -> np.ndarray:
    return np.asarray(im.convert("L"), np.uint8)


# --------------------------------------------------------------------------- the transform, step by step


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_quarter_turned_scan(fake_tesseract, turn):
    page, marks = marked_page()
    w, h = page.size
    upload = page.rotate(turn, expand=True, fillcolor=255)  # PIL: anticlockwise
    a = np.deg2rad(turn)
    cu = np.array(upload.size) / 2
    shown = [
        tuple(cu + np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]]) @ (np.array(p) - (w / 2, h / 2)))
        for p in marks
    ]
    tess = fake_tesseract()
    pt = _read(_png(upload, dpi=(300, 300)))
    assert pt.source == "ocr" and pt.rotation == turn  # turned back clockwise
    assert_marks_found(pt, tess.images[0], shown, _gray(upload))


def test_skewed_scan(fake_tesseract):
    page, marks = marked_page(seed=5)
    w, h = page.size
    angle = 3.2
    upload = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    a = np.deg2rad(angle)
    cu = np.array(upload.size) / 2
    shown = [
        tuple(cu + np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]]) @ (np.array(p) - (w / 2, h / 2)))
        for p in marks
    ]
    tess = fake_tesseract()
    pt = _read(_png(upload, dpi=(300, 300)))
    assert abs(abs(pt.skew) - angle) < 0.5, pt.skew
    assert_marks_found(pt, tess.images[0], shown, _gray(upload))


def test_600_dpi_scan(fake_tesseract):
    page, marks = marked_page(seed=6, dpi=600)
    tess = fake_tesseract()
    pt = _read(_png(page, dpi=(600, 600)))
    assert abs(pt.scale - 0.5) < 0.01 and pt.width < page.size[0] * 0.6
    assert_marks_found(pt, tess.images[0], marks, _gray(page))


def test_exif_rotated_jpeg_drafted(fake_tesseract):
    """A 600 dpi JPEG stored on its side with EXIF orientation 6 (display: turn 90 degrees clockwise): the JPEG
    decoder drafts it to half size, the EXIF turn is the displayed frame (the previews show it turned)."""
    page, marks = marked_page(seed=8, dpi=600)
    stored = page.rotate(90, expand=True)  # anticlockwise: orientation 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    b = io.BytesIO()
    stored.convert("RGB").save(b, "JPEG", quality=90, dpi=(600, 600), exif=exif.tobytes())
    tess = fake_tesseract()
    pt = _read(b.getvalue())
    assert (pt.upload_width, pt.upload_height) == page.size
    assert tess.images[0].shape[1] < page.size[0] * 0.6  # drafted and/or scaled to 300 dpi
    from PIL import ImageOps

    displayed = _gray(ImageOps.exif_transpose(Image.open(io.BytesIO(b.getvalue()))))
    assert_marks_found(pt, tess.images[0], marks, displayed)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_upright_is_the_displayed_image(orientation):
    """Turned and mirrored on the grey array exactly as Pillow's EXIF transpose displays the colour image."""
    from PIL import ImageOps

    from ocr import imaging

    rng = np.random.default_rng(orientation)
    colour = Image.fromarray(rng.integers(0, 256, (37, 53, 3), dtype=np.uint8), "RGB")
    exif = Image.Exif()
    exif[0x0112] = orientation
    b = io.BytesIO()
    colour.save(b, "PNG", exif=exif.tobytes())
    shown = _gray(ImageOps.exif_transpose(Image.open(io.BytesIO(b.getvalue()))))
    assert np.array_equal(imaging.exif_upright(_gray(colour), orientation), shown)


@pytest.mark.parametrize("orientation", [2, 3, 5, 7, 8])
def test_exif_oriented_photo_boxes(fake_tesseract, orientation):
    """A page stored turned or mirrored with the EXIF orientation that displays it upright: the page read is
    the displayed one and its marks map back onto the displayed upload."""
    from PIL import ImageOps

    page, marks = marked_page(seed=20 + orientation)
    undo = {
        2: [Image.Transpose.FLIP_LEFT_RIGHT],
        3: [Image.Transpose.ROTATE_180],
        5: [Image.Transpose.TRANSPOSE],
        7: [Image.Transpose.TRANSVERSE],
        8: [Image.Transpose.ROTATE_270],
    }[orientation]
    stored = page
    for op in undo:
        stored = stored.transpose(op)
    exif = Image.Exif()
    exif[0x0112] = orientation
    b = io.BytesIO()
    stored.convert("RGB").save(b, "JPEG", quality=92, dpi=(300, 300), exif=exif.tobytes())
    displayed = _gray(ImageOps.exif_transpose(Image.open(io.BytesIO(b.getvalue()))))
    assert displayed.shape == _gray(page).shape
    tess = fake_tesseract()
    pt = _read(b.getvalue())
    assert (pt.upload_width, pt.upload_height) == page.size and pt.rotation == 0
    assert_marks_found(pt, tess.images[0], marks, displayed)


def test_second_opinion_turned_180(fake_tesseract):
    """The first read is poor, OSD says 180 degrees, the turned read is kept: the turn is in the transform."""
    page, marks = marked_page(seed=9)
    tess = fake_tesseract(poor_first=True, osd=(180, 4.0))
    pt = _read(_png(page, dpi=(300, 300)))
    assert len(tess.images) == 2 and pt.rotation == 180
    assert_marks_found(pt, tess.images[-1], marks, _gray(page))


def test_pdf_page_with_rotate_90(fake_tesseract):
    """A scanned PDF page with /Rotate 90: the displayed frame is the page as pdfium renders it."""
    import pypdfium2 as pdfium

    page, marks = marked_page(seed=10)
    w, h = page.size
    pdf = pdfium.PdfDocument(corpus.pdf_from_images([page]))
    pdf[0].set_rotation(90)
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    blob = out.getvalue()
    shown = [(h - y, x) for x, y in marks]  # /Rotate 90 shows the page turned clockwise
    check = pdfium.PdfDocument(blob)
    bitmap = check[0].render(scale=300 / 72, grayscale=True)
    displayed = np.ascontiguousarray(bitmap.to_numpy().reshape(bitmap.height, bitmap.width, -1)[:, :, 0])
    check.close()
    tess = fake_tesseract()
    pt = _read(blob)
    assert pt.source == "ocr"
    assert_marks_found(pt, tess.images[0], shown, displayed)


def test_text_layer_pdf_page_is_its_own_frame():
    from ocr.document import read_page

    f = corpus.make_facts(random.Random(11), "power_of_attorney", "es")
    pt = read_page(corpus.pdf_with_text(corpus.text_pdf_lines(f), rotate=90), 0)
    assert pt.source == "text_layer"
    assert pt.to_upload == [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
    assert (pt.upload_width, pt.upload_height) == (pt.width, pt.height) and pt.width > pt.height


@pytest.mark.parametrize("kind", range(len(PHOTO_KINDS)))
def test_phone_photo(fake_tesseract, kind):
    """The page is found on the photo and straightened; the marks come back to where the photo has them."""
    page, marks = marked_page(seed=20 + kind)
    photo, m = photo_variant(page, 100 + kind, **PHOTO_KINDS[kind])
    shown = [_apply(m, x + 0.5, y + 0.5) for x, y in marks]  # OpenCV's warp works on pixel centres
    shown = [(x - 0.5, y - 0.5) for x, y in shown]
    if PHOTO_KINDS[kind].get("cut"):
        shown = [p for p in shown if p[1] < photo.size[1] - 40]
    b = io.BytesIO()
    photo.save(b, "JPEG", quality=88)
    tess = fake_tesseract()
    pt = _read(b.getvalue())
    assert pt.scale == 0.0, "the page was not found on the photo"
    assert (pt.upload_width, pt.upload_height) == photo.size
    assert_marks_found(pt, tess.images[0], shown, None, tolerance=3.0)


# --------------------------------------------------------------------------- place(): boxes as shares of the upload


def test_place_with_the_identity():
    from ocr.geometry import place

    image = {
        "width": 1000,
        "height": 2000,
        "to_upload": [1, 0, 0, 0, 1, 0, 0, 0, 1],
        "upload_width": 1000,
        "upload_height": 2000,
    }
    got = place([100, 200, 300, 260], image)
    assert got == pytest.approx({"left": 0.1, "top": 0.1, "width": 0.2, "height": 0.03, "angle": 0.0})


def test_place_of_a_page_turned_upright():
    """The page image is the upload turned 90 degrees clockwise: a box's top edge runs up the upload."""
    from ocr import imaging
    from ocr.geometry import place

    uw, uh = 2000, 1000  # the upload, on its side
    to_upload = np.linalg.inv(imaging.quarter_matrix(90, uw, uh))  # page (x, y) -> upload (y, uh - x)
    image = {
        "width": uh,
        "height": uw,
        "rotation": 90,
        "skew": 0,
        "scale": 1.0,
        "to_upload": to_upload.ravel().tolist(),
        "upload_width": uw,
        "upload_height": uh,
    }
    got = place([100, 300, 500, 340], image)
    cx, cy = 320, uh - 300  # the box's centre (300, 320) mapped
    assert got["angle"] == pytest.approx(-90.0)
    assert got["width"] * uw == pytest.approx(400) and got["height"] * uh == pytest.approx(40)
    assert (got["left"] + got["width"] / 2) * uw == pytest.approx(cx)
    assert (got["top"] + got["height"] / 2) * uh == pytest.approx(cy)
    # a result stored before the transform: the same place, the box drawn unturned with its sides exchanged
    legacy = place([100, 300, 500, 340], {k: v for k, v in image.items() if k != "to_upload"})
    assert legacy["angle"] == 0
    assert legacy["width"] * uw == pytest.approx(40) and legacy["height"] * uh == pytest.approx(400)
    assert (legacy["left"] + legacy["width"] / 2) * uw == pytest.approx(cx)
    assert (legacy["top"] + legacy["height"] / 2) * uh == pytest.approx(cy)


def test_place_of_old_results():
    from ocr.geometry import place

    # as the page's script did: undo the skew about the centre, then the quarter turn
    image = {"width": 1000, "height": 2000, "rotation": 0, "skew": 2.0, "scale": 1.0}
    got = place([400, 900, 600, 1100], image)  # centred: the skew does not move it
    assert got == pytest.approx({"left": 0.4, "top": 0.45, "width": 0.2, "height": 0.1, "angle": 2.0})
    rot180 = place([0, 0, 100, 200], {"width": 1000, "height": 2000, "rotation": 180, "skew": 0, "scale": 1})
    assert rot180 == pytest.approx({"left": 0.9, "top": 0.9, "width": 0.1, "height": 0.1, "angle": 0.0})
    # a cropped photo without a transform: unknown
    assert place([0, 0, 10, 10], {"width": 1000, "height": 2000, "rotation": 0, "skew": 0, "scale": 0.0}) is None
    assert place(None, image) is None and place([0, 0, 1, 1], {}) is None


def test_a_card_read_well_the_first_time_is_not_read_upside_down_too(fake_tesseract):
    """A card (ID-1 proportions) whose first read gives twenty well-formed words is upright: no second, 180-degree
    tesseract run (an upside-down read of the corpora's cards and ID copies gave at most 15, 18% of its words)."""
    card = Image.new("L", (2022, 1276), 255)
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 48)
    for k, text in enumerate(["DOCUMENTO NACIONAL DE IDENTIDAD", "APELLIDOS", "RUIZ JIMÉNEZ", "NOMBRE", "ILDEFONSO"]):
        draw.text((120, 120 + 160 * k), text, fill=0, font=font)
    tess = fake_tesseract()
    pt = _read(_png(card, dpi=(300, 300)))
    assert pt.source == "ocr" and len(tess.images) == 1 and pt.rotation == 0


def test_a_poor_read_of_level_lines_is_read_turned_half_round_before_tesseracts_orientation_is_asked(monkeypatch):
    """The half turn mends most poor first reads (36 of 40 measured): OSD, a tesseract run of its own, is asked only
    when that read is poor too."""
    from ocr import engine

    page, _ = marked_page(seed=9)
    stub = _Tesseract(poor_first=True)
    asked = []
    monkeypatch.setattr(engine, "ocr_words", stub)
    monkeypatch.setattr(engine, "osd_rotation", lambda *a, **k: asked.append(1) or (90, 5.0))
    pt = _read(_png(page, dpi=(300, 300)))
    assert len(stub.images) == 2 and pt.rotation == 180 and not asked
