"""The fast paths of the text-layer reading and the checks give exactly what the plain
per-character code gave (benchmarks/ocr_textlayer_bench.py measures them).

Pinned values below were produced by the per-character implementation (pdfium per point,
``"".join(fold_char(c) ...)``, difflib on every candidate, the character loops) before it was
replaced; pypdfium2 is pinned in pyproject.toml."""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import json
import random
import re
import zlib

import numpy as np
import pytest

import ocr
from ocr import document, extract, identifiers
from ocr.textindex import fold, fold_char
from tests.ocr import corpus

LINES = [
    ("title", "ESCRITURA DE PODER ESPECIAL"),
    ("body", "En Madrid, a 3 de mayo de 2024."),
    ("body", "otorga poder especial a favor de Dª. María Núñez López, con DNI 12.345.678-Z,"),
    ("body", "en nombre de la mercantil Energías del Ebre, S.L., con CIF B-12345674."),
    ("hidden", "texto oculto con DNI 87654321X"),
    ("bold", "Ante mí, Don Jordi Vila Roca, notario."),
    ("body", "Código seguro de verificación: AB12-CD34-EF56 «fin» 10 € · nº 1.234"),
]

PINNED_WORDS = {  # rotate: (width, height, words, sha256 of the words' JSON (16 hex), first two, last)
    0: (
        2479,
        3508,
        57,
        "9923e80be10416c5",
        [["ESCRITURA", 255, 204, 613, 251, 100.0, 0], ["DE", 637, 205, 716, 250, 100.0, 0]],
        ["1.234", 1510, 766, 1614, 798, 100.0, 13],
    ),
    90: (
        3508,
        2479,
        57,
        "f361a1e8fe5e255a",
        [["ESCRITURA", 3257, 255, 3304, 613, 100.0, 13], ["DE", 3258, 637, 3303, 716, 100.0, 13]],
        ["1.234", 2710, 1510, 2742, 1614, 100.0, 0],
    ),
    180: (
        2479,
        3508,
        57,
        "4db10be40d3aaa72",
        [["ESCRITURA", 1866, 3257, 2224, 3304, 100.0, 0], ["DE", 1763, 3258, 1842, 3303, 100.0, 0]],
        ["1.234", 865, 2710, 969, 2742, 100.0, 13],
    ),
    270: (
        3508,
        2479,
        57,
        "dc27f03ee0754cb8",
        [["ESCRITURA", 204, 1866, 251, 2224, 100.0, 0], ["DE", 205, 1763, 250, 1842, 100.0, 0]],
        ["1.234", 766, 865, 798, 969, 100.0, 13],
    ),
}


@pytest.mark.parametrize("rotate", sorted(PINNED_WORDS))
def test_text_layer_words_pinned(rotate):
    width, height, count, digest, first, last = PINNED_WORDS[rotate]
    page = ocr.read_page(corpus.pdf_with_text([LINES], rotate=rotate), 0, text_layer_only=True)
    words = [w.to_list() for w in page.words]
    assert (page.width, page.height, len(words)) == (width, height, count)
    assert words[:2] == first and words[-1] == last
    assert hashlib.sha256(json.dumps(words, ensure_ascii=False).encode()).hexdigest()[:16] == digest


def test_assess_pinned():
    claim = ocr.Claim(
        "representative_change",
        company_cif="B12345674",
        company_name="Energías del Ebre S.L.",
        person_nif="12345678Z",
        person_name="María Núñez López",
    )
    r = ocr.assess([ocr.read_page(corpus.pdf_with_text([LINES]), 0)], claim, today=dt.date(2026, 1, 1), seconds=0)
    d = r.to_dict()
    assert (d["verdict"], d["doc_type"], d["doc_type_score"]) == ("clear", "power_of_attorney", 0.897)
    assert d["fields"] == {
        "company_cif": {"value": "B12345674", "page": 0, "bbox": [1413, 469, 1656, 502], "confidence": 1.0},
        "person_nif": {"value": "12345678Z", "page": 0, "bbox": [1542, 406, 1806, 444], "confidence": 1.0},
        "person_name": {"value": "María Núñez López", "page": 0, "bbox": [965, 405, 1352, 446], "confidence": 1.0},
        "date": {"value": "2024-05-03", "page": 0, "bbox": [512, 343, 893, 383], "confidence": 1.0},
        "expiry": None,
        "issue_date": None,
        "surnames": None,
        "given_names": None,
        "notary": {"value": "Jordi Vila Roca", "page": 0, "bbox": [560, 660, 915, 703], "confidence": 1.0},
        "protocol": None,
        "csv": {"value": "AB12-CD34-EF56", "page": 0, "bbox": [851, 765, 1201, 798], "confidence": 1.0},
    }
    assert [(c["name"], c["outcome"], c["evidence"] and c["evidence"]["bbox"], c["detail"]) for c in d["checks"]] == [
        ("doc_type", "pass", None, "power_of_attorney (score 0.90)"),
        ("company_cif", "pass", [1413, 469, 1656, 502], "CIF B12345674 read on the page"),
        ("company_name", "pass", [772, 469, 1126, 510], "score 1.00"),
        ("person_nif", "pass", [1542, 406, 1806, 444], "NIF/NIE 12345678Z read on the page"),
        (
            "person_role",
            "pass",
            [252, 405, 1806, 447],
            "appointed: \u201cotorga poder especial a favor de D\u00aa . "
            "Mar\u00eda N\u00fa\u00f1ez L\u00f3pez, con DNI 12.345.678-Z,\u201d",
        ),
        ("person_name", "pass", [965, 405, 1352, 446], "score 1.00"),
        ("date", "pass", [512, 343, 893, 383], "execution date 2024-05-03"),
        ("readable", "pass", None, "mean confidence 100"),
    ]
    assert [(p["name"], p["id_number"], p["role"]) for p in d["people"]] == [
        ("María Núñez López", "12345678Z", "appointed"),
        ("Jordi Vila Roca", None, "notary"),
    ]


# --------------------------------------------------------------------------- page to device


def _pdf(rotate: int, mediabox: str, cropbox: str = "") -> bytes:
    pdf = corpus.pdf_with_text([LINES * 3], rotate=rotate)
    box = b"/MediaBox [%s]" % mediabox.encode() + (b" /CropBox [%s]" % cropbox.encode() if cropbox else b"")
    # same length is not needed: pdfium rebuilds a broken cross-reference table
    return pdf.replace(b"/MediaBox [0 0 595 842]", box)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize(
    "mediabox,cropbox",
    [("0 0 595 842", ""), ("-40 25.5 600 900", ""), ("0 0 595 842", "30 40 580 800"), ("0 0 2000 300", "")],
)
def test_to_device_equals_pdfium(rotate, mediabox, cropbox):
    """Every character corner and centre, plus points all over (and off) the page, map to the
    integers FPDF_PageToDevice gives."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as c

    doc = pdfium.PdfDocument(_pdf(rotate, mediabox, cropbox))
    page = doc[0]
    try:
        w_pt, h_pt = page.get_size()
        W, H = round(w_pt * 300 / 72), round(h_pt * 300 / 72)
        dev = document._ToDevice(document._pdfium_fns(c), ctypes.cast(page.raw, ctypes.c_void_p).value, W, H)
        assert dev.model is not None  # the fast path is the one under test
        tp = page.get_textpage()
        xs, ys = [], []
        for i in range(tp.count_chars()):
            left, bottom, right, top = tp.get_charbox(i)
            xs += [left, right, left, right, (left + right) / 2]
            ys += [bottom, top, top, bottom, (bottom + top) / 2]
        tp.close()
        rng = np.random.default_rng(rotate)
        xs = np.concatenate([xs, rng.uniform(-300, 2300, 20000), [1e30, -1e30, np.nan, 0.0, -0.0]])
        ys = np.concatenate([ys, rng.uniform(-300, 1200, 20000), [0.0, 5.0, 1.0, np.inf, -0.0]])
        got_x, got_y = dev.points(xs, ys)
        want = [dev.exact(float(x), float(y)) for x, y in zip(xs, ys)]
        assert list(zip(got_x.tolist(), got_y.tolist())) == want
    finally:
        page.close()
        doc.close()


# --------------------------------------------------------------------------- word grouping


def _random_chars(rng: random.Random, n: int) -> document._Chars:
    kinds = [rng.choices([document._NEWLINE, document._BLANK, document._CHAR], [1, 3, 20])[0] for _ in range(n)]
    codes = [
        {document._NEWLINE: 10, document._BLANK: 32}.get(k) or ord(rng.choice("abXZ09.,€º\u0301\ue000")) for k in kinds
    ]
    cand = [i for i, k in enumerate(kinds) if k == document._CHAR]
    has_box = [int(rng.random() > 0.05) for _ in cand]
    visible = np.array([bool(h) and rng.random() > 0.07 for h in has_box], dtype=bool)
    box = np.zeros((len(cand), 4))
    x = y = 0.0
    vertical = rng.random() < 0.3
    for j in range(len(cand)):
        step = rng.choice([0.0, 0.5, 1.0, 2.0, 5.0, 6.0, 10.0, -3.0, -20.0])
        w, h = rng.choice([0.0, 1.0, 4.0, 5.0, 10.0]), rng.choice([0.0, 1.0, 8.0, 10.0, 12.0])
        if rng.random() < 0.05:
            x, y = rng.uniform(-100, 600), rng.uniform(-100, 900)
        if vertical:
            y += step
        else:
            x += step
        left, bottom = round(x, rng.choice([0, 1, 3])), round(y, rng.choice([0, 1, 3]))
        box[j] = (left, left + w, bottom, bottom + h) if rng.random() > 0.05 else (left + w, left, bottom + h, bottom)
    return document._Chars(codes, kinds, cand, has_box, visible, box)


def test_group_words_equals_character_loop():
    rng = random.Random(20240312)
    for _ in range(3000):
        chars = _random_chars(rng, rng.randrange(0, 60))
        a_texts, a_lines, a_geo, a_stats = document._group_words_scalar(chars)
        b_texts, b_lines, b_geo, b_stats = document._group_words(chars)
        assert (a_texts, a_lines, a_stats) == (b_texts, b_lines, b_stats)
        assert a_geo.shape == b_geo.shape and np.array_equal(a_geo, b_geo)


def test_group_words_not_finite_uses_character_loop():
    rng = random.Random(7)
    for value in (np.nan, np.inf, -np.inf):
        chars = _random_chars(rng, 40)
        chars.box[len(chars.cand) // 2, 1] = value
        a, b = document._group_words_scalar(chars), document._group_words(chars)
        assert a[:2] == b[:2] and a[3] == b[3]


# --------------------------------------------------------------------------- checks


def test_fold_table_equals_fold_char():
    text = "".join(chr(c) for c in range(0x2500)) + "Núñez d’Àger Col·legi Nº ﬁ ß Ⅻ 𝐀"
    assert fold(text) == "".join(fold_char(ch) for ch in text)


def test_sims_at_least_equals_sim():
    rng = random.Random(5)
    letters = "ABCDEFGHIJLMNOPRSTUZ0123"
    for _ in range(3000):
        alphabet = letters[: rng.randrange(3, 24)]
        toks = list(
            dict.fromkeys(
                "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12))) for _ in range(rng.randrange(1, 25))
            )
        )
        a = (
            rng.choice(toks)
            if rng.random() < 0.3
            else "".join(rng.choice(letters) for _ in range(rng.randrange(1, 12)))
        )
        threshold = rng.choice([0.8, 0.0, 0.5, 0.9, 1.0, 2 / 3])
        want = {t: s for t in toks if (s := extract._sim(a, t)) >= threshold}
        assert extract._sims_at_least(a, [(t, extract._char_counts(t)) for t in toks], threshold) == want


def _windows_reference(text: str):
    """identifiers._windows character by character: a separator is one of ``_SEPS`` between two
    alphanumerics, a dot, comma or dash spaced out ("B94. 288", "678 - Z"), or a line break before a
    lone letter ("Y6559228" / "X")."""
    alnum = re.compile(r"[A-Za-z0-9]")
    n = len(text)

    def sep_len(j: int) -> int:
        ch = text[j]
        if ch == "\n":
            lone = (
                j + 1 < n
                and text[j + 1].isascii()
                and text[j + 1].isalpha()
                and (j + 2 >= n or not alnum.match(text[j + 2]))
            )
            return 1 if lone else 0
        if ch in identifiers._SEPS and j + 1 < n and alnum.match(text[j + 1]):
            return 1
        for gap in identifiers._SPACED_SEPS:  # ". ", " - ", " ,"...
            k = j + len(gap)
            if text.startswith(gap, j) and k < n and alnum.match(text[k]):
                return len(gap)
        return 0

    for i in range(n):
        if not alnum.match(text[i]) or (i > 0 and alnum.match(text[i - 1])):
            continue
        chars: list[str] = []
        seps = 0
        j = i
        while j < n and len(chars) < 9:
            ch = text[j]
            if alnum.match(ch):
                chars.append(ch)
                j += 1
                if len(chars) == 8 and (j >= n or not alnum.match(text[j])):
                    if j >= n or not sep_len(j):
                        yield i, j, "".join(chars)
            elif chars and seps < identifiers._MAX_SEPS and sep_len(j):
                seps += 1
                j += sep_len(j)
            else:
                break
        if len(chars) == 9 and (j >= n or not alnum.match(text[j])):
            yield i, j, "".join(chars)
        k = i
        while k < n and alnum.match(text[k]):
            k += 1
        if k - i > 9:
            yield k - 9, k, text[k - 9 : k]


def test_windows_equals_character_loop():
    rng = random.Random(11)
    for _ in range(20000):
        if rng.random() < 0.5:
            text = "".join(rng.choice("0123456789ABXYZabz .-_·,;:/()]|\nÑé") for _ in range(rng.randrange(0, 40)))
        else:
            parts = [
                "".join(rng.choice("0123456789XYZBL") for _ in range(rng.randrange(1, 12)))
                for _ in range(rng.randrange(1, 8))
            ]
            text = "".join(
                p + rng.choice(["", " ", ".", "-", "_", "·", "  ", ", ", "\n", " .", "é", " - ", "- "]) for p in parts
            )
        assert list(identifiers._windows(text)) == list(_windows_reference(text)), text


def test_classify_literal_prefilter_never_skips_a_match():
    rng = random.Random(3)
    vocab = (
        "escritura de poder especial otorga confiere apoderado apoderada notario protocolo registro mercantil "
        "asiento asientos vigente vigentes gestor gestora energetico energetica administradora de fincas dni "
        "num numero soporte hoja registral n nota simple factura iva"
    ).split()
    for _ in range(3000):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randrange(1, 30)))
        for pats in extract._KW.values():
            for rx, _, literal in pats:
                if literal not in text:
                    assert not rx.findall(text), (rx.pattern, literal, text)


# --------------------------------------------------------------------------- sparse text layers

COVER = [("title", "NOTARIA"), ("body", "Mireia Castellví Rovira · Barcelona")]


def _tesseract_calls(monkeypatch) -> list:
    from ocr import engine

    calls = []

    def fake(gray, **kw):
        calls.append(gray.shape)
        return [], None

    monkeypatch.setattr(engine, "ocr_words", fake)
    monkeypatch.setattr(engine, "osd_rotation", lambda gray, **kw: calls.append("osd"))
    return calls


def test_a_cover_page_drawn_with_text_alone_is_read_from_its_text_layer(monkeypatch):
    """Six words and nothing else on the page (no image, no path): OCR could read nothing more, and reading it
    cost three tesseract runs (a poor read of a nearly blank page is read turned, then OSD is asked)."""
    calls = _tesseract_calls(monkeypatch)
    pdf = corpus.pdf_with_text([COVER, LINES * 3])
    page = document.read_page(pdf, 0)
    assert page.source == "text_layer" and calls == []
    assert [w.text for w in page.words] == ["NOTARIA", "Mireia", "Castellví", "Rovira", "·", "Barcelona"]


@pytest.mark.parametrize(
    "drawing",
    [
        b"60 700 m 500 700 l S",  # a path: text drawn as outlines, a logo, a signature
        b"q 100 0 0 50 60 600 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q",  # an image
    ],
)
def test_a_sparse_text_layer_beside_a_drawing_is_read_by_ocr(monkeypatch, drawing):
    calls = _tesseract_calls(monkeypatch)
    pdf = corpus.pdf_with_text([COVER])
    start = pdf.index(b"stream\n") + len(b"stream\n")
    end = pdf.index(b"\nendstream")
    content = zlib.decompress(pdf[start:end]) + b"\n" + drawing
    z = zlib.compress(content)
    head = pdf[:start].replace(b"/Length %d" % (end - start), b"/Length %d" % len(z))
    page = document.read_page(head + z + pdf[end:], 0)
    assert page.source == "ocr" and calls


def test_a_text_only_page_of_undecodable_text_is_read_by_ocr(monkeypatch):
    """A font without a Unicode map gives consonant soup in the text layer: however alone on its page, it is no
    text to read, and the page goes to OCR."""
    calls = _tesseract_calls(monkeypatch)
    pdf = corpus.pdf_with_text([[("title", "Nxtqr"), ("body", "Mcrk Cstllv Rvr · Brclnk")]])
    page = document.read_page(pdf, 0)
    assert page.source == "ocr" and calls
