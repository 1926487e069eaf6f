"""Plain dataclasses exchanged by the OCR pre-check (no Django, JSON friendly).

Vocabulary (stable, relied upon by the back office):

* ``doc_type``: power_of_attorney, deed, registry_certificate, manager_mandate,
  id_document, other
* check ``name``: doc_type, company_cif, company_name, person_nif, person_name,
  date, readable
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
CHECK_NAMES = ("doc_type", "company_cif", "company_name", "person_nif", "person_name", "date", "readable")
OUTCOMES = ("pass", "fail", "not_found")
VERDICTS = ("clear", "needs_attention", "unreadable")
REQUEST_TYPES = ("representative_change", "external_manager")
FIELD_NAMES = ("company_cif", "person_nif", "person_name", "date", "expiry", "notary", "protocol", "csv")


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
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        return cls(**{k: d.get(k) for k in ("company_cif", "company_name", "person_nif", "person_name")},
                   request_type=d.get("request_type") or "representative_change")


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
    def from_list(cls, v: list) -> "Word":
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
            "words": [w.to_list() for w in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PageText":
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
        )


@dataclass
class FieldValue:
    value: str
    page: int
    bbox: list[int]
    confidence: float  # 0..1

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "page": self.page, "bbox": list(self.bbox),
                "confidence": round(self.confidence, 3)}


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
    name: str
    outcome: str
    evidence: Evidence | None = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "outcome": self.outcome,
                "evidence": None if self.evidence is None else self.evidence.to_dict(),
                "detail": self.detail}


@dataclass
class PrecheckResult:
    """Pre-check of one file.  Never an approval: ``clear`` only means every
    check found matching evidence; a human still decides."""

    file: str
    doc_type: str = "other"
    doc_type_score: float = 0.0
    fields: dict[str, FieldValue | None] = field(default_factory=lambda: {k: None for k in FIELD_NAMES})
    checks: list[Check] = field(default_factory=list)
    verdict: str = "unreadable"
    reason: str | None = None
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
    """Pre-check of several files backing one request.

    ``checks`` combines the per-file checks: doc_type, identifiers and names
    pass when some file passes them (fail when some file fails and none
    passes, else not_found); ``date`` and ``readable`` must hold in every file
    (an expired ID next to a valid deed fails the date check).
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
