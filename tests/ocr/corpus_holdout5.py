"""FIFTH HOLDOUT part of the second OCR corpus (builder, rendering and manifest schema: corpus2.py).

Written apart from the dev part and the four other holdouts, without looking at the engine or at its results:
the documents are made the way notaries, registries, administrators, comparison companies and the police make
them.  Never tune the engine on these templates, nor look at which of them it misses; the part is meant to be
measured once, as an unseen set.

    python tests/ocr/corpus2.py --out DIR --part holdout5 [--profile small|full]

Templates (Spanish and Catalan):
  * powers: a general power for lawsuits ("poder general para pleitos") to court agents and lawyers named
    without identifiers plus two employees with DNI, one of them claimed; a power granted by the president of a
    community of owners, his office proved by the secretary-administrator's certificate; a special power whose
    attorney is identified only in a footnote-like annex at the foot of the deed; a power on notarial paper with
    the notary's heading on the right and a sidebar of "papel timbrado" stamps with serial numbers (FZ1234567)
    that look like identifiers; a Catalan power whose appearance and grant are typeset in small caps;
  * deeds: a merger by absorption naming the administrators of both companies (the absorbing company's board
    changes its managing director); a change of the administrative body from a sole administrator to two joint
    administrators; a Catalan deed with the parties as "D'una part / De l'altra part" (their order varies); the
    incorporation of a limited company (founding partners with their shares, first sole administrator, the
    provisional NIF in a closing note);
  * registry: a Registro Mercantil Central certificate with "Fecha de expedición" in a box at the top right and a
    history of charges, each with its own date; a Catalan "certificació" of the Registre Mercantil de Barcelona
    (board, managing director, non-director secretary); a certificate whose issue date is written in words; a
    web "nota informativa" printed from a browser (the browser's own date and URL in the margins);
  * mandates: a comparison company's mandate form with a grid of checkboxes; a bilingual Catalan | Spanish
    mandate in two columns; a mandate signed only digitally (Adobe-style signature stamps "Firmado digitalmente
    por ... Fecha: 2026.11.20 10:31:07 +01'00'", some with a representative certificate "(R: B12345678)");
    a community's certificate of the owners' resolution by the secretary-administrator with the mandate below,
    signed by the president;
  * ID documents: a DNI 3.0 (APELLIDOS / NOMBRE / SEXO / NACIONALIDAD / FECHA DE NACIMIENTO / IDESP / VÁLIDO
    HASTA, no issue date printed; TD1 MRZ); an A4 photocopy of a Spanish passport opened at the data page (TD3
    MRZ of two 44-character lines, the DNI as personal number); the white A4 "Certificado de registro de
    ciudadano de la Unión" (NIE, issue date only); an A4 Catalan print-out "còpia de la targeta de residència"
    with a summary in Catalan and both sides of the TIE.

Case kinds are those of holdout4 (true claim; outgoing, grantor, secretary, president, witness and notary claims;
lookalike and nif_off claims; stale and undated certificates; expired ID; sets of a document and the ID card).
Who is who:
  * on a power, ``outgoing_claims`` is the REVOKED attorney claiming (role "outgoing"); court agents and lawyers
    of the lawsuits power are attorneys too (role "appointed", no identifier printed);
  * the merger deed: the absorbing company's chairman who appears is ``president`` ("other"); the absorbed
    company's sole administrator is "other" (he administers another company), so is the board's continuing
    member named without an identifier;
  * the incorporation deed: the founding partners who are not the administrator are "other"; no outgoing;
  * the community power: the president who grants is "grantor", the secretary-administrator is "other";
  * former administrators in a registry history are "outgoing"; registrars are "registrar";
  * the digital mandate states no date in its text: the date that counts is that of the signature stamps (both
    parties sign the same day);
  * the DNI 3.0 prints no issue date (``expect.issue_date`` None: nothing to read); the white NIE
    certificate has ``expect.date`` / ``expect.expiry`` None and its issue date.
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
except ImportError:  # pragma: no cover
    import corpus2 as K  # type: ignore
    import corpus_holdout3 as H3  # type: ignore
    import corpus_holdout4 as H4  # type: ignore

TEMPLATES: dict[str, dict] = {}
Doc, Person = K.Doc, K.Person
fmt_nif, fmt_cif, date_text, don = K.fmt_nif, K.fmt_cif, K.date_text, K.don
words_es, words_ca, proto_printed = K.words_es, K.words_ca, K.proto_printed
PART = "holdout5"
_style, _cap, _dd, _ca, _nt, _role = H4._style, H4._cap, H4._dd, H4._ca, H4._nt, H4._role


def _r(doc: Doc, salt: int = 0) -> random.Random:
    return random.Random(doc.seed * 17 + salt)


def _rm(doc: Doc) -> str:
    return K.PROVINCE_RM.get(doc.city, doc.city)


def _de_ca(p: Person) -> str:  # "del senyor ..." / "de la senyora ..."
    return f"de la senyora {p.full}" if p.female else f"del senyor {p.full}"


def _o(p: Person) -> str:  # gender ending
    return "a" if p.female else "o"


# =========================================================================== extra block kinds
#   ("sc", text, scale)                 paragraph typeset in small caps (lower case drawn as small capitals)
#   ("foot", text[, rule])              footnote in small text, under a short rule unless ``rule`` is False
#   ("timbre", serials, office)         "papel timbrado" stamps down the left margin (height 0)
#   ("checks", [(ticked, label)], n)    checkbox grid in n columns
#   ("dsig", [(big, [small lines])])    Adobe-style digital signature stamps side by side
# plus holdout4's cols / grid / logo / scrawl / seal / qr.  The template decorator turns them into corpus2's
# ("ext", handlers, ...) blocks.


def _sc_runs(word: str) -> list[tuple[str, bool]]:
    runs: list[tuple[str, bool]] = []
    for ch in word:
        small = ch.islower()
        if runs and runs[-1][1] == small:
            runs[-1] = (runs[-1][0] + ch, small)
        else:
            runs.append((ch, small))
    return [(s.upper() if small else s, small) for s, small in runs]


def _lay_sc(b, st, x0, width, k):
    scale = b[2] if len(b) > 2 else 1.0
    fb = K._font(st.font, int(st.size * k * scale))
    fs = K._font(st.font, int(st.size * k * scale * 0.78))
    space = fb.getlength(" ")

    def wlen(w):
        return sum((fs if small else fb).getlength(s) for s, small in _sc_runs(w))

    lines: list[list[str]] = []
    cur: list[str] = []
    used = 0.0
    for w in b[1].split():
        wl = wlen(w)
        if cur and used + space + wl > width:
            lines.append(cur)
            cur, used = [], 0.0
        used = used + space + wl if cur else wl
        cur.append(w)
    if cur:
        lines.append(cur)
    lh = int(fb.size * st.leading)
    rows = [(lh, lambda y, ln=ln: [("draw", _draw_sc, x0, y, ln, fb, fs, space)]) for ln in lines]
    rows.append((int(fb.size * 0.6), lambda y: []))
    return rows


def _draw_sc(im, d, op, k):
    _, _, x, y, words, fb, fs, space = op
    base = y + fb.getmetrics()[0]
    xx = float(x)
    for w in words:
        for s, small in _sc_runs(w):
            f = fs if small else fb
            d.text((int(xx), base), s, font=f, fill=0, anchor="ls")
            xx += f.getlength(s)
        xx += space


def _lay_foot(b, st, x0, width, k):
    f = K._font(st.font, int(st.size * k * 0.72))
    lh = int(f.size * 1.3)
    rows = [(int(36 * k), lambda y: [("hline", x0, y + int(14 * k), x0 + width // 3)])] if len(b) < 3 or b[2] else []
    rows += [(lh, lambda y, ln=ln: [("text", x0, y, ln, f, False, 0)]) for ln in K._wrap(b[1], f, width)]
    return rows


def _lay_timbre(b, st, x0, width, k):
    def at(y):
        return [("draw", _draw_timbre, y, x0, b[1])]

    return [(0, at)]


def _draw_timbre(im, d, op, k):
    """Stamps of notarial paper in the left margin: the state's stamp with class, value and serial; a vertical
    legend; the notarial stamp with its own serial."""
    _, _, y, ml, serials = op
    x, w = int(50 * k), ml - int(110 * k)
    f = K._font("DejaVuSerif-Bold.ttf", int(26 * k))
    fs = K._font("DejaVuSerif.ttf", int(22 * k))
    fser = K._font("DejaVuSansMono-Bold.ttf", int(30 * k))
    boxes = [
        ["TIMBRE", "DEL ESTADO", "CLASE 8.ª", "0,15 €", serials[0]],
        ["COLEGIOS", "NOTARIALES", serials[1]],
    ]
    yy = y
    for lines in boxes:
        h = int(len(lines) * 42 * k + 40 * k)
        d.rectangle([x, yy, x + w, yy + h], outline=90, width=max(2, int(3 * k)))
        d.rectangle([x + int(8 * k), yy + int(8 * k), x + w - int(8 * k), yy + h - int(8 * k)], outline=150)
        for i, s in enumerate(lines):
            fnt = fser if s in serials else (f if i < 2 else fs)
            d.text((x + (w - fnt.getlength(s)) / 2, yy + int(22 * k) + i * int(42 * k)), s, font=fnt, fill=70)
        yy += h + int(60 * k)
        if lines is boxes[0]:
            leg = "PAPEL EXCLUSIVO PARA DOCUMENTOS NOTARIALES"
            t = Image.new("L", (int(fs.getlength(leg)) + 10, fs.size + 10), 255)
            ImageDraw.Draw(t).text((5, 3), leg, font=fs, fill=90)
            t = t.rotate(90, expand=True, fillcolor=255)
            px, py = x + (w - t.width) // 2, yy
            if py + t.height < im.height:
                region = np.asarray(im.crop((px, py, px + t.width, py + t.height)))
                im.paste(Image.fromarray(np.minimum(region, np.asarray(t))), (px, py))
            yy += t.height + int(60 * k)


def _lay_checks(b, st, x0, width, k):
    items, ncol = b[1], b[2]
    f = K._font(st.font, int(st.size * k * 0.85))
    colw = width // ncol
    box = int(f.size * 0.95)
    lh = int(f.size * 1.7)
    rows = []
    for i in range(0, len(items), ncol):
        chunk = items[i : i + ncol]

        def at(y, chunk=chunk):
            ops = []
            for c, (on, label) in enumerate(chunk):
                xa = x0 + c * colw
                ops.append(("rect", xa, y + int(4 * k), xa + box, y + int(4 * k) + box))
                if on:
                    ops.append(("draw", _draw_x, xa, y + int(4 * k), box))
                ops.append(("text", xa + box + int(22 * k), y, label, f, False, 0))
            return ops

        rows.append((lh, at))
    rows.append((int(f.size * 0.5), lambda y: []))
    return rows


def _draw_x(im, d, op, k):
    _, _, x, y, s = op
    m = max(3, s // 6)
    wd = max(2, int(4 * k))
    d.line([(x + m, y + m), (x + s - m, y + s - m)], fill=0, width=wd)
    d.line([(x + m, y + s - m), (x + s - m, y + m)], fill=0, width=wd)


def _lay_dsig(b, st, x0, width, k):
    stamps = b[1]
    colw = width // len(stamps)
    fb = K._font("LiberationSans-Regular.ttf", int(st.size * k * 1.05))
    fs = K._font("LiberationSans-Regular.ttf", int(st.size * k * 0.72))
    left = int(colw * 0.46)
    cols = []
    for big, small in stamps:
        bl = K._wrap(big, fb, left - int(20 * k))
        sl = [ln for s in small for ln in K._wrap(s, fs, colw - left - int(40 * k))]
        cols.append((bl, sl))
    lhb, lhs = int(fb.size * 1.15), int(fs.size * 1.25)
    h = max(max(len(bl) * lhb, len(sl) * lhs) for bl, sl in cols) + int(60 * k)

    def at(y):
        ops = []
        for i, (bl, sl) in enumerate(cols):
            xa = x0 + i * colw
            ops += [("text", xa, y + j * lhb, ln, fb, False, 0, 30) for j, ln in enumerate(bl)]
            ops += [("text", xa + left, y + int(6 * k) + j * lhs, ln, fs, False, 0, 30) for j, ln in enumerate(sl)]
        return ops

    return [(h, at)]


_EXT5 = {
    k: {"kind": k, "layout": H4._ext(lay), "text": H4._ext(txt)}
    for k, lay, txt in [
        ("sc", _lay_sc, lambda b: [("body", b[1])]),
        ("foot", _lay_foot, lambda b: [("body", b[1])]),
        ("timbre", _lay_timbre, lambda b: [("body", f"{b[2]} · Timbre del Estado {b[1][0]} · {b[1][1]}")]),
        (
            "checks",
            _lay_checks,
            lambda b: [("body", "    ".join(f"{'[X]' if on else '[ ]'} {lab}" for on, lab in b[1]))],
        ),
        ("dsig", _lay_dsig, lambda b: [("body", f"{big} {' '.join(small)}") for big, small in b[1]]),
    ]
}
EXT = {**H4.EXT, **_EXT5}


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


def _csv_line(doc: Doc, label: str = "Código Seguro de Verificación") -> list[tuple]:
    return [("mono", f"{label}: {doc.csv}")] if doc.csv else []


def _revoke_es(doc: Doc, lead: str = "") -> list[tuple]:
    rv = doc.people.get("revoked")
    if not rv:
        return []
    who = "la comunidad" if doc.company[1][0] == "H" else "la sociedad"
    return [
        (
            "p",
            f"{lead or 'Que '}deja sin efecto y REVOCA el poder que {who} tenía conferido a favor de {_dd(rv)}, "
            f"con D.N.I. {fmt_nif(rv.nif, doc.fmt + 1)}, quien queda desde hoy sin facultad alguna para "
            f"representarla.",
        )
    ]


# =========================================================================== powers of attorney


@template("h5_poder_pleitos_varios_es", "power_of_attorney", "es", pleitos=True)
def h5_poder_pleitos(doc: Doc) -> list[tuple]:
    """General power for lawsuits: court agents and lawyers (no identifiers) in a list, then two employees with
    their DNI who also get special powers over the energy supplies; the date in words under the number."""
    a, g, a2 = doc.people["appointed"], doc.people["grantor"], doc.people["attorney2"]
    procs = [doc.people[k] for k in ("proc1", "proc2", "proc3")]
    lets = [doc.people[k] for k in ("letrado1", "letrado2")]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 1)
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 42, justify=True, margin_rule=True, leading=1.5)
    doc.style.footer = "{page}"
    emp = [a, a2] if doc.v % 2 == 0 else [a2, a]
    cargo = "Administradora Única" if g.female else "Administrador Único"
    b: list[tuple] = [
        ("h", f"NÚMERO {words_es(doc.protocol).upper()}.", 1.0, "l"),
        ("pl", f"({proto_printed(doc.protocol)})"),
        ("h", "PODER GENERAL PARA PLEITOS Y ESPECIAL PARA GESTIONES ADMINISTRATIVAS", 1.1, "c"),
        ("p", f"En {doc.city}, mi residencia, a {date_text(doc.date, 'es', 'words')}."),
        ("p", f"Ante mí, {n.full.upper()}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, {rr.choice(['casad', 'solter', 'divorciad'])}{_o(g)}, vecin{_o(g)} "
            f"de {doc.city}, con D.N.I. {fmt_nif(g.nif, doc.fmt)}.",
        ),
        ("h", "INTERVIENE", 1.0, "c"),
        (
            "p",
            f"En nombre y representación, como {cargo}, de la mercantil {comp.upper()}, domiciliada en "
            f"{doc.city}, {K.rng_street(doc)}, con C.I.F. {fmt_cif(cif, doc.fmt + 1)}.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGA", 1.0, "c"),
        (
            "p",
            "Que confiere PODER GENERAL PARA PLEITOS, tan amplio y bastante como en Derecho se requiera, a favor "
            "de las personas que a continuación se relacionan, para que cualquiera de ellas, solidaria e "
            "indistintamente, represente a la sociedad poderdante:",
        ),
        (
            "grid",
            [0.08, 0.92],
            [["A)", f"Procuradores de los Tribunales de {doc.city}:"]] + [["-", _dd(p)] for p in procs],
            False,
        ),
        (
            "grid",
            [0.08, 0.6, 0.32],
            [["B)", f"Letrados del Ilustre Colegio de la Abogacía de {doc.city}:", ""]]
            + [["-", _dd(p), f"Colegiad{_o(p)} n.º {rr.randrange(1000, 99999)}"] for p in lets],
            False,
        ),
        (
            "p",
            f"C) Los empleados de la sociedad {_dd(emp[0])}, con D.N.I./N.I.E. {fmt_nif(emp[0].nif, doc.fmt)}, "
            f"y {_dd(emp[1])}, con D.N.I./N.I.E. {fmt_nif(emp[1].nif, doc.fmt + 2)}.",
        ),
        (
            "p",
            "FACULTADES GENERALES: comparecer ante toda clase de Juzgados y Tribunales, de cualquier orden y "
            "jurisdicción, y ante cualesquiera organismos de la Administración; promover, contestar y seguir "
            "por todos sus trámites toda clase de procedimientos, desistir, transigir y allanarse.",
        ),
        (
            "p",
            "FACULTADES ESPECIALES de los apoderados del apartado C), que podrán ejercer por sí solos: contratar, "
            "modificar y dar de baja suministros de electricidad, gas y agua; solicitar cambios de titular, "
            "potencia y tarifa; firmar contratos de acceso a las redes de distribución y reclamar facturas.",
        ),
        (
            "p",
            "Así lo dice y otorga el compareciente. Hechas las reservas y advertencias legales, leo esta "
            "escritura al compareciente, que la aprueba y firma conmigo. Doy fe.",
        ),
        ("sig", [g.full, f"{_nt(n)}: {n.full}"]),
    ]
    return b + _csv_line(doc)


@template("h5_poder_presidente_comunidad_es", "power_of_attorney", "es", community=True, secretary=True)
def h5_poder_presidente_comunidad(doc: Doc) -> list[tuple]:
    """A community of owners grants a power through its president; his office results from the certificate of
    the secretary-administrator (with NIF) attached to the deed; the attorney is an energy manager."""
    a, g, sec = doc.people["appointed"], doc.people["grantor"], doc.people["secretary"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 2)
    elec = doc.date - dt.timedelta(days=rr.randrange(60, 500))
    meet = doc.date - dt.timedelta(days=rr.randrange(5, 50))
    pres = "Presidenta" if g.female else "Presidente"
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 44, justify=True, leading=1.5)
    doc.style.header = f"{_nt(n).upper()} - {n.full.upper()} - {doc.city.upper()}"
    b: list[tuple] = [
        ("h", "PODER ESPECIAL", 1.3, "c"),
        ("h", f"otorgado por la {comp}", 0.95, "c"),
        ("pl", f"Número {proto_printed(doc.protocol)} de protocolo"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'words', 'long', 'num'][doc.v])}, ante mí, "
            f"{n.full}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]}, con residencia en esta ciudad,",
        ),
        ("h", "COMPARECE", 1.0, "l"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, con domicilio en el inmueble de la comunidad y D.N.I. "
            f"{fmt_nif(g.nif, doc.fmt + 2)}, en su condición de {pres} de la {comp.upper()}, con C.I.F. "
            f"{fmt_cif(cif, doc.fmt)}, cargo para el que fue elegid{_o(g)} en la Junta General Ordinaria de "
            f"{date_text(elec, 'es', 'long')}.",
        ),
        (
            "p",
            f"Acredita su cargo y el acuerdo que ejecuta mediante certificación expedida el "
            f"{date_text(meet + dt.timedelta(days=2), 'es', 'num')} por {_dd(sec)}, con D.N.I. "
            f"{fmt_nif(sec.nif, doc.fmt)}, Secretari{_o(sec)}-Administrador{'a' if sec.female else ''} de la "
            f"comunidad, con el visto bueno del propio {pres}, que dejo unida a esta matriz.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGA", 1.0, "l"),
        (
            "p",
            f"Que, en ejecución del acuerdo adoptado por la Junta General Extraordinaria celebrada el "
            f"{date_text(meet, 'es', 'long')}, confiere poder especial a favor de {_dd(a).upper()}, mayor de "
            f"edad, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, para que en nombre de la comunidad contrate, "
            f"modifique y dé de baja los suministros de electricidad y gas de los servicios comunes (ascensores, "
            f"alumbrado de escalera, garaje y grupo de presión), solicite cambios de potencia y tarifa y firme "
            f"los contratos de acceso.",
        ),
    ]
    b += _revoke_es(doc, "Asimismo, ")
    b += [
        ("p", "Así lo otorga. Leída por mí, la firma conmigo. Doy fe."),
        ("scrawl", [g.full, n.full], doc.seed + 1),
    ]
    return b + _csv_line(doc, "CSV")


@template("h5_poder_anexo_pie_es", "power_of_attorney", "es", revoked=True)
def h5_poder_anexo_pie(doc: Doc) -> list[tuple]:
    """A special power that names its attorney only by reference: "la persona cuyos datos constan en la nota
    (1)"; the attorney's (and the revoked attorney's) data are footnotes at the foot of the deed."""
    a, g, rv = doc.people["appointed"], doc.people["grantor"], doc.people["revoked"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 3)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 46, justify=True, indent=90)
    cd = "Consejera Delegada" if g.female else "Consejero Delegado"
    b: list[tuple] = [
        ("r", f"PROTOCOLO N.º {proto_printed(doc.protocol)}"),
        ("h", "ESCRITURA DE PODER ESPECIAL", 1.3, "c"),
        (
            "p",
            f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'long', 'words', 'num'][doc.v])}. Ante mí, "
            f"{n.full}, {_nt(n)} de esta capital,",
        ),
        ("h", "COMPARECE", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, que interviene como {cd} de "
            f"{comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt + 2)}, según nombramiento vigente que me acredita.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGA", 1.0, "c"),
        (
            "p",
            "PRIMERO.- Que la sociedad confiere poder especial, tan amplio como en Derecho se requiera, a favor de "
            "la persona cuyos datos de identificación constan en la nota (1) al pie de este instrumento, para "
            "que, actuando por sí sola, contrate, modifique y dé de baja suministros de energía eléctrica y gas, "
            "solicite cambios de titular, potencia y tarifa y presente reclamaciones.",
        ),
        (
            "p",
            "SEGUNDO.- Que revoca el poder que la sociedad tenía conferido a la persona identificada en la nota "
            "(2), que queda sin efecto desde esta fecha.",
        ),
        ("p", "Así lo otorga. Leída, la aprueba y firma conmigo, el Notario. Doy fe."),
        ("sig", [f"Firma: {g.full}", f"Signado: {n.full}"]),
        (
            "foot",
            f"(1) Apoderad{_o(a)}: {a.surname_first()}, mayor de edad, con domicilio en {rr.choice(K.CITIES)}, "
            f"{rr.choice(K.STREETS_ES)} {rr.randrange(1, 150)}. D.N.I./N.I.E.: {fmt_nif(a.nif, doc.fmt + 1)}.",
        ),
        (
            "foot",
            f"(2) Apoderad{_o(rv)} cuyo poder se revoca: {rv.surname_first()}, D.N.I. {fmt_nif(rv.nif, doc.fmt)}; "
            f"poder otorgado el {date_text(doc.date - dt.timedelta(days=rr.randrange(300, 3000)), 'es', 'num')}.",
            False,
        ),
    ]
    if doc.csv:
        b.append(("foot", f"CSV {doc.csv}", False))
    return b


@template("h5_poder_timbre_lateral_es", "power_of_attorney", "es")
def h5_poder_timbre_lateral(doc: Doc) -> list[tuple]:
    """A power on notarial paper: the notary's heading right-aligned at the top, a sidebar of "papel timbrado"
    stamps with serial numbers (two letters and seven digits) in the wide left margin."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 4)
    serials = [
        f"{rr.choice('FGH')}{rr.choice('KXYZ')}{rr.randrange(10**6, 10**7)}",
        f"{rr.choice('FGH')}{rr.choice('KXYZ')}{rr.randrange(10**6, 10**7)}",
    ]
    _style(
        doc,
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        44,
        justify=True,
        margin_l=560,
        margin_r=200,
        leading=1.55,
    )
    cargo = "administradora solidaria" if g.female else "administrador solidario"
    b: list[tuple] = [
        ("timbre", serials, "NOTARÍA"),
        ("h", f"{_nt(n).upper()}", 0.8, "r"),
        ("h", n.full.upper(), 1.0, "r"),
        ("r", K.rng_street(doc)),
        ("r", f"{doc.city} · Tel. 9{rr.randrange(10**7, 10**8)}"),
        ("gap", 1),
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "l"),
        ("h", "PODER", 1.3, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['words', 'long', 'long', 'words'][doc.v])}."),
        ("p", f"Ante mí, {n.full}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(g))}, mayor de edad, con D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, que actúa como {cargo} de "
            f"{comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)} y domicilio en {doc.city}.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGA", 1.0, "c"),
        (
            "p",
            f"Que confiere poder, tan amplio y bastante como en Derecho se requiera, a favor de {_dd(a).upper()}, "
            f"con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}, para que en nombre de la sociedad contrate y rescinda "
            f"suministros de electricidad y gas, solicite altas, bajas y modificaciones de potencia y tarifa y "
            f"suscriba cuantos documentos sean precisos ante distribuidoras y comercializadoras.",
        ),
    ]
    b += _revoke_es(doc, "Y ")
    b += [
        (
            "p",
            "Así lo dice y otorga. Leo esta escritura al compareciente, que la aprueba y firma conmigo. De todo lo "
            "consignado en este instrumento público, extendido en folios de papel timbrado de uso exclusivo "
            "notarial, yo, el Notario, doy fe.",
        ),
        ("scrawl", [g.full, f"Signado: {n.full}"], doc.seed + 2),
        ("seal", ["NOTARÍA", n.full.upper()[:26], doc.city.upper()], 3, 0.7),
    ]
    return b + _csv_line(doc)


@template("h5_poder_versaletes_ca", "power_of_attorney", "ca")
def h5_poder_versaletes(doc: Doc) -> list[tuple]:
    """Catalan power whose appearance, intervention and grant are typeset in small caps (lower case as small
    capitals), headings in bold, the rest in roman."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    _style(doc, "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", 44, justify=True, leading=1.5)
    doc.style.footer = f"Protocol {proto_printed(doc.protocol)} · full {{page}}"
    cargo = "administradora única" if g.female else "administrador únic"
    b: list[tuple] = [
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "c"),
        ("h", "PODER ESPECIAL", 1.3, "c"),
        ("sc", f"A {doc.city}, el {date_text(doc.date, 'ca', ['long', 'words', 'long', 'num'][doc.v])}."),
        ("sc", f"Davant meu, {n.full}, {_nt(n, 'ca').lower()} del Col·legi de Catalunya, amb residència a {doc.city},"),
        ("h", "COMPAREIX", 1.0, "c"),
        (
            "sc",
            f"{_cap(_ca(g))}, major d'edat, amb domicili professional a {doc.city} i DNI {fmt_nif(g.nif, doc.fmt)}.",
        ),
        ("h", "INTERVÉ", 1.0, "c"),
        (
            "sc",
            f"En nom i representació de la societat {comp}, amb NIF {fmt_cif(cif, doc.fmt + 1)}, en la seva "
            f"condició de {cargo}, càrrec vigent segons m'assegura.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "ATORGA", 1.0, "c"),
        (
            "sc",
            f"Que confereix poder especial a favor {'de la senyora' if a.female else 'del senyor'} {a.full}, amb "
            f"DNI/NIE {fmt_nif(a.nif, doc.fmt + 2)}, perquè, en nom de la societat, contracti, modifiqui i doni de "
            f"baixa subministraments d'electricitat i de gas i signi els contractes d'accés a la xarxa.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"I revoca el poder que tenia atorgat {'la senyora' if rv.female else 'el senyor'} {rv.full}, amb "
                f"DNI {fmt_nif(rv.nif, doc.fmt)}.",
            )
        )
    b += [
        ("p", "Així ho diu i atorga. Llegida aquesta escriptura, la signa amb mi. Dono fe."),
        ("sig", [g.full, n.full]),
    ]
    return b + _csv_line(doc, "Codi Segur de Verificació")


# =========================================================================== deeds


@template("h5_fusion_absorcion_es", "deed", "es", merger=True)
def h5_fusion_absorcion(doc: Doc) -> list[tuple]:
    """Merger by absorption: the absorbing company's chairman and the absorbed company's sole administrator
    appear; the common draft was signed by both administrative bodies (named); the absorbing company's meeting
    accepted the managing director's resignation and appointed a new one."""
    a, o, pres, ab = (doc.people[k] for k in ("appointed", "outgoing", "president", "absorbed_admin"))
    comp, cif = doc.company
    abname, abcif = doc.extra["absorbed"]
    n = doc.notary
    rr = _r(doc, 5)
    meet = doc.other_dates["meeting"]
    draft = meet - dt.timedelta(days=rr.randrange(35, 120))
    _style(doc, "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf", 40, justify=True, leading=1.45)
    doc.style.footer = "Fusión por absorción · {page}/{pages}"
    b: list[tuple] = [
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "l"),
        ("h", "ESCRITURA DE FUSIÓN POR ABSORCIÓN", 1.3, "c"),
        ("h", f"{comp.upper()} (absorbente) y {abname.upper()} (absorbida)", 0.9, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', 'long' if doc.v % 2 else 'words')}."),
        ("p", f"Ante mí, {n.full}, {_nt(n)} del Ilustre Colegio Notarial de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECEN", 1.0, "c"),
        (
            "p",
            f"DE UNA PARTE, {_dd(pres).upper()}, mayor de edad, con D.N.I. {fmt_nif(pres.nif, doc.fmt)}, en nombre "
            f"y representación de {comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt)}, como "
            f"{'Presidenta' if pres.female else 'Presidente'} de su Consejo de Administración, facultad{'a' if pres.female else 'o'} "
            f"expresamente por la Junta General.",
        ),
        (
            "p",
            f"DE OTRA PARTE, {_dd(ab).upper()}, mayor de edad, con D.N.I. {fmt_nif(ab.nif, doc.fmt + 1)}, en nombre "
            f"y representación de {abname.upper()}, con C.I.F. {fmt_cif(abcif, doc.fmt)}, como administrador"
            f"{'a' if ab.female else ''} únic{_o(ab)} de la misma.",
        ),
        ("h", "EXPONEN", 1.0, "c"),
        (
            "p",
            f"I.- Que el {date_text(draft, 'es', 'long')} los órganos de administración de ambas sociedades "
            f"suscribieron el proyecto común de fusión: por la absorbente, su Consejo de Administración, integrado "
            f"por {pres.full} ({'Presidenta' if pres.female else 'Presidente'}), {o.full} "
            f"({'Consejera Delegada' if o.female else 'Consejero Delegado'}) y {doc.people['vocal'].full} "
            f"(Vocal); por la absorbida, su administrador{'a' if ab.female else ''} únic{_o(ab)}, {ab.full}.",
        ),
        (
            "p",
            f"II.- Que las Juntas Generales de ambas sociedades, celebradas con carácter universal el "
            f"{date_text(meet, 'es', 'num')}, aprobaron la fusión por absorción, con extinción sin liquidación de "
            f"la absorbida y transmisión en bloque de su patrimonio a la absorbente.",
        ),
        (
            "p",
            f"III.- Que en la misma sesión la Junta General de la absorbente aceptó la dimisión de {_dd(o)}, con "
            f"D.N.I. {fmt_nif(o.nif, doc.fmt + 2)}, como Consejer{_o(o)} Delegad{_o(o)}, y nombró consejer{_o(a)} a "
            f"{_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}, a quien el Consejo, reunido a continuación, "
            f"designó Consejer{_o(a)} Delegad{_o(a)} con todas las facultades delegables. {_cap(_dd(a))} aceptó el "
            f"cargo mediante escrito con firma legitimada.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("h", "OTORGAN", 1.0, "c"),
        (
            "p",
            f"Que formalizan la fusión por absorción de {abname} por {comp} y elevan a público los acuerdos "
            f"reseñados, solicitando su inscripción en el Registro Mercantil. Leída, la firman conmigo. Doy fe.",
        ),
        ("sig", [pres.full, ab.full, n.full]),
    ]
    return b + _csv_line(doc, "CSV")


@template("h5_cambio_organo_mancomunados_es", "deed", "es", coadmin=True)
def h5_cambio_organo(doc: Doc) -> list[tuple]:
    """Change of the administrative body: the sole administrator is dismissed and two joint administrators
    ("mancomunados") are appointed; bylaws article amended; before/after ruled table."""
    a, o, co = doc.people["appointed"], doc.people["outgoing"], doc.people["coadmin"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 6)
    art = rr.randrange(12, 24)
    appearing = sec or o
    new = [a, co] if doc.v % 2 else [co, a]
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 44, justify=True, margin_rule=True)
    qual = (
        f"Secretari{_o(sec)} de la Junta General, cuyos acuerdos certifica con el visto bueno del Presidente"
        if sec
        else f"administrador{'a' if o.female else ''} únic{_o(o)} saliente"
    )
    b: list[tuple] = [
        ("h", f"NÚMERO {words_es(doc.protocol).upper()} ({proto_printed(doc.protocol)})", 1.0, "c"),
        ("h", "CAMBIO DE ÓRGANO DE ADMINISTRACIÓN, CESE Y NOMBRAMIENTO DE ADMINISTRADORES MANCOMUNADOS", 1.1, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['words', 'long', 'long', 'num'][doc.v])}."),
        ("p", f"Ante mí, {n.full}, {_nt(n)} del Ilustre Colegio de {K.COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 1.0, "c"),
        (
            "p",
            f"{_cap(_dd(appearing))}, mayor de edad, con D.N.I. {fmt_nif(appearing.nif, doc.fmt)}, en nombre de "
            f"{comp.upper()}, con C.I.F. {fmt_cif(cif, doc.fmt + 1)}, como {qual}.",
        ),
        ("h", "ACUERDOS QUE SE ELEVAN A PÚBLICO", 1.0, "c"),
        (
            "p",
            f"Adoptados por unanimidad en la Junta General Universal de {date_text(doc.other_dates['meeting'], 'es', 'num')}:",
        ),
        (
            "p",
            f"1.º Cesar a {_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt + 2)}, en el cargo de Administrador Único, "
            f"aprobando su gestión.",
        ),
        (
            "p",
            f"2.º Modificar la forma del órgano de administración, que pasa a ser de dos administradores "
            f"mancomunados, y dar nueva redacción al artículo {art}.º de los estatutos sociales.",
        ),
        (
            "p",
            f"3.º Nombrar administradores mancomunados, por plazo indefinido, a {_dd(new[0])}, con D.N.I./N.I.E. "
            f"{fmt_nif(new[0].nif, doc.fmt)}, y a {_dd(new[1])}, con D.N.I./N.I.E. {fmt_nif(new[1].nif, doc.fmt)}, "
            f"quienes aceptan el cargo y declaran no estar incursos en incompatibilidad.",
        ),
        (
            "table",
            [0.5, 0.5],
            [
                ["Órgano anterior", "Nuevo órgano"],
                ["Administrador único", "Dos administradores mancomunados"],
                [o.full, f"{new[0].full}\n{new[1].full}".replace("\n", " / ")],
            ],
        ),
        ("p", K.FILLER_DEED_ES),
        ("p", "Así lo otorga. Leída, la aprueba y firma conmigo. Doy fe."),
        ("sig", [appearing.full, f"{_nt(n)}: {n.full}"]),
    ]
    return b + _csv_line(doc)


@template("h5_escriptura_duna_part_ca", "deed", "ca", secretary=True)
def h5_escriptura_duna_part(doc: Doc) -> list[tuple]:
    """Catalan deed with the parties as "D'una part / De l'altra part": the outgoing administrator and the new
    one (order varies); the secretary of the meeting also appears and certifies the resolutions."""
    a, o, sec = doc.people["appointed"], doc.people["outgoing"], doc.people["secretary"]
    comp, cif = doc.company
    n = doc.notary
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 42, justify=doc.v != 3, leading=1.5)
    doc.style.header = f"{_nt(n, 'ca')} {n.full} · {doc.city}" + "    Full {page}"
    pa = (
        f"{_ca(o).upper()}, major d'edat, amb DNI {fmt_nif(o.nif, doc.fmt)}, com a administrador"
        f"{'a' if o.female else ''} únic{'a' if o.female else ''} sortint de la societat."
    )
    pb = (
        f"{_ca(a).upper()}, major d'edat, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, que compareix per acceptar "
        f"el càrrec per al qual ha estat nomenad{_o(a)}."
    )
    first, second = (pa, pb) if doc.v % 2 == 0 else (pb, pa)
    b: list[tuple] = [
        ("h", f"NÚMERO {words_ca(doc.protocol).upper()} ({proto_printed(doc.protocol)})", 1.0, "l"),
        ("h", "ESCRIPTURA DE CESSAMENT I NOMENAMENT D'ADMINISTRADOR I ACCEPTACIÓ DEL CÀRREC", 1.15, "c"),
        ("p", f"A {doc.city}, el {date_text(doc.date, 'ca', ['words', 'long', 'long', 'words'][doc.v])}."),
        ("p", f"Davant meu, {n.full}, {_nt(n, 'ca').lower()} del Col·legi Notarial de Catalunya,"),
        ("h", "COMPAREIXEN", 1.0, "c"),
        ("p", f"D'una part, {first}"),
        ("p", f"De l'altra part, {second}"),
        (
            "p",
            f"I, a més, {_ca(sec)}, amb DNI {fmt_nif(sec.nif, doc.fmt + 2)}, secretari{'a' if sec.female else ''} "
            f"de la Junta General, que certifica els acords.",
        ),
        ("h", "INTERVENEN", 1.0, "c"),
        (
            "p",
            f"Tots en relació amb la societat {comp.upper()}, amb domicili a {doc.city} i NIF "
            f"{fmt_cif(cif, doc.fmt)}, constituïda per escriptura de "
            f"{date_text(doc.other_dates['constitution'], 'ca', 'long')}.",
        ),
        ("p", K.FILLER_DEED_CA),
        ("h", "EXPOSEN", 1.0, "c"),
        (
            "p",
            f"Que la Junta General Universal de {date_text(doc.other_dates['meeting'], 'ca', 'num')} va acordar, "
            f"per unanimitat, cessar {_ca(o)} com a administrador{'a' if o.female else ''} únic"
            f"{'a' if o.female else ''} i nomenar per a aquest càrrec, per termini indefinit, {_ca(a)}.",
        ),
        ("h", "ATORGUEN", 1.0, "c"),
        (
            "p",
            f"Que eleven a públics els acords anteriors; {_ca(a)} accepta el càrrec i declara no estar "
            f"inclòs{'a' if a.female else ''} en cap causa d'incompatibilitat. Llegida, la signen amb mi. Dono fe.",
        ),
        ("sig", [o.full, a.full, sec.full]),
    ]
    return b + _csv_line(doc, "Codi segur de verificació")


@template("h5_constitucion_sl_es", "deed", "es", founders=True)
def h5_constitucion_sl(doc: Doc) -> list[tuple]:
    """Incorporation of a limited company: the founding partners and their shares in a table, the first sole
    administrator in a clause, the name certificate of the Registro Mercantil Central and the provisional NIF
    in a closing note."""
    a, f1, f2 = doc.people["appointed"], doc.people["founder1"], doc.people["founder2"]
    comp, cif = doc.company
    n = doc.notary
    rr = _r(doc, 7)
    name_cert = doc.date - dt.timedelta(days=rr.randrange(10, 60))
    founders = [f1, f2, a] if doc.v % 2 else [a, f1, f2]
    shares = [rr.randrange(500, 1500) for _ in founders]
    start = 1
    rows = [["Socio", "D.N.I./N.I.E.", "Participaciones", "Numeración"]]
    for p, s in zip(founders, shares):
        rows.append([p.surname_first(), fmt_nif(p.nif, doc.fmt), str(s), f"{start} a {start + s - 1}"])
        start += s
    _style(doc, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf", 46, justify=True)
    b: list[tuple] = [
        ("h", f"NÚMERO {proto_printed(doc.protocol)}", 1.0, "r"),
        ("h", "ESCRITURA DE CONSTITUCIÓN DE SOCIEDAD DE RESPONSABILIDAD LIMITADA", 1.2, "c"),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'words', 'num', 'long'][doc.v])}."),
        ("p", f"Ante mí, {n.full}, {_nt(n)} de {doc.city},"),
        ("h", "COMPARECEN", 1.0, "l"),
        (
            "p",
            "Las personas que se relacionan en el cuadro siguiente, todas mayores de edad y vecinas de "
            f"{doc.city}, que intervienen en su propio nombre y derecho:",
        ),
        ("table", [0.4, 0.2, 0.18, 0.22], rows),
        ("h", "OTORGAN", 1.0, "l"),
        (
            "p",
            f"PRIMERO.- Constituyen una sociedad de responsabilidad limitada denominada «{comp}», denominación "
            f"cuya certificación negativa expidió el Registro Mercantil Central el "
            f"{date_text(name_cert, 'es', 'num')}. El capital social es de {sum(shares)} euros, dividido en "
            f"{sum(shares)} participaciones de un euro, íntegramente suscritas y desembolsadas.",
        ),
        (
            "p",
            f"SEGUNDO.- Los otorgantes, constituidos en Junta General Universal, acuerdan por unanimidad que la "
            f"sociedad sea administrada por un Administrador Único y nombran para dicho cargo, por plazo "
            f"indefinido, a {_dd(a).upper()}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, quien acepta.",
        ),
        ("p", K.FILLER_DEED_ES),
        ("sig", [p.full for p in founders]),
        (
            "p",
            f"NOTA.- El {date_text(doc.date + dt.timedelta(days=rr.randrange(1, 6)), 'es', 'num')} se incorpora a "
            f"esta matriz la tarjeta del número de identificación fiscal provisional asignado a la sociedad: "
            f"{fmt_cif(cif, doc.fmt)}. Doy fe.",
        ),
    ]
    if doc.cover:
        b = [("gap", 6), ("h", "COPIA SIMPLE", 1.5, "c"), ("h", comp.upper(), 1.0, "c"), ("pb",)] + b
    return b + _csv_line(doc, "CSV")


# =========================================================================== registry


@template("h5_rmc_historial_es", "registry_certificate", "es", historic=True)
def h5_rmc_historial(doc: Doc) -> list[tuple]:
    """Registro Mercantil Central: "Fecha de expedición" in a box at the top right, the company's data, then
    a history of charges (constitution, appointments, dismissals), each row with its own BORME date."""
    a, o, hi = doc.people["appointed"], doc.people["outgoing"], doc.people["historic"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    rr = _r(doc, 8)
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 36, justify=False, leading=1.4)
    doc.style.footer = "Registro Mercantil Central · Príncipe de Vergara, 94 · 28006 Madrid · Página {page} de {pages}"

    def f(d: dt.date) -> str:
        return d.strftime("%d/%m/%Y")

    rows = [
        ["Fecha BORME", "Acto", "Cargo", "Nombre", "NIF"],
        [f(od["constitution"]), "Constitución. Nombramiento", "Adm. Único", hi.surname_first(), fmt_nif(hi.nif, 0)],
        [f(od["old_appointment"]), "Cese", "Adm. Único", hi.surname_first(), fmt_nif(hi.nif, 0)],
        [f(od["old_appointment"]), "Nombramiento", "Adm. Único", o.surname_first(), fmt_nif(o.nif, 0)],
    ]
    if cons:
        mid = od["old_appointment"] + (od["appointment"] - od["old_appointment"]) / 2
        rows.append([f(mid), "Nombramiento", "Apoderado", cons.surname_first(), fmt_nif(cons.nif, 0)])
    rows += [
        [f(od["removal"]), "Cese/Dimisión", "Adm. Único", o.surname_first(), fmt_nif(o.nif, 0)],
        [f(od["appointment"]), "Nombramiento", "Adm. Único", a.surname_first(), fmt_nif(a.nif, 0)],
    ]
    box = ["Fecha de expedición", f(doc.date), f"Hora: {rr.randrange(8, 15):02d}:{rr.randrange(0, 60):02d}"]
    b: list[tuple] = [
        ("grid", [0.62, 0.38], [["REGISTRO MERCANTIL CENTRAL", box[0]], ["Sección de Publicidad", box[1]]], False),
        ("r", box[2]),
        ("h", "CERTIFICACIÓN DE HISTORIAL DE CARGOS", 1.2, "c"),
        ("kv", "Denominación social", comp.upper()),
        ("kv", "N.I.F.", fmt_cif(cif, doc.fmt)),
        (
            "kv",
            "Datos registrales",
            f"Registro Mercantil de {_rm(doc)}, Tomo {doc.extra['tomo']}, Folio {doc.extra['folio']}, "
            f"Hoja {doc.extra['hoja']}",
        ),
        ("h", "ACTOS INSCRITOS RELATIVOS AL ÓRGANO DE ADMINISTRACIÓN", 0.95, "l"),
        ("table", [0.15, 0.2, 0.14, 0.33, 0.18], rows),
        ("p", f"Situación actual: Administrador Único, {a.full}."),
        (
            "p",
            f"{r.full}, Registrador{'a' if r.female else ''} Mercantil Central, certifica que los datos anteriores "
            f"concuerdan con los publicados en el Boletín Oficial del Registro Mercantil.",
        ),
    ]
    if doc.csv:
        b.append(("qr", doc.seed, f"CSV: {doc.csv} · Verificable en la sede electrónica del Registro."))
    return b


@template("h5_certificacio_rm_barcelona_ca", "registry_certificate", "ca", board=True)
def h5_certificacio_rmb(doc: Doc) -> list[tuple]:
    """Catalan "certificació" of the Registre Mercantil de Barcelona: board (president, managing director,
    non-director secretary), the former managing director ceased; issue date at the foot in long form or in
    words (none when undated)."""
    a, o, pres, sec = (doc.people[k] for k in ("appointed", "outgoing", "president", "secretary"))
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    ins = doc.extra["inscription"]
    rr = _r(doc, 9)
    _style(doc, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", 46, justify=True, leading=1.5)
    doc.style.header = "REGISTRE MERCANTIL DE BARCELONA" + "          Pàgina {page}"
    reg = f"{'la senyora' if r.female else 'el senyor'} {r.full}"

    def dl(d: dt.date) -> str:
        return date_text(d, "ca", "long")

    b: list[tuple] = [
        ("h", "REGISTRE MERCANTIL DE BARCELONA", 1.25, "c"),
        ("h", "CERTIFICACIÓ", 1.15, "c"),
        (
            "p",
            f"Jo, {reg}, registrador{'a' if r.female else ''} mercantil de Barcelona, titular del Registre número "
            f"{rr.randrange(1, 17)}, CERTIFICO:",
        ),
        (
            "p",
            f"Que, vistos els assentaments del full {doc.extra['hoja']}, obert a la societat {comp.upper()}, amb NIF "
            f"{fmt_cif(cif, doc.fmt)}, al tom {doc.extra['tomo']}, foli {doc.extra['folio']}, en resulta:",
        ),
        (
            "p",
            f"PRIMER.- Que l'òrgan d'administració vigent és un Consell d'Administració, del qual és "
            f"president{'a' if pres.female else ''} {_ca(pres)}, amb DNI {fmt_nif(pres.nif, doc.fmt + 1)}, segons la "
            f"inscripció {ins - 2}a, de {dl(od['old_appointment'])}.",
        ),
        (
            "p",
            f"SEGON.- Que per la inscripció {ins}a, de {dl(od['appointment'])}, consta el nomenament "
            f"{_de_ca(a)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt)}, com a conseller{'a' if a.female else ''} "
            f"delegad{_o(a)}, amb totes les facultats delegables, i el cessament en aquest càrrec {_de_ca(o)}, "
            f"amb DNI {fmt_nif(o.nif, doc.fmt + 2)}.",
        ),
        (
            "p",
            f"TERCER.- Que és secretari{'a' if sec.female else ''} no conseller{'a' if sec.female else ''} "
            f"{_ca(sec)}, amb DNI {fmt_nif(sec.nif, doc.fmt)}, segons la inscripció {ins - 1}a.",
        ),
        ("p", "QUART.- Que no consten presentats documents pendents d'inscripció que afectin aquests càrrecs."),
    ]
    if doc.extra.get("no_issue_date"):
        b.append(("p", "I perquè consti, expedeixo aquesta certificació, que signo."))
    else:
        style = ["long", "words", "long", "words"][doc.v]
        b.append(
            (
                "p",
                f"I perquè consti, expedeixo aquesta certificació a Barcelona, el {date_text(doc.date, 'ca', style)}.",
            )
        )
    b += [
        ("sig", [f"{'La registradora' if r.female else 'El registrador'}: {r.full}"]),
        ("stamp", ["REGISTRE MERCANTIL", "DE BARCELONA", f"ENTRADA {rr.randrange(1000, 99999)}/{doc.date.year}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Codi segur de verificació: {doc.csv}"))
    return b


@template("h5_certificacion_fecha_letras_es", "registry_certificate", "es", notary_ref=True)
def h5_certificacion_fecha_letras(doc: Doc) -> list[tuple]:
    """Certificate of a provincial Registro Mercantil in prose; the issue date only in words ("a dos de
    noviembre de dos mil veintiséis") in the closing formula; the appointment's inscription date in digits."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    od = doc.other_dates
    rm = _rm(doc)
    rr = _r(doc, 10)
    nr = doc.people["notary_ref"]
    _style(doc, "LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf", 38, justify=False, leading=1.45)
    b: list[tuple] = [
        ("h", f"REGISTRO MERCANTIL DE {rm.upper()}", 1.15, "l"),
        ("pl", f"Entrada n.º {rr.randrange(1000, 30000)}/{doc.date.year} · Diario {rr.randrange(300, 3000)}"),
        ("h", "CERTIFICACIÓN", 1.2, "c"),
        (
            "p",
            f"{'DOÑA' if r.female else 'DON'} {r.full.upper()}, Registrador{'a' if r.female else ''} Mercantil de "
            f"{rm}, CERTIFICA: Que según resulta de los asientos de este Registro, la sociedad {comp.upper()}, con "
            f"N.I.F. {fmt_cif(cif, doc.fmt)}, inscrita en la hoja {doc.extra['hoja']}, tiene como Administrador "
            f"Único a {_dd(a).upper()}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 1)}, nombrad{_o(a)} por plazo "
            f"indefinido en escritura autorizada por {'la Notaria' if nr.female else 'el Notario'} de {rm} "
            f"{nr.full} el {od['appointment'].strftime('%d/%m/%Y')}, que causó la inscripción "
            f"{doc.extra['inscription']}.ª.",
        ),
        (
            "p",
            f"Que por la misma inscripción consta el cese de {_dd(o)}, con D.N.I. {fmt_nif(o.nif, doc.fmt)}, "
            f"anterior Administrador{'a' if o.female else ''} Únic{_o(o)}.",
        ),
    ]
    if cons:
        b.append(
            (
                "p",
                f"Que consta inscrito poder general a favor de {_dd(cons)}, con D.N.I. "
                f"{fmt_nif(cons.nif, doc.fmt + 2)}, no revocado.",
            )
        )
    b += [
        ("p", "Que no existen asientos de presentación vigentes relativos a la sociedad."),
        ("p", f"Y para que conste, expido la presente en {rm}, a {date_text(doc.date, 'es', 'words')}."),
        ("sig", [f"{'La Registradora' if r.female else 'El Registrador'}"]),
    ]
    if doc.csv:
        b.append(("mono", f"CSV {doc.csv}"))
    return b


@template("h5_nota_web_impresa_es", "registry_certificate", "es", board=True)
def h5_nota_web_impresa(doc: Doc) -> list[tuple]:
    """A web "nota informativa" printed from the browser: the browser's print date and time and the page title
    at the top, the URL and page count at the foot; "Fecha de emisión" in the body; ruled table of current
    charges, then the ceased ones."""
    a, o, pres, sec = (doc.people[k] for k in ("appointed", "outgoing", "president", "secretary"))
    comp, cif = doc.company
    od = doc.other_dates
    rr = _r(doc, 11)
    printed = doc.date + dt.timedelta(days=rr.randrange(0, 3))
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 38, justify=False, margin_t=240)
    doc.style.header = (
        f"{printed.strftime('%d/%m/%y')}, {rr.randrange(8, 20)}:{rr.randrange(0, 60):02d}"
        "                    Registradores de España - Nota informativa"
    )
    doc.style.footer = (
        f"https://sede.registradores.org/site/mercantil/nota?id={rr.randrange(10**8, 10**9)}" + "        {page}/{pages}"
    )

    def f(d: dt.date) -> str:
        return d.strftime("%d/%m/%Y")

    b: list[tuple] = [
        ("h", "Colegio de Registradores · Publicidad Mercantil", 0.9, "l"),
        ("h", "NOTA INFORMATIVA DE ADMINISTRADORES Y CARGOS", 1.2, "l"),
        (
            "grid",
            [0.35, 0.65],
            [
                ["Datos generales", ""],
                ["Denominación", comp.upper()],
                ["NIF", fmt_cif(cif, doc.fmt)],
                ["Registro", f"R.M. de {_rm(doc)} · Hoja {doc.extra['hoja']}"],
                ["Fecha de emisión", f(doc.date)],
            ],
            True,
        ),
        ("h", "Cargos vigentes", 1.0, "l"),
        (
            "table",
            [0.27, 0.36, 0.18, 0.19],
            [
                ["Cargo", "Nombre", "DNI/NIE", "Fecha nombr."],
                [f"President{'a' if pres.female else 'e'}", pres.full, fmt_nif(pres.nif, 0), f(od["old_appointment"])],
                [f"Consejer{_o(a)} Deleg.", a.full, fmt_nif(a.nif, 0), f(od["appointment"])],
                [f"Secretari{_o(sec)} no cons.", sec.full, fmt_nif(sec.nif, 0), f(od["old_appointment"])],
            ],
        ),
        ("h", "Cargos no vigentes (últimos 5 años)", 1.0, "l"),
        (
            "table",
            [0.27, 0.36, 0.18, 0.19],
            [
                ["Cargo", "Nombre", "DNI/NIE", "Fecha cese"],
                ["Consej. Deleg.", o.full, fmt_nif(o.nif, 0), f(od["removal"])],
            ],
        ),
        (
            "pl",
            "La presente nota tiene carácter meramente informativo y no da fe del contenido de los asientos del "
            "Registro (art. 12 del Reglamento del Registro Mercantil).",
        ),
    ]
    if doc.csv:
        b.append(("pl", f"Código de verificación: {doc.csv}"))
    return b


# =========================================================================== mandates

SCOPE_ES = [
    "Comparar ofertas y negociar precios",
    "Contratar suministros de electricidad",
    "Contratar suministros de gas natural",
    "Cambiar de comercializadora",
    "Modificar potencia contratada",
    "Cambiar tarifa de acceso",
    "Solicitar datos de consumo (CUPS)",
    "Presentar reclamaciones",
    "Solicitar el bono social",
    "Gestionar autoconsumo",
]


@template("h5_mandato_comparador_casillas_es", "manager_mandate", "es")
def h5_mandato_comparador(doc: Doc) -> list[tuple]:
    """A comparison company's mandate form: letterhead, numbered boxed sections (client, authorised person),
    a checkbox grid of authorised procedures, supply types ticked, signature date in a field."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 12)
    ticks = [rr.random() < 0.7 for _ in SCOPE_ES]
    ticks[1] = True
    initials = "".join(x[0] for x in gest.split()[:2]).upper()
    _style(doc, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", 38, justify=False, leading=1.45)
    doc.style.footer = f"{gest} · CIF {gcif} · Formulario MR-{rr.randrange(10, 99)} · Pág. {{page}}"
    b: list[tuple] = [
        ("logo", initials, gest.upper(), "Comparador y asesoría energética para empresas"),
        ("h", "AUTORIZACIÓN Y MANDATO DE REPRESENTACIÓN", 1.2, "l"),
        ("pl", f"N.º de expediente: {rr.randrange(10**5, 10**6)} · Rellenar en MAYÚSCULAS"),
        (
            "table",
            [0.32, 0.68],
            [
                ["1. CLIENTE (MANDANTE)", ""],
                ["Razón social", comp.upper()],
                ["CIF", fmt_cif(cif, doc.fmt)],
                ["Representante", g.upper()],
                ["DNI", fmt_nif(g.nif, doc.fmt + 1)],
                ["Cargo", "Administrador/a"],
            ],
        ),
        (
            "table",
            [0.32, 0.68],
            [
                ["2. MANDATARIO", ""],
                ["Nombre y apellidos", a.upper()],
                ["DNI/NIE", fmt_nif(a.nif, doc.fmt)],
                ["En nombre de", f"{gest} (CIF {fmt_cif(gcif, 0)})"],
            ],
        ),
        ("h", "3. ACTUACIONES AUTORIZADAS (marque las que procedan)", 0.9, "l"),
        ("checks", list(zip(ticks, SCOPE_ES)), 2),
        ("h", "4. SUMINISTROS", 0.9, "l"),
        ("checks", [(True, "Electricidad"), (rr.random() < 0.6, "Gas natural"), (False, "Otros")], 3),
        (
            "p",
            f"El mandante autoriza al mandatario a actuar en su nombre ante comercializadoras y distribuidoras "
            f"hasta el {date_text(doc.other_dates['until'], 'es', 'num')}, pudiendo revocar este mandato en "
            f"cualquier momento.",
        ),
        (
            "table",
            [0.32, 0.68],
            [
                ["5. FIRMA", ""],
                ["Lugar", doc.city],
                ["Fecha", date_text(doc.date, "es", ["num", "dash", "num", "dot"][doc.v])],
            ],
        ),
        ("scrawl", ["Firma del cliente", "Firma del mandatario"], doc.seed + 3),
    ]
    if w:
        b.append(("pl", f"Testigo de la firma: {w.full}, DNI {fmt_nif(w.nif, doc.fmt)}"))
    return b


@template("h5_mandat_bilingue_ca", "manager_mandate", "ca")
def h5_mandat_bilingue(doc: Doc) -> list[tuple]:
    """Bilingual mandate: Catalan on the left, Spanish on the right, each column with the parties, the scope,
    the validity and the date in its own language."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    until = doc.other_dates["until"]
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 36, justify=False, leading=1.4)
    cg, ca_ = fmt_cif(cif, doc.fmt), fmt_nif(a.nif, doc.fmt + 1)
    gn = fmt_nif(g.nif, doc.fmt)
    b: list[tuple] = [
        ("cols", ["MANDAT DE REPRESENTACIÓ", "MANDATO DE REPRESENTACIÓN"], 1.15, True),
        (
            "cols",
            [
                f"{_cap(_ca(g))}, amb DNI {gn}, en nom i representació de {comp.upper()}, amb NIF {cg}, com a "
                f"administrador{'a' if g.female else ''},",
                f"{_cap(_dd(g))}, con DNI {gn}, en nombre y representación de {comp.upper()}, con NIF {cg}, como "
                f"administrador{'a' if g.female else ''},",
            ],
        ),
        ("cols", ["ATORGA MANDAT", "OTORGA MANDATO"], 1.0, True),
        (
            "cols",
            [
                f"{'a la senyora' if a.female else 'al senyor'} {a.full}, amb DNI/NIE {ca_}, que actua per compte "
                f"de {gest} (NIF {fmt_cif(gcif, 0)}), perquè gestioni en nom de la societat la contractació, "
                f"modificació i baixa dels subministraments d'electricitat i gas.",
                f"a {_dd(a)}, con DNI/NIE {ca_}, que actúa por cuenta de {gest} (NIF {fmt_cif(gcif, 0)}), para "
                f"que gestione en nombre de la sociedad la contratación, modificación y baja de los suministros de "
                f"electricidad y gas.",
            ],
        ),
        (
            "cols",
            [
                f"Vigència: fins al {date_text(until, 'ca', 'long')}.",
                f"Vigencia: hasta el {date_text(until, 'es', 'long')}.",
            ],
        ),
        (
            "cols",
            [
                f"{doc.city}, {date_text(doc.date, 'ca', ['long', 'num', 'long', 'dot'][doc.v])}",
                f"{doc.city}, {date_text(doc.date, 'es', ['long', 'num', 'long', 'dot'][doc.v])}",
            ],
        ),
        ("scrawl", [f"El mandant / El mandante: {g.full}", f"El mandatari / El mandatario: {a.full}"], doc.seed + 4),
    ]
    if w:
        b.append(("cols", [f"Testimoni: {w.full}, DNI {fmt_nif(w.nif, 0)}", f"Testigo: {w.full}"]))
    return b


def _adobe(p: Person, when: dt.datetime, style: int, cif: str | None = None) -> tuple[str, list[str]]:
    """The appearance of an Adobe signature: the certificate's name big on the left, the details on the right."""
    if cif:  # certificate of a company's representative
        cn = f"{p.nif} {p.given.upper()} {p.surnames.upper()} (R: {cif})"
    elif style % 2:  # FNMT person certificate: surnames first
        cn = f"{p.surnames.upper()} {p.given.upper()} - {p.nif}"
    else:
        cn = f"{p.given.upper()} {p.surnames.upper()} - NIF {p.nif}"

    def last_sunday(month: int) -> dt.date:
        d = dt.date(when.year, month, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)

    summer = last_sunday(3) <= when.date() < last_sunday(10)  # Spanish (peninsular) time: CEST, else CET
    stamp = when.strftime("%Y.%m.%d %H:%M:%S") + (" +02'00'" if summer else " +01'00'")
    return cn, [f"Firmado digitalmente por {cn}", f"Fecha: {stamp}"]


@template("h5_mandato_firma_digital_es", "manager_mandate", "es", digital=True)
def h5_mandato_firma_digital(doc: Doc) -> list[tuple]:
    """A mandate signed only digitally: no date in the text ("en la fecha de la última firma electrónica"),
    two Adobe-style signature stamps at the foot with the date and time of each signature (same day)."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 13)
    t1 = dt.datetime.combine(doc.date, dt.time(rr.randrange(8, 13), rr.randrange(60), rr.randrange(60)))
    t2 = t1 + dt.timedelta(minutes=rr.randrange(3, 300), seconds=rr.randrange(60))
    _style(doc, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", 40, justify=True, leading=1.5)
    doc.style.footer = "Documento firmado electrónicamente · {page}/{pages}"
    rep = doc.v in (1, 2)
    b: list[tuple] = [
        ("h", "MANDATO PARA LA GESTIÓN DE SUMINISTROS ENERGÉTICOS", 1.15, "l"),
        ("h", "REUNIDOS", 1.0, "l"),
        (
            "p",
            f"De una parte, {comp.upper()}, con N.I.F. {fmt_cif(cif, doc.fmt)}, representada por {_dd(g)}, con "
            f"D.N.I. {fmt_nif(g.nif, doc.fmt + 1)}, en calidad de administrador{'a' if g.female else ''} "
            f"(en adelante, el MANDANTE).",
        ),
        (
            "p",
            f"De otra parte, {_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt)}, gestor{'a' if a.female else ''} "
            f"energétic{_o(a)} de {gest}, con N.I.F. {fmt_cif(gcif, 0)} (en adelante, el MANDATARIO).",
        ),
        ("h", "CLÁUSULAS", 1.0, "l"),
        (
            "p",
            "Primera. El MANDANTE encarga al MANDATARIO la gestión de sus contratos de suministro de electricidad "
            "y gas: contratación, cambio de comercializadora, modificaciones de potencia y tarifa, bajas y "
            "reclamaciones.",
        ),
        (
            "p",
            f"Segunda. El mandato estará vigente hasta el {date_text(doc.other_dates['until'], 'es', 'num')} y "
            f"podrá revocarse por escrito en cualquier momento.",
        ),
        (
            "p",
            "Tercera. Las partes firman el presente documento electrónicamente, en la fecha de la última firma "
            "electrónica, que surte los mismos efectos que la firma manuscrita (Reglamento (UE) 910/2014).",
        ),
        ("gap", 1),
        ("grid", [0.5, 0.5], [["EL MANDANTE", "EL MANDATARIO"]], False),
        ("dsig", [_adobe(g, t1, doc.v, cif if rep else None), _adobe(a, t2, doc.v)]),
    ]
    return b


@template("h5_mandato_comunidad_certificado_es", "manager_mandate", "es", community=True, secretary=True)
def h5_mandato_comunidad_certificado(doc: Doc) -> list[tuple]:
    """Community of owners: the secretary-administrator certifies the owners' resolution appointing an energy
    manager and empowering the president; below, the mandate signed by the president; "Vº Bº" block."""
    a, g, sec = doc.people["appointed"], doc.people["grantor"], doc.people["secretary"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    rr = _r(doc, 14)
    meet = doc.date - dt.timedelta(days=rr.randrange(4, 45))
    pres = "Presidenta" if g.female else "Presidente"
    _style(doc, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", 40, justify=True, leading=1.5)
    b: list[tuple] = [
        ("h", comp.upper(), 1.05, "c"),
        ("pl", f"C.I.F. {fmt_cif(cif, doc.fmt)} · {doc.city}"),
        ("h", "CERTIFICADO DE ACUERDO DE LA JUNTA", 1.15, "l"),
        (
            "p",
            f"{_cap(_dd(sec))}, con D.N.I. {fmt_nif(sec.nif, doc.fmt + 1)}, administrador{'a' if sec.female else ''} "
            f"de fincas colegiad{_o(sec)} n.º {rr.randrange(100, 9999)} y Secretari{_o(sec)}-Administrador"
            f"{'a' if sec.female else ''} de la comunidad, CERTIFICA: que en la Junta General Ordinaria celebrada el "
            f"{date_text(meet, 'es', 'long')}, en segunda convocatoria, se acordó por mayoría encargar la gestión "
            f"de los suministros energéticos de los elementos comunes a {gest} y facultar a{'' if g.female else 'l'} "
            f"{'la ' if g.female else ''}{pres}, {g.full}, para firmar el mandato correspondiente.",
        ),
        ("sig", [f"El/La Secretario/a-Administrador/a: {sec.full}", f"Vº Bº {'La' if g.female else 'El'} {pres}"]),
        ("h", "MANDATO", 1.15, "l"),
        (
            "p",
            f"{_cap(_dd(g))}, con D.N.I. {fmt_nif(g.nif, doc.fmt)}, {pres} de la comunidad, en ejecución del acuerdo "
            f"certificado, otorga mandato a {_dd(a)}, con D.N.I./N.I.E. {fmt_nif(a.nif, doc.fmt + 2)}, técnic{_o(a)} "
            f"de {gest} (C.I.F. {fmt_cif(gcif, 0)}), para contratar, modificar y dar de baja los suministros de "
            f"electricidad y gas de la comunidad, hasta el {date_text(doc.other_dates['until'], 'es', 'num')}.",
        ),
        ("p", f"En {doc.city}, a {date_text(doc.date, 'es', ['long', 'num', 'long', 'words'][doc.v])}."),
        ("scrawl", [f"{pres}: {g.full}", f"Acepto: {a.full}"], doc.seed + 5),
        ("seal", ["COMUNIDAD DE PROPIETARIOS", comp.upper()[26:52] or doc.city.upper()], 1, 0.28),
    ]
    if w:
        b.append(("pl", f"Testigo: {w.full}, D.N.I. {fmt_nif(w.nif, 0)}"))
    return b


# =========================================================================== ID documents


def _f(name: str, px: int):
    return K._font(name, px)


@template("h5_id_dni30_es", "id_document", "es", dni30=True)
def h5_dni30(doc: Doc) -> list[Image.Image]:
    """DNI 3.0 (2015-2021): DNI number at the top right, first and second surname on two lines under APELLIDOS,
    NOMBRE, SEXO and NACIONALIDAD side by side, FECHA DE NACIMIENTO, IDESP and VÁLIDO HASTA (no issue date);
    CAN at the foot; back: birthplace, parents, address, TD1 MRZ with the DNI as optional data."""
    p = doc.people["appointed"]
    exp, birth = doc.date, doc.other_dates["birth"]
    rr = _r(doc, 20)
    L, B = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
    front = K.card_base(doc.seed, (232, 222, 216))
    d = ImageDraw.Draw(front)
    d.text((60, 36), "ESPAÑA", font=_f(B, 58), fill=(150, 30, 40))
    d.text((60, 104), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_f(B, 36), fill=(40, 40, 90))
    d.text((1400, 40), "DNI", font=_f(B, 34), fill=(60, 60, 60))
    d.text((1490, 30), p.nif, font=_f("LiberationMono-Bold.ttf", 58), fill=(0, 0, 0))
    d.rectangle([60, 200, 520, 800], fill=(168, 160, 156))
    lab, val = _f(L, 28), _f(B, 50)
    y = 190
    d.text((580, y), "APELLIDOS", font=lab, fill=(80, 70, 70))
    d.text((580, y + 32), p.s1.upper(), font=val, fill=(10, 10, 10))
    d.text((580, y + 92), (p.s2 or "").upper(), font=val, fill=(10, 10, 10))
    y += 180
    d.text((580, y), "NOMBRE", font=lab, fill=(80, 70, 70))
    d.text((580, y + 32), p.given.upper(), font=val, fill=(10, 10, 10))
    y += 120
    d.text((580, y), "SEXO", font=lab, fill=(80, 70, 70))
    d.text((580, y + 32), "F" if p.female else "M", font=val, fill=(10, 10, 10))
    d.text((860, y), "NACIONALIDAD", font=lab, fill=(80, 70, 70))
    d.text((860, y + 32), "ESP", font=val, fill=(10, 10, 10))
    y += 120
    d.text((580, y), "FECHA DE NACIMIENTO", font=lab, fill=(80, 70, 70))
    d.text((580, y + 32), birth.strftime("%d %m %Y"), font=val, fill=(10, 10, 10))
    y += 120
    d.text((580, y), "IDESP", font=lab, fill=(80, 70, 70))
    d.text((580, y + 32), doc.extra["support"], font=val, fill=(10, 10, 10))
    d.text((1160, y), "VÁLIDO HASTA", font=lab, fill=(80, 70, 70))
    d.text((1160, y + 32), exp.strftime("%d %m %Y"), font=val, fill=(10, 10, 10))
    d.text((60, 1140), f"CAN {rr.randrange(10**5, 10**6)}", font=_f(L, 34), fill=(60, 60, 60))
    d.line([(1250, 1160), (1420, 1090), (1500, 1150), (1700, 1080)], fill=(30, 30, 90), width=4)
    back = K.card_base(doc.seed + 71, (226, 226, 220))
    d2 = ImageDraw.Draw(back)
    lines = [
        f"LUGAR DE NACIMIENTO  {rr.choice(K.CITIES).upper()}",
        f"HIJO/A DE  {rr.choice(['ANTONIO', 'MANUEL', 'JOSE', 'FRANCISCO'])} / "
        f"{rr.choice(['MARIA', 'CARMEN', 'ANA', 'ISABEL'])}",
        f"DOMICILIO  {rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 140)} P{rr.randrange(1, 9)}",
        f"{doc.city.upper()}",
    ]
    for i, s in enumerate(lines):
        d2.text((60, 50 + i * 62), s, font=_f(L, 38), fill=(20, 20, 20))
    mrz = K.td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 862 + i * 120), ln, font=_f("DejaVuSansMono.ttf", 67), fill=(0, 0, 0))
    return [front, back]


def td3_mrz_personal(number: str, birth: dt.date, sex: str, expiry: dt.date, person: Person) -> list[str]:
    """ICAO 9303 TD3 of a Spanish passport: the DNI as personal number (H3.td3_mrz leaves it empty)."""
    name = K._mrz_name(person.surnames).strip("<")
    while "<<" in name:
        name = name.replace("<<", "<")
    l1 = (f"P<ESP{name}<<{K._mrz_name(person.given).strip('<')}" + "<" * 44)[:44]
    num = number.ljust(9, "<")[:9]
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    pers = person.nif.ljust(14, "<")
    l2 = f"{num}{K.mrz_check(num)}ESP{b}{K.mrz_check(b)}{sex}{e}{K.mrz_check(e)}{pers}{K.mrz_check(pers)}"
    l2 += K.mrz_check(l2[0:10] + l2[13:20] + l2[21:43])
    assert len(l1) == len(l2) == 44, (l1, l2)
    return [l1, l2]


MONTH_ABBR = ["ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC"]
MONTH_EN3 = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def _pdate(d: dt.date) -> str:  # "12 MAR/MAR 2031"
    return f"{d.day:02d} {MONTH_ABBR[d.month - 1]}/{MONTH_EN3[d.month - 1]} {d.year}"


def _paper(blocks: list[tuple], **kw) -> Image.Image:
    st = K.Style(font="LiberationSans-Regular.ttf", bold="LiberationSans-Bold.ttf", size=40, justify=False, **kw)
    return K.render_pages(blocks, st, dpi=600)[0]


def _paste_dark(sheet: Image.Image, im: Image.Image, xy: tuple[int, int]):
    x, y = xy
    region = np.asarray(sheet.crop((x, y, x + im.width, y + im.height)))
    sheet.paste(Image.fromarray(np.minimum(region, np.asarray(im.convert("L")))), (x, y))


@template("h5_id_pasaporte_es", "id_document", "es", paper=True, passport=True)
def h5_pasaporte(doc: Doc) -> list[Image.Image]:
    """A4 photocopy (600 dpi) of a Spanish passport opened at the data page: the facing page with the holder's
    signature above, the data page below (trilingual labels, DNI as personal number, issue and expiry dates as
    "12 MAR/MAR 2031", issuing authority) and the TD3 MRZ (two lines of 44)."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    rr = _r(doc, 21)
    number = f"{rr.choice(['PA', 'PB', 'XD', 'AA'])}{rr.choice('ABCDEFGHJK')}{rr.randrange(10**5, 10**6)}"
    W, H = 2953, 2079  # 125 x 88 mm at 600 dpi
    page = Image.new("RGB", (W, H), (236, 228, 232))
    d = ImageDraw.Draw(page)
    for yy in range(0, H, 26):  # fine guilloche lines
        d.line([(0, yy), (W, yy + 60)], fill=(226, 214, 222), width=2)
    L, B = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
    d.text((640, 50), "REINO DE ESPAÑA", font=_f(B, 62), fill=(110, 20, 50))
    d.text((640, 130), "PASAPORTE / PASSPORT / PASSEPORT", font=_f(L, 44), fill=(110, 20, 50))
    d.rectangle([70, 260, 590, 1000], fill=(160, 154, 158))
    lab, val = _f(L, 30), _f(B, 54)
    cells = [
        ((640, 230), "Tipo/Type/Type", "P"),
        ((1000, 230), "Código/Code/Code", "ESP"),
        ((1500, 230), "Pasaporte N.º/Passport No./Passeport N.º", number),
        ((640, 380), "Apellidos/Surname/Nom", p.surnames.upper()),
        ((640, 530), "Nombre/Given names/Prénoms", p.given.upper()),
        ((640, 680), "Nacionalidad/Nationality/Nationalité", "ESPAÑOLA"),
        ((1700, 680), "DNI/Personal No.", p.nif),
        ((640, 830), "Fecha de nacimiento/Date of birth", _pdate(birth)),
        ((1700, 830), "Sexo/Sex/Sexe", "F" if p.female else "M"),
        ((640, 980), "Lugar de nacimiento/Place of birth", rr.choice(K.CITIES).upper()),
        ((640, 1130), "Fecha de expedición/Date of issue", _pdate(iss)),
        ((1700, 1130), "Autoridad/Authority", f"DGP - {doc.city.upper()}"),
        ((640, 1280), "Fecha de caducidad/Date of expiry", _pdate(exp)),
    ]
    for (x, y), label, value in cells:
        d.text((x, y), label, font=lab, fill=(90, 60, 80))
        d.text((x, y + 38), value, font=val, fill=(10, 10, 10))
    d.line([(120, 1300), (300, 1240), (380, 1300), (540, 1220)], fill=(30, 30, 90), width=6)
    mrz = td3_mrz_personal(number, birth, "F" if p.female else "M", exp, p)
    doc.extra["mrz_td3"] = mrz
    mf = _f("DejaVuSansMono.ttf", 74)
    for i, ln in enumerate(mrz):
        d.text((80, 1700 + i * 140), ln, font=mf, fill=(0, 0, 0))
    facing = Image.new("RGB", (W, H), (238, 232, 234))
    fd = ImageDraw.Draw(facing)
    fd.text((120, 120), "OBSERVACIONES / OBSERVATIONS", font=_f(B, 48), fill=(90, 60, 80))
    fd.text((120, 1500), "Firma del titular / Holder's signature", font=_f(L, 40), fill=(90, 60, 80))
    H4._draw_scribble(facing, fd, ("draw", None, 200, 1400, 900, doc.seed), 2)
    sheet = Image.new("L", (K.A4[0] * 2, K.A4[1] * 2), 255)
    x0 = (sheet.width - W) // 2
    _paste_dark(sheet, facing.point(lambda v: min(255, int(v * 1.05))), (x0, 700))
    _paste_dark(sheet, page.point(lambda v: min(255, int(v * 1.05))), (x0, 700 + H + 20))
    sd = ImageDraw.Draw(sheet)
    sd.rectangle([x0 - 30, 670, x0 + W + 30, 700 + 2 * H + 50], outline=60, width=6)
    return [sheet.convert("RGB")]


EU5 = [  # (given, surname, sex, nationality code, nationality as printed)
    ("Tomasz", "Kowalczyk", "M", "POL", "POLONIA"),
    ("Ioana", "Marin", "F", "ROU", "RUMANÍA"),
    ("Hans", "Becker", "M", "DEU", "ALEMANIA"),
    ("Élodie", "Martin", "F", "FRA", "FRANCIA"),
    ("Bram", "de Vries", "M", "NLD", "PAÍSES BAJOS"),
    ("Aoife", "Murphy", "F", "IRL", "IRLANDA"),
    ("Luca", "Conti", "M", "ITA", "ITALIA"),
    ("Inês", "Carvalho", "F", "PRT", "PORTUGAL"),
    ("Mikael", "Andersson", "M", "SWE", "SUECIA"),
    ("Bogdan", "Dumitrescu", "M", "ROU", "RUMANÍA"),
]
TIE5 = [  # third-country nationals for the residence card
    ("Fatima Zahra", "Benali", "", "F", "MAR"),
    ("Oksana", "Melnyk", "", "F", "UKR"),
    ("Jhon Edwar", "Mosquera", "Palacios", "M", "COL"),
    ("Li Na", "Wang", "", "F", "CHN"),
    ("Bilal", "Hussain", "", "M", "PAK"),
    ("Aminata", "Traoré", "", "F", "MLI"),
    ("Nicolás", "Benítez", "Acosta", "M", "VEN"),
    ("Rosa Elena", "Quispe", "Huamán", "F", "PER"),
]


def make_eu5_person(rng: random.Random) -> Person:
    g, s, sex, _, _ = rng.choice(EU5)
    return Person(g, s, "", K.make_nie(rng), sex)


def make_tie5_person(rng: random.Random) -> Person:
    g, s1, s2, sex, _ = rng.choice(TIE5)
    return Person(g, s1, s2, K.make_nie(rng), sex)


def _eu_nat(p: Person) -> str:
    return next((n for g, s, _, _, n in EU5 if (g, s) == (p.given, p.s1)), "RUMANÍA")


def _tie_nat(p: Person) -> str:
    return next((n for g, s1, _, _, n in TIE5 if (g, s1) == (p.given, p.s1)), "MAR")


@template("h5_id_certificado_nie_blanco_es", "id_document", "es", paper=True, eu=True, no_expiry=True)
def h5_cert_nie_blanco(doc: Doc) -> list[Image.Image]:
    """The white A4 "Certificado de registro de ciudadano de la Unión" (600 dpi): police heading, dotted
    label lines, NIE, the registration number, the issue date in the closing formula and as "Fecha:" under the
    stamp; no expiry."""
    p = doc.people["appointed"]
    iss, birth = doc.other_dates["issue"], doc.other_dates["birth"]
    rr = _r(doc, 22)

    def dots(label: str, value: str) -> tuple:
        return ("pl", f"{label} {'.' * max(3, 34 - len(label))} {value}")

    b: list[tuple] = [
        ("pl", "MINISTERIO DEL INTERIOR"),
        ("pl", "DIRECCIÓN GENERAL DE LA POLICÍA"),
        ("pl", "COMISARÍA GENERAL DE EXTRANJERÍA Y FRONTERAS"),
        ("r", f"N.º de registro: {rr.randrange(10**6, 10**7)}"),
        ("gap", 2),
        ("h", "CERTIFICADO DE REGISTRO DE CIUDADANO DE LA UNIÓN", 1.15, "c"),
        ("gap", 1),
        (
            "p",
            "Conforme a lo establecido en el Real Decreto 240/2007, de 16 de febrero, sobre entrada, libre "
            "circulación y residencia en España de ciudadanos de los Estados miembros de la Unión Europea, se "
            "certifica que ha quedado inscrito en el Registro Central de Extranjeros:",
        ),
        dots("NOMBRE", p.given.upper()),
        dots("APELLIDOS", p.surnames.upper()),
        dots("NACIONALIDAD", _eu_nat(p)),
        dots("FECHA DE NACIMIENTO", birth.strftime("%d-%m-%Y")),
        dots("SEXO", "M" if p.female else "H"),
        dots("DOMICILIO", f"{rr.choice(K.STREETS_ES).upper()} {rr.randrange(1, 120)}, {doc.city.upper()}"),
        dots("N.I.E.", p.nif),
        (
            "p",
            f"Y para que conste, a petición del interesado, se expide el presente certificado en {doc.city}, a "
            f"{date_text(iss, 'es', 'long')}.",
        ),
        ("stamp", ["DIRECCIÓN GENERAL DE LA POLICÍA", "BRIGADA DE EXTRANJERÍA", doc.city.upper()]),
        ("pl", f"Fecha: {iss.strftime('%d/%m/%Y')}"),
        ("sig", ["Firma del funcionario", "Firma del titular"]),
        (
            "pl",
            "Este certificado no es válido como documento de identidad ni acredita la nacionalidad del titular.",
        ),
    ]
    return [_paper(b, margin_t=320, margin_l=300).convert("RGB")]


def _tie_cards(doc: Doc, p: Person) -> list[Image.Image]:
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    L, B = "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"
    front = K.card_base(doc.seed, (226, 234, 222))
    d = ImageDraw.Draw(front)
    d.text((60, 40), "PERMISO DE RESIDENCIA", font=_f(B, 56), fill=(40, 70, 40))
    d.text((60, 110), "ESPAÑA", font=_f(B, 40), fill=(120, 30, 30))
    d.rectangle([60, 200, 500, 780], fill=(150, 158, 150))
    rows = [
        ("APELLIDOS", p.surnames.upper()),
        ("NOMBRE", p.given.upper()),
        ("NACIONALIDAD", _tie_nat(p)),
        ("SEXO", "F" if p.female else "M"),
        ("VALIDEZ", exp.strftime("%d %m %Y")),
    ]
    y = 190
    for label, value in rows:
        d.text((560, y), label, font=_f(L, 30), fill=(60, 80, 60))
        d.text((560, y + 34), value, font=_f(B, 52), fill=(10, 10, 10))
        y += 118
    d.text((60, 850), "TIPO DE PERMISO", font=_f(L, 30), fill=(60, 80, 60))
    d.text((60, 884), doc.extra.get("permit", "RESIDENCIA LARGA DURACIÓN"), font=_f(B, 46), fill=(10, 10, 10))
    d.text((60, 990), "N.I.E.", font=_f(L, 30), fill=(60, 80, 60))
    d.text((60, 1024), p.nif, font=_f("LiberationMono-Bold.ttf", 64), fill=(0, 0, 0))
    back = K.card_base(doc.seed + 81, (228, 232, 224))
    d2 = ImageDraw.Draw(back)
    d2.text((60, 50), f"LUGAR DE NACIMIENTO  {_tie_nat(p)}", font=_f(L, 38), fill=(20, 20, 20))
    d2.text((60, 110), f"FECHA DE NACIMIENTO  {birth.strftime('%d %m %Y')}", font=_f(L, 38), fill=(20, 20, 20))
    d2.text((60, 170), f"EXPEDICIÓN  {doc.city.upper()}  {iss.strftime('%d %m %Y')}", font=_f(L, 38), fill=(20, 20, 20))
    mrz = K.td1_mrz("IR", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, _tie_nat(p), p)
    doc.extra["mrz"] = mrz
    for i, ln in enumerate(mrz):
        d2.text((66, 862 + i * 120), ln, font=_f("LiberationMono-Regular.ttf", 70), fill=(0, 0, 0))
    return [front, back]


@template("h5_id_copia_targeta_residencia_ca", "id_document", "ca", paper=True, tie=True)
def h5_copia_targeta_residencia(doc: Doc) -> list[Image.Image]:
    """A4 Catalan print-out (600 dpi) of a residence card: office heading and a summary table in Catalan
    (document, NIE, surnames, name, issue and expiry dates, permit type), then the card's two sides (Spanish
    labels) and a note of the copy's collation."""
    p = doc.people["appointed"]
    exp, iss = doc.date, doc.other_dates["issue"]
    rr = _r(doc, 23)
    permit = doc.extra.get("permit", "RESIDENCIA LARGA DURACIÓN")
    tipus = "Residència de llarga durada" if "LARGA" in permit else "Residència temporal i treball"
    b: list[tuple] = [
        ("pl", f"Ajuntament de {doc.city} · Oficina d'Atenció Ciutadana"),
        ("h", "CÒPIA DE LA TARGETA DE RESIDÈNCIA", 1.2, "l"),
        (
            "table",
            [0.4, 0.6],
            [
                ["Dades del document", ""],
                ["Document", "Targeta d'identitat d'estranger (TIE)"],
                ["Número d'identitat d'estranger (NIE)", p.nif],
                ["Cognoms", p.surnames.upper()],
                ["Nom", p.given.upper()],
                ["Data d'expedició", iss.strftime("%d/%m/%Y")],
                ["Data de caducitat", exp.strftime("%d/%m/%Y")],
                ["Tipus d'autorització", tipus],
            ],
        ),
        ("gap", 1),
        (
            "p",
            f"Aquesta còpia concorda amb l'original que m'ha estat exhibit. {doc.city}, "
            f"{date_text(doc.upload - dt.timedelta(days=rr.randrange(1, 20)), 'ca', 'long')}.",
        ),
        ("sig", ["Segell i signatura de l'oficina"]),
    ]
    kw = {"margin_t": 300, "margin_l": 320}
    st = K.Style(font="LiberationSans-Regular.ttf", bold="LiberationSans-Bold.ttf", size=40, justify=False, **kw)
    top = K.layout_blocks(b[:3], st, dpi=600)[0]
    y = max(op[4] for op in top if op[0] == "rect") + 120  # under the table
    lh = int(st.size * 2 * st.leading)
    sheet = _paper(b[:3] + [("gap", (2 * 1276 + 240) // lh + 2)] + b[4:], **kw)
    cards = _tie_cards(doc, p)
    _paste_dark(sheet, cards[0], (640, y))
    _paste_dark(sheet, cards[1], (640, y + 1276 + 100))
    return [sheet.convert("RGB")]


# =========================================================================== plan

PLAN = {
    # (template, variants full, variants small): true claims of the appointed person
    "docs": [
        ("h5_poder_pleitos_varios_es", ["clean", "photo", "rot90"], ["photo"]),
        ("h5_poder_presidente_comunidad_es", ["clean", "tiff"], []),
        ("h5_poder_anexo_pie_es", ["clean", "photo", "pdf_scan"], ["clean"]),
        ("h5_poder_timbre_lateral_es", ["clean", "photo", "skew"], []),
        ("h5_poder_versaletes_ca", ["clean", "photo", "dpi600"], ["clean"]),
        ("h5_fusion_absorcion_es", ["clean", "photo", "pdf_text"], ["pdf_text"]),
        ("h5_cambio_organo_mancomunados_es", ["clean", "noisy"], []),
        ("h5_escriptura_duna_part_ca", ["clean", "photo", "rot270"], ["clean"]),
        ("h5_constitucion_sl_es", ["clean", "pdf_scan", "lowcontrast"], []),
        ("h5_rmc_historial_es", ["clean", "photo", "pdf_text"], ["clean"]),
        ("h5_certificacio_rm_barcelona_ca", ["clean", "photo", "skew"], []),
        ("h5_certificacion_fecha_letras_es", ["clean", "photo", "tiff"], ["photo"]),
        ("h5_nota_web_impresa_es", ["clean", "pdf_text"], []),
        ("h5_mandato_comparador_casillas_es", ["clean", "photo", "rot180"], ["clean"]),
        ("h5_mandat_bilingue_ca", ["clean", "photo", "pdf_text"], []),
        ("h5_mandato_firma_digital_es", ["pdf_text", "clean", "photo"], ["pdf_text"]),
        ("h5_mandato_comunidad_certificado_es", ["clean", "jpeg200"], []),
    ],
    # (template, case, variants full, variants small): claims that must NOT come out clear
    "cases": [
        ("h5_poder_pleitos_varios_es", "lookalike_claims", ["clean", "photo"], ["clean"]),
        ("h5_poder_pleitos_varios_es", "grantor_claims", ["pdf_text"], []),
        ("h5_poder_presidente_comunidad_es", "secretary_claims", ["clean"], []),
        ("h5_poder_presidente_comunidad_es", "grantor_claims", ["photo"], []),
        ("h5_poder_anexo_pie_es", "outgoing_claims", ["clean"], []),
        ("h5_poder_anexo_pie_es", "nif_off_claims", ["photo"], []),
        ("h5_poder_timbre_lateral_es", "notary_claims", ["clean", "photo"], ["clean"]),
        ("h5_poder_versaletes_ca", "grantor_claims", ["pdf_text"], []),
        ("h5_fusion_absorcion_es", "president_claims", ["clean"], []),
        ("h5_fusion_absorcion_es", "outgoing_claims", ["photo"], []),
        ("h5_cambio_organo_mancomunados_es", "outgoing_claims", ["clean"], []),
        ("h5_cambio_organo_mancomunados_es", "nif_off_claims", ["pdf_text"], []),
        ("h5_escriptura_duna_part_ca", "outgoing_claims", ["photo"], []),
        ("h5_escriptura_duna_part_ca", "secretary_claims", ["clean"], []),
        ("h5_constitucion_sl_es", "lookalike_claims", ["clean"], []),
        ("h5_rmc_historial_es", "outgoing_claims", ["clean"], []),
        ("h5_rmc_historial_es", "stale_certificate", ["clean", "photo"], ["clean"]),
        ("h5_certificacio_rm_barcelona_ca", "undated_certificate", ["clean"], []),
        ("h5_certificacio_rm_barcelona_ca", "secretary_claims", ["photo"], []),
        ("h5_certificacio_rm_barcelona_ca", "president_claims", ["clean"], []),
        ("h5_certificacion_fecha_letras_es", "stale_certificate", ["pdf_text"], []),
        ("h5_certificacion_fecha_letras_es", "lookalike_claims", ["clean"], []),
        ("h5_nota_web_impresa_es", "president_claims", ["clean"], []),
        ("h5_mandato_comparador_casillas_es", "witness_claims", ["clean", "photo"], []),
        ("h5_mandato_comparador_casillas_es", "nif_off_claims", ["clean"], []),
        ("h5_mandat_bilingue_ca", "grantor_claims", ["clean"], []),
        ("h5_mandato_firma_digital_es", "lookalike_claims", ["pdf_text"], []),
        ("h5_mandato_firma_digital_es", "grantor_claims", ["clean"], []),
        ("h5_mandato_comunidad_certificado_es", "secretary_claims", ["clean"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("h5_poder_timbre_lateral_es", "clean", "h5_id_dni30_es", "clean", False),
        ("h5_mandato_comparador_casillas_es", "photo", "h5_id_copia_targeta_residencia_ca", "clean", False),
        ("h5_fusion_absorcion_es", "clean", "h5_id_pasaporte_es", "photo", False),
        ("h5_mandato_firma_digital_es", "pdf_text", "h5_id_certificado_nie_blanco_es", "clean", False),
        ("h5_rmc_historial_es", "clean", "h5_id_dni30_es", "rot90", True),
        ("h5_escriptura_duna_part_ca", "clean", "h5_id_copia_targeta_residencia_ca", "rot180", True),
        ("h5_poder_anexo_pie_es", "clean", "h5_id_pasaporte_es", "skew", True),
        ("h5_mandat_bilingue_ca", "clean", "h5_id_dni30_es", "pdf_scan", False),
    ],
    "small_sets": 2,
}


def _id_dates(doc: Doc, rng: random.Random, upload: dt.date, expired: bool, t: dict):
    """Issue / expiry / birth dates as the issuing authority sets them (``doc.date`` None: no expiry)."""

    def day(y: int, m: int) -> dt.date:
        return dt.date(y, m, rng.randrange(1, 29))

    birth = day(rng.randrange(1952, 1991), rng.randrange(1, 13))
    if t.get("dni30"):  # issued 2015-2021
        iss = day(2015, rng.randrange(1, 13)) if expired else day(rng.randrange(2017, 2021), rng.randrange(1, 13))
        if expired and rng.random() < 0.5:
            iss = day(2016, rng.randrange(1, 10))
        exp = iss.replace(year=iss.year + 10)
    elif t.get("passport"):  # expires ten years after the issue, on the same day
        iss = upload - dt.timedelta(days=rng.randrange(3690, 4500) if expired else rng.randrange(100, 3400))
        iss = iss.replace(day=min(iss.day, 28))
        exp = iss.replace(year=iss.year + 10)
    elif t.get("no_expiry"):  # registration certificate: issue date only
        iss, exp = upload - dt.timedelta(days=rng.randrange(200, 4000)), None
    else:  # residence card: five years long-term, two temporary
        years = rng.choice([5, 5, 2])
        doc.extra["permit"] = "RESIDENCIA LARGA DURACIÓN" if years == 5 else "RESIDENCIA TEMPORAL Y TRABAJO"
        if expired:
            exp = upload - dt.timedelta(days=rng.randrange(20, 600))
        else:
            exp = upload + dt.timedelta(days=rng.randrange(60, 365 * years - 60))
        iss = exp.replace(year=exp.year - years, day=min(exp.day, 28))
    if t.get("dni30") or t.get("passport"):  # ten-year documents: holders between 30 and 70 when issued
        birth = day(rng.randrange(iss.year - 69, iss.year - 30), rng.randrange(1, 13))
    doc.date, doc.other_dates["issue"], doc.other_dates["birth"] = exp, iss, birth


def _holder(idname: str):
    """The maker of an ID card's holder (see corpus2.plan_part)."""
    t = TEMPLATES[idname]
    if t.get("eu"):
        return make_eu5_person
    if t.get("tie"):
        return make_tie5_person
    return K.make_person  # a Spanish national (DNI 3.0, Spanish passport)


HOJA = {
    "Madrid": "M",
    "Barcelona": "B",
    "Valencia": "V",
    "Sevilla": "SE",
    "Zaragoza": "Z",
    "Málaga": "MA",
    "Bilbao": "BI",
    "Valladolid": "VA",
    "Girona": "GI",
    "Lleida": "L",
    "Tarragona": "T",
    "Alicante": "A",
    "Murcia": "MU",
    "Palma": "PM",
}


def _add(doc: Doc, rng: random.Random, key: str, role: str, nif: bool = True):
    K.add_person(doc, key, role, K.make_person(rng, doc.lang), nif)


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
    if t.get("community"):
        cname, ccif, city = K.make_community(rng, lang)
        doc.company, doc.city = (cname, ccif), city
    if t.get("revoked") and "revoked" not in doc.people:
        _add(doc, rng, "revoked", "outgoing")
    if t.get("pleitos"):
        K.drop_people(doc, "revoked")
        _add(doc, rng, "attorney2", "appointed")
        for k in ("proc1", "proc2", "proc3", "letrado1", "letrado2"):
            _add(doc, rng, k, "appointed", nif=False)
    if t.get("secretary") and "secretary" not in doc.people:
        _add(doc, rng, "secretary", "other")
    if t.get("merger"):
        K.drop_people(doc, "secretary")
        _add(doc, rng, "president", "other")
        _add(doc, rng, "absorbed_admin", "other")
        _add(doc, rng, "vocal", "other", nif=False)
        doc.extra["absorbed"] = K.make_company(rng)
    if t.get("coadmin"):
        _add(doc, rng, "coadmin", "appointed")
    if t.get("founders"):  # a new limited company: its provisional NIF starts with B
        form = rng.choice(["S.L.", "SOCIEDAD LIMITADA"])
        doc.company = (f"{rng.choice(K.COMPANY_A)} {rng.choice(K.COMPANY_B)} {form}", K.make_cif(rng, "B"))
        K.drop_people(doc, "outgoing", "secretary")
        _add(doc, rng, "founder1", "other")
        _add(doc, rng, "founder2", "other")
    if t.get("notary_ref"):  # quoted, not authorising
        _add(doc, rng, "notary_ref", "notary", nif=False)
    if t.get("historic"):
        _add(doc, rng, "historic", "outgoing")
    if t.get("board"):  # registry: a board; the (optional) attorney is not printed
        K.drop_people(doc, "consejero")
        _add(doc, rng, "president", "other")
        _add(doc, rng, "secretary", "other")
    if name == "h5_certificacio_rm_barcelona_ca":
        doc.city = "Barcelona"
    if doc.doc_type == "registry_certificate":  # the sheet's letters are those of the registry's province
        doc.extra["hoja"] = f"{HOJA.get(_rm(doc), 'M')}-{doc.extra['hoja'].split('-')[1]}"
    if name == "h5_nota_web_impresa_es":
        doc.registrar = None  # a web note is not signed
    if t.get("digital"):
        K.drop_people(doc, "witness")
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
    e = K.holdout_entry(doc, part, variant, case, set_id, rng, "revoked" if revoked else None)
    if TEMPLATES[doc.template].get("dni30"):
        e["expect"]["issue_date"] = None  # not printed on the card: nothing to read
    return e


def plan(profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of the holdout5 part; cheap (no rendering)."""
    return K.plan_part(PART, PLAN, profile, seed, make=_make, entry=_entry, upload_step=3, holder=_holder)
