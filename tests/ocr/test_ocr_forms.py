"""Signature tables, ruled forms, identity papers without expiry and identifiers read twice.

The word-level tests build pages as an OCR engine gives them (no Tesseract); the tests marked as
rendering draw a page with Pillow and read it with real Tesseract."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import Claim, assess
from ocr.results import PageText, Word
from tests.ocr.ocr_testutil import page_from_lines

UPLOAD = dt.date(2026, 11, 20)
HOLDER, HOLDER_NIF = "LUIS ÁLVAREZ DÍAZ", "37382144Z"
AGENT, AGENT_NIF = "GONZALO HERNÁNDEZ IGLESIAS", "61557046F"
CIF, COMPANY = "B87291613", "ACEITES DEL JILOCA SA"


def _cell_row(page: PageText, y: int, line: int, left: str, right: str) -> None:
    """One row of a two-column signature table read by OCR as one line (the cells far apart)."""
    for text, x in ((left, 100), (right, 1300)):
        for tok in text.split():
            page.words.append(Word(tok, x, y, x + 22 * len(tok), y + 40, 95.0, line))
            x += 22 * len(tok) + 20


def _mandate(heading_left: str, heading_right: str) -> PageText:
    page = page_from_lines(
        [
            "MANDATO DE REPRESENTACIÓN — GESTIÓN DE SUMINISTROS",
            f"EL TITULAR: {COMPANY}, C.I.F. {CIF}, representado por don {HOLDER}, en calidad de gerente.",
            "LA GESTORA: EFICIENCIA DEL SUR SL, C.I.F. B91828525, que actuará a través de la persona que firma.",
            "El titular apodera a la gestora y a su representante para contratar el suministro, hasta el 30/09/2029.",
        ],
        source="text_layer",
    )
    rows = [
        (heading_left, heading_right),
        (f"Nombre: {HOLDER}", f"Nombre: {AGENT}"),
        (f"N.I.F.: {HOLDER_NIF}", f"N.I.F./N.I.E.: {AGENT_NIF}"),
        ("Fecha: 01-10-2026", "Lugar: Girona"),
    ]
    for k, (left, right) in enumerate(rows):
        _cell_row(page, 400 + 60 * k, 20 + k, left, right)
    return page


def _claim(name: str, nif: str, request_type: str = "external_manager") -> Claim:
    return Claim(request_type=request_type, company_cif=CIF, company_name=COMPANY, person_nif=nif, person_name=name)


def _representative(lines: list[str], name: str = AGENT, nif: str = AGENT_NIF):
    """The text-layer page of ``lines`` assessed for a change of representative claiming ``name``."""
    return assess(
        [page_from_lines(lines, source="text_layer")], _claim(name, nif, "representative_change"), today=UPLOAD
    )


@pytest.mark.parametrize(
    "left,right", [("POR EL TITULAR", "REPRESENTANTE DE LA GESTORA"), ("PER LA PROPIETAT", "PER LA GESTORA")]
)
def test_a_signature_table_column_heading_gives_the_labelled_name_under_it_its_role(left, right):
    page = _mandate(left, right)
    agent = assess([page], _claim(AGENT, AGENT_NIF), today=UPLOAD)
    assert agent.check("person_role").outcome == "pass", agent.check("person_role").detail
    assert agent.fields["date"].value == "2026-10-01"  # the signature date, not the mandate's end ("hasta el")
    holder = assess([page], _claim(HOLDER, HOLDER_NIF), today=UPLOAD)
    assert holder.check("person_role").outcome == "fail"  # the holder signs for the company: grantor


def test_a_notary_label_before_the_notarys_name_does_not_make_the_signer_beside_it_a_notary():
    lines = [
        "RENÚNCIA I NOMENAMENT D'ADMINISTRADOR ÚNIC",
        "Lleida, 11 d'abril de 2026.",
        "Davant meu, LAIA LÓPEZ BOSCH, notària de Lleida,",
        "COMPAREIX",
        f"El senyor {AGENT}, amb DNI {AGENT_NIF}, que intervé en representació de la societat {COMPANY}, amb NIF {CIF},",
        "com a administrador únic nomenat en l'acte que s'eleva a públic.",
        f"{AGENT} Notària Laia López Bosch",
    ]
    r = _representative(lines)
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail


def test_a_substitution_of_power_is_dated_by_the_notarys_closing_not_by_the_earlier_deed():
    lines = [
        "PROTOCOLO 856",
        "SUSTITUCIÓN DE PODER",
        f"COMPARECE DON {HOLDER}, con D.N.I. {HOLDER_NIF}, quien interviene en nombre de {COMPANY}, con N.I.F. {CIF},",
        "en su condición de apoderado, en virtud de escritura autorizada por el Notario de Sevilla Concepción Díaz",
        "Delgado, el 29 de julio de 2018, con el número 1004 de su protocolo.",
        f"Y SUSTITUYE, a favor de don {AGENT}, con D.N.I. {AGENT_NIF}, para que pueda contratar suministros.",
        "Así lo otorga ante mí, Fernando Lozano Ruiz, Notario del Ilustre Colegio de Andalucía, en Sevilla, el día",
        "veintiuno de junio de dos mil veinticuatro; leída, la firma. Doy fe.",
    ]
    r = _representative(lines)
    assert r.fields["date"].value == "2024-06-21"


def test_a_document_after_a_page_of_general_conditions_is_classified_by_its_own_title():
    conditions = page_from_lines(
        ["CONDICIONES GENERALES"]
        + [
            "Tiene, a mi juicio, la capacidad legal necesaria para formalizar la presente escritura, advirtiéndole yo,",
            "el Notario, de la necesidad de su inscripción en el Registro Mercantil correspondiente.",
        ]
        * 3,
        source="text_layer",
    )
    mandate = _mandate("POR EL TITULAR", "REPRESENTANTE DE LA GESTORA")
    mandate.index = 1
    r = assess([conditions, mandate], _claim(AGENT, AGENT_NIF), today=UPLOAD)
    assert r.doc_type == "manager_mandate", r.check("doc_type").detail


EU_CERT = [
    "MINISTERIO DEL INTERIOR - DIRECCIÓN GENERAL DE LA POLICÍA",
    "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN",
    "Datos del titular",
    "Apellidos LEFEVRE",
    "Nombre CAMILLE",
    "Nacionalidad FRANCESA",
    "Fecha de nacimiento 06/12/1980",
    "N.I.E. Y9943622T",
    "Fecha de registro",
    "27/04/2023",
]


def test_an_eu_registration_certificate_has_its_names_beside_the_labels_and_no_expiry():
    r = assess(
        [page_from_lines(EU_CERT, source="text_layer")],
        Claim(request_type="representative_change", person_nif="Y9943622T", person_name="Camille Lefèvre"),
        today=UPLOAD,
    )
    assert r.fields["surnames"].value == "LEFEVRE" and r.fields["given_names"].value == "CAMILLE"
    assert r.fields["issue_date"].value == "2023-04-27" and r.fields["expiry"] is None
    assert r.check("date").outcome == "pass" and r.check("date").code == "id_no_expiry"


def test_an_id_card_with_no_expiry_printed_is_not_judged_by_its_issue_date():
    # a card that is not a no-expiry kind and prints no expiry: its issue date is never taken as its expiry
    card = [
        "DOCUMENTO NACIONAL DE IDENTIDAD",
        "APELLIDOS DE LA TORRE MÁRQUEZ",
        "NOMBRE GONZALO",
        "EXPEDIDO EL",
        "11-01-2003",
        "DNI 86337127A",
    ]
    r = assess(
        [page_from_lines(card, source="text_layer")],
        Claim(request_type="representative_change", person_nif="86337127A", person_name="Gonzalo de la Torre Márquez"),
        today=UPLOAD,
    )
    assert r.fields["issue_date"].value == "2003-01-11"
    assert r.fields["expiry"] is None and r.check("date").outcome == "not_found"


def test_an_old_dni_issued_and_valid_side_by_side():
    card = [
        "DOCUMENTO NACIONAL DE IDENTIDAD",
        "PRIMER APELLIDO",
        "FERNANDEZ",
        "SEGUNDO APELLIDO",
        "DEL PINO",
        "NOMBRE",
        "BEATRIZ",
        "NACIDO/A EL",
        "03-10-1951",
    ]
    page = page_from_lines(card, source="text_layer")
    for text, x in (("EXPEDIDO EL", 100), ("VALIDO HASTA", 900)):
        for tok in text.split():
            page.words.append(Word(tok, x, 700, x + 22 * len(tok), 740, 95.0, 30))
            x += 22 * len(tok) + 20
    for text, x in (("06-01-2003", 100), ("PERMANENTE", 900)):
        page.words.append(Word(text, x, 760, x + 22 * len(text), 800, 95.0, 31))
    page.words.append(Word("36601686-S", 100, 860, 400, 900, 95.0, 32))
    r = assess(
        [page],
        Claim(request_type="representative_change", person_nif="36601686S", person_name="Beatriz Fernández del Pino"),
        today=UPLOAD,
    )
    assert r.fields["issue_date"].value == "2003-01-06" and r.fields["expiry"] is None
    assert r.check("date").outcome == "pass" and r.check("date").code == "id_permanent"


# --------------------------------------------------------------------------- rendered pages, real Tesseract

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"


def _font(size: int):
    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        pytest.skip("DejaVu fonts are not installed (make install installs fonts-dejavu-core)")


def _signature_table_page() -> np.ndarray:
    im = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi (a page the size of a card is read as a card)
    d = ImageDraw.Draw(im)
    f, fb = _font(34), _font(36)
    d.text((200, 100), "MANDATO DE REPRESENTACIÓN — GESTIÓN DE SUMINISTROS", font=fb, fill=0)
    d.text((200, 180), f"EL TITULAR: Aceites del Jiloca S.A., C.I.F. {CIF}, representado por don", font=f, fill=0)
    d.text((200, 230), "Luis Álvarez Díaz, en calidad de gerente. El titular apodera a la gestora.", font=f, fill=0)
    rows = [
        ("POR EL TITULAR", "REPRESENTANTE DE LA GESTORA"),
        ("Nombre: Luis Álvarez Díaz", "Nombre: Gonzalo Hernández"),
        (f"N.I.F.: {HOLDER_NIF}", f"N.I.F./N.I.E.: {AGENT_NIF}"),
        ("Fecha: 01-10-2026", "Lugar: Girona"),
    ]
    top, h, x0, xm, x1 = 400, 90, 200, 1250, 2300
    for k, (left, right) in enumerate(rows):
        y = top + k * h
        d.rectangle((x0, y, x1, y + h), outline=0, width=4)
        d.line((xm, y, xm, y + h), fill=0, width=4)
        d.text((x0 + 20, y + 25), left, font=f, fill=0)
        d.text((xm + 20, y + 25), right, font=f, fill=0)
    return np.array(im)


def test_the_cells_of_a_ruled_table_are_read():
    from ocr import imaging
    from ocr.document import OcrOptions, ocr_gray

    gray = _signature_table_page()
    erased = imaging.erase_rules(gray)
    assert erased is not gray and (erased < 128).sum() < (gray < 128).sum()  # the rules went, the text stayed
    text = " ".join(w.text for w in ocr_gray(0, gray, 300, OcrOptions()).words)
    assert AGENT_NIF in text.replace("-", "") and "Hernández" in text


def test_a_page_without_rules_is_handed_on_as_it_is():
    from ocr import imaging

    im = Image.new("L", (2480, 800), 255)
    ImageDraw.Draw(im).text((200, 200), "En Madrid, a tres de noviembre de dos mil veintiséis.", font=_font(34), fill=0)
    gray = np.array(im)
    assert imaging.erase_rules(gray) is gray


def _word_page(printed: str) -> tuple[np.ndarray, Word]:
    im = Image.new("L", (1600, 300), 255)
    d = ImageDraw.Draw(im)
    f = _font(40)
    d.text((100, 120), "con N.I.F.", font=f, fill=0)
    x = 100 + int(d.textlength("con N.I.F. ", font=f))
    box = d.textbbox((x, 120), printed + ",", font=f)
    d.text((x, 120), printed + ",", font=f, fill=0)
    return np.array(im), Word("?", box[0], box[1], box[2], box[3], 80.0, 1)


@pytest.mark.parametrize("printed,first_reading", [("36601686S", "360016865,"), ("B87291613", "B81291613,")])
def test_an_identifier_read_wrong_is_read_again_alone_and_takes_what_the_pixels_say(printed, first_reading):
    import time

    from ocr.document import OcrOptions, _second_look
    from ocr.identifiers import find_identifiers

    assert printed not in {c.value for c in find_identifiers(first_reading)}  # no look-alike repair gives it back
    gray, box = _word_page(printed)
    words = [
        Word("N.I.F.", 40, box.y0, 90, box.y1, 90.0, box.line),
        Word(first_reading, box.x0, box.y0, box.x1, box.y1, box.conf, box.line),
    ]
    out, runs = _second_look(gray, words, OcrOptions(), time.monotonic() + 60)
    assert runs == 1 and out[1].text == printed + ","


def test_an_identifier_read_again_keeps_a_valid_one_digit_off_value_the_pixels_print():
    import time

    from ocr.document import OcrOptions, _second_look

    # the pixels print a valid NIF one digit away from a claim; the second look reads the pixels, not the claim
    gray, box = _word_page("36601687Q")
    words = [
        Word("N.I.F.", 40, box.y0, 90, box.y1, 90.0, box.line),
        Word("360016875,", box.x0, box.y0, box.x1, box.y1, box.conf, box.line),
    ]
    out, _ = _second_look(gray, words, OcrOptions(), time.monotonic() + 60)
    assert out[1].text in ("36601687Q,", "360016875,")
    assert "36601686S" not in out[1].text


def test_dates_phone_numbers_and_bare_digits_are_not_read_again():
    import time

    from ocr.document import OcrOptions, _second_look

    words = [
        Word("el", 0, 0, 10, 10, 90.0, 1),
        Word("03/11/2026", 20, 0, 60, 10, 90.0, 1),
        Word("tel.", 0, 20, 10, 30, 90.0, 2),
        Word("912100100", 20, 20, 60, 30, 90.0, 2),
        Word("20261103", 20, 40, 60, 50, 90.0, 3),
    ]
    assert _second_look(np.full((60, 80), 255, np.uint8), words, OcrOptions(), time.monotonic() + 60) == (words, 0)


def test_a_valid_identifier_is_never_read_again():
    import time

    from ocr.document import OcrOptions, _second_look

    words = [Word("36601686-S,", 0, 0, 10, 10, 90.0, 1), Word("B87291613", 0, 20, 10, 30, 90.0, 1)]
    assert _second_look(np.full((40, 40), 255, np.uint8), words, OcrOptions(), time.monotonic() + 60) == (words, 0)


def test_a_communitys_minutes_with_two_adjectives_to_its_meeting_are_a_mandate_not_a_deed():
    from ocr import extract

    minutes = page_from_lines(
        [
            "ACTA DE LA JUNTA GENERAL ORDINÀRIA DE PROPIETARIS",
            "Comunitat de Propietaris Carrer de Balmes 262",
            "Ordre del dia: 2. Cessament i nomenament d'administrador de finques.",
            "Segon. La Junta acorda cessar el senyor Josep Llobet, com a administrador de la comunitat, i nomenar la",
            "senyora Mireia Camps i Serra, administradora de finques col·legiada, a qui faculta per contractar.",
        ],
        source="text_layer",
    )
    from ocr.textindex import PageIndex

    assert extract.classify([PageIndex(minutes).folded])[0] == "manager_mandate"


def test_a_cue_for_the_name_right_after_it_does_not_reach_past_another_name():
    # a table row read as one line: "representada por" names María (the left cell), not the attorney beside her
    lines = [
        "PODER MERCANTIL",
        "En Alicante, a 28 de julio de 2024.",
        f"{COMPANY}, N.I.F. {CIF}, representada por María Concepción Méndez Medina",
        f"D.N.I. 82.776.851-N D.N.I./N.I.E. {AGENT_NIF}",
    ]
    r = _representative(lines, "Concepción Méndez Medina")
    assert r.check("person_role").params.get("role") != "grantor"
    titled = [line.replace("por María Concepción", "por Dña. Concepción") for line in lines]
    r = _representative(titled, "Concepción Méndez Medina")
    assert r.check("person_role").params.get("role") == "grantor"  # a title between the cue and the name is fine


def test_registry_sheet_numbers_and_a_control_letter_printed_apart_are_not_read_again():
    import time

    from ocr.document import OcrOptions, _second_look

    words = [
        Word("Hoja", 0, 0, 10, 10, 90.0, 1),
        Word("SE-132638,", 20, 0, 60, 10, 90.0, 1),
        Word("H", 0, 20, 10, 30, 90.0, 2),
        Word("B-1082740,", 20, 20, 60, 30, 90.0, 2),
        Word("A", 70, 20, 80, 30, 90.0, 2),
        Word("NIF", 0, 40, 10, 50, 90.0, 3),
        Word("Z8822070", 20, 40, 60, 50, 90.0, 3),  # Z8822070 B: read right, its letter apart
        Word("B,", 70, 40, 80, 50, 90.0, 3),
        Word("IDESP", 0, 60, 10, 70, 90.0, 4),
        Word("TXZ367740", 20, 60, 60, 70, 90.0, 4),  # a DNI's support number
        Word("Ref.:", 0, 80, 10, 90, 90.0, 5),
        Word("AUT-422/2026", 20, 80, 60, 90, 90.0, 5),
        Word("pasaporte", 0, 100, 10, 110, 90.0, 6),
        Word("M54126435,", 20, 100, 60, 110, 90.0, 6),
        Word("Y", 0, 120, 5, 130, 90.0, 7),  # an NIE printed in three pieces, read right
        Word("7786006", 10, 120, 50, 130, 90.0, 7),
        Word("Z,", 55, 120, 60, 130, 90.0, 7),
    ]
    assert _second_look(np.full((140, 90), 255, np.uint8), words, OcrOptions(), time.monotonic() + 60) == (words, 0)


def test_a_number_and_its_letter_apart_that_make_no_identifier_are_read_again_together():
    import time

    from ocr.document import OcrOptions, _second_look

    gray, box = _word_page("36601686 S")
    w = box.x1 - box.x0
    # the page's read split the two and took an 8 for a 3: "36601636 S" is no identifier
    words = [
        Word("N.I.F.:", 10, box.y0, 35, box.y1, 90.0, box.line),
        Word("36601636", box.x0, box.y0, box.x0 + int(0.8 * w), box.y1, 90.0, box.line),
        Word("S,", box.x0 + int(0.87 * w), box.y0, box.x1, box.y1, 90.0, box.line),
    ]
    out, runs = _second_look(gray, words, OcrOptions(), time.monotonic() + 60)
    assert runs == 1
    assert [x.text for x in out] == ["N.I.F.:", "36601686S,"]
    assert (out[1].x0, out[1].x1) == (box.x0, box.x1)  # one word now, over both boxes


def test_light_text_on_a_dark_bar_is_made_dark_on_light_and_rules_are_left_alone():
    from ocr import engine, imaging

    im = Image.new("L", (2480, 700), 255)
    d = ImageDraw.Draw(im)
    d.rectangle((280, 100, 2290, 180), fill=50)  # the web printout's header bar
    d.text((320, 118), "Fecha de emisión: 26/09/2026", font=_font(40), fill=235)
    d.rectangle((280, 400, 2290, 406), fill=0)  # a table's rule
    d.rectangle((300, 450, 600, 650), fill=30)  # a dark photo, narrow
    gray = np.array(im)
    out = imaging.invert_dark_bands(gray)
    assert out[140, 1500] > 200  # the bar is light now
    assert out[403, 1000] < 50 and out[500, 400] < 60  # the rule and the photo are as they were
    words, _ = engine.ocr_words(out[80:200], langs="spa", psm=6, timeout=20)
    assert "26/09/2026" in " ".join(w.text for w in words)
    plain = np.full((400, 800), 255, np.uint8)
    assert imaging.invert_dark_bands(plain) is plain


def test_a_dni_whose_check_letter_reads_as_its_look_alike_digit_is_not_read_again():
    import time

    from ocr.document import OcrOptions, _second_look

    # "31340896S" read "313408965": S is the letter 31340896 demands, so only the glyph was misread
    words = [Word("DNI", 0, 0, 10, 10, 90.0, 1), Word("313408965,", 20, 0, 60, 10, 90.0, 1)]
    assert _second_look(np.full((40, 80), 255, np.uint8), words, OcrOptions(), time.monotonic() + 60) == (words, 0)
