# One image for every process of the back office: the web nodes (gunicorn, the default command), the Celery
# workers of each queue, beat, the outbox relay and the migrate one-shot (compose.yaml shows each command).
# Configuration comes from the environment at run time (README, "Configuration"); nothing secret is built in.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Tesseract with Spanish, Catalan and English data (OCR), poppler, gettext (compilemessages), libmagic, fonts,
# and pg_dump / pg_restore (scripts/backup.sh, scripts/restore.sh) of Debian's PostgreSQL 15.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-spa tesseract-ocr-cat tesseract-ocr-eng \
        poppler-utils gettext libmagic1 fonts-dejavu-core fonts-liberation postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The user every process runs as: owns nothing of the code, only /app/var.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app/var --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# The runtime dependencies from the hashed lock first, in their own layer (rebuilt only when the lock changes);
# then the project itself, adding no dependency of its own.
COPY requirements/runtime.txt requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.txt

COPY . .
RUN pip install --no-cache-dir --no-deps . && rm -rf build *.egg-info

# The same steps the tests run (scripts/build-image-steps.sh): translations compiled, static files collected
# into /app/static with hashed names and gzip/brotli copies, a dummy secret for these two commands only.
# The image fails closed: production settings unless DJANGO_DEBUG says otherwise, refused until configured.
ENV DJANGO_DEBUG=false \
    DJANGO_STATIC_ROOT=/app/static \
    BACKOFFICE_VAR_DIR=/app/var \
    PORT=8000
RUN sh scripts/build-image-steps.sh /app/static \
    && mkdir -p /app/var && chown app:app /app/var

USER app
EXPOSE 8000

# gunicorn answers through Django: GET /staff/login/ below 500 (scripts/healthcheck.py). The workers, beat and
# the relay run from this image too and override or disable it (compose.yaml).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck.py"]

# gunicorn reads /app/gunicorn.conf.py (bind, workers, threads, timeouts, access log: all from the environment).
CMD ["gunicorn"]
