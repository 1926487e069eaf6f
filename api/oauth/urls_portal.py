from django.urls import path

from . import views

app_name = "oauth_portal"

urlpatterns = [
    path("", views.apps, name="apps"),
    path("<int:application_id>/revoke/", views.revoke, name="revoke"),
]
