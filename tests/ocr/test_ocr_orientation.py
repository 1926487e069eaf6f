"""Which way up a level page is (``imaging.upside_down_score``), on pages drawn here: no tesseract.

Each line of text votes (ink above its x-height band: upright; below: upside down).  A block of ink that is
no line of text (a QR code, a table's rules, the frame of a card's photo) must not outvote the lines.
The ID copy is the development corpus's (``corpus2``), rendered here."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr import imaging
from tests.ocr import corpus, corpus2

A4 = (2480, 3508)
PROSE = [
    "Reunidos en Barcelona, a quince de julio de dos mil veintiséis, ante mí, el notario,",
    "comparece doña Begoña Jiménez Peñalver, mayor de edad, con domicilio a estos efectos",
    "en la calle de Aragó, número 214, y con el documento nacional de identidad que exhibe.",
    "Interviene en nombre y representación de la mercantil, en su calidad de apoderada.",
]


def _small(im: Image.Image, turn: int) -> np.ndarray:
    gray = np.asarray(im.convert("L"), np.uint8)
    gray = imaging.rotate_quarter(gray, turn)
    return imaging._small(gray, 1400)[0]


def _prose(d: ImageDraw.ImageDraw, top: int, lines: list[str], px: int = 40) -> int:
    font = corpus._font("DejaVuSerif.ttf", px)
    for k, line in enumerate(lines):
        d.text((200, top + k * int(px * 1.6)), line, font=font, fill=0)
    return top + len(lines) * int(px * 1.6)


def _qr(d: ImageDraw.ImageDraw, x: int, y: int, cells: int = 29, cell: int = 12, seed: int = 5) -> None:
    """A QR-like square: dense random modules, its finder squares at three corners."""
    rng = np.random.default_rng(seed)
    for i in range(cells):
        for j in range(cells):
            if rng.random() < 0.5:
                d.rectangle((x + j * cell, y + i * cell, x + (j + 1) * cell - 1, y + (i + 1) * cell - 1), fill=0)
    for fx, fy in ((0, 0), (cells - 7, 0), (0, cells - 7)):
        ox, oy = x + fx * cell, y + fy * cell
        d.rectangle((ox, oy, ox + 7 * cell - 1, oy + 7 * cell - 1), fill=255)
        d.rectangle((ox, oy, ox + 7 * cell - 1, oy + 7 * cell - 1), outline=0, width=cell)
        d.rectangle((ox + 2 * cell, oy + 2 * cell, ox + 5 * cell - 1, oy + 5 * cell - 1), fill=0)


def certificate_with_qr_and_table() -> Image.Image:
    """A registry certificate's shape: prose, a ruled table of charges, and a CSV line beside the top of a QR
    code.  The QR's rows below the line of text hold more ink than every line of the page: summed as ink, they
    made the page read upside down."""
    im = Image.new("L", A4, 255)
    d = ImageDraw.Draw(im)
    y = _prose(d, 300, PROSE)
    font = corpus._font("DejaVuSans.ttf", 30)
    rows = [
        ("Fecha", "Acto", "Nombre"),
        ("31/03/2018", "Nombramiento", "MOLINA GARRIDO, LUIS"),
        ("19/02/2020", "Cese", "MÉNDEZ SERRANO, RAMÓN"),
    ]
    top, cols = y + 80, (200, 700, 1300, 2280)
    for r, cells in enumerate(rows):
        y0 = top + r * 90
        d.rectangle((cols[0], y0, cols[-1], y0 + 90), outline=0, width=3)
        for c, cell in enumerate(cells):
            d.text((cols[c] + 20, y0 + 25), cell, font=font, fill=0)
    for x in cols[1:-1]:
        d.line((x, top, x, top + 90 * len(rows)), fill=0, width=3)
    _qr(d, 200, 1500, cells=25, cell=11, seed=1)
    d.text(
        (535, 1500), "CSV: 8KZ2-I0SX-SZBJ-9CVQ · Verificable en la sede electrónica del Registro.", font=font, fill=0
    )
    return im


def test_a_qr_code_beside_a_line_is_one_vote_not_most_of_the_ink():
    im = certificate_with_qr_and_table()
    upright, upside_down = imaging.upside_down_score(_small(im, 0)), imaging.upside_down_score(_small(im, 180))
    assert upright < -0.2, upright
    assert upside_down > 0.2, upside_down


def _dev_id_copy() -> np.ndarray:
    """The development corpus's DNI copy (two card faces on a sheet, 600 dpi), as grey pixels."""
    doc = next(d for d, e in corpus2.plan("dev", "full", 20261120) if e["file"].startswith("dev-088-id_dni_es"))
    blob, *_ = corpus2.render_file(doc, "clean")
    return imaging.to_gray(Image.open(io.BytesIO(blob)))


@pytest.mark.parametrize("turn", [0, 180])
def test_an_id_copy_with_its_photo_frame_is_not_turned_upside_down(turn):
    """Its values are capitals, which do not vote; the photo's frame and the card's rounded edges ran down the
    rows of its few mixed-case labels and outweighed them: the copy was turned upside down, and read twice."""
    gray = imaging.rotate_quarter(_dev_id_copy(), turn)
    prep = imaging.prepare(gray, 600)
    # put upright, or left unsure (then the pre-check reads it both ways unless its first read is clearly good)
    assert (prep.rotation + turn) % 360 == 0 or prep.orientation_score < 0.2, (prep.rotation, prep.orientation_score)
    assert prep.rotation in (0, 180)


def test_prose_either_way_up():
    im = Image.new("L", A4, 255)
    _prose(ImageDraw.Draw(im), 300, PROSE * 4)
    assert imaging.upside_down_score(_small(im, 0)) < -1.0
    assert imaging.upside_down_score(_small(im, 180)) > 1.0


def test_a_blank_page_gives_no_side():
    assert imaging.upside_down_score(np.full((1400, 990), 255, np.uint8)) == 0.0
