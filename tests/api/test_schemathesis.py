"""Schemathesis against the live schema: every operation, with valid tokens of several roles, never answers a
server error and every answer matches the schema. Bounded (a few examples per operation and role), and half the
generated cases aim at real objects of the caller's customer, so the checks see more than 404s."""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import Invoice
from tests import factories as f
from tests.api.conftest import make_token
from workflows.models import RepresentativeChangeProcess

EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def real_ids(story, django_capture_on_commit_callbacks):
    from tests.workflows.paperwork import start_change

    with django_capture_on_commit_callbacks(execute=True):
        process = start_change(story)
    invoice = Invoice.objects.filter(contract__customer=story.customer).first()
    return {
        "customer_id": story.customer.pk,
        "grant_id": story.readonly_grant.pk,
        "supply_point_id": story.customer.contracts.get().supply_points.first().pk,
        "contract_id": story.customer.contracts.get().pk,
        "invoice_id": invoice.pk,
        "reference": process.reference,
    }


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, kept on the test's connection (as Django's test client keeps it): the handler
    would otherwise close it at each request's start and end, and with it the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation, headers: dict, real: dict) -> None:
    turn = itertools.count()

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        if case.path_parameters and next(turn) % 2 == 0:
            case.path_parameters = {name: real.get(name, value) for name, value in case.path_parameters.items()}
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.mark.parametrize("role", ["representative", "authorised_readonly", "scoped_manager"])
def test_every_operation_answers_within_the_schema_and_never_500(story, real_ids, wsgi_app, settings, role):
    settings.ALLOWED_HOSTS = ["*"]
    people = story.people()
    if role == "scoped_manager":
        person = f.person(login=True)
        point = story.customer.contracts.get().supply_points.first()
        f.grant(customer=story.customer, person=person, role="external_manager", firm=f.firm(), supply_points=[point])
    else:
        person = people[role]
    _token, secret = make_token(person, scope="write")
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    for operation in operations:
        _run(operation, {"Authorization": f"Bearer {secret}", "Accept-Language": "ca"}, real_ids)
    assert RepresentativeChangeProcess.objects.filter(customer=story.customer).exists()
