"""The console's URLs. Mounted by the staff site (backoffice/staff.py) at /staff/callcenter/, names under ``staff:callcenter:``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.console, name="index"),
    path("customers/<int:customer_id>/call/", views.take_call, name="take_call"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("calls/<int:pk>/verify/", views.verify, name="verify"),
    path(
        "calls/<int:pk>/representative-change/", views.start_representative_change, name="start_representative_change"
    ),
    path("calls/<int:pk>/external-manager/", views.start_external_manager, name="start_external_manager"),
    path("calls/<int:pk>/links/resend/", views.resend_link, name="resend_link"),
    path("calls/<int:pk>/links/<int:link_id>/revoke/", views.revoke_link, name="revoke_link"),
    path("calls/<int:pk>/objection/", views.object_to_request, name="object_to_request"),
    path("calls/<int:pk>/close/", views.close, name="close"),
    path("log/", views.log, name="log"),
]
