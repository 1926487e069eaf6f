"""Roles, not mentions; the date that counts; ID cards by field; notarial data; the set verdict.

Pages are built word by word (as a text layer or an OCR engine gives them), so each test states
one behaviour of the assessment without running Tesseract; tests/ocr/test_ocr_corpus*.py run the
same rules through real OCR."""

from __future__ import annotations

import datetime as dt

import pytest

from ocr import Claim, PageText, assess, combine
from ocr.results import Word
from tests.ocr.ocr_testutil import page_from_lines

UPLOAD = dt.date(2026, 11, 20)
GN, GNIF = "JAUME FERRER I PUIG", "47110823S"  # grantor / outgoing
PN, PNIF = "MARÍA DEL MAR NÚÑEZ DE LA TORRE", "38752913Y"  # appointed / attorney
CIF, COMPANY = "B65214843", "TALLERS DEL SEGRE SL"


def page(lines: list[str], index: int = 0, *, columns: list[list[str]] | None = None) -> PageText:
    """A text-layer page of the given lines (and a table read column by column)."""
    return page_from_lines(lines, index, source="text_layer", columns=columns)


def claim(name=PN, nif=PNIF, request_type="representative_change") -> Claim:
    return Claim(request_type=request_type, company_cif=CIF, company_name=COMPANY, person_nif=nif, person_name=name)


def judge(lines, c: Claim, **kw):
    return assess([page(lines, columns=kw.pop("columns", None))], c, today=kw.pop("today", UPLOAD), **kw)


CESE_ES = [
    "ESCRITURA DE ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES",
    "CESE Y NOMBRAMIENTO DE ADMINISTRADOR",
    "NÚMERO DOS MIL OCHOCIENTOS SETENTA Y UNO (2.871)",
    "En Lleida, mi residencia, a tres de noviembre de dos mil veintiséis.",
    "Ante mí, ROSA VIDAL MARTÍ, Notario del Ilustre Colegio de Cataluña,",
    f"COMPARECE D. {GN}, mayor de edad, con DNI {GNIF}, nacido el 4 de mayo de 1970,",
    f"en nombre y representación de {COMPANY}, con CIF {CIF}, y eleva a público los",
    "acuerdos adoptados por la junta general celebrada el 20 de octubre de 2026:",
    f"primero, el cese de D. {GN}, con DNI {GNIF}, como administrador único;",
    f"segundo, el nombramiento como administrador único de Dña. {PN},",
    f"con DNI {PNIF}, por plazo indefinido, quien acepta el cargo.",
]


def test_outgoing_administrator_claiming_with_their_own_identity_fails_on_role():
    r = judge(CESE_ES, claim(GN, GNIF))
    role = r.check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "outgoing"
    assert role.evidence.text.lower().startswith("cese de d. jaume ferrer")
    assert r.check("person_nif").outcome == "pass"  # the identity is on the page: the role is what is wrong
    assert r.verdict == "needs_attention"


def test_appointed_administrator_of_the_same_deed_is_clear():
    r = judge(CESE_ES, claim())
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    assert r.verdict == "clear", [(c.name, c.outcome, c.detail) for c in r.checks]
    roles = {p.id_number: p.role for p in r.people}
    assert roles[PNIF] == "appointed" and roles[GNIF] in ("outgoing", "grantor")


def test_execution_date_is_not_a_birth_or_meeting_date():
    r = judge(CESE_ES, claim())
    assert r.fields["date"].value == "2026-11-03" and r.date_basis == "execution"
    assert r.check("date").params == {"basis": "execution", "date": "2026-11-03"}


def test_protocol_with_thousands_separator_is_read_whole_as_printed():
    r = judge(CESE_ES, claim())
    assert r.fields["protocol"].value == "2.871"
    for line, want in (
        ("Protocolo n.º 1.502", "1.502"),
        ("Núm. 3.004 de mi protocolo", "3.004"),
        ("NÚMERO DE PROTOCOLO 2 . 871", "2.871"),
        ("Número de protocol: 788", "788"),
    ):
        got = judge(["ESCRITURA DE PODER", line, "En Madrid, a 3 de marzo de 2026."], claim())
        assert got.fields["protocol"] is not None and got.fields["protocol"].value == want, line


CESE_CA = [
    "ESCRIPTURA D'ELEVACIÓ A PÚBLIC D'ACORDS SOCIALS",
    "A Girona, el dotze d'octubre de dos mil vint-i-sis.",
    "Davant meu, PERE SALA ROCA, Notari del Col·legi de Catalunya,",
    f"compareix la senyora {PN}, amb DNI {PNIF}, i exposa que la junta general de {COMPANY},",
    f"amb NIF {CIF}, ha acordat el cessament de l'administrador únic {GN},",
    f"amb DNI {GNIF}, i el nomenament de {PN} com a nova administradora única.",
]


@pytest.mark.parametrize("who,outcome", [((GN, GNIF), "fail"), ((PN, PNIF), "pass")])
def test_catalan_cessament_and_nomenament(who, outcome):
    r = judge(CESE_CA, claim(*who))
    assert r.check("person_role").outcome == outcome, r.check("person_role").detail


CERTIFICATE = [
    "REGISTRO MERCANTIL DE BARCELONA",
    "CERTIFICACIÓN",
    "D. ANTONI ROIG BOSCH, Registrador Mercantil de Barcelona, CERTIFICO:",
    f"Que en la hoja registral de la sociedad {COMPANY}, con NIF {CIF}, constan los siguientes cargos:",
    f"Nombramiento. Administrador único: {GN}, DNI {GNIF}. Inscripción 3ª de fecha 12/03/2015.",
    f"Cese. Administrador único: {GN}, DNI {GNIF}. Inscripción 7ª de fecha 02/10/2026.",
    f"Nombramiento. Administrador único: {PN}, DNI {PNIF}. Inscripción 7ª de fecha 02/10/2026.",
    "Y para que conste, expido la presente en Barcelona, a 10 de noviembre de 2026.",
    "Código Seguro de Verificación: 7F3K-9QZP-2M4X-BT8R",
]


def test_certificate_removed_person_fails_and_appointed_passes_with_the_issue_date():
    bad = judge(CERTIFICATE, claim(GN, GNIF))
    assert bad.check("person_role").outcome == "fail" and bad.verdict == "needs_attention"
    good = judge(CERTIFICATE, claim())
    assert good.check("person_role").outcome == "pass", good.check("person_role").detail
    assert good.fields["date"].value == "2026-11-10" and good.date_basis == "issue"
    assert good.verdict == "clear", [(c.name, c.outcome, c.detail) for c in good.checks]


def test_csv_is_the_code_as_printed_without_look_alike_repair():
    r = judge(CERTIFICATE, claim())
    assert r.fields["csv"].value == "7F3K-9QZP-2M4X-BT8R"


def test_stale_certificate_fails_the_date_and_says_which_date_and_why():
    r = judge(CERTIFICATE, claim(), today=dt.date(2027, 6, 1))
    date = r.check("date")
    assert date.outcome == "fail" and date.code == "certificate_stale"
    assert date.params["date"] == "2026-11-10" and date.params["basis"] == "issue" and date.params["max_days"] == 90
    assert r.verdict == "needs_attention"
    assert (
        judge(CERTIFICATE, claim(), today=dt.date(2027, 6, 1), certificate_max_days=400).check("date").outcome == "pass"
    )


def test_borme_entry_ceses_and_nombramientos():
    lines = [
        "BOLETÍN OFICIAL DEL REGISTRO MERCANTIL",
        "SECCIÓN PRIMERA. Actos inscritos",
        "BARCELONA",
        f"483920 - {COMPANY}.",
        "Ceses/Dimisiones. Adm. Unico: FERRER PUIG JAUME. Nombramientos. Adm. Unico: NUÑEZ DE LA TORRE MARIA "
        "DEL MAR. Datos registrales. T 45021 , F 112, S 8, H B 476523, I/A 7 (02.10.26).",
        "Barcelona, a 5 de noviembre de 2026",
    ]
    assert judge(lines, claim(GN, None)).check("person_role").outcome == "fail"
    assert judge(lines, claim(PN, None)).check("person_role").outcome == "pass"


POWER = [
    "ESCRITURA DE APODERAMIENTO",
    "En Madrid, a 2 de noviembre de 2026.",
    "Ante mí, LUIS PRADO GIL, Notario de Madrid,",
    "INTERVIENEN",
    f"De una parte, D. {GN}, con DNI {GNIF}, en su calidad de administrador único de {COMPANY},",
    f"con CIF {CIF}, en adelante el poderdante.",
    f"Y OTORGA poder especial a favor de Dña. {PN}, con DNI {PNIF}, para representar a la sociedad",
    "ante las compañías de suministro de energía.",
]


def test_grantor_claiming_to_be_the_attorney_fails():
    r = judge(POWER, claim(GN, GNIF))
    role = r.check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "grantor" and r.verdict == "needs_attention"
    assert judge(POWER, claim()).verdict == "clear"


def test_parties_in_a_table_read_column_by_column_still_bind():
    lines = [
        "ESCRITURA DE PODER ESPECIAL",
        "En Sevilla, a 2 de noviembre de 2026.",
        f"La sociedad {COMPANY}, con CIF {CIF}, otorga poder según el cuadro siguiente:",
    ]
    columns = [["NOMBRE", GN, PN], ["DNI", GNIF, PNIF], ["CARÁCTER", "Poderdante", "Apoderada"]]
    assert judge(lines, claim(), columns=columns).check("person_role").outcome == "pass"
    assert judge(lines, claim(GN, GNIF), columns=columns).check("person_role").outcome == "fail"


def test_revoked_attorney_is_outgoing():
    lines = [
        "ESCRITURA DE REVOCACIÓN DE PODER",
        "En Bilbao, a 2 de noviembre de 2026.",
        f"D. {GN}, con DNI {GNIF}, en nombre de {COMPANY}, con CIF {CIF}, revoca y deja sin efecto el poder",
        f"general otorgado a favor de Dña. {PN}, con DNI {PNIF}, el 3 de marzo de 2019.",
    ]
    role = judge(lines, claim()).check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "outgoing"


MANDATE = [
    "CONTRATO DE MANDATO",
    f"Dña. {GN}, con DNI {GNIF}, Presidenta de la Comunidad de Propietarios {COMPANY}, con CIF {CIF},",
    f"autoriza a D. {PN}, con NIE {PNIF}, administrador de fincas colegiado (el mandatario),",
    "para gestionar los contratos de suministro eléctrico de la comunidad.",
    "En Valencia, a 4 de noviembre de 2026.",
    "Firma del mandante                Firma del mandatario",
]


def test_mandate_signed_by_a_community_president():
    good = judge(MANDATE, claim(request_type="external_manager"))
    assert good.check("person_role").outcome == "pass" and good.date_basis == "signature"
    assert good.fields["date"].value == "2026-11-04"
    bad = judge(MANDATE, claim(GN, GNIF, "external_manager"))
    assert bad.check("person_role").outcome == "fail" and bad.check("person_role").params["role"] == "grantor"


def test_mandate_signed_in_the_future_fails():
    r = judge(MANDATE, claim(request_type="external_manager"), today=dt.date(2026, 11, 1))
    assert r.check("date").outcome == "fail" and r.check("date").code == "date_future"


def test_person_name_field_is_clean_and_keeps_particles():
    lines = [
        "ESCRITURA DE PODER",
        "En Madrid, a 2 de noviembre de 2026.",
        "a favor de Dña. MARÍA DEL MAR",
        "NÚÑEZ DE LA TORRE, con DNI " + PNIF + ",",
    ]
    r = judge(lines, claim())
    assert r.fields["person_name"].value == "MARÍA DEL MAR NÚÑEZ DE LA TORRE"


ID_CARD = [
    "REINO DE ESPAÑA  DOCUMENTO NACIONAL DE IDENTIDAD",
    "APELLIDOS / COGNOMS",
    "NÚÑEZ DE LA TORRE",
    "NOMBRE / NOM",
    "MARÍA DEL MAR",
    "SEXO NACIONALIDAD FECHA DE NACIMIENTO",
    "F ESP 14 02 1979",
    "FECHA DE EXPEDICIÓN VÁLIDO HASTA",
    "03 05 2021 03 05 2031",
    f"DNI {PNIF}",
    "IDESPBAA123456" + "7" + PNIF + "<<<<<<",
    "7902148F3105036ESP<<<<<<<<<<<2",
    "NUNEZ<DE<LA<TORRE<<MARIA<DEL<MAR",
]


def test_id_card_fields_are_read_without_their_labels():
    r = judge(ID_CARD, claim())
    assert r.doc_type == "id_document"
    assert r.fields["surnames"].value == "NÚÑEZ DE LA TORRE"
    assert r.fields["given_names"].value == "MARÍA DEL MAR"
    assert r.fields["person_name"].value == "MARÍA DEL MAR NÚÑEZ DE LA TORRE"
    assert r.fields["expiry"].value == "2031-05-03" and r.fields["issue_date"].value == "2021-05-03"
    assert r.check("date").code == "id_valid" and r.check("date").params["issue_date"] == "2021-05-03"
    assert r.check("person_name").outcome == "pass" and r.verdict == "clear"


def test_id_card_name_matches_in_either_order_and_refuses_another_name():
    assert judge(ID_CARD, claim("Núñez de la Torre, María del Mar")).check("person_name").outcome == "pass"
    assert judge(ID_CARD, claim("María del Mar Puig Soler")).check("person_name").outcome == "fail"


def test_expired_id_card_fails_its_date():
    r = judge(ID_CARD, claim(), today=dt.date(2031, 6, 1))
    assert r.check("date").outcome == "fail" and r.check("date").code == "id_expired"


def test_the_set_is_clear_only_when_the_power_and_the_id_card_agree():
    power = judge(POWER, claim())
    card = judge(ID_CARD, claim())
    both = combine([power, card])
    assert both.verdict == "clear", [(c.name, c.outcome, c.detail) for c in both.checks]
    proofs = {c.name: [p["file"] for p in c.params["proven_by"]] for c in both.checks}
    assert proofs["id_valid"] == ["<bytes>"] and "person_role" in proofs
    expired = judge(ID_CARD, claim(), today=dt.date(2031, 6, 1))
    assert combine([power, expired]).verdict == "needs_attention"
    other_card = judge([line.replace(PNIF, GNIF) for line in ID_CARD], claim())
    assert combine([power, other_card]).verdict == "needs_attention"
    assert combine([card]).verdict == "needs_attention"  # an ID card proves no role
    assert combine([judge(POWER, claim(GN, GNIF)), judge(ID_CARD, claim(GN, GNIF))]).verdict == "needs_attention"


def test_every_check_has_a_code_for_the_interface_to_translate():
    for lines in (CESE_ES, CERTIFICATE, POWER, MANDATE, ID_CARD):
        for c in judge(lines, claim()).checks:
            assert c.code, (c.name, c.detail)


def test_reading_stops_early_only_when_the_role_is_proven_and_never_inside_a_certificate():
    from ocr import is_satisfied

    power = page(POWER)
    assert is_satisfied([power], claim())
    assert not is_satisfied([power], claim(GN, GNIF))  # a grantor's pages never satisfy a claim to be the attorney
    first = page(CERTIFICATE[:5], 0)  # the old appointment only: the cese is on the next page
    assert not is_satisfied([first], claim(GN, GNIF))
    assert not is_satisfied([page(CERTIFICATE)], claim())  # a certificate is read to its end (the issue date closes it)


def test_a_stated_issue_date_wins_over_a_later_date_on_the_certificate():
    lines = CERTIFICATE[:-2] + [
        "Fecha de expedición: 10/11/2024.",
        "Datos consultados el 18 de noviembre de 2026.",
        "Código Seguro de Verificación: 7F3K-9QZP-2M4X-BT8R",
    ]
    r = judge(lines, claim())
    assert r.fields["date"].value == "2024-11-10" and r.check("date").code == "certificate_stale"


def test_a_grantor_acting_as_the_companys_attorney_is_not_the_new_attorney():
    lines = [
        "ESCRITURA DE PODER",
        "En Madrid, a 2 de noviembre de 2026.",
        f"Comparece D. {GN}, con DNI {GNIF}, en su calidad de apoderado de la sociedad {COMPANY}, con CIF {CIF},",
        f"y confiere poder general y especial a Dña. {PN}, con DNI {PNIF}, tan amplio como en Derecho se requiera.",
    ]
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome == "fail"
    assert judge(lines, claim()).check("person_role").outcome == "pass"


def test_id_card_values_beside_their_labels_and_a_passport_mrz():
    card = [
        "REINO DE ESPAÑA PASAPORTE PASSPORT",
        "APELLIDOS NÚÑEZ DE LA TORRE",
        "NOMBRE MARÍA DEL MAR",
        f"DNI {PNIF}",
        "FECHA DE CADUCIDAD 03 05 2031",
        "P<ESPNUNEZ<DE<LA<TORRE<<MARIA<DEL<MAR<<<<<<<<<<<",
    ]
    r = judge(card, claim())
    assert r.fields["surnames"].value == "NÚÑEZ DE LA TORRE" and r.fields["given_names"].value == "MARÍA DEL MAR"
    assert r.check("person_name").outcome == "pass" and r.fields["expiry"].value == "2031-05-03"
    misread = [line.replace("NÚÑEZ DE LA TORRE", "NUÑEZ DE LA T0RRF") for line in card]
    assert judge(misread, claim()).check("person_name").outcome == "pass"  # the MRZ name confirms it


def test_a_certificate_whose_issue_date_is_not_stated_cannot_prove_it_is_current():
    lines = [line for line in CERTIFICATE if not line.startswith("Y para que conste")] + [
        "La última inscripción practicada es de 10 de noviembre de 2026."
    ]
    r = judge(lines, claim())
    assert r.fields["date"] is None  # the latest date is no issue date: never shown as one
    assert r.check("date").outcome == "not_found" and r.check("date").code == "issue_date_not_stated"
    assert r.check("date").params["date"] == "2026-11-10"  # named in the check, as the latest date
    assert r.verdict == "needs_attention"


def test_a_certificate_closing_with_its_place_and_date_states_its_issue_date():
    # a register's table dates the terms of its charges years ahead: the closing line, not the latest date, counts
    lines = [line for line in CERTIFICATE if not line.startswith("Y para que conste")] + [
        f"Administrador único {PN} {PNIF} 02/10/2026 02/10/2032",
        "Tarragona, a 10/11/2026, antes de la apertura del Diario.",
    ]
    r = judge(lines, claim())
    assert r.fields["date"].value == "2026-11-10" and r.check("date").outcome == "pass"
    assert r.check("person_role").outcome == "pass"
    # the same closing years ago: a stale certificate
    stale = judge([*lines[:-1], "Tarragona, a 10/11/2021."], claim())
    assert stale.check("date").outcome == "fail" and stale.fields["date"].value == "2021-11-10"


def test_a_revocation_spoken_of_as_a_condition_ends_nothing():
    lines = [
        "ESCRITURA DE APODERAMIENTO ESPECIAL",
        "En Sabadell, a 11 de agosto de 2026. Ante mí, JUAN PÉREZ GIL, Notario,",
        f"COMPARECE Doña MARTA ORTEGA JIMÉNEZ, con DNI {GNIF}, en nombre de {COMPANY}, con CIF {CIF}.",
        "ESTIPULACIONES",
        f"TERCERA.- La persona apoderada es DOÑA {PN.upper()}, con D.N.I. número {PNIF}.",
        "CUARTA.- Vigencia. El presente poder se otorga por tiempo indefinido, en tanto no sea revocado.",
    ]
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    revoked = [*lines[:-1], f"CUARTA.- La sociedad revoca el poder conferido a favor de DOÑA {PN.upper()}."]
    assert judge(revoked, claim()).check("person_role").outcome == "fail"


def test_a_representative_of_the_mandatary_firm_is_the_mandatary_and_a_label_names_only_its_own_name():
    lines = [
        "CONTRATO DE MANDATO PARA LA GESTIÓN ENERGÉTICA",
        "En Valencia, a 15-11-2026.",
        f"De una parte, don {GN}, con D.N.I. {GNIF}, en nombre de {COMPANY}, con C.I.F. {CIF} (EL MANDANTE).",
        f"De otra, GESTIONES EBRO S.L., con C.I.F. B16524654 (LA GESTORA), representada por don {PN}, con D.N.I. {PNIF}.",
        "El MANDANTE designa mandataria a LA GESTORA para contratar los suministros.",
        f"EL MANDANTE: {GN}        POR LA GESTORA: {PN}",
    ]
    r = judge(lines, claim(request_type="external_manager"))
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    assert judge(lines, claim(GN, GNIF, request_type="external_manager")).check("person_role").outcome == "fail"


def test_an_agreement_to_remove_someone_with_the_charge_between_the_verb_and_the_name():
    lines = [
        "ESCRITURA DE ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES",
        "En Sabadell, a 25 de noviembre de 2026.",
        f"PRIMERO.- Cesar en su cargo de Administrador Único a D. {GN}, con D.N.I. {GNIF},",
        "agradeciéndole los servicios prestados.",
        f"SEGUNDO.- Nombrar Administrador Único a Dña. {PN}, con DNI {PNIF}, de la sociedad {COMPANY}, CIF {CIF}.",
    ]
    role = judge(lines, claim(GN, GNIF)).check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "outgoing"
    assert judge(lines, claim()).check("person_role").outcome == "pass"


CERT_HISTORY_CA = [
    "Registre Mercantil de Girona",
    "Certificació 2291",
    f"Societat: {COMPANY}   NIF: {CIF}",
    "Data de constitució: 01/02/2010",
    "CÀRRECS VIGENTS",
    f"Administradora única: NÚÑEZ DE LA TORRE, MARÍA DEL MAR   DNI: {PNIF}",
    "Data de nomenament: 04/05/2026",
    "HISTÒRIC DE CÀRRECS",
    f"Administrador únic: FERRER I PUIG, JAUME   DNI: {GNIF}",
    "Nomenat el 02/02/2011, cessat el 04/05/2026",
    "Data d'expedició: 10/11/2026",
]


def test_a_registry_sheet_with_charges_over_time_is_a_certificate_not_a_deed():
    # "administrador únic" must not count twice (the Catalan keyword is a prefix of the Spanish one)
    r = judge(CERT_HISTORY_CA, claim())
    assert r.doc_type == "registry_certificate" and r.date_basis == "issue"


def test_an_appointment_ended_on_the_same_row_is_outgoing():
    bad = judge(CERT_HISTORY_CA, claim(GN, GNIF)).check("person_role")
    assert bad.outcome == "fail" and bad.params["role"] == "outgoing", bad.detail
    assert judge(CERT_HISTORY_CA, claim()).check("person_role").outcome == "pass"
    # Spanish, the end written as a removal date after the appointment date
    lines = [
        line.replace("Nomenat el 02/02/2011, cessat el", "Nombrado el 02/02/2011 / Cesado el")
        for line in CERT_HISTORY_CA
    ]
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome == "fail"


def test_a_role_word_in_the_next_sentence_does_not_reach_back_to_the_name():
    lines = [
        "ESCRIPTURA D'ELEVACIÓ A PÚBLIC D'ACORDS SOCIALS",
        "A Girona, el 3 de novembre de 2026.",
        f"La junta de {COMPANY}, amb NIF {CIF}, acorda designar per a aquest càrrec, per temps indefinit,",
        f"la senyora {PN}, amb DNI {PNIF}, que accepta. Jo, la notària, en dono fe.",
    ]
    role = judge(lines, claim()).check("person_role")
    assert role.outcome == "pass", role.detail
    # an end of the charge after the full stop still reaches back (when unsure: needs attention)
    ended = lines[:-1] + [f"la senyora {PN}, amb DNI {PNIF}. Cessada el 4 de novembre de 2026."]
    assert judge(ended, claim()).check("person_role").outcome == "fail"


def test_a_form_label_line_names_the_value_on_the_next_line():
    lines = [
        "AUTORIZACIÓN PARA LA GESTIÓN DE SUMINISTROS",
        "Datos del mandatario",
        f"{PN} - NIE {PNIF}",
        "Titular de los suministros",
        f"{COMPANY} - CIF {CIF}",
        f"D. {GN}, con DNI {GNIF}, en representación del titular, firma la presente.",
        "Madrid, 4 de noviembre de 2026",
    ]
    good = judge(lines, claim(request_type="external_manager")).check("person_role")
    assert good.outcome == "pass", good.detail
    # a data row ending with its role cell still keeps that cell to itself
    table = ["CERTIFICACIÓN DEL REGISTRO MERCANTIL", f"{GN} {GNIF} 12/03/2015 Cesado", f"{PN} {PNIF} 02/10/2026"]
    assert judge(table, claim()).check("person_role").outcome != "pass"


def test_the_passive_grant_and_the_verb_before_its_grantor():
    lines = [
        "ESCRITURA DE PODER ESPECIAL",
        "En Valladolid, a 5 de noviembre de 2026.",
        f"Dña. {PN}, con DNI {PNIF}, queda apoderada para representar a {COMPANY}, con CIF {CIF},",
        "ante las compañías de suministro.",
        f"Lo otorga D. {GN}, con DNI {GNIF}, administrador único de la sociedad.",
    ]
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    bad = judge(lines, claim(GN, GNIF)).check("person_role")
    assert bad.outcome == "fail" and bad.params["role"] == "grantor", bad.detail


def _cells(page: PageText, cells: list[tuple[str, int, int, int]]) -> PageText:
    """Add words printed at given places: (text, x, y, line id) per cell, words 22 px a letter."""
    from ocr.results import Word

    for text, x, y, line in cells:
        for tok in text.split():
            page.words.append(Word(tok, x, y, x + 22 * len(tok), y + 40, 95.0, line))
            x += 22 * len(tok) + 20
    return page


def test_parties_side_by_side_the_column_heading_names_the_cell_and_the_id_under_it_binds():
    # two columns (grantor | attorney); OCR joined the left cell's first line with nothing of the right one,
    # so in reading order the attorney's name follows "representada por D." and the grantor's DNI comes
    # between the attorney's name and her own DNI
    head = page_from_lines(["ESCRITURA DE APODERAMIENTO", f"Otorgado por {COMPANY}"], source="text_layer")
    p = _cells(
        head,
        [
            ("PARTE PODERDANTE", 100, 300, 10),
            ("APODERADO/A", 1400, 300, 11),
            (f"{COMPANY}, CIF {CIF}, representada por D.", 100, 380, 12),
            (PN, 1400, 380, 13),
            (f"{GN} DNI {GNIF}", 100, 440, 14),
            (f"D.N.I. {PNIF}", 1400, 500, 15),
            ("En Soria, a 3 de noviembre de 2026, ante mí, LUIS PRADO GIL, Notario.", 100, 600, 16),
        ],
    )
    r = assess([p], claim(), today=UPLOAD)
    assert r.check("person_nif").outcome == "pass", r.check("person_nif").detail
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    bad = assess([p], claim(GN, GNIF), today=UPLOAD)
    assert bad.check("person_role").outcome != "pass" and bad.verdict == "needs_attention"


def test_a_label_followed_by_its_value_on_the_same_line_heads_no_column():
    lines = [
        "ESCRITURA DE PODER",
        "En Madrid, a 2 de noviembre de 2026.",
        f"Apoderada: Dña. {PN}, con DNI {PNIF}.",
        f"D. {GN}, con DNI {GNIF}, en nombre y representación de {COMPANY}, con CIF {CIF}, otorga el poder.",
    ]
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome == "fail"


def test_id_card_with_each_surname_under_its_own_label():
    card = [
        "DOCUMENT NACIONAL D'IDENTITAT",
        "PRIMER COGNOM / PRIMER APELLIDO",
        "NÚÑEZ",
        "SEGON COGNOM / SEGUNDO APELLIDO",
        "DE LA TORRE",
        "NOM / NOMBRE",
        "MARÍA DEL MAR",
        "VALIDESA 03 05 2031",
        f"DNI {PNIF}",
    ]
    r = judge(card, claim())
    assert r.doc_type == "id_document"
    assert r.fields["surnames"].value == "NÚÑEZ DE LA TORRE" and r.fields["given_names"].value == "MARÍA DEL MAR"
    assert r.check("person_name").outcome == "pass"


def test_a_name_whose_enye_ocr_read_as_fi_is_still_the_claimed_name():
    lines = [
        "ESCRIPTURA DE NOMENAMENT D'ADMINISTRADOR",
        "A Lleida, el 3 de novembre de 2026.",
        f"{COMPANY}, amb NIF {CIF}, nomena administradora única la senyora MARIA DEL MAR NUFIEZ DE LA TORRE,",
        f"amb DNI {PNIF}, que accepta el càrrec.",
    ]
    r = judge(lines, claim())
    assert r.check("person_name").outcome == "pass" and r.check("person_nif").outcome == "pass"
    assert judge(lines, claim("MARÍA DEL MAR FIGUERAS DE LA TORRE")).check("person_name").outcome != "pass"


PARTIES_ROWS = {
    "es": (
        [
            "ESCRITURA DE APODERAMIENTO",
            "En Teruel, a 4 de noviembre de 2026, ante mí, LUIS PRADO GIL, Notario.",
            f"Comparecen en nombre de {COMPANY}, con CIF {CIF}, las personas del cuadro:",
        ],
        [["PODERDANTE", "APODERADA"], [f"D. {GN}", f"Dña. {PN}"], [f"DNI {GNIF}", f"DNI {PNIF}"]],
    ),
    "ca": (
        [
            "ESCRIPTURA D'APODERAMENT",
            "A Girona, el 4 de novembre de 2026, davant meu, LLUÍS PRAT GIL, Notari.",
            f"Compareixen en nom de {COMPANY}, amb NIF {CIF}, les persones del quadre:",
        ],
        [["PODERDANT", "APODERADA"], [f"Sr. {GN}", f"Sra. {PN}"], [f"DNI {GNIF}", f"DNI {PNIF}"]],
    ),
}


@pytest.mark.parametrize("lang", ["es", "ca"])
def test_parties_side_by_side_read_row_by_row_never_bind_the_other_columns_id(lang):
    # OCR reads the two-column parties table row by row: "D. GRANTOR  Dña. ATTORNEY" then
    # "DNI grantor  DNI attorney", so the grantor's DNI is the identifier nearest the attorney's name
    lines, rows = PARTIES_ROWS[lang]
    p = page_from_lines(lines, source="text_layer", rows=rows)
    swapped = assess([p], claim(PN, GNIF), today=UPLOAD)  # attorney's name, grantor's NIF
    assert swapped.check("person_nif").outcome != "pass", swapped.check("person_nif").detail
    assert swapped.verdict != "clear"
    other = assess([p], claim(GN, PNIF), today=UPLOAD)  # grantor's name, attorney's NIF
    assert other.check("person_nif").outcome != "pass" and other.verdict != "clear"
    true = assess([p], claim(), today=UPLOAD)
    assert true.check("person_nif").outcome == "pass", true.check("person_nif").detail
    assert true.check("person_role").outcome == "pass", true.check("person_role").detail
    assert assess([p], claim(GN, GNIF), today=UPLOAD).check("person_role").outcome != "pass"


REGISTRY_EXTRACTS = {
    "es": [
        "REGISTRO MERCANTIL DE ZARAGOZA",
        f"Sociedad {COMPANY}, CIF {CIF}. Hoja Z-55120, inscripción 7.ª",
        f"Nombramiento de administrador único: Dña. {PN}, DNI {PNIF}, por plazo indefinido.",
        "Asiento de presentación del 12 de junio de 2026. Expedido el 2 de julio de 2026.",
    ],
    "ca": [
        "REGISTRE MERCANTIL DE GIRONA",
        f"Societat {COMPANY}, NIF {CIF}. Full registral GI-3321, inscripció 4a",
        f"Nomenament d'administradora única: Sra. {PN}, DNI {PNIF}, per termini indefinit.",
        "Assentament de presentació del 12 de juny de 2026. Expedit el 2 de juliol de 2026.",
    ],
}


@pytest.mark.parametrize("lang", ["es", "ca"])
def test_a_registry_extract_without_notarial_words_is_never_a_deed(lang):
    # no "certificación" and no "cargos vigentes", but no notary wrote it either: the certificate's
    # 90-day rule must apply
    r = judge(REGISTRY_EXTRACTS[lang], claim())
    assert r.doc_type == "registry_certificate", r.doc_type
    assert r.check("date").outcome != "pass" and r.verdict != "clear"
    # a deed that cites its registry entry stays a deed
    deed = [
        "ESCRITURA DE NOMBRAMIENTO DE ADMINISTRADOR",
        "Ante mí, LUIS PRADO GIL, Notario de Zaragoza,",
        f"{COMPANY}, inscrita en el Registro Mercantil de Zaragoza, hoja Z-55120, nombra administradora",
        f"única a Dña. {PN}, con DNI {PNIF}. En Zaragoza, a 3 de noviembre de 2026.",
    ]
    assert judge(deed, claim()).doc_type == "deed"


def test_a_name_matched_through_an_ocr_confusion_is_shown_as_printed():
    # "ñ" read as "fi", "m" read as "rn": the value shown is the page's word as printed, not the OCR's
    lines = [
        "ESCRITURA DE PODER ESPECIAL",
        "En Soria, a 3 de noviembre de 2026, ante mí, LUIS PRADO GIL, Notario.",
        f"{COMPANY}, con CIF {CIF}, otorga poder especial a favor de Dña. Rosa Carnps Ibafiez,",
        "con DNI 38752913Y, para representarla ante las distribuidoras.",
    ]
    r = judge(lines, claim("ROSA CAMPS IBÁÑEZ"))
    assert r.check("person_name").outcome == "pass"
    assert r.fields["person_name"].value == "Rosa Camps Ibáñez"
    assert judge(lines, claim("ROSA CAMPS IBÁÑEZ")).verdict == "clear"
    # a word read right is shown as read, even when the claim spells it otherwise
    assert judge(lines, claim("ROSA KAMPS IBAÑEZ")).check("person_name").outcome != "pass"
    enye = judge(
        [
            "ESCRIPTURA DE NOMENAMENT",
            f"{COMPANY}, amb NIF {CIF}, nomena administradora la senyora MARIA DEL MAR NUFIEZ DE LA TORRE,",
            f"amb DNI {PNIF}. A Lleida, el 3 de novembre de 2026.",
        ],
        claim(),
    )
    assert enye.fields["person_name"].value == "MARIA DEL MAR NÚÑEZ DE LA TORRE"


def test_id_card_value_read_before_its_label_and_the_mrz_on_the_back_page():
    # OCR read the first surname's line before its label line (a larger font, another block)
    front = _cells(
        page_from_lines(["DOCUMENTO NACIONAL DE IDENTIDAD"], source="ocr"),
        [
            ("NÚÑEZ", 100, 244, 3),
            ("PRIMER APELLIDO", 100, 190, 4),
            ("SEGUNDO APELLIDO", 100, 320, 5),
            ("DE LA TORRE", 100, 364, 6),
            ("NOMBRE", 100, 440, 7),
            ("MARÍA DEL MAR", 100, 484, 8),
            ("VALIDEZ 03 05 2031", 100, 560, 9),
            (f"DNI {PNIF}", 100, 640, 10),
        ],
    )
    r = assess([front], claim(), today=UPLOAD)
    assert r.fields["surnames"].value == "NÚÑEZ DE LA TORRE", r.fields["surnames"]
    assert r.check("person_name").outcome == "pass"
    # a two-sided card: the front's name field lost a surname, the back page's machine readable zone has it
    glare = page_from_lines(
        [
            "DOCUMENTO NACIONAL DE IDENTIDAD",
            "APELLIDOS",
            "NÚÑEZ",
            "NOMBRE",
            "MARÍA DEL MAR",
            "VALIDEZ 03 05 2031",
            f"DNI {PNIF}",
        ],
        source="ocr",
    )
    back = page_from_lines(
        ["IDESPBAF123456938752913Y<<<<<<", "8103129F3105036ESP<<<<<<<<<<<4", "NUNEZ<DE<LA<TORRE<<MARIA<DEL<MAR"],
        index=1,
        source="ocr",
    )
    assert assess([glare], claim(), today=UPLOAD).check("person_name").outcome != "pass"
    both = assess([glare, back], claim(), today=UPLOAD)
    assert both.check("person_name").outcome == "pass", both.check("person_name").detail
    assert assess([glare, back], claim("MARÍA DEL MAR NÚÑEZ GIL"), today=UPLOAD).check("person_name").outcome != "pass"


def test_the_id_under_a_name_binds_when_the_cell_beside_it_wraps_onto_more_lines():
    head = page_from_lines(
        ["ESCRITURA DE APODERAMIENTO", "En Soria, a 3 de noviembre de 2026, ante mí, LUIS PRADO GIL, Notario."],
        source="text_layer",
    )
    p = _cells(
        head,
        [
            ("PARTE PODERDANTE", 100, 300, 10),
            ("APODERADA", 1400, 300, 11),
            (f"{COMPANY},", 100, 380, 12),
            (PN, 1400, 380, 13),
            (f"CIF {CIF},", 100, 440, 14),
            ("representada por", 100, 500, 15),
            (f"D. {GN}", 100, 560, 16),
            (f"DNI {GNIF}", 100, 640, 17),
            (f"D.N.I. {PNIF}", 1400, 640, 18),
        ],
    )
    r = assess([p], claim(), today=UPLOAD)
    assert r.check("person_nif").outcome == "pass", r.check("person_nif").detail
    assert assess([p], claim(PN, GNIF), today=UPLOAD).check("person_nif").outcome != "pass"
    assert assess([p], claim(GN, PNIF), today=UPLOAD).check("person_nif").outcome != "pass"


def test_register_entry_events_under_the_person_govern_that_person_not_the_next_entry():
    # a register extract lists each person with its dated events on the line below: the events belong
    # to the entry above them, and an entry closed by a dated end ("Cessament: ...") is outgoing
    lines = [
        "REGISTRE MERCANTIL DE LLEIDA",
        "INFORMACIÓ REGISTRAL",
        f"Denominació: {COMPANY}  NIF {CIF}",
        "Data d'expedició: 2 de novembre de 2026",
        "CÀRRECS INSCRITS",
        f"CONSELLERA DELEGADA: NÚÑEZ DE LA TORRE, MARÍA DEL MAR  DNI {PNIF}",
        "    Nomenament: 03/10/2026. Vigent.",
        f"CONSELLER DELEGAT: FERRER I PUIG, JAUME  DNI {GNIF}",
        "    Nomenament: 12/05/2019. Reelecció: 14/05/2024. Cessament: 03/10/2026.",
        "APODERADA: PONS ROCA, LAIA  DNI 53422891D",
        "    Revocació: 4 de febrer de 2025.",
    ]
    out = judge(lines, claim(GN, GNIF)).check("person_role")
    assert out.outcome == "fail" and out.params["role"] == "outgoing", out.detail
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    people = {p.id_number: p for p in judge(lines, claim()).people}
    assert people["53422891D"].role == "outgoing"  # a revoked power, whatever its label says
    assert people[GNIF].name.endswith("PUIG JAUME")
    assert not any("CONSELLER" in p.name or "Vigent" in p.name for p in people.values())  # labels are not names
    # a dated label with the name after it on its line names that person, not the entry above
    moved = lines[:7] + [f"Cessament: 03/10/2026 JAUME FERRER I PUIG, DNI {GNIF}"]
    assert judge(moved, claim()).check("person_role").outcome == "pass"
    assert judge(moved, claim(GN, GNIF)).check("person_role").outcome != "pass"


def test_appearing_party_whose_capacity_the_deed_itself_confers_is_appointed_not_grantor():
    lines = [
        "ESCRITURA DE FORMALIZACIÓN DE ACUERDOS",
        "En Lleida, a tres de noviembre de dos mil veintiséis.",
        "Ante mí, ROSA VIDAL MARTÍ, Notario del Ilustre Colegio de Cataluña,",
        f"COMPARECE Dña. {PN}, mayor de edad, con DNI {PNIF}.",
        f"INTERVIENE en nombre de {COMPANY}, con CIF {CIF}, como administradora solidaria elegida en la",
        "junta general cuyos acuerdos se formalizan en este acto.",
        "Que la junta general celebrada el 20 de octubre de 2026 acordó por unanimidad:",
        f"Primero. Cesar en el cargo de administrador solidario al señor {GN}, con DNI {GNIF}.",
        f"Segundo. Nombrar administradora solidaria a Dña. {PN}, con DNI {PNIF}, que acepta.",
        "Así lo otorga y firma conmigo. Doy fe.",
    ]
    r = judge(lines, claim())
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    out = judge(lines, claim(GN, GNIF)).check("person_role")
    assert out.outcome == "fail" and out.params["role"] == "outgoing", out.detail
    # a grantor appointed by an earlier deed still acts as grantor
    power = [
        "ESCRITURA DE PODER",
        "En Lleida, a tres de noviembre de dos mil veintiséis.",
        "Ante mí, ROSA VIDAL MARTÍ, Notario del Ilustre Colegio de Cataluña,",
        f"COMPARECE D. {GN}, con DNI {GNIF}, en nombre de {COMPANY}, con CIF {CIF}, en su calidad de",
        "administrador único, nombrado en escritura autorizada por el notario de Lleida el 3 de mayo de 2019.",
        f"Y OTORGA poder general a favor de Dña. {PN}, con DNI {PNIF}.",
    ]
    assert judge(power, claim(GN, GNIF)).check("person_role").outcome == "fail"
    assert judge(power, claim()).check("person_role").outcome == "pass"


def test_act_column_cell_names_the_act_of_its_row_when_the_table_is_read_column_by_column():
    lines = [
        "REGISTRE MERCANTIL DE LLEIDA",
        "CERTIFICACIÓ D'ASSENTAMENTS",
        f"La registradora certifica que al full de {COMPANY}, NIF {CIF}, consten els assentaments següents:",
    ]
    columns = [
        ["Data", "12/05/2019", "03/10/2026", "03/10/2026"],
        ["Acte", "Nomenament", "Cessament", "Nomenament"],
        [
            "Titular",
            f"FERRER I PUIG, JAUME ({GNIF})",
            f"FERRER I PUIG, JAUME ({GNIF})",
            f"NÚÑEZ DE LA TORRE, MARÍA DEL MAR ({PNIF})",
        ],
    ]
    tail = ["Són vigents els càrrecs que no consten cessats o revocats al quadre anterior."]
    r = assess([page_from_lines(lines, source="ocr", columns=columns)], claim(), today=UPLOAD)
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    out = assess([page_from_lines(lines, source="ocr", columns=columns)], claim(GN, GNIF), today=UPLOAD)
    assert out.check("person_role").outcome == "fail"
    # the note under the table is about the rows that end; it does not end the last row
    both = page_from_lines(lines, source="ocr", columns=columns)
    both.words += [
        w.__class__(w.text, w.x0, w.y0 + 300, w.x1, w.y1 + 300, w.conf, 999)
        for w in page_from_lines(tail, source="ocr").words
    ]
    assert assess([both], claim(), today=UPLOAD).check("person_role").outcome == "pass"
    assert assess([both], claim(GN, GNIF), today=UPLOAD).check("person_role").outcome == "fail"


def test_a_registry_note_states_its_issue_date_in_its_header_box_or_with_a_catalan_verb():
    body = [
        f"Denominació: {COMPANY}",
        f"NIF: {CIF}",
        "Data de constitució: 01/02/2010",
        f"ADMINISTRADORA ÚNICA: NÚÑEZ DE LA TORRE, MARÍA DEL MAR  DNI {PNIF}",
        "    Nomenament: 04/05/2026. Vigent.",
    ]
    header = ["NOTA INFORMATIVA   REGISTRE MERCANTIL DE GIRONA", "Data: 02.11.2026   Full: GI-40213"]
    r = judge(header + body, claim())
    assert r.check("date").outcome == "pass" and r.fields["date"].value == "2026-11-02", r.check("date").detail
    # a date label further down dates an entry, not the note
    late = ["NOTA INFORMATIVA   REGISTRE MERCANTIL DE GIRONA", "Full: GI-40213"] + body + ["Data: 02.11.2026"]
    assert judge(late, claim()).check("date").code == "issue_date_not_stated"
    # "Lliurada a Girona, el ...": the registrar's closing formula states the issue
    closing = ["REGISTRE MERCANTIL DE GIRONA", "CERTIFICACIÓ"] + body + ["Lliurada a Girona, el 2 de novembre de 2026."]
    assert judge(closing, claim()).check("date").outcome == "pass"
    assert judge(closing[:-1] + ["Girona, el 2 de novembre de 2026."], claim()).check("date").outcome != "pass"


def test_a_mandate_form_names_the_representative_under_a_numbered_section_and_the_signer_as_grantor():
    lines = [
        "AUTORITZACIÓ PER A TRÀMITS DE SUBMINISTRAMENT",
        "A. TITULAR DEL CONTRACTE",
        f"Raó social: {COMPANY}",
        f"NIF: {CIF}",
        f"Signant en nom de l'entitat: {GN} (DNI {GNIF}), apoderat",
        "B. PERSONA AUTORITZADA",
        "Nom i cognoms",
        PN,
        "DNI / NIE",
        PNIF,
        "El titular autoritza la persona indicada a fer els tràmits davant la distribuïdora.",
        "Data de signatura: 3 de novembre de 2026",
    ]
    r = judge(lines, claim())
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    signer = judge(lines, claim(GN, GNIF)).check("person_role")
    assert signer.outcome == "fail" and signer.params["role"] == "grantor", signer.detail


def test_a_cue_ends_at_a_word_end_when_the_name_after_it_starts_with_an_a():
    lines = [
        "ESCRIPTURA DE PODER",
        "A Lleida, el 3 de novembre de 2026, davant meu, ROSA VIDAL MARTÍ, notària,",
        f"{COMPANY}, amb NIF {CIF}, representada pel seu administrador JAUME FERRER I PUIG, DNI {GNIF},",
        "apodera ÀNNIA ROCA VIDAL, DNI 52114790X, perquè representi la societat davant les distribuïdores.",
    ]
    r = judge(lines, claim("ÀNNIA ROCA VIDAL", "52114790X"))
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail


def _letter(verb: str) -> list[str]:
    return [
        f"{COMPANY} - CIF {CIF}",
        "Lleida, 2 de noviembre de 2026",
        "Asunto: gestión de los contratos de electricidad",
        f"Por medio de la presente, D. {GN}, con DNI {GNIF}, gerente de la empresa,",
        f"{verb} a Dña. {PN}, con DNI {PNIF}, a tramitar altas, bajas y cambios",
        "de potencia de nuestros suministros ante cualquier distribuidora.",
    ]


def test_a_letter_in_the_first_person_authorises_the_person_it_names():
    for verb in ("AUTORIZO", "autorizamos"):
        r = judge(_letter(verb), claim())
        assert r.check("person_role").outcome == "pass", verb
        assert judge(_letter(verb), claim(GN, GNIF)).check("person_role").outcome != "pass"


def test_several_attorneys_listed_together_are_each_appointed_by_the_purpose_clause():
    lines = [
        "PODER ESPECIAL",
        "En Girona, a 5 de octubre de 2026. Ante mí, ROSA VIDAL MARTÍ, Notario,",
        f"COMPARECE D. {GN}, con DNI {GNIF}, en nombre y representación de {COMPANY}, CIF {CIF},",
        "Y OTORGA: que apodera a D. PERE SOLER I ROCA, con DNI 45678912K, y a",
        f"Dña. {PN}, con DNI {PNIF}, para que, cualquiera de ellos, solidariamente,",
        "pueda contratar suministros de energía en nombre de la sociedad.",
    ]
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    revoked = lines[:3] + [
        "Y OTORGA: que revoca el poder otorgado a D. PERE SOLER I ROCA, con DNI 45678912K, y a",
        f"Dña. {PN}, con DNI {PNIF}, para que indistintamente gestionaran",
        "los suministros de energía de la sociedad.",
    ]
    assert judge(revoked, claim()).check("person_role").outcome != "pass"


def test_a_contract_names_its_parties_by_the_label_it_defines_for_them():
    lines = [
        "CONTRATO DE GESTIÓN",
        "En Tarragona, a 1 de octubre de 2026.",
        f"De un lado, {COMPANY}, CIF {CIF}, representada por D. {GN}, con DNI {GNIF}, en lo sucesivo EL CLIENTE.",
        f"De otro lado, Dña. {PN}, ingeniera, con DNI {PNIF}, en lo sucesivo LA GESTORA.",
        "El cliente encarga la contratación de sus suministros de energía.",
    ]
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome != "pass"


def test_a_board_resolution_raised_by_a_notary_names_the_appointed_in_the_past_tense_and_a_heading_points_nowhere():
    lines = [
        "ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES",
        "En Bilbao, a dos de noviembre de dos mil veintiséis. Ante mí, JUAN PÉREZ GIL, Notario,",
        f"COMPARECE Doña ROCÍO ÁLVAREZ PÉREZ, con D.N.I. 56634703D, Presidenta de {COMPANY}, con C.I.F. {CIF}.",
        f"EXPONE Que la Junta aceptó la dimisión presentada por don {GN}, con D.N.I. {GNIF}, como consejero,",
        f"y nombró consejera delegada, por el plazo de seis años, a doña {PN}, con D.N.I. {PNIF}.",
        "Antes de los acuerdos Después de los acuerdos",
        f"{GN} (Consejero) {PN} (Consejera)",
        "OTORGA",
        "Que eleva a público los acuerdos reseñados.",
    ]
    assert judge(lines, claim()).check("person_role").outcome == "pass"
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome == "fail"


def test_a_catalan_mandate_to_el_senyor_and_a_signature_label_with_a_slash():
    lines = [
        "COMUNITAT DE PROPIETARIS CARRER MAJOR 32",
        "NIF H27286632",
        "MANDAT PER A LA GESTIÓ ENERGÈTICA",
        f"La senyora LAIA ROCA I VILASECA, amb DNI {GNIF}, presidenta de la comunitat, ATORGA MANDAT al senyor",
        f"{PN}, gestor energètic, amb DNI {PNIF}, perquè contracti els subministraments.",
        "Vic, 22.10.2026",
        f"Presidenta: Laia Roca i Vilaseca    Accepto. Gestor/a: {PN}",
    ]
    c = Claim(
        request_type="external_manager",
        company_cif="H27286632",
        company_name="Comunitat de Propietaris Carrer Major 32",
        person_nif=PNIF,
        person_name=PN,
    )
    r = judge(lines, c)
    assert r.check("person_role").outcome == "pass" and r.fields["date"].value == "2026-10-22"


def test_a_power_that_transcribes_a_board_certificate_is_a_power_not_a_registry_certificate():
    lines = [
        "NÚMERO 4.771",
        "PODER EN EJECUCIÓN DE ACUERDO DEL CONSEJO DE ADMINISTRACIÓN",
        "En Málaga, a 04/11/2024.",
        "Ante mí, Francisco Javier Díaz Moreno, Notario de Málaga,",
        "COMPARECE",
        f"Don {GN}, con D.N.I. {GNIF}, Secretario del Consejo de {COMPANY}, con C.I.F. {CIF}, en ejecución",
        "del acuerdo que resulta de la certificación que me entrega y transcribo:",
        "CERTIFICACIÓN (transcripción literal)",
        f"«{GN}, Secretario, CERTIFICO: Que el Consejo acordó conferir poder a favor de doña {PN},",
        f"con D.N.I. {PNIF}.» Y en su virtud el compareciente OTORGA el poder. Inscripción en el Registro Mercantil.",
    ]
    r = judge(lines, claim(), today=dt.date(2024, 11, 20))
    assert r.doc_type in ("power_of_attorney", "deed") and r.date_basis == "execution"
    assert r.check("person_role").outcome == "pass"


def test_an_electronic_signature_dates_a_certificate_in_iso_form():
    lines = [
        "Registro Mercantil de Madrid - Publicidad formal : Solicitud n.º 5334891 de 02/11/2026",
        "CERTIFICACIÓN DE ADMINISTRADORES Y APODERADOS",
        f"Sociedad {COMPANY} — NIF {CIF}",
        "Cargo Titular DNI/NIE Inscripción",
        f"Administrador Único {PN} {PNIF} 9.ª 23/09/2024",
        f"Cese: {GN}, DNI {GNIF}, Administrador Único, inscripción 9.ª de 23/09/2024.",
        "Firmado electrónicamente por: ANTONI ROIG BOSCH (Registrador Mercantil) · Fecha: 2026-11-04 16:47:41 CET",
    ]
    r = judge(lines, claim())
    assert r.fields["date"].value == "2026-11-04" and r.check("date").outcome == "pass"
    assert r.check("person_role").outcome == "pass"
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome == "fail"


def test_an_italian_card_issue_date_and_a_control_w_read_as_two_vs():
    card = [
        "REPUBBLICA ITALIANA",
        "CARTA DI IDENTITA / IDENTITY CARD",
        "COGNOME / SURNAME",
        "BIANCHI",
        "NOME / NAME",
        "GIULIA",
        "EMISSIONE / ISSUING",
        "06.08.2021",
        "SCADENZA / EXPIRY",
        "26.02.2031",
        "N.I.E. Z6403197 VV",
    ]
    c = Claim(request_type="representative_change", person_nif="Z6403197W", person_name="Giulia Bianchi")
    r = judge(card, c)
    assert r.fields["issue_date"].value == "2021-08-06" and r.fields["expiry"].value == "2031-02-26"
    assert r.check("person_nif").outcome == "pass"


REGISTER_NOTE = [
    "Colegio de Registradores - Publicidad Mercantil",
    "NOTA INFORMATIVA DE ADMINISTRADORES Y CARGOS",
    f"Denominación {COMPANY}",
    f"NIF {CIF}",
    "Fecha de emisión 10/11/2026",
    "Cargos vigentes",
    "Cargo Nombre DNI/NIE Fecha nombr.",
    f"Presidenta {GN} {GNIF} 20/02/2020",
    f"Consejero {PN} {PNIF} 05/05/2023",
    f"Consejero Deleg. {PN} {PNIF} 05/05/2023",
    "Secretaria no cons. MARTA IBÁÑEZ HERNÁNDEZ 84282938J 20/02/2020",
]


def test_a_register_row_gives_the_charge_and_only_a_representing_charge_appoints():
    # the board's chair holds a current charge, but not the power to represent: her claim fails
    chair = judge(REGISTER_NOTE, claim(GN, GNIF)).check("person_role")
    assert chair.outcome == "fail" and chair.params["role"] == "other", chair.detail
    # a plain member who is also the managing director: the second row appoints
    assert judge(REGISTER_NOTE, claim()).check("person_role").outcome == "pass"
    no_md = [line for line in REGISTER_NOTE if "Deleg." not in line]
    assert judge(no_md, claim()).check("person_role").outcome != "pass"


def test_a_label_reaches_an_identifier_alone_over_no_other_name():
    lines = [
        "AUTORIZACIÓN Y MANDATO DE REPRESENTACIÓN",
        f"1. CLIENTE (MANDANTE) Razón social {COMPANY} CIF {CIF}",
        f"2. MANDATARIO Nombre y apellidos {PN} DNI/NIE {PNIF}",
        "Lugar Girona Fecha 01/10/2026",
        "Firma del cliente Firma del mandatario",
        f"Testigo de la firma: Begoñ4 de la T0rre de los Sant0s, DNI {GNIF}",
    ]
    c = Claim(
        request_type="external_manager",
        company_cif=CIF,
        company_name=COMPANY,
        person_nif=GNIF,
        person_name="Begoña de la Torre de los Santos",
    )
    assert judge(lines, c).check("person_role").outcome != "pass"


def _listed_power(opening: str, after_list: list[str]) -> list[str]:
    return [
        "PODER GENERAL PARA PLEITOS",
        "En Girona, a doce de octubre de dos mil veintiséis.",
        "Ante mí, ROSA VIDAL MARTÍ, Notario del Ilustre Colegio de Cataluña,",
        f"COMPARECE D. {GN}, mayor de edad, con DNI {GNIF},",
        f"en nombre y representación de {COMPANY}, con CIF {CIF}.",
        "OTORGA",
        opening,
        "A) Procuradores de los Tribunales de Girona:",
        "doña Ana Belén Benítez Sánchez",
        "don Gonzalo Rodríguez Navarro",
        "doña Concepción Cabrera Ortega",
        "B) Letrados del Ilustre Colegio de la Abogacía de Girona:",
        "don Ramón Rubio Gómez, colegiado número 77760",
        "don Gonzalo de las Heras Cabrera, colegiado número 63122",
        f"C) Los empleados de la sociedad doña {PN}, con D.N.I. {PNIF},",
        "y don Íñigo Delgado Herrera, con D.N.I. 18361128-K.",
        *after_list,
    ]


def test_a_grant_that_announces_a_list_appoints_each_person_listed_under_it():
    listed = _listed_power(
        "Que confiere PODER a favor de las personas que a continuación se relacionan, para que cualquiera "
        "de ellas, solidaria e indistintamente, represente a la sociedad poderdante:",
        ["FACULTADES: comparecer ante toda clase de Juzgados y Tribunales."],
    )
    r = judge(listed, claim())
    assert r.check("person_role").outcome == "pass" and r.check("person_role").params["role"] == "appointed"
    assert r.verdict == "clear"
    grantor = judge(listed, claim(GN, GNIF)).check("person_role")
    assert grantor.outcome == "fail" and grantor.params["role"] == "grantor"  # the list does not reach back


def test_a_listed_grant_ends_at_its_heading_and_a_revoked_list_appoints_nobody():
    after_heading = _listed_power(
        "Que confiere PODER a favor de les persones següents, perquè qualsevol d'elles representi la societat:",
        [],
    )
    # the person named only after the list's heading is not an entry of it
    assert judge(after_heading, claim()).check("person_role").outcome == "pass"
    moved = after_heading[:7] + ["OBSERVACIONES: consta como testigo"] + after_heading[7:]
    assert judge(moved, claim()).check("person_role").outcome != "pass"
    revoked = _listed_power(
        "Que revoca el poder conferido a favor de las personas siguientes, que quedan sin efecto:",
        [],
    )
    role = judge(revoked, claim()).check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "outgoing"


def _header_box_certificate(value_x: int) -> PageText:
    """A register's certificate whose header box prints "Fecha de expedición" at the right of its first line and the
    date under it, at ``value_x``; the entries below date their own acts."""
    body = page(
        [
            "REGISTRO MERCANTIL CENTRAL",
            "Sección de Publicidad",
            "CERTIFICACIÓN DE HISTORIAL DE CARGOS",
            f"Denominación social {COMPANY} N.I.F. {CIF}",
            f"12/05/2021 Nombramiento Adm. Único NÚÑEZ DE LA TORRE, MARÍA DEL MAR {PNIF}",
            "Situación actual: Administrador Único.",
        ]
    )

    def run(text: str, x: int, line: int) -> list[Word]:
        out = []
        for tok in text.split():
            out.append(Word(tok, x, 100 + 60 * line, x + 22 * len(tok), 140 + 60 * line, 95.0, line))
            x += 22 * len(tok) + 20
        return out

    words = run("Fecha de expedición", 1500, 0) + run("03/11/2026", value_x, 1)
    return PageText(0, width=2480, height=3508, source="text_layer", words=body.words + words, mean_conf=95.0)


def test_an_issue_label_over_its_value_in_a_header_box_dates_the_certificate():
    c = claim()
    date = assess([_header_box_certificate(1550)], c, today=UPLOAD).check("date")
    assert date.outcome == "pass" and date.params["date"] == "2026-11-03" and date.code == "date_ok"
    # the same date far from the label's column is only the latest date on the page, not one stated as the issue
    apart = assess([_header_box_certificate(700)], c, today=UPLOAD).check("date")
    assert apart.code == "issue_date_not_stated"


def test_a_differing_identifier_points_at_the_number_most_like_the_claimed_one():
    lines = [line.replace(PNIF, "38752918B") for line in CESE_ES]  # the new administrator's number, one digit off
    r = judge(lines, claim())
    nif = r.check("person_nif")
    assert nif.outcome == "fail" and nif.evidence.text.replace("-", "") == "38752918B"  # not the grantor's, named first
    assert GNIF in nif.params["values"]
