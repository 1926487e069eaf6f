"""Daily housekeeping (accounts.tasks.housekeeping, workflows.tasks.purge_expired_upload_links): what expired beyond its grace goes, what is live stays,
and audit events are never touched."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts import services, tasks
from accounts.models import AuditEvent, Invitation, PendingRegistration
from tests import factories as f
from workflows import services as workflows
from workflows import tasks as workflow_tasks
from workflows.models import UploadLink

pytestmark = pytest.mark.django_db


def ago(days: float):
    return timezone.now() - timedelta(days=days)


def past_grace():
    return ago(settings.HOUSEKEEPING_GRACE_DAYS + 1)


def within_grace():
    return ago(settings.HOUSEKEEPING_GRACE_DAYS - 1)


def registration(expires_at, **fields) -> PendingRegistration:
    customer, person = f.customer(supply_points=0, invoices=()), f.person()
    return PendingRegistration.objects.create(
        token_hash=f"r{expires_at.timestamp()}{person.pk}",
        person=person,
        customer=customer,
        email="a@example.com",
        phone="600111222",
        name="A",
        language="ca",
        password_hash=f.password_hash(),
        expires_at=expires_at,
        **fields,
    )


def invitation(expires_at, **fields) -> Invitation:
    grant = f.grant(customer=f.customer(supply_points=0, invoices=()), person=f.person(), role="representative")
    return Invitation.objects.create(
        grant=grant, token_hash=f"i{grant.pk}", email="a@example.com", expires_at=expires_at, **fields
    )


def upload_link(n: int, **fields) -> UploadLink:
    return UploadLink.objects.create(reference=f"RC{n:010d}", token_hash=f"u{n}", email="a@example.com", **fields)


def session(expire_date) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expire_date)
    return store.session_key


def test_pending_registrations_past_their_grace_go_confirmed_or_not():
    old, old_used = registration(past_grace()), registration(past_grace(), used_at=ago(20))
    recent, live = registration(within_grace()), registration(timezone.now() + timedelta(days=2))
    assert services.purge_expired_registrations() == 2
    assert set(PendingRegistration.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not PendingRegistration.objects.filter(pk__in=[old.pk, old_used.pk]).exists()


def test_invitations_past_their_grace_go():
    old, recent, live = (
        invitation(past_grace(), used_at=ago(30)),
        invitation(within_grace()),
        invitation(timezone.now() + timedelta(days=14)),
    )
    assert services.purge_expired_invitations() == 1
    assert (
        set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
        and not Invitation.objects.filter(pk=old.pk).exists()
    )


def test_expired_sessions_go_and_live_ones_stay():
    expired, live = session(ago(1)), session(timezone.now() + timedelta(hours=8))
    assert services.purge_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live] and expired != live


def test_upload_links_expired_or_revoked_past_their_grace_go():
    expired = upload_link(1, expires_at=past_grace())
    revoked = upload_link(2, expires_at=timezone.now() + timedelta(days=3), revoked_at=past_grace())
    recently_revoked = upload_link(3, expires_at=timezone.now() + timedelta(days=3), revoked_at=within_grace())
    recently_expired = upload_link(4, expires_at=within_grace())
    live = upload_link(5, expires_at=timezone.now() + timedelta(days=7))
    assert workflows.purge_expired_upload_links() == 2
    assert set(UploadLink.objects.values_list("pk", flat=True)) == {recently_revoked.pk, recently_expired.pk, live.pk}
    assert not UploadLink.objects.filter(pk__in=[expired.pk, revoked.pk]).exists()


def test_the_daily_task_counts_each_kind_and_keeps_every_audit_event(caplog):
    registration(past_grace())
    invitation(past_grace())
    upload_link(1, expires_at=past_grace())
    session(ago(1))
    services.grant_role(
        customer=f.customer(supply_points=0, invoices=()),
        person=f.person(),
        role="representative",
        actor=f.actor(),
        reason="test",
    )
    events = AuditEvent.objects.count()
    assert events > 0
    with caplog.at_level("INFO", logger="accounts.services"):
        counts = tasks.housekeeping()
    assert counts == {"pending_registrations": 1, "invitations": 1, "sessions": 1}
    assert workflow_tasks.purge_expired_upload_links() == 1
    assert AuditEvent.objects.count() == events
    assert any(
        "housekeeping: 1 expired pending registrations deleted" in record.getMessage() for record in caplog.records
    )


def test_the_housekeeping_task_runs_daily_on_beat():
    from backoffice.celery import app

    for task in ("accounts.tasks.housekeeping", "workflows.tasks.purge_expired_upload_links"):
        [entry] = [entry for entry in app.conf.beat_schedule.values() if entry["task"] == task]
        assert entry["schedule"] == 86400.0
