import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """E-mail in memory, Celery tasks run in-process, documents in a throwaway folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AUDIT_ANCHOR_SINK = f"file://{tmp_path}/audit-anchors.jsonl"  # never the developer's own var/ anchors
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None, "file_permissions_mode": 0o600},
        },
    }
    from backoffice.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def story(db):
    from tests.factories import Story

    return Story()


@pytest.fixture(autouse=True)
def _audit_events_sealed_at_insert(request):
    """On PostgreSQL audit events are sealed into the hash chain by a deferred trigger at COMMIT
    (accounts/audit.py), and a test under the ``db`` fixture never commits. Seal them at insert
    there instead, so tests can read the chain fields and ``verify_chain`` right away.

    Tests marked ``django_db(transaction=True)`` really commit and keep the deferred trigger.
    """
    if not (request.node.get_closest_marker("django_db") or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        from accounts.audit import SEAL_TRIGGER

        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS {SEAL_TRIGGER} IMMEDIATE")


@pytest.fixture(autouse=True)
def _staff_force_login_passes_mfa(monkeypatch):
    """Staff pages require a second factor (``StaffAreaMiddleware``: ``request.user.is_verified()``).
    ``Client.force_login`` of a staff user therefore also gives the user a confirmed TOTP device (if none)
    and marks the session OTP-verified the way ``django_otp.login`` does (session key
    ``django_otp.DEVICE_ID_SESSION_KEY`` = the device's ``persistent_id``), so tests that are about
    something else reach staff pages as before. Tests of the second factor itself log in through the
    forms (``tests/staff/test_mfa.py``), and browser journeys type a real code (``tests/browser/conftest.py``).
    """
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="test", confirmed=True
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
