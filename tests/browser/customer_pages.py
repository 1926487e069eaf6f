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
from unittest import mock
from urllib.parse import urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, resolve, reverse

from accounts import services as account_services
from accounts.audit import Actor
from accounts.models import Grant
from backoffice.demo import make_nif
from portal import billing
from portal import services as portal_services
from tests import factories
from tests.portal.billing_setup import add_invoices
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, power_of_attorney, staff, task_of
from webhooks.models import Endpoint
from workflows import services as workflows

REGISTRATION_PASSWORD = "Llum-Verda!2026bosc"

#: The URL namespaces of the customer area: every GET page in them is visited by the walk.
CUSTOMER_NAMESPACES = ("portal", "api_portal", "webhooks")
#: The customer routes that are no page to look at, and why. Anything else the resolver knows must be in the walk.
NOT_PAGES = {
    "portal:home": "redirects to the login or to the supplies",
    "portal:logout": "POST only",
    "portal:precheck_progress": "JSON for the request page's poll",
    "portal:invoice_pdf": "a download",
    "portal:invoices_csv": "a download",
    "portal:invoices_xlsx": "a download",
    "portal:change_payment_day": "POST only (from the contract page)",
    "portal:change_contact_role": "POST only (from the contacts page)",
    "portal:resend_invitation": "POST only (from the contacts page)",
    "portal:undo_collaborator_batch": "POST only (from the batch's page)",
    "api_portal:revoke": "POST only (from the tokens page)",
    "webhooks:rotate_secret": "POST only (from the endpoint's page)",
    "webhooks:send_test": "POST only (from the endpoint's page)",
    "webhooks:set_active": "POST only (from the endpoint's page)",
    "webhooks:delete": "POST only (from the endpoint's page)",
}


def customer_routes() -> set[str]:
    """Every named route of the customer area, as ``namespace:name``."""
    resolver = get_resolver()
    return {
        f"{namespace}:{pattern.name}"
        for namespace in CUSTOMER_NAMESPACES
        for pattern in resolver.namespace_dict[namespace][1].url_patterns
        if pattern.name
    }


def route_of(page) -> str:
    return resolve(urlsplit(page.url).path).view_name


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
        form.locator("button[type=submit]").last.click()
    assert page.locator("main .errorlist").count() > 0, page.url


def _pdf(name: str, content: bytes) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


class CustomerArea:
    def __init__(self, *, new_page, mail_link, submit, page_args: dict):
        self.new_page, self.mail_link, self.submit, self.page_args = new_page, mail_link, submit, page_args
        self.routes: set[str] = set()  # the routes the walk has shown, for ``unvisited_routes``
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

        self.endpoint = Endpoint.objects.create(
            owner=self.representative,
            customer=self.company,
            url="https://erp.construccions-puig.example/avisos",
            description="ERP de l'oficina",
            events=["request.status_changed"],
            secret="whsec_accessibility-pass-0001",
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
        def checked(name: str, page) -> None:
            self.routes.add(route_of(page))
            check(name, page)

        self.visit_anonymous(checked)
        self.visit_representative(checked)
        self.visit_manager(checked)
        self.visit_objection(checked)
        self.visit_password_reset(checked)  # last: the representative's password changes

    def unvisited_routes(self) -> set[str]:
        """The customer area's GET pages the walk did not show (none, once it has run)."""
        return customer_routes() - set(NOT_PAGES) - self.routes

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
        form = page.locator("main form")
        form.locator("#id_id_number").fill("B12345678")  # a CIF: refused with its explanation
        _send_expecting_errors(page, form)
        check("forgot-password-errors", page)
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

        page.goto(reverse("portal:login"))  # before confirming: told so, not counted as a failed login
        form = page.locator("main form[novalidate]").last
        form.locator("#id_id_number").fill(self.unregistered_rep.id_number)
        form.locator("#id_password").fill(REGISTRATION_PASSWORD)
        with page.expect_navigation(wait_until="load"):
            form.locator("button[type=submit]").click()
        assert page.locator("#unconfirmed").count() == 1
        check("login-unconfirmed", page)
        self.submit(page, page.locator("#unconfirmed form"), expect_url=r"/register/confirm-again/$")
        check("resend-confirmation", page)
        page.goto(self.mail_link(r"/register/confirm/", to="pau.soler@example.com"))
        check("register-confirm", page)
        self.submit(page, page.locator("main form"), expect_url=r"/login/$")
        check("registration-confirmed", page)

        page.goto(self.mail_link(r"/invitation/", to="pere.convidat@example.com"))
        check("invitation", page)
        form = page.locator("main form")
        form.locator("#id_id_number").fill(make_nif(49_999_002))  # not the invited person's NIF
        form.locator("#id_password1").fill(REGISTRATION_PASSWORD)
        form.locator("#id_password2").fill(REGISTRATION_PASSWORD)
        _send_expecting_errors(page, form)
        check("invitation-errors", page)
        page.goto(self.mail_link(r"/upload/", to="roser@example.com"))
        check("upload-link", page)
        form = page.locator("main form[enctype='multipart/form-data']")
        form.locator("input[type=file]").set_input_files([_pdf("escaneig.pdf", b"not a pdf at all")])
        _send_expecting_errors(page, form)
        check("upload-link-errors", page)

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
        page.goto(reverse("portal:new_representative_change", args=[self.company.pk]))
        check("new-representative-change", page)
        form = page.locator("main form[novalidate]")
        _send_expecting_errors(page, form)
        check("new-representative-change-errors", page)
        page.goto(reverse("portal:invoices"))
        check("invoices", page)
        page.goto(reverse("portal:invoices_zip") + "?all=1")
        assert page.locator("#confirm-zip").count() == 1
        check("invoices-zip-confirm", page)
        with mock.patch.object(billing, "ZIP_MAX_INVOICES", 10):  # 30 invoices: more than one ZIP may hold
            page.goto(reverse("portal:invoices_zip") + "?all=1")
        assert page.locator("#confirm-zip").count() == 0 and page.locator("main [role=alert]").count() == 1
        check("invoices-zip-too-many", page)
        page.goto(reverse("portal:contract", args=[self.company.contracts.get().supply_points.first().pk]))
        check("contract", page)
        page.goto(reverse("portal:needs_action"))
        check("needs-my-action", page)
        self.visit_documents_submitted(check, page)
        self.visit_profile(check, page)
        self.visit_software(check, page)

    def visit_documents_submitted(self, check, page) -> None:
        page.goto(reverse("portal:request_detail", args=[self.waiting.reference]))
        form = page.locator("main form[enctype='multipart/form-data']")
        form.locator("input[type=file]").set_input_files([_pdf("poder.pdf", power_of_attorney(self.company))])
        self.submit(page, form, expect_url=r"/requests/[^/]+/$")
        assert page.locator("[data-checklist] [data-done=true]").count() == 1
        check("request-documents-uploaded", page)
        form = page.locator("main form:has(input[name=action][value=submit])")
        response = self.submit(page, form, expect_url=r"/received/$")
        assert response.request.method == "GET" and response.request.redirected_from.method == "POST"
        assert page.reload().request.method == "GET"  # Post/Redirect/Get: reloading asks for the page again
        check("documents-received", page)

    def visit_profile(self, check, page) -> None:
        page.goto(reverse("portal:profile"))
        check("profile", page)
        form = page.locator("main form:has(input[name=action][value=password])")
        form.locator("#id_current_password").fill("not-my-password")
        form.locator("#id_password1").fill(REGISTRATION_PASSWORD)
        form.locator("#id_password2").fill(REGISTRATION_PASSWORD)
        _send_expecting_errors(page, form)
        check("profile-errors", page)
        form = page.locator("main form:has(input[name=action][value=email])")
        form.locator("#id_email").fill("roser.puig@example.com")
        self.submit(page, form, expect_url=r"/profile/$")
        assert page.locator("[data-email-pending]").count() == 1
        check("profile-email-pending", page)
        page.goto(self.mail_link(r"/profile/email/", to="roser.puig@example.com"))
        check("confirm-email", page)
        self.submit(page, page.locator("main form"), expect_url=r"/profile/$")
        assert page.locator("[data-email-pending]").count() == 0
        check("profile-email-confirmed", page)

    def visit_software(self, check, page) -> None:
        page.goto(reverse("api_portal:tokens"))
        check("api-tokens", page)
        form = page.locator("main form[novalidate]")
        _send_expecting_errors(page, form)
        check("api-tokens-errors", page)
        page.goto(reverse("webhooks:endpoints"))
        check("webhooks", page)
        page.goto(reverse("webhooks:endpoint", args=[self.endpoint.pk]))
        check("webhook-endpoint", page)
        page.goto(reverse("webhooks:new"))
        check("webhook-new", page)
        form = page.locator("main form[novalidate]")
        form.locator("#id_url").fill("http://erp.example.com/avisos")  # not https
        _send_expecting_errors(page, form)
        check("webhook-new-errors", page)

    def visit_manager(self, check) -> None:
        page = self.new_page(**self.page_args)
        self._log_in(page, self.manager)
        check("manager-supplies", page)
        page.goto(reverse("portal:collaborator_batch"))
        check("collaborator-batch", page)
        _send_expecting_errors(page, page.locator("main form[method=post]"))
        check("collaborator-batch-errors", page)
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

    def visit_objection(self, check) -> None:
        """The representative's link to stop a request (in the notice e-mail of requests others start)."""
        page = self.new_page(**self.page_args)
        token = workflows.objection_token(self.waiting, self.representative)
        page.goto(reverse("portal:object", args=[self.waiting.reference, token]))
        check("objection", page)
        form = page.locator("main form[novalidate]")  # no error state: the note is optional, its length capped
        form.locator("#id_note").fill("No he demanat res.")
        self.submit(page, form)
        assert page.locator("[data-objection=recorded]").count() == 1
        check("objection-recorded", page)

    def visit_password_reset(self, check) -> None:
        """The page the e-mailed reset link opens (asked for on the forgot-password page), used and refused."""
        page = self.new_page(**self.page_args)
        self.representative.refresh_from_db()  # the profile's pass changed the address
        page.goto(reverse("portal:forgot_password"))
        form = page.locator("main form")
        form.locator("#id_id_number").fill(self.representative.id_number)
        self.submit(page, form)
        check("forgot-password-sent", page)
        page.goto(self.mail_link(r"/password/reset/", to=self.representative.email))
        check("password-reset", page)
        form = page.locator("main form")
        form.locator("#id_new_password1").fill(REGISTRATION_PASSWORD)
        form.locator("#id_new_password2").fill(REGISTRATION_PASSWORD + "x")
        _send_expecting_errors(page, form)
        check("password-reset-errors", page)
        form.locator("#id_new_password1").fill(REGISTRATION_PASSWORD)  # a page with errors shows no password
        form.locator("#id_new_password2").fill(REGISTRATION_PASSWORD)
        self.submit(page, form, expect_url=r"/password/reset/done/$")
        check("password-reset-done", page)
        page.goto(reverse("portal:password_reset_confirm", args=["MQ", "no-such-token"]))
        assert page.locator("main form").count() == 0
        check("password-reset-invalid-link", page)
