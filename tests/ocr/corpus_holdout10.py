"""TENTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the nine other holdouts, without looking at the engine or at any of its
results: the documents copy the wording and the layout of real special powers granted by a board of directors,
general commercial powers with a revocation clause, deeds with numbered "REUNIDOS / INTERVIENEN / EXPONEN /
OTORGAN" sections, Catalan deeds replacing joint-and-several administrators, Registro Mercantil certificates of
the officers in office, property administrators' letters, energy-service contracts and identity documents.
Never tune the engine on these templates, nor look at which of them it misses; the part is meant to be measured
once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout10 [--profile small|full]

Templates (Spanish and Catalan):
  * powers: a "poder especial para la contratación de suministros" granted by a company whose BOARD resolved it:
    the board's secretary appears and grants it, quoting (indented, italic) the board's certificate issued with
    the chairman's "Visto Bueno" (the chairman named with his DNI); a "poder general mercantil" in which the
    ATTORNEY appears FIRST ("a los solos efectos de aceptar"), the grantor second, and whose OTORGAN closes with a
    "cláusula de revocación" of a former attorney (named with his DNI, the earlier deed's notary, date and
    protocol number "2.417"); a Catalan "escriptura de poder especial" whose faculties sit in a ruled table
    "Facultat | Exercici | Límit";
  * deeds: a deed of "cese y nombramiento" with numbered sections "I. REUNIDOS / II. INTERVIENEN / III. EXPONEN /
    IV. OTORGAN" in which the outgoing and the incoming sole administrator both appear and intervene in the same
    words: only the OTORGAN says who ceases and who is appointed (typewriter or serif); a Catalan "escriptura
    d'elevació a públic de cessament i nomenament d'administradors solidaris" raised by the secretary of the
    meeting, with the two ceasing and the two new administrators in a double-ruled two-column box
    "CESSEN | SÓN NOMENATS";
  * registry: a Registro Mercantil "certificación de vigencia de cargos" with a table "Cargo | Nombre | DNI |
    Fecha nombramiento | Fecha inscripción" of the officers in office and a separate table "Cargos caducados o
    cesados"; the issue date only in the closing line (none in an undated one); a Catalan "certificació" typed in
    monospace as a register extract, one block of dotted-label lines per entry ("ASSENTAMENT ...: Inscripció
    6a", "DATA ...", "ACTE ...", "PERSONA ...", "DNI/NIE ..."), the issue date in the closing formula;
  * mandates: a property administrator firm's covering letter (letterhead, its own date, addressee, subject)
    followed by the community's "autorización de acceso a datos de suministro" signed by the president for the
    firm and its colegiado; a "contrato de prestación de servicios de gestión energética" dated in its heading,
    the firm represented by its APODERADO (his power's notary and protocol quoted), an annex listing the CUPS on
    page 2 and a signature page on page 3 (a witness there on some multi-page copies); a Catalan company's
    "autorització de representació" with ruled form boxes and the date as "Data de signatura: 03.11.2026";
  * ID documents: a DNI 4.0 scanned BACK FIRST (the back with its QR code and TD1 MRZ above the front, bilingual
    labels "EMISIÓN / ISSUE", "VALIDEZ / EXPIRY"); an A4 photocopy of both sides of a French "carte nationale
    d'identité" (2021 model: "Date d'expir." on the front, "Date de délivrance" on the back, TD1 MRZ "IDFRA")
    side by side above the white Spanish certificate assigning the holder's NIE (its own date, no expiry).

Case kinds are those of holdout9 (true claim; outgoing, grantor, secretary, president, witness and notary
claims; lookalike and nif_off claims; stale and undated certificates; expired ID in sets; ``future_mandate``).
One stale certificate (the Catalan extract) was issued 120-300 days before the upload, the other two to five
years before.  Who is who:
  * the board's power: the appearing secretary is "grantor", the chairman of the Vº Bº "other" (with his DNI);
  * the general power: the grantor (a joint-and-several administrator) is "grantor", the attorney whose power is
    revoked "outgoing", the notary of that earlier deed "notary" (no identifier);
  * the REUNIDOS deed: the ceasing administrator is "outgoing", the new one "appointed";
  * the Catalan joint-and-several deed: both new administrators are "appointed", both ceasing ones "outgoing",
    the appearing secretary "other";
  * the certificates: former administrators "outgoing", the proxy "other", the registrar "registrar";
  * the administrator firm's letter: the community's president "grantor", the firm's colegiado "appointed";
  * the energy-service contract: the client's representative "grantor", the firm's apoderado "appointed", the
    witness "witness", the notary of the firm's power "notary" (no identifier);
  * the DNI 4.0: ``expect.issue_date`` is its EMISIÓN; the French card: its "Date de délivrance"; the NIE
    certificate's date is another date on the page.
People are drawn partly from this part's own pools (particles "de", "del", "de la", Catalan "i", hyphenated
surnames, accents, ñ, ç, l·l, French names with NIE).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random

from PIL import Image, ImageDraw

try:
    from tests.ocr import corpus2 as K
    from tests.ocr import corpus_holdout3 as H3
    from tests.ocr import corpus_holdout4 as H4
    from tests.ocr import corpus_holdout5 as H5
    from tests.ocr import corpus_holdout9 as H9
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore
    import corpus_holdout4 as H4  # type: ignore
    import corpus_holdout5 as H5  # type: ignore
    import corpus_holdout9 as H9  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text = K.fmt_nif, K.fmt_cif, K.date_text
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout10"
_style, _cap, _dd, _ca, _nt, _role, _rm = H4._style, H4._cap, H4._dd, H4._ca, H4._nt, H4._role, H4._rm
_f, _paste_dark = H4._f, H5._paste_dark
_o, _num, _street, _ident = H9._o, H9._num, H9._street, H9._ident


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 41 + salt)


def _a(p: Person) -> str:  # "a" for a woman, "" for a man (Administrador / Administradora)
    return "a" if p.female else ""


# =========================================================================== this part's people

GIVEN10_ES = [
    ("Ildefonso", "M"),
    ("Purificación", "F"),
    ("Nicasio", "M"),
    ("Consolación", "F"),
    ("Baltasar", "M"),
    ("Milagros", "F"),
    ("Segismundo", "M"),
    ("Montserrat", "F"),
    ("Juan Ignacio", "M"),
    ("María Ángeles", "F"),
    ("Casimiro", "M"),
    ("Almudena", "F"),
]
SURN10_ES = [
    "de la Peña",
    "del Castillo-Ortuño",
    "Muñoz de Baena",
    "Echevarría",
    "Zubizarreta",
    "Quintanilla",
    "de Santiago",
    "Ortiz de Zárate",
    "Carreño",
    "Villanueva",
    "Bermúdez",
    "Yáñez",
    "Ibarra-Luengo",
    "del Valle",
    "Cañizares",
    "Arrieta",
]
GIVEN10_CA = [
    ("Eudald", "M"),
    ("Rita", "F"),
    ("Pol", "M"),
    ("Ona", "F"),
    ("Guillem", "M"),
    ("Berta", "F"),
    ("Marcel·lí", "M"),
    ("Estel", "F"),
    ("Miquel Àngel", "M"),
    ("Assumpta", "F"),
    ("Narcís", "M"),
    ("Griselda", "F"),
]
SURN10_CA = [
    "Farré",
    "Calaf",
    "Solé-Vendrell",
    "Boix",
    "Pujadas",
    "Canals",
    "Ballbè",
    "Gual",
    "Fargas",
    "Aymerich",
    "Brugués",
    "Martorell",
    "Ventosa",
    "Escolà",
    "Garcia-Plana",
    "Marçal",
]
FOREIGN10 = [  # foreigners resident in Spain (NIE)
    ("Sébastien", "Girard", "M"),
    ("Fatima Zahra", "Benali", "F"),
    ("Andrei", "Munteanu", "M"),
    ("Thomas", "Van der Berg", "M"),
    ("Magdalena", "Zielińska", "F"),
    ("Oksana", "Melnyk", "F"),
]


def make_person10(rng: random.Random, lang: str = "es", nie: bool = False) -> Person:
    """A person of this part's pools (or corpus2's, some of the time)."""
    if nie:
        if rng.random() < 0.6:
            g, s, sex = rng.choice(FOREIGN10)
            return Person(g, s, "", K.make_nie(rng), sex)
        return K.make_person(rng, lang, nie=True)
    if rng.random() < 0.3:
        return K.make_person(rng, lang)
    if lang == "ca" and rng.random() < 0.75:
        given, sex = rng.choice(GIVEN10_CA)
        s1, s2 = rng.sample(SURN10_CA + K.SURN_CA[:8], 2)
        return Person(given, s1, s2, K.make_dni(rng), sex, catalan_i=rng.random() < 0.55)
    given, sex = rng.choice(GIVEN10_ES)
    s1, s2 = rng.sample(SURN10_ES + K.SURN_ES[:10], 2)
    return Person(given, s1, s2, K.make_dni(rng), sex)


# =========================================================================== extra block kinds
#   ("dbox", [(heading, [lines])])    a double-ruled box of side-by-side columns, each with a ruled heading
# plus holdout4's to holdout9's kinds (cols, grid, logo, scrawl, seal, qr, sc, foot, timbre, checks, dsig,
# vmargin, box, rmargin, bar, frame, side, lr, leader, fill, hcheck, quote, sigtab).


@functools.lru_cache(maxsize=256)
def _font(name: str, px: int):
    return K._font(name, px)


def _lay_dbox(b, st, x0, width, k):
    cols = b[1]
    n = len(cols)
    fh = _font(st.bold, int(st.size * k * 0.9))
    fr = _font(st.font, int(st.size * k * 0.9))
    pad, g = int(26 * k), int(10 * k)
    cw = width // n
    heads = [K._wrap(h, fh, cw - 2 * pad) for h, _ in cols]
    bodies = [[ln for t in lines for ln in (K._wrap(t, fr, cw - 2 * pad) if t else [""])] for _, lines in cols]
    lh = int(fr.size * 1.42)
    hh = max(len(h) for h in heads) * lh + pad
    total = hh + max(len(x) for x in bodies) * lh + 3 * pad

    def at(y):
        ops = [("rect", x0, y, x0 + width, y + total), ("rect", x0 + g, y + g, x0 + width - g, y + total - g)]
        for i in range(n):
            xa = x0 + i * cw
            if i:
                ops.append(("vline", xa, y + g, y + total - g))
            ops += [("text", xa + pad, y + pad + j * lh, ln, fh, False, 0) for j, ln in enumerate(heads[i])]
            ops.append(("hline", xa + pad, y + pad + hh - int(12 * k), xa + cw - pad))
            ops += [
                ("text", xa + pad, y + 2 * pad + hh + j * lh, ln, fr, False, 0) for j, ln in enumerate(bodies[i]) if ln
            ]
        return ops

    return [(total + int(st.size * k * 0.7), at)]


def _dbox_text(b) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for head, lines in b[1]:
        out.append(("bold", head))
        out += [("body", ln) for ln in lines if ln]
    return out


EXT = {
    **H9.EXT,
    "dbox": {"kind": "dbox", "layout": H4._ext(_lay_dbox), "text": H4._ext(_dbox_text)},
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


def _estado(rr: random.Random, p: Person) -> str:
    return rr.choice(["casad", "solter", "divorciad", "viud"]) + _o(p)


def _prof(rr: random.Random, p: Person) -> str:
    m = ["empresario", "economista", "abogado", "ingeniero industrial", "administrativo", "licenciado en Derecho"]
    f = ["empresaria", "economista", "abogada", "ingeniera industrial", "administrativa", "licenciada en Derecho"]
    return rr.choice(f if p.female else m)


def _yo(n: Person, lang: str = "es") -> str:  # "el Notario" / "la Notaria" / "el notari" / "la notària"
    if lang == "ca":
        return "la notària" if n.female else "el notari"
    return "la Notaria" if n.female else "el Notario"


def _up_ca(p: Person) -> str:  # "la senyora MARIA ..." / "el senyor JORDI ..."
    return ("la senyora " if p.female else "el senyor ") + p.full.upper()


def _csv_tail(doc: Doc, label: str) -> list[tuple]:
    return [("mono", f"{label}: {doc.csv}")] if doc.csv else []


# =========================================================================== powers of attorney

FACULTADES_ES = [
    "a) Contratar, modificar, prorrogar, ceder y resolver contratos de suministro de energía eléctrica, gas natural "
    "y agua, así como los contratos de acceso a las redes de transporte y distribución.",
    "b) Solicitar altas, bajas, cambios de titular, de potencia contratada, de tarifa de acceso y de empresa "
    "comercializadora, y firmar los boletines, certificados y solicitudes que se requieran.",
    "c) Presentar reclamaciones ante las empresas suministradoras y ante los organismos de consumo y de energía, y "
    "recibir notificaciones.",
    "d) Domiciliar recibos y aceptar facturas, con el límite de {lim} euros por operación.",
]


@template("h10_poder_especial_consejo_secretario_es", "power_of_attorney", "es", consejo=True)
def h10_poder_consejo(doc: Doc) -> list[tuple]:
    """Special power for supply contracts resolved by the BOARD: its secretary appears and grants it, quoting the
    board's certificate issued with the chairman's Vº Bº (chairman named with his DNI), indented and in italics;
    the attorney in the quoted resolution and again in OTORGA; the faculties as lettered paragraphs."""
    a, s, pr = doc.people["appointed"], doc.people["grantor"], doc.people["president"]
    comp, cif = doc.company
    n = doc.notary
    ex, od = doc.extra, doc.other_dates
    rr = _r(doc, 1)
    cond = doc.v < 2
    _style(
        doc,
        "DejaVuSerifCondensed.ttf" if cond else "LiberationSerif-Regular.ttf",
        "DejaVuSerifCondensed-Bold.ttf" if cond else "LiberationSerif-Bold.ttf",
        36 if cond else 40,
        justify=True,
        leading=1.42,
        margin_rule=True,
        margin_l=330,
        indent=0,
    )
    ital = "DejaVuSerifCondensed-Italic.ttf" if cond else "LiberationSerif-Italic.ttf"
    doc.style.header = f"{n.full.upper()} · {_nt(n).upper()} · {doc.city.upper()}" + "          {page}"
    sec = "Secretaria no Consejera" if s.female else "Secretario no Consejero"
    prt = "Presidenta" if pr.female else "Presidente"
    date = date_text(doc.date, "es", ["words", "long", "words", "long"][doc.v])
    head = [
        f"NÚMERO {words_es(doc.protocol).upper()}.-",
        f"PROTOCOLO NÚMERO {proto_printed(doc.protocol)}",
        f"NÚMERO {proto_printed(doc.protocol)}.",
        f"— {proto_printed(doc.protocol)} —",
    ][doc.v]
    lim = f"{rr.choice([3, 6, 10, 15, 30])}.000"
    quote = (
        f"«CERTIFICO: Que en la reunión del Consejo de Administración de la Sociedad celebrada en el domicilio social "
        f"el día {date_text(od['meeting'], 'es', 'long')}, válidamente convocada y con la asistencia, presentes o "
        f"representados, de {rr.choice(['tres', 'cuatro', 'cinco'])} de sus miembros, se adoptó por unanimidad, "
        f"entre otros, el siguiente acuerdo: Conferir poder especial, tan amplio y bastante como en Derecho se "
        f"requiera, a favor de {_dd(a)}, con {_ident(a, doc.fmt)}, para que, en nombre y representación de la "
        f"Sociedad, contrate y gestione los suministros de energía de sus centros de trabajo; y facultar al "
        f"Secretario del Consejo para que comparezca ante Notario y otorgue la correspondiente escritura. "
        f"El acta fue aprobada al término de la reunión. Vº Bº {'la' if pr.female else 'el'} {prt}, {_dd(pr)} "
        f"(D.N.I. {fmt_nif(pr.nif, doc.fmt + 1)}).»"
    )
    b: list[tuple] = [
        ("h", head, 1.0, "l" if doc.v % 2 else "c"),
        ("h", "PODER ESPECIAL PARA LA CONTRATACIÓN DE SUMINISTROS", 1.15, "c"),
        ("pl", f"OTORGADO POR: «{comp.upper()}»"),
        ("pl", f"A FAVOR DE: {a.full.upper()}"),
        ("p", f"En {doc.city}, mi residencia, a {date}."),
        ("p", f"Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 0.95, "c"),
        (
            "p",
            f"{_dd(s).upper()}, mayor de edad, {_estado(rr, s)}, {_prof(rr, s)}, vecin{_o(s)} de "
            f"{rr.choice(K.CITIES)}, con domicilio profesional en {_street(rr)}, y {_ident(s, doc.fmt + 2)}.",
        ),
        ("h", "INTERVIENE", 0.95, "c"),
        (
            "p",
            f"En nombre y representación de la compañía mercantil «{comp}», domiciliada en {doc.city}, "
            f"{_street(rr)}, con C.I.F. {fmt_cif(cif, doc.fmt)}, inscrita en el Registro Mercantil de {_rm(doc)} al "
            f"tomo {ex['tomo']}, folio {ex['folio']}, hoja {ex['hoja']}. Actúa en su condición de {sec} del Consejo "
            f"de Administración, especialmente facultad{_o(s)} para este otorgamiento en virtud de certificación "
            f"expedida por {'ella' if s.female else 'él'} con el Visto Bueno {'de la' if pr.female else 'del'} {prt}, "
            f"cuyas firmas considero legítimas y que dejo unida a esta matriz, y que en lo pertinente dice así:",
        ),
        ("quote", quote, ital),
        (
            "p",
            "Juzgo suficientes, con base en la certificación reseñada, las facultades representativas acreditadas "
            "para el otorgamiento de la presente escritura de poder especial, y al efecto",
        ),
        ("h", "OTORGA", 0.95, "c"),
        (
            "p",
            f"Que, en ejecución del acuerdo transcrito, la sociedad «{comp}», representada como interviene, "
            f"confiere PODER ESPECIAL a favor de {_dd(a).upper()}, antes identificad{_o(a)}, para que, con su sola "
            f"firma, pueda ejercitar las facultades siguientes:",
        ),
    ]
    b += [("pl", t.format(lim=lim)) for t in FACULTADES_ES]
    b += [
        (
            "p",
            f"Así lo dice y otorga. Hechas las reservas y advertencias legales, leo esta escritura al compareciente, "
            f"que la aprueba y firma conmigo. De todo lo consignado en este instrumento público, yo, {_yo(n)}, doy fe.",
        ),
        ("scrawl", [s.full, f"{_nt(n)}: {n.full}"], doc.seed + 1),
    ]
    return b + _csv_tail(doc, "Código Seguro de Verificación")


@template("h10_poder_general_mercantil_revocacion_es", "power_of_attorney", "es", revoca=True)
def h10_poder_general_revocacion(doc: Doc) -> list[tuple]:
    """General commercial power: the ATTORNEY appears first ("a los solos efectos de aceptar"), the grantor
    (joint-and-several administrator) second; OTORGAN: PRIMERO the power, SEGUNDO a "cláusula de revocación" of a
    former attorney (his DNI, the earlier deed's notary, date and protocol), TERCERO the acceptance; small caps."""
    a, g, o, pn = (doc.people[k] for k in ("appointed", "grantor", "outgoing", "prior_notary"))
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 2)
    old_d, old_p = doc.other_dates["old_power"], doc.extra["old_protocol"]
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 42 if doc.v < 2 else 39, justify=True)
    doc.style.leading = 1.5
    doc.style.footer = "Copia simple — sin valor de inscripción — folio {page}"
    adm = "administradora solidaria" if g.female else "administrador solidario"
    date = date_text(doc.date, "es", ["long", "words", "num", "words"][doc.v])
    return [
        ("sc", f"Número {proto_printed(doc.protocol)}", 1.0),
        ("h", "PODER GENERAL MERCANTIL", 1.3, "c"),
        ("sc", f"otorgado por la mercantil {comp}", 0.9),
        (
            "p",
            f"En {doc.city}, a {date}. Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio de "
            f"{K.COLEGIO[doc.city]}, con residencia en esta capital,",
        ),
        ("sc", "Comparecen", 1.2),
        (
            "p",
            f"De una parte, {_dd(a).upper()}, mayor de edad, {_estado(rr, a)}, {_prof(rr, a)}, con domicilio en "
            f"{_street(rr)}, {rr.choice(K.CITIES)}, y {_ident(a, doc.fmt)}, quien comparece a los solos efectos de "
            f"aceptar el apoderamiento que se le confiere en esta escritura.",
        ),
        (
            "p",
            f"Y de otra, {_dd(g).upper()}, mayor de edad, {_estado(rr, g)}, {_prof(rr, g)}, vecin{_o(g)} de "
            f"{doc.city}, y {_ident(g, doc.fmt + 1)}, quien interviene en nombre y representación de la compañía "
            f"mercantil «{comp.upper()}», con domicilio social en {_street(rr)}, {doc.city}, y C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, en su calidad de {adm} de la misma, cargo vigente según me asegura.",
        ),
        (
            "p",
            "Les identifico por sus documentos de identidad reseñados. Tienen, a mi juicio, según intervienen, "
            "capacidad legal para otorgar esta escritura, y",
        ),
        ("sc", "Otorgan", 1.2),
        (
            "p",
            f"PRIMERO.- Que {_dd(g)}, en la representación que ostenta, confiere PODER GENERAL MERCANTIL a favor de "
            f"{_dd(a)}, para que, actuando solidariamente, represente a la sociedad en el giro y tráfico de su "
            f"empresa y, en especial, contrate, modifique y resuelva suministros de electricidad y gas, solicite "
            f"cambios de potencia, de tarifa y de comercializadora y firme los contratos de acceso a la red.",
        ),
        (
            "p",
            f"SEGUNDO.- CLÁUSULA DE REVOCACIÓN. Queda revocado y sin efecto alguno el poder conferido por la sociedad "
            f"a favor de {_dd(o)}, con {_ident(o, doc.fmt + 2)}, en escritura autorizada por "
            f"{'la' if pn.female else 'el'} {_nt(pn)} de {rr.choice(K.CITIES)}, {_dd(pn)}, el día "
            f"{date_text(old_d, 'es', 'long')}, con el número {proto_printed(old_p)} de su protocolo. Advierto de la "
            f"conveniencia de notificar la revocación al apoderado revocado y a los terceros con quienes contrate.",
        ),
        (
            "p",
            f"TERCERO.- {_dd(a)} acepta el poder conferido. Así lo dicen y otorgan. Leída, la aprueban y firman "
            f"conmigo. De todo lo cual, yo, {_yo(n)}, doy fe.",
        ),
        ("scrawl", [a.full, g.full, f"{_nt(n)}: {n.full}"], doc.seed + 2),
    ] + _csv_tail(doc, "CSV")


@template("h10_poder_quadre_facultats_ca", "power_of_attorney", "ca")
def h10_poder_quadre_facultats(doc: Doc) -> list[tuple]:
    """Catalan special power granted by the sole administrator; the faculties in a ruled table "Facultat |
    Exercici | Límit"; the protocol number and the notary in a top line."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 3)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 35, justify=True, leading=1.5)
    doc.style.footer = f"{_nt(n, 'ca')} {n.full} · {rr.choice(K.STREETS_CA)}, {rr.randrange(1, 120)} · {doc.city}"
    adm = "administradora única" if g.female else "administrador únic"
    date = date_text(doc.date, "ca", ["long", "words", "num", "long"][doc.v])
    rows = [
        ["Facultat", "Exercici", "Límit"],
        [
            "Contractar, modificar i donar de baixa subministraments d'electricitat, gas i aigua",
            "Solidari",
            "Sense límit",
        ],
        ["Sol·licitar canvis de potència, de tarifa d'accés i de comercialitzadora", "Solidari", "Sense límit"],
        ["Signar els contractes d'accés i connexió amb la distribuïdora", "Solidari", f"{rr.randrange(5, 60)}.000 €"],
        [
            "Acceptar factures i domiciliar-ne el pagament",
            f"Mancomunat amb l'{adm}",
            f"{rr.randrange(2, 20)}.000 € per factura",
        ],
    ]
    return [
        ("lr", f"Protocol núm. {proto_printed(doc.protocol)}", f"{_nt(n, 'ca')}: {n.full}", 0.9),
        ("h", "ESCRIPTURA DE PODER ESPECIAL", 1.25, "c"),
        ("p", f"A {doc.city}, el {date}."),
        (
            "p",
            f"Davant meu, {n.full.upper()}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya, amb residència en "
            f"aquesta ciutat,",
        ),
        ("h", "COMPAREIX", 0.95, "l"),
        (
            "p",
            f"{_cap(_ca(g))}, major d'edat, {'veïna' if g.female else 'veí'} de {doc.city}, amb domicili a "
            f"{_street(rr, 'ca')}, i amb DNI {fmt_nif(g.nif, doc.fmt)}.",
        ),
        ("h", "INTERVÉ", 0.95, "l"),
        (
            "p",
            f"En nom i representació de la societat {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)} i domicili a "
            f"{_street(rr, 'ca')}, {doc.city}, en la seva condició d'{adm}, càrrec per al qual va ser "
            f"{'nomenada' if g.female else 'nomenat'} per termini indefinit i que assegura vigent. Té, al meu judici, "
            f"la capacitat legal necessària per atorgar aquesta escriptura i",
        ),
        ("h", "ATORGA", 0.95, "l"),
        (
            "p",
            f"Que la societat, representada tal com intervé, confereix PODER ESPECIAL a favor de {_up_ca(a)}, "
            f"major d'edat, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, perquè, en nom i representació de la "
            f"societat, exerceixi les facultats que figuren al quadre següent, amb la forma d'exercici i els límits "
            f"que s'hi indiquen:",
        ),
        ("table", [0.56, 0.22, 0.22], rows),
        (
            "p",
            f"Així ho diu i atorga. Faig les reserves i advertiments legals. Llegeixo aquesta escriptura "
            f"{'a la' if g.female else 'al'} compareixent, que l'aprova i la signa amb mi. De tot el contingut "
            f"d'aquest instrument públic, jo, {_yo(n, 'ca')}, en dono fe.",
        ),
        ("scrawl", [g.full, f"{_nt(n, 'ca')}: {n.full}"], doc.seed + 3),
    ] + _csv_tail(doc, "Codi segur de verificació")


# =========================================================================== deeds


@template("h10_cese_nombramiento_reunidos_es", "deed", "es")
def h10_cese_reunidos(doc: Doc) -> list[tuple]:
    """Deed of cessation and appointment with numbered sections I. REUNIDOS / II. INTERVIENEN / III. EXPONEN /
    IV. OTORGAN: the outgoing and the incoming sole administrator appear and intervene in the same words; only
    OTORGAN says who ceases and who is appointed.  Typewriter (even v) or serif."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    n = doc.notary
    od = doc.other_dates
    rr = _r(doc, 4)
    mono = doc.v % 2 == 0
    _style(
        doc,
        "LiberationMono-Regular.ttf" if mono else "LiberationSerif-Regular.ttf",
        "LiberationMono-Bold.ttf" if mono else "LiberationSerif-Bold.ttf",
        35 if mono else 41,
        justify=not mono,
        leading=1.45,
    )
    doc.style.footer = "- {page} -"
    first, second = (o, a) if doc.v < 2 else (a, o)
    cargo = lambda p: "Administradora Única" if p.female else "Administrador Único"  # noqa: E731
    people = []
    for i, p in enumerate((first, second), 1):
        people.append(
            (
                "p",
                f"{i}. {_dd(p).upper()}, mayor de edad, {_estado(rr, p)}, {_prof(rr, p)}, vecin{_o(p)} de "
                f"{rr.choice(K.CITIES)}, con domicilio en {_street(rr)}, y {_ident(p, doc.fmt + i)}.",
            )
        )
    return (
        [
            ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "l"),
            ("h", "ESCRITURA DE CESE Y NOMBRAMIENTO DE ADMINISTRADOR", 1.1, "c"),
            ("p", f"En {doc.city}, a {date_text(doc.date, 'es', 'words' if doc.v != 1 else 'long')}."),
            (
                "p",
                f"Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, con residencia "
                f"en esta ciudad,",
            ),
            ("h", "I. REUNIDOS", 1.0, "l"),
        ]
        + people
        + [
            ("h", "II. INTERVIENEN", 1.0, "l"),
            (
                "p",
                f"{'Ambas' if a.female and o.female else 'Ambos'} en nombre y representación de la compañía mercantil «{comp.upper()}», con domicilio social en "
                f"{_street(rr)}, {doc.city}, con C.I.F. {fmt_cif(cif, doc.fmt)}, constituida por tiempo indefinido en "
                f"escritura autorizada el {date_text(od['constitution'], 'es', 'long')} e inscrita en el Registro "
                f"Mercantil de {_rm(doc)}; y además en su propio nombre y derecho, en ejecución de los acuerdos de la "
                f"Junta General Universal de socios celebrada el día {_num(od['meeting'])}, según resulta de la "
                f"certificación que me entregan y dejo incorporada a esta matriz.",
            ),
            (
                "p",
                "Les identifico por sus documentos de identidad reseñados y tienen, a mi juicio, según intervienen, "
                "capacidad legal para formalizar esta escritura, y a tal fin",
            ),
            ("h", "III. EXPONEN", 1.0, "l"),
            (
                "p",
                "I.- Que la Junta General Universal de socios acordó por unanimidad reorganizar el órgano de "
                "administración de la sociedad, que seguirá confiado a un administrador único, en los términos que "
                "resultan de la parte dispositiva de esta escritura.",
            ),
            ("p", "II.- Que desean formalizar dichos acuerdos, y a tal efecto"),
            ("h", "IV. OTORGAN", 1.0, "l"),
            (
                "p",
                f"PRIMERO.- {_dd(o).upper()} cesa en el cargo de {cargo(o)} de la sociedad, para el que fue "
                f"nombrad{_o(o)} el {date_text(od['old_appointment'], 'es', 'long')}, y la Junta le aprueba la "
                f"gestión realizada.",
            ),
            (
                "p",
                f"SEGUNDO.- Queda nombrad{_o(a)} {cargo(a)} de la sociedad, por plazo indefinido, "
                f"{_dd(a).upper()}, quien acepta el cargo y declara no hallarse incurs{_o(a)} en causa alguna de "
                f"incapacidad o incompatibilidad, en especial las de la Ley 3/2015, de 30 de marzo.",
            ),
            (
                "p",
                f"TERCERO.- Solicitan la inscripción de esta escritura en el Registro Mercantil. Así lo dicen y "
                f"otorgan. Leída, la aprueban y firman conmigo, {_yo(n)}, que doy fe.",
            ),
            ("scrawl", [first.full, second.full, f"{_nt(n)}: {n.full}"], doc.seed + 4),
        ]
        + _csv_tail(doc, "CSV")
    )


@template("h10_cessament_administradors_solidaris_ca", "deed", "ca", solidaris=True)
def h10_cessament_solidaris(doc: Doc) -> list[tuple]:
    """Catalan deed raising to public the cessation of two joint-and-several administrators and the appointment
    of two new ones, raised by the secretary of the meeting; the four names and DNIs in a double-ruled box
    "CESSEN | SÓN NOMENATS"."""
    a, a2, o, o2, s = (doc.people[k] for k in ("appointed", "appointed2", "outgoing", "outgoing2", "secretary"))
    comp, cif = doc.company
    n = doc.notary
    od = doc.other_dates
    rr = _r(doc, 5)
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 36 if doc.v % 2 else 38, justify=True, leading=1.48)
    doc.style.header = f"Protocol {proto_printed(doc.protocol)}"
    new = (a, a2) if doc.v < 2 else (a2, a)
    left: list[str] = []
    right: list[str] = []
    for i, (p, q) in enumerate(zip((o, o2), new)):
        if i:
            left.append("")
            right.append("")
        left += [p.full.upper(), f"DNI/NIE {fmt_nif(p.nif, doc.fmt)}"]
        right += [q.full.upper(), f"DNI/NIE {fmt_nif(q.nif, doc.fmt)}"]
    secr = "secretària" if s.female else "secretari"
    return [
        ("h", f"NÚMERO {words_ca(doc.protocol).upper()} ({proto_printed(doc.protocol)})", 1.0, "c"),
        ("h", "ESCRIPTURA D'ELEVACIÓ A PÚBLIC D'ACORDS SOCIALS", 1.15, "c"),
        ("h", "Cessament i nomenament d'administradors solidaris", 0.9, "c"),
        ("p", f"A {doc.city}, el {date_text(doc.date, 'ca', 'words' if doc.v != 2 else 'long')}."),
        ("p", f"Davant meu, {n.full.upper()}, {_nt(n, 'ca').lower()} del Col·legi Notarial de Catalunya,"),
        ("h", "COMPAREIX", 0.95, "l"),
        (
            "p",
            f"{_cap(_ca(s))}, major d'edat, {'veïna' if s.female else 'veí'} de {rr.choice(K.CITIES_CA)}, amb "
            f"domicili a {_street(rr, 'ca')} i DNI {fmt_nif(s.nif, doc.fmt + 1)}.",
        ),
        ("h", "INTERVÉ", 0.95, "l"),
        (
            "p",
            f"En nom i representació de la societat {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)}, en la seva "
            f"condició de {secr} no {'sòcia' if s.female else 'soci'} de la Junta General, "
            f"{'facultada' if s.female else 'facultat'} per elevar a públics els acords adoptats, segons "
            f"certificació que m'entrega i que incorporo a aquesta matriu.",
        ),
        ("h", "EXPOSA", 0.95, "l"),
        (
            "p",
            f"Que la Junta General Extraordinària i Universal de socis, reunida al domicili social el "
            f"{_num(od['meeting'])}, va acordar per unanimitat el cessament dels administradors solidaris i el "
            f"nomenament de nous administradors solidaris, per termini indefinit, segons el quadre següent:",
        ),
        ("dbox", [("CESSEN", left), ("SÓN NOMENATS", right)]),
        (
            "p",
            "Els administradors nomenats, presents a la Junta, van acceptar el càrrec i van manifestar que no "
            "incorren en cap causa d'incompatibilitat legal. Cadascun podrà representar la societat amb la seva "
            "sola signatura.",
        ),
        ("h", "ATORGA", 0.95, "l"),
        (
            "p",
            "Que eleva a públics els acords esmentats i en sol·licita la inscripció al Registre Mercantil. Llegida "
            "aquesta escriptura, la compareixent l'aprova i la signa amb mi. Dono fe."
            if s.female
            else "Que eleva a públics els acords esmentats i en sol·licita la inscripció al Registre Mercantil. "
            "Llegida aquesta escriptura, el compareixent l'aprova i la signa amb mi. Dono fe.",
        ),
        ("scrawl", [s.full, f"{_nt(n, 'ca')}: {n.full}"], doc.seed + 5),
    ] + _csv_tail(doc, "Codi segur de verificació")


# =========================================================================== registry


@template("h10_certificacion_vigencia_cargos_es", "registry_certificate", "es", vigencia=True)
def h10_certificacion_vigencia(doc: Doc) -> list[tuple]:
    """Registro Mercantil "certificación de vigencia de cargos": a table of the officers in office "Cargo |
    Nombre | DNI | Fecha nombramiento | Fecha inscripción" and a separate table "Cargos caducados o cesados"; the
    issue date only in the closing line (none in an undated one)."""
    a, o, o2, px = (doc.people[k] for k in ("appointed", "outgoing", "outgoing2", "proxy"))
    comp, cif = doc.company
    r = doc.registrar
    od, ex = doc.other_dates, doc.extra
    rm = _rm(doc)
    rr = _r(doc, 6)
    undated = ex.get("no_issue_date")
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 36, justify=False, leading=1.4)
    doc.style.footer = f"Hoja {ex['hoja']} · Entrada {rr.randrange(1000, 9999)}/{doc.date.year}" + " · {page}/{pages}"
    adm = lambda p: "Administradora Única" if p.female else "Administrador Único"  # noqa: E731
    ins = lambda d: _num(d + dt.timedelta(days=ex["lag"]))  # noqa: E731
    vig = [
        ["Cargo", "Nombre", "DNI", "Fecha nombramiento", "Fecha inscripción"],
        [adm(a), a.surname_first(), fmt_nif(a.nif, 0), _num(od["appointment"]), ins(od["appointment"])],
        [
            "Apoderada" if px.female else "Apoderado",
            px.surname_first(),
            fmt_nif(px.nif, 0),
            _num(od["proxy"]),
            ins(od["proxy"]),
        ],
    ]
    ces = [
        ["Cargo", "Nombre", "DNI", "Fecha nombramiento", "Fecha cese"],
        [adm(o), o.surname_first(), fmt_nif(o.nif, 0), _num(od["old_appointment"]), _num(od["removal"])],
        [adm(o2), o2.surname_first(), fmt_nif(o2.nif, 0), _num(od["constitution"]), _num(od["old_appointment"])],
    ]
    close = "Y para que conste, expido la presente certificación"
    if undated:
        close += ", que firmo electrónicamente."
    else:
        close += f" en {rm}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'words'][doc.v])}."
    fr = [0.2, 0.3, 0.16, 0.17, 0.17]
    return [
        ("h", f"REGISTRO MERCANTIL DE {rm.upper()}", 1.2, "c"),
        ("h", "CERTIFICACIÓN DE VIGENCIA DE CARGOS", 1.05, "c"),
        (
            "p",
            f"{r.full.upper()}, Registrador{_a(r)} Mercantil de {rm}, CERTIFICA: Que a la vista de los asientos del "
            f"Registro a su cargo y de la solicitud presentada, resulta, respecto de la sociedad que se indica, que "
            f"los cargos inscritos y vigentes, y los caducados o cesados, son los que figuran a continuación:",
        ),
        ("kv", "Denominación", comp.upper()),
        ("kv", "N.I.F.", fmt_cif(cif, doc.fmt)),
        ("kv", "Datos registrales", f"Hoja {ex['hoja']} · Tomo {ex['tomo']} · Folio {ex['folio']}"),
        ("h", "1. Cargos vigentes", 0.95, "l"),
        ("table", fr, vig),
        ("h", "2. Cargos caducados o cesados", 0.95, "l"),
        ("table", fr, ces),
        (
            "p",
            "Que no consta en el Registro asiento alguno posterior, ni presentado pendiente de despacho, que modifique "
            "lo certificado. " + close,
        ),
        ("r", f"{'La Registradora' if r.female else 'El Registrador'}: {r.full}"),
    ] + _csv_tail(doc, "Código Seguro de Verificación")


def _dots(label: str, width: int = 14) -> str:
    return f"{label} {'.' * max(2, width - len(label))}: "


@template("h10_certificacio_extracte_mono_ca", "registry_certificate", "ca", extracte=True)
def h10_certificacio_extracte(doc: Doc) -> list[tuple]:
    """Catalan registry certificate typed in monospace as a register extract: one block of dotted-label lines per
    entry (ASSENTAMENT, DATA, ACTE, CÀRREC, PERSONA, DNI/NIE); the issue date in the closing formula."""
    a, o, px = doc.people["appointed"], doc.people["outgoing"], doc.people["proxy"]
    comp, cif = doc.company
    r = doc.registrar
    od, ex = doc.other_dates, doc.extra
    rm = _rm(doc)
    rr = _r(doc, 7)
    _style(doc, "LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf", 34, justify=False, leading=1.38)
    doc.style.header = f"RM {rm.upper()} · FULL {ex['hoja']}" + " · PÀG. {page}"
    adm = lambda p: "ADMINISTRADORA ÚNICA" if p.female else "ADMINISTRADOR ÚNIC"  # noqa: E731
    i_new = ex["inscription"]
    entries = [
        (i_new - 3, od["old_appointment"], "NOMENAMENT", adm(o), o),
        (i_new - 1, od["proxy"], "PODER GENERAL", "APODERADA" if px.female else "APODERAT", px),
        (i_new, od["removal"], "CESSAMENT", adm(o), o),
        (i_new, od["appointment"], "NOMENAMENT", adm(a), a),
    ]
    b: list[tuple] = [
        ("h", f"REGISTRE MERCANTIL DE {rm.upper()}", 1.1, "l"),
        ("mono", f"Entrada núm. {rr.randrange(1000, 99999)}/{doc.date.year} · Diari {rr.randrange(100, 1500)}"),
        ("h", "CERTIFICACIÓ", 1.25, "c"),
        (
            "p",
            f"{r.full.upper()}, {'registradora' if r.female else 'registrador'} mercantil de {rm}, CERTIFICO: que "
            f"en el full obert a la societat {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)}, tom {ex['tomo']}, foli "
            f"{ex['folio']}, consten, pel que fa als càrrecs i apoderaments, els assentaments següents:",
        ),
        ("mono", "-" * 44),
    ]
    for i, d, act, carrec, p in entries:
        b += [
            ("mono", f"{_dots('ASSENTAMENT')}Inscripció {i}a"),
            ("mono", f"{_dots('DATA')}{_num(d)}"),
            ("mono", f"{_dots('ACTE')}{act}"),
            ("mono", f"{_dots('CÀRREC')}{carrec}"),
            ("mono", f"{_dots('PERSONA')}{p.full.upper()}"),
            ("mono", f"{_dots('DNI/NIE')}{fmt_nif(p.nif, doc.fmt)}"),
            ("mono", "-" * 44),
        ]
    b += [
        (
            "p",
            "Que no hi ha cap assentament posterior ni cap document pendent de despatx que afecti el que s'ha "
            f"certificat. I perquè consti, expedeixo aquesta certificació a {rm}, el "
            f"{date_text(doc.date, 'ca', 'words' if doc.v % 2 else 'long')}.",
        ),
        ("r", f"{'La registradora' if r.female else 'El registrador'}: {r.full}"),
    ]
    return b + _csv_tail(doc, "CSV")


# =========================================================================== mandates

FINCAS10 = [
    "Administración de Fincas Quintanilla y Asociados, S.L.",
    "Gestión Inmobiliaria Echevarría, S.L.",
    "Fincas del Valle Administradores, S.L.",
    "Administraciones Yáñez Cañizares, S.L.",
]
COMERCIALIZADORAS = [
    "Atlántica Comercializadora de Energía, S.A.",
    "Meseta Energía Clientes, S.L.U.",
    "Mediterránea Luz y Gas, S.A.",
]
SERVICIOS10 = [
    "Vatios Gestión Integral, S.L.",
    "Optima Energy Services Iberia, S.L.",
    "Cuadrante Energía y Eficiencia, S.L.",
    "Solenza Gestión Energética, S.L.",
]
GESTORS10_CA = [
    "Energia Clara Consultors, S.L.",
    "Kilovat Gestió Energètica, S.L.",
    "Eficient Serveis Energètics del Penedès, S.L.",
]


def _cups(rr: random.Random) -> str:
    return f"ES0{rr.randrange(21, 399):03d}{rr.randrange(10**11, 10**12)}{rr.choice('ABCDEFGH')}{rr.choice('JKLMNP')}"


def _seal_lines(comp: str, city: str) -> list[str]:
    head, _, rest = comp.upper().partition(" PROPIETARIOS ")
    return [f"{head} PROPIETARIOS", rest[:30], city.upper()] if rest else [comp.upper()[:30], city.upper()]


@template("h10_carta_administrador_fincas_autorizacion_es", "manager_mandate", "es", community=True)
def h10_carta_fincas(doc: Doc) -> list[tuple]:
    """A property administrator firm's covering letter (letterhead, its own date, addressee, subject) followed by
    the community's "autorización de acceso a datos de suministro" signed by its president for the firm and the
    firm's colegiado; the signature date in "En ..., a ..." before the signatures."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    firm, fcif = doc.extra["gestora"]
    com = doc.extra["comercializadora"]
    rr = _r(doc, 8)
    serif = doc.v % 2 == 0
    _style(
        doc,
        "LiberationSerif-Regular.ttf" if serif else "LiberationSans-Regular.ttf",
        "LiberationSerif-Bold.ttf" if serif else "LiberationSans-Bold.ttf",
        39 if serif else 36,
        justify=True,
        leading=1.4,
    )
    doc.style.margin_t = 180
    doc.style.footer = f"{firm} · C.I.F. {fcif} · {_street(rr)} · {doc.city}"
    initials = "".join(w[0] for w in firm.split() if w[0].isupper())[:3]
    col = rr.randrange(200, 6000)
    pres = "Presidenta" if g.female else "Presidente"
    sig_d = date_text(doc.date, "es", ["long", "num", "long", "dash"][doc.v])
    cups = [[_cups(rr), u] for u in rr.sample(["Alumbrado escalera", "Ascensor", "Garaje", "Grupo de presión"], 2)]
    return [
        ("logo", initials, firm, f"Administración de fincas · Colegiado n.º {col}"),
        ("r", f"{doc.city}, {date_text(doc.extra['letter_date'], 'es', 'long')}"),
        ("pl", com),
        ("pl", "Departamento de Atención a Empresas y Comunidades"),
        ("pl", f"Asunto: {comp} – autorización de acceso a datos de suministro"),
        (
            "p",
            "Muy señores nuestros: como administradores de la comunidad de referencia, les remitimos la autorización "
            f"firmada por su {pres.lower()} para que este despacho pueda consultar los datos de consumo y gestionar "
            "los contratos de suministro de las zonas comunes. Les rogamos que en lo sucesivo dirijan a este despacho "
            "la correspondencia de dichos suministros. Atentamente,",
        ),
        ("pl", f"Dpto. de Comunidades — {firm}"),
        ("h", "AUTORIZACIÓN DE ACCESO A DATOS DE SUMINISTRO", 1.05, "c"),
        (
            "p",
            f"{_dd(g).upper()}, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, en su condición de {pres} de la {comp}, "
            f"con C.I.F. {fmt_cif(cif, doc.fmt)}, cargo para el que fue elegid{_o(g)} en la Junta General de "
            f"propietarios celebrada el {_num(doc.other_dates['meeting'])}, AUTORIZA a {firm}, con C.I.F. "
            f"{fmt_cif(fcif, doc.fmt + 1)}, y en su nombre a su administrador{_a(a)} de fincas colegiad{_o(a)} "
            f"{_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, para:",
        ),
        ("pl", "1. Acceder a los datos de consumo, curvas de carga y facturación de los suministros de la Comunidad."),
        ("pl", "2. Solicitar altas, bajas y modificaciones de potencia, de tarifa y de titular de dichos suministros."),
        ("pl", "3. Recibir en su nombre las facturas y comunicaciones de la comercializadora y de la distribuidora."),
        ("table", [0.6, 0.4], [["CUPS", "Uso"]] + cups),
        (
            "p",
            f"La presente autorización surte efectos desde su firma y hasta su revocación por escrito. En {doc.city}, "
            f"a {sig_d}.",
        ),
        ("scrawl", [f"{'La' if g.female else 'El'} {pres}: {g.full}", f"Por {firm}: {a.full}"], doc.seed + 8),
        ("seal", _seal_lines(comp, doc.city), 1, 0.12),
    ]


@template(
    "h10_contrato_servicios_gestion_energetica_es", "manager_mandate", "es", witness=True, pages=True, servicios=True
)
def h10_contrato_servicios(doc: Doc) -> list[tuple]:
    """Energy-management services contract dated in its heading; the firm is represented by its APODERADO (his
    power's notary and protocol quoted); annex of CUPS on page 2, signature page on page 3 (a witness there on
    some multi-page copies)."""
    a, g, pn = doc.people["appointed"], doc.people["grantor"], doc.people["prior_notary"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    firm, fcif = doc.extra["gestora"]
    rr = _r(doc, 9)
    _style(
        doc,
        "LiberationSansNarrow-Regular.ttf" if doc.v % 2 else "DejaVuSans.ttf",
        "LiberationSansNarrow-Bold.ttf" if doc.v % 2 else "DejaVuSans-Bold.ttf",
        41 if doc.v % 2 else 35,
        justify=True,
        leading=1.42,
    )
    ref = f"GE-{doc.date.year}-{rr.randrange(100, 999)}"
    doc.style.header = f"Contrato {ref}"
    doc.style.footer = "Página {page} de {pages}"
    cargo = rr.choice(["Administrador Único", "Consejero Delegado", "Gerente", "Apoderado"])
    if g.female:
        cargo = {"Administrador Único": "Administradora Única", "Consejero Delegado": "Consejera Delegada"}.get(
            cargo, "Apoderada" if cargo == "Apoderado" else cargo
        )
    date = date_text(doc.date, "es", ["long", "num", "long", "dot"][doc.v])
    until = doc.other_dates["until"]
    rows = [["CUPS", "Dirección del suministro", "Tarifa", "P1 (kW)"]]
    for _ in range(rr.randrange(3, 6)):
        rows.append(
            [
                _cups(rr),
                f"{rr.choice(K.STREETS_ES)}, {rr.randrange(1, 200)}, {rr.choice(K.CITIES)}",
                rr.choice(["2.0TD", "3.0TD", "6.1TD"]),
                f"{rr.randrange(10, 450)},{rr.randrange(0, 99):02d}",
            ]
        )
    b: list[tuple] = [
        ("h", "CONTRATO DE PRESTACIÓN DE SERVICIOS DE GESTIÓN ENERGÉTICA", 1.1, "c"),
        ("p", f"En {doc.city}, a {date}."),
        ("h", "REUNIDOS", 1.0, "c"),
        (
            "p",
            f"De una parte, {_dd(g)}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, en nombre y "
            f"representación de {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)} y domicilio en {_street(rr)}, "
            f"{doc.city}, en su calidad de {cargo} (en adelante, «EL CLIENTE»).",
        ),
        (
            "p",
            f"De otra parte, {_dd(a)}, mayor de edad, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, en nombre y "
            f"representación de {firm.upper()}, con C.I.F. {fmt_cif(fcif, doc.fmt)}, en su calidad de "
            f"apoderad{_o(a)} en virtud de escritura otorgada ante {'la' if pn.female else 'el'} {_nt(pn)} de "
            f"{rr.choice(K.CITIES)}, {_dd(pn)}, el {date_text(doc.other_dates['firm_power'], 'es', 'long')}, con el "
            f"número {proto_printed(doc.extra['firm_protocol'])} de su protocolo (en adelante, «LA EMPRESA DE "
            f"SERVICIOS»).",
        ),
        ("h", "EXPONEN", 1.0, "c"),
        (
            "p",
            "I. Que EL CLIENTE es titular de los puntos de suministro de energía eléctrica relacionados en el Anexo I. "
            "II. Que LA EMPRESA DE SERVICIOS se dedica a la gestión, optimización y contratación de suministros "
            "energéticos por cuenta de terceros. III. Que ambas partes convienen en celebrar el presente contrato, "
            "que se regirá por las siguientes",
        ),
        ("h", "CLÁUSULAS", 1.0, "c"),
        (
            "p",
            "PRIMERA. Objeto. LA EMPRESA DE SERVICIOS gestionará los suministros del Anexo I: análisis de facturas, "
            "optimización de potencias y tarifas, negociación y contratación con las comercializadoras y tramitación "
            "ante la empresa distribuidora.",
        ),
        (
            "p",
            "SEGUNDA. Mandato. EL CLIENTE otorga a LA EMPRESA DE SERVICIOS mandato con representación para firmar en "
            "su nombre los contratos de suministro y de acceso, las solicitudes de cambio y las reclamaciones, que "
            "ejercitará por medio de su apoderado firmante o de quien la sustituya en dicho poder.",
        ),
        (
            "p",
            f"TERCERA. Duración. El contrato entra en vigor en la fecha de su firma y vence el {_num(until)}, "
            f"prorrogándose por anualidades salvo denuncia con dos meses de antelación.",
        ),
        (
            "p",
            f"CUARTA. Honorarios. {rr.randrange(40, 180)},00 euros mensuales por punto de suministro, más IVA. "
            f"QUINTA. Protección de datos. Las partes tratarán los datos conforme al Reglamento (UE) 2016/679.",
        ),
        ("pb",),
        ("h", "ANEXO I · PUNTOS DE SUMINISTRO", 1.05, "l"),
        ("table", [0.38, 0.38, 0.11, 0.13], rows),
        ("pl", f"Titular de todos los puntos: {comp.upper()} (C.I.F. {fmt_cif(cif, 0)})."),
        ("pb",),
        ("h", "PÁGINA DE FIRMAS", 1.05, "c"),
        (
            "p",
            "Y en prueba de conformidad con cuanto antecede, las partes firman el presente contrato y su Anexo I, "
            "por duplicado y a un solo efecto, en el lugar y la fecha indicados en el encabezamiento.",
        ),
        (
            "scrawl",
            [f"Por EL CLIENTE: {g.full}", f"Por LA EMPRESA DE SERVICIOS: {a.full} (apoderad{_o(a)})"],
            doc.seed + 9,
        ),
    ]
    if w:
        b += [
            ("p", f"Firma como testigo {_dd(w)}, con D.N.I. {fmt_nif(w.nif, doc.fmt)}."),
            ("scrawl", [f"Testigo: {w.full}"], doc.seed + 10),
        ]
    return b


@template("h10_autoritzacio_gestor_energetic_ca", "manager_mandate", "ca")
def h10_autoritzacio_ca(doc: Doc) -> list[tuple]:
    """A Catalan company's "autorització de representació" on its letterhead: ruled form boxes (company and
    representative; energy manager and authorised person), lettered powers, "Data de signatura: 03.11.2026"."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 10)
    _style(
        doc,
        "LiberationSansNarrow-Regular.ttf" if doc.v < 2 else "DejaVuSansCondensed.ttf",
        "LiberationSansNarrow-Bold.ttf" if doc.v < 2 else "DejaVuSansCondensed-Bold.ttf",
        42 if doc.v < 2 else 37,
        justify=False,
        leading=1.4,
    )
    initials = "".join(w[0] for w in comp.split()[:2]).upper()
    carrec = rr.choice(["Gerent", "Administradora única" if g.female else "Administrador únic", "Directora financera"])
    dstyle = ["dot", "num", "dot", "long"][doc.v]
    return [
        ("logo", initials, comp, f"NIF {fmt_cif(cif, 0)} · {_street(rr, 'ca')} · {doc.city}"),
        ("h", "AUTORITZACIÓ DE REPRESENTACIÓ DAVANT LES EMPRESES SUBMINISTRADORES", 1.05, "l"),
        (
            "box",
            "1. Empresa titular dels subministraments",
            [
                ("Raó social", comp.upper()),
                ("NIF", fmt_cif(cif, doc.fmt)),
                ("Representant", g.full.upper()),
                ("DNI/NIE", fmt_nif(g.nif, doc.fmt)),
                ("Càrrec", carrec),
            ],
        ),
        (
            "box",
            "2. Gestor energètic autoritzat",
            [
                ("Empresa", gest),
                ("NIF", fmt_cif(gcif, doc.fmt)),
                ("Persona autoritzada", a.full.upper()),
                ("DNI/NIE", fmt_nif(a.nif, doc.fmt + 1)),
            ],
        ),
        (
            "p",
            f"{_cap(_ca(g))}, en nom i representació de l'empresa titular, AUTORITZA el gestor energètic i la persona "
            f"indicada a l'apartat 2 perquè, en nom de l'empresa: a) contractin, modifiquin i donin de baixa "
            f"subministraments d'electricitat i gas; b) sol·licitin canvis de potència, de tarifa i de "
            f"comercialitzadora; c) consultin les dades de consum i rebin les factures.",
        ),
        (
            "p",
            f"Aquesta autorització és vàlida fins al {_num(doc.other_dates['until'])} i es pot revocar en qualsevol "
            f"moment per escrit adreçat a la comercialitzadora.",
        ),
        ("pl", f"Lloc: {doc.city}"),
        ("pl", f"Data de signatura: {date_text(doc.date, 'ca', dstyle)}"),
        ("scrawl", [f"Signat: {g.full} ({carrec.lower()})"], doc.seed + 11),
        ("seal", [comp.upper()[:30], f"NIF {cif}"], 1, 0.62),
    ]


# =========================================================================== ID documents


def _dmy(d: dt.date, sep: str = " ") -> str:
    return d.strftime(f"%d{sep}%m{sep}%Y")


@template("h10_id_dni40_reverso_primero_es", "id_document", "es", dni40=True)
def h10_dni40_reverso(doc: Doc) -> list[Image.Image]:
    """DNI 4.0 scanned BACK FIRST: the back (address, birthplace, parents, QR code, TD1 MRZ) above the front
    (bilingual labels, DNI number, "EMISIÓN / ISSUE" and "VALIDEZ / EXPIRY")."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    rr = _r(doc, 20)
    L, B = "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"
    front = K.card_base(doc.seed, (218, 228, 222))
    d = ImageDraw.Draw(front)
    d.rectangle([50, 40, 190, 140], fill=(25, 45, 150))
    for i in range(12):  # the EU stars, as dots
        ang = i * math.pi / 6
        cx, cy = 120 + 34 * math.cos(ang), 90 + 34 * math.sin(ang)
        d.ellipse([cx - 4, cy - 4, cx + 4, cy + 4], fill=(250, 210, 40))
    d.text((220, 34), "ESPAÑA", font=_f(B, 60), fill=(140, 25, 35))
    d.text((220, 104), "DOCUMENTO NACIONAL DE IDENTIDAD / IDENTITY CARD", font=_f(B, 34), fill=(30, 50, 90))
    d.rectangle([60, 210, 520, 790], fill=(158, 164, 160))
    lab, val = _f(L, 26), _f(B, 46)
    cells = [
        ((570, 200), "APELLIDOS / SURNAME", p.surnames.upper()),
        ((570, 310), "NOMBRE / GIVEN NAME", p.given.upper()),
        ((570, 420), "SEXO / SEX", "F" if p.female else "M"),
        ((830, 420), "NACIONALIDAD / NATIONALITY", "ESP"),
        ((570, 530), "FECHA DE NACIMIENTO / DATE OF BIRTH", _dmy(birth)),
        ((570, 640), "NÚM. SOPORTE / DOCUMENT No.", doc.extra["support"]),
        ((60, 830), "EMISIÓN / ISSUE", _dmy(iss)),
        ((570, 830), "VALIDEZ / EXPIRY", _dmy(exp)),
    ]
    for (x, y), lb, v in cells:
        d.text((x, y), lb, font=lab, fill=(70, 80, 80))
        d.text((x, y + 30), v, font=val, fill=(10, 10, 10))
    d.text((1360, 200), "DNI", font=_f(B, 34), fill=(70, 80, 80))
    d.text((1360, 240), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 64), fill=(0, 0, 0))
    d.text((60, 1130), f"CAN {rr.randrange(10**5, 10**6)}", font=_f(L, 32), fill=(60, 60, 60))
    d.line([(1250, 1150), (1400, 1080), (1480, 1140), (1700, 1070)], fill=(30, 30, 90), width=4)
    back = K.card_base(doc.seed + 5, (224, 230, 226))
    d2 = ImageDraw.Draw(back)
    rows = [
        ("DOMICILIO / ADDRESS", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 160)}"),
        ("", f"{doc.city.upper()}"),
        ("LUGAR DE NACIMIENTO / PLACE OF BIRTH", rr.choice(K.CITIES).upper()),
        (
            "HIJO/A DE / CHILD OF",
            f"{rr.choice(['RAMON', 'MIGUEL', 'JOSE LUIS', 'PERE'])} / {rr.choice(['MERCEDES', 'PILAR', 'ROSA', 'LOURDES'])}",
        ),
    ]
    y = 40
    for lb, v in rows:
        if lb:
            d2.text((60, y), lb, font=_f(L, 26), fill=(70, 80, 80))
            y += 30
        d2.text((60, y), v, font=_f(B, 40), fill=(20, 20, 20))
        y += 62
    H4._draw_qr(back, d2, ("draw", None, 1560, 60, 380, doc.seed + 6), 1)
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 866 + i * 120), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    return [back, front]


FR10 = [  # French citizens resident in Spain (NIE): given, surname, sex, place of birth
    ("Camille", "Laurent", "F", "LYON"),
    ("Julien", "Mercier", "M", "TOULOUSE"),
    ("Élodie", "Fontaine", "F", "NANTES"),
    ("Mathieu", "Rousseau", "M", "BORDEAUX"),
    ("Anne-Sophie", "Lemaire", "F", "LILLE"),
    ("François", "Chevalier", "M", "PERPIGNAN"),
    ("Clément", "Bonnet", "M", "MONTPELLIER"),
    ("Inès", "Garnier", "F", "PARIS"),
    ("Aurélien", "Faure", "M", "GRENOBLE"),
    ("Maëlle", "Le Goff", "F", "BREST"),
    ("Jean-Baptiste", "Moreau", "M", "DIJON"),
    ("Céline", "Dupont-Roux", "F", "MARSEILLE"),
]


def make_fr_person(rng: random.Random) -> Person:
    g, s, sex, _ = rng.choice(FR10)
    return Person(g, s, "", K.make_nie(rng), sex)


def _fr_birthplace(p: Person) -> str:
    return next((t[3] for t in FR10 if (t[0], t[1]) == (p.given, p.s1)), "PARIS")


def _card_fra(doc: Doc, p: Person, rr: random.Random) -> tuple[list[Image.Image], str]:
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    number = "".join(rr.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(9))
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    front = K.card_base(doc.seed + 11, (226, 222, 234))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "RÉPUBLIQUE FRANÇAISE", font=_f(B, 52), fill=(30, 40, 110))
    d.text((60, 102), "CARTE NATIONALE D'IDENTITÉ / IDENTITY CARD", font=_f(L, 34), fill=(30, 40, 110))
    d.text((1480, 40), number, font=_f("LiberationMono-Bold.ttf", 50), fill=(20, 20, 20))
    d.rectangle([60, 200, 520, 800], fill=(162, 160, 168))
    lab, val = _f(L, 26), _f(B, 44)
    cells = [
        ((570, 190), "NOM / Surname", p.surnames.upper()),
        ((570, 300), "Prénoms / Given names", p.given.upper()),
        ((570, 410), "SEXE / Sex", "F" if p.female else "M"),
        ((830, 410), "NATIONALITÉ / Nationality", "FRA"),
        ((1400, 410), "DATE DE NAISS. / Date of birth", _dmy(birth)),
        ((570, 520), "LIEU DE NAISSANCE / Place of birth", _fr_birthplace(p)),
        ((570, 630), "N° DU DOCUMENT / Document No", number),
        ((1250, 630), "DATE D'EXPIR. / Expiry date", _dmy(exp)),
    ]
    for (x, y), lb, v in cells:
        d.text((x, y), lb, font=lab, fill=(70, 70, 100))
        d.text((x, y + 31), v, font=val, fill=(10, 10, 10))
    d.text((60, 860), "SIGNATURE DU TITULAIRE / Holder's signature", font=lab, fill=(70, 70, 100))
    d.line([(90, 1000), (250, 930), (330, 990), (500, 925)], fill=(30, 30, 90), width=4)
    back = K.card_base(doc.seed + 12, (230, 228, 236))
    d2 = ImageDraw.Draw(back)
    rows = [
        ("ADRESSE / Address", f"{rr.randrange(1, 90)} RUE {rr.choice(['VICTOR HUGO', 'DES LILAS', 'JEAN JAURES'])}"),
        ("", f"{rr.choice(['31000 TOULOUSE', '66000 PERPIGNAN', '69003 LYON', '34000 MONTPELLIER'])}"),
        ("DATE DE DÉLIVRANCE / Date of issue", _dmy(iss)),
        (
            "AUTORITÉ / Authority",
            f"PRÉFECTURE {rr.choice(['DE LA HAUTE-GARONNE', 'DES PYRÉNÉES-ORIENTALES', 'DU RHÔNE'])}",
        ),
    ]
    y = 40
    for lb, v in rows:
        if lb:
            d2.text((60, y), lb, font=lab, fill=(70, 70, 100))
            y += 30
        d2.text((60, y), v, font=_f(B, 40), fill=(20, 20, 20))
        y += 64
    mrz = H9._td1("ID", "FRA", number, "", birth, "F" if p.female else "M", exp, "FRA", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 866 + i * 120), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    return [front, back], number


@template("h10_id_cni_francia_certificado_nie_es", "id_document", "es", paper=True, fr=True)
def h10_cni_francia_nie(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi): both sides of a French CNI (2021 model) side by side on top, the white Spanish
    certificate assigning the holder's NIE below (its own date, no expiry)."""
    p = doc.people["appointed"]
    rr = _r(doc, 21)
    cards, number = _card_fra(doc, p, rr)
    cert_d = doc.other_dates["registration"]
    nac = "nacida" if p.female else "nacido"
    cert = [
        ("pl", "MINISTERIO DEL INTERIOR"),
        ("pl", "DIRECCIÓN GENERAL DE LA POLICÍA · Comisaría General de Extranjería y Fronteras"),
        ("h", "CERTIFICADO", 1.2, "c"),
        (
            "p",
            f"A petición del interesado y a los efectos oportunos, se expide el presente certificado para hacer constar "
            f"que a {_dd(p).upper()}, {nac} en {_fr_birthplace(p)} (FRANCIA), el {_num(doc.other_dates['birth'])}, de "
            f"nacionalidad francesa, con documento de identidad número {number}, le ha sido asignado el",
        ),
        ("h", f"NÚMERO DE IDENTIDAD DE EXTRANJERO (N.I.E.): {p.nif}", 1.0, "c"),
        (
            "p",
            "El N.I.E. es personal, único y exclusivo. Este certificado no acredita la situación de estancia o "
            "residencia legal en España.",
        ),
        ("pl", f"{doc.city}, {date_text(cert_d, 'es', 'long')}"),
        ("stamp", ["POLICÍA NACIONAL", "EXTRANJERÍA", doc.city.upper()]),
    ]
    st = K.Style(font="DejaVuSerif.ttf", bold="DejaVuSerif-Bold.ttf", size=36, justify=True, margin_t=120)
    page = K.render_pages(cert, st, dpi=600)[0]
    sheet = H9._copy_sheet()
    y = rr.randrange(380, 560)
    x0 = rr.randrange(200, 300)
    _paste_dark(sheet, H9._tilt(H9._grey(cards[0]), rr.uniform(-0.8, 0.8)), (x0, y))
    _paste_dark(sheet, H9._tilt(H9._grey(cards[1]), rr.uniform(-0.8, 0.8)), (x0 + 2022 + rr.randrange(180, 300), y))
    top = y + 1276 + 320
    sd = ImageDraw.Draw(sheet)
    sd.line([(160, top - 120), (sheet.width - 160, top - 120)], fill=170, width=3)
    _paste_dark(sheet, page.crop((0, 0, page.width, sheet.height - top)), (0, top))
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h10_poder_especial_consejo_secretario_es", ["clean", "photo", "pdf_scan"], ["clean"]),
        ("h10_poder_general_mercantil_revocacion_es", ["clean", "rot270", "pdf_text"], ["photo"]),
        ("h10_poder_quadre_facultats_ca", ["clean", "noisy"], []),
        ("h10_cese_nombramiento_reunidos_es", ["clean", "tiff", "photo"], ["pdf_text"]),
        ("h10_cessament_administradors_solidaris_ca", ["clean", "skew", "dpi600"], []),
        ("h10_certificacion_vigencia_cargos_es", ["clean", "pdf_text", "photo"], ["clean"]),
        ("h10_certificacio_extracte_mono_ca", ["lowcontrast", "clean"], []),
        ("h10_carta_administrador_fincas_autorizacion_es", ["clean", "photo", "jpeg200"], ["photo"]),
        ("h10_contrato_servicios_gestion_energetica_es", ["pdf_scan", "clean", "pdf_text"], ["clean"]),
        ("h10_autoritzacio_gestor_energetic_ca", ["clean", "rot90"], []),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h10_poder_especial_consejo_secretario_es", "grantor_claims", ["clean", "photo"], ["clean"]),
        ("h10_poder_especial_consejo_secretario_es", "president_claims", ["clean"], []),
        ("h10_poder_especial_consejo_secretario_es", "notary_claims", ["pdf_text"], []),
        ("h10_poder_general_mercantil_revocacion_es", "outgoing_claims", ["clean", "photo"], []),
        ("h10_poder_general_mercantil_revocacion_es", "grantor_claims", ["clean"], []),
        ("h10_poder_general_mercantil_revocacion_es", "lookalike_claims", ["pdf_text"], []),
        ("h10_poder_quadre_facultats_ca", "grantor_claims", ["clean"], []),
        ("h10_poder_quadre_facultats_ca", "notary_claims", ["photo"], []),
        ("h10_cese_nombramiento_reunidos_es", "outgoing_claims", ["clean", "pdf_text"], ["clean"]),
        ("h10_cese_nombramiento_reunidos_es", "nif_off_claims", ["clean"], []),
        ("h10_cessament_administradors_solidaris_ca", "outgoing_claims", ["photo"], []),
        ("h10_cessament_administradors_solidaris_ca", "secretary_claims", ["clean"], ["photo"]),
        ("h10_certificacion_vigencia_cargos_es", "stale_certificate", ["clean"], ["pdf_text"]),
        ("h10_certificacion_vigencia_cargos_es", "undated_certificate", ["clean"], []),
        ("h10_certificacion_vigencia_cargos_es", "outgoing_claims", ["pdf_text"], []),
        ("h10_certificacio_extracte_mono_ca", "stale_certificate", ["photo"], []),
        ("h10_certificacio_extracte_mono_ca", "outgoing_claims", ["clean"], []),
        ("h10_carta_administrador_fincas_autorizacion_es", "grantor_claims", ["clean"], []),
        ("h10_carta_administrador_fincas_autorizacion_es", "future_mandate", ["pdf_text"], ["pdf_text"]),
        ("h10_carta_administrador_fincas_autorizacion_es", "lookalike_claims", ["photo"], []),
        ("h10_contrato_servicios_gestion_energetica_es", "witness_claims", ["pdf_text"], []),
        ("h10_contrato_servicios_gestion_energetica_es", "grantor_claims", ["photo"], []),
        ("h10_contrato_servicios_gestion_energetica_es", "future_mandate", ["clean"], []),
        ("h10_autoritzacio_gestor_energetic_ca", "nif_off_claims", ["clean"], []),
        ("h10_autoritzacio_gestor_energetic_ca", "future_mandate", ["pdf_text"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h10_poder_especial_consejo_secretario_es", "clean", "h10_id_dni40_reverso_primero_es", "clean", False),
        (
            "h10_contrato_servicios_gestion_energetica_es",
            "clean",
            "h10_id_cni_francia_certificado_nie_es",
            "clean",
            False,
        ),
        ("h10_cese_nombramiento_reunidos_es", "photo", "h10_id_dni40_reverso_primero_es", "photo", True),
        ("h10_certificacion_vigencia_cargos_es", "pdf_text", "h10_id_cni_francia_certificado_nie_es", "photo", False),
        ("h10_cessament_administradors_solidaris_ca", "clean", "h10_id_dni40_reverso_primero_es", "rot90", False),
        (
            "h10_autoritzacio_gestor_energetic_ca",
            "jpeg200",
            "h10_id_cni_francia_certificado_nie_es",
            "lowcontrast",
            False,
        ),
        ("h10_poder_quadre_facultats_ca", "clean", "h10_id_dni40_reverso_primero_es", "skew", True),
        (
            "h10_carta_administrador_fincas_autorizacion_es",
            "photo",
            "h10_id_cni_francia_certificado_nie_es",
            "rot180",
            False,
        ),
    ],
    "small_sets": 2,
}


def _id_dates(doc: Doc, rng: random.Random, upload: dt.date, expired: bool, t: dict):
    """Issue / expiry / birth dates as the issuing authority sets them."""

    def day(y: int, m: int) -> dt.date:
        return dt.date(y, m, rng.randrange(1, 29))

    if t.get("dni40"):  # issued since 2 August 2021: five years under 30, ten years from 30
        if expired:  # a young holder's first DNI 4.0, five years, run out before the upload
            iss = dt.date(2021, 8, 2) + dt.timedelta(days=rng.randrange(0, 95))
            years = 5
            birth = day(iss.year - rng.randrange(19, 29), rng.randrange(1, 13))
        else:
            young = rng.random() < 0.25
            lo = dt.date(2022, 1, 10) if young else dt.date(2021, 8, 2)
            iss = lo + dt.timedelta(days=rng.randrange(0, (upload - dt.timedelta(days=40) - lo).days))
            years = 5 if young else 10
            birth = day(iss.year - (rng.randrange(19, 29) if young else rng.randrange(31, 68)), rng.randrange(1, 13))
        iss = iss.replace(day=min(iss.day, 28))
        exp = iss.replace(year=iss.year + years)
    else:  # the French CNI of the 2021 model: ten years
        birth = day(rng.randrange(1958, 1999), rng.randrange(1, 13))
        iss = upload - dt.timedelta(days=rng.randrange(150, 1850))
        iss = iss.replace(day=min(iss.day, 28))
        exp = iss.replace(year=iss.year + 10)
        first, last = iss + dt.timedelta(days=15), upload - dt.timedelta(days=10)
        doc.other_dates["registration"] = first + dt.timedelta(days=rng.randrange(0, max(1, (last - first).days)))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _spanish_holder(rng: random.Random) -> Person:
    return make_person10(rng, "es")


def _holder(idname: str):
    """The maker of an ID card's holder (see corpus2.plan_part)."""
    return make_fr_person if TEMPLATES[idname].get("fr") else _spanish_holder


def _add(doc: Doc, rng: random.Random, key: str, role: str, nif: bool = True, nie: bool = False):
    K.add_person(doc, key, role, make_person10(rng, doc.lang, nie=nie), nif)


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
    if t.get("pages"):  # the template breaks its own pages: its facts are on page 1
        doc.cover = False
    lang = doc.lang
    K.drop_people(
        doc, "revoked", "secretary", "consejero"
    )  # no template of this part prints them as corpus2 draws them
    if person is None:  # this part's own names for some of the people corpus2 drew
        for k, p in list(doc.people.items()):
            if rng.random() < 0.5:
                doc.people[k] = make_person10(rng, lang, nie=p.nif[0] in "XYZ")
    if doc.notary and rng.random() < 0.5:
        doc.notary = make_person10(rng, lang)
    if doc.protocol and rng.random() < 0.5:  # more numbers with a thousands separator
        doc.protocol = rng.randrange(1000, 6999)
    if t.get("consejo"):  # the board's secretary grants; the chairman gives his Vº Bº
        _add(doc, rng, "president", "other")
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(3, 45))
        doc.extra.update(
            tomo=rng.randrange(1000, 45000),
            folio=rng.randrange(1, 220),
            hoja=f"{H5.HOJA.get(_rm(doc), 'M')}-{rng.randrange(10000, 699999)}",
        )
    if t.get("revoca"):  # a former attorney's power is revoked; its notary is only quoted
        _add(doc, rng, "outgoing", "outgoing")
        _add(doc, rng, "prior_notary", "notary", nif=False)
        doc.other_dates["old_power"] = doc.date - dt.timedelta(days=rng.randrange(300, 3000))
        doc.extra["old_protocol"] = rng.randrange(1000, 4999)
    if doc.doc_type == "deed":
        doc.other_dates["old_appointment"] = doc.other_dates["constitution"] + dt.timedelta(
            days=rng.randrange(30, 1500)
        )
    if t.get("solidaris"):
        _add(doc, rng, "appointed2", "appointed", nie=rng.random() < 0.3)
        _add(doc, rng, "outgoing2", "outgoing")
        _add(doc, rng, "secretary", "other")
    if doc.doc_type == "registry_certificate":  # the sheet's letters are those of the registry's province
        doc.extra["hoja"] = f"{H5.HOJA.get(_rm(doc), 'M')}-{doc.extra['hoja'].split('-')[1]}"
        od = doc.other_dates
        _add(doc, rng, "proxy", "other")
        od["proxy"] = K.day_between(rng, od["old_appointment"], od["appointment"])
        doc.extra["lag"] = rng.randrange(6, 30)
        doc.extra["inscription"] = max(doc.extra["inscription"], 5)
        if t.get("vigencia"):
            _add(doc, rng, "outgoing2", "outgoing")
    if case == "stale_certificate" and t.get("extracte"):
        doc.date = upload - dt.timedelta(days=rng.randrange(120, 301))  # stale, but not by years
    if doc.doc_type == "manager_mandate":
        pool = FINCAS10 if t.get("community") else SERVICIOS10 if t.get("servicios") else GESTORS10_CA
        doc.extra["gestora"] = (rng.choice(pool), K.make_cif(rng, "B"))
        doc.extra["comercializadora"] = rng.choice(COMERCIALIZADORAS)
        if not t.get("witness") or variant not in K.MULTI:  # the witness signs on page 3 only
            K.drop_people(doc, "witness")
    if t.get("community"):  # the community's president grants the authorisation
        cname, ccif, city = K.make_community(rng, lang)
        doc.company, doc.city = (cname, ccif), city
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(30, 400))
    if t.get("servicios"):  # the firm's apoderado: his power's notary is quoted
        _add(doc, rng, "prior_notary", "notary", nif=False)
        doc.other_dates["firm_power"] = doc.date - dt.timedelta(days=rng.randrange(200, 2500))
        doc.extra["firm_protocol"] = rng.randrange(300, 4999)
    if case == "future_mandate":  # signed after the upload: must not be clear
        doc.date = upload + dt.timedelta(days=rng.randrange(3, 45))
        doc.other_dates["until"] = doc.date + dt.timedelta(days=365 * rng.choice([1, 2, 3]))
    if t.get("community"):  # the covering letter is dated the day of the signature or a few days later
        late = doc.date + dt.timedelta(days=rng.randrange(0, 5))
        doc.extra["letter_date"] = late if case == "future_mandate" else min(late, upload)
    if case == "witness_claims":
        doc.people.setdefault("witness", make_person10(rng, lang))
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if case == "lookalike_claims":  # the claimed person: like the appointed one, NOT on the page
        base = doc.people["appointed"]
        claimed = H3.lookalike(base, rng, lang)
        while claimed.full in {p.full for p in doc.people.values()}:
            claimed = H3.lookalike(base, rng, lang)
        doc.extra["claimed"] = claimed
    return doc


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout10 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, upload_step=3, holder=_holder)
