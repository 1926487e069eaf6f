"""Copy the documents bucket into a backup folder and back (used by scripts/backup.sh and scripts/restore.sh).

The bucket, endpoint, region, credentials and server-side encryption are the ones the application uses: the
DOCUMENTS_S3_* variables, read through backoffice/settings.py (STORAGES["documents"]), so both read them alike.

    s3_copy.py download DIR         every object into DIR/documents/<key>, one line each in DIR/documents.jsonl
                                    (key, size, sha256, content type, user metadata and the other headers kept)
    s3_copy.py upload DIR           every object of DIR/documents.jsonl back, with its metadata, encrypted with
                                    DOCUMENTS_S3_SSE as the application's uploads are
    s3_copy.py check DIR [--allow-extra]   every object of the index is in the bucket with its sha256 and, unless
                                    --allow-extra, the bucket holds nothing else
    s3_copy.py count                the number of objects in the bucket

Listings are paginated and bodies streamed in 1 MiB chunks (uploads in 8 MiB multipart parts): memory stays
constant whatever the number and size of the objects. Exit status 1, with every difference on stderr, when a
check does not hold.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent)
)  # backoffice.settings; backup_manifest is beside this file

from backup_manifest import CHUNK, INDEX, OBJECTS, index_line, read_index, safe_key  # noqa: E402

# Object headers kept with each object: get_object's answer -> put_object's argument.
_HEADERS = {
    "ContentType": "content_type",
    "ContentEncoding": "content_encoding",
    "ContentDisposition": "content_disposition",
    "ContentLanguage": "content_language",
    "CacheControl": "cache_control",
}


def _bucket_and_client():
    import boto3
    from botocore.config import Config

    from backoffice import settings

    options = settings.STORAGES["documents"]["OPTIONS"]
    if not settings.DOCUMENTS_S3_BUCKET:
        raise SystemExit("DOCUMENTS_S3_BUCKET is not set: the documents are on the local folder DOCUMENTS_ROOT")
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        # A bulk copy, not a person waiting: longer timeouts and more tries than the application's.
        config=Config(connect_timeout=10, read_timeout=120, retries={"mode": "standard", "max_attempts": 10}),
    )
    return options["bucket_name"], client, options.get("object_parameters", {})


def _keys(client, bucket: str):
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        yield from page.get("Contents", [])


def download(folder: Path) -> int:
    bucket, client, _ = _bucket_and_client()
    objects = folder / OBJECTS
    count = 0
    with (folder / INDEX).open("w", encoding="utf-8") as index:
        for item in _keys(client, bucket):
            key = item["Key"]
            target = objects / safe_key(key)
            try:
                answer = client.get_object(Bucket=bucket, Key=key)
            except client.exceptions.NoSuchKey:
                print(
                    f"warning: {key} was deleted while the bucket was copied (retention or orphan sweep)",
                    file=sys.stderr,
                )
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            digest, size, partial = hashlib.sha256(), 0, target.with_name(target.name + ".partial")
            with partial.open("wb") as out:
                for chunk in answer["Body"].iter_chunks(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            if size != answer["ContentLength"]:
                raise SystemExit(f"{key}: read {size} bytes of {answer['ContentLength']}")
            partial.rename(target)
            entry = {"key": key, "size": size, "sha256": digest.hexdigest(), "metadata": answer.get("Metadata", {})}
            entry |= {field: answer[header] for header, field in _HEADERS.items() if answer.get(header)}
            index.write(index_line(entry))
            count += 1
    print(f"downloaded {count} objects from s3://{bucket}", file=sys.stderr)
    return count


def upload(folder: Path) -> int:
    from boto3.s3.transfer import TransferConfig

    bucket, client, object_parameters = _bucket_and_client()
    transfer = TransferConfig(multipart_chunksize=8 * CHUNK, max_concurrency=4)
    count = 0
    for entry in read_index(folder / INDEX):
        extra = {"Metadata": entry.get("metadata", {}), **object_parameters}
        extra |= {header: entry[field] for header, field in _HEADERS.items() if entry.get(field)}
        with (folder / OBJECTS / safe_key(entry["key"])).open("rb") as body:
            client.upload_fileobj(body, bucket, entry["key"], ExtraArgs=extra, Config=transfer)
        count += 1
    print(f"uploaded {count} objects to s3://{bucket}", file=sys.stderr)
    return count


def check(folder: Path, *, allow_extra: bool) -> list[str]:
    """Each object of the index read back from the bucket and hashed; then the bucket's count compared."""
    bucket, client, _ = _bucket_and_client()
    problems, present = [], 0
    for entry in read_index(folder / INDEX):
        try:
            answer = client.get_object(Bucket=bucket, Key=entry["key"])
        except client.exceptions.NoSuchKey:
            problems.append(f"{entry['key']}: missing")
            continue
        present += 1
        digest = hashlib.sha256()
        for chunk in answer["Body"].iter_chunks(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            problems.append(f"{entry['key']}: sha256 differs from the backup's")
    extra = count_objects(client, bucket) - present
    if extra and not allow_extra:
        problems.append(f"{extra} object(s) in s3://{bucket} that the backup does not have")
    elif extra:
        print(
            f"warning: {extra} object(s) in s3://{bucket} that the backup does not have (the orphan sweep deletes them)",
            file=sys.stderr,
        )
    return problems


def count_objects(client, bucket: str) -> int:
    return sum(1 for _ in _keys(client, bucket))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("download", "upload", "check"):
        command = commands.add_parser(name)
        command.add_argument("folder", type=Path)
        if name == "check":
            command.add_argument("--allow-extra", action="store_true")
    commands.add_parser("count")
    args = parser.parse_args(argv)

    if args.command == "download":
        download(args.folder)
    elif args.command == "upload":
        upload(args.folder)
    elif args.command == "count":
        bucket, client, _ = _bucket_and_client()
        print(count_objects(client, bucket))
    else:
        problems = check(args.folder, allow_extra=args.allow_extra)
        for problem in problems:
            print(f"check-s3: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
