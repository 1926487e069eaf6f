"""The verifier's zoom: a page rendered at 200 or 300 dpi on demand, and the crop of an evidence box -- behind the
same permission as the page itself, cached, and refused (404) to everyone who may not read the documents."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from documents import previews, views
from documents.models import Document
from tests import factories
from tests.workflows.paperwork import staff
from tests.workflows.test_verification_page import submitted, verifier  # noqa: F401 -- fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    views.ZOOM_CACHE.items.clear()
    views.ZOOM_CACHE.size = 0


@pytest.fixture
def document(submitted):  # noqa: F811
    return Document.objects.get(document_set=submitted.document_set)


def _png(response) -> Image.Image:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "image/png" and response["Cache-Control"] == "private, no-store"
    return Image.open(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def _as(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def zoom_url(document, dpi, index=0):
    return f"{reverse('documents:page', args=[document.pk, index])}?dpi={dpi}"


def crop_url(document, box="0.1,0.1,0.3,0.05", index=0):
    return f"{reverse('documents:evidence_crop', args=[document.pk, index])}?box={box}"


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_verifier_gets_the_page_at_the_resolution_asked(document, verifier, dpi):  # noqa: F811
    page = document.pages.get(index=0)
    image = _png(_as(verifier).get(zoom_url(document, dpi)))
    scale = dpi / previews.PDF_PREVIEW_DPI
    assert abs(image.width - page.width * scale) <= 3 and abs(image.height - page.height * scale) <= 3
    assert image.width > 2 * page.width or dpi == 200


def test_a_resolution_outside_the_list_is_a_400_and_a_page_outside_the_document_a_404(document, verifier):  # noqa: F811
    client = _as(verifier)
    for dpi in ("150", "600", "abc", ""):
        assert client.get(zoom_url(document, dpi)).status_code == 400
    assert client.get(zoom_url(document, 300, index=document.page_count)).status_code == 404


def test_the_zoomed_page_is_rendered_once_then_cached(document, verifier, monkeypatch):  # noqa: F811
    client = _as(verifier)
    first = _png(client.get(zoom_url(document, 300)))

    def no_second_render(*args, **kwargs):
        raise AssertionError("rendered twice")

    monkeypatch.setattr(previews, "render_zoomed_page", no_second_render)
    assert _png(client.get(zoom_url(document, 300))).size == first.size


def test_a_page_whose_file_retention_deleted_is_gone_even_when_cached(document, verifier):  # noqa: F811
    client = _as(verifier)
    _png(client.get(zoom_url(document, 200)))
    Document.objects.filter(pk=document.pk).update(file="")
    assert client.get(zoom_url(document, 200)).status_code == 410
    assert client.get(crop_url(document)).status_code == 410


def test_the_crop_of_an_evidence_box_is_that_part_of_the_page_zoomed(document, verifier):  # noqa: F811
    client = _as(verifier)
    page = _png(client.get(zoom_url(document, previews.ZOOM_DPIS[0])))
    crop = _png(client.get(crop_url(document, "0.25,0.5,0.5,0.1")))
    # the box (half the width, a tenth of the height) plus a margin of half a percent of the page on each side
    assert abs(crop.width - page.width * 0.51) <= 3 and abs(crop.height - page.height * 0.11) <= 3
    assert crop.width > document.pages.get(index=0).width * 0.5  # sharper than the preview's pixels
    assert _png(client.get(crop_url(document, "0.25,0.5,0.5,0.1,0.000000"))).size == crop.size  # with its angle


@pytest.mark.parametrize(
    ("turn", "transpose"),
    [(90, Image.Transpose.ROTATE_270), (180, Image.Transpose.ROTATE_180), (270, Image.Transpose.ROTATE_90)],
)
def test_the_crop_of_a_turned_page_is_turned_upright_as_the_viewer_shows_it(document, verifier, turn, transpose):  # noqa: F811
    client = _as(verifier)
    flat = _png(client.get(crop_url(document, "0.1,0.2,0.6,0.1")))
    turned = _png(client.get(crop_url(document, "0.1,0.2,0.6,0.1") + f"&turn={turn}"))
    assert turned.size == (flat.size if turn == 180 else flat.size[::-1])
    assert turned.convert("RGB").tobytes() == flat.transpose(transpose).convert("RGB").tobytes()


@pytest.mark.parametrize("turn", ["45", "-90", "360", "x"])
def test_a_turn_that_is_not_a_quarter_turn_is_a_400(document, verifier, turn):  # noqa: F811
    assert _as(verifier).get(crop_url(document) + f"&turn={turn}").status_code == 400


@pytest.mark.parametrize(
    "box", ["", "1,2,3", "0.1,0.1,0,0.1", "-0.1,0,0.5,0.5", "0.1,0.1,2,0.5", "a,b,c,d", "nan,0,1,1"]
)
def test_a_crop_box_that_is_not_a_share_of_the_page_is_a_400(document, verifier, box):  # noqa: F811
    assert _as(verifier).get(crop_url(document, box)).status_code == 400


def _refused(story):
    scoped = factories.grant(
        customer=story.customer,
        person=factories.person(login=True),
        role="external_manager",
        firm=story.firm,
        supply_points=[],
    )
    no_permission = factories.staff_user("plain_staff")
    return {
        "anonymous": None,
        "call-center agent": staff("callcenter_agents", "zoom_agent"),
        "staff without the permission": no_permission,
        "another customer's representative": story.outsider.user,
        "read-only contact": story.readonly.user,
        "scoped manager": scoped.person.user,
    }


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "call-center agent",
        "staff without the permission",
        "another customer's representative",
        "read-only contact",
        "scoped manager",
    ],
)
def test_who_may_not_read_the_documents_gets_404_for_the_zoom_and_the_crop(story, document, who, monkeypatch):
    def no_render(*args, **kwargs):
        raise AssertionError("rendered for someone who may not read it")

    monkeypatch.setattr(previews, "render_zoomed_page", no_render)
    client = _as(_refused(story)[who])
    assert client.get(zoom_url(document, 300)).status_code == 404
    assert client.get(crop_url(document)).status_code == 404
    assert client.get(zoom_url(document, 999)).status_code == 404  # the same answer for a bad dpi or page
