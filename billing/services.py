"""Every change to contracts and invoices: the billing system's imports, invoice PDFs and the payment day.

``import_billing`` reads the files of ``billing.formats`` in batches. Each batch is one transaction: its rows are
checked first (on their own, then against the store: known contract, CUPS of that contract...), a bad row is
rejected with its file, line, code and message and the good rows of the batch still land; nothing is ever
half-written. Rows are matched by their natural key (contract number, CUPS, invoice number): a row equal to what
is stored writes nothing, so running an import twice changes nothing the second time. Each batch that changed
something writes one audit event with its counts and the keys it created or updated.

Invoice PDFs live on the private documents storage (local folder or S3, ``documents.storage``) under
``invoices/<year>/<month>/<number>-<sha256 prefix>.pdf``: the name says which content it holds, so an unchanged
invoice never writes its PDF again and a changed one gets a new object (the old one is deleted after the commit).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DataError, IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.audit import Actor
from accounts.models import Contract, Customer, Grant, Invoice, SupplyPoint
from accounts.notifications import send_after_commit
from accounts.services import GrantError
from authority import Action, authority_of, person_of
from documents.storage import documents_storage

from . import formats
from .formats import CONTRACT, INVOICE, ContractRecord, InvoiceRecord, RowError, SourceRow
from .pdf import render_invoice

logger = logging.getLogger(__name__)

#: Rejected rows kept in a report (all are counted): a broken export of a million rows stays readable.
MAX_REJECTIONS_KEPT = 10_000
_INVOICE_FIELDS = ("period_start", "period_end", "issued_on", "due_on", "total", "status", "lines", "vat")
_UNSAFE_IN_KEY = re.compile(r"[^A-Za-z0-9._-]")
#: Sent in a batch's transaction with the invoices it created (``invoices``: saved rows, their contract and
#: customer loaded), for whoever must follow the commit.
invoices_issued = Signal()


# -- the report ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.code} {self.message}"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected += other.rejected


@dataclass
class ImportReport:
    """What an import did: rows created, updated, unchanged and rejected, per kind, and why each was rejected
    (the first ``MAX_REJECTIONS_KEPT``; ``rejected`` counts them all)."""

    contracts: Counts = field(default_factory=Counts)
    invoices: Counts = field(default_factory=Counts)
    #: Rows whose kind could not be told (a malformed line, an unknown file).
    unreadable: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0

    @property
    def created(self) -> int:
        return self.contracts.created + self.invoices.created

    @property
    def updated(self) -> int:
        return self.contracts.updated + self.invoices.updated

    @property
    def unchanged(self) -> int:
        return self.contracts.unchanged + self.invoices.unchanged

    @property
    def rejected(self) -> int:
        return self.contracts.rejected + self.invoices.rejected + self.unreadable

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def reject(self, kind: str, file: str, line: int, error: RowError) -> None:
        if kind == CONTRACT:
            self.contracts.rejected += 1
        elif kind == INVOICE:
            self.invoices.rejected += 1
        else:
            self.unreadable += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append(Rejection(file=file, line=line, code=error.code, message=error.message))


@dataclass(frozen=True)
class ImportBatch:
    """What a batch's audit event is about: ``pk`` names the run and the batch."""

    pk: str


# -- importing -------------------------------------------------------------------------------------------------------


def import_billing(
    *, paths: Iterable[str | Path], actor: Actor, batch_size: int = 500, pdfs: bool = True
) -> ImportReport:
    """Import the billing system's files (``paths``: files, or folders whose import files are read).

    Contract files are read before invoice files (CSV by their header; JSON lines, which may hold both, in
    between), so that an invoice finds its contract. ``pdfs``: generate the PDF of an invoice whose row brings
    none (False leaves it to ``ensure_invoice_pdf``, e.g. for a first load of millions of rows).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = time.perf_counter()
    report = ImportReport()
    run = uuid.uuid4().hex[:12]
    for path in _import_files(paths, report):
        report.files.append(str(path))
        rows = formats.read_file(path)
        while batch := list(islice(rows, batch_size)):
            report.batches += 1
            _import_batch(batch, actor=actor, report=report, batch_id=f"{run}-{report.batches}", pdfs=pdfs)
    report.seconds = time.perf_counter() - started
    return report


def _import_files(paths: Iterable[str | Path], report: ImportReport) -> Iterator[Path]:
    """The files to read, contracts first; a path that does not exist is reported as a rejected row."""
    found: list[tuple[int, Path]] = []
    order = {CONTRACT: 0, "jsonl": 1, INVOICE: 2, "": 3}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in (*formats.JSON_SUFFIXES, formats.CSV_SUFFIX)
            ]
        elif path.is_file():
            candidates = [path]
        else:
            report.reject("", str(path), 0, RowError("file_not_found", "no such file or folder"))
            continue
        found += [(order[formats.file_kind(p)], p) for p in candidates]
    yield from (path for _rank, path in sorted(found, key=lambda item: item[0]))


@dataclass
class _Outcome:
    """What one attempt at a batch did (thrown away when the attempt is rolled back)."""

    contracts: Counts = field(default_factory=Counts)
    invoices: Counts = field(default_factory=Counts)
    rejections: list[tuple[str, str, int, RowError]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    pdf_names: set[str] = field(default_factory=set)  # the PDFs the batch's invoices name
    replaced: list[str] = field(default_factory=list)  # PDFs no invoice names any more, once committed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def reject(self, record: ContractRecord | InvoiceRecord, error: RowError) -> None:
        """Counted by the report (``ImportReport.reject``), once the attempt is kept."""
        kind = CONTRACT if isinstance(record, ContractRecord) else INVOICE
        self.rejections.append((kind, record.file, record.line, error))

    def merge(self, other: _Outcome) -> None:
        self.contracts.add(other.contracts)
        self.invoices.add(other.invoices)
        self.rejections += other.rejections
        self.created += other.created
        self.updated += other.updated
        self.pdf_names |= other.pdf_names
        self.replaced += other.replaced


def _import_batch(rows: list[SourceRow], *, actor: Actor, report: ImportReport, batch_id: str, pdfs: bool) -> None:
    records: list[ContractRecord | InvoiceRecord] = []
    unreadable: list[tuple[str, str, int, RowError]] = []
    for row in rows:
        try:
            if row.error is not None:
                raise row.error
            records.append(formats.parse_contract(row) if row.kind == CONTRACT else formats.parse_invoice(row))
        except RowError as error:
            unreadable.append((row.kind, row.file, row.line, error))
    if not records:
        _report_rejections(report, unreadable)
        return
    written: list[str] = []  # PDFs this batch stored: deleted again if no committed row names them
    outcome = _Outcome()
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    outcome = _apply(records, pdfs=pdfs, written=written)
            except (IntegrityError, DataError):
                # Something the checks did not foresee (or another import writing the same rows): row by row,
                # each in its own savepoint, so that only the row at fault is rejected.
                logger.warning("billing import batch %s: a row broke a constraint, retrying row by row", batch_id)
                outcome = _Outcome()
                for record in sorted(records, key=lambda r: isinstance(r, InvoiceRecord)):  # contracts first
                    try:
                        with transaction.atomic():
                            outcome.merge(_apply([record], pdfs=pdfs, written=written))
                    except (IntegrityError, DataError) as exc:
                        outcome.reject(record, RowError("conflict", f"refused by the database: {exc}".strip()[:300]))
            if outcome.changed:
                audit.record(
                    actor=actor,
                    action="billing.import_batch",
                    target=ImportBatch(pk=batch_id),
                    before=None,
                    after={
                        "file": rows[0].file,
                        "lines": [rows[0].line, rows[-1].line],
                        "contracts": _counts(outcome.contracts),
                        "invoices": _counts(outcome.invoices),
                        "created": outcome.created,
                        "updated": outcome.updated,
                    },
                    reason="billing system import",
                )
            stale = outcome.replaced
            transaction.on_commit(lambda: _delete_objects(stale))
    except BaseException:
        _delete_objects(written)
        raise
    _delete_objects([name for name in written if name not in outcome.pdf_names])
    report.contracts.add(outcome.contracts)
    report.invoices.add(outcome.invoices)
    _report_rejections(report, unreadable + outcome.rejections)


def _report_rejections(report: ImportReport, rejections: list[tuple[str, str, int, RowError]]) -> None:
    for kind, file, line, error in sorted(rejections, key=lambda item: (item[1], item[2])):
        report.reject(kind, file, line, error)


def _counts(counts: Counts) -> dict:
    return {"created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}


def _apply(records: list[ContractRecord | InvoiceRecord], *, pdfs: bool, written: list[str]) -> _Outcome:
    """Write ``records`` (contracts first) against the store as it is now. Four queries to read, whatever the
    number of rows; then one write per changed contract row, and two for all the invoices together."""
    outcome = _Outcome()
    contracts = [r for r in records if isinstance(r, ContractRecord)]
    invoices = [r for r in records if isinstance(r, InvoiceRecord)]
    customers = {c.tax_id: c for c in Customer.objects.filter(tax_id__in={r.customer_tax_id for r in contracts})}
    numbers = {r.number for r in contracts} | {r.contract_number for r in invoices}
    stored_contracts = {
        c.number: c
        for c in Contract.objects.select_for_update(of=("self",)).select_related("customer").filter(number__in=numbers)
    }
    cups = {p.cups for r in contracts for p in r.supply_points} | {r.cups for r in invoices if r.cups}
    points = {p.cups: p for p in SupplyPoint.objects.filter(cups__in=cups)}
    for record in contracts:
        try:
            _apply_contract(record, customers, stored_contracts, points, outcome)
        except RowError as error:
            outcome.reject(record, error)
    if invoices:
        _apply_invoices(invoices, stored_contracts, points, outcome, pdfs=pdfs, written=written)
    return outcome


def _changed_fields(row, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(row, name) != value]


def _apply_contract(
    record: ContractRecord,
    customers: dict[str, Customer],
    contracts: dict[str, Contract],
    points: dict[str, SupplyPoint],
    outcome: _Outcome,
) -> None:
    customer = customers.get(record.customer_tax_id)
    contract = contracts.get(record.number)
    if contract is not None and (customer is None or contract.customer_id != customer.pk):
        raise RowError(
            "contract_other_customer",
            f"contract {record.number} belongs to {contract.customer.tax_id}, not {record.customer_tax_id}",
        )
    for point in record.supply_points:
        stored = points.get(point.cups)
        if stored is not None and (contract is None or stored.contract_id != contract.pk):
            raise RowError("cups_other_contract", f"CUPS {point.cups} belongs to another contract")
    # Checked: from here on the row is written whole.
    changed = False
    if customer is None:
        customer = Customer.objects.create(
            tax_id=record.customer_tax_id, name=record.customer_name, kind=record.customer_kind
        )
        customers[customer.tax_id] = customer
        changed = True
    else:
        values = {"name": record.customer_name} | ({"kind": record.customer_kind} if record.customer_kind_given else {})
        if fields := _changed_fields(customer, values):
            for name in fields:
                setattr(customer, name, values[name])
            customer.save(update_fields=fields)
            changed = True
    values = record.contract_fields()
    created = contract is None
    if created:
        contract = Contract.objects.create(customer=customer, number=record.number, **values)
        contracts[contract.number] = contract
    elif fields := _changed_fields(contract, values):
        for name in fields:
            setattr(contract, name, values[name])
        contract.save(update_fields=fields)
        changed = True
    contract.customer = customer
    for point in record.supply_points:
        values = {"address": point.address, "city": point.city, "postcode": point.postcode}
        stored = points.get(point.cups)
        if stored is None:
            points[point.cups] = SupplyPoint.objects.create(contract=contract, cups=point.cups, **values)
            changed = True
        elif fields := _changed_fields(stored, values):
            for name in fields:
                setattr(stored, name, values[name])
            stored.save(update_fields=fields)
            changed = True
    if created:
        outcome.contracts.created += 1
        outcome.created.append(f"contract:{record.number}")
    elif changed:
        outcome.contracts.updated += 1
        outcome.updated.append(f"contract:{record.number}")
    else:
        outcome.contracts.unchanged += 1


def _apply_invoices(
    records: list[InvoiceRecord],
    contracts: dict[str, Contract],
    points: dict[str, SupplyPoint],
    outcome: _Outcome,
    *,
    pdfs: bool,
    written: list[str],
) -> None:
    stored = {i.number: i for i in Invoice.objects.select_for_update().filter(number__in={r.number for r in records})}
    new: dict[str, Invoice] = {}
    changed: dict[str, Invoice] = {}
    for record in records:
        contract = contracts.get(record.contract_number)
        if contract is None:
            outcome.reject(record, RowError("unknown_contract", f"no contract {record.contract_number}"))
            continue
        point = points.get(record.cups) if record.cups else None
        if record.cups and (point is None or point.contract_id != contract.pk):
            outcome.reject(
                record,
                RowError("cups_not_in_contract", f"CUPS {record.cups} is not a supply point of {contract.number}"),
            )
            continue
        invoice = new.get(record.number) or stored.get(record.number)
        if invoice is not None and invoice.contract_id != contract.pk:
            outcome.reject(
                record, RowError("invoice_other_contract", f"invoice {record.number} is of another contract")
            )
            continue
        values = record.invoice_fields() | {"supply_point_id": point.pk if point else None}
        first = record.number not in new
        if invoice is None:
            invoice = Invoice(number=record.number, **values)
            fields = ["*"]
        else:
            fields = _changed_fields(invoice, values)
            for name in fields:
                setattr(invoice, name, values[name])
        # The instances read above, with the customer: the PDF reads them without a query per invoice.
        invoice.contract, invoice.supply_point = contract, point
        old_pdf = invoice.pdf_name
        pdf_name = _invoice_pdf(invoice, record, data_changed=bool(fields), generate=pdfs, written=written)
        if pdf_name != old_pdf:
            invoice.pdf_name = pdf_name
            fields = fields or ["pdf_name"]
            if old_pdf:
                outcome.replaced.append(old_pdf)
        if invoice.pdf_name:
            outcome.pdf_names.add(invoice.pdf_name)
        if invoice.pk is None and first:
            outcome.invoices.created += 1
            outcome.created.append(f"invoice:{record.number}")
            new[record.number] = invoice
        elif invoice.pk is None:
            # The same invoice twice in one batch: the second row changes the first before it is written.
            counts = outcome.invoices
            counts.updated, counts.unchanged = counts.updated + bool(fields), counts.unchanged + (not fields)
        elif fields:
            changed[record.number] = invoice
            outcome.invoices.updated += 1
            outcome.updated.append(f"invoice:{record.number}")
        else:
            outcome.invoices.unchanged += 1
    if created := Invoice.objects.bulk_create(new.values()):
        invoices_issued.send(sender=Invoice, invoices=created)
    if changed:
        Invoice.objects.bulk_update(changed.values(), [*_INVOICE_FIELDS, "supply_point", "pdf_name"])


def _invoice_pdf(
    invoice: Invoice, record: InvoiceRecord, *, data_changed: bool, generate: bool, written: list[str]
) -> str:
    """The name of the PDF ``invoice`` should name after this row: the row's own PDF; else a PDF generated from
    the invoice when it is new or changed (or has none); else the one it has."""
    if record.pdf is not None:
        name = pdf_key(invoice, record.pdf.sha256)
        if name != invoice.pdf_name:
            with record.pdf.path.open("rb") as handle:
                name = _store(name, File(handle), written)
        return name
    if not generate or (invoice.pdf_name and not data_changed):
        return invoice.pdf_name
    content = render_invoice(invoice)
    return _store(pdf_key(invoice, hashlib.sha256(content).hexdigest()), ContentFile(content), written)


def pdf_key(invoice: Invoice, sha256: str) -> str:
    """Where the PDF of ``invoice`` with this content lives on the documents storage."""
    number = _UNSAFE_IN_KEY.sub("_", invoice.number)
    return f"invoices/{invoice.issued_on:%Y/%m}/{number}-{sha256[:16]}.pdf"


def _store(name: str, content, written: list[str]) -> str:
    storage = documents_storage()
    if storage.exists(name):  # the same content: the name carries its hash
        return name
    saved = storage.save(name, content)
    written.append(saved)
    return saved


def _delete_objects(names: Iterable[str]) -> None:
    storage = documents_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # noqa: BLE001 -- a leftover PDF is harmless; the import must not fail for it
            logger.warning("could not delete the stored invoice PDF %s", name, exc_info=True)


def ensure_invoice_pdf(*, invoice: Invoice) -> str:
    """The name of the invoice's PDF on the documents storage, generated and stored first if it has none (an
    import run with ``pdfs=False``). Not audited: it adds no information, only its printed form."""
    if invoice.pdf_name:
        return invoice.pdf_name
    invoice = Invoice.objects.select_related("contract__customer", "supply_point").get(pk=invoice.pk)
    if invoice.pdf_name:
        return invoice.pdf_name
    written: list[str] = []
    content = render_invoice(invoice)
    name = _store(pdf_key(invoice, hashlib.sha256(content).hexdigest()), ContentFile(content), written)
    if not Invoice.objects.filter(pk=invoice.pk, pdf_name="").update(pdf_name=name):
        _delete_objects(written)  # someone was quicker: theirs stays
        return Invoice.objects.values_list("pdf_name", flat=True).get(pk=invoice.pk)
    return name


# -- the payment day -------------------------------------------------------------------------------------------------


class PaymentDayError(GrantError):
    """A payment-day change refused; ``code`` says why, ``message`` is for the person (in their language):

    ``not_allowed`` (their authority does not include it), ``day_not_offered`` (not one of
    ``BILLING_PAYMENT_DAYS``), ``not_direct_debit`` (the contract is paid by transfer), ``contract_ended``,
    and ``unchanged`` (already that day: nothing was changed, nothing audited).
    """

    def __init__(self, code: str, message) -> None:
        super().__init__(message)
        self.code = code


def offered_payment_days() -> list[int]:
    return list(settings.BILLING_PAYMENT_DAYS)


@transaction.atomic
def change_payment_day(*, contract: Contract, day: int, actor: Actor) -> Contract:
    """Set the direct-debit day of ``contract`` to ``day`` for the person behind ``actor``: it applies from the
    next invoice. Audited (before/after); the customer's representative and the person who changed it are told by
    e-mail, each in their language. PaymentDayError (with a code) when refused or when nothing would change."""
    person = person_of(actor.user)
    if not authority_of(person, contract.customer_id).may(Action.CHANGE_PAYMENT_DAY):
        raise PaymentDayError("not_allowed", _("You may not change the payment day of this contract."))
    if day not in settings.BILLING_PAYMENT_DAYS:
        raise PaymentDayError(
            "day_not_offered",
            _("Choose one of the payment days offered: %(days)s.")
            % {"days": ", ".join(str(d) for d in settings.BILLING_PAYMENT_DAYS)},
        )
    contract = Contract.objects.select_for_update(of=("self",)).select_related("customer").get(pk=contract.pk)
    if not contract.pays_by_direct_debit:
        raise PaymentDayError(
            "not_direct_debit", _("This contract is paid by bank transfer: it has no direct-debit day.")
        )
    if contract.ended_on and contract.ended_on < timezone.localdate():
        raise PaymentDayError("contract_ended", _("This contract has ended."))
    if contract.payment_day == day:
        raise PaymentDayError(
            "unchanged", _("The payment day is already day %(day)s: nothing was changed.") % {"day": day}
        )
    before = {"contract": contract.number, "payment_day": contract.payment_day}
    contract.payment_day = day
    contract.save(update_fields=["payment_day"])
    audit.record(
        actor=actor,
        action="contract.change_payment_day",
        target=contract,
        customer_id=contract.customer_id,
        before=before,
        after={"contract": contract.number, "payment_day": day},
        reason="changed by the customer in the customer area",
    )
    _tell_payment_day(contract, day=day, changed_by=person)
    return contract


def _tell_payment_day(contract: Contract, *, day: int, changed_by) -> None:
    recipients = {changed_by.pk: changed_by}
    representative = (
        Grant.objects.filter(customer_id=contract.customer_id, role=Grant.Role.REPRESENTATIVE, revoked_at__isnull=True)
        .select_related("person")
        .first()
    )
    if representative is not None:
        recipients.setdefault(representative.person_id, representative.person)
    for person in recipients.values():
        if not person.email:
            continue
        send_after_commit(
            to=person.email,
            template="payment_day_changed",
            language=person.language,
            context={
                "name": person.name,
                "changed_by": changed_by.name,
                "customer": contract.customer.name,
                "contract": contract.number,
                "day": day,
            },
        )
