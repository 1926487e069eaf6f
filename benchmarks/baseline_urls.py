"""The project's URLs plus a bare view: the baseline the portal pages are compared against."""

from django.http import HttpResponse
from django.urls import include, path

BARE_PATH = "/__bench__/bare/"


def bare(request):
    """No database query, no template: the cost of the server plus the middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare, name="bench_bare"),
    path("", include("backoffice.urls")),
]
