"""Roles on layouts the engine was not built against (issue 13, holdout6 families).

Each test builds a page word by word (as OCR gives it: a table row read as one line) and states
who the document appoints and who it does not; the should-not-match claims beside each case keep
the danger at zero."""

from __future__ import annotations

import datetime as dt

from ocr import Claim, assess
from tests.ocr.ocr_testutil import page_from_lines

UPLOAD = dt.date(2026, 11, 20)
GN, GNIF = "JAUME FERRER I PUIG", "47110823S"  # grantor / outgoing / president / secretary
PN, PNIF = "MARÍA DEL MAR NÚÑEZ DE LA TORRE", "38752913Y"  # appointed / attorney / mandatary
SN, SNIF = "PAU MASDÉU COLL", "52019482Z"  # a second attorney, or a third party
CIF, COMPANY = "B65214843", "TALLERS DEL SEGRE SL"


def role_check(lines: list[str], name: str, nif: str, request_type: str = "representative_change"):
    page = page_from_lines(lines, source="text_layer")
    c = Claim(request_type=request_type, company_cif=CIF, company_name=COMPANY, person_nif=nif, person_name=name)
    return assess([page], c, today=UPLOAD).check("person_role")


def quadre_apoderats(first: tuple[str, str], second: tuple[str, str]) -> list[str]:
    return [
        "ESCRIPTURA DE PODER",
        "A Lleida, el 3 de novembre de 2026. Davant meu, ROSA VIDAL MARTÍ, notària del Col·legi de Catalunya,",
        "COMPAREIX",
        f"El senyor {GN}, major d'edat, amb DNI {GNIF}, que actua com a administrador únic de la",
        f"societat {COMPANY}, amb NIF {CIF}.",
        "ATORGA",
        "Que la societat confereix poder a favor de les persones que figuren al quadre següent, perquè",
        "qualsevol d'elles, de manera solidària, pugui contractar, modificar i donar de baixa subministraments",
        "d'electricitat i gas i signar els contractes d'accés a la xarxa:",
        "QUADRE D'APODERATS",
        "Nom i cognoms DNI / NIE Càrrec a l'empresa",
        f"{first[0]} {first[1]} Cap de compres",
        f"{second[0]} {second[1]} Gerent",
        "Així ho diu i atorga. Llegida aquesta escriptura, la signa amb mi. Dono fe.",
    ]


def test_every_attorney_in_a_table_after_the_grant_is_appointed_and_the_grantor_is_not():
    lines = quadre_apoderats((PN, PNIF), (SN, SNIF))
    for name, nif in ((PN, PNIF), (SN, SNIF)):
        check = role_check(lines, name, nif)
        assert check.outcome == "pass", (name, check.detail)
    grantor = role_check(lines, GN, GNIF)
    assert grantor.outcome == "fail" and grantor.params["role"] == "grantor"


def test_the_deeds_closing_formula_does_not_make_the_last_attorney_listed_a_grantor():
    lines = quadre_apoderats((SN, SNIF), (PN, PNIF))  # the claimed attorney on the row just before "atorga"
    assert role_check(lines, PN, PNIF).outcome == "pass"


ACTA = [
    "ACTA DE MANIFESTACIONES",
    "En Lleida, a tres de noviembre de dos mil veintiséis. Ante mí, ROSA VIDAL MARTÍ, Notario de esta ciudad,",
    "Comparece",
    f"Doña {PN}, mayor de edad, con domicilio a estos efectos en Lleida y provista de D.N.I. {PNIF}.",
    "Manifestaciones",
    f"PRIMERA.- Que por decisión del socio único de {COMPANY}, con C.I.F. {CIF}, adoptada el 20 de octubre",
    f"de 2026, fue cesado como administrador único don {GN}, con D.N.I. {GNIF}.",
    "SEGUNDA.- Que en la misma decisión fue nombrada administradora única la compareciente, que aceptó el",
    "cargo y lo ejerce desde entonces.",
    "Así lo manifiesta. Leo esta acta a la compareciente, que la aprueba y firma conmigo. Doy fe.",
]


def test_the_appearing_party_who_declares_their_own_appointment_is_appointed():
    check = role_check(ACTA, PN, PNIF)
    assert check.outcome == "pass" and check.params["role"] == "appointed"


def test_the_outgoing_administrator_named_in_the_declarations_still_fails():
    check = role_check(ACTA, GN, GNIF)
    assert check.outcome == "fail" and check.params["role"] == "outgoing"


def test_an_appearing_party_is_not_appointed_when_the_deed_ends_the_appearers_charge():
    lines = [
        line.replace("fue nombrada administradora única la compareciente", "fue cesada la compareciente")
        for line in ACTA
    ]
    assert role_check(lines, PN, PNIF).outcome != "pass"


BOARD = [
    "CERTIFICADO DEL ACUERDO DE LA JUNTA DIRECTIVA",
    f"Don {GN}, con D.N.I. {GNIF}, en calidad de Secretario de la Junta Directiva de la entidad {COMPANY},",
    "CERTIFICA:",
    "Que en la reunión de la Junta Directiva celebrada el 20 de octubre de 2026 se adoptó por unanimidad el",
    "siguiente acuerdo:",
    f"«Facultar a doña {PN}, con D.N.I./N.I.E. {PNIF}, gerente de la entidad, para que en su nombre contrate,",
    "modifique y dé de baja los suministros de electricidad y gas de los locales de la entidad, y revocar las",
    f"facultades conferidas con el mismo fin a don {SN}, con D.N.I. {SNIF}, anterior gerente.»",
    "Y para que así conste, expido el presente certificado con el visto bueno del presidente, en Lleida, a",
    "3 de noviembre de 2026.",
    f"Vº Bº Presidente: ANTONI ROCA SALA (D.N.I. 21564870R) Secretario: {GN}",
]


def test_the_manager_a_board_resolution_empowers_is_appointed():
    check = role_check(BOARD, PN, PNIF)
    assert check.outcome == "pass" and check.params["role"] == "appointed"


def test_the_board_certificates_secretary_president_and_former_manager_do_not_match():
    assert role_check(BOARD, GN, GNIF).outcome == "fail"  # the secretary who certifies
    assert role_check(BOARD, "ANTONI ROCA SALA", "21564870R").outcome != "pass"  # the president's Vº Bº
    former = role_check(BOARD, SN, SNIF)
    assert former.outcome == "fail" and former.params["role"] == "outgoing"


CHARGES = [
    "CERTIFICACIÓN DE CARGOS VIGENTES",
    f"JOSEP MIRÓ, Registrador Mercantil, CERTIFICA: que en la hoja abierta a {COMPANY}, con N.I.F. {CIF},",
    "constan vigentes los cargos siguientes:",
    "Cargo Nombre D.N.I./N.I.E. Nombramiento Inscripción",
    f"Administrador único {PN} {PNIF} 31/01/2026 01/03/2026",
    "Cargos cesados",
    "Cargo Nombre D.N.I. Cese (inscripción)",
    f"Administrador único {GN} {GNIF} 20/01/2026 (3.ª)",
]


def test_a_current_charge_above_the_table_of_ceased_ones_is_appointed():
    check = role_check(CHARGES, PN, PNIF)
    assert check.outcome == "pass" and check.params["role"] == "appointed"


def test_the_ceased_charge_of_the_registry_certificate_still_fails():
    check = role_check(CHARGES, GN, GNIF)
    assert check.outcome == "fail" and check.params["role"] == "outgoing"


ENCARREC = [
    "FULL D'ENCÀRREC DE GESTIÓ DELS SUBMINISTRAMENTS",
    "Part Nom NIF",
    f"Comunitat {COMPANY} {CIF}",
    f"Signa com a president {GN} {GNIF}",
    f"Administradora de finques {PN} {PNIF}",
    "col·legiada núm. 2370",
    "La comunitat, representada pel seu president en virtut de l'acord de la junta de propietaris, encarrega a",
    "l'administradora de finques que hi figura la gestió següent:",
    "Lloc i data: Lleida, 3 de novembre de 2026",
]


def test_the_property_administrator_of_a_community_mandate_is_the_mandatary():
    check = role_check(ENCARREC, PN, PNIF, "external_manager")
    assert check.outcome == "pass" and check.params["role"] == "appointed"


def test_the_communitys_president_who_signs_the_mandate_is_not_the_mandatary():
    assert role_check(ENCARREC, GN, GNIF, "external_manager").outcome != "pass"


def test_a_resolution_letting_the_boards_own_officers_sign_appoints_neither_of_them():
    lines = [
        "CERTIFICADO DEL ACTA DE LA JUNTA DE PROPIETARIOS",
        f"La junta acuerda otorgar mandato a doña {PN}, con D.N.I. {PNIF}, gestora energética, facultar a la",
        f"presidenta, doña {SN.title()}, con D.N.I. {SNIF}, para firmar el mandato, y facultar al secretario, don",
        f"{GN.title()}, con D.N.I. {GNIF}, para expedir las certificaciones del acuerdo.",
    ]
    assert role_check(lines, PN, PNIF, "external_manager").outcome == "pass"
    assert role_check(lines, SN, SNIF, "external_manager").outcome != "pass"
    assert role_check(lines, GN, GNIF, "external_manager").outcome != "pass"
