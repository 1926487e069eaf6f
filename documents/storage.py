"""The private "documents" storage, resolved lazily so a settings change (tests) takes effect.

``FileField(storage=callable)`` calls the callable once, when the model class is
built; returning a lazy proxy keeps the real backend swappable afterwards.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "documents"


class _DocumentsStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages[ALIAS]


_documents_storage = _DocumentsStorage()


def documents_storage() -> Storage:
    """The storage every document and preview lives on (``settings.STORAGES["documents"]``)."""
    return _documents_storage


def is_s3(storage: Storage | None = None) -> bool:
    """True when the backend is django-storages' S3 storage (presigned URLs instead of streaming)."""
    storage = storage if storage is not None else documents_storage()
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


@receiver(setting_changed)
def _reset_on_settings_change(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        _documents_storage._wrapped = empty
