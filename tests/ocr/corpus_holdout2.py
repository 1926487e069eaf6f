"""SECOND HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Never tune the engine on these templates, nor look at which of them it misses: they exist only to
measure how what was tuned elsewhere (corpus.py, the dev part and the first holdout) carries over to
documents written, laid out and ordered differently.

    python tests/ocr/corpus2.py --out DIR --part holdout2 [--profile small|full]

Besides the case kinds of the other parts (true claim, outgoing / grantor claims, stale certificate,
expired ID), this part has:
  * ``witness_claims``  the witness of a mandate or a power claims to be the representative;
  * ``notary_claims``   the authorising notary is named as the representative (NIF not on the page);
  * certificates that state no issue date at all: case ``stale_certificate`` with
    ``stale_reason: "no_issue_date"`` and ``expect.date`` None (nothing shows they are recent);
  * ``absent_nif`` of every entry is a VALID NIF/NIE one digit off the claimed one (check letter
    recomputed), so the wrong-identifier probes include a near miss that passes the checksum.
"""

from __future__ import annotations

import datetime as dt
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
PART = "holdout2"


def template(name, doc_type, lang, **flags):
    def deco(fn):
        TEMPLATES[name] = {"doc_type": doc_type, "lang": lang, "blocks": fn, **flags}
        return fn

    return deco


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 7 + salt)


def _sra(p: Person) -> str:
    return ("la señora " if p.female else "el señor ") + p.full


def _ntitle(n: Person, lang: str) -> str:
    return K.notary_title(n, lang)


def _rm(doc: Doc) -> str:
    return K.PROVINCE_RM.get(doc.city, doc.city)


def _between(a: dt.date, b: dt.date, frac: float) -> dt.date:
    return a + dt.timedelta(days=int((b - a).days * frac))


# =========================================================================== deeds


@template("h2_deed_elevacion_es", "deed", "es")
def h2_deed_elevacion(doc: Doc) -> list[tuple]:
    """The secretary (or the new administrator) appears; the agreements are numbered and their order
    (appointment first or removal first) depends on the variant switch."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    doc.style.font, doc.style.bold = "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"
    doc.style.footer = "Folio {page}"
    appearing = sec or a
    meeting = doc.other_dates["meeting"]
    nomb = (
        f"Designar nuevo Administrador Único de la compañía, por tiempo indefinido, a {_sra(a)}, "
        f"con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}, quien, presente en la reunión, aceptó el cargo y "
        f"manifestó no estar incurso en prohibición legal alguna."
    )
    cese = (
        f"Cesar en el cargo de Administrador Único a {_sra(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt + 1)}, "
        f"aprobando su gestión y agradeciéndole los servicios prestados a la sociedad."
    )
    first, second = (nomb, cese) if doc.v % 2 == 0 else (cese, nomb)
    b: list[tuple] = []
    if doc.cover:
        b += [
            ("gap", 6),
            ("h", "NOTARÍA", 1.6, "c"),
            ("h", n.upper(), 1.0, "c"),
            ("p", "COPIA AUTORIZADA. Escritura de elevación a público de acuerdos sociales."),
            ("pb",),
        ]
    b += [
        ("pl", f"PROTOCOLO N.º {proto_printed(doc.protocol)}"),
        ("h", "ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES", 1.2, "c"),
        ("h", f"otorgada por la mercantil «{comp}»", 0.9, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', 'words' if doc.v < 2 else 'long')}."),
        (
            "p",
            f"Ante mí, {n.full}, {_ntitle(n, 'es')} del Ilustre Colegio Notarial de {K.COLEGIO[doc.city]}, "
            f"con residencia en esta capital,",
        ),
        ("h", "COMPARECE:", 1.0, "l"),
        (
            "p",
            f"{don(appearing, upper=False)}, mayor de edad, con domicilio a estos efectos en {doc.city}, "
            f"titular del documento de identidad número {fmt_nif(appearing.nif, doc.fmt)}.",
        ),
        ("h", "INTERVIENE:", 1.0, "l"),
        (
            "p",
            f"En nombre y representación de «{comp.upper()}», con domicilio en {doc.city} y código de "
            f"identificación fiscal {fmt_cif(cif, doc.fmt)}, "
            + (
                "en su calidad de Secretario de la Junta General, facultado para elevar a público los "
                "acuerdos adoptados."
                if sec
                else "en su calidad de Administrador Único designado en la Junta cuyos acuerdos se elevan a público."
            ),
        ),
        (
            "p",
            "Identifico al compareciente por su documento reseñado y le juzgo con capacidad legal "
            "suficiente para el otorgamiento de esta escritura, y",
        ),
        ("h", "EXPONE:", 1.0, "l"),
        (
            "p",
            f"Que la Junta General de socios, con carácter de universal, reunida en el domicilio social el "
            f"día {date_text(meeting, 'es', 'long')}, adoptó por unanimidad los acuerdos siguientes:",
        ),
        ("p", f"1.º {first}"),
        ("p", f"2.º {second}"),
        ("h", "OTORGA:", 1.0, "l"),
        (
            "p",
            "Que eleva a público los acuerdos transcritos en la parte expositiva. Hago las reservas y "
            "advertencias legales. Leída la escritura por el compareciente, la aprueba y firma conmigo. "
            "De todo lo cual, y de quedar extendido este instrumento en folios de papel timbrado, yo, el "
            "Notario, doy fe.",
        ),
    ]
    if doc.csv:
        b.append(("pl", f"Código Seguro de Verificación de la copia: {doc.csv}"))
    b.append(("sig", ["Firma del compareciente", f"Signado: {n.full}"]))
    return b


@template("h2_deed_consejo_es", "deed", "es")
def h2_deed_consejo(doc: Doc) -> list[tuple]:
    """Board of directors: removal and new managing director; the outgoing director appears and signs."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    appearing = sec or o
    doc.style.margin_rule = True
    doc.style.header = "{page}"
    p = doc.protocol
    b: list[tuple] = [
        ("h", f"NÚMERO {words_es(p).upper()}", 1.0, "l"),
        ("pl", f"(Protocolo: {proto_printed(p)})"),
        ("h", "ESCRITURA DE CESE Y NOMBRAMIENTO DE CONSEJERO DELEGADO", 1.05, "l"),
        ("p", f"En la ciudad de {doc.city}, el {date_text(doc.date, 'es', 'long' if doc.v % 2 else 'words')}."),
        ("p", f"Ante mí, {n.upper()}, {_ntitle(n, 'es')} de {doc.city} y de su Ilustre Colegio,"),
        ("h", "C O M P A R E C E", 1.0, "c"),
        (
            "p",
            f"{don(appearing)}, mayor de edad, con D.N.I. {fmt_nif(appearing.nif, doc.fmt + 2)}, que interviene "
            f"como {'Secretario no consejero' if sec else 'consejero y hasta la fecha Consejero Delegado'} del "
            f"Consejo de Administración de la compañía {comp}, N.I.F. {fmt_cif(cif, doc.fmt + 1)}.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "A C U E R D O S   D E L   C O N S E J O", 1.0, "c"),
        (
            "table",
            [0.12, 0.88],
            [
                ["N.º", f"Acuerdo adoptado en la sesión del {date_text(doc.other_dates['meeting'], 'es', 'num')}"],
                [
                    "I",
                    f"Revocar las facultades delegadas y cesar como Consejero Delegado a "
                    f"{o.full}, con N.I.F. {fmt_nif(o.nif, doc.fmt)}.",
                ],
                [
                    "II",
                    f"Nombrar Consejero Delegado, con delegación de todas las facultades "
                    f"legal y estatutariamente delegables, a {a.full}, con N.I.F. "
                    f"{fmt_nif(a.nif, doc.fmt)}, que acepta.",
                ],
            ],
        ),
        (
            "p",
            "Y solicita del señor Registrador Mercantil la inscripción de los anteriores acuerdos. Así lo dice "
            "y otorga, y, leída, la firma conmigo. Doy fe.",
        ),
        ("sig", [appearing.full, f"{_ntitle(n, 'es')}: {n.full}"]),
    ]
    if doc.csv:
        b.insert(3, ("mono", f"CSV {doc.csv}"))
    if doc.cover:
        b = [("gap", 8), ("h", comp.upper(), 1.3, "c"), ("h", "CESE Y NOMBRAMIENTO", 1.1, "c"), ("pb",)] + b
    return b


@template("h2_deed_cessament_ca", "deed", "ca")
def h2_deed_cessament(doc: Doc) -> list[tuple]:
    """Catalan deed with the notary's formulae; the outgoing administrator is named last or first."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    appearing = sec or a
    p = doc.protocol
    nom = (
        f"Nomenar administrador únic de la societat, per termini indefinit, {don(a, 'ca', upper=False)}, amb "
        f"DNI/NIE {fmt_nif(a.nif, doc.fmt)}, que accepta el càrrec."
    )
    ces = (
        f"Cessar {don(o, 'ca', upper=False)}, amb DNI {fmt_nif(o.nif, doc.fmt + 1)}, en el càrrec "
        f"d'administrador únic, i aprovar-ne la gestió."
    )
    order = [nom, ces] if doc.v in (0, 3) else [ces, nom]
    b: list[tuple] = []
    if doc.cover:
        b += [("gap", 5), ("h", "CÒPIA SIMPLE ELECTRÒNICA", 1.4, "c"), ("p", K.FILLER_DEED_CA), ("pb",)]
    b += [
        ("pl", f"protocol número {proto_printed(p)}"),
        ("h", "ESCRIPTURA D'ELEVACIÓ A PÚBLIC D'ACORDS SOCIALS", 1.15, "c"),
        ("p", f"A {doc.city}, el {date_text(doc.date, 'ca', 'words' if doc.v % 2 == 0 else 'long')}."),
        ("p", f"Davant meu, {n.upper()}, {_ntitle(n, 'ca')} del Col·legi de Catalunya, amb residència a {doc.city},"),
        ("h", "COMPAREIX", 1.0, "l"),
        (
            "p",
            f"{don(appearing, 'ca')}, major d'edat, amb domicili professional a {doc.city} i document "
            f"d'identitat número {fmt_nif(appearing.nif, doc.fmt + 2)}.",
        ),
        ("h", "INTERVÉ", 1.0, "l"),
        (
            "p",
            f"En nom i representació de la companyia {comp}, amb NIF {fmt_cif(cif, doc.fmt)}, com a "
            + (
                "secretari de la Junta General."
                if sec
                else "administrador únic nomenat en la Junta els acords de la qual s'eleven a públic."
            ),
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "EXPOSA", 1.0, "l"),
        (
            "p",
            f"Que la Junta General Universal de socis, reunida el "
            f"{date_text(doc.other_dates['meeting'], 'ca', 'long')}, va adoptar per unanimitat:",
        ),
        ("p", f"Primer. {order[0]}"),
        ("p", f"Segon. {order[1]}"),
        ("h", "ATORGA", 1.0, "l"),
        (
            "p",
            "Que eleva a públics aquests acords. Faig les reserves i advertiments legals. Llegida aquesta "
            "escriptura, la persona compareixent hi presta el seu consentiment i la signa. Jo, el notari, "
            "dono fe de tot el contingut d'aquest instrument públic, estès en fulls de paper timbrat.",
        ),
    ]
    if doc.csv:
        b.append(("pl", f"CSV: {doc.csv}"))
    b.append(("stamp", ["NOTARIA", n.upper()[:26], doc.city.upper()]))
    return b


# =========================================================================== powers of attorney


@template("h2_power_suministros_es", "power_of_attorney", "es", witness=True)
def h2_power_suministros(doc: Doc) -> list[tuple]:
    """Special power to contract energy supplies; the attorney is named in the heading, before the grantor;
    two instrumental witnesses may attend; the date is at the end."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    w = doc.people.get("witness")
    comp, cif = doc.company
    n = doc.notary
    b: list[tuple] = [
        ("h", "PODER ESPECIAL PARA CONTRATAR SUMINISTROS ENERGÉTICOS", 1.15, "c"),
        ("pl", f"A FAVOR DE: {a.upper()}"),
        ("pl", f"OTORGADO POR: {comp.upper()}"),
        ("pl", f"Número de protocolo: {proto_printed(doc.protocol)}"),
        ("h", "COMPARECENCIA", 1.0, "l"),
        (
            "p",
            f"Comparece {don(g, upper=False)}, mayor de edad, vecino de {doc.city}, con D.N.I. "
            f"{fmt_nif(g.nif, doc.fmt + 1)}, quien interviene como administrador solidario de {comp}, con "
            f"N.I.F. {fmt_cif(cif, doc.fmt)}, cargo que asegura vigente.",
        ),
        ("h", "PODER", 1.0, "l"),
        (
            "p",
            f"La sociedad, por medio de su representante, faculta a {don(a, upper=False)}, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt)}, para que, actuando en su nombre, pueda: (a) contratar, renovar, "
            f"modificar y rescindir suministros de energía eléctrica y de gas natural; (b) solicitar "
            f"acometidas, boletines, cambios de potencia y de tarifa de acceso; (c) firmar contratos con "
            f"comercializadoras y distribuidoras y domiciliar los pagos.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Queda revocado el poder anteriormente conferido a {don(rv, upper=False)}, con D.N.I. "
                f"{fmt_nif(rv.nif, doc.fmt + 2)}.",
            )
        )
    if w:
        w2 = doc.people.get("witness2")
        both = f"{don(w, upper=False)}, con D.N.I. {fmt_nif(w.nif, doc.fmt)}" + (
            f", y {don(w2, upper=False)}, con D.N.I. {fmt_nif(w2.nif, doc.fmt + 1)}" if w2 else ""
        )
        b.append(
            (
                "p",
                f"Interviene{'n' if w2 else ''} como testigo{'s' if w2 else ''} instrumental{'es' if w2 else ''}, "
                f"a instancia del otorgante, {both}, idóneo{'s' if w2 else ''} según me asegura{'n' if w2 else ''}.",
            )
        )
    b += [
        ("p", K.FILLER_DEED_ES),
        (
            "p",
            f"Autorizo la presente en {doc.city}, a "
            f"{date_text(doc.date, 'es', ['long', 'words', 'long', 'words'][doc.v])}, yo, {n.full}, "
            f"{_ntitle(n, 'es')} del Ilustre Colegio Notarial de {K.COLEGIO[doc.city]}, que doy fe.",
        ),
        ("sig", ["El otorgante"] + (["Los testigos"] if w else []) + ["El Notario"]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV: {doc.csv}"))
    if doc.cover:
        b = [("gap", 7), ("h", "PODER ESPECIAL", 1.8, "c"), ("p", f"Notaría de {n.full}"), ("pb",)] + b
    return b


@template("h2_power_apoderament_ca", "power_of_attorney", "ca")
def h2_power_apoderament(doc: Doc) -> list[tuple]:
    """Catalan power with the notarial formulae: grantor first, attorney after, revocation at the end."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    p = doc.protocol
    doc.style.font, doc.style.bold = "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"
    doc.style.footer = "Pàgina {page} de {pages}"
    b: list[tuple] = [
        ("h", "ESCRIPTURA D'APODERAMENT", 1.3, "c"),
        ("pl", f"protocol número {proto_printed(p)}"),
        (
            "p",
            f"A {doc.city}, on tinc la residència, el dia "
            f"{date_text(doc.date, 'ca', 'words' if doc.v in (1, 2) else 'long')}.",
        ),
        ("p", f"Davant meu, {n.full}, {_ntitle(n, 'ca')} del Col·legi de Catalunya,"),
        ("h", "COMPAREIX", 1.0, "c"),
        (
            "p",
            f"{don(g, 'ca', upper=False)}, major d'edat, empresari, amb DNI {fmt_nif(g.nif, doc.fmt)}. "
            f"Intervé en nom i representació de {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt + 1)}, en la seva "
            f"condició d'administrador únic, càrrec que em consta vigent.",
        ),
        (
            "p",
            "Jo, el notari, he identificat la persona compareixent pel seu document d'identitat i la jutjo amb "
            "capacitat per atorgar aquesta escriptura d'apoderament.",
        ),
        ("h", "ATORGA", 1.0, "c"),
        (
            "p",
            f"Que confereix poder, tan ampli i bastant com en dret sigui necessari, a favor de "
            f"{don(a, 'ca', upper=False)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, perquè en nom de la "
            f"societat pugui contractar i donar de baixa subministraments d'electricitat i gas, sol·licitar "
            f"canvis de potència i de titularitat i signar tots els documents necessaris.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Així mateix, revoca expressament el poder conferit anteriorment a "
                f"{don(rv, 'ca', upper=False)}, amb DNI {fmt_nif(rv.nif, doc.fmt)}.",
            )
        )
    b += [
        (
            "p",
            "Així ho diu i atorga. Faig les advertències legals. Llegida aquesta escriptura, la persona "
            "compareixent l'aprova i la signa. Jo, el notari, dono fe de tot el que s'hi conté.",
        ),
        ("sig", [g.full, f"{_ntitle(n, 'ca')}: {n.full}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació (CSV) {doc.csv}"))
    if doc.cover:
        b = [
            ("gap", 6),
            ("h", "CÒPIA SIMPLE", 1.5, "c"),
            ("h", "PODER", 1.2, "c"),
            ("p", "Aquesta còpia no té valor per a la inscripció."),
            ("pb",),
        ] + b
    return b


@template("h2_power_general_table_es", "power_of_attorney", "es")
def h2_power_table(doc: Doc) -> list[tuple]:
    """General commercial power: date and notary first, powers listed in a table, revocation after."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    doc.style.header = f"{n.full} - {_ntitle(n, 'es')} - {doc.city}"
    b: list[tuple] = [
        ("r", f"Protocolo número {proto_printed(doc.protocol)}"),
        ("h", "PODER GENERAL MERCANTIL", 1.35, "l"),
        (
            "p",
            f"{doc.city}, {date_text(doc.date, 'es', 'long' if doc.v % 2 == 0 else 'words')}. Ante mí, "
            f"{n.full}, {_ntitle(n, 'es')}, comparece {don(g, upper=False)}, con N.I.F. "
            f"{fmt_nif(g.nif, doc.fmt)}, en su calidad de Consejero Delegado de «{comp}», N.I.F. "
            f"{fmt_cif(cif, doc.fmt + 2)}.",
        ),
        (
            "p",
            f"Y en la representación que ostenta OTORGA poder general mercantil a favor de {a.upper()}, "
            f"mayor de edad, provisto de documento de identidad {fmt_nif(a.nif, doc.fmt + 1)}, para que en "
            f"nombre de la sociedad ejercite, con carácter solidario, las siguientes facultades:",
        ),
        (
            "table",
            [0.08, 0.62, 0.3],
            [
                ["#", "Facultad", "Límite"],
                ["1", "Contratar suministros de electricidad, gas y agua", "Sin límite"],
                ["2", "Solicitar cambios de titularidad y de potencia", "Sin límite"],
                ["3", "Firmar contratos de acceso a redes de distribución", "Sin límite"],
                ["4", "Cobros y pagos derivados de dichos contratos", "60.000 euros"],
            ],
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Con esta misma fecha queda revocado el poder general otorgado en su día a favor de "
                f"{rv.full} (N.I.F. {fmt_nif(rv.nif, doc.fmt + 1)}).",
            )
        )
    b += [
        ("p", K.FILLER_DEED_ES),
        ("p", "Así lo otorga. Leído, lo firma conmigo, el Notario, que doy fe."),
        ("sig", [f"Fdo.: {g.full}", "Ante mí"]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV {doc.csv} - copia electrónica"))
    return b


@template("h2_power_revocacio_ca", "power_of_attorney", "ca")
def h2_power_revocacio(doc: Doc) -> list[tuple]:
    """Catalan: the revoked attorney first, the new attorney second, the grantor last (after the powers)."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    b: list[tuple] = [
        ("h", f"{comp.upper()}", 1.0, "l"),
        ("h", "REVOCACIÓ I NOU APODERAMENT" if rv else "APODERAMENT ESPECIAL", 1.25, "l"),
        ("pl", f"Escriptura autoritzada pel notari {n.full}, protocol número {proto_printed(doc.protocol)}"),
    ]
    if rv:
        b.append(
            (
                "p",
                f"1. Revocació. Es revoca i deixa sense efecte el poder atorgat a favor de "
                f"{rv.upper()}, DNI {fmt_nif(rv.nif, doc.fmt + 1)}, amb efectes des d'avui.",
            )
        )
    b += [
        (
            "p",
            f"{'2' if rv else '1'}. Nou apoderament. Es faculta {a.upper()}, DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt)}, perquè representi la societat, NIF {fmt_cif(cif, doc.fmt)}, davant "
            f"qualsevol empresa comercialitzadora o distribuïdora d'energia.",
        ),
        (
            "p",
            f"Atorgant. Actua en nom de la societat {don(g, 'ca', upper=False)}, DNI "
            f"{fmt_nif(g.nif, doc.fmt + 2)}, conseller delegat, amb facultats suficients.",
        ),
        ("p", K.FILLER_DEED_CA),
        (
            "p",
            f"Davant meu, {n.full}, {_ntitle(n, 'ca').lower()} del Col·legi de Catalunya, a {doc.city}, el "
            f"{date_text(doc.date, 'ca', ['long', 'words', 'long', 'words'][doc.v])}. Dono fe.",
        ),
        ("sig", ["L'atorgant", "El notari"]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    if doc.cover:
        b = [("gap", 4), ("h", "NOTARIA", 1.5, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


# =========================================================================== registry certificates


def _history(doc: Doc) -> list[tuple[dt.date, str, Person, str]]:
    """Charges over time: (date, act, person, charge) in chronological order."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    od = doc.other_dates
    reel = _between(od["old_appointment"], od["removal"], 0.55)
    rows = [
        (od["old_appointment"], "Nombramiento", o, "Administrador Único"),
        (reel, "Reelección", o, "Administrador Único"),
    ]
    if cons:
        rows.append((_between(od["old_appointment"], od["removal"], 0.25), "Nombramiento", cons, "Apoderado"))
        rows.append((_between(od["old_appointment"], od["removal"], 0.8), "Revocación", cons, "Apoderado"))
    rows += [
        (od["removal"], "Cese", o, "Administrador Único"),
        (od["appointment"], "Nombramiento", a, "Administrador Único"),
    ]
    return sorted(rows, key=lambda r: (r[0], r[1] != "Cese"))


CA_ACT = {
    "Nombramiento": "Nomenament",
    "Reelección": "Reelecció",
    "Revocación": "Revocació",
    "Cese": "Cessament",
    "Administrador Único": "Administrador únic",
    "Apoderado": "Apoderat",
}


@template("h2_cert_historial_es", "registry_certificate", "es")
def h2_cert_historial(doc: Doc) -> list[tuple]:
    comp, cif = doc.company
    r = doc.registrar
    rm = _rm(doc)
    hist = _history(doc)
    ins0 = max(0, doc.extra["inscription"] - len(hist))
    doc.style.footer = f"Registro Mercantil de {rm}" + " - Página {page} de {pages}"
    rows = [["Fecha", "Acto", "Cargo", "Persona", "Ins."]]
    for i, (d, act, p, charge) in enumerate(hist):
        rows.append(
            [date_text(d, "es", "num"), act, charge, f"{p.surname_first()} ({fmt_nif(p.nif, 0)})", f"{ins0 + i + 1}ª"]
        )
    b: list[tuple] = [
        ("h", "CERTIFICACIÓN DE ASIENTOS", 1.3, "c"),
        ("h", f"Registro Mercantil de {rm}", 1.0, "c"),
        (
            "p",
            f"{r.full}, Registrador{'a' if r.female else ''} Mercantil, CERTIFICA: que, examinada la hoja "
            f"{doc.extra['hoja']} abierta a la sociedad {comp.upper()}, N.I.F. {fmt_cif(cif, doc.fmt)}, "
            f"resultan, en orden cronológico, los siguientes asientos relativos a su órgano de administración "
            f"y apoderados:",
        ),
        ("table", [0.15, 0.17, 0.2, 0.38, 0.1], rows),
        (
            "p",
            "Cargos vigentes a la fecha de la presente: los que no constan cesados o revocados en el cuadro anterior.",
        ),
    ]
    if doc.extra.get("no_issue_date"):
        b.append(("p", f"Y para que conste, expido la presente en {rm}."))
    else:
        b.append(
            (
                "p",
                f"Y para que conste, expido la presente en {rm}. Expedida el "
                f"{date_text(doc.date, 'es', 'long' if doc.v % 2 else 'num')}.",
            )
        )
    b += [("r", f"Fdo.: {r.full}"), ("mono", f"CSV: {doc.csv}")]
    if doc.cover:
        b = [
            ("h", "PUBLICIDAD FORMAL", 1.3, "c"),
            ("p", "Solicitud de certificación de cargos."),
            ("p", K.FILLER_DEED_ES),
            ("pb",),
        ] + b
    return b


@template("h2_nota_simple_es", "registry_certificate", "es", csv=False)
def h2_nota_simple(doc: Doc) -> list[tuple]:
    """Nota simple informativa: the issue date (when stated) is in the header box; charges by section."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    rm = _rm(doc)
    od = doc.other_dates
    reel = _between(od["old_appointment"], od["removal"], 0.55)
    doc.style.font, doc.style.bold = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    head = [["REGISTRO MERCANTIL DE " + rm.upper(), "NOTA SIMPLE INFORMATIVA"]]
    if not doc.extra.get("no_issue_date"):
        head.append(
            [f"Fecha: {date_text(doc.date, 'es', ['num', 'dash', 'num', 'dot'][doc.v])}", f"Hoja: {doc.extra['hoja']}"]
        )
    else:
        head.append([f"Hoja: {doc.extra['hoja']}", f"Tomo {doc.extra['tomo']}, Folio {doc.extra['folio']}"])
    b: list[tuple] = [
        ("table", [0.5, 0.5], head),
        ("h", "DATOS GENERALES", 1.0, "l"),
        ("pl", f"Denominación: {comp.upper()}"),
        ("pl", f"N.I.F.: {fmt_cif(cif, doc.fmt)}"),
        ("pl", f"Fecha de constitución: {date_text(od['constitution'], 'es', 'num')}"),
        ("h", "ADMINISTRADORES Y APODERADOS", 1.0, "l"),
        ("pl", f"ADMINISTRADOR ÚNICO: {a.surname_first()}  NIF {fmt_nif(a.nif, doc.fmt)}"),
        ("pl", f"    Nombramiento: {date_text(od['appointment'], 'es', 'num')}. Vigente."),
        ("pl", f"ADMINISTRADOR ÚNICO: {o.surname_first()}  NIF {fmt_nif(o.nif, doc.fmt + 1)}"),
        (
            "pl",
            f"    Nombramiento: {date_text(od['old_appointment'], 'es', 'num')}. Reelección: "
            f"{date_text(reel, 'es', 'num')}. Cese: {date_text(od['removal'], 'es', 'num')}.",
        ),
    ]
    if cons:
        b += [
            ("pl", f"APODERADO: {cons.surname_first()}  NIF {fmt_nif(cons.nif, doc.fmt)}"),
            ("pl", f"    Revocación: {date_text(_between(od['old_appointment'], od['removal'], 0.8), 'es', 'num')}."),
        ]
    b += [
        ("h", "ADVERTENCIAS", 0.9, "l"),
        (
            "p",
            "La presente nota simple tiene valor puramente informativo y no da fe del contenido de los "
            "asientos (art. 77 del Reglamento del Registro Mercantil). La certificación es el único medio "
            "de acreditar fehacientemente el contenido de los asientos del Registro.",
        ),
    ]
    if doc.cover:
        b = [("gap", 3), ("h", "INFORMACIÓN REGISTRAL", 1.4, "c"), ("p", K.FILLER_DEED_ES), ("pb",)] + b
    return b


@template("h2_cert_cronologia_ca", "registry_certificate", "ca")
def h2_cert_ca(doc: Doc) -> list[tuple]:
    """Catalan certificate: one paragraph per act; the issue date (when stated) at the very end."""
    comp, cif = doc.company
    r = doc.registrar
    rm = _rm(doc)
    hist = _history(doc)
    b: list[tuple] = [
        ("h", f"REGISTRE MERCANTIL DE {rm.upper()}", 1.2, "l"),
        ("h", "CERTIFICACIÓ", 1.3, "l"),
        (
            "p",
            f"Jo, {r.full}, registrador{'a' if r.female else ''} mercantil de {rm}, CERTIFICO: que al full "
            f"{doc.extra['hoja']}, tom {doc.extra['tomo']}, foli {doc.extra['folio']}, obert a nom de "
            f"{comp}, amb NIF {fmt_cif(cif, doc.fmt)}, hi consten els assentaments següents:",
        ),
    ]
    for d, act, p, charge in hist:
        b.append(
            (
                "p",
                f"— {CA_ACT[act]} de {p.full}, DNI {fmt_nif(p.nif, doc.fmt)}, com a "
                f"{CA_ACT[charge].lower()}, en data {date_text(d, 'ca', 'long')}.",
            )
        )
    b.append(("p", "I que no hi ha cap assentament posterior que modifiqui el que s'ha certificat."))
    if doc.extra.get("no_issue_date"):
        b.append(("p", f"Lliurada a {rm}."))
    else:
        b.append(("p", f"Lliurada a {rm}, el {date_text(doc.date, 'ca', 'long' if doc.v < 2 else 'num')}."))
    b += [("sig", [f"{r.full}, registrador{'a' if r.female else ''}"]), ("pl", f"Codi de verificació {doc.csv}")]
    if doc.cover:
        b = [("gap", 4), ("h", "SOL·LICITUD DE PUBLICITAT", 1.3, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


@template("h2_borme_a_es", "registry_certificate", "es", csv=False, absent=["person_nif", "company_cif"])
def h2_borme(doc: Doc) -> list[tuple]:
    """BORME section A page in two-column-like flow: appointments listed BEFORE removals."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, _ = doc.company
    rr = _r(doc, 3)
    rm = _rm(doc).upper()
    d_pub = doc.date
    d_ins = doc.other_dates["appointment"]

    def bn(p: Person) -> str:
        return K._mrz_name(f"{p.surnames} {p.given}").replace("<", " ").strip()

    num = rr.randrange(300000, 599999)
    doc.style.font, doc.style.bold = "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"
    doc.style.size = 40
    doc.style.header = (
        f"BOLETÍN OFICIAL DEL REGISTRO MERCANTIL  Núm. {rr.randrange(1, 245)}  "
        f"{['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo'][d_pub.weekday()]} "
        f"{date_text(d_pub, 'es', 'long')}  Pág. {rr.randrange(1000, 60000)}"
    )
    doc.style.footer = (
        f"cve: BORME-A-{d_pub.year}-{rr.randrange(1, 245)}-{rr.randrange(1, 52):02d}   "
        "Verificable en la sede electrónica del BOE"
    )
    b: list[tuple] = [
        ("h", "SECCIÓN PRIMERA. Empresarios", 1.0, "c"),
        ("h", "Actos inscritos", 1.0, "c"),
        ("h", rm, 1.1, "c"),
    ]
    for i in range(2):
        b.append(
            (
                "p",
                f"{num - 2 + i} - {K.make_company(rr)[0].upper().rstrip('.')}. Ampliación de capital. "
                f"Capital: {rr.randrange(3, 90)}.000,00 Euros. Resultante Suscrito: "
                f"{rr.randrange(91, 400)}.000,00 Euros. Datos registrales. T {rr.randrange(1000, 40000)} , "
                f"F {rr.randrange(1, 200)}, S 8, H {doc.extra['hoja'][:-1]}{i}, I/A {rr.randrange(2, 9)} "
                f"({d_ins.strftime('%d.%m.%y')}).",
            )
        )
    b.append(
        (
            "p",
            f"{num} - {comp.upper().rstrip('.')}. Nombramientos. Adm. Unico: {bn(a)}. Ceses/Dimisiones. "
            f"Adm. Unico: {bn(o)}. Datos registrales. T {doc.extra['tomo']} , F {doc.extra['folio']}, S 8, "
            f"H {doc.extra['hoja']}, I/A {doc.extra['inscription']} ({d_ins.strftime('%d.%m.%y')}).",
        )
    )
    b.append(
        (
            "p",
            f"{num + 1} - {K.make_company(rr)[0].upper().rstrip('.')}. Disolución. Voluntaria. Extinción. "
            f"Datos registrales. T {rr.randrange(1000, 40000)} , F {rr.randrange(1, 200)}, S 8, H "
            f"{doc.extra['hoja'][:-2]}77, I/A {rr.randrange(2, 9)} ({d_ins.strftime('%d.%m.%y')}).",
        )
    )
    return b


# =========================================================================== mandates


def _junta(doc: Doc) -> dt.date:
    return doc.date - dt.timedelta(days=_r(doc, 5).randrange(8, 120))


@template("h2_mandate_gestion_energetica_es", "manager_mandate", "es")
def h2_mandate_ge(doc: Doc) -> list[tuple]:
    """Contract of mandate: the signature date comes first; the mandatary party is introduced first."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    b: list[tuple] = [
        ("h", "CONTRATO DE MANDATO PARA LA GESTIÓN ENERGÉTICA", 1.2, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'dash'][doc.v])}."),
        ("h", "INTERVIENEN", 1.0, "l"),
        (
            "p",
            f"De una parte, {_sra(a)}, con N.I.F. {fmt_nif(a.nif, doc.fmt)}, en nombre de {gest} "
            f"(C.I.F. {fmt_cif(gcif, doc.fmt)}), en lo sucesivo «el gestor energético» o «el mandatario».",
        ),
        (
            "p",
            f"De otra parte, {_sra(g)}, con N.I.F. {fmt_nif(g.nif, doc.fmt + 1)}, en nombre y representación "
            f"de {comp} (C.I.F. {fmt_cif(cif, doc.fmt + 1)}), en lo sucesivo «el cliente» o «el mandante».",
        ),
        ("h", "ESTIPULACIONES", 1.0, "l"),
        (
            "p",
            "PRIMERA. Objeto. El mandante encarga al mandatario la gestión integral de sus contratos de "
            "energía: estudio de ofertas, contratación y cambio de comercializadora, optimización de potencias, "
            "revisión de facturas y tramitación de reclamaciones ante distribuidoras y comercializadoras.",
        ),
        (
            "p",
            "SEGUNDA. Representación. A tal fin le otorga mandato con representación para firmar en su nombre "
            "las solicitudes y contratos necesarios.",
        ),
        (
            "p",
            f"TERCERA. Duración. Hasta el {date_text(doc.other_dates['until'], 'es', 'long')}, prorrogable "
            f"tácitamente por periodos anuales.",
        ),
        ("p", "CUARTA. Honorarios. Los pactados en el anexo económico."),
        ("sig", [f"El mandatario: {a.full}", f"El mandante: {g.full}"]),
    ]
    if w:
        b.append(("pl", f"Testigo de la firma: {w.full}, N.I.F. {fmt_nif(w.nif, doc.fmt + 2)}"))
    return b


@template("h2_mandate_community_acta_es", "manager_mandate", "es")
def h2_mandate_comm_acta(doc: Doc) -> list[tuple]:
    """The community's president certifies the owners' meeting minutes and signs the mandate to the
    property administrator."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    pres = "Presidenta" if g.female else "Presidente"
    j = _junta(doc)
    b: list[tuple] = [
        ("h", comp.upper(), 1.1, "l"),
        ("pl", f"C.I.F.: {fmt_cif(cif, doc.fmt)}"),
        ("h", "CERTIFICADO DEL ACTA DE LA JUNTA DE PROPIETARIOS Y MANDATO", 1.1, "l"),
        ("p", f"{don(g, upper=False)}, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, {pres} de la comunidad, CERTIFICA:"),
        (
            "p",
            f"Que en la Junta General Ordinaria de Propietarios celebrada en segunda convocatoria el día "
            f"{date_text(j, 'es', 'long')}, según consta en el acta extendida en el Libro de Actas de la "
            f"comunidad, se adoptó, por mayoría de los propietarios presentes y representados, el acuerdo de "
            f"designar como administrador de la finca a {gest} (C.I.F. {fmt_cif(gcif, 0)}), que actuará por "
            f"medio de {_sra(a)}, administrador{'a' if a.female else ''} de fincas colegiad"
            f"{'a' if a.female else 'o'}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}.",
        ),
        (
            "p",
            "Y que se acordó igualmente facultar al administrador designado para contratar, modificar y dar de "
            "baja los suministros de electricidad y gas de los elementos comunes, y para representar a la "
            "comunidad ante las compañías suministradoras.",
        ),
        (
            "p",
            f"En ejecución de dicho acuerdo, el/la {pres} que suscribe otorga el presente mandato en "
            f"{doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'dot', 'long'][doc.v])}.",
        ),
        ("sig", [f"V.º B.º El/La {pres}: {g.full}", f"Acepta: {a.full}"]),
    ]
    if w:
        b.append(("pl", f"Testigo (vocal de la Junta): {w.full}, D.N.I. {fmt_nif(w.nif, doc.fmt)}"))
    return b


@template("h2_mandate_community_ca", "manager_mandate", "ca")
def h2_mandate_comm_ca(doc: Doc) -> list[tuple]:
    """Catalan: minutes extract first (meeting date), then the authorisation, signature date at the end."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    pres = "presidenta" if g.female else "president"
    j = _junta(doc)
    doc.style.font, doc.style.bold = "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"
    b: list[tuple] = [
        ("h", "EXTRACTE DE L'ACTA DE LA JUNTA DE PROPIETARIS", 1.15, "c"),
        ("pl", f"{comp} · NIF {fmt_cif(cif, doc.fmt)}"),
        (
            "p",
            f"Junta ordinària de {date_text(j, 'ca', 'long')}. Punt tercer de l'ordre del dia: nomenament "
            f"d'administrador de finques i gestió dels subministraments comuns.",
        ),
        (
            "p",
            f"Acord: s'aprova encarregar l'administració de la finca a {gest} (NIF {fmt_cif(gcif, doc.fmt)}), "
            f"que designa com a persona responsable {don(a, 'ca', upper=False)}, amb DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt + 2)}, i facultar-la per contractar i modificar els subministraments "
            f"d'electricitat i gas dels elements comuns.",
        ),
        ("h", "AUTORITZACIÓ", 1.1, "c"),
        (
            "p",
            f"{don(g, 'ca', upper=False)}, amb DNI {fmt_nif(g.nif, doc.fmt)}, {pres} de la comunitat, en "
            f"execució de l'acord anterior, autoritza la persona esmentada perquè actuï com a mandatària de la "
            f"comunitat davant les empreses comercialitzadores i distribuïdores.",
        ),
        ("p", f"Vigència: fins al {date_text(doc.other_dates['until'], 'ca', 'num')}."),
    ]
    if w:
        b.append(
            ("p", f"Hi és present com a testimoni {don(w, 'ca', upper=False)}, amb DNI {fmt_nif(w.nif, doc.fmt + 1)}.")
        )
    b += [
        ("sig", [f"La persona que presideix: {g.full}", "L'administrador/a"]),
        ("r", f"{doc.city}, {date_text(doc.date, 'ca', ['long', 'num', 'long', 'dot'][doc.v])}"),
    ]
    return b


@template("h2_mandate_gestio_ca", "manager_mandate", "ca")
def h2_mandate_gestio_ca(doc: Doc) -> list[tuple]:
    """Catalan contract with a CUPS table; the company's representative (mandant) first."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 9)
    cups = [
        f"ES00{rr.randrange(21, 31):02d}{rr.randrange(10**11, 10**12)}{rr.randrange(0, 10**4):04d}"
        f"{rr.choice('ABCDEFGHJ')}{rr.choice('KLMNPQRST')}"
        for _ in range(3)
    ]
    b: list[tuple] = [
        ("h", "CONTRACTE DE MANDAT DE GESTIÓ ENERGÈTICA", 1.2, "l"),
        (
            "pl",
            f"Lloc i data de signatura: {doc.city}, "
            f"{date_text(doc.date, 'ca', ['num', 'long', 'long', 'dash'][doc.v])}",
        ),
        ("h", "PARTS", 1.0, "l"),
        (
            "p",
            f"MANDANT: {comp}, NIF {fmt_cif(cif, doc.fmt)}, representada per {don(g, 'ca', upper=False)}, "
            f"DNI {fmt_nif(g.nif, doc.fmt + 1)}, com a apoderat.",
        ),
        (
            "p",
            f"MANDATARI: {don(a, 'ca', upper=False)}, DNI/NIE {fmt_nif(a.nif, doc.fmt)}, tècnic de {gest} "
            f"(NIF {fmt_cif(gcif, doc.fmt)}).",
        ),
        ("h", "OBJECTE", 1.0, "l"),
        (
            "p",
            "El mandant encarrega al mandatari la gestió dels contractes de subministrament dels punts "
            "següents, amb facultat per signar altes, baixes, canvis de comercialitzadora i de potència:",
        ),
        (
            "table",
            [0.55, 0.2, 0.25],
            [
                ["CUPS", "Tarifa", "Potència (kW)"],
                [cups[0], "3.0TD", str(rr.randrange(16, 90))],
                [cups[1], "2.0TD", str(rr.randrange(4, 15))],
                [cups[2], "6.1TD", str(rr.randrange(100, 450))],
            ],
        ),
        ("p", f"Termini: fins al {date_text(doc.other_dates['until'], 'ca', 'long')}."),
        ("sig", ["El mandant", "El mandatari"] + (["Testimoni"] if w else [])),
    ]
    if w:
        b.append(("pl", f"Testimoni: {w.full} (DNI {fmt_nif(w.nif, doc.fmt + 2)})"))
    return b


@template("h2_mandate_form_es", "manager_mandate", "es")
def h2_mandate_form(doc: Doc) -> list[tuple]:
    """Form with labelled boxes; the representative's box comes before the holder's."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    doc.style.font, doc.style.bold = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    b: list[tuple] = [
        ("h", "AUTORIZACIÓN DE REPRESENTACIÓN", 1.3, "l"),
        ("pl", "Trámites ante la empresa distribuidora y la comercializadora de energía"),
        ("h", "1. REPRESENTANTE AUTORIZADO", 0.95, "l"),
        ("kv", "Nombre y apellidos", a.full),
        ("kv", "NIF / NIE", fmt_nif(a.nif, doc.fmt)),
        ("kv", "Empresa", f"{gest} - CIF {fmt_cif(gcif, doc.fmt)}"),
        ("h", "2. TITULAR DE LOS SUMINISTROS", 0.95, "l"),
        ("kv", "Razón social", comp),
        ("kv", "CIF", fmt_cif(cif, doc.fmt + 1)),
        ("kv", "Firmante en nombre del titular", f"{g.full} (NIF {fmt_nif(g.nif, doc.fmt + 2)}), apoderado"),
        ("h", "3. ALCANCE", 0.95, "l"),
        (
            "p",
            "El titular autoriza al representante a solicitar datos de consumo, presentar solicitudes de alta, "
            "baja, modificación de potencia y cambio de comercializadora, y firmar los contratos "
            f"correspondientes, hasta el {date_text(doc.other_dates['until'], 'es', 'num')}.",
        ),
        ("kv", "Fecha de firma", date_text(doc.date, "es", ["dash", "num", "dot", "long"][doc.v])),
        ("kv", "Lugar", doc.city),
        ("sig", ["Firma del titular", "Firma del representante"]),
    ]
    if w:
        b.append(("kv", "Testigo", f"{w.full} - NIF {fmt_nif(w.nif, 0)}"))
    return b


# =========================================================================== ID documents


def _f(px: int, bold: bool = False, cond: bool = False):
    if cond:
        return K._font("DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf", px)
    return K._font("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf", px)


NATIONALITY = {
    "Popescu": "ROU",
    "Ferreira Santos": "BRA",
    "El Amrani": "MAR",
    "Kovalenko": "UKR",
    "Dubois": "FRA",
    "Bianchi": "ITA",
    "Ben Salah": "TUN",
    "da Silva Costa": "BRA",
    "Zhang": "CHN",
    "Ivanova": "RUS",
    "Diallo": "SEN",
    "Nowak": "POL",
}


@template("h2_id_dni_es", "id_document", "es")
def h2_dni(doc: Doc) -> list[Image.Image]:
    """DNI-like card: DNI NUM at the top, photo on the right, EMISIÓN / VALIDEZ side by side; TD1 MRZ."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    front = K.card_base(doc.seed, (224, 218, 232))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "ESPAÑA", font=_f(64, True, True), fill=(140, 20, 40))
    d.text((360, 50), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(44, True, True), fill=(40, 30, 80))
    d.text((60, 140), "DNI NUM", font=_f(30, cond=True), fill=(80, 80, 80))
    d.text((60, 176), p.nif, font=K._font("DejaVuSansMono-Bold.ttf", 70), fill=(0, 0, 0))
    d.rectangle([1480, 180, 1950, 800], fill=(158, 150, 160))
    rows = [
        ("APELLIDOS", p.s1.upper()),
        ("", p.s2.upper() if not p.catalan_i else f"I {p.s2.upper()}"),
        ("NOMBRE", p.given.upper()),
        ("SEXO", "F" if p.female else "M"),
        ("NACIONALIDAD", "ESP"),
        ("FECHA DE NACIMIENTO", birth.strftime("%d %m %Y")),
    ]
    if not p.s2:
        rows.pop(1)
    y = 290
    for label, value in rows:
        if label:
            d.text((60, y), label, font=_f(28, cond=True), fill=(80, 80, 80))
            y += 32
        d.text((60, y), value, font=_f(48, True, True), fill=(10, 10, 10))
        y += 74
    y = max(y + 10, 1000)
    d.text((60, y), "EMISIÓN", font=_f(28, cond=True), fill=(80, 80, 80))
    d.text((60, y + 32), iss.strftime("%d %m %Y"), font=_f(46, True, True), fill=(10, 10, 10))
    d.text((520, y), "VALIDEZ", font=_f(28, cond=True), fill=(80, 80, 80))
    d.text((520, y + 32), exp.strftime("%d %m %Y"), font=_f(46, True, True), fill=(10, 10, 10))
    d.text((1480, 830), "NUM SOPORTE", font=_f(28, cond=True), fill=(80, 80, 80))
    d.text((1480, 862), doc.extra["support"], font=_f(44, True, True), fill=(10, 10, 10))
    back = K.card_base(doc.seed + 11, (220, 226, 232))
    d2 = ImageDraw.Draw(back)
    d2.text(
        (60, 50),
        f"DOMICILIO  {_r(doc).choice(K.STREETS_ES).upper()} {doc.seed % 120 + 1}",
        font=_f(36, cond=True),
        fill=(20, 20, 20),
    )
    d2.text((60, 100), doc.city.upper(), font=_f(36, cond=True), fill=(20, 20, 20))
    d2.text(
        (60, 160),
        f"LUGAR DE NACIMIENTO  {_r(doc, 1).choice(K.CITIES).upper()}",
        font=_f(36, cond=True),
        fill=(20, 20, 20),
    )
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((64, 870 + i * 120), ln, font=K._font("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    return [front, back]


@template("h2_id_tie_es", "id_document", "es")
def h2_tie(doc: Doc) -> list[Image.Image]:
    """TIE-like card: N.I.E. and VALIDEZ on the front, the issue date only on the back above the MRZ."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    nat = NATIONALITY.get(p.s1, "XXX")
    front = K.card_base(doc.seed, (232, 228, 204))
    d = ImageDraw.Draw(front)
    d.text((560, 36), "REINO DE ESPAÑA", font=_f(52, True), fill=(90, 40, 20))
    d.text((560, 100), "TARJETA DE IDENTIDAD DE EXTRANJERO", font=_f(40, True), fill=(90, 40, 20))
    d.rectangle([50, 60, 500, 700], fill=(150, 145, 140))
    rows = [
        ("APELLIDOS", p.surnames.upper()),
        ("NOMBRE", p.given.upper()),
        ("NACIONALIDAD", nat),
        ("SEXO", "F" if p.female else "M"),
        ("VALIDEZ", exp.strftime("%d %m %Y")),
        ("PERMISO", "RESIDENCIA TEMPORAL Y TRABAJO"),
    ]
    y = 190
    for label, value in rows:
        d.text((560, y), label, font=_f(29), fill=(80, 80, 80))
        d.text((560, y + 33), value, font=_f(46, True), fill=(0, 0, 0))
        y += 112
    d.text((50, 760), "N.I.E.", font=_f(30), fill=(80, 80, 80))
    d.text((50, 796), fmt_nif(p.nif, 1), font=K._font("LiberationMono-Bold.ttf", 64), fill=(0, 0, 0))
    back = K.card_base(doc.seed + 13, (228, 226, 210))
    d2 = ImageDraw.Draw(back)
    d2.text(
        (60, 50),
        f"LUGAR Y FECHA DE EXPEDICIÓN  {doc.city.upper()}  {iss.strftime('%d %m %Y')}",
        font=_f(36),
        fill=(20, 20, 20),
    )
    d2.text((60, 110), f"FECHA DE NACIMIENTO  {birth.strftime('%d %m %Y')}", font=_f(36), fill=(20, 20, 20))
    d2.text((60, 170), f"DOMICILIO  {_r(doc).choice(K.STREETS_CA).upper()}", font=_f(36), fill=(20, 20, 20))
    mrz = K.td1_mrz("IR", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, nat, p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((64, 870 + i * 120), ln, font=K._font("LiberationMono-Regular.ttf", 68), fill=(0, 0, 0))
    return [front, back]


def td3_mrz(
    number: str, nationality: str, birth: dt.date, sex: str, expiry: dt.date, personal: str, person: Person
) -> list[str]:
    """Two 44-character lines (ICAO 9303 TD3, passports) with correct check digits."""
    name = K._mrz_name(person.surnames).strip("<")
    while "<<" in name:
        name = name.replace("<<", "<")
    l1 = (f"P<ESP{name}<<{K._mrz_name(person.given).strip('<')}" + "<" * 44)[:44]
    num = number.ljust(9, "<")[:9]
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    pers = personal.ljust(14, "<")[:14]
    l2 = f"{num}{K.mrz_check(num)}{nationality}{b}{K.mrz_check(b)}{sex}{e}{K.mrz_check(e)}{pers}{K.mrz_check(pers)}"
    l2 += K.mrz_check(l2[0:10] + l2[13:20] + l2[21:43])
    assert len(l1) == len(l2) == 44, (l1, l2)
    return [l1, l2]


@template("h2_id_passport_es", "id_document", "es")
def h2_passport(doc: Doc) -> list[Image.Image]:
    """Passport data page (bilingual labels, TD3 MRZ) and the facing page; the DNI is the personal number."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    number = "PA" + doc.extra["support"][0] + doc.extra["support"][3:]
    page = K.card_base(doc.seed, (214, 226, 214))
    d = ImageDraw.Draw(page)
    d.text((540, 30), "REINO DE ESPAÑA  ·  PASAPORTE  ·  PASSPORT", font=_f(40, True), fill=(120, 20, 20))
    d.rectangle([50, 110, 480, 700], fill=(152, 152, 150))
    lab, val = _f(24), _f(40, True)
    d.text((540, 90), "Tipo/Type  P      Código/Code  ESP      Pasaporte N.º/Passport No.", font=lab, fill=(70, 70, 70))
    d.text((1380, 118), number, font=val, fill=(0, 0, 0))
    rows = [
        ("Apellidos/Surname", p.surnames.upper()),
        ("Nombre/Given names", p.given.upper()),
        ("Nacionalidad/Nationality", "ESPAÑOLA"),
        ("Fecha de nacimiento/Date of birth", birth.strftime("%d %m %Y")),
        ("DNI / Personal No.", p.nif),
        ("Sexo/Sex", "F" if p.female else "M"),
        ("Fecha de expedición/Date of issue", iss.strftime("%d %m %Y")),
        ("Fecha de caducidad/Date of expiry", exp.strftime("%d %m %Y")),
    ]
    y = 180
    for label, value in rows:
        d.text((540, y), label, font=lab, fill=(70, 70, 70))
        d.text((540, y + 28), value, font=val, fill=(0, 0, 0))
        y += 84
    d.text((1380, 180 + 84 * 3), "Lugar de nacimiento/Place of birth", font=lab, fill=(70, 70, 70))
    d.text((1380, 208 + 84 * 3), _r(doc, 1).choice(K.CITIES).upper(), font=val, fill=(0, 0, 0))
    d.text((1380, 180 + 84 * 6), "Autoridad/Authority", font=lab, fill=(70, 70, 70))
    d.text((1380, 208 + 84 * 6), "DGP", font=val, fill=(0, 0, 0))
    mrz = td3_mrz(number, "ESP", birth, "F" if p.female else "M", exp, p.nif, p)
    doc.extra["mrz_td3"] = mrz
    mf = K._font("DejaVuSansMono.ttf", 44)
    for i, ln in enumerate(mrz):
        d.text((50, 1040 + i * 90), ln, font=mf, fill=(0, 0, 0))
    facing = K.card_base(doc.seed + 17, (226, 232, 226))
    d2 = ImageDraw.Draw(facing)
    d2.text((60, 60), "OBSERVACIONES / OBSERVATIONS", font=_f(40, True), fill=(40, 40, 40))
    d2.text(
        (60, 140),
        f"DOMICILIO: {_r(doc).choice(K.STREETS_ES).upper()} {doc.seed % 80 + 1}, {doc.city.upper()}",
        font=_f(36),
        fill=(20, 20, 20),
    )
    d2.text((60, 210), "Firma del titular / Holder's signature", font=_f(32), fill=(60, 60, 60))
    d2.line([(60, 420), (900, 400)], fill=(30, 30, 90), width=5)
    return [page, facing]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h2_deed_elevacion_es", ["clean", "photo", "pdf_text", "rot270", "noisy"], ["photo"]),
        ("h2_deed_consejo_es", ["clean", "pdf_scan", "photo", "lowcontrast"], []),
        ("h2_deed_cessament_ca", ["clean", "photo", "tiff", "skew"], ["clean"]),
        ("h2_power_suministros_es", ["clean", "photo", "pdf_text", "jpeg200", "rot90"], ["pdf_text"]),
        ("h2_power_apoderament_ca", ["clean", "photo", "pdf_scan", "dpi600"], ["photo"]),
        ("h2_power_general_table_es", ["clean", "skew", "photo"], []),
        ("h2_power_revocacio_ca", ["clean", "pdf_text", "noisy"], []),
        ("h2_cert_historial_es", ["clean", "pdf_text", "photo", "rot180"], ["clean"]),
        ("h2_nota_simple_es", ["clean", "photo", "jpeg200", "pdf_text"], []),
        ("h2_cert_cronologia_ca", ["clean", "pdf_scan", "photo"], ["pdf_scan"]),
        ("h2_borme_a_es", ["clean", "pdf_text"], []),
        ("h2_mandate_gestion_energetica_es", ["clean", "photo", "pdf_text", "skew"], ["clean"]),
        ("h2_mandate_community_acta_es", ["clean", "photo", "lowcontrast", "rot90"], ["photo"]),
        ("h2_mandate_community_ca", ["clean", "photo", "pdf_text"], []),
        ("h2_mandate_gestio_ca", ["clean", "tiff", "photo"], []),
        ("h2_mandate_form_es", ["clean", "photo", "jpeg200"], []),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h2_deed_elevacion_es", "outgoing_claims", ["clean", "photo"], ["clean"]),
        ("h2_deed_cessament_ca", "outgoing_claims", ["pdf_text"], []),
        ("h2_cert_historial_es", "outgoing_claims", ["clean"], []),
        ("h2_nota_simple_es", "outgoing_claims", ["photo"], []),
        ("h2_power_suministros_es", "grantor_claims", ["clean"], []),
        ("h2_power_general_table_es", "grantor_claims", ["photo"], ["clean"]),
        ("h2_power_apoderament_ca", "grantor_claims", ["clean"], []),
        ("h2_cert_historial_es", "stale_certificate", ["photo"], []),
        ("h2_cert_cronologia_ca", "stale_certificate", ["clean"], []),
        ("h2_nota_simple_es", "undated_certificate", ["clean"], ["clean"]),
        ("h2_cert_cronologia_ca", "undated_certificate", ["pdf_text"], []),
        ("h2_mandate_gestion_energetica_es", "witness_claims", ["clean"], []),
        ("h2_mandate_gestio_ca", "witness_claims", ["photo"], []),
        ("h2_power_suministros_es", "witness_claims", ["pdf_text"], []),
        ("h2_deed_consejo_es", "notary_claims", ["clean"], []),
        ("h2_power_apoderament_ca", "notary_claims", ["photo"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h2_power_general_table_es", "clean", "h2_id_dni_es", "clean", False),
        ("h2_mandate_community_acta_es", "clean", "h2_id_tie_es", "photo", False),
        ("h2_deed_cessament_ca", "pdf_scan", "h2_id_passport_es", "clean", False),
        ("h2_mandate_form_es", "clean", "h2_id_dni_es", "photo", True),
        ("h2_cert_historial_es", "clean", "h2_id_passport_es", "photo", False),
        ("h2_mandate_gestio_ca", "clean", "h2_id_tie_es", "skew", False),
        ("h2_power_revocacio_ca", "photo", "h2_id_dni_es", "rot90", False),
        ("h2_deed_elevacion_es", "clean", "h2_id_tie_es", "pdf_scan", True),
        ("h2_mandate_community_ca", "photo", "h2_id_passport_es", "jpeg200", True),
        ("h2_power_suministros_es", "clean", "h2_id_dni_es", "lowcontrast", False),
    ],
    "small_sets": 2,
}


def _make(
    rng: random.Random,
    name: str,
    upload: dt.date,
    variant: str,
    case: str = "true_claim",
    expired: bool = False,
    person: Person | None = None,
    cover_p: float = 0.6,
) -> Doc:
    doc = K.part_doc(rng, name, upload, variant, case, expired, person, cover_p)
    t = TEMPLATES[name]
    if doc.doc_type in ("power_of_attorney", "deed") and (
        case == "witness_claims" or (t.get("witness") and rng.random() < 0.5)
    ):
        doc.people.setdefault("witness", K.make_person(rng, doc.lang))
    if case == "witness_claims":
        doc.people.setdefault("witness", K.make_person(rng, doc.lang))
    if t.get("witness") and "witness" in doc.people and rng.random() < 0.5:
        doc.people["witness2"] = K.make_person(rng, doc.lang)
        doc.extra.setdefault("roles", {})["witness2"] = "witness"
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if doc.doc_type == "id_document" and doc.other_dates["issue"] >= upload:  # 5-year cards: keep issue in the past
        years = doc.date.year - doc.other_dates["issue"].year
        exp = upload + dt.timedelta(days=rng.randrange(200, 365 * years - 30))
        doc.date = exp
        doc.other_dates["issue"] = exp.replace(year=exp.year - years, day=min(exp.day, 28))
    return doc


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout2 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, upload_step=3)
