"""The Authority issue (#11), one regression test per numbered case, asserting the fixed behaviour.

Everything a customer does goes over HTTP with Django's test client (the attacker's clicks, the
invitation form, the login form, the document URLs); staff decisions go through the workflow
services, as the staff pages do. E-mails are sent for real (locmem) after the captured commits, and
``sent`` records which template went to which address.

The tests build their data only with what existed before the fix (factories without scope,
``register_external_manager`` and ``delegate_to_collaborator``), so that they run, and fail, on the
code before it too.
"""

from __future__ import annotations

import itertools
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts import services as accounts
from accounts.audit import Actor
from accounts.models import Grant, Invitation, Person, SupplyPoint
from backoffice.demo import make_nif
from documents.models import Document
from tests import factories as f
from tests.documents import samples
from tests.workflows.paperwork import power_of_attorney, staff, staff_actor, task_of, task_summary, upload
from workflows import services as workflows
from workflows.models import RepresentativeChangeProcess

pytestmark = pytest.mark.django_db

ATTACKER_EMAIL = "attacker@evil.example"
ATTACKER_PASSWORD = "Atac-2026!presa"
TYPED_NAME = "Nom Inventat Pel Atacant"
X_NAME, X_EMAIL = "Marta Puig Soler", "marta.real@example.com"
_nifs = itertools.count(77_000_001)


def _new_nif() -> str:
    nif = make_nif(next(_nifs))
    assert not Person.objects.filter(id_number=nif).exists()
    return nif


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def sent(monkeypatch):
    """Every e-mail sent, as (to, template), in order."""
    from accounts import notifications

    record: list[tuple[str, str]] = []
    original = notifications.render

    def spy(email):
        record.append((email.to, email.template))
        return original(email)

    monkeypatch.setattr(notifications, "render", spy)
    return record


def _templates_to(sent, address: str) -> list[str]:
    return [template for to, template in sent if to.lower() == address.lower()]


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address.lower() in (to.lower() for to in m.to)]


def _invitation_paths(address: str) -> list[str]:
    return [
        found.group(1)
        for message in _mails_to(address)
        for found in re.finditer(r"https?://\S+?(/invitation/\S+/)", message.body)
    ]


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _logs_in(id_number: str, password: str) -> bool:
    client = Client()
    response = client.post(reverse("portal:login"), {"id_number": id_number, "password": password})
    return response.status_code == 302 and _logged_in(client)


def _accept(path: str, *, id_number: str, password: str, name: str = TYPED_NAME, email: str = ATTACKER_EMAIL):
    """Fill the invitation form. The name and e-mail are for the form before the fix, which asked for them."""
    return Client().post(
        path, {"id_number": id_number, "name": name, "email": email, "password1": password, "password2": password}
    )


def _take_over(id_number: str) -> bool:
    """The attacker uses every invitation link that reached their address, then tries to log in as ``id_number``."""
    for path in _invitation_paths(ATTACKER_EMAIL):
        _accept(path, id_number=id_number, password=ATTACKER_PASSWORD)
    return _logs_in(id_number, ATTACKER_PASSWORD)


def _identity(person: Person) -> tuple:
    person.refresh_from_db()
    password = person.user.password if person.user_id else None
    return person.name, person.email, person.user_id, password


def _add_contact(
    client: Client,
    customer,
    *,
    id_number: str,
    email: str = ATTACKER_EMAIL,
    name: str = TYPED_NAME,
    role: str = "authorised_full",
):
    return client.post(
        reverse("portal:contacts", args=[customer.pk]),
        {"name": name, "email": email, "id_number": id_number, "role": role},
    )


def _company_with_representative(person: Person | None = None, *, supply_points: int = 2):
    customer = f.customer(supply_points=supply_points)
    person = person or f.person(login=True)
    f.grant(customer=customer, person=person, role="representative")
    return customer, person


def _attacker():
    """A representative of their own customer (a self-employed holder who registered alone qualifies)."""
    customer, person = _company_with_representative()
    client = Client()
    client.force_login(person.user)
    return SimpleNamespace(customer=customer, person=person, client=client)


def _start_change_over_http(
    commit, customer, representative: Person, *, nif: str, name: str = X_NAME, email: str = X_EMAIL
):
    client = Client()
    client.force_login(representative.user)
    with commit(execute=True):
        response = client.post(
            reverse("portal:new_representative_change", args=[customer.pk]),
            {
                "new_id_number": nif,
                "new_name": name,
                "new_email": email,
                "outgoing": "authorised_full",
                "contact_email": representative.email,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return RepresentativeChangeProcess.objects.get(customer=customer, is_open=True)


def _submit(commit, process, *, requester: Person, nif: str, name: str = X_NAME):
    """Upload a power of attorney naming the person and submit it."""
    with commit(execute=True):
        upload(process, power_of_attorney(process.customer, nif=nif, name=name))
    with commit(execute=True):
        workflows.submit_documents(process=process, actor=Actor(user=requester.user, ip=None, label="customer"))
    process.refresh_from_db()
    return process


def _approve(commit, process, *, requester: Person, nif: str, name: str = X_NAME):
    """Submit a power of attorney naming the person, and approve (with the second approval when asked)."""
    process = _submit(commit, process, requester=requester, nif=nif, name=name)
    verifier = staff("verifiers")
    task = task_of(process, "verify")
    assert task is not None, task_summary(process)
    with commit(execute=True):
        process = workflows.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor(verifier))
    second = task_of(process, "second_approval")
    if second is not None:
        supervisor = staff("supervisors")
        with commit(execute=True):
            process = workflows.second_decision(
                task_id=second.pk, user=supervisor, approve=True, actor=staff_actor(supervisor)
            )
    process.refresh_from_db()
    assert process.outcome == "applied", task_summary(process)
    return process


# -- (1) login takeover through a contact invitation -------------------------------------------


def test_1_inviting_a_registered_persons_nif_with_ones_own_address_gives_the_attacker_nothing(commit, sent):
    attacker = _attacker()
    _, victim = _company_with_representative(
        f.person(login=True, name="Victoria Registrada Real", email="victoria@real.example")
    )
    before = _identity(victim)

    with commit(execute=True):
        _add_contact(attacker.client, attacker.customer, id_number=victim.id_number)

    assert not _mails_to(ATTACKER_EMAIL) and not _templates_to(sent, ATTACKER_EMAIL)
    assert not Invitation.objects.filter(email__iexact=ATTACKER_EMAIL).exists()
    assert _identity(victim) == before
    assert not _take_over(victim.id_number)
    assert _identity(victim) == before


def test_1_inviting_a_known_person_without_login_nor_confirmed_address_sends_no_invitation(commit, sent):
    attacker = _attacker()
    # Known to the store (e.g. imported with the billing data as a company's representative), never logged in.
    victim = Person.objects.create(
        id_type="nif", id_number=_new_nif(), name="Victor Sense Login", email="victor@real.example", phone="600123123"
    )
    _company_with_representative(victim)
    before = _identity(victim)

    with commit(execute=True):
        _add_contact(attacker.client, attacker.customer, id_number=victim.id_number)

    assert not _mails_to(ATTACKER_EMAIL) and not _templates_to(sent, ATTACKER_EMAIL)
    assert not Invitation.objects.filter(grant__person=victim).exists()
    assert not _take_over(victim.id_number)
    assert _identity(victim) == before and victim.user_id is None


def test_1_a_person_named_in_a_pending_change_cannot_be_pre_empted_by_an_invitation(commit, sent):
    customer_b, representative_b = _company_with_representative()
    nif = _new_nif()  # unknown to the store until the request names it
    process = _start_change_over_http(commit, customer_b, representative_b, nif=nif)
    attacker = _attacker()

    with commit(execute=True):
        _add_contact(attacker.client, attacker.customer, id_number=nif)

    assert not _mails_to(ATTACKER_EMAIL) and not Invitation.objects.filter(email__iexact=ATTACKER_EMAIL).exists()
    assert not _take_over(nif)

    sent.clear()
    _approve(commit, process, requester=representative_b, nif=nif)

    named = Person.objects.get(id_number=nif)
    assert Grant.objects.filter(
        customer=customer_b, person=named, role="representative", revoked_at__isnull=True
    ).exists()
    assert named.email == X_EMAIL
    assert "role_granted" in _templates_to(sent, X_EMAIL)
    assert not _templates_to(sent, ATTACKER_EMAIL)
    assert not _logs_in(nif, ATTACKER_PASSWORD)


def test_1_a_login_someone_else_set_up_for_the_named_person_is_shown_to_staff_before_they_decide(commit, sent):
    attacker = _attacker()
    nif = _new_nif()
    with commit(execute=True):  # someone new to the store: the invitation goes to the typed address (by design)
        _add_contact(attacker.client, attacker.customer, id_number=nif)
    assert _take_over(nif), "setup: the attacker could not set up the invited login"

    customer_b, representative_b = _company_with_representative()
    process = _submit(
        commit,
        _start_change_over_http(commit, customer_b, representative_b, nif=nif),
        requester=representative_b,
        nif=nif,
    )
    verifier = staff("verifiers")
    client = Client()
    client.force_login(verifier)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(task_of(process, "verify").reverse("execute")).content.decode()
    assert "data-vw-named-person" in html
    assert "set up from another customer&#x27;s invitation" in html and attacker.customer.name in html
    assert ATTACKER_EMAIL not in html and "a•••@evil.example" in html  # masked


def test_1_a_change_on_ones_own_company_hands_no_login_for_another_customers_representative(commit, sent):
    attacker = _attacker()
    # A company's representative the store knows (e.g. imported with the billing data) who never registered.
    victim = Person.objects.create(
        id_type="nif", id_number=_new_nif(), name=X_NAME, email="carlos@real.example", phone="600123123"
    )
    victim_customer, _ = _company_with_representative(victim)
    process = _start_change_over_http(
        commit, attacker.customer, attacker.person, nif=victim.id_number, email=ATTACKER_EMAIL
    )
    sent.clear()
    _approve(commit, process, requester=attacker.person, nif=victim.id_number)

    victim.refresh_from_db()
    assert victim.user_id is None and victim.email == "carlos@real.example"
    assert _templates_to(sent, ATTACKER_EMAIL) == ["role_granted"] and not _invitation_paths(ATTACKER_EMAIL)
    assert "/invitation/" not in _mails_to(ATTACKER_EMAIL)[-1].body
    assert not Invitation.objects.filter(grant__person=victim, used_at__isnull=True).exists()
    # Nor through the attacker's own company's registration: one customer's proof does not open the other.
    with pytest.raises(accounts.GrantError):
        accounts.start_registration(
            customer=attacker.customer,
            person=victim,
            name=X_NAME,
            email=ATTACKER_EMAIL,
            phone="600000000",
            password=ATTACKER_PASSWORD,
            language="ca",
        )
    assert not _logs_in(victim.id_number, ATTACKER_PASSWORD)


# -- (2) an external manager's supply-point scope ----------------------------------------------


@pytest.fixture
def scoped(commit):
    """A customer with 3 supply points; its representative has a request open with a document; an external
    manager registered for the first supply point only, and a collaborator that manager authorised."""
    customer, representative = _company_with_representative(supply_points=3)
    points = list(SupplyPoint.objects.filter(contract__customer=customer).order_by("cups"))
    assert len(points) == 3
    manager = f.person(login=True)
    manager_grant = accounts.register_external_manager(
        customer=customer, person=manager, firm=f.firm(), actor=f.actor(), reason="test", supply_points=[points[0]]
    )
    collaborator = f.person(login=True)
    accounts.delegate_to_collaborator(
        manager_grant=manager_grant, person=collaborator, role="authorised_full", actor=f.actor(), reason="test"
    )
    process = _start_change_over_http(commit, customer, representative, nif=_new_nif())
    with commit(execute=True):
        document = upload(process, power_of_attorney(customer))
    clients = {}
    for name, person in (("manager", manager), ("collaborator", collaborator)):
        clients[name] = Client()
        clients[name].force_login(person.user)
    return SimpleNamespace(
        customer=customer,
        representative=representative,
        points=points,
        manager=manager,
        collaborator=collaborator,
        process=process,
        document=document,
        clients=clients,
    )


def _cups_shown(client, points) -> set[str]:
    body = client.get(reverse("portal:supplies")).content.decode()
    return {point.cups for point in points if point.cups in body}


def test_2_a_scoped_manager_sees_only_its_supply_point(scoped):
    assert _cups_shown(scoped.clients["manager"], scoped.points) == {scoped.points[0].cups}


def test_2_a_collaborator_of_a_scoped_manager_sees_only_the_managers_supply_point(scoped):
    assert _cups_shown(scoped.clients["collaborator"], scoped.points) == {scoped.points[0].cups}


@pytest.mark.parametrize("who", ["manager", "collaborator"])
def test_2_a_scoped_manager_and_its_collaborator_see_the_representatives_nif_masked(scoped, who):
    response = scoped.clients[who].get(reverse("portal:contacts", args=[scoped.customer.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert scoped.representative.name in body
    assert scoped.representative.id_number not in body


@pytest.mark.parametrize("who", ["manager", "collaborator"])
def test_2_the_representatives_request_page_is_hidden_from_a_scoped_manager(scoped, who):
    response = scoped.clients[who].get(reverse("portal:request_detail", args=[scoped.process.reference]))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["manager", "collaborator"])
def test_2_a_scoped_manager_cannot_download_the_representatives_documents(scoped, who):
    response = scoped.clients[who].get(reverse("documents:file", args=[scoped.document.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["upload", "remove", "submit"])
def test_2_a_scoped_manager_cannot_change_the_representatives_request(scoped, action):
    data = {"action": action}
    if action == "upload":
        data["files"] = SimpleUploadedFile("intrus.jpg", samples.jpeg(), content_type="image/jpeg")
    elif action == "remove":
        data["document"] = str(scoped.document.pk)
    with_documents = set(
        Document.objects.filter(document_set=scoped.process.document_set).values_list("pk", "removed_at")
    )

    response = scoped.clients["manager"].post(reverse("portal:request_detail", args=[scoped.process.reference]), data)

    assert response.status_code in (403, 404)
    assert (
        set(Document.objects.filter(document_set=scoped.process.document_set).values_list("pk", "removed_at"))
        == with_documents
    )
    scoped.process.refresh_from_db()
    assert workflows.waiting_for_documents(scoped.process)


# -- (3) a closed request's documents reach only its parties -------------------------------------


@pytest.fixture
def closed_change(commit):
    """A change of representative asked by the representative, naming a registered person, with a power of attorney
    and an ID card image, approved and applied. Then a contact and a collaborator are added."""
    customer, requester = _company_with_representative()
    readonly = f.person(login=True)
    f.grant(customer=customer, person=readonly, role="authorised_readonly")
    manager = f.person(login=True)
    manager_grant = f.grant(customer=customer, person=manager, role="external_manager", firm=f.firm())
    new_representative = f.person(login=True, name=X_NAME)
    process = _start_change_over_http(
        commit, customer, requester, nif=new_representative.id_number, email=new_representative.email
    )
    with commit(execute=True):
        id_card = upload(process, samples.jpeg(), name="dni.jpg")
    process = _approve(commit, process, requester=requester, nif=new_representative.id_number)
    power = Document.objects.filter(document_set=process.document_set).exclude(pk=id_card.pk).get()
    later_contact = f.person(login=True)
    f.grant(customer=customer, person=later_contact, role="authorised_full")
    later_collaborator = f.person(login=True)
    accounts.delegate_to_collaborator(
        manager_grant=manager_grant, person=later_collaborator, role="authorised_full", actor=f.actor(), reason="test"
    )
    people = {
        "requester": requester,
        "new_representative": new_representative,
        "readonly": readonly,
        "external_manager": manager,
        "later_contact": later_contact,
        "later_collaborator": later_collaborator,
    }
    return SimpleNamespace(process=process, power=power, id_card=id_card, people=people)


DOCUMENT_URLS = {
    "power_of_attorney_file": lambda w: reverse("documents:file", args=[w.power.pk]),
    "power_of_attorney_page": lambda w: reverse("documents:page", args=[w.power.pk, 0]),
    "id_card_file": lambda w: reverse("documents:file", args=[w.id_card.pk]),
}
PARTIES = ["requester", "new_representative"]
NOT_PARTIES = ["later_contact", "later_collaborator", "external_manager", "readonly"]


def test_3_a_closed_requests_documents_reach_only_its_parties(closed_change):
    outcomes, expected = {}, {}
    for who, person in closed_change.people.items():
        client = Client()
        client.force_login(person.user)
        for url, url_of in DOCUMENT_URLS.items():
            outcomes[who, url] = client.get(url_of(closed_change)).status_code
            expected[who, url] = 200 if who in PARTIES else 404
    assert outcomes == expected


# -- (5) no NIF -> name oracle, masked NIFs for those who may not see them -------------------------


def _added(person: Person, customer, id_number: str) -> tuple[int, str, list[str]]:
    client = Client()  # a session of its own: no message left over from another answer
    client.force_login(person.user)
    response = _add_contact(
        client, customer, id_number=id_number, email="contacte@example.com", name="Nom Escrit Qualsevol"
    )
    texts = [str(m.message).replace(id_number, "<NIF>") for m in get_messages(response.wsgi_request)]
    return response.status_code, response.get("Location", ""), texts


def test_5_adding_a_known_or_an_unknown_nif_gives_the_same_answer(commit):
    attacker = _attacker()
    _, known = _company_with_representative(f.person(login=True, name="Nom Guardat Secretament"))

    with commit(execute=True):
        for_known = _added(attacker.person, attacker.customer, known.id_number)
    with commit(execute=True):
        for_unknown = _added(attacker.person, attacker.customer, _new_nif())

    assert for_known[0] == 302 and for_known[2], for_known
    assert for_known == for_unknown
    assert not any(known.name in text for text in for_known[2])


def test_5_the_contacts_page_after_adding_a_known_nif_does_not_show_the_stored_name(commit):
    attacker = _attacker()
    _, known = _company_with_representative(f.person(login=True, name="Nom Guardat Secretament"))

    with commit(execute=True):
        response = attacker.client.post(
            reverse("portal:contacts", args=[attacker.customer.pk]),
            {
                "name": "Nom Escrit Qualsevol",
                "email": "contacte@example.com",
                "id_number": known.id_number,
                "role": "authorised_full",
            },
            follow=True,
        )

    assert response.status_code == 200
    assert known.name not in response.content.decode()


def _masked(id_number: str) -> str:
    return "•" * (len(id_number) - 3) + id_number[-3:]


@pytest.mark.parametrize("viewer", ["authorised_readonly", "authorised_full"])
def test_5_readonly_and_full_contacts_see_the_other_contacts_nifs_masked(client, story, viewer):
    me = story.people()[viewer]
    client.force_login(me.user)
    body = client.get(reverse("portal:contacts", args=[story.customer.pk])).content.decode()
    assert me.id_number in body
    for role, person in story.people().items():
        if person.pk == me.pk or role == "outsider":
            continue
        assert person.id_number not in body, role
        assert _masked(person.id_number) in body, role


def test_5_the_representative_sees_every_contacts_nif_whole(client, story):
    client.force_login(story.representative.user)
    body = client.get(reverse("portal:contacts", args=[story.customer.pk])).content.decode()
    for role, person in story.people().items():
        if role != "outsider":
            assert person.id_number in body, role


# -- (4) call center: who the caller is ------------------------------------------------------------


def test_4_a_caller_who_is_not_one_of_the_customers_known_people_is_not_verified_as_one(story):
    # Imported here: the console's API before the fix differs, and the other cases must still run there.
    from callcenter import services as callcenter

    agent = staff("callcenter_agents", "agent")
    actor = Actor(user=agent, ip="127.0.0.1", label="agent")
    interaction = callcenter.open_call(agent=agent, customer=story.customer, actor=actor)
    proof = story.customer.contracts.get().iban_last4  # printed on every bill

    # Someone says they are the representative, knows the bill's digits, but tells their own NIF.
    interaction = callcenter.verify_caller(
        interaction=interaction,
        caller_person=story.representative,
        caller_id_number=story.outsider.id_number,
        bank_last4=proof,
        session_key="regression",
        actor=actor,
    )
    assert not interaction.is_verified
    # Nor can the agent pick, as a known person, someone who holds nothing on this customer.
    with pytest.raises(callcenter.CallError):
        callcenter.verify_caller(
            interaction=interaction,
            caller_person=story.outsider,
            caller_id_number=story.outsider.id_number,
            bank_last4=proof,
            session_key="regression",
            actor=actor,
        )
    interaction.refresh_from_db()
    assert not interaction.is_verified
