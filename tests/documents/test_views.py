from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from documents import services
from tests import factories

from . import samples

pytestmark = pytest.mark.django_db

# The documents of a request started by the representative: staff who verify, and the parties to the request
# (who asked -- the representative -- and the person it names, once they hold a grant). Nobody else on the customer.
READERS = {"verifier", "supervisor", "representative", "named_person"}
ROLES = [
    "verifier",
    "supervisor",
    "callcenter_agent",
    "staff_without_group",
    "representative",
    "authorised_full",
    "authorised_readonly",
    "external_manager",
    "collaborator",
    "named_person",
    "outsider",
    "anonymous",
]


def _staff(group: str | None):
    user = factories.staff_user(group or "staff")
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def world(story, actor):
    from tests.workflows.paperwork import NEW_NIF, start_change

    named = factories.person(login=True, id_number=NEW_NIF, name="Named Person")
    factories.grant(customer=story.customer, person=named, role="authorised_readonly")  # a party by name, with a grant
    document_set = start_change(story).document_set
    pdf = services.add_document(
        document_set=document_set,
        uploaded=SimpleUploadedFile("poder.pdf", samples.pdf(2)),
        original_name="poder notarial.pdf",
        actor=actor,
    )
    image = services.add_document(
        document_set=document_set, uploaded=samples.jpeg(), original_name="dni.jpg", actor=actor
    )
    services.make_previews(document=pdf)
    users = {
        "verifier": _staff("verifiers"),
        "supervisor": _staff("supervisors"),
        "callcenter_agent": _staff("callcenter_agents"),
        "staff_without_group": _staff(None),
        "representative": story.representative.user,
        "authorised_full": story.full.user,
        "authorised_readonly": story.readonly.user,
        "external_manager": story.manager.user,
        "collaborator": story.collaborator.user,
        "named_person": named.user,
        "outsider": story.outsider.user,
        "anonymous": None,
    }
    return {"pdf": pdf, "image": image, "users": users, "set": document_set}


def _client(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _assert_protected(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("role", ROLES)
def test_file_view_permissions(role, world, client):
    response = _client(client, world["users"][role]).get(reverse("documents:file", args=[world["pdf"].pk]))
    if role in READERS:
        assert response.status_code == 200
        _assert_protected(response)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert 'filename="poder notarial.pdf"' in response["Content-Disposition"]
        assert b"".join(response.streaming_content) == samples.pdf(2)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_preview_view_permissions(role, world, client):
    response = _client(client, world["users"][role]).get(reverse("documents:page", args=[world["pdf"].pk, 1]))
    if role in READERS:
        assert response.status_code == 200
        _assert_protected(response)
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    else:
        assert response.status_code == 404


def test_images_are_downloaded_as_attachments_too(world, client):
    response = _client(client, world["users"]["verifier"]).get(reverse("documents:file", args=[world["image"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="dni.jpg"' in response["Content-Disposition"]
    response.close()


def test_unknown_document_and_page_are_404(world, client):
    c = _client(client, world["users"]["verifier"])
    assert c.get(reverse("documents:file", args=[999999])).status_code == 404
    assert c.get(reverse("documents:page", args=[world["pdf"].pk, 7])).status_code == 404


def test_revoked_grant_loses_access(world, client, story, actor):
    from accounts.services import revoke_grant

    revoke_grant(grant=story.full_grant, actor=actor, reason="test")
    response = _client(client, world["users"]["authorised_full"]).get(reverse("documents:file", args=[world["pdf"].pk]))
    assert response.status_code == 404


def test_set_without_customer_is_staff_only(world, client, actor):
    orphan = services.create_document_set(reference="REQ-X", customer=None, actor=actor)
    document = services.add_document(document_set=orphan, uploaded=samples.png(), original_name="x.png", actor=actor)
    assert (
        _client(client, world["users"]["representative"]).get(reverse("documents:file", args=[document.pk])).status_code
        == 404
    )


def test_removed_document_is_gone_for_readers(world, client, actor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_document(document=world["image"], actor=actor)
    assert (
        _client(client, world["users"]["verifier"]).get(reverse("documents:file", args=[world["image"].pk])).status_code
        == 410
    )


def test_post_is_refused(world, client):
    assert (
        _client(client, world["users"]["verifier"]).post(reverse("documents:file", args=[world["pdf"].pk])).status_code
        == 405
    )


def test_access_policy_is_pluggable(world, client):
    with override_settings(DOCUMENTS_ACCESS_POLICY="tests.documents.test_views.nobody"):
        assert (
            _client(client, world["users"]["verifier"])
            .get(reverse("documents:file", args=[world["pdf"].pk]))
            .status_code
            == 404
        )


def nobody(user, document) -> bool:
    return False


def test_s3_view_redirects_to_a_presigned_url_after_the_check(s3_bucket, story, actor, client):
    import urllib.request

    document_set = services.create_document_set(reference="REQ-S3", customer=story.customer, actor=actor)
    data = samples.pdf()
    document = services.add_document(document_set=document_set, uploaded=data, original_name="poder.pdf", actor=actor)
    services.make_previews(document=document)
    assert _client(client, story.outsider.user).get(reverse("documents:file", args=[document.pk])).status_code == 404
    client.force_login(_staff("verifiers"))
    response = client.get(reverse("documents:file", args=[document.pk]))
    assert response.status_code == 302
    _assert_protected(response)
    assert int(parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"][0]) <= 300
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        assert fetched.read() == data
    preview = client.get(reverse("documents:page", args=[document.pk, 0]))
    assert preview.status_code == 302
    with urllib.request.urlopen(preview["Location"], timeout=10) as fetched:
        assert fetched.headers["Content-Type"] == "image/png"
        assert fetched.headers["Content-Disposition"].startswith("inline")


def test_object_missing_from_storage_is_404_not_500(world, client, documents_root):
    (documents_root / world["pdf"].file.name).unlink()
    assert (
        _client(client, world["users"]["verifier"]).get(reverse("documents:file", args=[world["pdf"].pk])).status_code
        == 404
    )
