"""The backup drill, as an operator runs it: scripts/backup.sh of a database built through the project's services
(customers, a change of representative with its uploaded document and previews, audit events anchored by
verify_audit_chain) with its documents on S3 (moto in server mode) or on the local folder; scripts/restore.sh into
a fresh database and a fresh bucket or folder; verify_audit_chain and the project's document read on the restored
copy; and a restored object tampered with, which the manifest check reports. Real PostgreSQL, pg_dump and
pg_restore; every script runs as a subprocess with the application's environment variables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from accounts import audit
from accounts.models import AuditEvent
from tests import factories
from tests.documents.conftest import S3_KEY, S3_REGION, S3_SECRET, moto_endpoint, s3_bucket, s3_client  # noqa: F401 (fixtures)
from tests.workflows.paperwork import customer_actor, power_of_attorney, start_change, upload
from workflows import services

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the drill backs up and restores a PostgreSQL database")


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _env(settings, tmp_path: Path, *, database: str, store: dict[str, str]) -> dict[str, str]:
    """The environment an operator's shell would have: the application's variables, nothing of the test's."""
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "DOCUMENTS_", "AUDIT_ANCHOR", "PG"))
    }
    return (
        inherited
        | {
            "PYTHON": sys.executable,
            "BACKOFFICE_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": _database_url(database),
            "AUDIT_ANCHOR_SINK": settings.AUDIT_ANCHOR_SINK,
        }
        | store
    )


def _s3_store(bucket: str, endpoint: str) -> dict[str, str]:
    return {
        "DOCUMENTS_S3_BUCKET": bucket,
        "DOCUMENTS_S3_ENDPOINT_URL": endpoint,
        "DOCUMENTS_S3_REGION": S3_REGION,
        "DOCUMENTS_S3_ACCESS_KEY_ID": S3_KEY,
        "DOCUMENTS_S3_SECRET_ACCESS_KEY": S3_SECRET,
    }


def _run(command: list[str], env: dict[str, str], *, status: int = 0) -> subprocess.CompletedProcess:
    if command[0].endswith(".py"):
        command = [sys.executable, *command]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == status, f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def _source_data() -> tuple[int, bytes]:
    """Customers, people and grants; a change of representative with a power of attorney uploaded (stored, previews
    made) and submitted (pre-checked); the audit events all of that writes. Returns the document and its bytes."""
    story = factories.Story()
    factories.customer()
    factories.customer(kind="community", direct_debit=False)
    process = start_change(story)
    content = power_of_attorney(story.customer)
    document = upload(process, content)
    services.submit_documents(process=process, actor=customer_actor(story.representative))
    assert AuditEvent.objects.count() >= 4
    return document.pk, content


def _backup(env: dict[str, str], destination: Path) -> tuple[Path, dict]:
    result = _run(["scripts/backup.sh", str(destination)], env)
    folder = Path(result.stdout.strip().splitlines()[-1])
    assert folder.parent == destination and folder.is_dir() and not folder.name.endswith(".partial")
    return folder, json.loads((folder / "manifest.json").read_text())


def _assert_manifest_describes_the_source(manifest: dict, objects: int) -> None:
    head = AuditEvent.objects.order_by("-chain_seq").first()
    assert manifest["database"]["audit"] == {
        "events": AuditEvent.objects.count(),
        "last_event_id": head.id,
        "last_chain_seq": head.chain_seq,
        "last_hash": head.hash,
    }
    from django.db.migrations.recorder import MigrationRecorder

    assert len(manifest["database"]["migrations"]) == MigrationRecorder.Migration.objects.count() > 0
    assert manifest["database"]["tables"]["public.accounts_customer"] == 4
    assert manifest["documents"]["objects"] == objects >= 2  # the document and its page previews
    assert set(manifest["files"]) >= {"database.dump", "documents.jsonl"}


def _read_document(env: dict[str, str], document_id: int) -> bytes:
    """The document's bytes through the project's read function (documents.selectors.read_file), in the target's environment."""
    code = (
        "import sys; from documents import selectors; from documents.models import Document; "
        f"print('document:', selectors.read_file(Document.objects.get(pk={document_id})).hex())"
    )
    output = _run(["manage.py", "shell", "-c", code], env).stdout  # log lines go to stdout too
    [line] = [line for line in output.splitlines() if line.startswith("document: ")]
    return bytes.fromhex(line.removeprefix("document: "))


def _restored_chain_verifies(env: dict[str, str]) -> None:
    head = AuditEvent.objects.order_by("-chain_seq").first()
    result = _run(["manage.py", "verify_audit_chain"], env)
    assert (
        f"audit chain intact: {AuditEvent.objects.count()} events; holds the anchor at position {head.chain_seq}"
        in result.stdout
    )


def test_documents_on_s3_are_restored_into_a_fresh_database_and_bucket(
    settings,
    tmp_path,
    s3_bucket,
    s3_client,
    moto_endpoint,  # noqa: F811
    fresh_database,
):
    document_id, content = _source_data()
    source = _env(
        settings, tmp_path, database=connection.settings_dict["NAME"], store=_s3_store(s3_bucket, moto_endpoint)
    )
    _run(["manage.py", "verify_audit_chain", "--anchor"], source)  # what the daily beat task does
    backup, manifest = _backup(source, tmp_path / "backups")
    _assert_manifest_describes_the_source(manifest, objects=s3_client.list_objects_v2(Bucket=s3_bucket)["KeyCount"])
    assert manifest["documents"]["store"] == "s3" and (backup / "documents").is_dir()

    restored_bucket = f"restored-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=restored_bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    target = _env(settings, tmp_path, database=fresh_database, store=_s3_store(restored_bucket, moto_endpoint))
    result = _run(["scripts/restore.sh", str(backup)], target)
    assert "audit chain intact" in result.stdout and "every check holds" in result.stderr
    _restored_chain_verifies(target)
    assert _read_document(target, document_id) == content
    key = next(
        line
        for line in (backup / "documents.jsonl").read_text().splitlines()
        if json.loads(line)["size"] == len(content)
    )
    source_object = s3_client.head_object(Bucket=s3_bucket, Key=json.loads(key)["key"])
    restored_object = s3_client.head_object(Bucket=restored_bucket, Key=json.loads(key)["key"])
    assert restored_object["ContentType"] == source_object["ContentType"] == "application/pdf"

    name = json.loads(key)["key"]
    s3_client.put_object(Bucket=restored_bucket, Key=name, Body=content.replace(b"%%EOF", b"%%EOX"))
    tampered = _run(["scripts/restore.sh", "--check", str(backup)], target, status=1)
    assert f"check-s3: {name}: sha256 differs from the backup's" in tampered.stderr


def test_documents_on_the_local_folder_are_restored_into_a_fresh_database_and_folder(
    settings, tmp_path, fresh_database
):
    document_id, content = _source_data()
    source_root = Path(settings.STORAGES["documents"]["OPTIONS"]["location"])
    source = _env(
        settings, tmp_path, database=connection.settings_dict["NAME"], store={"DOCUMENTS_ROOT": str(source_root)}
    )
    _run(["manage.py", "verify_audit_chain", "--anchor"], source)
    backup, manifest = _backup(source, tmp_path / "backups")
    _assert_manifest_describes_the_source(manifest, objects=sum(1 for p in source_root.rglob("*") if p.is_file()))
    assert manifest["documents"]["store"] == "local" and "documents.tar" in manifest["files"]

    restored_root = tmp_path / "restored-documents"
    into_the_source = _env(
        settings, tmp_path, database=connection.settings_dict["NAME"], store={"DOCUMENTS_ROOT": str(restored_root)}
    )
    refused = _run(["scripts/restore.sh", str(backup)], into_the_source, status=1)
    assert "is not empty" in refused.stderr and not restored_root.exists()

    target = _env(settings, tmp_path, database=fresh_database, store={"DOCUMENTS_ROOT": str(restored_root)})
    result = _run(["scripts/restore.sh", str(backup)], target)
    assert "every check holds" in result.stderr
    _restored_chain_verifies(target)
    assert _read_document(target, document_id) == content

    [tampered_file] = list(restored_root.rglob("*.pdf"))
    tampered_file.write_bytes(content.replace(b"%%EOF", b"%%EOX"))
    tampered = _run(["scripts/restore.sh", "--check", str(backup)], target, status=1)
    assert (
        f"check-local: {tampered_file.relative_to(restored_root)}: sha256 differs from the backup's" in tampered.stderr
    )


def test_a_backup_older_than_the_newest_anchor_restores_with_the_lost_events_reported(
    settings, tmp_path, fresh_database
):
    _source_data()
    source_root = Path(settings.STORAGES["documents"]["OPTIONS"]["location"])
    source = _env(
        settings, tmp_path, database=connection.settings_dict["NAME"], store={"DOCUMENTS_ROOT": str(source_root)}
    )
    backup, _ = _backup(source, tmp_path / "backups")
    customer = factories.customer()
    with transaction.atomic():  # work done after the backup, anchored by the next daily run
        audit.record(
            actor=audit.Actor.system("test"),
            action="test.after_backup",
            target=customer,
            customer=customer,
            before=None,
            after={},
            reason="after the backup",
        )
    _run(["manage.py", "verify_audit_chain", "--anchor"], source)

    target = _env(
        settings, tmp_path, database=fresh_database, store={"DOCUMENTS_ROOT": str(tmp_path / "restored-documents")}
    )
    result = _run(["scripts/restore.sh", str(backup)], target, status=1)
    assert (
        "is missing (the chain's tail was deleted" in result.stderr
        and "the events between them are lost" in result.stderr
    )
    assert "restore: 1 check(s) failed" in result.stderr  # the database and the documents are as the backup has them
