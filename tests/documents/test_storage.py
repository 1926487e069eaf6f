"""The same behaviour against the local folder and an S3-compatible server (moto) on loopback."""

import re
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import selectors, services
from documents.storage import documents_storage, is_s3
from documents.validation import DocumentRejected

from . import samples


def _add(document_set, actor, data, name="poder.pdf"):
    return services.add_document(
        document_set=document_set, uploaded=SimpleUploadedFile(name, data), original_name=name, actor=actor
    )


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """(name, lister) for each backend; the s3 variant switches STORAGES["documents"] to moto."""
    if request.param == "s3":
        return "s3", request.getfixturevalue("stored_s3")
    return "local", request.getfixturevalue("stored_local")


def test_roundtrip_and_random_key(backend, document_set, actor):
    kind, stored = backend
    assert is_s3() == (kind == "s3")
    data = samples.jpeg()
    document = _add(document_set, actor, data, name="DNI de la Maria.jpg")
    assert re.fullmatch(rf"sets/{document_set.pk}/[0-9a-f]{{32}}\.jpg", document.file.name)
    assert stored() == [document.file.name]
    assert selectors.read_file(document) == data


def test_refused_file_stores_nothing(backend, document_set, actor):
    _, stored = backend
    with pytest.raises(DocumentRejected):
        _add(document_set, actor, samples.jpeg_zip_polyglot(), name="photo.jpg")
    assert stored() == []


def test_retention_deletes_the_object(backend, document_set, actor):
    from datetime import timedelta

    from django.utils import timezone

    _, stored = backend
    _add(document_set, actor, samples.png())
    services.make_previews(document=document_set.documents.get())
    assert len(stored()) == 2
    services.close_document_set(document_set=document_set, actor=actor, now=timezone.now() - timedelta(days=400))
    assert services.purge_expired_files() == 1
    assert stored() == []


def test_local_storage_has_no_url(document_set, actor):
    document = _add(document_set, actor, samples.pdf())
    assert selectors.download_url(document) is None


def test_s3_object_is_encrypted_and_private(s3_client, s3_bucket, document_set, actor):
    document = _add(document_set, actor, samples.pdf())
    head = s3_client.head_object(Bucket=s3_bucket, Key=document.file.name)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/pdf"
    acl = s3_client.get_object_acl(Bucket=s3_bucket, Key=document.file.name)
    grants = acl["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert grants[0]["Grantee"]["Type"] == "CanonicalUser" and grants[0]["Grantee"]["ID"] == acl["Owner"]["ID"]
    assert not any(
        "AllUsers" in str(g["Grantee"].get("URI", "")) or "AuthenticatedUsers" in str(g["Grantee"].get("URI", ""))
        for g in grants
    )


def test_s3_presigned_url_is_short_lived_and_works(s3_bucket, document_set, actor, moto_endpoint):
    data = samples.pdf()
    document = _add(document_set, actor, data)
    for asked in (None, 60, 3600):
        url = selectors.download_url(document, expires=asked)
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        expires = int(query["X-Amz-Expires"][0])
        assert 0 < expires <= 300
        if asked == 60:
            assert expires == 60
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == data
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["Content-Type"] == "application/pdf"


def test_s3_has_no_unsigned_public_url(s3_bucket, document_set, actor, moto_endpoint):
    document = _add(document_set, actor, samples.pdf())
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{moto_endpoint}/{s3_bucket}/{document.file.name}", timeout=10)
    assert caught.value.code == 403


def test_storage_follows_settings_changes(settings, s3_bucket):
    assert is_s3(documents_storage())
    settings.STORAGES = {**settings.STORAGES, "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    assert not is_s3(documents_storage())
