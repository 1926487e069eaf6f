from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("staff/admin/", admin.site.urls),
    path("documents/", include("documents.urls")),
    path("", include("portal.urls")),
]
