"""NINTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the eight other holdouts, without looking at the engine or at any of its
results: the documents copy the wording and the layout of real substitutions of powers, sole traders' powers,
notarial "actas de manifestaciones", deeds appointing joint administrators, registry certificates and notas
simples, distributors' hand-filled authorisation forms, owners' communities' certificates, engineering firms'
mandate contracts and identity documents.  Never tune the engine on these templates, nor look at which of them it
misses; the part is meant to be measured once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout9 [--profile small|full]

Templates (Spanish and Catalan):
  * powers: an "escritura de sustitución de poder": the original attorney appears under the earlier general power
    he quotes (its notary, its date and its protocol number written with a thousands separator, "1.874"), granted
    to him by the company's sole administrator, and SUBSTITUTES his powers (keeping them or not) in favour of a
    new attorney; marginal notes "Comparecencia / Intervención / Sustitución" in a left column on some copies; a
    Catalan "escriptura de poder" granted by a SOLE TRADER ("empresari individual", a natural person whose DNI is
    also the business NIF, trading under a commercial name) to an employee, closing with the notary's "dono fe";
  * deeds: a notarial "acta de manifestaciones" in which the former sole administrator, acting in his own name,
    only DECLARES that he resigned (the date of his burofax, the majority partner he informed) and that nobody
    acts for the company through him: nobody is empowered, every claim on it must not come out clear; the
    "elevación a público del nombramiento de administradores mancomunados" raised by the secretary of the general
    meeting: after the verb paragraph the two new joint administrators sit in a ruled table "CARGO | NOMBRE Y
    APELLIDOS | D.N.I." (on some copies the outgoing sole administrator is a "CESA" row of the same table);
  * registry: a Registro Mercantil "certificación" of the history of the administrative body as a chronological
    list of inscriptions ("Inscripción 4.ª, de fecha ...: nombrado ...", "Inscripción 7.ª ...: cesa ..."), each
    with its own date, a proxy in between, and the issue date ONLY in the closing "Expido la presente ... a
    veintitrés de octubre de dos mil veintiséis" (in words; an undated one closes without a date); a Catalan
    "nota simple informativa" with the issue date only in the header line "Data: 03/11/2026" and the appointment
    dates in the body, labelled rows with dotted leaders;
  * mandates: an electricity distributor's one-page "autorización de representación" form FILLED IN BY HAND
    (hand-printed capitals over dotted lines, hand-ticked boxes): the customer's legal representative
    authorises an energy-management firm (CIF) and its representative, the date written as "En Zaragoza, a 4 de
    noviembre de 2026", an optional witness; a community of owners' "certificado del secretario-administrador"
    on the property administrator firm's letterhead: the firm's colegiado, appointed secretary-administrator by
    the owners' meeting, certifies the literal resolution (quoted, indented) that hires his firm and dismisses
    the former secretary-administrator, with the president's "Vº Bº" and DNI; a Catalan "contracte de mandat"
    between a company and an "enginyeria energètica" whose clauses speak only of "L'ENGINYERIA": the mandatary's
    representative (the claimed one) is named, with his DNI, only in the ruled signature table at the end (an
    optional witness column);
  * ID documents: an A4 photocopy of both sides of a DNI 3.0 (older model: the DNI number under the title,
    APELLIDOS on two lines, NOMBRE, SEXO, NACIONALIDAD, FECHA DE NACIMIENTO, IDESP, EMISIÓN and VÁLIDO HASTA;
    birthplace, parents, address and the TD1 MRZ on the back), certified "es copia" by hand; an A4 sheet with
    the Spanish "certificado de registro de ciudadano de la Unión" on top (NIE, its own date, NO expiry) and both
    sides of the holder's Italian "Carta d'identità elettronica" (EMISSIONE / SCADENZA, codice fiscale, TD1 MRZ
    "C<ITA") or Portuguese "Cartão de Cidadão" (DATA DE VALIDADE only, TD1 MRZ "I<PRT") side by side below.

Case kinds are those of holdout8 (true claim; outgoing, grantor, secretary, president, witness and notary
claims; lookalike and nif_off claims; stale and undated certificates; expired ID in sets; ``future_mandate``).
One stale certificate (the history) was issued only 100-200 days before the upload, the other (the nota simple)
two to five years before.  Who is who:
  * the substitution: the original attorney who substitutes is "grantor", the substitute "appointed"; the
    administrator who granted the earlier power is quoted ("other", no identifier), so is the notary of the
    earlier power (role "notary", no identifier);
  * the sole trader's power: the trader is "grantor" and his DNI is the claim's ``company_cif`` (the business NIF
    of a natural person); his commercial name is not the claim's company name (his own name is);
  * the acta: the declarant is "outgoing" (no "appointed" at all); the majority partner he informed is "other";
    its claims are outgoing, notary and lookalike claims only (nothing on it may come out clear);
  * the joint administrators' deed: both joint administrators are "appointed" (the claim is one of them), the
    former sole administrator "outgoing", the appearing secretary "other", the president quoted ("other", no
    identifier);
  * the history certificate: the former administrators are "outgoing", the proxy "other", the registrar
    "registrar"; the nota simple names no registrar;
  * the hand-filled form: the customer's representative is "grantor", the firm's representative "appointed";
  * the community's certificate: the certifying secretary-administrator is the "appointed" mandatary, the
    president "other", the dismissed former secretary-administrator "outgoing" (nobody is "grantor");
  * the DNI 3.0: ``expect.issue_date`` is its EMISIÓN; the EU card: ``expect.expiry`` / ``expect.issue_date`` are
    the card's (``issue_date`` None for the Portuguese card, which prints none), the certificate's date is another
    date on the page.
People are drawn partly from this part's own pools (particles "de", "del", "de la", Catalan "i", hyphenated
surnames, accents, ñ, ç, l·l, a few foreign names).
"""

from __future__ import annotations

import datetime as dt
import functools
import random

import numpy as np
from PIL import Image, ImageDraw

try:
    from tests.ocr import corpus2 as K
    from tests.ocr import corpus_holdout3 as H3
    from tests.ocr import corpus_holdout4 as H4
    from tests.ocr import corpus_holdout5 as H5
    from tests.ocr import corpus_holdout8 as H8
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore
    import corpus_holdout4 as H4  # type: ignore
    import corpus_holdout5 as H5  # type: ignore
    import corpus_holdout8 as H8  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text = K.fmt_nif, K.fmt_cif, K.date_text
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout9"
_style, _cap, _dd, _ca, _nt, _role, _rm = H4._style, H4._cap, H4._dd, H4._ca, H4._nt, H4._role, H4._rm
_f, _paste_dark = H4._f, H5._paste_dark


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 37 + salt)


def _o(p: Person) -> str:  # gender ending
    return "a" if p.female else "o"


def _num(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _street(rr: random.Random, lang: str = "es") -> str:
    return f"{rr.choice(K.STREETS_CA if lang == 'ca' else K.STREETS_ES)}, {rr.randrange(1, 180)}"


def _ordinal(n: int) -> str:
    return f"{n}.ª"


# =========================================================================== this part's people

GIVEN9_ES = [
    ("Clemente", "M"),
    ("Remedios", "F"),
    ("Eusebio", "M"),
    ("Visitación", "F"),
    ("Toribio", "M"),
    ("Encarnación", "F"),
    ("Maximiliano", "M"),
    ("Ascensión", "F"),
    ("José Luis", "M"),
    ("María Jesús", "F"),
    ("Florentino", "M"),
    ("Azucena", "F"),
]
SURN9_ES = [
    "de Castro",
    "del Olmo",
    "de la Calzada",
    "Cuesta-Albiñana",
    "Fernández de Córdoba",
    "Urquijo",
    "Peñafiel",
    "Mañueco",
    "Solís-Beaumont",
    "Albarracín",
    "Gutiérrez de la Concha",
    "Pedraza",
    "Sotomayor",
    "Ceballos",
    "Muñiz",
    "de Mingo",
]
GIVEN9_CA = [
    ("Ricard", "M"),
    ("Elisenda", "F"),
    ("Feliu", "M"),
    ("Sílvia", "F"),
    ("Gal·la", "F"),
    ("Cebrià", "M"),
    ("Ariadna", "F"),
    ("Lluç", "M"),
    ("Lídia", "F"),
    ("Isidre", "M"),
    ("Fina", "F"),
    ("Bonaventura", "M"),
]
SURN9_CA = [
    "Vilardell",
    "Colomer",
    "Roig-Lluch",
    "Fàbregues",
    "Cortada",
    "Salvadó",
    "Moragues",
    "Espinàs",
    "Sureda",
    "Bonet-Casals",
    "Garriga",
    "Marcè",
    "Trias",
    "Oller",
    "Güell",
    "Pallarès",
]
FOREIGN9 = [  # foreigners resident in Spain (NIE)
    ("Aurélie", "Lefèvre", "F"),
    ("Björn", "Lindqvist", "M"),
    ("Niamh", "O'Connor", "F"),
    ("Karim", "Ben Youssef", "M"),
    ("Agnieszka", "Wiśniewska", "F"),
    ("Hans-Peter", "Müller", "M"),
]


def make_person9(rng: random.Random, lang: str = "es", nie: bool = False, dot_ok: bool = True) -> Person:
    """A person of this part's pools (or corpus2's, some of the time); ``dot_ok`` False: no "l·l" in the name."""
    if nie:
        if rng.random() < 0.5:
            g, s, sex = rng.choice(FOREIGN9)
            return Person(g, s, "", K.make_nie(rng), sex)
        return K.make_person(rng, lang, nie=True)
    if rng.random() < 0.3:
        return K.make_person(rng, lang)
    if lang == "ca" and rng.random() < 0.75:
        given, sex = rng.choice(GIVEN9_CA if dot_ok else [g for g in GIVEN9_CA if "·" not in g[0]])
        s1, s2 = rng.sample(SURN9_CA + K.SURN_CA[:8], 2)
        return Person(given, s1, s2, K.make_dni(rng), sex, catalan_i=rng.random() < 0.6)
    given, sex = rng.choice(GIVEN9_ES)
    s1, s2 = rng.sample(SURN9_ES + K.SURN_ES[:10], 2)
    return Person(given, s1, s2, K.make_dni(rng), sex)


# =========================================================================== extra block kinds
#   ("side", label, text)             a paragraph with a marginal note (small bold grey label) in a left column
#   ("lr", left, right, scale)        one line: bold text on the left, regular text flush right
#   ("leader", [(label, value)])      labelled rows "Label ........ value" (value wrapped in its column)
#   ("fill", [(label, value, frac)], seed, font)  a form row: printed labels, HAND-WRITTEN values over dotted lines
#   ("hcheck", [(ticked, label)], cols, seed)     printed boxes, ticked by hand
#   ("quote", text, italic_font)      an indented literal quotation with a grey bar on its left
#   ("sigtab", headers, rows, seed)   a ruled signature table: header row, label rows, a row of signatures
# plus holdout4's to holdout8's kinds (cols, grid, logo, scrawl, seal, qr, sc, foot, timbre, checks, dsig,
# vmargin, box, rmargin, bar, frame).


@functools.lru_cache(maxsize=256)
def _font(name: str, px: int):
    return K._font(name, px)


def _darken(im: Image.Image, t: Image.Image, x: int, y: int):
    """Paste the dark pixels of grey image ``t`` onto ``im`` at (x, y), clipped to the page."""
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(im.width, x + t.width), min(im.height, y + t.height)
    if x1 <= x0 or y1 <= y0:
        return
    t = t.crop((x0 - x, y0 - y, x1 - x, y1 - y))
    region = np.asarray(im.crop((x0, y0, x1, y1)).convert("L"))
    im.paste(Image.fromarray(np.minimum(region, np.asarray(t))).convert(im.mode), (x0, y0))


def _draw_hand(im, d, op, k):
    """Hand-printed text: every glyph its own size and baseline, the word slightly rotated, a pen stroke."""
    _, _, x, y, text, fname, px, seed, ink = op
    rr = random.Random(seed)
    w, h = int(_font(fname, px).getlength(text) * 1.2 + px), int(px * 2.1)
    t = Image.new("L", (w, h), 255)
    td = ImageDraw.Draw(t)
    xx = px * 0.15
    stroke = max(0, int(round(rr.choice([0, 1, 1]) * k)))
    for ch in text:
        s = max(8, int(px * rr.uniform(0.9, 1.08)))
        fc = _font(fname, s)
        dy = rr.uniform(-0.07, 0.07) * px + (px - s) * 0.75
        td.text((int(xx), int(px * 0.35 + dy)), ch, font=fc, fill=ink, stroke_width=stroke, stroke_fill=ink)
        xx += fc.getlength(ch) * rr.uniform(0.97, 1.1) + (px * 0.05 if ch == " " else 0)
    t = t.crop((0, 0, min(w, int(xx + px * 0.3)), h))
    t = t.rotate(rr.uniform(-1.6, 1.6), expand=True, fillcolor=255, resample=Image.BICUBIC)
    _darken(im, t, x, y)


def _draw_dots(im, d, op, k):
    _, _, x0, x1, y = op
    step = max(3, int(9 * k))
    for xx in range(int(x0), int(x1), step):
        d.point([(xx, y), (xx + 1, y)], fill=110)


def _draw_cross(im, d, op, k):
    """A hand-drawn X in a box."""
    _, _, x, y, s, seed = op
    rr = random.Random(seed)
    j = lambda: rr.uniform(-0.12, 0.12) * s  # noqa: E731
    w = max(2, int(5 * k))
    d.line([(x + j(), y + j()), (x + s + j(), y + s + j())], fill=30, width=w)
    d.line([(x + s + j(), y + j()), (x + j(), y + s + j())], fill=30, width=w)


def _draw_vbar(im, d, op, k):
    _, _, x, y0, y1 = op
    d.rectangle([x, y0, x + max(3, int(7 * k)), y1], fill=150)


def _lay_side(b, st, x0, width, k):
    label, text = b[1], b[2]
    fl = _font(st.bold, int(st.size * k * 0.76))
    fb = _font(st.font, int(st.size * k))
    lw, gap = int(width * 0.21), int(34 * k)
    tw = width - lw - gap
    llines, tlines = K._wrap(label, fl, lw), K._wrap(text, fb, tw)
    lh = int(fb.size * st.leading)
    rows = []
    for i in range(max(len(llines), len(tlines))):
        ln = tlines[i] if i < len(tlines) else ""
        lab = llines[i] if i < len(llines) else ""
        just = st.justify and i < len(tlines) - 1

        def at(y, ln=ln, lab=lab, just=just):
            ops = []
            if ln:
                ops.append(("text", x0 + lw + gap, y, ln, fb, just, tw))
            if lab:
                ops.append(("text", x0, y + int(fb.size * 0.2), lab, fl, False, 0, 90))
            return ops

        rows.append((lh, at))
    rows.append((int(fb.size * 0.6), lambda y: []))
    return rows


def _lay_lr(b, st, x0, width, k):
    left, right, scale = b[1], b[2], b[3]
    f = _font(st.bold, int(st.size * k * scale))
    fr = _font(st.font, int(st.size * k * 0.86))

    def at(y):
        ops = [("text", x0, y, left, f, False, 0)]
        if right:
            ops.append(
                ("text", int(x0 + width - fr.getlength(right)), y + max(0, f.size - fr.size), right, fr, False, 0)
            )
        return ops

    return [(int(f.size * 1.5) + int(st.size * k * 0.4), at)]


def _lay_leader(b, st, x0, width, k):
    fl = _font(st.font, int(st.size * k * 0.92))
    fv = _font(st.bold, int(st.size * k * 0.92))
    col = int(width * 0.34)
    lh = int(fv.size * 1.45)
    out = []
    for label, value in b[1]:
        vl = K._wrap(str(value), fv, width - col)
        h = max(1, len(vl)) * lh + int(fv.size * 0.25)

        def at(y, label=label, vl=vl):
            ops = [("text", x0, y, label, fl, False, 0, 60)]
            ops.append(
                (
                    "draw",
                    _draw_dots,
                    x0 + int(fl.getlength(label)) + int(10 * k),
                    x0 + col - int(16 * k),
                    y + int(fl.size * 0.95),
                )
            )
            ops += [("text", x0 + col, y + i * lh, ln, fv, False, 0) for i, ln in enumerate(vl)]
            return ops

        out.append((h, at))
    out.append((int(st.size * k * 0.5), lambda y: []))
    return out


def _lay_fill(b, st, x0, width, k):
    segs, seed, hfont = b[1], b[2], b[3]
    fl = _font(st.font, int(st.size * k * 0.82))
    hpx = int(st.size * k * 1.02)
    h = int(hpx * 2.05)

    def at(y):
        ops = []
        x = x0
        base = y + int(h * 0.78)
        for i, (label, value, frac) in enumerate(segs):
            seg_w = int(width * frac)
            lx = x + (int(14 * k) if i else 0)
            ops.append(("text", lx, base - int(fl.size * 1.05), label, fl, False, 0, 40))
            fx0 = lx + int(fl.getlength(label)) + int(12 * k)
            fx1 = x + seg_w - int(18 * k)
            ops.append(("draw", _draw_dots, fx0, fx1, base))
            if value:
                hf = _font(hfont, hpx)
                px = hpx
                if hf.getlength(value) * 1.12 > fx1 - fx0 - int(20 * k):
                    px = max(int(hpx * 0.55), int(hpx * (fx1 - fx0 - int(20 * k)) / (hf.getlength(value) * 1.12)))
                ops.append(
                    ("draw", _draw_hand, fx0 + int(10 * k), base - int(px * 1.55), value, hfont, px, seed * 7 + i, 35)
                )
            x += seg_w
        return ops

    return [(h + int(st.size * k * 0.15), at)]


def _fill_text(b) -> list[tuple[str, str]]:
    s = " ".join(f"{lab} {val}".strip() for lab, val, _ in b[1])
    return [("body", s.replace(" ,", ","))]


def _lay_hcheck(b, st, x0, width, k):
    items, cols, seed = b[1], b[2], b[3]
    f = _font(st.font, int(st.size * k * 0.86))
    box = int(f.size * 0.95)
    colw = width // cols
    lh = int(f.size * 1.75)
    out = []
    for r in range(0, len(items), cols):
        row = items[r : r + cols]

        def at(y, row=row, r=r):
            ops = []
            for c, (ticked, label) in enumerate(row):
                x = x0 + c * colw
                ops.append(("rect", x, y, x + box, y + box))
                ops.append(("text", x + box + int(22 * k), y - int(f.size * 0.08), label, f, False, 0))
                if ticked:
                    ops.append(
                        ("draw", _draw_cross, x - int(box * 0.1), y - int(box * 0.15), int(box * 1.2), seed + r + c)
                    )
            return ops

        out.append((lh, at))
    out.append((int(st.size * k * 0.4), lambda y: []))
    return out


def _lay_quote(b, st, x0, width, k):
    text, ital = b[1], b[2]
    f = _font(ital, int(st.size * k * 0.95))
    ind = int(width * 0.08)
    w = width - ind - int(width * 0.03)
    lines = K._wrap(text, f, w)
    lh = int(f.size * st.leading)
    out = []
    for i, ln in enumerate(lines):
        just = st.justify and i < len(lines) - 1

        def at(y, ln=ln, just=just):
            return [
                ("draw", _draw_vbar, x0 + ind - int(40 * k), y, y + lh),
                ("text", x0 + ind, y, ln, f, just, w),
            ]

        out.append((lh, at))
    out.append((int(f.size * 0.7), lambda y: []))
    return out


def _lay_sigtab(b, st, x0, width, k):
    headers, rows, seed = b[1], b[2], b[3]
    n = len(headers)
    fh = _font(st.bold, int(st.size * k * 0.85))
    fr = _font(st.font, int(st.size * k * 0.85))
    pad = int(16 * k)
    cw = width // n
    out = []
    all_rows = [(headers, fh)] + [(r, fr) for r in rows]
    for cells, f in all_rows:
        wrapped = [K._wrap(str(c), f, cw - 2 * pad) for c in cells]
        lh = int(f.size * 1.35)
        rh = max(len(w) for w in wrapped) * lh + 2 * pad

        def at(y, wrapped=wrapped, lh=lh, rh=rh, f=f):
            ops = [("rect", x0, y, x0 + cw * n, y + rh)]
            for ci, lines in enumerate(wrapped):
                if ci:
                    ops.append(("vline", x0 + ci * cw, y, y + rh))
                ops += [("text", x0 + ci * cw + pad, y + pad + j * lh, ln, f, False, 0) for j, ln in enumerate(lines)]
            return ops

        out.append((rh, at))
    sh = int(230 * k)

    def sig_at(y):
        ops = [("rect", x0, y, x0 + cw * n, y + sh)]
        for ci in range(n):
            if ci:
                ops.append(("vline", x0 + ci * cw, y, y + sh))
            ops.append(("text", x0 + ci * cw + pad, y + pad, "Signatura:", fr, False, 0, 90))
            ops.append(
                ("draw", H4._draw_scribble, x0 + ci * cw + int(cw * 0.2), y + int(sh * 0.6), int(cw * 0.55), seed + ci)
            )
        return ops

    out.append((sh, sig_at))
    out.append((int(st.size * k * 0.8), lambda y: []))
    return out


def _sigtab_text(b) -> list[tuple[str, str]]:
    out = [("bold", "    ".join(b[1]))]
    out += [("body", "    ".join(str(c) for c in r)) for r in b[2]]
    return out


EXT = {
    **H8.EXT,
    "side": {"kind": "side", "layout": H4._ext(_lay_side), "text": H4._ext(lambda b: [("body", f"{b[1]}. {b[2]}")])},
    "lr": {
        "kind": "lr",
        "layout": H4._ext(_lay_lr),
        "text": H4._ext(lambda b: [("bold", f"{b[1]}    {b[2]}".strip())]),
    },
    "leader": {
        "kind": "leader",
        "layout": H4._ext(_lay_leader),
        "text": H4._ext(lambda b: [("body", f"{lab}: {val}") for lab, val in b[1]]),
    },
    "fill": {"kind": "fill", "layout": H4._ext(_lay_fill), "text": H4._ext(_fill_text)},
    "hcheck": {
        "kind": "hcheck",
        "layout": H4._ext(_lay_hcheck),
        "text": H4._ext(lambda b: [("body", f"[{'X' if t else ' '}] {lab}") for t, lab in b[1]]),
    },
    "quote": {"kind": "quote", "layout": H4._ext(_lay_quote), "text": H4._ext(lambda b: [("body", b[1])])},
    "sigtab": {"kind": "sigtab", "layout": H4._ext(_lay_sigtab), "text": H4._ext(_sigtab_text)},
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


def _ident(p: Person, fmt: int) -> str:
    return f"{'N.I.E.' if p.nif[0] in 'XYZ' else 'D.N.I.'} {fmt_nif(p.nif, fmt)}"


# =========================================================================== powers of attorney


@template("h9_sustitucion_poder_es", "power_of_attorney", "es", subst=True)
def h9_sustitucion_poder(doc: Doc) -> list[tuple]:
    """Substitution of a power: the original attorney quotes the earlier general power (its notary, date and
    protocol "1.874") granted to him by the sole administrator and substitutes his powers in favour of a new
    attorney; marginal notes in a left column on some copies."""
    a, g, adm, pn = (doc.people[k] for k in ("appointed", "grantor", "orig_admin", "prior_notary"))
    comp, cif = doc.company
    n = doc.notary
    old_d, old_p = doc.other_dates["old_power"], doc.extra["old_protocol"]
    rr = _r(doc, 1)
    side = doc.v % 2 == 0
    _style(
        doc,
        "LiberationSerif-Regular.ttf" if doc.v < 2 else "DejaVuSerif.ttf",
        "LiberationSerif-Bold.ttf" if doc.v < 2 else "DejaVuSerif-Bold.ttf",
        40 if doc.v < 2 else 36,
        justify=True,
        leading=1.5,
        margin_rule=not side,
        margin_l=240 if side else 320,
    )
    doc.style.footer = f"{n.full.upper()} · NOTARIO · {doc.city.upper()}" if not n.female else None
    reserva = rr.random() < 0.5
    cargo_adm = "Administradora Única" if adm.female else "Administrador Único"
    apod = "apoderada" if g.female else "apoderado"
    head = [
        f"NÚMERO {words_es(doc.protocol).upper()} ({proto_printed(doc.protocol)}).",
        f"PROTOCOLO N.º {proto_printed(doc.protocol)}",
        f"NÚMERO {proto_printed(doc.protocol)}.—",
        f"N.º {proto_printed(doc.protocol)} DE PROTOCOLO",
    ][doc.v]
    paras = [
        (
            "Comparecencia",
            f"En {doc.city}, mi residencia, a {date_text(doc.date, 'es', 'words' if doc.v % 2 else 'long')}. Ante "
            f"mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, COMPARECE: "
            f"{_dd(g).upper()}, mayor de edad, {rr.choice(['casad', 'solter', 'viud'])}{_o(g)}, economista, "
            f"vecin{_o(g)} de {rr.choice(K.CITIES)}, con domicilio en {_street(rr)}, y provist{_o(g)} de "
            f"{_ident(g, doc.fmt)}.",
        ),
        (
            "Intervención",
            f"Interviene en nombre y representación, como {apod}, de la compañía mercantil «{comp.upper()}», "
            f"domiciliada en {doc.city}, con C.I.F. {fmt_cif(cif, doc.fmt)}. Hace uso del poder general que le fue "
            f"conferido por {_dd(adm)}, en su calidad de {cargo_adm} de la sociedad, en escritura autorizada por "
            f"{'la' if pn.female else 'el'} {_nt(pn)} de {rr.choice(K.CITIES)}, {_dd(pn)}, el día "
            f"{date_text(old_d, 'es', 'long')}, con el número {proto_printed(old_p)} de su protocolo, inscrita en "
            f"el Registro Mercantil. Me exhibe copia autorizada de dicha escritura, de la que resulta que el "
            f"apoderamiento comprende expresamente la facultad de sustituir, en todo o en parte, las facultades "
            f"conferidas. Juzgo suficientes las facultades representativas acreditadas para esta sustitución.",
        ),
        (
            "Sustitución",
            f"Y OTORGA: Que SUSTITUYE, {'reservándose' if reserva else 'sin reservarse'} las mismas, las "
            f"facultades relativas a la contratación de suministros que le fueron conferidas en la escritura "
            f"reseñada, a favor de {_dd(a).upper()}, mayor de edad, con domicilio profesional en {_street(rr)}, "
            f"{rr.choice(K.CITIES)}, y {_ident(a, doc.fmt + 1)}, para que, en nombre de la sociedad, pueda "
            f"contratar, modificar, rescindir y dar de baja suministros de electricidad, gas y agua; solicitar "
            f"cambios de potencia, de tarifa y de comercializadora; y firmar los contratos de acceso a la red.",
        ),
        (
            "Otorgamiento",
            "Así lo dice y otorga. Hago las reservas y advertencias legales, en especial que la sustitución no "
            "amplía las facultades del poder sustituido. Leída esta escritura, el compareciente la aprueba y firma "
            "conmigo. Del contenido de este instrumento público, yo, el Notario, doy fe.",
        ),
    ]
    b: list[tuple] = [
        ("h", head, 0.95, "l" if doc.v % 2 else "c"),
        ("h", "ESCRITURA DE SUSTITUCIÓN DE PODER", 1.15, "c"),
        ("pl", f"OTORGADA POR: {comp.upper()}, por medio de su {apod} {g.full}"),
        ("gap", 0.5),
    ]
    if side:
        b += [("side", lab, txt) for lab, txt in paras]
    else:
        b += [("p", txt) for _, txt in paras]
    b.append(("scrawl", [g.full, f"{_nt(n)}: {n.full}"], doc.seed + 1))
    if doc.csv:
        b.append(("mono", f"CSV de la copia simple electrónica: {doc.csv}"))
    return b


TRADES = [
    ("forn de pa i pastisseria", "Forn {s}"),
    ("taller de reparació de vehicles", "Tallers {s}"),
    ("fusteria i ebenisteria", "Fusteria {s}"),
    ("botiga de queviures", "Queviures Cal {s}"),
    ("explotació ramadera porcina", "Granja {s}"),
    ("restaurant", "Restaurant Can {s}"),
]
JOBS_CA = [
    ("encarregat de la botiga", "encarregada de la botiga"),
    ("cap de taller", "cap de taller"),
    ("administratiu", "administrativa"),
    ("responsable de compres", "responsable de compres"),
]


@template("h9_poder_empresari_individual_ca", "power_of_attorney", "ca", sole_trader=True)
def h9_poder_empresari(doc: Doc) -> list[tuple]:
    """Catalan power granted by a sole trader (natural person, his DNI is the business NIF, a commercial name) to
    an employee; COMPAREIX / INTERVÉ / ATORGA, the facultats as a numbered list, the notary's "dono fe"."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    n = doc.notary
    rr = _r(doc, 2)
    trade, brand = doc.extra["trade"]
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 37, justify=True, leading=1.5, indent=70)
    doc.style.header = f"{_nt(n, 'ca')} {n.full} — {doc.city}"
    job = rr.choice(JOBS_CA)[1 if a.female else 0]
    emp = "empresària individual" if g.female else "empresari individual"
    nif_b = fmt_nif(g.nif, doc.fmt + 1)
    fac = [
        "1. Contractar, modificar, traspassar i donar de baixa els subministraments d'electricitat, gas, aigua i "
        "telecomunicacions del local i de les instal·lacions on s'exerceix l'activitat.",
        "2. Sol·licitar canvis de potència, de tarifa d'accés i de comercialitzadora, i signar els contractes "
        "d'accés a la xarxa amb les empreses distribuïdores.",
        "3. Presentar i signar reclamacions i rebre'n les notificacions.",
    ]
    b: list[tuple] = [
        ("pl", f"NÚMERO {words_ca(doc.protocol).upper()} ({proto_printed(doc.protocol)})"),
        ("h", "ESCRIPTURA DE PODER", 1.2, "c"),
        ("h", f"atorgada per {_ca(g)}, {emp}", 0.85, "c"),
        (
            "p",
            f"A {doc.city}, el {date_text(doc.date, 'ca', ['long', 'words', 'long', 'num'][doc.v])}. Davant meu, "
            f"{n.full.upper()}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya, amb residència en aquesta ciutat,",
        ),
        ("h", "COMPAREIX", 0.95, "l"),
        (
            "p",
            f"{_cap(_ca(g))}, major d'edat, {'casada' if g.female else 'casat'}, {'veïna' if g.female else 'veí'} de "
            f"{doc.city}, amb domicili a {_street(rr, 'ca')}, i DNI {fmt_nif(g.nif, doc.fmt)}.",
        ),
        ("h", "INTERVÉ", 0.95, "l"),
        (
            "p",
            f"En nom i dret propis, com a {emp} {'donada' if g.female else 'donat'} d'alta en el cens "
            f"d'empresaris, professionals i retenidors amb el NIF {nif_b} (el mateix del seu document "
            f"d'identitat), que exerceix l'activitat de "
            f"{trade} amb el nom comercial «{brand}», a {_street(rr, 'ca')}, {doc.city}.",
        ),
        (
            "p",
            "El negoci no té personalitat jurídica pròpia: l'atorgant en respon personalment. Té, al meu judici, la "
            "capacitat legal necessària per atorgar aquesta escriptura de poder, i a aquest efecte",
        ),
        ("h", "ATORGA", 0.95, "l"),
        (
            "p",
            f"Que confereix poder, tan ampli i bastant com en dret calgui, a favor de {_ca(a)}, major d'edat, {job} "
            f"del negoci, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, perquè, en nom i representació del poderdant, "
            f"pugui exercir les facultats següents:",
        ),
    ]
    b += [("pl", t) for t in fac]
    b += [
        (
            "p",
            "Així ho diu i atorga. Llegeixo aquesta escriptura al compareixent, per la seva elecció, i l'aprova i la "
            "signa amb mi. Dono fe de la identitat del compareixent, que he identificat pel seu document, que té "
            "capacitat i legitimació, que el consentiment ha estat lliurement prestat i que l'atorgament s'adequa a "
            "la legalitat i a la voluntat degudament informada de l'atorgant. De tot el contingut d'aquest "
            "instrument públic, estès en paper timbrat de sèrie i número correlatius, jo, el notari, dono fe.",
        ),
        ("scrawl", [g.full, f"{_nt(n, 'ca')}: {n.full}"], doc.seed + 2),
        ("pl", "Dono fe."),
    ]
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació: {doc.csv}"))
    return b


# =========================================================================== deeds


@template("h9_acta_manifestaciones_dimision_es", "deed", "es", acta=True)
def h9_acta_manifestaciones(doc: Doc) -> list[tuple]:
    """Notarial "acta de manifestaciones": the former sole administrator, in his own name, declares that he
    resigned (burofax, date), that he informed the majority partner and that nobody acts for the company through
    him.  Nobody is empowered."""
    o, sp = doc.people["outgoing"], doc.people["partner"]
    comp, cif = doc.company
    n = doc.notary
    od = doc.other_dates
    rr = _r(doc, 3)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 41, justify=True, leading=1.45)
    doc.style.footer = "Acta de manifestaciones — folio {page}"
    adm = "Administradora Única" if o.female else "Administrador Único"
    socio = "socia" if sp.female else "socio"
    return [
        ("r", f"Número {proto_printed(doc.protocol)} de protocolo"),
        ("h", "ACTA DE MANIFESTACIONES", 1.25, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', 'words')}. Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre "
            f"Colegio de {K.COLEGIO[doc.city]},",
        ),
        ("h", "COMPARECE", 0.95, "c"),
        (
            "p",
            f"{_cap(_dd(o)).upper()}, mayor de edad, vecin{_o(o)} de {doc.city}, con domicilio en {_street(rr)}, y "
            f"{_ident(o, doc.fmt)}. Interviene en su propio nombre y derecho. Tiene, a mi juicio, capacidad para este "
            f"acto, y me REQUIERE para que haga constar en acta las siguientes",
        ),
        ("h", "MANIFESTACIONES", 0.95, "c"),
        (
            "p",
            f"PRIMERA.- Que por acuerdo de la Junta General de la sociedad «{comp.upper()}», con C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, de fecha {date_text(od['old_appointment'], 'es', 'long')}, fue nombrad{_o(o)} "
            f"{adm} de la misma, cargo que aceptó y que fue inscrito en el Registro Mercantil de {_rm(doc)}.",
        ),
        (
            "p",
            f"SEGUNDA.- Que el día {date_text(od['resignation'], 'es', 'long')} remitió a la sociedad, a su domicilio "
            f"social, burofax con certificación de texto y acuse de recibo número BF{rr.randrange(10**7, 10**8)}, por "
            f"el que comunicaba su DIMISIÓN irrevocable como {adm.lower()}, con efectos desde su recepción.",
        ),
        (
            "p",
            f"TERCERA.- Que en la misma fecha dio cuenta de su dimisión {'a la' if sp.female else 'al'} {socio} "
            f"mayoritari{_o(sp)}, {_dd(sp)}, instándole a convocar la Junta General para proveer el cargo vacante, "
            f"sin que hasta hoy le conste convocatoria alguna.",
        ),
        (
            "p",
            "CUARTA.- Que desde su dimisión no ha realizado ni realizará acto alguno en nombre de la sociedad, que no "
            "ha otorgado poder ni autorización a persona alguna para contratar por ella suministros ni servicios, y "
            "que no reconoce los contratos que en adelante se firmen invocando su cargo.",
        ),
        (
            "p",
            "Advierto al compareciente de que este acta se limita a recoger sus manifestaciones, cuya veracidad no "
            "me consta, y de que no produce por sí sola la inscripción del cese en el Registro Mercantil. Leída, la "
            "aprueba y firma conmigo. De todo lo cual, y de que el contenido de este acta se ajusta a lo manifestado, "
            "yo, el Notario, doy fe.",
        ),
        ("scrawl", [o.full, f"{_nt(n)}: {n.full}"], doc.seed + 3),
    ] + ([("pl", f"C.S.V. {doc.csv}")] if doc.csv else [])


@template("h9_nombramiento_mancomunados_es", "deed", "es", joint=True)
def h9_nombramiento_mancomunados(doc: Doc) -> list[tuple]:
    """Raising to public the appointment of two JOINT administrators by the secretary of the general meeting; the
    new administrators in a ruled table "CARGO | NOMBRE Y APELLIDOS | D.N.I." after the verb paragraph (the
    outgoing sole administrator a "CESA" row of it on some copies)."""
    a, a2, o, s, pres = (doc.people[k] for k in ("appointed", "appointed2", "outgoing", "secretary", "president"))
    comp, cif = doc.company
    n = doc.notary
    meet = doc.other_dates["meeting"]
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 36, justify=True, leading=1.48)
    doc.style.header = f"Notaría de {n.full} · Protocolo {proto_printed(doc.protocol)}"
    doc.style.footer = "— {page} —"
    first, second = (a, a2) if doc.v % 2 == 0 else (a2, a)
    in_table = doc.v >= 2
    mc = lambda p: "Administradora Mancomunada" if p.female else "Administrador Mancomunado"  # noqa: E731
    rows = [["CARGO", "NOMBRE Y APELLIDOS", "D.N.I."]]
    rows += [[mc(p), p.full.upper(), fmt_nif(p.nif, doc.fmt)] for p in (first, second)]
    if in_table:
        rows.append(
            [
                f"{'Administradora' if o.female else 'Administrador'} Único (CESA)",
                o.full.upper(),
                fmt_nif(o.nif, doc.fmt),
            ]
        )
    sec = "Secretaria" if s.female else "Secretario"
    cese = (
        f"cesar en su cargo {'a la Administradora Única' if o.female else 'al Administrador Único'}, según resulta "
        f"del cuadro siguiente,"
        if in_table
        else f"cesar en su cargo {'a la Administradora Única' if o.female else 'al Administrador Único'} "
        f"{_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt + 1)}, agradeciéndole los servicios prestados,"
    )
    return [
        ("h", f"NÚMERO {words_es(doc.protocol).upper()}", 1.0, "c"),
        ("h", "ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES", 1.1, "c"),
        ("h", "(Cese de administrador único y nombramiento de administradores mancomunados)", 0.8, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'words', 'long', 'words'][doc.v])}. Ante mí, "
            f"{n.full}, {_nt(n)} de esta ciudad y del Ilustre Colegio de {K.COLEGIO[doc.city]}, COMPARECE "
            f"{_dd(s).upper()}, mayor de edad, con {_ident(s, doc.fmt)}, en su calidad de {sec} no socio de la "
            f"Junta General de la mercantil «{comp}», con C.I.F. {fmt_cif(cif, doc.fmt)}, y en ejecución del acuerdo "
            f"de la propia Junta que le facultó para elevar a público los acuerdos adoptados.",
        ),
        (
            "p",
            f"Me entrega certificación expedida por {'ella' if s.female else 'él'} con el Visto Bueno "
            f"{'de la Presidenta' if pres.female else 'del Presidente'} de la Junta, {_dd(pres)}, cuyas firmas "
            f"legitimo, de la que resulta que la Junta General Extraordinaria y Universal celebrada el "
            f"{_num(meet)} acordó por unanimidad modificar el modo de organizar la administración, que pasa a "
            f"confiarse a dos administradores mancomunados, {cese} y NOMBRAR por tiempo indefinido a las personas que "
            f"se indican:",
        ),
        ("table", [0.36, 0.42, 0.22], rows),
        (
            "p",
            "Los nombrados, presentes en la Junta, aceptaron el cargo y declararon no estar incursos en causa de "
            "incompatibilidad. Actuarán conjuntamente en el ejercicio del poder de representación.",
        ),
        (
            "p",
            "Así lo dice y otorga el compareciente, a quien hago las reservas y advertencias legales, en particular "
            "la obligación de inscribir esta escritura. Leída, la aprueba y firma conmigo. Doy fe.",
        ),
        ("scrawl", [s.full, f"{_nt(n)}: {n.full}"], doc.seed + 4),
    ] + ([("mono", f"CSV: {doc.csv}")] if doc.csv else [])


# =========================================================================== registry


@template("h9_certificacion_historial_inscripciones_es", "registry_certificate", "es", hist=True)
def h9_certificacion_historial(doc: Doc) -> list[tuple]:
    """Registro Mercantil certificate of the history of the administrative body: a chronological list of
    inscriptions, each with its own date (appointment, a proxy, cessation and appointment); the issue date only
    in the closing formula, in words (no date at all in an undated one)."""
    a, o, old, px = (doc.people[k] for k in ("appointed", "outgoing", "founder_admin", "proxy"))
    comp, cif = doc.company
    r = doc.registrar
    od, ex = doc.other_dates, doc.extra
    rm = _rm(doc)
    rr = _r(doc, 5)
    undated = ex.get("no_issue_date")
    mono = doc.v % 2 == 1
    _style(
        doc,
        "LiberationMono-Regular.ttf" if mono else "LiberationSerif-Regular.ttf",
        "LiberationMono-Bold.ttf" if mono else "LiberationSerif-Bold.ttf",
        34 if mono else 40,
        justify=not mono,
        leading=1.45,
    )
    doc.style.footer = f"Registro Mercantil de {rm} · Hoja {ex['hoja']} · " + "pág. {page}"
    i1, io, ip, ia = ex["ins_founder"], ex["ins_old"], ex["ins_proxy"], ex["ins_new"]
    g = lambda p, m, f: f if p.female else m  # noqa: E731
    items = [
        (
            f"Inscripción {_ordinal(i1)}, de fecha {_num(od['constitution'])}.",
            f"Constitución de la sociedad. Nombrad{_o(old)} {g(old, 'Administrador Único', 'Administradora Única')}: "
            f"{old.full.upper()}, N.I.F. {fmt_nif(old.nif, 0)}.",
        ),
        (
            f"Inscripción {_ordinal(io)}, de fecha {_num(od['old_appointment'])}.",
            f"Cesa {old.full.upper()}. Nombrad{_o(o)} {g(o, 'Administrador Único', 'Administradora Única')}: "
            f"{o.full.upper()}, N.I.F. {fmt_nif(o.nif, doc.fmt)}, por plazo indefinido.",
        ),
        (
            f"Inscripción {_ordinal(ip)}, de fecha {_num(od['proxy'])}.",
            f"Poder general a favor de {px.full.upper()}, N.I.F. {fmt_nif(px.nif, doc.fmt)}, otorgado ante el "
            f"Notario de {rr.choice(K.CITIES)}. Vigente.",
        ),
        (
            f"Inscripción {_ordinal(ia)}, de fecha {_num(od['appointment'])}.",
            f"Cesa, por dimisión, {o.full.upper()}. Nombrad{_o(a)} "
            f"{g(a, 'Administrador Único', 'Administradora Única')}: {a.full.upper()}, N.I.F. "
            f"{fmt_nif(a.nif, doc.fmt + 1)}, por plazo indefinido. Vigente.",
        ),
    ]
    close = (
        f"Y para que conste, a solicitud de la propia sociedad, expido la presente certificación, extendida en "
        f"{'un folio' if mono else 'el presente folio'}, en {rm}"
    )
    close += "." if undated else f", a {date_text(doc.date, 'es', 'words')}."
    b: list[tuple] = [
        ("h", f"REGISTRO MERCANTIL DE {rm.upper()}", 1.15, "c"),
        ("h", "CERTIFICACIÓN", 1.05, "c"),
        (
            "p",
            f"{r.full.upper()}, Registrador{'a' if r.female else ''} Mercantil de {rm}, CERTIFICA: Que examinados los "
            f"libros del Registro a su cargo, resulta que la sociedad {comp.upper()}, con N.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, figura inscrita en la hoja {ex['hoja']}, tomo {ex['tomo']}, folio "
            f"{ex['folio']}, y que en relación con su órgano de administración constan, por orden cronológico, los "
            f"siguientes asientos:",
        ),
    ]
    for head, txt in items:
        b += [("pl", head), ("p", txt)] if mono else [("side", head, txt)]
    b += [
        (
            "p",
            "Que no existen asientos posteriores ni presentados pendientes de despacho que afecten a lo certificado.",
        ),
        ("p", close),
        ("sig", [f"{'La Registradora' if r.female else 'El Registrador'}: {r.full}"]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV: {doc.csv} - verificable en sede.registradores.org"))
    return b


@template("h9_nota_simple_ca", "registry_certificate", "ca", nota=True, csv=False)
def h9_nota_simple(doc: Doc) -> list[tuple]:
    """Catalan "nota simple informativa": the issue date only in the header line "Data: 03/11/2026" (none in an
    undated one), labelled rows with dotted leaders, the appointment dates in the body."""
    a, o, px = doc.people["appointed"], doc.people["outgoing"], doc.people["proxy"]
    comp, cif = doc.company
    od, ex = doc.other_dates, doc.extra
    rm = _rm(doc)
    rr = _r(doc, 6)
    undated = ex.get("no_issue_date")
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 38, justify=False, leading=1.4)
    doc.style.footer = "Aquesta nota té valor purament informatiu (art. 77 RRM). Pàg. {page}/{pages}"
    adm = "Administradora única" if a.female else "Administrador únic"
    adm_o = "Administradora única" if o.female else "Administrador únic"
    return [
        ("lr", f"REGISTRE MERCANTIL DE {rm.upper()}", "" if undated else f"Data: {_num(doc.date)}", 1.0),
        ("pl", f"Sol·licitud: {rr.randrange(10**6, 10**7)} · Interessat: {rr.choice(K.GESTORAS)}"),
        ("h", "NOTA SIMPLE INFORMATIVA", 1.2, "c"),
        ("h", "Dades generals", 0.95, "l"),
        (
            "leader",
            [
                ("Denominació", comp.upper()),
                ("NIF", fmt_cif(cif, doc.fmt)),
                ("Domicili", f"{_street(rr, 'ca')} ({rm})"),
                ("Full / Tom / Foli", f"{ex['hoja']} / {ex['tomo']} / {ex['folio']}"),
                ("Data de constitució", _num(od["constitution"])),
            ],
        ),
        ("h", "Òrgan d'administració vigent", 0.95, "l"),
        (
            "p",
            f"{adm}: {a.full.upper()}, DNI/NIE {fmt_nif(a.nif, doc.fmt)}. Nomenament de data {_num(od['appointment'])}, "
            f"inscripció {ex['inscription']}a, per termini indefinit.",
        ),
        ("h", "Apoderats", 0.95, "l"),
        (
            "p",
            f"{px.full.upper()}, DNI/NIE {fmt_nif(px.nif, doc.fmt)}. Poder general de data {_num(od['proxy'])}, "
            f"facultats solidàries.",
        ),
        ("h", "Càrrecs cessats", 0.95, "l"),
        (
            "p",
            f"{adm_o}: {o.full.upper()}, DNI/NIE {fmt_nif(o.nif, doc.fmt)}. "
            f"{'Nomenada' if o.female else 'Nomenat'} el {_num(od['old_appointment'])}; "
            f"cessament inscrit el {_num(od['removal'])}.",
        ),
        ("h", "Situació", 0.95, "l"),
        ("p", "Activa. No consten assentaments de dissolució, concurs ni tancament del full registral."),
    ]


# =========================================================================== mandates

DISTRIBUIDORAS = [
    "Cierzo Distribución Eléctrica, S.A.U.",
    "Levante Redes Eléctricas, S.A.U.",
    "Distribuidora Eléctrica del Bajo Aragón, S.L.U.",
    "Redes Eléctricas de la Meseta, S.A.",
]
GESTORAS9 = [
    "Kilovatio Gestión Energética, S.L.",
    "Ahorra+ Consultores Energéticos, S.L.",
    "Energía Clara Asesores, S.L.",
    "Potencia Justa Ingeniería, S.L.",
]
HANDS = ["LiberationSans-Italic.ttf", "LiberationSerif-Italic.ttf", "LiberationSansNarrow-Italic.ttf"]
TRAMITES = [
    "Solicitud de acceso y conexión",
    "Modificación de potencia",
    "Alta / baja del suministro",
    "Consulta de datos de consumo",
    "Cambio de titular",
    "Reclamaciones e incidencias",
]


@template("h9_autorizacion_distribuidora_manuscrita_es", "manager_mandate", "es", witness=True, hand=True)
def h9_autorizacion_manuscrita(doc: Doc) -> list[tuple]:
    """A distributor's one-page "autorización de representación" form filled in by hand (capitals over dotted
    lines, ticked boxes): the customer's legal representative authorises an energy-management firm and its
    representative; "En Zaragoza, a 4 de noviembre de 2026"; an optional witness."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    dist = doc.extra["distribuidora"]
    rr = _r(doc, 7)
    hand = HANDS[doc.v % len(HANDS)]
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 36, justify=False, leading=1.35)
    doc.style.margin_t = 180
    doc.style.footer = f"{dist} · Modelo AR-{rr.randrange(1, 9)} · Ejemplar para la distribuidora"
    initials = "".join(x[0] for x in dist.split()[:2]).upper()
    cargo = rr.choice(["ADMINISTRADOR", "GERENTE", "APODERADO"])
    if g.female:
        cargo = {"ADMINISTRADOR": "ADMINISTRADORA", "GERENTE": "GERENTE", "APODERADO": "APODERADA"}[cargo]
    cups = f"ES0{rr.randrange(100, 999)}{rr.randrange(10**11, 10**12)}{rr.choice('ABCDEFGH')}{rr.choice('JKLMN')}"
    d, until = doc.date, doc.other_dates["until"]
    ticks = [(i < 2 or rr.random() < 0.5, t) for i, t in enumerate(TRAMITES)]
    s = doc.seed
    b: list[tuple] = [
        ("logo", initials, dist, "Distribución de energía eléctrica"),
        ("lr", "AUTORIZACIÓN DE REPRESENTACIÓN", f"Ref. solicitud: {rr.randrange(10**6, 10**7)}", 1.15),
        ("pl", "Rellene el formulario en MAYÚSCULAS y adjunte copia del DNI/NIE de quien firma."),
        ("h", "1. TITULAR DEL PUNTO DE SUMINISTRO", 0.85, "l"),
        ("fill", [("Razón social:", comp.upper(), 0.66), ("CIF:", cif, 0.34)], s + 1, hand),
        ("fill", [("Representante legal D./D.ª:", g.full.upper(), 0.66), ("DNI/NIE:", g.nif, 0.34)], s + 2, hand),
        ("fill", [("En calidad de:", cargo, 0.5), ("Teléfono:", f"6{rr.randrange(10**7, 10**8)}", 0.5)], s + 3, hand),
        ("h", "2. AUTORIZA A", 0.85, "l"),
        ("fill", [("Empresa:", gest.upper(), 0.66), ("CIF:", gcif, 0.34)], s + 4, hand),
        ("fill", [("Y en su nombre D./D.ª:", a.full.upper(), 0.66), ("DNI/NIE:", a.nif, 0.34)], s + 5, hand),
        ("h", "3. PARA REALIZAR EN SU NOMBRE LOS SIGUIENTES TRÁMITES", 0.85, "l"),
        ("hcheck", ticks, 2, s + 6),
        ("fill", [("CUPS:", cups, 0.7), ("Tensión:", "BT", 0.3)], s + 7, hand),
        (
            "pl",
            f"La autorización es válida hasta la fecha indicada o hasta su revocación por escrito. Los datos personales "
            f"serán tratados por {dist} para gestionar la solicitud (RGPD).",
        ),
        ("fill", [("Válida hasta el:", _num(until), 0.55)], s + 8, hand),
        (
            "fill",
            [
                ("En", doc.city, 0.36),
                (", a", str(d.day), 0.13),
                ("de", K.MONTHS_ES[d.month - 1], 0.31),
                ("de", str(d.year), 0.2),
            ],
            s + 9,
            hand,
        ),
        ("scrawl", ["Firma del titular o de su representante legal", "Firma del representante autorizado"], s + 10),
    ]
    if w:
        b.append(("fill", [("Testigo D./D.ª:", w.full.upper(), 0.66), ("DNI/NIE:", w.nif, 0.34)], s + 11, hand))
    return b


ADMIN_FIRMS = [
    "Administraciones Ceballos y Asociados, S.L.",
    "Gestión de Fincas del Moncayo, S.L.",
    "Fincas Urquijo Administradores, S.L.",
    "Administración Integral de Comunidades Pedraza, S.L.",
]
COLEGIO_AF = {"Madrid": "Madrid", "Zaragoza": "Aragón", "Valencia": "Valencia", "Sevilla": "Sevilla"}


@template("h9_certificado_secretario_administrador_es", "manager_mandate", "es", community=True)
def h9_certificado_secretario(doc: Doc) -> list[tuple]:
    """Community of owners' certificate on the property administrator firm's letterhead: its colegiado, appointed
    secretary-administrator, certifies the literal resolution that hires the firm and dismisses the former
    secretary-administrator; the president's Vº Bº with his DNI."""
    a, pres, o = doc.people["appointed"], doc.people["president"], doc.people["outgoing"]
    comp, cif = doc.company
    firm, fcif = doc.extra["gestora"]
    meet = doc.other_dates["meeting"]
    rr = _r(doc, 8)
    ital = "DejaVuSerif-Italic.ttf" if doc.v % 2 else "LiberationSerif-Italic.ttf"
    _style(
        doc,
        "DejaVuSerif.ttf" if doc.v % 2 else "LiberationSerif-Regular.ttf",
        "DejaVuSerif-Bold.ttf" if doc.v % 2 else "LiberationSerif-Bold.ttf",
        36 if doc.v % 2 else 41,
        justify=True,
        leading=1.45,
    )
    doc.style.footer = f"{firm} · C.I.F. {fcif} · {_street(rr)} · {doc.city}"
    col = rr.randrange(100, 4999)
    colegio = COLEGIO_AF.get(doc.city, K.COLEGIO.get(doc.city, "Madrid"))
    sa = "SECRETARIA-ADMINISTRADORA" if a.female else "SECRETARIO-ADMINISTRADOR"
    pt = "Presidenta" if pres.female else "Presidente"
    conv = rr.choice(["primera", "segunda"])
    punto = rr.choice(["TERCERO", "CUARTO", "QUINTO"])
    initials = "".join(x[0] for x in firm.split()[:2]).upper()
    quote = (
        f"«{punto}.- Nombramiento de cargos y contratación de la administración. Tras deliberar sobre las ofertas "
        f"presentadas, la Junta acuerda, por mayoría de {rr.randrange(12, 40)} votos a favor que representan el "
        f"{rr.randrange(55, 88)},{rr.randrange(10, 99)} % de las cuotas: (i) cesar a {_dd(o)}, con D.N.I. "
        f"{fmt_nif(o.nif, doc.fmt)}, en el cargo de Secretari{_o(o)}-Administrador{'a' if o.female else ''} que "
        f"venía desempeñando, aprobando su gestión; (ii) contratar los servicios profesionales de administración de "
        f"fincas de la mercantil {firm}, con C.I.F. {fmt_cif(fcif, doc.fmt)}; y (iii) nombrar "
        f"Secretari{_o(a)}-Administrador{'a' if a.female else ''} de la Comunidad a su administrador{'a' if a.female else ''} "
        f"colegiad{_o(a)} {_dd(a)}, a quien se faculta para contratar, modificar y dar de baja los suministros de "
        f"electricidad, gas y agua de los elementos comunes ante las compañías distribuidoras y comercializadoras, "
        f"y para firmar cuantos documentos sean precisos.»"
    )
    return [
        ("logo", initials, firm, f"Administración de fincas · Colegiado n.º {col}"),
        ("h", "CERTIFICADO", 1.3, "c"),
        (
            "p",
            f"{_dd(a).upper()}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, Administrador{'a' if a.female else ''} "
            f"de Fincas colegiad{_o(a)} n.º {col} del Colegio Territorial de {colegio}, en representación de {firm}, "
            f"en su calidad de {sa} de la {comp}, con C.I.F. {fmt_cif(cif, doc.fmt)},",
        ),
        ("h", "CERTIFICA:", 1.0, "l"),
        (
            "p",
            f"Que en el Libro de Actas de la Comunidad consta el acta de la Junta General Extraordinaria de "
            f"propietarios celebrada el día {date_text(meet, 'es', 'long')}, en {conv} convocatoria, en la que, en el "
            f"punto {punto.lower()} del orden del día, se adoptó el siguiente acuerdo, que se transcribe literalmente:",
        ),
        ("quote", quote, ital),
        (
            "p",
            f"Que el acta fue firmada por {'la' if pres.female else 'el'} {pt} y el Secretario, sin que conste "
            f"impugnación del acuerdo. Y para que conste y surta efectos ante las compañías suministradoras, expido el "
            f"presente certificado con el Visto Bueno {'de la' if pres.female else 'del'} {pt}, en {doc.city}, a "
            f"{date_text(doc.date, 'es', ['long', 'long', 'num', 'words'][doc.v])}.",
        ),
        (
            "scrawl",
            [
                f"Vº Bº {'LA' if pres.female else 'EL'} {pt.upper()}: {pres.full}",
                f"{'LA' if a.female else 'EL'} {sa}: {a.full}",
            ],
            doc.seed + 8,
        ),
        ("pl", f"D.N.I. {pt.lower()}: {fmt_nif(pres.nif, doc.fmt + 2)}"),
        ("gap", 4),
        ("seal", [comp.upper()[:30], doc.city.upper()], 1, 0.62),
    ]


ENGINYERIES = [
    "Enginyeria Energètica del Vallès, S.L.",
    "Kilowatt Enginyers Associats, S.L.P.",
    "Eficiència Tèrmica i Elèctrica, S.L.",
    "Terra Alta Enginyeria Energètica, S.L.",
    "Osona Enginyeria i Energia, S.L.P.",
]


@template("h9_contracte_mandat_enginyeria_ca", "manager_mandate", "ca", witness=True, enginyeria=True)
def h9_contracte_mandat(doc: Doc) -> list[tuple]:
    """Catalan mandate contract between a company and an "enginyeria energètica": the clauses speak only of
    "L'ENGINYERIA"; the mandatary's representative (name and DNI) only in the ruled signature table at the end
    (an optional witness column)."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    eng, ecif = doc.extra["gestora"]
    rr = _r(doc, 9)
    _style(doc, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf", 40, justify=True, leading=1.38)
    doc.style.header = f"Contracte de mandat · Ref. {rr.randrange(100, 999)}/{doc.date.year}"
    carrec = rr.choice(
        [
            "gerent",
            "administradora única" if g.female else "administrador únic",
            "apoderada" if g.female else "apoderat",
        ]
    )
    carrec_a = rr.choice(["director tècnic", "enginyer industrial col·legiat", "gerent"])
    if a.female:
        carrec_a = {
            "director tècnic": "directora tècnica",
            "enginyer industrial col·legiat": "enginyera industrial col·legiada",
        }.get(carrec_a, carrec_a)
    date = date_text(doc.date, "ca", ["long", "num", "long", "words"][doc.v])
    clauses = [
        "PRIMERA. Objecte. EL MANDANT encarrega a L'ENGINYERIA, que l'accepta, la gestió dels seus subministraments "
        "d'energia: contractar, modificar i resoldre en nom seu els contractes de subministrament i d'accés a la "
        "xarxa, sol·licitar canvis de potència, de tarifa i de comercialitzadora, i presentar reclamacions.",
        "SEGONA. Representació. A aquests efectes EL MANDANT atorga a L'ENGINYERIA mandat amb representació, que "
        "exercirà per mitjà de la persona que signa aquest contracte en nom seu.",
        f"TERCERA. Durada. El mandat és vigent des de la signatura fins al {_num(doc.other_dates['until'])}.",
        f"QUARTA. Honoraris. {rr.randrange(90, 400)} euros mensuals, més IVA, per punt de subministrament gestionat.",
        "CINQUENA. Dades personals. Les parts tractaran les dades d'acord amb el Reglament (UE) 2016/679.",
    ]
    headers = ["EL MANDANT", "EL MANDATARI"] + (["TESTIMONI"] if w else [])
    rows = [
        [f"Nom: {g.full}", f"Nom: {a.full}"] + ([f"Nom: {w.full}"] if w else []),
        [f"DNI: {fmt_nif(g.nif, doc.fmt)}", f"DNI/NIE: {fmt_nif(a.nif, doc.fmt + 1)}"]
        + ([f"DNI: {fmt_nif(w.nif, doc.fmt)}"] if w else []),
        [f"Càrrec: {carrec}", f"Càrrec: {carrec_a}"] + (["—"] if w else []),
    ]
    return (
        [
            ("h", "CONTRACTE DE MANDAT PER A LA GESTIÓ ENERGÈTICA", 1.15, "c"),
            ("h", "REUNITS", 0.95, "l"),
            (
                "p",
                f"D'una banda, {_ca(g)}, amb DNI {fmt_nif(g.nif, doc.fmt)}, en nom i representació de {comp.upper()}, amb "
                f"NIF {fmt_cif(cif, doc.fmt)}, en qualitat de {carrec} (en endavant, EL MANDANT).",
            ),
            (
                "p",
                f"D'altra banda, {eng.upper()}, amb NIF {fmt_cif(ecif, doc.fmt + 1)} i domicili a {_street(rr, 'ca')}, "
                f"{rr.choice(K.CITIES_CA)}, representada per la persona que signa al final d'aquest document (en "
                f"endavant, L'ENGINYERIA o EL MANDATARI).",
            ),
            (
                "p",
                "Les parts es reconeixen la capacitat necessària per atorgar aquest contracte, que es regeix per les següents",
            ),
            ("h", "CLÀUSULES", 0.95, "l"),
        ]
        + [("p", c) for c in clauses]
        + [
            (
                "p",
                f"I, en prova de conformitat, les parts signen aquest contracte per duplicat a {doc.city}, el {date}.",
            ),
            ("sigtab", headers, rows, doc.seed + 9),
        ]
    )


# =========================================================================== ID documents


def _copy_sheet() -> Image.Image:
    return Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)


def _grey(im: Image.Image, gain: float = 1.04) -> Image.Image:
    return im.convert("L").point(lambda v: min(255, int(v * gain)))


def _tilt(im: Image.Image, angle: float) -> Image.Image:
    return im.rotate(angle, expand=True, fillcolor=255, resample=Image.BICUBIC)


def _dmy(d: dt.date, sep: str = " ") -> str:
    return d.strftime(f"%d{sep}%m{sep}%Y")


@template("h9_id_dni30_fotocopia_es", "id_document", "es", paper=True, dni30=True)
def h9_dni30_fotocopia(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi) of both sides of a DNI 3.0 (older model): the DNI number under the title, APELLIDOS
    on two lines, NOMBRE, SEXO, NACIONALIDAD, FECHA DE NACIMIENTO, IDESP, EMISIÓN and VÁLIDO HASTA; birthplace,
    parents, address and the TD1 MRZ on the back; "es copia del original" and a signature by hand."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    rr = _r(doc, 20)
    L, B = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
    front = K.card_base(doc.seed, (222, 214, 226))
    d = ImageDraw.Draw(front)
    d.text((60, 34), "ESPAÑA", font=_f(B, 64), fill=(150, 30, 40))
    d.text((400, 52), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(B, 40), fill=(40, 40, 100))
    d.text((60, 130), "DNI", font=_f(L, 30), fill=(90, 60, 70))
    d.text((140, 118), p.nif, font=_f("DejaVuSansMono-Bold.ttf", 60), fill=(120, 20, 30))
    d.rectangle([60, 230, 540, 860], fill=(160, 154, 150))
    lab, val = _f(L, 27), _f(B, 44)
    y = 215
    d.text((600, y), "APELLIDOS", font=lab, fill=(80, 70, 90))
    d.text((600, y + 32), p.s1.upper(), font=val, fill=(10, 10, 10))
    d.text((600, y + 86), p.s2.upper() if p.s2 else "", font=val, fill=(10, 10, 10))
    y += 160
    d.text((600, y), "NOMBRE", font=lab, fill=(80, 70, 90))
    d.text((600, y + 32), p.given.upper(), font=val, fill=(10, 10, 10))
    y += 110
    d.text((600, y), "SEXO", font=lab, fill=(80, 70, 90))
    d.text((600, y + 32), "F" if p.female else "M", font=val, fill=(10, 10, 10))
    d.text((800, y), "NACIONALIDAD", font=lab, fill=(80, 70, 90))
    d.text((800, y + 32), "ESP", font=val, fill=(10, 10, 10))
    y += 110
    d.text((600, y), "FECHA DE NACIMIENTO", font=lab, fill=(80, 70, 90))
    d.text((600, y + 32), _dmy(birth), font=val, fill=(10, 10, 10))
    d.text((1200, y), "IDESP", font=lab, fill=(80, 70, 90))
    d.text((1200, y + 32), doc.extra["support"], font=val, fill=(10, 10, 10))
    y += 110
    d.text((600, y), "EMISIÓN", font=lab, fill=(80, 70, 90))
    d.text((600, y + 32), _dmy(iss), font=val, fill=(10, 10, 10))
    d.text((1050, y), "VÁLIDO HASTA", font=lab, fill=(80, 70, 90))
    d.text((1050, y + 32), _dmy(exp), font=val, fill=(10, 10, 10))
    d.rounded_rectangle([1640, 260, 1900, 470], radius=30, outline=(150, 130, 60), width=4)  # chip
    d.line([(120, 1100), (260, 1040), (330, 1110), (470, 1030)], fill=(30, 30, 80), width=4)
    back = K.card_base(doc.seed + 3, (226, 224, 230))
    d2 = ImageDraw.Draw(back)
    rows = [
        ("LUGAR DE NACIMIENTO", f"{rr.choice(K.CITIES).upper()}"),
        (
            "HIJO/A DE",
            f"{rr.choice(['MANUEL', 'FRANCISCO', 'JOSE', 'ANGEL'])} / {rr.choice(['CARMEN', 'DOLORES', 'ISABEL'])}",
        ),
        (
            "DOMICILIO",
            f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 140)} P0{rr.randrange(1, 9)} {rr.choice('ABCD')}",
        ),
        ("", f"{doc.city.upper()}"),
    ]
    y = 40
    for lb, v in rows:
        if lb:
            d2.text((60, y), lb, font=_f(L, 27), fill=(80, 70, 90))
            y += 31
        d2.text((60, y), v, font=_f(B, 40), fill=(20, 20, 20))
        y += 66
    d2.text((1480, 60), "EQUIPO", font=_f(L, 27), fill=(80, 70, 90))
    d2.text(
        (1480, 92),
        f"{rr.randrange(10, 52)}{rr.randrange(100, 999)}D{rr.randrange(10, 99)}",
        font=_f(B, 40),
        fill=(20, 20, 20),
    )
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 864 + i * 121), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    sheet = _copy_sheet()
    a1, a2 = rr.uniform(-1.2, 1.2), rr.uniform(-1.2, 1.2)
    x = rr.randrange(500, 2300)
    _paste_dark(sheet, _tilt(_grey(front), a1), (x, 700))
    _paste_dark(sheet, _tilt(_grey(back), a2), (x + rr.randrange(-200, 200), 700 + 1276 + 420))
    sd = ImageDraw.Draw(sheet)
    hand = HANDS[doc.v % 2]
    _draw_hand(sheet, sd, ("draw", None, 700, 4150, "Es copia fiel del original", hand, 110, doc.seed + 1, 40), 2)
    H4._draw_scribble(sheet, sd, ("draw", None, 900, 4700, 1200, doc.seed + 2), 2)
    return [sheet.convert("RGB")]


EU9 = [  # (given, surname 1, surname 2, sex, country)
    ("Francesca", "Lombardi", "", "F", "ITA"),
    ("Giuseppe", "Esposito", "", "M", "ITA"),
    ("Chiara", "De Luca", "", "F", "ITA"),
    ("Lorenzo", "Colombo", "", "M", "ITA"),
    ("João Pedro", "Gonçalves", "Moreira", "M", "PRT"),
    ("Inês", "Carvalho", "Sousa", "F", "PRT"),
    ("Ana Rita", "Pereira", "da Costa", "F", "PRT"),
    ("Rui", "Figueiredo", "Lopes", "M", "PRT"),
]
IT_TOWNS = [("ROMA", "RM"), ("NAPOLI", "NA"), ("TORINO", "TO"), ("BARI", "BA"), ("GENOVA", "GE"), ("PALERMO", "PA")]
CF_MONTH = "ABCDEHLMPRST"


def make_eu_person(rng: random.Random) -> Person:
    g, s1, s2, sex, _ = rng.choice(EU9)
    return Person(g, s1, s2, K.make_nie(rng), sex)


def _eu_country(p: Person) -> str:
    return next((t[4] for t in EU9 if (t[0], t[1]) == (p.given, p.s1)), "ITA")


def _td1(doc_code: str, state: str, number: str, optional1: str, birth, sex, expiry, nat, person) -> list[str]:
    """ICAO 9303 TD1 of another issuing state (corpus2's td1_mrz writes ESP)."""
    num = number.ljust(9, "<")[:9]
    l1 = f"{doc_code:<2s}{state}{num}{K.mrz_check(num)}{optional1.ljust(15, '<')[:15]}"
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    l2 = f"{b}{K.mrz_check(b)}{sex}{e}{K.mrz_check(e)}{nat}" + "<" * 11
    l2 += K.mrz_check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29])
    name = K._mrz_name(person.surnames).strip("<")
    while "<<" in name:
        name = name.replace("<<", "<")
    l3 = (f"{name}<<{K._mrz_name(person.given).strip('<')}" + "<" * 30)[:30]
    assert len(l1) == len(l2) == len(l3) == 30, (l1, l2, l3)
    return [l1, l2, l3]


def _codice_fiscale(p: Person, birth: dt.date, rr: random.Random) -> str:
    cons = lambda s: [c for c in K._mrz_name(s) if c.isalpha() and c not in "AEIOU"]  # noqa: E731
    vow = lambda s: [c for c in K._mrz_name(s) if c in "AEIOU"]  # noqa: E731
    sur = (cons(p.surnames) + vow(p.surnames) + ["X"] * 3)[:3]
    cg = cons(p.given)
    giv = [cg[0], cg[2], cg[3]] if len(cg) > 3 else (cg + vow(p.given) + ["X"] * 3)[:3]
    day = birth.day + (40 if p.female else 0)
    return (
        "".join(sur + giv)
        + f"{birth.year % 100:02d}{CF_MONTH[birth.month - 1]}{day:02d}"
        + f"{rr.choice('FHLG')}{rr.randrange(100, 999)}{rr.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
    )


def _card_ita(doc: Doc, p: Person, rr: random.Random) -> list[Image.Image]:
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    town, prov = rr.choice(IT_TOWNS)
    number = (
        f"C{rr.choice('ABCDEFGHJ')}{rr.randrange(10**4, 10**5)}{rr.choice('ABCDEFGHJKL')}{rr.choice('ABCDEFGHJKL')}"
    )
    L, B = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
    front = K.card_base(doc.seed + 7, (214, 226, 232))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "REPUBBLICA ITALIANA", font=_f(B, 50), fill=(30, 60, 110))
    d.text((60, 100), "MINISTERO DELL'INTERNO · CARTA DI IDENTITÀ / IDENTITY CARD", font=_f(L, 30), fill=(30, 60, 110))
    d.text((1560, 36), number, font=_f("DejaVuSansMono-Bold.ttf", 52), fill=(150, 30, 30))
    d.rectangle([60, 200, 520, 800], fill=(158, 160, 164))
    lab, val = _f(L, 25), _f(B, 42)
    cells = [
        ((570, 180), "COMUNE DI / MUNICIPALITY", f"{town}"),
        ((570, 290), "COGNOME / SURNAME", p.surnames.upper()),
        ((570, 400), "NOME / NAME", p.given.upper()),
        (
            (570, 510),
            "LUOGO E DATA DI NASCITA / PLACE AND DATE OF BIRTH",
            f"{rr.choice(IT_TOWNS)[0]} {_dmy(birth, '.')}",
        ),
        ((570, 620), "SESSO / SEX", "F" if p.female else "M"),
        ((900, 620), "STATURA / HEIGHT", str(rr.randrange(155, 192))),
        ((1300, 620), "CITTADINANZA / NATIONALITY", "ITA"),
        ((570, 730), "EMISSIONE / ISSUING", _dmy(iss, ".")),
        ((1100, 730), "SCADENZA / EXPIRY", _dmy(exp, ".")),
    ]
    for (x, y), lb, v in cells:
        d.text((x, y), lb, font=lab, fill=(70, 80, 100))
        d.text((x, y + 30), v, font=val, fill=(10, 10, 10))
    d.text((60, 860), "FIRMA DEL TITOLARE / HOLDER'S SIGNATURE", font=lab, fill=(70, 80, 100))
    d.line([(90, 990), (240, 930), (320, 985), (470, 920)], fill=(30, 30, 90), width=4)
    back = K.card_base(doc.seed + 8, (222, 230, 234))
    d2 = ImageDraw.Draw(back)
    cf = _codice_fiscale(p, birth, rr)
    rows = [
        ("CODICE FISCALE / FISCAL CODE", cf),
        (
            "INDIRIZZO DI RESIDENZA / RESIDENCE",
            f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 90)}, {doc.city.upper()} (E)",
        ),
        ("ESTREMI ATTO DI NASCITA", f"{rr.randrange(10, 999)} / {rr.choice(['I', 'II'])} / {birth.year}"),
        ("COMUNE DI RILASCIO", f"{town} ({prov})"),
    ]
    for i, (lb, v) in enumerate(rows):
        d2.text((60, 40 + i * 106), lb, font=lab, fill=(70, 80, 100))
        d2.text((60, 72 + i * 106), v, font=_f(B, 40), fill=(20, 20, 20))
    mrz = _td1("C<", "ITA", number, "", birth, "F" if p.female else "M", exp, "ITA", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 866 + i * 120), ln, font=_f("DejaVuSansMono.ttf", 68), fill=(0, 0, 0))
    return [front, back]


def _card_prt(doc: Doc, p: Person, rr: random.Random) -> list[Image.Image]:
    exp, birth = doc.date, doc.other_dates["birth"]
    civil = f"{rr.randrange(10**7, 10**8)}"
    number = f"{civil}{rr.randrange(10)}{rr.choice('ZXWY')}{rr.choice('ZXWY')}{rr.randrange(10)}"
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    front = K.card_base(doc.seed + 7, (226, 228, 214))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "REPÚBLICA PORTUGUESA", font=_f(B, 50), fill=(30, 90, 50))
    d.text((60, 100), "CARTÃO DE CIDADÃO / CITIZEN CARD", font=_f(L, 34), fill=(30, 90, 50))
    d.rectangle([60, 200, 520, 800], fill=(160, 160, 152))
    lab, val = _f(L, 26), _f(B, 44)
    cells = [
        ((570, 190), "APELIDO(S) / SURNAME", p.surnames.upper()),
        ((570, 300), "NOME(S) / GIVEN NAME(S)", p.given.upper()),
        ((570, 410), "SEXO / SEX", "F" if p.female else "M"),
        ((850, 410), "ALTURA / HEIGHT", f"1,{rr.randrange(55, 92)}"),
        ((1250, 410), "NACIONALIDADE / NATIONALITY", "PRT"),
        ((570, 520), "DATA DE NASCIMENTO / DATE OF BIRTH", _dmy(birth)),
        ((570, 630), "N.º DOCUMENTO / DOCUMENT No.", f"{civil} {number[8]} {number[9:]}"),
        ((1250, 630), "DATA DE VALIDADE / EXPIRY DATE", _dmy(exp)),
    ]
    for (x, y), lb, v in cells:
        d.text((x, y), lb, font=lab, fill=(70, 90, 70))
        d.text((x, y + 31), v, font=val, fill=(10, 10, 10))
    d.line([(600, 1000), (760, 930), (840, 990), (1000, 920)], fill=(30, 30, 90), width=4)
    back = K.card_base(doc.seed + 8, (228, 230, 220))
    d2 = ImageDraw.Draw(back)
    rows = [
        (
            "FILIAÇÃO / FILIATION",
            f"{rr.choice(['MANUEL', 'ANTÓNIO', 'JOSÉ'])} {p.s1.upper()} * {rr.choice(['MARIA', 'ROSA', 'FÁTIMA'])} {rr.choice(['SILVA', 'SANTOS', 'COSTA'])}",
        ),
        ("N.º IDENTIFICAÇÃO FISCAL / TAX No.", f"{rr.choice('12')}{rr.randrange(10**7, 10**8)}"),
        ("N.º SEGURANÇA SOCIAL", f"1{rr.randrange(10**9, 10**10)}"),
        ("N.º UTENTE DE SAÚDE", f"{rr.randrange(10**8, 10**9)}"),
    ]
    for i, (lb, v) in enumerate(rows):
        d2.text((60, 40 + i * 104), lb, font=lab, fill=(70, 90, 70))
        d2.text((60, 72 + i * 104), v, font=_f(B, 40), fill=(20, 20, 20))
    mrz = _td1("I<", "PRT", number[:9], number[9:], birth, "F" if p.female else "M", exp, "PRT", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 866 + i * 120), ln, font=_f("LiberationMono-Regular.ttf", 70), fill=(0, 0, 0))
    return [front, back]


@template("h9_id_ue_registro_cartao_cie_es", "id_document", "es", paper=True, eu=True)
def h9_ue_registro_cartao_cie(doc: Doc) -> list[Image.Image]:
    """A4 sheet (600 dpi): the Spanish "certificado de registro de ciudadano de la Unión" on top (NIE, its own date,
    no expiry) and both sides of the holder's Italian CIE or Portuguese Cartão de Cidadão side by side below."""
    p = doc.people["appointed"]
    country = _eu_country(p)
    cert_d = doc.other_dates["registration"]
    rr = _r(doc, 21)
    cards = _card_ita(doc, p, rr) if country == "ITA" else _card_prt(doc, p, rr)
    nat = "ITALIA" if country == "ITA" else "PORTUGAL"
    cert = [
        ("pl", "MINISTERIO DEL INTERIOR · DIRECCIÓN GENERAL DE LA POLICÍA"),
        ("pl", f"Comisaría Provincial de {doc.city} · Unidad de Documentación de Extranjeros"),
        ("h", "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", 1.1, "c"),
        (
            "p",
            "Conforme al Real Decreto 240/2007, de 16 de febrero, se certifica que ha quedado inscrito en el Registro "
            "Central de Extranjeros:",
        ),
        (
            "table",
            [0.34, 0.66],
            [
                ["Dato", "Contenido"],
                ["Nombre", p.given.upper()],
                ["Apellidos", p.surnames.upper()],
                ["Nacionalidad", nat],
                ["N.I.E.", p.nif],
                ["Domicilio", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 120)}, {doc.city.upper()}"],
                ["Fecha de registro", _num(cert_d)],
            ],
        ),
        ("pl", f"{doc.city}, {date_text(cert_d, 'es', 'long')}"),
        ("stamp", ["POLICÍA NACIONAL", "EXTRANJERÍA", doc.city.upper()]),
    ]
    st = K.Style(
        font="LiberationSerif-Regular.ttf", bold="LiberationSerif-Bold.ttf", size=40, justify=True, margin_t=180
    )
    page = K.render_pages(cert, st, dpi=600)[0]
    sheet = _copy_sheet()
    top = 3700
    _paste_dark(sheet, page.crop((0, 0, page.width, top)), (0, 0))
    sd = ImageDraw.Draw(sheet)
    sd.line([(200, top + 60), (sheet.width - 200, top + 60)], fill=150, width=4)
    y = top + 420
    x0 = rr.randrange(260, 360)
    _paste_dark(sheet, _grey(cards[0]), (x0, y))
    _paste_dark(sheet, _grey(cards[1]), (x0 + 2022 + rr.randrange(140, 260), y + rr.randrange(-60, 60)))
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h9_sustitucion_poder_es", ["clean", "photo", "pdf_scan"], ["clean"]),
        ("h9_poder_empresari_individual_ca", ["clean", "rot90"], ["photo"]),
        ("h9_nombramiento_mancomunados_es", ["clean", "skew", "pdf_text"], []),
        ("h9_certificacion_historial_inscripciones_es", ["clean", "pdf_text", "noisy"], ["pdf_text"]),
        ("h9_nota_simple_ca", ["photo", "lowcontrast"], []),
        ("h9_autorizacion_distribuidora_manuscrita_es", ["clean", "photo", "jpeg200"], ["photo"]),
        ("h9_certificado_secretario_administrador_es", ["clean", "rot180", "dpi600"], []),
        ("h9_contracte_mandat_enginyeria_ca", ["pdf_scan", "tiff"], ["clean"]),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h9_sustitucion_poder_es", "grantor_claims", ["clean", "photo"], ["clean"]),
        ("h9_sustitucion_poder_es", "notary_claims", ["pdf_text"], []),
        ("h9_sustitucion_poder_es", "lookalike_claims", ["clean"], []),
        ("h9_poder_empresari_individual_ca", "nif_off_claims", ["clean"], []),
        ("h9_poder_empresari_individual_ca", "lookalike_claims", ["pdf_text"], []),
        ("h9_acta_manifestaciones_dimision_es", "outgoing_claims", ["clean", "photo", "pdf_text"], ["clean"]),
        ("h9_acta_manifestaciones_dimision_es", "notary_claims", ["clean"], []),
        ("h9_acta_manifestaciones_dimision_es", "lookalike_claims", ["skew"], []),
        ("h9_nombramiento_mancomunados_es", "outgoing_claims", ["clean", "jpeg200"], []),
        ("h9_nombramiento_mancomunados_es", "secretary_claims", ["photo"], ["photo"]),
        ("h9_certificacion_historial_inscripciones_es", "stale_certificate", ["clean"], ["clean"]),
        ("h9_certificacion_historial_inscripciones_es", "undated_certificate", ["clean"], []),
        ("h9_certificacion_historial_inscripciones_es", "outgoing_claims", ["photo"], []),
        ("h9_nota_simple_ca", "stale_certificate", ["pdf_text"], []),
        ("h9_nota_simple_ca", "outgoing_claims", ["clean"], []),
        ("h9_autorizacion_distribuidora_manuscrita_es", "grantor_claims", ["clean"], []),
        ("h9_autorizacion_distribuidora_manuscrita_es", "witness_claims", ["photo"], []),
        ("h9_certificado_secretario_administrador_es", "president_claims", ["clean"], []),
        ("h9_certificado_secretario_administrador_es", "nif_off_claims", ["photo"], []),
        ("h9_certificado_secretario_administrador_es", "outgoing_claims", ["pdf_text"], []),
        ("h9_contracte_mandat_enginyeria_ca", "future_mandate", ["clean", "pdf_text"], ["pdf_text"]),
        ("h9_contracte_mandat_enginyeria_ca", "grantor_claims", ["clean"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h9_sustitucion_poder_es", "clean", "h9_id_dni30_fotocopia_es", "clean", False),
        ("h9_autorizacion_distribuidora_manuscrita_es", "clean", "h9_id_ue_registro_cartao_cie_es", "clean", False),
        ("h9_nombramiento_mancomunados_es", "photo", "h9_id_dni30_fotocopia_es", "rot90", True),
        ("h9_certificacion_historial_inscripciones_es", "clean", "h9_id_ue_registro_cartao_cie_es", "photo", False),
        ("h9_poder_empresari_individual_ca", "clean", "h9_id_dni30_fotocopia_es", "skew", False),
        ("h9_contracte_mandat_enginyeria_ca", "photo", "h9_id_ue_registro_cartao_cie_es", "lowcontrast", False),
        ("h9_certificado_secretario_administrador_es", "clean", "h9_id_dni30_fotocopia_es", "jpeg200", True),
        ("h9_nota_simple_ca", "pdf_text", "h9_id_ue_registro_cartao_cie_es", "rot180", False),
    ],
    "small_sets": 2,
}


def _id_dates(doc: Doc, rng: random.Random, upload: dt.date, expired: bool, t: dict):
    """Issue / expiry / birth dates as the issuing authority sets them."""

    def day(y: int, m: int) -> dt.date:
        return dt.date(y, m, rng.randrange(1, 29))

    if t.get("dni30"):  # the DNI 3.0 was issued from 2015 to 2021: five years under 30, ten years from 30
        if expired and rng.random() < 0.6:
            iss = dt.date(2015, 7, 1) + dt.timedelta(days=rng.randrange(0, 2100))
            iss = iss.replace(day=min(iss.day, 28))
            exp = iss.replace(year=iss.year + 5)
            birth = day(iss.year - rng.randrange(19, 29), rng.randrange(1, 13))
        elif expired:
            iss = dt.date(2015, 7, 1) + dt.timedelta(days=rng.randrange(0, 450))
            iss = iss.replace(day=min(iss.day, 28))
            exp = iss.replace(year=iss.year + 10)
            birth = day(iss.year - rng.randrange(30, 66), rng.randrange(1, 13))
        else:
            iss = dt.date(2017, 1, 5) + dt.timedelta(days=rng.randrange(0, 1600))
            iss = iss.replace(day=min(iss.day, 28))
            exp = iss.replace(year=iss.year + 10)
            birth = day(iss.year - rng.randrange(30, 66), rng.randrange(1, 13))
    else:  # an Italian CIE runs to the birthday after ten years; a Portuguese card ten years
        birth = day(rng.randrange(1958, 1998), rng.randrange(1, 13))
        span = rng.randrange(3700, 4300) if expired else rng.randrange(120, 3300)
        iss = upload - dt.timedelta(days=span)
        iss = iss.replace(day=min(iss.day, 28))
        if _eu_country(doc.people["appointed"]) == "ITA":
            exp = birth.replace(year=iss.year + 10)
            if exp < iss.replace(year=iss.year + 10):
                exp = exp.replace(year=exp.year + 1)
        else:
            exp = iss.replace(year=iss.year + 10)
        first, last = iss + dt.timedelta(days=20), upload - dt.timedelta(days=15)
        doc.other_dates["registration"] = first + dt.timedelta(days=rng.randrange(0, max(1, (last - first).days)))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _spanish_holder(rng: random.Random) -> Person:
    return make_person9(rng, "es", dot_ok=False)


def _holder(idname: str):
    """The maker of an ID card's holder (see corpus2.plan_part)."""
    return make_eu_person if TEMPLATES[idname].get("eu") else _spanish_holder


def _add(doc: Doc, rng: random.Random, key: str, role: str, nif: bool = True, nie: bool = False):
    K.add_person(doc, key, role, make_person9(rng, doc.lang, nie=nie), nif)


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
                doc.people[k] = make_person9(rng, lang, nie=p.nif[0] in "XYZ")
    if doc.notary and rng.random() < 0.5:
        doc.notary = make_person9(rng, lang)
    if t.get("subst"):  # the administrator who granted the earlier power and its notary are only quoted
        _add(doc, rng, "orig_admin", "other", nif=False)
        _add(doc, rng, "prior_notary", "notary", nif=False)
        doc.other_dates["old_power"] = doc.date - dt.timedelta(days=rng.randrange(200, 2500))
        doc.extra["old_protocol"] = rng.randrange(1000, 4800)
    if t.get("sole_trader"):  # a natural person in business: his DNI is the business NIF
        g = doc.people["grantor"]
        if g.nif[0] in "XYZ":
            doc.people["grantor"] = g = make_person9(rng, lang)
        trade, brand = rng.choice(TRADES)
        doc.extra["trade"] = (trade, brand.format(s=g.s1))
        doc.company = (g.full, g.nif)
    if t.get("acta"):  # only declarations: the former administrator and the partner he informed
        K.drop_people(doc, "appointed")
        _add(doc, rng, "partner", "other", nif=False)  # named without his DNI
        doc.other_dates["old_appointment"] = doc.date - dt.timedelta(days=rng.randrange(500, 3000))
        doc.other_dates["resignation"] = doc.date - dt.timedelta(days=rng.randrange(3, 40))
        if doc.date >= upload - dt.timedelta(days=2):
            doc.date = upload - dt.timedelta(days=rng.randrange(3, 30))
            doc.other_dates["resignation"] = doc.date - dt.timedelta(days=rng.randrange(3, 40))
    if t.get("joint"):
        _add(doc, rng, "appointed2", "appointed", nie=rng.random() < 0.25)
        _add(doc, rng, "secretary", "other")
        _add(doc, rng, "president", "other", nif=False)
    if doc.doc_type == "registry_certificate":  # the sheet's letters are those of the registry's province
        doc.extra["hoja"] = f"{H5.HOJA.get(_rm(doc), 'M')}-{doc.extra['hoja'].split('-')[1]}"
        od = doc.other_dates
        _add(doc, rng, "proxy", "other")
        od["proxy"] = K.day_between(rng, od["old_appointment"], od["appointment"])
        if t.get("nota"):
            doc.registrar = None
        if t.get("hist"):
            _add(doc, rng, "founder_admin", "outgoing")
            od["constitution"] = od["old_appointment"] - dt.timedelta(days=rng.randrange(400, 3000))
            io = rng.randrange(2, 6)
            doc.extra.update(ins_founder=1, ins_old=io, ins_proxy=io + 1, ins_new=io + rng.randrange(2, 5))
    if case == "stale_certificate" and t.get("hist"):
        doc.date = upload - dt.timedelta(days=rng.randrange(100, 201))  # only just older than the 90 days allowed
    if doc.doc_type == "manager_mandate":
        doc.extra["gestora"] = (
            rng.choice(ADMIN_FIRMS if t.get("community") else ENGINYERIES if t.get("enginyeria") else GESTORAS9),
            K.make_cif(rng, "B"),
        )
        doc.extra["distribuidora"] = rng.choice(DISTRIBUIDORAS)
        if not t.get("witness"):
            K.drop_people(doc, "witness")
    if t.get("community"):  # the owners appoint the administrator: nobody grants
        cname, ccif, city = K.make_community(rng, lang)
        doc.company, doc.city = (cname, ccif), city
        K.drop_people(doc, "grantor")
        _add(doc, rng, "president", "other")
        _add(doc, rng, "outgoing", "outgoing")
        doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(3, 50))
    if case == "future_mandate":  # signed after the upload: must not be clear
        doc.date = upload + dt.timedelta(days=rng.randrange(3, 45))
        doc.other_dates["until"] = doc.date + dt.timedelta(days=365 * rng.choice([1, 2, 3]))
    if case == "witness_claims":
        doc.people.setdefault("witness", make_person9(rng, lang))
    if case == "undated_certificate":
        doc.extra["no_issue_date"] = True
    if case == "lookalike_claims":  # the claimed person: like the appointed one (the declarant), NOT on the page
        base = doc.people.get("appointed") or doc.people["outgoing"]
        claimed = H3.lookalike(base, rng, lang)
        while claimed.full in {p.full for p in doc.people.values()}:
            claimed = H3.lookalike(base, rng, lang)
        doc.extra["claimed"] = claimed
    return doc


def _entry(doc: Doc, part: str, variant: str, case: str, set_id: str | None, rng: random.Random) -> dict:
    t = TEMPLATES[doc.template]
    who = "outgoing" if t.get("acta") else None  # the acta names nobody appointed
    e = K.holdout_entry(doc, part, variant, case, set_id, rng, who_key=who)
    if t.get("eu") and _eu_country(doc.people["appointed"]) == "PRT":
        e["expect"]["issue_date"] = None  # the Portuguese card prints no issue date
    return e


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout9 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, entry=_entry, upload_step=4, holder=_holder)
