"""The REST API: parse the input, ask ``authority`` through the pages' own selectors, call the pages' own
services, render. Objects of customers the caller may not see are 404, never 403; a change the caller's role does
not allow on a customer they see is 403, as on the pages."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.http import content_disposition_header, parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

import authority
from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import Invoice
from accounts.services import BatchRefused
from billing import selectors as billing_selectors
from billing import services as billing_services
from client_address import client_ip
from documents import selectors as documents
from documents.selectors import open_file, presigned_url
from documents.services import DocumentError, DocumentRejected
from documents.views import private_response
from portal import billing as portal_billing
from portal import selectors as workspace
from portal import services as portal_services
from portal.access import customer_authority
from portal.billing import PDF_TYPE, InvoiceFilterForm, PaymentDayForm, visible_invoice
from portal.forms import (
    AddContactForm,
    ChangeRoleForm,
    EmailChangeForm,
    ExternalManagerForm,
    ProfileForm,
    RepresentativeChangeForm,
)
from portal.requests import customer_to_start, start_from_form
from portal.services import (
    CONTACT_OUTCOMES,
    ContactOutcome,
    add_contact_outcome,
    change_contact_role_outcome,
    deactivate_contact_outcome,
)
from portal.views import editable_grant
from portal.workspace import batch_authorities, batch_form
from portal.workspace_forms import NEW_COLLABORATOR
from webhooks import selectors as webhook_selectors
from webhooks import services as webhook_services
from webhooks.forms import EVERY_CUSTOMER, EndpointForm
from webhooks.views import error_field, own_endpoint, register_from
from workflows import selectors as request_selectors
from workflows import services as request_services
from workflows.models import ExternalManagerProcess, RepresentativeChangeProcess

from . import selectors, serializers
from .authentication import api_actor, person_of
from .errors import INVALID, ApiError
from .pagination import OffsetCursorPagination

# -- helpers ----------------------------------------------------------------------------------------


def _form_error(form) -> ApiError:
    fields = {name: [str(m) for m in messages] for name, messages in form.errors.items() if name != "__all__"}
    general = [str(m) for m in form.errors.get("__all__", [])]
    if general:
        fields["non_field_errors"] = general
    return ApiError(general[0] if general else INVALID, fields=fields)


def _validated(serializer_class, request) -> dict:
    """The body, its types checked; the rules are the page form's, which reads it next."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _etag(*parts) -> str:
    digest = hashlib.sha256(json.dumps(parts, cls=DjangoJSONEncoder, sort_keys=True).encode()).hexdigest()
    return f'"{digest[:32]}"'


def _not_modified(request, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or etag in wanted


def _with_etag(response, etag: str):
    response["ETag"] = etag
    return response


NOT_MODIFIED = OpenApiResponse(description="Not modified: the ETag given in If-None-Match is still current.")
ETAG_HEADER = OpenApiParameter(
    "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="The ETag of the copy you hold."
)
CUSTOMER_PARAM = OpenApiParameter("customer", OpenApiTypes.INT, description="Only this customer's.")


class ListView(generics.ListAPIView):
    """A list of what the caller may see, in cursor pages."""

    cursor_ordering: tuple[str, ...] = ("pk",)

    def list(self, request, *args, **kwargs):
        with selectors.index_reads_are_cheap():
            return super().list(request, *args, **kwargs)

    def authorities(self) -> dict[int, authority.Authority]:
        """Asked once per call; the lists need the customer ids and the rule, not the customers themselves."""
        if not hasattr(self, "_authorities"):
            self._authorities = authority.authorities_of(person_of(self.request), with_customers=False)
        return self._authorities

    def customer_filter(self) -> int | None:
        raw = self.request.query_params.get("customer")
        if raw in (None, ""):
            return None
        if not (raw.isascii() and raw.isdigit()):
            message = _("Give the customer's number.")
            raise ApiError(message, fields={"customer": [message]})
        return int(raw)


# -- customers --------------------------------------------------------------------------------------


class CustomerList(ListView):
    """The customers the caller may act for, by name."""

    serializer_class = serializers.CustomerSerializer
    cursor_ordering = ("name", "id")

    def get_queryset(self):
        return selectors.customers_visible(self.authorities())

    def get_serializer_context(self):
        return super().get_serializer_context() | {"authorities": self.authorities()}


class CustomerDetail(generics.GenericAPIView):
    serializer_class = serializers.CustomerSerializer

    def get(self, request, customer_id: int):
        found = customer_authority(request, customer_id)
        context = {"authorities": {customer_id: found}}
        return Response(self.get_serializer(found.grant.customer, context=context).data)


# -- supply points and contracts ----------------------------------------------------------------------


@extend_schema(parameters=[CUSTOMER_PARAM])
class SupplyPointList(ListView):
    """Supply points within the caller's reach (a scope-limited manager sees only theirs), by CUPS."""

    serializer_class = serializers.SupplyPointSerializer
    cursor_ordering = ("cups",)

    def get_queryset(self):
        customer_id = self.customer_filter()
        if customer_id is None:
            return selectors.supply_points_visible(self.authorities())
        found = self.authorities().get(customer_id)
        return workspace.supply_points_of(found) if found is not None else workspace.SupplyPoint.objects.none()


class SupplyPointDetail(generics.GenericAPIView):
    serializer_class = serializers.SupplyPointSerializer

    def get(self, request, supply_point_id: int):
        page = billing_selectors.contract_for_supply_point(person_of(request), supply_point_id)
        if page is None:
            raise Http404
        return Response(self.get_serializer(page.supply_point).data)


@extend_schema(parameters=[CUSTOMER_PARAM])
class ContractList(ListView):
    serializer_class = serializers.ContractSerializer
    cursor_ordering = ("number",)

    def get_queryset(self):
        contracts = selectors.contracts_visible(self.authorities())
        customer_id = self.customer_filter()
        return contracts if customer_id is None else contracts.filter(customer_id=customer_id)


class ContractDetail(generics.GenericAPIView):
    serializer_class = serializers.ContractSerializer

    def get(self, request, contract_id: int):
        contract = (
            selectors.contracts_visible(authority.authorities_of(person_of(request), with_customers=False))
            .filter(pk=contract_id)
            .first()
        )
        if contract is None:
            raise Http404
        return Response(self.get_serializer(contract).data)


# -- invoices -----------------------------------------------------------------------------------------

INVOICE_FILTERS = [
    CUSTOMER_PARAM,
    OpenApiParameter("holder", OpenApiTypes.STR, description="Text in the customer's name or CIF."),
    OpenApiParameter("cups", OpenApiTypes.STR, description="A CUPS or its beginning."),
    OpenApiParameter("supply_point", OpenApiTypes.INT, description="Only this supply point's."),
    OpenApiParameter("issued_from", OpenApiTypes.DATE, description="Issued on or after (YYYY-MM-DD)."),
    OpenApiParameter("issued_to", OpenApiTypes.DATE, description="Issued on or before (YYYY-MM-DD)."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=Invoice.Status.values),
    OpenApiParameter("amount_min", OpenApiTypes.STR, description="Total with VAT from, e.g. 100.50 or 100,50."),
    OpenApiParameter("amount_max", OpenApiTypes.STR, description="Total with VAT up to."),
]


@extend_schema(parameters=INVOICE_FILTERS)
class InvoiceList(ListView):
    """The invoices the caller may see, newest first, with the invoice page's filters (same names, same checks)."""

    serializer_class = serializers.InvoiceSerializer
    cursor_ordering = ("-issued_on", "-id")

    def get_queryset(self):
        return filtered_invoices(self.request, self.authorities())


def filtered_invoices(request, authorities: dict[int, authority.Authority]):
    """The invoices the caller may see, by the invoice page's filters (its form: same names, same checks), plus
    ``supply_point``; ApiError naming the field for a bad value."""
    params = request.query_params
    raw = params.get("customer", "")
    # The page offers every customer seen as a choice; the API shows no list, so only the one asked for is
    # offered -- the same check of ``?customer=``, without a choice (and a customer row) per customer seen.
    found = authorities.get(int(raw)) if raw.isascii() and raw.isdigit() else None
    form = InvoiceFilterForm(params, authorities={found.customer_id: found} if found is not None else {})
    if not form.is_valid():
        raise _form_error(form)
    rows = billing_selectors.invoices_visible_to(person_of(request), filters=form.filters(), authorities=authorities)
    raw = params.get("supply_point", "")
    if raw:
        if not (raw.isascii() and raw.isdigit()):
            message = _("Give the supply point's number.")
            raise ApiError(message, fields={"supply_point": [message]})
        rows = rows.filter(supply_point_id=int(raw))
    return rows


def _authorities(request) -> dict[int, authority.Authority]:
    return authority.authorities_of(person_of(request), with_customers=False)


ZIP_TYPE = "application/zip"
INVOICE_IDS = OpenApiParameter(
    "invoice",
    OpenApiTypes.INT,
    many=True,
    description="Only these invoices (repeat the parameter); those you may not see are left out.",
)


class InvoiceZip(APIView):
    @extend_schema(
        parameters=[*INVOICE_FILTERS, INVOICE_IDS],
        responses={(200, ZIP_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="One folder per company.")},
    )
    def get(self, request):
        """The PDFs of the invoices the filters match (or of those given in `invoice`) in one ZIP, at most
        ZIP_MAX_INVOICES (2,000): beyond it, 400 `too_many`: narrow the filters."""
        raw = request.query_params.getlist("invoice")
        if any(not (value.isascii() and value.isdigit()) for value in raw):
            message = _("Give the invoice's number.")
            raise ApiError(message, fields={"invoice": [message]})
        rows = filtered_invoices(request, _authorities(request))
        if raw:
            rows = rows.filter(pk__in=[int(value) for value in raw[: portal_billing.ZIP_MAX_INVOICES + 1]])
        count = rows.count()
        if count == 0:
            raise ApiError(_("No invoices to download."), code="no_invoices")
        if count > portal_billing.ZIP_MAX_INVOICES:
            raise ApiError(
                _(
                    "The filters match %(count)s invoices; one ZIP holds at most %(max)s. Narrow the filters (a "
                    "shorter period or one company) and try again."
                )
                % {"count": count, "max": portal_billing.ZIP_MAX_INVOICES},
                code="too_many",
            )
        return portal_billing.zip_response(rows)


class InvoiceCsv(APIView):
    @extend_schema(
        parameters=INVOICE_FILTERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="UTF-8, ';' between cells.")},
    )
    def get(self, request):
        """The invoices the filters match as CSV for a spreadsheet (the invoice page's export), streamed."""
        return portal_billing.csv_response(filtered_invoices(request, _authorities(request)))


class InvoiceXlsx(APIView):
    @extend_schema(
        parameters=INVOICE_FILTERS,
        responses={(200, portal_billing.XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="A workbook.")},
    )
    def get(self, request):
        """The invoices the filters match as an XLSX workbook, at most XLSX_MAX_ROWS (50,000): beyond it, 400
        `too_many`: narrow the filters or take the CSV."""
        rows = filtered_invoices(request, _authorities(request))
        if rows.count() > portal_billing.XLSX_MAX_ROWS:
            raise ApiError(
                _("An XLSX file holds at most %(count)s invoices. Narrow the filters, or export them as CSV.")
                % {"count": portal_billing.XLSX_MAX_ROWS},
                code="too_many",
            )
        return portal_billing.xlsx_response(rows)


class InvoiceDetail(generics.GenericAPIView):
    serializer_class = serializers.InvoiceSerializer

    @extend_schema(parameters=[ETAG_HEADER], responses={200: serializers.InvoiceSerializer, 304: NOT_MODIFIED})
    def get(self, request, invoice_id: int):
        data = self.get_serializer(visible_invoice(request, invoice_id)).data
        etag = _etag(data)
        if _not_modified(request, etag):
            return _with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), etag)
        return _with_etag(Response(data), etag)


class InvoicePdf(APIView):
    @extend_schema(
        parameters=[ETAG_HEADER],
        responses={
            (200, PDF_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            302: OpenApiResponse(description="On object storage: a link to the PDF valid for a few minutes."),
            304: NOT_MODIFIED,
        },
    )
    def get(self, request, invoice_id: int):
        invoice = visible_invoice(request, invoice_id)
        name = invoice.pdf_name or billing_services.ensure_invoice_pdf(invoice=invoice)
        etag = _etag(name)  # the stored name holds the hash of the PDF's content
        if _not_modified(request, etag):
            return _with_etag(Response(status=status.HTTP_304_NOT_MODIFIED), etag)
        filename = f"{invoice.number}.pdf"
        url = presigned_url(
            name, expires=None, content_type=PDF_TYPE, disposition=content_disposition_header(True, filename)
        )
        if url:
            return _with_etag(private_response(HttpResponseRedirect(url)), etag)
        try:
            source = open_file(name)
        except FileNotFoundError:
            raise Http404 from None
        response = private_response(FileResponse(source, as_attachment=True, filename=filename, content_type=PDF_TYPE))
        return _with_etag(response, etag)


# -- authorised contacts ---------------------------------------------------------------------------------


class ContactList(ListView):
    """The active contacts of a customer; the id numbers masked except where ``authority`` shows them."""

    serializer_class = serializers.ContactSerializer

    def get_queryset(self):
        self.found = customer_authority(self.request, self.kwargs["customer_id"])
        return account_selectors.contacts_of(self.found.customer_id).order_by()

    def get_serializer_context(self):
        return super().get_serializer_context() | {"authority": getattr(self, "found", None)}

    @extend_schema(request=serializers.AddContactSerializer, responses={201: serializers.ContactSerializer})
    def post(self, request, customer_id: int):
        """Authorise a contact (full or read-only access), or, for an external manager, a collaborator. The person
        is told by e-mail, as from the contacts page."""
        found = customer_authority(request, customer_id)
        if not found.can_change:
            raise exceptions.PermissionDenied(_("You cannot change this contact."))
        form = AddContactForm(_validated(serializers.AddContactSerializer, request))
        if not form.is_valid():
            raise _form_error(form)
        # Each contact added may send an e-mail from the utility: counted as on the page (accounts.throttle).
        outcome = add_contact_outcome(
            by_grant=found.grant,
            data=form.cleaned_data,
            person=person_of(request),
            address=client_ip(request),
            actor=api_actor(request),
            reason="api: add contact",
        )
        _answer(outcome)
        grant = account_selectors.contacts_of(customer_id).get(pk=outcome.grant.pk)
        body = serializers.ContactSerializer(grant, context={"authority": found}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ContactDetail(generics.GenericAPIView):
    serializer_class = serializers.ContactSerializer

    @extend_schema(request=serializers.ChangeRoleSerializer, responses={200: serializers.ContactSerializer})
    def patch(self, request, customer_id: int, grant_id: int):
        """Change an authorised contact's (or collaborator's) access between full and read-only."""
        found, target = editable_grant(request, customer_id, grant_id)
        if not found.may_change_role(target):
            raise exceptions.PermissionDenied(_("You cannot change this contact."))
        form = ChangeRoleForm(_validated(serializers.ChangeRoleSerializer, request))
        if not form.is_valid():
            raise _form_error(form)
        _answer(
            change_contact_role_outcome(
                target=target, role=form.cleaned_data["role"], actor=api_actor(request), reason="api: change role"
            )
        )
        grant = account_selectors.contacts_of(customer_id).get(pk=target.pk)
        return Response(self.get_serializer(grant, context={"authority": found}).data)

    @extend_schema(responses={204: None})
    def delete(self, request, customer_id: int, grant_id: int):
        """Deactivate a contact (and the collaborators delegated from them); each of them is told by e-mail."""
        found, target = editable_grant(request, customer_id, grant_id)
        if not found.may_edit(target):
            raise exceptions.PermissionDenied(_("You cannot change this contact."))
        _answer(deactivate_contact_outcome(target=target, actor=api_actor(request), reason="api: deactivate contact"))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _answer(outcome: ContactOutcome) -> None:
    """A contact change's outcome, by the table the page reads too: an error status raises the page's words."""
    code = CONTACT_OUTCOMES[outcome.code][1]
    if code >= 400:
        wait = settings.LOCKOUT_MINUTES * 60 if code == 429 else None  # the lock's window, as the message says
        raise ApiError(outcome.message, code=outcome.code, status_code=code, wait=wait)


# -- paperwork requests -------------------------------------------------------------------------------------

REQUEST_FILTERS = [
    CUSTOMER_PARAM,
    OpenApiParameter("kind", OpenApiTypes.STR, enum=sorted(workspace.REQUEST_KINDS)),
    OpenApiParameter("status", OpenApiTypes.STR, enum=workspace.STATUS_ORDER, description="The latest milestone."),
]


@extend_schema(parameters=REQUEST_FILTERS)
class RequestList(ListView):
    """The requests the caller may see across their customers, as on the Gestions page, newest first."""

    serializer_class = serializers.RequestRowSerializer
    pagination_class = OffsetCursorPagination

    def get_queryset(self):
        params = self.request.query_params
        kind, milestone = params.get("kind", ""), params.get("status", "")
        fields = {}
        if kind and kind not in workspace.REQUEST_KINDS:
            fields["kind"] = [_("Choose a kind of request from the list.")]
        if milestone and milestone not in workspace.STATUS_ORDER:
            fields["status"] = [_("Choose a status from the list.")]
        if fields:
            raise ApiError(INVALID, fields=fields)
        filters = workspace.RequestFilters(
            customer_id=self.customer_filter(), kind=kind, status=milestone, sort="-started"
        )
        return workspace.requests_table(person_of(self.request), self.authorities(), filters)


def _request_body(process, found: authority.Authority) -> dict:
    details = found.sees_request_details(process)

    def ident(value: str) -> str:
        from accounts.identifiers import mask_id_number

        return value if details else mask_id_number(value)

    if isinstance(process, RepresentativeChangeProcess):
        asks = {
            "new_name": process.new_name,
            "new_id_number": ident(process.new_id_number),
            "new_email": process.new_email if details else None,
            "outgoing": process.outgoing,
        }
    else:
        asks = {
            "firm_cif": process.firm_cif,
            "firm_name": process.firm_name,
            "firm_kind": process.firm_kind,
            "manager_name": process.manager_name,
            "manager_id_number": ident(process.manager_id_number),
            "manager_email": process.manager_email if details else None,
            "supply_points": [point.cups for point in process.supply_points.order_by("cups")],
        }
    return {
        "reference": process.reference,
        "kind": process.kind,
        "customer": process.customer_id,
        "is_open": process.is_open,
        "outcome": process.outcome,
        "created": process.created,
        "asks": asks,
        "waiting_for_documents": request_services.waiting_for_documents(process),
        "may_act": found.may_act_on_request(process),
        "documents": documents.documents_of(process.document_set) if details else [],
        "timeline": request_selectors.timeline(process),
    }


def _visible_request(request, reference: str):
    process, found = request_selectors.request_for(person_of(request), reference)
    if process is None:
        raise Http404
    return process, found


def _request_response(process, found, *, code: int = 200) -> Response:
    return Response(serializers.RequestDetailSerializer(_request_body(process, found)).data, status=code)


class RequestDetail(APIView):
    @extend_schema(responses={200: serializers.RequestDetailSerializer})
    def get(self, request, reference: str):
        """A request's status, what it asks, its documents (parties only) and its timeline."""
        return _request_response(*_visible_request(request, reference))


def _actable_request(request, reference: str):
    process, found = _visible_request(request, reference)
    if not found.may_act_on_request(process):
        raise exceptions.PermissionDenied(_("You cannot change this request."))
    return process, found


class RequestDocuments(APIView):
    @extend_schema(
        request={"multipart/form-data": serializers.UploadSerializer},
        responses={201: serializers.DocumentSerializer},
    )
    def post(self, request, reference: str):
        """Upload one document (PDF, JPEG, PNG or TIFF) to a request waiting for documents."""
        process, _found = _actable_request(request, reference)
        uploaded = request.FILES.get("file")
        if uploaded is None:
            message = _("Choose at least one file to upload.")
            raise ApiError(message, fields={"file": [message]})
        try:
            document = request_services.add_request_document(
                process=process, uploaded=uploaded, original_name=uploaded.name, actor=api_actor(request)
            )
        except (DocumentRejected, DocumentError, request_services.RequestError) as error:
            raise ApiError(error.message, code="refused", fields={"file": [str(error.message)]}) from None
        return Response(serializers.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class RequestSubmit(APIView):
    @extend_schema(request=None, responses={200: serializers.RequestDetailSerializer})
    def post(self, request, reference: str):
        """The documents are all there: the request moves on to the checks."""
        process, found = _actable_request(request, reference)
        try:
            process = request_services.submit_documents(process=process, actor=api_actor(request))
        except (DocumentError, request_services.RequestError) as error:
            raise ApiError(error.message, code="refused") from None
        return _request_response(process, found)


def _start(request, form, start) -> Response:
    if not form.is_valid():
        raise _form_error(form)
    try:
        process = start(form.cleaned_data)
    except request_services.RequestAlreadyOpen as error:
        raise ApiError(error.message, code="already_open", status_code=409) from None
    except request_services.RequestError as error:
        raise ApiError(error.message, code="refused") from None
    process, found = _visible_request(request, process.reference)
    return _request_response(process, found, code=status.HTTP_201_CREATED)


class StartRepresentativeChange(APIView):
    @extend_schema(
        request=serializers.RepresentativeChangeSerializer, responses={201: serializers.RequestDetailSerializer}
    )
    def post(self, request, customer_id: int):
        """Ask for a change of representative; then upload the documents and submit."""
        customer = customer_to_start(request, customer_id, RepresentativeChangeProcess.kind)
        form = RepresentativeChangeForm(_validated(serializers.RepresentativeChangeSerializer, request))

        def start(data):
            return start_from_form(
                RepresentativeChangeProcess.kind,
                data,
                customer=customer,
                person=person_of(request),
                actor=api_actor(request),
            )

        return _start(request, form, start)


class StartExternalManager(APIView):
    @extend_schema(request=serializers.ExternalManagerSerializer, responses={201: serializers.RequestDetailSerializer})
    def post(self, request, customer_id: int):
        """Ask for an external manager firm; then upload the signed mandate and submit."""
        customer = customer_to_start(request, customer_id, ExternalManagerProcess.kind)
        data = _validated(serializers.ExternalManagerSerializer, request)
        form = ExternalManagerForm(data, customer=customer)

        def start(data):
            return start_from_form(
                ExternalManagerProcess.kind,
                data,
                customer=customer,
                person=person_of(request),
                actor=api_actor(request),
            )

        return _start(request, form, start)


# -- the caller ------------------------------------------------------------------------------------------------


class Profile(generics.GenericAPIView):
    serializer_class = serializers.ProfileSerializer

    def get(self, request):
        """The caller's own details."""
        return Response(self.get_serializer(person_of(request)).data)

    @extend_schema(request=serializers.ProfileChangeSerializer, responses={200: serializers.ProfileSerializer})
    def patch(self, request):
        """Change your own name, phone or language of our e-mails (the profile page's form); what you leave out
        keeps its value. Your e-mail changes through `/me/email/`."""
        person = person_of(request)
        data = {"name": person.name, "phone": person.phone, "language": person.language}
        data |= _validated(serializers.ProfileChangeSerializer, request)
        form = ProfileForm(data)
        if not form.is_valid():
            raise _form_error(form)
        person = account_services.update_own_profile(person=person, **form.cleaned_data, actor=api_actor(request))
        return Response(self.get_serializer(person).data)


class EmailChange(APIView):
    @extend_schema(request=serializers.EmailChangeSerializer, responses={202: serializers.EmailChangeStartedSerializer})
    def post(self, request):
        """Ask to change your e-mail: we send a link to the new address, and it changes when you open it (as on
        the profile page). Until then your e-mail stays as it is."""
        form = EmailChangeForm(_validated(serializers.EmailChangeSerializer, request))
        if not form.is_valid():
            raise _form_error(form)
        email = form.cleaned_data["email"]
        try:
            account_services.request_email_change(person=person_of(request), new_email=email, actor=api_actor(request))
        except account_services.GrantError as error:
            raise ApiError(error.message, code="refused") from None
        message = _("We have sent a link to %(email)s. Your e-mail changes when you open it.") % {"email": email}
        return Response({"new_email": email, "message": message}, status=status.HTTP_202_ACCEPTED)


# -- the payment day of a contract ----------------------------------------------------------------------------

#: The answer to each refusal of ``billing.services.change_payment_day`` (by its code); any other is 400.
PAYMENT_DAY_STATUS = {"not_allowed": 403, "not_direct_debit": 409, "contract_ended": 409}


class PaymentDay(APIView):
    @extend_schema(request=serializers.PaymentDaySerializer, responses={200: serializers.ContractSerializer})
    def put(self, request, contract_id: int):
        """Change the direct-debit day of a contract (from its next invoice); the representative and you are told
        by e-mail. Asking for the day it already has changes nothing (200)."""
        authorities = _authorities(request)
        contract = selectors.contracts_visible(authorities).filter(pk=contract_id).first()
        if contract is None:
            raise Http404
        if not authorities[contract.customer_id].may(authority.Action.CHANGE_PAYMENT_DAY):
            raise exceptions.PermissionDenied(_("You cannot change the payment day of this contract."))
        form = PaymentDayForm(_validated(serializers.PaymentDaySerializer, request))
        if not form.is_valid():
            raise _form_error(form)
        try:
            contract = billing_services.change_payment_day(
                contract=contract, day=form.cleaned_data["day"], actor=api_actor(request)
            )
        except billing_services.PaymentDayError as error:
            if error.code != "unchanged":
                raise ApiError(
                    error.message, code=error.code, status_code=PAYMENT_DAY_STATUS.get(error.code, 400)
                ) from None
        return Response(serializers.ContractSerializer(contract).data)


# -- a collaborator on many companies at once ------------------------------------------------------------------


def _batch_body(batch, *, code: int = 200) -> Response:
    items = workspace.batch_items(batch)
    return Response(serializers.CollaboratorBatchSerializer(batch, context={"items": items}).data, status=code)


def _own_batch(request, reference: str):
    batch_authorities(request)
    batch = workspace.batch_of(person_of(request), reference)
    if batch is None:
        raise Http404
    return batch


class CollaboratorBatches(APIView):
    @extend_schema(responses={200: serializers.CollaboratorBatchSerializer(many=True)})
    def get(self, request):
        """Your latest collaborator batches (at most 50), newest first, without their companies."""
        batch_authorities(request)
        batches = workspace.batches_of(person_of(request), limit=BATCHES_LISTED)
        return Response(serializers.CollaboratorBatchSerializer(batches, many=True).data)

    @extend_schema(
        request=serializers.CollaboratorBatchInputSerializer, responses={201: serializers.CollaboratorBatchSerializer}
    )
    def post(self, request):
        """Add one collaborator to, or remove them from, many of the companies you manage at once (an external
        manager's batch page). A company you do not manage collaborators on refuses the whole batch (400
        `not_allowed`, nothing written). Undo it with `/undo/`."""
        authorities = batch_authorities(request)
        body = _validated(serializers.CollaboratorBatchInputSerializer, request)
        data = {
            "customers": body["customers"],
            "action": body["action"],
            "collaborator": NEW_COLLABORATOR,
            "id_number": body["id_number"],
            "name": body.get("name", ""),
            "email": body.get("email", ""),
            "role": body.get("role", ""),
        }
        form = batch_form(request, authorities, data)
        wanted = body["id_number"].strip().upper()
        known = next((pk for pk, person in form.collaborators.items() if person.id_number == wanted), None)
        if known is not None:  # one of the manager's collaborators: as picked from the page's list
            data["collaborator"] = known
        if not form.is_valid():
            raise _form_error(form)
        try:
            batch = portal_services.apply_collaborator_batch(
                manager=person_of(request),
                collaborator_id_number=form.collaborator_id_number,
                collaborator_name=form.cleaned_data.get("name") or "",
                collaborator_email=form.cleaned_data.get("email") or "",
                role=form.cleaned_data.get("role") or "",
                customers=form.cleaned_data["customer_ids"],
                add=form.cleaned_data["action"] == "add",
                actor=api_actor(request),
            )
        except BatchRefused as error:
            fields = {"customers": [str(error.message)]} if error.customer_ids else {}
            raise ApiError(error.message, code=error.code, fields=fields) from None
        return _batch_body(batch, code=status.HTTP_201_CREATED)


#: Batches the list shows (the page shows the latest 10).
BATCHES_LISTED = 50


class CollaboratorBatchDetail(APIView):
    @extend_schema(responses={200: serializers.CollaboratorBatchSerializer})
    def get(self, request, reference: str):
        """A batch with what it did on each company (and, once undone, what the undo did)."""
        return _batch_body(_own_batch(request, reference))


class CollaboratorBatchUndo(APIView):
    @extend_schema(request=None, responses={200: serializers.CollaboratorBatchSerializer})
    def post(self, request, reference: str):
        """Undo exactly what the batch changed; a company where something changed since is left as it is (its
        item says `changed_since`). Once only."""
        batch = _own_batch(request, reference)
        try:
            result = portal_services.undo_batch(batch=batch, manager=person_of(request), actor=api_actor(request))
        except BatchRefused as error:
            raise ApiError(error.message, code=error.code, status_code=409) from None
        return _batch_body(result.batch)


# -- webhook endpoints -----------------------------------------------------------------------------------------


def _webhook_error(error: webhook_services.WebhookError) -> ApiError:
    field = error_field(error)
    return ApiError(error.message, code=error.code, fields={field: [error.message]} if field else {})


class WebhookEndpoints(ListView):
    """Your webhook endpoints, newest first (each person sees only their own)."""

    serializer_class = serializers.EndpointSerializer
    cursor_ordering = ("-id",)

    def get_queryset(self):
        return webhook_selectors.endpoints_of(person_of(self.request))

    @extend_schema(request=serializers.EndpointInputSerializer, responses={201: serializers.EndpointCreatedSerializer})
    def post(self, request):
        """Register an HTTPS endpoint for one company (`customer`) or every company you can see (null), and the
        events it receives. The answer holds the signing secret: it is shown this once."""
        body = _validated(serializers.EndpointInputSerializer, request)
        customer = body.get("customer")
        form = EndpointForm(
            {
                "url": body["url"],
                "description": body.get("description", ""),
                "customer": EVERY_CUSTOMER if customer is None else str(customer),
                "events": body["events"],
            },
            authorities=authority.authorities_of(person_of(request)),
        )
        if not form.is_valid():
            raise _form_error(form)
        try:
            endpoint, secret = register_from(form, actor=api_actor(request), reason="api")
        except webhook_services.WebhookError as error:
            raise _webhook_error(error) from None
        body = serializers.EndpointCreatedSerializer(endpoint).data | {"secret": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookEndpoint(generics.GenericAPIView):
    serializer_class = serializers.EndpointSerializer

    def get(self, request, endpoint_id: int):
        return Response(self.get_serializer(own_endpoint(request, endpoint_id)).data)

    @extend_schema(request=serializers.EndpointChangeSerializer, responses={200: serializers.EndpointSerializer})
    def patch(self, request, endpoint_id: int):
        """Change the events an endpoint receives, or disable it (nothing is sent; pending deliveries are not
        sent) and enable it again."""
        endpoint = own_endpoint(request, endpoint_id)
        body = _validated(serializers.EndpointChangeSerializer, request)
        actor = api_actor(request)
        try:
            if "events" in body:
                endpoint = webhook_services.change_events(
                    endpoint=endpoint, events=body["events"], actor=actor, reason="api"
                )
            if "is_active" in body:
                endpoint = webhook_services.set_active(
                    endpoint=endpoint, active=body["is_active"], actor=actor, reason="api"
                )
        except webhook_services.WebhookError as error:
            raise _webhook_error(error) from None
        return Response(self.get_serializer(own_endpoint(request, endpoint_id)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, endpoint_id: int):
        """Delete an endpoint with its deliveries."""
        webhook_services.delete_endpoint(
            endpoint=own_endpoint(request, endpoint_id), actor=api_actor(request), reason="api"
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveries(APIView):
    @extend_schema(responses={200: serializers.DeliverySerializer(many=True)})
    def get(self, request, endpoint_id: int):
        """The endpoint's latest deliveries (at most 50), newest first, each with its attempts, last first."""
        deliveries = webhook_selectors.recent_deliveries(own_endpoint(request, endpoint_id))
        return Response(serializers.DeliverySerializer(deliveries, many=True).data)


class WebhookTest(APIView):
    @extend_schema(request=None, responses={202: serializers.DeliverySerializer})
    def post(self, request, endpoint_id: int):
        """Send a `webhook.test` event to the endpoint; its delivery shows in the deliveries in a few seconds."""
        try:
            delivery = webhook_services.send_test_event(
                endpoint=own_endpoint(request, endpoint_id), actor=api_actor(request)
            )
        except webhook_services.WebhookError as error:
            raise _webhook_error(error) from None
        return Response(serializers.DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookSecret(APIView):
    @extend_schema(request=None, responses={200: serializers.SecretSerializer})
    def post(self, request, endpoint_id: int):
        """A new signing secret, in force at once: shown this once."""
        secret = webhook_services.rotate_secret(
            endpoint=own_endpoint(request, endpoint_id), actor=api_actor(request), reason="api"
        )
        return Response({"secret": secret})
