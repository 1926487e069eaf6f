"""Roles and dates on the layouts of the tenth holdout part (issue 13), measured once unseen.

Each page is built word by word as OCR gives it; beside every case that must pass stands the claim that must not
(the customer's own representative, the ceased administrator, a mandate signed after the upload), so that a fix for
one cannot open the other."""

from __future__ import annotations

import datetime as dt

from ocr import Claim, assess
from tests.ocr.ocr_testutil import page_from_lines

UPLOAD = dt.date(2026, 11, 30)
CIF, COMPANY = "B63368138", "HOTELS RIPOLLÈS S.L."
GN, GNIF = "ANA BELÉN RUIZ SERRANO", "55727980S"  # the customer's administrator: grantor
PN, PNIF = "RAMÓN MARTÍNEZ NAVARRO", "12510584X"  # the service firm's attorney: the mandatary's person


def judge(page, name, nif, request_type="representative_change", *, cif=CIF, company=COMPANY, today=UPLOAD):
    c = Claim(request_type=request_type, company_cif=cif, company_name=company, person_nif=nif, person_name=name)
    return assess([page], c, today=today)


def services_contract(signed: str = "05.11.2026") -> list[str]:
    # the parties in REUNIDOS; the firm's attorney quotes the deed of his power, dated, in the same sentence, and the
    # firm is named "LA EMPRESA DE SERVICIOS" in guillemets more than 300 characters after "en nombre y representación"
    return [
        "Contrato GE-2026-639",
        "CONTRATO DE PRESTACIÓN DE SERVICIOS DE GESTIÓN ENERGÉTICA",
        f"En Barcelona, a {signed}.",
        "REUNIDOS",
        f"De una parte, doña {GN.title()}, mayor de edad, con D.N.I. 55.727.980-S, en nombre y",
        f"representación de {COMPANY}, con C.I.F. {CIF} y domicilio en Calle Mayor, 30, Barcelona, en su",
        "calidad de Administradora Única (en adelante, «EL CLIENTE»).",
        f"De otra parte, don {PN.title()}, mayor de edad, con D.N.I./N.I.E. 12.510.584-X, en nombre y",
        "representación de VATIOS GESTIÓN INTEGRAL, S.L., con C.I.F. B97159297, en su calidad de apoderado en",
        "virtud de escritura otorgada ante la Notaria de Tarragona, doña María del Carmen Lozano Navarro, el",
        "20 de febrero de 2025, con el número 2.551 de su protocolo (en adelante, «LA EMPRESA DE SERVICIOS»).",
        "EXPONEN",
        "I. Que EL CLIENTE es titular de los puntos de suministro relacionados en el Anexo I.",
        "CLÁUSULAS",
        "SEGUNDA. Mandato. EL CLIENTE otorga a LA EMPRESA DE SERVICIOS mandato con representación para firmar en",
        "su nombre los contratos de suministro y de acceso.",
        "TERCERA. Duración. El contrato entra en vigor en la fecha de su firma y vence el 04/11/2029.",
    ]


def test_the_attorney_of_the_firm_named_the_service_company_is_the_mandatary_and_the_client_signer_the_grantor():
    r = judge(page_from_lines(services_contract()), PN, PNIF, "external_manager")
    assert r.check("person_role").outcome == "pass"
    r = judge(page_from_lines(services_contract()), GN, GNIF, "external_manager")
    check = r.check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "grantor" and r.verdict != "clear"


def test_the_date_of_the_deed_a_party_quotes_is_not_the_mandates_signature_date():
    r = judge(page_from_lines(services_contract()), PN, PNIF, "external_manager")
    assert r.fields["date"].value == "2026-11-05" and r.check("date").outcome == "pass"
    # signed after the upload: the quoted deed's date, years back, must not stand in for it
    r = judge(page_from_lines(services_contract("05.12.2026")), PN, PNIF, "external_manager")
    assert r.fields["date"].value == "2026-12-05" and r.check("date").outcome == "fail" and r.verdict != "clear"


COMMUNITY = ("COMUNIDAD DE PROPIETARIOS CALLE MAYOR 340", "H81281628")
PRESIDENT, PRESIDENT_NIF = "GONZALO GARRIDO MÁRQUEZ", "83237530R"
ADMIN, ADMIN_NIF = "RAMÓN RUIZ-GIMÉNEZ HERNÁNDEZ", "99449382G"


def administrator_authorisation() -> list[str]:
    return [
        "AUTORIZACIÓN DE ACCESO A DATOS DE SUMINISTRO",
        f"DON {PRESIDENT}, con D.N.I. 83.237.530-R, en su condición de Presidente de la Comunidad",
        "de Propietarios Calle Mayor 340, con C.I.F. H-81281628, cargo para el que fue elegido en la Junta General",
        "celebrada el 18/09/2026, AUTORIZA a Administración de Fincas Quintanilla y Asociados, S.L., con",
        "C.I.F. B12.349.437, y en su nombre a su administrador de fincas colegiado don Ramón Ruiz-Giménez Hernández,",
        "con D.N.I./N.I.E. 99449382-G, para acceder a los datos de consumo de los suministros de la Comunidad.",
        "En Sevilla, a 26/11/2026.",
        "Por Administración de Fincas Quintanilla y Asociados, S.L.: Ramón",
        "Ruiz-Giménez Hernández",
        "| Presidente: Gonzalo Garrido",
    ]


def test_a_signers_label_with_a_colon_names_the_one_after_it_not_the_firms_signer_before_it():
    page = page_from_lines(administrator_authorisation())
    r = judge(page, ADMIN, ADMIN_NIF, "external_manager", cif=COMMUNITY[1], company=COMMUNITY[0])
    assert r.check("person_role").outcome == "pass" and r.verdict == "clear"
    r = judge(page, PRESIDENT, PRESIDENT_NIF, "external_manager", cif=COMMUNITY[1], company=COMMUNITY[0])
    check = r.check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "grantor"


ATTORNEY, ATTORNEY_NIF = "ÍÑIGO PEÑA PÉREZ", "48232011E"
ADMINISTRATOR, ADMINISTRATOR_NIF = "MARÍA JOSÉ VÁZQUEZ PEÑA", "45747985L"
FORMER, FORMER_NIF = "CASIMIRO ORTIZ DE ZÁRATE ARRIETA", "60669604C"
POWER_COMPANY = ("LOGÍSTICA DEL MARESME S.L.L.", "A29259389")


def general_power() -> list[str]:
    # the attorney appears first, only to accept; the clause revoking a former attorney closes with "al apoderado
    # revocado" right before the clause in which the new one accepts
    return [
        "PODER GENERAL MERCANTIL",
        "En Madrid, a 06/04/2026. Ante mí, JUAN CARLOS MUÑOZ LÓPEZ, Notario del Ilustre Colegio de Madrid,",
        "Comparecen",
        f"De una parte, DON {ATTORNEY}, mayor de edad, abogado, con domicilio en Valencia, y",
        "D.N.I. 48232011-E, quien comparece a los solos efectos de aceptar el apoderamiento que se le confiere.",
        f"Y de otra, DOÑA {ADMINISTRATOR}, mayor de edad, y D.N.I. 45747985L, quien interviene en nombre y",
        "representación de la compañía mercantil «LOGÍSTICA DEL MARESME S.L.L.», con C.I.F. A29.259.389, en su",
        "calidad de administradora solidaria de la misma.",
        "Otorgan",
        "PRIMERO. - Que doña María José Vázquez Peña, en la representación que ostenta, confiere PODER",
        "GENERAL MERCANTIL a favor de don Íñigo Peña Pérez, para que represente a la sociedad.",
        "SEGUNDO. - CLÁUSULA DE REVOCACIÓN. Queda revocado y sin efecto alguno el poder conferido",
        f"por la sociedad a favor de don {FORMER.title()}, con D.N.I. 60.669.604-C, en escritura",
        "autorizada por la Notaria de Tarragona, doña Montserrat Quintanilla Bermúdez, el día 20 de junio de",
        "2024. Advierto de la conveniencia de notificar la revocación al apoderado revocado y a los terceros.",
        "TERCERO. - don Íñigo Peña Pérez acepta el poder conferido. Así lo dicen y otorgan.",
    ]


def test_the_attorney_who_appears_to_accept_is_appointed_and_the_revoked_one_is_not():
    page = page_from_lines(general_power())
    kw = {"cif": POWER_COMPANY[1], "company": POWER_COMPANY[0]}
    r = judge(page, ATTORNEY, ATTORNEY_NIF, **kw)
    assert r.check("person_role").outcome == "pass" and r.verdict == "clear"
    assert r.fields["date"].value == "2026-04-06"  # not the revoked power's date
    for name, nif, role in ((FORMER, FORMER_NIF, "outgoing"), (ADMINISTRATOR, ADMINISTRATOR_NIF, "grantor")):
        check = judge(page, name, nif, **kw).check("person_role")
        assert check.outcome == "fail" and check.params["role"] == role, name


BOX_COMPANY = ("GRÁFICAS ALMANZORA S.L.U.", "B32778466")
CEASED = [("POL SOLER SALA", "97540909-W"), ("PURIFICACIÓN DEL VALLE MUÑOZ DE BAENA", "24243542-R")]
NAMED = [("THOMAS VAN DER BERG", "Y6825466-T"), ("ROCÍO CORTÉS MUÑOZ", "51763432-T")]


def cessation_box() -> object:
    # a box with one column of ceased administrators and one of appointed ones, read row by row
    lines = [
        "ESCRIPTURA D'ELEVACIÓ A PÚBLIC D'ACORDS SOCIALS",
        "A Terrassa, el vint-i-tres de gener de dos mil vint-i-cinc.",
        "EXPOSA",
        "Que la Junta General va acordar el cessament dels administradors solidaris i el nomenament de nous",
        "administradors solidaris, segons el quadre següent:",
    ]
    rows = [["CESSEN", "SÓN NOMENATS"]]
    for (old, old_id), (new, new_id) in zip(CEASED, NAMED, strict=True):
        rows += [[old, new], [f"DNI/NIE {old_id}", f"DNI/NIE {new_id}"]]
    return page_from_lines(lines, rows=rows)


def test_the_columns_of_a_ceased_and_appointed_box_read_row_by_row_give_each_name_its_columns_role():
    kw = {"cif": BOX_COMPANY[1], "company": BOX_COMPANY[0], "today": dt.date(2025, 2, 1)}
    for name, nif in NAMED:
        assert judge(cessation_box(), name, nif.replace("-", ""), **kw).check("person_role").outcome == "pass", name
    for name, nif in CEASED:
        r = judge(cessation_box(), name, nif.replace("-", ""), **kw)
        check = r.check("person_role")
        assert check.outcome == "fail" and check.params["role"] == "outgoing" and r.verdict != "clear", name


def test_the_party_a_signer_represents_is_the_one_named_closing_his_description_not_the_next_one():
    # "(en endavant, EL MANDANT)." closes the client's party; the engineering firm named next is the mandatary
    lines = [
        "CONTRACTE DE MANDAT PER A LA GESTIÓ ENERGÈTICA",
        "REUNITS",
        "D'una banda, el senyor Lluç Soler Güell, amb DNI 52536562-P, en nom i representació de FRIGORÍFICS PENEDÈS",
        "S.L., amb NIF B65.215.675, en qualitat de gerent (en endavant, EL MANDANT).",
        "D'altra banda, TERRA ALTA ENGINYERIA ENERGÈTICA, S.L., amb NIF B85052462, representada per la persona",
        "que signa al final d'aquest document (en endavant, L'ENGINYERIA o EL MANDATARI).",
        "I, en prova de conformitat, les parts signen aquest contracte a Vic, el 21 de novembre de 2026.",
    ]
    r = judge(
        page_from_lines(lines),
        "LLUÇ SOLER GÜELL",
        "52536562P",
        "external_manager",
        cif="B65215675",
        company="FRIGORÍFICS PENEDÈS S.L.",
    )
    check = r.check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "grantor" and r.verdict != "clear"
