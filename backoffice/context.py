"""Template context shared by every page."""

from django.conf import settings


def service_phones(request) -> dict:
    """The customer-service numbers, for every "call us" on a page."""
    return {"service_phones": settings.CUSTOMER_SERVICE_PHONES_TEXT}
