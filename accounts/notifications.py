"""E-mails to people, rendered in the recipient's language and sent by a retried Celery task after commit."""

from __future__ import annotations

from django.db import transaction


def send_after_commit(*, to: str, template: str, context: dict, language: str) -> None:
    """Queue ``accounts/email/<template>.txt`` (first line: subject) for ``to`` once the transaction commits."""
    from .tasks import send_templated_email

    transaction.on_commit(lambda: send_templated_email.delay(to=to, template=template, context=context, language=language))
