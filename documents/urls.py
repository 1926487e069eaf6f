from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:document_id>/file/", views.document_file, name="file"),
    path("<int:document_id>/pages/<int:index>.png", views.document_page, name="page"),
    path("<int:document_id>/pages/<int:index>/evidence.png", views.evidence_crop, name="evidence_crop"),
]
