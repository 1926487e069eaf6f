"""OCR pre-check of documents backing a change of representative / external
manager request.  Plain Python (no Django).  It points at evidence and NEVER
approves.

Public API::

    from ocr import Claim, precheck, precheck_file
    res = precheck_file("poder.pdf", Claim("representative_change", company_cif="B12345674",
                        company_name="Energías del Ebre S.L.", person_nif="12345678Z",
                        person_name="María Núñez López"))
    res.verdict, res.to_dict()

Page level (one Celery task per page, then join)::

    n = count_pages(data)                     # raises UnreadableError(reason)
    pages = [read_page(data, i) for i in range(n)]   # PageText, .to_dict()/.from_dict()
    res = assess(pages, claim, file="poder.pdf", total_pages=n)
"""

from .document import UnreadableError, count_pages, read_page
from .identifiers import compact as normalise_identifier
from .identifiers import find_identifiers, kind_of
from .precheck import ACCEPTED_DOC_TYPES, assess, combine, is_satisfied, precheck, precheck_file, read_document
from .results import (
    CHECK_NAMES,
    DOC_TYPES,
    OUTCOMES,
    REQUEST_TYPES,
    VERDICTS,
    BatchResult,
    Check,
    Claim,
    Evidence,
    FieldValue,
    PageText,
    PrecheckResult,
    Word,
)

__all__ = [
    "ACCEPTED_DOC_TYPES",
    "BatchResult",
    "CHECK_NAMES",
    "Check",
    "Claim",
    "DOC_TYPES",
    "Evidence",
    "FieldValue",
    "OUTCOMES",
    "PageText",
    "PrecheckResult",
    "REQUEST_TYPES",
    "UnreadableError",
    "VERDICTS",
    "Word",
    "assess",
    "combine",
    "count_pages",
    "find_identifiers",
    "is_satisfied",
    "kind_of",
    "normalise_identifier",
    "precheck",
    "precheck_file",
    "read_document",
    "read_page",
]
