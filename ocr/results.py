"""Plain dataclasses exchanged by the OCR pre-check (no Django, JSON friendly).

Vocabulary (stable, relied upon by the back office):

* ``doc_type``: power_of_attorney, deed, registry_certificate, manager_mandate,
  id_document, other
* check ``name``: doc_type, company_cif, company_name, person_nif, person_role,
  person_name, date, readable; a set of files (``BatchResult``) adds id_valid
  (the identity documents in it are current)
* person ``role`` (what the document makes of a person it names): appointed
  (appointed, empowered, attorney, mandatary), grantor (otorgante, poderdante,
  mandante), outgoing (cesa, revoca, dimite), notary, registrar, witness, other
* check ``outcome``: pass, fail, not_found
* ``verdict``: clear, needs_attention, unreadable

Coordinates: every ``bbox`` is ``[x0, y0, x1, y1]`` in pixels of the *page
image* described in ``page_images[page]`` (upright, deskewed, roughly 300 dpi).
For PDF pages with a text layer this is the page rendered at 300 dpi.
Page numbers in results are 0-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DOC_TYPES = (
    "power_of_attorney",
    "deed",
    "registry_certificate",
    "manager_mandate",
    "id_document",
    "other",
)
CHECK_NAMES = (
    "doc_type",
    "company_cif",
    "company_name",
    "person_nif",
    "person_role",
    "person_name",
    "date",
    "id_valid",
    "readable",
)
ROLES = ("appointed", "grantor", "outgoing", "notary", "registrar", "witness", "other")
#: which date of a document counts, by document type (see ``PrecheckResult.date_basis``)
DATE_BASES = ("execution", "issue", "signature", "expiry")
OUTCOMES = ("pass", "fail", "not_found")
VERDICTS = ("clear", "needs_attention", "unreadable")
REQUEST_TYPES = ("representative_change", "external_manager")
#: line ids of text-layer words kept on a page that was also read by OCR (a scanned page whose text
#: layer holds a few words, e.g. a CSV footer): they start here, above any OCR line id
TEXT_LAYER_LINE_BASE = 1_000_000_000
FIELD_NAMES = (
    "company_cif",
    "person_nif",
    "person_name",
    "date",
    "expiry",
    "issue_date",
    "surnames",
    "given_names",
    "notary",
    "protocol",
    "csv",
)


@dataclass
class Claim:
    """What the customer claims; the pre-check looks for evidence of it."""

    request_type: str = "representative_change"
    company_cif: str | None = None
    company_name: str | None = None
    person_nif: str | None = None
    person_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "request_type": self.request_type,
            "company_cif": self.company_cif,
            "company_name": self.company_name,
            "person_nif": self.person_nif,
            "person_name": self.person_name,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        return cls(
            **{k: d.get(k) for k in ("company_cif", "company_name", "person_nif", "person_name")},
            request_type=d.get("request_type") or "representative_change",
        )


@dataclass
class Word:
    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    conf: float  # 0..100 (100 for text-layer words)
    line: int  # line id, unique within a page

    def to_list(self) -> list:
        return [self.text, self.x0, self.y0, self.x1, self.y1, round(self.conf, 1), self.line]

    @classmethod
    def from_list(cls, v: list) -> Word:
        return cls(str(v[0]), int(v[1]), int(v[2]), int(v[3]), int(v[4]), float(v[5]), int(v[6]))


@dataclass
class PageText:
    """Text of one page, as read from the PDF text layer or by OCR.

    Serialisable with :meth:`to_dict` / :meth:`from_dict` (e.g. as a Celery
    task result).  ``source`` is ``text_layer``, ``ocr`` or ``error``.
    """

    index: int
    width: int = 0
    height: int = 0
    source: str = "error"
    words: list[Word] = field(default_factory=list)
    rotation: int = 0  # clockwise degrees applied to the original to make it upright
    skew: float = 0.0  # degrees of deskew applied
    scale: float = 1.0  # page-image pixels per original pixel (images) or per 1/300 in (PDF)
    mean_conf: float | None = None
    error: str | None = None
    seconds: float = 0.0
    tesseract_runs: int = 0
    #: 3x3 homography (row major) from page-image pixels to pixels of the page as uploaded and
    #: displayed (an image after its EXIF rotation, a PDF page as rendered), or None when unknown
    to_upload: list[float] | None = None
    upload_width: int = 0
    upload_height: int = 0

    @property
    def readable(self) -> bool:
        return self.source != "error" and any(any(c.isalnum() for c in w.text) for w in self.words)

    def lines(self) -> list[list[Word]]:
        """Words grouped by line, in reading order (the order the OCR engine or
        the PDF text layer produced them; boxes are not re-sorted)."""
        by: dict[int, list[Word]] = {}
        for w in self.words:
            by.setdefault(w.line, []).append(w)
        return list(by.values())

    def text(self) -> str:
        return "\n".join(" ".join(w.text for w in ws) for ws in self.lines())

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "width": self.width,
            "height": self.height,
            "source": self.source,
            "rotation": self.rotation,
            "skew": round(self.skew, 2),
            "scale": round(self.scale, 4),
            "mean_conf": None if self.mean_conf is None else round(self.mean_conf, 1),
            "error": self.error,
            "seconds": round(self.seconds, 3),
            "tesseract_runs": self.tesseract_runs,
            "to_upload": None if self.to_upload is None else [round(v, 9) for v in self.to_upload],
            "upload_width": self.upload_width,
            "upload_height": self.upload_height,
            "words": [w.to_list() for w in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageText:
        return cls(
            index=int(d["index"]),
            width=int(d.get("width") or 0),
            height=int(d.get("height") or 0),
            source=d.get("source") or "error",
            words=[Word.from_list(v) for v in d.get("words") or []],
            rotation=int(d.get("rotation") or 0),
            skew=float(d.get("skew") or 0.0),
            scale=float(d.get("scale") or 1.0),
            mean_conf=d.get("mean_conf"),
            error=d.get("error"),
            seconds=float(d.get("seconds") or 0.0),
            tesseract_runs=int(d.get("tesseract_runs") or 0),
            to_upload=[float(v) for v in d["to_upload"]] if d.get("to_upload") else None,
            upload_width=int(d.get("upload_width") or 0),
            upload_height=int(d.get("upload_height") or 0),
        )


@dataclass
class FieldValue:
    value: str
    page: int
    bbox: list[int]
    confidence: float  # 0..1

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "page": self.page,
            "bbox": list(self.bbox),
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Evidence:
    page: int | None
    bbox: list[int] | None
    text: str
    file: str | None = None  # set on combined (multi-file) checks only

    def to_dict(self) -> dict[str, Any]:
        d = {"page": self.page, "bbox": None if self.bbox is None else list(self.bbox), "text": self.text}
        if self.file is not None:
            d["file"] = self.file
        return d


@dataclass
class Check:
    """One check.  ``detail`` is English for logs and the command line; ``code``
    and ``params`` say the same for a user interface to translate (``params``
    holds plain values: dates as ISO strings, roles and doc types as codes)."""

    name: str
    outcome: str
    evidence: Evidence | None = None
    detail: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "outcome": self.outcome,
            "evidence": None if self.evidence is None else self.evidence.to_dict(),
            "detail": self.detail,
            "code": self.code,
            "params": dict(self.params),
        }


@dataclass
class PersonFound:
    """A person the document names, with the role it gives them."""

    name: str  # as printed, cleaned (no trailing punctuation, one line)
    id_number: str | None  # validated NIF/NIE bound to the name, if any
    role: str  # one of ROLES
    page: int
    bbox: list[int] | None
    sentence: str  # the words that give the role (evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "role": self.role,
            "page": self.page,
            "bbox": None if self.bbox is None else list(self.bbox),
            "sentence": self.sentence,
        }


@dataclass
class PrecheckResult:
    """Pre-check of one file.  Never an approval: ``clear`` only means every
    check found matching evidence; a human still decides."""

    file: str
    doc_type: str = "other"
    doc_type_score: float = 0.0
    fields: dict[str, FieldValue | None] = field(default_factory=lambda: dict.fromkeys(FIELD_NAMES))
    checks: list[Check] = field(default_factory=list)
    verdict: str = "unreadable"
    reason: str | None = None
    people: list[PersonFound] = field(default_factory=list)
    #: which date ``fields["date"]`` is (one of DATE_BASES), chosen by document type
    date_basis: str | None = None
    pages: int = 0
    page_images: list[dict[str, Any]] = field(default_factory=list)
    pages_ocred: int = 0
    pages_text_layer: int = 0
    seconds: float = 0.0

    def check(self, name: str) -> Check | None:
        for c in self.checks:
            if c.name == name:
                return c
        return None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "file": self.file,
            "doc_type": self.doc_type,
            "doc_type_score": round(self.doc_type_score, 3),
            "fields": {k: (None if v is None else v.to_dict()) for k, v in self.fields.items()},
            "checks": [c.to_dict() for c in self.checks],
            "verdict": self.verdict,
            "people": [p.to_dict() for p in self.people],
            "date_basis": self.date_basis,
            "pages": self.pages,
            "page_images": self.page_images,
            "pages_ocred": self.pages_ocred,
            "pages_text_layer": self.pages_text_layer,
            "seconds": round(self.seconds, 3),
        }
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass
class BatchResult:
    """Pre-check of several files backing one request, judged together.

    ``checks`` combines the per-file checks (see ``ocr.combine``): a check fails
    when some file fails it, passes when some file proves it, else is not found;
    the company, the role and the date that counts come from the primary
    documents, ``id_valid`` from the identity documents.  Each combined check's
    ``params["proven_by"]`` lists the files (and pages) that prove it.
    """

    results: list[PrecheckResult]
    checks: list[Check] = field(default_factory=list)
    verdict: str = "unreadable"
    seconds: float = 0.0

    def __iter__(self):
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, i: int) -> PrecheckResult:
        return self.results[i]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "checks": [c.to_dict() for c in self.checks],
            "files": [r.to_dict() for r in self.results],
            "seconds": round(self.seconds, 3),
        }
