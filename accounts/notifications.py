"""E-mails to people, rendered in the recipient's language and sent by a retried Celery task after commit.

The e-mails one transaction queues leave in ONE task (``send_templated_emails``): deciding a
request tells the customer, the new holder and the outgoing representative at once, and one
message on the broker is cheaper than three. An e-mail queued inside a savepoint that rolls
back is not sent: each e-mail is an ordinary on-commit callback (Django drops those with their
savepoint) that only puts the message in the transaction's outbox; the outbox itself is the
last callback and sends what was put in it.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction


class _Outbox:
    """The e-mails of one transaction, queued as one task by its current flush."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.flush: _Flush | None = None
        self.sent = False


class _Flush:
    """The outbox's last on-commit callback; an earlier flush of the same outbox does nothing."""

    def __init__(self, outbox: _Outbox) -> None:
        self.outbox = outbox
        outbox.flush = self

    def __call__(self) -> None:
        from .tasks import send_templated_emails

        outbox = self.outbox
        if outbox.flush is not self or outbox.sent:
            return
        outbox.sent = True
        if outbox.messages:
            send_templated_emails.delay(messages=outbox.messages)


class _Put:
    def __init__(self, outbox: _Outbox, message: dict) -> None:
        self.outbox, self.message = outbox, message

    def __call__(self) -> None:
        self.outbox.messages.append(self.message)


def send_after_commit(*, to: str, template: str, context: dict, language: str) -> None:
    """Queue ``accounts/email/<template>.txt`` (first line: subject) for ``to`` once the transaction commits."""
    from .tasks import send_templated_emails

    message = {"to": to, "template": template, "context": context, "language": language}
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        send_templated_emails.delay(messages=[message])
        return
    # Django keeps on-commit callbacks as (savepoint ids, callable, robust) in run_on_commit.
    outbox = next((func.outbox for _, func, _ in reversed(connection.run_on_commit)
                   if isinstance(func, _Flush) and func.outbox.flush is func and not func.outbox.sent), None)
    outbox = outbox or _Outbox()
    transaction.on_commit(_Put(outbox, message))
    # A new flush, last and outside every savepoint: it survives a savepoint rollback (not the
    # transaction's) and runs after every message that survived; the earlier flush is now idle.
    connection.run_on_commit.append((set(), _Flush(outbox), False))


def queue_after_commit(messages: list[dict]) -> None:
    """Queue ONE mail task after commit carrying ``messages``, even none, outside the outbox: for answers that must do
    the same work whether or not they e-mail anyone (``services.ask_password_reset``)."""
    from .tasks import send_templated_emails

    transaction.on_commit(partial(send_templated_emails.delay, messages=messages))
