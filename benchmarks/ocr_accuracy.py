"""Accuracy of the OCR pre-check on the synthetic corpus (tests/ocr/corpus.py).

    .venv/bin/python benchmarks/ocr_accuracy.py [--profile full|small] [--corpus DIR] [--jobs 2]

Per file: every page is read once (page-level API), then the true claim and
several *wrong* claims are assessed on the same pages:

* true claim -> per-field accuracy (identifiers found+validated+equal, names,
  doc type, date);
* claimed person NIF one digit off, a valid NIF that is not on the page
  (while the outgoing representative's valid NIF is), claimed CIF one digit
  off / a different valid CIF -> any "pass" is a DANGEROUS error (must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "ocr"))

import corpus  # noqa: E402

from ocr import Claim, assess, read_document  # noqa: E402

GROUPS = {
    "clean": "clean scans", "dpi600": "clean scans", "jpeg200": "clean scans", "tiff": "clean scans",
    "pdf_scan_late": "clean scans", "pdf_scan_early": "clean scans", "expired": "clean scans",
    "pdf_text": "text-layer PDFs",
    "photo": "photos", "skew": "rotated/skewed", "rot90": "rotated/skewed", "rot270": "rotated/skewed",
    "rot180": "rotated/skewed", "noisy": "degraded", "lowcontrast": "degraded",
}


def evaluate(args):
    path, entry = args
    f = entry["facts"]
    t0 = time.monotonic()
    try:
        name, total, pages = read_document(path, None, stop_early=False)
    except Exception as e:  # unreadable
        return {"file": entry["file"], "error": str(e), "seconds": time.monotonic() - t0}
    read_s = time.monotonic() - t0
    claim = Claim(request_type=f["request_type"], company_cif=f["company_cif"], company_name=f["company_name"],
                  person_nif=f["person_nif"], person_name=f["person_name"])
    r = assess(pages, claim, file=name, total_pages=total)
    out = {"file": entry["file"], "variant": entry["variant"], "doc_type_expected": f["doc_type"],
           "doc_type": r.doc_type, "verdict": r.verdict, "seconds": read_s, "checks": {},
           "date": r.fields["date"].value if r.fields.get("date") else None,
           "expiry": r.fields["expiry"].value if r.fields.get("expiry") else None,
           "notary": r.fields["notary"].value if r.fields.get("notary") else None,
           "protocol": r.fields["protocol"].value if r.fields.get("protocol") else None,
           "csv": r.fields["csv"].value if r.fields.get("csv") else None}
    for c in r.checks:
        out["checks"][c.name] = c.outcome
    # dangerous-direction probes
    rng = random.Random(entry["file"])
    dangerous = []
    probes = []
    probes.append(("person_nif", {"person_nif": f["one_off_nif"]}))
    other_nif = corpus.make_dni(rng)
    probes.append(("person_nif", {"person_nif": other_nif}))
    if f.get("company_cif"):
        probes.append(("company_cif", {"company_cif": corpus.one_digit_off(f["company_cif"], rng)}))
        probes.append(("company_cif", {"company_cif": corpus.make_cif(rng)}))
    for check_name, override in probes:
        c2 = Claim(**{**claim.__dict__, **override})
        r2 = assess(pages, c2, file=name, total_pages=total)
        ch = r2.check(check_name)
        if ch is not None and ch.outcome == "pass":
            dangerous.append(f"{check_name}={list(override.values())[0]} passed")
        if r2.verdict == "clear":
            dangerous.append(f"verdict clear with wrong {check_name}")
    out["dangerous"] = dangerous
    out["probes"] = len(probes)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--profile", choices=["small", "full"], default="full")
    p.add_argument("--corpus", default=None, help="corpus directory (default: ocr-corpus-PROFILE in the system temp dir; reused)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--json", default=None, help="write per-file results to this file")
    a = p.parse_args(argv)
    out_dir = a.corpus or os.path.join(tempfile.gettempdir(), f"ocr-corpus-{a.profile}")
    t0 = time.monotonic()
    entries = [e.__dict__ for e in corpus.build(out_dir, a.profile)]
    print(f"corpus: {len(entries)} files ({a.profile}), built/loaded in {time.monotonic() - t0:.1f}s")
    work = [(os.path.join(out_dir, e["file"]), e) for e in entries]
    t1 = time.monotonic()
    with Pool(a.jobs) as pool:
        results = pool.map(evaluate, work, chunksize=1)
    wall = time.monotonic() - t1

    field_names = ["doc_type", "company_cif", "person_nif", "company_name", "person_name", "date"]
    per_group: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    id_group: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    extra = defaultdict(lambda: [0, 0])
    dangerous_total, probes_total = 0, 0
    failures = []
    for res, e in zip(results, entries):
        f = e["facts"]
        g = GROUPS.get(e["variant"], e["variant"])
        if "error" in res:
            failures.append(f"{e['file']}: ERROR {res['error']}")
            for k in field_names:
                per_group[g][k][1] += 1
            continue
        dangerous_total += len(res["dangerous"])
        probes_total += res["probes"]
        for d in res["dangerous"]:
            failures.append(f"{e['file']}: DANGEROUS {d}")
        expect_dt_ok = res["doc_type"] == f["doc_type"]
        per_group[g]["doc_type"][0] += expect_dt_ok
        per_group[g]["doc_type"][1] += 1
        absent = (f.get("extra") or {}).get("absent", [])
        for k in ("company_cif", "person_nif", "company_name", "person_name"):
            if f.get(k) and k not in absent:
                ok = res["checks"].get(k) == "pass"
                per_group[g][k][0] += ok
                per_group[g][k][1] += 1
                if k in ("company_cif", "person_nif"):
                    id_group[g][0] += ok
                    id_group[g][1] += 1
                if not ok:
                    failures.append(f"{e['file']}: {k} {res['checks'].get(k)}")
        exp_date = f["expiry"] if f["doc_type"] == "id_document" else f["date"]
        got = res["expiry"] if f["doc_type"] == "id_document" else res["date"]
        per_group[g]["date"][0] += got == exp_date
        per_group[g]["date"][1] += 1
        if got != exp_date:
            failures.append(f"{e['file']}: date {got} != {exp_date}")
        if not expect_dt_ok:
            failures.append(f"{e['file']}: doc_type {res['doc_type']} != {f['doc_type']}")
        for k in ("notary", "protocol", "csv"):
            if f.get(k):
                val = res[k] or ""
                ok = (val.upper() == f[k].upper()) if k != "notary" else \
                    corpus_name_eq(val, f[k])
                extra[k][0] += ok
                extra[k][1] += 1
    print(f"OCR/read wall time {wall:.1f}s with {a.jobs} jobs; "
          f"mean {sum(r.get('seconds', 0) for r in results) / max(1, len(results)):.2f}s/file\n")
    groups = sorted(per_group)
    print(f"{'group':18s} " + " ".join(f"{k:>13s}" for k in field_names) + f" {'ids found':>10s}")
    for g in groups:
        row = per_group[g]
        cells = []
        for k in field_names:
            ok, n = row[k]
            cells.append(f"{ok:>3d}/{n:<3d}{(100 * ok / n if n else 0):4.0f}%" if n else f"{'-':>13s}")
        ok, n = id_group[g]
        print(f"{g:18s} " + " ".join(f"{c:>13s}" for c in cells) + f" {100 * ok / n if n else 0:9.1f}%")
    tot = [sum(id_group[g][0] for g in id_group), sum(id_group[g][1] for g in id_group)]
    print(f"\nidentifiers found+validated+equal overall: {tot[0]}/{tot[1]} = {100 * tot[0] / max(1, tot[1]):.1f}%")
    for k, (ok, n) in extra.items():
        print(f"{k:9s} extracted correctly: {ok}/{n}")
    print(f"\nDANGEROUS errors (wrong identifier claimed but check passed / verdict clear): "
          f"{dangerous_total} over {probes_total} probes")
    if failures:
        print("\nmisses:")
        for line in failures:
            print("  " + line)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1, ensure_ascii=False)
    return 1 if dangerous_total else 0


def corpus_name_eq(a: str, b: str) -> bool:
    from ocr.extract import name_tokens

    return sorted(name_tokens(a)) == sorted(name_tokens(b))


if __name__ == "__main__":
    raise SystemExit(main())
