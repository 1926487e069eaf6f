from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from . import services


@shared_task
def purge_stale_attempts() -> int:
    return services.purge_stale_attempts()


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 8})
def send_templated_email(self, *, to: str, template: str, context: dict, language: str) -> None:
    with translation.override(language):
        rendered = render_to_string(f"accounts/email/{template}.txt", context | {"site_url": settings.SITE_URL})
    subject, _, body = rendered.strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [to])
