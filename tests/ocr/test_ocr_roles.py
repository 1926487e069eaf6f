"""Roles, not mentions; the date that counts; ID cards by field; notarial data; the set verdict.

Pages are built word by word (as a text layer or an OCR engine gives them), so each test states
one behaviour of the assessment without running Tesseract; tests/ocr/test_ocr_corpus*.py run the
same rules through real OCR."""

from __future__ import annotations

import datetime as dt

import pytest

from ocr import Claim, PageText, assess, combine
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
    for line, want in (("Protocolo n.º 1.502", "1.502"), ("Núm. 3.004 de mi protocolo", "3.004"),
                       ("NÚMERO DE PROTOCOLO 2 . 871", "2.871"), ("Número de protocol: 788", "788")):
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
    assert judge(CERTIFICATE, claim(), today=dt.date(2027, 6, 1), certificate_max_days=400).check("date").outcome == "pass"


def test_borme_entry_ceses_and_nombramientos():
    lines = ["BOLETÍN OFICIAL DEL REGISTRO MERCANTIL", "SECCIÓN PRIMERA. Actos inscritos", "BARCELONA",
             f"483920 - {COMPANY}.",
             "Ceses/Dimisiones. Adm. Unico: FERRER PUIG JAUME. Nombramientos. Adm. Unico: NUÑEZ DE LA TORRE MARIA "
             "DEL MAR. Datos registrales. T 45021 , F 112, S 8, H B 476523, I/A 7 (02.10.26).",
             "Barcelona, a 5 de noviembre de 2026"]
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
    lines = ["ESCRITURA DE PODER ESPECIAL", "En Sevilla, a 2 de noviembre de 2026.",
             f"La sociedad {COMPANY}, con CIF {CIF}, otorga poder según el cuadro siguiente:"]
    columns = [["NOMBRE", GN, PN], ["DNI", GNIF, PNIF], ["CARÁCTER", "Poderdante", "Apoderada"]]
    assert judge(lines, claim(), columns=columns).check("person_role").outcome == "pass"
    assert judge(lines, claim(GN, GNIF), columns=columns).check("person_role").outcome == "fail"


def test_revoked_attorney_is_outgoing():
    lines = ["ESCRITURA DE REVOCACIÓN DE PODER", "En Bilbao, a 2 de noviembre de 2026.",
             f"D. {GN}, con DNI {GNIF}, en nombre de {COMPANY}, con CIF {CIF}, revoca y deja sin efecto el poder",
             f"general otorgado a favor de Dña. {PN}, con DNI {PNIF}, el 3 de marzo de 2019."]
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
    lines = ["ESCRITURA DE PODER", "En Madrid, a 2 de noviembre de 2026.",
             "a favor de Dña. MARÍA DEL MAR", "NÚÑEZ DE LA TORRE, con DNI " + PNIF + ","]
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
    lines = CERTIFICATE[:-2] + ["Fecha de expedición: 10/11/2024.", "Datos consultados el 18 de noviembre de 2026.",
                                "Código Seguro de Verificación: 7F3K-9QZP-2M4X-BT8R"]
    r = judge(lines, claim())
    assert r.fields["date"].value == "2024-11-10" and r.check("date").code == "certificate_stale"


def test_a_grantor_acting_as_the_companys_attorney_is_not_the_new_attorney():
    lines = ["ESCRITURA DE PODER", "En Madrid, a 2 de noviembre de 2026.",
             f"Comparece D. {GN}, con DNI {GNIF}, en su calidad de apoderado de la sociedad {COMPANY}, con CIF {CIF},",
             f"y confiere poder general y especial a Dña. {PN}, con DNI {PNIF}, tan amplio como en Derecho se requiera."]
    assert judge(lines, claim(GN, GNIF)).check("person_role").outcome == "fail"
    assert judge(lines, claim()).check("person_role").outcome == "pass"


def test_id_card_values_beside_their_labels_and_a_passport_mrz():
    card = ["REINO DE ESPAÑA PASAPORTE PASSPORT", "APELLIDOS NÚÑEZ DE LA TORRE", "NOMBRE MARÍA DEL MAR",
            f"DNI {PNIF}", "FECHA DE CADUCIDAD 03 05 2031", "P<ESPNUNEZ<DE<LA<TORRE<<MARIA<DEL<MAR<<<<<<<<<<<"]
    r = judge(card, claim())
    assert r.fields["surnames"].value == "NÚÑEZ DE LA TORRE" and r.fields["given_names"].value == "MARÍA DEL MAR"
    assert r.check("person_name").outcome == "pass" and r.fields["expiry"].value == "2031-05-03"
    misread = [line.replace("NÚÑEZ DE LA TORRE", "NUÑEZ DE LA T0RRF") for line in card]
    assert judge(misread, claim()).check("person_name").outcome == "pass"  # the MRZ name confirms it


def test_a_certificate_whose_issue_date_is_not_stated_cannot_prove_it_is_current():
    lines = [line for line in CERTIFICATE if not line.startswith("Y para que conste")] + ["Barcelona, 10 de noviembre de 2026."]
    r = judge(lines, claim())
    assert r.fields["date"].value == "2026-11-10"  # shown, as the latest date on the certificate
    assert r.check("date").outcome == "not_found" and r.check("date").code == "issue_date_not_stated"
    assert r.verdict == "needs_attention"


def test_an_agreement_to_remove_someone_with_the_charge_between_the_verb_and_the_name():
    lines = ["ESCRITURA DE ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES", "En Sabadell, a 25 de noviembre de 2026.",
             f"PRIMERO.- Cesar en su cargo de Administrador Único a D. {GN}, con D.N.I. {GNIF},",
             "agradeciéndole los servicios prestados.",
             f"SEGUNDO.- Nombrar Administrador Único a Dña. {PN}, con DNI {PNIF}, de la sociedad {COMPANY}, CIF {CIF}."]
    role = judge(lines, claim(GN, GNIF)).check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "outgoing"
    assert judge(lines, claim()).check("person_role").outcome == "pass"
