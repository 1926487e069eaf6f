"""Reads about paperwork requests: what staff see on a task page, what customers see in "Gestions"."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import STATUS

from accounts.models import AuditEvent, Grant
from accounts.selectors import Capabilities, capabilities
from documents import selectors as documents

from . import rules
from .models import ExternalManagerProcess, Milestone, PaperworkRequest, RepresentativeChangeProcess

PROCESS_MODELS = (RepresentativeChangeProcess, ExternalManagerProcess)


def after_decision_url(request, process: PaperworkRequest) -> str:
    return reverse("staff:workflow:index")


def _named(field_name: str, label, claim, store, ocr) -> dict:
    return {"field": field_name, "label": label, "claim": claim or "", "store": store or "", "ocr": ocr or ""}


def comparison(process: PaperworkRequest) -> list[dict]:
    """The claim, the account store's current data and the pre-check's reading, field by field."""
    customer = process.customer
    result = (process.precheck.result or {}) if process.precheck_id else {}
    fields = {}
    for file_result in result.get("files", []):
        for name, value in (file_result.get("fields") or {}).items():
            if value and name not in fields:
                fields[name] = value.get("value")
    representative = Grant.objects.filter(customer=customer, role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True).select_related("person").first()
    if isinstance(process, RepresentativeChangeProcess):
        person_claim, name_claim = process.new_id_number, process.new_name
    else:
        person_claim, name_claim = process.manager_id_number, process.manager_name
    return [
        _named("company_cif", _("Company CIF"), customer.tax_id, customer.tax_id, fields.get("company_cif")),
        _named("company_name", _("Company name"), customer.name, customer.name, None),
        _named("person_nif", _("Person's NIF/NIE"), person_claim, representative.person.id_number if representative else "", fields.get("person_nif")),
        _named("person_name", _("Person's name"), name_claim, representative.person.name if representative else "", fields.get("person_name")),
    ]


def notarial_details(process: PaperworkRequest) -> dict:
    """Notary, protocol number and CSV code when the pre-check found them."""
    found = {}
    result = (process.precheck.result or {}) if process.precheck_id else {}
    for file_result in result.get("files", []):
        for name in ("notary", "protocol", "csv", "date", "expiry"):
            value = (file_result.get("fields") or {}).get(name)
            if value and name not in found:
                found[name] = value
    return found


def verification_context(*, process: PaperworkRequest, task, user) -> dict:
    flow_class = process.flow_class
    node = task.flow_task
    refusal = node.refusal(user, task)
    finished = task.status in (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED)
    taken_by_other = task.owner_id is not None and task.owner_id != user.pk and not finished
    docs = list(documents.documents_of(process.document_set).prefetch_related("pages"))
    result = (process.precheck.result or {}) if process.precheck_id else {}
    by_document = {f.get("document_id"): f for f in result.get("files", [])}
    return {
        "process": process,
        "task": task,
        "flow_class": flow_class,
        "documents": [{"document": d, "pages": list(d.pages.all()), "result": by_document.get(d.pk)} for d in docs],
        "precheck": process.precheck,
        "checks": result.get("checks", []),
        "comparison": comparison(process),
        "notarial": notarial_details(process),
        "refusal": refusal,
        "finished": finished,
        "taken_by_other": taken_by_other,
        "may_decide": refusal is None and not finished and not taken_by_other,
        "timeline": timeline(process),
    }


# -- customers: "Gestions" --------------------------------------------------------------


@dataclass
class RequestSummary:
    process: PaperworkRequest
    milestones: list[Milestone] = field(default_factory=list)
    may_act: bool = False

    @property
    def status(self) -> Milestone | None:
        return self.milestones[-1] if self.milestones else None


def requests_visible_to(person) -> list[RequestSummary]:
    """Every request on the customers the person may see, newest first. A fixed number of queries."""
    grants = list(Grant.objects.filter(person=person, revoked_at__isnull=True).only("customer_id", "role"))
    customer_ids = [g.customer_id for g in grants]
    acting = {g.customer_id for g in grants if Capabilities(grant=g).can_request_changes}
    rows: list[PaperworkRequest] = []
    for model in PROCESS_MODELS:
        rows += list(model.objects.filter(customer_id__in=customer_ids).select_related("customer", "precheck"))
    milestones: dict[str, list[Milestone]] = {}
    for m in Milestone.objects.filter(customer_id__in=customer_ids, reference__in=[r.reference for r in rows]):
        milestones.setdefault(m.reference, []).append(m)
    rows.sort(key=lambda r: r.created, reverse=True)
    return [RequestSummary(process=r, milestones=milestones.get(r.reference, []), may_act=r.customer_id in acting) for r in rows]


def request_for(person, reference: str) -> tuple[PaperworkRequest | None, bool]:
    """The request with this reference if the person may see it, and whether they may act on it."""
    for model in PROCESS_MODELS:
        process = model.objects.filter(reference=reference.upper()).select_related("customer", "precheck", "document_set").first()
        if process is not None:
            caps = capabilities(person, process.customer_id)
            if not caps.can_view:
                return None, False
            return process, caps.can_request_changes
    return None, False


def timeline(process: PaperworkRequest) -> list[Milestone]:
    return list(Milestone.objects.filter(reference=process.reference))


def direct_changes(person, *, limit: int = 50) -> list[AuditEvent]:
    """Changes made at once in the customer area (contacts added, roles changed, deactivations) on the person's customers."""
    customer_ids = Grant.objects.filter(person=person, revoked_at__isnull=True).values("customer_id")
    return list(AuditEvent.objects.filter(customer_id__in=customer_ids, request_ref="", action__startswith="grant.")
                .filter(~Q(reason="demo data")).select_related("customer").order_by("-at")[:limit])


def staff_may_decide(user, process: PaperworkRequest) -> bool:
    return rules.verify_refusal(user, process) is None
