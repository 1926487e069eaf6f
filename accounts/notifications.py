"""E-mails to people: one row per e-mail written in the transaction that decides to send it, delivered by
a worker in the recipient's language, at most once per key.

``send_after_commit`` writes the e-mail (``outbox.models.Email``, QUEUED) and its delivery message in the
caller's transaction: a rolled-back transaction (or savepoint) sends nothing, a committed one loses nothing
when the broker or the mail server is down. ``deliver`` sends one e-mail: a mail server that is down or
answers "try later" leaves it QUEUED with a later attempt (re-driven by ``outbox`` reconciliation); a
permanent refusal of the recipient marks only that e-mail FAILED, with the server's reason, for staff to see.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from faults import backoff, is_transient
from outbox import services as outbox
from outbox.models import Email
from wording import elide

logger = logging.getLogger(__name__)

#: What each e-mail is, as staff read it beside a request.
TEMPLATE_LABELS = {
    "access_ended": _("Access ended"),
    "authorised": _("Access granted"),
    "confirm_email_change": _("Confirm the new e-mail address"),
    "confirm_registration": _("Confirm the registration"),
    "documents_reminder": _("Reminder: documents missing"),
    "email_changed": _("E-mail address changed"),
    "invitation": _("Invitation to the customer area"),
    "more_documents": _("More documents asked"),
    "password_changed": _("Password changed"),
    "password_reset": _("Password reset"),
    "payment_day_changed": _("Payment day changed"),
    "representative_notice": _("Notice to the representative"),
    "representative_replaced": _("Representative replaced"),
    "request_outcome": _("Outcome of the request"),
    "request_received": _("Request received"),
    "role_granted": _("Role granted"),
    "upload_link": _("Upload link"),
}

#: Context values that hold names people typed (theirs, a caller's, a new representative's...): never a link.
TYPED_NAMES = ("name", "new_name", "asked_by", "changed_by")
_LINK_LIKE = re.compile(r"(?<=\w)([.@:])(?=[\w/])")


def unlinkable(text: str) -> str:
    """``text`` with a zero-width space after every dot, at sign or colon inside a word, so that no mail client
    turns a name such as "Call evil.example" into a link; it reads the same."""
    return _LINK_LIKE.sub("\\1\u200b", str(text))


def send_after_commit(*, to: str, template: str, context: dict, language: str, key: str = "") -> Email:
    """Queue ``accounts/email/<template>.txt`` (first line: subject) for ``to``; it leaves once the transaction
    commits. ``key``: the same key is one e-mail however often it is queued. A ``reference`` in the context
    files the e-mail under that request for staff."""
    with transaction.atomic(savepoint=False):
        email = outbox.queue_email(
            to=to,
            template=template,
            context=context,
            language=language,
            request_ref=str(context.get("reference", "")),
            key=key,
        )
        outbox.deliver_later([email.pk])
    return email


def queue_after_commit(messages: list[dict]) -> None:
    """Queue ONE delivery after commit carrying ``messages`` (dicts of ``send_after_commit``'s arguments), even
    none, with the same writes whatever they hold: for answers that must do the same work whether or not they
    e-mail anyone (``services.ask_password_reset``). The worker writes their rows (``record_carried``)."""
    outbox.publish("accounts.tasks.deliver_emails", kwargs={"messages": messages})


def record_carried(*, messages: list[dict], carried_by: str) -> list[int]:
    """The rows of e-mails a delivery message carried (``queue_after_commit``), once per message however often it
    is delivered; the message forgets them (they may hold a one-time link)."""
    from outbox.models import Message

    with transaction.atomic():
        ids = [
            outbox.queue_email(
                **message,
                request_ref=str(message["context"].get("reference", "")),
                key=f"carried:{carried_by}:{number}",
            ).pk
            for number, message in enumerate(messages)
        ]
        Message.objects.filter(task_id=carried_by).update(kwargs={"ids": ids})
    return ids


def render(email: Email) -> tuple[str, str]:
    """The subject and body of ``email`` in its language."""
    context = email.context | {key: unlinkable(email.context[key]) for key in TYPED_NAMES if email.context.get(key)}
    with translation.override(email.language):
        rendered = elide(  # "d'Oriol", not "de Oriol"; "S.L.", not "S.L.."
            render_to_string(
                f"accounts/email/{email.template}.txt",
                context | {"site_url": settings.SITE_URL, "service_phones": settings.CUSTOMER_SERVICE_PHONES_TEXT},
            )
        )
    subject, _, body = rendered.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def _said(code: int, words: bytes | str) -> str:
    """A mail server's answer as staff read it: its code and its words."""
    return f"{code} {words.decode(errors='replace') if isinstance(words, bytes) else words}"


def _refusal(exc: Exception) -> str | None:
    """The permanent refusal in ``exc`` (the server's code and words), or None when it is worth trying again."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, words = next(iter(exc.recipients.values()), (0, b""))
        return None if 400 <= code < 500 else _said(code, words)
    if is_transient(exc):
        return None
    if isinstance(exc, smtplib.SMTPResponseException):
        return _said(exc.smtp_code, exc.smtp_error)
    return repr(exc)


def deliver(*, email_id: int) -> str:
    """Send one QUEUED e-mail; returns "sent", "waiting" (try again later), "failed" or "skipped" (already
    sent, given up, or being sent by another worker). The row is locked while the mail server is talked
    to, so two deliveries of the same e-mail never both send it."""
    with transaction.atomic():
        email = (
            Email.objects.select_for_update(skip_locked=True).filter(pk=email_id, status=Email.Status.QUEUED).first()
        )
        if email is None:
            return "skipped"
        email.attempts += 1
        try:
            subject, body = render(email)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email.to])
        except Exception as exc:  # noqa: BLE001 -- every outcome is recorded on the row
            refusal = _refusal(exc)
            if refusal is None and email.attempts < settings.EMAIL_MAX_ATTEMPTS:
                email.error = f"attempt {email.attempts}: {exc!r}"[:500]
                email.next_attempt_at = timezone.now() + timedelta(
                    seconds=backoff(email.attempts - 1, base=60, cap=3600)
                )
                email.save(update_fields=["attempts", "error", "next_attempt_at"])
                logger.warning("e-mail %s to %s not sent yet (%s)", email.pk, email.to, exc)
                return "waiting"
            email.status, email.context = Email.Status.FAILED, {}
            email.error = (refusal or f"gave up after {email.attempts} attempts: {exc!r}")[:500]
            email.save(update_fields=["attempts", "status", "context", "error"])
            logger.error("e-mail %s (%s) to %s not delivered: %s", email.pk, email.template, email.to, email.error)
            return "failed"
        email.status, email.subject, email.context, email.error = Email.Status.SENT, subject[:300], {}, ""
        email.sent_at = timezone.now()
        email.save(update_fields=["attempts", "status", "subject", "context", "error", "sent_at"])
        return "sent"


def emails_of_request(reference: str) -> list[dict]:
    """The e-mails filed under request ``reference``, oldest first, as staff see them (no body: it may hold a link)."""
    return [
        {
            "what": TEMPLATE_LABELS.get(email.template, email.template),
            "to": email.to,
            "status": email.status,
            "status_label": email.get_status_display(),
            "at": email.sent_at or email.created_at,
            "attempts": email.attempts,
            "error": email.error if email.status != Email.Status.SENT else "",
        }
        for email in Email.objects.filter(request_ref=reference).order_by("created_at", "pk")
    ]


def redrive() -> int:
    """Reconciliation: deliver again the QUEUED e-mails that are due (a lost delivery, or a retry's time)."""
    ids = outbox.redrive_due_emails()
    if ids:
        logger.info("re-driven %s queued e-mail(s)", len(ids))
    return len(ids)
