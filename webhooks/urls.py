from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoints, name="endpoints"),
    path("new/", views.new_endpoint, name="new"),
    path("<int:endpoint_id>/", views.endpoint_detail, name="endpoint"),
    path("<int:endpoint_id>/secret/", views.rotate_secret, name="rotate_secret"),
    path("<int:endpoint_id>/test/", views.send_test, name="send_test"),
    path("<int:endpoint_id>/active/", views.set_active, name="set_active"),
    path("<int:endpoint_id>/delete/", views.delete_endpoint, name="delete"),
]
