"""EIGHTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the seven other holdouts, without looking at the engine or at any of its
results: the documents copy the wording and the layout of real incorporation deeds, companies' own minute-book
certificates, powers granted abroad with their sworn translation and apostille, cooperatives' powers, registry
web printouts, e-signed consultancy contracts, owners' meetings minutes and identity documents.  Never tune the
engine on these templates, nor look at which of them it misses; the part is meant to be measured once, as an
unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout8 [--profile small|full]

Templates (Spanish and Catalan):
  * deeds: an "escritura de constitución" of a limited company by THREE founding partners, each described in
    his own numbered paragraph of the comparecencia (DNI or NIE, marital status, profession, address; spaced
    heading "C O M P A R E C E N"), the shares in an unruled grid, and the fourth stipulation appointing ONE of
    the founders sole administrator, another founder acting as secretary of the founders' meeting; the
    provisional NIF in the exposition; notarial paper with a ruled left margin; a "certificación del acta de la
    junta general" issued on the company's letterhead by the chairman of its board (no notary, no protocol):
    ORDEN DEL DÍA, the attendance list as a ruled table of partners with their DNI, shares and percentage, the
    resolutions accepting the managing director's resignation and "Nombrar consejero delegado a ...", the
    company name repeated in the running header;
  * powers: a power granted ABROAD before an English or Irish notary public, in two columns (the English
    original on the left, the "TRADUCCIÓN JURADA" on the right), the attorney named in both columns, the date as
    "this 12th day of March 2026" / "a 12 de marzo de 2026", the sworn translator's certificate and an
    APOSTILLE box (Hague Convention, ten numbered fields, its own later date) at the end (no protocol number);
    a Catalan "poder especial" granted by the president of a cooperative's "consell rector" (SCCL, NIF F) in
    execution of the council's resolution certified by its secretary, the attorney a member of the staff named
    after the resolution, the facultats as lettered items; a typewritten (monospaced) deed of "revocación de
    poder, nuevo apoderamiento y requerimiento": it quotes the earlier power (its notary, date and protocol),
    REVOKES it (the former attorney first), grants a new power to someone else, requires the notary to notify
    the former attorney, and ends with the notary's "diligencia" of the posting (another, later date);
  * registry: a registradores.org-style "NOTA SIMPLE INFORMATIVA" printout: a dark header bar "Información
    Mercantil" (with "Fecha de emisión" in it, or the date only as "Emitido el ..." in the footer), labelled
    rows (Denominación, NIF, Domicilio, Hoja, Tomo, Folio), a ruled "ÓRGANOS SOCIALES" table (Cargo / Nombre /
    DNI / Fecha nombramiento / Duración) with the administrator and a proxy, a "CARGOS CESADOS" table below; the
    undated one carries no issue date anywhere; a Catalan "certificat de vigència de càrrec" of the Registre
    Mercantil, the in-force appointment and the ceased administrator in roman-numbered paragraphs, the issue
    date either at the top right in digits or only in the closing formula in Catalan words;
  * mandates: a three-page "contrato de mandato de gestión energética" (REUNIDOS / INTERVIENEN / EXPONEN /
    CLÁUSULAS), the client's representative first and the energy consultancy (CIF) acting through its
    "apoderado" (the claimed mandatary), the body saying only "en la fecha de la firma electrónica": the date is
    in every page's footer "Firmado electrónicamente el 12/11/2026 a las 10:32 · 1/3", both signatures on page
    3; an "extracto del acta de la junta general ordinaria de propietarios" of a community (CIF H): a ruled
    table of the agenda items with the resolutions and votes, re-electing the president and appointing a
    professional "administrador de fincas colegiado" (the mandatary), certified by the secretary with the
    president's Vº Bº; a Catalan "document d'adhesió al servei de gestió energètica" form: letterhead emblem,
    ruled tables of client, assigned energy manager and supply points, ticked services, "Lloc i data de
    signatura", an optional witness;
  * ID documents: an A4 photocopy of only the BACK of a DNI 4.0 (address, birthplace, parents, the TD1 MRZ: the
    DNI number, the expiry and the name are only in the MRZ; no issue date); an A4 photocopy of both sides of a
    "Tarjeta de residencia de familiar de ciudadano de la Unión" (TIE: NIE, nationality, VALIDEZ on the front,
    FECHA DE EXPEDICIÓN and the TD1 MRZ on the back); an A4 sheet with the half-page Spanish "certificado de
    número de identidad de extranjero" on top (its own date), a dashed cut line, and a Romanian passport data
    page below (trilingual labels, CNP, dates as "12 MAR/MAR 2031", TD3 MRZ with the CNP as personal number).

Case kinds are those of holdout7 (true claim; outgoing, grantor, secretary, president, witness and notary
claims; lookalike and nif_off claims; stale and undated certificates; expired ID in sets; ``future_mandate``).
Two of the three stale certificates were issued only 91-125 days before the upload, the third years before.
Who is who:
  * the incorporation deed: the founder appointed sole administrator is "appointed"; the founder acting as
    secretary of the meeting is "other" (key ``secretary``); the third founder is "grantor";
  * the minute-book certificate: the chairman who certifies is "other" (key ``president``); the partners in the
    attendance table are "other"; the resigning managing director is "outgoing";
  * the power granted abroad: the director who grants is "grantor", the sworn translator "other" (no
    identifier); the foreign notary is the notary (``expect.protocol`` None);
  * the cooperative's power: the president grants ("grantor"), the council's secretary is "other";
  * the revocation: the former attorney is "outgoing", the new one "appointed"; the notary who authorised the
    revoked power is quoted with role "notary" (no identifier);
  * the nota simple: the proxy in ÓRGANOS SOCIALES is "other", the ceased administrator "outgoing"; no
    registrar is named (none in ``expect.people``);
  * the owners' minutes: the re-elected president and the secretary are "other" (nobody is "grantor");
  * the DNI back: ``expect.issue_date`` None; the Romanian passport: ``expect.expiry`` / ``expect.issue_date``
    are the passport's, the NIE certificate's date is another date on the page.
People are drawn partly from this part's own pools (particles "de la", "del", Catalan "i", hyphenated
surnames, accents, ñ, ç, l·l).
"""

from __future__ import annotations

import datetime as dt
import random

from PIL import Image, ImageDraw

try:
    from tests.ocr import corpus2 as K
    from tests.ocr import corpus_holdout3 as H3
    from tests.ocr import corpus_holdout4 as H4
    from tests.ocr import corpus_holdout5 as H5
    from tests.ocr import corpus_holdout7 as H7
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore
    import corpus_holdout4 as H4  # type: ignore
    import corpus_holdout5 as H5  # type: ignore
    import corpus_holdout7 as H7  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text = K.fmt_nif, K.fmt_cif, K.date_text
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout8"
_style, _cap, _dd, _ca, _nt, _role, _rm = H4._style, H4._cap, H4._dd, H4._ca, H4._nt, H4._role, H4._rm
_f, _paste_dark = H4._f, H5._paste_dark


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 31 + salt)


def _o(p: Person) -> str:  # gender ending
    return "a" if p.female else "o"


def _num(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


MONTHS_EN = H4.MONTHS_EN


def _en_day(d: dt.date) -> str:
    """ "12th day of March 2026"."""
    suf = "th" if 10 <= d.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
    return f"{d.day}{suf} day of {MONTHS_EN[d.month - 1]} {d.year}"


def _street(rr: random.Random, lang: str = "es") -> str:
    return f"{rr.choice(K.STREETS_CA if lang == 'ca' else K.STREETS_ES)}, {rr.randrange(1, 180)}"


# =========================================================================== this part's people

GIVEN8_ES = [
    ("Leocadia", "F"),
    ("Anselmo", "M"),
    ("Araceli", "F"),
    ("Teodoro", "M"),
    ("Milagros", "F"),
    ("Ezequiel", "M"),
    ("Purificación", "F"),
    ("Bartolomé", "M"),
    ("Rosalía", "F"),
    ("Juan Bautista", "M"),
    ("María Inés", "F"),
    ("Saturnino", "M"),
]
SURN8_ES = [
    "Montaño",
    "de la Serna",
    "del Barrio",
    "Ybarra-Otazu",
    "Gil-Robles",
    "Villalobos",
    "Cañete",
    "Quiñones",
    "Zárate",
    "Ruiz de Alda",
    "Salcedo-Ibáñez",
    "Peláez",
    "Escribano",
    "Bermúdez",
    "Núñez-Cortés",
    "de la Peña",
]
GIVEN8_CA = [
    ("Estel·la", "F"),
    ("Bernat", "M"),
    ("Gemma", "F"),
    ("Guillem", "M"),
    ("Rosa Maria", "F"),
    ("Marçal", "M"),
    ("Margarida", "F"),
    ("Joaquim", "M"),
    ("Agnès", "F"),
    ("Albert", "M"),
    ("Txell", "F"),
    ("Ramon", "M"),
]
SURN8_CA = [
    "França",
    "Solà-Morales",
    "Cerdà",
    "Vallverdú",
    "Bofill",
    "Xirau",
    "Guàrdia",
    "Llach",
    "Roig-Solé",
    "Pinyol",
    "Calçada",
    "Sunyol",
    "Rovellat",
    "Busquets",
    "Ventura",
    "Fontcuberta",
]


def make_person8(rng: random.Random, lang: str = "es", nie: bool = False, dot_ok: bool = True) -> Person:
    """A person of this part's pools (or corpus2's, some of the time); ``dot_ok`` False: no "l·l" in the name."""
    if nie or rng.random() < 0.35:
        return K.make_person(rng, lang, nie=nie)
    if lang == "ca" and rng.random() < 0.75:
        given, sex = rng.choice(GIVEN8_CA if dot_ok else [g for g in GIVEN8_CA if "·" not in g[0]])
        s1, s2 = rng.sample(SURN8_CA + K.SURN_CA[:8], 2)
        return Person(given, s1, s2, K.make_dni(rng), sex, catalan_i=rng.random() < 0.6)
    given, sex = rng.choice(GIVEN8_ES)
    s1, s2 = rng.sample(SURN8_ES + K.SURN_ES[:10], 2)
    return Person(given, s1, s2, K.make_dni(rng), sex)


# =========================================================================== extra block kinds
#   ("bar", left, right)            a dark band across the text width, white text left and right (web header)
#   ("frame", title, sub, lines, seal_lines, seed)  an apostille: double ruled frame, centred title, numbered
#                                   lines, a round seal and a signature stroke at its foot
# plus holdout4's to holdout7's kinds (cols, grid, logo, scrawl, seal, qr, sc, foot, timbre, checks, dsig,
# vmargin, box, rmargin).


def _lay_bar(b, st, x0, width, k):
    left, right = b[1], b[2]
    f = K._font(st.bold, int(st.size * k * 0.95))
    fr = K._font(st.font, int(st.size * k * 0.78))
    h = int(f.size * 2.3)

    def at(y):
        return [("draw", _draw_bar, x0, y, x0 + width, y + h, left, right, f, fr)]

    return [(h + int(st.size * k * 0.9), at)]


def _draw_bar(im, d, op, k):
    _, _, x0, y0, x1, y1, left, right, f, fr = op
    d.rectangle([x0, y0, x1, y1], fill=48)
    pad = int(34 * k)
    d.text((x0 + pad, y0 + (y1 - y0 - f.size) // 2 - int(4 * k)), left, font=f, fill=255)
    if right:
        d.text((x1 - pad - fr.getlength(right), y0 + (y1 - y0 - fr.size) // 2), right, font=fr, fill=238)


def _lay_frame(b, st, x0, width, k):
    title, sub, lines, seal_lines, seed = b[1], b[2], b[3], b[4], b[5]
    ft = K._font(st.bold, int(st.size * k * 1.15))
    fs = K._font(st.font, int(st.size * k * 0.7))
    fl = K._font(st.font, int(st.size * k * 0.82))
    w = int(width * 0.8)
    xa = x0 + (width - w) // 2
    pad = int(44 * k)
    wrapped = [ln for s in lines for ln in K._wrap(s, fl, w - 2 * pad)]
    lh = int(fl.size * 1.45)
    foot = int(230 * k)
    h = 2 * pad + int(ft.size * 1.4) + int(fs.size * 1.8) + len(wrapped) * lh + foot

    def at(y):
        inset = int(12 * k)
        ops = [("rect", xa, y, xa + w, y + h), ("rect", xa + inset, y + inset, xa + w - inset, y + h - inset)]
        yy = y + pad
        ops.append(("text", int(xa + (w - ft.getlength(title)) / 2), yy, title, ft, False, 0))
        yy += int(ft.size * 1.4)
        ops.append(("text", int(xa + (w - fs.getlength(sub)) / 2), yy, sub, fs, False, 0))
        yy += int(fs.size * 1.8)
        for ln in wrapped:
            ops.append(("text", xa + pad, yy, ln, fl, False, 0))
            yy += lh
        ops.append(("draw", H4._draw_seal, xa + int(w * 0.27), yy + foot // 2, seal_lines, fs))
        ops.append(("draw", H4._draw_scribble, xa + int(w * 0.58), yy + int(foot * 0.55), int(w * 0.3), seed))
        return ops

    return [(h + int(50 * k), at)]


EXT = {
    **H7.EXT,
    "bar": {
        "kind": "bar",
        "layout": H4._ext(_lay_bar),
        "text": H4._ext(lambda b: [("bold", f"{b[1]}    {b[2]}".strip())]),
    },
    "frame": {
        "kind": "frame",
        "layout": H4._ext(_lay_frame),
        "text": H4._ext(lambda b: [("bold", b[1]), ("body", b[2])] + [("body", s) for s in b[3]]),
    },
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


def _pages(doc: Doc, *parts: list[tuple]) -> list[tuple]:
    """Pages separated by page breaks; a covered document gets corpus2's filler page first (a template with a
    page break of its own gets none from corpus2)."""
    out = list(K.FILLER_COVER[doc.lang]) if doc.cover else []
    for i, p in enumerate(parts):
        out += ([("pb",)] if i else []) + p
    return out


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _ident(p: Person, fmt: int) -> str:
    return f"{'N.I.E.' if p.nif[0] in 'XYZ' else 'D.N.I.'} número {fmt_nif(p.nif, fmt)}"


# =========================================================================== deeds

PROFESSIONS = ["ingeniero técnico", "economista", "comerciante", "empresario", "arquitecto técnico", "abogado"]
PROFESSIONS_F = ["ingeniera técnica", "economista", "comerciante", "empresaria", "arquitecta técnica", "abogada"]


@template("h8_constitucion_tres_socios_es", "deed", "es", founders=True)
def h8_constitucion_tres_socios(doc: Doc) -> list[tuple]:
    """Incorporation of a limited company by three founders, each in his own numbered paragraph (DNI / NIE,
    marital status, profession, address); shares in an unruled grid; the FOURTH stipulation appoints one founder
    sole administrator, another founder is secretary of the founders' meeting; notarial paper (left rule)."""
    a, s, g = doc.people["appointed"], doc.people["secretary"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 1)
    _style(
        doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 35, justify=True, leading=1.5, margin_rule=True, margin_l=330
    )
    doc.style.footer = "— {page} —"
    order = [[g, a, s], [a, g, s], [s, g, a], [g, s, a]][doc.v]
    shares = [rr.randrange(600, 1800) for _ in order]
    name_cert = doc.date - dt.timedelta(days=rr.randrange(8, 50))

    def founder(i: int, p: Person) -> str:
        prof = rr.choice(PROFESSIONS_F if p.female else PROFESSIONS)
        civil = rr.choice(["casad", "solter", "divorciad"]) + _o(p)
        return (
            f"{i}.— {_dd(p).upper()}, mayor de edad, {civil}, {prof}, vecin{_o(p)} de {rr.choice(K.CITIES)}, con "
            f"domicilio en {_street(rr)}, y con {_ident(p, doc.fmt + i)}."
        )

    grid = [["Socio", "Participaciones", "Numeración", "Aportación"]]
    start = 1
    for p, sh in zip(order, shares):
        grid.append([p.full, str(sh), f"{start} a {start + sh - 1}", f"{_thousands(sh)} euros"])
        start += sh
    adm = "Administradora Única" if a.female else "Administrador Único"
    b: list[tuple] = [
        ("h", f"ESCRITURA DE CONSTITUCIÓN DE «{comp.upper()}»", 1.1, "c"),
        ("h", f"Número {proto_printed(doc.protocol)} de protocolo", 0.82, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['words', 'long', 'long', 'words'][doc.v])}. Ante mí, "
            f"{n.full.upper()}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, con residencia en esta "
            f"ciudad,",
        ),
        ("h", "C O M P A R E C E N", 0.95, "c"),
    ]
    b += [("p", founder(i + 1, p)) for i, p in enumerate(order)]
    b += [
        (
            "p",
            "Intervienen los tres en su propio nombre y derecho. Les identifico por sus documentos de identidad "
            "reseñados y tienen, a mi juicio, la capacidad legal necesaria para otorgar esta escritura de "
            "constitución de sociedad de responsabilidad limitada, y al efecto EXPONEN:",
        ),
        (
            "p",
            f"I.— Que el Registro Mercantil Central expidió el {_num(name_cert)} certificación negativa de la "
            f"denominación «{comp}». II.— Que la Agencia Estatal de Administración Tributaria ha asignado a la "
            f"sociedad el número de identificación fiscal provisional {fmt_cif(cif, doc.fmt)}.",
        ),
        ("h", "OTORGAN LAS SIGUIENTES ESTIPULACIONES", 0.95, "l"),
        (
            "p",
            f"PRIMERA.— Constituyen una sociedad de responsabilidad limitada, de nacionalidad española, denominada "
            f"«{comp}», con domicilio en {_street(rr)}, {doc.city}, que se regirá por los estatutos incorporados "
            f"a esta matriz. SEGUNDA.— El capital social es de {_thousands(sum(shares))} euros, íntegramente "
            f"suscrito y desembolsado, en la forma siguiente:",
        ),
        ("grid", [0.44, 0.18, 0.2, 0.18], grid, True),
        (
            "p",
            f"TERCERA.— La sociedad comenzará sus operaciones el día de otorgamiento de esta escritura. CUARTA.— "
            f"Los comparecientes, titulares de la totalidad del capital, constituidos en Junta General Universal, "
            f"actuando como secretari{_o(s)} de la reunión {_dd(s)}, acuerdan por unanimidad que la sociedad sea "
            f"administrada por {'una' if a.female else 'un'} {adm} y designan para dicho cargo, por tiempo "
            f"indefinido, {'a la socia fundadora' if a.female else 'al socio fundador'} {_dd(a)}, de las circunstancias personales antes reseñadas, quien acepta el nombramiento y declara "
            f"no estar incurs{_o(a)} en incompatibilidad alguna.",
        ),
        (
            "p",
            "Así lo dicen y otorgan. Hechas las reservas y advertencias legales, leo esta escritura a los "
            "comparecientes, que la aprueban y firman conmigo. De todo lo cual, yo, el Notario, doy fe.",
        ),
        ("sig", [p.full for p in order] + [f"{_nt(n)}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Código Seguro de Verificación de la copia: {doc.csv}"))
    return b


@template("h8_certificacion_acta_junta_es", "deed", "es", acta8=True)
def h8_certificacion_acta_junta(doc: Doc) -> list[tuple]:
    """The company's own certificate of the minutes of a universal general meeting, issued on its letterhead by
    the board's chairman (no notary): ORDEN DEL DÍA, ruled attendance table (partner, DNI, shares, %), the
    resignation of the managing director and "Nombrar consejero delegado a ..."; company name in the header."""
    a, o, pres = doc.people["appointed"], doc.people["outgoing"], doc.people["president"]
    partners = [doc.people["partner1"], doc.people["partner2"], pres]
    comp, cif = doc.company
    meet = doc.other_dates["meeting"]
    rr = _r(doc, 2)
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 39, justify=False, leading=1.42)
    doc.style.header = f"{comp.upper()} — Libro de Actas"
    doc.style.footer = "Página {page} de {pages}"
    shares = [rr.randrange(400, 4000) for _ in partners]
    total = sum(shares)
    rows = [["Socio", "D.N.I./N.I.E.", "Participaciones", "% capital"]]
    for p, sh in zip(partners, shares):
        rows.append([p.full, fmt_nif(p.nif, doc.fmt), _thousands(sh), f"{100 * sh / total:.2f} %".replace(".", ",")])
    cd_a = "Consejera Delegada" if a.female else "Consejero Delegado"
    cd_o = "Consejera Delegada" if o.female else "Consejero Delegado"
    pt = "Presidenta" if pres.female else "Presidente"
    return [
        ("h", comp.upper(), 1.15, "l"),
        ("pl", f"C.I.F. {fmt_cif(cif, doc.fmt)} · {_street(rr)} · {doc.city}"),
        ("gap", 1),
        ("h", "CERTIFICACIÓN DEL ACTA DE LA JUNTA GENERAL EXTRAORDINARIA Y UNIVERSAL", 1.0, "c"),
        (
            "p",
            f"{_dd(pres).upper()}, con D.N.I./N.I.E. {fmt_nif(pres.nif, doc.fmt + 1)}, {pt} del Consejo de "
            f"Administración de la sociedad, CERTIFICA: que en el Libro de Actas figura el acta de la Junta General "
            f"Extraordinaria y Universal celebrada en el domicilio social el {date_text(meet, 'es', 'long')}, a las "
            f"{rr.randrange(9, 19)}:{rr.choice(['00', '30'])} horas, con el siguiente",
        ),
        ("h", "ORDEN DEL DÍA", 0.92, "l"),
        ("pl", f"Primero.- Dimisión del {cd_o.lower()}."),
        ("pl", "Segundo.- Nombramiento de nuevo consejero delegado y delegación de facultades."),
        ("pl", "Tercero.- Facultades para elevar a público. Cuarto.- Lectura y aprobación del acta."),
        ("h", "LISTA DE ASISTENTES", 0.92, "l"),
        ("table", [0.42, 0.22, 0.18, 0.18], rows),
        (
            "p",
            "Presentes la totalidad de los socios, titulares del cien por cien del capital social, aceptan por "
            "unanimidad la celebración de la Junta y el orden del día, y adoptan, también por unanimidad, los "
            "siguientes ACUERDOS:",
        ),
        (
            "pl",
            f"1.º Aceptar la dimisión presentada por {_dd(o)}, con D.N.I./N.I.E. {fmt_nif(o.nif, doc.fmt)}, como "
            f"{cd_o}, agradeciéndole los servicios prestados.",
        ),
        (
            "pl",
            f"2.º Nombrar consejer{_o(a)} delegad{_o(a)} a {_dd(a)}, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt + 2)}, delegando en {'ella' if a.female else 'él'} todas las facultades del "
            f"Consejo legal y estatutariamente delegables. {'La' if a.female else 'El'} {cd_a.lower()}, presente, "
            f"acepta el cargo.",
        ),
        ("pl", f"3.º Facultar {'a la' if pres.female else 'al'} {pt} para elevar a público los acuerdos anteriores."),
        (
            "p",
            "El acta fue redactada, leída y aprobada por unanimidad al término de la reunión. Y para que conste, "
            f"expido la presente en {doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'long'][doc.v])}.",
        ),
        ("scrawl", [f"{'La' if pres.female else 'El'} {pt}: {pres.full}"], doc.seed + 2),
        ("seal", [comp.upper()[:30], "LIBRO DE ACTAS"], 2, 0.62),
    ]


# =========================================================================== powers of attorney

FOREIGN_NOTARIES = [
    (Person("Jonathan Edward", "Whitcombe", "", "", "M"), "London", "the City of London", "UK"),
    (Person("Margaret", "Ashworth-Hale", "", "", "F"), "Manchester", "Manchester", "UK"),
    (Person("Ciarán", "O'Sullivan", "", "", "M"), "Dublin", "Dublin", "IE"),
    (Person("Eleanor", "Fitzgerald", "", "", "F"), "London", "the City of Westminster", "UK"),
]
APOSTILLE_BY = {
    "UK": "His Majesty's Principal Secretary of State for Foreign, Commonwealth and Development Affairs",
    "IE": "the Department of Foreign Affairs, Ireland",
}
COUNTRY = {"UK": "United Kingdom of Great Britain and Northern Ireland", "IE": "Ireland"}


@template("h8_poder_extranjero_traduccion_jurada_es", "power_of_attorney", "es", foreign=True, csv=False)
def h8_poder_extranjero(doc: Doc) -> list[tuple]:
    """A power granted abroad before an English or Irish notary public: the English original in the left column,
    the sworn Spanish translation in the right one, the attorney named in both; the translator's certificate and
    an APOSTILLE box at the end (no protocol number)."""
    a, g, tr = doc.people["appointed"], doc.people["grantor"], doc.people["translator"]
    comp, cif = doc.company
    n = doc.notary
    _, city, district, country = doc.extra["foreign_notary"]
    apo, tdate = doc.other_dates["apostille"], doc.other_dates["translation"]
    rr = _r(doc, 3)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 33, justify=True, leading=1.38, margin_l=220, margin_r=200)
    doc.style.footer = f"Traducción jurada n.º {rr.randrange(100, 999)}/{doc.date.year} · " + "página {page}"
    gt_en = "sole director" if rr.random() < 0.5 else "managing director"
    gt_es = (
        ("administradora única" if g.female else "administrador único")
        if gt_en == "sole director"
        else ("consejera delegada" if g.female else "consejero delegado")
    )
    mr = "Ms" if g.female else "Mr"
    he = "she" if a.female else "he"
    apo_no = f"APO-{rr.randrange(10**6, 10**7)}" if country == "UK" else f"{rr.randrange(10**5, 10**6)}/{apo.year}"
    b: list[tuple] = [
        ("cols", ["POWER OF ATTORNEY", "TRADUCCIÓN JURADA — PODER"], 1.15, True),
        (
            "cols",
            [
                f"KNOW ALL MEN BY THESE PRESENTS that on the {_en_day(doc.date)}, before me, {n.full.upper()}, "
                f"Notary Public of {district}, duly admitted and sworn, personally appeared {mr} {g.full.upper()}, "
                f"holder of Spanish identity number {fmt_nif(g.nif, doc.fmt)}, acting as {gt_en} for and on behalf "
                f"of the Spanish company {comp.upper()}, with registered office in {doc.city} (Spain) and tax "
                f"identification number (C.I.F.) {fmt_cif(cif, doc.fmt)} (the Company).",
                f"SEPAN CUANTOS ESTE INSTRUMENTO VIEREN que el día {date_text(doc.date, 'es', 'long')}, ante mí, "
                f"{n.full.upper()}, {'Notaria Pública' if n.female else 'Notario Público'} de {district}, debidamente "
                f"habilitad{_o(n)} y juramentad{_o(n)}, compareció "
                f"{_dd(g).upper()}, titular del número de identidad español {fmt_nif(g.nif, doc.fmt)}, en su "
                f"condición de {gt_es} y en nombre y representación de la sociedad española {comp.upper()}, con "
                f"domicilio social en {doc.city} (España) y C.I.F. {fmt_cif(cif, doc.fmt)} (la Sociedad).",
            ],
        ),
        (
            "cols",
            [
                f"AND DECLARED that the Company hereby appoints {a.full.upper()}, of legal age, holder of Spanish "
                f"identity document {fmt_nif(a.nif, doc.fmt + 1)}, as its true and lawful attorney, so that "
                f"{he} may, in the name and on behalf of the Company: (a) enter into, amend and terminate "
                f"electricity and gas supply contracts; (b) apply for changes of supplier, tariff and contracted "
                f"power; (c) sign grid access contracts and any documents required by distributors and suppliers.",
                f"Y DECLARÓ que la Sociedad nombra apoderad{_o(a)} a {_dd(a).upper()}, mayor de edad, titular del "
                f"documento de identidad español {fmt_nif(a.nif, doc.fmt + 1)}, para que, en nombre y "
                f"representación de la Sociedad, pueda: a) celebrar, modificar y resolver contratos de suministro "
                f"de electricidad y gas; b) solicitar cambios de comercializadora, de tarifa y de potencia "
                f"contratada; c) firmar contratos de acceso a la red y cuantos documentos exijan las "
                f"distribuidoras y comercializadoras.",
            ],
        ),
        (
            "cols",
            [
                f"IN WITNESS WHEREOF I have hereunto set my hand and affixed my seal of office in {city}, this "
                f"{_en_day(doc.date)}.",
                f"EN FE DE LO CUAL firmo y estampo mi sello oficial en {city}, a {date_text(doc.date, 'es', 'long')}.",
            ],
        ),
        ("scrawl", [f"{g.full} ({gt_en})", f"{n.full}, Notary Public"], doc.seed + 3),
        (
            "p",
            f"{_dd(tr).upper()}, Traductor{'a' if tr.female else ''}-Intérprete Jurad{_o(tr)} de inglés nombrad{_o(tr)} "
            f"por el Ministerio de Asuntos Exteriores, Unión Europea y Cooperación, certifica que la que antecede es "
            f"traducción fiel y completa al español de un documento redactado en inglés. En {doc.city}, a "
            f"{date_text(tdate, 'es', 'long')}.",
        ),
        (
            "frame",
            "APOSTILLE",
            "(Convention de La Haye du 5 octobre 1961)",
            [
                f"1. Country: {COUNTRY[country]}",
                "This public document",
                f"2. has been signed by {n.full}",
                "3. acting in the capacity of Notary Public",
                f"4. bears the seal/stamp of the said Notary Public, {city}",
                "Certified",
                f"5. at {city}",
                f"6. the {apo.day} {MONTHS_EN[apo.month - 1]} {apo.year}",
                f"7. by {APOSTILLE_BY[country]}",
                f"8. Number: {apo_no}",
                "9. Seal/stamp: · 10. Signature:",
            ],
            ["APOSTILLE", city.upper()],
            doc.seed + 4,
        ),
    ]
    return b


COOP_TOWNS = ["Alcarràs", "Mollerussa", "Guissona", "Falset", "Gandesa", "Riudoms", "Agramunt", "Valls", "Cambrils"]
COOP_KINDS = [
    "Cooperativa Agrària de {t}",
    "Cooperativa del Camp de {t}",
    "Cooperativa Agrícola i Secció de Crèdit de {t}",
]


@template("h8_poder_consell_rector_cooperativa_ca", "power_of_attorney", "ca", coop=True)
def h8_poder_cooperativa(doc: Doc) -> list[tuple]:
    """Catalan special power of a cooperative (SCCL, NIF F) granted by the president of its "consell rector" in
    execution of the council's resolution certified by its secretary; the attorney, a member of the staff, is
    named after the resolution; the facultats as lettered items."""
    a, g, s = doc.people["appointed"], doc.people["grantor"], doc.people["secretary"]
    comp, cif = doc.company
    n = doc.notary
    meet = doc.other_dates["meeting"]
    rr = _r(doc, 4)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 43, justify=True, leading=1.48, indent=80)
    doc.style.header = f"{_nt(n, 'ca')} {n.full} · {doc.city}"
    doc.style.footer = "Pàg. {page}"
    pres = "presidenta" if g.female else "president"
    secr = "secretària" if s.female else "secretari"
    job = rr.choice(
        [
            ("responsable de l'àrea d'administració", "responsable de l'àrea d'administració"),
            ("tècnic de compres i subministraments", "tècnica de compres i subministraments"),
            ("cap de manteniment de les instal·lacions", "cap de manteniment de les instal·lacions"),
        ]
    )[1 if a.female else 0]
    fac = [
        "a) Contractar, modificar i resoldre els subministraments d'energia elèctrica, gas i aigua de les "
        "instal·lacions de la cooperativa (magatzems, trulls, cambres frigorífiques i oficines).",
        "b) Sol·licitar canvis de comercialitzadora, de potència i de tarifa d'accés, i signar els contractes "
        "d'accés a la xarxa.",
        "c) Presentar reclamacions davant les companyies i els organismes de consum, i rebre'n les notificacions.",
    ]
    return (
        [
            ("r", f"Núm. de protocol: {proto_printed(doc.protocol)}"),
            ("h", f"PODER ESPECIAL ATORGAT PER {comp.upper()}", 1.05, "c"),
            (
                "p",
                f"A {doc.city}, el {date_text(doc.date, 'ca', ['long', 'words', 'long', 'num'][doc.v])}. Davant meu, "
                f"{n.full}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya amb residència a {doc.city},",
            ),
            ("h", "COMPAREIX:", 0.95, "l"),
            (
                "p",
                f"{_cap(_ca(g))}, major d'edat, pagès, {'veïna' if g.female else 'veí'} de {rr.choice(COOP_TOWNS)}, amb "
                f"DNI {fmt_nif(g.nif, doc.fmt + 1)}. Intervé en nom i representació de la cooperativa {comp.upper()}, "
                f"amb NIF {fmt_cif(cif, doc.fmt)}, inscrita al Registre General de Cooperatives de Catalunya amb el "
                f"número {rr.randrange(1000, 9999)}, en la seva condició de {pres} del consell rector, i en execució de "
                f"l'acord adoptat pel consell rector en la sessió del {date_text(meet, 'ca', 'long')}, segons resulta "
                f"del certificat expedit per {_ca(s)}, amb DNI {fmt_nif(s.nif, doc.fmt)}, {secr} del consell rector, "
                f"amb el vistiplau de la presidència, que m'entrega i que incorporo a aquesta matriu.",
            ),
            (
                "p",
                "Té, al meu judici, la capacitat legal necessària per atorgar aquesta escriptura de poder especial, i "
                "ATORGA:",
            ),
            (
                "p",
                f"Que, en nom de la cooperativa, confereix poder especial a favor de {_ca(a)}, major d'edat, {job} de la "
                f"cooperativa, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, perquè, actuant individualment, pugui exercir "
                f"les facultats següents:",
            ),
        ]
        + [("pl", t) for t in fac]
        + [
            ("p", "Aquest poder serà vigent mentre no sigui revocat expressament pel consell rector."),
            (
                "p",
                "Així ho diu i atorga. Llegeixo aquesta escriptura a la persona compareixent, que l'aprova i la signa "
                "amb mi. De tot el que s'hi conté, jo, el notari, en dono fe.",
            ),
            ("sig", [f"{_cap(pres)}: {g.full}", f"{_nt(n, 'ca')}: {n.full}"]),
        ]
        + ([("pl", f"CSV: {doc.csv}")] if doc.csv else [])
    )


@template("h8_revocacion_nuevo_poder_requerimiento_es", "power_of_attorney", "es", revoke8=True)
def h8_revocacion_requerimiento(doc: Doc) -> list[tuple]:
    """Typewritten deed: the earlier power (its notary, date, protocol) is quoted and REVOKED (former attorney
    first), a new power granted, the notary required to notify the former attorney; the notary's diligencia of
    the posting at the end (a later date)."""
    a, o, g, pn = (doc.people[k] for k in ("appointed", "outgoing", "grantor", "prior_notary"))
    comp, cif = doc.company
    n = doc.notary
    old_d, old_p = doc.other_dates["old_power"], doc.extra["old_protocol"]
    sent = doc.other_dates["posted"]
    rr = _r(doc, 5)
    _style(
        doc,
        "LiberationMono-Regular.ttf",
        "LiberationMono-Bold.ttf",
        34,
        justify=False,
        leading=1.55,
        margin_rule=True,
        margin_l=320,
    )
    cargo = rr.choice(["administrador solidario", "consejero delegado", "administrador único"])
    if g.female:
        cargo = cargo.replace("administrador", "administradora").replace("solidario", "solidaria")
        cargo = cargo.replace("consejero delegado", "consejera delegada").replace("único", "única")
    b: list[tuple] = [
        ("pl", f"NÚMERO {words_es(doc.protocol).upper()} ({proto_printed(doc.protocol)}).-"),
        ("h", "REVOCACIÓN DE PODER, NUEVO APODERAMIENTO Y REQUERIMIENTO", 1.0, "l"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', 'words')}. Ante mí, {n.full.upper()}, {_nt(n)} del "
            f"Ilustre Colegio de {K.COLEGIO[doc.city]},",
        ),
        (
            "p",
            f"COMPARECE: {_dd(g).upper()}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, en nombre y "
            f"representación, como {cargo}, de la sociedad {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)}.",
        ),
        (
            "p",
            f"EXPONE: Que por escritura autorizada por {'la' if pn.female else 'el'} {_nt(pn)} de "
            f"{rr.choice(K.CITIES)} {pn.full}, el {date_text(old_d, 'es', 'long')}, con el número "
            f"{proto_printed(old_p)} de su protocolo, la sociedad confirió poder general a favor de {_dd(o)}, con "
            f"D.N.I. {fmt_nif(o.nif, doc.fmt)}.",
        ),
        ("pl", "Y OTORGA:"),
        (
            "p",
            f"PRIMERO.- Que REVOCA en su totalidad el poder reseñado en el expositivo, conferido a {_dd(o)}, que "
            f"queda sin efecto ni valor alguno desde esta fecha.",
        ),
        (
            "p",
            f"SEGUNDO.- Que confiere nuevo poder, tan amplio como en Derecho sea necesario, a favor de "
            f"{_dd(a).upper()}, mayor de edad, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, para contratar, "
            f"modificar y rescindir suministros de electricidad y gas, y firmar cuantos documentos requieran las "
            f"empresas distribuidoras y comercializadoras.",
        ),
        (
            "p",
            f"TERCERO.- Que REQUIERE a mí, el Notario, para que notifique la revocación a {_dd(o)} en su domicilio "
            f"de {_street(rr)}, {rr.choice(K.CITIES)}, mediante el envío de copia simple por correo certificado con "
            f"acuse de recibo.",
        ),
        ("p", "Así lo dice y otorga. Leída esta escritura, la aprueba y firma conmigo. Doy fe."),
        ("sig", [g.full, f"{_nt(n)}: {n.full}"]),
        (
            "p",
            f"DILIGENCIA.- La extiendo yo, el Notario, para hacer constar que el {date_text(sent, 'es', 'long')} "
            f"remití por correo certificado con acuse de recibo, número CD{rr.randrange(10**9, 10**10)}ES, la "
            f"cédula de notificación a {_dd(o)}. Doy fe.",
        ),
    ]
    if doc.csv:
        b.append(("mono", f"C.S.V.: {doc.csv}"))
    return b


# =========================================================================== registry


@template("h8_nota_simple_web_es", "registry_certificate", "es", csv=False, nota=True)
def h8_nota_simple_web(doc: Doc) -> list[tuple]:
    """registradores.org-style NOTA SIMPLE INFORMATIVA printout: a dark header bar ("Información Mercantil", the
    issue date in it or only "Emitido el ..." in the footer), labelled rows, a ruled ÓRGANOS SOCIALES table and
    a CARGOS CESADOS table; the undated one shows no issue date at all."""
    a, o, px = doc.people["appointed"], doc.people["outgoing"], doc.people["proxy"]
    comp, cif = doc.company
    od = doc.other_dates
    rr = _r(doc, 6)
    rm = _rm(doc)
    undated = doc.extra.get("no_issue_date")
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 36, justify=False, leading=1.38)
    doc.style.margin_t = 200
    in_bar = doc.v % 2 == 0 and not undated
    hhmm = f"{rr.randrange(8, 21)}:{rr.randrange(0, 60):02d}"
    if undated or in_bar:
        doc.style.footer = "www.registradores.org · Página {page}/{pages}"
    else:
        doc.style.footer = (
            f"Emitido el {date_text(doc.date, 'es', 'long')} a las {hhmm} · www.registradores.org · " + "{page}/{pages}"
        )
    right = f"Fecha de emisión: {_num(doc.date)}" if in_bar else f"Nota n.º {rr.randrange(10**6, 10**7)}"
    adm = "Administradora Única" if a.female else "Administrador Único"
    adm_o = "Administradora Única" if o.female else "Administrador Único"
    return [
        ("bar", "Registradores de España · Información Mercantil", right),
        ("h", "NOTA SIMPLE INFORMATIVA", 1.25, "l"),
        ("pl", f"Registro Mercantil de {rm}"),
        (
            "grid",
            [0.26, 0.74],
            [
                ["Datos de la sociedad", ""],
                ["Denominación:", comp.upper()],
                ["NIF:", fmt_cif(cif, doc.fmt)],
                ["Domicilio:", f"{_street(rr).upper()} ({rm.upper()})"],
                ["Hoja:", doc.extra["hoja"]],
                ["Tomo:", str(doc.extra["tomo"])],
                ["Folio:", str(doc.extra["folio"])],
            ],
            True,
        ),
        ("h", "ÓRGANOS SOCIALES", 1.0, "l"),
        (
            "table",
            [0.2, 0.3, 0.16, 0.18, 0.16],
            [
                ["Cargo", "Nombre", "DNI", "Fecha nombramiento", "Duración"],
                [adm, a.surname_first(), fmt_nif(a.nif, 0), _num(od["appointment"]), "Indefinida"],
                ["Apoderado", px.surname_first(), fmt_nif(px.nif, 0), _num(od["proxy"]), "Indefinida"],
            ],
        ),
        ("h", "CARGOS CESADOS", 1.0, "l"),
        (
            "table",
            [0.2, 0.3, 0.16, 0.18, 0.16],
            [
                ["Cargo", "Nombre", "DNI", "Fecha nombramiento", "Fecha cese"],
                [adm_o, o.surname_first(), fmt_nif(o.nif, 0), _num(od["old_appointment"]), _num(od["removal"])],
            ],
        ),
        (
            "foot",
            "Advertencia: la nota simple tiene valor puramente informativo y no acredita fehacientemente el "
            "contenido de los asientos (art. 77 del Reglamento del Registro Mercantil). Sólo la certificación da fe.",
            False,
        ),
    ]


@template("h8_certificat_vigencia_carrec_ca", "registry_certificate", "ca")
def h8_certificat_vigencia(doc: Doc) -> list[tuple]:
    """Catalan "certificat de vigència de càrrec" of the Registre Mercantil: in-force appointment and ceased
    administrator in roman-numbered paragraphs; the issue date at the top right in digits, or only in the
    closing formula in Catalan words."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    ins = doc.extra["inscription"]
    rr = _r(doc, 7)
    rm = _rm(doc)
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 38, justify=True, leading=1.45, indent=90)
    reg_t = "registradora" if r.female else "registrador"
    adm = "administradora única" if a.female else "administrador únic"
    adm_o = "administradora única" if o.female else "administrador únic"
    top = doc.v % 2 == 1
    b: list[tuple] = [
        ("r", f"Registre Mercantil de {rm}"),
        ("r", f"Sol·licitud núm. {rr.randrange(1, 9)}/{rr.randrange(10**5, 10**6)}"),
    ]
    if top:
        b.append(("r", f"Data d'expedició: {_num(doc.date)}"))
    b += [
        ("gap", 1),
        ("h", "CERTIFICAT DE VIGÈNCIA DE CÀRREC", 1.2, "c"),
        (
            "p",
            f"{r.full.upper()}, {reg_t} mercantil de {rm}, CERTIFICO: que, d'acord amb el que consta al full "
            f"{doc.extra['hoja']}, foli {doc.extra['folio']}, tom {doc.extra['tomo']}, obert a la societat "
            f"{comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)}, resulta:",
        ),
        (
            "p",
            f"I. Que per la inscripció {ins}a, de data {_num(od['appointment'])}, consta el nomenament com a {adm}, "
            f"per termini indefinit, {'de la senyora' if a.female else 'del senyor'} {a.full}, amb DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt + 1)}, càrrec que es troba VIGENT en la data d'aquest certificat.",
        ),
        (
            "p",
            f"II. Que per la mateixa inscripció consta el cessament {'de la senyora' if o.female else 'del senyor'} "
            f"{o.full}, amb DNI {fmt_nif(o.nif, doc.fmt)}, com a {adm_o}, {'nomenada' if o.female else 'nomenat'} per la inscripció {ins - 2}a.",
        ),
        (
            "p",
            "III. Que no hi ha cap assentament posterior ni cap document pendent de despatx que afecti el càrrec "
            "certificat.",
        ),
    ]
    close = "I perquè consti, expedeixo aquest certificat"
    if top:
        close += "."
    else:
        close += f" a {rm}, el {date_text(doc.date, 'ca', 'words')}."
    b += [
        ("p", close),
        ("sig", [f"{'La' if r.female else 'El'} {reg_t}: {r.full}"]),
        ("seal", ["REGISTRE MERCANTIL", rm.upper()], 1, 0.7),
    ]
    if doc.csv:
        b.append(("mono", f"Codi segur de verificació: {doc.csv}"))
    return b


# =========================================================================== mandates

CONSULTORAS = [
    "Optimiza Energía Consultores S.L.",
    "Watio Gestión Energética S.L.",
    "Ahorro Kilovatio Ingeniería S.L.",
    "Tarifa Justa Consultoría Energética S.L.",
    "Enercat Assessors Energètics S.L.",
    "Solucions Energètiques del Vallès S.L.",
]


@template("h8_contrato_mandato_gestion_energetica_es", "manager_mandate", "es")
def h8_contrato_mandato(doc: Doc) -> list[tuple]:
    """Three-page e-signed consultancy contract (REUNIDOS / INTERVIENEN / EXPONEN / CLÁUSULAS): the client's
    representative first, the consultancy acting through its "apoderado" (the claimed one); the date only in
    every page's footer "Firmado electrónicamente el ... a las ..."; the signatures on page 3."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 8)
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 41, justify=True, leading=1.5)
    hhmm = f"{rr.randrange(8, 20)}:{rr.randrange(0, 60):02d}"
    ref = f"GE-{doc.date.year}-{rr.randrange(1000, 9999)}"
    doc.style.header = f"{gest.upper()} · Contrato n.º {ref}"
    doc.style.footer = f"Firmado electrónicamente el {_num(doc.date)} a las {hhmm} · " + "{page}/{pages}"
    cargo = rr.choice(["gerente", "apoderado", "director financiero"])
    if g.female:
        cargo = {"gerente": "gerente", "apoderado": "apoderada", "director financiero": "directora financiera"}[cargo]
    p1 = [
        ("h", "CONTRATO DE MANDATO DE GESTIÓN ENERGÉTICA Y REPRESENTACIÓN", 1.1, "c"),
        ("pl", f"Referencia: {ref}"),
        ("p", f"En {doc.city}, en la fecha que figura en la firma electrónica de este documento."),
        ("h", "REUNIDOS", 1.0, "c"),
        (
            "p",
            f"De una parte, {_dd(g).upper()}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, con domicilio "
            f"a estos efectos en {_street(rr)}, {doc.city}.",
        ),
        (
            "p",
            f"De otra parte, {_dd(a).upper()}, mayor de edad, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, con "
            f"domicilio profesional en {_street(rr)}, {rr.choice(K.CITIES)}.",
        ),
        ("h", "INTERVIENEN", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(g))}, en nombre y representación de {comp.upper()} (en adelante, EL CLIENTE), con C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, en su condición de {cargo}.",
        ),
        (
            "p",
            f"{_cap(_dd(a))}, en nombre y representación de {gest.upper()} (en adelante, LA CONSULTORA), con C.I.F. "
            f"{fmt_cif(gcif, doc.fmt + 1)}, en su calidad de apoderad{_o(a)}, en virtud de escritura de poder que "
            f"declara vigente, y como persona designada por LA CONSULTORA para la ejecución del presente mandato "
            f"(en adelante, EL MANDATARIO).",
        ),
        ("h", "EXPONEN", 1.0, "c"),
        (
            "p",
            "I. Que EL CLIENTE es titular de varios puntos de suministro de electricidad y gas natural y desea "
            "encomendar su gestión a un tercero especializado. II. Que LA CONSULTORA se dedica a la gestión y "
            "optimización de la contratación energética de empresas. III. Que ambas partes se reconocen capacidad "
            "suficiente para suscribir el presente contrato, que se regirá por las siguientes",
        ),
    ]
    p2 = [
        ("h", "CLÁUSULAS", 1.0, "c"),
        (
            "p",
            "PRIMERA. Objeto. EL CLIENTE confiere a LA CONSULTORA, que actuará por medio de EL MANDATARIO, mandato "
            "con representación para negociar, contratar, modificar y resolver en su nombre los contratos de "
            "suministro y de acceso a las redes, solicitar cambios de potencia, de tarifa y de comercializadora, y "
            "presentar reclamaciones ante las distribuidoras, las comercializadoras y la Administración.",
        ),
        (
            "p",
            f"SEGUNDA. Duración. El mandato estará vigente hasta el {_num(doc.other_dates['until'])} y se "
            f"prorrogará por periodos anuales salvo denuncia escrita con un mes de antelación.",
        ),
        (
            "p",
            f"TERCERA. Honorarios. LA CONSULTORA percibirá el {rr.randrange(15, 40)} % del ahorro acreditado en "
            f"la facturación energética de EL CLIENTE durante los doce primeros meses.",
        ),
        (
            "p",
            "CUARTA. Información. EL CLIENTE facilitará las facturas, los CUPS y los datos de consumo necesarios, "
            "y autoriza expresamente a LA CONSULTORA a solicitarlos a las distribuidoras.",
        ),
        (
            "p",
            "QUINTA. Confidencialidad y protección de datos. Las partes tratarán los datos personales conforme al "
            "Reglamento (UE) 2016/679 y a la Ley Orgánica 3/2018, únicamente para la ejecución de este contrato.",
        ),
        (
            "p",
            "SEXTA. Revocación. EL CLIENTE podrá revocar el mandato en cualquier momento mediante comunicación "
            "fehaciente, sin perjuicio de los honorarios devengados.",
        ),
        (
            "p",
            f"SÉPTIMA. Jurisdicción. Para cualquier controversia, las partes se someten a los Juzgados y Tribunales "
            f"de {doc.city}.",
        ),
    ]
    p3 = [
        (
            "p",
            "Y en prueba de conformidad, las partes firman electrónicamente el presente contrato, que consta de tres "
            "páginas, en la fecha y hora indicadas al pie.",
        ),
        ("scrawl", [f"EL CLIENTE: p.p. {g.full}", f"EL MANDATARIO: {a.full}"], doc.seed + 8),
        ("pl", f"Identificador de la transacción: {rr.randrange(10**11, 10**12):x}".upper()),
    ]
    return _pages(doc, p1 + p2[:3], p2[3:], p3)  # the clauses run on from page 1


@template("h8_acta_junta_propietarios_administrador_es", "manager_mandate", "es", community=True)
def h8_acta_junta_propietarios(doc: Doc) -> list[tuple]:
    """Extract of the minutes of an owners' ordinary general meeting (CIF H): a ruled table of agenda items,
    resolutions and votes; the president re-elected, a professional "administrador de fincas colegiado"
    appointed (the mandatary); certified by the secretary with the president's Vº Bº."""
    a, pres, s = doc.people["appointed"], doc.people["president"], doc.people["secretary"]
    comp, cif = doc.company
    meet = doc.other_dates["meeting"]
    rr = _r(doc, 9)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 37, justify=False, leading=1.45)
    doc.style.header = f"{comp} · CIF {cif}"
    col = rr.randrange(1000, 9999)
    pt = "Presidenta" if pres.female else "Presidente"
    st = "Secretaria" if s.female else "Secretario"
    adm = "administradora" if a.female else "administrador"
    owners = rr.randrange(14, 60)
    rows = [
        ["Punto", "Acuerdo", "Votación"],
        ["1.º Cuentas", f"Se aprueban las cuentas del ejercicio {meet.year - 1} y el estado de deudas.", "Unanimidad"],
        ["2.º Presupuesto", f"Se aprueba el presupuesto ordinario de {meet.year} y las cuotas.", "Mayoría"],
        [
            "3.º Cargos",
            f"Se reelige {pt} de la Comunidad a {_dd(pres)} (piso {rr.randrange(1, 8)}.º {rr.choice('ABCD')}).",
            "Unanimidad",
        ],
        [
            "4.º Administración",
            f"Se nombra {adm} de la Comunidad, con las funciones del art. 20 de la Ley de Propiedad Horizontal, a "
            f"{_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, {adm} de fincas colegiad{_o(a)} n.º "
            f"{col}, y se le faculta para contratar y gestionar los suministros de energía de los elementos "
            f"comunes.",
            "Mayoría",
        ],
    ]
    return [
        ("h", comp.upper(), 1.05, "c"),
        ("h", f"C.I.F. {fmt_cif(cif, doc.fmt)}", 0.8, "c"),
        ("gap", 1),
        ("h", "EXTRACTO DEL ACTA DE LA JUNTA GENERAL ORDINARIA DE PROPIETARIOS", 1.0, "l"),
        (
            "p",
            f"{_dd(s).upper()}, con D.N.I. {fmt_nif(s.nif, doc.fmt)}, {st} de la Comunidad, CERTIFICA: que en el "
            f"Libro de Actas, diligenciado por el Registro de la Propiedad de {doc.city}, figura el acta de la Junta "
            f"General Ordinaria celebrada el {date_text(meet, 'es', 'long')}, en segunda convocatoria, con asistencia "
            f"de {owners} propietarios, presentes o representados, que suman el "
            f"{rr.randrange(52, 90)},{rr.randrange(10, 99)} % de las cuotas, de la que resultan los siguientes "
            f"acuerdos:",
        ),
        ("table", [0.2, 0.6, 0.2], rows),
        (
            "p",
            f"{_cap(_dd(a))} acepta el cargo y la gestión encomendada. El acta fue aprobada al término de la reunión. "
            f"Y para que conste ante las compañías suministradoras, expido la presente con el visto bueno "
            f"{'de la' if pres.female else 'del'} {pt}, en {doc.city}, a "
            f"{date_text(doc.date, 'es', ['long', 'num', 'long', 'long'][doc.v])}.",
        ),
        (
            "scrawl",
            [
                f"{'La' if s.female else 'El'} {st}: {s.full}",
                f"Vº Bº {'La' if pres.female else 'El'} {pt}: {pres.full}",
            ],
            doc.seed + 9,
        ),
        ("pl", f"D.N.I. {pt.lower()}: {fmt_nif(pres.nif, doc.fmt + 2)}"),
        ("scrawl", [f"Acepto: {a.full}, {adm} de fincas col. n.º {col}"], doc.seed + 10),
        ("seal", ["COMUNIDAD DE PROPIETARIOS", doc.city.upper()], 3, 0.7),
    ]


SERVEIS = [
    "Anàlisi i optimització de tarifes",
    "Contractació d'electricitat",
    "Contractació de gas natural",
    "Canvis de potència",
    "Gestió de reclamacions",
    "Certificats d'eficiència",
]


@template("h8_adhesio_servei_gestio_energetica_ca", "manager_mandate", "ca", witness=True)
def h8_adhesio_servei(doc: Doc) -> list[tuple]:
    """Catalan "document d'adhesió al servei de gestió energètica": letterhead emblem, ruled tables of the
    client, the assigned energy manager and the supply points, ticked services, "Lloc i data de signatura", an
    optional witness."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 11)
    _style(doc, "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", 36, justify=False, leading=1.4)
    doc.style.footer = f"{gest} · NIF {gcif} · Model ADH-{rr.randrange(1, 9)}/{doc.date.year}"
    initials = "".join(x[0] for x in gest.split()[:2]).upper()
    cups = [f"ES0031{rr.randrange(10**11, 10**12)}{rr.choice('ABCDEFGH')}{rr.choice('JKLMN')}0F" for _ in range(2)]
    carrec = rr.choice(["gerent", "administradora" if g.female else "administrador"])
    ticks = [(rr.random() < 0.7 or i < 2, s) for i, s in enumerate(SERVEIS)]
    b: list[tuple] = [
        ("logo", initials, gest, "Assessorament i gestió energètica per a empreses"),
        ("h", "DOCUMENT D'ADHESIÓ AL SERVEI DE GESTIÓ ENERGÈTICA I MANDAT", 1.05, "l"),
        ("pl", f"Expedient núm. {rr.randrange(10**4, 10**5)}"),
        (
            "table",
            [0.32, 0.68],
            [
                ["1. DADES DEL CLIENT", ""],
                ["Raó social", comp.upper()],
                ["NIF", fmt_cif(cif, doc.fmt)],
                ["Representant", g.full],
                ["DNI", fmt_nif(g.nif, doc.fmt + 1)],
                ["Càrrec", carrec],
            ],
        ),
        (
            "table",
            [0.32, 0.68],
            [
                ["2. GESTOR ENERGÈTIC ASSIGNAT", ""],
                ["Empresa", gest],
                ["NIF", fmt_cif(gcif, doc.fmt)],
                [f"Gestor{'a' if a.female else ''}", a.full],
                ["DNI/NIE", fmt_nif(a.nif, doc.fmt + 2)],
            ],
        ),
        (
            "table",
            [0.5, 0.16, 0.34],
            [["3. PUNTS DE SUBMINISTRAMENT (CUPS)", "Tarifa", "Adreça"]]
            + [[c, rr.choice(["3.0TD", "6.1TD", "RL.2"]), _street(rr, "ca")] for c in cups],
        ),
        ("h", "4. SERVEIS I MANDAT", 0.95, "l"),
        ("checks", ticks, 2),
        (
            "p",
            "El client atorga mandat a l'empresa i a la persona gestora indicades perquè, en nom seu, contractin, "
            "modifiquin i donin de baixa els subministraments indicats i facin els tràmits marcats davant les "
            f"comercialitzadores i distribuïdores, fins al {_num(doc.other_dates['until'])}.",
        ),
        ("h", "5. SIGNATURA", 0.95, "l"),
        ("pl", f"Lloc i data de signatura: {doc.city}, {_num(doc.date)}"),
        ("scrawl", [f"Pel client: {g.full}", f"La persona gestora: {a.full}"], doc.seed + 11),
    ]
    if w:
        b.append(("pl", f"Signat en presència de {w.full}, amb DNI {fmt_nif(w.nif, doc.fmt)}, com a testimoni."))
    return b


# =========================================================================== ID documents


def _copy_sheet() -> Image.Image:
    return Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)


def _grey(im: Image.Image, gain: float = 1.05) -> Image.Image:
    return im.convert("L").point(lambda v: min(255, int(v * gain)))


@template("h8_id_dni40_reverso_es", "id_document", "es", paper=True, dni40=True)
def h8_dni40_reverso(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi) of only the BACK of a DNI 4.0: address, birthplace, parents, the team code and the
    TD1 MRZ (DNI number, expiry and name only there); no issue date; a handwritten "reverso" note."""
    p = doc.people["appointed"]
    exp, birth = doc.date, doc.other_dates["birth"]
    rr = _r(doc, 20)
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    back = K.card_base(doc.seed + 80, (226, 230, 236))
    d = ImageDraw.Draw(back)
    rows = [
        ("DOMICILIO", f"{rr.choice(K.STREETS_ES + K.STREETS_CA).upper()} {rr.randrange(1, 150)} P{rr.randrange(1, 9)}"),
        ("", f"{doc.city.upper()} {doc.city.upper() if rr.random() < 0.5 else ''}".strip()),
        ("LUGAR DE NACIMIENTO", rr.choice(K.CITIES).upper()),
        ("HIJO/A DE", f"{rr.choice(['JOSE', 'ANTONIO', 'JAIME', 'RAFAEL'])} / {rr.choice(['ROSA', 'MARIA', 'ELENA'])}"),
    ]
    y = 44
    for lb, v in rows:
        if lb:
            d.text((60, y), lb, font=_f(L, 28), fill=(80, 80, 96))
            y += 32
        d.text((60, y), v, font=_f(B, 42), fill=(20, 20, 20))
        y += 70
    d.text((1500, 60), "EQUIPO", font=_f(L, 28), fill=(80, 80, 96))
    d.text(
        (1500, 92),
        f"{rr.randrange(10, 52)}{rr.randrange(100, 999)}L{rr.randrange(1, 9)}D{rr.randrange(1, 9)}",
        font=_f(B, 40),
        fill=(20, 20, 20),
    )
    d.rectangle([1560, 300, 1900, 620], outline=(150, 150, 160), width=3)  # the chip window
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d.text((66, 862 + i * 121), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    sheet = _copy_sheet()
    _paste_dark(sheet, _grey(back), (420, 520))
    sd = ImageDraw.Draw(sheet)
    sd.text((430, 300), "Fotocopia DNI — reverso", font=_f("DejaVuSerif-Italic.ttf", 64), fill=60)
    H4._draw_scribble(sheet, sd, ("draw", None, 2700, 2300, 900, doc.seed + 3), 2)
    return [sheet.convert("RGB")]


TIE8 = [  # (given, surname 1, surname 2, sex, nationality code)
    ("Valentina", "Restrepo", "Gaviria", "F", "COL"),
    ("Kwame", "Mensah", "", "M", "GHA"),
    ("Thiago", "de Souza", "Lima", "M", "BRA"),
    ("Nadia", "Benali", "", "F", "DZA"),
    ("Oksana", "Shevchenko", "", "F", "UKR"),
    ("Arjun", "Mehta", "", "M", "IND"),
    ("Marisol", "Quispe", "Huamán", "F", "PER"),
    ("Rachid", "El Idrissi", "", "M", "MAR"),
]


BIRTHPLACE = {
    "COL": "BOGOTA (COLOMBIA)",
    "GHA": "ACCRA (GHANA)",
    "BRA": "SAO PAULO (BRASIL)",
    "DZA": "ORAN (ARGELIA)",
    "UKR": "KYIV (UCRANIA)",
    "IND": "PUNE (INDIA)",
    "PER": "CUSCO (PERU)",
    "MAR": "FES (MARRUECOS)",
}


def make_tie8_person(rng: random.Random) -> Person:
    g, s1, s2, sex, _ = rng.choice(TIE8)
    return Person(g, s1, s2, K.make_nie(rng), sex)


def _tie8_nat(p: Person) -> str:
    return next((t[4] for t in TIE8 if (t[0], t[1]) == (p.given, p.s1)), "COL")


@template("h8_id_tie_familiar_ue_es", "id_document", "es", paper=True, tie_fam=True)
def h8_tie_familiar(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi) of both sides of a "Tarjeta de residencia de familiar de ciudadano de la Unión":
    front with NIE, nationality, VALIDEZ and the card type; back with FECHA DE EXPEDICIÓN and the TD1 MRZ."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    rr = _r(doc, 21)
    nat = _tie8_nat(p)
    L, B = "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"
    front = K.card_base(doc.seed, (234, 228, 214))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "ESPAÑA", font=_f(B, 52), fill=(140, 30, 30))
    d.text((330, 48), "PERMISO DE RESIDENCIA", font=_f(B, 40), fill=(50, 50, 110))
    d.rectangle([60, 170, 500, 760], fill=(158, 152, 146))
    lab, val = _f(L, 27), _f(B, 44)
    cells = [
        ((560, 160), "APELLIDOS", p.surnames.upper()),
        ((560, 270), "NOMBRE", p.given.upper()),
        ((560, 380), "N.I.E.", p.nif),
        ((1180, 380), "NACIONALIDAD", nat),
        ((560, 490), "SEXO", "M" if p.female else "H"),
        ((800, 490), "FECHA DE NACIMIENTO", birth.strftime("%d %m %Y")),
        ((560, 600), "VALIDEZ", exp.strftime("%d %m %Y")),
    ]
    for (x, y), lb, v in cells:
        d.text((x, y), lb, font=lab, fill=(80, 80, 90))
        d.text((x, y + 30), v, font=val, fill=(10, 10, 10))
    d.text((60, 820), "TIPO DE PERMISO", font=lab, fill=(80, 80, 90))
    d.text((60, 852), "TARJETA DE RESIDENCIA DE FAMILIAR", font=_f(B, 40), fill=(10, 10, 10))
    d.text((60, 902), "DE CIUDADANO DE LA UNIÓN", font=_f(B, 40), fill=(10, 10, 10))
    d.text((60, 1000), "OBSERVACIONES", font=lab, fill=(80, 80, 90))
    d.text((60, 1032), "AUTORIZA A TRABAJAR", font=_f(B, 36), fill=(10, 10, 10))
    d.line([(1300, 1140), (1450, 1070), (1520, 1130), (1760, 1060)], fill=(30, 30, 90), width=4)
    back = K.card_base(doc.seed + 5, (230, 226, 216))
    d2 = ImageDraw.Draw(back)
    lines = [
        ("LUGAR DE NACIMIENTO", BIRTHPLACE[nat]),
        ("DOMICILIO", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 120)}, {doc.city.upper()}"),
        ("EXPEDIDA EN", f"{doc.city.upper()}"),
        ("FECHA DE EXPEDICIÓN", iss.strftime("%d-%m-%Y")),
    ]
    for i, (lb, v) in enumerate(lines):
        d2.text((60, 36 + i * 104), lb, font=lab, fill=(80, 80, 90))
        d2.text((60, 68 + i * 104), v, font=_f(B, 40), fill=(20, 20, 20))
    number = f"E{rr.randrange(10**7, 10**8)}"
    mrz = K.td1_mrz("IR", number, p.nif, birth, "F" if p.female else "M", exp, nat, p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 866 + i * 120), ln, font=_f("LiberationMono-Regular.ttf", 70), fill=(0, 0, 0))
    sheet = _copy_sheet()
    _paste_dark(sheet, _grey(front, 1.03), (1480, 480))
    _paste_dark(sheet, _grey(back, 1.03), (1480, 480 + 1276 + 260))
    sd = ImageDraw.Draw(sheet)
    H4._draw_seal(sheet, sd, ("draw", None, 1000, 3600, ["ES COPIA", "DEL ORIGINAL"], _f(B, 60)), 2)
    return [sheet.convert("RGB")]


ROU8 = [  # (given, surname, sex, county of issue)
    ("Ioana", "Stănescu", "F", "BUCUREȘTI"),
    ("Andrei", "Dumitrescu", "M", "CLUJ"),
    ("Mihai", "Constantinescu", "M", "IAȘI"),
    ("Elena", "Munteanu", "F", "TIMIȘ"),
    ("Răzvan", "Ionescu", "M", "CONSTANȚA"),
    ("Alexandra", "Florea", "F", "BRAȘOV"),
    ("Bogdan", "Radu", "M", "SUCEAVA"),
    ("Cristina", "Țurcanu", "F", "BACĂU"),
]
RO_MONTHS = ["IAN", "FEB", "MAR", "APR", "MAI", "IUN", "IUL", "AUG", "SEP", "OCT", "NOI", "DEC"]


def make_rou_person(rng: random.Random) -> Person:
    g, s, sex, _ = rng.choice(ROU8)
    return Person(g, s, "", K.make_nie(rng), sex)


def _rdate(d: dt.date) -> str:  # "12 MAR/MAR 2031"
    return f"{d.day:02d} {RO_MONTHS[d.month - 1]}/{H5.MONTH_EN3[d.month - 1]} {d.year}"


def _td3_rou(number: str, birth: dt.date, sex: str, expiry: dt.date, person: Person, cnp: str) -> list[str]:
    """ICAO 9303 TD3 of a Romanian passport: the CNP as personal number."""
    name = K._mrz_name(person.surnames).strip("<")
    l1 = (f"P<ROU{name}<<{K._mrz_name(person.given).strip('<')}" + "<" * 44)[:44]
    num = number.ljust(9, "<")[:9]
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    pers = cnp.ljust(14, "<")
    l2 = f"{num}{K.mrz_check(num)}ROU{b}{K.mrz_check(b)}{sex}{e}{K.mrz_check(e)}{pers}{K.mrz_check(pers)}"
    l2 += K.mrz_check(l2[0:10] + l2[13:20] + l2[21:43])
    assert len(l1) == len(l2) == 44, (l1, l2)
    return [l1, l2]


@template("h8_id_pasaporte_rou_nie_es", "id_document", "es", paper=True, rou=True)
def h8_pasaporte_rou(doc: Doc) -> list[Image.Image]:
    """A4 sheet (600 dpi): the half-page Spanish "certificado de número de identidad de extranjero" on top (its
    own date), a dashed cut line, and a Romanian passport data page below (trilingual labels, CNP, dates as
    "12 MAR/MAR 2031", TD3 MRZ)."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    nie_d = doc.other_dates["nie_cert"]
    rr = _r(doc, 22)
    county = next((t[3] for t in ROU8 if (t[0], t[1]) == (p.given, p.s1)), "BUCUREȘTI")
    number = f"0{rr.randrange(10**7, 10**8)}"
    cnp = f"{2 if p.female else 1}{birth.strftime('%y%m%d')}{rr.randrange(10**5, 10**6)}"
    sheet = _copy_sheet()
    half = sheet.height // 2
    cert = [
        ("pl", "MINISTERIO DEL INTERIOR · DIRECCIÓN GENERAL DE LA POLICÍA"),
        ("pl", f"Comisaría de Policía Nacional de {doc.city} · Oficina de Extranjeros"),
        ("h", "CERTIFICADO DE NÚMERO DE IDENTIDAD DE EXTRANJERO", 1.0, "c"),
        (
            "p",
            f"A solicitud {'de la interesada' if p.female else 'del interesado'}, se certifica que a "
            f"{p.full.upper()}, de nacionalidad rumana, nacid{_o(p)} el {birth.strftime('%d/%m/%Y')}, con pasaporte "
            f"número {number}, le ha sido asignado el N.I.E.:",
        ),
        ("h", p.nif, 1.3, "c"),
        ("p", "La asignación de este número no acredita la residencia legal en España."),
        ("pl", f"{doc.city}, {date_text(nie_d, 'es', 'long')}"),
        ("stamp", ["POLICÍA NACIONAL", "EXTRANJERÍA"]),
    ]
    st = K.Style(
        font="LiberationSerif-Regular.ttf", bold="LiberationSerif-Bold.ttf", size=42, justify=True, margin_t=200
    )
    part = K.render_pages(cert, st, dpi=600)[0]
    _paste_dark(sheet, part.crop((0, 0, part.width, half - 60)), (0, 0))
    sd = ImageDraw.Draw(sheet)
    for x in range(200, sheet.width - 200, 90):
        sd.line([(x, half), (x + 50, half)], fill=90, width=5)
    W, H = 2953, 2079
    page = Image.new("RGB", (W, H), (232, 236, 230))
    d = ImageDraw.Draw(page)
    for yy in range(0, H, 34):
        d.arc([-400, yy - 300, W + 400, yy + 300], 0, 180, fill=(222, 228, 220), width=2)
    Lf, Bf = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
    d.text((640, 40), "ROMÂNIA · ROMANIA · ROUMANIE", font=_f(Bf, 58), fill=(30, 50, 110))
    d.text((640, 118), "PAȘAPORT / PASSPORT / PASSEPORT", font=_f(Lf, 44), fill=(30, 50, 110))
    d.rectangle([70, 240, 590, 980], fill=(158, 160, 156))
    cells = [
        ((640, 210), "Tip/Type/Type", "P"),
        ((1000, 210), "Cod țară/Code/Code", "ROU"),
        ((1600, 210), "Nr. pașaport/Passport No.", number),
        ((640, 350), "Nume/Surname/Nom", p.surnames.upper()),
        ((640, 490), "Prenume/Given names/Prénoms", p.given.upper()),
        ((640, 630), "Cetățenie/Nationality/Nationalité", "ROMÂNĂ/ROU"),
        ((1700, 630), "CNP/Personal No.", cnp),
        ((640, 770), "Data nașterii/Date of birth", _rdate(birth)),
        ((1700, 770), "Sex/Sex/Sexe", "F" if p.female else "M"),
        ((640, 910), "Locul nașterii/Place of birth", county),
        ((640, 1050), "Data eliberării/Date of issue", _rdate(iss)),
        ((1700, 1050), "Autoritate/Authority", f"SPCEEP {county}"),
        ((640, 1190), "Data expirării/Date of expiry", _rdate(exp)),
    ]
    for (x, y), lb, v in cells:
        d.text((x, y), lb, font=_f(Lf, 29), fill=(70, 80, 100))
        d.text((x, y + 37), v, font=_f(Bf, 52), fill=(10, 10, 10))
    d.line([(110, 1260), (260, 1190), (340, 1250), (520, 1180)], fill=(30, 30, 90), width=6)
    mrz = _td3_rou(number, birth, "F" if p.female else "M", exp, p, cnp)
    doc.extra["mrz_td3"] = mrz
    for i, ln in enumerate(mrz):
        d.text((80, 1700 + i * 140), ln, font=_f("DejaVuSansMono.ttf", 74), fill=(0, 0, 0))
    _paste_dark(sheet, _grey(page, 1.04), ((sheet.width - W) // 2, half + 420))
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h8_constitucion_tres_socios_es", ["clean", "photo", "pdf_scan"], ["clean"]),
        ("h8_certificacion_acta_junta_es", ["clean", "noisy"], ["photo"]),
        ("h8_poder_extranjero_traduccion_jurada_es", ["clean", "pdf_text"], []),
        ("h8_poder_consell_rector_cooperativa_ca", ["photo", "rot90"], ["clean"]),
        ("h8_revocacion_nuevo_poder_requerimiento_es", ["clean", "skew"], []),
        ("h8_nota_simple_web_es", ["clean", "pdf_text", "lowcontrast"], ["pdf_text"]),
        ("h8_certificat_vigencia_carrec_ca", ["photo", "rot270"], []),
        ("h8_contrato_mandato_gestion_energetica_es", ["pdf_scan", "clean", "jpeg200"], ["clean"]),
        ("h8_acta_junta_propietarios_administrador_es", ["clean", "rot180", "dpi600"], []),
        ("h8_adhesio_servei_gestio_energetica_ca", ["photo", "tiff"], ["clean"]),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h8_constitucion_tres_socios_es", "grantor_claims", ["clean"], ["clean"]),
        ("h8_constitucion_tres_socios_es", "secretary_claims", ["photo"], []),
        ("h8_constitucion_tres_socios_es", "notary_claims", ["pdf_text"], []),
        ("h8_certificacion_acta_junta_es", "outgoing_claims", ["clean", "photo"], ["clean"]),
        ("h8_certificacion_acta_junta_es", "president_claims", ["clean"], []),
        ("h8_certificacion_acta_junta_es", "lookalike_claims", ["pdf_scan"], []),
        ("h8_poder_extranjero_traduccion_jurada_es", "grantor_claims", ["photo"], []),
        ("h8_poder_consell_rector_cooperativa_ca", "secretary_claims", ["clean"], []),
        ("h8_poder_consell_rector_cooperativa_ca", "nif_off_claims", ["pdf_text"], []),
        ("h8_revocacion_nuevo_poder_requerimiento_es", "outgoing_claims", ["clean", "pdf_text"], ["photo"]),
        ("h8_nota_simple_web_es", "stale_certificate", ["clean", "photo"], ["clean"]),
        ("h8_nota_simple_web_es", "undated_certificate", ["clean"], []),
        ("h8_nota_simple_web_es", "outgoing_claims", ["pdf_text"], []),
        ("h8_certificat_vigencia_carrec_ca", "stale_certificate", ["pdf_text"], []),
        ("h8_contrato_mandato_gestion_energetica_es", "future_mandate", ["clean", "pdf_text"], ["pdf_text"]),
        ("h8_contrato_mandato_gestion_energetica_es", "grantor_claims", ["photo"], []),
        ("h8_acta_junta_propietarios_administrador_es", "secretary_claims", ["photo"], []),
        ("h8_acta_junta_propietarios_administrador_es", "nif_off_claims", ["clean"], []),
        ("h8_adhesio_servei_gestio_energetica_ca", "witness_claims", ["clean"], []),
        ("h8_adhesio_servei_gestio_energetica_ca", "future_mandate", ["photo"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h8_constitucion_tres_socios_es", "clean", "h8_id_dni40_reverso_es", "clean", False),
        ("h8_contrato_mandato_gestion_energetica_es", "photo", "h8_id_tie_familiar_ue_es", "clean", False),
        ("h8_poder_extranjero_traduccion_jurada_es", "clean", "h8_id_pasaporte_rou_nie_es", "photo", False),
        ("h8_certificacion_acta_junta_es", "pdf_text", "h8_id_dni40_reverso_es", "rot90", True),
        ("h8_nota_simple_web_es", "clean", "h8_id_pasaporte_rou_nie_es", "skew", True),
        ("h8_adhesio_servei_gestio_energetica_ca", "clean", "h8_id_tie_familiar_ue_es", "lowcontrast", False),
        ("h8_poder_consell_rector_cooperativa_ca", "clean", "h8_id_dni40_reverso_es", "jpeg200", False),
        ("h8_acta_junta_propietarios_administrador_es", "photo", "h8_id_tie_familiar_ue_es", "rot180", True),
    ],
    "small_sets": 2,
}


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
    elif t.get("tie_fam"):  # a family member's residence card: five years
        if expired:
            exp = upload - dt.timedelta(days=rng.randrange(15, 600))
        else:
            exp = upload + dt.timedelta(days=rng.randrange(90, 1700))
        exp = exp.replace(day=min(exp.day, 28))
        iss = exp.replace(year=exp.year - 5)
        birth = day(rng.randrange(1960, 2000), rng.randrange(1, 13))
    else:  # Romanian passport: ten years for adults; the NIE certificate some time after its issue
        span = rng.randrange(3680, 4300) if expired else rng.randrange(100, 3300)
        iss = upload - dt.timedelta(days=span)
        iss = iss.replace(day=min(iss.day, 28))
        exp = iss.replace(year=iss.year + 10)
        birth = day(rng.randrange(1958, 1996), rng.randrange(1, 13))
        first, last = iss + dt.timedelta(days=15), min(exp, upload - dt.timedelta(days=20))
        doc.other_dates["nie_cert"] = first + dt.timedelta(days=rng.randrange(0, max(1, (last - first).days)))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _spanish_holder(rng: random.Random) -> Person:
    return make_person8(rng, "es", dot_ok=False)


def _holder(idname: str):
    """The maker of an ID card's holder (see corpus2.plan_part)."""
    t = TEMPLATES[idname]
    if t.get("tie_fam"):
        return make_tie8_person
    if t.get("rou"):
        return make_rou_person
    return _spanish_holder


def _add(doc: Doc, rng: random.Random, key: str, role: str, nif: bool = True):
    K.add_person(doc, key, role, make_person8(rng, doc.lang), nif)


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
                doc.people[k] = make_person8(rng, lang, nie=p.nif[0] in "XYZ")
    if doc.notary and rng.random() < 0.5:
        doc.notary = make_person8(rng, lang)
    if t.get("founders"):  # an S.L. being incorporated: NIF B; three founders, no outgoing administrator
        doc.company = (f"{rng.choice(K.COMPANY_A)} {rng.choice(K.COMPANY_B)}, S.L.", K.make_cif(rng, "B"))
        K.drop_people(doc, "outgoing")
        _add(doc, rng, "secretary", "other")
        doc.people["grantor"] = make_person8(rng, lang, nie=rng.random() < 0.3)
    if t.get("acta8"):  # the company's own certificate: no notary, no protocol
        doc.notary, doc.protocol, doc.csv = None, None, None
        doc.date = upload - dt.timedelta(days=rng.randrange(5, 150))
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(0, 12))
        for k in ("president", "partner1", "partner2"):
            _add(doc, rng, k, "other")
    if t.get("foreign"):  # granted abroad: a foreign notary public, no protocol; translated and apostilled
        fn = rng.choice(FOREIGN_NOTARIES)
        doc.notary, doc.protocol, doc.csv = fn[0], None, None
        doc.extra["foreign_notary"] = fn
        doc.date = upload - dt.timedelta(days=rng.randrange(40, 700))
        doc.other_dates["apostille"] = doc.date + dt.timedelta(days=rng.randrange(2, 10))
        doc.other_dates["translation"] = doc.other_dates["apostille"] + dt.timedelta(days=rng.randrange(3, 20))
        if rng.random() < 0.4:
            doc.people["grantor"] = K.make_person(rng, "es", nie=True)
        _add(doc, rng, "translator", "other", nif=False)
    if t.get("coop"):  # a Catalan cooperative (SCCL): NIF F
        kind = rng.choice(COOP_KINDS).format(t=rng.choice(COOP_TOWNS))
        doc.company = (f"{kind}, SCCL", K.make_cif(rng, "F"))
        _add(doc, rng, "secretary", "other")
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(3, 40))
    if t.get("revoke8"):  # the former attorney and the notary of the revoked power
        _add(doc, rng, "outgoing", "outgoing")
        _add(doc, rng, "prior_notary", "notary", nif=False)
        doc.other_dates["old_power"] = doc.date - dt.timedelta(days=rng.randrange(400, 3000))
        doc.other_dates["posted"] = doc.date + dt.timedelta(days=rng.randrange(1, 4))
        doc.extra["old_protocol"] = rng.randrange(150, 4800)
        if doc.other_dates["posted"] >= upload:
            doc.date -= dt.timedelta(days=10)
            doc.other_dates["posted"] -= dt.timedelta(days=10)
    if doc.doc_type == "registry_certificate":  # the sheet's letters are those of the registry's province
        doc.extra["hoja"] = f"{H5.HOJA.get(_rm(doc), 'M')}-{doc.extra['hoja'].split('-')[1]}"
    if t.get("nota"):  # a web printout: no registrar's signature
        doc.registrar = None
        _add(doc, rng, "proxy", "other")
        doc.other_dates["proxy"] = doc.other_dates["old_appointment"] + dt.timedelta(days=rng.randrange(30, 700))
    if case == "stale_certificate" and (name == "h8_certificat_vigencia_carrec_ca" or variant == "photo"):
        doc.date = upload - dt.timedelta(days=rng.randrange(91, 126))  # only just older than the 90 days allowed
    if doc.doc_type == "manager_mandate":
        doc.extra["gestora"] = (rng.choice(CONSULTORAS), K.make_cif(rng, "B"))
        if not t.get("witness"):  # only the adhesion form prints a witness
            K.drop_people(doc, "witness")
    if t.get("community"):  # the owners appoint the administrator: nobody grants
        cname, ccif, city = K.make_community(rng, lang)
        doc.company, doc.city = (cname, ccif), city
        K.drop_people(doc, "grantor")
        _add(doc, rng, "president", "other")
        _add(doc, rng, "secretary", "other")
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(5, 60))
    if case == "future_mandate":  # signed after the upload: must not be clear
        doc.date = upload + dt.timedelta(days=rng.randrange(3, 45))
        doc.other_dates["until"] = doc.date + dt.timedelta(days=365 * rng.choice([1, 2]))
        if "meeting" in doc.other_dates:
            doc.other_dates["meeting"] = upload - dt.timedelta(days=rng.randrange(5, 40))
    if case == "witness_claims":
        doc.people.setdefault("witness", make_person8(rng, lang))
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
    if TEMPLATES[doc.template].get("dni40"):
        e["expect"]["issue_date"] = None  # only the back was copied: no issue date on the page
    return e


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout8 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, entry=_entry, upload_step=3, holder=_holder)
