"""A full, read-only or unreachable storage, an unreachable database or broker: a 503 page in the person's
language, nothing half-stored; any other failure: our own 500 page. Real parts wherever they can run here:
tmpfs mounts for the full and read-only disks, a moto server that is stopped, a socket that never answers,
a PostgreSQL port nobody listens on, a Redis broker URL on a closed port.
"""

from __future__ import annotations

import errno
import os
import runpy
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpResponse
from django.template.loader import get_template
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import escape

from backoffice import errors
from backoffice.urls import handler500
from backoffice.urls import urlpatterns as site_urlpatterns
from documents.models import Document
from tests.documents import samples
from tests.portal.helpers import login_as, use_language
from tests.workflows.paperwork import start_change

# -- this module is also the URLconf of the tests marked urls(__name__): the site plus two failing views ---------


def _boom(request):
    raise RuntimeError("a bug")


def _queue_on_dead_broker(request):
    from celery import Celery

    app = Celery("failing-well")  # its broker: CELERY_BROKER_URL, which wins over any other setting
    app.conf.broker_connection_timeout = 1
    app.send_task("documents.tasks.sweep_orphan_files_task")
    return HttpResponse("queued")


urlpatterns = [path("test/boom/", _boom), path("test/queue/", _queue_on_dead_broker), *site_urlpatterns]
assert handler500 == "backoffice.errors.server_error"

LANGUAGES = ("ca", "es", "en")
CUSTOMER_AREA = {"ca": "Àrea Clients", "es": "Área Clientes", "en": "Customer area"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _client(language: str) -> Client:
    client = Client(raise_request_exception=False)
    use_language(client, language)
    return client


def _says(response, code: str, language: str, *texts) -> None:
    """The page is ours, in ``language``, about ``code``."""
    body = response.content.decode()
    assert f'<html lang="{language}">' in body and CUSTOMER_AREA[language] in body
    assert f'data-error-code="{code}"' in body
    assert "ツ" not in body  # Viewflow's page
    with translation.override(language):
        for text in texts:
            shown = translation.gettext(text) if isinstance(text, str) else str(text)
            assert escape(shown) in body or shown in body, shown  # {% translate %} leaves an apostrophe as it is


def _says_unavailable(response, code: str, language: str) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    title, what_happened, nothing_lost = errors._PAGES[code]
    _says(response, code, language, title, what_happened, nothing_lost, "Please try again in a few minutes.")


def _files_under(root: Path, *, ignore: tuple[str, ...] = ()) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name not in ignore)


def _documents_at(settings, root: Path, backend: str = "django.core.files.storage.FileSystemStorage") -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": backend,
            "OPTIONS": {"location": str(root), "base_url": None, "file_permissions_mode": 0o600},
        },
    }


def _mount_tmpfs(where: Path, options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    return (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True).returncode
        == 0
    )


def _unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


@pytest.fixture
def request_page(story):
    """A request waiting for documents, its page, and the representative logged in on a client per language."""
    process = start_change(story)
    url = reverse("portal:request_detail", args=[process.reference])

    def post(language: str, upload: bytes, name: str = "document.png"):
        client = _client(language)
        login_as(client, story.representative)
        return client.post(
            url, {"action": "upload", "files": [SimpleUploadedFile(name, upload, content_type="image/png")]}
        )

    post.process = process
    return post


# -- the documents storage -------------------------------------------------------------------------------------


class HalfWrittenThenFull(FileSystemStorage):
    """Where no filesystem can be mounted: writes the first half of the file, then the disk is full."""

    def _save(self, name, content):
        data = content.read()
        full_path = Path(self.path(name))
        full_path.parent.mkdir(parents=True, exist_ok=True)
        full_path.write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(full_path))


@pytest.fixture
def full_disk(settings, tmp_path):
    """A 128 KiB tmpfs with about 36 KiB left (half of samples.png()); the subclass above where mounting is not allowed."""
    root = tmp_path / "full"
    if _mount_tmpfs(root, "size=128k,mode=0700"):
        filler = root / "filler"
        with filler.open("wb") as out:
            out.write(b"\0" * (128 * 1024 - 36 * 1024))
        _documents_at(settings, root)
        yield root
        _unmount(root)
    else:
        _documents_at(settings, root, backend=f"{__name__}.HalfWrittenThenFull")
        yield root


@pytest.fixture
def read_only_documents(settings, tmp_path):
    """The documents folder cannot be written: chmod 0500 (EACCES), or, as root (who ignores modes), a tmpfs
    remounted read-only (EROFS)."""
    root = tmp_path / "read-only"
    root.mkdir()
    _documents_at(settings, root)
    if os.geteuid() != 0:
        root.chmod(0o500)
        yield root
        root.chmod(0o700)
        return
    if not (
        _mount_tmpfs(root, "size=1m,mode=0700")
        and subprocess.run(["mount", "-o", "remount,ro", str(root)]).returncode == 0
    ):
        _unmount(root)
        pytest.skip("running as root without the right to mount a read-only filesystem")
    yield root
    _unmount(root)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_upload_onto_a_full_disk_is_a_503_in_the_persons_language_and_leaves_no_file(
    request_page, full_disk, language, caplog
):
    response = request_page(language, samples.png())
    _says_unavailable(response, errors.STORAGE_FULL, language)
    assert not Document.objects.filter(document_set=request_page.process.document_set_id).exists()
    assert _files_under(full_disk, ignore=("filler",)) == []
    [record] = [r for r in caplog.records if r.name == "backoffice.errors"]
    assert record.levelname == "ERROR" and record.getMessage().startswith("storage_full: POST ")
    assert isinstance(record.exc_info[1], OSError) and record.exc_info[1].errno == errno.ENOSPC


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_upload_into_a_read_only_folder_is_a_503_in_the_persons_language_and_leaves_no_file(
    request_page, read_only_documents, language
):
    response = request_page(language, samples.png())
    _says_unavailable(response, errors.STORAGE_UNAVAILABLE, language)
    assert not Document.objects.filter(document_set=request_page.process.document_set_id).exists()
    assert _files_under(read_only_documents) == []


# -- S3 ---------------------------------------------------------------------------------------------------------


def _s3_storage_from_settings(monkeypatch, endpoint: str, bucket: str, **env) -> dict:
    """STORAGES["documents"] exactly as backoffice/settings.py builds it for these environment variables."""
    for name, value in {
        "DOCUMENTS_S3_BUCKET": bucket,
        "DOCUMENTS_S3_ENDPOINT_URL": endpoint,
        "DOCUMENTS_S3_ACCESS_KEY_ID": "testing-key",
        "DOCUMENTS_S3_SECRET_ACCESS_KEY": "testing-secret",
        **env,
    }.items():
        monkeypatch.setenv(name, value)
    built = runpy.run_path(str(Path(django_settings.BASE_DIR) / "backoffice" / "settings.py"))
    return built["STORAGES"]["documents"]


def test_s3_timeouts_by_default_fail_a_hanging_upload_within_twenty_seconds(monkeypatch):
    config = _s3_storage_from_settings(monkeypatch, "http://127.0.0.1:1", "any")["OPTIONS"]["client_config"]
    attempts = config.retries["total_max_attempts"]
    assert (config.connect_timeout + config.read_timeout) * attempts <= 30 and config.read_timeout * attempts <= 20


@pytest.mark.django_db
def test_upload_while_s3_is_stopped_is_a_quick_503(request_page, settings, monkeypatch):
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="eu-south-2", aws_access_key_id="k", aws_secret_access_key="s"
    ).create_bucket(Bucket="documents", CreateBucketConfiguration={"LocationConstraint": "eu-south-2"})
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": _s3_storage_from_settings(monkeypatch, endpoint, "documents"),
    }
    server.stop()
    started = time.monotonic()
    response = request_page("es", samples.png())
    assert time.monotonic() - started < 10
    _says_unavailable(response, errors.STORAGE_UNAVAILABLE, "es")
    assert not Document.objects.filter(document_set=request_page.process.document_set_id).exists()


@pytest.fixture
def silent_endpoint():
    """A TCP port that accepts connections and never answers (an S3 that hangs)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for sock in accepted:
        sock.close()
    listener.close()


@pytest.mark.django_db
def test_upload_while_s3_hangs_fails_within_its_timeouts(request_page, settings, monkeypatch, silent_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": _s3_storage_from_settings(
            monkeypatch,
            silent_endpoint,
            "documents",
            DOCUMENTS_S3_CONNECT_TIMEOUT="1",
            DOCUMENTS_S3_READ_TIMEOUT="1",
            DOCUMENTS_S3_MAX_ATTEMPTS="2",
        ),
    }
    started = time.monotonic()
    response = request_page("ca", samples.png())
    assert time.monotonic() - started < 10  # 1 s x 2 tries, and no delete of an object S3 may never have received
    _says_unavailable(response, errors.STORAGE_UNAVAILABLE, "ca")
    assert not Document.objects.filter(document_set=request_page.process.document_set_id).exists()


# -- the database and the broker ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_database_unreachable_is_a_503_in_the_persons_language(story, language, monkeypatch):
    """The real portal page of a logged-in customer while PostgreSQL (or whatever DATABASES names) cannot be
    reached: the connection is closed and its port pointed at one nobody listens on."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database reached over the network")
    client = _client(language)
    login_as(client, story.representative)
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connection.settings_dict, "PORT", str(_closed_port()))
    try:
        response = client.get(reverse("portal:requests"))
    finally:
        connection.close()
    _says_unavailable(response, errors.DATABASE_UNAVAILABLE, language)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", LANGUAGES)
def test_broker_unreachable_is_a_503_in_the_persons_language(language, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    started = time.monotonic()
    response = _client(language).get("/test/queue/")
    assert time.monotonic() - started < 15
    _says_unavailable(response, errors.BROKER_UNAVAILABLE, language)


# -- the 500 page, and rendering without a database --------------------------------------------------------------


def test_our_500_template_is_found_before_viewflows():
    assert get_template("500.html").origin.name == str(Path(django_settings.BASE_DIR) / "templates" / "500.html")


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bug_is_our_own_500_page_in_the_persons_language(language, caplog):
    response = _client(language).get("/test/boom/")
    assert response.status_code == 500
    _says(response, "server_error", language, "Something went wrong on our side", "Please try again later.")
    assert any(r.name == "django.request" and r.levelname == "ERROR" and r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    "code", [errors.STORAGE_FULL, errors.STORAGE_UNAVAILABLE, errors.DATABASE_UNAVAILABLE, errors.BROKER_UNAVAILABLE]
)
def test_the_503_page_renders_without_a_database(code):
    """No django_db mark: pytest-django fails any database access."""
    response = errors.unavailable(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es"), code)
    _says_unavailable(response, code, "es")


def test_a_template_that_cannot_render_falls_back_to_a_plain_page(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no templates")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = errors.unavailable(RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en"), errors.STORAGE_FULL)
    assert response.status_code == 503 and "Please try again in a few minutes." in response.content.decode()


def test_codes_name_the_part_that_failed_and_leave_bugs_alone():
    from botocore.exceptions import EndpointConnectionError
    from django.db import OperationalError
    from kombu.exceptions import OperationalError as BrokerError

    assert errors.classify(OSError(errno.ENOSPC, "full")) == errors.STORAGE_FULL
    assert errors.classify(PermissionError(errno.EACCES, "denied")) == errors.STORAGE_UNAVAILABLE
    assert errors.classify(OSError(errno.EROFS, "read-only")) == errors.STORAGE_UNAVAILABLE
    assert errors.classify(EndpointConnectionError(endpoint_url="http://s3")) == errors.STORAGE_UNAVAILABLE
    assert errors.classify(OperationalError("server closed the connection")) == errors.DATABASE_UNAVAILABLE
    assert errors.classify(BrokerError("connection refused")) == errors.BROKER_UNAVAILABLE
    assert errors.classify(FileNotFoundError(errno.ENOENT, "gone")) is None
    assert errors.classify(ValueError("a bug")) is None
    try:
        try:
            raise OSError(errno.ENOSPC, "full")
        except OSError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        assert errors.classify(wrapped) == errors.STORAGE_FULL
