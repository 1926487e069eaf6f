"""SIXTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the five other holdouts, without looking at the engine or at any of its
results: the documents copy the structure of real notarial copies, registry certificates, associations' board
certificates, gestorías' mandates and identity documents.  Never tune the engine on these templates, nor look at
which of them it misses; the part is meant to be measured once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout6 [--profile small|full]

Templates (Spanish and Catalan):
  * powers: a special power for energy contracting whose attorney is named only in a ruled table (name, DNI/NIE,
    address) under the grant; a "COPIA AUTORIZADA" of a power with the protocol number printed vertically in the
    left margin (in words in the heading), the parties summarised ATTORNEY FIRST in labelled boxes before the
    text, and the "Código Seguro de Verificación" in the footer of every page; a Catalan power with a "quadre
    d'apoderats" (two attorneys acting severally, the claimed one first or second);
  * deeds: a notarial "acta de manifestaciones" in which the NEW administrator declares his appointment and the
    outgoing administrator's dismissal (headings in bold italics); a Catalan "escriptura de renúncia i nomenament
    d'administrador" opening with a data table that lists the OUTGOING administrator first; an association's or
    cooperative's "certificado del acuerdo de la Junta Directiva" (CIF G/F) by the secretary with the president's
    "Vº Bº", empowering the manager and revoking the former manager's powers (no protocol);
  * registry: a Registro Mercantil certificate of current charges in a ruled table (each charge with its
    appointment and inscription dates), a "cargos cesados" table and the issue date at the top right in digits and
    in words in the closing; a Catalan "nota simple informativa" in labelled fields with the issue date only at the
    foot (none at all for an undated one);
  * mandates: a gestoría's "mandato con representación" on the Colegio de Gestores Administrativos' model, the
    MANDANTE and MANDATARIO side by side in two columns, the mandatary a gestor administrativo with his colegiado
    number; a Catalan "full d'encàrrec" of a community of owners (CIF H) to its property administrator
    ("administrador de finques col·legiat") signed by the community's president, with ticked boxes;
  * ID documents: an A4 photocopy of both sides of a DNI 4.0 side by side with Galician co-official labels and a
    "copia cotejada" stamp; a British citizen's TIE "Documento de residencia Artículo 50 TUE" (NIE, TD1 MRZ,
    nationality GBR); an A4 photocopy of another EU country's passport data page (TD3 MRZ; Germany prints "D")
    with the Spanish "certificado de asignación de N.I.E." below it.

Case kinds are those of holdout5 (true claim; outgoing, grantor, secretary, president, witness and notary claims;
lookalike and nif_off claims; stale and undated certificates; expired ID; sets of a document and the ID card)
plus ``future_mandate``: a mandate whose signature date is after the upload (``expect.date`` is that future date,
``expect.person_role`` "appointed"; it must not come out clear).  Two of the three stale certificates were issued
only 95-199 days before the upload (just past the 90 days allowed), the third years before.  Who is who:
  * the acta: the declarant is the appointed administrator; the outgoing administrator is named with his DNI;
  * the board certificate: the secretary certifies and the president gives the Vº Bº (both "other"); the former
    manager whose powers are revoked is "outgoing";
  * the Catalan power: both attorneys are "appointed" (only the first one claims);
  * the community's "full d'encàrrec": the president signs for the community ("grantor");
  * the passport with the NIE certificate: ``expect.expiry`` / ``expect.issue_date`` are the passport's; the NIE
    certificate's date is another date on the page.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image, ImageDraw

try:
    from tests.ocr import corpus2 as K
    from tests.ocr import corpus_holdout3 as H3
    from tests.ocr import corpus_holdout4 as H4
    from tests.ocr import corpus_holdout5 as H5
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore
    import corpus_holdout4 as H4  # type: ignore
    import corpus_holdout5 as H5  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text = K.fmt_nif, K.fmt_cif, K.date_text
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout6"
_style, _cap, _dd, _ca, _nt, _role = H4._style, H4._cap, H4._dd, H4._ca, H4._nt, H4._role
_f, _paste_dark = H4._f, H5._paste_dark


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 23 + salt)


def _o(p: Person) -> str:  # gender ending
    return "a" if p.female else "o"


def _adm_ca(p: Person) -> str:
    return "administradora" if p.female else "administrador"


def _num(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


# =========================================================================== extra block kind
#   ("vmargin", text)   a line printed vertically (bottom to top) in the left margin, from the current height
# plus holdout4's and holdout5's kinds (cols, grid, logo, scrawl, seal, qr, sc, foot, timbre, checks, dsig).


def _lay_vmargin(b, st, x0, width, k):
    f = K._font(st.font, int(st.size * k * 0.7))

    def at(y):
        return [("draw", _draw_vmargin, y, b[1], f)]

    return [(0, at)]


def _draw_vmargin(im, d, op, k):
    _, _, y, text, f = op
    t = Image.new("L", (int(f.getlength(text)) + 12, int(f.size * 1.4)), 255)
    ImageDraw.Draw(t).text((6, int(f.size * 0.15)), text, font=f, fill=40)
    t = t.rotate(90, expand=True, fillcolor=255)
    x, yy = int(70 * k), min(y, im.height - t.height - int(40 * k))
    region = np.asarray(im.crop((x, yy, x + t.width, yy + t.height)))
    im.paste(Image.fromarray(np.minimum(region, np.asarray(t))), (x, yy))


EXT = {
    **H5.EXT,
    "vmargin": {"kind": "vmargin", "layout": H4._ext(_lay_vmargin), "text": H4._ext(lambda b: [("body", b[1])])},
}


def template(name, doc_type, lang, **flags):
    def deco(fn):
        def blocks(doc):
            out = fn(doc)
            if doc_type == "id_document":
                return out
            return [("ext", EXT[b[0]]) + tuple(b[1:]) if b[0] in EXT else b for b in out]

        blocks.__doc__ = fn.__doc__
        TEMPLATES[name] = {"doc_type": doc_type, "lang": lang, "blocks": blocks, **flags}
        return fn

    return deco


def _annexed(doc: Doc, b: list[tuple], annex: list[tuple]) -> list[tuple]:
    """The facts page, then a page of annex; a covered document gets corpus2's filler page first (a template with
    a page break of its own gets none from corpus2, which would put the facts on the annex page)."""
    return (K.FILLER_COVER[doc.lang] if doc.cover else []) + b + [("pb",)] + annex


ANNEX_FACULTADES = [
    ("h", "ANEXO. RÉGIMEN DE LAS FACULTADES CONFERIDAS", 1.0, "l"),
    (
        "p",
        "Las facultades se ejercitarán ante toda clase de empresas comercializadoras y distribuidoras de energía, "
        "la Comisión Nacional de los Mercados y la Competencia y los órganos de consumo de las comunidades "
        "autónomas. Comprenden la firma de contratos de acceso a las redes, la solicitud de certificados de "
        "instalación, la aceptación de presupuestos de acometida y la designación de cuentas de domiciliación.",
    ),
    (
        "p",
        "El apoderado no podrá sustituir este poder ni otorgar otros a favor de terceros. El poder se mantendrá "
        "vigente mientras no conste su revocación en escritura pública notificada a la entidad ante la que se use.",
    ),
    ("p", K.FILLER_DEED_ES),
]


# =========================================================================== powers of attorney


@template("h6_poder_tabla_apoderado_es", "power_of_attorney", "es")
def h6_poder_tabla(doc: Doc) -> list[tuple]:
    """Special power for energy contracting: the grantor (joint-and-several administrator) appears; the grant
    refers to "la persona que se identifica en el cuadro siguiente", a ruled table (name, DNI/NIE, address);
    the powers as a lettered list; the date in one of four styles."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 1)
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 40, justify=True, leading=1.4)
    doc.style.header = f"Notaría de {n.full} · {K.rng_street(doc)} · {doc.city}"
    cargo = "administradora solidaria" if g.female else "administrador solidario"
    b: list[tuple] = [
        ("r", f"Número {proto_printed(doc.protocol)}"),
        ("h", "ESCRITURA DE PODER ESPECIAL", 1.25, "c"),
        ("h", "PARA LA CONTRATACIÓN Y GESTIÓN DE SUMINISTROS ENERGÉTICOS", 0.9, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'words', 'long'][doc.v])}, ante mí, "
            f"{n.full}, {_nt(n)} del Ilustre Colegio Notarial de {K.COLEGIO[doc.city]},",
        ),
        ("h", "COMPARECE:", 1.0, "l"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, vecin{_o(g)} de {doc.city}, con D.N.I. número "
            f"{fmt_nif(g.nif, doc.fmt + 1)}, quien interviene en nombre y representación de {comp.upper()}, con "
            f"C.I.F. {fmt_cif(cif, doc.fmt)}, en su condición de {cargo}, cargo vigente según me asegura.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGA:", 1.0, "l"),
        (
            "p",
            "Que la sociedad a la que representa confiere poder especial, tan amplio y bastante como en Derecho sea "
            "necesario, a favor de la persona que se identifica en el cuadro siguiente, para que, actuando por sí "
            "sola, ejercite en nombre de la sociedad las facultades que después se dirán:",
        ),
        (
            "table",
            [0.4, 0.25, 0.35],
            [
                ["Apoderado/a", "D.N.I. / N.I.E.", "Domicilio"],
                [a.full.upper(), fmt_nif(a.nif, doc.fmt), f"{rr.choice(K.STREETS_ES)}, {rr.randrange(1, 160)}"],
            ],
        ),
        (
            "p",
            "a) Contratar, modificar, ceder y dar de baja suministros de energía eléctrica y gas natural. b) "
            "Solicitar cambios de titular, de potencia contratada y de tarifa de acceso. c) Firmar contratos con "
            "empresas comercializadoras y distribuidoras y reclamar la facturación.",
        ),
        ("p", "Así lo dice y otorga. Leída por mí esta escritura, la aprueba y firma conmigo. Doy fe."),
        ("sig", [g.full, f"{_nt(n)}: {n.full}"]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV: {doc.csv}"))
    return _annexed(doc, b, ANNEX_FACULTADES)


@template("h6_copia_autorizada_margen_es", "power_of_attorney", "es")
def h6_copia_autorizada(doc: Doc) -> list[tuple]:
    """An authorised copy ("COPIA AUTORIZADA") of a power: the protocol number in words in the heading and in
    digits printed vertically in the left margin; the parties summarised in labelled boxes with the ATTORNEY
    FIRST; the CSV code in the footer of every page."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    cd = "consejera delegada" if g.female else "consejero delegado"
    _style(
        doc, "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", 42, justify=True, margin_l=330, leading=1.45
    )
    doc.style.margin_rule = True
    doc.style.footer = f"Código Seguro de Verificación: {doc.csv}   ·   hoja {{page}} de {{pages}}"
    b: list[tuple] = [
        ("vmargin", f"Protocolo n.º {proto_printed(doc.protocol)} · {_nt(n)} {n.full} · {doc.city}"),
        ("h", "COPIA AUTORIZADA", 1.0, "r"),
        ("h", f"NÚMERO {words_es(doc.protocol).upper()}", 1.05, "l"),
        ("h", "PODER ESPECIAL", 1.3, "c"),
        ("kv", "APODERADO", f"{a.full.upper()} — D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}"),
        ("kv", "PODERDANTE", f"{comp.upper()} — C.I.F. {fmt_cif(cif, doc.fmt + 1)}"),
        ("kv", "REPRESENTADA POR", f"{g.full.upper()} — D.N.I. {fmt_nif(g.nif, doc.fmt)} ({cd})"),
        ("gap", 1),
        (
            "p",
            f"En {doc.city}, mi residencia, a {date_text(doc.date, 'es', ['words', 'long', 'long', 'words'][doc.v])}. "
            f"Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, comparece la "
            f"persona reseñada como representante de la poderdante, quien, según interviene, OTORGA poder especial "
            f"a favor de la persona reseñada como apoderado, para que pueda contratar, modificar y rescindir "
            f"contratos de suministro eléctrico y de gas, solicitar altas, bajas y cambios de potencia o de "
            f"comercializadora y firmar cuantos documentos fueren necesarios.",
        ),
        ("p", K.FILLER_DEED_ES),
        (
            "p",
            "ES COPIA AUTORIZADA de su matriz, con la que concuerda y donde queda anotada, que expido para la "
            "sociedad poderdante en un folio de papel exclusivo para documentos notariales. Doy fe.",
        ),
        ("seal", ["NOTARÍA", n.full.upper()[:24], doc.city.upper()], 1, 0.72),
        ("sig", [f"{_nt(n)}: {n.full}"]),
    ]
    annex = [
        ("vmargin", f"Protocolo n.º {proto_printed(doc.protocol)}"),
        (
            "p",
            "NOTA.- Documento sin cuantía. Arancel aplicado: números 1, 4, 7 y norma 8.ª del Real Decreto "
            "1426/1989. Esta copia consta de dos folios de papel exclusivo para documentos notariales.",
        ),
        ("p", K.FILLER_DEED_ES),
    ]
    return _annexed(doc, b, annex)


@template("h6_poder_quadre_apoderats_ca", "power_of_attorney", "ca", attorney2=True)
def h6_poder_quadre(doc: Doc) -> list[tuple]:
    """Catalan power with a "quadre d'apoderats": two attorneys acting severally, each with DNI/NIE and position,
    the claimed one first or second; the grantor is the company's sole administrator."""
    a, g, a2 = doc.people["appointed"], doc.people["grantor"], doc.people["attorney2"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 3)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 46, justify=True, leading=1.45)
    cargo = "administradora única" if g.female else "administrador únic"
    rows = [
        [a.full, fmt_nif(a.nif, doc.fmt), rr.choice(["Cap de compres", "Responsable de manteniment"])],
        [
            a2.full,
            fmt_nif(a2.nif, doc.fmt + 1),
            rr.choice(["Gerent", "Responsable de finances", "Cap d'administració"]),
        ],
    ]
    if doc.v % 2:
        rows.reverse()
    b: list[tuple] = [
        ("h", f"NÚMERO {words_ca(doc.protocol).upper()} ({proto_printed(doc.protocol)})", 0.95, "l"),
        ("h", "ESCRIPTURA DE PODER", 1.3, "c"),
        (
            "p",
            f"A {doc.city}, el {date_text(doc.date, 'ca', ['long', 'words', 'num', 'long'][doc.v])}. Davant meu, "
            f"{n.full}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya,",
        ),
        ("h", "COMPAREIX", 1.0, "c"),
        (
            "p",
            f"{_cap(_ca(g))}, major d'edat, amb DNI {fmt_nif(g.nif, doc.fmt + 2)}, que actua com a {cargo} de la "
            f"societat {comp}, amb NIF {fmt_cif(cif, doc.fmt)}.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "ATORGA", 1.0, "c"),
        (
            "p",
            "Que la societat confereix poder a favor de les persones que figuren al quadre següent, perquè "
            "qualsevol d'elles, de manera solidària, pugui contractar, modificar i donar de baixa subministraments "
            "d'electricitat i gas i signar els contractes d'accés a la xarxa:",
        ),
        ("h", "QUADRE D'APODERATS", 0.9, "l"),
        ("table", [0.42, 0.24, 0.34], [["Nom i cognoms", "DNI / NIE", "Càrrec a l'empresa"]] + rows),
        ("p", "Així ho diu i atorga. Llegida aquesta escriptura, la signa amb mi. Dono fe."),
        ("sig", [g.full, n.full]),
    ]
    if doc.csv:
        b.append(("mono", f"Codi Segur de Verificació {doc.csv}"))
    return b


# =========================================================================== deeds


@template("h6_acta_manifestaciones_es", "deed", "es")
def h6_acta_manifestaciones(doc: Doc) -> list[tuple]:
    """Notarial "acta de manifestaciones": the new administrator requires the notary to record that the sole
    partner dismissed the former administrator (named with DNI) and appointed him; bold-italic headings."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    n = doc.notary
    meet = doc.other_dates["meeting"]
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-BoldItalic.ttf", 44, justify=True, indent=80)
    adm = "administradora única" if a.female else "administrador único"
    b: list[tuple] = [
        ("h", "ACTA DE MANIFESTACIONES", 1.35, "c"),
        ("h", f"Número {proto_printed(doc.protocol)} de mi protocolo", 0.9, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'words', 'long', 'num'][doc.v])}. Ante mí, "
            f"{n.full}, {_nt(n)} de esta ciudad y de su Ilustre Colegio,",
        ),
        ("h", "Comparece", 1.0, "l"),
        (
            "p",
            f"{_cap(_dd(a))}, mayor de edad, con domicilio a estos efectos en {doc.city} y provist{_o(a)} de "
            f"D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}.",
        ),
        ("h", "Requerimiento", 1.0, "l"),
        (
            "p",
            "Me requiere para que haga constar en acta las manifestaciones que a continuación realiza, bajo su "
            "exclusiva responsabilidad, a los efectos de acreditarlas ante las empresas suministradoras de "
            "energía.",
        ),
        ("h", "Manifestaciones", 1.0, "l"),
        (
            "p",
            f"PRIMERA.- Que por decisión del socio único de {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt + 1)}, "
            f"adoptada el {date_text(meet, 'es', 'long')}, fue cesad{_o(o)} como "
            f"{'administradora única' if o.female else 'administrador único'} {_dd(o)}, con D.N.I. "
            f"{fmt_nif(o.nif, doc.fmt + 2)}.",
        ),
        (
            "p",
            f"SEGUNDA.- Que en la misma decisión fue nombrad{_o(a)} {adm} {'la' if a.female else 'el'} compareciente, que aceptó el cargo "
            f"y lo ejerce desde entonces.",
        ),
        ("p", "TERCERA.- Que dichas decisiones se han presentado a inscripción en el Registro Mercantil."),
        (
            "p",
            "Así lo manifiesta. Hago las advertencias legales. Leo esta acta al compareciente, que la aprueba y "
            "firma conmigo. De su contenido, yo, el Notario, doy fe.",
        ),
        ("sig", [a.full, f"Signado: {n.full}"]),
    ]
    if doc.csv:
        b.append(("foot", f"Código Seguro de Verificación (CSV): {doc.csv}"))
    annex = [
        ("h", "DILIGENCIA", 1.0, "l"),
        (
            "p",
            "La extiendo yo, el Notario autorizante, para hacer constar que con esta misma fecha expido copia "
            "autorizada de la presente acta a instancia del requirente, quedando anotada en su matriz.",
        ),
        ("p", K.FILLER_DEED_ES),
    ]
    return _annexed(doc, b, annex)


@template("h6_renuncia_nomenament_ca", "deed", "ca")
def h6_renuncia_nomenament(doc: Doc) -> list[tuple]:
    """Catalan "escriptura de renúncia i nomenament d'administrador": a data table at the top lists the outgoing
    administrator FIRST, then the new one and the company; both appear (the outgoing resigns, the new one, as
    the sole partner's attorney, appoints himself and accepts)."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    n = doc.notary
    _style(doc, "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", 40, justify=True, leading=1.45)
    doc.style.footer = f"{_nt(n, 'ca')} {n.full} · Protocol {proto_printed(doc.protocol)} · pàgina {{page}}"
    b: list[tuple] = [
        ("h", "ESCRIPTURA DE RENÚNCIA I NOMENAMENT D'ADMINISTRADOR", 1.15, "c"),
        ("pl", f"Número de protocol: {proto_printed(doc.protocol)}"),
        (
            "table",
            [0.36, 0.4, 0.24],
            [
                ["Dades", "Nom", "NIF"],
                [f"{_adm_ca(o).capitalize()} que renuncia", o.full, fmt_nif(o.nif, doc.fmt)],
                [f"{_adm_ca(a).capitalize()} nomenat{'da' if a.female else ''}", a.full, fmt_nif(a.nif, doc.fmt + 1)],
                ["Societat", comp, fmt_cif(cif, doc.fmt + 2)],
            ],
        ),
        (
            "p",
            f"A {doc.city}, el {date_text(doc.date, 'ca', ['long', 'words', 'long', 'num'][doc.v])}. Davant meu, "
            f"{n.full}, {_nt(n, 'ca').lower()} de {doc.city},",
        ),
        ("h", "COMPAREIXEN", 1.0, "l"),
        (
            "p",
            f"D'una banda, {_ca(o)}, major d'edat, amb DNI {fmt_nif(o.nif, doc.fmt)}. I de l'altra, {_ca(a)}, "
            f"major d'edat, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, que actua en nom del soci únic de la "
            f"societat.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "ATORGUEN", 1.0, "l"),
        (
            "p",
            f"PRIMER.- {_cap(_ca(o))} renuncia al càrrec d'{_adm_ca(o)} únic{'a' if o.female else ''} de {comp}, "
            f"amb efectes des d'avui, i cessa en aquest càrrec.",
        ),
        (
            "p",
            f"SEGON.- El soci únic accepta la renúncia i nomena {_adm_ca(a)} únic{'a' if a.female else ''}, per temps "
            f"indefinit, {_ca(a)}, que accepta el càrrec i declara no estar incurs en cap incompatibilitat.",
        ),
        ("p", "Així ho diuen i atorguen. Llegida, la signen amb mi. Dono fe."),
        ("sig", [o.full, a.full, n.full]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV {doc.csv}"))
    annex = [
        ("h", "DOCUMENTS UNITS", 1.0, "l"),
        (
            "p",
            "Certificat de la decisió del soci únic, amb les signatures legitimades, i justificant de la comunicació "
            "de la renúncia a la societat. Se n'incorpora còpia a aquesta matriu.",
        ),
        ("p", K.FILLER_DEED_CA),
    ]
    return _annexed(doc, b, annex)


@template("h6_certificado_junta_directiva_es", "deed", "es", board=True, entity=True)
def h6_certificado_junta(doc: Doc) -> list[tuple]:
    """An association's or cooperative's "certificado del acuerdo de la Junta Directiva": the secretary
    certifies that the board empowered the manager and revoked the former manager's powers; "Vº Bº" of the
    president; the certificate's date in the closing, the meeting's in the text."""
    a, o, sec, pres = (doc.people[k] for k in ("appointed", "outgoing", "secretary", "president"))
    comp, cif = doc.company
    meet = doc.other_dates["meeting"]
    rr = _r(doc, 6)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 40, justify=False, leading=1.5)
    kind = "Cooperativa" if cif[0] == "F" else "Asociación"
    registry = "Registro de Cooperativas" if cif[0] == "F" else "Registro de Asociaciones"
    sec_t = "Secretaria" if sec.female else "Secretario"
    pres_t = "Presidenta" if pres.female else "Presidente"
    b: list[tuple] = [
        ("logo", "".join(w[0] for w in comp.split()[:3]).upper(), comp.upper(), f"C.I.F. {fmt_cif(cif, doc.fmt)}"),
        ("h", "CERTIFICADO DEL ACUERDO DE LA JUNTA DIRECTIVA", 1.1, "c"),
        (
            "p",
            f"{_cap(_dd(sec))}, con D.N.I. {fmt_nif(sec.nif, doc.fmt + 1)}, en calidad de {sec_t} de la Junta "
            f"Directiva de la entidad {comp}, inscrita en el {registry} con el número "
            f"{rr.randrange(1000, 99999)},",
        ),
        ("h", "CERTIFICA:", 1.0, "l"),
        (
            "p",
            f"Que en la reunión de la Junta Directiva celebrada el {date_text(meet, 'es', 'long')}, en "
            f"{doc.city}, con la asistencia de {rr.randrange(5, 9)} de sus miembros, se adoptó por unanimidad el "
            f"siguiente acuerdo:",
        ),
        (
            "p",
            f"«Facultar a {_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}, gerente de la entidad, para que "
            f"en su nombre contrate, modifique y dé de baja los suministros de electricidad y gas de los locales "
            f"de la entidad, y revocar las facultades conferidas con el mismo fin a {_dd(o)}, con D.N.I. "
            f"{fmt_nif(o.nif, doc.fmt + 2)}, anterior gerente.»",
        ),
        ("p", "Que el acta de la reunión fue aprobada al término de la misma y firmada por todos los asistentes."),
        (
            "p",
            f"Y para que así conste, expido el presente certificado con el visto bueno {'de la' if pres.female else 'del'} {pres_t.lower()}, en "
            f"{doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'words'][doc.v])}.",
        ),
        (
            "scrawl",
            [f"Vº Bº {pres_t}: {pres.full} (D.N.I. {fmt_nif(pres.nif, 0)})", f"{sec_t}: {sec.full}"],
            doc.seed + 6,
        ),
        ("seal", [kind.upper(), comp.upper()[:28], "JUNTA DIRECTIVA"], 2, 0.62),
    ]
    return b


# =========================================================================== registry


@template("h6_cert_cargos_vigentes_es", "registry_certificate", "es")
def h6_cert_cargos(doc: Doc) -> list[tuple]:
    """Registro Mercantil certificate: the issue date at the top right ("Fecha de emisión") and in words in the
    closing; current charges in a ruled table, each with its appointment and inscription dates; the ceased
    administrator in a second table with the date of his removal."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    ins = doc.extra["inscription"]
    rr = _r(doc, 7)
    _style(doc, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf", 44, justify=True, leading=1.4)
    doc.style.footer = "Registro Mercantil de " + H4._rm(doc) + " · página {page} de {pages}"
    ins_a = od["appointment"] + dt.timedelta(days=rr.randrange(8, 40))
    rows = [["Cargo", "Nombre", "D.N.I./N.I.E.", "Nombramiento", "Inscripción"]]
    rows.append(["Administrador único", a.full.upper(), fmt_nif(a.nif, doc.fmt), _num(od["appointment"]), _num(ins_a)])
    if cons:
        rows.append(
            ["Auditor de cuentas", cons.full.upper(), fmt_nif(cons.nif, doc.fmt), _num(od["old_appointment"]), "—"]
        )
    b: list[tuple] = [
        ("r", f"Fecha de emisión: {_num(doc.date)}"),
        ("r", f"Solicitud n.º {rr.randrange(10**7, 10**8)}"),
        ("h", f"REGISTRO MERCANTIL DE {H4._rm(doc).upper()}", 1.2, "l"),
        ("h", "CERTIFICACIÓN DE CARGOS VIGENTES", 1.0, "l"),
        (
            "p",
            f"{r.full}, Registrador{'a' if r.female else ''} Mercantil, CERTIFICA: que en la hoja "
            f"{doc.extra['hoja']} abierta a {comp.upper()}, con N.I.F. {fmt_cif(cif, doc.fmt + 1)}, al tomo "
            f"{doc.extra['tomo']}, folio {doc.extra['folio']}, constan vigentes los cargos siguientes:",
        ),
        ("table", [0.2, 0.3, 0.18, 0.16, 0.16], rows),
        ("h", "Cargos cesados", 0.9, "l"),
        (
            "table",
            [0.2, 0.3, 0.18, 0.32],
            [
                ["Cargo", "Nombre", "D.N.I.", "Cese (inscripción)"],
                [
                    "Administrador único",
                    o.full.upper(),
                    fmt_nif(o.nif, doc.fmt + 2),
                    f"{_num(od['removal'])} ({ins}.ª)",
                ],
            ],
        ),
        ("p", "No existen asientos de presentación vigentes relativos a dichos cargos."),
        (
            "p",
            f"Y para que conste, expido la presente en {H4._rm(doc)}, a {date_text(doc.date, 'es', 'words')}.",
        ),
        ("sig", [f"{'La Registradora' if r.female else 'El Registrador'}: {r.full}"]),
    ]
    if doc.csv:
        b.append(("mono", f"Código Seguro de Verificación: {doc.csv}"))
    annex = [
        ("h", "ADVERTENCIAS", 1.0, "l"),
        (
            "p",
            "La presente certificación acredita fehacientemente el contenido de los asientos del Registro en la "
            "fecha de su expedición (artículo 77 del Reglamento del Registro Mercantil). Los datos personales que "
            "contiene se tratan conforme al Reglamento (UE) 2016/679 y sólo pueden usarse para la finalidad que "
            "motivó la solicitud.",
        ),
    ]
    return _annexed(doc, b, annex)


@template("h6_nota_informativa_ca", "registry_certificate", "ca")
def h6_nota_informativa(doc: Doc) -> list[tuple]:
    """Catalan "nota simple informativa" in labelled fields: company, NIF, sheet; the joint administration, the
    ceased administrator; the issue date only at the foot ("Data d'emissió"), absent on an undated one."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 40, justify=False, leading=1.45)
    b: list[tuple] = [
        ("h", f"REGISTRE MERCANTIL DE {H4._rm(doc).upper()}", 1.1, "c"),
        ("h", "NOTA SIMPLE INFORMATIVA", 1.2, "c"),
        ("kv", "Denominació social", comp.upper()),
        ("kv", "NIF", fmt_cif(cif, doc.fmt)),
        ("kv", "Dades registrals", f"Full {doc.extra['hoja']}, tom {doc.extra['tomo']}, foli {doc.extra['folio']}"),
        (
            "kv",
            "Òrgan d'administració",
            f"{_adm_ca(a).capitalize()} únic{'a' if a.female else ''}: {a.full}, DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, "
            f"nomenat{'da' if a.female else ''} el "
            f"{_num(od['appointment'])}, inscripció {doc.extra['inscription']}a.",
        ),
    ]
    if cons:
        b.append(
            (
                "kv",
                "Auditor de comptes",
                f"{cons.full}, DNI {fmt_nif(cons.nif, doc.fmt)}, des del {_num(od['old_appointment'])}.",
            )
        )
    b += [
        (
            "kv",
            "Cessaments",
            f"{o.full}, DNI {fmt_nif(o.nif, doc.fmt + 2)}, cessat{'da' if o.female else ''} el {_num(od['removal'])}.",
        ),
        (
            "p",
            "Aquesta nota té valor purament informatiu i no dona fe del contingut dels assentaments (article 222 "
            "de la Llei hipotecària).",
        ),
    ]
    if not doc.extra.get("no_issue_date"):
        b.append(("r", f"Data d'emissió: {_num(doc.date)}"))
    b.append(("pl", f"{'Registradora' if r.female else 'Registrador'}: {r.full}"))
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació: {doc.csv}"))
    return b


# =========================================================================== mandates


@template("h6_mandato_gestor_colegiado_es", "manager_mandate", "es")
def h6_mandato_gestor(doc: Doc) -> list[tuple]:
    """A gestoría's "mandato con representación" on the Colegio de Gestores Administrativos' model: MANDANTE
    (company and its administrator) and MANDATARIO (a gestor administrativo with his colegiado number) side by
    side; numbered clauses; place and date above the signatures."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    rr = _r(doc, 8)
    col = K.COLEGIO.get(doc.city, "Madrid")
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 38, justify=True, leading=1.4)
    doc.style.header = f"Colegio Oficial de Gestores Administrativos de {col}"
    doc.style.footer = "Modelo de mandato con representación · ejemplar para el mandatario"
    cargo = "administradora" if g.female else "administrador"
    left = (
        f"MANDANTE\n{comp.upper()}\nC.I.F. {fmt_cif(cif, doc.fmt)}\nRepresentada por {g.full}, D.N.I. "
        f"{fmt_nif(g.nif, doc.fmt + 1)}, en calidad de {cargo}."
    )
    right = (
        f"MANDATARIO\n{a.full.upper()}\nD.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}\nGestor"
        f"{'a' if a.female else ''} Administrativ{_o(a)} colegiad{_o(a)} n.º {rr.randrange(100, 4999)}, con "
        f"despacho en {K.rng_street(doc)}, {doc.city}."
    )
    b: list[tuple] = [
        ("h", "MANDATO CON REPRESENTACIÓN", 1.3, "c"),
        ("pl", f"Referencia: {rr.randrange(2025, 2027)}/{rr.randrange(1000, 9999)}"),
        ("cols", [left, right], 0.95),
        (
            "p",
            "PRIMERA.- El mandante confiere al mandatario mandato con representación para que, en su nombre, "
            "tramite ante empresas comercializadoras y distribuidoras de energía eléctrica y gas la contratación, "
            "modificación, cambio de titular y baja de los suministros del mandante, y reciba las comunicaciones.",
        ),
        (
            "p",
            f"SEGUNDA.- El mandato se entiende conferido hasta el {_num(doc.other_dates['until'])}, salvo revocación "
            f"expresa comunicada por escrito al mandatario.",
        ),
        (
            "p",
            "TERCERA.- El mandatario declara que actúa conforme al Estatuto Orgánico de la profesión de Gestor "
            "Administrativo y acepta el mandato.",
        ),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['num', 'long', 'long', 'num'][doc.v])}."),
        ("scrawl", ["EL MANDANTE", "EL MANDATARIO"], doc.seed + 8),
    ]
    if w:
        b.append(("pl", f"En presencia de {w.full}, con D.N.I. {fmt_nif(w.nif, doc.fmt)}, como testigo."))
    annex = [
        ("h", "INFORMACIÓN BÁSICA SOBRE PROTECCIÓN DE DATOS", 1.0, "l"),
        (
            "table",
            [0.3, 0.7],
            [
                ["Epígrafe", "Información"],
                ["Responsable", "El gestor administrativo mandatario"],
                ["Finalidad", "Tramitar el encargo objeto del mandato"],
                ["Legitimación", "Ejecución del mandato (art. 6.1.b RGPD)"],
                ["Derechos", "Acceso, rectificación, supresión y demás derechos ante el responsable"],
            ],
        ),
    ]
    return _annexed(doc, b, annex)


@template("h6_encarrec_administrador_finques_ca", "manager_mandate", "ca", community=True)
def h6_encarrec_finques(doc: Doc) -> list[tuple]:
    """Catalan "full d'encàrrec" of a community of owners (CIF H) to its property administrator, signed by the
    community's president: a ruled table of the parties, ticked boxes of the tasks, "Lloc i data" at the foot."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    rr = _r(doc, 9)
    _style(doc, "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", 40, justify=False, leading=1.45)
    pres = "presidenta" if g.female else "president"
    b: list[tuple] = [
        ("h", "FULL D'ENCÀRREC DE GESTIÓ DELS SUBMINISTRAMENTS", 1.1, "l"),
        ("pl", f"Núm. d'expedient {rr.randrange(100, 999)}/{doc.date.year}"),
        (
            "table",
            [0.3, 0.45, 0.25],
            [
                ["Part", "Nom", "NIF"],
                ["Comunitat", comp, fmt_cif(cif, doc.fmt)],
                [f"Signa com a {pres}", g.full, fmt_nif(g.nif, doc.fmt + 2)],
                [
                    f"Administrador{'a' if a.female else ''} de finques col·legia{'da' if a.female else 't'} "
                    f"núm. {rr.randrange(1000, 9999)}",
                    a.full,
                    fmt_nif(a.nif, doc.fmt + 1),
                ],
            ],
        ),
        (
            "p",
            f"La comunitat, representada {'per la seva' if g.female else 'pel seu'} {pres} en virtut de l'acord de la junta de propietaris, encarrega "
            f"a l'administrador{'a' if a.female else ''} de finques que hi figura la gestió següent:",
        ),
        (
            "checks",
            [
                (True, "Contractació de subministraments"),
                (True, "Canvi de titular"),
                (rr.random() < 0.5, "Canvi de potència"),
                (True, "Reclamacions de factures"),
                (False, "Obres i reformes"),
                (rr.random() < 0.5, "Baixa de subministraments"),
            ],
            2,
        ),
        (
            "p",
            f"L'encàrrec és vigent fins al {_num(doc.other_dates['until'])} i es pot revocar per acord de la junta.",
        ),
        (
            "p",
            f"Lloc i data: {doc.city}, {date_text(doc.date, 'ca', ['long', 'num', 'long', 'long'][doc.v])}",
        ),
        ("scrawl", [f"{_cap(pres)} de la comunitat", "Administrador/a de finques"], doc.seed + 9),
    ]
    if w:
        b.append(("pl", f"Testimoni: {w.full} (DNI {fmt_nif(w.nif, doc.fmt)})"))
    return b


# =========================================================================== ID documents

GL_LABELS = (
    "APELIDOS / APELLIDOS",
    "NOME / NOMBRE",
    "SEXO",
    "NACIONALIDADE / NACIONALIDAD",
    "DATA DE NACEMENTO / FECHA DE NACIMIENTO",
    "NÚM. SOPORTE",
    "EMISIÓN / EXPEDICIÓN",
    "VALIDEZ",
)


def _dni40_gl(doc: Doc, p: Person) -> list[Image.Image]:
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    L, B = "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"
    front = K.card_base(doc.seed, (220, 228, 240))
    d = ImageDraw.Draw(front)
    d.text((60, 40), "ESPAÑA", font=_f(B, 58), fill=(140, 20, 30))
    d.text((60, 106), "DOCUMENTO NACIONAL DE IDENTIDADE / IDENTIDAD", font=_f(B, 34), fill=(30, 40, 100))
    d.rectangle([1400, 200, 1940, 800], fill=(158, 160, 170))
    lab, val = _f(L, 28), _f(B, 50)
    rows = [
        ((60, 200), GL_LABELS[0], p.surnames.upper()),
        ((60, 320), GL_LABELS[1], p.given.upper()),
        ((60, 440), GL_LABELS[2], "F" if p.female else "M"),
        ((420, 440), GL_LABELS[3], "ESP"),
        ((60, 560), GL_LABELS[4], birth.strftime("%d %m %Y")),
        ((60, 680), GL_LABELS[6], iss.strftime("%d %m %Y")),
        ((700, 680), GL_LABELS[7], exp.strftime("%d %m %Y")),
        ((60, 800), GL_LABELS[5], doc.extra["support"]),
    ]
    for (x, y), label, value in rows:
        d.text((x, y), label, font=lab, fill=(70, 70, 90))
        d.text((x, y + 32), value, font=val, fill=(10, 10, 10))
    d.text((60, 960), "DNI", font=_f(B, 36), fill=(70, 70, 90))
    d.text((170, 940), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 70), fill=(0, 0, 0))
    d.line([(1420, 1120), (1580, 1050), (1660, 1110), (1860, 1040)], fill=(20, 20, 80), width=4)
    back = K.card_base(doc.seed + 91, (226, 230, 238))
    d2 = ImageDraw.Draw(back)
    rr = _r(doc, 30)
    d2.text((60, 50), "DOMICILIO / ENDEREZO", font=_f(L, 28), fill=(70, 70, 90))
    d2.text(
        (60, 82),
        f"RÚA {rr.choice(['DO VILAR', 'NOVA', 'DO FRANCO', 'REAL'])} {rr.randrange(1, 90)}",
        font=_f(B, 42),
        fill=(20, 20, 20),
    )
    d2.text(
        (60, 140),
        rr.choice(["SANTIAGO DE COMPOSTELA", "VIGO", "A CORUÑA", "LUGO", "OURENSE"]),
        font=_f(B, 42),
        fill=(20, 20, 20),
    )
    d2.text((60, 210), "LUGAR DE NACEMENTO / NACIMIENTO", font=_f(L, 28), fill=(70, 70, 90))
    d2.text((60, 242), rr.choice(K.CITIES).upper(), font=_f(B, 42), fill=(20, 20, 20))
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((64, 860 + i * 122), ln, font=_f("LiberationMono-Regular.ttf", 70), fill=(0, 0, 0))
    return [front, back]


@template("h6_id_dni40_gl_copia", "id_document", "es", paper=True, dni40=True)
def h6_dni40_gl_copia(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi) of a DNI 4.0 with Galician co-official labels, both sides SIDE BY SIDE, the
    number under the field block (not at the top), a "copia cotejada" stamp and the collating clerk's date."""
    p = doc.people["appointed"]
    rr = _r(doc, 31)
    cards = [c.convert("L").point(lambda v: min(255, int(v * 1.06))) for c in _dni40_gl(doc, p)]
    sheet = Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)
    scale = 0.55
    small = [c.resize((int(c.width * scale * 2), int(c.height * scale * 2))) for c in cards]
    x0, y0 = 330, 900
    _paste_dark(sheet, small[0], (x0, y0))
    _paste_dark(sheet, small[1], (x0 + small[0].width + 80, y0 + 40))
    d = ImageDraw.Draw(sheet)
    d.text((x0, 520), "FOTOCOPIA DNI (ANVERSO E REVERSO)", font=_f("LiberationSans-Bold.ttf", 80), fill=30)
    coll = doc.upload - dt.timedelta(days=rr.randrange(1, 25))
    K._stamp(
        sheet,
        x0 + 200,
        y0 + small[0].height + 500,
        ["COPIA COTEJADA", "CONCORDA CO ORIXINAL", f"DATA {coll.strftime('%d/%m/%Y')}"],
        _f("DejaVuSans-Bold.ttf", 70),
        2,
    )
    H4._draw_scribble(sheet, d, ("draw", None, x0 + 1900, y0 + small[0].height + 900, 900, doc.seed), 2)
    return [sheet.convert("RGB")]


GB_PEOPLE = [  # British citizens resident before 2021 (withdrawal agreement)
    ("Oliver James", "Whitaker", "M"),
    ("Emily", "Hargreaves", "F"),
    ("Thomas", "O'Connell", "M"),
    ("Charlotte", "Pemberton", "F"),
    ("Harry", "McAllister", "M"),
    ("Sophie", "Blackwood", "F"),
    ("George", "Ashworth", "M"),
    ("Amelia", "Fairbairn", "F"),
]


def make_gb_person(rng: random.Random) -> Person:
    g, s, sex = rng.choice(GB_PEOPLE)
    return Person(g, s, "", K.make_nie(rng), sex)


@template("h6_id_tie_art50_es", "id_document", "es", tie50=True)
def h6_tie_art50(doc: Doc) -> list[Image.Image]:
    """TIE of a British citizen under the withdrawal agreement: "DOCUMENTO DE RESIDENCIA ARTÍCULO 50 TUE", the
    N.I.E. at the foot of the front, surnames then name then nationality GBR, the dates in a row; back: place of
    issue, the legal note, TD1 MRZ (IRESP, GBR)."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    front = K.card_base(doc.seed, (238, 230, 222))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "PERMISO DE RESIDENCIA / RESIDENCE PERMIT", font=_f(B, 44), fill=(70, 40, 40))
    d.text((60, 96), "DOCUMENTO DE RESIDENCIA ARTÍCULO 50 TUE", font=_f(B, 40), fill=(30, 40, 110))
    d.rectangle([60, 200, 500, 760], fill=(162, 156, 150))
    lab, val = _f(L, 28), _f(B, 50)
    y = 190
    for label, value in [
        ("APELLIDOS", p.surnames.upper()),
        ("NOMBRE", p.given.upper()),
        ("NACIONALIDAD", "GBR"),
        ("SEXO", "F" if p.female else "M"),
    ]:
        d.text((560, y), label, font=lab, fill=(90, 70, 70))
        d.text((560, y + 32), value, font=val, fill=(10, 10, 10))
        y += 118
    d.text((560, y), "FECHA DE EXPEDICIÓN", font=lab, fill=(90, 70, 70))
    d.text((560, y + 32), iss.strftime("%d.%m.%Y"), font=val, fill=(10, 10, 10))
    d.text((1140, y), "VÁLIDO HASTA", font=lab, fill=(90, 70, 70))
    d.text((1140, y + 32), exp.strftime("%d.%m.%Y"), font=val, fill=(10, 10, 10))
    d.text((60, 960), "N.I.E.", font=lab, fill=(90, 70, 70))
    d.text((60, 994), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 66), fill=(0, 0, 0))
    d.text((1200, 1000), "ACUERDO DE RETIRADA", font=_f(L, 34), fill=(60, 60, 60))
    back = K.card_base(doc.seed + 95, (232, 228, 222))
    d2 = ImageDraw.Draw(back)
    rr = _r(doc, 35)
    d2.text((60, 50), f"LUGAR DE EXPEDICIÓN  {doc.city.upper()}", font=_f(L, 38), fill=(20, 20, 20))
    d2.text((60, 110), f"FECHA DE NACIMIENTO  {birth.strftime('%d.%m.%Y')}", font=_f(L, 38), fill=(20, 20, 20))
    d2.text(
        (60, 170),
        f"LUGAR DE NACIMIENTO  {rr.choice(['LONDON', 'LEEDS', 'BRISTOL', 'GLASGOW'])}",
        font=_f(L, 38),
        fill=(20, 20, 20),
    )
    d2.text((60, 230), "OBSERVACIONES: BENEFICIARIO ART. 18.4 ACUERDO DE RETIRADA", font=_f(L, 34), fill=(20, 20, 20))
    mrz = H4._mrz_td1("IR", "ESP", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "GBR", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((64, 862 + i * 122), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    return [front, back]


EU6 = [  # (given, surname 1, surname 2, sex, passport state code, nationality as printed, country, adjective)
    ("Katharina", "Schneider", "", "F", "D<<", "DEUTSCH", "ALEMANIA", "alemana"),
    ("Jonas", "Hoffmann", "", "M", "D<<", "DEUTSCH", "ALEMANIA", "alemana"),
    ("João Pedro", "Ferreira", "Lopes", "M", "PRT", "PORTUGUESA", "PORTUGAL", "portuguesa"),
    ("Mariana", "Sousa", "Almeida", "F", "PRT", "PORTUGUESA", "PORTUGAL", "portuguesa"),
    ("Camille", "Lefèvre", "", "F", "FRA", "FRANÇAISE", "FRANCIA", "francesa"),
    ("Antoine", "Girard", "", "M", "FRA", "FRANÇAISE", "FRANCIA", "francesa"),
    ("Pieter", "Janssens", "", "M", "BEL", "BELGE", "BÉLGICA", "belga"),
    ("Agnieszka", "Wiśniewska", "", "F", "POL", "POLSKIE", "POLONIA", "polaca"),
]


AUTHORITY = {
    "D<<": "Stadt Köln",
    "PRT": "IRN Lisboa",
    "FRA": "Préfecture du Rhône",
    "BEL": "Gemeente Gent",
    "POL": "Wojewoda Mazowiecki",
}


def make_eu6_person(rng: random.Random) -> Person:
    g, s1, s2, sex, *_ = rng.choice(EU6)
    return Person(g, s1, s2, K.make_nie(rng), sex)


def _eu6(p: Person) -> tuple:
    return next((t for t in EU6 if (t[0], t[1]) == (p.given, p.s1)), EU6[0])


@template("h6_id_pasaporte_ue_nie", "id_document", "es", paper=True, passport=True)
def h6_pasaporte_ue_nie(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi): another EU country's passport data page (labels in its language and English, TD3
    MRZ, Germany's state code "D<<") and below it the Spanish "certificado de asignación de número de identidad
    de extranjero" with the NIE and its own date."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    nie_d = doc.other_dates["nie_cert"]
    rr = _r(doc, 40)
    _, _, _, _, state, nat, country, adjective = _eu6(p)
    number = f"{rr.choice('CFHKLMNP')}{rr.choice('0123456789CFGH')}{rr.randrange(10**6, 10**7)}"
    W, H = 2953, 2079
    page = Image.new("RGB", (W, H), (230, 234, 238))
    d = ImageDraw.Draw(page)
    for xx in range(0, W, 30):
        d.line([(xx, 0), (xx + 80, H)], fill=(220, 226, 232), width=2)
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    d.text((640, 50), f"PASSPORT · {country}", font=_f(B, 60), fill=(40, 40, 90))
    d.rectangle([70, 220, 590, 980], fill=(156, 158, 166))
    cells = [
        ((640, 200), "Type / Typ", "P"),
        ((900, 200), "Code", state.replace("<", "")),
        ((1500, 200), "Passport No.", number),
        ((640, 350), "1. Surname / Nom / Name", p.surnames.upper()),
        ((640, 500), "2. Given names / Prénoms / Vornamen", p.given.upper()),
        ((640, 650), "3. Nationality", nat),
        ((640, 800), "4. Date of birth", birth.strftime("%d.%m.%Y")),
        ((1700, 800), "5. Sex", "F" if p.female else "M"),
        ((640, 950), "6. Date of issue", iss.strftime("%d.%m.%Y")),
        ((640, 1100), "7. Date of expiry", exp.strftime("%d.%m.%Y")),
        ((1700, 950), "8. Authority", AUTHORITY[state]),
    ]
    for (x, y), label, value in cells:
        d.text((x, y), label, font=_f(L, 30), fill=(70, 70, 110))
        d.text((x, y + 38), value, font=_f(B, 54), fill=(10, 10, 10))
    mrz = H3.td3_mrz(state, number, state, birth, "F" if p.female else "M", exp, p)
    doc.extra["mrz_td3"] = mrz
    for i, ln in enumerate(mrz):
        d.text((80, 1700 + i * 140), ln, font=_f("LiberationMono-Regular.ttf", 76), fill=(0, 0, 0))
    sheet = Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)
    x0 = (sheet.width - W) // 2
    _paste_dark(sheet, page.point(lambda v: min(255, int(v * 1.04))), (x0, 360))
    cert = [
        ("pl", "MINISTERIO DEL INTERIOR · DIRECCIÓN GENERAL DE LA POLICÍA"),
        ("h", "CERTIFICADO DE ASIGNACIÓN DE NÚMERO DE IDENTIDAD DE EXTRANJERO", 1.0, "c"),
        (
            "p",
            f"Se certifica que a {p.full.upper()}, nacid{_o(p)} el {birth.strftime('%d/%m/%Y')}, de nacionalidad "
            f"{adjective}, con pasaporte n.º {number}, le ha sido asignado el número de identidad de "
            f"extranjero (N.I.E.) {p.nif}.",
        ),
        (
            "p",
            f"Este número no acredita la residencia legal en España. {doc.city}, {date_text(nie_d, 'es', 'long')}.",
        ),
    ]
    st = K.Style(font="DejaVuSerif.ttf", bold="DejaVuSerif-Bold.ttf", size=40, justify=True, margin_t=0)
    part = K.render_pages(cert, st, dpi=600)[0]
    top = 360 + H + 300
    _paste_dark(sheet, part.crop((0, 0, part.width, sheet.height - top)), (0, top))
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h6_poder_tabla_apoderado_es", ["clean", "photo", "rot270", "pdf_scan"], ["photo"]),
        ("h6_copia_autorizada_margen_es", ["photo", "tiff"], ["clean"]),
        ("h6_poder_quadre_apoderats_ca", ["photo", "jpeg200"], []),
        ("h6_acta_manifestaciones_es", ["clean", "pdf_scan"], ["pdf_scan"]),
        ("h6_renuncia_nomenament_ca", ["photo", "pdf_text", "skew"], ["clean"]),
        ("h6_certificado_junta_directiva_es", ["clean", "photo", "noisy"], []),
        ("h6_cert_cargos_vigentes_es", ["photo", "pdf_text", "rot90"], ["pdf_text"]),
        ("h6_nota_informativa_ca", ["clean", "photo", "lowcontrast"], []),
        ("h6_mandato_gestor_colegiado_es", ["clean", "dpi600", "pdf_scan"], ["photo"]),
        ("h6_encarrec_administrador_finques_ca", ["photo", "rot180"], ["clean"]),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h6_poder_tabla_apoderado_es", "grantor_claims", ["photo"], ["clean"]),
        ("h6_poder_tabla_apoderado_es", "lookalike_claims", ["pdf_scan"], []),
        ("h6_copia_autorizada_margen_es", "notary_claims", ["tiff"], []),
        ("h6_copia_autorizada_margen_es", "nif_off_claims", ["photo"], []),
        ("h6_poder_quadre_apoderats_ca", "grantor_claims", ["pdf_text"], []),
        ("h6_acta_manifestaciones_es", "outgoing_claims", ["pdf_scan", "photo"], ["clean"]),
        ("h6_renuncia_nomenament_ca", "outgoing_claims", ["tiff"], []),
        ("h6_certificado_junta_directiva_es", "secretary_claims", ["clean"], []),
        ("h6_certificado_junta_directiva_es", "president_claims", ["photo"], []),
        ("h6_certificado_junta_directiva_es", "outgoing_claims", ["clean"], []),
        ("h6_cert_cargos_vigentes_es", "outgoing_claims", ["tiff"], []),
        ("h6_cert_cargos_vigentes_es", "stale_certificate", ["pdf_scan", "photo"], ["clean"]),
        ("h6_nota_informativa_ca", "undated_certificate", ["clean"], []),
        ("h6_nota_informativa_ca", "stale_certificate", ["pdf_text"], []),
        ("h6_mandato_gestor_colegiado_es", "future_mandate", ["pdf_text", "photo"], ["clean"]),
        ("h6_mandato_gestor_colegiado_es", "grantor_claims", ["pdf_scan"], []),
        ("h6_mandato_gestor_colegiado_es", "witness_claims", ["photo"], []),
        ("h6_encarrec_administrador_finques_ca", "future_mandate", ["clean"], []),
        ("h6_encarrec_administrador_finques_ca", "nif_off_claims", ["clean"], []),
        ("h6_encarrec_administrador_finques_ca", "lookalike_claims", ["photo"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h6_poder_tabla_apoderado_es", "clean", "h6_id_dni40_gl_copia", "clean", False),
        ("h6_mandato_gestor_colegiado_es", "photo", "h6_id_tie_art50_es", "photo", False),
        ("h6_renuncia_nomenament_ca", "clean", "h6_id_pasaporte_ue_nie", "clean", False),
        ("h6_acta_manifestaciones_es", "clean", "h6_id_dni40_gl_copia", "rot90", True),
        ("h6_copia_autorizada_margen_es", "pdf_text", "h6_id_tie_art50_es", "skew", True),
        ("h6_cert_cargos_vigentes_es", "clean", "h6_id_pasaporte_ue_nie", "photo", False),
        ("h6_encarrec_administrador_finques_ca", "clean", "h6_id_tie_art50_es", "pdf_scan", False),
        ("h6_poder_quadre_apoderats_ca", "clean", "h6_id_pasaporte_ue_nie", "lowcontrast", True),
    ],
    "small_sets": 2,
}

ENTITIES = [  # (name, CIF letter): associations (G) and cooperatives (F)
    ("Asociación de Vecinos {b}", "G"),
    ("Asociación Cultural y Deportiva {b}", "G"),
    ("Club Náutico {b}", "G"),
    ("Cooperativa Agrícola {b} S. Coop.", "F"),
    ("Cooperativa Vitivinícola {b} S. Coop.", "F"),
]


def _id_dates(doc: Doc, rng: random.Random, upload: dt.date, expired: bool, t: dict):
    """Issue / expiry / birth dates as the issuing authority sets them."""

    def day(y: int, m: int) -> dt.date:
        return dt.date(y, m, rng.randrange(1, 29))

    if t.get("dni40"):  # since 2021-03; five years under 30, ten years from 30
        if expired:
            iss = day(2021, rng.randrange(4, 11))
            exp = iss.replace(year=iss.year + 5)
            birth = day(iss.year - rng.randrange(19, 29), rng.randrange(1, 13))
        else:
            iss = upload - dt.timedelta(days=rng.randrange(60, (upload - dt.date(2021, 4, 1)).days))
            iss = iss.replace(day=min(iss.day, 28))
            exp = iss.replace(year=iss.year + 10)
            birth = day(iss.year - rng.randrange(30, 66), rng.randrange(1, 13))
    elif t.get("tie50"):  # issued from July 2020: five years (temporary) or ten (permanent)
        if expired:
            iss = day(2020, rng.randrange(7, 13)) if rng.random() < 0.5 else day(2021, rng.randrange(1, 7))
            exp = iss.replace(year=iss.year + 5)
        else:
            iss = upload - dt.timedelta(days=rng.randrange(90, 1900))
            iss = iss.replace(day=min(iss.day, 28))
            exp = iss.replace(year=iss.year + 10)
        birth = day(rng.randrange(1945, 1990), rng.randrange(1, 13))
    else:  # passport: ten years; the NIE certificate some time before the upload
        span = rng.randrange(3700, 4400) if expired else rng.randrange(100, 3400)
        iss = upload - dt.timedelta(days=span)
        iss = iss.replace(day=min(iss.day, 28))
        exp = iss.replace(year=iss.year + 10) - dt.timedelta(days=1)
        birth = day(rng.randrange(1955, 1995), rng.randrange(1, 13))
        first, last = iss + dt.timedelta(days=10), min(exp, upload - dt.timedelta(days=20))
        doc.other_dates["nie_cert"] = first + dt.timedelta(days=rng.randrange(0, max(1, (last - first).days)))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _holder(idname: str):
    """The maker of an ID card's holder (see corpus2.plan_part)."""
    t = TEMPLATES[idname]
    if t.get("tie50"):
        return make_gb_person
    if t.get("passport"):
        return make_eu6_person
    return K.make_person


def _add(doc: Doc, rng: random.Random, key: str, role: str):
    K.add_person(doc, key, role, K.make_person(rng, doc.lang))


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
    if t["doc_type"] == "id_document":
        doc = K.part_doc(rng, name, upload, variant, case, expired, person or _holder(name)(rng), cover_p)
        _id_dates(doc, rng, upload, expired, t)
        return doc
    doc = K.part_doc(rng, name, upload, variant, case, expired, person, cover_p)
    K.drop_people(doc, "revoked", "secretary")  # no template of this part prints them (the board's secretary: below)
    if name == "h6_copia_autorizada_margen_es":
        doc.csv = doc.csv or K.make_csv(rng)  # an authorised copy always carries its CSV
    if t.get("community"):
        cname, ccif, city = K.make_community(rng, doc.lang)
        doc.company, doc.city = (cname, ccif), city
    if t.get("attorney2"):
        _add(doc, rng, "attorney2", "appointed")
    if t.get("entity"):
        form, letter = rng.choice(ENTITIES)
        doc.company = (form.format(b=rng.choice(K.COMPANY_B)), K.make_cif(rng, letter))
        doc.protocol, doc.csv, doc.notary = None, None, None
        doc.date = upload - dt.timedelta(days=rng.randrange(5, 200))
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(1, 20))
    if doc.doc_type == "registry_certificate":  # the sheet's letters are those of the registry's province
        doc.extra["hoja"] = f"{H5.HOJA.get(H4._rm(doc), 'M')}-{doc.extra['hoja'].split('-')[1]}"
    if t.get("board"):
        _add(doc, rng, "secretary", "other")
        _add(doc, rng, "president", "other")
    if case == "stale_certificate" and (name == "h6_nota_informativa_ca" or variant == "photo"):
        doc.date = upload - dt.timedelta(days=rng.randrange(95, 200))  # only just older than the 90 days allowed
    if case == "future_mandate":  # signed after the upload: must not be clear
        doc.date = upload + dt.timedelta(days=rng.randrange(3, 45))
        doc.other_dates["until"] = doc.date + dt.timedelta(days=365 * rng.choice([1, 2]))
    if case == "witness_claims":
        doc.people.setdefault("witness", K.make_person(rng, doc.lang))
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if case == "lookalike_claims":  # the claimed person: like the appointed one, NOT on the page
        a = doc.people["appointed"]
        claimed = H3.lookalike(a, rng, doc.lang)
        while claimed.full in {p.full for p in doc.people.values()}:
            claimed = H3.lookalike(a, rng, doc.lang)
        doc.extra["claimed"] = claimed
    return doc


def _entry(doc: Doc, part: str, variant: str, case: str, set_id: str | None, rng: random.Random) -> dict:
    return K.holdout_entry(doc, part, variant, case, set_id, rng)


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout6 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, entry=_entry, upload_step=5, holder=_holder)
