"""Who may use the call-center console, and what an agent may never do even through it.

Every console URL, by role: anonymous visitors go to the staff login, customers and staff without the
agents' permission get 403, agents get in, and a call page belongs to the agent who took the call.
Segregation: an agent who started a request never decides it, and never reads its documents.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.audit import Actor
from accounts.models import FailedAttempt
from callcenter.models import Interaction
from documents.models import Document
from tests import factories
from tests.workflows.paperwork import link_token, power_of_attorney, staff, staff_actor, task_of
from workflows import services as workflows
from workflows.models import RepresentativeChangeProcess, UploadLink

from .helpers import REP_FORM, html, logged_in, take_call, url, verified_call, verify, wrong_last4

pytestmark = pytest.mark.django_db

HOLDER = Actor(user=None, ip="203.0.113.9", label="upload link")


@pytest.fixture
def call(console, story):
    """An open call of the agent, with a verified caller."""
    return verified_call(console, story.customer, story.representative)


@pytest.fixture
def phone_request(console, story, call, django_capture_on_commit_callbacks):
    """A change of representative the agent started by phone; the caller uploaded the power of attorney and submitted it."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert console.post(url("start_representative_change", call.pk), REP_FORM).status_code == 302
    process = RepresentativeChangeProcess.objects.get(customer=story.customer)
    [message] = mail.outbox
    link, found = workflows.check_upload_link(reference=process.reference, token=link_token(message, process.reference))
    with django_capture_on_commit_callbacks(execute=True):
        workflows.add_request_document(
            process=found,
            uploaded=SimpleUploadedFile("poder.pdf", power_of_attorney(story.customer)),
            original_name="poder.pdf",
            actor=HOLDER,
        )
    with django_capture_on_commit_callbacks(execute=True):
        workflows.submit_documents(process=found, actor=HOLDER, link=link)
    process.refresh_from_db()
    assert task_of(process, "verify") is not None
    return process


def get_urls(call) -> list[str]:
    return [
        url("index"),
        f"{url('index')}?q={call.customer.tax_id}",
        url("call", call.pk),
        url("log"),
        f"{url('log')}?customer={call.customer.tax_id}",
    ]


def post_urls(call, story) -> list[tuple[str, dict]]:
    link = UploadLink.objects.filter(reference__startswith="RC").first()
    return [
        (url("take_call", story.customer.pk), {}),
        (
            url("verify", call.pk),
            {
                "caller": str(story.representative.pk),
                "caller_id_number": story.representative.id_number,
                "bank_last4": "0000",
            },
        ),
        (url("start_representative_change", call.pk), REP_FORM),
        (url("start_external_manager", call.pk), {"em-firm_cif": "B00000000"}),
        (url("resend_link", call.pk), {"reference": "RC-AAAAAA"}),
        (url("revoke_link", call.pk, link.pk if link else 1), {}),
        (url("object_to_request", call.pk), {"reference": "RC-AAAAAA", "note": "intruder"}),
        (url("close", call.pk), {"reason": "other", "outcome": "other", "note": "intruder"}),
    ]


def _state(call):
    call.refresh_from_db()
    return (
        Interaction.objects.count(),
        call.verification,
        call.ended_at,
        call.note,
        RepresentativeChangeProcess.objects.count(),
        FailedAttempt.objects.count(),
        len(mail.outbox),
    )


# -- the matrix ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_staff_login(client, story, call):
    client.logout()
    for address in get_urls(call):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(f"{reverse('staff_login')}?next=/staff/callcenter/"), address
    before = _state(call)
    for address, data in post_urls(call, story):
        response = client.post(address, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("staff_login")), address
    assert _state(call) == before


@pytest.mark.parametrize("role", ["customer", "verifier", "supervisor", "staff without groups", "inactive agent"])
def test_everyone_but_agents_gets_403_on_every_console_url(client, story, call, role):
    users = {
        "customer": lambda: story.representative.user,
        "verifier": lambda: staff("verifiers"),
        "supervisor": lambda: staff("supervisors"),
        "staff without groups": lambda: factories.staff_user("nogroup"),
        "inactive agent": lambda: staff("callcenter_agents", "former"),
    }
    user = users[role]()
    other = logged_in(user)
    expected = 403
    if role == "inactive agent":  # deactivated after logging in: the session no longer counts, back to the login
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        expected = 302
    before = _state(call)
    for address in get_urls(call):
        assert other.get(address).status_code == expected, (role, address)
    for address, data in post_urls(call, story):
        assert other.post(address, data).status_code == expected, (role, address)
    assert _state(call) == before


def test_an_agent_gets_every_page(console, call):
    for address in get_urls(call):
        assert console.get(address).status_code == 200, address


def test_a_superuser_on_staff_may_use_the_console(story, call):
    admin = staff("supervisors", "root")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    assert logged_in(admin).get(url("index")).status_code == 200


def test_another_agent_gets_404_on_someone_elses_call(story, call, console):
    colleague = logged_in(staff("callcenter_agents", "colleague"))
    assert colleague.get(url("index")).status_code == 200
    before = _state(call)
    assert colleague.get(url("call", call.pk)).status_code == 404
    for address, data in post_urls(call, story)[1:]:  # all but "take the call", which is about a customer
        assert colleague.post(address, data).status_code == 404, address
    assert _state(call) == before
    # the log shows the call, but not as a link to it
    page = html(colleague.get(url("log")))
    assert f'data-cc-interaction="{call.pk}"' in page and url("call", call.pk) not in page


def test_an_unknown_call_or_customer_is_404(console, call, story):
    assert console.get(url("call", call.pk + 1000)).status_code == 404
    assert console.post(url("take_call", 10**9)).status_code == 404


def test_read_only_pages_refuse_posts_and_actions_refuse_gets(console, call, story):
    assert console.post(url("index"), {"q": "x"}).status_code == 405
    assert console.post(url("log")).status_code == 405
    assert console.post(url("call", call.pk)).status_code == 405
    before = _state(call)
    assert console.get(url("take_call", story.customer.pk)).status_code == 405
    assert console.get(url("close", call.pk)).status_code == 405
    assert _state(call) == before


def test_the_menu_shows_the_console_to_agents_only(console, story):
    agent_page = html(console.get("/staff/workflow/", follow=True))  # a staff page outside the console
    assert url("index") in agent_page and "Call center" in agent_page
    verifier_page = html(logged_in(staff("verifiers")).get("/staff/workflow/", follow=True))
    assert "/staff/workflow/" in verifier_page
    assert url("index") not in verifier_page


# -- segregation of duties ------------------------------------------------------------------


def test_an_agent_who_started_a_request_cannot_decide_it_even_as_a_verifier(console, story, agent, phone_request):
    assert phone_request.started_by == agent and phone_request.channel == "phone"
    agent.groups.add(Group.objects.get(name="verifiers"))
    task = task_of(phone_request, "verify")

    with pytest.raises(workflows.DecisionError, match="You started this request, so someone else must decide on it."):
        workflows.decide(
            task_id=task.pk, user=type(agent).objects.get(pk=agent.pk), decision="approve", actor=staff_actor(agent)
        )

    page = console.get(task.reverse("execute"))
    assert page.status_code == 200
    assert "You started this request, so someone else must decide on it." in html(
        page
    ) and 'name="decision"' not in html(page)
    response = console.post(task.reverse("execute"), {"decision": "approve"})
    assert response.status_code == 409
    phone_request.refresh_from_db()
    assert phone_request.is_open and phone_request.decision == "" and phone_request.decided_by_id is None
    task.refresh_from_db()
    assert task.owner_id is None


def test_an_agent_never_reads_the_documents_of_the_request(console, story, phone_request):
    document = Document.objects.get(document_set=phone_request.document_set)
    assert console.get(reverse("documents:file", args=[document.pk])).status_code == 404
    assert console.get(reverse("documents:page", args=[document.pk, 0])).status_code == 404
    # a verifier does (the document exists and has a first page)
    verifier = logged_in(staff("verifiers"))
    assert verifier.get(reverse("documents:file", args=[document.pk])).status_code == 200
    # the call page says that documents exist, and no more
    call = Interaction.objects.filter(customer=story.customer).latest("pk")
    page = html(console.get(url("call", call.pk)))
    assert 'data-cc-documents="1"' in page and reverse("documents:file", args=[document.pk]) not in page
    assert "/documents/" not in page


def test_a_failed_check_counts_against_the_customer_of_the_call_only(console, story):
    other_call = take_call(console, story.other_customer)
    verify(console, other_call, story.outsider, bank_last4=wrong_last4(story.other_customer))
    assert FailedAttempt.objects.filter(scope="holder_proof:id", key=story.other_customer.tax_id).count() == 1
    assert FailedAttempt.objects.filter(scope="holder_proof:id", key=story.customer.tax_id).count() == 0
