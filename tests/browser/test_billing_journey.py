"""A gestoria's collaborator works the invoices of the 60 companies its firm manages.

Logs in, opens Invoices, filters the last quarter, downloads the ZIP of every matching PDF (and of a selected page),
opens one PDF, finds no payment-day form on a contract and has a forged payment-day POST refused. The invoice list
is photographed at 1280 and 390 px (``test-artifacts/billing-*.png``), and no billing page scrolls sideways at 390 px.

Assertions rely on URLs, ids and structure, so they hold whether or not the translations are compiled.
"""

from __future__ import annotations

import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Contract, Invoice
from portal.billing import last_quarter
from tests import factories
from tests.portal.billing_setup import add_invoices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
COMPANIES = 60
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SHOTS.mkdir(exist_ok=True)


def _firm_with_companies():
    firm = factories.firm()
    firm.kind = "gestoria"
    firm.save()
    manager = factories.person(name="Gestora Principal")
    collaborator = factories.person(login=True, name="Col·laboradora Gestoria")
    quarter_start, _quarter_end = last_quarter(timezone.localdate())
    in_quarter, contracts = [], []
    for n in range(COMPANIES):
        company = factories.customer(name=f"Comunitat Prova {n:02d}", invoices=())
        manager_grant = factories.grant(customer=company, person=manager, role="external_manager", firm=firm)
        factories.grant(customer=company, person=collaborator, role="authorised_full", delegated_from=manager_grant)
        contract = company.contracts.get()
        contracts.append(contract)
        for point in contract.supply_points.all():
            # One invoice in the last quarter (issued mid-quarter) and one the quarter before.
            in_quarter += add_invoices(
                contract, count=1, supply_point=point, first_issue=quarter_start.replace(month=quarter_start.month + 1)
            )
            add_invoices(contract, count=1, supply_point=point, first_issue=quarter_start - timedelta(days=40))
    return collaborator, contracts, in_quarter


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_gestoria_collaborator_downloads_the_last_quarter_and_changes_nothing(new_page, live_server, submit):
    collaborator, contracts, in_quarter = _firm_with_companies()
    expected = {
        f"{i.contract.customer.tax_id}/{i.number}.pdf"
        for i in Invoice.objects.filter(pk__in=[i.pk for i in in_quarter]).select_related("contract__customer")
    }
    assert len(expected) == 2 * COMPANIES

    page = new_page(locale="en-GB")
    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(collaborator.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form)

    # -- Invoices, from the menu; then the last quarter ---------------------------------------------------------
    with page.expect_navigation():
        page.locator("header a[href='/invoices/']").click()
    assert page.url.endswith("/invoices/")
    with page.expect_navigation():
        page.locator("#last-quarter").click()
    assert re.search(r"issued_from=\d{4}-\d{2}-01", page.url) and "issued_to=" in page.url
    assert page.locator("#invoices-found").inner_text().startswith(f"{len(expected)} ")
    assert page.locator("table.stack tbody tr").count() == 50
    assert page.locator("nav ul.pages a").count() >= 2  # pages 2, 3 and "next"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / "billing-invoices-1280.png"), full_page=True)

    # -- the ZIP of every matching invoice: a page says how many, then the download -----------------------------
    with page.expect_navigation():
        page.locator("#zip-all").click()
    assert f"{len(expected)}" in page.locator("#confirm-zip").inner_text()
    with page.expect_download() as download_info:
        page.locator("#confirm-zip").click()
    archive = zipfile.ZipFile(download_info.value.path())
    assert set(archive.namelist()) == expected
    assert archive.testzip() is None
    first_pdf = archive.read(sorted(expected)[0])
    assert first_pdf.startswith(b"%PDF")

    # -- "select all on this page" (the page's script) and the ZIP of the selection ------------------------------
    page.go_back()
    page.locator("#select-page").check()
    assert page.locator("input[name=invoice]:checked").count() == 50
    with page.expect_download() as download_info:
        page.locator("#selection button[type=submit]").click()
    assert len(zipfile.ZipFile(download_info.value.path()).namelist()) == 50

    # -- one PDF: the number's link; rendered to a picture to look at --------------------------------------------
    link = page.locator("table.stack tbody tr").first.locator("td").nth(1).locator("a")
    number = link.inner_text().strip()
    with page.expect_download() as download_info:
        link.click()
    data = Path(download_info.value.path()).read_bytes()
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    assert number in pdf[0].get_textpage().get_text_range()
    pdf[0].render(scale=1.6).to_pil().save(SHOTS / "billing-pdf.png")
    pdf.close()

    # -- the contract page: no payment-day form; a forged POST is refused and changes nothing -------------------
    point = contracts[0].supply_points.order_by("cups").first()
    page.goto(f"/supplies/{point.pk}/contract/")
    assert contracts[0].number in page.locator("main h1").inner_text()
    assert page.locator("#payment-day-form").count() == 0
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    refused = page.request.post(
        f"{live_server.url}/supplies/{point.pk}/contract/payment-day/",
        form={"csrfmiddlewaretoken": token, "day": "20"},
    )
    assert refused.status == 403
    assert Contract.objects.get(pk=contracts[0].pk).payment_day == contracts[0].payment_day

    # -- 390 px: nothing scrolls sideways -------------------------------------------------------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "billing-contract-390.png"), full_page=True)
    page.goto("/invoices/?issued_from=2000-01-01&sort=total")
    _no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "billing-invoices-390.png"), full_page=True)
    page.goto("/invoices/?issued_from=2026-13-40&amount_min=abc")
    assert page.locator("main .errorlist:not(.nonfield)").count() == 2  # one per field, under it
    assert page.locator("[data-error-summary] li a").count() == 2  # and the summary's link to each
    _no_sideways_scroll(page)
    page.goto("/invoices/zip/?all=1")
    _no_sideways_scroll(page)


def test_representative_changes_the_payment_day(page, submit):
    from django.core import mail

    company = factories.customer(name="Forn de Pa Sant Jordi S.L.")
    representative = factories.person(login=True, email="rep@example.com", language="en")
    factories.grant(customer=company, person=representative, role="representative")
    contract = company.contracts.get()
    point = contract.supply_points.order_by("cups").first()
    add_invoices(contract, count=3, supply_point=point)

    page.goto("/login/")
    form = page.locator("main form")
    form.locator("#id_id_number").fill(representative.id_number)
    form.locator("#id_password").fill(factories.PASSWORD)
    submit(page, form)
    page.goto(f"/supplies/{point.pk}/contract/")
    form = page.locator("#payment-day-form")
    assert form.locator("option").all_inner_texts() == ["5", "10", "15", "20", "25"]
    form.locator("select").select_option("20")
    submit(page, form, expect_url=rf"/supplies/{point.pk}/contract/$", button="button[type=submit]")
    assert page.locator("main ul.messages li.success").count() == 1
    assert "20" in page.locator("#payment-day").inner_text()
    assert Contract.objects.get(pk=contract.pk).payment_day == 20
    assert any("rep@example.com" in message.to for message in mail.outbox)
    page.screenshot(path=str(SHOTS / "billing-contract-1280.png"), full_page=True)
