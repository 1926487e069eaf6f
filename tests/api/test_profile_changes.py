"""The caller's own profile through the API: the page's form and services; the e-mail only once confirmed."""

from __future__ import annotations

from accounts.models import AuditEvent, EmailChange, Person
from outbox.models import Email


def test_name_phone_and_language_change_through_the_profile_service(story, api_for):
    api = api_for(story.full)
    response = api.patch("/api/v1/me/", {"phone": "612 345 678", "language": "es"})
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=story.full.pk)
    assert (person.phone, person.language, person.name) == ("612345678", "es", story.full.name)
    event = AuditEvent.objects.get(action="person.update")
    assert "api token" in event.actor_label


def test_a_bad_phone_is_a_400_with_the_pages_words_and_nothing_changes(story, api_for):
    response = api_for(story.full).patch("/api/v1/me/", {"phone": "call me"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["phone"] == ["Enter a valid phone number."]
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_a_new_email_only_starts_the_confirmation(story, api_for):
    before = story.full.email
    response = api_for(story.full).post("/api/v1/me/email/", {"email": "new@example.com"})
    assert response.status_code == 202 and response.json()["new_email"] == "new@example.com"
    assert Person.objects.get(pk=story.full.pk).email == before
    assert EmailChange.objects.filter(person=story.full, new_email="new@example.com", used_at=None).exists()
    assert list(Email.objects.values_list("to", "template")) == [("new@example.com", "confirm_email_change")]


def test_a_bad_email_is_a_400_and_nothing_is_sent(story, api_for):
    response = api_for(story.full).post("/api/v1/me/email/", {"email": "not-an-address"})
    assert response.status_code == 400 and "email" in response.json()["error"]["fields"]
    assert not EmailChange.objects.exists() and not Email.objects.exists()


def test_the_profile_cannot_change_anyone_else(story, api_for):
    api_for(story.full).patch("/api/v1/me/", {"name": "Someone Else"})
    assert Person.objects.get(pk=story.readonly.pk).name == story.readonly.name
    assert Person.objects.get(pk=story.full.pk).name == "Someone Else"
