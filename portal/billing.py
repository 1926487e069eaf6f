"""Invoices and contracts in the customer area: parse the query string or form, call a billing selector or
service, render or stream.

* ``/invoices/``: every invoice the person may see (``billing.selectors.invoices_visible_to``), filtered, sorted
  and paginated from the query string. A bad filter value shows its error and is left out of the filter.
* one invoice's PDF, the ZIP of many, the CSV and XLSX of the filtered rows: the same visibility. Files go out
  with the documents' no-store headers (``documents.views``); the ZIP and the CSV are streamed in constant
  memory, one row or one PDF chunk at a time.
* ``/supplies/<id>/contract/``: the contract of a supply point the person may see, and the payment-day form for
  whoever ``authority`` lets change it (``Action.CHANGE_PAYMENT_DAY``).

Whether an invoice or a supply point one may not see exists is never revealed: 404, logged by
``authority.refused``. A payment-day POST from someone who sees the contract but may not change it gets 403,
as the portal's other forms do.
"""

from __future__ import annotations

import csv
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

import authority
from accounts.audit import Actor
from accounts.models import Invoice
from accounts.parsing import AMOUNT_MAX_LENGTH, clean_amount
from billing import selectors, services
from client_address import client_ip
from documents.selectors import open_file, presigned_url
from documents.views import private_response

from .access import customer_required

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
#: Most PDFs in one ZIP: beyond it the person narrows the filters (a bigger archive is a job, not a download).
ZIP_MAX_INVOICES = 2000
#: Most rows in one XLSX (built in a temporary file); the CSV is streamed and has no limit.
XLSX_MAX_ROWS = 50_000
READ_CHUNK = 64 * 1024
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
#: A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request) or None, label="customer")


# -- the filters ----------------------------------------------------------------------------


class InvoiceFilterForm(forms.Form):
    """The list's filters, read from the query string. Every field is optional; each bad one gets its error and is
    left out (``filters``), so the list still shows, filtered by the good ones."""

    customer = forms.TypedChoiceField(label=gettext_lazy("Company"), coerce=int, required=False, empty_value=None)
    holder = forms.CharField(label=gettext_lazy("Company name or CIF"), max_length=200, required=False)
    cups = forms.CharField(label=gettext_lazy("Supply point (CUPS)"), max_length=30, required=False)
    issued_from = forms.DateField(
        label=gettext_lazy("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issued_to = forms.DateField(
        label=gettext_lazy("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    amount_min = forms.CharField(
        label=gettext_lazy("Total from (€)"),
        max_length=AMOUNT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    amount_max = forms.CharField(
        label=gettext_lazy("Total up to (€)"),
        max_length=AMOUNT_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, authorities: dict[int, authority.Authority]):
        super().__init__(data)
        customers = [a.grant.customer for a in authorities.values() if a.can_view]
        self.fields["customer"].choices = [("", _("All companies"))] + [
            (c.pk, f"{c.name} · {c.tax_id}") for c in customers
        ]
        self.fields["status"].choices = [("", _("Any status")), *Invoice.Status.choices]

    def clean_amount_min(self) -> Decimal | None:
        return clean_amount(self.cleaned_data["amount_min"]) if self.cleaned_data["amount_min"] else None

    def clean_amount_max(self) -> Decimal | None:
        return clean_amount(self.cleaned_data["amount_max"]) if self.cleaned_data["amount_max"] else None

    def clean(self):
        data = super().clean()
        start, end = data.get("issued_from"), data.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end date is before the start date."))
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The maximum is below the minimum."))
        return data

    def filters(self) -> selectors.InvoiceFilters:
        """The filters whose values are good; a bad value is left out (its error shows on the form)."""
        self.is_valid()
        good = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return selectors.InvoiceFilters(
            customer_id=good.get("customer"),
            customer=good.get("holder") or "",
            cups=good.get("cups") or "",
            issued_from=good.get("issued_from"),
            issued_to=good.get("issued_to"),
            status=good.get("status") or "",
            amount_min=good.get("amount_min"),
            amount_max=good.get("amount_max"),
            sort=good.get("sort") or selectors.DEFAULT_INVOICE_SORT,
        )


def last_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before the one ``today`` is in (the period of a quarterly VAT return)."""
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def _filtered(request) -> tuple[InvoiceFilterForm, dict[int, authority.Authority], selectors.InvoiceFilters]:
    authorities = authority.authorities_of(request.person)
    form = InvoiceFilterForm(request.GET, authorities=authorities)
    return form, authorities, form.filters()


def _selected_ids(request) -> list[int]:
    return [int(value) for value in request.GET.getlist("invoice") if value.isdigit()][: ZIP_MAX_INVOICES + 1]


# -- the list ---------------------------------------------------------------------------------


@customer_required
@require_safe
def invoices(request):
    form, authorities, filters = _filtered(request)
    rows = selectors.invoices_visible_to(request.person, filters=filters, authorities=authorities)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    quarter_from, quarter_to = last_quarter(timezone.localdate())
    return render(
        request,
        "portal/billing/invoices.html",
        {
            "form": form,
            "page": page,
            "sort": filters.sort,
            "quarter": {"issued_from": quarter_from.isoformat(), "issued_to": quarter_to.isoformat()},
        },
        status=400 if form.errors else 200,
    )


# -- one PDF ----------------------------------------------------------------------------------


def visible_invoice(request, invoice_id: int) -> Invoice:
    invoice = selectors.invoice_visible_to(request.person, invoice_id)
    if invoice is None:
        authority.refused(request.user, action="read", target=f"invoice {invoice_id}")
        raise Http404
    return invoice


def _pdf_name(invoice: Invoice) -> str:
    """The key of the invoice's PDF in the document storage, generated and stored first if it has none yet."""
    return invoice.pdf_name or services.ensure_invoice_pdf(invoice=invoice)


def _download_name(invoice: Invoice) -> str:
    return f"{_UNSAFE_NAME.sub('_', invoice.number)}.pdf"


def _open_pdf(invoice: Invoice):
    return open_file(_pdf_name(invoice))


@customer_required
@require_safe
def invoice_pdf(request, invoice_id: int):
    """The PDF as documents are served: a presigned URL of at most 5 minutes on S3, else streamed from here."""
    invoice = visible_invoice(request, invoice_id)
    filename, name = _download_name(invoice), _pdf_name(invoice)
    url = presigned_url(
        name, expires=None, content_type=PDF_TYPE, disposition=content_disposition_header(True, filename)
    )
    if url:
        return private_response(HttpResponseRedirect(url))
    try:
        source = open_file(name)
    except FileNotFoundError:  # the row names an object that is gone: missing, as for documents, not a crash
        logger.error("invoice %s: its PDF %s is not in the storage", invoice.pk, name)
        raise Http404 from None
    return private_response(FileResponse(source, as_attachment=True, filename=filename, content_type=PDF_TYPE))


# -- many PDFs in one ZIP -----------------------------------------------------------------------


class _Sink:
    """A write-only, non-seekable file for ``zipfile``: it holds what the archive wrote until the stream takes it.

    Without ``seek`` and ``tell`` the archive writes each entry's sizes after its data (a data descriptor), so
    nothing has to be held back: memory stays at one read chunk plus the compressor's window.
    """

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def zip_entry_name(invoice: Invoice) -> str:
    """``<CIF>/<invoice number>.pdf``: one folder per company."""
    return f"{_UNSAFE_NAME.sub('_', invoice.contract.customer.tax_id)}/{_download_name(invoice)}"


def zip_stream(invoices: Iterable[Invoice], *, open_pdf=_open_pdf) -> Iterator[bytes]:
    """The ZIP of the invoices' PDFs, produced piece by piece: one PDF at a time, read in chunks."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for invoice in invoices:
            try:
                source = open_pdf(invoice)
            except FileNotFoundError:  # storage lost an object: the rest of the ZIP still goes out; say so in the log
                logger.error(
                    "invoice %s: its PDF %s is not in the storage; left out of a ZIP", invoice.pk, invoice.pdf_name
                )
                continue
            day = invoice.issued_on
            entry = zipfile.ZipInfo(zip_entry_name(invoice), date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # readable once unpacked (0 would unpack as mode 000 on Unix)
            with source, archive.open(entry, mode="w") as target:
                for chunk in iter(partial(source.read, READ_CHUNK), b""):
                    target.write(chunk)
                    if data := sink.take():
                        yield data
            if data := sink.take():
                yield data
    yield sink.take()


@customer_required
@require_safe
def invoices_zip(request):
    """The selected invoices (``invoice`` ids; ids one may not see are left out), or with ``all`` every invoice the
    filters match, after a page that says how many."""
    _form, authorities, filters = _filtered(request)
    selected = _selected_ids(request)
    if selected:
        rows = selectors.invoices_visible_to(
            request.person, filters=selectors.InvoiceFilters(sort=filters.sort), authorities=authorities
        ).filter(pk__in=selected)
    elif request.GET.get("all"):
        rows = selectors.invoices_visible_to(request.person, filters=filters, authorities=authorities)
    else:
        messages.error(request, _("Select at least one invoice, or download all the invoices the filters match."))
        return redirect(_list_url(request))
    count = rows.count()
    if count == 0:
        messages.error(request, _("No invoices to download."))
        return redirect(_list_url(request))
    if count > ZIP_MAX_INVOICES or (not selected and request.GET.get("confirm") != "1"):
        return render(
            request,
            "portal/billing/zip_confirm.html",
            {"count": count, "zip_max": ZIP_MAX_INVOICES, "too_many": count > ZIP_MAX_INVOICES},
            status=400 if count > ZIP_MAX_INVOICES else 200,
        )
    return zip_response(rows)


def zip_response(rows) -> StreamingHttpResponse:
    """The ZIP of the invoices in ``rows`` as a download (the page's and the API's)."""
    response = StreamingHttpResponse(
        zip_stream(
            rows.select_related(None).select_related("contract__customer").only(*_ZIP_FIELDS).iterator(chunk_size=200)
        ),
        content_type="application/zip",
    )
    response["Content-Disposition"] = content_disposition_header(True, _export_name("zip"))
    return private_response(response)


#: What the ZIP reads of each invoice (``zip_entry_name`` and the PDF's key): a row is a few hundred bytes.
_ZIP_FIELDS = ("id", "number", "issued_on", "pdf_name", "contract__customer__tax_id")


def _list_url(request) -> str:
    query = request.GET.copy()
    for key in ("invoice", "all", "confirm", "page"):
        query.pop(key, None)
    return f"{reverse('portal:invoices')}?{query.urlencode()}" if query else reverse("portal:invoices")


# -- CSV and XLSX of the filtered rows ------------------------------------------------------------


def _headers() -> list[str]:
    return [
        _("Invoice"),
        _("Company"),
        _("CIF"),
        _("Supply point (CUPS)"),
        _("Period from"),
        _("Period to"),
        _("Issued"),
        _("Due"),
        _("Net"),
        _("VAT"),
        _("Total"),
        _("Status"),
    ]


def _sum(items: list, key: str) -> Decimal:
    return sum((Decimal(str(item.get(key) or "0")) for item in items), Decimal("0.00"))


def export_row(invoice: Invoice) -> list:
    """One invoice as a spreadsheet row: text, dates and amounts (net = the VAT bases, or the lines without them)."""
    net = _sum(invoice.vat, "base") if invoice.vat else _sum(invoice.lines, "amount")
    customer = invoice.contract.customer
    return [
        invoice.number,
        customer.name,
        customer.tax_id,
        invoice.supply_point.cups if invoice.supply_point else "",
        invoice.period_start,
        invoice.period_end,
        invoice.issued_on,
        invoice.due_on,
        net,
        _sum(invoice.vat, "amount"),
        invoice.total,
        invoice.get_status_display(),
    ]


def safe_text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula: one starting with = + - @ (or a tab or CR) gets a
    leading apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(invoices: Iterable[Invoice]) -> Iterator[str]:
    """The rows as CSV for a spreadsheet in Spain: ``;`` between cells and a decimal comma (what Excel reads in a
    Spanish or Catalan locale), UTF-8 with a byte-order mark (without it Excel takes the file for Windows-1252
    and garbles every accent), ISO dates."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(_headers())
    for invoice in invoices:
        yield writer.writerow([_csv_cell(value) for value in export_row(invoice)])


def _export_name(extension: str) -> str:
    return f"invoices-{timezone.localdate().isoformat()}.{extension}"


@customer_required
@require_safe
def invoices_csv(request):
    _form, authorities, filters = _filtered(request)
    return csv_response(selectors.invoices_visible_to(request.person, filters=filters, authorities=authorities))


def csv_response(rows) -> StreamingHttpResponse:
    """The invoices in ``rows`` as a CSV download, streamed (the page's and the API's)."""
    response = StreamingHttpResponse(csv_stream(rows.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _export_name("csv"))
    return private_response(response)


def write_xlsx(invoices: Iterable[Invoice], target) -> None:
    """The rows as an XLSX workbook written to ``target`` (openpyxl's write-only mode: rows go to disk as added)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Invoices")[:31])
    sheet.append(_headers())
    for invoice in invoices:
        sheet.append([safe_text(value) if isinstance(value, str) else value for value in export_row(invoice)])
    workbook.save(target)


@customer_required
@require_safe
def invoices_xlsx(request):
    _form, authorities, filters = _filtered(request)
    rows = selectors.invoices_visible_to(request.person, filters=filters, authorities=authorities)
    if rows.count() > XLSX_MAX_ROWS:
        messages.error(
            request,
            _("An XLSX file holds at most %(count)s invoices. Narrow the filters, or export them as CSV.")
            % {"count": XLSX_MAX_ROWS},
        )
        return redirect(_list_url(request))
    return xlsx_response(rows)


def xlsx_response(rows) -> FileResponse:
    """The invoices in ``rows`` (at most ``XLSX_MAX_ROWS``: the caller checks) as an XLSX download."""
    target = tempfile.TemporaryFile()  # closed (and deleted) by FileResponse when sent
    write_xlsx(rows.iterator(chunk_size=500), target)
    target.seek(0)
    return private_response(
        FileResponse(target, as_attachment=True, filename=_export_name("xlsx"), content_type=XLSX_TYPE)
    )


# -- the contract of a supply point, and its payment day ------------------------------------------


class PaymentDayForm(forms.Form):
    day = forms.TypedChoiceField(label=gettext_lazy("Payment day"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = services.offered_payment_days()
        field = self.fields["day"]
        field.choices = [(day, str(day)) for day in days]
        # The service's own words for a day it does not offer (same msgid, same translation).
        field.error_messages["invalid_choice"] = field.error_messages["required"] = _(
            "Choose one of the payment days offered: %(days)s."
        ) % {"days": ", ".join(str(day) for day in days)}


def _contract_page(request, supply_point_id: int) -> selectors.ContractPage:
    found = selectors.contract_for_supply_point(request.person, supply_point_id)
    if found is None:
        authority.refused(request.user, action=authority.Action.VIEW, target=f"supply point {supply_point_id}")
        raise Http404
    return found


@customer_required
@require_safe
def contract(request, supply_point_id: int):
    found = _contract_page(request, supply_point_id)
    terms = found.contract
    # The form only where the service could say yes: the right, a direct debit, a contract still in force.
    may_change = (
        found.authority.may(authority.Action.CHANGE_PAYMENT_DAY)
        and terms.pays_by_direct_debit
        and not (terms.ended_on and terms.ended_on < timezone.localdate())
    )
    return render(
        request,
        "portal/billing/contract.html",
        {
            "page": found,
            "contract": found.contract,
            "powers": sorted(found.contract.contracted_power_kw.items()),
            "payment_form": PaymentDayForm(initial={"day": found.contract.payment_day}) if may_change else None,
        },
    )


@customer_required
@require_POST
def change_payment_day(request, supply_point_id: int):
    found = _contract_page(request, supply_point_id)
    if not found.authority.may(authority.Action.CHANGE_PAYMENT_DAY):
        return render(
            request,
            "portal/message.html",
            {"title": _("Not allowed"), "error": _("You cannot change the payment day of this contract.")},
            status=403,
        )
    form = PaymentDayForm(request.POST)
    back = redirect("portal:contract", supply_point_id=supply_point_id)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("day", [])))
        return back
    day = form.cleaned_data["day"]
    try:
        services.change_payment_day(contract=found.contract, day=day, actor=_actor(request))
    except services.PaymentDayError as error:
        # "unchanged" is no failure: the day asked for is already the day.
        (messages.info if error.code == "unchanged" else messages.error)(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The payment day is now day %(day)d of each month. It applies from the next invoice; we have sent "
                "a confirmation by e-mail."
            )
            % {"day": day},
        )
    return back
