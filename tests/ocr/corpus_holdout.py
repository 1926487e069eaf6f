"""HOLDOUT templates for the second OCR corpus (see corpus2.py for the builder and manifest schema).

Do not tune the engine on these: they exist to measure how well what was tuned on the dev part
(corpus2.py) and on corpus.py carries over to documents written differently.

    python tests/ocr/corpus2.py --out DIR --part holdout [--profile small|full]
"""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

try:
    from tests.ocr import corpus2 as K
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text, don = K.fmt_nif, K.fmt_cif, K.date_text, K.don
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed


def template(name, doc_type, lang, **flags):
    def deco(fn):
        TEMPLATES[name] = {"doc_type": doc_type, "lang": lang, "blocks": fn, **flags}
        return fn

    return deco


def _sr(p: Person) -> str:
    return ("doña " if p.female else "don ") + p.full


@template("h_deed_dimision_es", "deed", "es")
def h_deed_es(doc: Doc) -> list[tuple]:
    """The NEW administrator appears; the secretary's certificate of the meeting is quoted inside."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    doc.style.margin_rule = True
    doc.style.header = (
        "PAPEL EXCLUSIVO PARA DOCUMENTOS NOTARIALES" + f"        {random.Random(doc.seed).choice(['IZ', 'FY', 'GK'])}"
        f"{random.Random(doc.seed + 1).randrange(1000000, 9999999)}"
    )
    doc.style.footer = "- {page} -"
    b: list[tuple] = []
    if doc.cover:
        b += [
            ("gap", 8),
            ("h", f"{n.full}", 1.2, "c"),
            ("h", K.notary_title(n).upper(), 1.0, "c"),
            ("gap", 4),
            ("p", f"Escritura de dimisión y nombramiento de administrador otorgada por {comp}."),
            ("pb",),
        ]
    b += [
        ("r", f"NÚMERO: {proto_printed(doc.protocol)}"),
        ("h", "DIMISIÓN Y NOMBRAMIENTO DE ADMINISTRADOR ÚNICO", 1.15, "l"),
        ("p", f"En {doc.city}, mi residencia, el día {date_text(doc.date, 'es', 'long' if doc.v % 2 else 'words')}."),
        (
            "p",
            f"Ante mí, {n.full}, {K.notary_title(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, con residencia "
            f"en esta ciudad,",
        ),
        ("h", "C O M P A R E C E", 1.0, "c"),
        (
            "p",
            f"{_sr(a)}, mayor de edad, de nacionalidad española, con domicilio profesional en {doc.city}. "
            f"Exhibe su documento nacional de identidad y N.I.F. número {fmt_nif(a.nif, doc.fmt)}, vigente.",
        ),
        ("h", "I N T E R V I E N E", 1.0, "c"),
        (
            "p",
            f"En su condición de Administrador Único de la sociedad {comp}, domiciliada en {doc.city}, con "
            f"N.I.F. {fmt_cif(cif, doc.fmt + 1)}, cargo para el que ha sido designado en virtud de los acuerdos "
            f"que por la presente se elevan a público y que acepta en este acto.",
        ),
        (
            "p",
            f"Me entrega una certificación expedida por {_sr(sec) + ', ' if sec else 'el '}secretario de la Junta, con el visto "
            f"bueno del presidente, cuyas firmas considero legítimas, que dice así:",
        ),
        (
            "pl",
            f"«CERTIFICO: Que en la Junta General Extraordinaria celebrada con carácter universal el "
            f"{date_text(doc.other_dates['meeting'], 'es', 'long')} se adoptaron por unanimidad los siguientes "
            f"acuerdos: 1º.- Aceptar la dimisión presentada por el hasta ahora Administrador Único "
            f"{o.upper()} (N.I.F. {fmt_nif(o.nif, doc.fmt + 2)}), aprobando su gestión. 2º.- Designar "
            f"para dicho cargo, por plazo indefinido, a {a.upper()}.»",
        ),
        (
            "p",
            "Yo, el Notario, hago constar que el compareciente ha acreditado su identidad y tiene a mi juicio "
            "capacidad para otorgar esta escritura. Con las advertencias legales, le leo la presente, que "
            "consiente y firma.",
        ),
        ("h", "D I S P O S I C I Ó N", 1.0, "c"),
        (
            "p",
            "Eleva a público los acuerdos que resultan de la certificación transcrita y solicita su "
            "inscripción en el Registro Mercantil.",
        ),
        ("sig", ["Firma del compareciente", "Signado: el Notario"]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV de la copia electrónica: {doc.csv}"))
    return b


@template("h_deed_consell_ca", "deed", "ca")
def h_deed_ca(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    appearing = sec or o
    p = doc.protocol
    b: list[tuple] = [
        ("h", f"{comp.upper()}", 1.0, "r"),
        ("h", f"Escriptura núm. {proto_printed(p)} ({words_ca(p)})", 1.1, "l"),
        ("h", "ELEVACIÓ A PÚBLIC D'ACORDS: CESSAMENT I NOMENAMENT DE CÀRRECS", 1.0, "l"),
        ("p", f"{doc.city}, {date_text(doc.date, 'ca', 'words' if doc.v < 2 else 'long')}."),
        (
            "p",
            f"Jo, {n.full}, {K.notary_title(n, 'ca').lower()} de {doc.city}, autoritzo aquesta escriptura a "
            f"instància de la persona compareixent que s'esmenta tot seguit.",
        ),
        (
            "table",
            [0.34, 0.33, 0.33],
            [
                ["Compareixent", "Document", "Actua com a"],
                [
                    appearing.full,
                    f"DNI {fmt_nif(appearing.nif, doc.fmt)}",
                    "secretari no conseller" if sec else "conseller delegat sortint",
                ],
            ],
        ),
        (
            "p",
            f"Societat: {comp}, NIF {fmt_cif(cif, doc.fmt)}, inscrita al Registre Mercantil de "
            f"{K.PROVINCE_RM.get(doc.city, doc.city)}.",
        ),
        ("h", "ACORDS QUE S'ELEVEN A PÚBLIC", 1.0, "l"),
        (
            "p",
            f"A) Cessament: el Consell d'Administració, en sessió del "
            f"{date_text(doc.other_dates['meeting'], 'ca', 'long')}, revoca el càrrec de conseller delegat "
            f"conferit a {o.upper()}, amb document d'identitat {fmt_nif(o.nif, doc.fmt + 1)}.",
        ),
        (
            "p",
            f"B) Nomenament: designa conseller delegat, amb totes les facultats delegables, {a.upper()}, "
            f"titular del DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, el qual, present a la sessió, accepta el càrrec.",
        ),
        ("p", K.FILLER_DEED_CA),
        (
            "p",
            "Atorgament i autorització. La persona compareixent atorga aquesta escriptura, la llegeix, hi "
            "presta el consentiment i la signa amb mi, notari, que dono fe del contingut.",
        ),
        ("stamp", [K.notary_title(n, "ca").upper(), n.upper()[:26]]),
    ]
    if doc.csv:
        b.insert(3, ("pl", f"Verificació: {doc.csv}"))
    if doc.cover:
        b = [("gap", 6), ("h", "CÒPIA AUTÈNTICA ELECTRÒNICA", 1.3, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


@template("h_power_party_columns_es", "power_of_attorney", "es")
def h_power_cols(doc: Doc) -> list[tuple]:
    """Parties in two side-by-side columns (otorgante | apoderado) before any narrative."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    d = date_text(doc.date, "es", "words" if doc.v % 2 == 0 else "long")
    b: list[tuple] = [
        ("h", f"Núm. {proto_printed(doc.protocol)} de protocolo", 0.9, "r"),
        ("h", "PODER MERCANTIL", 1.4, "c"),
        (
            "table",
            [0.5, 0.5],
            [
                ["PARTE OTORGANTE", "APODERADO/A"],
                [f"{comp}, N.I.F. {fmt_cif(cif, doc.fmt)}, representada por {g.full}", f"{a.full}"],
                [f"D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}", f"D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}"],
            ],
        ),
        (
            "p",
            f"En {doc.city}, a {d}, ante mí, {n.full}, {K.notary_title(n)} con residencia en {doc.city}, "
            f"comparece la persona que figura como representante de la parte otorgante, cuyas circunstancias "
            f"constan en el cuadro anterior, y dice que, en la representación que ostenta como administrador "
            f"mancomunado, confiere poder en favor de la persona designada como apoderada para que, con su sola "
            f"firma, represente a la sociedad ante las compañías del sector eléctrico y gasista.",
        ),
        ("h", "Facultades", 1.0, "l"),
        (
            "pl",
            "a) Suscribir, modificar y resolver contratos de acceso y suministro.  b) Solicitar cambios de "
            "titular, potencia y tarifa.  c) Presentar reclamaciones y recibir notificaciones.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Queda revocado y sin efecto el poder que ostentaba {rv.full} (D.N.I. "
                f"{fmt_nif(rv.nif, doc.fmt + 2)}), a quien se notificará la revocación.",
            )
        )
    if doc.csv:
        b.append(("pl", f"Copia autorizada electrónica - Código Seguro de Verificación {doc.csv}"))
    b += [
        ("p", "Leída por mí la escritura, el compareciente la aprueba y firma. Doy fe."),
        ("sig", ["Por la otorgante", f"{n.full}"]),
    ]
    if doc.cover:
        b = [("gap", 10), ("h", "P O D E R", 2.0, "c"), ("p", f"Otorgado por {comp}"), ("pb",)] + b
    return b


@template("h_power_ca_revocacio", "power_of_attorney", "ca")
def h_power_ca(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    b: list[tuple] = [
        ("h", "PODER ESPECIAL" + (" I REVOCACIÓ DE PODERS ANTERIORS" if rv else ""), 1.2, "c"),
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "c"),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Revocació. Queda sense efecte l'apoderament de {don(rv, 'ca', upper=False)} "
                f"(DNI {fmt_nif(rv.nif, doc.fmt)}), que deixa de representar la societat.",
            )
        )
    b += [
        (
            "p",
            f"Apoderament. {don(a, 'ca', upper=False)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt)}, "
            f"queda facultat per representar {comp.upper()} (NIF {fmt_cif(cif, doc.fmt)}) davant les "
            f"companyies subministradores, per atorgament de la persona compareixent.",
        ),
        (
            "p",
            f"Compareixença. Ho atorga {don(g, 'ca', upper=False)}, amb DNI {fmt_nif(g.nif, doc.fmt + 1)}, "
            f"administradora o administrador únic de la societat, que té facultats suficients segons el meu "
            f"judici.",
        ),
        ("p", K.FILLER_DEED_CA),
        (
            "p",
            f"Autoritzo aquesta escriptura a {doc.city}, el dia "
            f"{date_text(doc.date, 'ca', ['long', 'words', 'num', 'long'][doc.v])}, jo, {n.upper()}, "
            f"{K.notary_title(n, 'ca').lower()} del Col·legi de Catalunya.",
        ),
        ("sig", ["Signatura de l'atorgant", "Signatura, segell i rúbrica del notari"]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV: {doc.csv}"))
    if doc.cover:
        b = [("gap", 6), ("h", "NOTARIA", 1.4, "c"), ("p", f"{n.full} · {doc.city}"), ("pb",)] + b
    return b


@template("h_registry_sections_es", "registry_certificate", "es")
def h_cert_sections(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    ins = doc.extra["inscription"]
    rm = K.PROVINCE_RM.get(doc.city, doc.city)
    doc.style.footer = "Página {page}"
    b: list[tuple] = [
        ("h", f"Registro Mercantil de {rm}", 1.0, "l"),
        ("p", f"Certificación n.º {random.Random(doc.seed).randrange(10**6, 10**7)}"),
        ("h", "DATOS GENERALES", 1.0, "l"),
        ("kv", "Denominación", comp),
        ("kv", "Identificación fiscal", fmt_cif(cif, doc.fmt)),
        ("kv", "Fecha de constitución", date_text(od["constitution"], "es", "num")),
        ("h", "ÓRGANOS SOCIALES - CARGOS VIGENTES", 1.0, "l"),
        ("pl", f"Administrador Único: {a.surname_first()}   N.I.F.: {fmt_nif(a.nif, doc.fmt)}"),
        (
            "pl",
            f"Fecha de nombramiento: {date_text(od['appointment'], 'es', 'num')}   Duración: indefinida   "
            f"Inscripción: {ins}ª",
        ),
        ("h", "HISTÓRICO DE CARGOS", 1.0, "l"),
        ("pl", f"Administrador Único: {o.surname_first()}   N.I.F.: {fmt_nif(o.nif, doc.fmt + 1)}"),
        (
            "pl",
            f"Nombrado el {date_text(od['old_appointment'], 'es', 'num')} - Cesado el "
            f"{date_text(od['removal'], 'es', 'num')} (inscripción {ins}ª)",
        ),
        (
            "p",
            "Lo anterior resulta de los asientos practicados en el Registro, sin que existan otros "
            "pendientes de despacho que los modifiquen.",
        ),
        (
            "p",
            f"Expedida en {rm}, el día {date_text(doc.date, 'es', 'long' if doc.v % 2 else 'words')}, por "
            f"{r.full}, registrador{'a' if r.female else ''} titular.",
        ),
        ("mono", f"CSV: {doc.csv}"),
    ]
    if doc.cover:
        b = [
            ("h", "SOLICITUD DE PUBLICIDAD", 1.2, "c"),
            ("p", f"Interesado: {comp}"),
            ("p", "Finalidad: acreditación de cargos ante terceros."),
            ("pb",),
        ] + b
    return b


@template("h_registry_cert_ca", "registry_certificate", "ca")
def h_cert_ca(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    rm = K.PROVINCE_RM.get(doc.city, doc.city)
    doc.style.header = f"Registre Mercantil de {rm}" + " · full {page} de {pages}"
    b: list[tuple] = [
        ("r", f"Data d'expedició: {date_text(doc.date, 'ca', 'dot')}"),
        ("h", "CERTIFICACIÓ DE CÀRRECS", 1.3, "c"),
        (
            "p",
            f"{r.full}, registrador{'a' if r.female else ''} mercantil, certifico que, segons els assentaments "
            f"del full {doc.extra['hoja']} obert a nom de {comp.upper()}, NIF {fmt_cif(cif, doc.fmt)}:",
        ),
        (
            "table",
            [0.34, 0.2, 0.22, 0.24],
            [
                ["Persona", "Document", "Càrrec", "Situació"],
                [o.full, fmt_nif(o.nif, 0), "Administrador únic", f"Cessat el {date_text(od['removal'], 'ca', 'num')}"],
                [
                    a.full,
                    fmt_nif(a.nif, 0),
                    "Administrador únic",
                    f"Nomenat el {date_text(od['appointment'], 'ca', 'num')}, vigent",
                ],
            ],
        ),
        ("p", "I, perquè consti, lliuro aquesta certificació."),
        ("pl", f"Codi de verificació: {doc.csv}"),
    ]
    if doc.cover:
        b = [("gap", 4), ("h", f"REGISTRE MERCANTIL DE {rm.upper()}", 1.4, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


@template("h_mandate_ca_gestio", "manager_mandate", "ca")
def h_mandate_ca(doc: Doc) -> list[tuple]:
    """The mandatary is introduced first; signature date at the very end."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    b: list[tuple] = [
        ("h", "AUTORITZACIÓ DE GESTIÓ ENERGÈTICA", 1.2, "l"),
        ("kv", "Persona autoritzada (mandatari)", f"{a.full} - DNI/NIE {fmt_nif(a.nif, doc.fmt)}"),
        ("kv", "Empresa gestora", f"{gest} - NIF {fmt_cif(gcif, doc.fmt)}"),
        ("kv", "Titular dels subministraments", f"{comp} - NIF {fmt_cif(cif, doc.fmt + 1)}"),
        (
            "p",
            f"{don(g, 'ca', upper=False)}, amb DNI {fmt_nif(g.nif, doc.fmt)}, com a representant legal "
            f"del titular, declara que autoritza la persona indicada com a mandatari a sol·licitar "
            f"informació de consums, tramitar altes, baixes i modificacions contractuals i signar "
            f"en nom del titular els documents que calgui.",
        ),
        ("p", f"Aquesta autorització és vàlida fins al {date_text(doc.other_dates['until'], 'ca', 'long')}."),
        ("sig", [f"El titular: {g.full}", "El mandatari"]),
    ]
    if w:
        b.append(("pl", f"Testimoni: {w.full} ({fmt_nif(w.nif, doc.fmt + 2)})"))
    b.append(("r", f"Signat a {doc.city}, {date_text(doc.date, 'ca', ['long', 'num', 'long', 'dash'][doc.v])}"))
    return b


@template("h_mandate_community_letter_es", "manager_mandate", "es")
def h_mandate_comm(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    pres = "Presidenta" if g.female else "Presidente"
    b: list[tuple] = [
        ("pl", f"{doc.city}, {date_text(doc.date, 'es', ['long', 'num', 'long', 'dot'][doc.v])}"),
        ("pl", "A la atención de: Departamento de Atención al Cliente - Comercializadora"),
        ("h", "Asunto: designación de administrador de fincas para la gestión de suministros", 0.95, "l"),
        (
            "p",
            f"Por medio de la presente, y en cumplimiento de lo acordado por la Junta de Propietarios, "
            f"pongo en su conocimiento que {a.full}, administrador{'a' if a.female else ''} de fincas "
            f"colegiad{'a' if a.female else 'o'} n.º {random.Random(doc.seed).randrange(100, 9999)}, "
            f"con N.I.F. {fmt_nif(a.nif, doc.fmt)}, de la firma {gest} (C.I.F. {fmt_cif(gcif, 0)}), "
            f"queda designad{'a' if a.female else 'o'} como mandatari{'a' if a.female else 'o'} de "
            f"esta comunidad para todas las gestiones relativas a sus contratos de energía.",
        ),
        ("p", f"Datos de la comunidad: {comp}, C.I.F. {fmt_cif(cif, doc.fmt)}."),
        ("p", "Atentamente,"),
        ("sig", [f"{g.full}, {pres} de la Comunidad (D.N.I. {fmt_nif(g.nif, doc.fmt + 1)})"]),
    ]
    if w:
        b.append(("pl", f"Firma también, como testigo, el vocal {w.full}."))
    return b


# ---- ID documents (holdout)


def _f(px, bold=False):
    return K._font("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf", px)


@template("h_id_dni_two_surname_rows", "id_document", "es")
def h_dni(doc: Doc) -> list[Image.Image]:
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    front = K.card_base(doc.seed, (230, 232, 214))
    d = ImageDraw.Draw(front)
    d.text((600, 40), "REINO DE ESPAÑA", font=_f(60, True), fill=(120, 30, 30))
    d.text((600, 110), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(38, True), fill=(40, 40, 40))
    d.rectangle([60, 60, 520, 700], fill=(150, 150, 150))
    rows = [
        ("PRIMER APELLIDO", p.s1.upper()),
        ("SEGUNDO APELLIDO", p.s2.upper()),
        ("NOMBRE", p.given.upper()),
        ("SEXO", "F" if p.female else "M"),
        ("NACIONALIDAD", "ESP"),
        ("FECHA DE NACIMIENTO", birth.strftime("%d %m %Y")),
    ]
    y = 200
    for label, value in rows:
        d.text((600, y), label, font=_f(30), fill=(80, 80, 80))
        d.text((600, y + 34), value, font=_f(46, True), fill=(0, 0, 0))
        y += 110
    d.text((60, 760), "NÚM SOPORT", font=_f(30), fill=(80, 80, 80))
    d.text((60, 794), doc.extra["support"], font=_f(46, True), fill=(0, 0, 0))
    d.text((60, 880), "EXPEDICIÓN", font=_f(30), fill=(80, 80, 80))
    d.text((60, 914), iss.strftime("%d %m %Y"), font=_f(46, True), fill=(0, 0, 0))
    d.text((60, 1000), "VALIDEZ", font=_f(30), fill=(80, 80, 80))
    d.text((60, 1034), exp.strftime("%d %m %Y"), font=_f(46, True), fill=(0, 0, 0))
    d.text((1300, 1130), p.nif, font=K._font("LiberationMono-Bold.ttf", 72), fill=(0, 0, 0))
    back = K.card_base(doc.seed + 3, (222, 228, 230))
    d2 = ImageDraw.Draw(back)
    d2.text(
        (60, 60),
        f"HIJO/A DE: {random.Random(doc.seed).choice(['JOSE', 'ANTONIO', 'MANUEL'])} / "
        f"{random.Random(doc.seed + 1).choice(['MARIA', 'CARMEN', 'ISABEL'])}",
        font=_f(36),
        fill=(20, 20, 20),
    )
    d2.text((60, 115), f"EQUIPO {random.Random(doc.seed).randrange(10000, 99999)}", font=_f(36), fill=(20, 20, 20))
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    for i, ln in enumerate(mrz):
        d2.text((60, 880 + i * 118), ln, font=K._font("LiberationMono-Regular.ttf", 66), fill=(0, 0, 0))
    return [front, back]


@template("h_id_residence_permit", "id_document", "es")
def h_res(doc: Doc) -> list[Image.Image]:
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    front = K.card_base(doc.seed, (226, 236, 226))
    d = ImageDraw.Draw(front)
    d.text((60, 40), "PERMISO DE RESIDENCIA", font=_f(58, True), fill=(20, 60, 20))
    d.text((60, 115), "ESPAÑA · RESIDENCE PERMIT", font=_f(34), fill=(20, 60, 20))
    d.text((1250, 60), f"N.I.E. {p.nif}", font=_f(50, True), fill=(0, 0, 0))
    d.rectangle([1500, 230, 1950, 860], fill=(150, 150, 150))
    rows = [
        ("APELLIDOS / SURNAMES", p.surnames.upper()),
        ("NOMBRE / NAME", p.given.upper()),
        ("VALIDEZ / VALID UNTIL", exp.strftime("%d.%m.%Y")),
        ("TIPO DE PERMISO / TYPE OF PERMIT", "RESIDENCIA Y TRABAJO"),
        ("OBSERVACIONES", ""),
    ]
    y = 220
    for label, value in rows:
        d.text((60, y), label, font=_f(30), fill=(80, 80, 80))
        d.text((60, y + 34), value, font=_f(46, True), fill=(0, 0, 0))
        y += 120
    d.text((60, 1050), f"FECHA DE EXPEDICIÓN / DATE OF ISSUE  {iss.strftime('%d.%m.%Y')}", font=_f(32), fill=(0, 0, 0))
    back = K.card_base(doc.seed + 5, (232, 232, 222))
    d2 = ImageDraw.Draw(back)
    d2.text((60, 60), f"FECHA DE NACIMIENTO  {birth.strftime('%d.%m.%Y')}", font=_f(36), fill=(20, 20, 20))
    d2.text(
        (60, 115),
        f"DOMICILIO: {random.Random(doc.seed).choice(K.STREETS_CA).upper()} {doc.seed % 200 + 1}, {doc.city.upper()}",
        font=_f(36),
        fill=(20, 20, 20),
    )
    mrz = K.td1_mrz("IR", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "MAR", p)
    for i, ln in enumerate(mrz):
        d2.text((60, 880 + i * 118), ln, font=K._font("DejaVuSansMono-Bold.ttf", 64), fill=(0, 0, 0))
    return [front, back]


PLAN = {
    "docs": [
        ("h_deed_dimision_es", ["clean", "photo", "pdf_scan", "rot90", "noisy"], ["photo"]),
        ("h_deed_consell_ca", ["pdf_text", "photo", "skew", "clean"], []),
        ("h_power_party_columns_es", ["clean", "photo", "jpeg200", "tiff", "rot270"], ["clean"]),
        ("h_power_ca_revocacio", ["pdf_scan", "photo", "lowcontrast", "clean"], ["pdf_text"]),
        ("h_registry_sections_es", ["pdf_text", "photo", "clean", "rot180", "dpi600"], ["clean"]),
        ("h_registry_cert_ca", ["clean", "photo", "pdf_scan", "noisy"], []),
        ("h_mandate_ca_gestio", ["clean", "photo", "skew", "pdf_text"], ["skew"]),
        ("h_mandate_community_letter_es", ["clean", "photo", "jpeg200", "rot90", "pdf_text"], ["photo"]),
    ],
    "cases": [
        ("h_deed_dimision_es", "outgoing_claims", ["clean", "photo"], ["clean"]),
        ("h_deed_consell_ca", "outgoing_claims", ["clean"], []),
        ("h_registry_sections_es", "outgoing_claims", ["pdf_text"], []),
        ("h_registry_cert_ca", "outgoing_claims", ["clean"], []),
        ("h_power_party_columns_es", "grantor_claims", ["clean", "photo"], ["clean"]),
        ("h_power_ca_revocacio", "grantor_claims", ["clean"], []),
        ("h_registry_sections_es", "stale_certificate", ["clean"], ["clean"]),
        ("h_registry_cert_ca", "stale_certificate", ["pdf_scan"], []),
    ],
    "sets": [
        ("h_power_party_columns_es", "pdf_text", "h_id_dni_two_surname_rows", "clean", False),
        ("h_mandate_community_letter_es", "clean", "h_id_residence_permit", "photo", False),
        ("h_deed_dimision_es", "clean", "h_id_dni_two_surname_rows", "photo", True),
        ("h_registry_sections_es", "clean", "h_id_dni_two_surname_rows", "skew", False),
        ("h_mandate_ca_gestio", "photo", "h_id_residence_permit", "clean", False),
        ("h_power_ca_revocacio", "clean", "h_id_dni_two_surname_rows", "pdf_scan", False),
        ("h_deed_consell_ca", "clean", "h_id_residence_permit", "rot90", True),
    ],
    "small_sets": 2,
}
