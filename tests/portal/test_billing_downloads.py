"""An invoice's PDF, the ZIP of many, and the CSV and XLSX of the listed rows: same visibility as the list,
no-store headers, streamed, contents checked."""

import csv
import io
import tracemalloc
import zipfile

import pytest
from django.urls import reverse

from accounts.models import Invoice
from portal.billing import ZIP_MAX_INVOICES, safe_text
from tests import factories as f
from tests.documents.conftest import moto_endpoint, s3_bucket, s3_client  # noqa: F401 -- the S3 fixtures
from tests.portal.billing_setup import ROLES, BillingStory, add_invoices, store_pdfs
from tests.portal.helpers import login_as, use_language

pytestmark = pytest.mark.django_db
ZIP = reverse("portal:invoices_zip")
CSV = reverse("portal:invoices_csv")
XLSX = reverse("portal:invoices_xlsx")


@pytest.fixture
def billing(db):
    story = BillingStory()
    store_pdfs(list(Invoice.objects.all()))
    return story


def pdf_url(invoice) -> str:
    return reverse("portal:invoice_pdf", args=[invoice.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_protected(response) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")


def zip_names(response) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(body(response))).namelist()


def numbers_in_zip(response) -> set[str]:
    return {name.rsplit("/", 1)[-1].removesuffix(".pdf") for name in zip_names(response)}


# -- one PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_pdf_is_served_only_to_who_sees_the_invoice(client, billing, role):
    login_as(client, billing.people()[role])
    visible = billing.expected_numbers(role)
    for invoice in Invoice.objects.all():
        response = client.get(pdf_url(invoice))
        if invoice.number in visible:
            assert response.status_code == 200, invoice.number
            assert_protected(response)
            assert response["Content-Type"] == "application/pdf"
            assert f"fake invoice {invoice.number}".encode() in body(response)
        else:
            assert response.status_code == 404, invoice.number


def test_an_invisible_invoice_is_404_and_logged(client, billing, caplog):
    login_as(client, billing.outsider)
    invoice = billing.point_invoices[billing.points[0].pk][0]
    with caplog.at_level("WARNING", logger="security"):
        assert client.get(pdf_url(invoice)).status_code == 404
    assert any(getattr(r, "event", "") == "access.refused" for r in caplog.records)


def test_a_pdf_needs_a_login(client, billing):
    response = client.get(pdf_url(billing.point_invoices[billing.points[0].pk][0]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_missing_pdf_is_generated_on_demand(client, billing):
    import pypdfium2

    invoice = add_invoices(billing.contract, count=1, supply_point=billing.points[0])[0]
    assert invoice.pdf_name == ""
    login_as(client, billing.representative)
    response = client.get(pdf_url(invoice))
    assert response.status_code == 200
    data = body(response)
    assert data.startswith(b"%PDF")
    text = pypdfium2.PdfDocument(data)[0].get_textpage().get_text_range()
    assert invoice.number in text
    invoice.refresh_from_db()
    assert invoice.pdf_name  # stored: the next download reads it


# -- the ZIP ------------------------------------------------------------------------------------


def test_the_zip_of_selected_invoices_has_their_pdfs_named_by_company_and_number(client, billing):
    login_as(client, billing.representative)
    chosen = billing.point_invoices[billing.points[0].pk][:2]
    response = client.get(ZIP, {"invoice": [i.pk for i in chosen]})
    assert response.status_code == 200 and response.streaming
    assert_protected(response)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert sorted(archive.namelist()) == sorted(f"{billing.customer.tax_id}/{i.number}.pdf" for i in chosen)
    assert archive.testzip() is None
    assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}
    for invoice in chosen:
        assert f"fake invoice {invoice.number}".encode() in archive.read(
            f"{billing.customer.tax_id}/{invoice.number}.pdf"
        )


@pytest.mark.parametrize("role", ROLES)
def test_forged_ids_in_the_selection_never_put_an_invisible_invoice_in_the_zip(client, billing, role):
    login_as(client, billing.people()[role])
    every_id = list(Invoice.objects.values_list("pk", flat=True))
    response = client.get(ZIP, {"invoice": every_id})
    expected = billing.expected_numbers(role)
    if not expected:
        assert response.status_code == 302  # nothing to download: back to the list with a message
        return
    assert numbers_in_zip(response) == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_zip_of_all_matching_asks_first_then_holds_exactly_the_visible_invoices(client, billing, role):
    login_as(client, billing.people()[role])
    use_language(client, "en")  # the messages asserted below are the English msgids
    expected = billing.expected_numbers(role)
    confirm = client.get(ZIP, {"all": "1"})
    if not expected:
        assert confirm.status_code == 302
        return
    assert confirm.status_code == 200 and not confirm.streaming
    page = confirm.content.decode()
    assert f"Download {len(expected)} PDFs" in page
    assert numbers_in_zip(client.get(ZIP, {"all": "1", "confirm": "1"})) == expected


def test_the_zip_of_all_follows_the_filters(client, billing):
    login_as(client, billing.representative)
    point = billing.points[1]
    response = client.get(ZIP, {"all": "1", "confirm": "1", "cups": point.cups})
    assert numbers_in_zip(response) == {i.number for i in billing.point_invoices[point.pk]}


def test_the_zip_is_capped_with_a_clear_message(client, billing, monkeypatch):
    monkeypatch.setattr("portal.billing.ZIP_MAX_INVOICES", 5)
    login_as(client, billing.representative)
    use_language(client, "en")  # the messages asserted below are the English msgids
    response = client.get(ZIP, {"all": "1", "confirm": "1"})
    assert response.status_code == 400 and not response.streaming
    assert "one ZIP holds at most 5" in response.content.decode()
    assert ZIP_MAX_INVOICES == 2000


def test_an_empty_selection_goes_back_to_the_list_with_a_message(client, billing):
    login_as(client, billing.representative)
    use_language(client, "en")  # the messages asserted below are the English msgids
    response = client.get(ZIP, {"status": "paid"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('portal:invoices')}?status=paid"
    assert "Select at least one invoice" in response.content.decode()


def _zip_peak(client) -> tuple[int, int]:
    """Peak traced memory while the ZIP of every invoice is produced and read, and the ZIP's size."""
    tracemalloc.start()
    try:
        response = client.get(ZIP, {"all": "1", "confirm": "1"})
        size = sum(len(chunk) for chunk in response.streaming_content)  # closes the response at the end
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def test_the_zip_streams_in_constant_memory(client):
    person = f.person(login=True)
    company = f.customer(invoices=())
    f.grant(customer=company, person=person, role="representative")
    contract = company.contracts.get()
    login_as(client, person)
    store_pdfs(add_invoices(contract, count=50, supply_point=contract.supply_points.first()), size=40_000)
    client.get(reverse("portal:invoices"))  # warm up (templates, translations, the first queries)
    peak_50, size_50 = _zip_peak(client)
    store_pdfs(add_invoices(contract, count=450, supply_point=contract.supply_points.first()), size=40_000)
    peak_500, size_500 = _zip_peak(client)
    assert size_500 > 9 * size_50 > 0
    print(f"ZIP peak traced memory: 50 PDFs {peak_50 / 1e6:.2f} MB, 500 PDFs {peak_500 / 1e6:.2f} MB")
    assert peak_500 < peak_50 + 1_000_000  # ~18 MB more PDFs, under 1 MB more memory
    assert peak_500 < 8_000_000


# -- CSV and XLSX -------------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("role", ROLES)
def test_the_csv_holds_exactly_the_visible_invoices(client, billing, role):
    login_as(client, billing.people()[role])
    response = client.get(CSV)
    assert response.status_code == 200 and response.streaming
    assert_protected(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert len(rows[0]) == 12
    assert {row[0] for row in rows[1:]} == billing.expected_numbers(role)


def test_the_csv_row_has_every_column_in_spanish_excel_shape(client, billing):
    login_as(client, billing.representative)
    use_language(client, "en")
    invoice = billing.point_invoices[billing.points[0].pk][0]
    rows = csv_rows(client.get(CSV, {"cups": billing.points[0].cups, "sort": "-issued_on"}))
    assert rows[0] == [
        "Invoice", "Company", "CIF", "Supply point (CUPS)", "Period from", "Period to",
        "Issued", "Due", "Net", "VAT", "Total", "Status",
    ]  # fmt: skip
    net = invoice.vat[0]["base"].replace(".", ",")
    vat = invoice.vat[0]["amount"].replace(".", ",")
    assert rows[1] == [
        invoice.number,
        billing.customer.name,
        billing.customer.tax_id,
        billing.points[0].cups,
        invoice.period_start.isoformat(),
        invoice.period_end.isoformat(),
        invoice.issued_on.isoformat(),
        invoice.due_on.isoformat(),
        net,
        vat,
        f"{invoice.total:.2f}".replace(".", ","),
        "Paid",
    ]


def test_the_csv_follows_the_filters(client, billing):
    login_as(client, billing.readonly)
    rows = csv_rows(client.get(CSV, {"cups": billing.points[1].cups}))
    assert {row[0] for row in rows[1:]} == {i.number for i in billing.point_invoices[billing.points[1].pk]}


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB"])
def test_cells_that_would_run_as_formulas_are_escaped(client, billing, name):
    billing.customer.name = name
    billing.customer.save()
    login_as(client, billing.representative)
    rows = csv_rows(client.get(CSV))
    assert {row[1] for row in rows[1:]} == {f"'{name}"}
    workbook = _workbook(client.get(XLSX))
    names = {row[1] for row in list(workbook.active.iter_rows(values_only=True))[1:]}
    assert names == {f"'{name}"}
    assert safe_text("Empresa = S.L.") == "Empresa = S.L."


def _workbook(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(body(response)), read_only=True)


@pytest.mark.parametrize("role", ROLES)
def test_the_xlsx_holds_exactly_the_visible_invoices(client, billing, role):
    login_as(client, billing.people()[role])
    response = client.get(XLSX)
    assert response.status_code == 200
    assert_protected(response)
    rows = list(_workbook(response).active.iter_rows(values_only=True))
    assert len(rows[0]) == 12
    assert {row[0] for row in rows[1:]} == billing.expected_numbers(role)


def test_the_xlsx_has_numbers_and_dates(client, billing):
    login_as(client, billing.representative)
    invoice = billing.point_invoices[billing.points[0].pk][0]
    rows = list(_workbook(client.get(XLSX, {"cups": billing.points[0].cups})).active.iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == invoice.number)
    assert row[6].date() == invoice.issued_on
    assert round(row[10], 2) == float(invoice.total)


def test_the_xlsx_is_capped(client, billing, monkeypatch):
    monkeypatch.setattr("portal.billing.XLSX_MAX_ROWS", 3)
    login_as(client, billing.representative)
    use_language(client, "en")  # the messages asserted below are the English msgids
    response = client.get(XLSX, follow=True)
    assert "An XLSX file holds at most 3 invoices" in response.content.decode()


# -- on S3 (moto on loopback) -------------------------------------------------------------------


@pytest.fixture
def s3_billing(s3_bucket):
    """The billing story with the documents storage on a fresh S3 bucket (the documents tests' fixtures)."""
    story = BillingStory()
    store_pdfs(list(Invoice.objects.all()))
    return story


def test_on_s3_the_pdf_is_a_short_presigned_redirect_and_the_zip_reads_from_the_bucket(client, s3_billing):
    import urllib.request
    from urllib.parse import parse_qs, urlsplit

    login_as(client, s3_billing.representative)
    invoice = s3_billing.point_invoices[s3_billing.points[0].pk][0]
    response = client.get(pdf_url(invoice))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert int(parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"][0]) <= 300
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        assert f"fake invoice {invoice.number}".encode() in fetched.read()
    assert client.get(pdf_url(s3_billing.other_invoices[0])).status_code == 404
    chosen = s3_billing.point_invoices[s3_billing.points[1].pk]
    assert numbers_in_zip(client.get(ZIP, {"invoice": [i.pk for i in chosen]})) == {i.number for i in chosen}
