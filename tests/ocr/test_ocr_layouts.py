"""Layouts the pre-check once misread, each built word by word (no Tesseract): register rows with inverted names,
forms read column by column, signature labels side by side, plural acceptances, text layers that lost their
columns, identity papers that state their issue in running text, card values set larger than their labels."""

from __future__ import annotations

import datetime as dt

import pytest

from ocr import Claim, PageText, assess
from ocr.results import Word
from tests.ocr.ocr_testutil import page_from_lines

UPLOAD = dt.date(2026, 11, 20)
CIF, COMPANY = "B65214843", "TALLERS DEL SEGRE SL"
AN, ANIF = "RAMÓN PEÑA HERNÁNDEZ", "77448649J"  # appointed
ON, ONIF = "RAMÓN MÉNDEZ SERRANO", "42837728K"  # outgoing, same given name
GN, GNIF = "JAUME FERRER I PUIG", "47110823S"  # grantor


def claim(name=AN, nif=ANIF, request_type="representative_change", **kw) -> Claim:
    base = {"company_cif": CIF, "company_name": COMPANY}
    base.update(kw)
    return Claim(request_type=request_type, person_nif=nif, person_name=name, **base)


def words(cells: list[tuple[str, int, int, int]], height: int = 40) -> list[Word]:
    """Words at given places: (text, x, y, line id) per run, 22 px a letter (``height`` px high)."""
    out = []
    for text, x, y, line in cells:
        for tok in text.split():
            w = int(22 * len(tok) * height / 40)
            out.append(Word(tok, x, y, x + w, y + height, 95.0, line))
            x += w + 20
    return out


def sheet(ws: list[Word], source: str = "ocr") -> PageText:
    return PageText(0, width=2480, height=3508, source=source, words=ws, mean_conf=95.0)


def test_a_register_row_names_its_own_holder_not_the_given_name_left_on_the_row_above():
    lines = [
        "REGISTRO MERCANTIL CENTRAL",
        "CERTIFICACIÓN DE HISTORIAL DE CARGOS",
        f"Denominación social {COMPANY} N.I.F. {CIF}",
        "Fecha BORME Acto Cargo Nombre NIF",
        f"19/02/2020 Nombramiento Adm. Único MÉNDEZ SERRANO, RAMÓN {ONIF}",
        f"19/03/2025 Cese/Dimisión Adm. Único MÉNDEZ SERRANO, RAMÓN {ONIF}",
        f"19/03/2025 Nombramiento Adm. Único PEÑA HERNÁNDEZ, RAMÓN {ANIF}",
        f"Situación actual: Administrador Único, {AN.title()}.",
        "Expido la presente en Madrid, a 2 de noviembre de 2026.",
    ]
    r = assess([page_from_lines(lines, source="text_layer")], claim(), today=UPLOAD)
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    assert r.check("person_role").evidence.text.startswith("PEÑA HERNÁNDEZ, RAMÓN")
    gone = assess([page_from_lines(lines, source="text_layer")], claim(ON, ONIF), today=UPLOAD)
    assert gone.check("person_role").outcome == "fail" and gone.check("person_role").params["role"] == "outgoing"
    assert gone.verdict == "needs_attention"


@pytest.mark.parametrize(
    "verb, accept",
    [
        ("Nombrar administradores mancomunados, por plazo indefinido,", "quienes aceptan el cargo."),
        ("Nomenar administradors mancomunats, per termini indefinit,", "que accepten el càrrec."),
    ],
)
def test_two_appointed_named_in_a_row_both_hold_the_charge_their_plural_acceptance_gives(verb, accept):
    first, first_nif = "MARÍA DEL CARMEN IBÁÑEZ DE LA TORRE", "62286477Q"
    lines = [
        "ESCRITURA DE CAMBIO DE ÓRGANO DE ADMINISTRACIÓN",
        "En Zaragoza, a nueve de septiembre de dos mil veintiséis. Ante mí, LUIS PRADO GIL, Notario.",
        f"D. {GN}, con DNI {GNIF}, en nombre y representación de {COMPANY}, con CIF {CIF}, eleva a público:",
        f"{verb} a doña {first}, con DNI {first_nif}, y a doña",
        f"{AN}, con DNI {ANIF}, {accept}",
    ]
    p = page_from_lines(lines, source="text_layer")
    for who, nif in ((AN, ANIF), (first, first_nif)):
        role = assess([p], claim(who, nif), today=UPLOAD).check("person_role")
        assert role.outcome == "pass", (who, role.detail)
    assert assess([p], claim(GN, GNIF), today=UPLOAD).check("person_role").outcome != "pass"


def _form_read_column_by_column() -> PageText:
    """A mandate form whose labels OCR read first, down the left column, then the values down the right one (a
    page scanned upside down and turned back, or a wide form): each value sits on its label's row only."""
    labels = [
        ("AUTORIZACIÓN Y MANDATO DE REPRESENTACIÓN", 100, 100),
        ("1. CLIENTE (MANDANTE)", 100, 200),
        ("Razón social", 100, 280),
        ("CIF", 100, 360),
        ("Representante", 100, 440),
        ("DNI", 100, 520),
        ("2. MANDATARIO", 100, 640),
        ("Nombre y apellidos", 100, 720),
        ("DNI/NIE", 100, 800),
    ]
    values = [
        (COMPANY, 900, 280),
        (CIF, 900, 360),
        (GN, 900, 440),
        (GNIF, 900, 520),
        (AN, 900, 720),
        (ANIF, 900, 800),
        ("Lugar Lleida Fecha 13/10/2026", 100, 950),
    ]
    cells = [(t, x, y, k) for k, (t, x, y) in enumerate(labels + values)]
    return sheet(words(cells))


def test_a_value_read_apart_from_its_label_takes_the_role_of_the_labels_section():
    p = _form_read_column_by_column()
    c = claim(request_type="external_manager")
    role = assess([p], c, today=UPLOAD).check("person_role")
    assert role.outcome == "pass" and "MANDATARIO" in role.evidence.text, role.detail
    client = assess([p], claim(GN, GNIF, request_type="external_manager"), today=UPLOAD).check("person_role")
    assert client.outcome == "fail" and client.params["role"] == "grantor", client.detail


def test_a_signature_label_with_its_own_value_does_not_name_the_signature_beside_it():
    # a bilingual mandate: both columns end with a signature line, the grantor's on the left, the mandatary's on the
    # right, on the same printed row but read as two lines
    left = [
        ("MANDAT DE REPRESENTACIÓ", 100, 100),
        (f"El senyor {GN}, amb DNI {GNIF}, en nom de {COMPANY},", 100, 180),
        (f"amb NIF {CIF}, ATORGA MANDAT al senyor {AN}, amb DNI {ANIF}.", 100, 260),
        ("Reus, 17.11.2026", 100, 340),
        (f"El mandant / El mandante: {GN}", 100, 500),
    ]
    right = [(f"El mandatari / El mandatario: {AN}", 1500, 500)]
    p = sheet(words([(t, x, y, k) for k, (t, x, y) in enumerate(left + right)]))
    role = assess([p], claim(request_type="external_manager"), today=UPLOAD).check("person_role")
    assert role.outcome == "pass", role.detail
    grantor = assess([p], claim(GN, GNIF, request_type="external_manager"), today=UPLOAD).check("person_role")
    assert grantor.outcome == "fail" and grantor.params["role"] == "grantor"


def _header_in_flow(label_gap: int) -> PageText:
    """A certificate's header box as a text layer may give it: "Fecha de expedición" ends the first line, the date
    ends the second; ``label_gap`` px between "CENTRAL" and the label (a column gap when large)."""
    body = page_from_lines(
        [
            "",
            "",
            "CERTIFICACIÓN DE HISTORIAL DE CARGOS",
            f"Denominación social {COMPANY} N.I.F. {CIF}",
            f"12/05/2021 Nombramiento Adm. Único PEÑA HERNÁNDEZ, RAMÓN {ANIF}",
            f"Situación actual: Administrador Único, {AN.title()}.",
        ],
        source="text_layer",
    )
    head = words([("REGISTRO MERCANTIL CENTRAL", 100, 100, 0), ("Publicidad 20/11/2026", 100, 160, 1)])
    x = head[2].x1 + label_gap
    head += words([("Fecha de expedición", x, 100, 0)])
    return sheet(head + body.words, source="text_layer")


def test_an_issue_label_running_on_in_its_line_dates_the_certificate_when_the_text_layer_lost_its_columns():
    date = assess([_header_in_flow(18)], claim(), today=UPLOAD).check("date")
    assert date.outcome == "pass" and date.params["date"] == "2026-11-20", date.detail
    # set in a column of its own, the label owns only the date under it (here the date stands elsewhere)
    apart = assess([_header_in_flow(700)], claim(), today=UPLOAD).check("date")
    assert apart.code == "issue_date_not_stated"


def test_an_identity_certificate_issued_in_running_text_has_an_issue_date_and_no_expiry():
    lines = [
        "MINISTERIO DEL INTERIOR  DIRECCIÓN GENERAL DE LA POLICÍA",
        "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN",
        "NOMBRE ......... ÉLODIE",
        "APELLIDOS ......... MARTIN",
        "NACIONALIDAD ......... FRANCIA",
        "FECHA DE NACIMIENTO ......... 26-11-1956",
        "N.I.E. X1151204P",
        "Y para que conste, a petición del interesado, se expide el presente certificado en Valladolid, a 10 de marzo de",
        "2024.",
        "Fecha: 10/03/2024",
    ]
    c = Claim(request_type="representative_change", person_nif="X1151204P", person_name="Élodie Martin")
    r = assess([page_from_lines(lines)], c, today=UPLOAD)
    assert r.doc_type == "id_document"
    assert r.fields["issue_date"].value == "2024-03-10" and r.fields["expiry"] is None
    assert r.check("date").outcome == "pass" and r.check("date").code == "id_no_expiry"
    # a card whose only dates are a birth date and the issue stated in a closing has no expiry to pass on
    card = [ln.replace("CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", "TARJETA DE EXTRANJERO") for ln in lines]
    assert assess([page_from_lines(card)], c, today=UPLOAD).check("date").outcome != "pass"


def test_two_surname_lines_set_larger_than_their_label_are_both_the_surnames():
    # a DNI 3.0: small labels, values in a larger type, the two surnames on two lines under "APELLIDOS"
    cells = [("DOCUMENTO NACIONAL DE IDENTIDAD", 60, 110, 0), (f"DNI {ANIF}", 1400, 40, 1)]
    ws = words(cells, 25)
    ws += words([("APELLIDOS", 580, 197, 2)], 19)
    ws += words([("PEÑA", 583, 224, 3)], 45) + words([("HERNÁNDEZ", 583, 293, 4)], 36)
    ws += words([("NOMBRE", 582, 377, 5)], 19) + words([("RAMÓN", 583, 404, 6)], 44)
    ws += words([("VÁLIDO HASTA", 1161, 732, 7)], 24) + words([("06 10 2030", 1162, 774, 8)], 34)
    r = assess([sheet(ws)], Claim(request_type="representative_change", person_nif=ANIF, person_name=AN), today=UPLOAD)
    assert r.fields["surnames"].value == "PEÑA HERNÁNDEZ" and r.fields["given_names"].value == "RAMÓN"
    assert r.check("person_name").outcome == "pass" and r.verdict == "clear"
    other = Claim(request_type="representative_change", person_nif=ANIF, person_name="Ramón Peña Gil")
    assert assess([sheet(ws)], other, today=UPLOAD).check("person_name").outcome == "fail"


def test_a_name_printed_with_many_particles_is_found_across_its_line_break():
    name, nif = "Íñigo de la Fuente de las Heras", "20256225X"
    lines = [
        "PODER",
        "En Madrid, a cuatro de marzo de dos mil veinticinco. Ante mí, IGNACIO LÓPEZ GALLEGO, Notario.",
        f"Doña Ana Belén Muñoz del Pino, con DNI 16139413Z, en nombre y representación de {COMPANY}, CIF {CIF},",
        "OTORGA",
        "Que confiere poder, tan amplio y bastante como en Derecho se requiera, a favor de DON ÍÑIGO",
        f"DE LA FUENTE DE LAS HERAS, con D.N.I. {nif}, para que contrate suministros.",
    ]
    r = assess([page_from_lines(lines, source="text_layer")], claim(name, nif), today=UPLOAD)
    assert r.check("person_name").outcome == "pass"
    assert r.fields["person_name"].value == "ÍÑIGO DE LA FUENTE DE LAS HERAS"
    assert r.check("person_nif").outcome == "pass" and r.check("person_role").outcome == "pass"
    # the particles widen the window, not the match: another person's surnames still fail
    other = assess([page_from_lines(lines, source="text_layer")], claim("Íñigo de la Torre de las Heras", nif))
    assert other.check("person_name").outcome != "pass"


def test_card_name_fields_come_from_the_machine_readable_zone_when_their_labels_were_misread():
    lines = [
        "REINO DE ESPAÑA",
        "PASAPORTE / PASSPORT / PASSEPORT",
        "Apell1dos/Surnarne",  # glare: the labels misread, none the card reader knows
        "BENÍTEZ MOLINA",
        "Nornbre/Glven narnes",
        "JUAN CARLOS",
        "ESPAÑOLA 94129503W",
        "Fecha de expedición/Date of issue 01 JUL/JUL 2023",
        "Fecha de caducidad/Date of expiry 01 JUL/JUL 2033",
        "P<ESPBENITEZ<MOLINA<<JUAN<CARLOS<<<<<<<<<<<<",
        "PBD7843098ESP8806194M330701094129503W<<<<<30",
    ]
    c = Claim(request_type="representative_change", person_nif="94129503W", person_name="Juan Carlos Benítez Molina")
    r = assess([page_from_lines(lines)], c, today=UPLOAD)
    assert r.doc_type == "id_document"
    assert r.fields["surnames"].value == "BENITEZ MOLINA" and r.fields["given_names"].value == "JUAN CARLOS"
    assert r.fields["surnames"].bbox[1] == 100 + 60 * 9  # the evidence is the zone's line
    assert r.check("person_name").outcome == "pass"


@pytest.mark.parametrize("border", ["| ", "|| ", ""])
def test_a_header_date_label_behind_a_box_border_read_as_a_bar_dates_the_certificate(border):
    lines = [
        f"{border}REGISTRO MERCANTIL DE BILBAO | NOTA SIMPLE INFORMATIVA",
        f"{border}Fecha: 06/11/2026 | Hoja: B-656679",
        f"Denominación: {COMPANY}",
        f"N.I.F.: {CIF}",
        "Fecha de constitución: 01/03/2013",
        f"ADMINISTRADOR ÚNICO: PEÑA HERNÁNDEZ, RAMÓN NIF {ANIF}",
        "Nombramiento: 18/01/2023. Vigente.",
    ]
    date = assess([page_from_lines(lines)], claim(), today=UPLOAD).check("date")
    assert date.outcome == "pass" and date.params["date"] == "2026-11-06", date.detail


def test_a_value_line_after_a_labels_room_is_not_taken_for_a_second_surname_line():
    # a passport photo: "2. Given names" was not read; the given name sits a label's height under the surname
    ws = words([("PASAPORT / PASSPORT", 430, 98, 0)], 20)
    ws += words([("1. Sumame", 430, 204, 1)], 12) + words([("POPESCU", 429, 223, 2)], 21)
    ws += words([("MIHAELA", 429, 269, 3)], 37)
    ws += words([("7. Date of expiry", 430, 571, 4)], 16) + words([("29 FEB 2028", 428, 591, 5)], 20)
    ws += words([("P<ROUPOPESCU<<MIHAELA<<<<<<<<<<<<<<<<<<<<<<<", 115, 784, 6)], 20)
    c = Claim(request_type="representative_change", person_nif=None, person_name="Mihaela Popescu")
    r = assess([sheet(ws)], c, today=UPLOAD)
    assert r.fields["surnames"].value == "POPESCU"
    assert r.check("person_name").outcome == "pass"


def test_a_given_name_wrapped_under_a_register_row_stays_with_its_row():
    # a "nota simple": the same person on two rows (a plain member, then the managing director), each given name
    # wrapped under its row; the first row's wrapped JAVIER next to the second row's surnames is no occurrence
    name, nif = "Francisco Javier Lozano Cortés", "57719791A"
    ws = words(
        [
            ("NOTA SIMPLE INFORMATIVA", 934, 292, 0),
            (f"Denominación {COMPANY} NIF {CIF}", 232, 376, 1),
            ("ÓRGANO DE ADMINISTRACIÓN: CONSEJO DE ADMINISTRACIÓN", 230, 702, 2),
            ("Cargo Nombre NIF Fecha nombram. Fecha caducidad", 248, 798, 3),
            (f"Consejero LOZANO CORTÉS, FRANCISCO {nif} 11/10/2024 11/10/2030", 249, 957, 4),
            ("JAVIER", 643, 1017, 5),
            (f"Cons. Delegado LOZANO CORTÉS, FRANCISCO {nif} 11/10/2024 11/10/2030", 249, 1102, 6),
            ("JAVIER", 643, 1151, 7),
            ("Murcia, a dos de noviembre de dos mil veintiséis, antes de la apertura del Diario.", 951, 1645, 8),
        ]
    )
    role = assess([sheet(ws)], claim(name, nif), today=UPLOAD).check("person_role")
    assert role.outcome == "pass" and role.evidence.text.startswith("Cons. Delegado"), role.detail
