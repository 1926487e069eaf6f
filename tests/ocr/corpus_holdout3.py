"""THIRD HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part, the first holdout and holdout2, and never tuned on: the engine must not be
adjusted to these templates, nor must anyone look at which of them it misses.  It is meant to be measured
once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout3 [--profile small|full]

Templates (Spanish and Catalan): a power for lawsuits and administration with several attorneys acting
jointly or severally, a Catalan joint power granted by two joint administrators, a power granted by the
company through its managing director, a substitution of a power, a deed appointing two joint-and-several
administrators, a Catalan resignation-and-appointment deed, a Catalan board-resolution certificate signed by
the secretary with the chairman's "vist i plau" (signatures legitimised by a notary), a literal registry
certificate with numbered inscriptions in two columns, a Catalan certificate of current officers, a BORME page
with several companies (one is ours), an energy-management mandate with a table of CUPS, a Catalan
authorisation letter, a property-administration contract, a community's minutes in Catalan, an old-layout DNI,
the A4 EU-citizen registration certificate (NIE, no expiry) and a foreign TD3 passport.

Case kinds besides those of the other parts (true claim, outgoing / grantor / witness claims, stale
certificate, expired ID; certificates without an issue date are ``stale_certificate`` with
``stale_reason: "no_issue_date"`` and ``expect.date`` None, as in holdout2):
  * ``secretary_claims``  the secretary who signs a board certificate or the minutes claims to be the
    representative (``expect.person_role`` "other");
  * ``president_claims``  the chairman who gives the "vist i plau" claims it ("other");
  * ``lookalike_claims``  the claimed person is NOT on the page; an attorney / administrator with a similar
    name (same given name and first surname, other second surname) is; the claimed NIF is nowhere on the
    page (``expect.person_role`` None);
  * ``nif_off_claims``    the right name with a VALID NIF one digit off (check letter recomputed), a NIF that
    is nowhere on the page (``expect.person_role`` None).
ID documents with no expiry printed (the EU registration certificate, an old DNI marked PERMANENTE) have
``expect.date`` and ``expect.expiry`` None and ``expect.issue_date`` set.  A foreign passport does not print
the NIE: its ``absent`` is ["person_nif"].
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
PART = "holdout3"


def template(name, doc_type, lang, **flags):
    def deco(fn):
        TEMPLATES[name] = {"doc_type": doc_type, "lang": lang, "blocks": fn, **flags}
        return fn

    return deco


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 11 + salt)


def _rm(doc: Doc) -> str:
    return K.PROVINCE_RM.get(doc.city, doc.city)


def _nt(n: Person, lang: str) -> str:
    return K.notary_title(n, lang)


def _dd(p: Person) -> str:  # "don José ..." / "doña María ..."
    return ("doña " if p.female else "don ") + p.full


def _ca(p: Person) -> str:  # "el senyor ..." / "la senyora ..."
    return don(p, "ca", upper=False)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


_role = K.set_role


def _other_name(rng: random.Random, lang: str) -> str:
    p = K.make_person(rng, lang)
    return p.full


# =========================================================================== powers of attorney


@template("h3_power_pleitos_es", "power_of_attorney", "es", attorneys=True)
def h3_power_pleitos(doc: Doc) -> list[tuple]:
    """Power for lawsuits and administration: court agents (procuradores) act severally for lawsuits; the
    claimed attorney and a second one act jointly (two of them) or severally up to an amount."""
    a, g, a2 = doc.people["appointed"], doc.people["grantor"], doc.people["attorney2"]
    pr1, pr2 = doc.people["proc1"], doc.people["proc2"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 1)
    limit = rr.choice(["30.000", "50.000", "100.000"])
    pair = [a, a2] if doc.v % 2 == 0 else [a2, a]
    doc.style.margin_rule = True
    doc.style.footer = f"{K.proto_printed(doc.protocol)} - " + "{page}"
    b: list[tuple] = [
        ("pl", f"NÚMERO {proto_printed(doc.protocol)}"),
        ("h", "PODER GENERAL PARA PLEITOS Y DE ADMINISTRACIÓN", 1.15, "c"),
        ("p", f"En {doc.city}, mi residencia, a {date_text(doc.date, 'es', 'words' if doc.v < 2 else 'long')}."),
        ("p", f"Ante mí, {n.full.upper()}, {_nt(n, 'es')} del Ilustre Colegio de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, casad{'a' if g.female else 'o'}, economista, vecin"
            f"{'a' if g.female else 'o'} de {doc.city}, con documento nacional de identidad y N.I.F. número "
            f"{fmt_nif(g.nif, doc.fmt + 1)}.",
        ),
        ("h", "INTERVIENE", 1.0, "c"),
        (
            "p",
            f"En nombre y representación, como President{'a' if g.female else 'e'} del Consejo de Administración, de la entidad "
            f"mercantil {comp.upper()}, domiciliada en {doc.city}, {K.rng_street(doc)}, con C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, facultado para este acto por acuerdo del Consejo de fecha "
            f"{date_text(doc.date - dt.timedelta(days=rr.randrange(3, 30)), 'es', 'long')}.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGA", 1.0, "c"),
        (
            "p",
            f"PRIMERO.- Que confiere poder general para pleitos, tan amplio como en derecho se requiera, a "
            f"favor de los Procuradores de los Tribunales {_dd(pr1)} y {_dd(pr2)}, para que, cualquiera de "
            f"ellos, solidaria e indistintamente, represente a la sociedad ante toda clase de Juzgados y "
            f"Tribunales, con las facultades de los artículos 25 y 414 de la Ley de Enjuiciamiento Civil.",
        ),
        (
            "p",
            f"SEGUNDO.- Que confiere poder de administración a favor de {_dd(pair[0]).upper()}, con N.I.F. "
            f"{fmt_nif(pair[0].nif, doc.fmt)}, y de {_dd(pair[1]).upper()}, con N.I.F. "
            f"{fmt_nif(pair[1].nif, doc.fmt + 2)}, para que, mancomunadamente dos cualesquiera de ellos, o "
            f"solidariamente cada uno hasta la cuantía de {limit} euros por operación, puedan: contratar, "
            f"modificar y resolver suministros de energía eléctrica, gas, agua y telecomunicaciones; "
            f"solicitar altas, bajas, cambios de titular y de potencia; y firmar cuantos documentos "
            f"públicos o privados sean necesarios para ello.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"TERCERO.- Que revoca el poder de administración conferido a {_dd(rv)}, con N.I.F. "
                f"{fmt_nif(rv.nif, doc.fmt + 1)}, que queda sin efecto desde esta fecha.",
            )
        )
    b += [
        (
            "p",
            "Así lo dice y otorga. Leída por mí, el Notario, esta escritura al compareciente, la aprueba y "
            "firma. De identificarle por su documento reseñado y de todo lo contenido en este instrumento "
            "público, extendido en folios de papel exclusivo para documentos notariales, yo, el Notario, doy "
            "fe.",
        ),
        ("sig", ["Está la firma del compareciente", f"Signado: {n.full}. Rubricado y sellado."]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV: {doc.csv}"))
    if doc.cover:
        b = [
            ("gap", 6),
            ("h", "PRIMERA COPIA", 1.6, "c"),
            ("h", "PODER PARA PLEITOS", 1.1, "c"),
            ("p", f"Notaría de {n.full}. {doc.city}."),
            ("pb",),
        ] + b
    return b


@template("h3_power_mancomunat_ca", "power_of_attorney", "ca", attorneys=True)
def h3_power_mancomunat(doc: Doc) -> list[tuple]:
    """Catalan: the attorneys first, in a table with their way of acting; then the two joint administrators
    who grant; date and notary at the end."""
    a, g, a2 = doc.people["appointed"], doc.people["grantor"], doc.people["attorney2"]
    g2 = doc.people["grantor2"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    rows = [
        ["Apoderat/ada", "DNI/NIE", "Règim d'actuació"],
        [a.full, fmt_nif(a.nif, doc.fmt), "Mancomunadament amb l'altre apoderat"],
        [a2.full, fmt_nif(a2.nif, doc.fmt + 1), "Mancomunadament amb l'altre apoderat"],
    ]
    if doc.v % 2:
        rows[1], rows[2] = rows[2], rows[1]
    b: list[tuple] = [
        ("h", "PODER MANCOMUNAT", 1.35, "l"),
        ("pl", f"Societat: {comp} — NIF {fmt_cif(cif, doc.fmt)}"),
        ("pl", f"Protocol: {proto_printed(doc.protocol)}"),
        ("h", "PERSONES APODERADES", 1.0, "l"),
        ("table", [0.42, 0.24, 0.34], rows),
        (
            "p",
            "Els apoderats podran exercir conjuntament les facultats següents: contractar, modificar i donar "
            "de baixa subministraments d'energia elèctrica i de gas; sol·licitar canvis de potència, de tarifa "
            "i de titularitat; signar contractes amb empreses distribuïdores i comercialitzadores. Per a "
            "imports inferiors a 6.000 euros cadascun d'ells podrà actuar solidàriament.",
        ),
        ("h", "ATORGANTS", 1.0, "l"),
        (
            "p",
            f"{_cap(_ca(g))}, amb DNI {fmt_nif(g.nif, doc.fmt + 2)}, i {_ca(g2)}, amb DNI "
            f"{fmt_nif(g2.nif, doc.fmt)}, tots dos majors d'edat, que intervenen en nom de la societat en la "
            f"seva condició d'administradors mancomunats, càrrecs vigents segons em consta.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Revocació: queda sense efecte el poder conferit anteriorment a {_ca(rv)}, amb DNI "
                f"{fmt_nif(rv.nif, doc.fmt + 1)}.",
            )
        )
    b += [
        ("p", K.FILLER_DEED_CA),
        (
            "p",
            f"Autoritzat a {doc.city}, el {date_text(doc.date, 'ca', 'long' if doc.v < 2 else 'words')}, "
            f"davant meu, {n.full}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya. Dono fe.",
        ),
        ("sig", [g.full, g2.full, f"{_nt(n, 'ca')}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació: {doc.csv}"))
    return b


@template("h3_power_consejero_delegado_es", "power_of_attorney", "es")
def h3_power_cd(doc: Doc) -> list[tuple]:
    """The company is the grantor and acts through its managing director, whose appointment (board meeting,
    registry data) is recited before the attorney is named; powers as a lettered list."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 2)
    cd = "Consejera Delegada" if g.female else "Consejero Delegado"
    nomb = doc.date - dt.timedelta(days=rr.randrange(200, 2500))
    b: list[tuple] = [
        ("h", "ESCRITURA DE APODERAMIENTO", 1.2, "c"),
        ("h", f"OTORGADA POR {comp.upper()}", 0.95, "c"),
        ("h", f"A FAVOR DE {a.upper()}", 0.95, "c"),
        ("pl", f"Número {words_es(doc.protocol)} ({proto_printed(doc.protocol)})"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'words', 'words', 'long'][doc.v])}."),
        ("p", f"Ante mí, {n.full}, {_nt(n, 'es')} de esta ciudad,"),
        ("h", "INTERVENCIÓN", 1.0, "l"),
        (
            "p",
            f"La sociedad {comp.upper()}, con domicilio social en {doc.city} y C.I.F. {fmt_cif(cif, doc.fmt)}, "
            f"inscrita en el Registro Mercantil de {_rm(doc)}, al tomo {rr.randrange(1000, 45000)}, folio "
            f"{rr.randrange(1, 220)}, hoja {rr.choice('MBVZ')}-{rr.randrange(10000, 600000)}, actúa por medio "
            f"de su {cd}, {_dd(g)}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, nombrad"
            f"{'a' if g.female else 'o'} para dicho cargo por acuerdo del Consejo de Administración de "
            f"{date_text(nomb, 'es', 'long')}, con delegación permanente de todas las facultades delegables.",
        ),
        (
            "p",
            "Tiene, a mi juicio, la sociedad, según interviene, capacidad legal para otorgar este "
            "apoderamiento, y a tal fin",
        ),
        ("h", "OTORGA", 1.0, "l"),
        (
            "p",
            f"Que confiere poder especial, tan amplio como en derecho sea necesario, a favor de "
            f"{_dd(a).upper()}, mayor de edad, ingenier{'a' if a.female else 'o'}, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt)}, para que en nombre y representación de la sociedad pueda:",
        ),
        ("pl", "a) Contratar el suministro de energía eléctrica y de gas natural de los centros de la sociedad."),
        ("pl", "b) Solicitar modificaciones de potencia contratada, tarifa de acceso y titularidad."),
        ("pl", "c) Firmar contratos de acceso con la empresa distribuidora y autorizar domiciliaciones."),
        ("pl", "d) Presentar reclamaciones ante comercializadoras, distribuidoras y organismos de consumo."),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Asimismo, la sociedad revoca el poder otorgado con anterioridad a favor de {_dd(rv)}, "
                f"con D.N.I. {fmt_nif(rv.nif, doc.fmt + 2)}.",
            )
        )
    b += [
        (
            "p",
            "OTORGAMIENTO Y AUTORIZACIÓN. Así lo otorga el representante de la sociedad, a quien leo esta "
            "escritura, que aprueba y firma conmigo. Doy fe.",
        ),
        ("sig", [f"Por {comp}: {g.full}", f"{_nt(n, 'es')}"]),
    ]
    if doc.csv:
        b.insert(4, ("mono", f"CSV {doc.csv}"))
    if doc.cover:
        b = [("gap", 5), ("h", "COPIA SIMPLE", 1.5, "c"), ("p", K.FILLER_DEED_ES), ("pb",)] + b
    return b


@template("h3_power_sustitucion_es", "power_of_attorney", "es")
def h3_power_sust(doc: Doc) -> list[tuple]:
    """Substitution of a power: an existing attorney (the grantor here) substitutes the powers he holds under
    an earlier deed (another notary, another protocol) in favour of the claimed person; date at the end."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 3)
    old_n = K.make_person(rr, "es")
    old_d = doc.date - dt.timedelta(days=rr.randrange(300, 3000))
    old_p = rr.randrange(200, 4999)
    b: list[tuple] = [
        ("r", f"PROTOCOLO {proto_printed(doc.protocol)}"),
        ("h", "SUSTITUCIÓN DE PODER", 1.4, "l"),
        (
            "p",
            f"COMPARECE {_dd(g).upper()}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, quien "
            f"interviene en nombre de {comp}, con N.I.F. {fmt_cif(cif, doc.fmt + 1)}, en su condición de "
            f"apoderad{'a' if g.female else 'o'} de la misma, en virtud de escritura autorizada por el Notario "
            f"de {doc.city} {old_n.full}, el {date_text(old_d, 'es', 'long')}, con el número {old_p} de su "
            f"protocolo, en la que expresamente se le faculta para sustituir.",
        ),
        (
            "p",
            f"Y SUSTITUYE, sin reserva de las facultades que le fueron conferidas en cuanto a contratación de "
            f"suministros energéticos, a favor de {_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, "
            f"para que pueda contratar, modificar y dar de baja suministros de electricidad y gas, solicitar "
            f"cambios de potencia y titularidad, y firmar los contratos de acceso correspondientes.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Deja sin efecto la sustitución hecha anteriormente en favor de {_dd(rv)}, con D.N.I. "
                f"{fmt_nif(rv.nif, doc.fmt)}.",
            )
        )
    b += [
        ("p", K.FILLER_DEED_ES),
        (
            "p",
            f"Así lo otorga ante mí, {n.full}, {_nt(n, 'es')} del Ilustre Colegio de {K.COLEGIO[doc.city]}, "
            f"en {doc.city}, el día {date_text(doc.date, 'es', 'long' if doc.v % 2 else 'words')}; leída, "
            f"la firma. Doy fe.",
        ),
        ("sig", [g.full, n.full]),
    ]
    if doc.csv:
        b.append(("pl", f"Código seguro de verificación {doc.csv}"))
    return b


# =========================================================================== deeds


@template("h3_deed_admin_solidarios_es", "deed", "es")
def h3_deed_solidarios(doc: Doc) -> list[tuple]:
    """Change of the governing body from sole administrator to two joint-and-several administrators; the
    removal comes first, both new administrators accept in a separate section."""
    a, o, co = doc.people["appointed"], doc.people["outgoing"], doc.people["coadmin"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    appearing = sec or o
    both = [co, a] if doc.v in (0, 3) else [a, co]
    doc.style.header = f"{n.full} — {_nt(n, 'es')}"
    b: list[tuple] = [
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "l"),
        ("h", "CAMBIO DE ÓRGANO DE ADMINISTRACIÓN Y NOMBRAMIENTO DE ADMINISTRADORES SOLIDARIOS", 1.1, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', 'long' if doc.v % 2 else 'words')}."),
        ("p", f"Ante mí, {n.full}, {_nt(n, 'es')} de {doc.city},"),
        ("h", "COMPARECE", 1.0, "l"),
        (
            "p",
            f"{_cap(_dd(appearing))}, mayor de edad, con D.N.I. {fmt_nif(appearing.nif, doc.fmt + 1)}, "
            + (
                "en su calidad de Secretario de la Junta General de la sociedad que se dirá."
                if sec
                else "que hasta hoy ha ejercido el cargo de Administrador Único de la sociedad que se dirá."
            ),
        ),
        (
            "p",
            f"Interviene en nombre de {comp.upper()}, con N.I.F. {fmt_cif(cif, doc.fmt)}, y eleva a público los "
            f"acuerdos adoptados por la Junta General Extraordinaria y Universal celebrada el "
            f"{date_text(doc.other_dates['meeting'], 'es', 'long')}, que son los siguientes:",
        ),
        (
            "p",
            "PRIMERO.- Modificar la forma del órgano de administración, que pasa de un Administrador Único a "
            "dos Administradores Solidarios.",
        ),
        (
            "p",
            f"SEGUNDO.- Cesar a {_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt)}, como Administrador Único, "
            f"agradeciéndole los servicios prestados.",
        ),
        (
            "p",
            f"TERCERO.- Nombrar Administradores Solidarios, por plazo indefinido, a {_dd(both[0])} y a "
            f"{_dd(both[1])}, cuyos datos constan más abajo.",
        ),
        ("h", "ACEPTACIÓN", 1.0, "l"),
        (
            "table",
            [0.45, 0.25, 0.3],
            [
                ["Administrador/a solidario/a", "D.N.I./N.I.E.", "Acepta"],
                [both[0].full, fmt_nif(both[0].nif, doc.fmt), "Sí, en la Junta"],
                [both[1].full, fmt_nif(both[1].nif, doc.fmt), "Sí, en la Junta"],
            ],
        ),
        (
            "p",
            "Ambos manifiestan no hallarse incursos en causa alguna de incompatibilidad. Así lo otorga el "
            "compareciente, a quien hago las advertencias legales; leída, la firma conmigo. Doy fe.",
        ),
        ("sig", [appearing.full, "Ante mí"]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    if doc.cover:
        b = [("gap", 8), ("h", comp.upper(), 1.3, "c"), ("h", "ADMINISTRADORES SOLIDARIOS", 1.1, "c"), ("pb",)] + b
    return b


@template("h3_deed_renuncia_ca", "deed", "ca")
def h3_deed_renuncia(doc: Doc) -> list[tuple]:
    """Catalan deed: the outgoing administrator's resignation letter is recited, then the sole partner's
    decision appoints the new one, who appears and accepts."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    n = doc.notary
    dim = doc.other_dates["meeting"] - dt.timedelta(days=_r(doc, 4).randrange(3, 20))
    b: list[tuple] = [
        ("pl", f"NÚMERO {proto_printed(doc.protocol)}"),
        ("h", "RENÚNCIA I NOMENAMENT D'ADMINISTRADOR ÚNIC", 1.2, "l"),
        ("p", f"{doc.city}, {date_text(doc.date, 'ca', 'long' if doc.v % 2 else 'words')}."),
        ("p", f"Davant meu, {n.full.upper()}, {_nt(n, 'ca').lower()} de {doc.city},"),
        ("h", "COMPAREIX", 1.0, "l"),
        (
            "p",
            f"{_cap(_ca(a))}, major d'edat, amb domicili a {doc.city}, amb DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt)}, que intervé en nom propi i, a més, en representació de la societat "
            f"{comp}, amb NIF {fmt_cif(cif, doc.fmt + 1)}, com a administrador únic nomenat en l'acte que "
            f"s'eleva a públic.",
        ),
        ("h", "ANTECEDENTS", 1.0, "l"),
        (
            "p",
            f"I. Per carta de {date_text(dim, 'ca', 'long')}, {_ca(o)}, amb DNI {fmt_nif(o.nif, doc.fmt + 2)}, "
            f"va presentar la seva renúncia al càrrec d'administrador únic de la societat.",
        ),
        (
            "p",
            f"II. El soci únic, en decisió de {date_text(doc.other_dates['meeting'], 'ca', 'long')}, en va "
            f"acceptar la renúncia i va nomenar nou administrador únic, per termini indefinit, la persona "
            f"compareixent, que accepta el càrrec en aquest acte.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "ATORGAMENT", 1.0, "l"),
        (
            "p",
            "La persona compareixent eleva a públics els acords esmentats i sol·licita la inscripció al Registre "
            "Mercantil. Llegida, la signa. Dono fe.",
        ),
        ("sig", [a.full, f"{_nt(n, 'ca')} {n.full}"]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV {doc.csv}"))
    if doc.cover:
        b = [("gap", 5), ("h", "CÒPIA AUTÈNTICA", 1.4, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


@template("h3_certificat_consell_ca", "deed", "ca", csv=False, board=True)
def h3_certificat_consell(doc: Doc) -> list[tuple]:
    """Catalan certificate of a board resolution issued by the (non-director) secretary with the chairman's
    "vist i plau"; the notary only legitimises the two signatures (no protocol)."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec, pres = doc.people["secretary"], doc.people["president"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 5)
    meet = doc.other_dates["meeting"]
    pt = "presidenta" if pres.female else "president"
    b: list[tuple] = [
        ("h", comp.upper(), 1.1, "c"),
        ("pl", f"NIF {fmt_cif(cif, doc.fmt)} · {K.rng_street(doc)}, {doc.city}"),
        ("h", "CERTIFICAT D'ACORDS DEL CONSELL D'ADMINISTRACIÓ", 1.1, "c"),
        (
            "p",
            f"{_cap(_ca(sec))}, amb DNI {fmt_nif(sec.nif, doc.fmt + 1)}, secretari"
            f"{'a' if sec.female else ''} no consell{'era' if sec.female else 'er'} del Consell d'Administració "
            f"de la societat, CERTIFICO:",
        ),
        (
            "p",
            f"Que el Consell d'Administració, en la reunió celebrada al domicili social el dia "
            f"{date_text(meet, 'ca', 'long')}, degudament convocada, amb l'assistència, presents o "
            f"representats, de {words_ca(rr.randrange(3, 7))} dels seus membres, sota la presidència de "
            f"{_ca(pres)}, va adoptar per unanimitat els acords següents, que transcric literalment de l'acta, "
            f"aprovada al final de la mateixa reunió:",
        ),
        (
            "p",
            f"«Primer. Revocar totes les facultats delegades en {_ca(o)}, amb DNI {fmt_nif(o.nif, doc.fmt)}, "
            f"i cessar-{'la' if o.female else 'lo'} com a conseller delegat, sense perjudici de la seva continuïtat com a conseller.",
        ),
        (
            "p",
            f"Segon. Nomenar conseller delegat {_ca(a)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, i delegar-hi "
            f"totes les facultats legalment i estatutàriament delegables, incloses les de contractar "
            f"subministraments energètics. Present a la reunió, accepta el càrrec.»",
        ),
        (
            "p",
            f"I perquè consti, expedeixo aquest certificat, amb el vist i plau {'de la' if pres.female else 'del'} {pt}, a {doc.city}, el "
            f"{date_text(doc.date, 'ca', ['long', 'num', 'long', 'words'][doc.v])}.",
        ),
        (
            "sig",
            [
                f"Vist i plau — {'La' if pres.female else 'El'} {pt}: {pres.full}",
                f"La secretaria/El secretari: {sec.full}",
            ],
        ),
        ("h", "LEGITIMACIÓ DE SIGNATURES", 0.9, "l"),
        (
            "p",
            f"Jo, {n.full}, {_nt(n, 'ca').lower()} de {doc.city}, legitimo les signatures que precedeixen de "
            f"{pres.full} i de {sec.full}, per haver estat posades en presència meva. Llibre indicador, "
            f"assentament número {rr.randrange(100, 3000)}.",
        ),
        ("stamp", ["NOTARIA", n.full.upper()[:28], doc.city.upper()]),
    ]
    return b


# =========================================================================== registry


def _literal_rows(doc: Doc) -> list[list[str]]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    od, ex = doc.other_dates, doc.extra
    rr = _r(doc, 6)
    n0 = ex["inscription"]
    items = [
        (
            od["constitution"],
            f"CONSTITUCIÓN. La sociedad se constituye por tiempo indefinido. ÓRGANO DE "
            f"ADMINISTRACIÓN: Administrador Único, {o.full}, con D.N.I. "
            f"{fmt_nif(o.nif, doc.fmt)}, nombrado por plazo indefinido.",
        ),
        (
            od["old_appointment"],
            f"AMPLIACIÓN DE CAPITAL en {rr.randrange(3, 60)}.000 euros, resultando un "
            f"capital suscrito de {rr.randrange(61, 300)}.000 euros.",
        ),
    ]
    if cons:
        items.append(
            (
                od["old_appointment"] + dt.timedelta(days=40),
                f"APODERAMIENTO a favor de {cons.full}, con D.N.I. {fmt_nif(cons.nif, doc.fmt + 1)}, con "
                f"facultades de administración ordinaria.",
            )
        )
    items.append(
        (
            od["appointment"],
            f"CESE del Administrador Único {o.full}. NOMBRAMIENTO de Administrador Único, "
            f"por plazo indefinido, de {a.full}, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt)}, quien acepta.",
        )
    )
    rows = [["Inscripción", "Contenido literal"]]
    first = max(2, n0 - len(items) + 2)  # the constitution is always the 1st inscription
    for i, (d, t) in enumerate(items):
        rows.append(
            [
                f"{1 if i == 0 else first + i - 1}.ª · {date_text(d, 'es', 'num')} · Tomo {ex['tomo'] + i}, folio "
                f"{ex['folio'] + 2 * i}",
                t,
            ]
        )
    return rows


@template("h3_cert_literal_es", "registry_certificate", "es")
def h3_cert_literal(doc: Doc) -> list[tuple]:
    """Literal certificate: the inscriptions in two columns (number and registry data | literal text); the
    issue date (when stated) is in the closing formula."""
    comp, cif = doc.company
    r = doc.registrar
    rm = _rm(doc)
    ra = "Registradora" if r.female else "Registrador"
    doc.style.footer = f"Certificación literal · Hoja {doc.extra['hoja']}" + " · {page}/{pages}"
    b: list[tuple] = [
        ("h", f"REGISTRO MERCANTIL DE {rm.upper()}", 1.1, "l"),
        ("h", "CERTIFICACIÓN LITERAL", 1.35, "l"),
        (
            "p",
            f"{r.full.upper()}, {ra} Mercantil de {rm}, en vista de la solicitud presentada, CERTIFICA: Que "
            f"la sociedad {comp.upper()}, con N.I.F. {fmt_cif(cif, doc.fmt)}, figura inscrita en la hoja "
            f"{doc.extra['hoja']} de este Registro, cuyos asientos vigentes son del tenor literal siguiente:",
        ),
        ("table", [0.27, 0.73], _literal_rows(doc)),
        (
            "p",
            "No existen asientos de presentación pendientes relativos a la sociedad. Los asientos transcritos "
            "no han sido modificados ni cancelados por otros posteriores, salvo lo que en ellos resulta.",
        ),
    ]
    if doc.extra.get("no_issue_date"):
        b.append(
            (
                "p",
                "Y para que conste, expido la presente certificación, que consta de los folios que se indican al pie.",
            )
        )
    else:
        b.append(
            (
                "p",
                f"Y para que conste, expido la presente en {rm}, a "
                f"{date_text(doc.date, 'es', 'words' if doc.v % 2 else 'long')}.",
            )
        )
    b += [("sig", [f"El/La {ra}: {r.full}"]), ("pl", f"C.S.V.: {doc.csv}")]
    if doc.cover:
        b = [
            ("h", "PUBLICIDAD REGISTRAL", 1.3, "c"),
            ("p", "Solicitud de certificación literal de la hoja registral."),
            ("p", K.FILLER_DEED_ES),
            ("pb",),
        ] + b
    return b


@template("h3_cert_carrecs_ca", "registry_certificate", "ca")
def h3_cert_carrecs(doc: Doc) -> list[tuple]:
    """Catalan certificate of current officers: issue date in the heading, a table of current charges and
    a paragraph on charges ended in the last three years."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    rm = _rm(doc)
    od = doc.other_dates
    head = f"REGISTRE MERCANTIL DE {rm.upper()}"
    if not doc.extra.get("no_issue_date"):
        head += f" — Data d'expedició: {date_text(doc.date, 'ca', ['num', 'long', 'dot', 'num'][doc.v])}"
    rows = [
        ["Càrrec", "Nom i cognoms", "DNI/NIE", "Nomenament"],
        ["Administrador únic", a.full, fmt_nif(a.nif, doc.fmt), date_text(od["appointment"], "ca", "num")],
    ]
    if cons:
        rows.append(
            [
                "Apoderat",
                cons.full,
                fmt_nif(cons.nif, doc.fmt),
                date_text(od["old_appointment"] + dt.timedelta(days=60), "ca", "num"),
            ]
        )
    b: list[tuple] = [
        ("pl", head),
        ("h", "CERTIFICACIÓ DE CÀRRECS VIGENTS", 1.25, "c"),
        (
            "p",
            f"{r.full}, registrador{'a' if r.female else ''} mercantil, CERTIFICO que, segons els assentaments "
            f"del full {doc.extra['hoja']} (tom {doc.extra['tomo']}, foli {doc.extra['folio']}), corresponent a "
            f"la societat {comp}, NIF {fmt_cif(cif, doc.fmt + 1)}, els càrrecs vigents són:",
        ),
        ("table", [0.22, 0.36, 0.2, 0.22], rows),
        (
            "p",
            f"Càrrecs extingits en els darrers tres anys: {o.full}, DNI {fmt_nif(o.nif, doc.fmt + 2)}, "
            f"administrador únic, cessat el {date_text(od['removal'], 'ca', 'long')} (inscripció "
            f"{doc.extra['inscription']}a).",
        ),
        (
            "p",
            "Aquesta certificació s'expedeix a instància de part i a l'efecte d'acreditar la representació de la "
            "societat.",
        ),
        ("r", f"Signat: {r.full}"),
        ("mono", f"CSV {doc.csv}"),
    ]
    if doc.cover:
        b = [("gap", 4), ("h", "PUBLICITAT FORMAL", 1.3, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


@template("h3_borme_multi_es", "registry_certificate", "es", csv=False, absent=["person_nif", "company_cif"])
def h3_borme_multi(doc: Doc) -> list[tuple]:
    """Short BORME page with six entries of several kinds; ours lists the removal first, then the new
    administrator; one other company has a similar name."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, _ = doc.company
    rr = _r(doc, 7)
    d_pub, d_ins = doc.date, doc.other_dates["appointment"]
    day = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"][d_pub.weekday()]

    def bn(p: Person) -> str:
        return K._mrz_name(f"{p.surnames} {p.given}").replace("<", " ").strip()

    def reg(h: str) -> str:
        return f"Datos registrales. S 8 , H {h}, I/A {rr.randrange(2, 20)} ({d_ins.strftime('%d.%m.%y')})."

    def oname() -> str:
        return K.make_company(rr)[0].upper().rstrip(".")

    similar = comp.split()[0].upper() + " " + rr.choice(K.COMPANY_B).upper() + " SL"
    num = rr.randrange(100000, 599999)
    doc.style.font, doc.style.bold = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    doc.style.size = 38
    doc.style.header = (
        f"BOLETÍN OFICIAL DEL REGISTRO MERCANTIL   Núm. {rr.randrange(1, 245)}   {day} "
        f"{date_text(d_pub, 'es', 'long')}   Pág. {rr.randrange(1000, 60000)}"
    )
    doc.style.footer = f"cve: BORME-A-{d_pub.year}-{rr.randrange(1, 245)}-{rr.randrange(1, 52):02d}"
    entries = [
        f"{oname()}. Revocaciones. Apoderado: {_other_name(rr, 'es').upper()}. {reg('B ' + str(rr.randrange(10**5, 6 * 10**5)))}",
        f"{similar}. Reelecciones. Adm. Unico: {_other_name(rr, 'es').upper()}. "
        f"{reg('M ' + str(rr.randrange(10**5, 6 * 10**5)))}",
        f"{comp.upper().rstrip('.')}. Ceses/Dimisiones. Adm. Unico: {bn(o)}. Nombramientos. Adm. Unico: {bn(a)}. "
        f"Datos registrales. T {doc.extra['tomo']} , F {doc.extra['folio']}, S 8, H {doc.extra['hoja']}, "
        f"I/A {doc.extra['inscription']} ({d_ins.strftime('%d.%m.%y')}).",
        f"{oname()}. Constitución. Comienzo de operaciones: {d_ins.strftime('%d.%m.%y')}. Objeto social: "
        f"Comercio al por menor. Capital: 3.000,00 Euros. Nombramientos. Adm. Solid.: "
        f"{_other_name(rr, 'es').upper()};{_other_name(rr, 'es').upper()}. {reg('V ' + str(rr.randrange(10**5, 6 * 10**5)))}",
        f"{oname()}. Cambio de domicilio social. {K.rng_street(doc).upper()} ({doc.city.upper()}). "
        f"{reg('Z ' + str(rr.randrange(10**5, 6 * 10**5)))}",
        f"{oname()}. Disolución. Voluntaria. Ceses/Dimisiones. Liquidador: {_other_name(rr, 'es').upper()}. "
        f"{reg('SE ' + str(rr.randrange(10**5, 6 * 10**5)))}",
    ]
    rot = doc.v % 3
    entries = entries[rot:] + entries[:rot]
    b: list[tuple] = [
        ("h", "SECCIÓN PRIMERA", 1.0, "c"),
        ("h", "Empresarios. Actos inscritos", 1.0, "c"),
        ("h", _rm(doc).upper(), 1.05, "c"),
    ]
    for i, t in enumerate(entries):
        b.append(("p", f"{num + i} - {t}"))
    return b


# =========================================================================== mandates


def _cups(rr: random.Random) -> str:
    dist = rr.choice(["0021", "0031", "0022", "0026", "0390"])
    tail = rr.choice(["", "", "0F", "1P"])
    return f"ES{dist}{rr.randrange(10**11, 10**12)}{rr.choice('ABCDEFGHJKLMN')}{rr.choice('PQRSTVWXYZ')}{tail}"


@template("h3_mandate_cups_es", "manager_mandate", "es")
def h3_mandate_cups(doc: Doc) -> list[tuple]:
    """Energy-management mandate: supply points table first, then the parties; the representative's
    signature block (name, NIF, charge, date) closes the document."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 8)
    streets = K.STREETS_ES
    rows = [["Dirección del suministro", "CUPS", "Tarifa", "kW P1"]]
    for _ in range(rr.randrange(2, 5)):
        rows.append(
            [
                f"{rr.choice(streets)} {rr.randrange(1, 200)}, {doc.city}",
                _cups(rr),
                rr.choice(["2.0TD", "3.0TD", "6.1TD"]),
                f"{rr.randrange(5, 400)},{rr.randrange(0, 99):02d}",
            ]
        )
    b: list[tuple] = [
        ("h", "MANDATO DE REPRESENTACIÓN — GESTIÓN DE SUMINISTROS", 1.15, "l"),
        ("pl", f"Ref. {gest.split()[0].upper()}-{rr.randrange(1000, 9999)}/{doc.date.year}"),
        ("h", "PUNTOS DE SUMINISTRO INCLUIDOS", 0.95, "l"),
        ("table", [0.36, 0.36, 0.13, 0.15], rows),
        ("h", "PARTES", 0.95, "l"),
        (
            "p",
            f"EL TITULAR: {comp}, C.I.F. {fmt_cif(cif, doc.fmt)}, representado por {_dd(g)}, N.I.F. "
            f"{fmt_nif(g.nif, doc.fmt + 1)}, en calidad de gerente.",
        ),
        (
            "p",
            f"LA GESTORA: {gest}, C.I.F. {fmt_cif(gcif, doc.fmt)}, que actuará a través de la persona que "
            f"firma como representante.",
        ),
        (
            "p",
            "El titular apodera a la gestora y a su representante para negociar y contratar el suministro de los "
            "puntos indicados, solicitar a la distribuidora datos de consumo y curvas de carga, tramitar "
            "cambios de comercializadora, potencia y tarifa, y presentar reclamaciones en su nombre, hasta el "
            f"{date_text(doc.other_dates['until'], 'es', 'num')}.",
        ),
        (
            "table",
            [0.5, 0.5],
            [
                ["POR EL TITULAR", "REPRESENTANTE DE LA GESTORA"],
                [f"Nombre: {g.full}", f"Nombre: {a.full}"],
                [f"N.I.F.: {fmt_nif(g.nif, 0)}", f"N.I.F./N.I.E.: {fmt_nif(a.nif, doc.fmt + 2)}"],
                ["Cargo: Gerente", "Cargo: Responsable de cuenta"],
                [f"Fecha: {date_text(doc.date, 'es', ['num', 'dash', 'num', 'dot'][doc.v])}", f"Lugar: {doc.city}"],
                ["Firma:", "Firma:"],
            ],
        ),
    ]
    if w:
        b.append(("pl", f"Firma ante testigo: {w.full} (N.I.F. {fmt_nif(w.nif, doc.fmt)})"))
    return b


@template("h3_mandate_autoritzacio_ca", "manager_mandate", "ca")
def h3_mandate_autoritzacio(doc: Doc) -> list[tuple]:
    """Catalan authorisation letter: date top right, addressed to the distributors; the authorised person
    named in the body; the company's manager signs at the bottom."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    c = "gerent" if not g.female else "gerent (sòcia)"
    b: list[tuple] = [
        ("pl", comp.upper()),
        ("pl", f"NIF {fmt_cif(cif, doc.fmt)}"),
        ("pl", f"{K.rng_street(doc)}, {doc.city}"),
        ("r", f"{doc.city}, {date_text(doc.date, 'ca', ['long', 'num', 'long', 'dot'][doc.v])}"),
        ("pl", "A l'atenció de les empreses distribuïdores i comercialitzadores d'energia"),
        ("h", "Assumpte: autorització per a la gestió de subministraments", 1.0, "l"),
        ("p", "Benvolguts senyors,"),
        (
            "p",
            f"Per la present, {_ca(g)}, amb DNI {fmt_nif(g.nif, doc.fmt + 1)}, en qualitat de {c} i en nom de "
            f"l'empresa esmentada a l'encapçalament, AUTORITZO {_ca(a)}, amb DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt)}, de l'empresa {gest} (NIF {fmt_cif(gcif, doc.fmt + 2)}), perquè en nom "
            f"nostre pugui sol·licitar informació de consum, demanar canvis de potència i de tarifa, signar "
            f"contractes de subministrament d'electricitat i de gas i presentar reclamacions.",
        ),
        (
            "p",
            f"Aquesta autorització és vàlida fins al {date_text(doc.other_dates['until'], 'ca', 'long')} i "
            f"substitueix qualsevol altra d'anterior.",
        ),
        ("p", "Atentament,"),
        ("sig", [f"{g.full}, {c}"]),
    ]
    if w:
        b.append(("pl", f"Signat davant de: {w.full}, DNI {fmt_nif(w.nif, doc.fmt + 1)}"))
    return b


@template("h3_mandate_community_contrato_es", "manager_mandate", "es", outgoing=True)
def h3_mandate_comm_contrato(doc: Doc) -> list[tuple]:
    """Property-administration services contract between the community (its president) and a registered
    property administrator who replaces a previous one; energy supplies in a clause."""
    a, g, o = doc.people["appointed"], doc.people["grantor"], doc.people["outgoing"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    rr = _r(doc, 9)
    pres = "Presidenta" if g.female else "Presidente"
    b: list[tuple] = [
        ("h", "CONTRATO DE ADMINISTRACIÓN DE FINCAS", 1.25, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'words'][doc.v])}."),
        ("h", "REUNIDOS", 1.0, "c"),
        (
            "p",
            f"De una parte, {_dd(a)}, administrador{'a' if a.female else ''} de fincas colegiad"
            f"{'a' if a.female else 'o'} n.º {rr.randrange(1000, 9999)}, con N.I.F. {fmt_nif(a.nif, doc.fmt)}, "
            f"en adelante EL ADMINISTRADOR.",
        ),
        (
            "p",
            f"De otra, {_dd(g)}, con N.I.F. {fmt_nif(g.nif, doc.fmt + 1)}, {pres} de la {comp}, con C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, en su nombre y en ejecución del acuerdo de la Junta de Propietarios de "
            f"{date_text(doc.date - dt.timedelta(days=rr.randrange(5, 60)), 'es', 'long')}.",
        ),
        ("h", "CLÁUSULAS", 1.0, "c"),
        (
            "p",
            f"1.ª La comunidad encomienda al ADMINISTRADOR la administración de la finca, en sustitución de "
            f"{_dd(o)}, con N.I.F. {fmt_nif(o.nif, doc.fmt + 2)}, cuyo encargo queda resuelto en esta fecha.",
        ),
        (
            "p",
            "2.ª El ADMINISTRADOR representará a la comunidad ante las empresas suministradoras de electricidad, "
            "gas y agua de los elementos comunes, pudiendo contratar, modificar y dar de baja dichos "
            "suministros y solicitar cambios de potencia.",
        ),
        (
            "p",
            f"3.ª Duración: hasta el {date_text(doc.other_dates['until'], 'es', 'long')}. Honorarios: "
            f"{rr.randrange(40, 160)} euros mensuales más I.V.A.",
        ),
        ("sig", [f"El/La {pres}: {g.full}", f"El Administrador: {a.full}"]),
    ]
    if w:
        b.append(("pl", f"Testigo: {w.full}, N.I.F. {fmt_nif(w.nif, doc.fmt)}"))
    return b


@template("h3_mandate_community_acta_ca", "manager_mandate", "ca", outgoing=True, minutes=True)
def h3_mandate_comm_acta_ca(doc: Doc) -> list[tuple]:
    """Catalan minutes of the owners' meeting: attendance table of owners, agenda, the removal of the old
    administrator and the appointment of the new one; signed by the president and the secretary."""
    a, g, o = doc.people["appointed"], doc.people["grantor"], doc.people["outgoing"]
    sec = doc.people["secretary"]
    comp, cif = doc.company
    rr = _r(doc, 10)
    pres = "presidenta" if g.female else "president"
    rows = [
        ["Entitat", "Propietari/ària", "Quota (%)", "Assistència"],
        ["Entitat 1", g.full, f"{rr.randrange(3, 9)},{rr.randrange(0, 99):02d}", "Present"],
        ["Entitat 2", sec.full, f"{rr.randrange(3, 9)},{rr.randrange(0, 99):02d}", "Present"],
    ]
    for i in range(3, 3 + rr.randrange(2, 5)):
        rows.append(
            [
                f"Entitat {i}",
                _other_name(rr, "ca"),
                f"{rr.randrange(3, 9)},{rr.randrange(0, 99):02d}",
                rr.choice(["Present", "Representat", "Present"]),
            ]
        )
    b: list[tuple] = [
        ("h", "ACTA DE LA JUNTA GENERAL ORDINÀRIA DE PROPIETARIS", 1.15, "c"),
        ("pl", f"{comp} — NIF {fmt_cif(cif, doc.fmt)}"),
        (
            "p",
            f"A {doc.city}, a les {rr.choice(['18.30', '19.00', '19.30', '20.00'])} hores del dia "
            f"{date_text(doc.date, 'ca', ['long', 'words', 'long', 'num'][doc.v])}, es reuneixen en segona "
            f"convocatòria, al vestíbul de la finca, els propietaris que s'indiquen, sota la presidència de "
            f"{_ca(g)}, amb DNI {fmt_nif(g.nif, doc.fmt + 1)}, i actuant com a secretari"
            f"{'a' if sec.female else ''} {_ca(sec)}, amb DNI {fmt_nif(sec.nif, doc.fmt)}.",
        ),
        ("table", [0.18, 0.44, 0.16, 0.22], rows),
        (
            "p",
            "Ordre del dia: 1. Aprovació dels comptes de l'exercici. 2. Cessament i nomenament "
            "d'administrador de finques. 3. Precs i preguntes.",
        ),
        ("p", "Primer. S'aproven els comptes per unanimitat."),
        (
            "p",
            f"Segon. La Junta acorda, per majoria, cessar {_ca(o)}, amb DNI {fmt_nif(o.nif, doc.fmt + 2)}, com a "
            f"administrador de la comunitat, i nomenar {_ca(a)}, administrador{'a' if a.female else ''} de "
            f"finques col·legiat{'da' if a.female else ''}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt)}, a qui "
            f"faculta per contractar, modificar i donar de baixa els subministraments d'electricitat i gas dels "
            f"elements comuns i per representar la comunitat davant les companyies subministradores.",
        ),
        ("p", "Tercer. No hi ha precs ni preguntes."),
        (
            "p",
            "I no havent-hi més assumptes a tractar, s'aixeca la sessió, de la qual s'estén aquesta acta, que "
            "signen el president i el secretari.",
        ),
        ("sig", [f"El/La {pres}: {g.full}", f"El/La secretari/ària: {sec.full}"]),
    ]
    return b


# =========================================================================== ID documents


def _f(px: int, bold: bool = False, serif: bool = False):
    if serif:
        return K._font("DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf", px)
    return K._font("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", px)


EU = [
    ("Mihaela", "Popescu", "ROU", "RUMANA"),
    ("Pierre", "Dubois", "FRA", "FRANCESA"),
    ("Giulia", "Bianchi", "ITA", "ITALIANA"),
    ("Ewa", "Nowak", "POL", "POLACA"),
    ("Lucas", "Ferreira Santos", "PRT", "PORTUGUESA"),
    ("Andrei", "Ionescu", "ROU", "RUMANA"),
    ("Katarzyna", "Wiśniewska", "POL", "POLACA"),
    ("Matteo", "Russo", "ITA", "ITALIANA"),
    ("Camille", "Lefèvre", "FRA", "FRANCESA"),
    ("Sophie", "Müller", "DEU", "ALEMANA"),
]
EU_F = {"Mihaela", "Giulia", "Ewa", "Katarzyna", "Camille", "Sophie"}
NAT = {s: (c, n) for _, s, c, n in EU}


def make_eu_person(rng: random.Random) -> Person:
    given, s, _, _ = rng.choice(EU)
    return Person(given, s, "", K.make_nie(rng), "F" if given in EU_F else "M")


@template("h3_id_dni_old_es", "id_document", "es", old_dni=True)
def h3_dni_old(doc: Doc) -> list[Image.Image]:
    """Old-layout (pre-electronic) DNI: first and second surname on separate labelled lines, number with
    letter at the bottom, VÁLIDO HASTA (or PERMANENTE) and EXPEDIDO EL on the front; TD1 MRZ on the back."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    front = K.card_base(doc.seed, (206, 222, 206))
    d = ImageDraw.Draw(front)
    d.text((70, 40), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(56, True, serif=True), fill=(30, 70, 40))
    d.rectangle([70, 170, 540, 780], fill=(150, 160, 150))
    rows = [
        ("PRIMER APELLIDO", p.s1.upper()),
        ("SEGUNDO APELLIDO", (p.s2 or "").upper()),
        ("NOMBRE", p.given.upper()),
        ("SEXO", "F" if p.female else "M"),
        ("NACIDO/A EL", birth.strftime("%d-%m-%Y")),
    ]
    y = 170
    for label, value in rows:
        d.text((600, y), label, font=_f(28), fill=(70, 80, 70))
        d.text((600, y + 34), value, font=_f(48, True, serif=True), fill=(10, 10, 10))
        y += 116
    d.text((600, y), "EXPEDIDO EL", font=_f(28), fill=(70, 80, 70))
    d.text((600, y + 34), iss.strftime("%d-%m-%Y"), font=_f(44, True), fill=(10, 10, 10))
    d.text((1200, y), "VÁLIDO HASTA", font=_f(28), fill=(70, 80, 70))
    d.text((1200, y + 34), exp.strftime("%d-%m-%Y") if exp else "PERMANENTE", font=_f(44, True), fill=(10, 10, 10))
    d.text((70, 1060), "D.N.I.", font=_f(34, True), fill=(70, 80, 70))
    d.text((220, 1040), f"{p.nif[:8]}-{p.nif[8]}", font=K._font("DejaVuSansMono-Bold.ttf", 84), fill=(0, 0, 0))
    d.text((1300, 1080), "FIRMA DEL TITULAR", font=_f(26), fill=(70, 80, 70))
    d.line([(1300, 1060), (1900, 1010)], fill=(20, 20, 90), width=4)
    back = K.card_base(doc.seed + 21, (214, 226, 214))
    d2 = ImageDraw.Draw(back)
    rr = _r(doc, 11)
    d2.text((60, 50), f"LUGAR DE NACIMIENTO  {rr.choice(K.CITIES).upper()}", font=_f(36), fill=(20, 20, 20))
    d2.text(
        (60, 110),
        f"HIJO/A DE  {rr.choice([x for x in K.GIVEN_ES if x not in K.FEMALE]).upper()} / "
        f"{rr.choice([x for x in K.GIVEN_ES if x in K.FEMALE]).upper()}",
        font=_f(36),
        fill=(20, 20, 20),
    )
    d2.text(
        (60, 170), f"DOMICILIO  {rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 90)}", font=_f(36), fill=(20, 20, 20)
    )
    d2.text((60, 230), f"{doc.city.upper()}", font=_f(36), fill=(20, 20, 20))
    d2.text((60, 300), f"EQUIPO {rr.randrange(10000, 99999)}", font=_f(30), fill=(60, 60, 60))
    mrz_exp = exp or dt.date(2099, 12, 31)  # placeholder, blanked below
    mrz = K.td1_mrz("ID", p.nif, "", birth, "F" if p.female else "M", mrz_exp, "ESP", p)
    if exp is None:  # permanent: the expiry field is filler and its check digit is 0
        l2 = mrz[1][:8] + "<<<<<<" + "0" + mrz[1][15:29]
        comp = mrz[0][5:30] + l2[0:7] + l2[8:15] + l2[18:29]
        mrz[1] = l2 + K.mrz_check(comp)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((70, 870 + i * 120), ln, font=K._font("LiberationMono-Regular.ttf", 68), fill=(0, 0, 0))
    return [front, back]


@template("h3_id_cert_ue_es", "id_document", "es", nie=True, paper=True, no_expiry=True)
def h3_cert_ue(doc: Doc) -> list[Image.Image]:
    """The A4 paper "Certificado de registro de ciudadano de la Unión" (NIE, registration date, no expiry),
    rendered at 600 dpi as one page."""
    p = doc.people["appointed"]
    iss, birth = doc.other_dates["issue"], doc.other_dates["birth"]
    code, natname = NAT.get(p.s1, ("ROU", "RUMANA"))
    rr = _r(doc, 12)
    st = K.Style(
        font="LiberationSans-Regular.ttf", bold="LiberationSans-Bold.ttf", size=40, justify=False, margin_t=300
    )
    b: list[tuple] = [
        ("pl", "MINISTERIO DEL INTERIOR · DIRECCIÓN GENERAL DE LA POLICÍA"),
        ("pl", f"Oficina de Extranjería de {doc.city}"),
        ("gap", 1),
        ("h", "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", 1.2, "c"),
        ("pl", "(Real Decreto 240/2007, de 16 de febrero)"),
        ("gap", 1),
        (
            "table",
            [0.4, 0.6],
            [
                ["Datos del titular", ""],
                ["Apellidos", p.surnames.upper()],
                ["Nombre", p.given.upper()],
                ["Nacionalidad", natname],
                ["Fecha de nacimiento", birth.strftime("%d/%m/%Y")],
                ["Sexo", "MUJER" if p.female else "HOMBRE"],
                ["Domicilio", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 150)}, {doc.city.upper()}"],
                ["N.I.E.", p.nif],
            ],
        ),
        (
            "p",
            "Se expide el presente certificado para hacer constar que el ciudadano arriba indicado ha "
            "solicitado y obtenido su inscripción en el Registro Central de Extranjeros, en calidad de "
            f"{rr.choice(['trabajador por cuenta ajena', 'trabajador por cuenta propia', 'residente no activo'])}.",
        ),
        ("kv", "Fecha de registro", iss.strftime("%d/%m/%Y")),
        (
            "p",
            "Este certificado no acredita la identidad del titular; debe acompañarse del pasaporte o del "
            "documento nacional de identidad de su país.",
        ),
        ("stamp", ["DIRECCIÓN GENERAL DE LA POLICÍA", "EXTRANJERÍA", doc.city.upper()]),
        ("sig", ["El/La funcionario/a"]),
    ]
    page = K.render_pages(b, st, dpi=600)[0]
    return [page.convert("RGB")]


def td3_mrz(
    state: str, number: str, nationality: str, birth: dt.date, sex: str, expiry: dt.date, person: Person
) -> list[str]:
    """Two 44-character lines (ICAO 9303 TD3) with correct check digits; personal number empty."""
    name = K._mrz_name(person.surnames).strip("<")
    while "<<" in name:
        name = name.replace("<<", "<")
    l1 = (f"P<{state}{name}<<{K._mrz_name(person.given).strip('<')}" + "<" * 44)[:44]
    num = number.ljust(9, "<")[:9]
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    pers = "<" * 14
    l2 = f"{num}{K.mrz_check(num)}{nationality}{b}{K.mrz_check(b)}{sex}{e}{K.mrz_check(e)}{pers}{K.mrz_check(pers)}"
    l2 += K.mrz_check(l2[0:10] + l2[13:20] + l2[21:43])
    assert len(l1) == len(l2) == 44, (l1, l2)
    return [l1, l2]


@template("h3_id_passport_td3", "id_document", "es", nie=True, absent=["person_nif"])
def h3_passport(doc: Doc) -> list[Image.Image]:
    """Foreign (EU) passport data page with TD3 MRZ: passport number, no NIE; the facing page has only
    observations."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    code, _ = NAT.get(p.s1, ("ROU", "RUMANA"))
    rr = _r(doc, 13)
    number = "".join(rr.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + f"{rr.randrange(10**6, 10**7)}"
    label = {
        "ROU": ("ROMÂNIA", "PAŞAPORT"),
        "FRA": ("RÉPUBLIQUE FRANÇAISE", "PASSEPORT"),
        "ITA": ("REPUBBLICA ITALIANA", "PASSAPORTO"),
        "POL": ("RZECZPOSPOLITA POLSKA", "PASZPORT"),
        "PRT": ("REPÚBLICA PORTUGUESA", "PASSAPORTE"),
        "DEU": ("BUNDESREPUBLIK DEUTSCHLAND", "REISEPASS"),
    }[code]
    page = K.card_base(doc.seed, (228, 214, 222))
    d = ImageDraw.Draw(page)
    d.text((520, 26), f"{label[0]}  ·  {label[1]} / PASSPORT", font=_f(40, True), fill=(90, 20, 60))
    d.rectangle([50, 120, 470, 720], fill=(150, 146, 150))
    lab, val = _f(24), _f(40, True)
    d.text((520, 96), f"Type  P     Code  {code}     Passport No.", font=lab, fill=(70, 70, 70))
    d.text((1330, 120), number, font=val, fill=(0, 0, 0))
    rows = [
        ("1. Surname", p.surnames.upper()),
        ("2. Given names", p.given.upper()),
        ("3. Nationality", code),
        ("4. Date of birth", birth.strftime("%d %b %Y").upper()),
        ("5. Sex", "F" if p.female else "M"),
        ("6. Date of issue", iss.strftime("%d %b %Y").upper()),
        ("7. Date of expiry", exp.strftime("%d %b %Y").upper()),
    ]
    y = 180
    for label_, value in rows:
        d.text((520, y), label_, font=lab, fill=(70, 70, 70))
        d.text((520, y + 28), value, font=val, fill=(0, 0, 0))
        y += 92
    mrz = td3_mrz(code, number, code, birth, "F" if p.female else "M", exp, p)
    doc.extra["mrz_td3"] = mrz
    for i, ln in enumerate(mrz):
        d.text((50, 1050 + i * 90), ln, font=K._font("LiberationMono-Regular.ttf", 45), fill=(0, 0, 0))
    facing = K.card_base(doc.seed + 23, (230, 224, 228))
    d2 = ImageDraw.Draw(facing)
    d2.text((60, 60), "OBSERVATIONS", font=_f(40, True), fill=(40, 40, 40))
    d2.text((60, 140), "Holder's signature", font=_f(32), fill=(60, 60, 60))
    d2.line([(60, 400), (900, 380)], fill=(30, 30, 90), width=5)
    return [page, facing]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h3_power_pleitos_es", ["clean", "photo", "pdf_text", "rot90", "tiff"], ["photo"]),
        ("h3_power_mancomunat_ca", ["clean", "photo", "pdf_scan", "skew"], ["clean"]),
        ("h3_power_consejero_delegado_es", ["clean", "photo", "jpeg200", "pdf_text"], []),
        ("h3_power_sustitucion_es", ["clean", "noisy", "photo"], ["pdf_text"]),
        ("h3_deed_admin_solidarios_es", ["clean", "photo", "pdf_text", "rot270"], ["clean"]),
        ("h3_deed_renuncia_ca", ["clean", "photo", "lowcontrast"], []),
        ("h3_certificat_consell_ca", ["clean", "photo", "pdf_scan", "dpi600"], ["photo"]),
        ("h3_cert_literal_es", ["clean", "pdf_text", "photo", "tiff"], ["pdf_text"]),
        ("h3_cert_carrecs_ca", ["clean", "photo", "rot180"], []),
        ("h3_borme_multi_es", ["clean", "pdf_text"], []),
        ("h3_mandate_cups_es", ["clean", "photo", "pdf_text", "skew"], ["clean"]),
        ("h3_mandate_autoritzacio_ca", ["clean", "photo", "jpeg200"], []),
        ("h3_mandate_community_contrato_es", ["clean", "photo", "noisy"], []),
        ("h3_mandate_community_acta_ca", ["clean", "photo", "pdf_text", "rot90"], ["photo"]),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h3_deed_admin_solidarios_es", "outgoing_claims", ["clean", "photo"], ["clean"]),
        ("h3_cert_literal_es", "outgoing_claims", ["clean"], []),
        ("h3_mandate_community_acta_ca", "outgoing_claims", ["clean"], []),
        ("h3_power_mancomunat_ca", "grantor_claims", ["photo"], []),
        ("h3_power_sustitucion_es", "grantor_claims", ["clean"], []),
        ("h3_certificat_consell_ca", "secretary_claims", ["clean"], ["clean"]),
        ("h3_mandate_community_acta_ca", "secretary_claims", ["photo"], []),
        ("h3_certificat_consell_ca", "president_claims", ["pdf_text"], []),
        ("h3_mandate_cups_es", "witness_claims", ["clean"], []),
        ("h3_power_pleitos_es", "lookalike_claims", ["clean", "photo"], ["clean"]),
        ("h3_cert_carrecs_ca", "stale_certificate", ["clean"], []),
        ("h3_cert_literal_es", "undated_certificate", ["photo"], []),
        ("h3_mandate_autoritzacio_ca", "nif_off_claims", ["clean"], []),
        ("h3_deed_renuncia_ca", "nif_off_claims", ["pdf_text"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h3_mandate_cups_es", "clean", "h3_id_cert_ue_es", "clean", False),
        ("h3_power_consejero_delegado_es", "clean", "h3_id_dni_old_es", "clean", True),
        ("h3_deed_admin_solidarios_es", "clean", "h3_id_passport_td3", "photo", False),
        ("h3_mandate_community_contrato_es", "clean", "h3_id_dni_old_es", "photo", False),
        ("h3_power_pleitos_es", "pdf_scan", "h3_id_cert_ue_es", "photo", False),
        ("h3_certificat_consell_ca", "clean", "h3_id_passport_td3", "rot90", True),
        ("h3_mandate_autoritzacio_ca", "photo", "h3_id_dni_old_es", "skew", True),
        ("h3_cert_carrecs_ca", "clean", "h3_id_cert_ue_es", "pdf_scan", False),
        ("h3_power_mancomunat_ca", "clean", "h3_id_passport_td3", "jpeg200", False),
    ],
    "small_sets": 2,
}


def lookalike(p: Person, rng: random.Random, lang: str) -> Person:
    """Same given name and first surname, another second surname (or another first surname when there is
    only one), another NIF of the same kind."""
    pool = [s for s in (K.SURN_CA + K.SURN_ES if lang == "ca" else K.SURN_ES) if s not in (p.s1, p.s2)]
    if p.s2:
        q = Person(p.given, p.s1, rng.choice(pool), K.make_dni(rng), p.sex, p.catalan_i)
    else:
        q = Person(
            p.given, rng.choice(["Popa", "Moreau", "Ricci", "Kowalski", "Costa", "Rossi"]), "", K.make_nie(rng), p.sex
        )
    if p.nif[0] in "XYZ" and q.nif[0] not in "XYZ":
        q.nif = K.make_nie(rng)
    return q


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
    t = TEMPLATES[name]
    if t.get("nie") and person is None:
        person = make_eu_person(rng)
    doc = K.part_doc(rng, name, upload, variant, case, expired, person, cover_p)
    lang = doc.lang
    if t.get("attorneys"):
        a = doc.people["appointed"]
        # a second attorney: half the time (and always for lookalike claims) with a similar name
        a2 = lookalike(a, rng, lang) if (case == "lookalike_claims" or rng.random() < 0.5) else K.make_person(rng, lang)
        doc.people["attorney2"] = a2
        _role(doc, "attorney2", "appointed")
        if case == "lookalike_claims":  # the claimed person: similar to the attorney, absent from the page
            claimed = lookalike(a, rng, lang)
            while claimed.full in (a2.full, a.full):
                claimed = lookalike(a, rng, lang)
            doc.extra["claimed"] = claimed
        if name == "h3_power_pleitos_es":
            for k in ("proc1", "proc2"):
                q = K.make_person(rng, lang)
                q.nif = ""
                doc.people[k] = q
                _role(doc, k, "appointed")
        else:
            doc.people["grantor2"] = K.make_person(rng, lang)
            _role(doc, "grantor2", "grantor")
    if name == "h3_deed_admin_solidarios_es":
        doc.people["coadmin"] = K.make_person(rng, lang)
        _role(doc, "coadmin", "appointed")
    if name == "h3_deed_renuncia_ca":
        doc.people.pop("secretary", None)
        doc.extra.get("roles", {}).pop("secretary", None)
    if t.get("board"):
        doc.protocol = None
        doc.people.setdefault("secretary", K.make_person(rng, lang))
        doc.people["president"] = K.make_person(rng, lang)
        _role(doc, "secretary", "other")
        _role(doc, "president", "other")
    if t.get("outgoing"):
        doc.people["outgoing"] = K.make_person(rng, lang)
    if t.get("absent") and doc.doc_type == "registry_certificate":  # the BORME page names only the administrators
        doc.people.pop("consejero", None)
        doc.extra.get("roles", {}).pop("consejero", None)
        doc.registrar = None  # a BORME entry names no registrar
    if t.get("minutes"):
        doc.people.pop("witness", None)
        doc.people["secretary"] = K.make_person(rng, lang)
        _role(doc, "secretary", "other")
    if case == "witness_claims":
        doc.people.setdefault("witness", K.make_person(rng, lang))
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if doc.doc_type == "id_document":
        p = doc.people["appointed"]
        if t.get("old_dni"):  # issued before the electronic DNI; valid ones are PERMANENTE (holders over 70)
            if expired:
                iss = dt.date(rng.randrange(2001, 2007), rng.randrange(1, 13), rng.randrange(1, 29))
                doc.date = iss.replace(year=iss.year + 10)
                doc.other_dates["birth"] = dt.date(
                    rng.randrange(1950, 1985), rng.randrange(1, 13), rng.randrange(1, 29)
                )
            else:
                iss = dt.date(rng.randrange(2003, 2008), rng.randrange(1, 13), rng.randrange(1, 29))
                doc.date = None
                doc.other_dates["birth"] = dt.date(
                    rng.randrange(1928, 1936), rng.randrange(1, 13), rng.randrange(1, 29)
                )
            doc.other_dates["issue"] = iss
        elif t.get("no_expiry"):
            doc.other_dates["issue"] = upload - dt.timedelta(days=rng.randrange(200, 4500))
            doc.date = None
        else:  # passport: 10 years, issue in the past
            if doc.other_dates["issue"] >= upload or p.nif[0] in "XYZ":
                exp = doc.date if expired else upload + dt.timedelta(days=rng.randrange(200, 3300))
                doc.date = exp
                doc.other_dates["issue"] = exp.replace(year=exp.year - 10, day=min(exp.day, 28))
    return doc


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout3 part; cheap (no rendering)."""
    return K.plan_part(
        PART,
        PLAN,
        profile,
        seed,
        make=_make,
        upload_step=5,
        holder=lambda idname: make_eu_person if TEMPLATES[idname].get("nie") else None,
    )
