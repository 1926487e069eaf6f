import io

import pytest
from PIL import Image

from documents import selectors, services, tasks
from documents.models import Document

from . import samples


def _pages(document):
    result = []
    for page in selectors.pages_of(document):
        with selectors.open_file(page.image.name) as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert image.format == "PNG"
            assert image.size == (page.width, page.height)
            result.append(image.size)
    return result


def _add(document_set, actor, data, name):
    return services.add_document(document_set=document_set, uploaded=data, original_name=name, actor=actor)


def test_pdf_previews_one_png_per_page_at_110_dpi(document_set, actor):
    document = _add(document_set, actor, samples.pdf(3), "poder.pdf")
    assert services.make_previews(document=document) == 3
    document.refresh_from_db()
    assert document.preview_status == Document.PreviewStatus.READY
    sizes = _pages(document)
    assert len(sizes) == 3
    assert all(abs(w - 595 * 110 / 72) <= 2 and abs(h - 842 * 110 / 72) <= 2 for w, h in sizes)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (lambda: samples.jpeg((3200, 1200)), [(1600, 600)]),
        (lambda: samples.png((300, 200)), [(300, 200)]),
        (lambda: samples.tiff(3, size=(1000, 2000)), [(800, 1600)] * 3),
        (lambda: samples.tiff_g4(2, size=(1700, 2200)), [(1236, 1600)] * 2),
        (samples.png_16bit, [(300, 200)]),
        (samples.jpeg_rotated, [(200, 400)]),
    ],
)
def test_image_previews_are_downscaled(document_set, actor, data, expected):
    document = _add(document_set, actor, data(), "scan")
    services.make_previews(document=document)
    assert _pages(document) == expected


def test_bilevel_preview_is_greyscale_not_black(document_set, actor):
    document = _add(document_set, actor, samples.tiff_g4(1), "fax.tif")
    services.make_previews(document=document)
    page = selectors.pages_of(document).get()
    with selectors.open_file(page.image.name) as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.mode == "L"
        assert image.getextrema() == (0, 255)


def test_previews_are_replaced_not_duplicated(document_set, actor, stored_local):
    document = _add(document_set, actor, samples.pdf(2), "poder.pdf")
    services.make_previews(document=document)
    services.make_previews(document=document)
    assert document.pages.count() == 2
    assert len(stored_local()) == 3  # the file and two previews


def test_task_marks_a_bad_file_failed_without_raising(document_set, actor, documents_root, stored_local):
    document = _add(document_set, actor, samples.pdf(1), "poder.pdf")
    (documents_root / document.file.name).write_bytes(b"%PDF-1.4 this is no longer a PDF")  # rotted on disk
    assert tasks.make_previews_task.delay(document.pk).get() == 0
    document.refresh_from_db()
    assert document.preview_status == Document.PreviewStatus.FAILED
    assert stored_local() == [document.file.name]


def test_a_storage_fault_is_left_to_the_retry_not_recorded(document_set, actor, monkeypatch):
    document = _add(document_set, actor, samples.png(), "x.png")

    def flaky(*, document):
        raise ConnectionResetError("storage hiccup")

    monkeypatch.setattr(services, "make_previews", flaky)
    # Eagerly the fault surfaces; in a worker the tasks' base class retries it with back-off.
    with pytest.raises(ConnectionResetError):
        tasks.make_previews_task.apply(args=[document.pk])
    document.refresh_from_db()
    assert document.preview_status == Document.PreviewStatus.PENDING


def test_task_survives_unexpected_errors(document_set, actor, monkeypatch):
    document = _add(document_set, actor, samples.png(), "x.png")
    monkeypatch.setattr(services, "make_previews", lambda *, document: 1 / 0)
    assert tasks.make_previews_task.delay(document.pk).get() == 0
    document.refresh_from_db()
    assert document.preview_status == Document.PreviewStatus.FAILED


def test_task_for_missing_document_is_a_no_op(db):
    assert tasks.make_previews_task.delay(123456).get() == 0


def test_grey_pages_are_encoded_losslessly_by_our_png_writer():
    """The fast greyscale PNG decodes to exactly the rendered pixels (Pillow reads it back)."""
    import numpy as np

    from documents import previews

    rng = np.random.default_rng(7)
    pixels = np.full((301, 217), 255, dtype=np.uint8)
    pixels[40:60, 10:200] = rng.integers(0, 256, size=(20, 190), dtype=np.uint8)  # text-like noise
    pixels[:, 0] = 0
    data = previews._png(Image.fromarray(np.stack([pixels] * 3, axis=-1), "RGB"))  # grey RGB -> L
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG" and image.mode == "L" and image.size == (217, 301)
    assert (np.asarray(image) == pixels).all()


def test_colour_pages_keep_their_colour():
    import numpy as np

    from documents import previews

    pixels = np.full((50, 40, 3), 255, dtype=np.uint8)
    pixels[10:20, 10:20] = (200, 30, 30)  # a red stamp
    image = Image.open(io.BytesIO(previews._png(Image.fromarray(pixels, "RGB"))))
    assert image.mode == "RGB" and (np.asarray(image) == pixels).all()


def _pdf_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=72)
    return buffer.getvalue()


@pytest.mark.parametrize("colour, mode", [((200, 30, 30), "RGB"), ((90, 90, 90), "L")])
def test_pdf_pages_are_previewed_in_colour_only_when_they_have_colour(colour, mode):
    """A PDF page is rendered once in RGB and read in place: grey pages become 8-bit grey PNGs
    with the rendered pixels, a page with any colour (a stamp) keeps it."""
    import numpy as np
    import pypdfium2 as pdfium

    from documents import previews

    page = Image.new("RGB", (300, 420), "white")
    page.paste(colour, (40, 60, 90, 80))  # a small stamp, grey or coloured
    data = _pdf_of(page)
    [rendered] = list(previews.render_pages(data, previews.PDF))
    image = Image.open(io.BytesIO(rendered.png))
    image.load()
    assert image.mode == mode and image.size == (rendered.width, rendered.height)

    pdf = pdfium.PdfDocument(data)
    expected = pdf[0].render(scale=previews.PDF_PREVIEW_DPI / 72, rev_byteorder=True).to_numpy()
    pixels = np.asarray(image)
    assert (pixels == (expected if mode == "RGB" else expected[..., 0])).all()
    if mode == "RGB":
        assert (pixels[..., 0] != pixels[..., 2]).any()


def test_a_document_removed_while_its_previews_render_gets_none(
    document_set, actor, stored_local, monkeypatch, django_capture_on_commit_callbacks
):
    """The removal wins: no page rows, the rendered files are deleted again, the status stays pending."""
    document = _add(document_set, actor, samples.pdf(2), "poder.pdf")
    render = services.render_pages

    def render_then_remove(data, content_type):
        for number, page in enumerate(render(data, content_type)):
            if number == 1:
                with django_capture_on_commit_callbacks(execute=True):
                    services.remove_document(document=document, actor=actor)
            yield page

    monkeypatch.setattr(services, "render_pages", render_then_remove)
    assert services.make_previews(document=document.pk) == 0
    document.refresh_from_db()
    assert document.pages.count() == 0 and document.preview_status == Document.PreviewStatus.PENDING
    assert stored_local() == []  # the upload's file (removed) and both previews are gone
