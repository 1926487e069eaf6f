"""Invoice exports through the API: the page's ZIP, CSV and XLSX, with the invoice list's filters and limits."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from accounts.models import Invoice
from portal import billing


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_zip_holds_the_pdfs_the_filters_match(story, api_for):
    api = api_for(story.representative)
    response = api.get("/api/v1/invoices/zip/", {"issued_from": "2026-08-01", "customer": story.customer.pk})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(_body(response))).namelist()
    expected = Invoice.objects.filter(contract__customer=story.customer, issued_on__gte="2026-08-01")
    assert sorted(names) == sorted(billing.zip_entry_name(invoice) for invoice in expected)
    assert expected.exists()


def test_the_zip_of_given_invoices_leaves_out_those_one_may_not_see(story, api_for):
    own = Invoice.objects.filter(contract__customer=story.customer).first()
    other = Invoice.objects.filter(contract__customer=story.other_customer).first()
    response = api_for(story.readonly).get("/api/v1/invoices/zip/", {"invoice": [own.pk, other.pk]})
    assert zipfile.ZipFile(io.BytesIO(_body(response))).namelist() == [billing.zip_entry_name(own)]


def test_beyond_the_zip_limit_the_api_says_narrow_the_filters(story, api_for, monkeypatch):
    monkeypatch.setattr(billing, "ZIP_MAX_INVOICES", 2)
    response = api_for(story.representative).get("/api/v1/invoices/zip/")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "too_many")
    assert "at most 2" in response.json()["error"]["message"]


def test_the_csv_and_the_xlsx_hold_the_rows_the_filters_match(story, api_for):
    api = api_for(story.representative, language="es")
    newest = Invoice.objects.filter(contract__customer=story.customer).order_by("-issued_on").first()
    params = {"issued_from": newest.issued_on.isoformat()}
    csv = _body(api.get("/api/v1/invoices/export.csv", params)).decode("utf-8-sig").splitlines()
    assert csv[0].startswith("Factura;") and len(csv) == 2 and csv[1].startswith(newest.number)
    xlsx = api.get("/api/v1/invoices/export.xlsx", params)
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == billing.XLSX_TYPE
    sheet = load_workbook(io.BytesIO(_body(xlsx))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["Factura", newest.number]


def test_a_bad_filter_of_an_export_is_a_400_naming_the_field(story, api_for):
    response = api_for(story.representative).get("/api/v1/invoices/export.csv", {"issued_from": "soon"})
    assert response.status_code == 400 and "issued_from" in response.json()["error"]["fields"]


def test_beyond_the_xlsx_limit_the_api_points_to_the_csv(story, api_for, monkeypatch):
    monkeypatch.setattr(billing, "XLSX_MAX_ROWS", 1)
    response = api_for(story.representative).get("/api/v1/invoices/export.xlsx")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "too_many")
