from django.urls import path, re_path

from . import docs, views
from .errors import not_found_view

app_name = "api"

urlpatterns = [
    path("me/", views.Profile.as_view(), name="me"),
    path("me/email/", views.EmailChange.as_view(), name="me_email"),
    path("customers/", views.CustomerList.as_view(), name="customers"),
    path("customers/<int:customer_id>/", views.CustomerDetail.as_view(), name="customer"),
    path("customers/<int:customer_id>/contacts/", views.ContactList.as_view(), name="contacts"),
    path("customers/<int:customer_id>/contacts/<int:grant_id>/", views.ContactDetail.as_view(), name="contact"),
    path(
        "customers/<int:customer_id>/requests/representative-change/",
        views.StartRepresentativeChange.as_view(),
        name="start_representative_change",
    ),
    path(
        "customers/<int:customer_id>/requests/external-manager/",
        views.StartExternalManager.as_view(),
        name="start_external_manager",
    ),
    path("supply-points/", views.SupplyPointList.as_view(), name="supply_points"),
    path("supply-points/<int:supply_point_id>/", views.SupplyPointDetail.as_view(), name="supply_point"),
    path("contracts/", views.ContractList.as_view(), name="contracts"),
    path("contracts/<int:contract_id>/", views.ContractDetail.as_view(), name="contract"),
    path("contracts/<int:contract_id>/payment-day/", views.PaymentDay.as_view(), name="payment_day"),
    path("invoices/", views.InvoiceList.as_view(), name="invoices"),
    path("invoices/zip/", views.InvoiceZip.as_view(), name="invoices_zip"),
    path("invoices/export.csv", views.InvoiceCsv.as_view(), name="invoices_csv"),
    path("invoices/export.xlsx", views.InvoiceXlsx.as_view(), name="invoices_xlsx"),
    path("invoices/<int:invoice_id>/", views.InvoiceDetail.as_view(), name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", views.InvoicePdf.as_view(), name="invoice_pdf"),
    path("requests/", views.RequestList.as_view(), name="requests"),
    path("requests/<str:reference>/", views.RequestDetail.as_view(), name="request"),
    path("requests/<str:reference>/documents/", views.RequestDocuments.as_view(), name="request_documents"),
    path("requests/<str:reference>/submit/", views.RequestSubmit.as_view(), name="request_submit"),
    path("collaborator-batches/", views.CollaboratorBatches.as_view(), name="collaborator_batches"),
    path("collaborator-batches/<str:reference>/", views.CollaboratorBatchDetail.as_view(), name="collaborator_batch"),
    path(
        "collaborator-batches/<str:reference>/undo/",
        views.CollaboratorBatchUndo.as_view(),
        name="undo_collaborator_batch",
    ),
    path("webhooks/", views.WebhookEndpoints.as_view(), name="webhooks"),
    path("webhooks/<int:endpoint_id>/", views.WebhookEndpoint.as_view(), name="webhook"),
    path("webhooks/<int:endpoint_id>/deliveries/", views.WebhookDeliveries.as_view(), name="webhook_deliveries"),
    path("webhooks/<int:endpoint_id>/test/", views.WebhookTest.as_view(), name="webhook_test"),
    path("webhooks/<int:endpoint_id>/secret/", views.WebhookSecret.as_view(), name="webhook_secret"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.reference, name="docs"),
    re_path(r"^", not_found_view),
]
