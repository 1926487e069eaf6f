"""The import format of the billing system's files, read as a stream and checked row by row.

Documented for the people who produce the files in ``docs/billing-import.md``; this module is that document's
code. Two formats, each read one line at a time (a file of any size costs the memory of one batch):

- JSON lines (``.jsonl``, ``.ndjson``): one object per line, ``"type": "contract"`` or ``"type": "invoice"``;
- CSV (``.csv``, UTF-8, ``,`` or ``;`` as delimiter): ``contracts.csv`` and ``invoices.csv`` are told apart by
  their header (a ``customer_tax_id`` column, or a ``contract_number`` one). A contract has one row per supply
  point, the contract's columns repeated; consecutive rows of the same contract make one record.

``read_file`` yields ``SourceRow``s (a decoded record, or the reason it could not be decoded) and
``parse_contract`` / ``parse_invoice`` turn one into a ``ContractRecord`` / ``InvoiceRecord`` checked on its own,
or raise ``RowError`` with a code. What needs the database (is the contract known? is the CUPS someone else's?)
is ``billing.services``' part.

Rows are checked with the project's one parser of each thing: ``accounts.parsing.parse_amount`` for money (it
reads ``1.234,56`` and ``1,234.56`` alike; a leading minus is allowed here, for discounts and credit notes),
``accounts.identifiers`` for tax ids and CUPS, schwifty for the IBAN (only its last four digits and its keyed
fingerprint are kept, never the IBAN itself). The messages are for the operator running the import: English,
like the logs; the codes are what to branch on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import schwifty
from django.conf import settings

from accounts.identifiers import CIF, InvalidIdentifier, parse_cups, parse_holder_id
from accounts.models import Contract, Customer, Invoice
from accounts.parsing import InvalidAmount, normalise_name, parse_amount
from accounts.services import iban_fingerprint

CONTRACT = "contract"
INVOICE = "invoice"
JSON_SUFFIXES = (".jsonl", ".ndjson")
CSV_SUFFIX = ".csv"

CONTRACT_CSV_COLUMNS = (
    "number",
    "customer_tax_id",
    "customer_name",
    "customer_kind",
    "energy",
    "product",
    "tariff",
    "power_p1",
    "power_p2",
    "power_p3",
    "power_p4",
    "power_p5",
    "power_p6",
    "payment_method",
    "iban",
    "payment_day",
    "started_on",
    "ended_on",
    "cups",
    "address",
    "city",
    "postcode",
)
INVOICE_CSV_COLUMNS = (
    "number",
    "contract_number",
    "cups",
    "period_start",
    "period_end",
    "issued_on",
    "due_on",
    "lines",
    "vat",
    "total",
    "status",
    "pdf",
)
#: Columns a CSV file must have (the others may be left out).
CONTRACT_CSV_REQUIRED = ("number", "customer_tax_id", "customer_name", "energy", "tariff", "started_on", "cups")
INVOICE_CSV_REQUIRED = ("number", "contract_number", "issued_on", "lines", "vat", "total", "status")
_SUPPLY_POINT_COLUMNS = ("cups", "address", "city", "postcode")

ELECTRICITY_TARIFFS = {"2.0TD": 2, "3.0TD": 6, "6.1TD": 6, "6.2TD": 6, "6.3TD": 6, "6.4TD": 6}  # tariff: periods
GAS_TARIFF = re.compile(r"RL\.(?:[1-9]|1[01])")
PERIODS = ("P1", "P2", "P3", "P4", "P5", "P6")
PAYMENT_METHODS = ("direct_debit", "transfer")
MAX_LINES = 50
_KW = Decimal("0.001")
_CENT = Decimal("0.01")
_MAX_AMOUNT = Decimal(10) ** (Invoice._meta.get_field("total").max_digits - 2)  # what Invoice.total holds
_POSTCODE = re.compile(r"[0-9]{5}")
_REPLACEMENT = "\ufffd"


class RowError(ValueError):
    """A row that cannot be imported: ``code`` says why (see ``docs/billing-import.md``), ``message`` tells the
    operator what to fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass
class SourceRow:
    """One record as read from a file: ``data`` (its fields) or ``error`` (why it could not be read)."""

    file: str
    line: int
    folder: Path
    kind: str = ""
    data: dict = field(default_factory=dict)
    error: RowError | None = None


@dataclass(frozen=True)
class SupplyPointRecord:
    cups: str
    address: str
    city: str
    postcode: str


@dataclass(frozen=True)
class ContractRecord:
    file: str
    line: int
    number: str
    customer_tax_id: str
    customer_name: str
    customer_kind: str
    customer_kind_given: bool
    energy: str
    product: str
    tariff: str
    contracted_power_kw: dict
    iban_last4: str
    iban_fingerprint: str
    payment_day: int | None
    started_on: date
    ended_on: date | None
    supply_points: tuple[SupplyPointRecord, ...]

    def contract_fields(self) -> dict:
        """The ``Contract`` fields this record sets (besides its customer)."""
        return {
            "energy": self.energy,
            "product": self.product,
            "tariff": self.tariff,
            "contracted_power_kw": self.contracted_power_kw,
            "iban_last4": self.iban_last4,
            "iban_fingerprint": self.iban_fingerprint,
            "payment_day": self.payment_day,
            "started_on": self.started_on,
            "ended_on": self.ended_on,
        }


@dataclass(frozen=True)
class PdfFile:
    """An invoice PDF the import brought: where it is and the SHA-256 of its content (read once, streaming)."""

    path: Path
    sha256: str


@dataclass(frozen=True)
class InvoiceRecord:
    file: str
    line: int
    number: str
    contract_number: str
    cups: str
    period_start: date | None
    period_end: date | None
    issued_on: date
    due_on: date | None
    lines: list
    vat: list
    total: Decimal
    status: str
    pdf: PdfFile | None

    def invoice_fields(self) -> dict:
        """The ``Invoice`` fields this record sets (besides its contract, supply point and PDF)."""
        return {
            "period_start": self.period_start,
            "period_end": self.period_end,
            "issued_on": self.issued_on,
            "due_on": self.due_on,
            "total": self.total,
            "status": self.status,
            "lines": self.lines,
            "vat": self.vat,
        }


# -- reading files ---------------------------------------------------------------------------------------------------


def file_kind(path: Path) -> str:
    """ "contract", "invoice" or "jsonl" (both kinds, one per line) for an import file; "" for anything else.
    A CSV file is told by its header line (only that line is read)."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "jsonl"
    if suffix != CSV_SUFFIX:
        return ""
    header = set(_header(next(_lines(path), "")))
    if "customer_tax_id" in header:
        return CONTRACT
    if "contract_number" in header:
        return INVOICE
    return ""


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, decoded one by one as UTF-8 (a byte-order mark is dropped). A line that is not UTF-8
    carries U+FFFD where it breaks, and only its own record is rejected (``not_utf8``)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle):
            text = raw.decode("utf-8", errors="replace")
            yield text.removeprefix("\ufeff") if number == 0 else text


def _not_utf8(text: str) -> RowError | None:
    return RowError("not_utf8", "the line is not UTF-8 text") if _REPLACEMENT in text else None


def _header(line: str) -> list[str]:
    return [column.strip().lower() for column in next(csv.reader([line], delimiter=_delimiter(line)), [])]


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def read_file(path: Path, *, display: str | None = None) -> Iterator[SourceRow]:
    """The records of one import file, one at a time (never the whole file in memory)."""
    display = display or str(path)
    folder = path.parent
    kind = file_kind(path)
    if kind == "jsonl":
        yield from _read_jsonl(path, display, folder)
    elif kind == CONTRACT:
        yield from _merge_contract_rows(_read_csv(path, display, folder, kind))
    elif kind == INVOICE:
        yield from _read_csv(path, display, folder, kind)
    else:
        yield SourceRow(
            file=display,
            line=1,
            folder=folder,
            error=RowError(
                "unknown_file",
                "not an import file: JSON lines (.jsonl/.ndjson) or a CSV with a customer_tax_id or "
                "contract_number column",
            ),
        )


def _read_jsonl(path: Path, display: str, folder: Path) -> Iterator[SourceRow]:
    for number, text in enumerate(_lines(path), start=1):
        if not text.strip():
            continue
        row = SourceRow(file=display, line=number, folder=folder, error=_not_utf8(text))
        if row.error is None:
            try:
                data = json.loads(text)
            except ValueError as exc:
                row.error = RowError("malformed_json", f"not a JSON object: {exc}")
        if row.error is None:
            if not isinstance(data, dict):
                row.error = RowError("malformed_json", "each line must be one JSON object")
            elif data.get("type") not in (CONTRACT, INVOICE):
                row.error = RowError("unknown_type", 'the "type" must be "contract" or "invoice"')
            else:
                row.kind, row.data = data["type"], data
        yield row


def _read_csv(path: Path, display: str, folder: Path, kind: str) -> Iterator[SourceRow]:
    required = CONTRACT_CSV_REQUIRED if kind == CONTRACT else INVOICE_CSV_REQUIRED
    known = CONTRACT_CSV_COLUMNS if kind == CONTRACT else INVOICE_CSV_COLUMNS
    lines = _lines(path)
    header_line = next(lines, "")
    header = _header(header_line)
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in known]
    if missing or unknown or len(set(header)) != len(header):
        problem = (
            f"missing columns: {', '.join(missing)}"
            if missing
            else f"unknown columns: {', '.join(unknown)}"
            if unknown
            else "a column appears twice"
        )
        yield SourceRow(file=display, line=1, folder=folder, error=RowError("bad_header", problem))
        return
    reader = csv.reader(lines, delimiter=_delimiter(header_line))
    line = 1
    for values in reader:
        start, line = line + 1, reader.line_num + 1  # the header was read before the reader started
        if not any(value.strip() for value in values):
            continue
        row = SourceRow(file=display, line=start, folder=folder, kind=kind)
        row.error = _not_utf8("".join(values))
        if row.error is None and len(values) != len(header):
            row.error = RowError("malformed_row", f"{len(values)} values for {len(header)} columns")
        if row.error is None:
            row.data = _from_csv(kind, dict(zip(header, values, strict=True)))
        yield row


def _from_csv(kind: str, values: dict) -> dict:
    """A CSV row in the shape of a JSON record."""
    values = {key: value.strip() for key, value in values.items()}
    if kind == INVOICE:
        for key in ("lines", "vat"):
            try:
                values[key] = json.loads(values[key]) if values.get(key) else []
            except ValueError:
                values[key] = _Unreadable(values[key])
        return values
    power = {period: values.pop(f"power_{period.lower()}", "") for period in PERIODS}
    values["contracted_power_kw"] = {period: kw for period, kw in power.items() if kw}
    point = {key: values.pop(key, "") for key in _SUPPLY_POINT_COLUMNS}
    values["supply_points"] = [point] if point["cups"] else []
    return values


class _Unreadable(str):
    """A CSV cell that should hold JSON and does not."""


def _merge_contract_rows(rows: Iterator[SourceRow]) -> Iterator[SourceRow]:
    """Consecutive rows of the same contract as one record (their supply points together)."""
    pending: SourceRow | None = None
    for row in rows:
        if (
            pending is not None
            and row.error is None
            and pending.error is None
            and row.data.get("number") == pending.data.get("number")
        ):
            if _without_points(row.data) != _without_points(pending.data):
                pending.error = RowError(
                    "inconsistent_rows",
                    f"line {row.line} repeats contract {row.data.get('number')} with different contract columns",
                )
            else:
                pending.data["supply_points"] += row.data["supply_points"]
            continue
        if pending is not None:
            yield pending
        pending = row
    if pending is not None:
        yield pending


def _without_points(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "supply_points"}


# -- checking one record ---------------------------------------------------------------------------------------------


def _text(data: dict, key: str, *, max_length: int, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise RowError("invalid_field", f"{key} must be text")
    value = normalise_name(str(value))
    if required and not value:
        raise RowError("missing_field", f"{key} is required")
    if len(value) > max_length:
        raise RowError("invalid_field", f"{key} is longer than {max_length} characters")
    return value


def _date(data: dict, key: str, *, required: bool = False) -> date | None:
    value = data.get(key) or ""
    if not value:
        if required:
            raise RowError("missing_field", f"{key} is required")
        return None
    text = str(value).strip()
    try:
        if len(text) == 10:  # fromisoformat also takes "20260101" and week dates: only YYYY-MM-DD here
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise RowError("invalid_date", f"{key} must be a date as YYYY-MM-DD, not {value!r}")


def signed_amount(value, *, what: str) -> Decimal:
    """An amount of money (``parse_amount``), which may be negative (a discount, a credit note)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RowError("invalid_amount", f'{what} must be an amount such as "123.45", not {value!r}')
    text = str(value).strip()
    negative = text.startswith("-")
    try:
        amount = parse_amount(text[1:] if negative else text)
    except InvalidAmount as exc:
        raise RowError("invalid_amount", f"{what}: {value!r} is not an amount of money ({exc.code})") from None
    if amount >= _MAX_AMOUNT:
        raise RowError("invalid_amount", f"{what}: {value!r} is more than an invoice can hold")
    return -amount if negative else amount


def _kilowatts(value, *, period: str) -> str:
    """Contracted power: kW with a dot as decimal separator, up to three decimals, as a string of three decimals."""
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{1,6}(?:\.[0-9]{1,3})?", text):
        raise RowError("invalid_power", f"power {period} must be kW such as 15.000 (a dot for decimals), not {value!r}")
    kw = Decimal(text).quantize(_KW)
    if kw <= 0:
        raise RowError("invalid_power", f"power {period} must be more than 0 kW")
    return f"{kw:.3f}"


def parse_contract(row: SourceRow) -> ContractRecord:
    """``row`` as a contract, checked on its own; RowError otherwise."""
    data = row.data
    number = _text(data, "number", max_length=Contract._meta.get_field("number").max_length, required=True)
    raw_tax_id = _text(data, "customer_tax_id", max_length=20, required=True)
    try:
        holder = parse_holder_id(raw_tax_id)
    except InvalidIdentifier:
        raise RowError("invalid_tax_id", f"{raw_tax_id!r} is not a valid CIF, NIF or NIE") from None
    customer_name = _text(data, "customer_name", max_length=200, required=True)
    kind = _text(data, "customer_kind", max_length=20)
    if kind and kind not in Customer.Kind.values:
        raise RowError("invalid_customer_kind", f"customer_kind must be one of {', '.join(Customer.Kind.values)}")
    inferred = (
        (Customer.Kind.COMMUNITY if holder.value.startswith("H") else Customer.Kind.COMPANY)
        if holder.kind == CIF
        else Customer.Kind.SELF_EMPLOYED
    )
    energy = _text(data, "energy", max_length=12, required=True)
    if energy not in Contract.Energy.values:
        raise RowError("invalid_energy", 'energy must be "electricity" or "gas"')
    tariff = _text(data, "tariff", max_length=12, required=True).upper()
    power = data.get("contracted_power_kw") or {}
    if not isinstance(power, dict):
        raise RowError("invalid_power", 'contracted_power_kw must be an object such as {"P1": "15.000"}')
    if energy == Contract.Energy.ELECTRICITY:
        periods = ELECTRICITY_TARIFFS.get(tariff)
        if periods is None:
            raise RowError("invalid_tariff", f"electricity tariff must be one of {', '.join(ELECTRICITY_TARIFFS)}")
        expected = set(PERIODS[:periods])
        if set(power) != expected:
            raise RowError(
                "invalid_power", f"tariff {tariff} needs the contracted power of {', '.join(sorted(expected))}"
            )
        power = {period: _kilowatts(power[period], period=period) for period in PERIODS[:periods]}
    else:
        if not GAS_TARIFF.fullmatch(tariff):
            raise RowError("invalid_tariff", "gas tariff must be RL.1 to RL.11")
        if power:
            raise RowError("invalid_power", "a gas contract has no contracted power")
    method = _text(data, "payment_method", max_length=20) or ("direct_debit" if data.get("iban") else "transfer")
    if method not in PAYMENT_METHODS:
        raise RowError("invalid_payment_method", 'payment_method must be "direct_debit" or "transfer"')
    iban_last4 = fingerprint = ""
    raw_iban = data.get("iban") or ""
    if method == "direct_debit":
        if not raw_iban:
            raise RowError("missing_field", "a direct debit needs the iban")
        try:
            iban = schwifty.IBAN(str(raw_iban))
        except ValueError:  # schwifty.exceptions.SchwiftyException is one
            raise RowError("invalid_iban", "the iban is not a valid IBAN") from None
        iban_last4, fingerprint = iban.compact[-4:], iban_fingerprint(iban.compact)
    elif raw_iban:
        raise RowError("invalid_iban", "a contract paid by transfer has no iban")
    payment_day = data.get("payment_day")
    if payment_day in (None, ""):
        payment_day = None
    else:
        try:
            payment_day = int(str(payment_day))
        except ValueError:
            payment_day = 0
        if not 1 <= payment_day <= 28:
            raise RowError("invalid_payment_day", "payment_day must be a day between 1 and 28")
    started_on = _date(data, "started_on", required=True)
    ended_on = _date(data, "ended_on")
    if ended_on and ended_on < started_on:
        raise RowError("invalid_period", "ended_on is before started_on")
    points_data = data.get("supply_points") or []
    if not isinstance(points_data, list) or not all(isinstance(p, dict) for p in points_data):
        raise RowError("invalid_supply_point", "supply_points must be a list of objects")
    points = []
    for point in points_data:
        raw_cups = _text(point, "cups", max_length=30, required=True)
        try:
            cups = parse_cups(raw_cups)
        except InvalidIdentifier:
            raise RowError("invalid_cups", f"{raw_cups!r} is not a valid CUPS") from None
        postcode = _text(point, "postcode", max_length=5, required=True)
        if not _POSTCODE.fullmatch(postcode):
            raise RowError("invalid_supply_point", f"postcode of {cups} must be five digits")
        points.append(
            SupplyPointRecord(
                cups=cups,
                address=_text(point, "address", max_length=250, required=True),
                city=_text(point, "city", max_length=100, required=True),
                postcode=postcode,
            )
        )
    if len({p.cups for p in points}) != len(points):
        raise RowError("invalid_supply_point", "a CUPS appears twice in the contract")
    return ContractRecord(
        file=row.file,
        line=row.line,
        number=number,
        customer_tax_id=holder.value,
        customer_name=customer_name,
        customer_kind=kind or inferred,
        customer_kind_given=bool(kind),
        energy=energy,
        product=_text(data, "product", max_length=120),
        tariff=tariff,
        contracted_power_kw=power,
        iban_last4=iban_last4,
        iban_fingerprint=fingerprint,
        payment_day=payment_day,
        started_on=started_on,
        ended_on=ended_on,
        supply_points=tuple(points),
    )


def _money_list(data: dict, key: str, fields: tuple[str, ...]) -> list[dict]:
    items = data.get(key)
    if isinstance(items, _Unreadable) or not isinstance(items, list):
        raise RowError(f"invalid_{key}", f"{key} must be a JSON list of objects")
    if len(items) > MAX_LINES:
        raise RowError(f"invalid_{key}", f"{key} holds more than {MAX_LINES} entries")
    result = []
    for item in items:
        if not isinstance(item, dict) or set(item) != set(fields):
            raise RowError(f"invalid_{key}", f"each entry of {key} must have exactly: {', '.join(fields)}")
        result.append(item)
    return result


def parse_invoice(row: SourceRow) -> InvoiceRecord:
    """``row`` as an invoice, checked on its own (amounts add up, dates in order, PDF readable); RowError
    otherwise."""
    data = row.data
    max_number = Invoice._meta.get_field("number").max_length
    number = _text(data, "number", max_length=max_number, required=True)
    contract_number = _text(
        data, "contract_number", max_length=Contract._meta.get_field("number").max_length, required=True
    )
    cups = ""
    raw_cups = _text(data, "cups", max_length=30)
    if raw_cups:
        try:
            cups = parse_cups(raw_cups)
        except InvalidIdentifier:
            raise RowError("invalid_cups", f"{raw_cups!r} is not a valid CUPS") from None
    period_start, period_end = _date(data, "period_start"), _date(data, "period_end")
    if period_start and period_end and period_end < period_start:
        raise RowError("invalid_period", "period_end is before period_start")
    issued_on = _date(data, "issued_on", required=True)
    due_on = _date(data, "due_on")
    status = _text(data, "status", max_length=10, required=True).lower()
    if status not in Invoice.Status.values:
        raise RowError("invalid_status", f"status must be one of {', '.join(Invoice.Status.values)}")
    lines = [
        {
            "concept": _text(item, "concept", max_length=120, required=True),
            "amount": f"{signed_amount(item['amount'], what='a line amount'):.2f}",
        }
        for item in _money_list(data, "lines", ("concept", "amount"))
    ]
    if not lines:
        raise RowError("invalid_lines", "an invoice needs at least one line")
    vat = []
    for item in _money_list(data, "vat", ("rate", "base", "amount")):
        try:
            rate = Decimal(str(item["rate"]).strip().replace(",", ".")).quantize(_CENT)
        except InvalidOperation:
            raise RowError("invalid_vat", f"VAT rate {item['rate']!r} is not a percentage such as 21.00") from None
        if not 0 <= rate <= 100:
            raise RowError("invalid_vat", f"VAT rate {rate} is not a percentage")
        base = signed_amount(item["base"], what="a VAT base")
        amount = signed_amount(item["amount"], what="a VAT amount")
        if abs((base * rate / 100).quantize(_CENT, rounding=ROUND_HALF_UP) - amount) > _CENT:
            raise RowError("vat_mismatch", f"{rate} % of {base} is not {amount}")
        vat.append({"rate": f"{rate:.2f}", "base": f"{base:.2f}", "amount": f"{amount:.2f}"})
    total = signed_amount(data.get("total", ""), what="total")
    expected = sum((Decimal(line["amount"]) for line in lines), Decimal("0")) + sum(
        (Decimal(item["amount"]) for item in vat), Decimal("0")
    )
    if expected != total:
        raise RowError("total_mismatch", f"the lines plus VAT add up to {expected}, not {total}")
    return InvoiceRecord(
        file=row.file,
        line=row.line,
        number=number,
        contract_number=contract_number,
        cups=cups,
        period_start=period_start,
        period_end=period_end,
        issued_on=issued_on,
        due_on=due_on,
        lines=lines,
        vat=vat,
        total=total,
        status=status,
        pdf=_pdf(data.get("pdf") or "", row.folder),
    )


def _pdf(relative, folder: Path) -> PdfFile | None:
    """The PDF named by an invoice row (a path relative to the import file's folder), hashed while read."""
    if not relative:
        return None
    if not isinstance(relative, str) or Path(relative).is_absolute():
        raise RowError("invalid_pdf", "pdf must be a path relative to the import file's folder")
    base = folder.resolve()
    path = (base / relative).resolve()
    if not path.is_relative_to(base):
        raise RowError("invalid_pdf", "pdf must be inside the import file's folder")
    if not path.is_file():
        raise RowError("pdf_not_found", f"no file {relative}")
    if path.stat().st_size > settings.DOCUMENTS_MAX_BYTES:
        raise RowError("invalid_pdf", f"{relative} is larger than {settings.DOCUMENTS_MAX_BYTES} bytes")
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise RowError("invalid_pdf", f"{relative} is not a PDF")
        digest.update(b"%PDF-")
        for chunk in iter(lambda: handle.read(io.DEFAULT_BUFFER_SIZE * 16), b""):
            digest.update(chunk)
    return PdfFile(path=path, sha256=digest.hexdigest())
