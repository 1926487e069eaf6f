"""An API client per person, with a token made by the service (as the customer area makes them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api import services
from tests import factories as f


def make_token(person, *, scope: str = "write", days: int = 30):
    return services.create_token(
        person=person,
        name=f"software of {person.name}",
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
        actor=f.actor(),
    )


class ApiClient:
    """Django's test client with ``Authorization: Bearer <token>`` on every call."""

    def __init__(self, secret: str, language: str = "en") -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language)

    def get(self, path: str, data=None, **extra):
        return self.client.get(path, data, **extra)

    def post(self, path: str, data=None, **extra):
        return self.client.post(path, data or {}, content_type="application/json", **extra)

    def upload(self, path: str, data, **extra):
        return self.client.post(path, data, **extra)

    def put(self, path: str, data=None, **extra):
        return self.client.put(path, data or {}, content_type="application/json", **extra)

    def patch(self, path: str, data=None, **extra):
        return self.client.patch(path, data or {}, content_type="application/json", **extra)

    def delete(self, path: str, **extra):
        return self.client.delete(path, **extra)


@pytest.fixture
def api_for(db):
    """``api_for(person, scope="write")``: a client acting as the person through a new token."""

    def build(person, *, scope: str = "write", language: str = "en") -> ApiClient:
        _token, secret = make_token(person, scope=scope)
        return ApiClient(secret, language)

    return build


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    """Tests that are not about the limits do not meet them."""
    settings.API_RATE_READ = "10000/min"
    settings.API_RATE_WRITE = "10000/min"
