"""Roles on layouts first met in the seventh holdout part (issue 13): a registry's literal history, where the
last entry about a person is what holds today; a resignation letter with the new administrator's receipt; two
administrators appointed side by side with the outgoing one."""

from __future__ import annotations

from tests.ocr.test_ocr_roles import CIF, COMPANY, GN, GNIF, PN, PNIF, claim, judge

HISTORY_ES = [
    "CERTIFICACIÓN LITERAL DE LA HOJA REGISTRAL (Órgano de administración)",
    "ALEJANDRO GARCÍA DÍAZ, Registrador Mercantil de Sevilla, CERTIFICA: que la sociedad",
    f"{COMPANY}, con N.I.F. {CIF}, figura inscrita en la hoja SE-106516, y que los asientos son los siguientes:",
    "Inscripción 1.ª, de 26/07/2014 CONSTITUCIÓN. Se constituye la sociedad por tiempo indefinido.",
    "Inscripción 5.ª, de 28/12/2014 NOMBRAMIENTO. La Junta General nombra administrador único, por plazo",
    f"indefinido, a don {GN}, con D.N.I. {GNIF}, que acepta.",
    "Inscripción 6.ª, de 14/11/2022 CESE Y NOMBRAMIENTO. Cesa en el cargo de administrador único don",
    f"{GN}. Se nombra administradora única, por plazo indefinido, a doña {PN}, mayor de edad,",
    f"con D.N.I./N.I.E. {PNIF}, quien acepta el cargo.",
    "Y para que conste, expido la presente certificación en Sevilla, a veintiocho de septiembre de dos mil",
    "veintiséis.",
]

HISTORY_CA = [
    "CERTIFICACIÓ LITERAL DEL FULL REGISTRAL",
    "El Registrador Mercantil de Barcelona CERTIFICA: que la societat",
    f"{COMPANY}, amb N.I.F. {CIF}, consta inscrita al full B-106516, amb els assentaments següents:",
    "Inscripció 3a, de 02/03/2015 NOMENAMENT. La Junta General nomena administrador únic",
    f"el senyor {GN}, amb DNI {GNIF}, que accepta.",
    "Inscripció 7a, de 10/05/2023 CESSAMENT. Cessa en el càrrec d'administrador únic el senyor",
    f"{GN}. Es nomena administradora única la senyora {PN}, amb DNI {PNIF}, que accepta el càrrec.",
    "I perquè consti, expedeixo aquesta certificació a Barcelona, el 28 de setembre de 2026.",
]


def test_history_appointed_then_ceased_holds_no_charge_today():
    """Appointed in 2014, ceased in 2022 (named without his DNI): the outgoing person is not the one appointed."""
    for lines in (HISTORY_ES, HISTORY_CA):
        r = judge(lines, claim(GN, GNIF))
        role = r.check("person_role")
        assert role.outcome == "fail" and role.params["role"] == "outgoing", (role.detail, lines[0])
        assert r.verdict == "needs_attention"


def test_history_the_one_appointed_last_is_clear_on_role():
    for lines in (HISTORY_ES, HISTORY_CA):
        r = judge(lines, claim(PN, PNIF))
        assert r.check("person_role").outcome == "pass", (r.check("person_role").detail, lines[0])


LETTER_ES = [
    f"{GN}",
    f"Calle Goya, 162, Sabadell - D.N.I. {GNIF}",
    f"A la Junta General de socios de {COMPANY}",
    f"C.I.F. {CIF}",
    "Sabadell, 24/10/2026",
    "Asunto: dimisión del cargo de administrador único",
    "Señores socios: por medio de la presente les comunico mi dimisión, con carácter irrevocable, del cargo de",
    "administrador único de la sociedad. Entrego esta carta en la Junta General Universal celebrada hoy, que ha",
    f"aceptado mi dimisión y ha nombrado administradora única a doña {PN}, quien firma a continuación el",
    "recibí y acepta el cargo. Les ruego que se proceda a su inscripción en el Registro Mercantil.",
    f"Fdo.: {GN}",
    "RECIBÍ",
    f"{PN}, con D.N.I./N.I.E. {PNIF}, administradora única de la sociedad, nombrada en la Junta General",
    "Universal de esta misma fecha, cargo que acepto.",
]


def test_a_resignation_letter_with_the_new_administrators_receipt():
    """A private letter that asks for its entry in the Registro Mercantil is no registry extract; the meeting that
    'ha aceptado mi dimisión y ha nombrado' someone appoints that one; the one who resigns is outgoing."""
    r = judge(LETTER_ES, claim(PN, PNIF))
    assert r.doc_type == "deed"
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    assert r.check("date").outcome == "pass" and r.fields["date"].value == "2026-10-24"
    assert r.verdict == "clear"


POWER_LIST_ES = [
    "ESCRITURA DE PODER GENERAL PARA PLEITOS Y ADMINISTRACIÓN",
    "En Girona, a diecisiete de marzo de dos mil veintiséis. Ante mí, PILAR IGLESIAS ORTEGA, Notaria,",
    f"comparece don {GN}, con D.N.I. {GNIF}, quien interviene en nombre y representación, como Consejero",
    f"Delegado, de la mercantil {COMPANY}, con C.I.F. {CIF}. DICE Y OTORGA",
    "Que la sociedad a la que representa confiere poder general, tan amplio como en Derecho se requiera, a favor de:",
    "a) La mercantil SERVICIOS ALMANZORA S.L., con C.I.F. B29514817, que actuará por medio de su administrador",
    "único, don Álvaro Cortés Álvarez, con D.N.I. 73957960B, o de quien en cada momento ostente dicho cargo.",
    f"b) Don {PN}, mayor de edad, divorciada, vecina de Valladolid, con domicilio en Calle del Doctor Fleming,",
    f"160, provista de D.N.I. número {PNIF}, para que cualquiera de ellos, solidaria e indistintamente, en nombre y",
    "representación de la sociedad poderdante, ejercite las siguientes facultades:",
    "PRIMERA.- Administrar, regir y gobernar los bienes de la sociedad.",
]


def test_attorneys_listed_after_a_favor_de_with_their_purpose_clause():
    """The second attorney of a lettered list: bound to her DNI over her personal data (the first attorney's
    DNI before her name is his), appointed by the grant's 'a favor de:', and 'para que ... en nombre y
    representación de la sociedad poderdante' says how she acts, not that she grants."""
    r = judge(POWER_LIST_ES, claim(PN, PNIF, "representative_change"))
    assert r.check("person_nif").outcome == "pass", r.check("person_nif").detail
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    grantor = judge(POWER_LIST_ES, claim(GN, GNIF))
    assert grantor.check("person_role").outcome == "fail" and grantor.verdict == "needs_attention"


SOLIDARIS_CA = [
    "ESCRIPTURA DE CESSAMENT D'ADMINISTRADOR ÚNIC I NOMENAMENT D'ADMINISTRADORS SOLIDARIS",
    f"Davant meu, notari, compareix el senyor {GN}, amb DNI {GNIF}, soci únic de {COMPANY}, amb NIF {CIF}.",
    "CESSA    SÓN NOMENATS ADMINISTRADORS SOLIDARIS",
    f"JOSEP PUIG SALA, DNI 14746465S    {PN}, DNI/NIE {PNIF}",
    "PRIMER.- El soci únic cessa el senyor JOSEP PUIG SALA en el càrrec d'administrador únic.",
    f"SEGON.- Nomena administradora solidària, per temps indefinit, la senyora {PN}, que accepta el càrrec.",
    "Així ho diu i atorga. A Lleida, el 13/11/2026.",
]


def test_a_numbered_clause_after_a_name_speaks_of_its_own_people():
    r = judge(SOLIDARIS_CA, claim(PN, PNIF))
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail


def test_the_signer_of_a_first_person_resignation_is_outgoing():
    r = judge(LETTER_ES, claim(GN, GNIF))
    role = r.check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "outgoing", role.detail
    assert "mi dimisión" in role.evidence.text
    assert r.verdict == "needs_attention"


def test_an_eu_citizens_registration_certificate_dated_only_at_its_foot_never_expires():
    from ocr import Claim

    lines = [
        "MINISTERIO DEL INTERIOR",
        "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN",
        "Apellidos GRUBER   Nombre LUKAS   Nacionalidad AUSTRIA",
        "Fecha de nacimiento 07-09-1965   Sexo H",
        "N.I.E. X6969429S",
        "Se expide el presente certificado de inscripción en el Registro Central de Extranjeros.",
        "DIRECCIÓN GENERAL VALLADOL¡D LA POLICÍA Fecha: 02-10-2025      Firma y sello",
    ]
    c = Claim(request_type="representative_change", person_nif="X6969429S", person_name="Lukas Gruber")
    r = judge(lines, c)
    assert r.doc_type == "id_document"
    date = r.check("date")
    assert date.outcome == "pass" and date.code == "id_no_expiry" and date.params["issue_date"] == "2025-10-02"
    assert r.fields["issue_date"].value == "2025-10-02" and r.fields["expiry"] is None


AUTHORISATION_FORM_ES = [
    "AUTORIZACIÓN DE REPRESENTACIÓN ANTE LA COMERCIALIZADORA",
    "DATOS DEL CLIENTE",
    f"Razón social {COMPANY}",
    f"C.I.F. {CIF}",
    f"Representante legal {GN}",
    f"D.N.I. {GNIF}",
    "Cargo Administrador",
    "DATOS DEL REPRESENTANTE AUTORIZADO",
    "Empresa ENERFINQUES CONSULTORS S.L.",
    "C.I.F. B22874358",
    f"Persona de contacto {PN}",
    f"D.N.I./N.I.E. {PNIF}",
    "El cliente autoriza a la empresa y a la persona indicadas como representante autorizado para actuar en su nombre.",
    "En Palma, a 25 de octubre de 2026.",
    "Firma y sello del cliente        Firma del representante autorizado",
    "Firmado JOSÉ ROMERO DEL RÍO, con D.N.I. 52932340W, como testigo.",
]


def test_an_authorisation_forms_section_title_heads_what_follows_and_the_witness_is_a_witness():
    r = judge(AUTHORISATION_FORM_ES, claim(PN, PNIF, "external_manager"))
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    # the client's legal representative is not given the authorised representative's section above him
    client = judge(AUTHORISATION_FORM_ES, claim(GN, GNIF, "external_manager"))
    assert client.check("person_role").outcome != "pass" and client.verdict == "needs_attention"
    witness = judge(AUTHORISATION_FORM_ES, claim("JOSÉ ROMERO DEL RÍO", "52932340W", "external_manager"))
    role = witness.check("person_role")
    assert role.outcome == "fail" and role.params["role"] == "witness", role.detail


def test_a_mandates_term_is_never_taken_for_its_signature_date():
    lines = AUTHORISATION_FORM_ES[:12] + [
        "Vigencia hasta el 01/12/2028, salvo revocación escrita",
        "El cliente autoriza a la empresa y a la persona indicadas como representante autorizado.",
        "En Lleida, a 2 de disi pa Firma",  # the signature's date under a stamp: unreadable
    ]
    r = judge(lines, claim(PN, PNIF, "external_manager"))
    date = r.check("date")
    assert date.outcome == "not_found" and date.params["basis"] == "signature", date.detail
    assert r.fields["date"] is None and r.verdict == "needs_attention"


def test_a_gazettes_running_head_states_its_date():
    lines = [
        "BOLETÍN OFICIAL DEL REGISTRO MERCANTIL",
        "Núm. 231    Lunes 30 de noviembre de 2026    Pág. 51234",
        "SECCIÓN PRIMERA - Empresarios - Actos inscritos - SEVILLA",
        f"512345 - {COMPANY}. Ceses/Dimisiones. Adm. Unico: {GN}. Nombramientos. Adm. Unico: {PN}.",
        "Datos registrales. T 1234 , F 56, S 8, H SE 123456, I/A 4 (20.11.26).",
    ]
    r = judge(lines, claim(PN, PNIF), today=__import__("datetime").date(2026, 12, 2))
    date = r.check("date")
    assert date.outcome == "pass" and r.fields["date"].value == "2026-11-30", date.detail


def test_a_notes_issue_label_split_at_its_apostrophe_states_the_date_and_an_unstated_one_judges_nothing():
    from ocr import assess
    from tests.ocr.test_ocr_roles import page

    body = [
        "NOTA INFORMATIVA - REGISTRE MERCANTIL DE GIRONA",
        f"Denominació: {COMPANY}   NIF: {CIF}",
        f"Administradora única: {PN}, DNI {PNIF}, des del 08/09/2024.",
        "Càrrec    Nom    DNI    Nomenament    Caducitat",
        "Consellera    MARTA PUIG    23609697J    05/07/2023",
        "Indefinida    05/07/2029",
    ]
    stated = judge(body + ["Data d' emissió: 02/11/2026"], claim(PN, PNIF))
    assert stated.check("date").outcome == "pass" and stated.fields["date"].value == "2026-11-02"
    # no issue date at all: the latest date is a term years ahead, no issue date in the future
    r = assess([page(body)], claim(PN, PNIF), today=__import__("datetime").date(2026, 11, 20))
    date = r.check("date")
    assert date.code == "issue_date_not_stated" and date.params["date"] == "2029-07-05", date.detail
    assert r.fields["date"] is None and r.verdict == "needs_attention"


CONSTITUTION_ES = [
    "ESCRITURA DE CONSTITUCIÓN DE SOCIEDAD DE RESPONSABILIDAD LIMITADA",
    "En Málaga, a trece de julio de dos mil veintiséis. Ante mí, ALBERTO MUÑOZ DOMÍNGUEZ, Notario, COMPARECEN",
    f"1.— DON {GN}, mayor de edad, casado, ingeniero, vecino de Alicante, con domicilio en Calle Alcalá, 21, y con",
    f"D.N.I. número {GNIF}.",
    f"2.— DOÑA {PN}, mayor de edad, casada, abogada, vecina de Valencia, con domicilio en Calle San Vicente, 51,",
    "y con D.N.I. número 38.752.913.",  # her DNI's letter lost by the read
    "Intervienen en su propio nombre y derecho, tienen la capacidad legal necesaria y al efecto EXPONEN:",
    "I.— Que el Registro Mercantil Central expidió certificación negativa de la denominación.",
    "OTORGAN LAS SIGUIENTES ESTIPULACIONES",
    f"PRIMERA.— Constituyen la sociedad {COMPANY}, con N.I.F. {CIF}.",
    "SEGUNDA.— Los comparecientes, constituidos en Junta General Universal, designan Administradora Única, por",
    f"tiempo indefinido, a la socia fundadora doña {PN}, quien acepta el nombramiento.",
    "Así lo dicen y otorgan. Leo esta escritura a los comparecientes, que la aprueban y firman conmigo. Doy fe.",
    f"{GN}    {PN}    Notario",
]


def test_a_founder_appointed_in_the_constitution_binds_her_dni_over_her_personal_data():
    """The DNI before her name is the founder's before her; her own, its letter lost, still stands for her
    number; the deed's notary is someone else, so the signature row's 'Notario' is no role of hers; the other
    founder signs too, sentences after the appointment: no appointment reaches him."""
    r = judge(CONSTITUTION_ES, claim(PN, PNIF))
    assert r.check("person_nif").outcome == "pass", r.check("person_nif").detail
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    assert r.verdict == "clear"
    founder = judge(CONSTITUTION_ES, claim(GN, GNIF))
    assert founder.check("person_role").outcome != "pass" and founder.verdict == "needs_attention"
    # the other founder's number given with her name: it is his, not hers
    swapped = judge(CONSTITUTION_ES, claim(PN, GNIF))
    assert swapped.check("person_nif").outcome != "pass" and swapped.verdict == "needs_attention"


def test_the_consultancys_representative_in_a_mandate_contract_is_the_mandatary():
    lines = [
        "CONTRATO DE MANDATO DE GESTIÓN ENERGÉTICA Y REPRESENTACIÓN",
        "REUNIDOS",
        f"De una parte, DON {GN}, mayor de edad, con D.N.I. {GNIF}.",
        f"De otra parte, DOÑA {PN}, mayor de edad, con D.N.I./N.I.E. {PNIF}.",
        "INTERVIENEN",
        f"Don {GN}, en nombre y representación de {COMPANY} (en adelante, EL CLIENTE), con C.I.F. {CIF}, en su",
        "condición de director financiero.",
        f"Doña {PN}, en nombre y representación de WATIO GESTIÓN ENERGÉTICA S.L. (en adelante, LA CONSULTORA), con",
        "C.I.F. B80231053, en su calidad de apoderada, y como persona designada por LA CONSULTORA para la ejecución",
        "del presente mandato (en adelante, EL MANDATARIO).",
        "PRIMERA. Objeto. EL CLIENTE confiere a LA CONSULTORA mandato con representación.",
        "Firmado electrónicamente el 06/10/2026 a las 9:01",
    ]
    r = judge(lines, claim(PN, PNIF, "external_manager"))
    assert r.check("person_role").outcome == "pass", r.check("person_role").detail
    client = judge(lines, claim(GN, GNIF, "external_manager"))
    assert client.check("person_role").outcome == "fail" and client.check("person_role").params["role"] == "grantor"


def test_a_passports_machine_zone_gives_expiry_and_name_when_its_labels_are_lost():
    """A photographed TD3 data page whose small labels were not read: line 2's birth and expiry (with their check
    digits, optional data after them, the nationality misread 'R0U') and line 1's name before a long run of
    filler with specks at its end."""
    from ocr import Claim

    lines = [
        "CERTIFICADO DE NÚMERO DE IDENTIDAD DE EXTRANJERO: se certifica que a BOGDAN RADU le ha sido asignado",
        "el N.I.E.: Y9669430Z. Sabadell, 14 de abril de 2023",  # another paper on the sheet, its own date
        "ROMÂNIA - ROMANIA - ROUMANIE   PASAPORT / PASSPORT / PASSEPORT",
        "P ROU 035259360",
        "RADU ESA",
        "06 OCT/OCT 1981   SUCEAVA   28 MAR/MAR 2023   SPCEEP SUCEAVA",
        "P<ROURADU<<BOGDAN<<<<<<<<<<<<<<<<C<C<CC CE CC",
        "0352593601R0U8110066M33032851811006149363<74",
    ]
    c = Claim(request_type="representative_change", person_nif="Y9669430Z", person_name="Bogdan Radu")
    r = judge(lines, c)
    assert r.check("date").outcome == "pass" and r.fields["expiry"].value == "2033-03-28", r.check("date").detail
    assert (r.fields["surnames"].value, r.fields["given_names"].value) == ("RADU", "BOGDAN")
    assert r.fields["issue_date"].value == "2023-03-28"  # ten years to the day before its expiry, not the NIE's
