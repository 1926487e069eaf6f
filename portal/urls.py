from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import requests, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_holder, name="register"),
    path("register/contact/", views.register_contact, name="register_contact"),
    path("register/password/", views.register_password, name="register_password"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register_confirm"),
    path("password/forgot/", views.forgot_password, name="forgot_password"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="portal/password_reset_confirm.html", success_url=reverse_lazy("portal:password_reset_done")
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="portal/password_reset_done.html"),
        name="password_reset_done",
    ),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("supplies/", views.supplies, name="supplies"),
    path("profile/", views.profile, name="profile"),
    path("profile/email/<str:token>/", views.confirm_email, name="confirm_email"),
    path("requests/", requests.requests_list, name="requests"),
    path("requests/<str:reference>/", requests.request_detail, name="request_detail"),
    path("upload/<str:reference>/<str:token>/", requests.upload_link, name="upload_link"),
    path("object/<str:reference>/<str:token>/", requests.objection, name="object"),
    path("customers/<int:customer_id>/contacts/", views.contacts, name="contacts"),
    path(
        "customers/<int:customer_id>/contacts/<int:grant_id>/role/",
        views.change_contact_role,
        name="change_contact_role",
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
]
