"""The supervisors' pages: staff users of each role, logged in and reading in English, and requests put on hold."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.audit import Actor
from backoffice.demo import make_nif
from tests import factories
from tests.workflows.paperwork import power_of_attorney, staff, staff_actor, start_change, upload
from workflows import services
from workflows.models import Channel

OBJECTION = Actor(user=None, ip="203.0.113.7", label="objection link")


def url(name: str, *args) -> str:
    return reverse(f"staff:supervision:{name}", args=args)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def html(response) -> str:
    return response.content.decode()


def put_on_hold(process, *, note: str = "I never signed this power of attorney.", channel: str = Channel.PORTAL):
    """The representative when the request started objects to it."""
    return services.object_to_request(
        process=process, person=process.representative_at_start, channel=channel, note=note, actor=OBJECTION
    )


def a_change_on_a_new_customer(n: int):
    """A change of representative asked for on a customer of its own, which has a representative."""
    customer = factories.customer(supply_points=1, invoices=())
    factories.grant(customer=customer, person=factories.person(), role="representative")
    return services.start_representative_change(
        customer=customer,
        new_id_number=make_nif(30_000_000 + n),
        new_name=f"Nova Representant {n}",
        new_email=f"nova{n}@example.com",
        outgoing="authorised_full",
        contact_email=f"contacte{n}@example.com",
        language="ca",
        requested_by=None,
        actor=Actor.system("test"),
    )


@pytest.fixture
def supervisor(db):
    user = staff("supervisors")
    user.first_name, user.last_name = "Sara", "Supervisor"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def supervising(supervisor) -> Client:
    return logged_in(supervisor)


@pytest.fixture
def submitted(story, django_capture_on_commit_callbacks):
    """A change of representative waiting for verification: documents uploaded, pre-check done."""
    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    with django_capture_on_commit_callbacks(execute=True):
        upload(process, power_of_attorney(story.customer))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_documents(process=process, actor=staff_actor(story.representative.user))
    process.refresh_from_db()
    return process
