"""SEVENTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the six other holdouts, without looking at the engine or at any of its
results: the documents copy the wording and the layout of real notarial deeds, gazette pages, registry
certificates, energy retailers' forms, private letters and identity documents.  Never tune the engine on these
templates, nor look at which of them it misses; the part is meant to be measured once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout7 [--profile small|full]

Templates (Spanish and Catalan):
  * powers: a "poder general para pleitos y administración" granted by the company through its managing director
    ("consejero delegado") to TWO attorneys acting severally, one of them a company (CIF) acting through its
    sole administrator, the other the claimed natural person ("mayor de edad, vecino de ..., con domicilio en
    ..., provisto de D.N.I. número ..."), their order varying; the company name repeated in the running header,
    page numbers "1/2", the rest of the powers and the signatures on page 2; a Catalan "escriptura d'atorgament
    de poders" (COMPAREIXENÇA / ATORGA) whose attorney is named only in a paragraph AFTER the list of
    "facultats" numbered with roman numerals; a "traslado a papel de copia autorizada electrónica" of a special
    power: a ruled box of the deed's data at the top (notary, protocol, date of authorisation, grantor, attorney
    without identifier), the attorney's DNI only in the text below, the electronic-signature legend printed
    vertically in the right margin;
  * deeds: an "escritura de elevación a público de acuerdos sociales" of a limited company with a board: the
    NON-DIRECTOR secretary appears and raises to public his certificate (with the chairman's visto bueno, the
    chairman named with his DNI); one director ceases, one is re-elected, two are appointed and the board names
    one of them managing director (the claimed one); the composition of the board and the signatures on page 2;
    a Catalan "escriptura de cessament d'administrador únic i nomenament d'administradors solidaris": the sole
    partner appears, the ceased and the appointed administrators side by side in two columns; a private
    "carta de dimisión" addressed to the company by the outgoing sole administrator, with the "RECIBÍ" of the new
    administrator appointed the same day by the universal general meeting (no notary, no protocol);
  * registry: a BORME page ("BOLETÍN OFICIAL DEL REGISTRO MERCANTIL", number and date of the issue under the
    title, SECCIÓN PRIMERA, the province, sixteen numbered entries of several companies in two justified columns,
    ours somewhere in the middle: "Ceses/Dimisiones. Adm. Unico: ... Nombramientos. Adm. Unico: ..."; no identifiers,
    surname-first names).  Its doc_type is ``registry_certificate``: the date that counts is the gazette's date
    of publication, in the heading, as a registry certificate's issue date (``absent``: person_nif,
    company_cif; the stale one was published years before the upload); a Registro Mercantil "certificación
    literal" of the administrative body: numbered inscriptions in an unruled two-column grid, each with its own
    date, and the issue date ONLY in the closing formula, in words ("a veinticinco de noviembre de dos mil
    veintiséis"); an undated one closes without any date;
  * mandates: an energy retailer's one-page "autorización de representación ante la comercializadora" with
    ruled boxes (DATOS DEL CLIENTE / DATOS DEL REPRESENTANTE AUTORIZADO / ALCANCE DE LA AUTORIZACIÓN), the
    mandatary an energy-management company (CIF) with its contact person (the claimed one), the signature date
    as "En Valencia, a 3 de noviembre de 2026", the client's seal over the signatures; a Catalan mandate of a
    community of owners (CIF H) signed by its president, with the secretary-administrator's certificate of the
    owners' resolution (another, earlier date) boxed below it;
  * ID documents: a DNI 3.0 (2015 layout: the DNI number at the TOP LEFT under the title, the photo on the right,
    APELLIDOS on two lines / NOMBRE / SEXO / NACIONALIDAD / FECHA DE NACIMIENTO / IDESP / VÁLIDO HASTA; back:
    birthplace, parents, address and the TD1 MRZ; no issue date printed); the green A4 "Certificado de registro
    de ciudadano de la Unión" (NIE, no photo, no MRZ, no expiry, the issue date only as "Fecha:" at the foot);
    an A4 photocopy of a Portuguese "Cartão de Cidadão" (labels in Portuguese and English, TD1 MRZ "I<PRT", no
    issue date printed) above the copy of the holder's card-sized green certificate with the NIE and its own date.

Case kinds are those of holdout6 (true claim; outgoing, grantor, secretary, president, witness and notary
claims; lookalike and nif_off claims; stale and undated certificates; expired ID in sets; ``future_mandate``).
One stale certification was issued only 92-140 days before the upload, the stale BORME years before.  Who is who:
  * the lawsuits power: the consejero delegado who grants is "grantor"; the attorney company's administrator,
    who will act for it, is "other" (the attorney is his company);
  * the board deed: the appointed, the re-elected and the second new director are "appointed" (the claim is the
    managing director's); the ceased director "outgoing"; the non-director secretary and the chairman "other";
  * the Catalan deed: both joint-and-several administrators are "appointed"; the sole partner is "other";
  * the resignation letter: the sender is "outgoing", the new administrator who signs the RECIBÍ "appointed";
  * the community mandate: the president is "grantor", the secretary-administrator "other";
  * the DNI 3.0 and the Portuguese card print no issue date (``expect.issue_date`` None); the green certificate
    has ``expect.date`` / ``expect.expiry`` None and its issue date; on the Portuguese copy ``expect.expiry`` is
    the card's "Data de validade", the certificate's date is another date on the page.
People are drawn partly from this part's own pools (particles "de la", "del", "de los", Catalan "i", hyphenated
surnames, accents, ñ, ç, l·l).
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
    from tests.ocr import corpus_holdout6 as H6
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore
    import corpus_holdout4 as H4  # type: ignore
    import corpus_holdout5 as H5  # type: ignore
    import corpus_holdout6 as H6  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text = K.fmt_nif, K.fmt_cif, K.date_text
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout7"
_style, _cap, _dd, _ca, _nt, _role, _rm = H4._style, H4._cap, H4._dd, H4._ca, H4._nt, H4._role, H4._rm
_f, _paste_dark = H4._f, H5._paste_dark
WEEKDAYS = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"]


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 29 + salt)


def _o(p: Person) -> str:  # gender ending
    return "a" if p.female else "o"


def _adm_ca(p: Person) -> str:
    return "administradora" if p.female else "administrador"


def _al_ca(p: Person) -> str:  # "al senyor ..." / "a la senyora ..."
    return ("a la senyora " if p.female else "al senyor ") + p.full


def _num(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


# =========================================================================== this part's people

GIVEN7_ES = [
    ("Íñigo", "M"),
    ("Begoña", "F"),
    ("María de los Ángeles", "F"),
    ("José Ignacio", "M"),
    ("Nuria", "F"),
    ("Agustín", "M"),
    ("Maite", "F"),
    ("Ángel", "M"),
    ("Covadonga", "F"),
    ("Jesús María", "M"),
    ("Ainhoa", "F"),
    ("Borja", "M"),
]
SURN7_ES = [
    "Peñalver",
    "Cañizares",
    "Ordóñez",
    "de la Cruz",
    "del Valle",
    "de los Ríos",
    "Martín-Artajo",
    "López-Ibor",
    "Sánchez-Camacho",
    "Díaz-Pache",
    "Íñiguez",
    "Zubizarreta",
    "Echeverría",
    "Garcés",
    "Muñoz",
    "Castaño",
]
GIVEN7_CA = [
    ("Llorenç", "M"),
    ("Marcel·lí", "M"),
    ("Marcel·la", "F"),
    ("Narcís", "M"),
    ("Ferran", "M"),
    ("Conxita", "F"),
    ("Francesc", "M"),
    ("Mercè", "F"),
    ("Jaume", "M"),
    ("Assumpció", "F"),
    ("Lluïsa", "F"),
    ("Pere", "M"),
]
SURN7_CA = [
    "Puigcerver",
    "Vidal-Quadras",
    "Sunyer",
    "Casademunt",
    "Gual",
    "Serrallonga",
    "Farràs",
    "Rossell",
    "Aragonès",
    "Cardús",
    "Miralles",
    "Torrents",
    "Vallès",
    "Bellmunt",
    "Planas",
    "Farré",
]


def make_person7(rng: random.Random, lang: str = "es", nie: bool = False, dot_ok: bool = True) -> Person:
    """A person of this part's pools (or corpus2's, half the time); ``dot_ok`` False: no "l·l" in the name."""
    if nie or rng.random() < 0.4:
        return K.make_person(rng, lang, nie=nie)
    if lang == "ca" and rng.random() < 0.75:
        given, sex = rng.choice(GIVEN7_CA if dot_ok else [g for g in GIVEN7_CA if "·" not in g[0]])
        s1, s2 = rng.sample(SURN7_CA + K.SURN_CA[:8], 2)
        return Person(given, s1, s2, K.make_dni(rng), sex, catalan_i=rng.random() < 0.6)
    given, sex = rng.choice(GIVEN7_ES)
    s1, s2 = rng.sample(SURN7_ES + K.SURN_ES[:10], 2)
    return Person(given, s1, s2, K.make_dni(rng), sex)


# =========================================================================== extra block kinds
#   ("box", title, [(label, value)])   ruled form box: a grey title band, then label | value rows
#   ("rmargin", text)                  a line printed vertically (top to bottom) in the right margin
# plus holdout4's, holdout5's and holdout6's kinds (cols, grid, logo, scrawl, seal, qr, sc, foot, timbre, checks,
# dsig, vmargin).


def _lay_box(b, st, x0, width, k):
    title, rows = b[1], b[2]
    ft = K._font(st.bold, int(st.size * k * 0.85))
    fl = K._font(st.font, int(st.size * k * 0.74))
    fv = K._font(st.bold, int(st.size * k * 0.9))
    pad = int(14 * k)
    labw = int(width * 0.3)
    th = int(ft.size * 1.7)
    out = []

    def title_at(y):
        return [
            ("draw", _draw_band, x0, y, x0 + width, y + th),
            ("hline", x0, y, x0 + width),
            ("vline", x0, y, y + th),
            ("vline", x0 + width, y, y + th),
            ("text", x0 + pad, y + int(ft.size * 0.32), title, ft, False, 0),
        ]

    out.append((th, title_at))
    for i, (lab, val) in enumerate(rows):
        vl = K._wrap(str(val), fv, width - labw - 2 * pad)
        ll = K._wrap(lab, fl, labw - 2 * pad)
        lhv, lhl = int(fv.size * 1.3), int(fl.size * 1.3)
        rh = max(len(vl) * lhv, len(ll) * lhl) + 2 * pad

        last = i == len(rows) - 1

        def at(y, vl=vl, ll=ll, lhv=lhv, lhl=lhl, rh=rh, last=last):
            ops = [
                ("hline", x0, y, x0 + width),
                ("vline", x0, y, y + rh),
                ("vline", x0 + labw, y, y + rh),
                ("vline", x0 + width, y, y + rh),
            ]
            ops += [("text", x0 + pad, y + pad + j * lhl, ln, fl, False, 0, 70) for j, ln in enumerate(ll)]
            ops += [("text", x0 + labw + pad, y + pad + j * lhv, ln, fv, False, 0) for j, ln in enumerate(vl)]
            if last:
                ops.append(("hline", x0, y + rh, x0 + width))
            return ops

        out.append((rh, at))
    out.append((int(st.size * k * 0.8), lambda y: []))
    return out


def _draw_band(im, d, op, k):
    _, _, x0, y0, x1, y1 = op
    d.rectangle([x0, y0, x1, y1], fill=222)


def _lay_rmargin(b, st, x0, width, k):
    f = K._font(st.font, int(st.size * k * 0.62))

    def at(y):
        return [("draw", _draw_rmargin, y, b[1], f)]

    return [(0, at)]


def _draw_rmargin(im, d, op, k):
    _, _, y, text, f = op
    t = Image.new("L", (int(f.getlength(text)) + 12, int(f.size * 1.4)), 255)
    ImageDraw.Draw(t).text((6, int(f.size * 0.15)), text, font=f, fill=60)
    t = t.rotate(-90, expand=True, fillcolor=255)
    x, yy = im.width - int(120 * k) - t.width, min(y, im.height - t.height - int(40 * k))
    region = np.asarray(im.crop((x, yy, x + t.width, yy + t.height)))
    im.paste(Image.fromarray(np.minimum(region, np.asarray(t))), (x, yy))


EXT = {
    **H6.EXT,
    "box": {
        "kind": "box",
        "layout": H4._ext(_lay_box),
        "text": H4._ext(lambda b: [("bold", b[1])] + [("body", f"{lab}: {val}") for lab, val in b[2]]),
    },
    "rmargin": {"kind": "rmargin", "layout": H4._ext(_lay_rmargin), "text": H4._ext(lambda b: [("body", b[1])])},
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


def _two_pages(doc: Doc, first: list[tuple], second: list[tuple]) -> list[tuple]:
    """The facts page, then a second page; a covered document gets corpus2's filler page first (a template with a
    page break of its own gets none from corpus2)."""
    return (K.FILLER_COVER[doc.lang] if doc.cover else []) + first + [("pb",)] + second


def _street(rr: random.Random, lang: str = "es") -> str:
    return f"{rr.choice(K.STREETS_CA if lang == 'ca' else K.STREETS_ES)}, {rr.randrange(1, 180)}"


# =========================================================================== powers of attorney


@template("h7_poder_pleitos_administracion_es", "power_of_attorney", "es", attorney_pj=True)
def h7_poder_pleitos_admin(doc: Doc) -> list[tuple]:
    """General power for lawsuits and administration granted through the managing director to two attorneys
    acting severally: a company (CIF) acting through its sole administrator and the claimed natural person;
    company name in the running header, "1/2" page numbers, the rest of the powers on page 2."""
    a, g, rep = doc.people["appointed"], doc.people["grantor"], doc.people["pj_rep"]
    comp, cif = doc.company
    pj, pjcif = doc.extra["attorney_pj"]
    n = doc.notary
    rr = _r(doc, 1)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 41, justify=True, leading=1.42)
    doc.style.header = f"{comp.upper()} · PODER GENERAL"
    doc.style.footer = "{page}/{pages}"
    cd = "Consejera Delegada" if g.female else "Consejero Delegado"
    city2 = rr.choice(K.CITIES)
    person = (
        f"{_cap(_dd(a))}, mayor de edad, {rr.choice(['casad', 'solter', 'divorciad'])}{_o(a)}, "
        f"vecin{_o(a)} de {city2}, con domicilio en {_street(rr)}, provist{_o(a)} de D.N.I. número "
        f"{fmt_nif(a.nif, doc.fmt)}."
    )
    company = (
        f"La mercantil {pj.upper()}, domiciliada en {_street(rr)}, {rr.choice(K.CITIES)}, con C.I.F. "
        f"{fmt_cif(pjcif, doc.fmt + 1)}, que actuará por medio de su administrador{'a' if rep.female else ''} "
        f"únic{_o(rep)}, {_dd(rep)}, con D.N.I. {fmt_nif(rep.nif, doc.fmt + 2)}, o de quien en cada momento "
        f"ostente dicho cargo."
    )
    attorneys = [("a) " + person), ("b) " + company)] if doc.v % 2 == 0 else [("a) " + company), ("b) " + person)]
    first: list[tuple] = [
        ("r", f"Protocolo número {proto_printed(doc.protocol)}"),
        ("h", "ESCRITURA DE PODER GENERAL PARA PLEITOS Y ADMINISTRACIÓN", 1.12, "c"),
        (
            "p",
            f"En {doc.city}, mi residencia, a {date_text(doc.date, 'es', ['words', 'long', 'long', 'words'][doc.v])}.",
        ),
        (
            "p",
            f"Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio Notarial de {K.COLEGIO[doc.city]}, comparece "
            f"{_dd(g)}, mayor de edad, vecin{_o(g)} de {doc.city}, con D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, quien "
            f"interviene en nombre y representación, como {cd}, de la mercantil {comp.upper()}, con C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, inscrita en el Registro Mercantil de {_rm(doc)}, cargo vigente según me "
            f"asegura. Tiene, a mi juicio, según interviene, capacidad legal para otorgar esta escritura de poder, "
            f"y al efecto",
        ),
        ("h", "DICE Y OTORGA", 0.95, "c"),
        (
            "p",
            "Que la sociedad a la que representa confiere poder general, tan amplio y bastante como en Derecho se "
            "requiera y sea necesario, a favor de:",
        ),
        ("pl", attorneys[0]),
        ("pl", attorneys[1]),
        (
            "p",
            "para que cualquiera de ellos, solidaria e indistintamente, en nombre y representación de la sociedad "
            "poderdante, ejercite las siguientes facultades:",
        ),
        (
            "p",
            "PRIMERA.- Administrar, regir y gobernar los bienes de la sociedad; contratar, modificar y dar de baja "
            "suministros de agua, electricidad, gas y telecomunicaciones; firmar contratos de acceso a las redes.",
        ),
        (
            "p",
            "SEGUNDA.- Comparecer ante toda clase de Juzgados y Tribunales, de cualquier jurisdicción, grado e "
            "instancia, y conferir poderes a favor de Procuradores de los Tribunales y Abogados, con las "
            "facultades generales para pleitos y las especiales que procedan.",
        ),
        (
            "p",
            "TERCERA.- Representar a la sociedad ante la Administración del Estado, las Comunidades Autónomas, "
            "los Ayuntamientos y cualesquiera organismos públicos, presentando escritos y recibiendo "
            "notificaciones.",
        ),
    ]
    second: list[tuple] = [
        (
            "p",
            "CUARTA.- Abrir, disponer y cancelar cuentas corrientes y de crédito hasta un importe de "
            f"{rr.choice(['treinta', 'cincuenta', 'sesenta'])} mil euros por operación.",
        ),
        ("p", K.FILLER_DEED_ES),
        (
            "p",
            "Así lo dice y otorga el compareciente, a quien leo esta escritura por su elección; la aprueba y firma "
            "conmigo. De todo lo consignado en este instrumento público, extendido en dos folios, yo, el Notario, "
            "doy fe.",
        ),
        ("scrawl", [g.full, f"{_nt(n)}: {n.full}"], doc.seed + 1),
    ]
    if doc.csv:
        second.append(("mono", f"CSV: {doc.csv}"))
    return _two_pages(doc, first, second)


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@template("h7_atorgament_poders_ca", "power_of_attorney", "ca")
def h7_atorgament_poders(doc: Doc) -> list[tuple]:
    """Catalan "escriptura d'atorgament de poders": COMPAREIXENÇA, ATORGA, the "facultats" numbered with roman
    numerals, and only then the paragraph naming the attorney (major d'edat, veí de, DNI)."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 2)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 36, justify=True, leading=1.5, indent=70)
    cargo = rr.choice(["administrador solidari", "administrador únic"])
    if g.female:
        cargo = (
            cargo.replace("administrador", "administradora").replace("solidari", "solidària").replace("únic", "única")
        )
    fac = [
        "Contractar, modificar, renovar i resoldre els subministraments d'electricitat, gas i aigua de la societat.",
        "Comparèixer davant les empreses comercialitzadores i distribuïdores i davant els organismes de consum.",
        "Sol·licitar canvis de titular, de potència i de tarifa d'accés, i acceptar pressupostos d'escomesa.",
        "Signar els contractes d'accés a la xarxa i els certificats d'instal·lació que calguin.",
        "Designar comptes bancaris per a la domiciliació de rebuts i reclamar la facturació.",
        "Rebre notificacions i requeriments i contestar-los.",
        "Signar tots els documents públics o privats necessaris per a l'exercici de les facultats anteriors.",
    ]
    b: list[tuple] = [
        ("pl", f"NÚM. {proto_printed(doc.protocol)}"),
        ("h", "ESCRIPTURA D'ATORGAMENT DE PODERS", 1.2, "c"),
        ("pl", f"atorgada per {comp}"),
        (
            "p",
            f"A {doc.city}, el {date_text(doc.date, 'ca', ['long', 'words', 'long', 'num'][doc.v])}. Davant meu, "
            f"{n.full}, {_nt(n, 'ca').lower()} de {doc.city}, del Col·legi Notarial de Catalunya,",
        ),
        ("h", "COMPAREIXENÇA", 1.0, "l"),
        (
            "p",
            f"Compareix {_ca(g)}, major d'edat, amb domicili professional a {_street(rr, 'ca')}, {doc.city}, i DNI "
            f"{fmt_nif(g.nif, doc.fmt + 1)}. Intervé en nom i representació de la societat {comp.upper()}, amb NIF "
            f"{fmt_cif(cif, doc.fmt)}, en la seva condició de {cargo}, càrrec que em consta vigent. Té, al meu "
            f"judici, la capacitat legal necessària per comparèixer i per atorgar aquesta escriptura, i",
        ),
        ("h", "ATORGA", 1.0, "l"),
        (
            "p",
            "Que la societat que representa confereix poder a favor de la persona que més avall s'indica, perquè "
            "en nom i representació d'aquesta pugui exercir les facultats següents:",
        ),
    ]
    b += [("pl", f"{ROMAN[i]}. {t}") for i, t in enumerate(fac)]
    b += [
        (
            "p",
            f"La persona apoderada és {_ca(a)}, major d'edat, {'veïna' if a.female else 'veí'} de "
            f"{rr.choice(K.CITIES_CA)}, amb domicili a {_street(rr, 'ca')} i DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, "
            f"que podrà exercir les facultats anteriors per si sol{'a' if a.female else ''}.",
        ),
        (
            "p",
            "Així ho diu i atorga. Llegida aquesta escriptura per la persona compareixent, la signa amb mi. De tot "
            "el que s'ha consignat, jo, el notari, dono fe.",
        ),
        ("sig", [g.full, f"{_nt(n, 'ca')} {n.full}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació (CSV): {doc.csv}"))
    return b


@template("h7_poder_copia_electronica_es", "power_of_attorney", "es")
def h7_poder_copia_electronica(doc: Doc) -> list[tuple]:
    """A "traslado a papel de copia autorizada electrónica" of a special power: a ruled box of the deed's data
    (notary, protocol, date of authorisation, grantor, attorney with no identifier), the text below with the
    attorney's DNI, the electronic-signature legend vertical in the right margin."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 3)
    _style(
        doc, "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", 40, justify=True, margin_r=330, leading=1.4
    )
    cargo = "administradora única" if g.female else "administrador único"
    box = [
        ("Notario autorizante", f"{n.full} ({doc.city})"),
        ("Número de protocolo", proto_printed(doc.protocol)),
        ("Fecha de autorización", _num(doc.date)),
        ("Clase de acto", "PODER ESPECIAL"),
        ("Otorgante", f"{comp.upper()} (C.I.F. {fmt_cif(cif, doc.fmt)})"),
        ("Apoderado", a.full.upper()),
    ]
    b: list[tuple] = [
        (
            "rmargin",
            f"Copia electrónica firmada por {n.full} · traslado a papel art. 224 RN"
            + (f" · {doc.csv}" if doc.csv else ""),
        ),
        ("h", "TRASLADO A PAPEL DE COPIA AUTORIZADA ELECTRÓNICA", 1.05, "c"),
        ("box", "DATOS DEL DOCUMENTO", box),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'words', 'long', 'long'][doc.v])}. Ante mí, "
            f"{n.full}, {_nt(n)} de esta ciudad, comparece {_dd(g)}, con D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, en su "
            f"condición de {cargo} de {comp.rstrip('.')}.",
        ),
        (
            "p",
            f"Y OTORGA: que confiere poder especial a favor de {_dd(a)}, mayor de edad, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt + 2)}, para que, en nombre de la sociedad, contrate, modifique y rescinda "
            f"suministros de energía eléctrica y gas natural, solicite cambios de potencia y de comercializadora, "
            f"y firme los documentos necesarios para ello.",
        ),
        ("p", K.FILLER_DEED_ES),
        (
            "p",
            f"DILIGENCIA DE TRASLADO.- Yo, {n.full}, hago constar que el presente traslado a papel concuerda con la "
            f"copia autorizada electrónica expedida con la misma fecha, que consta de {rr.choice(['tres', 'cuatro'])} "
            f"folios. Doy fe.",
        ),
        ("seal", ["NOTARÍA", n.full.upper()[:26], doc.city.upper()], 1, 0.78),
        ("sig", [f"{_nt(n)}: {n.full}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Código Seguro de Verificación {doc.csv}"))
    return b


# =========================================================================== deeds


def _cons(p: Person) -> str:
    return "consejera" if p.female else "consejero"


@template("h7_elevacion_acuerdos_consejo_es", "deed", "es", board7=True)
def h7_elevacion_consejo(doc: Doc) -> list[tuple]:
    """Elevation of corporate resolutions by the NON-DIRECTOR secretary: one director ceases, one is re-elected,
    two are appointed and the board names one of them managing director; the chairman's visto bueno with his
    DNI; the board's composition and the signatures on page 2."""
    a, o, co, re_, sec, pres = (
        doc.people[k] for k in ("appointed", "outgoing", "coadmin", "reelected", "secretary", "president")
    )
    comp, cif = doc.company
    n = doc.notary
    meet = doc.other_dates["meeting"]
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 39, justify=False, leading=1.45)
    doc.style.footer = f"{_nt(n)} {n.full} — Protocolo {proto_printed(doc.protocol)} — hoja {{page}}"
    sec_t = "Secretaria no consejera" if sec.female else "Secretario no consejero"
    new = [a, co] if doc.v % 2 else [co, a]
    first: list[tuple] = [
        ("h", f"NÚMERO {proto_printed(doc.protocol)}.-", 1.0, "l"),
        ("h", "ESCRITURA DE ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES", 1.1, "l"),
        ("pl", f"otorgada por {comp.upper()}"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'long', 'words', 'num'][doc.v])}. Ante mí, "
            f"{n.full}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, comparece {_dd(sec)}, mayor de edad, "
            f"con D.N.I. {fmt_nif(sec.nif, doc.fmt + 1)}, en su condición de {sec_t} del Consejo de Administración "
            f"de {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)}. Me entrega una certificación expedida por "
            f"{'ella' if sec.female else 'él'} con el visto bueno {'de la Presidenta' if pres.female else 'del Presidente'}, "
            f"{_dd(pres)}, con D.N.I. {fmt_nif(pres.nif, doc.fmt + 2)}, que dejo incorporada, de la que resulta "
            f"que la Junta General Ordinaria de socios y el Consejo, reunidos el "
            f"{date_text(meet, 'es', 'long')}, acordaron:",
        ),
        (
            "pl",
            f"1.º Cese.- Cesar a {_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt)}, en su cargo de {_cons(o)}, por "
            f"caducidad, agradeciéndole los servicios prestados.",
        ),
        (
            "pl",
            f"2.º Reelección.- Reelegir {_cons(re_)}, por el plazo estatutario de seis años, a {_dd(re_)}, con "
            f"D.N.I. {fmt_nif(re_.nif, doc.fmt + 1)}.",
        ),
        (
            "pl",
            f"3.º Nombramientos.- Nombrar consejeros, por seis años, a {_dd(new[0])}, con D.N.I./N.I.E. "
            f"{fmt_nif(new[0].nif, doc.fmt)}, y a {_dd(new[1])}, con D.N.I./N.I.E. {fmt_nif(new[1].nif, doc.fmt)}.",
        ),
        (
            "pl",
            f"4.º Consejo de Administración.- Designar {'Consejera Delegada' if a.female else 'Consejero Delegado'} a "
            f"{_dd(a)}, delegando en {'ella' if a.female else 'él'} todas las facultades del Consejo salvo las "
            f"legalmente indelegables.",
        ),
        (
            "p",
            "Los nombrados, presentes en la reunión, aceptaron sus cargos y manifestaron no hallarse incursos en "
            "causa alguna de incompatibilidad.",
        ),
        ("h", "Composición del Consejo de Administración tras los acuerdos", 0.95, "l"),
        (
            "grid",
            [0.5, 0.5],
            [
                ["Cargo", "Nombre"],
                [f"President{'a' if pres.female else 'e'}", pres.full],
                [f"{'Consejera Delegada' if a.female else 'Consejero Delegado'}", a.full],
                [_cap(_cons(re_)), re_.full],
                [_cap(_cons(co)), co.full],
                [sec_t, sec.full],
            ],
            True,
        ),
        (
            "p",
            "OTORGAMIENTO.- El compareciente eleva a público los acuerdos transcritos y solicita su inscripción en "
            "el Registro Mercantil.",
        ),
    ]
    second: list[tuple] = [
        ("p", K.FILLER_DEED_ES),
        (
            "p",
            "Leída esta escritura al compareciente, que renuncia a su derecho a leerla por sí, la aprueba y firma "
            "conmigo. De que el consentimiento ha sido libremente prestado y de todo lo demás consignado en este "
            "instrumento público, yo, el Notario, doy fe.",
        ),
        ("sig", [sec.full, f"{_nt(n)} {n.full}"]),
    ]
    if doc.csv:
        second.append(("mono", f"CSV {doc.csv}"))
    return _two_pages(doc, first, second)


@template("h7_nomenament_solidaris_ca", "deed", "ca", coadmin=True, partner=True)
def h7_nomenament_solidaris(doc: Doc) -> list[tuple]:
    """Catalan deed: the sole partner dismisses the sole administrator and appoints two joint-and-several
    administrators; the ceased and the appointed side by side in two columns; both new ones accept."""
    a, o, co, sp = (doc.people[k] for k in ("appointed", "outgoing", "coadmin", "partner"))
    comp, cif = doc.company
    n = doc.notary
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 37, justify=True, leading=1.45)
    doc.style.header = f"{_nt(n, 'ca')} {n.full} · {doc.city}"
    new = [a, co] if doc.v < 2 else [co, a]

    soci = "sòcia única" if sp.female else "soci únic"
    grid = [
        ["CESSA", "SÓN NOMENATS ADMINISTRADORS SOLIDARIS"],
        [
            f"{o.full}, DNI {fmt_nif(o.nif, doc.fmt)}",
            f"{new[0].full}, DNI/NIE {fmt_nif(new[0].nif, doc.fmt + 1)}",
        ],
        [
            f"({_adm_ca(o)} únic{'a' if o.female else ''})",
            f"{new[1].full}, DNI/NIE {fmt_nif(new[1].nif, doc.fmt + 1)}",
        ],
    ]
    b: list[tuple] = [
        ("pl", f"Protocol número {proto_printed(doc.protocol)}"),
        ("h", "ESCRIPTURA DE CESSAMENT D'ADMINISTRADOR ÚNIC I NOMENAMENT D'ADMINISTRADORS SOLIDARIS", 1.05, "c"),
        (
            "p",
            f"A {doc.city}, el {date_text(doc.date, 'ca', ['words', 'long', 'long', 'num'][doc.v])}. Davant meu, "
            f"{n.full}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya, compareix {_ca(sp)}, major d'edat, amb DNI "
            f"{fmt_nif(sp.nif, doc.fmt + 2)}, {soci} de {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)}, que "
            f"exerceix les competències de la junta general (article 15 de la Llei de societats de capital).",
        ),
        ("grid", [0.45, 0.55], grid, True),
        (
            "p",
            f"PRIMER.- {'La' if sp.female else 'El'} {soci} cessa {_ca(o)} en el càrrec d'administrador{'a' if o.female else ''} "
            f"únic{'a' if o.female else ''} i li agraeix els serveis prestats.",
        ),
        (
            "p",
            f"SEGON.- Modifica la forma de l'òrgan d'administració i nomena administradors solidaris, per temps "
            f"indefinit, {_ca(new[0])} i {_ca(new[1])}, que, presents en aquest acte, accepten el càrrec i declaren "
            f"no estar incursos en cap incompatibilitat legal.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("p", "Així ho diuen i atorguen. Llegida aquesta escriptura, la signen amb mi. Dono fe."),
        ("sig", [sp.full, new[0].full, new[1].full, n.full]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    return b


@template("h7_carta_dimision_recibi_es", "deed", "es", letter=True)
def h7_carta_dimision(doc: Doc) -> list[tuple]:
    """Private resignation letter of the outgoing sole administrator to the company, handed in at the universal
    general meeting that appointed the new administrator the same day; the new one signs the RECIBÍ with his
    DNI (no notary, no protocol)."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    rr = _r(doc, 6)
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 42, justify=False, leading=1.5)
    adm_o = "administradora única" if o.female else "administrador único"
    adm_a = "administradora única" if a.female else "administrador único"
    b: list[tuple] = [
        ("pl", o.full),
        ("pl", _street(rr)),
        ("pl", doc.city),
        ("pl", f"D.N.I. {fmt_nif(o.nif, doc.fmt)}"),
        ("gap", 1),
        ("r", "A la Junta General de socios de"),
        ("r", comp.upper()),
        ("r", f"C.I.F. {fmt_cif(cif, doc.fmt + 1)}"),
        ("r", _street(rr)),
        ("gap", 1),
        ("r", f"{doc.city}, {date_text(doc.date, 'es', ['long', 'long', 'num', 'long'][doc.v])}"),
        ("gap", 1),
        ("pl", f"Asunto: dimisión del cargo de {adm_o}"),
        ("pl", "Señores socios:"),
        (
            "p",
            f"Por medio de la presente les comunico mi dimisión, con carácter irrevocable y efectos desde el día de "
            f"hoy, del cargo de {adm_o} de la sociedad, que vengo desempeñando desde mi nombramiento, por motivos "
            f"personales.",
        ),
        (
            "p",
            f"Entrego esta carta en la Junta General Universal celebrada hoy en el domicilio social, que ha aceptado "
            f"mi dimisión y ha nombrado {adm_a} a {_dd(a)}, quien firma a continuación el recibí en nombre de la "
            f"sociedad y acepta el cargo. Les ruego que se proceda a su inscripción en el Registro Mercantil.",
        ),
        ("pl", "Atentamente,"),
        ("scrawl", [f"Fdo.: {o.full}"], doc.seed + 6),
        ("h", "RECIBÍ", 1.0, "l"),
        (
            "p",
            f"Recibo el original de esta carta en el día de la fecha. {a.full}, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt + 2)}, {adm_a} de {comp}, nombrad{_o(a)} en la Junta General Universal "
            f"de esta misma fecha, cargo que acepto.",
        ),
        ("scrawl", [f"Fdo.: {a.full}"], doc.seed + 7),
    ]
    return b


# =========================================================================== registry


def _bn(p: Person) -> str:  # BORME style: surnames first, capitals, no accents
    return K._mrz_name(f"{p.surnames} {p.given}".replace("·", "")).replace("<", " ").strip()


@template("h7_borme_seccion_primera_es", "registry_certificate", "es", csv=False, absent=["person_nif", "company_cif"])
def h7_borme(doc: Doc) -> list[tuple]:
    """A BORME page: title, issue number and date under it, SECCIÓN PRIMERA, the province, sixteen numbered entries
    of several companies in two justified columns, ours in the middle (Ceses/Dimisiones and Nombramientos of
    the sole administrator); no identifiers."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, _ = doc.company
    rr = _r(doc, 7)
    d_pub = doc.date
    d_ins = doc.other_dates["inscription_date"]
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 33, justify=True, leading=1.33)
    issue = rr.randrange(150, 245)
    doc.style.footer = (
        f"BOLETÍN OFICIAL DEL REGISTRO MERCANTIL · D. L.: M-5188/1990 - ISSN: 0214-9958 · "
        f"cve: BORME-A-{d_pub.year}-{issue}-{rr.randrange(1, 52):02d}"
    )
    hoja = doc.extra["hoja"].replace("-", " ")

    def reg(ins_n: int) -> str:
        d = d_ins - dt.timedelta(days=rr.randrange(0, 9))
        return (
            f"Datos registrales. T {rr.randrange(1000, 46000)} , F {rr.randrange(1, 220)}, S 8, H "
            f"{hoja.split()[0]} {rr.randrange(10**4, 7 * 10**5)}, I/A {ins_n} ({d.strftime('%d.%m.%y')})."
        )

    def other() -> str:
        name = K.make_company(rr)[0]
        while name == comp:
            name = K.make_company(rr)[0]
        return name.upper().rstrip(".")

    acts = [
        lambda: f"Nombramientos. Apoderado: {_bn(K.make_person(rr))}. ",
        lambda: f"Reelecciones. Auditor: {_bn(K.make_person(rr))}. ",
        lambda: (
            f"Ceses/Dimisiones. Consejero: {_bn(K.make_person(rr))}. Nombramientos. Consejero: "
            f"{_bn(K.make_person(rr))}. "
        ),
        lambda: (
            f"Cambio de domicilio social. {rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 99)} "
            f"({_rm(doc).upper()}). "
        ),
        lambda: (
            f"Ampliación de capital. Capital: {rr.randrange(3, 90)}.000,00 Euros. Resultante Suscrito: "
            f"{rr.randrange(91, 400)}.000,00 Euros. "
        ),
        lambda: (
            f"Constitución. Comienzo de operaciones: {d_ins.strftime('%d.%m.%y')}. Objeto social: "
            f"{rr.choice(['Comercio al por menor de', 'Fabricación de', 'Instalación de'])} "
            f"{rr.choice(['productos alimenticios', 'equipos de climatización', 'material eléctrico'])}. Domicilio: "
            f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 99)}. Capital: 3.000,00 Euros. Nombramientos. "
            f"Adm. Unico: {_bn(K.make_person(rr))}. "
        ),
        lambda: f"Revocaciones. Apoderado: {_bn(K.make_person(rr))}. ",
        lambda: f"Declaración de unipersonalidad. Socio único: {K.make_company(rr)[0].upper().rstrip('.')}. ",
    ]
    num = rr.randrange(300000, 599999)
    pos = 5 + doc.v % 5 + rr.randrange(2)  # our entry: 6th to 11th of sixteen
    entries = []
    for i in range(16):
        if i == pos:
            entries.append(
                f"{num + i} - {comp.upper().rstrip('.')}. Ceses/Dimisiones. Adm. Unico: {_bn(o)}. Nombramientos. "
                f"Adm. Unico: {_bn(a)}. Datos registrales. T {doc.extra['tomo']} , F {doc.extra['folio']}, S 8, H "
                f"{hoja}, I/A {doc.extra['inscription']} ({d_ins.strftime('%d.%m.%y')})."
            )
        else:
            entries.append(f"{num + i} - {other()}. {rr.choice(acts)()}{reg(rr.randrange(2, 25))}")
    return [
        ("h", "BOLETÍN OFICIAL DEL REGISTRO MERCANTIL", 1.35, "c"),
        (
            "grid",
            [0.22, 0.56, 0.22],
            [[f"Núm. {issue}", f"{WEEKDAYS[d_pub.weekday()]} {date_text(d_pub, 'es', 'long')}", f"Pág. {num // 7}"]],
            True,
        ),
        ("h", "SECCIÓN PRIMERA — EMPRESARIOS — ACTOS INSCRITOS", 0.9, "c"),
        ("h", _rm(doc).upper(), 1.0, "l"),
        ("cols", ["\n".join(entries[:8]), "\n".join(entries[8:])], 1.0),
    ]


@template("h7_certificacion_literal_es", "registry_certificate", "es")
def h7_certificacion_literal(doc: Doc) -> list[tuple]:
    """Registro Mercantil "certificación literal" of the administrative body: numbered inscriptions in an
    unruled two-column grid, each with its own date; the issue date only in the closing formula, in words (an
    undated one has no date there)."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    ins = doc.extra["inscription"]
    rr = _r(doc, 8)
    rm = _rm(doc)
    _style(doc, "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", 37, justify=True, leading=1.4)
    doc.style.header = f"Registro Mercantil de {rm} · {_street(rr)}"
    doc.style.footer = "Página {page}"
    reg_t = "Registradora" if r.female else "Registrador"
    adm_a = "administradora única" if a.female else "administrador único"
    rows = [
        ["Asiento", "Contenido literal"],
        [
            f"Inscripción 1.ª, de {_num(od['constitution'])}",
            f"CONSTITUCIÓN. Se constituye la sociedad {comp.upper()}, por tiempo indefinido, con domicilio en "
            f"{rm} y capital social de {rr.randrange(3, 60)}.000 euros. La sociedad se rige por un administrador "
            f"único.",
        ],
        [
            f"Inscripción {ins - 1}.ª, de {_num(od['old_appointment'])}",
            f"NOMBRAMIENTO. La Junta General nombra administrador{'a' if o.female else ''} únic{_o(o)}, por plazo "
            f"indefinido, a {_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt)}, que acepta.",
        ],
        [
            f"Inscripción {ins}.ª, de {_num(od['appointment'])}",
            f"CESE Y NOMBRAMIENTO. Cesa en el cargo de administrador{'a' if o.female else ''} únic{_o(o)} "
            f"{_dd(o)}. Se nombra {adm_a}, por plazo indefinido, a {_dd(a)}, mayor de edad, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt + 1)}, quien acepta el cargo.",
        ],
    ]
    close = "Y para que conste, expido la presente certificación, que consta de un folio"
    if doc.extra.get("no_issue_date"):
        close += ", con las advertencias de la nota al pie."
    else:
        close += f", en {rm}, a {date_text(doc.date, 'es', 'words')}."
    b: list[tuple] = [
        ("r", f"Entrada n.º {rr.randrange(1, 9)}/{rr.randrange(10**4, 10**5)}"),
        ("h", "CERTIFICACIÓN LITERAL DE LA HOJA REGISTRAL", 1.12, "c"),
        ("h", "(Órgano de administración)", 0.9, "c"),
        (
            "p",
            f"{r.full.upper()}, {reg_t} Mercantil de {rm}, CERTIFICA: que, examinados los libros del archivo a su "
            f"cargo, la sociedad {comp.upper()}, con N.I.F. {fmt_cif(cif, doc.fmt + 2)}, figura inscrita en la hoja "
            f"{doc.extra['hoja']}, tomo {doc.extra['tomo']}, folio {doc.extra['folio']}, y que los asientos relativos "
            f"al órgano de administración son, literalmente, los siguientes:",
        ),
        ("grid", [0.26, 0.74], rows, True),
        (
            "p",
            "Que no existen asientos posteriores relativos al órgano de administración, ni documentos pendientes "
            "de despacho en el Libro Diario.",
        ),
        ("p", close),
        ("sig", [f"{'La' if r.female else 'El'} {reg_t}: {r.full}"]),
        ("seal", ["REGISTRO MERCANTIL", rm.upper()], 1, 0.62),
    ]
    if doc.csv:
        b.append(("mono", f"CSV: {doc.csv}"))
    if doc.extra.get("no_issue_date"):
        b.append(
            (
                "foot",
                "Advertencia: la certificación acredita el contenido de los asientos en la fecha de su "
                "expedición (art. 77 RRM).",
            )
        )
    return b


# =========================================================================== mandates

RETAILERS = [
    "Levante Energía Comercializadora S.A.",
    "Luz y Gas del Turia S.L.",
    "Energías Ibéricas de Suministro S.A.U.",
    "Comercializadora Eléctrica del Cantábrico S.L.",
]


@template("h7_autorizacion_comercializadora_es", "manager_mandate", "es")
def h7_autorizacion_comercializadora(doc: Doc) -> list[tuple]:
    """A retailer's one-page "autorización de representación ante la comercializadora" with ruled boxes; the
    mandatary an energy-management company with its contact person; "En Valencia, a 3 de noviembre de 2026";
    the client's seal over the signatures."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 9)
    retailer = rr.choice(RETAILERS)
    _style(doc, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf", 42, justify=False, leading=1.4)
    doc.style.footer = f"{retailer} · Modelo AR-{rr.randrange(10, 99)} · v{rr.randrange(2, 9)}.{rr.randrange(0, 9)}"
    cups = [f"ES0021{rr.randrange(10**11, 10**12)}{rr.choice('ABCDEFGHJK')}{rr.choice('LMNPQRST')}0F" for _ in range(2)]
    cargo = "Administradora" if g.female else "Administrador"
    b: list[tuple] = [
        ("h", retailer.upper(), 1.0, "l"),
        ("pl", "Atención al Cliente Empresas · Apartado de Correos 1127 · 46080 Valencia"),
        ("h", "AUTORIZACIÓN DE REPRESENTACIÓN ANTE LA COMERCIALIZADORA", 1.12, "c"),
        (
            "box",
            "DATOS DEL CLIENTE",
            [
                ("Razón social", comp.upper()),
                ("C.I.F.", fmt_cif(cif, doc.fmt)),
                ("Representante legal", g.full),
                ("D.N.I.", fmt_nif(g.nif, doc.fmt + 1)),
                ("Cargo", cargo),
            ],
        ),
        (
            "box",
            "DATOS DEL REPRESENTANTE AUTORIZADO",
            [
                ("Empresa", gest.upper()),
                ("C.I.F.", fmt_cif(gcif, doc.fmt + 1)),
                ("Persona de contacto", a.full),
                ("D.N.I. / N.I.E.", fmt_nif(a.nif, doc.fmt + 2)),
                ("Correo electrónico", f"gestion{rr.randrange(1, 99)}@{gest.split()[0].lower()}.es"),
            ],
        ),
        (
            "box",
            "ALCANCE DE LA AUTORIZACIÓN",
            [
                ("Suministros (CUPS)", " · ".join(cups)),
                (
                    "Actuaciones",
                    "Contratación, modificación de potencia y tarifa, cambio de titular, consulta de "
                    "facturas y curvas de carga, reclamaciones",
                ),
                ("Vigencia", f"hasta el {_num(doc.other_dates['until'])}, salvo revocación escrita"),
            ],
        ),
        (
            "p",
            "El cliente autoriza a la empresa y a la persona indicadas como representante autorizado para actuar en "
            f"su nombre ante {retailer} en los términos señalados.",
        ),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', 'long')}."),
        ("scrawl", ["Firma y sello del cliente", "Firma del representante autorizado"], doc.seed + 9),
        ("seal", [comp.upper()[:30], f"C.I.F. {cif}"], 2, 0.18),
    ]
    if w:
        b.append(("pl", f"Firmado en presencia de {w.full}, con D.N.I. {fmt_nif(w.nif, doc.fmt)}, como testigo."))
    return b


@template("h7_mandat_comunitat_acta_ca", "manager_mandate", "ca", community=True, comm_secretary=True)
def h7_mandat_comunitat(doc: Doc) -> list[tuple]:
    """Catalan mandate of a community of owners signed by its president, with the secretary-administrator's
    certificate of the owners' resolution (an earlier date) in a box below it."""
    a, g, s = doc.people["appointed"], doc.people["grantor"], doc.people["secretary"]
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    meet = doc.other_dates["meeting"]
    rr = _r(doc, 10)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 43, justify=True, leading=1.4)
    pres = "presidenta" if g.female else "president"
    b: list[tuple] = [
        ("h", comp.upper(), 1.0, "c"),
        ("pl", f"NIF {fmt_cif(cif, doc.fmt)} · {doc.city}"),
        ("h", "MANDAT DE LA COMUNITAT PER A LA GESTIÓ DELS CONTRACTES D'ENERGIA", 1.05, "c"),
        (
            "p",
            f"{_cap(_ca(g))}, amb DNI {fmt_nif(g.nif, doc.fmt + 1)}, {pres} de la comunitat, actuant en nom seu "
            f"en execució de l'acord de la junta de propietaris que es transcriu més avall, confereix mandat "
            f"{_al_ca(a)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, tècnic{'a' if a.female else ''} de "
            f"{gest} (NIF {fmt_cif(gcif, doc.fmt)}), perquè contracti, modifiqui i doni de baixa els "
            f"subministraments d'electricitat i gas dels elements comuns, sol·liciti canvis de potència i "
            f"presenti reclamacions davant les companyies.",
        ),
        ("p", f"El mandat és vigent fins al {_num(doc.other_dates['until'])}."),
        ("p", f"{doc.city}, {date_text(doc.date, 'ca', ['long', 'long', 'num', 'long'][doc.v])}"),
        ("scrawl", [f"{_cap(pres)}: {g.full}", f"Accepto: {a.full}"], doc.seed + 10),
        (
            "box",
            "CERTIFICAT DE L'ACORD",
            [
                (
                    f"Secretari{'a' if s.female else ''}-administrador{'a' if s.female else ''}",
                    f"{s.full}, DNI {fmt_nif(s.nif, doc.fmt)}, {_adm_ca(s)} de finques "
                    f"col·legia{'da' if s.female else 't'} núm. {rr.randrange(1000, 9999)}",
                ),
                ("Junta", f"Junta general ordinària de propietaris del {date_text(meet, 'ca', 'long')}"),
                (
                    "Acord",
                    f"Encarregar la gestió dels subministraments comuns a {gest} i facultar {_ca(g)} per "
                    f"signar el mandat.",
                ),
                ("Vots", f"Aprovat per {rr.randrange(8, 30)} vots a favor i {rr.randrange(0, 3)} en contra"),
            ],
        ),
        ("pl", f"Certifico l'acord transcrit, amb el vist i plau {'de la' if g.female else 'del'} {pres}."),
        (
            "scrawl",
            [
                f"{'La secretària' if s.female else 'El secretari'}: {s.full}",
                f"Vist i plau, {'la' if g.female else 'el'} {pres}",
            ],
            doc.seed + 11,
        ),
        ("seal", ["ADMINISTRACIÓ DE FINQUES", s.full.upper()[:26]], 2, 0.3),
    ]
    return b


# =========================================================================== ID documents


@template("h7_id_dni30_es", "id_document", "es", dni30=True)
def h7_dni30(doc: Doc) -> list[Image.Image]:
    """DNI 3.0 (2015 layout): the DNI number at the top left under the title, the photo on the right; APELLIDOS
    (two lines), NOMBRE, SEXO, NACIONALIDAD, FECHA DE NACIMIENTO, IDESP, VÁLIDO HASTA; no issue date; back:
    birthplace, parents, address, TD1 MRZ."""
    p = doc.people["appointed"]
    exp, birth = doc.date, doc.other_dates["birth"]
    rr = _r(doc, 20)
    L, B = "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"
    front = K.card_base(doc.seed, (222, 226, 232))
    d = ImageDraw.Draw(front)
    d.text((60, 34), "REINO DE ESPAÑA", font=_f(B, 50), fill=(130, 30, 40))
    d.text((60, 96), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(B, 34), fill=(40, 50, 100))
    d.text((60, 156), "DNI", font=_f(L, 30), fill=(70, 70, 90))
    d.text((140, 140), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 60), fill=(150, 20, 30))
    d.rectangle([1480, 190, 1960, 790], fill=(160, 162, 170))
    lab, val = _f(L, 28), _f(B, 48)
    y = 250
    d.text((60, y), "APELLIDOS", font=lab, fill=(70, 70, 90))
    d.text((60, y + 32), p.s1.upper(), font=val, fill=(10, 10, 10))
    d.text((60, y + 90), (p.s2 or "").upper(), font=val, fill=(10, 10, 10))
    y += 170
    d.text((60, y), "NOMBRE", font=lab, fill=(70, 70, 90))
    d.text((60, y + 32), p.given.upper(), font=val, fill=(10, 10, 10))
    y += 115
    for x, label, value in [(60, "SEXO", "F" if p.female else "M"), (330, "NACIONALIDAD", "ESP")]:
        d.text((x, y), label, font=lab, fill=(70, 70, 90))
        d.text((x, y + 32), value, font=val, fill=(10, 10, 10))
    d.text((760, y), "FECHA DE NACIMIENTO", font=lab, fill=(70, 70, 90))
    d.text((760, y + 32), birth.strftime("%d %m %Y"), font=val, fill=(10, 10, 10))
    y += 115
    d.text((60, y), "IDESP", font=lab, fill=(70, 70, 90))
    d.text((60, y + 32), doc.extra["support"], font=val, fill=(10, 10, 10))
    d.text((600, y), "VÁLIDO HASTA", font=lab, fill=(70, 70, 90))
    d.text((600, y + 32), exp.strftime("%d %m %Y"), font=val, fill=(10, 10, 10))
    d.line([(1500, 1130), (1620, 1060), (1700, 1120), (1900, 1050)], fill=(30, 30, 90), width=4)
    d.text((60, 1140), f"CAN {rr.randrange(10**5, 10**6)}", font=_f(L, 32), fill=(60, 60, 60))
    back = K.card_base(doc.seed + 77, (224, 226, 230))
    d2 = ImageDraw.Draw(back)
    lines = [
        ("LUGAR DE NACIMIENTO", f"{rr.choice(K.CITIES).upper()}"),
        ("HIJO/A DE", f"{rr.choice(['ANTONIO', 'MANUEL', 'JOSE', 'LUIS'])} / {rr.choice(['MARIA', 'ROSA', 'ANA'])}"),
        (
            "DOMICILIO",
            f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 140)} P{rr.randrange(1, 9)} {doc.city.upper()}",
        ),
    ]
    for i, (lb, v) in enumerate(lines):
        d2.text((60, 40 + i * 110), lb, font=_f(L, 28), fill=(70, 70, 90))
        d2.text((60, 74 + i * 110), v, font=_f(B, 40), fill=(20, 20, 20))
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 864 + i * 120), ln, font=_f("LiberationMono-Regular.ttf", 69), fill=(0, 0, 0))
    return [front, back]


EU7 = [  # (given, surname, sex, nationality as printed)
    ("Tereza", "Svobodová", "F", "REPÚBLICA CHECA"),
    ("Georgios", "Papadopoulos", "M", "GRECIA"),
    ("Zsófia", "Kovács", "F", "HUNGRÍA"),
    ("Lukas", "Gruber", "M", "AUSTRIA"),
    ("Dimitar", "Ivanov", "M", "BULGARIA"),
    ("Mette", "Sørensen", "F", "DINAMARCA"),
    ("Eero", "Virtanen", "M", "FINLANDIA"),
    ("Sanne", "de Jong", "F", "PAÍSES BAJOS"),
]


def make_eu7_person(rng: random.Random) -> Person:
    g, s, sex, _ = rng.choice(EU7)
    return Person(g, s, "", K.make_nie(rng), sex)


def _eu7_nat(p: Person) -> str:
    return next((n for g, s, _, n in EU7 if (g, s) == (p.given, p.s1)), "UNIÓN EUROPEA")


def _green(im: Image.Image) -> Image.Image:
    """A grey page printed on green paper."""
    g = im.convert("L")
    return Image.merge(
        "RGB",
        (
            g.point(lambda v: int(18 + v * 0.80)),
            g.point(lambda v: int(26 + v * 0.88)),
            g.point(lambda v: int(20 + v * 0.80)),
        ),
    )


@template("h7_id_certificado_ue_verde_es", "id_document", "es", paper=True, eu=True, no_expiry=True)
def h7_certificado_ue_verde(doc: Doc) -> list[Image.Image]:
    """The green A4 "Certificado de registro de ciudadano de la Unión" (600 dpi): labelled fields in an unruled
    grid (name, nationality, birth, address, NIE), no photo, no MRZ, no expiry; the issue date only as "Fecha:"
    at the foot, beside the stamp."""
    p = doc.people["appointed"]
    iss, birth = doc.other_dates["issue"], doc.other_dates["birth"]
    rr = _r(doc, 21)
    b: list[tuple] = [
        ("h", "MINISTERIO DEL INTERIOR", 0.9, "l"),
        ("pl", "Secretaría de Estado de Seguridad · Dirección General de la Policía"),
        ("gap", 2),
        ("h", "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", 1.2, "c"),
        ("pl", "(Real Decreto 240/2007, de 16 de febrero)"),
        ("gap", 1),
        (
            "grid",
            [0.38, 0.62],
            [
                ["Datos del titular", ""],
                ["Apellidos", p.surnames.upper()],
                ["Nombre", p.given.upper()],
                ["Nacionalidad", _eu7_nat(p)],
                ["Fecha de nacimiento", birth.strftime("%d-%m-%Y")],
                ["Sexo", "M" if p.female else "H"],
                ["Domicilio", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 120)}, {doc.city.upper()}"],
                ["N.I.E.", p.nif],
            ],
            True,
        ),
        (
            "p",
            "Se expide el presente certificado de inscripción en el Registro Central de Extranjeros, a efectos de "
            "acreditar la residencia del titular en España. No es válido como documento de identidad.",
        ),
        ("gap", 2),
        ("stamp", ["DIRECCIÓN GENERAL DE LA POLICÍA", "EXTRANJERÍA", doc.city.upper()]),
        ("pl", f"Fecha: {iss.strftime('%d-%m-%Y')}"),
        ("pl", "Firma y sello"),
    ]
    st = K.Style(font="DejaVuSans.ttf", bold="DejaVuSans-Bold.ttf", size=42, justify=True, margin_t=330)
    page = K.render_pages([("ext", EXT[x[0]]) + tuple(x[1:]) if x[0] in EXT else x for x in b], st, dpi=600)[0]
    return [_green(page)]


PT7 = [  # (given, surname 1, surname 2, sex)
    ("Ana Rita", "Sousa", "Ferreira", "F"),
    ("Tiago", "Gonçalves", "Pereira", "M"),
    ("Beatriz", "Conceição", "Lopes", "F"),
    ("Rui Miguel", "Magalhães", "Costa", "M"),
    ("Inês", "Simões", "Cardoso", "F"),
    ("João Paulo", "Brandão", "Ribeiro", "M"),
    ("Leonor", "Antunes", "Figueiredo", "F"),
    ("Nuno", "Gaspar", "Teixeira", "M"),
]


def make_pt_person(rng: random.Random) -> Person:
    g, s1, s2, sex = rng.choice(PT7)
    return Person(g, s1, s2, K.make_nie(rng), sex)


@template("h7_id_cartao_cidadao_pt_nie", "id_document", "es", paper=True, ptcc=True)
def h7_cartao_cidadao(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi) of a Portuguese "Cartão de Cidadão" (labels in Portuguese and English, no issue date
    printed, TD1 MRZ "I<PRT"), both sides, above the copy of the holder's card-sized green registration
    certificate with the NIE and its own date."""
    p = doc.people["appointed"]
    exp, birth = doc.date, doc.other_dates["birth"]
    reg = doc.other_dates["registration"]
    rr = _r(doc, 22)
    civil = f"{rr.randrange(10**7, 10**8)}"
    number = f"{civil} {rr.randrange(10)} {rr.choice('ZYX')}{rr.choice('ZYX')}{rr.randrange(10)}"
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    front = K.card_base(doc.seed, (214, 226, 236))
    d = ImageDraw.Draw(front)
    d.text((560, 36), "REPÚBLICA PORTUGUESA", font=_f(B, 48), fill=(40, 60, 110))
    d.text((560, 96), "CARTÃO DE CIDADÃO / CITIZEN CARD", font=_f(L, 34), fill=(40, 60, 110))
    d.rectangle([60, 60, 500, 640], fill=(160, 166, 172))
    cells = [
        ((560, 170), "Apelido(s) / Surname", p.surnames.upper()),
        ((560, 290), "Nome(s) / Given Name(s)", p.given.upper()),
        ((560, 410), "Sexo / Sex", "F" if p.female else "M"),
        ((800, 410), "Altura / Height", f"{rr.randrange(155, 192) / 100:.2f}".replace(".", ",")),
        ((1120, 410), "Nacionalidade / Nationality", "PRT"),
        ((560, 530), "Data de Nascimento / Date of Birth", birth.strftime("%d %m %Y")),
        ((560, 650), "N.º Documento / Document No.", number),
        ((1300, 650), "Data de Validade / Expiry Date", exp.strftime("%d %m %Y")),
    ]
    for (x, y), label, value in cells:
        d.text((x, y), label, font=_f(L, 26), fill=(70, 80, 100))
        d.text((x, y + 30), value, font=_f(B, 46), fill=(10, 10, 10))
    d.line([(80, 1100), (220, 1040), (300, 1100), (460, 1030)], fill=(30, 30, 90), width=4)
    d.text((60, 1140), "Assinatura / Signature", font=_f(L, 24), fill=(70, 80, 100))
    back = K.card_base(doc.seed + 66, (220, 228, 236))
    d2 = ImageDraw.Draw(back)
    d2.text((60, 40), "Filiação / Parents", font=_f(L, 26), fill=(70, 80, 100))
    d2.text(
        (60, 72),
        f"{rr.choice(['MANUEL', 'JOSÉ', 'ANTÓNIO'])} {p.s2.upper()} * {rr.choice(['MARIA', 'ROSA', 'FÁTIMA'])} "
        f"{p.s1.upper()}",
        font=_f(B, 36),
        fill=(20, 20, 20),
    )
    for i, (lb, v) in enumerate(
        [
            ("N.º Identificação Fiscal / Tax No.", f"{rr.randrange(1, 3)}{rr.randrange(10**7, 10**8)}"),
            ("N.º Segurança Social / Social Security No.", f"{rr.randrange(10**10, 10**11)}"),
        ]
    ):
        d2.text((60, 150 + i * 110), lb, font=_f(L, 26), fill=(70, 80, 100))
        d2.text((60, 182 + i * 110), v, font=_f(B, 38), fill=(20, 20, 20))
    mrz = H4._mrz_td1(
        "I<",
        "PRT",
        civil + str(rr.randrange(10)),
        "ZZ" + str(rr.randrange(10)),
        birth,
        "F" if p.female else "M",
        exp,
        "PRT",
        p,
    )
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 864 + i * 120), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    sheet = Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)
    cards = [c.convert("L").point(lambda v: min(255, int(v * 1.05))) for c in (front, back)]
    _paste_dark(sheet, cards[0], (300, 300))
    _paste_dark(sheet, cards[1], (300 + 2022 + 200, 300 + 30))
    # the card-sized green certificate, photocopied in grey
    cert = Image.new("L", (2200, 1500), 238)
    dc = ImageDraw.Draw(cert)
    dc.rectangle([6, 6, 2193, 1493], outline=120, width=6)
    dc.text((80, 60), "MINISTERIO DEL INTERIOR", font=_f(B, 46), fill=30)
    dc.text((80, 130), "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", font=_f(B, 52), fill=30)
    dc.text((80, 260), f"NOMBRE: {p.given.upper()}", font=_f(L, 50), fill=20)
    dc.text((80, 350), f"APELLIDOS: {p.surnames.upper()}", font=_f(L, 50), fill=20)
    dc.text((80, 440), "NACIONALIDAD: PORTUGAL", font=_f(L, 50), fill=20)
    dc.text((80, 530), f"FECHA DE NACIMIENTO: {birth.strftime('%d-%m-%Y')}", font=_f(L, 50), fill=20)
    dc.text((80, 620), f"DOMICILIO: {rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 90)}", font=_f(L, 50), fill=20)
    dc.text((80, 760), "N.I.E.", font=_f(L, 44), fill=40)
    dc.text((80, 815), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 84), fill=0)
    dc.text((80, 1000), f"Fecha: {reg.strftime('%d-%m-%Y')}", font=_f(L, 50), fill=20)
    dc.text((80, 1300), "Este certificado no es válido como documento de identidad", font=_f(L, 40), fill=40)
    _paste_dark(sheet, cert, (300, 300 + 1276 + 500))
    d3 = ImageDraw.Draw(sheet)
    d3.text((300, 120), "Cópia do cartão de cidadão e do certificado de registo (NIE)", font=_f(L, 58), fill=50)
    H4._draw_scribble(sheet, d3, ("draw", None, 2900, 3400, 1000, doc.seed), 2)
    d3.text((2700, 3560), "Conforme o original", font=_f("DejaVuSerif-Italic.ttf", 60), fill=40)
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h7_poder_pleitos_administracion_es", ["clean", "photo", "pdf_scan"], ["photo"]),
        ("h7_atorgament_poders_ca", ["clean", "rot90", "jpeg200"], ["clean"]),
        ("h7_poder_copia_electronica_es", ["photo", "dpi600"], []),
        ("h7_elevacion_acuerdos_consejo_es", ["clean", "tiff", "pdf_text"], ["pdf_text"]),
        ("h7_nomenament_solidaris_ca", ["photo", "skew"], []),
        ("h7_carta_dimision_recibi_es", ["clean", "noisy"], ["photo"]),
        ("h7_borme_seccion_primera_es", ["clean", "pdf_text"], []),
        ("h7_certificacion_literal_es", ["clean", "photo", "rot270", "lowcontrast"], ["clean"]),
        ("h7_autorizacion_comercializadora_es", ["clean", "photo", "rot180"], ["clean"]),
        ("h7_mandat_comunitat_acta_ca", ["photo", "pdf_scan"], []),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h7_poder_pleitos_administracion_es", "grantor_claims", ["photo"], ["clean"]),
        ("h7_poder_pleitos_administracion_es", "notary_claims", ["clean"], []),
        ("h7_poder_pleitos_administracion_es", "lookalike_claims", ["pdf_text"], []),
        ("h7_atorgament_poders_ca", "grantor_claims", ["pdf_text"], []),
        ("h7_atorgament_poders_ca", "nif_off_claims", ["photo"], []),
        ("h7_poder_copia_electronica_es", "nif_off_claims", ["tiff"], []),
        ("h7_elevacion_acuerdos_consejo_es", "outgoing_claims", ["clean", "photo"], ["clean"]),
        ("h7_elevacion_acuerdos_consejo_es", "secretary_claims", ["pdf_scan"], []),
        ("h7_elevacion_acuerdos_consejo_es", "president_claims", ["clean"], []),
        ("h7_nomenament_solidaris_ca", "outgoing_claims", ["clean"], []),
        ("h7_carta_dimision_recibi_es", "outgoing_claims", ["clean", "photo"], []),
        ("h7_borme_seccion_primera_es", "stale_certificate", ["clean"], []),
        ("h7_certificacion_literal_es", "undated_certificate", ["clean"], []),
        ("h7_certificacion_literal_es", "stale_certificate", ["photo", "pdf_text"], ["clean"]),
        ("h7_certificacion_literal_es", "outgoing_claims", ["skew"], []),
        ("h7_autorizacion_comercializadora_es", "future_mandate", ["clean", "photo"], ["pdf_text"]),
        ("h7_autorizacion_comercializadora_es", "witness_claims", ["clean"], []),
        ("h7_mandat_comunitat_acta_ca", "secretary_claims", ["clean"], []),
        ("h7_mandat_comunitat_acta_ca", "grantor_claims", ["photo"], []),
        ("h7_mandat_comunitat_acta_ca", "future_mandate", ["pdf_text"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h7_poder_pleitos_administracion_es", "clean", "h7_id_dni30_es", "clean", False),
        ("h7_autorizacion_comercializadora_es", "photo", "h7_id_cartao_cidadao_pt_nie", "clean", False),
        ("h7_elevacion_acuerdos_consejo_es", "pdf_text", "h7_id_certificado_ue_verde_es", "photo", False),
        ("h7_carta_dimision_recibi_es", "clean", "h7_id_dni30_es", "rot90", True),
        ("h7_certificacion_literal_es", "clean", "h7_id_cartao_cidadao_pt_nie", "skew", True),
        ("h7_mandat_comunitat_acta_ca", "clean", "h7_id_dni30_es", "pdf_scan", False),
        ("h7_atorgament_poders_ca", "photo", "h7_id_certificado_ue_verde_es", "lowcontrast", False),
        ("h7_poder_copia_electronica_es", "clean", "h7_id_cartao_cidadao_pt_nie", "jpeg200", False),
    ],
    "small_sets": 2,
}


def _years_before(d: dt.date, years: int) -> dt.date:
    return d.replace(year=d.year - years, day=min(d.day, 28))


def _id_dates(doc: Doc, rng: random.Random, upload: dt.date, expired: bool, t: dict):
    """Issue / expiry / birth dates as the issuing authority sets them (``doc.date`` None: no expiry)."""

    def day(y: int, m: int) -> dt.date:
        return dt.date(y, m, rng.randrange(1, 29))

    if t.get("dni30"):  # issued 2015-2021: ten years from 30, five years under 30
        if expired:
            iss = day(rng.randrange(2016, 2021), rng.randrange(1, 11))
            exp = iss.replace(year=iss.year + 5)
            birth = day(iss.year - rng.randrange(19, 29), rng.randrange(1, 13))
        else:
            iss = day(rng.randrange(2017, 2021), rng.randrange(1, 13))
            exp = iss.replace(year=iss.year + 10)
            birth = day(iss.year - rng.randrange(30, 66), rng.randrange(1, 13))
    elif t.get("no_expiry"):  # registration certificate: issue date only
        iss, exp = upload - dt.timedelta(days=rng.randrange(150, 3500)), None
        birth = day(rng.randrange(1955, 1998), rng.randrange(1, 13))
    else:  # Portuguese citizen card: ten years for adults (five before 2017); the registration certificate
        birth = day(rng.randrange(1958, 1996), rng.randrange(1, 13))
        if expired:
            exp = upload - dt.timedelta(days=rng.randrange(20, 700))
            iss = _years_before(exp, 5)
        else:
            exp = upload + dt.timedelta(days=rng.randrange(120, 3300))
            iss = _years_before(exp, 10)
        doc.other_dates["registration"] = upload - dt.timedelta(days=rng.randrange(60, 2800))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _spanish_holder(rng: random.Random) -> Person:
    return make_person7(rng, "es", dot_ok=False)


def _holder(idname: str):
    """The maker of an ID card's holder (see corpus2.plan_part)."""
    t = TEMPLATES[idname]
    if t.get("eu"):
        return make_eu7_person
    if t.get("ptcc"):
        return make_pt_person
    return _spanish_holder


def _add(doc: Doc, rng: random.Random, key: str, role: str):
    K.add_person(doc, key, role, make_person7(rng, doc.lang))


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
    lang = doc.lang
    K.drop_people(
        doc, "revoked", "secretary", "consejero"
    )  # no template of this part prints them as corpus2 draws them
    if person is None:  # this part's own names for some of the people corpus2 drew
        for k, p in list(doc.people.items()):
            if rng.random() < 0.5:
                doc.people[k] = make_person7(rng, lang, nie=p.nif[0] in "XYZ")
    if doc.notary and rng.random() < 0.5:
        doc.notary = make_person7(rng, lang)
    if t.get("community"):
        cname, ccif, city = K.make_community(rng, lang)
        doc.company, doc.city = (cname, ccif), city
    if t.get("attorney_pj"):
        doc.extra["attorney_pj"] = (
            f"{rng.choice(['Asesoría Jurídica', 'Gestión Integral', 'Servicios Empresariales'])} "
            f"{rng.choice(K.COMPANY_B)} S.L.",
            K.make_cif(rng, "B"),
        )
        _add(doc, rng, "pj_rep", "other")
    if t.get("board7"):
        _add(doc, rng, "coadmin", "appointed")
        _add(doc, rng, "reelected", "appointed")
        _add(doc, rng, "secretary", "other")
        _add(doc, rng, "president", "other")
    if t.get("coadmin") and "coadmin" not in doc.people:
        _add(doc, rng, "coadmin", "appointed")
    if t.get("partner"):
        _add(doc, rng, "partner", "other")
    if t.get("letter"):  # a private letter: no notary, no protocol; the meeting is that day
        doc.notary, doc.protocol, doc.csv = None, None, None
        doc.other_dates["meeting"] = doc.date
    if "gestora" in doc.extra and "S.L" in doc.extra["gestora"][0]:  # a limited company's NIF starts with B
        doc.extra["gestora"] = (doc.extra["gestora"][0], K.make_cif(rng, "B"))
    if t.get("comm_secretary"):
        _add(doc, rng, "secretary", "other")
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(5, 60))
        if case != "witness_claims":
            K.drop_people(doc, "witness")
    if doc.doc_type == "registry_certificate":  # the sheet's letters are those of the registry's province
        doc.extra["hoja"] = f"{H5.HOJA.get(_rm(doc), 'M')}-{doc.extra['hoja'].split('-')[1]}"
    if name == "h7_borme_seccion_primera_es":  # the gazette: no registrar's signature, no issue on weekends
        doc.registrar, doc.cover = None, False
        while doc.date.weekday() >= 5:
            doc.date += dt.timedelta(days=-1 if (upload - doc.date).days < 78 else 1)
        doc.other_dates["inscription_date"] = doc.date - dt.timedelta(days=rng.randrange(3, 12))
    if case == "stale_certificate" and name == "h7_certificacion_literal_es":
        doc.date = upload - dt.timedelta(days=rng.randrange(92, 141))  # only just older than the 90 days allowed
        doc.other_dates["appointment"] = doc.date - dt.timedelta(days=rng.randrange(40, 600))
        doc.other_dates["old_appointment"] = doc.other_dates["appointment"] - dt.timedelta(
            days=rng.randrange(900, 3000)
        )
        doc.other_dates["constitution"] = doc.other_dates["old_appointment"] - dt.timedelta(days=rng.randrange(30, 900))
    if case == "future_mandate":  # signed after the upload: must not be clear
        doc.date = upload + dt.timedelta(days=rng.randrange(3, 45))
        doc.other_dates["until"] = doc.date + dt.timedelta(days=365 * rng.choice([1, 2]))
        if "meeting" in doc.other_dates:
            doc.other_dates["meeting"] = upload - dt.timedelta(days=rng.randrange(5, 40))
    if case == "witness_claims":
        doc.people.setdefault("witness", make_person7(rng, lang))
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if case == "lookalike_claims":  # the claimed person: like the appointed one, NOT on the page
        a = doc.people["appointed"]
        claimed = H3.lookalike(a, rng, lang)
        while claimed.full in {p.full for p in doc.people.values()}:
            claimed = H3.lookalike(a, rng, lang)
        doc.extra["claimed"] = claimed
    return doc


def _entry(doc: Doc, part: str, variant: str, case: str, set_id: str | None, rng: random.Random) -> dict:
    e = K.holdout_entry(doc, part, variant, case, set_id, rng)
    t = TEMPLATES[doc.template]
    if t.get("dni30") or t.get("ptcc"):
        e["expect"]["issue_date"] = None  # not printed on the card: nothing to read
    return e


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout7 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, entry=_entry, upload_step=4, holder=_holder)
