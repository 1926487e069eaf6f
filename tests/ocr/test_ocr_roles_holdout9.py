"""Roles, dates and notarial data on the layouts of the ninth holdout part (issue 13), measured once unseen.

Each page is built word by word as OCR gives it; beside every case that must pass stands the claim that must not
(the customer's own representative, the ceased administrator), so that a fix for one cannot open the other."""

from __future__ import annotations

import datetime as dt

from ocr import Claim, assess
from ocr.identifiers import find_identifiers
from tests.ocr.ocr_testutil import page_from_lines

UPLOAD = dt.date(2026, 11, 20)
GN, GNIF = "EUSEBIO DE LA CALZADA DE MINGO", "88856524A"  # the customer's representative (grantor, outgoing)
PN, PNIF = "ALBERTO SÁNCHEZ DE MIGUEL", "67495726H"  # the authorised / appointed person
CIF, COMPANY = "B24688095", "HORNOS DEL JILOCA S.L."


def judge(lines, name, nif, request_type="representative_change", *, cif=CIF, company=COMPANY, source="ocr"):
    page = page_from_lines(lines, source=source)
    c = Claim(request_type=request_type, company_cif=cif, company_name=company, person_nif=nif, person_name=name)
    return assess([page], c, today=UPLOAD)


AUTHORISATION_FORM = [
    "Levante Redes Eléctricas, S.A.U.",
    "AUTORIZACIÓN DE REPRESENTACIÓN Ref. solicitud: 2241227",
    "1. TITULAR DEL PUNTO DE SUMINISTRO",
    f"Razón social: {COMPANY} CIF: {CIF}",
    f"Representante legal D./D.ª: {GN} DNI/NIE: {GNIF}",
    "En calidad de: APODERADO Teléfono: 635868249",
    "2. AUTORIZA A",
    "Empresa: KILOVATIO GESTIÓN ENERGÉTICA, S.L. CIF: B67437947",
    f"Y en su nombre D./D.ª: {PN} DNINIE: {PNIF}",
    "3. PARA REALIZAR EN SU NOMBRE LOS SIGUIENTES TRÁMITES",
    "Solicitud de acceso y conexión Modificación de potencia",
    "Válida hasta el: 11/10/2029",
    "En Valladolid ,a1 de noviembre de",
    "2026",
    "Firma del titular o de su representante legal Firma del representante autorizado",
]


def test_the_holders_representative_acting_as_its_attorney_is_the_grantor_of_the_authorisation():
    """ "En calidad de: APODERADO" is the capacity the holder's representative signs in, not a power given here."""
    r = judge(AUTHORISATION_FORM, GN, GNIF, "external_manager")
    check = r.check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "grantor"
    assert r.verdict != "clear"


def test_the_authorised_person_of_the_form_is_the_mandatary_and_the_form_is_dated():
    r = judge(AUTHORISATION_FORM, PN, PNIF, "external_manager")
    assert r.check("person_role").outcome == "pass"
    # the day read glued to its "a" ("a1 de noviembre de / 2026")
    assert r.check("date").outcome == "pass" and r.fields["date"].value == "2026-11-01"
    # the identifier's label read without its slash is no part of the name
    shown = {p.id_number: p for p in r.people}
    assert shown[PNIF].name == PN and shown[PNIF].role == "appointed"
    assert shown[GNIF].role == "grantor"


CURRENT, CNIF = "QUERALT JIMÉNEZ GARCÍA", "37805093Q"
NOTA_SIMPLE = [
    "REGISTRE MERCANTIL DE LLEIDA Data: 08/10/2026",
    "Sol·licitud: 6786056 · Interessat: Eficiencia y Ahorro Energético del Sur S.L.",
    "NOTA SIMPLE INFORMATIVA",
    "Dades generals",
    f"Denominació {COMPANY}",
    f"NIF {CIF}",
    "Data de constitució 26/12/2011",
    "Òrgan d'administració vigent",
    f"Administradora única: {CURRENT}, DNI/NIE {CNIF}. Nomenament de data 16/06/2023,",
    "inscripció 6a, per termini indefinit.",
    "Càrrecs cessats",
    f"Administrador únic: {GN}, DNI/NIE {GNIF}. Nomenat el 25/01/2014; cessament",
    "inscrit el 16/06/2023.",
    "Situació",
    "Activa. No consten assentaments de dissolució, concurs ni tancament del full registral.",
]


def test_a_ceased_charge_whose_end_is_dated_on_the_next_line_is_outgoing():
    check = judge(NOTA_SIMPLE, GN, GNIF).check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "outgoing"


def test_the_current_administrator_passes_and_the_date_in_the_first_line_is_the_issue_date():
    r = judge(NOTA_SIMPLE, CURRENT, CNIF)
    assert r.check("person_role").outcome == "pass"
    date = r.check("date")
    assert date.outcome == "pass" and r.fields["date"].value == "2026-10-08", date.detail


def test_a_date_label_in_a_header_box_of_its_own_states_the_issue_date():
    lines = ["REGISTRO MERCANTIL DE ZARAGOZA", "Información Mercantil Fecha: 08/10/2026", *NOTA_SIMPLE[2:]]
    page = page_from_lines(lines)
    for w in page.words:  # the label and its date in the right-hand box: far from the title on their line
        if w.line == 1 and w.text in ("Fecha:", "08/10/2026"):
            w.x0, w.x1 = w.x0 + 900, w.x1 + 900
    c = Claim(company_cif=CIF, company_name=COMPANY, person_nif=CNIF, person_name=CURRENT)
    r = assess([page], c, today=UPLOAD)
    assert r.check("date").outcome == "pass" and r.fields["date"].value == "2026-10-08"
    for w in page.words:  # right after the title, no gap: a date of the line's own text, not the issue date
        if w.line == 1 and w.text in ("Fecha:", "08/10/2026"):
            w.x0, w.x1 = w.x0 - 900, w.x1 - 900
    assert assess([page], c, today=UPLOAD).check("date").outcome == "not_found"


def joint_administrators(outgoing_row: bool) -> list[str]:
    lines = [
        "ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES",
        "En Valencia, a cinco de agosto de dos mil veintiséis. Ante mí, AZUCENA GUTIÉRREZ DE LA CONCHA, Notaria,",
        "COMPARECE DON EUSEBIO PÉREZ PEÑAFIEL, mayor de edad, con D.N.I. 13474434E, en su calidad de Secretario",
        f"de la Junta General de la mercantil {COMPANY}, con C.I.F. {CIF}. Me entrega certificación de la que",
        "resulta que la Junta acordó confiar la administración a dos administradores mancomunados, cesar en su",
    ]
    if outgoing_row:
        lines += [
            "cargo al Administrador Único, según el cuadro siguiente, y NOMBRAR por tiempo indefinido a las personas",
            "que se indican:",
            "CARGO NOMBRE Y APELLIDOS D.N.I.",
            "Administrador Mancomunado JOSÉ LUIS SOTOMAYOR FERNÁNDEZ 36646791V",
            f"Administrador Mancomunado {PN} {PNIF}",
            f"Administrador Único (CESA) {GN} {GNIF}",
        ]
    else:
        lines += [
            f"cargo al Administrador Único don {GN}, con D.N.I. {GNIF}, agradeciéndole los servicios prestados, y",
            "NOMBRAR por tiempo indefinido a las personas que se indican:",
            "CARGO NOMBRE Y APELLIDOS D.N.I.",
            "Administrador Mancomunado JOSÉ LUIS SOTOMAYOR FERNÁNDEZ 36646791V",
            f"Administrador Mancomunado {PN} {PNIF}",
        ]
    return lines + [
        "Los nombrados aceptaron el cargo. Así lo dice y otorga el compareciente. Doy fe.",
        "PROTOCOLO N-” 3.569",
    ]


def test_the_administrator_on_the_row_above_a_ceased_one_is_appointed():
    r = judge(joint_administrators(outgoing_row=True), PN, PNIF)
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    assert r.fields["protocol"].value == "3.569"  # the ordinal sign read as 'N-”'


def test_the_row_marked_as_ceased_is_outgoing():
    check = judge(joint_administrators(outgoing_row=True), GN, GNIF).check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "outgoing"


def test_ceasing_the_administrator_named_with_his_charge_is_outgoing():
    lines = joint_administrators(outgoing_row=False)
    check = judge(lines, GN, GNIF).check("person_role")
    assert check.outcome == "fail" and check.params["role"] == "outgoing"
    assert judge(lines, PN, PNIF).check("person_role").outcome == "pass"


SOLE_TRADER_NIF, SOLE_TRADER = "12200629A", "MIREIA VILANOVA I PUIG"


def sole_trader_power(holder_nif: str) -> list[str]:
    return [
        "ESCRIPTURA DE PODER",
        "A Tarragona, el 6 de febrer de 2026. Davant meu, MARIA DEL CARME CABRERA, notària,",
        "COMPAREIX",
        f"La senyora {SOLE_TRADER}, major d'edat, amb DNI {holder_nif}, que actua en nom propi com a",
        "empresària individual titular del negoci Forn Vilanova.",
        "ATORGA",
        f"Que confereix poder a favor del senyor {PN}, amb DNI/NIE {PNIF}, perquè, en nom del poderdant,",
        "pugui contractar i donar de baixa subministraments d'electricitat i gas.",
        "Així ho diu i atorga. Dono fe.",
    ]


def test_a_sole_traders_own_nif_is_the_holders_identifier():
    """A contract holder trading in their own name has their NIF for the company's (accounts.parse_holder_id)."""
    r = judge(sole_trader_power(SOLE_TRADER_NIF), PN, PNIF, cif=SOLE_TRADER_NIF, company="Forn Vilanova")
    check = r.check("company_cif")
    assert check.outcome == "pass" and r.fields["company_cif"].value == SOLE_TRADER_NIF
    assert r.verdict == "clear"
    # another person's NIF on the page is no match for the holder's
    other = judge(sole_trader_power("15982302Q"), PN, PNIF, cif=SOLE_TRADER_NIF, company="Forn Vilanova")
    assert other.check("company_cif").outcome == "fail" and other.verdict != "clear"


def test_a_control_w_read_as_nv_is_a_correction():
    assert [(c.value, c.corrected) for c in find_identifiers("DNI/NIE: 46.662. 724-NV")] == [("46662724W", True)]
    assert [(c.value, c.corrected) for c in find_identifiers("DNI 46662724-NV.")] == [("46662724W", True)]
    assert find_identifiers("ref 46662724 NAVE") == []


ADMIN, ANIF = "JUAN CARLOS ÁLVAREZ NAVARRO", "41202955L"  # the firm's administrator, hired by the community
PRESIDENT, PNIF_ = "FLORENTINO FERNÁNDEZ DE CÓRDOBA", "64005974X"
COMMUNITY, HCIF = "COMUNIDAD DE PROPIETARIOS PASEO DE LA CASTELLANA 119", "H20891677"
SECRETARY_CERTIFICATE = [
    "Fincas Urquijo Administradores, S.L.",
    "CERTIFICADO",
    f"DON {ADMIN}, con D.N.I./N.I.E. {ANIF}, Administrador de Fincas colegiado n.º 1783 del Colegio Territorial",
    "de País Vasco, en representación de Fincas Urquijo Administradores, S.L., en su calidad de",
    f"SECRETARIO-ADMINISTRADOR de la {COMMUNITY}, con C.I.F. {HCIF},",
    "CERTIFICA:",
    "Que en el Libro de Actas de la Comunidad consta el acta de la Junta General Extraordinaria celebrada el día",
    "18 de octubre de 2026, en la que se adoptó el siguiente acuerdo: «(i) cesar a doña Sofía Peña Ruiz, con",
    "D.N.I. 81489914-V, en el cargo de Secretaria-Administradora; (ii) contratar los servicios profesionales de",
    "administración de fincas de la mercantil Fincas Urquijo Administradores, S.L., con C.I.F. B44.803.617; y",
    "(iii) nombrar Secretario-Administrador de la Comunidad a su administrador colegiado don Juan Carlos",
    "Álvarez Navarro, a quien se faculta para contratar, modificar y dar de baja los suministros.»",
    "Y para que conste, expido el presente certificado con el Visto Bueno del Presidente, en Bilbao, a 30 de",
    "octubre de 2026.",
    "Vº Bº EL PRESIDENTE: Florentino Fernández de Córdoba EL SECRETARIO-ADMINISTRADOR: Juan Carlos Álvarez",
    "Navarro",
    f"D.N.I. presidente: {PNIF_}",
]


def certificate_claim(name, nif):
    page = page_from_lines(SECRETARY_CERTIFICATE)
    c = Claim("external_manager", HCIF, COMMUNITY, nif, name)
    return assess([page], c, today=UPLOAD).check("person_role")


def test_the_hired_administrator_who_certifies_as_the_communitys_secretary_administrator_is_the_mandatary():
    """He certifies "en representación de" the firm the resolution hires, as the community's secretary-administrator:
    the firm's person, not the community's grantor; "presidente: 64.005.974-X" labels the number after it."""
    check = certificate_claim(ADMIN, ANIF)
    assert check.outcome == "pass" and check.params["role"] == "appointed", check.detail


def test_the_president_and_the_ceased_secretary_of_the_community_still_fail():
    assert certificate_claim(PRESIDENT, PNIF_).outcome != "pass"
    ceased = certificate_claim("SOFÍA PEÑA RUIZ", "81489914V")
    assert ceased.outcome == "fail" and ceased.params["role"] == "outgoing"


#: a history of charges read column by column, each cell a line, the NIF column last (as OCR read holdout5-065)
HISTORY_BY_COLUMNS = """REGISTRO MERCANTIL CENTRAL
Sección de Publicidad
Denominación social
Fecha de expedición
13/11/2026
CERTIFICACIÓN DE HISTORIAL DE CARGOS
ACEITES PRIORAT S.L.U.
N.I.F.
B43923424
ACTOS INSCRITOS RELATIVOS AL ÓRGANO DE ADMINISTRACIÓN
Fecha BORME — Acto
06/12/2012
01/11/2014
01/11/2014
12/11/2019
12/11/2019
Constitución.
Nombramiento
Cese
Nombramiento
Cese/Dimisión
Nombramiento
Cargo
Adm. Único
Adm. Único
Adm. Único
Adm. Único
Adm. Único
Nombre
DE LA TORRE RUIZ, ROCÍO
DE LA TORRE RUIZ, ROCÍO
GÓMEZ LOZANO, JOSÉ ANTONIO
GÓMEZ LOZANO, JOSÉ ANTONIO
EL AMRANI, YUSUF
Situación actual: Administrador Único, Yusuf El Amrani.
Hora: 12:09
NIF
75043600M
75043600M
11258402V
11258402V
Z2856172Z""".splitlines()


def test_the_registers_current_holder_is_appointed_whatever_the_history_table_read_by_columns_says():
    """The sentence naming the current holder makes him appointed, not the column's last "Cese/Dimisión"."""
    page = page_from_lines(HISTORY_BY_COLUMNS)
    claim = Claim(company_cif="B43923424", company_name="ACEITES PRIORAT S.L.U.", person_nif="Z2856172Z")
    claim.person_name = "Yusuf El Amrani"
    check = assess([page], claim, today=UPLOAD).check("person_role")
    assert check.outcome == "pass" and check.params["role"] == "appointed", check.detail
