"""``manage.py doctor``: what this process is configured with and whether each part it needs answers.

For an operator after a deploy or during an incident: the settings that matter (never a password or a key),
then one line per part -- database, broker, document storage, mail server, Tesseract -- saying ``ok`` or
``FAIL: reason``, each tried once with a short timeout. Exit status 1 when any part failed.
"""

from __future__ import annotations

import os
import secrets
import smtplib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string
from kombu.utils.url import maybe_sanitize_url

TIMEOUT_SECONDS = 5


class Failure(Exception):
    """A part answered, but not as it should."""


class NotUsed(Exception):
    """This configuration does not use the part."""


class Command(BaseCommand):
    help = (
        "Print the settings that matter (no secrets) and check each connection: database (and migrations), "
        "broker, document storage, mail server (SMTP only), Tesseract. Exit status 1 if any check failed."
    )
    requires_system_checks = []  # it reports what the checks would refuse, instead of refusing to run

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=TIMEOUT_SECONDS, help="seconds to wait for each part (default 5)"
        )

    def handle(self, *args, timeout: float, **options):
        self.timeout = timeout
        self.stdout.write("Settings")
        for name, value in self.settings_lines():
            self.stdout.write(f"  {name}: {value}")
        self.stdout.write("Checks")
        checks = [
            ("database", self.check_database),
            ("broker", self.check_broker),
            ("storage", self.check_storage),
            ("smtp", self.check_smtp),
            ("tesseract", self.check_tesseract),
        ]
        failed = [name for name, check in checks if not self.run(name, check)]
        if failed:
            raise CommandError(f"{len(failed)} check(s) failed: {', '.join(failed)}", returncode=1)

    def run(self, name: str, check) -> bool:
        try:
            detail = check()
        except NotUsed as why:
            self.stdout.write(f"  {name}: not used ({why})")
            return True
        except Exception as exc:  # noqa: BLE001 -- every failure is reported, none stops the other checks
            self.stdout.write(f"  {name}: FAIL: {_reason(exc)}")
            return False
        self.stdout.write(f"  {name}: ok ({detail})" if detail else f"  {name}: ok")
        return True

    # What this process is configured with.

    def settings_lines(self) -> list[tuple[str, str]]:
        from backoffice.celery import app
        from ocr.engine import DEFAULT_LANGS, available_languages

        db = connection.settings_dict
        database = f"{db['ENGINE'].rsplit('.', 1)[-1]}, name {db['NAME']}"
        if db.get("HOST"):
            database += (
                f", host {db['HOST']}{':' + str(db['PORT']) if db.get('PORT') else ''}, user {db.get('USER') or '-'}"
            )
        problems = settings.PRODUCTION_PROBLEMS
        if not problems:
            production = "ok"
        else:  # only in debug: with DJANGO_DEBUG=false these settings would not have loaded
            production = f"{len(problems)} problem(s), DJANGO_DEBUG=false would refuse to start:" + "".join(
                f"\n      - {problem}" for problem in problems
            )
        proxies = os.environ.get("TRUSTED_PROXY_COUNT")
        installed = available_languages()
        return [
            ("debug", str(settings.DEBUG)),
            ("allowed hosts", ", ".join(settings.ALLOWED_HOSTS) or "-"),
            ("SITE_URL", settings.SITE_URL),
            ("database", database),
            ("broker", maybe_sanitize_url(app.conf.broker_url or "")),
            (
                "result backend",
                maybe_sanitize_url(app.conf.result_backend)
                if app.conf.result_backend
                else "none (results are not kept)",
            ),
            ("documents", _documents()),
            ("e-mail", _email()),
            ("OCR languages", f"wanted {DEFAULT_LANGS}, installed {', '.join(sorted(installed)) or 'none'}"),
            (
                "TRUSTED_PROXY_COUNT",
                f"{settings.TRUSTED_PROXY_COUNT}" + ("" if (proxies or "").strip() else " (not set: 0)"),
            ),
            ("secret key fallbacks", str(len(settings.SECRET_KEY_FALLBACKS))),
            ("production settings", production),
        ]

    # Each part, tried once.

    def check_database(self) -> str:
        if connection.vendor == "postgresql":  # libpq otherwise waits on an unanswering host for minutes
            connection.settings_dict["OPTIONS"] = {
                "connect_timeout": max(1, round(self.timeout)),
                **connection.settings_dict.get("OPTIONS", {}),
            }
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            first = plan[0][0]
            raise Failure(
                f"{len(plan)} migration(s) not applied (first {first.app_label}.{first.name}): run manage.py migrate"
            )
        return f"{connection.vendor}, every migration applied"

    def check_broker(self) -> str:
        from backoffice.celery import app

        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=self.timeout)
            broker.default_channel  # noqa: B018 -- a transport that connects lazily (Redis) talks to the server here
        return "connected"

    def check_storage(self) -> str:
        storage = storages["documents"]
        data = b"manage.py doctor probe " + secrets.token_hex(8).encode()
        name = storage.save(f"doctor-probe-{secrets.token_hex(8)}.txt", ContentFile(data))
        try:
            with storage.open(name, "rb") as stored:
                if stored.read() != data:
                    raise Failure(f"{name} read back with other content than was written")
        finally:
            storage.delete(name)
        if storage.exists(name):
            raise Failure(f"{name} still there after it was deleted")
        return "a probe object written, read back and deleted"

    def check_smtp(self) -> str:
        if not issubclass(import_string(settings.EMAIL_BACKEND), SmtpBackend):
            raise NotUsed(f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}")
        mail = get_connection(fail_silently=False, timeout=self.timeout)
        mail.open()  # connects, STARTTLS or SSL, and logs in when a user is set, as sending does
        try:
            code, words = mail.connection.noop()
        finally:
            mail.close()
        if code != 250:
            raise Failure(
                f"NOOP answered {code} {words.decode(errors='replace') if isinstance(words, bytes) else words}"
            )
        return f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT} answered NOOP"

    def check_tesseract(self) -> str:
        import pytesseract

        from backoffice.apps import tesseract_languages

        version = pytesseract.get_tesseract_version()
        for message in tesseract_languages():
            raise Failure(message.msg)
        return f"version {version}, OCR_LANGS installed"


def _documents() -> str:
    options = settings.STORAGES["documents"].get("OPTIONS", {})
    if settings.STORAGES["documents"]["BACKEND"].endswith("S3Storage"):
        return (
            f"S3 bucket {options.get('bucket_name')} at {options.get('endpoint_url') or 'AWS'}"
            f" (region {options.get('region_name') or '-'})"
        )
    return f"local folder {options.get('location')}"


def _email() -> str:
    backend = settings.EMAIL_BACKEND
    if issubclass(import_string(backend), SmtpBackend):
        security = "SSL" if settings.EMAIL_USE_SSL else "STARTTLS" if settings.EMAIL_USE_TLS else "no TLS"
        user = f", user {settings.EMAIL_HOST_USER}" if settings.EMAIL_HOST_USER else ""
        return f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT} ({security}{user})"
    return backend


def _reason(exc: BaseException) -> str:
    if isinstance(exc, Failure):
        return str(exc)
    if isinstance(exc, smtplib.SMTPResponseException):
        words = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"{type(exc).__name__}: {exc.smtp_code} {words}"
    text = " ".join(str(exc).split()) or repr(exc)
    return f"{type(exc).__name__}: {text[:300]}"
