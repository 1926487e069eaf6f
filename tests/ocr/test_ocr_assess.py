"""assess(): checks, verdicts and the dangerous direction, on synthetic PageText."""

import datetime as dt
import json

import pytest

from ocr import (
    CHECK_NAMES,
    DOC_TYPES,
    OUTCOMES,
    VERDICTS,
    Claim,
    PageText,
    assess,
    combine,
    is_satisfied,
)
from tests.ocr.ocr_testutil import page_from_lines

TODAY = dt.date(2025, 6, 1)
POA = [
    "ESCRITURA DE PODER ESPECIAL",
    "NÚMERO DE PROTOCOLO 1.234",
    "En Barcelona, a 12 de marzo de 2024.",
    "Ante mí, JUAN PÉREZ GARCÍA, Notario del Ilustre Colegio de Cataluña,",
    "COMPARECE D. PERE VILÀ SOLER, con DNI 87.654.321-X, en nombre y representación",
    "de la mercantil ENERGÍAS DEL EBRE, S.L., con CIF B-12345674, y OTORGA PODER ESPECIAL",
    "a favor de DOÑA MARÍA NÚÑEZ LÓPEZ, con DNI 12.345.678-Z, para representar a la sociedad.",
    "Código Seguro de Verificación: ABCD1234EFGH5678",
]
CLAIM = Claim(
    "representative_change",
    company_cif="B12345674",
    company_name="Energias del Ebre SL",
    person_nif="12345678Z",
    person_name="María Núñez López",
)


def run(lines=POA, claim=CLAIM, **kw):
    return assess([page_from_lines(lines)], claim, file="poa.png", today=TODAY, **kw)


def outcome(res, name):
    return res.check(name).outcome


def test_clear_when_everything_matches():
    r = run()
    assert r.doc_type == "power_of_attorney"
    assert [c.name for c in r.checks] == [n for n in CHECK_NAMES if n != "id_valid"]  # id_valid: a set check
    assert all(c.outcome == "pass" for c in r.checks), r.to_dict()["checks"]
    assert r.verdict == "clear"
    f = r.fields
    assert f["company_cif"].value == "B12345674" and f["person_nif"].value == "12345678Z"
    assert f["date"].value == "2024-03-12"
    assert f["notary"].value == "JUAN PÉREZ GARCÍA"
    assert f["protocol"].value == "1.234"
    assert f["csv"] is None  # read by OCR only: not reported (tests/ocr/test_ocr_extract.py)
    bbox = f["person_nif"].bbox
    assert len(bbox) == 4 and bbox[0] < bbox[2] and bbox[1] < bbox[3]
    ev = r.check("person_nif").evidence
    assert ev.page == 0 and "12.345.678-Z" in ev.text


def test_to_dict_is_json_and_uses_the_vocabulary():
    d = json.loads(json.dumps(run().to_dict()))
    for key in (
        "file",
        "doc_type",
        "doc_type_score",
        "fields",
        "checks",
        "verdict",
        "pages_ocred",
        "pages_text_layer",
        "seconds",
        "pages",
        "page_images",
    ):
        assert key in d
    assert d["doc_type"] in DOC_TYPES and d["verdict"] in VERDICTS
    for c in d["checks"]:
        assert c["name"] in CHECK_NAMES and c["outcome"] in OUTCOMES
    for k in ("company_cif", "person_nif", "person_name", "date", "notary", "protocol", "csv"):
        assert k in d["fields"]
        v = d["fields"][k]
        assert v is None or set(v) == {"value", "page", "bbox", "confidence"}
    assert d["page_images"][0]["width"] == 2480


@pytest.mark.parametrize(
    "wrong",
    [
        "12345679Z",  # one digit off (fails the check digit)
        "12345678A",  # wrong letter
        "87654321X",  # valid NIF of the outgoing representative: on the page, but not María's
    ],
)
def test_person_nif_dangerous_direction(wrong):
    r = run(claim=Claim(**{**CLAIM.__dict__, "person_nif": wrong}))
    if wrong == "87654321X":
        assert "another person" in r.check("person_nif").detail
        # without a claimed name the NIF alone is checked: it IS read on the page
        r2 = run(claim=Claim(**{**CLAIM.__dict__, "person_nif": wrong, "person_name": None}))
        assert outcome(r2, "person_nif") == "pass"
    assert outcome(r, "person_nif") == "fail"
    assert r.verdict != "clear"


def test_valid_nif_not_on_page_fails_even_with_distractors():
    r = run(claim=Claim(**{**CLAIM.__dict__, "person_nif": "11111111H"}))
    assert outcome(r, "person_nif") == "fail"
    assert "12345678Z" in r.check("person_nif").detail
    assert r.verdict == "needs_attention"


def test_one_digit_off_on_page_never_passes_the_real_claim():
    lines = [l.replace("12.345.678-Z", "12.345.679-Z") for l in POA]
    r = run(lines)
    assert outcome(r, "person_nif") != "pass"


def test_ocr_confusion_only_confirms_the_claim():
    lines = [l.replace("12.345.678-Z", "1234567B-Z") for l in POA]
    r = run(lines)
    assert outcome(r, "person_nif") == "pass"
    assert "correction" in r.check("person_nif").detail
    # but a corrected read is never reported as "a different NIF"
    r2 = run(lines, claim=Claim(**{**CLAIM.__dict__, "person_nif": "11111111H"}))
    assert "12345678Z" not in r2.check("person_nif").detail


def test_company_cif_mismatch_and_missing():
    r = run(claim=Claim(**{**CLAIM.__dict__, "company_cif": "B12345675"}))
    assert outcome(r, "company_cif") == "fail"
    r = run([l for l in POA if "CIF" not in l])
    assert outcome(r, "company_cif") == "not_found"
    assert r.verdict == "needs_attention"


def test_doc_type_per_request_type():
    r = run(claim=Claim(**{**CLAIM.__dict__, "request_type": "external_manager"}))
    assert outcome(r, "doc_type") == "pass"  # a notarial power backs an external manager too
    invoice = ["FACTURA", "Cliente ENERGIAS DEL EBRE SL CIF B12345674", "Base imponible 100 IVA 21 Total a pagar"]
    r = run(invoice)
    assert r.doc_type == "other" and outcome(r, "doc_type") == "fail" and r.verdict == "needs_attention"


def test_future_date_fails():
    r = run([l.replace("12 de marzo de 2024", "12 de marzo de 2031") for l in POA])
    assert outcome(r, "date") == "fail"


def test_id_document_expiry():
    card = [
        "REINO DE ESPAÑA",
        "DOCUMENTO NACIONAL DE IDENTIDAD",
        "APELLIDOS",
        "NÚÑEZ LÓPEZ",
        "NOMBRE",
        "MARÍA",
        "FECHA DE NACIMIENTO",
        "14 02 1979",
        "VALIDEZ",
        "{}",
        "DNI 12345678Z",
    ]
    claim = Claim("representative_change", person_nif="12345678Z", person_name="María Núñez López")
    ok = assess([page_from_lines([l.format("01 01 2030") for l in card])], claim, today=TODAY)
    assert ok.doc_type == "id_document"
    assert outcome(ok, "date") == "pass" and ok.fields["expiry"].value == "2030-01-01"
    assert outcome(ok, "person_nif") == "pass" and outcome(ok, "person_name") == "pass"
    expired = assess([page_from_lines([l.format("01 01 2022") for l in card])], claim, today=TODAY)
    assert outcome(expired, "date") == "fail" and expired.verdict == "needs_attention"


def test_low_confidence_is_not_readable():
    r = assess([page_from_lines(POA, conf=35)], CLAIM, today=TODAY)
    assert outcome(r, "readable") == "fail" and r.verdict == "needs_attention"


def test_unreadable_pages():
    r = assess([PageText(0, source="error", error="OCR time limit exceeded")], CLAIM)
    assert r.verdict == "unreadable" and r.reason == "OCR time limit exceeded"
    r = assess([], CLAIM)
    assert r.verdict == "unreadable" and r.reason
    blank = PageText(0, width=100, height=100, source="ocr", words=[])
    assert assess([blank], CLAIM).verdict == "unreadable"


def test_pagetext_roundtrip_and_partial_pages():
    p = page_from_lines(POA, index=2)
    q = PageText.from_dict(json.loads(json.dumps(p.to_dict())))
    assert q.text() == p.text() and q.index == 2
    r = assess([q], CLAIM, total_pages=5, today=TODAY)
    assert r.pages == 5 and len(r.page_images) == 5
    assert r.page_images[0]["source"] == "skipped" and r.check("person_nif").evidence.page == 2


def test_is_satisfied():
    assert is_satisfied([page_from_lines(POA)], CLAIM)
    assert not is_satisfied([page_from_lines(POA[:3])], CLAIM)


def test_combine():
    a = run()
    b = assess([PageText(0, source="error", error="broken")], CLAIM)
    both = combine([a, b])
    assert both.verdict == "needs_attention"
    assert combine([a]).verdict == "clear"
    assert combine([b]).verdict == "unreadable"
    json.dumps(both.to_dict())


def test_combine_expired_id_is_not_masked_by_a_valid_deed():
    card = [
        "REINO DE ESPAÑA",
        "DOCUMENTO NACIONAL DE IDENTIDAD",
        "APELLIDOS",
        "NÚÑEZ LÓPEZ",
        "NOMBRE",
        "MARÍA",
        "VALIDEZ",
        "01 01 2022",
        "DNI 12345678Z",
    ]
    poa = run()
    idd = assess([page_from_lines(card)], CLAIM, file="dni.png", today=TODAY)
    both = combine([poa, idd])
    checks = {c.name: c for c in both.checks}
    assert checks["id_valid"].outcome == "fail" and checks["id_valid"].evidence.file == "dni.png"
    assert checks["person_nif"].outcome == "pass" and checks["doc_type"].outcome == "pass"
    assert both.verdict == "needs_attention"
    assert both.to_dict()["checks"][0]["name"] == "doc_type"
