"""Customer-side paperwork requests: start, upload, submit, track ("Gestions"), and the e-mailed upload link."""

from django.http import Http404


def requests_list(request):
    raise Http404


def request_detail(request, reference: str):
    raise Http404


def upload_link(request, reference: str, token: str):
    raise Http404
