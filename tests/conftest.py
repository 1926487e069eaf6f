import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """E-mail in memory, Celery tasks run in-process, documents in a throwaway folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AUDIT_ANCHOR_SINK = f"file://{tmp_path}/audit-anchors.jsonl"  # never the developer's own var/ anchors
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "documents"), "base_url": None, "file_permissions_mode": 0o600},
    }}
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
