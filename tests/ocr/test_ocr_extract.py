"""Names, dates, notary, protocol, CSV and document-type classification."""

import datetime as dt

import pytest

from ocr import extract
from ocr.textindex import PageIndex, fold
from tests.ocr.ocr_testutil import page_from_lines


def idx(*lines):
    return PageIndex(page_from_lines(list(lines)))


def test_fold_keeps_length():
    s = "Núñez d’Àger Col·legi Nº"
    assert len(fold(s)) == len(s)
    assert fold(s) == "nunez d'ager col.legi no"


@pytest.mark.parametrize(
    "name,company,expected",
    [
        ("Energías del Ebre, S.L.", True, ["ENERGIAS", "EBRE"]),
        ("ENERGIAS DEL EBRE SL", True, ["ENERGIAS", "EBRE"]),
        ("Talleres Pirineu S.L.U.", True, ["TALLERES", "PIRINEU"]),
        ("Agrícola Garraf S.COOP.", True, ["AGRICOLA", "GARRAF"]),
        ("Serveis Montseny, Sociedad Limitada", True, ["SERVEIS", "MONTSENY"]),
        ("Inversiones Levante S. A.", True, ["INVERSIONES", "LEVANTE"]),
        ("Dña. María de la O Núñez", False, ["MARIA", "O", "NUNEZ"]),
    ],
)
def test_name_tokens(name, company, expected):
    assert extract.name_tokens(name, company=company) == expected


def test_person_name_accents_case_order():
    i = idx("comparece DOÑA MARIA NUNEZ LOPEZ, mayor de edad,")
    assert extract.find_name(i, "María Núñez López")
    assert extract.find_name(i, "Núñez López, María")  # word order
    assert extract.find_name(i, "maria nuñez lopez")
    m = extract.find_name(i, "María Núñez López")
    assert m.span.words[0].text == "MARIA"


def test_person_name_across_line_break_and_one_ocr_error():
    i = idx("a favor de D. JOSÉ GARCÍA", "GÓMEZ, con DNI")
    assert extract.find_name(i, "José García Gómez")
    i = idx("a favor de D. JOSÉ GARCIA GOMFZ, con DNI")  # one OCR error in a long token
    assert extract.find_name(i, "José García Gómez")


def test_person_name_is_strict():
    i = idx("a favor de D. JOSÉ GARCÍA PÉREZ, con DNI")
    assert extract.find_name(i, "José García Gómez") is None
    assert extract.find_name(i, "Josep Garcia Perea") is None
    i = idx("JOSÉ y otros", "muchas palabras en medio de todo esto GARCÍA GÓMEZ")
    assert extract.find_name(i, "José García Gómez") is None


def test_company_name_ignores_legal_form():
    i = idx("de la mercantil ENERGIAS DEL EBRE, S.A., con CIF")
    assert extract.find_name(i, "Energías del Ebre S.L.", company=True)
    assert extract.find_name(i, "Energías del Segre S.L.", company=True) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("En Madrid, a 12 de marzo de 2024.", "2024-03-12"),
        ("A Girona, el 12 de març de 2024.", "2024-03-12"),
        ("Barcelona, 1 d'abril de 2023", "2023-04-01"),
        ("Lleida, 3 d’octubre del 2022", "2022-10-03"),
        ("Fecha: 12/03/2024", "2024-03-12"),
        ("Data: 05-11-2021", "2021-11-05"),
        ("En Sevilla, a doce de marzo de dos mil veinticuatro.", "2024-03-12"),
        ("A Reus, a vint-i-u de gener de dos mil vint-i-quatre.", "2024-01-21"),
        ("VALIDEZ 23 08 2028", "2028-08-23"),
        ("Fecha de caducidad / Date of expiry 01 ENE/JAN 2030", "2030-01-01"),
        ("Válido hasta 15-07-2027", "2027-07-15"),
    ],
)
def test_dates(text, expected):
    hits = extract.find_dates(idx(text))
    assert [h.date.isoformat() for h in hits] == [expected]


def test_invalid_dates_ignored():
    assert extract.find_dates(idx("el 31/02/2024 y 45 de marzo de 2020")) == []


def test_expiry_prefers_label():
    i = idx("FECHA DE NACIMIENTO", "14 02 1979", "FECHA DE EXPEDICIÓN", "01 01 2020", "VALIDEZ", "01 01 2030")
    dates = extract.find_dates(i)
    assert extract.find_expiry(i, dates).date == dt.date(2030, 1, 1)


@pytest.mark.parametrize(
    "lines,expected",
    [
        (["Ante mí, JUAN PÉREZ GARCÍA, Notario del Ilustre Colegio de Cataluña,"], "JUAN PÉREZ GARCÍA"),
        (["Davant meu, MARTÍ SOLER SERRA, Notari de l'Il·lustre Col·legi de Catalunya,"], "MARTÍ SOLER SERRA"),
        (["Notario: D. Luis Alonso Gómez"], "Luis Alonso Gómez"),
    ],
)
def test_notary(lines, expected):
    sp = extract.find_notary(idx(*lines))
    assert sp is not None and sp.text == expected


@pytest.mark.parametrize(
    "line,expected",
    [
        ("NÚMERO DE PROTOCOLO 1.234", "1.234"),  # as printed
        ("Número de protocol 987.", "987"),
        ("protocolo núm. 2.345", "2.345"),
        ("Protocolo nº 77", "77"),
        ("NÚMERO DOS MIL OCHOCIENTOS SETENTA Y UNO (2.871)", "2.871"),
        ("Núm. 3.004 de mi protocolo", "3.004"),
        ("Número de protocolo 2 . 871", "2.871"),
    ],
)
def test_protocol(line, expected):
    assert extract.find_protocol(idx(line))[0] == expected


def layer(*lines):
    return PageIndex(page_from_lines(list(lines), source="text_layer"))


def test_csv():
    assert extract.find_csv(layer("Código Seguro de Verificación: ABCD1234EFGH5678"))[0] == "ABCD1234EFGH5678"
    assert extract.find_csv(layer("Codi Segur de Verificació (CSV): 9F3K-22LM-PQ7A"))[0] == "9F3K-22LM-PQ7A"
    assert extract.find_csv(layer("sin código")) is None


def test_csv_read_only_by_ocr_is_not_reported():
    # OCR swaps O/0, I/1, G/6 in random codes: a wrong code is worse than none
    assert extract.find_csv(idx("Código Seguro de Verificación: ABCD1234EFGH5678")) is None
    # a scanned page whose text layer carries the code: the text layer's words count
    from ocr.results import TEXT_LAYER_LINE_BASE

    page = page_from_lines(["ESCRITURA DE PODER", "CSV: 7F3K-9QZP-2M4X-BT8R"])
    for w in page.words:
        if w.line == 1:
            w.line += TEXT_LAYER_LINE_BASE
    assert extract.find_csv(PageIndex(page))[0] == "7F3K-9QZP-2M4X-BT8R"


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "ESCRITURA DE PODER ESPECIAL\nante mí notario comparece y otorga poder especial a favor de",
            "power_of_attorney",
        ),
        ("ESCRIPTURA DE PODER ESPECIAL\ndavant meu notari i atorga poder especial a favor de", "power_of_attorney"),
        ("ESCRITURA DE CONSTITUCIÓN DE SOCIEDAD\nestatutos, nombramiento de administrador único", "deed"),
        (
            "REGISTRO MERCANTIL DE MADRID\nCERTIFICACIÓN\nel Registrador Mercantil certifico hoja tomo folio",
            "registry_certificate",
        ),
        ("MANDATO DE REPRESENTACIÓN\nautoriza a gestor energético, mandante y mandatario, CUPS", "manager_mandate"),
        ("MANDAT DE REPRESENTACIÓ\nautoritza l'administrador de finques, mandant i mandatari", "manager_mandate"),
        ("REINO DE ESPAÑA\nDOCUMENTO NACIONAL DE IDENTIDAD\nAPELLIDOS NOMBRE SEXO VALIDEZ", "id_document"),
        ("FACTURA\nBase imponible 100 IVA 21 Total a pagar", "other"),
        ("Lorem ipsum dolor sit amet", "other"),
    ],
)
def test_classify(text, expected):
    doc_type, score, _ = extract.classify([fold(text)])
    assert doc_type == expected
    assert 0.0 <= score <= 1.0


def test_community_minutes_behind_a_notarial_boilerplate_page_are_a_mandate():
    cover = (
        "Tiene, a mi juicio, según interviene, capacidad legal para otorgar esta escritura, y a tal efecto "
        "EXPONE lo que sigue, con la advertencia que yo, el Notario, le hago de sus obligaciones fiscales y de "
        "la necesidad de inscribirla en el Registro Mercantil.\n"
    ) * 3
    minutes = (
        "ACTA DE LA JUNTA EXTRAORDINARIA DE PROPIETARIOS\n"
        "Comunidad de Propietarios Calle Mayor 12, NIF H25123456\n"
        "Reunidos el 2 de octubre de 2026, se acuerda encomendar la gestión de los suministros comunes a "
        "la empresa administradora, que nombra como responsable a doña Marta Gil Soler.\n"
        "La presidenta de la comunidad firma la presente en Lleida, a 3 de octubre de 2026.\n"
    )
    doc_type, _, _ = extract.classify([fold(cover), fold(minutes)])
    assert doc_type == "manager_mandate"


def test_a_company_certificate_of_its_own_board_resolutions_is_not_a_registry_certificate():
    text = (
        "CERTIFICACIÓN DE LOS ACUERDOS ADOPTADOS\nTALLERS DEL SEGRE SL\n"
        "Doña Ana Gil Mas, secretaria del Consejo de Administración, certifico: que en la sesión del 3 de "
        "marzo de 2026 se acordó nombrar consejero delegado a don Luis Roca Pla.\n"
        "Y para que conste, expido la presente con el visto bueno del Presidente en Reus, a 4 de marzo de 2026."
    )
    assert extract.classify([fold(text)])[0] == "deed"
