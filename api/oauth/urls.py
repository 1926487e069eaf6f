"""The OAuth2 endpoints under /oauth/: authorize (the consent page), token, revoke_token. Not django-oauth-toolkit's
own pages for managing applications: apps are registered by superusers in the admin."""

from django.urls import path
from oauth2_provider import views as oauth_views

from . import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.ConsentView.as_view(), name="authorize"),
    path("token/", views.CodeAndRefreshTokenView.as_view(), name="token"),
    path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
]
