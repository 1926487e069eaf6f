"""Staff see, beside a request, every e-mail it sent: what, to whom, and whether it was delivered."""

import pytest

from outbox.models import Email
from tests.workflows.test_verification_page import logged_in, page_url, submitted, verifier  # noqa: F401 -- fixtures

pytestmark = pytest.mark.django_db


def test_the_verification_page_lists_the_requests_emails_with_their_status(client, verifier, submitted):  # noqa: F811
    received = Email.objects.get(request_ref=submitted.reference, template="request_received")
    assert received.status == Email.Status.SENT and received.context == {}  # sent, and its link not kept
    Email.objects.create(
        key="refused",
        to="gone@example.com",
        template="request_outcome",
        language="es",
        request_ref=submitted.reference,
        status=Email.Status.FAILED,
        error="550 5.1.1 user unknown",
    )
    logged_in(client, verifier)
    page = client.get(page_url(submitted)).content.decode()
    assert 'data-email-status="sent"' in page and "Request received" in page and received.to in page
    assert 'data-email-status="failed"' in page and "550 5.1.1 user unknown" in page


def test_another_requests_emails_are_not_listed(client, verifier, submitted):  # noqa: F811
    Email.objects.create(
        key="other", to="other@example.com", template="request_outcome", language="es", request_ref="RC9999999999"
    )
    logged_in(client, verifier)
    assert "other@example.com" not in client.get(page_url(submitted)).content.decode()
