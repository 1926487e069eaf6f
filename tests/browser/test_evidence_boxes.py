"""The pre-check's evidence boxes land on the words they name, on the page preview staff read.

A phone photo of a power of attorney (perspective, uneven light, a grey background) and a scan turned on its side
are uploaded to a change of representative; the real pre-check reads them (tesseract). On the verification page each
evidence box that names words (NIF, CIF, names, date) is measured where the browser draws it: its centre, in pixels
of the preview image. The preview image itself, fetched through the page's session, is read again with tesseract,
and the centre must lie inside the words the box's text names.
"""

from __future__ import annotations

import io
import random
import re
import unicodedata

import pytest
from PIL import Image

from tests.browser.test_request_journeys import open_task_from_queue, wait_for_page_images
from tests.ocr import corpus
from tests.ocr.test_ocr_geometry import photo_variant
from tests.workflows.paperwork import NEW_NAME, NEW_NIF, customer_actor, staff, start_change, upload
from workflows import services
from workflows.models import RepresentativeChangeProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORD_CHECKS = ("person_nif", "company_cif", "person_name", "company_name", "date")


def _page_of_facts(customer) -> Image.Image:
    facts = corpus.make_facts(random.Random(7), "power_of_attorney", "es")
    facts.company_name, facts.company_cif, facts.person_nif, facts.person_name = (
        customer.name,
        customer.tax_id,
        NEW_NIF,
        NEW_NAME,
    )
    return corpus.render_document(facts)[0].convert("L")


def phone_photo(customer) -> bytes:
    photo, _ = photo_variant(_page_of_facts(customer), 41, bg=95, angle=-4, jitter=0.04)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    return out.getvalue()


def turned_scan(customer) -> bytes:
    out = io.BytesIO()
    _page_of_facts(customer).rotate(90, expand=True).save(out, "PNG", dpi=(300, 300))  # on its side, anticlockwise
    return out.getvalue()


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isalnum()).casefold()


def _close(a: str, b: str) -> bool:
    """Equal, or one character apart for longer words (tesseract on a small preview)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 1


def read_preview(png: bytes, rotation: int) -> list[tuple[str, tuple[float, float, float, float], int]]:
    """Words of the preview (text, box in the preview's pixels, line), read upright: the preview is turned
    clockwise by ``rotation`` for tesseract and the boxes are turned back."""
    import pytesseract

    image = Image.open(io.BytesIO(png)).convert("L")
    w, h = image.size
    upright = image.rotate(-rotation, expand=True) if rotation else image  # PIL turns anticlockwise
    upright = upright.resize((upright.width * 2, upright.height * 2), Image.LANCZOS)  # small previews: help tesseract
    data = pytesseract.image_to_data(upright, lang="spa+cat", config="--psm 3", output_type=pytesseract.Output.DICT)
    words = []
    for i, text in enumerate(data["text"]):
        if not (text or "").strip() or float(data["conf"][i]) < 0:
            continue
        x0, y0 = data["left"][i] / 2, data["top"][i] / 2
        x1, y1 = x0 + data["width"][i] / 2, y0 + data["height"][i] / 2
        corners = [(x0, y0), (x1, y1)]
        if rotation == 90:  # upright (x, y) -> preview (y, h - x)
            corners = [(y, h - x) for x, y in corners]
        elif rotation == 180:
            corners = [(w - x, h - y) for x, y in corners]
        elif rotation == 270:
            corners = [(w - y, x) for x, y in corners]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        line = data["block_num"][i] * 100000 + data["par_num"][i] * 1000 + data["line_num"][i]
        words.append((text, (min(xs), min(ys), max(xs), max(ys)), line))
    return words


def word_boxes(words, wanted: str) -> list[tuple[float, float, float, float]]:
    """Boxes (union of the words) of every run of consecutive words on a line that spells ``wanted``'s words
    (a word read one character off, or split in two by tesseract, still counts)."""
    tokens = [t for t in (_norm(part) for part in re.split(r"[\s,]+", wanted)) if t]
    found = []
    for start in range(len(words)):
        k, boxes, i, line = 0, [], start, words[start][2]
        while i < len(words) and k < len(tokens) and words[i][2] == line:
            got = _norm(words[i][0])
            if not got:
                i += 1
                continue
            if not _close(got, tokens[k]) and not (tokens[k].startswith(got) and len(got) >= 3):
                break
            if tokens[k] == got or _close(got, tokens[k]):
                k += 1
            else:  # tesseract split one word: "12.345" "678-Z"
                tokens = tokens[:k] + [tokens[k][len(got) :]] + tokens[k + 1 :]
            boxes.append(words[i][1])
            i += 1
        if boxes and k == len(tokens):
            found.append(
                (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
            )
        tokens = [t for t in (_norm(part) for part in re.split(r"[\s,]+", wanted)) if t]
    return found


def evidence_texts(process) -> dict[str, str]:
    result = process.precheck.result
    texts = {}
    for file_result in result.get("files") or []:
        for check in file_result.get("checks") or []:
            evidence = check.get("evidence") or {}
            if check.get("name") in WORD_CHECKS and evidence.get("bbox") and evidence.get("text"):
                texts[check["name"]] = evidence["text"]
    return texts


def submitted_request(story, name: str, content: bytes):
    process = start_change(story)
    upload(process, content, name=name)
    services.submit_documents(process=process, actor=customer_actor(story.representative))
    process = RepresentativeChangeProcess.objects.get(pk=process.pk)
    assert process.precheck is not None and process.precheck.status == "done", (
        process.precheck and process.precheck.status
    )
    return process


def box_centres(page) -> dict[str, tuple[float, float]]:
    """Centre of each drawn evidence box, in pixels of the preview image (its natural size), the page shown
    unturned (the viewer's rotation set back to 0)."""
    return page.evaluate(
        """() => {
            const figure = document.querySelector('[data-vw-page]:not([hidden])');
            const img = figure.querySelector('img');
            const r = img.getBoundingClientRect();
            const out = {};
            figure.querySelectorAll('.vw-box').forEach(box => {
                if (box.hidden) return;
                const b = box.getBoundingClientRect();
                out[box.dataset.check] = [((b.left + b.width / 2) - r.left) * img.naturalWidth / r.width,
                                          ((b.top + b.height / 2) - r.top) * img.naturalHeight / r.height];
            });
            return out;
        }"""
    )


def unturn(page) -> None:
    for _ in range(4):
        if page.locator("[data-vw-page]:not([hidden]) .vw-sheet").get_attribute("data-rotation") == "0":
            return
        page.locator("[data-vw-toolbar] [data-vw-action=rotate]").click()
    raise AssertionError("the viewer does not turn back to 0")


@pytest.mark.parametrize("kind", ["photo", "rot90"])
def test_evidence_boxes_sit_on_the_words_they_name(kind, story, new_page, log_in_staff, screenshot):
    content, name = (
        (phone_photo(story.customer), "foto-poder.jpg")
        if kind == "photo"
        else (turned_scan(story.customer), "poder-girat.png")
    )
    process = submitted_request(story, name, content)
    texts = evidence_texts(process)
    assert {"person_nif", "company_cif", "person_name"} <= set(texts), process.precheck.result

    page = new_page(locale="en-GB", viewport={"width": 1400, "height": 1000})
    log_in_staff(page, staff("verifiers", "vera"))
    open_task_from_queue(page, process, "verify")
    wait_for_page_images(page)
    figure = page.locator("[data-vw-page]:not([hidden])")
    rotation = int(figure.get_attribute("data-ocr-rotation") or 0)
    assert rotation == (90 if kind == "rot90" else 0)
    if kind == "photo":
        page.locator("vf-snackbar").evaluate_all("nodes => nodes.forEach(node => { node.style.display = 'none'; })")
        page.locator("[data-vw-viewer]").scroll_into_view_if_needed()
        screenshot(page, "evidence-photo")
    unturn(page)
    centres = box_centres(page)
    src = figure.locator("img").get_attribute("src")
    response = page.request.get(src)
    assert response.ok, response.status
    words = read_preview(response.body(), rotation)

    checked = []
    for check, text in texts.items():
        assert check in centres, f"no box drawn for {check}"
        x, y = centres[check]
        targets = word_boxes(words, text)
        assert targets, f"{check}: {text!r} not read on the preview ({[w[0] for w in words][:80]})"
        inside = [t for t in targets if t[0] <= x <= t[2] and t[1] <= y <= t[3]]
        assert inside, f"{check} ({text!r}): the box's centre {(round(x), round(y))} is not on the words {targets}"
        checked.append(check)
    assert {"person_nif", "company_cif", "person_name"} <= set(checked)
