from __future__ import annotations

import uuid
from pathlib import Path

import pytest

S3_REGION = "eu-south-2"
S3_KEY, S3_SECRET = "testing-key", "testing-secret"


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path) -> Path:
    """Every documents test writes to its own throwaway folder (the local backend from settings.py)."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": None, "file_permissions_mode": 0o600},
        },
    }
    return root


@pytest.fixture
def stored_local(documents_root):
    """Callable listing the object names currently on the local documents storage."""
    return lambda: [str(p.relative_to(documents_root)) for p in _files_under(documents_root)]


@pytest.fixture(scope="session")
def moto_endpoint():
    """An S3-compatible server on loopback (moto in server mode), shared by the session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(moto_endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=moto_endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
    )


@pytest.fixture
def s3_bucket(settings, s3_client, moto_endpoint) -> str:
    """A fresh private bucket; STORAGES["documents"] is switched to it exactly as settings.py builds it."""
    bucket = f"docs-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": S3_REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": moto_endpoint,
                "region_name": S3_REGION,
                "access_key": S3_KEY,
                "secret_key": S3_SECRET,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
                "object_parameters": {"ServerSideEncryption": "AES256"},
            },
        },
    }
    return bucket


@pytest.fixture
def stored_s3(s3_client, s3_bucket):
    return lambda: sorted(obj["Key"] for obj in s3_client.list_objects_v2(Bucket=s3_bucket).get("Contents", []))


@pytest.fixture
def actor():
    from tests.factories import actor

    return actor()


@pytest.fixture
def document_set(db, actor):
    from documents import services
    from tests import factories

    return services.create_document_set(reference="REQ-1", customer=factories.customer(), actor=actor)
