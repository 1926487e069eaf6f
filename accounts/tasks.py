import logging
import re

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from . import audit, services, throttle

logger = logging.getLogger(__name__)


@shared_task
def purge_stale_attempts() -> int:
    return throttle.purge_stale()


@shared_task
def verify_and_anchor_audit_chain() -> int | None:
    """Daily: verify the audit chain against its newest anchor, then anchor its head.

    Returns the anchored position, or None when the chain is broken (logged as an ERROR, the alert).
    """
    try:
        return audit.verify_and_anchor().chain_seq
    except audit.AuditChainBroken as broken:
        logger.error("audit chain broken: %s", broken)
        return None


#: Context values that hold names people typed (theirs, a caller's, a new representative's...): never a link.
TYPED_NAMES = ("name", "new_name", "asked_by")
_LINK_LIKE = re.compile(r"(?<=\w)([.@:])(?=[\w/])")


def unlinkable(text: str) -> str:
    """``text`` with a zero-width space after every dot, at sign or colon inside a word, so that no mail client
    turns a name such as "Call evil.example" into a link; it reads the same."""
    return _LINK_LIKE.sub("\\1\u200b", str(text))


def _send(*, to: str, template: str, context: dict, language: str) -> None:
    context = context | {key: unlinkable(context[key]) for key in TYPED_NAMES if context.get(key)}
    with translation.override(language):
        rendered = render_to_string(f"accounts/email/{template}.txt", context | {"site_url": settings.SITE_URL,
                                                                                   "service_phones": settings.CUSTOMER_SERVICE_PHONES_TEXT})
    subject, _, body = rendered.strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [to])


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_kwargs={"max_retries": 8})
def send_templated_email(self, *, to: str, template: str, context: dict, language: str) -> None:
    """One e-mail (kept for messages queued before the outbox existed)."""
    _send(to=to, template=template, context=context, language=language)


@shared_task(bind=True, max_retries=8)
def send_templated_emails(self, *, messages: list[dict]) -> int:
    """The e-mails of one transaction, in order. A failure retries only the ones not sent yet."""
    for number, message in enumerate(messages):
        try:
            _send(**message)
        except OSError as exc:
            raise self.retry(exc=exc, kwargs={"messages": messages[number:]},
                             countdown=min(600, 2 ** self.request.retries)) from exc
    return len(messages)
