"""What the OCR pre-check found, said in the reader's language.

The engine (``ocr``) writes each check's finding as a code with plain parameters (dates as ISO
strings, roles and document types as codes); this module turns them into sentences through
gettext, with dates in the reader's locale.  An unknown code (a result stored by another engine
version) falls back to the engine's English detail."""

from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.identifiers import compact

DOC_TYPE_LABELS = {
    "power_of_attorney": gettext_lazy("Power of attorney"),
    "deed": gettext_lazy("Deed"),
    "registry_certificate": gettext_lazy("Registry certificate"),
    "manager_mandate": gettext_lazy("Manager's mandate"),
    "id_document": gettext_lazy("Identity document"),
    "other": gettext_lazy("Other document"),
}
ROLE_LABELS = {
    "appointed": gettext_lazy("appointed or empowered"),
    "grantor": gettext_lazy("grantor (grants the power or mandate)"),
    "outgoing": gettext_lazy("outgoing (removed, resigning or revoked)"),
    "notary": gettext_lazy("notary"),
    "registrar": gettext_lazy("registrar"),
    "witness": gettext_lazy("witness"),
    "other": gettext_lazy("no role stated"),
}
DATE_BASIS_LABELS = {
    "execution": gettext_lazy("date of execution"),
    "issue": gettext_lazy("date of issue"),
    "signature": gettext_lazy("date of signature"),
    "expiry": gettext_lazy("expiry date"),
}


def local_date(value) -> str:
    """An ISO date in the reader's locale ("3 de novembre de 2026"); anything else as it came."""
    try:
        return date_format(dt.date.fromisoformat(str(value)), "DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value or "")


def _doc_type(code) -> str:
    return str(DOC_TYPE_LABELS.get(code, code or ""))


def _basis(params: dict) -> str:
    return str(DATE_BASIS_LABELS.get(params.get("basis"), params.get("basis") or ""))


def describe(check: dict) -> str:
    """One check of a stored pre-check result, as a sentence for staff."""
    code, p = check.get("code") or "", check.get("params") or {}
    writer = _WRITERS.get(code)
    if writer is None:
        return check.get("detail", "")
    try:
        return writer(p)
    except (KeyError, TypeError, ValueError):
        return check.get("detail", "")


def _accepted(p) -> str:
    return ", ".join(_doc_type(t) for t in p.get("accepted") or [])


_WRITERS = {
    "doc_type_accepted": lambda p: _("Read as: %(type)s.") % {"type": _doc_type(p["doc_type"])},
    "doc_type_refused": lambda p: (
        _("Read as: %(type)s. This request needs one of: %(accepted)s.")
        % {"type": _doc_type(p["doc_type"]), "accepted": _accepted(p)}
    ),
    "doc_type_identity": lambda p: (
        _("An identity document: it identifies the person; the role needs one of: %(accepted)s.")
        % {"accepted": _accepted(p)}
    ),
    "set_no_primary": lambda p: _("None of the documents is of a kind that proves this request."),
    "id_read": lambda p: _("%(value)s is printed on the document.") % {"value": p["value"]},
    "id_corrected": lambda p: (
        _("%(value)s is printed on the document (read after correcting letters that look like digits).")
        % {"value": p["value"]}
    ),
    "id_differs": lambda p: (
        _("The document gives %(values)s, not the number of the request.") % {"values": p["values"]}
    ),
    "id_not_found": lambda p: _("No valid number of this kind was found."),
    "id_of_another_person": lambda p: (
        _("%(value)s is on the document, but next to another person's name.") % {"value": p["value"]}
    ),
    "name_found": lambda p: _("Found on the document."),
    "name_not_found": lambda p: _("Not found on the document."),
    "name_differs": lambda p: _("The document's name is %(name)s.") % {"name": p["read"]},
    "role_held": lambda p: (
        _("The document names the person as %(role)s.") % {"role": ROLE_LABELS.get(p["role"], p["role"])}
    ),
    "role_other": lambda p: (
        _("The document names the person as %(role)s, not as %(needed)s.")
        % {"role": ROLE_LABELS.get(p["role"], p["role"]), "needed": ROLE_LABELS.get(p["needed"], p["needed"])}
    ),
    "role_not_found": lambda p: _("No words on the document say what the person is appointed to."),
    "role_person_absent": lambda p: _("The person is not named on the document."),
    "date_ok": lambda p: _("%(basis)s: %(date)s.") % {"basis": _basis(p).capitalize(), "date": local_date(p["date"])},
    "date_future": lambda p: (
        _("%(basis)s %(date)s is later than the upload.")
        % {"basis": _basis(p).capitalize(), "date": local_date(p["date"])}
    ),
    "date_implausible": lambda p: (
        _("%(basis)s %(date)s is not plausible.") % {"basis": _basis(p).capitalize(), "date": local_date(p["date"])}
    ),
    "certificate_stale": lambda p: (
        ngettext(
            "Issued on %(date)s, %(days)s day before the upload; a certificate counts for %(max)s days.",
            "Issued on %(date)s, %(days)s days before the upload; a certificate counts for %(max)s days.",
            p["days"],
        )
        % {"date": local_date(p["date"]), "days": p["days"], "max": p["max_days"]}
    ),
    "date_not_found": lambda p: _("No %(basis)s found.") % {"basis": _basis(p)},
    "issue_date_not_stated": lambda p: (
        _("No date is stated as the date of issue; the latest date on the certificate is %(date)s.")
        % {"date": local_date(p["date"])}
    ),
    "id_valid": lambda p: (
        (
            _("Valid until %(date)s; issued on %(issued)s.")
            % {"date": local_date(p["date"]), "issued": local_date(p["issue_date"])}
        )
        if p.get("issue_date")
        else _("Valid until %(date)s; date of issue not read.") % {"date": local_date(p["date"])}
    ),
    "id_expired": lambda p: _("Expired on %(date)s.") % {"date": local_date(p["date"])},
    "id_permanent": lambda p: _("Permanent validity."),
    "id_no_expiry": lambda p: (
        _("Issued on %(date)s; this document has no expiry date.") % {"date": local_date(p["issue_date"])}
    ),
    "confidence": lambda p: _("Read with %(confidence)s%% mean confidence.") % {"confidence": p["confidence"]},
    "low_confidence": lambda p: _("Read with only %(confidence)s%% mean confidence.") % {"confidence": p["confidence"]},
    "pages_unreadable": lambda p: (
        ngettext("%(pages)s page could not be read.", "%(pages)s pages could not be read.", p["pages"])
        % {"pages": p["pages"]}
    ),
    "unreadable": lambda p: _("The file could not be read."),
}


# -- verifier aids: what the workspace draws beside the claim ----------------------------------------------------------

IDENTIFIER_FIELDS = ("company_cif", "person_nif")
MAX_DIFFERENCES_SAID = 3


def identifier_diff(claimed: str, read: str) -> dict | None:
    """The characters in which an identifier read on the documents differs from the claimed one, for marking them
    (``claimed`` and ``read``: segments of ``text`` and ``changed``) and for saying them (``summary``, the text
    alternative). None when either is missing or they are the same."""
    a, b = compact(claimed or "").upper(), compact(read or "").upper()
    if not a or not b or a == b:
        return None
    claimed_parts, read_parts, said = [], [], []

    def differ(i: int, x: str, y: str) -> None:
        if x:
            claimed_parts.append({"text": x, "changed": True})
        if y:
            read_parts.append({"text": y, "changed": True})
        said.append(
            _("character %(position)s is %(claimed)s on the request and %(read)s on the document")
            % {"position": i + 1, "claimed": x or _("missing"), "read": y or _("missing")}
        )

    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    changed = min(  # place by place, or by the edits that align them (an extra character shifts the rest)
        sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b)),
        sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in opcodes if op != "equal"),
    )
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            claimed_parts.append({"text": a[i1:i2], "changed": False})
            read_parts.append({"text": b[j1:j2], "changed": False})
        elif op == "replace" and i2 - i1 == j2 - j1:  # the usual misread: one character for another, said one by one
            for k in range(i2 - i1):
                differ(i1 + k, a[i1 + k], b[j1 + k])
        else:
            differ(i1, a[i1:i2], b[j1:j2])
    if changed > MAX_DIFFERENCES_SAID:  # another number altogether, not a misread: no list of every character
        summary = _("Another number: %(count)s characters differ.") % {"count": changed}
    else:
        summary = ngettext(
            "%(count)s character differs: %(places)s.", "%(count)s characters differ: %(places)s.", len(said)
        ) % {"count": len(said), "places": "; ".join(str(p) for p in said)}
    return {"claimed": claimed_parts, "read": read_parts, "summary": summary}


def crop_url(document_id: int, page_index: int, place_attr: str, turn: int = 0) -> str:
    """The zoomed crop of one evidence box (``documents.views.evidence_crop``, which checks the permission), turned
    upright like the page in the viewer (``turn``: the pre-check's rotation of the page, degrees clockwise)."""
    query = {"box": place_attr} | ({"turn": turn % 360} if turn % 360 else {})
    return f"{reverse('documents:evidence_crop', args=[document_id, page_index])}?{urlencode(query)}"


def add_verifier_aids(context: dict) -> None:
    """On the task page's comparison rows: the crop of the evidence box next to each claim (where the reader may
    read the documents and the box could be placed), and the differing characters of the identifiers."""
    crops = {
        box["id"]: crop_url(entry["document"].pk, page["index"], box["place_attr"], page["ocr"]["rotation"])
        for entry in context.get("viewer") or []
        if entry["readable"]
        for page in entry["pages"]
        for box in page["boxes"]
        if box["place_attr"]
    }
    readable = bool(context.get("may_read_documents"))
    found = {check.get("name"): check.get("params") or {} for check in context.get("checks") or []} if readable else {}
    for row in context.get("comparison") or []:
        check = row.get("check") or {}
        row["crop_url"] = crops.get(check.get("box") or "", "")
        row["diff"] = None
        if readable and row["field"] in IDENTIFIER_FIELDS:
            params = found.get(row["field"], {})
            readings = [row["ocr"], params.get("value") or "", *str(params.get("values") or "").split(",")]
            row["diff"] = identifier_diff(row["claim"], closest_reading(row["claim"], readings))


def closest_reading(claimed: str, readings: list[str]) -> str:
    """Of the numbers read on the documents (the person's, the grantor's...), the one most like the claimed one:
    the misread to show, rather than another person's number."""
    target = compact(claimed or "").upper()
    candidates = [compact(r).upper() for r in readings if r and compact(r)]
    if not candidates:
        return ""
    return max(candidates, key=lambda r: SequenceMatcher(None, target, r, autojunk=False).ratio())
