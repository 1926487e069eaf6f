"""The staff site's frame around the crawl: where each role lands, no empty "New process" button, one message per
action, the flows' nodes titled in words, and a failed step's error readable without its traceback."""

from __future__ import annotations

import hashlib
import re
from html import unescape
from pathlib import Path

import pytest
import viewflow
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.workflows.paperwork import staff
from workflows.nodes import failure_of

pytestmark = pytest.mark.django_db

ROLES = {"agent": "callcenter_agents", "verifier": "verifiers", "supervisor": "supervisors", "no_group": None}


def _logged_in(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _user(role: str):
    return staff(ROLES[role]) if ROLES[role] else factories.staff_user("nogroup")


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("agent", "staff:callcenter:index"),
        ("verifier", "staff:workflow:worklist"),
        ("supervisor", "staff:supervision:board"),
        ("no_group", "staff:workflow:inbox"),
    ],
)
def test_each_role_lands_on_the_page_of_its_work(role, landing):
    response = _logged_in(_user(role)).get("/staff/")
    assert response.status_code == 302 and response["Location"] == reverse(landing)


def test_after_the_login_and_the_code_an_agent_is_at_the_console(client):
    user = staff("callcenter_agents")
    device = factories.totp_device(user)
    response = client.post(reverse("staff_login"), {"username": user.username, "password": factories.PASSWORD})
    response = client.post(response["Location"], {"code": factories.totp_code(device)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:callcenter:index")
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["agent", "verifier", "supervisor"])
@pytest.mark.parametrize("page", ["inbox", "queue", "archive"])
def test_no_list_offers_the_empty_new_process_dialog(role, page):
    html = _logged_in(_user(role)).get(reverse(f"staff:workflow:{page}")).content.decode()
    assert "vf-dialog__trigger" not in html and "New process" not in html


def test_a_message_is_shown_once_in_the_page_not_again_in_a_pop_up():
    client = _logged_in(staff("supervisors"))
    response = client.post(
        reverse("staff:supervision:lift_lock"), {"scope": "x", "key": "y", "reason": "short"}, follow=True
    )
    html = response.content.decode()
    message = "Write why you are lifting this lock"
    assert html.count(message) == 1 and "data-sv-messages" in html and "vf-snackbar" not in html


def test_the_chart_names_every_node_in_words():
    """The chart wraps a title at 20 characters, one text line each."""
    page = _logged_in(staff("supervisors")).get(reverse("staff:workflow:flows:representativechange:chart"))
    lines = {unescape(line).strip() for line in re.findall(r"<text [^>]*>([^<>]+)</text>", page.content.decode())}
    assert {"Waiting for the", "second approval", "Ask for more", "Under review"} <= lines, lines
    for raw in ("Wait Second", "Ask For More", "Under Review", "Second Decision", "Reminded", "Escalated "):
        assert not any(raw in line for line in lines), raw


class _Task:
    def __init__(self, data):
        self.data = data


def test_a_failure_reads_as_its_class_and_message_without_traceback_or_paths():
    task = _Task(
        {
            "_exception": {
                "title": "[Errno 2] No such file or directory: '/srv/energia/var/documents/ab/cd.pdf'",
                "traceback": 'Traceback (most recent call last):\n  File "/srv/app/workflows/nodes.py", line 1, in run\n'
                "    raise exc\nFileNotFoundError: [Errno 2] No such file or directory: '/srv/energia/var/documents/ab/cd.pdf'\n",
                "locals": {"path": "/srv/energia/var/documents/ab/cd.pdf"},
            }
        }
    )
    assert failure_of(task) == (
        "A file the step needs is missing. Technical detail: FileNotFoundError: [Errno 2] No such file or directory: '…'"
    )
    assert failure_of(_Task({})) == "" and failure_of(_Task(None)) == ""
    assert failure_of(_Task({"_exception": {"title": "planning failed"}})) == (
        "The step stopped with an error. Technical detail: planning failed"
    )


def test_a_failure_opens_with_a_sentence_in_the_readers_language():
    task = _Task({"_exception": {"title": "planning failed", "traceback": "Traceback ...\nJobFailed: planning failed"}})
    with translation.override("ca"):
        assert failure_of(task) == "El pas automàtic ha fallat. Detall tècnic: JobFailed: planning failed"
    with translation.override("es"):
        assert failure_of(task) == "El paso automático ha fallado. Detalle técnico: JobFailed: planning failed"


# Viewflow's templates that ours copy or replace (workflows/templates/workflows/viewflow/, templates/viewflow/), as
# they were in Viewflow 2.4. A Viewflow upgrade that changes one fails here: compare it with our copy, then update.
UPSTREAM = {
    "workflow/task_base.html": "c027a3dbdaf18471",
    "workflow/task_detail.html": "5093e44319598c18",
    "workflow/task_revive.html": "37afcce736b826fb",
    "workflow/task_data.html": "788b47086722a785",
    "workflow/process_data.html": "cfe51bb67f315cf7",
    "workflow/graph.svg": "78f853f3be4b15b6",
    "includes/snackbar.html": "3197fffcaf713e08",
}


@pytest.mark.parametrize(("name", "digest"), UPSTREAM.items())
def test_the_viewflow_templates_we_replace_are_the_ones_we_copied(name, digest):
    upstream = Path(viewflow.__file__).parent / "templates" / "viewflow" / name
    assert hashlib.sha256(upstream.read_bytes()).hexdigest()[:16] == digest, f"Viewflow changed {name}"
