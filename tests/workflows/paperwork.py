"""Building blocks for the paperwork-request tests: staff users, documents that match a request, one-call steps."""

from __future__ import annotations

import os
import random
import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.nodes import TimerBoundary
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from accounts.audit import Actor
from backoffice.demo import make_cif
from tests import factories
from tests.ocr.corpus import make_facts, pdf_with_text, text_pdf_lines
from workflows import services
from workflows.flows import FLOW_OF_MODEL

NEW_NIF, NEW_NAME = "12345678Z", "Marta Puig Soler"
OTHER_NIF = "87654321X"  # a valid NIF that is not the one the request names
MANAGER_NIF, MANAGER_NAME = "11111111H", "Jordi Vila Roca"
FIRM_CIF, FIRM_NAME = make_cif("B", 6_543_210), "Gestio Energetica Vila S.L."


def staff(group: str, username: str | None = None):
    user = factories.staff_user(username or group)
    user.groups.add(Group.objects.get(name=group))
    return user


def power_of_attorney(
    customer, *, nif: str = NEW_NIF, name: str = NEW_NAME, doc_type: str = "power_of_attorney", seed: int = 7
) -> bytes:
    """A text-layer PDF naming the customer and the person, as a notary's power of attorney would."""
    facts = make_facts(random.Random(seed), doc_type, "es")
    facts.company_name, facts.company_cif, facts.person_nif, facts.person_name = (
        customer.name,
        customer.tax_id,
        nif,
        name,
    )
    return pdf_with_text(text_pdf_lines(facts))


def start_change(
    story, *, actor: Actor | None = None, channel: str = "portal", outgoing: str = "authorised_full", **overrides
):
    fields = {
        "new_id_number": NEW_NIF,
        "new_name": NEW_NAME,
        "new_email": "marta@example.com",
        "outgoing": outgoing,
        "contact_email": "rep@example.com",
        "language": "ca",
        "requested_by": story.representative,
    }
    fields.update(overrides)
    return services.start_representative_change(
        customer=story.customer,
        actor=actor or Actor(user=story.representative.user, ip=None, label="customer"),
        channel=channel,
        **fields,
    )


def start_manager(story, *, actor: Actor | None = None, channel: str = "portal", supply_points=(), **overrides):
    fields = {
        "firm_cif": FIRM_CIF,
        "firm_name": FIRM_NAME,
        "firm_kind": "energy_manager",
        "manager_id_number": MANAGER_NIF,
        "manager_name": MANAGER_NAME,
        "manager_email": "jordi@example.com",
        "contact_email": "rep@example.com",
        "language": "ca",
        "requested_by": story.representative,
    }
    fields.update(overrides)
    return services.start_external_manager(
        customer=story.customer,
        actor=actor or Actor(user=story.representative.user, ip=None, label="customer"),
        channel=channel,
        supply_points=supply_points,
        **fields,
    )


def manager_mandate(customer, *, nif: str = MANAGER_NIF, name: str = MANAGER_NAME) -> bytes:
    return power_of_attorney(customer, nif=nif, name=name, doc_type="manager_mandate")


def upload(process, content: bytes, name: str = "poder.pdf", actor: Actor | None = None):
    return services.add_request_document(
        process=process,
        uploaded=SimpleUploadedFile(name, content),
        original_name=name,
        actor=actor or Actor.system("test"),
    )


def task_of(process, node_name: str):
    node = getattr(FLOW_OF_MODEL[type(process)], node_name)
    return (
        process.task_set.filter(flow_task=node)
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        .first()
    )


def tasks_of(process, node_name: str) -> list:
    """Every task of the node, oldest first, whatever its status."""
    node = getattr(FLOW_OF_MODEL[type(process)], node_name)
    return list(process.task_set.filter(flow_task=node).order_by("pk"))


def timer_task(process, target: str):
    """The armed boundary timer of ``process`` that leads to the node ``target`` (remind, expire, escalate)."""
    flow_class = FLOW_OF_MODEL[type(process)]
    nodes = [
        n
        for n in flow_class.instance.nodes()
        if isinstance(n, TimerBoundary) and any(edge.dst.name == target for edge in n._outgoing())
    ]
    assert len(nodes) == 1, nodes
    return process.task_set.filter(flow_task=nodes[0], status=STATUS.SCHEDULED).order_by("-pk").first()


def make_due(task) -> None:
    """Move a scheduled timer into the past, as if its delay had elapsed."""
    type(task).objects.filter(pk=task.pk).update(scheduled=timezone.now() - timedelta(seconds=1))


def fire(process, target: str) -> int:
    """Make the timer leading to ``target`` due and run the timer dispatcher; returns how many timers fired."""
    task = timer_task(process, target)
    assert task is not None, (
        f"no armed timer to {target}: {[(t.flow_task.name, t.status) for t in process.task_set.all()]}"
    )
    make_due(task)
    return fire_due_timers()


def staff_actor(user) -> Actor:
    return Actor(user=user, ip="127.0.0.1", label="staff")


def customer_actor(person) -> Actor:
    return Actor(user=person.user, ip=None, label="customer")


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def link_token(message, reference: str) -> str:
    """The upload-link token in an ``upload_link`` e-mail."""
    found = re.search(rf"/upload/{re.escape(reference)}/([^/\s]+)/", message.body)
    assert found, message.body
    return found.group(1)


def task_summary(process) -> list:
    return [(t.flow_task.name, t.status) for t in process.task_set.order_by("pk")]


# -- a real worker of our own ------------------------------------------------------------------------

QUEUE_ENV = "PAPERWORK_TEST_QUEUE"


def route_every_task_to(app, queue: str) -> None:
    """Send every Celery task of ``app`` to ``queue`` (so parallel test runs sharing a broker never mix messages)."""
    app.conf.task_routes = ({"*": {"queue": queue}},)
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()


# A worker started with ``-I tests.workflows.paperwork`` and PAPERWORK_TEST_QUEUE set sends what it
# enqueues itself (the pre-check's pages, e-mails) to that queue too, and so consumes it.
if os.environ.get(QUEUE_ENV):
    from backoffice.celery import app as _app

    route_every_task_to(_app, os.environ[QUEUE_ENV])
