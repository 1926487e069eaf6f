# The S3-compatible server (moto on loopback) and a fresh bucket behind the documents storage, as the documents
# tests use them: invoice PDFs live on the same storage.
from tests.documents.conftest import moto_endpoint, s3_bucket, s3_client  # noqa: F401
