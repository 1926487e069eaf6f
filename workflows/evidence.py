"""What the OCR pre-check found, said in the reader's language.

The engine (``ocr``) writes each check's finding as a code with plain parameters (dates as ISO
strings, roles and document types as codes); this module turns them into sentences through
gettext, with dates in the reader's locale.  An unknown code (a result stored by another engine
version) falls back to the engine's English detail."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
