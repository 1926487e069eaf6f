"""The manifest of a backup (scripts/backup.sh) and the checks of a restore (scripts/restore.sh).

A backup folder holds ``database.dump`` (pg_dump, custom format), the document store's copy (``documents.tar``
of a local DOCUMENTS_ROOT, or ``documents/`` with one file per S3 object, by key), ``documents.jsonl`` (one line
per object: key, size, sha256 and, for S3, its metadata) and ``manifest.json``: the database's facts as the dump
saw them (row counts of every table, applied migrations, the last audit event's id, position and hash), the
store's object count and bytes, and the size and sha256 of every file of the folder.

    backup_manifest.py pg-env                       shell `export PG...=` lines for DATABASE_URL (no password on a command line)
    backup_manifest.py database-facts [--snapshot ID] > FILE   the facts, read in pg_dump's exported snapshot
    backup_manifest.py index-tar TAR INDEX          documents.jsonl of a documents.tar
    backup_manifest.py write DIR --store s3|local --source WHERE --facts FILE
    backup_manifest.py check-backup DIR             every file of the folder against the manifest (before a restore)
    backup_manifest.py check-database DIR           the restored database against the manifest's facts
    backup_manifest.py check-local DIR ROOT [--allow-extra]   a restored DOCUMENTS_ROOT against documents.jsonl
    backup_manifest.py show DIR KEY                 one value of the manifest (e.g. documents.store)

Exit status 0 when a check holds, 1 with every difference on stderr when it does not, 2 on a usage error.
Memory stays constant in the number of objects: indexes are read and written one line at a time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import sys
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

FORMAT = "energia-backoffice-backup/1"
MANIFEST, INDEX, DUMP, TAR, OBJECTS = "manifest.json", "documents.jsonl", "database.dump", "documents.tar", "documents"
CHUNK = 1024 * 1024

# libpq's connection parameters and the environment variables its tools (psql, pg_dump, pg_restore) read.
_PG_ENV = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "passfile": "PGPASSFILE",
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def safe_key(key: str) -> PurePosixPath:
    """An object key as a relative path inside the backup; keys that could escape it or name a folder are refused."""
    path = PurePosixPath(key)
    if not key or key.endswith("/") or path.is_absolute() or any(part in ("", ".", "..") for part in key.split("/")):
        raise ValueError(f"object key {key!r} cannot be kept as a file (absolute, '..', empty part or a folder marker)")
    return path


def read_index(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def index_line(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"


# -- the database -------------------------------------------------------------------------------------------------


def pg_env() -> str:
    """DATABASE_URL (postgres://user:password@host:port/name?sslmode=...) as libpq's environment variables."""
    from psycopg.conninfo import conninfo_to_dict

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:port/name)")
    lines = []
    for key, value in conninfo_to_dict(url).items():
        if key not in _PG_ENV:
            raise SystemExit(f"DATABASE_URL parameter {key!r} is not supported by the backup scripts")
        lines.append(f"export {_PG_ENV[key]}={shlex.quote(str(value))}")
    return "\n".join(lines)


def database_facts(snapshot: str | None = None) -> dict:
    """What the manifest records of the database (connected through the PG* environment), in ``snapshot`` if given."""
    import psycopg
    from psycopg import sql

    with psycopg.connect("", autocommit=False) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        if snapshot:
            conn.execute(sql.SQL("SET TRANSACTION SNAPSHOT {}").format(sql.Literal(snapshot)))
        server_version = conn.execute("SHOW server_version").fetchone()[0]
        tables = conn.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY schemaname, tablename"
        ).fetchall()
        rows = {}
        for schema, table in tables:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            rows[f"{schema}.{table}"] = conn.execute(query).fetchone()[0]
        migrations = [
            f"{app}.{name}"
            for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
        ]
        head = conn.execute(
            "SELECT id, chain_seq, hash FROM accounts_auditevent WHERE chain_seq IS NOT NULL "
            "ORDER BY chain_seq DESC LIMIT 1"
        ).fetchone()
        conn.rollback()
    return {
        "server_version": server_version,
        "tables": rows,
        "migrations": migrations,
        "audit": {
            "events": rows.get("public.accounts_auditevent", 0),
            "last_event_id": head[0] if head else None,
            "last_chain_seq": head[1] if head else 0,
            "last_hash": head[2] if head else None,
        },
    }


def check_database(folder: Path) -> list[str]:
    """The restored database holds what the dump held: same migrations, row counts, and the same last audit event."""
    import psycopg

    expected = load_manifest(folder)["database"]
    actual = database_facts()
    problems = []
    if actual["migrations"] != expected["migrations"]:
        missing = sorted(set(expected["migrations"]) - set(actual["migrations"]))
        extra = sorted(set(actual["migrations"]) - set(expected["migrations"]))
        problems.append(f"migration state differs: missing {missing}, not in the backup {extra}")
    for table, count in expected["tables"].items():
        if actual["tables"].get(table) != count:
            problems.append(f"table {table}: {actual['tables'].get(table, 'missing')} rows, the backup has {count}")
    audit = expected["audit"]
    if audit["last_event_id"] is not None:
        with psycopg.connect("") as conn:
            row = conn.execute(
                "SELECT chain_seq, hash FROM accounts_auditevent WHERE id = %s", [audit["last_event_id"]]
            ).fetchone()
        if row is None or (row[0], row[1]) != (audit["last_chain_seq"], audit["last_hash"]):
            problems.append(
                f"the last audit event of the backup (id {audit['last_event_id']}, position "
                f"{audit['last_chain_seq']}, hash {audit['last_hash']}) is not in the database as it was: {row}"
            )
    return problems


# -- the document store ---------------------------------------------------------------------------------------------


def index_tar(tar_path: Path, index_path: Path) -> None:
    """documents.jsonl of the regular files in ``tar_path``, hashed as they are in the archive (not the live folder)."""
    with tarfile.open(tar_path, "r:") as archive, index_path.open("w", encoding="utf-8") as index:
        for member in archive:
            if not member.isfile():
                continue
            key = member.name.removeprefix("./")
            safe_key(key)
            digest, handle = hashlib.sha256(), archive.extractfile(member)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            index.write(index_line({"key": key, "size": member.size, "sha256": digest.hexdigest()}))


def check_local(folder: Path, root: Path, *, allow_extra: bool) -> list[str]:
    """Every object of the index is in ``root`` with its sha256, and (unless ``allow_extra``) nothing else is."""
    problems, present = [], 0
    for entry in read_index(folder / INDEX):
        path = root / safe_key(entry["key"])
        if not path.is_file():
            problems.append(f"{entry['key']}: missing")
            continue
        present += 1
        if sha256_of(path) != entry["sha256"]:
            problems.append(f"{entry['key']}: sha256 differs from the backup's")
    extra = (sum(len(files) for _, _, files in os.walk(root)) if root.exists() else 0) - present
    if extra and not allow_extra:
        problems.append(f"{extra} file(s) in {root} that the backup does not have")
    elif extra:
        print(
            f"warning: {extra} file(s) in {root} that the backup does not have (the orphan sweep deletes them)",
            file=sys.stderr,
        )
    return problems


# -- the manifest -----------------------------------------------------------------------------------------------------


def load_manifest(folder: Path) -> dict:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise SystemExit(f"{folder / MANIFEST} is not a manifest of this project ({manifest.get('format')!r})")
    return manifest


def write_manifest(folder: Path, *, store: str, source: str, facts_path: Path) -> dict:
    objects = total = 0
    for entry in read_index(folder / INDEX):
        objects, total = objects + 1, total + entry["size"]
    files = [DUMP, INDEX] + ([TAR] if store == "local" else [])
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": json.loads(facts_path.read_text(encoding="utf-8")),
        "documents": {
            "store": store,
            "source": source,
            "objects": objects,
            "bytes": total,
            "index": INDEX,
            "copy": TAR if store == "local" else f"{OBJECTS}/",
        },
        "files": {name: {"size": (folder / name).stat().st_size, "sha256": sha256_of(folder / name)} for name in files},
    }
    facts_path.unlink()
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def check_backup(folder: Path) -> list[str]:
    """The folder is the backup its manifest describes: every file's size and sha256, every S3 object's copy."""
    manifest, problems = load_manifest(folder), []
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{name}: missing from the backup")
        elif (path.stat().st_size, sha256_of(path)) != (expected["size"], expected["sha256"]):
            problems.append(f"{name}: size or sha256 differs from the manifest")
    if problems:
        return problems
    objects = 0
    for entry in read_index(folder / INDEX):
        objects += 1
        if manifest["documents"]["store"] == "s3":
            path = folder / OBJECTS / safe_key(entry["key"])
            if not path.is_file() or sha256_of(path) != entry["sha256"]:
                problems.append(f"{OBJECTS}/{entry['key']}: missing or its sha256 differs from the index")
    if objects != manifest["documents"]["objects"]:
        problems.append(f"the index lists {objects} objects, the manifest {manifest['documents']['objects']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("pg-env")
    facts = commands.add_parser("database-facts")
    facts.add_argument("--snapshot")
    tar = commands.add_parser("index-tar")
    tar.add_argument("tar", type=Path)
    tar.add_argument("index", type=Path)
    write = commands.add_parser("write")
    write.add_argument("folder", type=Path)
    write.add_argument("--store", choices=["s3", "local"], required=True)
    write.add_argument("--source", required=True)
    write.add_argument("--facts", type=Path, required=True)
    for name in ("check-backup", "check-database"):
        commands.add_parser(name).add_argument("folder", type=Path)
    local = commands.add_parser("check-local")
    local.add_argument("folder", type=Path)
    local.add_argument("root", type=Path)
    local.add_argument("--allow-extra", action="store_true")
    show = commands.add_parser("show")
    show.add_argument("folder", type=Path)
    show.add_argument("key", help="dotted path, e.g. documents.store")
    args = parser.parse_args(argv)

    if args.command == "pg-env":
        print(pg_env())
        return 0
    if args.command == "database-facts":
        print(json.dumps(database_facts(args.snapshot), sort_keys=True))
        return 0
    if args.command == "index-tar":
        index_tar(args.tar, args.index)
        return 0
    if args.command == "write":
        manifest = write_manifest(args.folder, store=args.store, source=args.source, facts_path=args.facts)
        documents = manifest["documents"]
        print(
            f"manifest: {len(manifest['database']['tables'])} tables, {manifest['database']['audit']['events']} audit "
            f"events, {documents['objects']} objects ({documents['bytes']} bytes)",
            file=sys.stderr,
        )
        return 0
    if args.command == "show":
        value = load_manifest(args.folder)
        for part in args.key.split("."):
            value = value[part]
        print(value)
        return 0
    problems = {
        "check-backup": lambda: check_backup(args.folder),
        "check-database": lambda: check_database(args.folder),
        "check-local": lambda: check_local(args.folder, args.root, allow_extra=args.allow_extra),
    }[args.command]()
    for problem in problems:
        print(f"{args.command}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
