"""The resources: what each answers, its filters and pages, ETags, errors in one shape, and the rate limits."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.models import AuditEvent, Invoice
from api.errors import NOT_FOUND
from outbox.models import Email
from portal.views import CONTACT_OUTCOMES, change_contact_role_outcome
from tests import factories as f
from tests.api.conftest import ApiClient, make_token
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney
from workflows.models import Milestone, RepresentativeChangeProcess


def _error(response) -> dict:
    return response.json()["error"]


# -- invoices -----------------------------------------------------------------------------------------


def test_invoices_filter_like_the_page(story, api_for):
    invoice = Invoice.objects.filter(contract__customer=story.customer).order_by("-issued_on").first()
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.RETURNED)
    api = api_for(story.representative)
    rows = api.get("/api/v1/invoices/", {"status": "returned"}).json()["results"]
    assert [row["id"] for row in rows] == [invoice.pk]
    period = api.get("/api/v1/invoices/", {"issued_from": "2026-08-01", "issued_to": "2026-09-30"}).json()["results"]
    assert [row["issued_on"] for row in period] == ["2026-09-01", "2026-08-01"]
    assert api.get("/api/v1/invoices/", {"amount_min": "100,00"}).json()["results"]
    assert all(
        Decimal(row["total"]) >= 100 for row in api.get("/api/v1/invoices/", {"amount_min": "100"}).json()["results"]
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"issued_from": "yesterday"}, "issued_from"),
        ({"issued_from": "2026-09-01", "issued_to": "2026-01-01"}, "issued_to"),
        ({"status": "lost"}, "status"),
        ({"amount_min": "a lot"}, "amount_min"),
        ({"customer": "x"}, "customer"),
        ({"supply_point": "-1"}, "supply_point"),
        ({"supply_point": "²"}, "supply_point"),
        ({"customer": "²"}, "customer"),
        ({"page_size": "²"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"cursor": "garbage"}, "cursor"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(story, api_for, params, field):
    response = api_for(story.representative).get("/api/v1/invoices/", params)
    assert response.status_code == 400
    assert field in _error(response)["fields"]


def test_a_bad_filter_is_explained_in_the_callers_language(story, api_for):
    response = api_for(story.representative, language="es").get(
        "/api/v1/invoices/", {"issued_from": "2026-09-01", "issued_to": "2026-01-01"}
    )
    with translation.override("es"):
        from django.utils.translation import gettext

        expected = gettext("The end date is before the start date.")
    assert _error(response)["fields"]["issued_to"] == [expected]


def test_the_invoice_list_pages_by_cursor_without_repeats_or_gaps(story, api_for):
    api = api_for(story.representative)
    seen, url = [], "/api/v1/invoices/?page_size=3"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == list(
        Invoice.objects.filter(contract__customer=story.customer)
        .order_by("-issued_on", "-id")
        .values_list("pk", flat=True)
    )


def test_an_invoice_answers_304_while_its_etag_holds(story, api_for):
    invoice = Invoice.objects.filter(contract__customer=story.customer).first()
    api = api_for(story.full)
    first = api.get(f"/api/v1/invoices/{invoice.pk}/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = api.get(f"/api/v1/invoices/{invoice.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.RETURNED)
    changed = api.get(f"/api/v1/invoices/{invoice.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag and changed.json()["status"] == "returned"


def test_the_pdf_is_served_then_answers_304_while_its_etag_holds(story, api_for):
    invoice = Invoice.objects.filter(contract__customer=story.customer).first()
    api = api_for(story.readonly)
    first = api.get(f"/api/v1/invoices/{invoice.pk}/pdf/")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert b"".join(first.streaming_content).startswith(b"%PDF")
    assert api.get(f"/api/v1/invoices/{invoice.pk}/pdf/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_etag_never_reveals_another_customers_invoice(story, api_for):
    other = Invoice.objects.filter(contract__customer=story.other_customer).first()
    etag = api_for(story.outsider).get(f"/api/v1/invoices/{other.pk}/")["ETag"]
    response = api_for(story.representative).get(f"/api/v1/invoices/{other.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404 and _error(response)["message"] == str(NOT_FOUND)


# -- contacts ----------------------------------------------------------------------------------------------


def test_contacts_show_identities_only_where_the_rule_says(story, api_for):
    rows = api_for(story.readonly).get(f"/api/v1/customers/{story.customer.pk}/contacts/").json()["results"]
    by_grant = {row["id"]: row["id_number"] for row in rows}
    assert by_grant[story.readonly_grant.pk] == story.readonly.id_number
    assert by_grant[story.full_grant.pk] != story.full.id_number
    rows = api_for(story.representative).get(f"/api/v1/customers/{story.customer.pk}/contacts/").json()["results"]
    assert {row["id_number"] for row in rows} >= {story.full.id_number, story.readonly.id_number}


def test_a_bad_contact_is_a_400_with_the_pages_messages_and_nothing_written(story, api_for):
    api = api_for(story.representative)
    before = AuditEvent.objects.count()
    response = api.post(
        f"/api/v1/customers/{story.customer.pk}/contacts/",
        {"id_number": "B12345674", "name": "X", "email": "not-an-email", "role": "authorised_full"},
    )
    assert response.status_code == 400
    assert {"id_number", "email"} <= set(_error(response)["fields"])
    assert AuditEvent.objects.count() == before


def test_a_role_change_through_the_api_is_the_services(story, api_for):
    response = api_for(story.representative).patch(
        f"/api/v1/customers/{story.customer.pk}/contacts/{story.readonly_grant.pk}/", {"role": "authorised_full"}
    )
    assert response.status_code == 200 and response.json()["role"] == "authorised_full"
    event = AuditEvent.objects.get(action="grant.change_role")
    assert event.reason == "api: change role" and "api token" in event.actor_label


def test_deactivating_through_the_api_tells_the_person_as_the_page_does(story, api_for):
    response = api_for(story.representative).delete(
        f"/api/v1/customers/{story.customer.pk}/contacts/{story.readonly_grant.pk}/"
    )
    assert response.status_code == 204
    assert list(Email.objects.values_list("to", "template")) == [(story.readonly.email, "access_ended")]
    assert AuditEvent.objects.get(action="grant.revoke").reason == "api: deactivate contact"


def test_the_same_role_again_changes_nothing_and_a_refusal_has_the_pages_words(story, api_for):
    api = api_for(story.representative)
    same = api.patch(
        f"/api/v1/customers/{story.customer.pk}/contacts/{story.readonly_grant.pk}/", {"role": "authorised_readonly"}
    )
    assert same.status_code == 200 and not AuditEvent.objects.filter(action="grant.change_role").exists()
    outcome = change_contact_role_outcome(
        target=story.rep_grant, role="authorised_full", actor=f.actor(), reason="test"
    )  # the page's answer for a grant that is not an authorisation
    assert (outcome.code, CONTACT_OUTCOMES[outcome.code]) == ("refused", (messages.ERROR, 400))


# -- paperwork requests ------------------------------------------------------------------------------------


def _start(api, story):
    return api.post(
        f"/api/v1/customers/{story.customer.pk}/requests/representative-change/",
        {
            "new_id_number": NEW_NIF,
            "new_name": NEW_NAME,
            "new_email": "marta@example.com",
            "outgoing": "authorised_full",
            "contact_email": "rep@example.com",
        },
    )


def test_a_representative_change_is_started_documented_and_submitted_through_the_api(
    story, api_for, django_capture_on_commit_callbacks
):
    api = api_for(story.representative)
    with django_capture_on_commit_callbacks(execute=True):
        started = _start(api, story)
    assert started.status_code == 201
    reference = started.json()["reference"]
    assert started.json()["waiting_for_documents"] and started.json()["may_act"]
    pdf = SimpleUploadedFile("poder.pdf", power_of_attorney(story.customer), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = api.upload(f"/api/v1/requests/{reference}/documents/", {"file": pdf})
    assert uploaded.status_code == 201, uploaded.content
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(f"/api/v1/requests/{reference}/submit/")
    assert submitted.status_code == 200, submitted.content
    process = RepresentativeChangeProcess.objects.get(reference=reference)
    assert Milestone.objects.filter(reference=reference).count() >= 2
    detail = api.get(f"/api/v1/requests/{reference}/").json()
    assert [d["original_name"] for d in detail["documents"]] == ["poder.pdf"]
    assert [m["kind"] for m in detail["timeline"]] == list(
        Milestone.objects.filter(reference=reference).values_list("kind", flat=True)
    )
    assert AuditEvent.objects.filter(request_ref=process.reference, actor_label__contains="api token").exists()
    rows = api.get("/api/v1/requests/").json()["results"]
    assert [row["reference"] for row in rows] == [reference]


def test_a_second_open_request_of_the_same_kind_is_a_409(story, api_for, django_capture_on_commit_callbacks):
    api = api_for(story.full)
    with django_capture_on_commit_callbacks(execute=True):
        assert _start(api, story).status_code == 201
        again = _start(api, story)
    assert again.status_code == 409 and _error(again)["code"] == "already_open"


def test_a_request_is_masked_for_non_parties_and_closed_to_their_changes(
    story, api_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reference = _start(api_for(story.representative), story).json()["reference"]
    readonly = api_for(story.readonly)
    detail = readonly.get(f"/api/v1/requests/{reference}/").json()
    assert detail["asks"]["new_id_number"] != NEW_NIF and detail["asks"]["new_email"] is None
    assert detail["documents"] == [] and not detail["may_act"]
    assert readonly.post(f"/api/v1/requests/{reference}/submit/").status_code == 403
    assert api_for(story.outsider).get(f"/api/v1/requests/{reference}/").status_code == 404


def test_bad_request_filters_are_400(story, api_for):
    api = api_for(story.representative)
    assert "kind" in _error(api.get("/api/v1/requests/", {"kind": "divorce"}))["fields"]
    assert "status" in _error(api.get("/api/v1/requests/", {"status": "lost"}))["fields"]


def test_the_requests_cursor_cannot_be_forged(story, api_for):
    response = api_for(story.representative).get("/api/v1/requests/", {"cursor": "MTA="})
    assert response.status_code == 400 and _error(response)["code"] == "invalid_cursor"


# -- profile, schema and reference page ------------------------------------------------------------------


def test_the_profile_is_the_callers_own(story, api_for):
    assert api_for(story.full).get("/api/v1/me/").json()["id_number"] == story.full.id_number


def test_the_schema_and_the_reference_page_need_no_token_and_document_every_operation(client, db):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert schema["components"]["securitySchemes"]["personalAccessToken"]["scheme"] == "bearer"
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert len(operations) >= 19
    for operation in operations:
        assert {"401", "403", "404", "429"} <= set(operation["responses"])
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    body = page.content.decode()
    assert all(op["operationId"] in body for op in operations)
    # no inline script, nothing from another origin (the site's Content-Security-Policy allows neither)
    assert re.findall(r"<script[^>]*>", body) == re.findall(r'<script src="/static/[^"]+" defer>', body)


# -- rate limits ---------------------------------------------------------------------------------------------


def test_after_the_read_limit_a_token_gets_429_with_retry_after(story, settings):
    settings.API_RATE_READ = "3/min"
    _token, secret = make_token(story.representative)
    api = ApiClient(secret)
    assert [api.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/me/")
    assert refused.status_code == 429 and _error(refused)["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    _other, other_secret = make_token(story.representative)
    assert ApiClient(other_secret).get("/api/v1/me/").status_code == 200  # per token


def test_writes_have_their_own_lower_limit(story, settings):
    settings.API_RATE_WRITE = "1/min"
    _token, secret = make_token(story.representative)
    api = ApiClient(secret)
    url = f"/api/v1/customers/{story.customer.pk}/contacts/{story.readonly_grant.pk}/"
    assert api.patch(url, {"role": "authorised_full"}).status_code == 200
    assert api.patch(url, {"role": "authorised_readonly"}).status_code == 429
    assert api.get("/api/v1/me/").status_code == 200
    story.readonly_grant.refresh_from_db()
    assert story.readonly_grant.role == "authorised_full"  # the refused call changed nothing


def test_invoice_dates_are_iso(story, api_for):
    rows = api_for(story.representative).get("/api/v1/invoices/").json()["results"]
    assert date.fromisoformat(rows[0]["issued_on"])


def test_adding_contacts_past_the_invitation_limit_gets_429_with_retry_after(story, settings):
    """The one throttle on invitations (the page's too): the answer says when to come back, like a rate limit."""
    settings.INVITATIONS_PER_WINDOW = 1
    _token, secret = make_token(story.representative)
    api = ApiClient(secret)
    url = f"/api/v1/customers/{story.customer.pk}/contacts/"
    first = api.post(
        url,
        {"id_number": "12345678Z", "name": "Persona Nova", "email": "p1@example.com", "role": "authorised_readonly"},
    )
    assert first.status_code == 201
    refused = api.post(
        url,
        {"id_number": "00000000T", "name": "Persona Altra", "email": "p2@example.com", "role": "authorised_readonly"},
    )
    assert refused.status_code == 429 and _error(refused)["code"] == "throttled"
    assert int(refused["Retry-After"]) == settings.LOCKOUT_MINUTES * 60
