"""End-to-end on the synthetic corpus: every variant yields the right facts."""

import io
import json
import os

import pytesseract

from ocr import Claim, PageText, assess, count_pages, precheck_file, read_page
from ocr.cli import main as cli_main
from tests.ocr import corpus

SMALL = [(f"{dt}/{lang}", v) for (dt, lang) in corpus.DOC_KINDS for v in corpus.SMALL_VARIANTS.get(f"{dt}/{lang}", [])]
ROTATION = {"rot90": 90, "rot180": 180, "rot270": 270}


def claim_of(entry) -> Claim:
    return Claim(**entry.claim())


def entries(small_corpus, variant=None):
    out_dir, es = small_corpus
    return [(os.path.join(out_dir, e.file), e) for e in es if variant is None or e.variant == variant]


def test_corpus_is_deterministic(small_corpus):
    import random

    a = [corpus.make_facts(random.Random(7), dt, lang) for dt, lang in corpus.DOC_KINDS]
    b = [corpus.make_facts(random.Random(7), dt, lang) for dt, lang in corpus.DOC_KINDS]
    assert a == b
    page = lambda: corpus._save(corpus.render_document(a[0])[0], "PNG")  # noqa: E731
    assert page() == page()
    out_dir, es = small_corpus
    man = json.loads(open(os.path.join(out_dir, "manifest.json"), encoding="utf-8").read())
    assert [e["facts"] for e in man["entries"]] == [e.facts for e in es]
    assert all(os.path.exists(os.path.join(out_dir, e.file)) for e in es)


def test_every_variant_yields_the_facts(small_corpus, corpus_pages):
    problems = []
    for _path, e in entries(small_corpus):
        if e.variant == "pdf_scan_early":
            continue
        f = e.facts
        name, total, pages, err = corpus_pages[e.file]
        assert err is None, (e.file, err)
        r = assess(pages, claim_of(e), file=name, total_pages=total)
        absent = (f.get("extra") or {}).get("absent", [])
        want = {"doc_type": f["doc_type"]}
        got = {"doc_type": r.doc_type}
        for k in ("company_cif", "person_nif", "company_name", "person_name"):
            if f.get(k) and k not in absent:
                want[k] = "pass"
                got[k] = r.check(k).outcome
        exp_date = f["expiry"] if f["doc_type"] == "id_document" else f["date"]
        want["date"] = exp_date
        got["date"] = r.fields["expiry"] if f["doc_type"] == "id_document" else r.fields["date"]
        got["date"] = got["date"].value if got["date"] else None
        if e.variant in ROTATION:
            want["rotation"] = ROTATION[e.variant]
            got["rotation"] = pages[0].rotation
        if got != want:
            problems.append((e.file, want, got))
    assert not problems, problems


def test_dangerous_direction_on_real_ocr(small_corpus, corpus_pages):
    """Wrong claims (one digit off, valid-but-absent, distractor company) never pass."""
    import random

    rng = random.Random(99)
    for _path, e in entries(small_corpus):
        if e.variant == "pdf_scan_early":
            continue
        f = e.facts
        name, total, pages, _ = corpus_pages[e.file]
        base = claim_of(e)
        wrong = [("person_nif", f["one_off_nif"]), ("person_nif", corpus.make_dni(rng))]
        if f.get("company_cif"):
            wrong += [
                ("company_cif", corpus.one_digit_off(f["company_cif"], rng)),
                ("company_cif", corpus.make_cif(rng)),
            ]
        for field, value in wrong:
            r = assess(pages, Claim(**{**base.__dict__, field: value}), file=name, total_pages=total)
            assert r.check(field).outcome != "pass", (e.file, field, value)
            assert r.verdict != "clear"


def test_text_layer_pdf_runs_no_tesseract(small_corpus, monkeypatch):
    calls = []
    for fn in ("image_to_data", "image_to_osd", "image_to_string", "run_tesseract"):
        orig = getattr(pytesseract, fn, None) or getattr(pytesseract.pytesseract, fn)

        def spy(*a, _fn=fn, _orig=orig, **k):
            calls.append(_fn)
            return _orig(*a, **k)

        monkeypatch.setattr(pytesseract, fn, spy, raising=False)
        monkeypatch.setattr(pytesseract.pytesseract, fn, spy, raising=False)
    for path, e in entries(small_corpus, "pdf_text"):
        r = precheck_file(path, claim_of(e))
        assert r.pages_text_layer == r.pages and r.pages_ocred == 0
        assert r.check("person_nif").outcome == "pass" and r.check("company_cif").outcome == "pass"
        assert r.seconds < 2.0 * r.pages
        ev = r.check("person_nif").evidence
        x0, y0, x1, y1 = ev.bbox
        img = r.page_images[ev.page]
        assert 0 <= x0 < x1 <= img["width"] and 0 <= y0 < y1 <= img["height"]
    assert calls == []


def test_stop_early_skips_remaining_pages(small_corpus):
    ((path, e),) = entries(small_corpus, "pdf_scan_early")
    seen = []
    r = precheck_file(path, claim_of(e), on_page=lambda d, t: seen.append((d, t)))
    n = count_pages(path)
    assert n >= 3 and r.pages == n
    assert r.pages_ocred == 1, r.to_dict()["page_images"]
    assert r.check("person_nif").outcome == "pass" and r.check("company_cif").outcome == "pass"
    assert seen[0] == (1, n) and seen[-1] == (n, n)
    assert r.page_images[1]["source"] == "skipped"


def test_facts_on_a_later_page(small_corpus, corpus_pages):
    ((path, e),) = entries(small_corpus, "pdf_scan_late")
    name, total, pages, _ = corpus_pages[e.file]
    r = assess(pages, claim_of(e), total_pages=total)
    assert r.check("person_nif").outcome == "pass"
    assert r.check("person_nif").evidence.page == e.facts_page
    assert r.pages_ocred == total


def test_page_api_matches_precheck(small_corpus, corpus_pages):
    ((path, e),) = entries(small_corpus, "pdf_text")[:1]
    n = count_pages(path)
    pages = [PageText.from_dict(json.loads(json.dumps(read_page(path, i).to_dict()))) for i in range(n)]
    a = assess(pages, claim_of(e), file=os.path.basename(path), total_pages=n).to_dict()
    b = precheck_file(path, claim_of(e)).to_dict()
    for k in ("seconds",):
        a.pop(k), b.pop(k)
    assert a == b


def test_cli_json_lines(small_corpus, tmp_path):
    ((path, e),) = entries(small_corpus, "pdf_text")[:1]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    f = e.facts
    out = io.StringIO()
    rc = cli_main(
        [
            path,
            str(bad),
            "--request-type",
            f["request_type"],
            "--claim-cif",
            f["company_cif"],
            "--claim-company",
            f["company_name"],
            "--claim-nif",
            f["person_nif"],
            "--claim-name",
            f["person_name"],
            "--json",
        ],
        out,
    )
    assert rc == 0
    lines = [json.loads(l) for l in out.getvalue().splitlines()]
    assert [l["file"] for l in lines] == [path, str(bad)]
    assert lines[0]["verdict"] == "clear"
    assert lines[1]["verdict"] == "unreadable" and lines[1]["reason"]
    out = io.StringIO()
    assert cli_main([path], out) == 0 and "person_nif" not in out.getvalue()


def test_jpeg_exif_orientation_is_applied():
    import random

    from PIL import Image

    f = corpus.make_facts(random.Random(11), "power_of_attorney", "es")
    page = corpus.render_document(f)[0]
    stored = page.rotate(90, expand=True)  # pixels stored sideways...
    exif = Image.Exif()
    exif[0x0112] = 6  # ...and EXIF says "rotate 90 clockwise to display"
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=85, exif=exif.tobytes())
    claim = Claim(f.request_type, f.company_cif, f.company_name, f.person_nif, f.person_name)
    r = precheck_file(buf.getvalue(), claim)
    assert r.page_images[0]["rotation"] == 0  # upright once EXIF is honoured
    assert r.check("person_nif").outcome == "pass" and r.check("company_cif").outcome == "pass"
