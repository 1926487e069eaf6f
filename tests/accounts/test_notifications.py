"""The e-mails of one transaction leave in one retried task, and only those whose savepoint survived."""

import pytest
from django.core import mail
from django.db import transaction

from accounts import notifications, tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def batches(monkeypatch):
    """Every send_templated_emails task queued, as its list of recipients (the task still runs, eagerly)."""
    queued = []
    original = tasks.send_templated_emails.delay

    def delay(*, messages):
        queued.append([m["to"] for m in messages])
        return original(messages=messages)

    monkeypatch.setattr(tasks.send_templated_emails, "delay", delay)
    return queued


def send(to):
    notifications.send_after_commit(to=to, template="password_reset", language="es", context={"name": to, "link": "/x"})


def test_the_emails_of_one_transaction_leave_as_one_task_in_order(batches, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send("a@example.com")
            with transaction.atomic():
                send("b@example.com")
            send("c@example.com")
    assert batches == [["a@example.com", "b@example.com", "c@example.com"]]
    assert [m.to for m in mail.outbox] == [["a@example.com"], ["b@example.com"], ["c@example.com"]]
    assert all(m.subject and m.body for m in mail.outbox)  # rendered from the template


def test_an_email_of_a_rolled_back_savepoint_is_not_sent(batches, django_capture_on_commit_callbacks):
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
    assert batches == [["kept@example.com", "also-kept@example.com"]]
    assert [m.to for m in mail.outbox] == [["kept@example.com"], ["also-kept@example.com"]]


def test_when_the_first_email_is_rolled_back_the_later_ones_still_go(batches, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    send("dropped@example.com")
                    raise RuntimeError
            except RuntimeError:
                pass
            send("kept@example.com")
    assert batches == [["kept@example.com"]]


def test_a_rolled_back_transaction_sends_nothing(batches, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                send("never@example.com")
                raise RuntimeError
    assert batches == [] and mail.outbox == []


def test_two_transactions_make_two_tasks(batches, django_capture_on_commit_callbacks):
    for to in ("first@example.com", "second@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                send(to)
    assert batches == [["first@example.com"], ["second@example.com"]]
    assert len(mail.outbox) == 2


def test_a_failed_send_retries_only_the_emails_not_sent(monkeypatch, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    real_send = tasks.send_mail
    failures = []

    def flaky(subject, body, sender, recipients):
        if recipients == ["b@example.com"] and not failures:
            failures.append(1)
            raise OSError("SMTP server went away")
        return real_send(subject, body, sender, recipients)

    monkeypatch.setattr(tasks, "send_mail", flaky)
    messages = [{"to": f"{x}@example.com", "template": "password_reset", "language": "en", "context": {"name": x, "link": "/x"}}
                for x in "abc"]
    tasks.send_templated_emails.apply(kwargs={"messages": messages}, throw=False)  # Celery runs the retry eagerly
    assert failures == [1]
    assert [m.to for m in mail.outbox] == [["a@example.com"], ["b@example.com"], ["c@example.com"]]  # a once, b after the retry


def test_a_typed_name_in_an_e_mail_never_becomes_a_link(django_capture_on_commit_callbacks):
    from django.core import mail

    from accounts.notifications import send_after_commit

    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(to="x@example.com", template="email_changed", language="en",
                          context={"name": "Call evil.example or https://evil.example/x", "new_email": "y@example.com"})
    body = mail.outbox[-1].body
    assert "evil.example" not in body and "https://evil" not in body
    assert "evil.\u200bexample" in body  # it still reads the same
