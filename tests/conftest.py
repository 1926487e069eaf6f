import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """E-mail in memory, Celery tasks run in-process, documents in a throwaway folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
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
