#!/bin/sh
# What the image (Dockerfile) does at build time once the code is in place, also run by the tests
# (tests/backoffice/test_deploy_artefacts.py): the translations compiled (.mo beside the .po) and the static
# files collected with hashed names, gzip and brotli copies and their manifest (whitenoise).
#
#   scripts/build-image-steps.sh STATIC_ROOT     (PYTHON=.venv/bin/python outside the image)
#
# Production settings (DJANGO_DEBUG=false) need a secret and allowed hosts: a dummy secret used for these
# two commands only, never kept in the image or its environment. Nothing here touches a database,
# the broker or S3; the settings' var folder is a temporary one.
set -eu
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python}"
STATIC_ROOT="${1:?usage: $0 STATIC_ROOT}"
BUILD_VAR_DIR="$(mktemp -d)"
trap 'rm -rf "$BUILD_VAR_DIR"' EXIT

export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="build-time-only-dummy-secret-for-collectstatic-not-used-at-run-time"
export DJANGO_ALLOWED_HOSTS=build.invalid
export DJANGO_STATIC_MANIFEST=true
export DJANGO_STATIC_ROOT="$STATIC_ROOT"
export BACKOFFICE_VAR_DIR="$BUILD_VAR_DIR"
export CELERY_BROKER_URL="safefs://"
unset DATABASE_URL DOCUMENTS_S3_BUCKET
# Neither command connects to anything: the embedded defaults are allowed for them (backoffice/production.py).
export PRODUCTION_ALLOW_SQLITE=true PRODUCTION_ALLOW_FILESYSTEM_BROKER=true PRODUCTION_ALLOW_LOCAL_DOCUMENTS=true
export PRODUCTION_ALLOW_INSECURE_SITE_URL=true TRUSTED_PROXY_COUNT=0

"$PYTHON" manage.py compilemessages --ignore=.venv --ignore=build -v 0
"$PYTHON" manage.py collectstatic --noinput --clear -v 0
test -s "$STATIC_ROOT/staticfiles.json"
echo "build steps done: translations compiled, static files in $STATIC_ROOT"
