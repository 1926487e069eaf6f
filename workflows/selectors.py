"""Reads about paperwork requests: what staff see on a task page, what customers see in "Gestions"."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import STATUS

import authority
from accounts import notifications
from accounts.identifiers import mask_email
from accounts.models import AuditEvent, Firm, Grant, Person
from documents import selectors as documents

from .evidence import DOC_TYPE_LABELS, describe, local_date
from .models import (
    PROCESS_MODELS,
    Decision,
    Milestone,
    PaperworkRequest,
    RepresentativeChangeProcess,
    model_for_reference,
)


def after_decision_url(request, process: PaperworkRequest) -> str:
    """Back to the work queue, where the next task waits."""
    return reverse("staff:workflow:worklist")


def _named(field_name: str, label, claim, store, ocr) -> dict:
    return {"field": field_name, "label": label, "claim": claim or "", "store": store or "", "ocr": ocr or ""}


def named_person_warnings(process: PaperworkRequest) -> list[str]:
    """What staff must know about the person the request names before handing them a role: a login that someone
    else set up, roles on other customers, an address on record that is not the one the request gives."""
    person = Person.objects.select_related("user").filter(id_number=process.named_person_id_number).first()
    if person is None:
        return []
    address = process.new_email if isinstance(process, RepresentativeChangeProcess) else process.manager_email
    others = (
        Grant.objects.filter(person=person, revoked_at__isnull=True)
        .exclude(customer_id=process.customer_id)
        .values_list("customer__name", flat=True)
    )
    warnings = []
    names = list(others[:3])
    if names:
        warnings.append(
            _("This person already holds roles on other customers: %(customers)s.") % {"customers": ", ".join(names)}
        )
    if person.user_id and person.user.has_usable_password():
        if person.identity_basis == Person.IdentityBasis.INVITATION:
            warnings.append(
                _("This person's login was set up from another customer's invitation: nobody has proved who holds it.")
            )
        if person.email.strip().lower() != address.strip().lower():
            warnings.append(
                _(
                    "Their login's confirmed e-mail is %(email)s, not the one this request gives: the person will be "
                    "told of the new role there."
                )
                % {"email": mask_email(person.email)}
            )
    return [str(w) for w in warnings]


def comparison(process: PaperworkRequest) -> list[dict]:
    """The claim, the account store's current data and the pre-check's reading, field by field."""
    customer = process.customer
    result = (process.precheck.result or {}) if process.precheck_id else {}
    fields = {}
    for file_result in result.get("files", []):
        for name, value in (file_result.get("fields") or {}).items():
            if value and name not in fields:
                fields[name] = value.get("value")
    if isinstance(process, RepresentativeChangeProcess):
        # The store's side is who holds the role today: the outgoing representative.
        person_claim, name_claim = process.new_id_number, process.new_name
        grant = (
            Grant.objects.filter(customer=customer, role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True)
            .select_related("person")
            .first()
        )
        known = grant.person if grant else None
    else:
        # The store's side is the manager as the store knows them already, if at all.
        person_claim, name_claim = process.manager_id_number, process.manager_name
        known = Person.objects.filter(id_number=process.manager_id_number).first()
    return [
        _named("company_cif", _("Company CIF"), customer.tax_id, customer.tax_id, fields.get("company_cif")),
        _named("company_name", _("Company name"), customer.name, customer.name, None),
        _named(
            "person_nif",
            _("Person's NIF/NIE"),
            person_claim,
            known.id_number if known else "",
            fields.get("person_nif"),
        ),
        _named("person_name", _("Person's name"), name_claim, known.name if known else "", fields.get("person_name")),
    ]


def notarial_details(process: PaperworkRequest) -> dict:
    """Notary, protocol number and CSV code when the pre-check found them."""
    found = {}
    result = (process.precheck.result or {}) if process.precheck_id else {}
    for file_result in result.get("files", []):
        for name in NOTARIAL_LABELS:
            value = (file_result.get("fields") or {}).get(name)
            if value and name not in found:
                found[name] = value
    return found


CHECK_LABELS = {
    "doc_type": _("Kind of document"),
    "company_cif": _("Company CIF"),
    "company_name": _("Company name"),
    "person_nif": _("Person's NIF/NIE"),
    "person_role": _("Person's role on the document"),
    "person_name": _("Person's name"),
    "date": _("Date that counts"),
    "id_valid": _("Identity document in force"),
    "readable": _("Readable"),
}
OUTCOME_LABELS = {"pass": _("Pass"), "fail": _("Fail"), "not_found": _("Not found")}
VERDICT_LABELS = {"clear": _("Clear"), "needs_attention": _("Needs attention"), "unreadable": _("Unreadable")}
NOTARIAL_LABELS = {
    "notary": _("Notary"),
    "protocol": _("Protocol number"),
    "csv": _("CSV code"),
    "date": _("Date of the document"),
    "issue_date": _("Date of issue"),
    "expiry": _("Valid until"),
}
DATE_FIELDS = ("date", "issue_date", "expiry")
FINISHED = (STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED)


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _bbox(value) -> list[int] | None:
    if isinstance(value, (list, tuple)) and len(value) == 4:
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            return None
    return None


def _box_id(document_id, page, kind: str, name: str) -> str:
    return f"evidence-{document_id}-{page}-{kind}-{name}"


def _page_boxes(file_result: dict, document_id: int) -> dict[int, list[dict]]:
    """The evidence of one file's checks (and where it found the notarial data), by page.

    Each box has its ``place`` on the page as displayed (``ocr.geometry.place``: shares of the page, and an
    angle; None when unknown: a photographed page read before the pre-check recorded its transform) and
    ``place_attr`` for the template (``left,top,width,height,angle``, or empty)."""
    from ocr.geometry import place

    images = {image.get("page"): image for image in file_result.get("page_images") or []}
    boxes: dict[int, list[dict]] = {}
    for check in file_result.get("checks") or []:
        evidence = check.get("evidence") or {}
        bbox, page = _bbox(evidence.get("bbox")), evidence.get("page")
        if bbox is None or page is None:
            continue
        boxes.setdefault(page, []).append(
            {
                "id": _box_id(document_id, page, "check", check.get("name", "")),
                "kind": "check",
                "name": check.get("name", ""),
                "label": CHECK_LABELS.get(check.get("name"), check.get("name", "")),
                "outcome": check.get("outcome", ""),
                "outcome_label": OUTCOME_LABELS.get(check.get("outcome"), check.get("outcome", "")),
                "bbox": bbox,
                "text": evidence.get("text") or "",
            }
        )
    for name in NOTARIAL_LABELS:
        found = (file_result.get("fields") or {}).get(name) or {}
        bbox, page = _bbox(found.get("bbox")), found.get("page")
        if bbox is None or page is None or name == "date":
            continue  # the date is already a check
        boxes.setdefault(page, []).append(
            {
                "id": _box_id(document_id, page, "field", name),
                "kind": "field",
                "name": name,
                "label": NOTARIAL_LABELS[name],
                "outcome": "",
                "outcome_label": "",
                "bbox": bbox,
                "text": found.get("value") or "",
            }
        )
    for page, page_boxes in boxes.items():
        image = images.get(page) or {}
        for box in page_boxes:
            box["place"] = place(box["bbox"], image)
            box["place_attr"] = (
                ",".join(f"{box['place'][k]:.6f}" for k in ("left", "top", "width", "height", "angle"))
                if box["place"]
                else ""
            )
    return boxes


def _viewer_document(document, file_result: dict | None, readable: bool) -> dict:
    """One document for the viewer: its page previews, each with the pre-check's page geometry and evidence boxes."""
    file_result = file_result or {}
    images = {image.get("page"): image for image in file_result.get("page_images") or []}
    boxes = _page_boxes(file_result, document.pk) if readable else {}
    pages = []
    for page in document.pages.all():
        image = images.get(page.index) or {}
        pages.append(
            {
                "index": page.index,
                "number": page.index + 1,
                "width": page.width,
                "height": page.height,
                "url": reverse("documents:page", args=[document.pk, page.index]) if readable else "",
                "ocr": {
                    "width": image.get("width") or 0,
                    "height": image.get("height") or 0,
                    "rotation": image.get("rotation") or 0,
                    "skew": image.get("skew") or 0,
                    "scale": image.get("scale") if image.get("scale") is not None else 1,
                    "source": image.get("source") or "",
                },
                "boxes": boxes.get(page.index, []),
            }
        )
    return {
        "document": document,
        "pages": pages,
        "readable": readable,
        "file_url": reverse("documents:file", args=[document.pk]) if readable and document.has_file else "",
        "doc_type": DOC_TYPE_LABELS.get(file_result.get("doc_type"), "") if file_result else "",
        "verdict": file_result.get("verdict", ""),
        "verdict_label": VERDICT_LABELS.get(file_result.get("verdict"), ""),
        "reason": file_result.get("reason", ""),
    }


def _evidence_target(check: dict, files: list[dict]) -> tuple[int | None, str]:
    """The document and box a combined check's evidence points at (files are named by their original name)."""
    evidence = check.get("evidence") or {}
    bbox, page = _bbox(evidence.get("bbox")), evidence.get("page")
    candidates = [f for f in files if f.get("file") == evidence.get("file") and f.get("document_id") is not None]
    for file_result in candidates:  # two uploads may share a name: take the one whose own check has this evidence
        for own in file_result.get("checks") or []:
            own_evidence = own.get("evidence") or {}
            if (
                own.get("name") == check.get("name")
                and own_evidence.get("page") == page
                and _bbox(own_evidence.get("bbox")) == bbox
            ):
                return file_result["document_id"], _box_id(
                    file_result["document_id"], page, "check", check.get("name", "")
                ) if bbox else ""
    if candidates:
        document_id = candidates[0]["document_id"]
        return document_id, ""
    return None, ""


def _check_rows(result: dict, readable: bool) -> list[dict]:
    files = result.get("files") or []
    rows = []
    for check in result.get("checks") or []:
        evidence = check.get("evidence") or {}
        document_id, box = _evidence_target(check, files) if readable else (None, "")
        proven_by = (
            [
                {
                    "file": proof.get("file") or "",
                    "page_number": proof["page"] + 1 if isinstance(proof.get("page"), int) else None,
                }
                for proof in (check.get("params") or {}).get("proven_by") or []
            ]
            if readable
            else []
        )
        rows.append(
            {
                "name": check.get("name", ""),
                "label": CHECK_LABELS.get(check.get("name"), check.get("name", "")),
                "outcome": check.get("outcome", ""),
                "outcome_label": OUTCOME_LABELS.get(check.get("outcome"), check.get("outcome", "")),
                "text": (evidence.get("text") or "") if readable else "",
                "detail": describe(check) if readable else "",
                "proven_by": proven_by,
                "file": evidence.get("file") or "",
                "page": evidence.get("page"),
                "page_number": evidence["page"] + 1 if isinstance(evidence.get("page"), int) else None,
                "document_id": document_id,
                "box": box,
            }
        )
    return rows


def _notarial_rows(result: dict, readable: bool) -> list[dict]:
    if not readable:
        return []
    rows, seen = [], set()
    for file_result in result.get("files") or []:
        document_id = file_result.get("document_id")
        for name, label in NOTARIAL_LABELS.items():
            found = (file_result.get("fields") or {}).get(name)
            if not found or name in seen:
                continue
            seen.add(name)
            page, bbox = found.get("page"), _bbox(found.get("bbox"))
            kind = "check" if name == "date" else "field"
            value = found.get("value") or ""
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "value": local_date(value) if name in DATE_FIELDS else value,
                    "document_id": document_id,
                    "page": page,
                    "page_number": page + 1 if isinstance(page, int) else None,
                    "box": _box_id(document_id, page, kind, name) if bbox and document_id else "",
                }
            )
    order = list(NOTARIAL_LABELS)
    return sorted(rows, key=lambda row: order.index(row["name"]))


def _precheck_state(precheck) -> dict | None:
    if precheck is None:
        return None
    done, total = precheck.progress
    return {
        "status": precheck.status,
        "status_label": precheck.get_status_display(),
        "pages_done": done,
        "pages_total": total,
        "percent": int(100 * done / total) if total else 0,
        "running": precheck.status in ("queued", "running"),
        "failed": precheck.status == "failed",
        "error": precheck.error,
        "verdict": precheck.verdict,
        "verdict_label": VERDICT_LABELS.get(precheck.verdict, precheck.verdict),
        "finished_at": precheck.finished_at,
    }


def _firm_kind_label(process) -> str:
    kind = getattr(process, "firm_kind", "")
    return Firm.Kind(kind).label if kind in Firm.Kind.values else kind


def request_of_document_set(document_set) -> PaperworkRequest | None:
    """The paperwork request a document set backs (None for a set of no request)."""
    model = model_for_reference(document_set.reference or "")
    return model.objects.filter(document_set_id=document_set.pk).first() if model else None


def may_read_document(user, document) -> bool:
    """The documents' access policy (``documents.views``): who may read is ``authority``'s rule, for the request the document backs."""
    return authority.may_read_request_documents(user, request_of_document_set(document.document_set))


def _may_read_documents(user, docs) -> bool:
    from documents.views import may_read

    return bool(docs) and all(may_read(user, d) for d in docs)


def verification_context(*, process: PaperworkRequest, task, user) -> dict:
    flow_class = process.flow_class
    node = task.flow_task
    refusal = node.refusal(user, task)
    finished = task.status in FINISHED
    taken_by_other = task.owner_id is not None and task.owner_id != user.pk and not finished
    docs = list(documents.documents_of(process.document_set).prefetch_related("pages"))
    result = (process.precheck.result or {}) if process.precheck_id else {}
    by_document = {f.get("document_id"): f for f in result.get("files", [])}
    readable = _may_read_documents(user, docs)
    viewer = [_viewer_document(d, by_document.get(d.pk), readable) for d in docs]
    drawn = {box["id"] for entry in viewer for page in entry["pages"] for box in page["boxes"]}
    checks_by_name = {row["name"]: row for row in _check_rows(result, readable)}
    notarial_rows = _notarial_rows(result, readable)
    for row in [*checks_by_name.values(), *notarial_rows]:
        if row["box"] not in drawn:
            row["box"] = ""  # e.g. no preview of that page: nothing to jump to
    rows = comparison(process)
    for row in rows:
        row["check"] = checks_by_name.get(row["field"])
        if not readable:
            row["ocr"] = ""
    execute_url = task.reverse("execute")
    # services.decide assigns a free task to whoever decides: only someone holding the task's permission (verifiers,
    # or supervisors once the verification was escalated) may take it.
    may_take = task.owner_id == user.pk or (task.owner_id is None and node.can_assign(user, task))
    return {
        "process": process,
        "task": task,
        "flow_class": flow_class,
        "documents": [{"document": d, "pages": list(d.pages.all()), "result": by_document.get(d.pk)} for d in docs],
        "precheck": process.precheck,
        "checks": result.get("checks", []),
        "comparison": rows,
        "named_person_warnings": named_person_warnings(process),
        "notarial": notarial_details(process) if readable else {},
        "refusal": refusal,
        "finished": finished,
        "taken_by_other": taken_by_other,
        "may_decide": refusal is None and not finished and not taken_by_other and may_take,
        "may_take": may_take,
        "timeline": timeline(process),
        "emails": notifications.emails_of_request(process.reference),
        # What the workspace page draws (workflows/templates/workflows/task_base.html).
        "kind_label": process._meta.verbose_name,
        "firm_kind_label": _firm_kind_label(process),
        "viewer": viewer,
        "may_read_documents": readable,
        "check_rows": list(checks_by_name.values()),
        "notarial_rows": notarial_rows,
        "precheck_state": _precheck_state(process.precheck),
        "taken_by": _who(task.owner) if taken_by_other else "",
        "decided_by": _who(task.owner) if finished and task.status == STATUS.DONE else "",
        "first_decision": {
            "by": _who(process.decided_by),
            "at": process.decided_at,
            "decision": process.decision,
            "decision_label": Decision(process.decision).label
            if process.decision in Decision.values
            else process.decision,
            "reason": process.get_reject_reason_display() if process.reject_reason else "",
            "customer_message": process.customer_message,
            "internal_note": process.internal_note,
        }
        if process.decided_by_id
        else None,
        "execute_url": execute_url,
        "process_url": flow_class.instance.reverse("process_detail", args=[process.pk]),
        "task_detail_url": task.reverse("detail"),
        "assign_url": f"{task.reverse('assign')}?{urlencode({'back': execute_url})}"
        if task.status == STATUS.NEW and refusal is None and may_take
        else "",
        # The representative's objection (services.object_to_request): a supervisor decides, with four eyes.
        "on_hold": process.on_hold,
        "objected_at": process.objected_at,
        "objected_by": process.objected_by.name if process.objected_by_id else "",
        "objection_channel_label": process.get_objection_channel_display(),
        "objection_note": process.objection_note,
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


def party_filter(model, person) -> Q:
    """The requests of ``model`` the person is a party to: asked for it, was the representative when it started,
    or is the person it names."""
    return Q(requested_by=person) | Q(representative_at_start=person) | Q(**{model.named_id_field: person.id_number})


def requests_rule(model, person, authorities: dict[int, authority.Authority]) -> Q:
    """The requests of ``model`` the person may see (``Authority.may_view_request``), as a filter: every request on
    a customer where they may see them all, and elsewhere those they are a party to."""
    every = [cid for cid, a in authorities.items() if a.may(authority.Action.VIEW_REQUESTS)]
    own = [cid for cid, a in authorities.items() if a.active and cid not in every]
    return Q(customer_id__in=every) | (Q(customer_id__in=own) & party_filter(model, person))


def requests_visible_to(person, authorities: dict[int, authority.Authority] | None = None) -> list[RequestSummary]:
    """Every request the person may see (``authority``), newest first. A fixed number of queries.

    Whole-customer roles see every request on the customer; someone limited to some supply points
    sees only the requests they are party to.
    """
    authorities = authority.authorities_of(person) if authorities is None else authorities
    rows: list[PaperworkRequest] = []
    for model in PROCESS_MODELS:
        rows += [
            r
            for r in model.objects.filter(requests_rule(model, person, authorities)).select_related(
                "customer", "precheck"
            )
            if authorities[r.customer_id].may_view_request(r)
        ]
    milestones: dict[str, list[Milestone]] = {}
    for m in Milestone.objects.filter(customer_id__in=list(authorities), reference__in=[r.reference for r in rows]):
        milestones.setdefault(m.reference, []).append(m)
    rows.sort(key=lambda r: r.created, reverse=True)
    return [
        RequestSummary(
            process=r,
            milestones=milestones.get(r.reference, []),
            may_act=authorities[r.customer_id].may_act_on_request(r),
        )
        for r in rows
    ]


def request_for(person, reference: str) -> tuple[PaperworkRequest | None, authority.Authority | None]:
    """The request with this reference and what the person may do on its customer, if they may see it at all."""
    model = model_for_reference(reference)
    process = (
        model.objects.filter(reference=reference.upper()).select_related("customer", "precheck", "document_set").first()
        if model
        else None
    )
    if process is None:
        return None, None
    found = authority.authority_of(person, process.customer_id)
    if not found.may_view_request(process):
        return None, None
    return process, found


def timeline(process: PaperworkRequest) -> list[Milestone]:
    return list(Milestone.objects.filter(reference=process.reference))


def direct_changes(person, *, limit: int = 50) -> list[AuditEvent]:
    """Changes made at once in the customer area (contacts added, roles changed, deactivations) on the person's customers."""
    customer_ids = Grant.objects.filter(person=person, revoked_at__isnull=True).values("customer_id")
    return list(
        AuditEvent.objects.filter(customer_id__in=customer_ids, request_ref="", action__startswith="grant.")
        .filter(~Q(reason="demo data"))
        .select_related("customer")
        .order_by("-at")[:limit]
    )
