from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Contracts and invoices received from the utility's billing system; their models live in ``accounts``."""

    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"
