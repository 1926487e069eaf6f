"""Import files as the billing system writes them (``docs/billing-import.md``), for the billing tests."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

from backoffice.demo import make_cif, make_cups, make_iban
from billing.formats import CONTRACT_CSV_COLUMNS, INVOICE_CSV_COLUMNS

_serial = itertools.count(1)


def contract(*, points: int = 1, **overrides) -> dict:
    """A valid electricity contract record (3.0TD, direct debit) with ``points`` supply points."""
    n = next(_serial)
    row = {
        "type": "contract",
        "number": f"CT{n:07d}",
        "customer_tax_id": make_cif("B", 3_000_000 + n),
        "customer_name": f"Importada {n} S.L.",
        "energy": "electricity",
        "product": "Tarifa Empresa Fixa",
        "tariff": "3.0TD",
        "contracted_power_kw": {f"P{p}": "15.000" for p in range(1, 7)},
        "payment_method": "direct_debit",
        "iban": make_iban(5_000_000 + n),
        "payment_day": 10,
        "started_on": "2023-02-01",
        "ended_on": "",
        "supply_points": [
            {
                "cups": make_cups(3_000_000 + n * 10 + k),
                "address": f"Carrer de la Prova {k + 1}",
                "city": "Girona",
                "postcode": "17001",
            }
            for k in range(points)
        ],
    }
    return row | overrides


def invoice(of: dict, *, month: int = 10, cups: str | None = None, **overrides) -> dict:
    """A valid invoice of contract record ``of`` (its first supply point, unless ``cups``), 21% VAT."""
    n = next(_serial)
    lines = [
        {"concept": "Terme d'energia", "amount": "100.00"},
        {"concept": "Terme de potència", "amount": "40.50"},
        {"concept": "Impost elèctric", "amount": "7.18"},
        {"concept": "Lloguer de comptador", "amount": "1.32"},
    ]
    row = {
        "type": "invoice",
        "number": f"FT{n:08d}",
        "contract_number": of["number"],
        "cups": of["supply_points"][0]["cups"] if cups is None else cups,
        "period_start": f"2026-{month - 1:02d}-01",
        "period_end": f"2026-{month - 1:02d}-28",
        "issued_on": f"2026-{month:02d}-02",
        "due_on": f"2026-{month:02d}-10",
        "lines": lines,
        "vat": [{"rate": "21.00", "base": "149.00", "amount": "31.29"}],
        "total": "180.29",
        "status": "pending",
    }
    return row | overrides


def write_jsonl(path: Path, rows: list[dict | str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    return path


def write_contracts_csv(path: Path, contracts: list[dict], *, delimiter: str = ",") -> Path:
    """One row per supply point, the contract's columns repeated."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(CONTRACT_CSV_COLUMNS)
        for row in contracts:
            power = row.get("contracted_power_kw") or {}
            for point in row["supply_points"]:
                values = {key: row.get(key, "") for key in CONTRACT_CSV_COLUMNS} | point
                values |= {f"power_p{p}": power.get(f"P{p}", "") for p in range(1, 7)}
                writer.writerow([values[column] for column in CONTRACT_CSV_COLUMNS])
    return path


def write_invoices_csv(path: Path, invoices: list[dict], *, delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(INVOICE_CSV_COLUMNS)
        for row in invoices:
            values = {key: row.get(key, "") for key in INVOICE_CSV_COLUMNS}
            values["lines"], values["vat"] = json.dumps(row["lines"]), json.dumps(row["vat"])
            writer.writerow([values[column] for column in INVOICE_CSV_COLUMNS])
    return path
