"""Reads for the call-center console: one-box search, the customer card, who the caller is and what they may hear,
a request's status explained."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _
from stdnum.es import cif as es_cif
from viewflow.workflow.status import STATUS

import authority
from accounts import selectors as accounts_selectors
from accounts.identifiers import InvalidIdentifier, compact, mask_id_number, parse_cups, parse_personal_id
from accounts.models import Contract, Customer, Grant, Invoice, SupplyPoint
from accounts.name_search import name_matches, name_similarity, normalised_name
from workflows.models import PROCESS_MODELS, UploadLink, model_for_reference
from workflows.selectors import timeline

from .models import Interaction

MAX_RESULTS = 20
CUPS_STEM = 20  # "ES" + 16 digits + 2 check letters; 2 more characters may follow
PHONE = re.compile(r"^(?:\+?34|0034)?([6789]\d{8})$")
INVOICE = re.compile(r"^[A-Z]{1,6}\d{4,16}$")  # e.g. TF00000100, F0000000010, FDEMO000100
NIF_SHAPE = re.compile(r"^[XYZ0-9]\d{7}[A-Z]$")
CIF_SHAPE = re.compile(r"^[A-HJNP-SUVW]\d{7}[0-9A-J]$")


class SearchError(ValueError):
    """The query is not any key the console knows; ``message`` says so in the agent's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class CustomerCard:
    customer: Customer
    supply_points: list[SupplyPoint] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    open_requests: list = field(default_factory=list)


def classify(query: str) -> tuple[str, str]:
    """(kind, normalised value) of a search key: reference, email, phone, cups, person, cif, invoice (an invoice or
    contract number) or name (of a person or a company: anything else with three letters or more)."""
    raw = (query or "").strip()
    if not raw:
        raise SearchError(_("Type a NIF/NIE, CIF, CUPS, phone, e-mail, invoice number or request reference."))
    value = compact(raw)
    reference = re.sub(r"\s+", "", raw.upper())  # "rc - abc 234" as dictated; compact() would drop the hyphen too
    if model_for_reference(reference) is not None:
        return "reference", reference
    if "@" in raw:
        try:
            validate_email(raw)
        except ValidationError:
            raise SearchError(_("“%(query)s” is not a valid e-mail address.") % {"query": raw}) from None
        return "email", raw.lower()
    phone = PHONE.match(value.replace("+", "") if value.startswith("+") else value)
    if phone:
        return "phone", phone.group(1)
    if value.startswith("ES") and len(value) >= 20:
        try:
            return "cups", parse_cups(value)
        except InvalidIdentifier:
            raise SearchError(
                _("“%(query)s” looks like a CUPS but its check letters are wrong.") % {"query": raw}
            ) from None
    try:
        return "person", parse_personal_id(value).value
    except InvalidIdentifier:
        pass
    if es_cif.is_valid(value):
        return "cif", value
    if NIF_SHAPE.match(value):
        raise SearchError(_("“%(query)s” looks like a NIF or NIE but its check letter is wrong.") % {"query": raw})
    # Before the invoice numbers: a company's CIF with a wrong check digit (B1234567 + digit) also reads as one.
    if CIF_SHAPE.match(value):
        raise SearchError(_("“%(query)s” looks like a CIF but its check digit is wrong.") % {"query": raw})
    if INVOICE.match(value):
        return "invoice", value
    name = normalised_name(raw)
    if name:
        return "name", name
    raise SearchError(
        _(
            "“%(query)s” is not a NIF/NIE, CIF, CUPS, phone, e-mail, invoice or contract number, request reference, "
            "or a name of three letters or more."
        )
        % {"query": raw}
    )


def _customer_ids(kind: str, value: str) -> list[int]:
    """The customers a key leads to: one query whatever the kind."""
    if kind == "reference":
        rows = model_for_reference(value).objects.filter(reference=value).values_list("customer_id", flat=True)
    elif kind == "cups":
        # The first 20 characters name the supply point; the 2-character suffix (the boundary point) is optional,
        # on the phone and in the store. A range, not LIKE: the unique index on ``cups`` answers it in any collation.
        stem = value[:CUPS_STEM]
        rows = SupplyPoint.objects.filter(cups__gte=stem, cups__lte=stem + "ZZ").values_list(
            "contract__customer_id", flat=True
        )
    elif kind == "invoice":  # the same shape serves invoice and contract numbers
        invoices, contracts = _by_number(value)
        rows = invoices.union(contracts)
    elif kind == "name":
        return _customer_ids_by_name(value)
    elif kind == "cif":
        rows = Customer.objects.filter(tax_id=value).values_list("pk", flat=True)
    else:
        people = {
            "person": Q(person__id_number=value),
            "email": Q(person__email__iexact=value),
            "phone": Q(person__phone=value),
        }[kind]
        rows = Grant.objects.filter(people, revoked_at__isnull=True).values_list("customer_id", flat=True)
        if kind == "person":
            # A UNION, not "tax_id = X OR pk IN (...)": PostgreSQL answers each half from its index
            # (0.4 ms) where the OR scans every customer (17 ms with 100,000).
            # A contract number such as T00000061 also reads as a passport number: both are asked.
            rows = Customer.objects.filter(tax_id=value).values_list("pk", flat=True).union(rows, *_by_number(value))
    return list(rows[:MAX_RESULTS])


def _by_number(value: str) -> tuple:
    """The customers holding the invoice, and the contract, numbered ``value``: two parts of a UNION, each answered
    by its unique index."""
    return (
        Invoice.objects.filter(number=value).values_list("contract__customer_id", flat=True),
        Contract.objects.filter(number=value).values_list("customer_id", flat=True),
    )


def _customer_ids_by_name(name: str) -> list[int]:
    """Customers whose name, or the name of someone holding an active grant on them, resembles ``name``, the most
    alike first. One query (a UNION: each half answered by its trigram index)."""
    by_company = (
        Customer.objects.filter(name_matches("name", name))
        .annotate(similarity=name_similarity("name", name))
        .values_list("pk", "similarity")
    )
    by_person = (
        Grant.objects.filter(name_matches("person__name", name), revoked_at__isnull=True)
        .annotate(similarity=name_similarity("person__name", name))
        .values_list("customer_id", "similarity")
    )
    ids: list[int] = []
    for pk, _similarity in by_company.union(by_person).order_by("-similarity", "pk")[: MAX_RESULTS * 3]:
        if pk not in ids:
            ids.append(pk)
        if len(ids) == MAX_RESULTS:
            break
    return ids


def search(query: str) -> tuple[str, list[CustomerCard]]:
    """(kind, cards) for a one-box query. A fixed number of queries, whatever the data or the kind of key."""
    kind, value = classify(query)
    ids = _customer_ids(kind, value)
    return kind, cards(ids)


def cards(customer_ids: list[int]) -> list[CustomerCard]:
    if not customer_ids:
        return []
    customers = list(
        Customer.objects.filter(pk__in=customer_ids)
        .order_by("name")
        .prefetch_related(
            Prefetch(
                "contracts",
                queryset=Contract.objects.order_by("number").prefetch_related(
                    Prefetch("supply_points", queryset=SupplyPoint.objects.order_by("cups"))
                ),
            ),
            Prefetch(
                "grants",
                queryset=Grant.objects.filter(revoked_at__isnull=True)
                .select_related("person", "firm")
                .order_by("role", "person__name"),
            ),
        )
    )
    open_requests: dict[int, list] = {}
    for model in PROCESS_MODELS:
        for process in model.objects.filter(customer_id__in=customer_ids, is_open=True).order_by("-created"):
            open_requests.setdefault(process.customer_id, []).append(process)
    return [
        CustomerCard(
            customer=c,
            supply_points=[sp for contract in c.contracts.all() for sp in contract.supply_points.all()],
            grants=list(c.grants.all()),
            open_requests=open_requests.get(c.pk, []),
        )
        for c in customers
    ]


def requests_of(customer: Customer) -> list:
    rows = []
    for model in PROCESS_MODELS:
        rows += list(model.objects.filter(customer=customer).select_related("precheck", "decided_by", "started_by"))
    return sorted(rows, key=lambda r: r.created, reverse=True)


@dataclass
class Pending:
    """What a request waits for, and on whom, for the agent to explain."""

    what: str
    who: str
    since: object = None


def pending(process) -> list[Pending]:
    """The unfinished human / waiting steps of a request, in plain words, with who holds them."""
    flow_class = process.flow_class
    out = []
    tasks = process.task_set.exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]).select_related("owner")
    for task in tasks:
        node = task.flow_task
        if node is flow_class.documents:
            out.append(Pending(_("Waiting for the customer's documents"), _("the customer"), task.created))
        elif node is flow_class.precheck:
            if task.status == STATUS.ERROR:
                out.append(
                    Pending(
                        _("The automatic checks failed; a supervisor must retry them"), _("supervisors"), task.created
                    )
                )
            else:
                out.append(Pending(_("Automatic checks running"), _("the system"), task.created))
        elif node is flow_class.verify:
            who = (
                str(task.owner)
                if task.owner_id
                else (_("supervisors' queue") if process.escalated_at else _("verification queue"))
            )
            out.append(Pending(_("Verification by staff"), who, task.created))
        elif node is flow_class.second_approval:
            out.append(
                Pending(
                    _("Second approval by a supervisor"),
                    str(task.owner) if task.owner_id else _("supervisors' queue"),
                    task.created,
                )
            )
    return out


def links_of(process) -> list[UploadLink]:
    return list(UploadLink.objects.filter(reference=process.reference).order_by("-created_at"))


def status_explained(process) -> dict:
    return {"process": process, "timeline": timeline(process), "pending": pending(process), "links": links_of(process)}


def interactions(*, customer: Customer | None = None, agent=None, limit: int = 100):
    rows = Interaction.objects.select_related("agent", "customer")
    if customer is not None:
        rows = rows.filter(customer=customer)
    if agent is not None:
        rows = rows.filter(agent=agent)
    return list(rows[:limit])


# -- who is calling ----------------------------------------------------------------------


def known_people(customer: Customer) -> list[Grant]:
    """The people the agent picks the caller from: every active grant on the customer, with its person. One query."""
    return list(accounts_selectors.contacts_of(customer.pk))


@dataclass(frozen=True)
class Caller:
    """Who is on the phone and what the agent may tell them or do for them.

    A known caller's own grant chain decides, through ``authority``. An unknown caller holds no grant, so
    ``authority`` grants them nothing; the one thing they may ask for is to become the representative
    themselves, with documents (``services.start_representative_change`` holds them to it).
    """

    interaction: Interaction
    authority: authority.Authority

    @property
    def known(self) -> bool:
        return self.interaction.is_verified and self.interaction.caller_kind == Interaction.CallerKind.KNOWN

    @property
    def unknown(self) -> bool:
        return self.interaction.is_verified and self.interaction.caller_kind == Interaction.CallerKind.UNKNOWN

    def may_start(self, kind: str) -> bool:
        if self.unknown:
            return authority.unknown_caller_may_start(kind)
        return self.authority.may_start(kind)

    def may_object_to(self, process) -> bool:
        """The representative when the request started, on the phone, while it is open and not yet on hold."""
        return self.known and process.may_be_objected_by(self.interaction.caller_person_id)


def caller_of(interaction: Interaction) -> Caller:
    """The caller of a call; a caller who did not pass verification is neither known nor unknown, and holds nothing.
    Whether the verification still holds (its age, the call still open) is ``services.require_verified``'s to say."""
    known = interaction.is_verified and interaction.caller_kind == Interaction.CallerKind.KNOWN
    return Caller(
        interaction=interaction,
        authority=authority.authority_of(interaction.caller_person if known else None, interaction.customer_id),
    )


@dataclass
class Contact:
    """A person on the customer as the agent may tell the caller about them."""

    grant: Grant
    told: bool  # the whole id number, the e-mail and the phone may be told
    id_number: str  # whole when told, masked otherwise


def _contact(grant: Grant, caller: Caller | None) -> Contact:
    told = caller is not None and caller.authority.sees_identity_of(grant)
    return Contact(
        grant=grant, told=told, id_number=grant.person.id_number if told else mask_id_number(grant.person.id_number)
    )


def contacts_told(grants: list[Grant], caller: Caller | None) -> list[Contact]:
    """The people on the customer as the agent may tell ``caller`` about them (None: a caller not verified)."""
    return [_contact(grant, caller) for grant in grants]
