"""The representative objects by phone: the agent puts the request on hold for a supervisor, and the call records it."""

import pytest

from accounts.models import AuditEvent
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, start_change
from workflows.models import Channel

from .helpers import html, take_call, url, verified_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked_by_full(story):
    """A change of representative that the full contact asked for in the customer area: the representative was told."""
    return start_change(story, requested_by=story.full, contact_email="full@example.com")


def test_the_representative_objects_by_phone_and_the_request_goes_on_hold(console, story, agent, asked_by_full):
    interaction = verified_call(console, story.customer, story.representative)
    page = html(console.get(url("call", interaction.pk)))
    block = page.split(f'data-cc-request="{asked_by_full.reference}"')[1]
    assert (
        "data-cc-objection" in block
        and "The representative objects: put on hold" in block
        and "data-cc-on-hold" not in block
    )

    response = console.post(
        url("object_to_request", interaction.pk),
        {"reference": asked_by_full.reference.lower(), "note": "I never agreed to this."},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#request-{asked_by_full.reference}")
    asked_by_full.refresh_from_db()
    assert asked_by_full.on_hold and asked_by_full.is_open
    assert asked_by_full.objected_by == story.representative and asked_by_full.objection_channel == Channel.PHONE
    assert asked_by_full.objection_note == "I never agreed to this."
    interaction.refresh_from_db()
    assert (
        interaction.reason == "objection"
        and interaction.outcome == "put_on_hold"
        and interaction.request_ref == asked_by_full.reference
    )

    page = html(console.get(response["Location"]))
    assert f"Request {asked_by_full.reference} is on hold: a supervisor will decide on it." in page
    block = page.split(f'data-cc-request="{asked_by_full.reference}"')[1].split("</article>")[0]
    assert "data-cc-on-hold" in block and "On hold" in block and "data-cc-objection" not in block


def test_an_objection_by_phone_is_audited_on_the_request_and_on_the_call(console, story, agent, asked_by_full):
    interaction = verified_call(console, story.customer, story.representative)
    console.post(url("object_to_request", interaction.pk), {"reference": asked_by_full.reference, "note": ""})
    objection = AuditEvent.objects.get(action="request.objection", request_ref=asked_by_full.reference)
    assert objection.actor == agent and objection.after["objected_at"] is not None
    call = AuditEvent.objects.filter(action="call.update", target_id=str(interaction.pk)).latest("id")
    assert call.actor == agent and call.request_ref == asked_by_full.reference
    assert (
        call.before["outcome"] == "open"
        and call.after["outcome"] == "put_on_hold"
        and call.after["reason"] == "objection"
    )
    assert call.after["caller_kind"] == "known" and call.after["caller_person"] == story.representative.pk


def test_only_the_representative_when_the_request_started_may_object(console, story, asked_by_full):
    known = verified_call(console, story.customer, story.full)
    unknown = verified_call(console, story.customer, None, id_number=NEW_NIF, name=NEW_NAME)
    for interaction in (known, unknown):
        assert "data-cc-objection" not in html(console.get(url("call", interaction.pk)))
        response = console.post(url("object_to_request", interaction.pk), {"reference": asked_by_full.reference})
        assert response.status_code == 400
        assert "Only the representative of the customer can object to this request." in html(response)
    asked_by_full.refresh_from_db()
    assert not asked_by_full.on_hold


def test_an_objection_needs_a_verified_caller(console, story, asked_by_full):
    interaction = take_call(console, story.customer)
    response = console.post(url("object_to_request", interaction.pk), {"reference": asked_by_full.reference})
    assert response.status_code == 400 and "Verify the caller first." in html(response)
    asked_by_full.refresh_from_db()
    assert not asked_by_full.on_hold


@pytest.mark.parametrize(
    "reference, message",
    [
        ("garbage", "This request does not belong to the customer of this call."),
        ("RC-AAAAAA", "This request does not belong to the customer of this call."),
        ("", "Nothing was put on hold: correct the form below."),
        ("RC-AAAAAA-TOO-LONG", "Nothing was put on hold: correct the form below."),
    ],
)
def test_an_objection_to_a_malformed_or_unknown_reference_is_a_400(console, story, reference, message):
    interaction = verified_call(console, story.customer, story.representative)
    response = console.post(url("object_to_request", interaction.pk), {"reference": reference})
    assert response.status_code == 400 and message in html(response)


def test_an_objection_to_another_customers_request_is_refused(console, story, asked_by_full):
    interaction = verified_call(console, story.other_customer, story.outsider)
    response = console.post(url("object_to_request", interaction.pk), {"reference": asked_by_full.reference})
    assert response.status_code == 400 and "This request does not belong to the customer of this call." in html(
        response
    )
    asked_by_full.refresh_from_db()
    assert not asked_by_full.on_hold
