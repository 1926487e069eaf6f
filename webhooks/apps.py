from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed HTTPS callbacks to the firms' own software. The app listens (``receivers``): nothing below it
    imports it."""

    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 -- connects the signal receivers
