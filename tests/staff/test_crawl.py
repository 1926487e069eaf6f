"""Every staff URL for every role: no 500 anywhere, and the 403s and 404s are the expected ones.

A realistic set of requests is seeded (waiting for documents, a failed pre-check job, a verification task
unassigned and one taken by a verifier, one escalated, one on hold, a second approval, a rejected and a done
request, an external manager at verification). Each role logs in, starts from the menu (/staff/) and follows
every same-site link under /staff/ breadth-first (GET only, never logout), then opens the Viewflow URLs of each
flow, process and task built from the seeded rows (detail, task list, process list, charts, retry ...).
"""

from __future__ import annotations

import re
from collections import deque
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from viewflow.workflow.status import STATUS

from accounts.audit import Actor
from tests import factories
from tests.supervision.conftest import a_change_on_a_new_customer, put_on_hold
from tests.workflows.paperwork import (
    fire,
    manager_mandate,
    power_of_attorney,
    staff,
    staff_actor,
    start_change,
    start_manager,
    task_of,
    tasks_of,
    upload,
)
from workflows import services
from workflows.flows import FLOW_OF_MODEL, ExternalManager, RepresentativeChange

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HREF = re.compile(r"""\bhref\s*=\s*["']([^"'#]*)""")
SKIP = ("/staff/logout/",)
MAX_PAGES = 1500  # per role: a crawl that finds more has a link that multiplies itself


def _logged_in(user, language: str = "en") -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _submit(process, content: bytes, capture) -> None:
    with capture(execute=True):  # the page previews are rendered after commit
        upload(process, content)
    with capture(execute=True):
        services.submit_documents(process=process, actor=Actor.system("test"))
    process.refresh_from_db()


def _matching(process) -> bytes:
    return power_of_attorney(process.customer, nif=process.new_id_number, name=process.new_name)


def _decide(process, user, capture, decision: str = "approve", **kwargs):
    task = task_of(process, "verify")
    with capture(execute=True):
        return services.decide(task_id=task.pk, user=user, decision=decision, actor=staff_actor(user), **kwargs)


def _assign(task, user) -> None:
    activation = task.flow_task.activation_class(task)
    activation.assign(user)


@pytest.fixture
def seeded(story, django_capture_on_commit_callbacks, monkeypatch):
    """One request at every step; returns the people and the requests by name."""
    capture = django_capture_on_commit_callbacks
    people = {
        "agent": staff("callcenter_agents", "agent"),
        "verifier": staff("verifiers", "verifier"),
        "supervisor": staff("supervisors", "supervisor"),
        "no_group": factories.staff_user("nogroup"),
        "customer": story.representative.user,
    }
    verifier = people["verifier"]
    requests = {}

    with capture(execute=True):
        requests["waiting_documents"] = start_change(story)
    with capture(execute=True):
        requests["manager_at_verification"] = start_manager(story)
    _submit(requests["manager_at_verification"], manager_mandate(story.customer), capture)

    with capture(execute=True):
        failed = a_change_on_a_new_customer(1)
    from documents import prechecks

    def broken_plan(*, precheck_id):
        raise RuntimeError("the document store at /srv/energia/documents is unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(prechecks, "_read_text_layers", lambda precheck, rows: False)  # as if the page were a scan
        patched.setattr(prechecks, "plan", broken_plan)
        _submit(failed, _matching(failed), capture)
    assert tasks_of(failed, "precheck")[-1].status == STATUS.ERROR
    requests["failed_job"] = failed

    for n, name in enumerate(["unassigned", "assigned", "escalated", "on_hold", "second_approval", "rejected", "done"]):
        with capture(execute=True):
            process = a_change_on_a_new_customer(10 + n)
        if name == "second_approval":
            process.customer.sensitive = True
            process.customer.save(update_fields=["sensitive"])
        _submit(process, _matching(process), capture)
        assert task_of(process, "verify") is not None, name
        requests[name] = process
    _assign(task_of(requests["assigned"], "verify"), verifier)
    with capture(execute=True):
        fire(requests["escalated"], "escalate")
    put_on_hold(requests["on_hold"])
    requests["second_approval"] = _decide(requests["second_approval"], verifier, capture)
    assert task_of(requests["second_approval"], "second_approval") is not None
    requests["rejected"] = _decide(
        requests["rejected"],
        verifier,
        capture,
        decision="reject",
        reason="other",
        customer_message="The document is not a power of attorney.",
    )
    requests["done"] = _decide(requests["done"], verifier, capture)
    for process in requests.values():
        process.refresh_from_db()
    assert not requests["done"].is_open and requests["done"].outcome == "applied"
    return people, requests


def _links(response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    return [unescape(href) for href in HREF.findall(response.content.decode())]


def _key(url: str) -> tuple:
    """One visit per path and set of query keys: sort and page links would otherwise multiply without end."""
    parts = urlsplit(url)
    keys = tuple(sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair}))
    return parts.path, keys


def crawl(client: Client, start: list[str]) -> dict[str, int]:
    """GET ``start`` and every same-site link under /staff/ they lead to, breadth-first; {url: status}."""
    seen, statuses, queue = set(), {}, deque(start)
    while queue and len(statuses) < MAX_PAGES:
        url = queue.popleft()
        key = _key(url)
        if key in seen:
            continue
        seen.add(key)
        response = client.get(url)
        statuses[url] = response.status_code
        found = _links(response)
        if response.status_code in (301, 302):
            found.append(response["Location"])
        for href in found:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/staff/") or parts.path.startswith(SKIP):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if _key(target) not in seen:
                queue.append(target)
    return statuses


def flow_urls(requests: dict) -> list[str]:
    """The Viewflow URLs of each flow, each seeded process and each of its tasks."""
    urls = []
    for flow_class in (RepresentativeChange, ExternalManager):
        ns = f"staff:workflow:flows:{flow_class.instance.flow_label}"
        urls += [reverse(f"{ns}:{name}") for name in ("index", "process_list", "task_list", "chart")]
    for process in requests.values():
        flow_class = FLOW_OF_MODEL[type(process)]
        ns = f"staff:workflow:flows:{flow_class.instance.flow_label}"
        urls += [
            reverse(f"{ns}:{name}", args=[process.pk]) for name in ("process_detail", "process_chart", "process_cancel")
        ]
        for task in process.task_set.all():
            for name in ("index", "detail", "execute", "assign", "unassign", "revive", "cancel", "undo"):
                try:
                    urls.append(task.reverse(name))
                except Exception:  # noqa: BLE001 -- the node has no such view
                    continue
    return urls


# -- which refusals are expected --------------------------------------------------------------------------------

MANAGE = re.compile(r"/(cancel|undo|revive)/$")  # Viewflow's process-management actions: supervisors only
TAKE = re.compile(r"/(assign|unassign)/$")  # refused when the task is not free for the person (or not theirs)
ROLE_APPS = {"/staff/supervision/": "supervisor", "/staff/callcenter/": "agent"}


def expected_refusal(role: str, url: str) -> bool:
    """Whether ``role`` may rightly get 403 (or 404) on ``url``."""
    path = urlsplit(url).path
    if role in ("customer", "no_group"):
        return True
    if TAKE.search(path):
        return True
    if MANAGE.search(path):
        return role != "supervisor"
    for prefix, owner in ROLE_APPS.items():
        if path.startswith(prefix):
            return role != owner
    return False


def test_no_staff_url_is_a_500_for_any_role_and_every_refusal_is_an_expected_one(seeded):
    people, requests = seeded
    extra = flow_urls(requests)
    problems, visited = [], {}
    for role, user in people.items():
        statuses = crawl(_logged_in(user), ["/staff/", *extra])
        visited[role] = len(statuses)
        for url, status in statuses.items():
            if status >= 500:
                problems.append(f"{role}: {status} {url}")
            elif status in (403, 404) and not expected_refusal(role, url):
                problems.append(f"{role}: unexpected {status} {url}")
    assert not problems, "\n".join(problems)
    # the menu led somewhere: every staff role reached the flows' pages, the customer and the role-less nothing
    assert all(count > 100 for count in visited.values()), visited


def test_a_verifier_opens_every_verification_task_and_an_agent_reads_no_document(seeded):
    people, requests = seeded
    verifier, agent = _logged_in(people["verifier"]), _logged_in(people["agent"])
    for name, process in requests.items():
        for task in tasks_of(process, "verify"):
            for view in ("detail", "execute"):
                assert verifier.get(task.reverse(view)).status_code == 200, (name, view)
            page = agent.get(task.reverse("execute"))
            assert page.status_code == 200 and "data-vw-no-access" in page.content.decode(), name
            assert "/documents/" not in page.content.decode(), name
    document = requests["unassigned"].document_set.documents.first()
    for url in (reverse("documents:file", args=[document.pk]), reverse("documents:page", args=[document.pk, 0])):
        assert agent.get(url).status_code in (403, 404), url
        assert verifier.get(url).status_code == 200, url


def test_a_failed_job_shows_a_readable_error_and_a_retry_button_to_supervisors(seeded):
    people, requests = seeded
    job = tasks_of(requests["failed_job"], "precheck")[-1]
    supervisor = _logged_in(people["supervisor"])
    detail = supervisor.get(job.reverse("detail")).content.decode()
    assert "data-task-error" in detail and "RuntimeError(" in detail and "is unreachable" in detail
    assert "Traceback" not in detail and "/srv/energia" not in detail and ".py" not in detail
    assert "data-task-retry" in detail and ">Revive<" not in detail
    retry = supervisor.get(job.reverse("revive")).content.decode()
    assert "data-task-retry" in retry and "Revive" not in retry
    # the verifier sees the error too, but no retry
    verifier_page = _logged_in(people["verifier"]).get(job.reverse("detail")).content.decode()
    assert "data-task-error" in verifier_page and "data-task-retry" not in verifier_page
