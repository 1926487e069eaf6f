#!/usr/bin/env bash
# Back up the back office: its PostgreSQL database and its document store, with a manifest to check a restore by.
#
#   scripts/backup.sh DEST        (prints the new backup folder, DEST/<UTC time>, on its last line)
#
# Reads the application's own environment: DATABASE_URL (PostgreSQL) and the document store as
# backoffice/settings.py sees it -- DOCUMENTS_S3_BUCKET with the other DOCUMENTS_S3_* variables, or the local
# folder DOCUMENTS_ROOT. PYTHON is the project's interpreter (default: .venv/bin/python, else python3).
# pg_dump must be of the server's major version or newer.
#
# The folder, written as DEST/<time>.partial and renamed when complete (a folder without ".partial" is whole):
#   database.dump    pg_dump --format=custom, taken in an exported snapshot
#   documents.tar    a tar of DOCUMENTS_ROOT                     } one or the other
#   documents/       one file per S3 object, by key              }
#   documents.jsonl  one line per object: key, size, sha256 (and, for S3, its content type and metadata)
#   manifest.json    the database's facts in the dump's snapshot (row counts of every table, applied migrations,
#                    the last audit event's id, position and hash), the object count and bytes, the size and
#                    sha256 of every file
# The database is dumped first and the documents copied after it, so the copy holds every file the dump names
# (objects uploaded meanwhile are orphans the hourly sweep deletes after a restore). The audit anchors
# (AUDIT_ANCHOR_SINK) are not copied: they stay where they are (docs/operations.md, "Back up and restore").
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON=python3; fi
fi
DEST="${1:?usage: $0 DEST (the folder that receives the timestamped backup folder)}"
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"

manifest() { "$PYTHON" "$ROOT/scripts/backup_manifest.py" "$@"; }
settings() {  # values as backoffice/settings.py reads them from the environment, one a line
    "$PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); from backoffice import settings
for name in sys.argv[2:]: print(getattr(settings, name))' "$ROOT" "$@"
}

STORE_SETTINGS="$(settings DOCUMENTS_S3_BUCKET DOCUMENTS_ROOT)"  # fails here if the settings refuse the environment
{ read -r BUCKET; read -r DOCUMENTS_ROOT; } <<<"$STORE_SETTINGS"

mkdir -p "$DEST"
FINAL="$(cd "$DEST" && pwd)/$(date -u +%Y%m%dT%H%M%SZ)"
WORK="$FINAL.partial"
[ ! -e "$FINAL" ] && [ ! -e "$WORK" ] || { echo "backup: $FINAL exists already" >&2; exit 1; }
umask 077  # personal data: the backup is readable by its owner only
mkdir "$WORK"
trap 'status=$?; if [ "$status" -ne 0 ]; then echo "backup: failed, incomplete folder $WORK left for inspection" >&2; fi' EXIT

# libpq's tools read the connection from PG* variables: no password on a command line.
eval "$(manifest pg-env)"

# A transaction held open by psql exports its snapshot; pg_dump and the manifest's facts both read in it.
coproc SNAPSHOT { psql -X -q -t -A -v ON_ERROR_STOP=1; }
snapshot_pid=$SNAPSHOT_PID  # bash unsets SNAPSHOT_PID once psql has exited
printf '%s\n' 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;' 'SELECT pg_export_snapshot();' >&"${SNAPSHOT[1]}"
read -r -t 60 snapshot <&"${SNAPSHOT[0]}" || { echo "backup: could not export a snapshot from the database" >&2; exit 1; }
echo "backup: dumping database ${PGDATABASE:-} in snapshot $snapshot" >&2
pg_dump --format=custom --snapshot="$snapshot" --file="$WORK/database.dump"
manifest database-facts --snapshot "$snapshot" >"$WORK/database-facts.json"
printf '%s\n' 'COMMIT;' '\q' >&"${SNAPSHOT[1]}"
wait "$snapshot_pid"

if [ -n "$BUCKET" ]; then
    echo "backup: copying s3://$BUCKET" >&2
    "$PYTHON" "$ROOT/scripts/s3_copy.py" download "$WORK"
    manifest write "$WORK" --store s3 --source "s3://$BUCKET" --facts "$WORK/database-facts.json"
else
    echo "backup: archiving $DOCUMENTS_ROOT" >&2
    if [ -d "$DOCUMENTS_ROOT" ]; then
        # Status 1: a file changed while read. Files are written once under new names, so that is an upload
        # in progress, which the dump (taken before) does not name: archived as read, an orphan after a restore.
        tar -C "$DOCUMENTS_ROOT" -cf "$WORK/documents.tar" . || [ $? -eq 1 ]
    else  # no document stored yet
        tar -cf "$WORK/documents.tar" -T /dev/null
    fi
    manifest index-tar "$WORK/documents.tar" "$WORK/documents.jsonl"
    manifest write "$WORK" --store local --source "$DOCUMENTS_ROOT" --facts "$WORK/database-facts.json"
fi

mv "$WORK" "$FINAL"
echo "backup: complete" >&2
echo "$FINAL"
