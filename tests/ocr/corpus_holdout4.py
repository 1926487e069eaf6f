"""FOURTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the three other holdouts, without looking at the engine: the documents
are made the way notaries, registries, administrators and the police make them, not the way the pre-check
expects them.  Never tune the engine on these templates, nor look at which of them it misses; the part is
meant to be measured once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout4 [--profile small|full]

Templates (Spanish and Catalan):
  * powers: a special power with the COMPARECE / INTERVIENE / EXPONE / OTORGA structure whose attorney is
    identified only in a later clause (THIRD stipulation), reciting the grantor's own appointment (another
    notary, another protocol number); a revocation plus a new power in one deed (the old power's date, notary
    and protocol quoted); a Catalan "escriptura d'apoderament" authorised by a substitute notary for a
    colleague's protocol, with the powers in two columns and a later note of the copy issued; a bilingual
    Spanish | English power in two columns; a power granted by the board's secretary in execution of a board
    resolution with the chairman's "visto bueno";
  * deeds: "elevación a público de acuerdos sociales" with a board of three (one director resigns, two are
    appointed, one of them managing director) and a before/after table without rules; a Catalan deed of the
    sole partner's decisions (the sole partner is a holding company represented by a person; two CIFs); the
    appointment of a company as sole administrator with its natural-person representative; a Catalan notarial
    minutes of a general meeting (requirement and attendance, dismissal and appointment);
  * registry: a "nota simple" with a ruled table of charges (cargo, nombre, NIF, fecha de nombramiento, fecha
    de caducidad) and the issue date at the foot; a BORME page in two columns with "Revocaciones /
    Ceses/Dimisiones / Nombramientos" in one entry; an electronic certificate whose issue date is only in the
    signature block at the foot (ISO date with time) and a request date at the top, with a QR-like box;
  * mandates: a Catalan mandate signed by the president of a "comunitat de propietaris" with an excerpt of
    the minutes certified by the secretary-administrator; a mandate to an energy-management company (CIF)
    acting through a person empowered by another notary's deed, with the company seal over the signatures; an
    authorisation letter on the company's letterhead (logo block) with two handwritten-like signatures; a
    Catalan representation form with boxes and ticked options; an energy-services contract whose mandate is
    an annex;
  * ID documents: a DNI 4.0 (labels in Spanish and Catalan or English, NUM SOPORT, EMISIÓN and VALIDEZ, TD1
    MRZ); a TIE residence card (NIE, permit type, TD1 MRZ with another nationality); an A4 photocopy of an
    Italian electronic identity card (front and back, codice fiscale, TD1 MRZ) with the holder's green EU
    registration certificate (NIE) below it.

Case kinds are those of the other parts (true claim; outgoing, grantor, secretary, president, witness and
notary claims; lookalike and nif_off claims; stale and undated certificates; expired ID).  Specific to this part:
  * ``outgoing_claims`` on a power is the REVOKED attorney claiming (role "outgoing");
  * ``president_claims`` on the board deed is the continuing chairman who raises the resolutions to public;
  * the copy of the Italian card: ``expect.expiry`` / ``expect.issue_date`` are the card's SCADENZA /
    EMISSIONE; the certificate's registration date is another date on the page;
  * people printed without an identifier (notaries quoted in the text, the chairman of a board...) are in
    ``expect.people`` with ``id_number`` None; a notary quoted but not authorising has role "notary".
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
from PIL import Image, ImageDraw

try:
    from tests.ocr import corpus2 as K
    from tests.ocr import corpus_holdout3 as H3
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text, don = K.fmt_nif, K.fmt_cif, K.date_text, K.don
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout4"
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


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


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 13 + salt)


def _rm(doc: Doc) -> str:
    return K.PROVINCE_RM.get(doc.city, doc.city)


def _nt(n: Person, lang: str = "es") -> str:
    return K.notary_title(n, lang)


def _dd(p: Person) -> str:  # "don José ..." / "doña María ..."
    return ("doña " if p.female else "don ") + p.full


def _ca(p: Person) -> str:  # "el senyor ..." / "la senyora ..."
    return don(p, "ca", upper=False)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


_role = K.set_role


def _en(d: dt.date) -> str:
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _style(doc: Doc, font: str, bold: str, size: int, **kw):
    """Fix a template's typography (idempotent: templates are called more than once)."""
    doc.style.font, doc.style.bold, doc.style.size = font, bold, size
    for k, v in kw.items():
        setattr(doc.style, k, v)


# =========================================================================== extra block kinds
#   ("cols", [texts], scale)          texts side by side in columns (a rule between them), justified per style
#   ("grid", fracs, rows, rule)       table WITHOUT ruled cells; bold first row, a rule under it if ``rule``
#   ("logo", initials, name, tagline) letterhead: round emblem with initials, company name, tagline, rule
#   ("scrawl", labels, seed)          signature lines with a handwriting-like stroke above each
#   ("seal", lines, up, xfrac)        round stamp centred ``up`` body lines above, OVER the text; not in text layer
#   ("qr", seed, caption)             a QR-like square with a caption to its right
# The template decorator turns them into corpus2's ("ext", handlers, ...) blocks; their own draw ops are
# ("draw", fn, ...).


def _ext(fn):
    """Layout / text function of an extra block: called with corpus2's ("ext", handlers, ...) block, sees
    the template's (kind, ...) tuple."""

    def wrapped(b, *a):
        return fn((b[1]["kind"],) + tuple(b[2:]), *a)

    return wrapped


def _body(st, k, scale=1.0):
    return K._font(st.font, int(st.size * k * scale))


def _lay_cols(b, st, x0, width, k):
    texts, scale, bold = b[1], (b[2] if len(b) > 2 else 1.0), (b[3] if len(b) > 3 else False)
    f = K._font(st.bold if bold else st.font, int(st.size * k * scale))
    gut = int(width * 0.06)
    colw = (width - gut * (len(texts) - 1)) // len(texts)
    wrapped = []  # per column: (line, justify); paragraphs ("\n") separated by an empty line
    for t in texts:
        col: list[tuple[str, bool]] = []
        for pi, para in enumerate(t.split("\n")):
            lines = K._wrap(para, f, colw)
            col += ([("", False)] if pi else []) + [
                (ln, st.justify and j < len(lines) - 1) for j, ln in enumerate(lines)
            ]
        wrapped.append(col)
    lh = int(f.size * st.leading)
    rows = []
    for i in range(max(len(w) for w in wrapped)):

        def at(y, i=i):
            ops = []
            for c, lines in enumerate(wrapped):
                if c:
                    ops.append(("vline", x0 + c * (colw + gut) - gut // 2, y, y + lh))
                if i < len(lines) and lines[i][0]:
                    ops.append(("text", x0 + c * (colw + gut), y, lines[i][0], f, lines[i][1], colw))
            return ops

        rows.append((lh, at))
    rows.append((int(f.size * 0.7), lambda y: []))
    return rows


def _lay_grid(b, st, x0, width, k):
    fracs, table, rule = b[1], b[2], b[3]
    f_reg, f_b = _body(st, k, 0.9), K._font(st.bold, int(st.size * k * 0.9))
    pad = int(10 * k)
    xs = [x0]
    for fr in fracs:
        xs.append(xs[-1] + int(width * fr))
    rows = []
    for ri, row in enumerate(table):
        f = f_b if ri == 0 else f_reg
        cells = [K._wrap(str(c), f, xs[ci + 1] - xs[ci] - 2 * pad) for ci, c in enumerate(row)]
        lh = int(f.size * st.leading)
        rh = max(1, max(len(c) for c in cells)) * lh + 2 * pad

        def at(y, cells=cells, f=f, lh=lh, rh=rh, ri=ri):
            ops = [
                ("text", xs[ci] + pad, y + pad + li * lh, ln, f, False, 0)
                for ci, lines in enumerate(cells)
                for li, ln in enumerate(lines)
            ]
            if ri == 0 and rule:
                ops.append(("hline", xs[0], y + rh, xs[-1]))
            return ops

        rows.append((rh, at))
    rows.append((int(f_reg.size * 0.8), lambda y: []))
    return rows


def _lay_logo(b, st, x0, width, k):
    initials, name, tagline = b[1], b[2], b[3]
    fb = K._font(st.bold, int(st.size * k * 1.35))
    fs = _body(st, k, 0.72)
    size = int(190 * k)

    def at(y):
        return [
            ("draw", _draw_logo, x0, y, size, initials, K._font("DejaVuSans-Bold.ttf", int(size * 0.36))),
            ("text", x0 + size + int(40 * k), y + int(20 * k), name, fb, False, 0),
            ("text", x0 + size + int(40 * k), y + int(30 * k) + int(fb.size * 1.3), tagline, fs, False, 0, 80),
            ("hline", x0, y + size + int(30 * k), x0 + width),
        ]

    return [(size + int(90 * k), at)]


def _lay_scrawl(b, st, x0, width, k):
    labels, seed = b[1], b[2]
    f = _body(st, k, 0.85)
    colw = width // len(labels)
    wrapped = [K._wrap(lb, f, colw - 40 * k) for lb in labels]
    lh = int(f.size * st.leading)
    h = int(240 * k) + max(len(w) for w in wrapped) * lh

    def at(y):
        ops = []
        yl = y + int(170 * k)
        for i, lines in enumerate(wrapped):
            xa = x0 + i * colw + int(20 * k)
            ops.append(("draw", _draw_scribble, xa + int(30 * k), yl - int(62 * k), colw - int(160 * k), seed * 7 + i))
            ops.append(("hline", xa, yl, x0 + (i + 1) * colw - int(40 * k)))
            ops += [("text", xa, yl + int(15 * k) + li * lh, ln, f, False, 0) for li, ln in enumerate(lines)]
        return ops

    return [(h, at)]


def _lay_seal(b, st, x0, width, k):
    lines, up, xfrac = b[1], b[2], b[3]
    f = K._font(st.bold, int(st.size * k * 0.55))
    lh = int(st.size * k * st.leading)

    def at(y):
        return [("draw", _draw_seal, int(x0 + width * xfrac), y - up * lh, lines, f)]

    return [(0, at)]


def _lay_qr(b, st, x0, width, k):
    seed, caption = b[1], b[2]
    f = _body(st, k, 0.8)
    size = int(300 * k)
    lines = K._wrap(caption, f, width - size - int(60 * k))
    lh = int(f.size * st.leading)

    def at(y):
        ops = [("draw", _draw_qr, x0, y, size, seed)]
        ops += [
            ("text", x0 + size + int(50 * k), y + int(20 * k) + i * lh, ln, f, False, 0) for i, ln in enumerate(lines)
        ]
        return ops

    return [(max(size, len(lines) * lh) + int(40 * k), at)]


def _draw_logo(im, d, op, k):
    _, _, x, y, size, initials, f = op
    d.ellipse([x, y, x + size, y + size], fill=60)
    d.ellipse(
        [x + size // 10, y + size // 10, x + size - size // 10, y + size - size // 10],
        outline=235,
        width=max(2, int(4 * k)),
    )
    w = f.getlength(initials)
    d.text((x + (size - w) / 2, y + size / 2 - f.size * 0.62), initials, font=f, fill=255)


def _draw_scribble(im, d, op, k):
    _, _, x, y, w, seed = op
    rng = np.random.default_rng(seed)
    n = 90
    t = np.linspace(0, 1, n)
    loops = rng.uniform(3, 6)
    xs = x + t * w * rng.uniform(0.55, 0.9) + np.sin(t * np.pi * 2 * loops) * 30 * k
    ys = (
        y
        - 40 * k * np.sin(t * np.pi * loops + rng.uniform(0, 3)) * rng.uniform(0.6, 1.2)
        - t * rng.uniform(-40, 40) * k
    )
    pts = list(zip(xs.astype(int).tolist(), ys.astype(int).tolist()))
    d.line(pts, fill=25, width=max(2, int(5 * k)), joint="curve")
    x2 = int(xs[-1])
    d.line(
        [(x2 - int(40 * k), int(ys[-1]) + int(25 * k)), (x2 + int(120 * k), int(ys[-1]) - int(10 * k))],
        fill=25,
        width=max(2, int(4 * k)),
    )


def _draw_seal(im, d, op, k):
    _, _, x, y, lines, f = op
    r = int(max(f.getlength(s) for s in lines) / 2 + 70 * k)
    r = max(r, int(len(lines) * f.size * 0.9 + 40 * k))
    st = Image.new("L", (2 * r + 8, 2 * r + 8), 255)
    sd = ImageDraw.Draw(st)
    sd.ellipse([4, 4, 2 * r + 3, 2 * r + 3], outline=105, width=max(3, int(7 * k)))
    sd.ellipse(
        [4 + int(22 * k), 4 + int(22 * k), 2 * r + 3 - int(22 * k), 2 * r + 3 - int(22 * k)],
        outline=105,
        width=max(2, int(3 * k)),
    )
    y0 = r + 4 - len(lines) * f.size * 1.3 / 2
    for i, s in enumerate(lines):
        sd.text((r + 4 - f.getlength(s) / 2, y0 + i * f.size * 1.3), s, font=f, fill=105)
    st = st.rotate(14, expand=False, fillcolor=255)
    x, y = max(0, x - r), max(0, y - r)  # (x, y) is the seal's centre
    x = min(x, im.width - st.width)
    y = min(y, im.height - st.height)
    region = np.asarray(im.crop((x, y, x + st.width, y + st.height)))
    im.paste(Image.fromarray(np.minimum(region, np.asarray(st))), (x, y))


def _draw_qr(im, d, op, k):
    _, _, x, y, size, seed = op
    rng = np.random.default_rng(seed)
    n = 29
    m = size / n
    grid = rng.random((n, n)) < 0.48
    for fx, fy in ((0, 0), (n - 7, 0), (0, n - 7)):
        grid[fy : fy + 7, fx : fx + 7] = False
        grid[fy, fx : fx + 7] = grid[fy + 6, fx : fx + 7] = True
        grid[fy : fy + 7, fx] = grid[fy : fy + 7, fx + 6] = True
        grid[fy + 2 : fy + 5, fx + 2 : fx + 5] = True
    for j in range(n):
        for i in range(n):
            if grid[j, i]:
                d.rectangle(
                    [int(x + i * m), int(y + j * m), int(x + (i + 1) * m) - 1, int(y + (j + 1) * m) - 1], fill=0
                )


def _grid_text(b):
    return [("bold" if ri == 0 else "body", "    ".join(str(c) for c in row)) for ri, row in enumerate(b[2])]


EXT = {
    k: {"kind": k, "layout": _ext(lay), "text": _ext(txt)}
    for k, lay, txt in [
        ("cols", _lay_cols, lambda b: [("body", para) for t in b[1] for para in t.split("\n")]),
        ("grid", _lay_grid, _grid_text),
        ("logo", _lay_logo, lambda b: [("title", b[2]), ("body", b[3])]),
        ("scrawl", _lay_scrawl, lambda b: [("body", "        ".join(b[1]))]),
        ("seal", _lay_seal, lambda b: []),
        ("qr", _lay_qr, lambda b: [("body", b[2])]),
    ]
}


# =========================================================================== powers of attorney


def _old_deed(doc: Doc, salt: int, lang: str = "es") -> tuple[Person, dt.date, int]:
    """Another notary, an earlier date and another protocol number (quoted in the text, not the deed's)."""
    rr = _r(doc, salt)
    return K.make_person(rr, lang), doc.date - dt.timedelta(days=rr.randrange(400, 4000)), rr.randrange(1000, 6999)


@template("h4_poder_estipulaciones_es", "power_of_attorney", "es")
def h4_poder_estipulaciones(doc: Doc) -> list[tuple]:
    """COMPARECE / INTERVIENE / EXPONE / OTORGA; the attorney is identified only in the THIRD stipulation; the
    grantor's own appointment (another notary, another protocol) is recited."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    on, od, op = _old_deed(doc, 1)
    rr = _r(doc, 2)
    _style(
        doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 46, justify=True, margin_rule=True, leading=1.5
    )
    doc.style.footer = "Pág. {page}" + (f"   ·   CSV {doc.csv}" if doc.csv else "")
    cargo = "Administradora Única" if g.female else "Administrador Único"
    b: list[tuple] = [
        ("h", f"NÚMERO {words_es(doc.protocol).upper()} ({proto_printed(doc.protocol)})", 1.0, "l"),
        ("h", "ESCRITURA DE APODERAMIENTO ESPECIAL", 1.25, "c"),
        ("p", f"En {doc.city}, mi residencia, a {date_text(doc.date, 'es', 'words' if doc.v % 2 else 'long')}."),
        ("p", f"Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio Notarial de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, de nacionalidad española, con domicilio a estos efectos en el "
            f"social que luego se dirá, provist{'a' if g.female else 'o'} de D.N.I. número "
            f"{fmt_nif(g.nif, doc.fmt + 1)}.",
        ),
        ("h", "INTERVIENE", 1.0, "c"),
        (
            "p",
            f"En nombre y representación de la compañía mercantil {comp.upper()}, con domicilio en {doc.city}, "
            f"{K.rng_street(doc)}, y C.I.F. {fmt_cif(cif, doc.fmt)}. Ejercita dicha representación en su "
            f"condición de {cargo}, cargo para el que fue nombrad{'a' if g.female else 'o'} por plazo "
            f"indefinido en escritura autorizada por el Notario de {doc.city} {_dd(on)}, el día "
            f"{date_text(od, 'es', 'long')}, con el número {proto_printed(op)} de su protocolo, que causó la "
            f"inscripción {rr.randrange(2, 9)}.ª en la hoja {rr.choice('MBVZ')}-{rr.randrange(10000, 700000)} "
            f"del Registro Mercantil.",
        ),
        (
            "p",
            "Identifico al compareciente por su documento de identidad reseñado y tiene, a mi juicio, según "
            "interviene, capacidad legal suficiente para otorgar esta escritura de APODERAMIENTO, a cuyo fin",
        ),
        ("h", "EXPONE", 1.0, "c"),
        (
            "p",
            "I.- Que la sociedad precisa designar a una persona que la represente en la contratación y gestión "
            "de los suministros de energía eléctrica y gas natural de sus centros de trabajo.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"II.- Que en su día la sociedad confirió poder para dichos fines a {_dd(rv)}, con D.N.I. "
                f"{fmt_nif(rv.nif, doc.fmt)}, poder que por medio de la presente queda REVOCADO y sin "
                f"efecto alguno.",
            )
        )
    b += [
        ("h", "OTORGA", 1.0, "c"),
        (
            "p",
            f"Que la compañía {comp.upper()}, representada según interviene, confiere poder especial, tan "
            f"amplio y bastante como en Derecho sea necesario, a favor de la persona que se designa en la "
            f"estipulación TERCERA, con sujeción a las siguientes",
        ),
        ("h", "ESTIPULACIONES", 1.0, "c"),
        (
            "p",
            "PRIMERA.- Facultades. Contratar, modificar, prorrogar y resolver contratos de suministro y de "
            "acceso a la red de energía eléctrica y gas natural; solicitar cambios de potencia, de tarifa y de "
            "titularidad; recibir y conformar facturas; formular reclamaciones.",
        ),
        (
            "p",
            "SEGUNDA.- Régimen de actuación. El apoderado actuará por sí solo, con su sola firma, y podrá "
            "otorgar cuantos documentos públicos y privados sean precisos.",
        ),
        (
            "p",
            f"TERCERA.- Designación del apoderado. La persona apoderada es {_dd(a).upper()}, mayor de edad, "
            f"{rr.choice(['ingenier', 'licenciad', 'graduad'])}{'a' if a.female else 'o'}"
            f", con domicilio profesional en {doc.city} y D.N.I./N.I.E. número {fmt_nif(a.nif, doc.fmt)}.",
        ),
        ("p", "CUARTA.- Vigencia. El presente poder se otorga por tiempo indefinido, en tanto no sea revocado."),
        ("h", "OTORGAMIENTO Y AUTORIZACIÓN", 1.0, "c"),
        (
            "p",
            "Así lo dice y otorga el compareciente, a quien hago de palabra las reservas y advertencias legales. "
            "Leída por mí esta escritura, por su elección, la aprueba y firma conmigo. De todo lo consignado en "
            "este instrumento público, extendido en folios de papel timbrado de uso exclusivo notarial, yo, el "
            "Notario, doy fe.",
        ),
        ("scrawl", [f"Está la firma de {g.full}", f"Signado: {n.full}. Rubricado."], doc.seed),
        ("seal", ["NOTARÍA", n.full.upper()[:26], doc.city.upper()], 4, 0.62),
    ]
    return b


@template("h4_revocacion_nuevo_poder_es", "power_of_attorney", "es", revoked=True)
def h4_revocacion_nuevo_poder(doc: Doc) -> list[tuple]:
    """Revocation of an earlier power and a new power in one deed: a borderless summary grid at the top,
    the revoked attorney named first (with the old deed's date, notary and protocol), the date at the end."""
    a, g, rv = doc.people["appointed"], doc.people["grantor"], doc.people["revoked"]
    comp, cif = doc.company
    n = doc.notary
    on, od, op = _old_deed(doc, 3)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 40, justify=doc.v % 2 == 0, leading=1.45)
    doc.style.header = f"Notaría de {n.full} · {doc.city}"
    b: list[tuple] = [
        (
            "grid",
            [0.3, 0.7],
            [
                ["PROTOCOLO", proto_printed(doc.protocol)],
                ["CLASE", "Revocación de poder y otorgamiento de nuevo poder"],
                ["OTORGANTE", comp.upper()],
            ],
            False,
        ),
        ("h", "REVOCACIÓN DE PODER Y OTORGAMIENTO DE OTRO NUEVO", 1.2, "l"),
        (
            "p",
            f"Ante mí, {n.full}, {_nt(n)} con residencia en {doc.city}, comparece {_dd(g)}, con D.N.I. "
            f"{fmt_nif(g.nif, doc.fmt)}, en nombre y representación de {comp}, C.I.F. {fmt_cif(cif, doc.fmt + 2)}, "
            f"como {'Consejera Delegada' if g.female else 'Consejero Delegado'} de la misma, facultad que "
            f"asegura vigente.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "PRIMERO.- REVOCACIÓN", 1.0, "l"),
        (
            "p",
            f"La sociedad REVOCA en su totalidad el poder que tenía conferido a favor de {_dd(rv).upper()}, con "
            f"D.N.I. {fmt_nif(rv.nif, doc.fmt + 1)}, en escritura autorizada el {date_text(od, 'es', 'long')} "
            f"por {'la Notaria' if on.female else 'el Notario'} {on.full}, número {proto_printed(op)} de protocolo. La sociedad se obliga a "
            f"notificar la revocación al apoderado cesante.",
        ),
        ("h", "SEGUNDO.- NUEVO APODERAMIENTO", 1.0, "l"),
        (
            "p",
            f"La sociedad confiere nuevo poder, con las mismas facultades que el revocado, a favor de "
            f"{_dd(a).upper()}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, para contratar, modificar y "
            f"rescindir suministros de electricidad y gas, solicitar cambios de titular, potencia y tarifa, "
            f"firmar contratos de acceso y presentar reclamaciones.",
        ),
        (
            "p",
            f"Así lo otorga en {doc.city}, el {date_text(doc.date, 'es', ['long', 'words', 'long', 'num'][doc.v])}"
            f", y, leída, firma conmigo. Doy fe.",
        ),
        ("scrawl", [g.full, f"{_nt(n)}: {n.full}"], doc.seed + 1),
    ]
    if doc.csv:
        b.append(("mono", f"Código Seguro de Verificación {doc.csv}"))
    if doc.cover:
        b = [
            ("gap", 6),
            ("h", "COPIA AUTORIZADA", 1.5, "c"),
            ("h", comp.upper(), 1.0, "c"),
            ("p", "Revocación y nuevo poder."),
            ("pb",),
        ] + b
    return b


@template("h4_apoderament_substitut_ca", "power_of_attorney", "ca")
def h4_apoderament_substitut(doc: Doc) -> list[tuple]:
    """Catalan "escriptura d'apoderament" authorised by a substitute notary for a colleague's protocol; the
    powers in two columns; a note at the end issues the copy some days later (not the execution date)."""
    a, g, n2 = doc.people["appointed"], doc.people["grantor"], doc.people["notary2"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 4)
    copy_d = doc.date + dt.timedelta(days=rr.randrange(2, 9))
    _style(doc, "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf", 44, justify=True, leading=1.45)
    cd = "consellera delegada" if g.female else "conseller delegat"
    b: list[tuple] = [
        ("r", f"Protocol número {proto_printed(doc.protocol)}"),
        ("h", "ESCRIPTURA D'APODERAMENT", 1.3, "c"),
        ("p", f"A {doc.city}, el {date_text(doc.date, 'ca', 'words' if doc.v < 2 else 'long')}."),
        (
            "p",
            f"Davant meu, {n.full.upper()}, {_nt(n, 'ca').lower()} de {doc.city}, en substitució per "
            f"impossibilitat accidental {'de la meva companya' if n2.female else 'del meu company'} {n2.full}, {_nt(n2, 'ca').lower()} de la mateixa "
            f"residència, i per al seu protocol,",
        ),
        ("h", "COMPAREIX", 1.0, "l"),
        (
            "p",
            f"{_cap(_ca(g))}, major d'edat, amb DNI {fmt_nif(g.nif, doc.fmt)}, que intervé en nom i "
            f"representació de la societat {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt + 1)}, en la seva "
            f"condició de {cd}.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "ATORGA", 1.0, "l"),
        (
            "p",
            f"Primer.- Que la societat apodera {_ca(a)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, perquè, "
            f"actuant individualment, pugui exercir les facultats següents:",
        ),
        (
            "cols",
            [
                "a) Contractar subministraments d'electricitat i de gas.\nb) Modificar potències, tarifes i "
                "titulars.\nc) Donar de baixa subministraments.",
                "d) Signar contractes d'accés amb les distribuïdores.\ne) Rebre i conformar factures.\n"
                "f) Presentar reclamacions davant organismes de consum.",
            ],
            0.92,
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Segon.- Que revoca el poder conferit a {_ca(rv)}, amb DNI {fmt_nif(rv.nif, doc.fmt)}, "
                f"que queda sense efecte.",
            )
        )
    b += [
        (
            "p",
            "Així ho diu i atorga. Llegida per mi aquesta escriptura, la persona compareixent l'aprova i la "
            "signa amb mi. Dono fe.",
        ),
        ("scrawl", [g.full, n.full], doc.seed + 2),
        (
            "p",
            f"NOTA.- El {date_text(copy_d, 'ca', 'long')} expedeixo còpia autoritzada electrònica per a la "
            f"societat atorgant. Dono fe.",
        ),
    ]
    if doc.csv:
        b.append(("mono", f"CSV: {doc.csv}"))
    return b


@template("h4_power_bilingue_es", "power_of_attorney", "es")
def h4_power_bilingue(doc: Doc) -> list[tuple]:
    """Bilingual Spanish | English power in two columns (the Spanish text prevails); the grantor is a foreign
    director with an NIE; the attorney named in both columns."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 36, justify=False, leading=1.4)
    pn = proto_printed(doc.protocol)
    es_d, en_d = date_text(doc.date, "es", "long"), _en(doc.date)
    b: list[tuple] = [
        ("cols", [f"NÚMERO {pn}", f"NUMBER {pn}"], 1.1, True),
        ("cols", ["PODER ESPECIAL", "SPECIAL POWER OF ATTORNEY"], 1.2, True),
        (
            "cols",
            [
                f"En {doc.city}, a {es_d}. Ante mí, {n.full}, {_nt(n)} del Ilustre Colegio Notarial de "
                f"{K.COLEGIO[doc.city]},",
                f"In {doc.city}, on {en_d}. Before me, {n.full}, Notary Public of the Notarial Association of "
                f"{K.COLEGIO[doc.city]},",
            ],
        ),
        ("cols", ["COMPARECE", "APPEARS"], 1.0, True),
        (
            "cols",
            [
                f"{_cap(_dd(g))}, mayor de edad, con N.I.E. {fmt_nif(g.nif, doc.fmt)}, en nombre y "
                f"representación, como administrador{'a' if g.female else ''} solidari{'a' if g.female else 'o'}, "
                f"de {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)}, sociedad unipersonal cuyo socio "
                f"único es una sociedad extranjera.",
                f"{'Ms' if g.female else 'Mr'} {g.full}, of legal age, holder of N.I.E. "
                f"{fmt_nif(g.nif, doc.fmt)}, on behalf of {comp.upper()}, tax number "
                f"{fmt_cif(cif, doc.fmt)}, as joint and several director; the company's sole shareholder is a "
                f"foreign company.",
            ],
        ),
        ("cols", ["OTORGA", "GRANTS"], 1.0, True),
        (
            "cols",
            [
                f"Que confiere poder especial a favor de {_dd(a).upper()}, con D.N.I./N.I.E. "
                f"{fmt_nif(a.nif, doc.fmt + 1)}, para que contrate, modifique y dé de baja suministros de "
                f"electricidad y gas y firme los contratos de acceso a la red.",
                f"A special power of attorney in favour of {a.full.upper()}, holder of identity number "
                f"{fmt_nif(a.nif, doc.fmt + 1)}, to enter into, amend and terminate electricity and gas supply "
                f"contracts and to sign grid access contracts.",
            ],
        ),
    ]
    if rv:
        b.append(
            (
                "cols",
                [
                    f"Queda revocado el poder conferido a {_dd(rv)}, con D.N.I. {fmt_nif(rv.nif, 0)}.",
                    f"The power of attorney granted to {rv.full}, identity number {fmt_nif(rv.nif, 0)}, is "
                    f"hereby revoked.",
                ],
            )
        )
    b += [
        (
            "cols",
            [
                "En caso de discrepancia prevalece el texto en castellano. Leída, la firma. Doy fe.",
                "In case of discrepancy the Spanish text prevails. Read, signed. I attest.",
            ],
        ),
        ("scrawl", [g.full, f"{_nt(n)} / Notary"], doc.seed + 3),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    return b


@template("h4_poder_ejecucion_acuerdo_es", "power_of_attorney", "es", board=True)
def h4_poder_ejecucion_acuerdo(doc: Doc) -> list[tuple]:
    """The board's (non-director) secretary appears and, in execution of a board resolution certified with
    the chairman's "visto bueno" (transcribed), grants the power; the attorney is in the transcription."""
    a, g, pres = doc.people["appointed"], doc.people["grantor"], doc.people["president"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 5)
    meet = doc.date - dt.timedelta(days=rr.randrange(3, 25))
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 42, justify=True, indent=80)
    cert = (
        f"«{g.full.upper()}, Secretari{'a' if g.female else 'o'} no consejer{'a' if g.female else 'o'} del "
        f"Consejo de Administración de {comp.upper()}, CERTIFICO: Que en la reunión del Consejo celebrada el "
        f"{date_text(meet, 'es', 'num')}, con asistencia de todos sus miembros, se acordó por unanimidad "
        f"conferir poder a favor de {_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}, para contratar, "
        f"modificar y dar de baja los suministros energéticos de la sociedad"
        + (f", y revocar el conferido a {_dd(rv)}, con D.N.I. {fmt_nif(rv.nif, doc.fmt + 1)}" if rv else "")
        + f". Vº Bº El Presidente, {pres.full}.»"
    )
    b: list[tuple] = [
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "r"),
        ("h", "PODER EN EJECUCIÓN DE ACUERDO DEL CONSEJO DE ADMINISTRACIÓN", 1.1, "l"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'long', 'words', 'num'][doc.v])}."),
        ("p", f"Ante mí, {n.full}, {_nt(n)} de {doc.city},"),
        ("h", "COMPARECE", 1.0, "l"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt + 2)}, que interviene como "
            f"Secretari{'a' if g.female else 'o'} no consejer{'a' if g.female else 'o'} del Consejo de "
            f"Administración de {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)}, y en ejecución del acuerdo "
            f"que resulta de la certificación que me entrega y transcribo:",
        ),
        ("table", [1.0], [["CERTIFICACIÓN (transcripción literal)"], [cert]]),
        (
            "p",
            f"Las firmas de la certificación, de {g.full} y de {pres.full} (D.N.I. "
            f"{fmt_nif(pres.nif, doc.fmt)}), están legitimadas. Y en su virtud, el compareciente, en la "
            f"representación que ostenta, OTORGA el poder en los términos del acuerdo transcrito.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("sig", [g.full, n.full]),
    ]
    if doc.csv:
        b.append(("pl", f"CSV: {doc.csv}"))
    return b


# =========================================================================== deeds


def _cons(p: Person) -> str:
    return "Consejera" if p.female else "Consejero"


def _pres(p: Person) -> str:
    return "Presidenta" if p.female else "Presidente"


@template("h4_elevacion_consejo_es", "deed", "es", board3=True)
def h4_elevacion_consejo(doc: Doc) -> list[tuple]:
    """ "Elevación a público de acuerdos sociales": a board of three; one director resigns, two are appointed
    and the board names one of them managing director; the continuing chairman appears; before / after
    composition in a table without rules."""
    a, o, co, pres = (doc.people[k] for k in ("appointed", "outgoing", "coadmin", "president"))
    comp, cif = doc.company
    n = doc.notary
    meet = doc.other_dates["meeting"]
    _style(doc, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf", 46, justify=True)
    doc.style.footer = "- {page} -"
    new = [a, co] if doc.v % 2 else [co, a]
    b: list[tuple] = [
        ("pl", f"NÚMERO {proto_printed(doc.protocol)}"),
        ("h", "ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES", 1.25, "c"),
        ("h", "(Dimisión y nombramiento de consejeros. Consejero Delegado)", 0.9, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', 'long' if doc.v < 2 else 'words')}. Ante mí, "
            f"{n.full}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]},",
        ),
        ("h", "COMPARECE", 1.0, "l"),
        (
            "p",
            f"{_cap(_dd(pres))}, mayor de edad, vecin{'a' if pres.female else 'o'} de {doc.city}, con D.N.I. "
            f"{fmt_nif(pres.nif, doc.fmt + 2)}, "
            f"President{'a' if pres.female else 'e'} del Consejo de Administración de {comp.upper()}, con "
            f"C.I.F. {fmt_cif(cif, doc.fmt)}, quien actúa facultado para elevar a público los acuerdos.",
        ),
        ("h", "EXPONE", 1.0, "l"),
        (
            "p",
            f"I. Que la Junta General Universal de la sociedad, celebrada el {date_text(meet, 'es', 'long')}, "
            f"aceptó la dimisión presentada por {_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt + 1)}, como "
            f"consejer{'a' if o.female else 'o'}, y nombró consejeros, por el plazo estatutario de seis años, a "
            f"{_dd(new[0])}, con D.N.I./N.I.E. {fmt_nif(new[0].nif, doc.fmt)}, y a {_dd(new[1])}, con "
            f"D.N.I./N.I.E. {fmt_nif(new[1].nif, doc.fmt)}, quienes aceptaron sus cargos.",
        ),
        (
            "p",
            f"II. Que el Consejo de Administración, reunido a continuación el mismo día, nombró "
            f"{'Consejera Delegada' if a.female else 'Consejero Delegado'} a {_dd(a)}, delegando en "
            f"{'ella' if a.female else 'él'} todas las facultades legal y estatutariamente delegables.",
        ),
        ("p", "III. Composición del Consejo:"),
        (
            "grid",
            [0.5, 0.5],
            [
                ["Antes de los acuerdos", "Después de los acuerdos"],
                [f"{pres.full} ({_pres(pres)})", f"{pres.full} ({_pres(pres)})"],
                [f"{o.full} ({_cons(o)})", f"{new[0].full} ({_cons(new[0])})"],
                ["Vacante", f"{new[1].full} ({_cons(new[1])})"],
            ],
            True,
        ),
        ("h", "OTORGA", 1.0, "l"),
        (
            "p",
            "Que eleva a público los acuerdos reseñados y solicita su inscripción en el Registro Mercantil. "
            "Leída, la firma conmigo. Doy fe.",
        ),
        ("sig", [pres.full, f"{_nt(n)} {n.full}"]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    return b


@template("h4_decisions_soci_unic_ca", "deed", "ca", holding=True)
def h4_decisions_soci_unic(doc: Doc) -> list[tuple]:
    """Catalan deed of the sole partner's decisions: the sole partner is a holding company (its own NIF)
    represented by a person who appears; the outgoing administrator resigned; the new one is appointed."""
    a, o, hr = doc.people["appointed"], doc.people["outgoing"], doc.people["holding_rep"]
    comp, cif = doc.company
    hname, hcif = doc.extra["holding"]
    n = doc.notary
    rr = _r(doc, 6)
    dim = doc.other_dates["meeting"] - dt.timedelta(days=rr.randrange(2, 15))
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 40, justify=True, leading=1.55)
    b: list[tuple] = [
        ("h", f"NÚMERO {words_ca(doc.protocol).upper()}", 1.0, "l"),
        ("pl", f"({proto_printed(doc.protocol)})"),
        ("h", "ELEVACIÓ A PÚBLIC DE DECISIONS DEL SOCI ÚNIC", 1.2, "c"),
        ("p", f"A {doc.city}, el {date_text(doc.date, 'ca', 'long' if doc.v % 2 else 'words')}."),
        ("p", f"Davant meu, {n.full}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya,"),
        ("h", "COMPAREIX", 1.0, "l"),
        (
            "p",
            f"{_cap(_ca(hr))}, major d'edat, amb DNI {fmt_nif(hr.nif, doc.fmt)}, en nom i representació de "
            f"{hname}, amb NIF {fmt_cif(hcif, doc.fmt)}, soci únic de la societat {comp.upper()}, amb NIF "
            f"{fmt_cif(cif, doc.fmt + 1)}.",
        ),
        ("h", "EXPOSA", 1.0, "l"),
        (
            "p",
            f"Que per carta de {date_text(dim, 'ca', 'long')}, {_ca(o)}, amb DNI {fmt_nif(o.nif, doc.fmt + 2)}, "
            f"va dimitir del càrrec d'administrador únic. Que el soci únic, el "
            f"{date_text(doc.other_dates['meeting'], 'ca', 'num')}, va decidir:",
        ),
        ("p", f"1. Acceptar la dimissió de {o.full} i aprovar-ne la gestió."),
        (
            "p",
            f"2. Nomenar administrador únic, per termini indefinit, {_ca(a)}, amb DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt)}, que ha acceptat el càrrec per escrit.",
        ),
        ("h", "ATORGA", 1.0, "l"),
        ("p", "Que eleva a públiques les decisions transcrites. Llegida, la signa. Dono fe."),
        ("scrawl", [f"Per {hname}: {hr.full}", n.full], doc.seed + 4),
    ]
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació: {doc.csv}"))
    if doc.cover:
        b = [("gap", 5), ("h", "CÒPIA SIMPLE", 1.4, "c"), ("p", K.FILLER_DEED_CA), ("pb",)] + b
    return b


@template("h4_admin_persona_juridica_es", "deed", "es", admin_pj=True)
def h4_admin_persona_juridica(doc: Doc) -> list[tuple]:
    """A company is appointed sole administrator and designates the natural person who will exercise the
    office (art. 212 bis LSC); the outgoing administrator appears."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, cif = doc.company
    pj, pjcif = doc.extra["admin_pj"]
    n = doc.notary
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 48, justify=False, leading=1.4)
    b: list[tuple] = [
        ("h", "NOMBRAMIENTO DE ADMINISTRADOR ÚNICO PERSONA JURÍDICA", 1.15, "c"),
        ("h", "Y DESIGNACIÓN DE PERSONA FÍSICA REPRESENTANTE", 1.0, "c"),
        ("pl", f"Protocolo n.º {proto_printed(doc.protocol)} — {doc.city}, {date_text(doc.date, 'es', 'long')}"),
        (
            "p",
            f"Ante mí, {n.full}, {_nt(n)}, comparece {_dd(o)}, mayor de edad, con D.N.I. "
            f"{fmt_nif(o.nif, doc.fmt)}, administrador{'a' if o.female else ''} únic{'a' if o.female else 'o'} "
            f"saliente de {comp.upper()}, C.I.F. {fmt_cif(cif, doc.fmt + 1)}, quien eleva a público los "
            f"acuerdos de la Junta General de {date_text(doc.other_dates['meeting'], 'es', 'num')}:",
        ),
        ("p", f"PRIMERO.- Cesar a {_dd(o)} en el cargo de Administrador Único."),
        (
            "p",
            f"SEGUNDO.- Nombrar Administrador Único a la sociedad {pj.upper()}, con C.I.F. "
            f"{fmt_cif(pjcif, doc.fmt)}, por plazo indefinido.",
        ),
        (
            "p",
            f"TERCERO.- {pj} designa, para el ejercicio permanente de las funciones propias del cargo, a "
            f"{_dd(a)}, mayor de edad, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, quien acepta la "
            f"designación y manifiesta no estar incurs{'a' if a.female else 'o'} en prohibición alguna.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("p", "Leída, el compareciente la aprueba y firma conmigo. Doy fe."),
        ("scrawl", [o.full, n.full], doc.seed + 5),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    b.append(("seal", ["NOTARIA", n.full.upper()[:24]], 3, 0.7))
    if doc.cover:
        b = [("gap", 8), ("h", "COPIA SIMPLE ELECTRÓNICA", 1.3, "c"), ("pb",)] + b
    return b


@template("h4_acta_junta_notarial_ca", "deed", "ca", acta=True)
def h4_acta_junta_notarial(doc: Doc) -> list[tuple]:
    """Catalan notarial minutes of a general meeting: the (outgoing) administrator requires the notary, who
    attends the meeting the same day; chairman and secretary of the meeting; dismissal and appointment."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    pres, sec = doc.people["president"], doc.people["secretary"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 7)
    _style(doc, "LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf", 38, justify=False, leading=1.45)
    hour = rr.choice(["10.00", "12.30", "17.00", "18.30"])
    b: list[tuple] = [
        ("h", f"ACTA DE JUNTA GENERAL. NÚMERO {proto_printed(doc.protocol)}", 1.1, "l"),
        ("p", f"A {doc.city}, el {date_text(doc.date, 'ca', 'long')}."),
        ("p", f"Davant meu, {n.full}, {_nt(n, 'ca').lower()} de {doc.city},"),
        ("h", "REQUERIMENT", 1.0, "l"),
        (
            "p",
            f"{_cap(_ca(o))}, amb DNI {fmt_nif(o.nif, doc.fmt)}, administrador{'a' if o.female else ''} "
            f"únic{'a' if o.female else ''} de {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)}, em requereix "
            f"perquè aixequi acta de la Junta General convocada per avui a les {hour} hores.",
        ),
        ("h", "DILIGÈNCIA", 1.0, "l"),
        (
            "p",
            f"A l'hora indicada em constitueixo al domicili social. Actua com a president{'a' if pres.female else ''}"
            f" {pres.full}, amb DNI {fmt_nif(pres.nif, doc.fmt + 2)}, i com a secretari"
            f"{'a' if sec.female else ''} {sec.full}, amb DNI {fmt_nif(sec.nif, doc.fmt)}. Hi concorre el "
            f"{rr.randrange(60, 100)} % del capital social.",
        ),
        ("p", f"Primer. La Junta acorda cessar {_ca(o)} com a administrador únic."),
        (
            "p",
            f"Segon. La Junta acorda nomenar administrador únic, per termini indefinit, {_ca(a)}, amb DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt + 1)}, que, present, accepta el càrrec.",
        ),
        (
            "p",
            f"No havent-hi més assumptes, {'la presidenta' if pres.female else 'el president'} aixeca la sessió i "
            f"dono per acabada aquesta acta. Dono fe.",
        ),
        ("sig", [n.full]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    return b


# =========================================================================== registry


@template("h4_nota_simple_cargos_es", "registry_certificate", "es", csv=False, nota=True)
def h4_nota_simple_cargos(doc: Doc) -> list[tuple]:
    """Nota simple informativa: ruled table of charges (cargo, nombre, NIF, nombramiento, caducidad), the
    ceased charges in a paragraph, the issue date at the foot (none when undated)."""
    a, o, cons, sec = (doc.people[k] for k in ("appointed", "outgoing", "consejero", "secretary"))
    comp, cif = doc.company
    od = doc.other_dates
    rm = _rm(doc)
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 38, justify=False)
    doc.style.header = f"REGISTRO MERCANTIL DE {rm.upper()}" + "    Página {page} de {pages}"

    def cad(d: dt.date) -> str:
        return d.replace(year=d.year + 6).strftime("%d/%m/%Y")

    ap, cap_ = od["appointment"], od["old_appointment"]
    rows = [
        ["Cargo", "Nombre", "NIF", "Fecha nombram.", "Fecha caducidad"],
        ["Presidente", cons.surname_first(), fmt_nif(cons.nif, 0), cap_.strftime("%d/%m/%Y"), cad(cap_)],
        ["Consejero", a.surname_first(), fmt_nif(a.nif, 0), ap.strftime("%d/%m/%Y"), cad(ap)],
        ["Cons. Delegado", a.surname_first(), fmt_nif(a.nif, 0), ap.strftime("%d/%m/%Y"), cad(ap)],
        ["Secret. no consej.", sec.surname_first(), fmt_nif(sec.nif, 0), cap_.strftime("%d/%m/%Y"), "Indefinida"],
    ]
    b: list[tuple] = [
        ("h", "NOTA SIMPLE INFORMATIVA", 1.3, "c"),
        ("kv", "Denominación", comp.upper()),
        ("kv", "NIF", fmt_cif(cif, doc.fmt)),
        ("kv", "Hoja / Tomo / Folio", f"{doc.extra['hoja']} / {doc.extra['tomo']} / {doc.extra['folio']}"),
        ("h", "ÓRGANO DE ADMINISTRACIÓN: CONSEJO DE ADMINISTRACIÓN", 0.95, "l"),
        ("table", [0.19, 0.3, 0.17, 0.17, 0.17], rows),
        (
            "p",
            f"Cargos cesados: {o.surname_first()}, NIF {fmt_nif(o.nif, 0)}, Consejero Delegado, cese inscrito el "
            f"{od['removal'].strftime('%d/%m/%Y')} (inscripción {doc.extra['inscription']}.ª).",
        ),
        (
            "p",
            "Esta nota simple tiene valor puramente informativo y no da fe del contenido de los asientos "
            "(art. 332 del Reglamento Hipotecario y 77 del Reglamento del Registro Mercantil).",
        ),
    ]
    if not doc.extra.get("no_issue_date"):
        b.append(
            (
                "r",
                f"{rm}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'words'][doc.v])}, antes de "
                f"la apertura del Diario.",
            )
        )
    return b


@template("h4_borme_columnas_es", "registry_certificate", "es", csv=False, absent=["person_nif", "company_cif"])
def h4_borme_columnas(doc: Doc) -> list[tuple]:
    """BORME page in two columns; our entry: Revocaciones (apoderado) / Ceses/Dimisiones (Adm. Unico) /
    Nombramientos (Adm. Unico); no identifiers; the publication date in the running header."""
    a, o, rv = doc.people["appointed"], doc.people["outgoing"], doc.people["revoked"]
    comp, _ = doc.company
    rr = _r(doc, 8)
    d_pub, d_ins = doc.date, doc.other_dates["appointment"]

    def bn(p: Person) -> str:
        return K._mrz_name(f"{p.surnames} {p.given}").replace("<", " ").strip()

    def reg() -> str:
        return (
            f"Datos registrales. S 8 , H {rr.choice(['M', 'B', 'V'])} {rr.randrange(10**5, 7 * 10**5)}, "
            f"I/A {rr.randrange(2, 20)} ({d_ins.strftime('%d.%m.%y')})."
        )

    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 34, justify=True, leading=1.35)
    day = ["Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo"][d_pub.weekday()]
    doc.style.header = (
        f"BOLETÍN OFICIAL DEL REGISTRO MERCANTIL   Núm. {rr.randrange(1, 245)}   {day} "
        f"{date_text(d_pub, 'es', 'long')}   Pág. {rr.randrange(1000, 60000)}"
    )
    doc.style.footer = f"cve: BORME-A-{d_pub.year}-{rr.randrange(1, 245)}-{rr.randrange(1, 52):02d}"
    num = rr.randrange(100000, 599999)
    pos = 2 if doc.v % 2 else 3  # last entry of the left column or first of the right one
    ours = (
        f"{num + pos} - {comp.upper().rstrip('.')}. Revocaciones. Apoderado: {bn(rv)}. Ceses/Dimisiones. "
        f"Adm. Unico: {bn(o)}. Nombramientos. Adm. Unico: {bn(a)}. Datos registrales. T {doc.extra['tomo']} , "
        f"F {doc.extra['folio']}, S 8, H {doc.extra['hoja']}, I/A {doc.extra['inscription']} "
        f"({d_ins.strftime('%d.%m.%y')})."
    )
    others = [
        f"{num + i} - {K.make_company(rr)[0].upper().rstrip('.')}. "
        + rr.choice(
            [
                "Cambio de domicilio social. C/ " + rr.choice(K.STREETS_ES) + f" {rr.randrange(1, 99)}. ",
                "Reelecciones. Auditor: " + H3._other_name(rr, "es").upper() + ". ",
                "Ampliación de capital. Capital: " + f"{rr.randrange(3, 90)}.000,00 Euros. ",
                "Nombramientos. Apoderado: " + H3._other_name(rr, "es").upper() + ". ",
            ]
        )
        + reg()
        for i in range(6)
        if i != pos
    ]
    entries = others[:pos] + [ours] + others[pos:]
    left, right = "\n".join(entries[:3]), "\n".join(entries[3:])
    return [
        ("h", "SECCIÓN PRIMERA", 1.1, "c"),
        ("h", "Empresarios. Actos inscritos", 1.0, "c"),
        ("h", _rm(doc).upper(), 1.0, "c"),
        ("cols", [left, right], 1.0),
    ]


@template("h4_cert_electronica_es", "registry_certificate", "es")
def h4_cert_electronica(doc: Doc) -> list[tuple]:
    """Electronic certificate of administrators and attorneys: the request date at the top, registry data as
    label/value, a ruled table of current charges with their inscription dates, the ceased administrator,
    and the issue date ONLY in the electronic-signature block at the foot (ISO with time); QR box with CSV."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    rm = _rm(doc)
    rr = _r(doc, 9)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 38, justify=False)
    req = doc.date - dt.timedelta(days=rr.randrange(1, 4))
    rows = [
        ["Cargo", "Titular", "DNI/NIE", "Inscripción"],
        [
            "Administrador Único",
            a.full,
            fmt_nif(a.nif, doc.fmt),
            f"{doc.extra['inscription']}.ª {od['appointment'].strftime('%d/%m/%Y')}",
        ],
    ]
    if cons:
        rows.append(
            [
                "Apoderado",
                cons.full,
                fmt_nif(cons.nif, doc.fmt),
                f"{doc.extra['inscription'] - 1}.ª {od['old_appointment'].strftime('%d/%m/%Y')}",
            ]
        )
    b: list[tuple] = [
        (
            "pl",
            f"Registro Mercantil de {rm} · Publicidad formal · Solicitud n.º {rr.randrange(10**6, 10**7)} de "
            f"{req.strftime('%d/%m/%Y')}",
        ),
        ("h", "CERTIFICACIÓN DE ADMINISTRADORES Y APODERADOS", 1.2, "l"),
        ("kv", "Sociedad", f"{comp.upper()} — NIF {fmt_cif(cif, doc.fmt)}"),
        ("kv", "Datos registrales", f"Hoja {doc.extra['hoja']}, Tomo {doc.extra['tomo']}, Folio {doc.extra['folio']}"),
        (
            "p",
            f"{r.full}, Registrador{'a' if r.female else ''} Mercantil de {rm}, certifica que en la hoja de la "
            f"sociedad constan vigentes los siguientes cargos y apoderamientos:",
        ),
        ("table", [0.27, 0.33, 0.2, 0.2], rows),
        (
            "p",
            f"Cese: {o.full}, DNI {fmt_nif(o.nif, doc.fmt + 1)}, Administrador Único, inscripción "
            f"{doc.extra['inscription']}.ª de {od['removal'].strftime('%d/%m/%Y')}.",
        ),
        (
            "qr",
            doc.seed,
            f"Código Seguro de Verificación: {doc.csv}. Puede comprobar la autenticidad de este "
            f"documento en la sede electrónica del Colegio de Registradores.",
        ),
    ]
    if doc.extra.get("no_issue_date"):
        b.append(
            ("pl", f"Firmado electrónicamente por: {r.full.upper()} (Registrador{'a' if r.female else ''} Mercantil)")
        )
    else:
        b.append(
            (
                "pl",
                f"Firmado electrónicamente por: {r.full.upper()} (Registrador{'a' if r.female else ''} "
                f"Mercantil) · Fecha: "
                f"{doc.date.isoformat()} {rr.randrange(8, 20):02d}:{rr.randrange(0, 60):02d}:"
                f"{rr.randrange(0, 60):02d} CET",
            )
        )
    return b


# =========================================================================== mandates


@template("h4_mandat_community_extracte_ca", "manager_mandate", "ca", comm_secretary=True)
def h4_mandat_community_extracte(doc: Doc) -> list[tuple]:
    """Catalan mandate signed by the president of a "comunitat de propietaris" to an energy manager; an
    excerpt of the owners' minutes certified by the secretary-administrator follows the signatures."""
    a, g, sec = doc.people["appointed"], doc.people["grantor"], doc.people["secretary"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    rr = _r(doc, 10)
    meet = doc.date - dt.timedelta(days=rr.randrange(5, 40))
    pres = "presidenta" if g.female else "president"
    _style(doc, "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", 42, justify=True)
    b: list[tuple] = [
        ("h", comp.upper(), 1.1, "l"),
        ("pl", f"NIF {fmt_cif(cif, doc.fmt)}"),
        ("h", "MANDAT PER A LA GESTIÓ ENERGÈTICA", 1.25, "c"),
        (
            "p",
            f"{_cap(_ca(g))}, amb DNI {fmt_nif(g.nif, doc.fmt + 1)}, {pres} de la comunitat, en execució de "
            f"l'acord de la Junta que s'extracta més avall, ATORGA MANDAT {'a la senyora' if a.female else 'al senyor'} {a.full}, gestor{'a' if a.female else ''}"
            f" energètic{'a' if a.female else ''}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt)}, perquè en nom de la "
            f"comunitat contracti, modifiqui i doni de baixa els subministraments d'electricitat i gas dels "
            f"elements comuns i en negociï les condicions amb les comercialitzadores.",
        ),
        ("p", f"El mandat és vigent fins al {date_text(doc.other_dates['until'], 'ca', 'num')}."),
        ("p", f"{doc.city}, {date_text(doc.date, 'ca', ['long', 'num', 'long', 'dot'][doc.v])}"),
        ("scrawl", [f"{_cap(pres)}: {g.full}", f"Accepto. Gestor/a: {a.full}"], doc.seed + 6),
        (
            "table",
            [1.0],
            [
                ["EXTRACTE DE L'ACTA"],
                [
                    f"{_cap(_ca(sec))}, amb DNI {fmt_nif(sec.nif, doc.fmt)}, secretari-administrador de la "
                    f"comunitat, CERTIFICO que la Junta General Extraordinària celebrada el "
                    f"{date_text(meet, 'ca', 'long')} va acordar per majoria encarregar la gestió energètica "
                    f"de la finca i facultar {'la' if g.female else 'el'} {pres} per signar el mandat. "
                    f"Signat: {sec.full}."
                ],
            ],
        ),
    ]
    if w:
        b.append(("pl", f"Testimoni: {w.full}, DNI {fmt_nif(w.nif, doc.fmt + 2)}"))
    return b


@template("h4_mandato_gestora_pj_es", "manager_mandate", "es", notary_ref=True)
def h4_mandato_gestora_pj(doc: Doc) -> list[tuple]:
    """Mandate to an energy-management company (CIF) that acts through a person empowered by another
    notary's deed; INTERVIENEN / EXPONEN / ESTIPULACIONES; company seal over the signatures."""
    a, g, nr = doc.people["appointed"], doc.people["grantor"], doc.people["notary_ref"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 11)
    pd = doc.date - dt.timedelta(days=rr.randrange(200, 2500))
    pp = rr.randrange(300, 6999)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 44, justify=True)
    b: list[tuple] = [
        ("h", "CONTRATO DE MANDATO PARA LA GESTIÓN ENERGÉTICA", 1.2, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'dash'][doc.v])}."),
        ("h", "INTERVIENEN", 1.0, "l"),
        (
            "p",
            f"De una parte, {_dd(g)}, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, en nombre de {comp.upper()}, con "
            f"C.I.F. {fmt_cif(cif, doc.fmt + 1)} (EL MANDANTE), en su calidad de administrador.",
        ),
        (
            "p",
            f"De otra, {gest.upper()}, con C.I.F. {fmt_cif(gcif, doc.fmt)} (LA GESTORA), representada por "
            f"{_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, en virtud de poder otorgado ante "
            f"{'la Notaria' if nr.female else 'el Notario'} de {rr.choice(K.CITIES)} {_dd(nr)} el "
            f"{date_text(pd, 'es', 'long')}, número {proto_printed(pp)} de su protocolo.",
        ),
        ("h", "EXPONEN", 1.0, "l"),
        (
            "p",
            "Que el MANDANTE desea encomendar a LA GESTORA la gestión de sus suministros energéticos, para lo "
            "cual otorgan el presente contrato con arreglo a las siguientes",
        ),
        ("h", "ESTIPULACIONES", 1.0, "l"),
        (
            "p",
            "1.ª El MANDANTE designa mandataria a LA GESTORA, que actuará por medio de su representante "
            "firmante, para contratar, modificar y resolver los suministros de electricidad y gas, solicitar "
            "datos de consumo y presentar reclamaciones.",
        ),
        ("p", f"2.ª Duración: hasta el {date_text(doc.other_dates['until'], 'es', 'long')}."),
        ("sig", [f"EL MANDANTE: {g.full}", f"POR LA GESTORA: {a.full}"]),
        ("seal", [gest.upper()[:30], f"C.I.F. {gcif}"], 2, 0.7),
    ]
    if w:
        b.append(("pl", f"Ante el testigo {w.full}, D.N.I. {fmt_nif(w.nif, doc.fmt + 1)}."))
    return b


@template("h4_autorizacion_membrete_es", "manager_mandate", "es")
def h4_autorizacion_membrete(doc: Doc) -> list[tuple]:
    """Authorisation letter on the company's letterhead (logo block), reference and date at the top right,
    two handwriting-like signatures (the administrator, the authorised person accepting), company seal."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 12)
    initials = "".join(x[0] for x in comp.split()[:2]).upper()
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 44, justify=False, leading=1.5)
    doc.style.footer = f"{comp} · C.I.F. {fmt_cif(cif, 0)} · {K.rng_street(doc)}, {doc.city}"
    b: list[tuple] = [
        ("logo", initials, comp.upper(), f"{K.rng_street(doc)} · {doc.city} · Tel. 9{rr.randrange(10**7, 10**8)}"),
        ("r", f"Ref.: AUT-{rr.randrange(100, 999)}/{doc.date.year}"),
        ("r", f"{doc.city}, {date_text(doc.date, 'es', ['long', 'num', 'long', 'dot'][doc.v])}"),
        ("h", "AUTORIZACIÓN", 1.2, "l"),
        (
            "p",
            f"{_cap(_dd(g))}, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, como administrador{'a' if g.female else ''} "
            f"de {comp} (C.I.F. {fmt_cif(cif, doc.fmt + 1)}), autoriza a {_dd(a)}, con D.N.I./N.I.E. "
            f"{fmt_nif(a.nif, doc.fmt + 2)}, técnic{'a' if a.female else 'o'} de {gest} (C.I.F. "
            f"{fmt_cif(gcif, 0)}), a realizar en nombre de la empresa cuantas gestiones sean necesarias ante "
            f"comercializadoras y distribuidoras de electricidad y gas: altas, bajas, cambios de potencia, "
            f"tarifa y titular, y firma de contratos.",
        ),
        ("p", f"Esta autorización es válida hasta el {date_text(doc.other_dates['until'], 'es', 'num')}."),
        ("scrawl", [f"Fdo.: {g.full} (Administrador/a)", f"Acepto: {a.full}"], doc.seed + 7),
        ("seal", [comp.upper()[:28], "ADMINISTRACIÓN"], 2, 0.25),
    ]
    if w:
        b.append(("pl", f"Testigo: {w.full}, D.N.I. {fmt_nif(w.nif, 0)}"))
    return b


def _box(on: bool) -> str:
    return "[X]" if on else "[  ]"


@template("h4_formulari_representacio_ca", "manager_mandate", "ca")
def h4_formulari_representacio(doc: Doc) -> list[tuple]:
    """A retailer's representation form in Catalan: boxed sections (holder, manager company and its
    representative, authorised procedures ticked), signature and date section, form code in the footer."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 13)
    _style(doc, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf", 44, justify=False)
    doc.style.footer = "Model AR-03 v2.1 · Pàgina {page} de {pages}"
    ticks = [rr.random() < 0.8 for _ in range(5)]
    ticks[0] = True
    b: list[tuple] = [
        ("h", "SOL·LICITUD D'AUTORITZACIÓ DE REPRESENTACIÓ", 1.15, "l"),
        ("pl", "Empleneu el formulari en majúscules. Camps obligatoris (*)."),
        (
            "table",
            [0.35, 0.65],
            [
                ["1. DADES DEL TITULAR", ""],
                ["Raó social (*)", comp.upper()],
                ["NIF (*)", fmt_cif(cif, doc.fmt)],
                ["Representant legal", g.full],
                ["DNI", fmt_nif(g.nif, doc.fmt)],
                ["Càrrec", "Administrador/a"],
            ],
        ),
        (
            "table",
            [0.35, 0.65],
            [
                ["2. EMPRESA GESTORA I PERSONA AUTORITZADA", ""],
                ["Empresa gestora", gest],
                ["NIF empresa", fmt_cif(gcif, 0)],
                ["Persona autoritzada (*)", a.full],
                ["DNI/NIE (*)", fmt_nif(a.nif, doc.fmt + 1)],
            ],
        ),
        ("h", "3. TRÀMITS AUTORITZATS", 0.95, "l"),
        (
            "grid",
            [0.1, 0.9],
            [
                ["", ""],
                [_box(ticks[0]), "Contractació i baixa de subministraments"],
                [_box(ticks[1]), "Canvis de potència i de tarifa d'accés"],
                [_box(ticks[2]), "Canvi de titular"],
                [_box(ticks[3]), "Consulta de dades de consum"],
                [_box(ticks[4]), "Reclamacions"],
            ],
            False,
        ),
        (
            "table",
            [0.35, 0.65],
            [
                ["4. SIGNATURA", ""],
                ["Lloc", doc.city],
                ["Data (*)", date_text(doc.date, "ca", ["num", "long", "dot", "num"][doc.v])],
                ["Vigència fins a", date_text(doc.other_dates["until"], "ca", "num")],
            ],
        ),
        ("scrawl", ["Signatura del titular o representant legal"], doc.seed + 8),
    ]
    if w:
        b.append(("pl", f"Testimoni: {w.full} (DNI {fmt_nif(w.nif, 0)})"))
    return b


@template("h4_contrato_ese_es", "manager_mandate", "es")
def h4_contrato_ese(doc: Doc) -> list[tuple]:
    """Energy-services contract (ESE): REUNIDOS / EXPONEN / CLÁUSULAS in two columns, the mandate as an
    annex; contract start and end dates besides the signature date."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 14)
    start = doc.date + dt.timedelta(days=rr.randrange(1, 20))
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 36, justify=True, leading=1.4)
    doc.style.footer = "Contrato de servicios energéticos · {page}/{pages}"
    b: list[tuple] = [
        ("h", "CONTRATO DE SERVICIOS ENERGÉTICOS Y MANDATO DE GESTIÓN", 1.2, "c"),
        ("p", f"{doc.city}, {date_text(doc.date, 'es', ['long', 'long', 'num', 'words'][doc.v])}"),
        (
            "cols",
            [
                f"REUNIDOS. De una parte, {comp.upper()}, C.I.F. {fmt_cif(cif, doc.fmt)}, representada por "
                f"{_dd(g)}, D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, en adelante el CLIENTE. De otra parte, "
                f"{gest}, C.I.F. {fmt_cif(gcif, doc.fmt)}, empresa de servicios energéticos (la ESE).",
                f"CLÁUSULAS. 1. La ESE prestará servicios de gestión energética desde el "
                f"{date_text(start, 'es', 'num')} y hasta el {date_text(doc.other_dates['until'], 'es', 'num')}. "
                f"2. El CLIENTE otorga a la ESE el mandato del Anexo I. 3. Precio: {rr.randrange(150, 900)} "
                f"euros mensuales más I.V.A.",
            ],
        ),
        ("h", "ANEXO I. MANDATO", 1.0, "l"),
        (
            "p",
            f"El CLIENTE designa como mandatari{'a' if a.female else 'o'}, en representación de la ESE, a "
            f"{_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, para que gestione ante comercializadoras "
            f"y distribuidoras la contratación, modificación y baja de los suministros del CLIENTE.",
        ),
        ("grid", [0.5, 0.5], [["EL CLIENTE", "LA ESE"], [g.full, a.full], ["Administrador/a", "Mandatario/a"]], True),
        ("scrawl", ["Firma", "Firma"], doc.seed + 9),
    ]
    if w:
        b.append(("pl", f"Testigo: {w.full}, D.N.I. {fmt_nif(w.nif, 0)}"))
    return b


# =========================================================================== ID documents


def _f(name: str, px: int):
    return K._font(name, px)


def _mrz_td1(
    code: str,
    state: str,
    number: str,
    optional1: str,
    birth: dt.date,
    sex: str,
    expiry: dt.date,
    nationality: str,
    person: Person,
) -> list[str]:
    """ICAO 9303 TD1 with the issuing state as a parameter (corpus2's td1_mrz is for Spanish cards)."""
    m = K.td1_mrz(code, number, optional1, birth, sex, expiry, nationality, person)
    l1 = m[0][:2] + state + m[0][5:]
    comp = l1[5:30] + m[1][0:7] + m[1][8:15] + m[1][18:29]
    return [l1, m[1][:29] + K.mrz_check(comp), m[2]]


DNI_LABELS = {  # (surnames, name, sex, nationality, birth, support, issue, validity)
    "ca": (
        "APELLIDOS / COGNOMS",
        "NOMBRE / NOM",
        "SEXO / SEXE",
        "NACIONALIDAD / NACIONALITAT",
        "FECHA DE NACIMIENTO / DATA DE NAIXEMENT",
        "NUM SOPORT",
        "EMISIÓN / EMISSIÓ",
        "VALIDEZ / VALIDESA",
    ),
    "en": (
        "APELLIDOS / SURNAMES",
        "NOMBRE / NAME",
        "SEXO / SEX",
        "NACIONALIDAD / NATIONALITY",
        "FECHA DE NACIMIENTO / DATE OF BIRTH",
        "NUM SOPORT",
        "EMISIÓN / ISSUE",
        "VALIDEZ / EXPIRY",
    ),
}


@template("h4_id_dni40_es", "id_document", "es", dni40=True)
def h4_dni40(doc: Doc) -> list[Image.Image]:
    """DNI 4.0: bilingual labels (Spanish + Catalan or English), the DNI number top right, surnames on one
    field, NUM SOPORT, EMISIÓN and VALIDEZ stacked under the photo; back: address, TD1 MRZ."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    lab_set = DNI_LABELS["ca" if doc.v % 2 else "en"]
    L, B = "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"
    front = K.card_base(doc.seed, (222, 230, 238))
    d = ImageDraw.Draw(front)
    d.rectangle([40, 40, 170, 150], fill=(30, 50, 140))
    d.text((72, 70), "ES", font=_f(B, 50), fill=(250, 210, 40))
    d.text((200, 40), "ESPAÑA", font=_f(B, 62), fill=(130, 20, 30))
    d.text((200, 112), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(B, 38), fill=(30, 40, 90))
    d.text((1420, 48), "DNI", font=_f(L, 30), fill=(80, 80, 90))
    d.text((1420, 80), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 62), fill=(0, 0, 0))
    d.rectangle([60, 230, 520, 800], fill=(160, 160, 168))
    rows = [(lab_set[0], p.surnames.upper()), (lab_set[1], p.given.upper())]
    y = 220
    for label, value in rows:
        d.text((580, y), label, font=_f(L, 30), fill=(75, 75, 85))
        d.text((580, y + 34), value, font=_f(B, 54), fill=(10, 10, 10))
        y += 120
    d.text((580, y), lab_set[2], font=_f(L, 30), fill=(75, 75, 85))
    d.text((580, y + 34), "F" if p.female else "M", font=_f(B, 50), fill=(10, 10, 10))
    d.text((1000, y), lab_set[3], font=_f(L, 30), fill=(75, 75, 85))
    d.text((1000, y + 34), "ESP", font=_f(B, 50), fill=(10, 10, 10))
    y += 120
    d.text((580, y), lab_set[4], font=_f(L, 30), fill=(75, 75, 85))
    d.text((580, y + 34), birth.strftime("%d %m %Y"), font=_f(B, 50), fill=(10, 10, 10))
    y += 120
    d.text((580, y), lab_set[5], font=_f(L, 30), fill=(75, 75, 85))
    d.text((580, y + 34), doc.extra["support"], font=_f(B, 50), fill=(10, 10, 10))
    d.text((60, 850), lab_set[6], font=_f(L, 30), fill=(75, 75, 85))
    d.text((60, 884), iss.strftime("%d %m %Y"), font=_f(B, 50), fill=(10, 10, 10))
    d.text((60, 970), lab_set[7], font=_f(L, 30), fill=(75, 75, 85))
    d.text((60, 1004), exp.strftime("%d %m %Y"), font=_f(B, 50), fill=(10, 10, 10))
    d.line([(1300, 1120), (1500, 1060), (1560, 1110), (1760, 1040)], fill=(20, 20, 80), width=4)
    back = K.card_base(doc.seed + 31, (228, 232, 236))
    d2 = ImageDraw.Draw(back)
    rr = _r(doc, 20)
    d2.text((60, 50), "DOMICILIO", font=_f(L, 30), fill=(75, 75, 85))
    d2.text(
        (60, 84),
        f"{rr.choice(K.STREETS_ES + K.STREETS_CA).upper()} {rr.randrange(1, 120)}",
        font=_f(B, 42),
        fill=(20, 20, 20),
    )
    d2.text((60, 140), doc.city.upper(), font=_f(B, 42), fill=(20, 20, 20))
    d2.text((60, 210), "LUGAR DE NACIMIENTO", font=_f(L, 30), fill=(75, 75, 85))
    d2.text((60, 244), rr.choice(K.CITIES).upper(), font=_f(B, 42), fill=(20, 20, 20))
    d2.text(
        (60, 310),
        f"HIJO/A DE {rr.choice(['JOSE', 'JUAN', 'JORDI', 'PEDRO'])} / "
        f"{rr.choice(['MARIA', 'ROSA', 'CARMEN', 'NURIA'])}",
        font=_f(L, 36),
        fill=(20, 20, 20),
    )
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((70, 860 + i * 122), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    return [front, back]


TIE_PEOPLE = [
    ("Yusuf", "El Amrani", "", "MAR", "M"),
    ("Olena", "Kovalenko", "", "UKR", "F"),
    ("Wei", "Zhang", "", "CHN", "M"),
    ("Valentina", "Gómez", "Restrepo", "COL", "F"),
    ("Luis Fernando", "Quispe", "Mamani", "PER", "M"),
    ("Mamadou", "Diallo", "", "SEN", "M"),
    ("Nadia", "Haddad", "", "DZA", "F"),
    ("Camila", "Rojas", "Villalobos", "CHL", "F"),
    ("Andrés Felipe", "Cardona", "Ospina", "COL", "M"),
    ("Svetlana", "Ivanova", "", "RUS", "F"),
]
IT_PEOPLE = [
    ("Giulia", "Bianchi", "F"),
    ("Matteo", "Russo", "M"),
    ("Francesca", "Romano", "F"),
    ("Alessandro", "Esposito", "M"),
    ("Chiara", "Colombo", "F"),
    ("Lorenzo", "Ricci", "M"),
    ("Sara", "De Luca", "F"),
    ("Giovanni", "Lo Russo", "M"),
]


def make_tie_person(rng: random.Random) -> Person:
    g, s1, s2, nat, sex = rng.choice(TIE_PEOPLE)
    p = Person(g, s1, s2, K.make_nie(rng), sex)
    return p


def make_it_person(rng: random.Random) -> Person:
    g, s, sex = rng.choice(IT_PEOPLE)
    return Person(g, s, "", K.make_nie(rng), sex)


def _nat(p: Person) -> str:
    for g, s1, _s2, nat, _ in TIE_PEOPLE:
        if (p.given, p.s1) == (g, s1):
            return nat
    return "ITA"


@template("h4_id_tie_es", "id_document", "es", tie=True)
def h4_tie(doc: Doc) -> list[Image.Image]:
    """TIE: N.I.E. in a box at the top, labels with English, permit type, EXPEDICIÓN and VALIDEZ in a grid
    on the front; back: place of issue, observations, TD1 MRZ (IRESP, holder's nationality)."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    nat = _nat(p)
    L, B = "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"
    front = K.card_base(doc.seed, (236, 232, 212))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "TARJETA DE IDENTIDAD DE EXTRANJERO", font=_f(B, 46), fill=(60, 50, 20))
    d.text((60, 96), "ESPAÑA · RESIDENCE PERMIT", font=_f(L, 32), fill=(60, 50, 20))
    d.rectangle([1420, 40, 1960, 160], outline=(60, 60, 60), width=3)
    d.text((1440, 48), "N.I.E.", font=_f(L, 28), fill=(80, 80, 80))
    d.text((1440, 82), p.nif, font=_f("LiberationMono-Bold.ttf", 60), fill=(0, 0, 0))
    d.rectangle([1500, 230, 1950, 820], fill=(152, 148, 140))
    rows = [
        ("APELLIDOS / SURNAMES", p.surnames.upper()),
        ("NOMBRE / NAME", p.given.upper()),
        ("NACIONALIDAD / NATIONALITY", nat),
        ("TIPO DE PERMISO / TYPE OF PERMIT", doc.extra.get("permit", "RESIDENCIA LARGA DURACIÓN")),
    ]
    y = 210
    for label, value in rows:
        d.text((60, y), label, font=_f(L, 29), fill=(80, 80, 80))
        d.text((60, y + 34), value, font=_f(B, 50), fill=(0, 0, 0))
        y += 122
    d.text((60, y), "EXPEDICIÓN / ISSUE", font=_f(L, 29), fill=(80, 80, 80))
    d.text((60, y + 34), iss.strftime("%d-%m-%Y"), font=_f(B, 50), fill=(0, 0, 0))
    d.text((700, y), "VALIDEZ / VALID UNTIL", font=_f(L, 29), fill=(80, 80, 80))
    d.text((700, y + 34), exp.strftime("%d-%m-%Y"), font=_f(B, 50), fill=(0, 0, 0))
    d.text((1500, 840), "SEXO / SEX", font=_f(L, 29), fill=(80, 80, 80))
    d.text((1500, 874), "F" if p.female else "M", font=_f(B, 50), fill=(0, 0, 0))
    back = K.card_base(doc.seed + 41, (232, 228, 214))
    d2 = ImageDraw.Draw(back)
    d2.text((60, 50), f"LUGAR DE EXPEDICIÓN: {doc.city.upper()}", font=_f(L, 38), fill=(20, 20, 20))
    d2.text((60, 110), f"FECHA DE NACIMIENTO: {birth.strftime('%d-%m-%Y')}", font=_f(L, 38), fill=(20, 20, 20))
    d2.text((60, 170), "OBSERVACIONES: AUTORIZA A TRABAJAR", font=_f(L, 38), fill=(20, 20, 20))
    mrz = _mrz_td1("IR", "ESP", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, nat, p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((64, 860 + i * 122), ln, font=_f("LiberationMono-Regular.ttf", 70), fill=(0, 0, 0))
    return [front, back]


@template("h4_id_cie_nie_es", "id_document", "es", paper=True, cie=True)
def h4_cie_nie(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi): an Italian electronic identity card, front and back (codice fiscale, TD1 MRZ),
    and below it the green "certificado de registro de ciudadano de la Unión" with the NIE."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    reg_d = doc.other_dates["registration"]
    rr = _r(doc, 21)
    L, B = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
    number = f"C{rr.choice('ABCDEF')}{rr.randrange(10000, 99999)}{rr.choice('ABCDEFGHJK')}{rr.choice('ABCDEFGHJK')}"
    front = K.card_base(doc.seed, (226, 232, 240))
    d = ImageDraw.Draw(front)
    d.text((60, 40), "REPUBBLICA ITALIANA", font=_f(B, 46), fill=(20, 60, 120))
    d.text((60, 100), "CARTA DI IDENTITÀ / IDENTITY CARD", font=_f(L, 34), fill=(20, 60, 120))
    d.text((1500, 44), number, font=_f("DejaVuSansMono-Bold.ttf", 52), fill=(150, 20, 30))
    d.rectangle([60, 200, 500, 780], fill=(156, 160, 166))
    comune = rr.choice(["ROMA", "MILANO", "TORINO", "NAPOLI", "BOLOGNA", "FIRENZE"])
    rows = [
        ("COMUNE DI / MUNICIPALITY", comune),
        ("COGNOME / SURNAME", p.surnames.upper()),
        ("NOME / NAME", p.given.upper()),
        ("LUOGO E DATA DI NASCITA / PLACE AND DATE OF BIRTH", f"{comune} ({comune[:2]}) {birth.strftime('%d.%m.%Y')}"),
        (
            "SESSO / SEX      STATURA / HEIGHT      CITTADINANZA / NATIONALITY",
            f"{'F' if p.female else 'M'}                {rr.randrange(155, 195)}                  ITA",
        ),
    ]
    y = 190
    for label, value in rows:
        d.text((560, y), label, font=_f(L, 26), fill=(70, 70, 90))
        d.text((560, y + 30), value, font=_f(B, 44), fill=(10, 10, 10))
        y += 104
    d.text((560, y), "EMISSIONE / ISSUING", font=_f(L, 26), fill=(70, 70, 90))
    d.text((560, y + 30), iss.strftime("%d.%m.%Y"), font=_f(B, 44), fill=(10, 10, 10))
    d.text((1150, y), "SCADENZA / EXPIRY", font=_f(L, 26), fill=(70, 70, 90))
    d.text((1150, y + 30), exp.strftime("%d.%m.%Y"), font=_f(B, 44), fill=(10, 10, 10))
    d.text((560, 1120), "FIRMA DEL TITOLARE / HOLDER'S SIGNATURE", font=_f(L, 24), fill=(70, 70, 90))
    d.line([(600, 1100), (800, 1050), (900, 1090), (1100, 1030)], fill=(20, 20, 80), width=4)
    back = K.card_base(doc.seed + 51, (230, 234, 240))
    d2 = ImageDraw.Draw(back)
    cf = (
        K._mrz_name(p.surnames).replace("<", "")[:3]
        + K._mrz_name(p.given).replace("<", "")[:3]
        + birth.strftime("%y")
        + "ABCDEHLMPRST"[birth.month - 1]
        + f"{birth.day + (40 if p.female else 0):02d}"
        + f"H{rr.randrange(100, 999)}"
        + rr.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    )
    d2.text((60, 50), "CODICE FISCALE / FISCAL CODE", font=_f(L, 26), fill=(70, 70, 90))
    d2.text((60, 80), cf, font=_f(B, 44), fill=(10, 10, 10))
    d2.text((60, 160), "INDIRIZZO DI RESIDENZA / RESIDENCE", font=_f(L, 26), fill=(70, 70, 90))
    d2.text(
        (60, 190),
        f"VIA {rr.choice(['GARIBALDI', 'ROMA', 'MAZZINI', 'CAVOUR'])} {rr.randrange(1, 200)}, {comune}",
        font=_f(B, 40),
        fill=(10, 10, 10),
    )
    mrz = _mrz_td1("C<", "ITA", number, "", birth, "F" if p.female else "M", exp, "ITA", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((64, 860 + i * 122), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    cert = K.card_base(doc.seed + 61, (206, 232, 204))
    d3 = ImageDraw.Draw(cert)
    d3.text((60, 40), "MINISTERIO DEL INTERIOR", font=_f(B, 36), fill=(20, 70, 30))
    d3.text((60, 100), "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", font=_f(B, 40), fill=(20, 70, 30))
    rows3 = [
        ("NOMBRE", f"{p.given.upper()}"),
        ("APELLIDOS", p.surnames.upper()),
        ("NACIONALIDAD", "ITALIA"),
        ("N.I.E.", p.nif),
        ("DOMICILIO", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 99)}, {doc.city.upper()}"),
        ("FECHA DE REGISTRO", reg_d.strftime("%d-%m-%Y")),
    ]
    y = 200
    for label, value in rows3:
        d3.text((60, y), label, font=_f(L, 28), fill=(40, 70, 40))
        d3.text((560, y - 8), value, font=_f(B, 44), fill=(10, 10, 10))
        y += 110
    d3.text(
        (60, 1150),
        "Este certificado no acredita la identidad ni la nacionalidad del titular.",
        font=_f(L, 28),
        fill=(40, 70, 40),
    )
    sheet = Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)
    gray = [c.convert("L").point(lambda v: min(255, int(v * 1.08))) for c in (front, back, cert)]
    sheet.paste(gray[0], (300, 420))
    sheet.paste(gray[1], (300 + 2022 + 180, 420))
    sheet.paste(gray[2], (300, 420 + 1276 + 400))
    sd = ImageDraw.Draw(sheet)
    sd.text((300, 200), "Fotocopia DNI / documento de identidad", font=_f(L, 60), fill=40)
    sd.text((300, 3700), "Es copia fiel del original", font=_f("DejaVuSerif-Italic.ttf", 70), fill=30)
    _draw_scribble(sheet, sd, ("draw", _draw_scribble, 320, 3950, 900, doc.seed), 2)
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h4_poder_estipulaciones_es", ["clean", "photo", "pdf_text", "rot90", "tiff"], ["photo"]),
        ("h4_revocacion_nuevo_poder_es", ["clean", "photo", "jpeg200"], ["pdf_scan"]),
        ("h4_apoderament_substitut_ca", ["clean", "photo", "skew", "pdf_text"], ["clean"]),
        ("h4_power_bilingue_es", ["clean", "photo", "dpi600"], []),
        ("h4_poder_ejecucion_acuerdo_es", ["clean", "photo", "noisy"], []),
        ("h4_elevacion_consejo_es", ["clean", "photo", "pdf_text"], ["clean"]),
        ("h4_decisions_soci_unic_ca", ["clean", "photo", "lowcontrast"], []),
        ("h4_admin_persona_juridica_es", ["clean", "photo", "pdf_scan"], []),
        ("h4_acta_junta_notarial_ca", ["clean", "photo", "tiff"], ["photo"]),
        ("h4_nota_simple_cargos_es", ["clean", "photo", "pdf_text", "skew"], ["clean"]),
        ("h4_borme_columnas_es", ["clean", "pdf_text"], []),
        ("h4_cert_electronica_es", ["clean", "photo", "pdf_text"], ["pdf_text"]),
        ("h4_mandat_community_extracte_ca", ["clean", "photo", "pdf_text"], ["photo"]),
        ("h4_mandato_gestora_pj_es", ["clean", "photo", "rot90"], []),
        ("h4_autorizacion_membrete_es", ["clean", "photo", "noisy", "pdf_scan"], ["clean"]),
        ("h4_formulari_representacio_ca", ["clean", "photo", "pdf_text"], []),
        ("h4_contrato_ese_es", ["clean", "photo", "skew"], []),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h4_poder_estipulaciones_es", "grantor_claims", ["clean", "photo"], ["clean"]),
        ("h4_poder_estipulaciones_es", "lookalike_claims", ["clean"], []),
        ("h4_revocacion_nuevo_poder_es", "outgoing_claims", ["clean", "photo"], ["clean"]),
        ("h4_apoderament_substitut_ca", "notary_claims", ["clean"], []),
        ("h4_poder_ejecucion_acuerdo_es", "president_claims", ["photo"], []),
        ("h4_elevacion_consejo_es", "outgoing_claims", ["clean"], ["photo"]),
        ("h4_elevacion_consejo_es", "president_claims", ["pdf_text"], []),
        ("h4_decisions_soci_unic_ca", "outgoing_claims", ["photo"], []),
        ("h4_decisions_soci_unic_ca", "nif_off_claims", ["pdf_text"], []),
        ("h4_admin_persona_juridica_es", "outgoing_claims", ["clean"], []),
        ("h4_acta_junta_notarial_ca", "secretary_claims", ["clean"], []),
        ("h4_nota_simple_cargos_es", "outgoing_claims", ["pdf_text"], []),
        ("h4_nota_simple_cargos_es", "undated_certificate", ["clean"], []),
        ("h4_cert_electronica_es", "stale_certificate", ["clean", "photo"], ["clean"]),
        ("h4_mandat_community_extracte_ca", "secretary_claims", ["photo"], []),
        ("h4_mandato_gestora_pj_es", "witness_claims", ["clean"], []),
        ("h4_autorizacion_membrete_es", "lookalike_claims", ["photo"], []),
        ("h4_formulari_representacio_ca", "nif_off_claims", ["clean"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h4_poder_estipulaciones_es", "clean", "h4_id_dni40_es", "clean", False),
        ("h4_mandato_gestora_pj_es", "clean", "h4_id_tie_es", "photo", False),
        ("h4_elevacion_consejo_es", "photo", "h4_id_cie_nie_es", "clean", False),
        ("h4_nota_simple_cargos_es", "clean", "h4_id_dni40_es", "photo", True),
        ("h4_mandat_community_extracte_ca", "clean", "h4_id_dni40_es", "rot90", False),
        ("h4_apoderament_substitut_ca", "pdf_text", "h4_id_tie_es", "skew", True),
        ("h4_autorizacion_membrete_es", "clean", "h4_id_cie_nie_es", "photo", False),
        ("h4_admin_persona_juridica_es", "clean", "h4_id_dni40_es", "jpeg200", False),
        ("h4_formulari_representacio_ca", "photo", "h4_id_tie_es", "pdf_scan", False),
    ],
    "small_sets": 2,
}


def _person_like(rng: random.Random, lang: str, nie: bool) -> Person:
    return make_tie_person(rng) if nie else K.make_person(rng, lang)


def _id_dates(doc: Doc, rng: random.Random, upload: dt.date, expired: bool, t: dict):
    """Issue / expiry / birth dates as the issuing authority sets them."""
    if t.get("dni40"):  # DNI 4.0 exists since 2021-03: expired ones are 5-year cards of holders under 30
        if expired:
            iss = dt.date(2021, rng.randrange(4, 11), rng.randrange(1, 29))
            exp = iss.replace(year=iss.year + 5)
            birth = dt.date(iss.year - rng.randrange(19, 29), rng.randrange(1, 13), rng.randrange(1, 29))
        elif rng.random() < 0.3:
            iss = upload - dt.timedelta(days=rng.randrange(200, 1600))
            exp = iss.replace(year=iss.year + 5, day=min(iss.day, 28))
            birth = dt.date(iss.year - rng.randrange(18, 29), rng.randrange(1, 13), rng.randrange(1, 29))
        else:
            iss = upload - dt.timedelta(days=rng.randrange(60, (upload - dt.date(2021, 4, 1)).days))
            exp = iss.replace(year=iss.year + 10, day=min(iss.day, 28))
            birth = dt.date(iss.year - rng.randrange(30, 69), rng.randrange(1, 13), rng.randrange(1, 29))
    elif t.get("tie"):  # long-term residence: 5 years; temporary: 2 years
        years = rng.choice([5, 5, 2])
        doc.extra["permit"] = "RESIDENCIA LARGA DURACIÓN" if years == 5 else "RESIDENCIA TEMPORAL Y TRABAJO"
        if expired:
            exp = upload - dt.timedelta(days=rng.randrange(20, 500))
        else:
            exp = upload + dt.timedelta(days=rng.randrange(60, 365 * years - 60))
        iss = exp.replace(year=exp.year - years, day=min(exp.day, 28))
        birth = dt.date(rng.randrange(1960, 2000), rng.randrange(1, 13), rng.randrange(1, 29))
    else:  # Italian CIE: ten years, expiring on the holder's birthday; EU registration certificate before
        birth = dt.date(rng.randrange(1960, 1998), rng.randrange(1, 13), rng.randrange(1, 29))
        iss = upload - dt.timedelta(days=rng.randrange(300, 3000))
        exp = dt.date(iss.year + 10, birth.month, birth.day)
        if expired:
            iss = upload - dt.timedelta(days=rng.randrange(3700, 4200))
            exp = dt.date(iss.year + 10, birth.month, birth.day)
            if exp >= upload:
                exp = upload - dt.timedelta(days=15)
        doc.other_dates["registration"] = upload - dt.timedelta(days=rng.randrange(30, 2500))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _holder(idname: str):
    """The maker of an ID card's holder when the card calls for its own kind (see corpus2.plan_part), else None."""
    t = TEMPLATES[idname]
    return make_tie_person if t.get("tie") else make_it_person if t.get("cie") else None


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
    if doc_is_id := t["doc_type"] == "id_document":
        if person is None:
            person = (_holder(name) or K.make_person)(rng)
    doc = K.part_doc(rng, name, upload, variant, case, expired, person, cover_p)
    lang = doc.lang
    if doc_is_id:
        _id_dates(doc, rng, upload, expired, t)
        return doc
    if t.get("revoked") or name == "h4_borme_columnas_es":
        doc.people.setdefault("revoked", K.make_person(rng, lang))
        _role(doc, "revoked", "outgoing")
    if name == "h4_power_bilingue_es":  # a foreign director of the sole shareholder, with an NIE
        doc.people["grantor"] = K.make_person(rng, lang, nie=True)
    if name == "h4_apoderament_substitut_ca":
        n2 = K.make_person(rng, lang)
        n2.nif = ""
        doc.people["notary2"] = n2
        _role(doc, "notary2", "notary")
    if t.get("board"):  # the grantor is the board's secretary; the chairman gives the visto bueno
        doc.people["president"] = K.make_person(rng, lang)
        _role(doc, "president", "other")
    if t.get("board3") or t.get("acta") or t.get("holding") or t.get("admin_pj"):
        doc.people.pop("secretary", None)
        doc.extra.get("roles", {}).pop("secretary", None)
    if t.get("board3"):
        doc.people["coadmin"] = K.make_person(rng, lang)
        _role(doc, "coadmin", "appointed")
        doc.people["president"] = K.make_person(rng, lang)
        _role(doc, "president", "other")
    if t.get("acta"):
        doc.other_dates["meeting"] = doc.date
        for k in ("president", "secretary"):
            doc.people[k] = K.make_person(rng, lang)
            _role(doc, k, "other")
    if t.get("holding"):
        doc.people["holding_rep"] = K.make_person(rng, lang)
        _role(doc, "holding_rep", "other")
        doc.extra["holding"] = (
            f"{rng.choice(['Inversions', 'Corporació', 'Holding', 'Participacions'])} {rng.choice(K.COMPANY_B)} S.L.",
            K.make_cif(rng, "B"),
        )
    if t.get("admin_pj"):
        doc.extra["admin_pj"] = (
            f"{rng.choice(['Gestión', 'Dirección', 'Administración'])} {rng.choice(K.COMPANY_B)} S.L.",
            K.make_cif(rng, "B"),
        )
    if doc.doc_type == "registry_certificate":
        if t.get("nota"):
            doc.people.setdefault("consejero", K.make_person(rng, lang))
            _role(doc, "consejero", "other")
            doc.people["secretary"] = K.make_person(rng, lang)
            _role(doc, "secretary", "other")
            doc.registrar = None  # a nota simple is not signed
        if t.get("absent"):  # the BORME page names only the charges
            doc.people.pop("consejero", None)
            doc.extra.get("roles", {}).pop("consejero", None)
            doc.registrar = None
    if t.get("comm_secretary"):
        doc.people["secretary"] = K.make_person(rng, lang)
        _role(doc, "secretary", "other")
    if t.get("notary_ref"):
        nr = K.make_person(rng, "es")
        nr.nif = ""
        doc.people["notary_ref"] = nr
        _role(doc, "notary_ref", "notary")
    if case == "witness_claims":
        doc.people.setdefault("witness", K.make_person(rng, lang))
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if case == "lookalike_claims":  # the claimed person: like the attorney, NOT on the page
        a = doc.people["appointed"]
        claimed = H3.lookalike(a, rng, lang)
        while claimed.full in {p.full for p in doc.people.values()}:
            claimed = H3.lookalike(a, rng, lang)
        doc.extra["claimed"] = claimed
    return doc


def _entry(doc: Doc, part: str, variant: str, case: str, set_id: str | None, rng: random.Random) -> dict:
    revoked = case == "outgoing_claims" and doc.doc_type == "power_of_attorney"  # the revoked attorney claims
    return K.holdout_entry(doc, part, variant, case, set_id, rng, "revoked" if revoked else None)


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout4 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, entry=_entry, upload_step=7, holder=_holder)
