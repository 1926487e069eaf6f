"""ID documents read by their labels on layouts the first templates did not have: Galician labels, a card's
two columns read onto one line, a passport printing each label in three languages (no OCR: words placed
where a card prints them)."""

from __future__ import annotations

import datetime as dt

from ocr import Claim, assess
from ocr.results import PageText, Word

UPLOAD = dt.date(2026, 11, 4)


def _page(placed: list[tuple[str, int, int]], height: int = 30) -> PageText:
    """Words of the phrases ``(text, x, y)``; phrases at one y are one OCR line (as Tesseract merges a
    card's two columns)."""
    words, line_of = [], {}
    for text, x, y in placed:
        line = line_of.setdefault(y, len(line_of))
        for tok in text.split():
            words.append(Word(tok, x, y, x + 18 * len(tok), y + height, 92.0, line))
            x += 18 * len(tok) + 14
    return PageText(0, width=2480, height=3508, source="ocr", words=words, mean_conf=92.0)


def _dni_galician(surname_line_extra: str = "A CORUÑA") -> PageText:
    # the right column (address, place of birth) sits ~1000 px right of the names; OCR reads the address's
    # last line onto the surnames' label line
    return _page(
        [
            ("DOCUMENTO NACIONAL DE IDENTIDADE / IDENTIDAD", 260, 560),
            ("DOMICILIO / ENDEREZO", 1410, 520),
            ("RÚA REAL 9", 1410, 565),
            ("APELIDOS / APELLIDOS", 260, 615),
            (surname_line_extra, 1410, 615),
            ("ALVAREZ RUIZ", 260, 655),
            ("LUGAR DE NACEMENTO / NACIMIENTO", 1410, 655),
            ("SEVILLA", 1410, 700),
            ("NOME / NOMBRE", 260, 700),
            ("SOFÍA", 260, 740),
            ("DATA DE NACEMENTO / FECHA DE NACIMIENTO", 260, 820),
            ("07 08 1969", 260, 860),
            ("EMISIÓN / EXPEDICIÓN", 260, 900),
            ("VÁLIDO ATA", 700, 900),
            ("16 12 2025", 260, 940),
            ("16 12 2035", 700, 940),
            ("NÚM SOPORTE", 260, 990),
            ("VBK701284", 260, 1030),
            ("IDESPVBK701284286637216B<<<<<<", 1410, 1080),
        ]
    )


def test_a_value_of_the_cards_other_column_read_onto_the_surname_label_line_is_not_the_surname():
    r = assess(
        [_dni_galician()],
        Claim(request_type="representative_change", person_nif="86637216B", person_name="Sofía Álvarez Ruiz"),
        today=UPLOAD,
    )
    assert r.fields["surnames"].value == "ALVAREZ RUIZ"
    assert r.fields["given_names"].value == "SOFÍA"
    assert r.fields["expiry"].value == "2035-12-16" and r.fields["issue_date"].value == "2025-12-16"
    assert r.check("person_name").outcome == "pass"


def test_the_number_on_a_card_belongs_to_the_holder_its_labelled_fields_name():
    # the holder's name is printed in two fields ("ALVAREZ RUIZ" ... "NOME / NOMBRE" ... "SOFÍA"), never as
    # one phrase: the card's fields name the holder to whom its number belongs
    claim = Claim(request_type="representative_change", person_nif="86637216B", person_name="Sofía Álvarez Ruiz")
    assert assess([_dni_galician()], claim, today=UPLOAD).check("person_nif").outcome == "pass"
    other = Claim(request_type="representative_change", person_nif="86637216B", person_name="Marta Gómez Pazos")
    r = assess([_dni_galician()], other, today=UPLOAD)
    assert r.check("person_nif").outcome == "fail" and r.check("person_name").outcome == "fail"


def test_a_far_value_in_a_column_of_values_is_still_the_value_beside_its_label():
    # a certificate's form: labels on the left, values in their own column far to the right (no label there)
    page = _page(
        [
            ("COPIA DE LA TARJETA DE IDENTIDAD DE EXTRANJERO", 380, 450),
            ("Document", 400, 640),
            ("Targeta d'identitat d'estranger (TIE)", 1175, 640),
            ("Cognoms", 400, 820),
            ("QUISPE HUAMÁN", 1175, 820),
            ("Nom", 400, 910),
            ("ROSA ELENA", 1175, 910),
            ("Data d'expedició", 400, 1000),
            ("02/01/2026", 1175, 1000),
            ("Data de caducitat", 400, 1090),
            ("02/01/2028", 1175, 1090),
            ("Número d'identitat d'estranger (NIE)", 400, 1180),
            ("Y9118970J", 1175, 1180),
        ]
    )
    r = assess(
        [page],
        Claim(request_type="representative_change", person_nif="Y9118970J", person_name="Rosa Elena Quispe Huamán"),
        today=UPLOAD,
    )
    assert r.fields["surnames"].value == "QUISPE HUAMÁN" and r.fields["given_names"].value == "ROSA ELENA"


def _passport() -> PageText:
    return _page(
        [
            ("PASSPORT PORTUGAL", 300, 300),
            ("1. Surname / Nom / Name", 300, 400),
            ("FERREIRA LOPES", 300, 440),
            ("2. Given names / Prénoms / Vornamen", 300, 500),
            ("JOAO PEDRO", 300, 540),
            ("3. Nationality", 300, 600),
            ("PORTUGUESA", 300, 640),
            ("4. Date of birth", 300, 700),
            ("5. Sex", 800, 700),
            ("08.02.1955", 300, 740),
            ("M", 800, 740),
            ("6. Date ofissue", 300, 800),
            ("8. Authority", 800, 800),
            ("20.03.2026", 300, 840),
            ("IRN Lisboa", 800, 840),
            ("7. Date of expiry", 300, 900),
            ("19.03.2036", 300, 940),
            ("P<PRTFERREIRA<LOPES<<JOAO<PEDRO<<<<<<<<<<<<<", 300, 1000),
            ("M541264354PRT5502082M3603192<<<<<<<<<<<<<<04", 300, 1040),
            ("le ha sido asignado el número de identidad de extranjero (N.I.E.) X3299691L.", 300, 1200),
        ]
    )


def test_a_label_printed_in_three_languages_is_one_field_french_nom_and_german_name_are_the_surname():
    r = assess(
        [_passport()],
        Claim(request_type="representative_change", person_nif="X3299691L", person_name="João Pedro Ferreira Lopes"),
        today=UPLOAD,
    )
    assert r.fields["surnames"].value == "FERREIRA LOPES"
    assert r.fields["given_names"].value == "JOAO PEDRO"
    assert r.check("person_name").outcome == "pass"


def test_a_date_of_issue_label_read_without_its_space_still_labels_the_issue_date():
    r = assess(
        [_passport()],
        Claim(request_type="representative_change", person_nif="X3299691L", person_name="João Pedro Ferreira Lopes"),
        today=UPLOAD,
    )
    assert r.fields["issue_date"].value == "2026-03-20" and r.fields["expiry"].value == "2036-03-19"


def _passport_photo(name_row: str, extra: tuple[tuple[str, int, int], ...] = ()) -> PageText:
    # a phone photo of a passport: OCR lost every label; the MRZ carries birth (931224) and expiry (310806)
    return _page(
        [
            ("PASSPORT PORTUGAL", 300, 300),
            ("SOUSA ALMEIDA", 300, 400),
            ("MARIANA", 300, 460),
            ("PORTUGUESA", 300, 520),
            ("24.12.1993", 300, 580),
            ("07.08.2021 IRN Lisboa", 300, 640),
            ("06.08.2031", 300, 700),
            (name_row, 300, 800),
            ("F112592920PRT9312247F3108066<<<<<<<<<<<<<<06", 300, 860),
            ("Se certifica que a MARIANA SOUSA ALMEIDA, nacida el 24/12/1993, le ha sido asignado", 300, 1000),
            ("el número de identidad de extranjero (N.I.E.) Y4117608R. Murcia, 16 de agosto de 2022.", 300, 1060),
            *extra,
        ]
    )


def test_letters_read_past_a_long_run_of_filler_are_specks_when_the_visual_zone_prints_the_given_names():
    row = "P<PRTSOUSA<ALMEIDA<<MARIANA<<<<<<<<<OCCCEEEECEC"
    r = assess([_passport_photo(row)], _passport_claim(), today=UPLOAD)
    assert r.fields["surnames"].value == "SOUSA ALMEIDA" and r.fields["given_names"].value == "MARIANA"


def _passport_claim() -> Claim:
    return Claim(request_type="representative_change", person_nif="Y4117608R", person_name="Mariana Sousa Almeida")


def test_an_mrz_name_row_with_specks_in_its_filler_still_gives_the_name_as_the_visual_zone_prints_it():
    # "ALMETDA", "MARTANA": an MRZ letter misread; "E" a speck in the filler
    r = assess([_passport_photo("P<PRTSOUSA<ALMETDA<<MARTANA<<<<<<<<<E<<<<<<<<")], _passport_claim(), today=UPLOAD)
    assert r.fields["surnames"].value == "SOUSA ALMEIDA" and r.fields["given_names"].value == "MARIANA"


def test_an_mrz_name_far_from_any_printed_line_is_kept_as_the_mrz_reads_it():
    r = assess([_passport_photo("P<PRTSOUSA<FERNANDES<<MARTA<<<<<<<<<<<<<<<<<<<")], _passport_claim(), today=UPLOAD)
    assert r.fields["surnames"].value == "SOUSA FERNANDES" and r.fields["given_names"].value == "MARTA"
    assert r.check("person_name").outcome == "fail"


def test_a_row_with_a_word_two_fillers_after_the_given_names_is_no_mrz_name():
    # a third name part after "<<" is no ICAO name field: the row is not taken for one (nor cut short)
    r = assess([_passport_photo("P<PRTSOUSA<ALMEIDA<<MARIANA<<LISBOA<<<<<<<<<<<")], _passport_claim(), today=UPLOAD)
    assert r.fields["surnames"] is None and r.fields["given_names"] is None


def test_the_issue_date_of_a_passport_whose_labels_were_lost_is_its_one_date_between_birth_and_expiry():
    r = assess([_passport_photo("P<PRTSOUSA<ALMEIDA<<MARIANA<<<<<<<<<<<<<<<<<<")], _passport_claim(), today=UPLOAD)
    assert r.fields["issue_date"].value == "2021-08-07" and r.fields["expiry"].value == "2031-08-06"


def test_of_two_candidates_the_issue_is_the_one_the_validity_counts_whole_years_from_and_else_none():
    row = "P<PRTSOUSA<ALMEIDA<<MARIANA<<<<<<<<<<<<<<<<<<"
    r = assess([_passport_photo(row, (("15.05.2020", 900, 700),))], _passport_claim(), today=UPLOAD)
    assert r.fields["issue_date"].value == "2021-08-07"  # ten years to the day before the expiry 06.08.2031
    # two that both count whole years to the expiry (five and ten): no guess
    r = assess([_passport_photo(row, (("06.08.2026", 900, 700),))], _passport_claim(), today=UPLOAD)
    assert r.fields["issue_date"] is None


def _dni_photo(given: str) -> PageText:
    return _page(
        [
            ("DOCUMENTO NACIONAL DE IDENTIDAD 58884701D", 300, 300),
            ("APELLIDOS / SURNAMES", 300, 400),
            ("PEREZ-LLORCA PENA", 300, 440),
            ("NOMBRE / NAME", 300, 500),
            (given, 300, 540),
            ("VALIDEZ / EXPIRY", 300, 600),
            ("04 04 2033", 300, 640),
            ("IDESPJHC120192558884701D<<<<<<", 300, 800),
            ("5710100M3304042ESP<<<<<<<<<<<0", 300, 840),
            ("PEREZ<LLORCA<PENA<<ALEJANDRO<<", 300, 880),
        ]
    )


def test_a_given_name_that_lost_its_first_letter_at_the_photos_edge_is_completed_from_the_mrz():
    claim = Claim(request_type="representative_change", person_nif="58884701D", person_name="Alejandro Pérez-Llorca")
    assert assess([_dni_photo("LEJANDRO")], claim, today=UPLOAD).fields["given_names"].value == "ALEJANDRO"


def test_a_given_name_other_than_the_mrzs_by_more_than_an_edge_letter_is_kept_as_printed():
    claim = Claim(request_type="representative_change", person_nif="58884701D", person_name="Alejandro Pérez-Llorca")
    assert assess([_dni_photo("ALEJANDRA")], claim, today=UPLOAD).fields["given_names"].value == "ALEJANDRA"
    assert assess([_dni_photo("JANDRO")], claim, today=UPLOAD).fields["given_names"].value == "JANDRO"


def _dni_particle(surname_row: tuple[str, str], mrz_name_row: str) -> PageText:
    return _page(
        [
            ("DOCUMENTO NACIONAL DE IDENTIDAD 42639732D", 300, 300),
            ("APELLIDOS", 300, 400),
            (surname_row[0], 300, 440),
            (surname_row[1], 300, 480),
            ("NOMBRE", 300, 540),
            ("ORIOL", 300, 580),
            ("VALIDEZ", 300, 640),
            ("09 12 2031", 300, 680),
            ("IDESPREC914392342639732D<<<<<<", 300, 800),
            ("8606132M3112098ESP<<<<<<<<<<<5", 300, 840),
            (mrz_name_row, 300, 880),
        ]
    )


def test_a_stroke_read_beside_a_particle_is_dropped_by_the_mrz_even_with_a_digit_misread_in_its_name_row():
    claim = Claim(request_type="representative_change", person_nif="42639732D", person_name="Oriol Camps i Fernández")
    r = assess([_dni_particle(("CAMPS", "Il FERNÁNDEZ"), "CAMPS<I<FERNANDEZ<<ORI0OL<<<<<<")], claim, today=UPLOAD)
    assert r.fields["surnames"].value == "CAMPS I FERNÁNDEZ" and r.fields["given_names"].value == "ORIOL"


def test_a_printed_word_other_than_the_mrzs_is_kept_as_printed():
    claim = Claim(request_type="representative_change", person_nif="42639732D", person_name="Oriol Camps i Fernández")
    r = assess([_dni_particle(("CAMPS", "IL FERNÁNDEZ"), "CAMPS<I<FERNANDEZ<<ORIOL<<<<<<<")], claim, today=UPLOAD)
    assert r.fields["surnames"].value == "CAMPS IL FERNÁNDEZ"


def _registration_above_cie(card_dates: str = "12.07.2021 26.10.2031") -> PageText:
    # an EU citizen's registration certificate and, below it, a photocopy of her Italian identity card whose
    # small labels OCR did not read; the certificate's "Fecha de registro" is the one labelled issue-like date
    return _page(
        [
            ("CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", 600, 380),
            ("Nombre", 290, 700),
            ("FRANCESCA", 930, 700),
            ("Apellidos", 290, 780),
            ("LOMBARDI", 930, 780),
            ("N.I.E.", 290, 960),
            ("Z6415341W", 930, 960),
            ("Fecha de registro", 290, 1130),
            ("20/06/2025", 930, 1130),
            ("Lleida, 20 de junio de 2025", 280, 1230),
            ("REPUBBLICA ITALIANA CG44403LX", 180, 2070),
            ("LOMBARDI", 420, 2200),
            ("FRANCESCA", 420, 2260),
            ("GENOVA 26.10.1993", 420, 2300),
            (card_dates, 420, 2410),
            ("C<ITACG44403LK0<<<<<<<<<<<<<<<", 1250, 2470),
            ("9310265F3110267ITA<<<<<<<<<<<8", 1250, 2530),
            ("LOMBARDI<<FRANCESCA<<<<<<<<<<<", 1250, 2590),
        ]
    )


def _lombardi() -> Claim:
    return Claim(request_type="representative_change", person_nif="Z6415341W", person_name="Francesca Lombardi")


def test_a_cards_issue_counts_to_the_first_birthday_after_ten_years_not_a_registration_date_on_the_same_sheet():
    # the Italian card runs from 12.07.2021 to the holder's birthday (26 October) after ten years: 26.10.2031
    r = assess([_registration_above_cie()], _lombardi(), today=UPLOAD)
    assert r.fields["expiry"].value == "2031-10-26"
    assert r.fields["issue_date"].value == "2021-07-12"


def test_a_labelled_date_is_kept_when_no_date_of_the_card_fits_its_validity():
    # ten years from the card's own date end after the birthday of 2031: no validity rule fits it, and the
    # labelled date stays (no guess)
    r = assess([_registration_above_cie("12.11.2021 26.10.2031")], _lombardi(), today=UPLOAD)
    assert r.fields["issue_date"].value == "2025-06-20"


def test_a_french_card_prints_nom_for_the_surname_before_its_english_translation():
    page = _page(
        [
            ("CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", 260, 420),
            ("NOM / Surname", 260, 500),
            ("LEMAIRE", 260, 540),
            ("Prénoms / Given names", 260, 600),
            ("ANNE-SOPHIE", 260, 640),
            ("DATE DE DELIVRANCE / Date of issue", 260, 700),
            ("28 01 2022", 260, 740),
            ("N.I.E. X5434748D", 260, 900),
        ]
    )
    claim = Claim(request_type="representative_change", person_nif="X5434748D", person_name="Anne-Sophie Lemaire")
    r = assess([page], claim, today=UPLOAD)
    assert r.fields["surnames"].value == "LEMAIRE" and r.fields["given_names"].value == "ANNE-SOPHIE"
    assert r.fields["issue_date"].value == "2022-01-28"


def _dni_back_first(tall_year: bool) -> PageText:
    # "EMISIÓN" and "VALIDEZ / EXPIRY" side by side, read as two lines; under each its date, the year of the
    # issue date drawn by OCR as a box reaching up into the labels' row
    def ws(text, x, y, line, top=None):
        out = []
        for tok in text.split():
            out.append(
                Word(
                    tok,
                    x,
                    y if top is None or not tok.isdigit() or len(tok) < 4 else top,
                    x + 40 * len(tok),
                    y + 45,
                    92.0,
                    line,
                )
            )
            x += 40 * len(tok) + 30
        return out

    words = (
        ws("APELLIDOS / SURNAME", 160, 2500, 1)
        + ws("RUIZ JIMÉNEZ", 160, 2540, 2)
        + ws("NOMBRE / GIVEN NAME", 160, 2600, 3)
        + ws("ILDEFONSO", 160, 2640, 4)
        + ws("EMISION", 160, 2866, 5)
        + ws("18 08 2021", 162, 2908, 6, top=2873 if tall_year else None)
        + ws("VALIDEZ / EXPIRY", 814, 2866, 7)
        + ws("18 08 2026", 817, 2907, 8)
        + ws("DNI 14171536V", 160, 3000, 9)
    )
    return PageText(0, width=2480, height=3508, source="ocr", words=words, mean_conf=92.0)


def test_a_date_whose_year_ocr_boxed_too_tall_is_still_the_value_under_its_label_not_the_next_fields():
    claim = Claim(request_type="representative_change", person_nif="14171536V", person_name="Ildefonso Ruiz Jiménez")
    for tall in (False, True):
        r = assess([_dni_back_first(tall)], claim, today=UPLOAD)
        assert r.fields["issue_date"].value == "2021-08-18", tall
        assert r.fields["expiry"].value == "2026-08-18", tall
