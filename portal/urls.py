from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import billing, requests, views, workspace
from .forms import ResetPasswordForm

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_holder, name="register"),
    path("register/contact/", views.register_contact, name="register_contact"),
    path("register/password/", views.register_password, name="register_password"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("register/confirm-again/", views.resend_confirmation, name="resend_confirmation"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ResetPasswordForm,
            template_name="portal/password_reset_confirm.html",
            success_url=reverse_lazy("portal:password_reset_done"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="portal/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("supplies/", workspace.companies, name="supplies"),
    path("companies/<int:customer_id>/", workspace.company, name="company"),
    path("needs-my-action/", workspace.needs_action, name="needs_action"),
    path("collaborators/batch/", workspace.collaborator_batch, name="collaborator_batch"),
    path("collaborators/batch/<str:reference>/", workspace.collaborator_batch_detail, name="collaborator_batch_detail"),
    path(
        "collaborators/batch/<str:reference>/undo/", workspace.undo_collaborator_batch, name="undo_collaborator_batch"
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("requests/", requests.requests_list, name="requests"),
    path("requests/<str:reference>/", requests.request_detail, name="request_detail"),
    path("requests/<str:reference>/progress/", requests.precheck_progress, name="precheck_progress"),
    path("requests/<str:reference>/received/", requests.documents_received, name="documents_received"),
    path("upload/<str:reference>/<str:token>/", requests.upload_link, name="upload_link"),
    path("object/<str:reference>/<str:token>/", requests.objection, name="object"),
    path("customers/<int:customer_id>/contacts/", views.contacts, name="contacts"),
    path(
        "customers/<int:customer_id>/contacts/<int:grant_id>/role/",
        views.change_contact_role,
        name="change_contact_role",
    ),
    path(
        "customers/<int:customer_id>/contacts/<int:grant_id>/invitation/",
        views.resend_invitation,
        name="resend_invitation",
    ),
    path(
        "customers/<int:customer_id>/contacts/<int:grant_id>/deactivate/",
        views.deactivate_contact,
        name="deactivate_contact",
    ),
    path(
        "customers/<int:customer_id>/requests/representative/",
        requests.new_representative_change,
        name="new_representative_change",
    ),
    path(
        "customers/<int:customer_id>/requests/external-manager/",
        requests.new_external_manager,
        name="new_external_manager",
    ),
    # Invoices and contracts (portal/billing.py).
    path("invoices/", billing.invoices, name="invoices"),
    path("invoices/zip/", billing.invoices_zip, name="invoices_zip"),
    path("invoices/export.csv", billing.invoices_csv, name="invoices_csv"),
    path("invoices/export.xlsx", billing.invoices_xlsx, name="invoices_xlsx"),
    path("invoices/<int:invoice_id>/pdf/", billing.invoice_pdf, name="invoice_pdf"),
    path("supplies/<int:supply_point_id>/contract/", billing.contract, name="contract"),
    path(
        "supplies/<int:supply_point_id>/contract/payment-day/",
        billing.change_payment_day,
        name="change_payment_day",
    ),
]
