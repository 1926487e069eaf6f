"""Accuracy of the OCR pre-check on the synthetic corpora.

    .venv/bin/python benchmarks/ocr_accuracy.py [--corpus one|dev|holdout|holdout2|...|holdout8|all] [--profile full|small] [--jobs 2]
                                                [--json out.json] [--misses] [--seed N]

Corpora: ``one`` = tests/ocr/corpus.py; ``dev`` / ``holdout`` = the two parts of tests/ocr/corpus2.py
(built into the system temp dir on first use and reused).  Every file is read once (a process pool over
files); the true claim, the should-not-match claim and the wrong-identifier probes (one digit off, a valid
NIF that is not on the page, another valid CIF, the CIF one digit off) are all assessed on the same pages
with ``today`` = the entry's upload date.

corpus.py has no upload dates: for its documents the upload date is the document date + 30 days; for its
ID cards (valid ones expire 400-3000 days after the day the corpus was generated, the expired one in 2022)
it is the date its manifest.json was written.  Its ID cards are judged alone (it has no sets); its invoice
(``other``) must not be clear.

Measures (per part, per document type and per variant group):
  ids       company CIF and person NIF checks "pass" (true claims whose document prints them)
  names     person_name check pass AND fields["person_name"] equal to the claimed name by token set
            (ID cards: fields surnames and given_names equal to the expected ones)
  date      fields["date"] == the date that counts (execution / issue / signature); ID cards: expiry and
            issue date both right
  roles     the claimed person has the expected role in r.people, or the person_role check passes
            (true claim) / fails (wrong-role claim)
  notarial  fields protocol (exactly as printed) and csv (exact) found
  notarialOK  the value shown is the printed one or none at all (a wrong value is the failure)
  danger    a probe whose probed check passes or whose verdict is clear; a should-not-match case
            (outgoing / grantor claims, stale certificate, expired ID judged with its set, mandate signed
            after the upload) judged clear, or its probed check passing (person_role for wrong-role claims,
            date for stale / expired / future)
  falseNA   should-be-clear entries not judged clear (ID cards: the verdict of their set via combine)
Exit status 1 when there is any dangerous error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from ocr import Claim, assess, combine, read_document  # noqa: E402
from tests.ocr import corpus, corpus2  # noqa: E402

GROUPS = {
    "clean": "clean scans",
    "dpi600": "clean scans",
    "jpeg200": "clean scans",
    "tiff": "clean scans",
    "pdf_scan": "clean scans",
    "pdf_scan_late": "clean scans",
    "pdf_scan_early": "clean scans",
    "expired": "clean scans",
    "pdf_text": "text-layer PDFs",
    "skew": "rotated/skewed",
    "rot90": "rotated/skewed",
    "rot270": "rotated/skewed",
    "rot180": "rotated/skewed",
    "noisy": "degraded",
    "lowcontrast": "degraded",
    "photo": "photos",
}
MEASURES = ["ids", "names", "date", "roles", "notarial", "notarialOK", "falseNA", "danger"]
TARGETS = {"ids": 97.0, "names": 90.0, "date": 90.0}
PARTICLES = {"DE", "DEL", "LA", "LAS", "LOS", "I", "Y", "D", "DA", "DONA", "DNA", "DON", "SR", "SRA"}
WRONG_ROLE = {
    "outgoing_claims",
    "grantor_claims",
    "witness_claims",
    "notary_claims",
    "secretary_claims",
    "president_claims",
    "lookalike_claims",
}  # the last three: holdout3


# --------------------------------------------------------------------------- corpora -> one schema


def name_key(s: str | None) -> tuple[str, ...]:
    s = unicodedata.normalize("NFKD", (s or "").upper())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return tuple(sorted(t for t in re.split(r"[^A-Z0-9]+", s) if t and t not in PARTICLES))


def one_entries(profile: str) -> tuple[str, list[dict]]:
    out_dir = os.path.join(tempfile.gettempdir(), f"ocr-corpus-{profile}")
    entries = corpus.build(out_dir, profile)
    made = dt.date.fromtimestamp(os.path.getmtime(os.path.join(out_dir, "manifest.json")))
    res = []
    for e in entries:
        f = e.facts
        rng = random.Random(e.file)
        is_id = f["doc_type"] == "id_document"
        first, _, rest = f["person_name"].partition(" ")
        upload = made if is_id else dt.date.fromisoformat(f["date"]) + dt.timedelta(days=30)
        res.append(
            {
                "file": e.file,
                "part": "one",
                "template": f"{f['doc_type']}_{f['lang']}",
                "variant": e.variant,
                "doc_type": f["doc_type"],
                "lang": f["lang"],
                "pages": e.pages,
                "facts_page": e.facts_page,
                "upload_date": upload.isoformat(),
                "claim": e.claim(),
                "case": "expired_id" if e.variant == "expired" else "true_claim",
                "should_be_clear": f["doc_type"] != "other" and e.variant != "expired",
                "expect": {
                    "person_role": None if f["doc_type"] in ("id_document", "other") else "appointed",
                    "date": f["expiry"] if is_id else f["date"],
                    "expiry": f["expiry"],
                    "issue_date": None,
                    "surnames": rest if is_id else None,
                    "given_names": first if is_id else None,
                    "protocol": corpus._proto(f["protocol"]) if f.get("protocol") else None,
                    "csv": f.get("csv"),
                    "notary": f.get("notary"),
                    "people": [],
                },
                "absent": (f.get("extra") or {}).get("absent", []),
                "set": None,
                "one_off_nif": f["one_off_nif"],
                "absent_nif": corpus.make_dni(rng),
                "other_cif": corpus.make_cif(rng) if f.get("company_cif") else None,
            }
        )
    return out_dir, res


def corpus2_entries(part: str, profile: str, seed: int) -> tuple[str, list[dict]]:
    out_dir = os.path.join(tempfile.gettempdir(), f"ocr-corpus2-{part}-{profile}-{seed}")
    return out_dir, corpus2.build(out_dir, part, profile, seed)


# --------------------------------------------------------------------------- per file (worker)


def _val(r, name):
    fv = (getattr(r, "fields", None) or {}).get(name)
    return None if fv is None else getattr(fv, "value", None)


def _outcome(r, name):
    c = r.check(name)
    return None if c is None else c.outcome


def _role_ok(r, e: dict) -> tuple[bool, str]:
    want = e["expect"].get("person_role")
    cl = e["claim"]
    roles = [
        p.role
        for p in getattr(r, "people", None) or []
        if (p.id_number and p.id_number == cl["person_nif"]) or name_key(p.name) == name_key(cl["person_name"])
    ]
    pr = _outcome(r, "person_role")
    ok = want in roles or (pr == "fail" if e["case"] in WRONG_ROLE else pr == "pass")
    return ok, f"people roles {roles or '-'}, person_role check {pr}"


#: the modules that turn a file into pages of words: a page cache is valid while none of them changes
_READING = ("document.py", "engine.py", "imaging.py", "geometry.py", "identifiers.py", "textindex.py")


def _cache_path(path: str) -> str | None:
    """Where the pages read from ``path`` are kept between runs (``--page-cache DIR``), keyed by the file and the
    reading code, so that tuning what is made of the words (roles, dates, checks) does not read every file again."""
    folder = os.environ.get("OCR_PAGE_CACHE")
    if not folder:
        return None
    digest = hashlib.sha256(open(path, "rb").read())
    for module in _READING:
        with open(os.path.join(ROOT, "ocr", module), "rb") as fh:
            digest.update(fh.read())
    return os.path.join(folder, digest.hexdigest()[:32] + ".pickle")


def evaluate(args):
    path, e = args
    t0 = time.monotonic()
    out = {"file": e["file"], "part": e["part"], "m": {}, "misses": [], "danger": [], "set_result": None}
    cached = _cache_path(path)
    try:
        if cached and os.path.exists(cached):
            with open(cached, "rb") as fh:
                name, total, pages = pickle.load(fh)
        else:
            name, total, pages = read_document(path, None, stop_early=False)
            if cached:
                with open(cached, "wb") as fh:
                    pickle.dump((name, total, pages), fh)
    except Exception as ex:  # noqa: BLE001 - an unreadable file is a result
        name, total, pages = os.path.basename(path), 0, []
        out["read_error"] = str(ex)
    out["seconds"] = time.monotonic() - t0
    today = dt.date.fromisoformat(e["upload_date"])
    claim = dict(e["claim"])

    def run(c):
        return assess(pages, Claim(**c), file=name, total_pages=total, today=today)

    r = run(claim)
    if e.get("set"):
        out["set_result"] = r
    out["verdict"], out["doc_type"] = r.verdict, r.doc_type
    ex, absent, m = e["expect"], set(e.get("absent") or []), out["m"]

    def score(measure, ok, expected, got):
        m.setdefault(measure, [0, 0])
        m[measure][0] += bool(ok)
        m[measure][1] += 1
        if not ok:
            out["misses"].append((measure, expected, got))

    is_id = e["doc_type"] == "id_document"
    if e["case"] == "true_claim" and e["doc_type"] != "other":
        for k in ("company_cif", "person_nif"):
            if claim.get(k) and k not in absent:
                score("ids", _outcome(r, k) == "pass", f"{k} pass", _outcome(r, k))
        if is_id:
            got = (_val(r, "surnames"), _val(r, "given_names"))
            score(
                "names",
                name_key(got[0]) == name_key(ex["surnames"]) and name_key(got[1]) == name_key(ex["given_names"]),
                (ex["surnames"], ex["given_names"]),
                got,
            )
        elif "person_name" not in absent:
            got = _val(r, "person_name")
            ok = _outcome(r, "person_name") == "pass" and name_key(got) == name_key(claim["person_name"])
            score("names", ok, claim["person_name"], f"{_outcome(r, 'person_name')}: {got}")
    if e["doc_type"] != "other":
        if is_id:
            got = (_val(r, "expiry"), _val(r, "issue_date"))
            ok = got[0] == ex["expiry"] and (ex.get("issue_date") is None or got[1] == ex["issue_date"])
            score("date", ok, (ex["expiry"], ex.get("issue_date")), got)
        else:
            score(
                "date",
                _val(r, "date") == ex["date"],
                f"{ex['date']} ({ex.get('date_basis')})",
                f"{_val(r, 'date')} ({getattr(r, 'date_basis', None)})",
            )
    if ex.get("person_role"):
        ok, got = _role_ok(r, e)
        score("roles", ok, ex["person_role"], got)
    for k in ("protocol", "csv"):
        if ex.get(k):
            score("notarial", _val(r, k) == ex[k], f"{k} {ex[k]}", _val(r, k))
            # a value shown must be the printed one; "not found" is allowed (a CSV only OCR read is not shown)
            score("notarialOK", _val(r, k) in (None, ex[k]), f"{k} {ex[k]} or not found", _val(r, k))
    if e["should_be_clear"] and not is_id:
        score(
            "falseNA",
            r.verdict == "clear",
            "clear",
            f"{r.verdict}: " + ", ".join(f"{c.name}={c.outcome}" for c in r.checks if c.outcome != "pass"),
        )
    # should-not-match cases
    if e["case"] in WRONG_ROLE:
        if r.verdict == "clear":
            out["danger"].append(f"{e['case']}: verdict clear")
        if _outcome(r, "person_role") == "pass":
            out["danger"].append(f"{e['case']}: person_role check passed")
    if e["case"] == "nif_off_claims":  # holdout3: right name, a valid NIF one digit off
        if r.verdict == "clear":
            out["danger"].append("nif_off_claims: verdict clear")
        if _outcome(r, "person_nif") == "pass":
            out["danger"].append("nif_off_claims: person_nif check passed")
    if e["case"] in ("stale_certificate", "expired_id", "future_mandate"):  # the last: holdout6
        what = {"stale_certificate": "stale certificate", "expired_id": "expired ID"}.get(e["case"], "future mandate")
        if _outcome(r, "date") == "pass":
            out["danger"].append(f"{what}: date check passed")
        if r.verdict == "clear" and not e.get("set"):
            out["danger"].append(f"{what}: verdict clear")
    # wrong-identifier probes
    probes = []
    if e["case"] == "true_claim":
        rng = random.Random(e["file"])
        probes += [("person_nif", e["one_off_nif"]), ("person_nif", e["absent_nif"])]
        if claim.get("company_cif"):
            probes += [
                ("company_cif", e.get("other_cif") or corpus.make_cif(rng)),
                ("company_cif", corpus.one_digit_off(claim["company_cif"], rng)),
            ]
    for k, wrong in probes:
        r2 = run({**claim, k: wrong})
        if _outcome(r2, k) == "pass":
            out["danger"].append(f"probe {k}={wrong}: check passed")
        if r2.verdict == "clear":
            out["danger"].append(f"probe {k}={wrong}: verdict clear")
    out["probes"] = len(probes)
    return out


# --------------------------------------------------------------------------- report


def pct(ok, n):
    return 100.0 * ok / n if n else float("nan")


def cell(v):
    ok, n = v
    return f"{ok:>3d}/{n:<3d}{pct(ok, n):4.0f}%" if n else f"{'-':>12s}"


def report(part: str, entries: list[dict], results: dict[str, dict], show_misses: bool) -> int:
    by_file = {e["file"]: e for e in entries}
    # ID cards judged with their set
    sets = defaultdict(list)
    for e in entries:
        if e.get("set"):
            sets[e["set"]].append(e)
    for sid, es in sets.items():
        rs = [results[x["file"]]["set_result"] for x in es]
        verdict = combine(rs).verdict
        for x in es:
            if x["doc_type"] != "id_document":
                continue
            res = results[x["file"]]
            if x["should_be_clear"]:
                res["m"].setdefault("falseNA", [0, 0])
                res["m"]["falseNA"][0] += verdict == "clear"
                res["m"]["falseNA"][1] += 1
                if verdict != "clear":
                    res["misses"].append(("falseNA", "set clear", f"set {sid}: {verdict}"))
            if x["case"] == "expired_id" and verdict == "clear":
                res["danger"].append(f"expired ID: set {sid} verdict clear")
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    core = defaultdict(lambda: [0, 0])
    danger_total = 0
    for f, res in results.items():
        e = by_file[f]
        g = GROUPS.get(e["variant"], e["variant"])
        for key in (e["doc_type"], "~ " + g, "= ALL"):
            for mname, (ok, n) in res["m"].items():
                rows[key][mname][0] += ok
                rows[key][mname][1] += n
            n_d = 1 + res.get("probes", 0)
            rows[key]["danger"][0] += len(res["danger"])
            rows[key]["danger"][1] += n_d
        danger_total += len(res["danger"])
        if e["case"] == "true_claim" and e["doc_type"] != "other":
            ok = all(res["m"][k][0] == res["m"][k][1] for k in ("ids", "names", "date") if k in res["m"])
            core[g][0] += ok
            core[g][1] += 1
    print(f"\n=== {part}: {len(entries)} files ===")
    print(f"{'':20s}" + "".join(f"{m:>13s}" for m in MEASURES))
    for key in sorted(rows, key=lambda k: (k[0] in "~=", k)):
        r = rows[key]
        cells = []
        for mname in MEASURES:
            if mname == "danger":
                cells.append(f"{r['danger'][0]:>4d} errors" if r["danger"][1] else f"{'-':>12s}")
            else:
                cells.append(cell(r[mname]))
        print(f"{key:20s}" + "".join(f"{c:>13s}" for c in cells))
    a = rows["= ALL"]

    def mark(ok):
        return "ok" if ok else "MISSED"

    print(f"-- {part} overall vs targets")
    print(f"   dangerous errors            {danger_total:5d}          target 0      {mark(danger_total == 0)}")
    for k in ("ids", "names", "date"):
        v = pct(*a[k])
        print(f"   {k:27s} {v:6.1f}%  ({a[k][0]}/{a[k][1]})  target >= {TARGETS[k]:.0f}%  {mark(v >= TARGETS[k])}")
    v = 100 - pct(*a["falseNA"]) if a["falseNA"][1] else float("nan")
    print(
        f"   false needs-attention       {v:6.1f}%  ({a['falseNA'][1] - a['falseNA'][0]}/{a['falseNA'][1]})  "
        f"target <= 10%  {mark(v <= 10)}"
    )
    for k in ("roles", "notarial"):
        print(f"   {k:27s} {pct(*a[k]):6.1f}%  ({a[k][0]}/{a[k][1]})  (no target)")
    wrong = a["notarialOK"][1] - a["notarialOK"][0]
    print(f"   notarial values shown wrong {wrong:5d}          target 0      {mark(wrong == 0)}")
    cl, ph = pct(*core["clean scans"]), pct(*core["photos"])
    print(
        f"   photos vs clean scans (ids+names+date all right per true claim): photos {ph:.1f}% "
        f"({core['photos'][0]}/{core['photos'][1]}), clean {cl:.1f}% ({core['clean scans'][0]}/"
        f"{core['clean scans'][1]}), gap {cl - ph:.1f} points  target <= 5  {mark(cl - ph <= 5)}"
    )
    if show_misses:
        print(f"-- {part} misses (file | measure | expected | got)")
        for f in sorted(results):
            res = results[f]
            if res.get("read_error"):
                print(f"   {f} | read | readable | {res['read_error']}")
            for mname, exp, got in res["misses"]:
                print(f"   {f} | {mname} | {exp} | {got}")
            for d in res["danger"]:
                print(f"   {f} | DANGER | - | {d}")
    return danger_total


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--corpus",
        choices=["one", "dev", *corpus2.HOLDOUTS(), "all"],
        default="all",
    )
    p.add_argument("--profile", choices=["small", "full"], default="full")
    p.add_argument("--seed", type=int, default=20261120, help="corpus2 seed")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--json", default=None, help="write per-file results to this file")
    p.add_argument("--misses", action="store_true", help="list every miss")
    p.add_argument(
        "--page-cache",
        default=None,
        help="keep the pages read from each file in this folder and read them from there while the reading code is "
        "unchanged (for tuning; not for speed figures)",
    )
    a = p.parse_args(argv)
    if a.page_cache:
        os.makedirs(a.page_cache, exist_ok=True)
        os.environ["OCR_PAGE_CACHE"] = a.page_cache  # the pool's workers inherit it
    t0 = time.monotonic()
    parts = ["one", "dev", *corpus2.HOLDOUTS()] if a.corpus == "all" else [a.corpus]
    loaded = {}
    for part in parts:
        d, es = one_entries(a.profile) if part == "one" else corpus2_entries(part, a.profile, a.seed)
        loaded[part] = (d, es)
        print(f"corpus {part}: {len(es)} files in {d}")
    print(f"built/loaded in {time.monotonic() - t0:.1f}s")
    work = [(os.path.join(d, e["file"]), e) for d, es in loaded.values() for e in es]
    work.sort(key=lambda w: -(w[1]["pages"] + 3 * (w[1]["variant"] in ("photo", "dpi600"))))  # long ones first
    t1 = time.monotonic()
    with Pool(a.jobs) as pool:
        done = {(r["part"], r["file"]): r for r in pool.imap_unordered(evaluate, work, chunksize=1)}
    wall = time.monotonic() - t1
    danger = 0
    for part, (_d, es) in loaded.items():
        danger += report(part, es, {e["file"]: done[(part, e["file"])] for e in es}, a.misses)
    n = len(work)
    print(
        f"\nwall time {time.monotonic() - t0:.0f}s (read+assess {wall:.0f}s for {n} files with {a.jobs} jobs, "
        f"{sum(r['seconds'] for r in done.values()) / max(1, n):.1f}s/file read)"
    )
    if a.json:
        with open(a.json, "w", encoding="utf-8") as fh:
            json.dump(
                [{k: v for k, v in r.items() if k != "set_result"} for r in done.values()],
                fh,
                indent=1,
                ensure_ascii=False,
                default=str,
            )
    return 1 if danger else 0


if __name__ == "__main__":
    raise SystemExit(main())
