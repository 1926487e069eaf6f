"""Saved views on the archive: the same saved filter sets as the work queue (one model, one form), listed on both
lists, each link opening the list it is on; saving or deleting from the archive comes back to the archive."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.supervision.conftest import html, logged_in
from tests.workflows.paperwork import staff
from workflows.models import SavedView

from .test_worklist import ARCHIVE, QUEUE, SAVE, at_verification, decide, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier(db):
    return staff("verifiers", "vera")


def test_a_view_saved_on_the_archive_comes_back_to_the_archive_and_serves_the_queue_too(verifier):
    client = logged_in(verifier)
    response = client.post(SAVE, {"name": "Rejected by phone", "query": "channel=phone&bogus=1", "list": "archive"})
    assert response.status_code == 302 and response["Location"] == f"{ARCHIVE}?channel=phone"
    assert "View “Rejected by phone” saved." in html(client.get(response["Location"]))
    assert list(SavedView.objects.filter(user=verifier).values_list("name", "query")) == [
        ("Rejected by phone", "channel=phone")
    ]
    archive = html(client.get(ARCHIVE))
    assert 'data-worklist-view="Rejected by phone"' in archive and f"{ARCHIVE}?channel=phone" in archive
    assert 'name="list" value="archive"' in archive
    queue = html(client.get(QUEUE))
    assert f"{QUEUE}?channel=phone" in queue and 'name="list" value="archive"' not in queue


def test_deleting_from_the_archive_comes_back_to_the_archive_and_only_ones_own(verifier):
    view = SavedView.objects.create(user=verifier, name="Mine", query="channel=phone")
    delete = reverse("staff:workflow:worklist_delete_view", args=[view.pk])
    assert logged_in(staff("verifiers", "victor")).post(delete, {"list": "archive"}).status_code == 404
    response = logged_in(verifier).post(delete, {"list": "archive"})
    assert response.status_code == 302 and response["Location"] == ARCHIVE
    assert not SavedView.objects.filter(pk=view.pk).exists()


def test_a_saved_view_filters_the_archive(verifier, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    approved, rejected = at_verification(1, capture), at_verification(2, capture)
    decide(approved, verifier, capture)
    decide(rejected, verifier, capture, decision="reject", reason="unreadable")
    client = logged_in(verifier)
    client.post(SAVE, {"name": "Same channel", "query": f"channel={approved.channel}", "list": "archive"})
    client.post(SAVE, {"name": "By phone", "query": "channel=phone", "list": "archive"})
    assert approved.channel != "phone"
    views = dict(SavedView.objects.filter(user=verifier).values_list("name", "query"))
    assert set(rows(html(client.get(f"{ARCHIVE}?{views['Same channel']}")))) == {approved.reference, rejected.reference}
    assert rows(html(client.get(f"{ARCHIVE}?{views['By phone']}"))) == []
