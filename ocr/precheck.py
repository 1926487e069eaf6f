"""The pre-check: read pages, extract evidence, compare with the claim.

It points at evidence and NEVER approves.  An identifier check passes only
when an identifier validated by python-stdnum and read on the page equals the
claimed identifier exactly.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from . import extract, idcard, roles
from .document import FileInput, OcrOptions, UnreadableError, load, open_source
from .identifiers import IdCandidate, compact, find_identifiers, find_mrz_identifiers, kind_of
from .results import (
    CHECK_NAMES,
    FIELD_NAMES,
    BatchResult,
    Check,
    Claim,
    Evidence,
    FieldValue,
    PageText,
    PersonFound,
    PrecheckResult,
)
from .textindex import PageIndex, Span, union_bbox

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


#: A name occurrence is stretched to its bound identifier (the role search starts after it) when the
#: identifier follows within this many words.
MENTION_STRETCH = 12


@dataclass
class _Binding:
    """The claimed identifier at one place on a page, and the occurrence of the claimed name it belongs to."""

    cand: IdCandidate
    span: Span
    words: tuple[int, int]
    name: extract.NameMatch | None  # None on an ID document (a card names one person)
    how: str  # "reading" (same clause), "row" / "column" (cells of one table), "card"


def _bindings(
    f: _PageFacts, claimed: str, name: str, doc_type: str | None, *, named_on_card: bool = False
) -> list[_Binding]:
    """Where the claimed person NIF belongs to the claimed person on one page -- the one binding rule,
    used by the person_nif check and by the role search (which stretches a name to its identifier).

    An occurrence of the NIF belongs to an occurrence of ``name`` (same fuzzy matcher as the
    person_name check) when they sit in cells of one table row or one table column (nothing printed
    between them), or when the name is within NIF_NAME_WINDOW words of it and no other validated
    person NIF on the page is nearer to that name occurrence.  On an ID document (a card names one
    person) the name anywhere on the card binds: on the same page, or on the other side
    (``named_on_card``: the front names the holder, the back's MRZ carries the number)."""
    hits = [(c, sp, w) for (c, sp), w in zip(f.ids, f.words) if c.kind in ("nif", "nie") and c.value == claimed]
    if not hits:
        return []
    if doc_type == "id_document" and named_on_card:
        return [_Binding(c, sp, (w0, w1), None, "card") for c, sp, (w0, w1) in hits]
    names = extract.find_name_all(f.index, name, company=False)
    if not names:
        return []
    rivals = [
        w
        for (o, _), w in zip(f.ids, f.words)
        if o.kind in ("nif", "nie") and o.value != claimed and not o.corrected and w[0] >= 0
    ]
    # another person's titled name ("don Álvaro Cortés, con D.N.I. ...") right before a rival identifier holds it
    titled = [  # (first word, last word) of each titled name, as the role search sees them
        (f.index.word_index_at(a), f.index.word_index_at(max(a, b - 1))) for a, b in roles.titled_names(f.index)
    ]

    every_id = sorted(
        w0 for (o, _), (w0, _w1) in zip(f.ids, f.words) if o.kind in ("nif", "nie") and w0 >= 0 and not o.corrected
    )

    def held_elsewhere(nm, r0: int, r1: int) -> bool:
        """A rival before the name occurrence is the first identifier after another titled name, within the window:
        that person's ("2.- DON BARTOLOMÉ RUIZ, mayor de edad, ..., con D.N.I. 10854101X. 3.- DON JESÚS ...")."""
        return r1 < nm.first_word and any(
            t1 < r0 and r0 - t1 <= NIF_NAME_WINDOW and not any(t1 < i < r0 for i in every_id) for _t0, t1 in titled
        )

    out: list[_Binding] = []
    for c, sp, (w0, w1) in hits:
        if doc_type == "id_document":
            out.append(_Binding(c, sp, (w0, w1), None, "card"))
            continue
        if w0 < 0:
            continue
        for nm in names:
            d = _gap(nm.first_word, nm.last_word, w0, w1)
            if (
                d <= NIF_NAME_WINDOW
                and not held_elsewhere(nm, w0, w1)  # the claimed number before the name is another titled name's
                and all(
                    _gap(nm.first_word, nm.last_word, r0, r1) > d or held_elsewhere(nm, r0, r1) for r0, r1 in rivals
                )
                and not _other_column(f, nm, w0, w1)
            ):
                out.append(_Binding(c, sp, (w0, w1), nm, "reading"))
            elif _same_row(f, nm, sp, claimed):
                out.append(_Binding(c, sp, (w0, w1), nm, "row"))
            elif _same_column(f, nm, sp):
                out.append(_Binding(c, sp, (w0, w1), nm, "column"))
    return out


def _other_column(f: _PageFacts, nm, w0: int, w1: int) -> bool:
    """The name occurrence and the identifier (words ``w0``..``w1``) are on different lines of a page set
    in columns, in cells that do not overlap horizontally: a parties table read row by row puts the
    left party's identifier right after the right party's name, so reading order does not tell whose
    it is (the same-column binding does)."""
    idx = f.index
    offs = idx.offsets
    k = nm.last_word if w0 > nm.last_word else nm.first_word  # the name's word nearest the identifier
    if offs[k][2].line == offs[w0][2].line or not (roles.in_columns(idx, k) or roles.in_columns(idx, w0)):
        return False
    line = [j for j in range(nm.first_word, nm.last_word + 1) if offs[j][2].line == offs[k][2].line]
    a, b = roles.cell_of(idx, line[0], line[-1])
    c, d = roles.cell_of(idx, w0, w1)
    nx0, nx1 = min(offs[j][2].x0 for j in range(a, b + 1)), max(offs[j][2].x1 for j in range(a, b + 1))
    ix0, ix1 = min(offs[j][2].x0 for j in range(c, d + 1)), max(offs[j][2].x1 for j in range(c, d + 1))
    return min(nx1, ix1) <= max(nx0, ix0)


def _bound_match(
    facts: list[_PageFacts],
    claimed: str,
    name: str,
    doc_type: str | None,
    *,
    card: idcard.CardFields | None = None,
):
    """An occurrence of the claimed person NIF that belongs to the claimed person (see :func:`_bindings`),
    one read without OCR-confusion correction preferred.  On an ID document the holder is named by the
    card's labelled fields (``card``, their words apart: "ALVAREZ RUIZ" / "NOME" / "SOFÍA") or in its text."""
    best = None
    named = doc_type == "id_document" and (
        (card is not None and card.name is not None and extract.names_match(name, card.name) is not None)
        or any(extract.find_name_all(f.index, name, company=False) for f in facts)
    )
    for f in facts:
        for b in _bindings(f, claimed, name, doc_type, named_on_card=named):
            if best is None or (best[0].corrected and not b.cand.corrected):
                best = (b.cand, b.span)
    return best


def _same_row(f: _PageFacts, nm, sp: Span, claimed: str) -> bool:
    """The name and the identifier sit in cells of one table row (read as separate lines), with no
    other person's identifier between them on that row."""
    cells = roles.row_cells(f.index, nm.span.words)
    if not sp.words or not any(w in sp.words for _, _, w in cells):
        return False
    lo = min(min(w.x1 for w in nm.span.words), min(w.x1 for w in sp.words))
    hi = max(max(w.x0 for w in nm.span.words), max(w.x0 for w in sp.words))
    for c, osp in f.ids:
        if (
            c.kind in ("nif", "nie")
            and c.value != claimed
            and not c.corrected
            and osp.words
            and any(w in osp.words for _, _, w in cells)
            and lo <= osp.words[0].x0 <= hi
        ):
            return False
    return True


#: At most this many name heights of blank space between a name and the identifier under it in one table
#: column (the cell beside it may wrap onto more lines, leaving the column blank meanwhile).
COLUMN_GAP_LINES = 6


def _same_column(f: _PageFacts, nm, sp: Span) -> bool:
    """The identifier is printed right under the name in the same table column (a cell holding the
    name and, below it, the identifier, read as separate lines): their columns overlap and nothing else
    is printed between them in that column."""
    if not sp.words or not nm.span.words:
        return False
    nx0, nx1 = min(w.x0 for w in nm.span.words), max(w.x1 for w in nm.span.words)
    ix0, ix1 = min(w.x0 for w in sp.words), max(w.x1 for w in sp.words)
    top = max(w.y1 for w in nm.span.words)
    bottom = min(w.y0 for w in sp.words)
    h = max(1, max(w.y1 - w.y0 for w in nm.span.words))
    if min(nx1, ix1) <= max(nx0, ix0) or bottom < top or bottom - top > COLUMN_GAP_LINES * h:
        return False
    lo, hi = min(nx0, ix0), max(nx1, ix1)
    inside = set(map(id, nm.span.words)) | set(map(id, sp.words))
    # the label of the identifier's cell ("D.N.I./N.I.E.") stands on its line, left of it
    id_lines = {w.line for w in sp.words}
    for _, _, w in f.index.offsets:
        if id(w) in inside or w.line in id_lines:
            continue
        if (
            w.y0 >= top - h // 4
            and w.y1 <= bottom + h // 4
            and min(w.x1, hi) > max(w.x0, lo)
            and not (w.y0 < top and w.line in {x.line for x in nm.span.words})
        ):
            return False
    return True


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


def _holder_kinds(claimed: str) -> tuple[str, ...]:
    """The identifiers a contract holder's may be: a company's CIF, or the NIF/NIE of a person trading in their own
    name (a sole trader: accounts.identifiers.parse_holder_id takes both)."""
    return ("nif", "nie") if kind_of(claimed) in ("nif", "nie") else ("cif",)


def _field(value: str, sp: Span, confidence: float | None = None) -> FieldValue:
    return FieldValue(value, sp.page, sp.bbox, sp.confidence if confidence is None else confidence)


def _ev(sp: Span | None, text: str | None = None) -> Evidence | None:
    if sp is None:
        return None
    return Evidence(sp.page, sp.bbox if sp.words else None, (text if text is not None else sp.text).strip())


# --------------------------------------------------------------------------- assess


#: A registry certificate proves the present only when it is recent (days before the upload).
CERTIFICATE_MAX_DAYS = 90
#: Document types whose person must hold a role the request needs (an ID document only identifies).
ROLE_DOC_TYPES = ("power_of_attorney", "deed", "registry_certificate", "manager_mandate", "other")


def assess(
    pages: Sequence[PageText],
    claim: Claim,
    *,
    file: str = "<bytes>",
    total_pages: int | None = None,
    today: _dt.date | None = None,
    seconds: float | None = None,
    reason: str | None = None,
    certificate_max_days: int = CERTIFICATE_MAX_DAYS,
) -> PrecheckResult:
    """Build the result from already read pages (e.g. OCR'd by parallel tasks).

    ``pages`` may be a subset of the document (``total_pages`` tells how many
    it has).  ``today`` is the day the document was uploaded (the dates are judged
    against it).  Pure function of its inputs; cheap (no OCR)."""
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
            d = {
                "page": i,
                "width": p.width,
                "height": p.height,
                "source": p.source,
                "rotation": p.rotation,
                "skew": round(p.skew, 2),
                "scale": round(p.scale, 4),
            }
            if p.to_upload is not None:
                d.update(to_upload=p.to_upload, upload_width=p.upload_width, upload_height=p.upload_height)
            if p.error:
                d["error"] = p.error
            res.page_images.append(d)
    res.pages_ocred = sum(1 for p in pages if p.source == "ocr" or (p.source == "error" and p.tesseract_runs))
    res.pages_text_layer = sum(1 for p in pages if p.source == "text_layer")
    res.fields = dict.fromkeys(FIELD_NAMES)

    readable = [p for p in pages if p.readable]
    if not readable:
        res.verdict = "unreadable"
        errors = [p.error for p in pages if p.error]
        res.reason = reason or (errors[0] if errors else ("no pages" if not pages else "no text recognised"))
        res.checks = [Check("readable", "fail", None, res.reason, "unreadable", {"reason": res.reason})]
        res.seconds = seconds if seconds is not None else time.monotonic() - t0
        return res

    facts = [_analyse_page(p) for p in readable]

    # ---- document type
    doc_type, score, _ = extract.classify([f.index.folded for f in facts])
    res.doc_type, res.doc_type_score = doc_type, score
    is_id = doc_type == "id_document"
    checks: list[Check] = []
    accepted = ACCEPTED_DOC_TYPES.get(claim.request_type, ACCEPTED_DOC_TYPES["representative_change"])
    params = {"doc_type": doc_type, "score": round(score, 2), "accepted": list(accepted)}
    if is_id:
        checks.append(
            Check(
                "doc_type",
                "pass",
                None,
                f"{doc_type} (score {score:.2f}): identifies the person; the role needs {', '.join(accepted)}",
                "doc_type_identity",
                params,
            )
        )
    elif doc_type in accepted:
        checks.append(Check("doc_type", "pass", None, f"{doc_type} (score {score:.2f})", "doc_type_accepted", params))
    else:
        checks.append(
            Check(
                "doc_type",
                "fail",
                None,
                f"{doc_type} (score {score:.2f}); {claim.request_type} accepts {', '.join(accepted)}",
                "doc_type_refused",
                params,
            )
        )

    # ---- company CIF and name (an ID document names no company)
    claimed_cif = compact(claim.company_cif)
    holder_kinds = _holder_kinds(claimed_cif)
    match, others = _find_claimed(facts, claimed_cif, holder_kinds)
    if match:
        res.fields["company_cif"] = _field(match[0].value, match[1])
    elif others:
        res.fields["company_cif"] = _field(others[0][0].value, others[0][1])
    if claim.company_cif and not is_id:
        checks.append(
            _id_check("company_cif", claimed_cif, match, others, "CIF" if holder_kinds == ("cif",) else "NIF/NIE")
        )
    if claim.company_name and not is_id:
        nm = _first_name_match(facts, claim.company_name, company=True)
        checks.append(
            Check(
                "company_name",
                "pass",
                _ev(nm.span),
                f"score {nm.score:.2f}",
                "name_found",
                {"score": round(nm.score, 2)},
            )
            if nm
            else Check("company_name", "not_found", None, "claimed company name not found", "name_not_found")
        )

    # ---- person NIF / NIE
    claimed_nif = compact(claim.person_nif)
    match, others = _find_claimed(facts, claimed_nif, ("nif", "nie"))
    if match:
        res.fields["person_nif"] = _field(match[0].value, match[1])
    elif others:
        res.fields["person_nif"] = _field(others[0][0].value, others[0][1])
    # ---- dates and, on an ID document, its fields (read first: they name the holder its number belongs to)
    all_dates = [(f.index, extract.find_dates(f.index)) for f in facts]
    card = _read_card(facts, all_dates) if is_id else None
    if claim.person_nif:
        if match and claim.person_name:
            bound = _bound_match(facts, claimed_nif, claim.person_name, doc_type, card=card)
            if bound:
                checks.append(_id_check("person_nif", claimed_nif, bound, others, "NIF/NIE"))
            else:
                checks.append(
                    Check(
                        "person_nif",
                        "fail",
                        _ev(match[1]),
                        f"NIF/NIE {match[0].value} is on the page but belongs to another person on the "
                        f"document (not next to the claimed name)",
                        "id_of_another_person",
                        {"value": match[0].value},
                    )
                )
        else:
            checks.append(_id_check("person_nif", claimed_nif, match, others, "NIF/NIE"))

    if is_id:
        for key in ("surnames", "given_names"):
            sp = getattr(card, key) if card else None
            mrz = getattr(card, "mrz_" + key) if card else None
            if sp is not None:
                res.fields[key] = FieldValue(roles.clean_name(sp.text), sp.page, sp.bbox, sp.confidence)
            elif mrz and "mrz_name" in card.spans:
                # the labelled field was not read (a photo's glare, a label misread): the machine readable zone
                # prints the same name, without its accents
                zone = card.spans["mrz_name"]
                res.fields[key] = FieldValue(mrz, zone.page, zone.bbox, zone.confidence)

    # ---- person name
    if claim.person_name:
        checks.append(_person_name_check(res, facts, claim.person_name, card))

    # ---- who the document makes of the claimed person
    judged = None
    if (claim.person_nif or claim.person_name) and doc_type in ROLE_DOC_TYPES:
        judged = _person_role_check(facts, claim, claimed_nif)
        checks.append(judged)
    res.people = _people(facts, claimed_nif, claim.person_name, judged)

    checks.append(_date_check(res, doc_type, all_dates, card, facts, today, certificate_max_days))

    # ---- notary / protocol / csv
    for f in facts:
        if res.fields["notary"] is None:
            sp = extract.find_notary(f.index)
            if sp:
                res.fields["notary"] = _field(roles.clean_name(sp.text), sp)
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
        checks.append(
            Check(
                "readable",
                "fail",
                None,
                f"{len(broken)} page(s) unreadable: {broken[0].error}; mean confidence {mean_conf:.0f}",
                "pages_unreadable",
                {"pages": len(broken), "reason": broken[0].error, "confidence": round(mean_conf)},
            )
        )
    elif mean_conf >= READABLE_MIN_CONF:
        checks.append(
            Check(
                "readable",
                "pass",
                None,
                f"mean confidence {mean_conf:.0f}",
                "confidence",
                {"confidence": round(mean_conf)},
            )
        )
    else:
        checks.append(
            Check(
                "readable",
                "fail",
                None,
                f"low OCR confidence {mean_conf:.0f}",
                "low_confidence",
                {"confidence": round(mean_conf)},
            )
        )

    order = {n: i for i, n in enumerate(CHECK_NAMES)}
    checks.sort(key=lambda c: order.get(c.name, 99))
    res.checks = checks
    res.verdict = "clear" if all(c.outcome == "pass" for c in checks) else "needs_attention"
    res.seconds = seconds if seconds is not None else time.monotonic() - t0
    return res


def _id_check(name: str, claimed: str, match, others, label: str) -> Check:
    if match:
        c, sp = match
        detail = f"{label} {c.value} read on the page" + (" (after OCR-confusion correction)" if c.corrected else "")
        return Check(name, "pass", _ev(sp), detail, "id_corrected" if c.corrected else "id_read", {"value": c.value})
    valid = kind_of(claimed) is not None
    note = "" if valid else f"; the claimed {label} {claimed or '?'} fails its check digit"
    if others:
        # the evidence: the number most like the claimed one (a misread of it, rather than another person's)
        c, sp = max(
            others,
            key=lambda o: SequenceMatcher(None, compact(claimed or "").upper(), o[0].value, autojunk=False).ratio(),
        )
        vals = ", ".join(dict.fromkeys(o[0].value for o in others))
        return Check(
            name,
            "fail",
            _ev(sp),
            f"document names {label} {vals}, not the claimed one{note}",
            "id_differs",
            {"values": vals, "claimed_invalid": not valid},
        )
    return Check(
        name, "not_found", None, f"no valid {label} found{note}", "id_not_found", {"claimed_invalid": not valid}
    )


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


# --------------------------------------------------------------------------- names, roles, dates


def _person_name_check(res: PrecheckResult, facts: list[_PageFacts], name: str, card) -> Check:
    """The claimed person's name: on an ID document, compared with the surnames and given names read
    from their fields (in either order); elsewhere, found among the page's words."""
    if card is not None and (card.name or card.mrz_name):
        spans = [sp for sp in (card.given_names, card.surnames) if sp is not None]
        page = spans[0].page if spans else facts[0].index.page.index
        words = [w for sp in spans for w in sp.words]
        bbox = union_bbox(words) if words else None
        # the printed fields first; the machine readable zone when the fields were misread
        for read in dict.fromkeys(n for n in (card.name, card.mrz_name) if n):
            score = extract.names_match(name, read)
            if score is not None:
                res.fields["person_name"] = FieldValue(
                    read,
                    page,
                    bbox or [0, 0, 0, 0],
                    (sum(w.conf for w in words) / len(words) / 100.0) if words else 0.5,
                )
                return Check(
                    "person_name",
                    "pass",
                    Evidence(page, bbox, read),
                    f"score {score:.2f}",
                    "name_found",
                    {"score": round(score, 2)},
                )
        read = card.name or card.mrz_name
        res.fields["person_name"] = FieldValue(read, page, bbox or [0, 0, 0, 0], 0.5)
        return Check(
            "person_name",
            "fail",
            Evidence(page, bbox, read),
            f"the document's name is {read}",
            "name_differs",
            {"read": read},
        )
    nm = _first_name_match(facts, name, company=False)
    if nm:
        text = roles.clean_name(extract.as_printed(nm.span.text, name))
        res.fields["person_name"] = FieldValue(
            text, nm.span.page, nm.span.bbox, min(1.0, nm.score * nm.span.confidence)
        )
        return Check(
            "person_name",
            "pass",
            Evidence(nm.span.page, nm.span.bbox if nm.span.words else None, text),
            f"score {nm.score:.2f}",
            "name_found",
            {"score": round(nm.score, 2)},
        )
    return Check("person_name", "not_found", None, "claimed person name not found", "name_not_found")


def _read_card(facts: list[_PageFacts], all_dates):
    best = None
    cards = []
    for f, (_, dates) in zip(facts, all_dates):
        card = idcard.read_card(f.index, dates)
        filled = sum(x is not None for x in (card.surnames, card.given_names, card.expiry, card.mrz_expiry))
        if best is None or filled > best[0]:
            best = (filled, card)
        cards.append(card)
    if best is None:
        return None
    card = best[1]
    if card.mrz_surnames is None:  # a two-sided card: the machine readable zone on the back page
        back = next((c for c in cards if c.mrz_surnames is not None), None)
        if back is not None:
            card.mrz_surnames, card.mrz_given_names = back.mrz_surnames, back.mrz_given_names
            card.spans["mrz_name"] = back.spans["mrz_name"]
    return card


def _mentions(f: _PageFacts, claimed_nif: str, name: str | None) -> list[tuple[int, int]]:
    """Text ranges where the claimed person is named on one page: each occurrence of the name,
    stretched to the claimed identifier bound to it (:func:`_bindings`) when it follows within
    MENTION_STRETCH words, and each occurrence of the identifier that no name occurrence reached."""
    idx = f.index
    out: list[tuple[int, int]] = []
    ids = (
        [(c, w) for (c, _), w in zip(f.ids, f.words) if c.value == claimed_nif and c.start >= 0] if claimed_nif else []
    )
    bound = _bindings(f, claimed_nif, name, None) if (name and ids) else []
    used = set()
    for nm in extract.find_name_all(idx, name, company=False) if name else []:
        s = idx.offsets[nm.first_word][0]
        e = idx.offsets[nm.last_word][1]
        for b in bound:
            if (
                b.how == "reading"
                and b.name is not None
                and (b.name.first_word, b.name.last_word) == (nm.first_word, nm.last_word)
                and 0 <= b.words[0] - nm.last_word <= MENTION_STRETCH
            ):
                e = max(e, b.cand.end)
                used.add(id(b.cand))
        out.append((s, e))
    for c, _ in ids:
        if id(c) not in used:
            out.append((c.start, c.end))
    return out


def _others(f: _PageFacts, claimed_nif: str, mine: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Text ranges of other people on the page: their identifiers and titled names."""
    out = [
        (c.start, c.end)
        for c, _ in f.ids
        if c.kind in ("nif", "nie") and c.value != claimed_nif and c.start >= 0 and not c.corrected
    ]
    notary = extract.find_notary(f.index)
    named = roles.titled_names(f.index) + ([roles.span_range(f.index, notary.words)] if notary and notary.words else [])
    for s, e in named:
        if not any(s < me and ms < e for ms, me in mine):
            out.append((s, e))
    return out


_ROLE_NEEDED = roles.APPOINTED


#: "Notario" after a name with no comma between, ending the evidence: a label under a row of signatures
_BARE_NOTARY_LABEL = re.compile(r"[^,\s]\s+(?:el |la )?notari[oa]?\s*$")


def _person_role_check(facts: list[_PageFacts], claim: Claim, claimed_nif: str) -> Check:
    """Passes only when the document makes the claimed person what the request needs (appointed,
    empowered, mandatary) and names them in no other role."""
    findings = []
    seen = False
    notary_named = claimed_is_notary = False
    for f in facts:
        mine = _mentions(f, claimed_nif, claim.person_name)
        seen = seen or bool(mine)
        others = _others(f, claimed_nif, mine)
        notary = extract.find_notary(f.index)
        if notary is not None and notary.words:
            notary_named = True
            ns, ne = roles.span_range(f.index, notary.words)
            claimed_is_notary = claimed_is_notary or any(s < ne and ns < e for s, e in mine)
        for s, e in mine:
            found = roles.role_of_mention(f.index, s, e, others)
            if found is not None:
                findings.append((f, found))
    if notary_named and not claimed_is_notary:
        # the document names its notary ("Ante mí, X, Notario"), someone else: a "Notario" under a row of
        # signatures labels the notary's, not the claimed person's
        # ("..., Jesús Molina López Notario"); in apposition it is the claimed person's title ("Davant meu,
        # EULÀLIA VILANOVA COLL, notària de Reus, en substitució ... del meu company Arnau Vidal, notari")
        findings = [
            (f, r)
            for f, r in findings
            if r.role != roles.NOTARY or not _BARE_NOTARY_LABEL.search(f.index.folded[r.start : r.end])
        ]
    if not seen:
        return Check(
            "person_role", "not_found", None, "the claimed person is not named on the document", "role_person_absent"
        )
    if not findings:
        return Check(
            "person_role",
            "not_found",
            None,
            "no words on the document give the claimed person a role",
            "role_not_found",
        )
    # "other" (a charge that does not represent, in a register's row) is neutral: the person may hold another one
    # that does ("Consejero" and "Consejero Delegado"); alone it is no appointment
    contrary = [
        (f, r)
        for f, r in findings
        if r.role not in (_ROLE_NEEDED, roles.OTHER) and not (r.weak and r.role == roles.GRANTOR)
    ]
    contrary.sort(key=lambda fr: (fr[1].role != roles.OUTGOING, fr[1].weak, fr[1].distance))
    needed = [(f, r) for f, r in findings if r.role == _ROLE_NEEDED]
    if contrary or not needed:
        f, r = (contrary or findings)[0]
        sentence = _sentence(f.index, r)
        return Check(
            "person_role",
            "fail",
            sentence,
            f"the document names the claimed person as {r.role}: \u201c{sentence.text}\u201d",
            "role_other",
            {"role": r.role, "needed": _ROLE_NEEDED},
        )
    f, r = needed[0]
    sentence = _sentence(f.index, r)
    return Check(
        "person_role", "pass", sentence, f"{r.role}: \u201c{sentence.text}\u201d", "role_held", {"role": r.role}
    )


def _sentence(idx: PageIndex, r: roles.RoleFinding) -> Evidence:
    words = (r.words or idx.span(r.start, r.end).words)[:30]
    text = " ".join(w.text for w in words)
    return Evidence(
        idx.page.index, union_bbox(words) if words else None, roles.clean_name(text) if len(words) < 3 else text.strip()
    )


def _people(
    facts: list[_PageFacts], claimed_nif: str, claimed_name: str | None, judged: Check | None = None
) -> list[PersonFound]:
    """Every person the document names with an identifier (and its notary), with their role; the claimed person's
    is the one the role check ``judged`` (all their mentions weighed, not only the one by their identifier)."""
    out: list[PersonFound] = []
    seen: set[str] = set()
    for f in facts:
        idx = f.index
        persons = [
            c
            for c, _ in f.ids
            if c.kind in ("nif", "nie") and c.start >= 0 and (not c.corrected or c.value == claimed_nif)
        ]
        for c in persons:
            if c.value in seen:
                continue
            seen.add(c.value)
            near = roles.name_near(idx, c.start, c.end)
            s = near[0] if near else c.start
            e = max(c.end, near[1]) if near else c.end
            others = [(o.start, o.end) for o in persons if o.value != c.value]
            others += [(a, b) for a, b in _others(f, c.value, [(min(s, c.start), e)])]
            found = roles.role_of_mention(idx, min(s, c.start), e, others)
            name = roles.clean_name(idx.text[near[0] : near[1]]) if near else ""
            sp = idx.span(min(s, c.start), e)
            role, sentence = (found.role, _sentence(idx, found).text) if found else (roles.OTHER, "")
            if c.value == claimed_nif and judged is not None and judged.params.get("role") and judged.evidence:
                role, sentence = judged.params["role"], judged.evidence.text
            out.append(PersonFound(name, c.value, role, idx.page.index, sp.bbox if sp.words else None, sentence))
        notary = extract.find_notary(idx)
        if notary is not None and "notary" not in seen:
            seen.add("notary")
            out.append(
                PersonFound(
                    roles.clean_name(notary.text),
                    None,
                    roles.NOTARY,
                    idx.page.index,
                    notary.bbox if notary.words else None,
                    notary.text,
                )
            )
    return out


def _date_check(
    res: PrecheckResult, doc_type: str, all_dates, card, facts, today: _dt.date, certificate_max_days: int
) -> Check:
    """The date that counts for the document type, judged against the upload day."""
    basis = extract.DATE_BASIS.get(doc_type, "execution")
    res.date_basis = basis
    index_of = {id(h): idx for idx, ds in all_dates for h in ds}
    if doc_type == "id_document":
        return _id_dates(res, all_dates, index_of, card, facts, today)
    h = extract.choose_document_date(all_dates, doc_type)
    if h is None:
        return Check("date", "not_found", None, f"no {basis} date found", "date_not_found", {"basis": basis})
    idx = index_of[id(h)]
    res.fields["date"] = _date_field(idx, h)
    ev = _ev(idx.span(h.start, h.end))
    d = h.date
    p = {"basis": basis, "date": d.isoformat()}
    if basis == "issue" and not extract.issue_date_stated(all_dates, h):
        # the latest date is only a guess at the issue date: it proves the certificate neither current nor stale (a
        # certificate issued today may list entries years old, or terms years ahead); named in the check, never
        # shown as the issue date
        res.fields["date"] = None
        return Check(
            "date",
            "not_found",
            ev,
            f"no date is stated as the issue date; the latest date is {d.isoformat()}",
            "issue_date_not_stated",
            p,
        )
    if d > today:
        return Check("date", "fail", ev, f"{basis} date {d.isoformat()} is after the upload", "date_future", p)
    if d.year < 1950:
        return Check("date", "fail", ev, f"implausible {basis} date {d.isoformat()}", "date_implausible", p)
    if basis == "issue":
        age = (today - d).days
        p.update(days=age, max_days=certificate_max_days)
        if age > certificate_max_days:
            return Check(
                "date",
                "fail",
                ev,
                f"certificate issued {d.isoformat()}, {age} days before the upload (at most {certificate_max_days})",
                "certificate_stale",
                p,
            )
    return Check("date", "pass", ev, f"{basis} date {d.isoformat()}", "date_ok", p)


#: identity papers issued with no expiry: the registration certificate of an EU citizen (Real Decreto 240/2007)
_NO_EXPIRY_DOCUMENT = re.compile(
    r"certificado de registro de ciudadano de la union|certificat de registre de ciutada "
    r"de la unio|registration certificate of (?:a |an )?(?:eu|union) citizen"
)


def _id_dates(res: PrecheckResult, all_dates, index_of: dict, card, facts, today: _dt.date) -> Check:
    expiry = card.expiry if card else None
    issued = card.issue if card else None
    if issued is None:
        # a paper identity certificate states its issue in running text, under no label ("se expide el presente
        # certificado en Valladolid, a 10 de marzo de 2024"): that date is no expiry
        issued = next((h for _, ds in all_dates for h in ds if extract.issue_date_stated(all_dates, h)), None)
    no_expiry = any(_NO_EXPIRY_DOCUMENT.search(f.index.folded) for f in facts)
    if expiry is None:
        for idx, ds in all_dates:
            # the issue date read under its label is no expiry ("EXPEDIDO EL / VÁLIDO HASTA" over
            # "06-01-2003 / PERMANENTE"; a registration certificate's "Fecha de registro")
            expiry = extract.find_expiry(idx, [h for h in ds if issued is None or h.date != issued.date])
            if expiry:
                break
        if expiry is not None and no_expiry and (card is None or card.mrz_expiry is None):
            # a paper that never expires: the date under its foot's "Fecha:" is the day it was issued
            issued = issued or expiry
            expiry = None
    if issued is not None:
        res.fields["issue_date"] = _date_field(index_of[id(issued)], issued)
    mrz = card.mrz_expiry if card else None
    ev = None
    if expiry is not None:
        idx = index_of[id(expiry)]
        res.fields["expiry"] = _date_field(idx, expiry)
        ev = _ev(idx.span(expiry.start, expiry.end))
        date = expiry.date
        if mrz is not None and mrz != date:
            date = mrz  # the machine readable zone carries a check digit: it wins
            res.fields["expiry"] = FieldValue(mrz.isoformat(), ev.page, ev.bbox or [0, 0, 0, 0], 0.9)
    elif mrz is not None:
        date = mrz
        res.fields["expiry"] = FieldValue(mrz.isoformat(), facts[0].index.page.index, [0, 0, 0, 0], 0.9)
    else:
        if any("permanente" in f.index.folded for f in facts):
            return Check("date", "pass", None, "permanent validity", "id_permanent", {"basis": "expiry"})
        if issued is not None and no_expiry:
            return Check(
                "date",
                "pass",
                _ev(index_of[id(issued)].span(issued.start, issued.end)),
                f"no expiry: issued {issued.date.isoformat()}",
                "id_no_expiry",
                {"basis": "issue", "issue_date": issued.date.isoformat()},
            )
        return Check("date", "not_found", None, "no expiry date found", "date_not_found", {"basis": "expiry"})
    res.fields["date"] = res.fields["expiry"]
    issue = res.fields["issue_date"].value if res.fields["issue_date"] else None
    p = {"basis": "expiry", "date": date.isoformat(), "issue_date": issue}
    if date < today:
        return Check("date", "fail", ev, f"ID expired on {date.isoformat()}", "id_expired", p)
    return Check(
        "date", "pass", ev, f"ID valid until {date.isoformat()}" + (f", issued {issue}" if issue else ""), "id_valid", p
    )


# --------------------------------------------------------------------------- stop early


def is_satisfied(pages: Sequence[PageText], claim: Claim) -> bool:
    """True once the pages read so far hold the claimed company CIF and person
    NIF (validated, exact), give the person the role the request needs, and are
    confidently of an accepted document type other than a registry certificate
    (read whole): remaining pages need not be read."""
    readable = [p for p in pages if p.readable]
    if not readable:
        return False
    facts = [_analyse_page(p) for p in readable]
    return _satisfied(facts, claim)


def _satisfied(facts: list[_PageFacts], claim: Claim) -> bool:
    if claim.company_cif:
        m, _ = _find_claimed(facts, compact(claim.company_cif), _holder_kinds(compact(claim.company_cif)))
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
    if doc_type not in accepted or score < DOC_TYPE_STOP_SCORE:
        return False
    if doc_type == "registry_certificate":
        return False  # read to the end: it lists charges over time, and its issue date closes it
    return _person_role_check(facts, claim, compact(claim.person_nif)).outcome == "pass"


# --------------------------------------------------------------------------- entry points


def read_document(
    file: FileInput,
    claim: Claim | None = None,
    *,
    on_page: ProgressCallback | None = None,
    langs: str | None = None,
    page_timeout: float = 60.0,
    max_pages: int = 30,
    max_seconds: float | None = 600.0,
    stop_early: bool = True,
) -> tuple[str, int, list[PageText]]:
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


def precheck_file(
    file: FileInput,
    claim: Claim,
    *,
    on_page: ProgressCallback | None = None,
    langs: str | None = None,
    page_timeout: float = 60.0,
    max_pages: int = 30,
    max_seconds: float | None = 600.0,
    stop_early: bool = True,
    name: str | None = None,
    today: _dt.date | None = None,
) -> PrecheckResult:
    """Pre-check one file (bytes, path or binary file object).  Never raises."""
    t0 = time.monotonic()
    display = name or (
        "<bytes>"
        if isinstance(file, (bytes, bytearray, memoryview))
        else os.path.basename(str(getattr(file, "name", None) or file))
    )
    try:
        loaded_name, total, pages = read_document(
            file,
            claim,
            on_page=on_page,
            langs=langs,
            page_timeout=page_timeout,
            max_pages=max_pages,
            max_seconds=max_seconds,
            stop_early=stop_early,
        )
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


def precheck(
    files: FileInput | Iterable[FileInput], claim: Claim, *, on_page: ProgressCallback | None = None, **kwargs
) -> BatchResult:
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


def combine(results: list[PrecheckResult], *, seconds: float = 0.0) -> BatchResult:
    """Judge the files backing one request together (see :class:`BatchResult`).

    The primary documents (a power, deed, certificate or mandate) must prove the company, the
    person's role and a good date; an identity document in the set must show the same person,
    current.  A check fails when any file fails it (someone must look), passes when some file
    proves it, else is not found; each combined check lists the files that prove it."""
    b = BatchResult(results=results, seconds=seconds)
    usable = [r for r in results if r.verdict != "unreadable"]
    primary = [r for r in usable if r.doc_type != "id_document"]
    ids = [r for r in usable if r.doc_type == "id_document"]
    plan = [
        ("doc_type", primary),
        ("company_cif", primary),
        ("company_name", primary),
        ("person_nif", usable),
        ("person_role", primary),
        ("person_name", usable),
        ("date", primary),
    ]
    for name, pool in plan:
        combined = _join(name, pool)
        if combined is None and name == "doc_type":
            combined = Check(
                "doc_type",
                "fail",
                None,
                "no document of a kind that proves the request",
                "set_no_primary",
                {"doc_types": [r.doc_type for r in results]},
            )
        if combined is not None:
            b.checks.append(combined)
    if ids:
        valid = _join("date", ids)
        if valid is not None:
            b.checks.append(Check("id_valid", valid.outcome, valid.evidence, valid.detail, valid.code, valid.params))
    readable = _join("readable", results)
    if readable is not None:
        b.checks.append(readable)
    if not results or all(r.verdict == "unreadable" for r in results):
        b.verdict = "unreadable"
    elif any(r.verdict == "unreadable" for r in results) or not all(c.outcome == "pass" for c in b.checks):
        b.verdict = "needs_attention"
    else:
        b.verdict = "clear"
    return b


def _join(name: str, pool: list[PrecheckResult]) -> Check | None:
    cs = [(r, r.check(name)) for r in pool if r.check(name) is not None]
    if not cs:
        return None
    passing = [(r, c) for r, c in cs if c.outcome == "pass"]
    r, c = next(((r, c) for r, c in cs if c.outcome == "fail"), None) or (passing[0] if passing else cs[0])
    ev = None
    if c.evidence is not None:
        ev = Evidence(c.evidence.page, c.evidence.bbox, c.evidence.text, file=r.file)
    params = {
        **c.params,
        "file": r.file,
        "proven_by": [{"file": pr.file, "page": pc.evidence.page if pc.evidence else None} for pr, pc in passing],
    }
    return Check(name, c.outcome, ev, f"{r.file}: {c.detail}" if c.detail else r.file, c.code, params)
