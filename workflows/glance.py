"""The customer at a glance, for staff: earlier requests with their decisions and notes, current and past grants,
the calls about this customer, and the documents of earlier rounds -- beside the verification task and the call.

One read, a fixed number of queries whatever the customer's history (``customer_glance``). What each reader sees
follows ``authority``: document links only to staff who may read a request's documents (agents never read their
contents: they see names and counts), internal notes only to staff who verify.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

import authority
from accounts.models import Customer, Grant
from documents.models import Document

from .models import PROCESS_MODELS, Decision, Milestone, PaperworkRequest

MAX_CALLS = 20

#: Where the calls about a customer come from: the call center registers its log here when it loads
#: (``callcenter.apps``), so that requests, below the call center, never import it. None: no call log installed.
_calls_of: Callable[[Customer, int], list] | None = None


def register_call_log(calls_of: Callable[[Customer, int], list]) -> None:
    """``calls_of(customer, limit)``: that customer's calls, newest first, each with its agent loaded."""
    global _calls_of
    _calls_of = calls_of


@dataclass
class GlanceDocument:
    document: Document
    url: str  # the page of the existing document view (it checks the permission again); empty: no link for this reader
    round: int  # 1 for the first upload round, 2 after the first "ask for more documents"...


@dataclass
class GlanceRequest:
    process: PaperworkRequest
    kind_label: str
    decision_label: str
    reason_label: str
    customer_message: str
    internal_note: str  # empty for readers who may not see it
    more_documents_asked: list[Milestone] = field(default_factory=list)  # each ask, with its message, oldest first
    documents: list[GlanceDocument] = field(default_factory=list)


@dataclass
class CustomerGlance:
    customer: Customer
    requests: list[GlanceRequest]  # earlier (or other) requests, newest first
    grants: list[Grant]  # active first, then revoked, each newest first
    calls: list  # callcenter Interactions: this customer's calls only, newest first, at most MAX_CALLS
    earlier_documents: list[GlanceDocument]  # the current request's documents of earlier rounds
    new_document_ids: frozenset[int]  # the current request's documents uploaded since the last ask for more
    round_started_at: datetime | None  # when the last "ask for more documents" of the current request was made

    @property
    def active_grants(self) -> list[Grant]:
        return [g for g in self.grants if g.revoked_at is None]

    @property
    def past_grants(self) -> list[Grant]:
        return [g for g in self.grants if g.revoked_at is not None]


def _round_of(uploaded_at: datetime, asks: list[datetime]) -> int:
    return 1 + sum(1 for at in asks if at <= uploaded_at)


def customer_glance(*, customer: Customer, user, current: PaperworkRequest | None = None) -> CustomerGlance:
    """What staff see of ``customer``'s history. Six queries, whatever the number of requests, documents or calls."""
    processes: list[PaperworkRequest] = []
    for model in PROCESS_MODELS:  # one query per process model
        processes += list(model.objects.filter(customer=customer).select_related("decided_by"))
    processes.sort(key=lambda p: p.created, reverse=True)
    asks: dict[str, list[Milestone]] = {}
    for milestone in Milestone.objects.filter(customer=customer, kind=Milestone.Kind.MORE_DOCUMENTS).order_by(
        "at", "id"
    ):
        asks.setdefault(milestone.reference, []).append(milestone)
    documents: dict[int, list[Document]] = {}
    for document in Document.objects.filter(
        document_set_id__in=[p.document_set_id for p in processes], removed_at__isnull=True
    ).order_by("uploaded_at", "id"):
        documents.setdefault(document.document_set_id, []).append(document)
    grants = list(
        Grant.objects.filter(customer=customer).select_related("person", "firm").order_by("-granted_at", "-id")
    )
    grants.sort(key=lambda g: g.revoked_at is not None)  # active first; stable, so each part stays newest first
    calls = _calls_of(customer, MAX_CALLS) if _calls_of is not None else []

    sees_notes = authority.staff_may(user, authority.StaffAction.VERIFY)

    def listed(process: PaperworkRequest) -> list[GlanceDocument]:
        readable = authority.may_read_request_documents(user, process)
        times = [m.at for m in asks.get(process.reference, [])]
        return [
            GlanceDocument(
                document=d,
                url=reverse("documents:page", args=[d.pk, 0]) if readable and d.has_file and d.page_count else "",
                round=_round_of(d.uploaded_at, times),
            )
            for d in documents.get(process.document_set_id, [])
        ]

    rows = []
    for process in processes:
        if current is not None and process.pk == current.pk and type(process) is type(current):
            continue
        rows.append(
            GlanceRequest(
                process=process,
                kind_label=process._meta.verbose_name,
                decision_label=Decision(process.decision).label if process.decision in Decision.values else "",
                reason_label=process.get_reject_reason_display() if process.reject_reason else "",
                customer_message=process.customer_message,
                internal_note=process.internal_note if sees_notes else "",
                more_documents_asked=asks.get(process.reference, []),
                documents=listed(process),
            )
        )
    earlier, new_ids, round_started_at = [], frozenset(), None
    if current is not None:
        current_asks = asks.get(current.reference, [])
        round_started_at = current_asks[-1].at if current_asks else None
        own = listed(current)
        if round_started_at is not None:
            earlier = [d for d in own if d.document.uploaded_at < round_started_at]
            new_ids = frozenset(d.document.pk for d in own if d.document.uploaded_at >= round_started_at)
    return CustomerGlance(
        customer=customer,
        requests=rows,
        grants=grants,
        calls=calls,
        earlier_documents=earlier,
        new_document_ids=new_ids,
        round_started_at=round_started_at,
    )
