"""The pre-check: read pages, extract evidence, compare with the claim.

It points at evidence and NEVER approves.  An identifier check passes only
when an identifier validated by python-stdnum and read on the page equals the
claimed identifier exactly.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from . import extract
from .document import FileInput, OcrOptions, UnreadableError, load, open_source
from .identifiers import IdCandidate, compact, find_identifiers, find_mrz_identifiers, kind_of
from .results import (
    BatchResult,
    Check,
    Claim,
    Evidence,
    FieldValue,
    PageText,
    PrecheckResult,
    FIELD_NAMES,
)
from .textindex import PageIndex, Span

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]

#: Which document types back which request.  A notarial power of attorney is
#: accepted for an external manager too (it is the strongest form of mandate).
ACCEPTED_DOC_TYPES = {
    "representative_change": ("power_of_attorney", "deed", "registry_certificate"),
    "external_manager": ("manager_mandate", "power_of_attorney"),
}
READABLE_MIN_CONF = 60.0
DOC_TYPE_STOP_SCORE = 0.5


# --------------------------------------------------------------------------- per-page analysis


@dataclass
class _PageFacts:
    index: PageIndex
    ids: list[tuple[IdCandidate, Span]] = field(default_factory=list)
    #: word range (indices into ``index.offsets``) of each entry of ``ids``
    words: list[tuple[int, int]] = field(default_factory=list)


def _analyse_page(page: PageText) -> _PageFacts:
    idx = PageIndex(page)
    facts = _PageFacts(idx)
    for c in find_identifiers(idx.text):
        facts.ids.append((c, idx.span(c.start, c.end)))
        facts.words.append((idx.word_index_at(c.start), idx.word_index_at(max(c.start, c.end - 1))))
    for c in find_mrz_identifiers(idx.text):
        # locate the MRZ line for evidence
        pos = idx.text.upper().find(c.value[:8])
        sp = idx.line_span_at(pos, pos + 1) if pos >= 0 else Span(page.index, [], c.raw)
        facts.ids.append((c, sp))
        w = idx.word_index_at(pos) if pos >= 0 else -1
        facts.words.append((w, w))
    return facts


#: A claimed person NIF is bound to the claimed person name only when the name
#: occurs within this many words of the NIF (same clause / sentence) ...
NIF_NAME_WINDOW = 30
#: ... and no other person NIF is nearer to that name occurrence.  A NIF that
#: precedes the name counts this many words farther than one that follows it
#: (deeds write "D. NAME, mayor de edad, con DNI 12345678Z").
NIF_BEFORE_NAME_PENALTY = 2


def _gap(name_first: int, name_last: int, id_first: int, id_last: int) -> int:
    """Distance in words from a name occurrence to an identifier (penalised
    when the identifier precedes the name); 0 when they overlap."""
    if id_first > name_last:
        return id_first - name_last
    if id_last < name_first:
        return name_first - id_last + NIF_BEFORE_NAME_PENALTY
    return 0


def _bound_match(facts: list[_PageFacts], claimed: str, name: str, doc_type: str | None):
    """An occurrence of the claimed person NIF that belongs to the claimed
    person: ``name`` (same fuzzy matcher as the person_name check) occurs
    within NIF_NAME_WINDOW words of it and no other validated person NIF on the
    page is nearer to that name occurrence.  On an ID document (a card names
    one person) the name anywhere on the same page binds."""
    best = None
    for f in facts:
        hits = [(c, sp, w) for (c, sp), w in zip(f.ids, f.words)
                if c.kind in ("nif", "nie") and c.value == claimed]
        if not hits:
            continue
        names = extract.find_name_all(f.index, name, company=False)
        if not names:
            continue
        for c, sp, (w0, w1) in hits:
            ok = False
            if doc_type == "id_document":
                ok = True
            elif w0 >= 0:
                rivals = [w for (o, _), w in zip(f.ids, f.words)
                          if o.kind in ("nif", "nie") and o.value != claimed and not o.corrected and w[0] >= 0]
                for nm in names:
                    d = _gap(nm.first_word, nm.last_word, w0, w1)
                    if d > NIF_NAME_WINDOW:
                        continue
                    if all(_gap(nm.first_word, nm.last_word, r0, r1) > d for r0, r1 in rivals):
                        ok = True
                        break
            if ok and (best is None or (best[0].corrected and not c.corrected)):
                best = (c, sp)
    return best


def _find_claimed(facts: list[_PageFacts], claimed: str, kinds: tuple[str, ...]):
    """(exact match, other raw-validated identifiers of the same family)."""
    match = None
    others: list[tuple[IdCandidate, Span]] = []
    for f in facts:
        for c, sp in f.ids:
            if c.kind not in kinds:
                continue
            if claimed and c.value == claimed:
                if match is None or (match[0].corrected and not c.corrected):
                    match = (c, sp)
            elif not c.corrected:
                others.append((c, sp))
    return match, others


def _field(value: str, sp: Span, confidence: float | None = None) -> FieldValue:
    return FieldValue(value, sp.page, sp.bbox, sp.confidence if confidence is None else confidence)


def _ev(sp: Span | None, text: str | None = None) -> Evidence | None:
    if sp is None:
        return None
    return Evidence(sp.page, sp.bbox if sp.words else None, (text if text is not None else sp.text).strip())


# --------------------------------------------------------------------------- assess


def assess(pages: Sequence[PageText], claim: Claim, *, file: str = "<bytes>", total_pages: int | None = None,
           today: _dt.date | None = None, seconds: float | None = None, reason: str | None = None) -> PrecheckResult:
    """Build the result from already read pages (e.g. OCR'd by parallel tasks).

    ``pages`` may be a subset of the document (``total_pages`` tells how many
    it has).  Pure function of its inputs; cheap (no OCR)."""
    t0 = time.monotonic()
    today = today or _dt.date.today()
    pages = sorted(pages, key=lambda p: p.index)
    res = PrecheckResult(file=file)
    res.pages = total_pages if total_pages is not None else len(pages)
    by_index = {p.index: p for p in pages}
    res.page_images = []
    for i in range(res.pages):
        p = by_index.get(i)
        if p is None:
            res.page_images.append({"page": i, "width": None, "height": None, "source": "skipped"})
        else:
            d = {"page": i, "width": p.width, "height": p.height, "source": p.source, "rotation": p.rotation,
                 "skew": round(p.skew, 2), "scale": round(p.scale, 4)}
            if p.error:
                d["error"] = p.error
            res.page_images.append(d)
    res.pages_ocred = sum(1 for p in pages if p.source == "ocr" or (p.source == "error" and p.tesseract_runs))
    res.pages_text_layer = sum(1 for p in pages if p.source == "text_layer")
    res.fields = {k: None for k in FIELD_NAMES}

    readable = [p for p in pages if p.readable]
    if not readable:
        res.verdict = "unreadable"
        errors = [p.error for p in pages if p.error]
        res.reason = reason or (errors[0] if errors else ("no pages" if not pages else "no text recognised"))
        res.checks = [Check("readable", "fail", None, res.reason)]
        res.seconds = seconds if seconds is not None else time.monotonic() - t0
        return res

    facts = [_analyse_page(p) for p in readable]

    # ---- document type
    doc_type, score, _ = extract.classify([f.index.folded for f in facts])
    res.doc_type, res.doc_type_score = doc_type, score
    checks: list[Check] = []
    accepted = ACCEPTED_DOC_TYPES.get(claim.request_type, ACCEPTED_DOC_TYPES["representative_change"])
    checks.append(Check("doc_type", "pass" if doc_type in accepted else "fail", None,
                        f"{doc_type} (score {score:.2f}); {claim.request_type} accepts {', '.join(accepted)}"))

    # ---- company CIF
    claimed_cif = compact(claim.company_cif)
    match, others = _find_claimed(facts, claimed_cif, ("cif",))
    if match:
        res.fields["company_cif"] = _field(match[0].value, match[1])
    elif others:
        res.fields["company_cif"] = _field(others[0][0].value, others[0][1])
    if claim.company_cif:
        checks.append(_id_check("company_cif", claimed_cif, match, others, "CIF"))

    # ---- company name
    if claim.company_name:
        nm = _first_name_match(facts, claim.company_name, company=True)
        checks.append(Check("company_name", "pass", _ev(nm.span), f"score {nm.score:.2f}") if nm
                      else Check("company_name", "not_found", None, "claimed company name not found"))

    # ---- person NIF / NIE
    claimed_nif = compact(claim.person_nif)
    match, others = _find_claimed(facts, claimed_nif, ("nif", "nie"))
    if match:
        res.fields["person_nif"] = _field(match[0].value, match[1])
    elif others:
        res.fields["person_nif"] = _field(others[0][0].value, others[0][1])
    if claim.person_nif:
        if match and claim.person_name:
            bound = _bound_match(facts, claimed_nif, claim.person_name, doc_type)
            if bound:
                checks.append(_id_check("person_nif", claimed_nif, bound, others, "NIF/NIE"))
            else:
                checks.append(Check("person_nif", "fail", _ev(match[1]),
                                    f"NIF/NIE {match[0].value} is on the page but belongs to another person on the "
                                    f"document (not next to the claimed name)"))
        else:
            checks.append(_id_check("person_nif", claimed_nif, match, others, "NIF/NIE"))

    # ---- person name
    if claim.person_name:
        nm = _first_name_match(facts, claim.person_name, company=False)
        if nm:
            res.fields["person_name"] = _field(nm.span.text, nm.span, min(1.0, nm.score * nm.span.confidence))
            checks.append(Check("person_name", "pass", _ev(nm.span), f"score {nm.score:.2f}"))
        else:
            checks.append(Check("person_name", "not_found", None, "claimed person name not found"))

    # ---- dates
    all_dates = [(f.index, extract.find_dates(f.index)) for f in facts]
    chosen = None
    expired_detail = ""
    if doc_type == "id_document":
        for idx, ds in all_dates:
            exp = extract.find_expiry(idx, ds)
            if exp:
                chosen = (idx, exp)
                break
        if chosen:
            res.fields["expiry"] = _date_field(*chosen)
        elif any("permanente" in f.index.folded for f in facts):
            expired_detail = "permanent validity"
    else:
        h = extract.choose_document_date(all_dates)
        if h:
            idx = next(i for i, ds in all_dates if h in ds)
            chosen = (idx, h)
    if chosen:
        res.fields["date"] = _date_field(*chosen)
        d = chosen[1].date
        sp = chosen[0].span(chosen[1].start, chosen[1].end)
        if d > today:
            if doc_type == "id_document":
                checks.append(Check("date", "pass", _ev(sp), f"ID valid until {d.isoformat()}"))
            else:
                checks.append(Check("date", "fail", _ev(sp), f"date {d.isoformat()} is in the future"))
        elif doc_type == "id_document":
            checks.append(Check("date", "fail", _ev(sp), f"ID expired on {d.isoformat()}"))
        elif d.year < 1950:
            checks.append(Check("date", "fail", _ev(sp), f"implausible date {d.isoformat()}"))
        else:
            checks.append(Check("date", "pass", _ev(sp), d.isoformat()))
    elif expired_detail:
        checks.append(Check("date", "pass", None, expired_detail))
    else:
        checks.append(Check("date", "not_found", None, "no date found"))

    # ---- notary / protocol / csv
    for f in facts:
        if res.fields["notary"] is None:
            sp = extract.find_notary(f.index)
            if sp:
                res.fields["notary"] = _field(sp.text, sp)
        if res.fields["protocol"] is None:
            pr = extract.find_protocol(f.index)
            if pr:
                res.fields["protocol"] = _field(pr[0], pr[1])
        if res.fields["csv"] is None:
            cv = extract.find_csv(f.index)
            if cv:
                res.fields["csv"] = _field(cv[0], cv[1])

    # ---- readable
    confs = [p.mean_conf for p in readable if p.mean_conf is not None]
    mean_conf = sum(confs) / len(confs) if confs else 0.0
    broken = [p for p in pages if p.source == "error"]
    if broken:
        checks.append(Check("readable", "fail", None,
                            f"{len(broken)} page(s) unreadable: {broken[0].error}; mean confidence {mean_conf:.0f}"))
    elif mean_conf >= READABLE_MIN_CONF:
        checks.append(Check("readable", "pass", None, f"mean confidence {mean_conf:.0f}"))
    else:
        checks.append(Check("readable", "fail", None, f"low OCR confidence {mean_conf:.0f}"))

    order = {n: i for i, n in enumerate(("doc_type", "company_cif", "company_name", "person_nif", "person_name",
                                         "date", "readable"))}
    checks.sort(key=lambda c: order.get(c.name, 99))
    res.checks = checks
    res.verdict = "clear" if all(c.outcome == "pass" for c in checks) else "needs_attention"
    res.seconds = seconds if seconds is not None else time.monotonic() - t0
    return res


def _id_check(name: str, claimed: str, match, others, label: str) -> Check:
    if match:
        c, sp = match
        detail = f"{label} {c.value} read on the page" + (" (after OCR-confusion correction)" if c.corrected else "")
        return Check(name, "pass", _ev(sp), detail)
    valid = kind_of(claimed) is not None
    note = "" if valid else f"; the claimed {label} {claimed or '?'} fails its check digit"
    if others:
        c, sp = others[0]
        vals = ", ".join(dict.fromkeys(o[0].value for o in others))
        return Check(name, "fail", _ev(sp), f"document names {label} {vals}, not the claimed one{note}")
    return Check(name, "not_found", None, f"no valid {label} found{note}")


def _first_name_match(facts: list[_PageFacts], name: str, *, company: bool):
    best = None
    for f in facts:
        m = extract.find_name(f.index, name, company=company)
        if m and (best is None or m.score > best.score):
            best = m
            if m.score >= 0.999:
                break
    return best


def _date_field(idx: PageIndex, h: extract.DateHit) -> FieldValue:
    sp = idx.span(h.start, h.end)
    return FieldValue(h.date.isoformat(), sp.page, sp.bbox, sp.confidence)


# --------------------------------------------------------------------------- stop early


def is_satisfied(pages: Sequence[PageText], claim: Claim) -> bool:
    """True once the pages read so far hold the claimed company CIF and person
    NIF (validated, exact) and a confident accepted document type: remaining
    pages need not be read."""
    readable = [p for p in pages if p.readable]
    if not readable:
        return False
    facts = [_analyse_page(p) for p in readable]
    return _satisfied(facts, claim)


def _satisfied(facts: list[_PageFacts], claim: Claim) -> bool:
    if claim.company_cif:
        m, _ = _find_claimed(facts, compact(claim.company_cif), ("cif",))
        if not m:
            return False
    doc_type, score, _ = extract.classify([f.index.folded for f in facts])
    if claim.person_nif:
        m, _ = _find_claimed(facts, compact(claim.person_nif), ("nif", "nie"))
        if not m:
            return False
        if claim.person_name and not _bound_match(facts, compact(claim.person_nif), claim.person_name, doc_type):
            return False
    accepted = ACCEPTED_DOC_TYPES.get(claim.request_type, ())
    return doc_type in accepted and score >= DOC_TYPE_STOP_SCORE


# --------------------------------------------------------------------------- entry points


def read_document(file: FileInput, claim: Claim | None = None, *, on_page: ProgressCallback | None = None,
                  langs: str | None = None, page_timeout: float = 60.0, max_pages: int = 30,
                  max_seconds: float | None = 600.0, stop_early: bool = True) -> tuple[str, int, list[PageText]]:
    """Read the pages of one file, one at a time: (display name, page count,
    pages read).  With ``stop_early`` and a claim, stops once
    :func:`is_satisfied`.  Raises UnreadableError for unusable input."""
    t0 = time.monotonic()
    display, data = load(file)
    with open_source(data) as src:
        total = len(src)
        opts = OcrOptions(langs=langs, page_timeout=page_timeout)
        pages: list[PageText] = []
        facts: list[_PageFacts] = []
        limit = min(total, max_pages)
        for i in range(limit):
            if max_seconds is not None and time.monotonic() - t0 > max_seconds and pages:
                break
            pt = src.read(i, opts)
            pages.append(pt)
            _progress(on_page, i + 1, total)
            if stop_early and claim is not None and pt.readable:
                facts.append(_analyse_page(pt))
                if i + 1 < limit and _satisfied(facts, claim):
                    break
        if len(pages) < total:
            _progress(on_page, total, total)
    return display, total, pages


def precheck_file(file: FileInput, claim: Claim, *, on_page: ProgressCallback | None = None,
                  langs: str | None = None, page_timeout: float = 60.0, max_pages: int = 30,
                  max_seconds: float | None = 600.0, stop_early: bool = True, name: str | None = None,
                  today: _dt.date | None = None) -> PrecheckResult:
    """Pre-check one file (bytes, path or binary file object).  Never raises."""
    t0 = time.monotonic()
    display = name or ("<bytes>" if isinstance(file, (bytes, bytearray, memoryview)) else
                       os.path.basename(str(getattr(file, "name", None) or file)))
    try:
        loaded_name, total, pages = read_document(file, claim, on_page=on_page, langs=langs,
                                                  page_timeout=page_timeout, max_pages=max_pages,
                                                  max_seconds=max_seconds, stop_early=stop_early)
        display = name or loaded_name
        return assess(pages, claim, file=display, total_pages=total, today=today, seconds=time.monotonic() - t0)
    except UnreadableError as e:
        return _unreadable(display, e.reason, t0)
    except MemoryError:
        return _unreadable(display, "out of memory while reading the file", t0)
    except Exception as e:  # never let an exception escape
        log.exception("OCR pre-check failed on %s", display)
        return _unreadable(display, f"internal error: {e.__class__.__name__}", t0)


def _unreadable(display: str, reason: str, t0: float) -> PrecheckResult:
    r = PrecheckResult(file=display, verdict="unreadable", reason=reason)
    r.checks = [Check("readable", "fail", None, reason)]
    r.seconds = time.monotonic() - t0
    return r


def _progress(cb: ProgressCallback | None, done: int, total: int) -> None:
    if cb is None:
        return
    try:
        cb(done, total)
    except Exception:  # a broken progress callback must not break the pre-check
        log.warning("on_page callback failed", exc_info=True)


def precheck(files: FileInput | Iterable[FileInput], claim: Claim, *, on_page: ProgressCallback | None = None,
             **kwargs) -> BatchResult:
    """Pre-check the files backing one request.

    ``on_page(done, total)`` counts pages over all files (total known up front
    when the files can be opened).  The combined ``checks`` pass when some file
    passes them; the combined verdict is ``clear`` only when every combined
    check passes and no file is unreadable."""
    t0 = time.monotonic()
    if isinstance(files, (bytes, bytearray, memoryview, str)) or hasattr(files, "__fspath__") or hasattr(files, "read"):
        files = [files]
    files = list(files)
    counts = []
    for f in files:
        try:
            from .document import count_pages

            counts.append(count_pages(f) if not hasattr(f, "read") else 1)
        except Exception:
            counts.append(1)
    grand = sum(counts)
    results: list[PrecheckResult] = []
    offset = 0
    for f, n in zip(files, counts):
        def cb(done: int, total: int, _o=offset, _n=n):
            _progress(on_page, _o + min(done, _n), grand)

        results.append(precheck_file(f, claim, on_page=cb if on_page else None, **kwargs))
        offset += n
    return combine(results, seconds=time.monotonic() - t0)


#: Checks that must hold in every file of a request (others: in some file).
ALL_FILES_CHECKS = ("date", "readable")


def combine(results: list[PrecheckResult], *, seconds: float = 0.0) -> BatchResult:
    """Join per-file results of one request (see :class:`BatchResult`)."""
    b = BatchResult(results=results, seconds=seconds)
    names: list[str] = []
    for r in results:
        for c in r.checks:
            if c.name not in names:
                names.append(c.name)
    for n in names:
        cs = [(r, r.check(n)) for r in results if r.check(n) is not None]
        if n in ALL_FILES_CHECKS:
            best = next(((r, c) for r, c in cs if c.outcome == "fail"), None) or \
                next(((r, c) for r, c in cs if c.outcome == "not_found"), None) or cs[0]
            if n == "date" and best[1].outcome == "not_found" and any(c.outcome == "pass" for _, c in cs):
                best = next((r, c) for r, c in cs if c.outcome == "pass")  # a file without a date is fine
        else:
            best = next(((r, c) for r, c in cs if c.outcome == "pass"), None) or \
                next(((r, c) for r, c in cs if c.outcome == "fail"), None) or cs[0]
        r, c = best
        ev = None
        if c.evidence is not None:
            ev = Evidence(c.evidence.page, c.evidence.bbox, c.evidence.text, file=r.file)
        b.checks.append(Check(n, c.outcome, ev, f"{r.file}: {c.detail}" if c.detail else r.file))
    if not results or all(r.verdict == "unreadable" for r in results):
        b.verdict = "unreadable"
    elif any(r.verdict == "unreadable" for r in results) or not all(c.outcome == "pass" for c in b.checks):
        b.verdict = "needs_attention"
    else:
        b.verdict = "clear"
    return b
