from django.urls import path

from . import views_portal

app_name = "api_portal"

urlpatterns = [
    path("", views_portal.tokens, name="tokens"),
    path("<int:token_id>/revoke/", views_portal.revoke, name="revoke"),
]
