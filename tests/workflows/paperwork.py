"""Building blocks for the paperwork-request tests: staff users, documents that match a request, one-call steps."""

from __future__ import annotations

import random

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from tests import factories
from tests.ocr.corpus import make_facts, pdf_with_text, text_pdf_lines
from workflows import services
from workflows.flows import FLOW_OF_MODEL

NEW_NIF, NEW_NAME = "12345678Z", "Marta Puig Soler"


def staff(group: str, username: str | None = None):
    user = factories.staff_user(username or group)
    user.groups.add(Group.objects.get(name=group))
    return user


def power_of_attorney(customer, *, nif: str = NEW_NIF, name: str = NEW_NAME, doc_type: str = "power_of_attorney", seed: int = 7) -> bytes:
    """A text-layer PDF naming the customer and the person, as a notary's power of attorney would."""
    facts = make_facts(random.Random(seed), doc_type, "es")
    facts.company_name, facts.company_cif, facts.person_nif, facts.person_name = customer.name, customer.tax_id, nif, name
    return pdf_with_text(text_pdf_lines(facts))


def start_change(story, *, actor: Actor | None = None, channel: str = "portal", outgoing: str = "authorised_full", **overrides):
    fields = {"new_id_number": NEW_NIF, "new_name": NEW_NAME, "new_email": "marta@example.com", "outgoing": outgoing,
              "contact_email": "rep@example.com", "language": "ca", "requested_by": story.representative}
    fields.update(overrides)
    return services.start_representative_change(customer=story.customer, actor=actor or Actor(user=story.representative.user, ip=None, label="customer"),
                                                channel=channel, **fields)


def upload(process, content: bytes, name: str = "poder.pdf", actor: Actor | None = None):
    return services.add_request_document(process=process, uploaded=SimpleUploadedFile(name, content), original_name=name,
                                         actor=actor or Actor.system("test"))


def task_of(process, node_name: str):
    node = getattr(FLOW_OF_MODEL[type(process)], node_name)
    return process.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]).first()


def staff_actor(user) -> Actor:
    return Actor(user=user, ip="127.0.0.1", label="staff")
