#!/usr/bin/env python
"""CPU cost of the OCR pre-check of text-layer PDF pages, as the pre-check job runs it.

    .venv/bin/python benchmarks/ocr_textlayer_bench.py [--docs 200] [--repeat 3] [--warmup 20]
                                                       [--dump FILE] [--profile 25]

What it measures: the calls ``documents.prechecks`` makes for a PDF whose pages carry a text
layer (``_read_text_layers`` then ``_assess``), one page at a time:

* read    ``ocr.read_page(data, i, page_timeout=60, text_layer_only=True)``;
* assess  ``ocr.assess(pages, claim, file=..., total_pages=n)`` on the pages after the
          ``PageText.to_dict()``/``from_dict()`` round trip the job stores in the database
          (``ocr.is_satisfied`` too for a document of several pages, as between waves).

CPU time is ``time.process_time()`` (this process only; no database, no Celery). Printed: CPU ms
per page, median / p95 / mean / max over every timed page, for read, assess and both; after
``--warmup`` untimed pages, each document is measured ``--repeat`` times.

Corpus (built before the clock starts, deterministic):

* ``flow``: the documents ``benchmarks/flow_bench.py`` uploads -- one-page powers of attorney
  from ``tests.workflows.paperwork.power_of_attorney`` naming a customer (company name and CIF as
  ``flow_bench.prepare_data`` makes them) and the new representative (NIF, name), with the
  same seeds, and the claim ``workflows.services`` builds for a representative change;
* ``ocr-tests``: the text-layer PDFs the OCR tests build with ``tests/ocr/corpus.py``
  (``pdf_with_text(text_pdf_lines(facts))`` for every document kind and language, the NIF binding
  tests' documents, rotated pages, invisible text), each with its true claim and, for the dump
  only, wrong claims (swapped NIF, other person's name, one-digit-off CIF).

``--dump FILE`` writes every result as JSON (words with boxes and lines per page, then the
whole ``assess`` result and ``is_satisfied`` for every claim; times left out) so that two runs can
be diffed: ``diff <(python -m json.tool before.json) <(python -m json.tool after.json)``.

Needs no database: Django is set up (with a throw-away var directory) only so that the test
helpers import.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    os.environ.setdefault("BACKOFFICE_VAR_DIR", tempfile.mkdtemp(prefix="ocr_textlayer_bench_"))
    import django

    django.setup()


@dataclasses.dataclass
class Doc:
    name: str
    group: str  # "flow" or "ocr-tests"
    pdf: bytes
    claims: list  # [(label, ocr.Claim)]; the first is the one timed


def flow_documents(count: int, seed: int) -> list[Doc]:
    """As flow_bench.prepare_data + build_documents (same names, identifiers and seeds)."""
    import ocr
    from backoffice.demo import make_cif, make_nif
    from tests.ocr.corpus import COMPANY_A, COMPANY_B, FIRST, FORMS, LAST
    from tests.workflows.paperwork import power_of_attorney

    rng = random.Random(seed)
    names = [f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {i + 1} {rng.choice(FORMS)}" for i in range(count)]
    for _ in range(count):  # the representatives' names (not in the documents): keeps rng in step
        rng.choice(FIRST), rng.choice(LAST), rng.choice(LAST)
    docs = []
    for i in range(count):
        tax_id, new_nif = make_cif("B", 3_000_000 + i), make_nif(30_000_000 + i)
        new_name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"
        customer = type("C", (), {"name": names[i], "tax_id": tax_id})
        pdf = power_of_attorney(customer, nif=new_nif, name=new_name, seed=seed * 100_003 + i)
        claim = ocr.Claim(
            request_type="representative_change",
            company_cif=tax_id,
            company_name=names[i],
            person_nif=new_nif,
            person_name=new_name,
        )
        docs.append(Doc(f"flow-{i}", "flow", pdf, [("true", claim)]))
    return docs


def ocr_test_documents() -> list[Doc]:
    import ocr
    from tests.ocr import corpus

    def claims(f) -> list:
        true = ocr.Claim(
            f.request_type,
            company_cif=f.company_cif,
            company_name=f.company_name,
            person_nif=f.person_nif,
            person_name=f.person_name,
        )
        return [
            ("true", true),
            ("grantor_nif", dataclasses.replace(true, person_nif=f.grantor_nif)),
            ("grantor_name", dataclasses.replace(true, person_name=f.grantor_name)),
            ("one_off_nif", dataclasses.replace(true, person_nif=f.one_off_nif)),
            (
                "one_off_cif",
                dataclasses.replace(true, company_cif=corpus.one_digit_off(f.company_cif, random.Random(1))),
            ),
        ]

    docs = []
    kinds = corpus.DOC_KINDS
    for seed in (5, 20240312, 11, 12):  # 5: tests/ocr/test_ocr_nif_binding.py
        for doc_type, lang in kinds:
            f = corpus.make_facts(random.Random(seed), doc_type, lang)
            docs.append(
                Doc(f"{doc_type}-{lang}-{seed}", "ocr-tests", corpus.pdf_with_text(corpus.text_pdf_lines(f)), claims(f))
            )
    # tests/ocr/test_ocr_hostile.py: rotated pages, invisible text
    claim = ocr.Claim(
        "representative_change",
        company_cif="B12345674",
        company_name="Energías del Ebre S.L.",
        person_nif="12345678Z",
        person_name="María Núñez López",
    )
    lines = [
        ("title", "ESCRITURA DE PODER ESPECIAL"),
        ("body", "En Madrid, a 3 de mayo de 2024."),
        ("body", "otorga poder especial a favor de D. JUAN, con DNI 12.345.678-Z,"),
        ("body", "en nombre de la mercantil con CIF B-12345674."),
    ] + [("body", "texto de relleno del poder")] * 6
    for rotate in (0, 90, 180, 270):
        docs.append(
            Doc(
                f"hostile-rotate-{rotate}", "ocr-tests", corpus.pdf_with_text([lines], rotate=rotate), [("true", claim)]
            )
        )
    visible = [("title", "ESCRITURA DE PODER ESPECIAL")] + [("body", "Texto visible sin identificadores.")] * 8
    for style in ("hidden", "white", "tiny"):
        hidden = [(style, "a favor de D. JUAN, con DNI 12345678Z, mercantil con CIF B12345674")] * 3
        docs.append(Doc(f"hostile-{style}", "ocr-tests", corpus.pdf_with_text([visible + hidden]), [("true", claim)]))
    # rotated real documents (every direction of text), several pages
    for rotate in (90, 180, 270):
        f = corpus.make_facts(random.Random(rotate), "deed", "es")
        docs.append(
            Doc(
                f"deed-es-rotate-{rotate}",
                "ocr-tests",
                corpus.pdf_with_text(corpus.text_pdf_lines(f), rotate=rotate),
                claims(f),
            )
        )
    f = corpus.make_facts(random.Random(3), "power_of_attorney", "es")
    tl = corpus.text_pdf_lines(f)
    docs.append(Doc("poa-es-3-pages", "ocr-tests", corpus.pdf_with_text([tl[0][:9], tl[0][9:], tl[0]]), claims(f)))
    return docs


def check_page(doc: Doc, claim, timings: list | None = None):
    """The pre-check job's calls for one document: read every page, then assess (see module doc)."""
    import ocr

    n = ocr.count_pages(doc.pdf)
    pages = []
    for i in range(n):
        t0 = time.process_time()
        page = ocr.read_page(doc.pdf, i, page_timeout=60.0, text_layer_only=True)
        t1 = time.process_time()
        if timings is not None:
            timings.append(("read", t1 - t0))
        pages.append(page)
    if any(p is None for p in pages):
        return pages, None, None
    stored = [ocr.PageText.from_dict(p.to_dict()) for p in pages]
    t0 = time.process_time()
    satisfied = ocr.is_satisfied(stored, claim) if n > 1 else None
    result = ocr.assess(stored, claim, file=doc.name, total_pages=n)
    t1 = time.process_time()
    if timings is not None:
        for _ in range(n):
            timings.append(("assess", (t1 - t0) / n))
    return pages, result, satisfied


def dump(docs: list[Doc], path: str) -> None:
    import ocr

    out = {}
    for doc in docs:
        entry = {"group": doc.group, "pages": [], "claims": {}}
        pages = None
        for label, claim in doc.claims:
            pages, result, _ = check_page(doc, claim)
            stored = [ocr.PageText.from_dict(p.to_dict()) for p in pages if p is not None]
            d = result.to_dict() if result is not None else None
            if d is not None:
                d.pop("seconds", None)
            entry["claims"][label] = {
                "claim": claim.to_dict(),
                "result": d,
                "is_satisfied": ocr.is_satisfied(stored, claim),
            }
        for p in pages:
            if p is None:
                entry["pages"].append(None)
                continue
            d = p.to_dict()
            d.pop("seconds", None)
            entry["pages"].append(d)
        out[doc.name] = entry
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False, indent=0, sort_keys=True)
    print(
        f"Dumped {len(out)} documents ({sum(len(e['pages']) for e in out.values())} pages, "
        f"{sum(len(e['claims']) for e in out.values())} assessments) to {path}"
    )


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def report(label: str, timings: list) -> None:
    per = {}
    for kind, seconds in timings:
        per.setdefault(kind, []).append(seconds * 1000)
    total = [r + a for r, a in zip(per.get("read", []), per.get("assess", []))]
    print(f"\n{label}: {len(total)} timed pages")
    print(f"  {'CPU ms per page':<22} {'median':>8} {'p95':>8} {'mean':>8} {'max':>8}")
    for name, values in (
        ("read_page", per.get("read", [])),
        ("assess", per.get("assess", [])),
        ("read + assess", total),
    ):
        if values:
            print(
                f"  {name:<22} {statistics.median(values):8.2f} {pct(values, 0.95):8.2f} "
                f"{statistics.fmean(values):8.2f} {max(values):8.2f}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="flow documents (one page each)")
    parser.add_argument("--seed", type=int, default=1, help="flow_bench --seed")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the corpus")
    parser.add_argument("--warmup", type=int, default=20, help="untimed documents first")
    parser.add_argument("--dump", metavar="FILE", help="write every result as JSON (for a before/after diff)")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="K",
        help="cProfile one pass over the flow documents and print the K heaviest functions",
    )
    parser.add_argument("--no-ocr-tests", action="store_true", help="time the flow documents only")
    args = parser.parse_args()

    _django()
    t0 = time.perf_counter()
    flow = flow_documents(args.docs, args.seed)
    others = [] if args.no_ocr_tests else ocr_test_documents()
    print(
        f"Corpus: {len(flow)} flow documents, {len(others)} OCR-test documents, built in "
        f"{time.perf_counter() - t0:.1f} s (not timed). Python {sys.version.split()[0]}."
    )

    if args.dump:
        dump(flow + ocr_test_documents(), args.dump)

    for doc in (flow + others)[: args.warmup]:
        check_page(doc, doc.claims[0][1])

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for doc in flow:
            check_page(doc, doc.claims[0][1])
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)

    for group, docs in (
        ("flow documents (one-page powers of attorney)", flow),
        ("OCR-test text-layer documents", others),
    ):
        if not docs:
            continue
        timings: list = []
        for _ in range(args.repeat):
            for doc in docs:
                pages, result, _ = check_page(doc, doc.claims[0][1], timings)
                if result is None:
                    print(f"{doc.name}: a page needs OCR; not a text-layer document", file=sys.stderr)
                    return 1
        report(group, timings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
