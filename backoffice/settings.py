"""All configuration, read from environment variables (listed in README.md).

The embedded defaults run on one machine with no servers: SQLite, a local
document folder, Celery over kombu's filesystem transport, e-mail written to
files. With DJANGO_DEBUG=false they are refused unless each is explicitly allowed, and so are other
unsafe production values (backoffice/production.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import holidays
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backoffice import production

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BACKOFFICE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
# Former secret keys, newest first, still accepted for what was signed with them (sessions, e-mailed links,
# password resets) and for IBAN fingerprints, which are re-keyed when next matched (accounts.services.iban_matches).
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Fail closed: what DJANGO_DEBUG=false refuses to start with, listed together (manage.py doctor shows them in
# debug too). Empty DATABASE_URL / CELERY_BROKER_URL mean the embedded SQLite and filesystem broker.
PRODUCTION_PROBLEMS = production.problems(
    secret_key=os.environ.get("DJANGO_SECRET_KEY", ""),
    secret_key_fallbacks=SECRET_KEY_FALLBACKS,
    dev_secret=_DEV_SECRET,
    allowed_hosts=env_list("DJANGO_ALLOWED_HOSTS"),
    database_url=os.environ.get("DATABASE_URL", ""),
    broker_url=os.environ.get("CELERY_BROKER_URL", ""),
    documents_s3_bucket=os.environ.get("DOCUMENTS_S3_BUCKET", ""),
    site_url=SITE_URL,
    trusted_proxy_count=os.environ.get("TRUSTED_PROXY_COUNT"),
    allow_sqlite=env_bool("PRODUCTION_ALLOW_SQLITE", False),
    allow_filesystem_broker=env_bool("PRODUCTION_ALLOW_FILESYSTEM_BROKER", False),
    allow_local_documents=env_bool("PRODUCTION_ALLOW_LOCAL_DOCUMENTS", False),
    allow_insecure_site_url=env_bool("PRODUCTION_ALLOW_INSECURE_SITE_URL", False),
)
if not DEBUG and PRODUCTION_PROBLEMS:
    raise ImproperlyConfigured(production.refusal(PRODUCTION_PROBLEMS))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "backoffice.apps.StaticFiles",  # django.contrib.staticfiles, without Viewflow's node_modules
    "backoffice.apps.Backoffice",  # the startup checks (Tesseract's languages)
    "django.contrib.humanize",
    "django_filters",
    "viewflow",
    "viewflow.workflow",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "portal",
    "workflows",
    "documents",
    "callcenter",
    "supervision",
    "outbox",
    "billing",
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "api",
    "webhooks",
]

MIDDLEWARE = [
    "backoffice.observability.RequestIdMiddleware",  # first: every response and log line carries the request id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # /static/ from STATIC_ROOT under gunicorn (hashed names cached for ever)
    "documents.limits.RequestBodyLimitMiddleware",  # before anything reads the body
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "backoffice.errors.FailingWellMiddleware",  # storage, database or broker down: a 503 page in the person's language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(), which StaffAreaMiddleware requires
    "backoffice.security.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "backoffice.staff.StaffAreaMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
]

ROOT_URLCONF = "backoffice.urls"
WSGI_APPLICATION = "backoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backoffice.context.service_phones",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite serialises writers; wait for the lock instead of failing at once. IMMEDIATE: every
    # transaction takes the write lock when it begins, so one that read first (a worker's job
    # reading documents while another task writes) never fails to upgrade to a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.passwords.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "email")},
    },
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 24)
LOGIN_URL = "portal:login"

LANGUAGE_CODE = "ca"
LANGUAGES = [("ca", _("Catalan")), ("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["backoffice.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Madrid"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
# Not in debug, collectstatic writes hashed names, gzip and brotli copies and a manifest (whitenoise) that
# {% static %} reads: a server started without collectstatic then fails on pages with static files.
# DJANGO_STATIC_MANIFEST=false keeps plain names (benchmarks that skip collectstatic).
STATIC_MANIFEST = env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
# Only the hashed names are kept (what {% static %} writes; whitenoise serves them with a far-future
# Cache-Control); source maps are not compressed (only developer tools fetch them).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "woff",
    "woff2",
    "mp4",
    "webm",
    "map",
]
# In debug (make run, the tests) whitenoise serves the apps' files as they are, with no collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Documents are private: never served from MEDIA_URL, only through views that check permission.
DOCUMENTS_ROOT = Path(os.environ.get("DOCUMENTS_ROOT", VAR_DIR / "documents"))
DOCUMENTS_S3_BUCKET = os.environ.get("DOCUMENTS_S3_BUCKET", "")
# A refusing or hanging S3 fails an upload within about CONNECT/READ timeout x attempts (default
# 5 s to connect, 8 s to answer, 2 attempts: under 20 s), not botocore's 60 s x 5 attempts.
DOCUMENTS_S3_CONNECT_TIMEOUT = env_int("DOCUMENTS_S3_CONNECT_TIMEOUT", 5)
DOCUMENTS_S3_READ_TIMEOUT = env_int("DOCUMENTS_S3_READ_TIMEOUT", 8)
DOCUMENTS_S3_MAX_ATTEMPTS = env_int("DOCUMENTS_S3_MAX_ATTEMPTS", 2)
if DOCUMENTS_S3_BUCKET:
    from boto3.s3.transfer import TransferConfig
    from botocore.config import Config

    _documents_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": os.environ.get("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DOCUMENTS_S3_REGION", "eu-south-2"),
            "access_key": os.environ.get("DOCUMENTS_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DOCUMENTS_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": min(env_int("DOCUMENTS_URL_EXPIRE_SECONDS", 300), 300),
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": os.environ.get("DOCUMENTS_S3_SSE", "AES256")},
            "client_config": Config(
                connect_timeout=DOCUMENTS_S3_CONNECT_TIMEOUT,
                read_timeout=DOCUMENTS_S3_READ_TIMEOUT,
                retries={"mode": "standard", "total_max_attempts": DOCUMENTS_S3_MAX_ATTEMPTS},
            ),
            # Downloads are retried by s3transfer on top of botocore: once is enough.
            "transfer_config": TransferConfig(num_download_attempts=1),
        },
    }
else:
    _documents_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DOCUMENTS_ROOT), "base_url": None, "file_permissions_mode": 0o600},
    }
# Uploads: limits checked on the content, retention counted from the request's closing.
DOCUMENTS_MAX_BYTES = env_int("DOCUMENTS_MAX_BYTES", 20 * 1024 * 1024)
DOCUMENTS_MAX_PAGES = env_int("DOCUMENTS_MAX_PAGES", 30)
DOCUMENTS_MAX_PIXELS_PER_PAGE = env_int("DOCUMENTS_MAX_PIXELS_PER_PAGE", 60_000_000)
DOCUMENTS_MAX_PER_REQUEST = env_int("DOCUMENTS_MAX_PER_REQUEST", 30)
DOCUMENTS_MAX_PAGES_PER_REQUEST = env_int("DOCUMENTS_MAX_PAGES_PER_REQUEST", 60)
# Files are parsed and rendered in a child process (documents.sandbox) with these memory and time limits;
# compressed PDF streams are measured before pdfium inflates them.
DOCUMENTS_SANDBOX_MAX_RSS = env_int(
    "DOCUMENTS_SANDBOX_MAX_RSS", 448 * 1024 * 1024
)  # 52 MB under the 500 a node gives one file: shared libraries, rounding
DOCUMENTS_SANDBOX_TIMEOUT_SECONDS = env_int("DOCUMENTS_SANDBOX_TIMEOUT_SECONDS", 60)
DOCUMENTS_MAX_INFLATED_BYTES = env_int("DOCUMENTS_MAX_INFLATED_BYTES", 256 * 1024 * 1024)
DOCUMENTS_MAX_INFLATED_TOTAL = env_int("DOCUMENTS_MAX_INFLATED_TOTAL", 1024 * 1024 * 1024)
# A request body larger than DOCUMENTS_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE (the form fields) is
# refused with 413 before it is read (documents.limits); uploaded files above
# FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to a temporary file while the request is handled.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
DOCUMENTS_RETENTION_DAYS = env_int("DOCUMENTS_RETENTION_DAYS", 365)
# Stored objects that no row names (an upload killed midway) are deleted once this old (documents.services.sweep_orphan_files).
DOCUMENTS_ORPHAN_HOURS = env_int("DOCUMENTS_ORPHAN_HOURS", 24)
DOCUMENTS_URL_EXPIRE_SECONDS = env_int("DOCUMENTS_URL_EXPIRE_SECONDS", 300)
# OCR pre-check: pages read in parallel per wave (stop-early is decided between waves), and a per-page time limit.
OCR_PAGES_PER_WAVE = env_int("OCR_PAGES_PER_WAVE", 2)
OCR_PAGE_TIMEOUT_SECONDS = env_int("OCR_PAGE_TIMEOUT_SECONDS", 60)
OCR_PAGE_MAX_ATTEMPTS = env_int(
    "OCR_PAGE_MAX_ATTEMPTS", 3
)  # a page lost with its worker is queued again this many times
# A registry certificate proves who holds a charge only when recent: issued at most this many days before its upload.
PRECHECK_CERTIFICATE_MAX_DAYS = env_int("PRECHECK_CERTIFICATE_MAX_DAYS", 90)

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "documents": _documents_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int(
    "EMAIL_TIMEOUT", 20
)  # seconds: a mail server that accepts and never answers cannot hang a worker
EMAIL_MAX_ATTEMPTS = env_int(
    "EMAIL_MAX_ATTEMPTS", 12
)  # every 1, 2, 4 ... 60 minutes: about 7 hours of mail server outage
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Àrea Clients <no-reply@localhost>")

# The embedded broker, files under var/broker: safefs:// is kombu's filesystem transport with atomic publish,
# messages kept until acknowledged and unreadable files quarantined (backoffice/broker.py; stress figures in the
# README). Upstream filesystem:// still works, but a worker can die on a half-written file and lose messages.
import kombu.transport as _kombu_transport  # noqa: E402

_kombu_transport.TRANSPORT_ALIASES["safefs"] = "backoffice.broker:Transport"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "safefs://")
if CELERY_BROKER_URL in ("safefs://", "filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control", "tmp", "claimed", "quarantine"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # A worker whose pool is full polls again after this (kombu's default, 1 s, caps it at ~2 tasks/s).
        "polling_interval": 0.1,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# At least once: a message is acknowledged when its task ends, and given back to the queue when the process
# running it dies (OOM killer, SIGKILL); outbox.Delivery counts the starts against a message that kills every
# worker (TASK_MAX_DELIVERIES). No task runs longer than CELERY_TASK_TIME_LIMIT, so a message unacknowledged
# for longer than the visibility timeout was lost with its worker and is redelivered (Redis).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 900)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
TASK_MAX_DELIVERIES = env_int("TASK_MAX_DELIVERIES", 5)
# A task meeting a database, broker or storage fault retries every 5, 10 ... 300 s: about 4 hours.
TASK_MAX_TRANSIENT_RETRIES = env_int("TASK_MAX_TRANSIENT_RETRIES", 50)
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 300)
# A web request offers its messages to the broker for at most this long; the outbox relay does the rest.
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
        "socket_timeout": env_int("CELERY_BROKER_SOCKET_TIMEOUT", 5),
        "retry_on_timeout": False,  # a hanging broker answers no sooner for asking again: the outbox keeps the message
        "health_check_interval": 30,
    }
# Messages written in the committing transaction are offered to the broker at once; the relay
# (manage.py relay_outbox) offers those the broker did not take after this many seconds, with back-off.
OUTBOX_RELAY_GRACE_SECONDS = env_int("OUTBOX_RELAY_GRACE_SECONDS", 5)
# A request whose next step has not happened for this long is re-driven by the reconciler (beat).
RECONCILE_AFTER_SECONDS = env_int("RECONCILE_AFTER_SECONDS", 600)
# Webhooks (webhooks/): a POST waits this long per network step; a failed attempt is tried again after these
# delays (the last one repeating) until WEBHOOKS_MAX_ATTEMPTS; the beat sweeper (every 15 s) re-sends one whose
# message was lost WEBHOOKS_REDRIVE_AFTER_SECONDS after it was due. Loopback receivers only for tests.
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 5)
WEBHOOKS_RETRY_SECONDS = [int(s) for s in env_list("WEBHOOKS_RETRY_SECONDS", "30,120,600,3600,21600")]
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 6)
WEBHOOKS_REDRIVE_AFTER_SECONDS = env_int("WEBHOOKS_REDRIVE_AFTER_SECONDS", 60)
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
# Finished deliveries (delivered, failed, withheld) and their attempts are deleted this many days after they
# finished (webhooks.tasks.purge_old_deliveries, daily), with the events left without any.
WEBHOOKS_RETENTION_DAYS = env_int("WEBHOOKS_RETENTION_DAYS", 30)
if not WEBHOOKS_RETRY_SECONDS or WEBHOOKS_REDRIVE_AFTER_SECONDS <= 2 * WEBHOOKS_TIMEOUT_SECONDS:
    raise ImproperlyConfigured("WEBHOOKS_RETRY_SECONDS must list delays; WEBHOOKS_REDRIVE_AFTER_SECONDS > 2 x timeout")
RECONCILERS = [
    "accounts.notifications.redrive",
    "documents.reconcile.redrive",
    "workflows.reconcile.redrive",
]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep a worker's database connection across tasks (Celery's Django fixup otherwise closes it
# around every task: a new PostgreSQL backend per task). Dead connections are replaced before
# each task by close_old_connections (backoffice/celery.py).
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# Weak secrets (bank check, invoice total) and passwords: attempts per key in a window.
LOCKOUT_MAX_ATTEMPTS = env_int(
    "LOCKOUT_MAX_ATTEMPTS", 5
)  # per identifier and address; per identifier for the 4-digit proof
LOCKOUT_MAX_PER_ACCOUNT = env_int(
    "LOCKOUT_MAX_PER_ACCOUNT", 20
)  # wrong passwords per account from every address together
LOCKOUT_MAX_PER_ADDRESS = env_int("LOCKOUT_MAX_PER_ADDRESS", 100)  # tries per address, whatever the identifier
LOCKOUT_MINUTES = env_int("LOCKOUT_MINUTES", 15)
INVITATIONS_PER_WINDOW = env_int("INVITATIONS_PER_WINDOW", 50)  # contacts one person may add in LOCKOUT_MINUTES
# Staff MFA (django-otp): a TOTP device per staff account plus one-time recovery codes. Wrong codes are
# counted by accounts.throttle (secret "staff_otp"), so django-otp's own per-device back-off is off.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Back office")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)
# Daily housekeeping (accounts.tasks.housekeeping) deletes pending registrations, invitations and upload links
# this many days after they expired (or were revoked), so a late click still gets "expired", not "not valid".
HOUSEKEEPING_GRACE_DAYS = env_int("HOUSEKEEPING_GRACE_DAYS", 7)
# The audit chain's head (position, hash, count, time) is anchored daily outside the database, where
# the app cannot rewrite it: file:///path (JSON lines, append only) or s3://bucket/prefix (one object
# per anchor in a bucket with object lock). verify_audit_chain checks the chain against the newest one.
AUDIT_ANCHOR_SINK = os.environ.get("AUDIT_ANCHOR_SINK", f"file://{VAR_DIR / 'audit-anchors.jsonl'}")
AUDIT_ANCHOR_S3_CLIENT = {
    "endpoint_url": os.environ.get("AUDIT_ANCHOR_S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("AUDIT_ANCHOR_S3_REGION", "eu-south-2"),
    "aws_access_key_id": os.environ.get("AUDIT_ANCHOR_S3_ACCESS_KEY_ID") or None,
    "aws_secret_access_key": os.environ.get("AUDIT_ANCHOR_S3_SECRET_ACCESS_KEY") or None,
}
# Object lock per anchor: COMPLIANCE, GOVERNANCE, or empty to rely on the bucket's default retention.
AUDIT_ANCHOR_S3_LOCK_MODE = os.environ.get("AUDIT_ANCHOR_S3_LOCK_MODE", "COMPLIANCE")
AUDIT_ANCHOR_S3_RETAIN_DAYS = env_int("AUDIT_ANCHOR_S3_RETAIN_DAYS", 3650)
if AUDIT_ANCHOR_S3_LOCK_MODE not in ("", "COMPLIANCE", "GOVERNANCE"):
    raise ImproperlyConfigured("AUDIT_ANCHOR_S3_LOCK_MODE must be COMPLIANCE, GOVERNANCE or empty")
# E-mail changes and the representative's objection link.
EMAIL_CHANGE_DAYS = env_int("EMAIL_CHANGE_DAYS", 2)
OBJECTION_LINK_DAYS = env_int("OBJECTION_LINK_DAYS", 30)
# The numbers shown wherever the product says "call us" (pages and e-mails).
CUSTOMER_SERVICE_PHONES = [
    p.strip() for p in os.environ.get("CUSTOMER_SERVICE_PHONES", "912 100 100,900 385 425").split(",") if p.strip()
]
CUSTOMER_SERVICE_PHONES_TEXT = " / ".join(CUSTOMER_SERVICE_PHONES)

# Paperwork requests: reminder and expiry while waiting for documents, the upload link's
# lifetime, and the verification service level before escalation to supervisors.
REQUEST_REMINDER_DAYS = env_int("REQUEST_REMINDER_DAYS", 3)
REQUEST_EXPIRY_DAYS = env_int("REQUEST_EXPIRY_DAYS", 15)
UPLOAD_LINK_DAYS = env_int("UPLOAD_LINK_DAYS", 7)
VERIFICATION_WORKING_DAYS = env_int("VERIFICATION_WORKING_DAYS", 2)
# Working days skip Saturdays, Sundays and public holidays: Spain's and those of this region (a subdivision the
# ``holidays`` package knows for Spain: CT, MD, AN, ...), in workflows.services.add_working_days.
WORKING_DAYS_REGION = os.environ.get("WORKING_DAYS_REGION", "CT").strip()
if WORKING_DAYS_REGION not in holidays.list_supported_countries()["ES"]:
    raise ImproperlyConfigured(
        f"WORKING_DAYS_REGION must be one of Spain's regions {', '.join(holidays.list_supported_countries()['ES'])}, "
        f"not {WORKING_DAYS_REGION!r}"
    )
# Billing: the days of the month the utility offers for direct debits (each 1..28), e.g. "5,10,15,20,25".
_payment_days = env_list("BILLING_PAYMENT_DAYS", "5,10,15,20,25")
BILLING_PAYMENT_DAYS = sorted({int(day) for day in _payment_days if day.strip().isdigit()})
if (
    not BILLING_PAYMENT_DAYS
    or len(BILLING_PAYMENT_DAYS) != len(set(_payment_days))
    or not all(1 <= day <= 28 for day in BILLING_PAYMENT_DAYS)
):
    raise ImproperlyConfigured("BILLING_PAYMENT_DAYS must be comma-separated days between 1 and 28")
# Who issues the invoices, as their PDFs print it.
BILLING_ISSUER_NAME = os.environ.get("BILLING_ISSUER_NAME", "Energia Demo Comercialitzadora S.A.")
BILLING_ISSUER_TAX_ID = os.environ.get("BILLING_ISSUER_TAX_ID", "A00000000")
# Number of reverse proxies in front of the web nodes whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# X-Forwarded-Proto says "https" only if a proxy we trust wrote it; without one, a client could.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy on every response (django-csp), unless the view set its own (document
# files set a stricter one). Scripts come only from our origin, with no inline script or handler
# (the language switcher has a button). Styles need 'unsafe-inline': the customer area's base
# template has a <style> block and Viewflow's staff pages use style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The REST API for gestoria software (api/): personal access tokens and OAuth2 apps, errors in one shape, cursor
# pages, rate limits per token counted in the database (the store accounts.throttle uses, shared by every web node).
API_RATE_READ = os.environ.get("API_RATE_READ", "120/min")
API_RATE_WRITE = os.environ.get("API_RATE_WRITE", "30/min")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StableCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# OAuth2 for third-party apps (django-oauth-toolkit, api/oauth/): authorization code with PKCE (S256) only, apps
# registered by superusers in the admin, scopes with the personal tokens' meaning. Short access tokens; the refresh
# token is replaced at each use and dies OAUTH_REFRESH_TOKEN_SECONDS after its last access token expired.
OAUTH_ACCESS_TOKEN_SECONDS = env_int("OAUTH_ACCESS_TOKEN_SECONDS", 3600)
OAUTH_REFRESH_TOKEN_SECONDS = env_int("OAUTH_REFRESH_TOKEN_SECONDS", 30 * 24 * 3600)
OAUTH_CODE_SECONDS = env_int("OAUTH_CODE_SECONDS", 60)
if not (0 < OAUTH_CODE_SECONDS <= 600 and 0 < OAUTH_ACCESS_TOKEN_SECONDS <= 86400 and OAUTH_REFRESH_TOKEN_SECONDS > 0):
    raise ImproperlyConfigured(
        "OAUTH_CODE_SECONDS must be 1..600, OAUTH_ACCESS_TOKEN_SECONDS 1..86400, OAUTH_REFRESH_TOKEN_SECONDS > 0"
    )
OAUTH2_PROVIDER = {
    "OAUTH2_SERVER_CLASS": "api.oauth.server.CustomerAppServer",
    "OAUTH2_VALIDATOR_CLASS": "api.oauth.server.CustomerAppValidator",
    "APPLICATION_ADMIN_CLASS": "api.oauth.admin.ApplicationAdmin",
    "ACCESS_TOKEN_ADMIN_CLASS": "api.oauth.admin.AccessTokenAdmin",
    "REFRESH_TOKEN_ADMIN_CLASS": "api.oauth.admin.RefreshTokenAdmin",
    "GRANT_ADMIN_CLASS": "api.oauth.admin.GrantAdmin",
    "ID_TOKEN_ADMIN_CLASS": "api.oauth.admin.IDTokenAdmin",
    "SCOPES": {"read": "Read", "write": "Read and write"},
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": OAUTH_CODE_SECONDS,
    "ACCESS_TOKEN_EXPIRE_SECONDS": OAUTH_ACCESS_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": OAUTH_REFRESH_TOKEN_SECONDS,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,  # a replayed old refresh token ends the whole chain
    "REQUEST_APPROVAL_PROMPT": "force",  # the person is asked every time
    # http only for loopback redirects of native apps (RFC 8252); api.oauth.server.redirect_uri_refusal says which
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    "ALLOW_URI_WILDCARDS": False,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,  # tokens kept only as their SHA-256, like the personal tokens
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,  # the redirect names us (iss=SITE_URL): no mix-up (RFC 9207)
    "OIDC_ISS_ENDPOINT": SITE_URL,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
# W008 says http redirect URIs are allowed: only for loopback addresses (RFC 8252), which api.oauth.server enforces.
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]
SPECTACULAR_SETTINGS = {
    "TITLE": "Àrea Clients API",
    "DESCRIPTION": "The customer area for software: the same people, rights and data as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "GrantRoleEnum": "accounts.models.Grant.Role",
        "AuthorisedRoleEnum": [("authorised_full", "authorised_full"), ("authorised_readonly", "authorised_readonly")],
    },
}

# Log lines: LOG_FORMAT=json (one object per line: timestamp, level, logger, message, request_id, user_id,
# request_ref, extras; backoffice.observability) or text (the same on one readable line); json unless debugging.
# Secrets in e-mailed links (invitations, upload links, ...) are redacted from every log line (the
# redact_tokens filter on every handler). Celery workers use this same configuration (backoffice/celery.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "backoffice.security.RedactTokensFilter"}},
    "formatters": {
        "json": {"()": "backoffice.observability.JsonFormatter"},
        "text": {"()": "backoffice.observability.TextFormatter"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"], "formatter": LOG_FORMAT},
        "django.server": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            "formatter": "json" if LOG_FORMAT == "json" else "django.server",
        },
    },
    "loggers": {
        "django.request": {"filters": ["redact_tokens"]},
        "django.security.csrf": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
# Errors reported to Sentry when SENTRY_DSN is set (no personal data; link secrets redacted).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from backoffice.observability import init_sentry

    init_sentry(
        SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", ""), release=os.environ.get("SENTRY_RELEASE", "")
    )
# /readyz and /metrics (backoffice.health): beat sends a heartbeat task to each queue every HEARTBEAT_INTERVAL
# seconds; a queue whose last heartbeat ran longer than READY_HEARTBEAT_MAX_AGE ago has no working consumer.
HEARTBEAT_INTERVAL = env_int("HEARTBEAT_INTERVAL", 30)
READY_HEARTBEAT_MAX_AGE = env_int("READY_HEARTBEAT_MAX_AGE", 90)
# /metrics answers a scraper with "Authorization: Bearer <METRICS_TOKEN>" (when set), or from these networks.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
# Load balancers call the probes over plain HTTP on the node.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
