"""Every staff screen, for each role, in Catalan and in Spanish: the agent's console and call page; the verifier's
work queue, "Take next" into the verification page (the customer at a glance, the evidence crops, the identifier
diff, the zoom), the decided list and Viewflow's own lists; the supervisor's board, stuck work, holds, the people
search by name, a failed job and its Retry. On each, no English word of Viewflow's frame may remain in the visible
text. Screenshots in test-artifacts/ (``staff-tour-<language>-<screen>.png``)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from supervision.models import Heartbeat
from tests import factories
from tests.browser.test_request_journeys import wait_for_page_images
from tests.browser.test_staff_screens import _broken_plan, _submitted
from tests.browser.test_verifier_tools import _phone_request_waiting_for_verification
from tests.browser.test_viewer_zoom import _loaded, _zoom_to
from tests.supervision.conftest import a_change_on_a_new_customer, put_on_hold
from tests.workflows.paperwork import staff, staff_actor, task_of, tasks_of
from workflows import services as workflows

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

#: Viewflow's frame words as it leaves them in English (menu, list titles, column titles, pager, task actions),
#: whole words, case as Viewflow writes them. Neither Catalan nor Spanish has any of them as a word.
ENGLISH_FRAME = re.compile(r"\b(Inbox|Queue|Archive|Process brief|of|Done|Revive|Assign)\b")
LOCALES = {"ca": "ca-ES", "es": "es-ES"}


@pytest.fixture
def seeded(monkeypatch):
    """A phone request at verification (the verifier's tools), one decided, one failed at the pre-check, one on
    hold, the workers' heartbeats, a customer whose representative calls; the three staff members."""
    from documents import prechecks

    people = {
        "agent": staff("callcenter_agents", "anna"),
        "verifier": staff("verifiers", "vera"),
        "supervisor": staff("supervisors", "sara"),
    }
    phone = _phone_request_waiting_for_verification()
    decided = _submitted(801)
    workflows.decide(
        task_id=task_of(decided, "verify").pk,
        user=people["verifier"],
        decision="approve",
        actor=staff_actor(people["verifier"]),
    )
    with monkeypatch.context() as patched:  # the pre-check fails as in test_staff_screens
        patched.setattr(prechecks, "_read_text_layers", lambda precheck, rows: False)
        patched.setattr(prechecks, "plan", _broken_plan)
        failed = _submitted(802)
    assert tasks_of(failed, "precheck")[-1].status == STATUS.ERROR
    held = put_on_hold(a_change_on_a_new_customer(803), note="No he signat mai aquest poder.")  # the customer's words
    now = timezone.now()
    for name in ("worker:celery", "queue:celery", "worker:ocr", "queue:ocr", "worker:mail", "queue:mail"):
        Heartbeat.objects.create(name=name, sent_at=now, ran_at=now)
    caller_customer = factories.customer(direct_debit=True)
    factories.grant(
        customer=caller_customer, person=factories.person(name="Roser Puigdomènech Ferrer"), role="representative"
    )
    return people, {"phone": phone, "decided": decided, "failed": failed, "held": held, "called": caller_customer}


class Tour:
    """One person's walk: each screen is checked for English frame words and screenshotted."""

    def __init__(self, page, language: str, screenshot, role: str):
        self.page, self.language, self.screenshot, self.role = page, language, screenshot, role
        self.english: dict[str, list[str]] = {}

    def visit(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        assert self.page.locator("html").get_attribute("lang") == self.language, (name, self.page.url)
        text = self.page.evaluate("() => document.body.innerText")
        found = sorted({text[max(0, m.start() - 40) : m.end() + 40] for m in ENGLISH_FRAME.finditer(text)})
        if found:
            self.english[name] = found
        assert "Traceback" not in text and "/srv/x" not in text, name
        self.screenshot(self.page, f"staff-tour-{self.language}-{self.role}-{name}")


@pytest.mark.parametrize("language", ["ca", "es"])
def test_every_staff_screen_speaks_the_language_for_each_role(language, seeded, new_page, log_in_staff, screenshot):
    people, requests = seeded
    english: dict[str, list[str]] = {}

    # -- the agent: the console (search by name), the call page ----------------------------------------------------
    page = new_page(locale=LOCALES[language])
    log_in_staff(page, people["agent"])
    assert page.url.endswith(reverse("staff:callcenter:index"))
    agent = Tour(page, language, screenshot, "agent")
    agent.visit("console")
    page.locator("input[name=q]").fill("Puigdomenech")
    with page.expect_navigation():
        page.locator("input[name=q]").press("Enter")
    called = requests["called"]
    assert page.locator(f"li[data-customer='{called.pk}']").count() == 1
    agent.visit("console-name-search")
    with page.expect_navigation():
        page.locator(f"li[data-customer='{called.pk}'] form button[type=submit]").last.click()
    assert "/staff/callcenter/calls/" in page.url
    agent.visit("call")
    english |= {f"agent {k}": v for k, v in agent.english.items()}

    # -- the verifier: the queue, take next, the workspace, the zoom, the decided list, Viewflow's lists -------------
    page = new_page(locale=LOCALES[language])
    log_in_staff(page, people["verifier"])
    assert page.url.endswith(reverse("staff:workflow:worklist"))
    verifier = Tour(page, language, screenshot, "verifier")
    verifier.visit("work-queue")
    with page.expect_navigation():
        page.locator("form[data-worklist-take] button[type=submit]").click()
    phone = requests["phone"]
    assert page.url.endswith(task_of(phone, "verify").reverse("execute"))
    page.locator("[data-vw-workspace][data-vw-ready]").wait_for()
    wait_for_page_images(page)
    assert page.locator("[data-vw-glance]").count() == 1
    assert page.locator("[data-vw-comparison] tr[data-field=person_nif] mark.vw-diff").count() >= 2
    crop = page.locator("img[data-vw-crop=company_cif]")
    crop.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=crop.element_handle(), timeout=15_000)
    page.evaluate("() => window.scrollTo(0, 0)")
    verifier.visit("verification")
    _zoom_to(page, 250)
    assert _loaded(page)["src"].endswith("?dpi=300")
    verifier.visit("verification-zoomed")
    page.goto(reverse("staff:workflow:worklist_archive"))
    assert page.locator(f"[data-worklist-row='{requests['decided'].reference}']").count() == 1
    verifier.visit("decided")
    for name in ("inbox", "queue", "archive"):
        page.goto(reverse(f"staff:workflow:{name}"))
        page.locator(".vf-list__pagination-summary, .vf-list").first.wait_for(state="attached")
        verifier.visit(f"viewflow-{name}")
    assert page.locator(".vf-list__pagination-summary").inner_text().strip() == "1–1 de 1"  # the archive's pager
    page.goto(reverse("staff:workflow:queue"))
    assert page.locator("[data-vf-list-empty]").count() == 1  # a sentence, not "0–0 of 0"
    english |= {f"verifier {k}": v for k, v in verifier.english.items()}

    # -- the supervisor: the board, stuck work, holds, the people search, a failed job and its Retry ----------------
    page = new_page(locale=LOCALES[language])
    log_in_staff(page, people["supervisor"])
    assert page.url.endswith(reverse("staff:supervision:board"))
    supervisor = Tour(page, language, screenshot, "supervisor")
    failed = requests["failed"]
    assert page.locator(f"[data-sv-failed-job='{failed.reference}']").count() == 1
    supervisor.visit("board")
    page.goto(reverse("staff:supervision:stuck"))
    assert page.locator(f"[data-sv-failed-step='{failed.reference}'] [data-sv-retry]").count() == 1
    supervisor.visit("stuck")
    page.goto(reverse("staff:supervision:holds"))
    assert page.locator(f"text={requests['held'].reference}").count() >= 1
    supervisor.visit("holds")
    page.goto(reverse("staff:supervision:people"))
    page.locator("input[name=id_number]").fill("puigdomenech")
    with page.expect_navigation():
        page.locator("[data-sv-search] button[type=submit]").click()
    assert page.locator("[data-sv-found-person]").count() == 1
    supervisor.visit("people-search")
    job = tasks_of(failed, "precheck")[-1]
    page.goto(job.reverse("detail"))
    supervisor.visit("failed-job")
    page.locator("[data-task-retry]").first.click()
    page.wait_for_url("**/revive/")
    supervisor.visit("retry")
    page.locator("button[data-task-retry]").click()
    page.wait_for_url(lambda url: not url.endswith("/revive/"))
    snackbar = page.locator(".mdc-snackbar__label")
    snackbar.wait_for()
    assert f"#{job.pk}" in snackbar.inner_text()  # the retried task named, not an empty placeholder
    supervisor.visit("after-retry")
    job.refresh_from_db()
    assert job.status == STATUS.REVIVED
    english |= {f"supervisor {k}": v for k, v in supervisor.english.items()}

    assert english == {}, f"English frame words on {language} pages: {english}"
