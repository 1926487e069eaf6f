"""Fast tests of the second OCR corpus generator (tests/ocr/corpus2.py + corpus_holdout.py): no OCR."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import pytest
from stdnum.es import cif as stdcif
from stdnum.es import nif as stdnif

from tests.ocr import corpus2 as K
from tests.ocr import corpus_holdout as H

SEED = 20261120
PARTS = (
    "dev",
    "holdout",
    "holdout2",
    "holdout3",
    "holdout4",
    "holdout5",
    "holdout6",
    "holdout7",
    "holdout8",
    "holdout9",
    "holdout10",
)
DOC_TYPES = {"power_of_attorney", "deed", "registry_certificate", "manager_mandate", "id_document", "other"}
CASES = {"true_claim", "outgoing_claims", "grantor_claims", "stale_certificate", "expired_id"}
CASES_H2 = CASES | {"witness_claims", "notary_claims"}  # holdout2 only
CASES_H3 = {"secretary_claims", "president_claims", "lookalike_claims", "nif_off_claims"}  # holdout3 only
CASES_H6 = {"future_mandate"}  # holdout6: a mandate signed after the upload
CASE_ROLE = {
    "outgoing_claims": "outgoing",
    "grantor_claims": "grantor",
    "witness_claims": "witness",
    "notary_claims": "notary",
    "secretary_claims": "other",
    "president_claims": "other",
    "lookalike_claims": None,
    "nif_off_claims": None,
}
ROLES = {"appointed", "grantor", "outgoing", "notary", "registrar", "witness", "other"}
BASIS = {
    "power_of_attorney": "execution",
    "deed": "execution",
    "registry_certificate": "issue",
    "manager_mandate": "signature",
    "id_document": "expiry",
}


@pytest.fixture(scope="module")
def plans():
    return {(part, prof): K.plan(part, prof, SEED) for part in PARTS for prof in ("full", "small")}


def _compact(s: str) -> str:
    return re.sub(r"[\s.\-]", "", s).upper()


def test_plan_is_deterministic():
    a = [e for _, e in K.plan("dev", "full", SEED)]
    b = [e for _, e in K.plan("dev", "full", SEED)]
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    c = [e for _, e in K.plan("dev", "full", SEED + 1)]
    assert json.dumps(a, sort_keys=True) != json.dumps(c, sort_keys=True)


def test_sizes_and_coverage(plans):
    sizes = {"dev": (80, 110), "holdout": (50, 70)}
    for part, (lo, hi) in sizes.items():
        full = [e for _, e in plans[(part, "full")]]
        assert lo <= len(full) <= hi, (part, len(full))
        assert 10 <= len(plans[(part, "small")]) <= 20
        assert {e["case"] for e in full} == CASES, part
        assert {e["doc_type"] for e in full} == DOC_TYPES - {"other"}
        for dtp in DOC_TYPES - {"other"}:
            assert len({e["variant"] for e in full if e["doc_type"] == dtp}) >= 4, (part, dtp)
    dev_t = {e["template"] for _, e in plans[("dev", "full")]}
    hold_t = {e["template"] for _, e in plans[("holdout", "full")]}
    assert dev_t == set(K.TEMPLATES) and hold_t == set(H.TEMPLATES) and not dev_t & hold_t
    from tests.ocr import corpus_holdout3 as H3

    h3 = [e for _, e in plans[("holdout3", "full")]]
    assert {e["template"] for e in h3} == set(H3.TEMPLATES) and 15 <= len(H3.TEMPLATES) <= 20
    assert CASES_H3 <= {e["case"] for e in h3} and 60 <= len(h3) <= 100
    from tests.ocr import corpus_holdout4 as H4

    h4 = [e for _, e in plans[("holdout4", "full")]]
    assert {e["template"] for e in h4} == set(H4.TEMPLATES) and len(H4.TEMPLATES) >= 20
    assert CASES_H2 | CASES_H3 <= {e["case"] for e in h4} and 60 <= len(h4) <= 100
    assert not set(H4.TEMPLATES) & (set(H3.TEMPLATES) | set(K.TEMPLATES) | set(H.TEMPLATES))
    from tests.ocr import corpus_holdout2 as H2
    from tests.ocr import corpus_holdout5 as H5

    h5 = [e for _, e in plans[("holdout5", "full")]]
    assert {e["template"] for e in h5} == set(H5.TEMPLATES) and len(H5.TEMPLATES) >= 20
    assert CASES_H2 | CASES_H3 <= {e["case"] for e in h5} and 70 <= len(h5) <= 100
    assert {"old_issue_date", "no_issue_date"} <= {e.get("stale_reason") for e in h5}
    assert 10 <= len(plans[("holdout5", "small")]) <= 20
    assert {e["doc_type"] for e in h5} == DOC_TYPES - {"other"}
    for dtp in DOC_TYPES - {"other"}:
        assert len({e["variant"] for e in h5 if e["doc_type"] == dtp}) >= 4, dtp
    assert any(e["set"] for e in h5 if e["case"] == "expired_id")
    others = set(H4.TEMPLATES) | set(H3.TEMPLATES) | set(H2.TEMPLATES) | set(K.TEMPLATES) | set(H.TEMPLATES)
    assert not set(H5.TEMPLATES) & others
    from tests.ocr import corpus_holdout6 as H6

    h6 = [e for _, e in plans[("holdout6", "full")]]
    assert {e["template"] for e in h6} == set(H6.TEMPLATES) and len(H6.TEMPLATES) >= 12
    assert CASES_H2 | CASES_H3 | CASES_H6 <= {e["case"] for e in h6} and 55 <= len(h6) <= 75
    assert {"old_issue_date", "no_issue_date"} <= {e.get("stale_reason") for e in h6}
    assert 10 <= len(plans[("holdout6", "small")]) <= 20
    assert {e["doc_type"] for e in h6} == DOC_TYPES - {"other"} and {e["lang"] for e in h6} == {"es", "ca"}
    for dtp in DOC_TYPES - {"other"}:
        assert len({e["variant"] for e in h6 if e["doc_type"] == dtp}) >= 4, dtp
    assert any(e["set"] for e in h6 if e["case"] == "expired_id")
    future = [e for e in h6 if e["case"] == "future_mandate"]
    assert future and all(e["doc_type"] == "manager_mandate" and e["expect"]["date"] > e["upload_date"] for e in future)
    assert not set(H6.TEMPLATES) & (others | set(H5.TEMPLATES))
    from tests.ocr import corpus_holdout7 as H7

    h7 = [e for _, e in plans[("holdout7", "full")]]
    assert {e["template"] for e in h7} == set(H7.TEMPLATES) and len(H7.TEMPLATES) >= 12
    assert CASES_H2 | CASES_H3 | CASES_H6 <= {e["case"] for e in h7} and 55 <= len(h7) <= 75
    assert {"old_issue_date", "no_issue_date"} <= {e.get("stale_reason") for e in h7}
    assert 10 <= len(plans[("holdout7", "small")]) <= 20
    assert {e["doc_type"] for e in h7} == DOC_TYPES - {"other"} and {e["lang"] for e in h7} == {"es", "ca"}
    for dtp in DOC_TYPES - {"other"}:
        assert len({e["variant"] for e in h7 if e["doc_type"] == dtp}) >= 4, dtp
    assert any(e["set"] for e in h7 if e["case"] == "expired_id")
    future = [e for e in h7 if e["case"] == "future_mandate"]
    assert future and all(e["doc_type"] == "manager_mandate" and e["expect"]["date"] > e["upload_date"] for e in future)
    assert not set(H7.TEMPLATES) & (others | set(H5.TEMPLATES) | set(H6.TEMPLATES))
    from tests.ocr import corpus_holdout8 as H8

    h8 = [e for _, e in plans[("holdout8", "full")]]
    assert {e["template"] for e in h8} == set(H8.TEMPLATES) and len(H8.TEMPLATES) >= 12
    assert CASES_H2 | CASES_H3 | CASES_H6 <= {e["case"] for e in h8} and 55 <= len(h8) <= 75
    assert {"old_issue_date", "no_issue_date"} <= {e.get("stale_reason") for e in h8}
    assert 10 <= len(plans[("holdout8", "small")]) <= 20
    assert {e["doc_type"] for e in h8} == DOC_TYPES - {"other"} and {e["lang"] for e in h8} == {"es", "ca"}
    for dtp in DOC_TYPES - {"other"}:
        assert len({e["variant"] for e in h8 if e["doc_type"] == dtp}) >= 4, dtp
    assert any(e["set"] for e in h8 if e["case"] == "expired_id")
    future = [e for e in h8 if e["case"] == "future_mandate"]
    assert future and all(e["doc_type"] == "manager_mandate" and e["expect"]["date"] > e["upload_date"] for e in future)
    assert not set(H8.TEMPLATES) & (others | set(H5.TEMPLATES) | set(H6.TEMPLATES) | set(H7.TEMPLATES))
    from tests.ocr import corpus_holdout9 as H9

    h9 = [e for _, e in plans[("holdout9", "full")]]
    assert {e["template"] for e in h9} == set(H9.TEMPLATES) and len(H9.TEMPLATES) >= 10
    assert CASES_H2 | CASES_H3 | CASES_H6 <= {e["case"] for e in h9} and 55 <= len(h9) <= 75
    assert {"old_issue_date", "no_issue_date"} <= {e.get("stale_reason") for e in h9}
    assert 10 <= len(plans[("holdout9", "small")]) <= 20
    assert {e["doc_type"] for e in h9} == DOC_TYPES - {"other"} and {e["lang"] for e in h9} == {"es", "ca"}
    for dtp in DOC_TYPES - {"other"}:
        assert len({e["variant"] for e in h9 if e["doc_type"] == dtp}) >= 4, dtp
    assert any(e["set"] for e in h9 if e["case"] == "expired_id")
    future = [e for e in h9 if e["case"] == "future_mandate"]
    assert future and all(e["doc_type"] == "manager_mandate" and e["expect"]["date"] > e["upload_date"] for e in future)
    acta = [e for e in h9 if "acta_manifestaciones" in e["template"]]  # nobody empowered: nothing may come out clear
    assert acta and not any(e["should_be_clear"] for e in acta)
    assert all(p["role"] != "appointed" for e in acta for p in e["expect"]["people"])
    trader = [e for e in h9 if "empresari_individual" in e["template"]]  # a sole trader: the business NIF is a DNI
    assert trader and all(stdnif.is_valid(e["claim"]["company_cif"]) for e in trader)
    assert not set(H9.TEMPLATES) & (
        others | set(H5.TEMPLATES) | set(H6.TEMPLATES) | set(H7.TEMPLATES) | set(H8.TEMPLATES)
    )
    from tests.ocr import corpus_holdout10 as H10

    h10 = [e for _, e in plans[("holdout10", "full")]]
    assert {e["template"] for e in h10} == set(H10.TEMPLATES) and len(H10.TEMPLATES) >= 10
    assert CASES_H2 | CASES_H3 | CASES_H6 <= {e["case"] for e in h10} and 55 <= len(h10) <= 75
    assert {"old_issue_date", "no_issue_date"} <= {e.get("stale_reason") for e in h10}
    assert 10 <= len(plans[("holdout10", "small")]) <= 20
    assert {e["doc_type"] for e in h10} == DOC_TYPES - {"other"} and {e["lang"] for e in h10} == {"es", "ca"}
    for dtp in DOC_TYPES - {"other"}:
        assert len({e["variant"] for e in h10 if e["doc_type"] == dtp}) >= 4, dtp
    assert any(e["set"] for e in h10 if e["case"] == "expired_id")
    future = [e for e in h10 if e["case"] == "future_mandate"]
    assert future and all(e["doc_type"] == "manager_mandate" and e["expect"]["date"] > e["upload_date"] for e in future)
    assert not set(H10.TEMPLATES) & (
        others | set(H5.TEMPLATES) | set(H6.TEMPLATES) | set(H7.TEMPLATES) | set(H8.TEMPLATES) | set(H9.TEMPLATES)
    )


def test_manifest_schema_and_identifiers(plans):
    for (part, _prof), pl in plans.items():
        names = [e["file"] for _, e in pl]
        assert len(names) == len(set(names))
        for _doc, e in pl:
            assert e["part"] == part and e["doc_type"] in DOC_TYPES and e["lang"] in ("es", "ca")
            assert e["case"] in CASES_H2 | CASES_H3 | CASES_H6 and isinstance(e["should_be_clear"], bool)
            assert e["variant"] in K.VARIANTS + K.ID_VARIANTS
            ex, cl = e["expect"], e["claim"]
            assert ex["date_basis"] == BASIS[e["doc_type"]]
            upload = dt.date.fromisoformat(e["upload_date"])
            assert K.UPLOAD_BASE <= upload <= K.UPLOAD_BASE + dt.timedelta(days=10)
            undated = e.get("stale_reason") == "no_issue_date"  # holdout2: certificate stating no issue date
            undated |= e["doc_type"] == "id_document" and ex["expiry"] is None  # holdout3: ID without expiry
            d = upload - dt.timedelta(days=1) if undated else dt.date.fromisoformat(ex["date"])
            assert stdnif.is_valid(cl["person_nif"])
            assert not stdnif.is_valid(e["one_off_nif"]) and len(e["one_off_nif"]) == 9
            assert stdnif.is_valid(e["absent_nif"]) and e["absent_nif"] != cl["person_nif"]
            for p in ex["people"]:
                assert p["role"] in ROLES
                assert p["id_number"] is None or stdnif.is_valid(p["id_number"])
            if e["doc_type"] == "id_document" and ex["expiry"] is None:  # holdout3: no expiry printed
                assert e["case"] == "true_claim" and ex["date"] is None and ex["issue_date"] < e["upload_date"]
                continue
            if e["doc_type"] == "id_document":
                assert cl["company_cif"] is None and cl["company_name"] is None and e["set"]
                # holdout5's DNI 3.0 prints no issue date: nothing to read
                assert ex["expiry"] == ex["date"] and (ex["issue_date"] is None or ex["issue_date"] < ex["expiry"])
                assert (d < upload) == (e["case"] == "expired_id")
                assert ex["person_role"] is None and ex["surnames"] and ex["given_names"]
                continue
            sole_trader = K.ALL_TEMPLATES()[e["template"]].get("sole_trader")  # holdout9: the NIF is his DNI
            assert stdcif.is_valid(cl["company_cif"]) or (sole_trader and stdnif.is_valid(cl["company_cif"]))
            assert stdcif.is_valid(e["other_cif"])
            assert e["other_cif"] != cl["company_cif"]
            if "Comuni" in cl["company_name"]:
                assert cl["company_cif"][0] == "H"
            assert (d > upload) == (e["case"] == "future_mandate")
            if e["doc_type"] == "registry_certificate" and not undated:
                age = (upload - d).days
                assert (age > 90) if e["case"] == "stale_certificate" else (5 <= age <= 80)
            role = CASE_ROLE.get(e["case"], "appointed")
            assert ex["person_role"] == role
            assert e["should_be_clear"] == (e["case"] == "true_claim" and not e["absent"])
            if e["case"] in ("lookalike_claims", "nif_off_claims"):  # holdout3: claimed NIF not on the page
                assert all(p["id_number"] != cl["person_nif"] for p in ex["people"])
                named = [p for p in ex["people"] if p["name"] == cl["person_name"]]
                assert len(named) == (e["case"] == "nif_off_claims"), e["file"]
                continue
            mine = [
                p
                for p in ex["people"]
                if p["id_number"] == cl["person_nif"] or (role == "notary" and p["name"] == cl["person_name"])
            ]
            assert len(mine) == 1 and mine[0]["role"] == role and mine[0]["name"] == cl["person_name"]
            if ex["protocol"]:
                assert re.fullmatch(r"\d{1,3}(\.\d{3})?", ex["protocol"])
            if ex["csv"]:
                assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", ex["csv"])


def test_sets_pair_an_id_card_with_a_primary_document(plans):
    for (_part, prof), pl in plans.items():
        sets = {}
        for _, e in pl:
            if e["set"]:
                sets.setdefault(e["set"], []).append(e)
        assert sets or prof == "small"
        for sid, es in sets.items():
            assert sorted(x["doc_type"] == "id_document" for x in es) == [False, True], sid
            prim, card = sorted(es, key=lambda x: x["doc_type"] == "id_document")
            assert prim["claim"]["person_nif"] == card["claim"]["person_nif"]
            assert prim["claim"]["person_name"] == card["claim"]["person_name"]
            assert prim["should_be_clear"] and prim["upload_date"] == card["upload_date"]


def test_mrz_check_digits_icao_example():
    # ICAO 9303 part 5 TD1 example
    assert K.mrz_check("D23145890") == "7"
    assert K.mrz_check("740812") == "2" and K.mrz_check("120415") == "9"
    l1, l2 = "I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6"
    assert K.mrz_check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) == "6"
    p = K.Person("María del Carmen", "de la Fuente", "Núñez", "12345678Z", "F")
    m = K.td1_mrz("ID", "BAA123456", p.nif, dt.date(1980, 2, 3), "F", dt.date(2031, 5, 6), "ESP", p)
    assert [len(x) for x in m] == [30, 30, 30]
    assert m[0][14] == K.mrz_check(m[0][5:14]) and m[1][6] == K.mrz_check(m[1][0:6])
    assert m[1][14] == K.mrz_check(m[1][8:14])
    assert m[1][29] == K.mrz_check(m[0][5:30] + m[1][0:7] + m[1][8:15] + m[1][18:29])
    assert m[2] == "DE<LA<FUENTE<NUNEZ<<MARIA<DEL<"  # truncated to 30 characters


def test_numbers_in_words():
    assert K.words_es(2871) == "dos mil ochocientos setenta y uno"
    assert K.words_es(2026) == "dos mil veintiséis" and K.words_es(100) == "cien"
    assert K.words_ca(1502) == "mil cinc-cents dos" and K.words_ca(2026) == "dos mil vint-i-sis"
    assert K.proto_printed(2871) == "2.871" and K.proto_printed(871) == "871"


def test_every_template_renders_and_prints_its_facts(plans):
    seen = set()
    for part in PARTS:
        for doc, e in plans[(part, "full")]:
            if doc.template in seen:
                continue
            seen.add(doc.template)
            out = K.doc_blocks(doc)
            if e["doc_type"] == "id_document" and K.ALL_TEMPLATES()[doc.template].get("paper"):  # A4, 600 dpi
                assert len(out) == 1 and out[0].size == (K.A4[0] * 2, K.A4[1] * 2)
                continue
            if e["doc_type"] == "id_document":
                assert len(out) == 2 and all(im.size == (2022, 1276) for im in out)
                assert doc.extra.get("mrz") is None or len(doc.extra["mrz"]) == 3
                continue
            pages = K.doc_text_layer(doc, out)
            text = _compact(" ".join(ln for pg in pages for _, ln in pg))
            if "person_nif" not in e["absent"]:
                assert e["claim"]["person_nif"] in text, doc.template
            if "company_cif" not in e["absent"]:
                assert e["claim"]["company_cif"] in text, doc.template
            for k in ("protocol", "csv"):
                if e["expect"][k]:
                    assert _compact(e["expect"][k]) in text, (doc.template, k)
            imgs = K.render_pages(out, doc.style, dpi=75)
            assert imgs and imgs[0].size == (K.A4[0] // 4, K.A4[1] // 4)
    assert seen == set(K.ALL_TEMPLATES())


def test_facts_on_page_two_for_covered_documents(plans):
    n = 0
    for doc, e in plans[("dev", "full")] + plans[("holdout", "full")]:
        if not doc.cover or "person_nif" in e["absent"]:
            continue
        blocks = K.doc_blocks(doc)
        pages = K.layout_blocks(blocks, doc.style)
        txt = [_compact(" ".join(op[3] for op in pg if op[0] == "text")) for pg in pages]
        assert e["claim"]["person_nif"] not in txt[0]
        assert e["claim"]["person_nif"] in txt[1], doc.template
        n += 1
    assert n >= 5


def test_render_file_is_byte_identical(plans):
    pl = plans[("dev", "full")]
    picks = [
        next(d for d, e in pl if e["variant"] == v and d.doc_type != "id_document")
        for v in ("clean", "pdf_text", "jpeg200")
    ]
    for doc, v in zip(picks, ("clean", "pdf_text", "jpeg200")):
        a, b = K.render_file(doc, v), K.render_file(doc, v)
        assert a[0] == b[0] and a[1:] == b[1:]


def test_build_is_idempotent(tmp_path, monkeypatch):
    tiny = {"docs": [("mandate_energy_es", ["pdf_text"], ["pdf_text"])], "cases": [], "sets": [], "small_sets": 0}
    monkeypatch.setattr(K, "DEV_PLAN", tiny)
    a = K.build(str(tmp_path / "a"), "dev", "small", 7)
    b = K.build(str(tmp_path / "b"), "dev", "small", 7)
    assert a == b and len(a) == 1
    fa, fb = (tmp_path / "a" / a[0]["file"]).read_bytes(), (tmp_path / "b" / b[0]["file"]).read_bytes()
    assert fa == fb
    m = tmp_path / "a" / "manifest.json"
    before = os.path.getmtime(m)
    assert K.build(str(tmp_path / "a"), "dev", "small", 7) == a and os.path.getmtime(m) == before
    data = json.loads(m.read_text(encoding="utf-8"))
    assert (data["part"], data["profile"], data["seed"]) == ("dev", "small", 7)
