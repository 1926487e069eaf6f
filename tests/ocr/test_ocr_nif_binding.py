"""A claimed person NIF passes only when it belongs to the claimed person.

The claim naming person X with the NIF of Y must never pass when the document
names X and, separately, Y with Y's NIF (grantor / outgoing representative)."""

import dataclasses
import datetime as dt
import random

import pytest

from ocr import Claim, assess, is_satisfied, precheck_file
from ocr.precheck import _analyse_page, _satisfied
from tests.ocr import corpus
from tests.ocr.ocr_testutil import page_from_lines

TODAY = dt.date(2026, 6, 1)


def _facts(doc_type, lang, seed=5):
    return corpus.make_facts(random.Random(seed), doc_type, lang)


def _claim(f, **over) -> Claim:
    c = Claim(
        f.request_type,
        company_cif=f.company_cif,
        company_name=f.company_name,
        person_nif=f.person_nif,
        person_name=f.person_name,
    )
    return dataclasses.replace(c, **over)


def _text_pdf(f) -> bytes:
    return corpus.pdf_with_text(corpus.text_pdf_lines(f))


KINDS = [
    ("power_of_attorney", "es"),
    ("power_of_attorney", "ca"),
    ("deed", "es"),
    ("deed", "ca"),
    ("registry_certificate", "es"),
    ("manager_mandate", "es"),
    ("manager_mandate", "ca"),
]


@pytest.mark.parametrize("doc_type,lang", KINDS)
def test_text_pdf_true_claim_clear_and_swapped_nif_not(doc_type, lang):
    f = _facts(doc_type, lang)
    pdf = _text_pdf(f)
    upload = dt.date.fromisoformat(f.date) + dt.timedelta(days=30)  # a certificate counts for 90 days
    r = precheck_file(pdf, _claim(f), stop_early=False, today=upload)
    assert r.check("person_nif").outcome == "pass", r.to_dict()["checks"]
    assert r.verdict == "clear", r.to_dict()["checks"]
    if doc_type == "registry_certificate":
        return  # the registrar has no NIF on the certificate
    bad = _claim(f, person_nif=f.grantor_nif)  # attorney's name with the grantor's NIF
    r = precheck_file(pdf, bad, stop_early=False, today=TODAY)
    ch = r.check("person_nif")
    assert ch.outcome in ("fail", "not_found"), r.to_dict()["checks"]
    assert "another person" in ch.detail
    assert r.verdict != "clear"
    # and the other way round: grantor's name with the attorney's NIF
    bad = _claim(f, person_name=f.grantor_name)
    r = precheck_file(pdf, bad, stop_early=False, today=TODAY)
    assert r.check("person_nif").outcome != "pass" and r.verdict != "clear"


@pytest.mark.parametrize("lang", ["es", "ca"])
def test_swapped_nif_never_stops_early(lang):
    f = _facts("power_of_attorney", lang)
    pages = [corpus.pdf_with_text(corpus.text_pdf_lines(f))]
    from ocr import read_document

    _, _, read = read_document(pages[0], None, stop_early=False)
    facts = [_analyse_page(p) for p in read if p.readable]
    assert _satisfied(facts, _claim(f))
    assert not _satisfied(facts, _claim(f, person_nif=f.grantor_nif))
    assert not is_satisfied(read, _claim(f, person_nif=f.grantor_nif))


def test_notary_name_with_attorney_nif_is_not_bound():
    f = _facts("power_of_attorney", "es")
    r = precheck_file(_text_pdf(f), _claim(f, person_name=f.notary), stop_early=False, today=TODAY)
    assert r.check("person_nif").outcome != "pass" and r.verdict != "clear"


def test_without_person_name_the_nif_alone_still_passes():
    f = _facts("power_of_attorney", "es")
    r = precheck_file(
        _text_pdf(f), _claim(f, person_nif=f.grantor_nif, person_name=None), stop_early=False, today=TODAY
    )
    assert r.check("person_nif").outcome == "pass"


def test_id_card_binds_anywhere_on_the_page():
    card = [
        "REINO DE ESPAÑA",
        "DOCUMENTO NACIONAL DE IDENTIDAD",
        "APELLIDOS",
        "NÚÑEZ LÓPEZ",
        "NOMBRE",
        "MARÍA",
        "SEXO NACIONALIDAD",
        "F ESP",
        "FECHA DE NACIMIENTO",
        "14 02 1979",
        "VALIDEZ",
        "01 01 2030",
        "DNI 12345678Z",
    ]
    c = Claim("representative_change", person_nif="12345678Z", person_name="María Núñez López")
    r = assess([page_from_lines(card)], c, today=TODAY)
    assert r.doc_type == "id_document"
    assert r.check("person_nif").outcome == "pass", r.to_dict()["checks"]
    r = assess([page_from_lines(card)], dataclasses.replace(c, person_name="Pere Vilà Soler"), today=TODAY)
    assert r.check("person_nif").outcome != "pass"


def test_same_sentence_two_people():
    lines = [
        "ESCRITURA DE PODER ESPECIAL",
        "En Barcelona, a 12 de marzo de 2024.",
        "Ante mí, JUAN PÉREZ GARCÍA, Notario del Ilustre Colegio de Cataluña, comparecen",
        "D. PERE VILÀ SOLER, con DNI 87.654.321-X, y DOÑA MARÍA NÚÑEZ LÓPEZ, con DNI 12.345.678-Z,",
        "en nombre de ENERGÍAS DEL EBRE, S.L., con CIF B-12345674, y OTORGAN PODER ESPECIAL.",
    ]
    c = Claim(
        "representative_change",
        company_cif="B12345674",
        company_name="Energias del Ebre SL",
        person_nif="12345678Z",
        person_name="María Núñez López",
    )
    assert assess([page_from_lines(lines)], c, today=TODAY).check("person_nif").outcome == "pass"
    c2 = dataclasses.replace(c, person_nif="87654321X")
    assert assess([page_from_lines(lines)], c2, today=TODAY).check("person_nif").outcome == "fail"
    c3 = dataclasses.replace(c, person_name="Pere Vilà Soler")
    assert assess([page_from_lines(lines)], c3, today=TODAY).check("person_nif").outcome == "fail"


@pytest.mark.parametrize("lang", ["es", "ca"])
def test_scan_300dpi_true_claim_passes_swapped_does_not(lang):
    f = _facts("power_of_attorney", lang)
    pdf = corpus.pdf_from_images(corpus.render_document(f, dpi=300), dpi=300)
    from ocr import read_document

    _, total, pages = read_document(pdf, None, stop_early=False)
    r = assess(pages, _claim(f), total_pages=total, today=TODAY)
    assert r.check("person_nif").outcome == "pass", r.to_dict()["checks"]
    assert r.check("person_name").outcome == "pass"
    r = assess(pages, _claim(f, person_nif=f.grantor_nif), total_pages=total, today=TODAY)
    assert r.check("person_nif").outcome != "pass" and r.verdict != "clear"
