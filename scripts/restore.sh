#!/usr/bin/env bash
# Restore a backup of scripts/backup.sh into the database and document store named by the environment, then
# check the result against the backup's manifest and verify the audit chain.
#
#   scripts/restore.sh [--force] BACKUP           restore, then check (exit 0 only when every check holds)
#   scripts/restore.sh --check [--force] BACKUP   check a restored copy again, writing nothing
#
# The targets are the application's own variables: DATABASE_URL (an existing PostgreSQL database; restore as
# the role that owns the tables, i.e. the one that runs migrations; the roles the dump's GRANTs name must
# exist), and DOCUMENTS_S3_BUCKET with the other DOCUMENTS_S3_* variables (an existing bucket) or the local
# folder DOCUMENTS_ROOT, the same kind of store the backup was taken from. AUDIT_ANCHOR_SINK is the sink the
# restored chain is verified against. PYTHON as for backup.sh.
#
# Before anything is written: the backup folder is checked against its manifest (sizes and sha256s), and a
# database holding any table, or a store holding any object, is refused unless --force. With --force the dump's
# objects are dropped and recreated (pg_restore --clean) and the backup's files written over the store's;
# objects the backup does not have are left (reported; the hourly orphan sweep deletes them). pg_restore runs
# in one transaction: a failed restore leaves the database as it was.
#
# Then, in order: the restored database against the manifest (applied migrations, the row count of every
# table, the last audit event's id, position and hash), every document against documents.jsonl (object count
# and sha256, read back from the store), a warning if this code has migrations the backup has not applied,
# and `manage.py verify_audit_chain` (the chain, and its newest anchor in AUDIT_ANCHOR_SINK).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi

FORCE=0 CHECK_ONLY=0 BACKUP=""
while [ $# -gt 0 ]; do
    case "$1" in
        --force) FORCE=1 ;;
        --check) CHECK_ONLY=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "restore: unknown option $1" >&2; exit 2 ;;
        *) [ -z "$BACKUP" ] || { echo "restore: one backup folder only" >&2; exit 2; }; BACKUP="$1" ;;
    esac
    shift
done
[ -n "$BACKUP" ] || { echo "usage: $0 [--check] [--force] BACKUP" >&2; exit 2; }
[ -f "$BACKUP/manifest.json" ] || { echo "restore: $BACKUP has no manifest.json (an incomplete backup ends in .partial)" >&2; exit 2; }
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to restore into}"

manifest() { "$PYTHON" "$ROOT/scripts/backup_manifest.py" "$@"; }
s3() { "$PYTHON" "$ROOT/scripts/s3_copy.py" "$@"; }
settings() {  # values as backoffice/settings.py reads them from the environment, one a line
    "$PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); from backoffice import settings
for name in sys.argv[2:]: print(getattr(settings, name))' "$ROOT" "$@"
}
fail() { echo "restore: $*" >&2; exit 1; }

echo "restore: checking the backup $BACKUP against its manifest" >&2
manifest check-backup "$BACKUP" || fail "the backup does not match its manifest: not restored"

eval "$(manifest pg-env)"  # libpq's tools read the connection from PG* variables: no password on a command line
STORE="$(manifest show "$BACKUP" documents.store)"
STORE_SETTINGS="$(settings DOCUMENTS_S3_BUCKET DOCUMENTS_ROOT)"  # fails here if the settings refuse the environment
{ read -r BUCKET; read -r DOCUMENTS_ROOT; } <<<"$STORE_SETTINGS"
if [ "$STORE" = s3 ] && [ -z "$BUCKET" ]; then
    fail "the backup's documents come from S3: set DOCUMENTS_S3_BUCKET (and the other DOCUMENTS_S3_* variables)"
elif [ "$STORE" = local ] && [ -n "$BUCKET" ]; then
    fail "the backup's documents come from a local folder: unset DOCUMENTS_S3_BUCKET and set DOCUMENTS_ROOT"
fi
ALLOW_EXTRA=()
[ "$FORCE" = 0 ] || ALLOW_EXTRA=(--allow-extra)

if [ "$CHECK_ONLY" = 0 ]; then
    tables="$(psql -X -q -t -A -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'")"
    if [ "$STORE" = s3 ]; then
        objects="$(s3 count)"
    elif [ -d "$DOCUMENTS_ROOT" ]; then
        objects="$(find "$DOCUMENTS_ROOT" -type f | wc -l)"
    else
        objects=0
    fi
    if [ "$FORCE" = 0 ]; then
        [ "$tables" = 0 ] || fail "database ${PGDATABASE:-} is not empty ($tables tables, sequences or views): not restored (--force overwrites it)"
        [ "$objects" = 0 ] || fail "the document store is not empty ($objects objects): not restored (--force writes over it)"
    fi

    echo "restore: restoring the database into ${PGDATABASE:-}" >&2
    CLEAN=()
    [ "$FORCE" = 0 ] || CLEAN=(--clean --if-exists)
    pg_restore --dbname="${PGDATABASE:-}" --no-owner --single-transaction --exit-on-error "${CLEAN[@]}" "$BACKUP/database.dump"

    if [ "$STORE" = s3 ]; then
        echo "restore: uploading the documents to s3://$BUCKET" >&2
        s3 upload "$BACKUP"
    else
        echo "restore: extracting the documents into $DOCUMENTS_ROOT" >&2
        mkdir -p "$DOCUMENTS_ROOT"
        tar -C "$DOCUMENTS_ROOT" -xf "$BACKUP/documents.tar" --no-same-owner
    fi
fi

problems=0
echo "restore: checking the database against the manifest" >&2
manifest check-database "$BACKUP" || problems=$((problems + 1))
echo "restore: checking the documents against the manifest ($(manifest show "$BACKUP" documents.objects) objects)" >&2
if [ "$STORE" = s3 ]; then
    s3 check "$BACKUP" "${ALLOW_EXTRA[@]}" || problems=$((problems + 1))
else
    manifest check-local "$BACKUP" "$DOCUMENTS_ROOT" "${ALLOW_EXTRA[@]}" || problems=$((problems + 1))
fi
# --skip-checks: the startup checks (Tesseract's languages) concern web nodes and workers, not this host.
if ! "$PYTHON" "$ROOT/manage.py" migrate --check --skip-checks >/dev/null 2>&1; then
    echo "restore: warning: this code has migrations the backup had not applied: run manage.py migrate before the app" >&2
fi
echo "restore: verifying the audit chain" >&2
if ! "$PYTHON" "$ROOT/manage.py" verify_audit_chain --skip-checks; then
    echo "restore: the audit chain does not verify. If it names the anchored head as missing, the backup is older" \
         "than the newest anchor in AUDIT_ANCHOR_SINK: the events between them are lost (docs/operations.md)." >&2
    problems=$((problems + 1))
fi
[ "$problems" = 0 ] || fail "$problems check(s) failed (above)"
echo "restore: complete, every check holds" >&2
