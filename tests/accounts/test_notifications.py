"""E-mails are rows written in the deciding transaction, delivered at most once each, in the recipient's language."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts import notifications, tasks
from outbox.models import Email, Message

pytestmark = pytest.mark.django_db


def send(to, **extra):
    return notifications.send_after_commit(
        to=to, template="password_reset", language="es", context={"name": to, "link": "/x"}, **extra
    )


def test_the_emails_of_a_transaction_leave_after_commit_each_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send("a@example.com")
            with transaction.atomic():
                send("b@example.com")
            send("c@example.com")
            assert mail.outbox == []  # nothing before the commit
    assert [m.to for m in mail.outbox] == [["a@example.com"], ["b@example.com"], ["c@example.com"]]
    assert all(m.subject and m.body for m in mail.outbox)  # rendered from the template
    assert "contraseña" in mail.outbox[0].body  # in the recipient's language
    assert set(Email.objects.values_list("status", flat=True)) == {Email.Status.SENT}


def test_an_email_of_a_rolled_back_savepoint_is_not_sent_nor_kept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send("kept@example.com")
            try:
                with transaction.atomic():
                    send("dropped@example.com")
                    raise RuntimeError("the inner step failed")
            except RuntimeError:
                pass
            send("also-kept@example.com")
    assert [m.to for m in mail.outbox] == [["kept@example.com"], ["also-kept@example.com"]]
    assert not Email.objects.filter(to="dropped@example.com").exists()


def test_a_rolled_back_transaction_sends_nothing_and_leaves_no_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                send("never@example.com")
                raise RuntimeError
    assert mail.outbox == [] and not Email.objects.exists() and not Message.objects.exists()


def test_a_redelivered_task_does_not_send_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = send("once@example.com")
    tasks.deliver_emails.apply(kwargs={"ids": [email.pk]})  # the same message delivered a second time
    assert len(mail.outbox) == 1


def test_the_same_key_is_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send("key@example.com", key="request:RC1:outcome:key@example.com")
        send("key@example.com", key="request:RC1:outcome:key@example.com")
    assert len(mail.outbox) == 1 and Email.objects.count() == 1


def test_a_mail_server_that_is_down_leaves_the_email_queued_for_later(monkeypatch, django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr(notifications, "send_mail", down)
    with django_capture_on_commit_callbacks(execute=True):
        email = send("later@example.com")
    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED and email.attempts == 1 and "SMTP server down" in email.error
    assert email.next_attempt_at > timezone.now()
    assert email.context  # still there for the next attempt
    monkeypatch.undo()
    Email.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.redrive() == 1  # reconciliation: due again
    email.refresh_from_db()
    assert email.status == Email.Status.SENT and email.context == {} and len(mail.outbox) == 1


def test_a_refused_recipient_fails_only_that_email_with_the_reason(monkeypatch, django_capture_on_commit_callbacks):
    real = notifications.send_mail

    def refuse_b(subject, body, sender, recipients):
        if recipients == ["b@example.com"]:
            raise smtplib.SMTPRecipientsRefused({"b@example.com": (550, b"5.1.1 user unknown")})
        return real(subject, body, sender, recipients)

    monkeypatch.setattr(notifications, "send_mail", refuse_b)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for to in ("a@example.com", "b@example.com", "c@example.com"):
                send(to)
    assert [m.to for m in mail.outbox] == [["a@example.com"], ["c@example.com"]]
    refused = Email.objects.get(to="b@example.com")
    assert refused.status == Email.Status.FAILED and "550" in refused.error and "user unknown" in refused.error
    assert refused.context == {}  # a one-time link is not kept


def test_a_temporary_refusal_is_tried_again_and_given_up_after_the_limit(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_MAX_ATTEMPTS = 2

    def busy(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (451, b"4.7.1 try again later")})

    monkeypatch.setattr(notifications, "send_mail", busy)
    with django_capture_on_commit_callbacks(execute=True):
        email = send("x@example.com")
    email.refresh_from_db()
    assert email.status == Email.Status.QUEUED
    assert notifications.deliver(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED and "gave up after 2 attempts" in email.error


def test_password_reset_queues_one_delivery_even_for_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notifications.queue_after_commit([])
    assert Message.objects.filter(task="accounts.tasks.deliver_emails", kwargs={"messages": []}).count() == 1


def test_carried_emails_become_rows_once_and_the_message_forgets_their_link(django_capture_on_commit_callbacks):
    message = {
        "to": "r@example.com",
        "template": "password_reset",
        "language": "ca",
        "context": {"name": "R", "link": "/reset/tok/"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        notifications.queue_after_commit([message])
    carrier = Message.objects.get(task="accounts.tasks.deliver_emails")
    assert "tok" not in str(carrier.kwargs)
    tasks.deliver_emails.apply(kwargs={"messages": [message]}, task_id=carrier.task_id)  # delivered again
    assert Email.objects.count() == 1 and len(mail.outbox) == 1


def test_a_typed_name_in_an_e_mail_never_becomes_a_link(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_after_commit(
            to="x@example.com",
            template="email_changed",
            language="en",
            context={"name": "Call evil.example or https://evil.example/x", "new_email": "y@example.com"},
        )
    body = mail.outbox[-1].body
    assert "evil.example" not in body and "https://evil" not in body
    assert "evil.\u200bexample" in body  # it still reads the same
