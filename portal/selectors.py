"""Reads for the firm's workspace: the companies table, one company's supply points, "needs my action", the
Gestions table and the collaborator batches. Who sees what is ``authority``'s answer (``authorities_of``, passed
in so a page asks once); each read costs a fixed number of queries, whatever the number of companies or rows.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.identifiers import compact
from accounts.models import CollaboratorBatch, Customer, Grant, Invitation, Invoice, Person, SupplyPoint
from accounts.selectors import ROLE_ORDER
from authority import Authority
from billing.selectors import InArray, InvoiceFilters, invoices_visible_to
from documents.models import Document
from workflows.flows import FLOW_OF_MODEL
from workflows.models import PROCESS_MODELS, Milestone
from workflows.selectors import FINISHED, party_filter, requests_rule

#: How many CUPS of a company the companies table shows; the rest are on the company's page.
PREVIEW_POINTS = 3
#: The shortest search text looked up among the CUPS (a shorter one would match nearly every supply point).
CUPS_SEARCH_MIN = 4
#: How many items of one kind "needs my action" lists; the counts are always whole.
ACTION_LIST_LIMIT = 50


def fold(text: str) -> str:
    """Text as the searches compare it: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _role_rank(grant: Grant) -> tuple[int, int]:
    rank = ROLE_ORDER.index(grant.role) if grant.role in ROLE_ORDER else len(ROLE_ORDER)
    return (rank, 1 if grant.is_collaborator else 0)


def points_rule(authorities) -> Q | None:
    """The supply points within reach of ``authorities`` (an iterable of ``Authority``), as a filter; None for none."""
    whole, scoped, points = [], [], set()
    for found in authorities:
        if not found.can_view:
            continue
        if found.whole_customer:
            whole.append(found.customer_id)
        elif found.scope:
            scoped.append(found.customer_id)
            points |= found.scope
    if not whole and not points:
        return None
    rule = Q(InArray(F("contract__customer_id"), whole))
    if points:
        rule |= Q(InArray(F("contract__customer_id"), scoped), InArray(F("pk"), sorted(points)))
    return rule


# -- the companies table ---------------------------------------------------------------------------


@dataclass
class CompanyRow:
    authority: Authority
    supply_points: int = 0
    pending_requests: int = 0
    #: The first CUPS within reach (``PREVIEW_POINTS``), filled for the rows of one page by ``add_previews``.
    preview: list[SupplyPoint] = field(default_factory=list)

    @property
    def customer(self) -> Customer:
        return self.authority.grant.customer

    @property
    def grant(self) -> Grant:
        return self.authority.grant

    @property
    def more_points(self) -> int:
        return max(self.supply_points - len(self.preview), 0)


#: Sort keys of the companies table and what each sorts by.
COMPANY_SORTS = {
    "name": lambda row: (fold(row.customer.name), row.customer.pk),
    "tax_id": lambda row: (row.customer.tax_id, row.customer.pk),
    "role": lambda row: (_role_rank(row.grant), fold(row.customer.name), row.customer.pk),
    "supply_points": lambda row: (row.supply_points, fold(row.customer.name), row.customer.pk),
    "pending": lambda row: (row.pending_requests, fold(row.customer.name), row.customer.pk),
}


def _cups_matches(authorities: dict[int, Authority], text: str) -> set[int]:
    """The companies holding a supply point within reach whose CUPS contains ``text``. One query."""
    cups = compact(text).upper()
    rule = points_rule(authorities.values())
    if len(cups) < CUPS_SEARCH_MIN or rule is None:
        return set()
    rows = SupplyPoint.objects.filter(rule, cups__contains=cups).values_list("contract__customer_id", "pk")
    return {cid for cid, pk in rows if authorities[cid].sees_supply_point(pk)}


def companies(
    person: Person, authorities: dict[int, Authority], *, search: str = "", sort: str = "name"
) -> list[CompanyRow]:
    """Every company the person may act for, with the number of supply points within their reach and of open
    requests they may see, narrowed by ``search`` (name, CIF or CUPS) and sorted by ``sort`` (a key of
    ``COMPANY_SORTS``, "-" first for descending). Three queries (four with a search), whatever their number."""
    visible = {cid: a for cid, a in authorities.items() if a.can_view}
    rows = {cid: CompanyRow(authority=a) for cid, a in visible.items()}
    rule = points_rule(visible.values())
    if rule is not None:
        counted = (
            SupplyPoint.objects.filter(rule)
            .values("contract__customer_id")
            .annotate(n=Count("pk"))
            .values_list("contract__customer_id", "n")
        )
        for cid, n in counted:
            rows[cid].supply_points = n
    for model in PROCESS_MODELS:
        pending = (
            model.objects.filter(requests_rule(model, person, visible), is_open=True)
            .values("customer_id")
            .annotate(n=Count("pk"))
            .values_list("customer_id", "n")
        )
        for cid, n in pending:
            rows[cid].pending_requests += n
    result = list(rows.values())
    text = fold(search)
    if text:
        plain = compact(text).casefold()
        by_cups = _cups_matches(visible, search)
        result = [
            row
            for row in result
            if text in fold(row.customer.name) or plain in row.customer.tax_id.casefold() or row.customer.pk in by_cups
        ]
    key = COMPANY_SORTS.get(sort.lstrip("-"), COMPANY_SORTS["name"])
    result.sort(key=key, reverse=sort.startswith("-"))
    return result


def add_previews(rows: list[CompanyRow]) -> None:
    """Fill each row's first CUPS within reach (the rows of one page). One query."""
    rule = points_rule([row.authority for row in rows])
    if rule is None:
        return
    first = (
        SupplyPoint.objects.filter(rule)
        .select_related("contract")
        .annotate(
            place=Window(RowNumber(), partition_by=[F("contract__customer_id")], order_by=[F("cups").asc()]),
        )
        .filter(place__lte=PREVIEW_POINTS)
        .order_by("contract__customer_id", "cups")
    )
    by_customer: dict[int, list[SupplyPoint]] = {}
    for point in first:
        by_customer.setdefault(point.contract.customer_id, []).append(point)
    for row in rows:
        row.preview = by_customer.get(row.customer.pk, [])


def supply_points_of(found: Authority) -> QuerySet[SupplyPoint]:
    """One company's supply points within the authority's reach, by CUPS, with their contract (for paging)."""
    rule = points_rule([found])
    if rule is None:
        return SupplyPoint.objects.none()
    return SupplyPoint.objects.filter(rule).select_related("contract").order_by("cups", "pk")


# -- Gestions: one table of requests across companies ---------------------------------------------

#: The order the status column sorts by: how far a request has gone.
STATUS_ORDER = [kind for kind, _label in Milestone.Kind.choices]
_STATUS_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(STATUS_ORDER)),
    default=Value(-1),
    output_field=IntegerField(),
)
REQUEST_KINDS = {model.kind: model for model in PROCESS_MODELS}
REQUEST_SORTS = {
    "reference": "reference",
    "company": "customer_name",
    "type": "kind",
    "status": "status_rank",
    "started": "created",
    "updated": "updated",
}
DEFAULT_REQUEST_SORT = "-updated"


@dataclass(frozen=True)
class RequestFilters:
    customer_id: int | None = None
    status: str = ""  # a Milestone.Kind: the request's latest milestone
    kind: str = ""  # a key of REQUEST_KINDS
    sort: str = DEFAULT_REQUEST_SORT


def requests_table(person: Person, authorities: dict[int, Authority], filters: RequestFilters) -> QuerySet:
    """The requests the person may see across their companies, one row each, filtered and sorted in the database:
    a dict of pk, reference, customer_id, customer_name, kind, milestone (the kind of the latest one: the status),
    status_rank, created and updated. Counting it is one query, a page of it another."""
    latest = Milestone.objects.filter(reference=OuterRef("reference")).order_by("-at", "-id")
    sides = []
    for model in PROCESS_MODELS:
        if filters.kind and model.kind != filters.kind:
            continue
        rows = model.objects.filter(requests_rule(model, person, authorities))
        if filters.customer_id is not None:
            rows = rows.filter(customer_id=filters.customer_id)
        rows = rows.annotate(
            kind=Value(model.kind),
            customer_name=F("customer__name"),
            milestone=Subquery(latest.values("kind")[:1]),
            updated=Coalesce(Subquery(latest.values("at")[:1]), F("created")),
            # Ranked inside the subquery: a CASE over the annotation would repeat the subquery once per WHEN.
            status_rank=Coalesce(Subquery(latest.annotate(rank=_STATUS_RANK).values("rank")[:1]), Value(-1)),
        )
        if filters.status:
            rows = rows.filter(milestone=filters.status)
        sides.append(
            rows.order_by().values(
                "pk",
                "reference",
                "customer_id",
                "customer_name",
                "kind",
                "milestone",
                "status_rank",
                "created",
                "updated",
            )
        )
    if not sides:
        return PROCESS_MODELS[0].objects.none().values("pk")
    table = sides[0].union(*sides[1:], all=True) if len(sides) > 1 else sides[0]
    sort = filters.sort if filters.sort.lstrip("-") in REQUEST_SORTS else DEFAULT_REQUEST_SORT
    column, descending = REQUEST_SORTS[sort.lstrip("-")], sort.startswith("-")
    return table.order_by(f"-{column}" if descending else column, "-pk" if descending else "pk")


def companies_with_requests(person: Person, authorities: dict[int, Authority]) -> list[Customer]:
    """The companies where the person sees at least one request, by name (the Gestions company filter). Two
    queries."""
    ids = set()
    for model in PROCESS_MODELS:
        visible = model.objects.filter(requests_rule(model, person, authorities)).order_by()
        ids |= set(visible.values_list("customer_id", flat=True).distinct())
    return sorted((authorities[cid].grant.customer for cid in ids), key=lambda c: (fold(c.name), c.pk))


# -- needs my action ------------------------------------------------------------------------------


@dataclass
class RequestTodo:
    process: object
    #: "upload": nothing uploaded yet; "submit": uploaded, not sent; "more_documents": staff asked for more.
    what: str
    uploaded: int = 0

    @property
    def kind_label(self) -> str:
        return str(self.process._meta.verbose_name)


@dataclass
class NeedsAction:
    documents: list[RequestTodo] = field(default_factory=list)  # documents to upload
    waiting: list[RequestTodo] = field(default_factory=list)  # uploaded but not sent, or more documents asked
    invitations: list[Invitation] = field(default_factory=list)
    invitations_count: int = 0
    returned_invoices: list[Invoice] = field(default_factory=list)
    returned_count: int = 0

    @property
    def total(self) -> int:
        return len(self.documents) + len(self.waiting) + self.invitations_count + self.returned_count


def _documents_nodes() -> list:
    """The "documents" step of each flow: a request with that task unfinished waits for the customer's upload."""
    return [FLOW_OF_MODEL[model].documents for model in PROCESS_MODELS]


def _requests_waiting_on(person: Person, authorities: dict[int, Authority]) -> list[RequestTodo]:
    """Open requests waiting for documents where the person may act (a party, not read-only). Four queries."""

    candidates = []
    active = [cid for cid, a in authorities.items() if a.active]
    for model in PROCESS_MODELS:
        rows = model.objects.filter(party_filter(model, person), is_open=True, customer_id__in=active)
        candidates += [r for r in rows.select_related("customer") if authorities[r.customer_id].may_act_on_request(r)]
    if not candidates:
        return []
    waiting = set(
        Task.objects.filter(process_id__in=[r.pk for r in candidates], flow_task__in=_documents_nodes())
        .exclude(status__in=FINISHED)
        .values_list("process_id", flat=True)
    )
    candidates = [r for r in candidates if r.pk in waiting]
    uploaded = dict(
        Document.objects.filter(document_set_id__in=[r.document_set_id for r in candidates], removed_at__isnull=True)
        .values("document_set_id")
        .annotate(n=Count("pk"))
        .values_list("document_set_id", "n")
    )
    todos = []
    for process in sorted(candidates, key=lambda r: r.created):
        count = uploaded.get(process.document_set_id, 0)
        what = "more_documents" if process.documents_rounds else ("submit" if count else "upload")
        todos.append(RequestTodo(process=process, what=what, uploaded=count))
    return todos


def _pending_invitations(person: Person, authorities: dict[int, Authority]) -> QuerySet[Invitation]:
    """Invitations not used yet and still valid, for contacts the person manages: everyone on a customer where they
    manage contacts, their own collaborators where they manage collaborators."""
    contacts = [cid for cid, a in authorities.items() if a.can_manage_contacts]
    own_grants = [a.grant.pk for a in authorities.values() if a.can_manage_collaborators]
    if not contacts and not own_grants:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            Q(grant__customer_id__in=contacts) | Q(grant__delegated_from_id__in=own_grants),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            grant__revoked_at__isnull=True,
        )
        .exclude(grant__person=person)
        .select_related("grant__person", "grant__customer", "grant__delegated_from")
        .order_by("expires_at", "pk")
    )


def needs_action(person: Person, authorities: dict[int, Authority]) -> NeedsAction:
    """What waits for the person across their companies, each item with where it is done. At most eight queries,
    whatever the number of companies and items."""
    result = NeedsAction()
    for todo in _requests_waiting_on(person, authorities):
        (result.documents if todo.what == "upload" else result.waiting).append(todo)
    invitations = _pending_invitations(person, authorities)
    result.invitations = list(invitations[:ACTION_LIST_LIMIT])
    result.invitations_count = invitations.count()
    returned = invoices_visible_to(
        person, filters=InvoiceFilters(status=Invoice.Status.RETURNED, sort="-issued_on"), authorities=authorities
    )
    result.returned_invoices = list(returned[:ACTION_LIST_LIMIT])
    result.returned_count = returned.count()
    return result


# -- collaborator batches -------------------------------------------------------------------------


def collaborators_of(manager: Person, authorities: dict[int, Authority]) -> list[Person]:
    """The people the manager has made collaborators (active, on any company they manage), by name. One query."""
    own = [a.grant.pk for a in authorities.values() if a.can_manage_collaborators]
    if not own:
        return []
    return list(
        Person.objects.filter(grants__delegated_from_id__in=own, grants__revoked_at__isnull=True)
        .distinct()
        .order_by("name", "pk")
    )


def batches_of(manager: Person, *, limit: int = 10) -> list[CollaboratorBatch]:
    """The manager's latest batches, newest first, with their collaborator and how many companies each changed."""
    return list(
        CollaboratorBatch.objects.filter(manager=manager)
        .select_related("collaborator")
        .annotate(changed=Count("items", filter=Q(items__outcome__in=["added", "removed"])))
        .order_by("-created_at", "-pk")[:limit]
    )


def batch_of(manager: Person, reference: str) -> CollaboratorBatch | None:
    """One of the manager's batches (None for another manager's, or none)."""
    return CollaboratorBatch.objects.filter(manager=manager, reference=reference).select_related("collaborator").first()


def batch_items(batch: CollaboratorBatch) -> QuerySet:
    return batch.items.select_related("customer").order_by("customer__name", "customer_id")
