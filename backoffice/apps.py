import logging

from django.apps import AppConfig
from django.conf import settings
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.core import checks

from backoffice import production

logger = logging.getLogger(__name__)


class StaticFiles(StaticFilesConfig):
    """django.contrib.staticfiles without what Viewflow ships and no page of ours loads: the ``node_modules``
    folders beside its fonts and scripts (sources whose CSS names files that are not there, which the manifest
    storage refuses) and ``viewflow/js/contrib`` (22 MB of Plotly/Dash for viewflow.contrib, not installed),
    which would make collectstatic compress for minutes."""

    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "node_modules", "viewflow/js/contrib/*"]


class Backoffice(AppConfig):
    """The project's own startup checks: registered here, run by every ``manage.py`` command that checks,
    and enforced when a web node (backoffice/wsgi.py) or a Celery worker starts."""

    name = "backoffice"
    verbose_name = "Back office"

    def ready(self) -> None:
        from celery.signals import worker_init

        checks.register(tesseract_languages, STARTUP)
        worker_init.connect(_refuse_worker_start, dispatch_uid="backoffice.apps.refuse_worker_start", weak=False)


#: The tag of the checks a web node or a worker refuses to start without.
STARTUP = "startup"


def tesseract_languages(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Every language of OCR_LANGS is installed in Tesseract: an Error when DJANGO_DEBUG=false (a scan would be
    read in the wrong language, or not at all, with no other sign), a Warning in debug."""
    from ocr.engine import DEFAULT_LANGS, available_languages

    installed = available_languages()
    missing = production.missing_ocr_languages(wanted=DEFAULT_LANGS, installed=installed)
    if not missing:
        return []
    found = ", ".join(sorted(installed - {"osd"})) if installed else "none: is tesseract installed and on the PATH?"
    message = (
        f"Tesseract lacks the OCR language(s) {'+'.join(missing)} of OCR_LANGS={DEFAULT_LANGS} (installed: {found})"
    )
    hint = (
        "Install the language data (Debian: tesseract-ocr-spa, tesseract-ocr-cat, tesseract-ocr-eng) or set OCR_LANGS."
    )
    if settings.DEBUG:
        return [checks.Warning(message, hint=hint, id="backoffice.W001")]
    return [checks.Error(message, hint=hint, id="backoffice.E001")]


def refuse_to_start_on_check_errors() -> None:
    """Run the startup checks; raise SystemCheckError naming every error, log the warnings."""
    from django.core.management.base import SystemCheckError

    found = [message for message in checks.run_checks(tags=[STARTUP]) if not message.is_silenced()]
    errors = [message for message in found if message.is_serious()]
    for message in found:
        if not message.is_serious():
            logger.warning("%s", message)
    if errors:
        raise SystemCheckError("The startup checks found errors:\n" + "\n".join(f"  {message}" for message in errors))


def _refuse_worker_start(**kwargs) -> None:
    # Celery logs and ignores an exception raised by a signal handler; SystemExit stops the worker.
    from django.core.management.base import SystemCheckError

    try:
        refuse_to_start_on_check_errors()
    except SystemCheckError as exc:
        raise SystemExit(str(exc)) from exc
