"""Broken and hostile inputs: verdict unreadable with a reason, never an exception."""

import io

import pytest

import ocr
from ocr import Claim, UnreadableError, count_pages, precheck, precheck_file, read_page
from tests.ocr import corpus

CLAIM = Claim("representative_change", company_cif="B12345674", person_nif="12345678Z")
HOSTILE = corpus.hostile_files()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bytes_are_unreadable(name):
    r = precheck_file(HOSTILE[name], CLAIM)
    assert r.verdict == "unreadable", r.to_dict()
    assert r.reason
    assert r.to_dict()["reason"] == r.reason
    assert all(c.outcome != "pass" for c in r.checks)


@pytest.mark.parametrize(
    "name,needle",
    [
        ("empty.pdf", "empty"),
        ("encrypted.pdf", "encrypted"),
        ("page.html", "HTML"),
        ("archive.zip", "zip"),
        ("bomb.png", "too large"),
        ("notes.txt", "unsupported"),
    ],
)
def test_reasons_are_specific(name, needle):
    assert needle.lower() in precheck_file(HOSTILE[name], CLAIM).reason.lower()


def test_hostile_files_on_disk(tmp_path):
    paths = []
    for name, blob in HOSTILE.items():
        p = tmp_path / name
        p.write_bytes(blob)
        paths.append(str(p))
    res = precheck(paths + [str(tmp_path / "missing.pdf")], CLAIM)
    assert len(res) == len(paths) + 1
    assert all(r.verdict == "unreadable" for r in res)
    assert res.verdict == "unreadable"
    assert res[0].file == "archive.zip" or res[0].file.endswith(".zip") or res[0].file


def test_page_api_on_broken_input():
    with pytest.raises(UnreadableError) as e:
        count_pages(HOSTILE["encrypted.pdf"])
    assert "encrypted" in e.value.reason
    p = read_page(HOSTILE["page.html"], 0)
    assert p.source == "error" and p.error
    p = read_page(corpus.pdf_with_text([[("body", "hola")]]), 7)
    assert p.source == "error" and p.error == "no such page"


def test_oversized_image_rejected_before_decoding(monkeypatch):
    monkeypatch.setattr(ocr.document, "MAX_PIXELS", 1000)
    from PIL import Image

    b = io.BytesIO()
    Image.new("L", (100, 100), 255).save(b, "PNG")
    r = precheck_file(b.getvalue(), CLAIM)
    assert r.verdict == "unreadable" and "too large" in r.reason


def test_blank_page_is_unreadable_without_crash():
    from PIL import Image

    b = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(b, "PNG")
    r = precheck_file(b.getvalue(), CLAIM)
    assert r.verdict == "unreadable"


def test_callback_errors_do_not_escape():
    def boom(done, total):
        raise RuntimeError("ui went away")

    pdf = corpus.pdf_with_text([[("body", "ESCRITURA DE PODER ESPECIAL con DNI 12345678Z y CIF B12345674")] * 5])
    r = precheck_file(pdf, CLAIM, on_page=boom)
    assert r.verdict in ("clear", "needs_attention")


@pytest.mark.parametrize("style", ["hidden", "white", "tiny"])
def test_invisible_text_layer_never_passes(style):
    """A text layer the reader cannot see (render mode 3, white, microscopic)
    naming the claimed identifiers must not make them pass."""
    visible = [("title", "ESCRITURA DE PODER ESPECIAL")] + [("body", "Texto visible sin identificadores.")] * 8
    hidden = [(style, "a favor de D. JUAN, con DNI 12345678Z, mercantil con CIF B12345674")] * 3
    r = precheck_file(corpus.pdf_with_text([visible + hidden]), CLAIM)
    assert r.check("person_nif").outcome != "pass"
    assert r.check("company_cif").outcome != "pass"
    assert r.verdict != "clear"


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_text_layer_pages(rotate):
    lines = [
        ("title", "ESCRITURA DE PODER ESPECIAL"),
        ("body", "En Madrid, a 3 de mayo de 2024."),
        ("body", "otorga poder especial a favor de D. JUAN, con DNI 12.345.678-Z,"),
        ("body", "en nombre de la mercantil con CIF B-12345674."),
    ] + [("body", "texto de relleno del poder")] * 6
    r = precheck_file(corpus.pdf_with_text([lines], rotate=rotate), CLAIM)
    assert r.pages_text_layer == 1 and r.pages_ocred == 0
    assert r.check("person_nif").outcome == "pass" and r.check("company_cif").outcome == "pass"
    assert r.doc_type == "power_of_attorney"
    w, h = r.page_images[0]["width"], r.page_images[0]["height"]
    assert (w > h) == (rotate in (90, 270))
    x0, y0, x1, y1 = r.check("person_nif").evidence.bbox
    assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
