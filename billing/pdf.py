"""The PDF of an invoice, for invoices whose import brought none (``billing.services``).

A real, one-page-or-more PDF made with fpdf2: the issuer, the customer and its tax id, the contract, the supply
point (CUPS and address), the period, issue and due dates, the lines, the VAT breakdown, the total and the status.
It is in Spanish whatever the customer's language (as the utility's printed invoices are).

Deterministic: the same invoice gives the same bytes (the creation date is the issue date; fpdf2 derives the file
id from the content), so the PDF's name can carry its hash and a re-import that changes nothing writes nothing.
The built-in Helvetica is used with the Windows-1252 encoding (the euro sign and every Catalan and Spanish
letter); a character outside it prints as "?" rather than failing the import.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from django.conf import settings
from fpdf import FPDF

from accounts.models import Invoice

_ENCODING = "windows-1252"
_STATUS = {
    Invoice.Status.PAID: "Pagada",
    Invoice.Status.PENDING: "Pendiente de pago",
    Invoice.Status.RETURNED: "Devuelta",
}
_ENERGY = {"electricity": "Electricidad", "gas": "Gas natural"}


def euros(amount: Decimal | str) -> str:
    """``1234.5`` as ``1.234,50 €``: how a Spanish invoice writes money."""
    whole, _, cents = f"{Decimal(amount):.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{'.'.join(groups) or '0'},{cents} €"


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "-"


def _text(value) -> str:
    """``value`` as the PDF's encoding can print it."""
    return str(value).encode(_ENCODING, errors="replace").decode(_ENCODING)


class _InvoicePDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, _text(f"{settings.BILLING_ISSUER_NAME} - página {self.page_no()}/{{nb}}"), align="C")


_LEFT, _RIGHT, _TOP, _BOTTOM = 15.0, 195.0, 18.0, 275.0  # mm on A4
_VALUE_AT = _LEFT + 48


class _Layout:
    """Text placed at explicit positions with ``FPDF.text``: a tenth of the time of ``cell``/``multi_cell``, which
    measure and break lines for every call (an import of thousands of invoices renders thousands of PDFs)."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.y = _TOP

    def font(self, size: float, style: str = "") -> None:
        self.pdf.set_font("Helvetica", style=style, size=size)

    def room(self, height: float) -> None:
        if self.y + height > _BOTTOM:
            self.pdf.add_page()
            self.y = _TOP

    def line(self, *parts: tuple[float, str, str], height: float = 5.5) -> None:
        """One line of text: ``parts`` are (x, text, "L" or "R"); "R" ends the text at x."""
        self.room(height)
        self.y += height
        for x, text, align in parts:
            text = _text(text)
            self.pdf.text(x - self.pdf.get_string_width(text) if align == "R" else x, self.y - 1.5, text)

    def wrapped(self, x: float, text: str, height: float = 5.5) -> None:
        """Text from x to the right margin, on as many lines as it needs (long names and addresses)."""
        text = _text(text)
        if self.pdf.get_string_width(text) < _RIGHT - x:
            self.line((x, text, "L"), height=height)
            return
        self.room(height * 3)
        self.pdf.set_xy(x, self.y + 0.5)
        self.pdf.multi_cell(_RIGHT - x, height - 0.5, text)
        self.y = self.pdf.get_y()

    def rule(self, gap: float = 1.5) -> None:
        self.y += gap
        self.pdf.line(_LEFT, self.y, _RIGHT, self.y)

    def space(self, height: float) -> None:
        self.y += height


def render_invoice(invoice: Invoice) -> bytes:
    """The PDF of ``invoice`` (its contract, customer and supply point are read from the instance)."""
    contract = invoice.contract
    customer = contract.customer
    point = invoice.supply_point
    pdf = _InvoicePDF(format="A4")
    pdf.core_fonts_encoding = _ENCODING
    pdf.set_creation_date(datetime.combine(invoice.issued_on, datetime.min.time(), tzinfo=UTC))
    pdf.set_title(_text(f"Factura {invoice.number}"))
    pdf.set_author(_text(settings.BILLING_ISSUER_NAME))
    pdf.set_producer("fpdf2")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_line_width(0.2)
    pdf.add_page()
    page = _Layout(pdf)

    page.font(14, "B")
    page.line((_LEFT, settings.BILLING_ISSUER_NAME, "L"), height=7)
    page.font(9)
    page.line((_LEFT, f"CIF {settings.BILLING_ISSUER_TAX_ID}", "L"))
    page.space(5)
    page.font(16, "B")
    page.line((_LEFT, f"FACTURA {invoice.number}", "L"), height=8)
    page.space(3)

    rows = [
        ("Titular", customer.name, "B"),
        ("NIF/CIF", customer.tax_id, ""),
        ("Contrato", f"{contract.number} - {_ENERGY.get(contract.energy, contract.energy)}", ""),
    ]
    if contract.product or contract.tariff:
        rows.append(("Producto / peaje", " / ".join(part for part in (contract.product, contract.tariff) if part), ""))
    if contract.contracted_power_kw:
        powers = sorted(contract.contracted_power_kw.items())
        rows.append(("Potencia contratada", "  ".join(f"{p} {kw.replace('.', ',')} kW" for p, kw in powers), ""))
    if point is not None:
        rows.append(("CUPS", point.cups, ""))
        rows.append(("Dirección de suministro", f"{point.address}, {point.postcode} {point.city}", ""))
    rows += [
        ("Periodo de facturación", f"{_day(invoice.period_start)} - {_day(invoice.period_end)}", ""),
        ("Fecha de emisión", _day(invoice.issued_on), ""),
        ("Fecha de cargo / vencimiento", _day(invoice.due_on), ""),
        (
            "Forma de pago",
            f"Domiciliación {contract.masked_iban}" if contract.pays_by_direct_debit else "Transferencia bancaria",
            "",
        ),
        ("Estado", _STATUS.get(invoice.status, invoice.status), "B"),
    ]
    for label, value, style in rows:
        page.font(9)
        page.room(5.5)
        pdf.text(_LEFT, page.y + 4, _text(label))
        page.font(9, style)
        page.wrapped(_VALUE_AT, value)
    page.space(5)

    page.font(10, "B")
    page.line((_LEFT, "Concepto", "L"), (_RIGHT, "Importe", "R"), height=6)
    page.rule()
    page.font(9)
    for item in invoice.lines:
        page.line((_LEFT, item["concept"], "L"), (_RIGHT, euros(item["amount"]), "R"))
    page.space(4)

    page.font(10, "B")
    page.line((_LEFT, "IVA", "L"), (_LEFT + 120, "Base imponible", "R"), (_RIGHT, "Cuota", "R"), height=6)
    page.rule()
    page.font(9)
    for vat in invoice.vat:
        rate = f"{Decimal(vat['rate']):.2f} %".replace(".", ",")
        page.line((_LEFT, rate, "L"), (_LEFT + 120, euros(vat["base"]), "R"), (_RIGHT, euros(vat["amount"]), "R"))
    page.space(4)

    page.rule(0)
    page.font(13, "B")
    page.line((_LEFT, "TOTAL FACTURA", "L"), (_RIGHT, euros(invoice.total), "R"), height=8)
    return bytes(pdf.output())
