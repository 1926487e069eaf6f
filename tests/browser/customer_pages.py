"""Every page and state of the customer area, for the accessibility and reflow passes.

``customer_area(...)`` seeds one world (a representative of three companies with requests waiting for documents,
under review and decided, contacts of every kind, a pending invitation, invoices; an external manager with a
collaborator batch; a company whose representative has not registered yet), then ``visit(check)`` walks every page,
calling ``check(name, page)`` on each: anonymous pages in one browser context, the representative's pages in a
second, the manager's in a third. One login per role.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services as account_services
from accounts.audit import Actor
from accounts.models import Grant
from backoffice.demo import make_nif
from portal import services as portal_services
from tests import factories
from tests.portal.billing_setup import add_invoices
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney, staff, task_of
from workflows import services as workflows

REGISTRATION_PASSWORD = "Llum-Verda!2026bosc"


def _customer_actor(person) -> Actor:
    return Actor(user=person.user, ip=None, label="customer")


def _start_change(customer, representative):
    return workflows.start_representative_change(
        customer=customer,
        new_id_number=NEW_NIF,
        new_name=NEW_NAME,
        new_email="marta.puig@example.com",
        outgoing="authorised_full",
        contact_email="roser@example.com",
        language="ca",
        requested_by=representative,
        actor=_customer_actor(representative),
        channel="portal",
    )


def _submitted(customer, representative):
    """A change of representative with its power of attorney submitted, once the pre-check has reached a verifier."""
    process = _start_change(customer, representative)
    workflows.add_request_document(
        process=process,
        uploaded=SimpleUploadedFile("poder.pdf", power_of_attorney(customer)),
        original_name="poder.pdf",
        actor=_customer_actor(representative),
    )
    workflows.submit_documents(process=process, actor=_customer_actor(representative))
    deadline = time.monotonic() + 30
    while task_of(process, "verify") is None:
        assert time.monotonic() < deadline, "the pre-check never reached verification"
        time.sleep(0.2)
    return process


def _send_expecting_errors(page, form) -> None:
    """Submit a form that the server sends back with its errors (the ``submit`` fixture refuses error lists)."""
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator("main .errorlist").count() > 0, page.url


class CustomerArea:
    def __init__(self, *, new_page, mail_link, submit, page_args: dict):
        self.new_page, self.mail_link, self.submit, self.page_args = new_page, mail_link, submit, page_args
        self.seed()

    def seed(self) -> None:
        self.representative = factories.person(login=True, name="Roser Puig Ferrer", email="roser@example.com")
        self.company = factories.customer(name="Construccions Puig i Ferrer S.L.", supply_points=3)
        rep_grant = factories.grant(customer=self.company, person=self.representative, role="representative")
        add_invoices(self.company.contracts.get(), count=30)
        for name, role in [("Oriol Serra Vidal", "authorised_full"), ("Núria Casals Pons", "authorised_readonly")]:
            factories.grant(customer=self.company, person=factories.person(login=True, name=name), role=role)
        firm = factories.firm()
        self.manager = factories.person(login=True, name="Montserrat Vilaró i Castellví")
        manager_grant = factories.grant(customer=self.company, person=self.manager, role="external_manager", firm=firm)
        self.collaborator = collaborator = factories.person(login=True, name="Jordi Col·laborador Puig")
        factories.grant(
            customer=self.company,
            person=collaborator,
            role="authorised_readonly",
            firm=firm,
            delegated_from=manager_grant,
        )
        account_services.authorise_contact(  # someone new to the store: invited at the address typed
            customer=self.company,
            id_number=make_nif(49_999_001),
            name="Pere Convidat Roca",
            email="pere.convidat@example.com",
            role=Grant.Role.AUTHORISED_READONLY,
            actor=_customer_actor(self.representative),
            by_grant=rep_grant,
            reason="accessibility pass",
        )
        self.waiting = _start_change(self.company, self.representative)
        workflows.send_upload_link(process=self.waiting, actor=Actor.system("test"), email="roser@example.com")

        self.reviewed_company = factories.customer(name="Magatzems Ferrer S.A.")
        factories.grant(customer=self.reviewed_company, person=self.representative, role="representative")
        self.under_review = _submitted(self.reviewed_company, self.representative)

        self.decided_company = factories.customer(name="Hotel Mar i Cel S.L.")
        factories.grant(customer=self.decided_company, person=self.representative, role="representative")
        decided = _submitted(self.decided_company, self.representative)
        verifier = staff("verifiers", "verifier-a11y")
        self.decided = workflows.decide(
            task_id=task_of(decided, "verify").pk,
            user=verifier,
            decision="approve",
            actor=Actor(user=verifier, ip=None, label="staff"),
        )

        managed = [factories.customer(name=f"Comunitat de Propietaris Rambla {n}") for n in range(3)]
        for customer in managed:
            factories.grant(customer=customer, person=self.manager, role="external_manager", firm=firm)
        self.batch = portal_services.apply_collaborator_batch(
            manager=self.manager,
            collaborator_id_number=collaborator.id_number,
            role="authorised_readonly",
            customers=[c.pk for c in managed],
            add=True,
            actor=factories.actor(),
        )

        self.unregistered = factories.customer(name="Fusteria Soler S.L.", direct_debit=True)
        self.unregistered_rep = factories.person(login=False, name="Pau Soler Mas")
        factories.grant(customer=self.unregistered, person=self.unregistered_rep, role="representative")

    # -- the walk ---------------------------------------------------------------------------------------------

    def _log_in(self, page, person) -> None:
        page.goto(reverse("portal:login"))
        form = page.locator("main form")
        form.locator("#id_id_number").fill(person.id_number)
        form.locator("#id_password").fill(factories.PASSWORD)
        self.submit(page, form, expect_url=r"/supplies/$")

    def visit(self, check: Callable[[str, object], None]) -> None:
        self.visit_anonymous(check)
        self.visit_representative(check)
        self.visit_manager(check)

    def visit_anonymous(self, check) -> None:
        page = self.new_page(**self.page_args)
        page.goto(reverse("portal:login"))
        check("login", page)
        form = page.locator("main form")
        form.locator("#id_id_number").fill("persona@example.com")
        form.locator("#id_password").fill("wrong")
        _send_expecting_errors(page, form)
        check("login-errors", page)
        page.goto(reverse("portal:forgot_password"))
        check("forgot-password", page)
        page.goto(reverse("portal:accessibility"))
        check("accessibility-statement", page)

        page.goto(reverse("portal:register"))
        check("register-1-holder", page)
        form = page.locator("main form")
        _send_expecting_errors(page, form)
        check("register-1-errors", page)
        form.locator("#id_holder_id").fill(self.unregistered.tax_id)
        form.locator("input[name=proof][value=bank]").check()
        form.locator("#id_bank_last4").fill(self.unregistered.contracts.get().iban_last4)
        self.submit(page, form, expect_url=r"/register/contact/$")
        check("register-2-contact", page)
        form = page.locator("main form")
        form.locator("#id_id_number").fill(self.unregistered_rep.id_number)
        form.locator("#id_name").fill("Pau Soler Mas")
        form.locator("#id_email").fill("not-an-address")
        _send_expecting_errors(page, form)
        check("register-2-errors", page)
        form.locator("#id_email").fill("pau.soler@example.com")
        form.locator("#id_phone").fill("600 123 456")
        self.submit(page, form, expect_url=r"/register/password/$")
        check("register-3-password", page)
        form = page.locator("main form")
        form.locator("#id_password1").fill(REGISTRATION_PASSWORD)
        form.locator("#id_password2").fill(REGISTRATION_PASSWORD + "x")
        _send_expecting_errors(page, form)
        check("register-3-errors", page)
        form.locator("#id_password1").fill(REGISTRATION_PASSWORD)
        form.locator("#id_password2").fill(REGISTRATION_PASSWORD)
        self.submit(page, form, expect_url=r"/register/password/$")
        check("register-4-sent", page)

        page.goto(self.mail_link(r"/invitation/", to="pere.convidat@example.com"))
        check("invitation", page)
        page.goto(self.mail_link(r"/upload/", to="roser@example.com"))
        check("upload-link", page)

    def visit_representative(self, check) -> None:
        page = self.new_page(**self.page_args)
        self._log_in(page, self.representative)
        check("supplies", page)
        page.goto(reverse("portal:company", args=[self.company.pk]))
        check("company", page)
        page.goto(reverse("portal:contacts", args=[self.company.pk]))
        check("contacts", page)
        form = page.locator("main form[novalidate]").last
        form.locator("#id_email").fill("not-an-address")
        _send_expecting_errors(page, form)
        check("contacts-errors", page)
        page.goto(page.locator("main a[href$='/deactivate/']").first.get_attribute("href"))
        check("contacts-deactivate-confirm", page)
        page.goto(reverse("portal:requests"))
        check("requests", page)
        for name, process in [
            ("request-waiting-documents", self.waiting),
            ("request-under-review", self.under_review),
            ("request-decided", self.decided),
        ]:
            page.goto(reverse("portal:request_detail", args=[process.reference]))
            check(name, page)
        page.goto(reverse("portal:new_external_manager", args=[self.company.pk]))
        check("new-external-manager", page)
        form = page.locator("main form[novalidate]")
        _send_expecting_errors(page, form)
        check("new-external-manager-errors", page)
        page.goto(reverse("portal:invoices"))
        check("invoices", page)
        page.goto(reverse("portal:contract", args=[self.company.contracts.get().supply_points.first().pk]))
        check("contract", page)
        page.goto(reverse("portal:needs_action"))
        check("needs-my-action", page)
        page.goto(reverse("portal:profile"))
        check("profile", page)

    def visit_manager(self, check) -> None:
        page = self.new_page(**self.page_args)
        self._log_in(page, self.manager)
        check("manager-supplies", page)
        page.goto(reverse("portal:collaborator_batch"))
        check("collaborator-batch", page)
        for box in page.locator("main input[name=customers]").all()[:2]:
            box.check()
        page.locator("#id_collaborator").select_option(
            label=f"{self.collaborator.name} · {self.collaborator.id_number}"
        )
        page.locator("input[name=action][value=remove]").check()
        self.submit(page, page.locator("main form[method=post]"), expect_url=r"/collaborators/batch/$")
        check("collaborator-batch-confirm", page)
        page.goto(reverse("portal:collaborator_batch_detail", args=[self.batch.reference]))
        check("collaborator-batch-detail", page)
