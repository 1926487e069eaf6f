"""Second synthetic corpus for the OCR pre-check (independent of corpus.py).

    python tests/ocr/corpus2.py --out DIR [--part dev|holdout|holdout2|holdout3|holdout4|holdout5|holdout6|holdout7|holdout8|holdout9|holdout10] [--profile small|full] [--seed N]

Writes the files plus ``manifest.json`` ({"part", "profile", "seed", "entries"}; one entry per file,
schema in :func:`_entry`).  This module holds the DEV templates, the shared rendering engine (blocks
-> pages, several fonts, justified text, tables, headers/footers, stamps), the ID-card renderer
(labelled fields + TD1 MRZ with ICAO 9303 check digits) and the builder; ``corpus_holdout.py`` holds
the HOLDOUT templates and uses the same builder and manifest schema.

Everything is a pure function of (part, profile, seed): no ``date.today()``; each entry has a fixed
upload date (2026-11-20 plus a small offset) and its document dates are relative to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import sys
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw
from stdnum.es import cif as _cif
from stdnum.es import dni as _dni
from stdnum.es import nie as _nie

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

try:  # imported as tests.ocr.corpus2 or as a top-level module from tests/ocr
    from tests.ocr import corpus as C1
except ImportError:  # pragma: no cover
    import corpus as C1  # type: ignore

make_dni, make_nie, one_digit_off = C1.make_dni, C1.make_nie, C1.one_digit_off
_font, _save = C1._font, C1._save

UPLOAD_BASE = dt.date(2026, 11, 20)
DPI = 300
A4 = (2480, 3508)

# --------------------------------------------------------------------------- names and identifiers

GIVEN_ES = [
    "María José",
    "José Antonio",
    "Juan Carlos",
    "María del Carmen",
    "Ana Belén",
    "Francisco Javier",
    "Luis",
    "Alberto",
    "Rocío",
    "Inmaculada",
    "Concepción",
    "Jesús",
    "Fernando",
    "Gonzalo",
    "Beatriz",
    "Cristina",
    "Marta",
    "Alejandro",
    "Ignacio",
    "Lucía",
    "Álvaro",
    "Íñigo",
    "Begoña",
    "Ramón",
    "Pilar",
    "Sofía",
]
GIVEN_CA = [
    "Montserrat",
    "Pau",
    "Arnau",
    "Laia",
    "Mireia",
    "Meritxell",
    "Queralt",
    "Oriol",
    "Jordi",
    "Núria",
    "Roser",
    "Carles",
    "Josep Maria",
    "Maria Dolors",
    "Enric",
    "Mònica",
    "Àngels",
    "Martí",
    "Eulàlia",
    "Xavier",
]
SURN_ES = [
    "García",
    "Rodríguez",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Jiménez",
    "Ruiz",
    "Hernández",
    "Díaz",
    "Moreno",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Navarro",
    "Domínguez",
    "Vázquez",
    "Serrano",
    "Ortega",
    "Rubio",
    "Molina",
    "Delgado",
    "Iglesias",
    "Núñez",
    "Medina",
    "Garrido",
    "Cortés",
    "Lozano",
    "Méndez",
    "Calvo",
    "Gallego",
    "Márquez",
    "Herrera",
    "Peña",
    "Cabrera",
    "Carrasco",
    "Ibáñez",
    "Benítez",
    "de la Fuente",
    "del Río",
    "de Miguel",
    "de las Heras",
    "de la Torre",
    "del Pino",
    "de los Santos",
    "Ruiz-Giménez",
    "Pérez-Llorca",
    "Sáenz de Santa María",
]
SURN_CA = [
    "Puig",
    "Ferrer",
    "Vilaseca",
    "Casals",
    "Roca",
    "Soler",
    "Font",
    "Sala",
    "Coll",
    "Mas",
    "Prat",
    "Riera",
    "Bosch",
    "Camps",
    "Pujol",
    "Sabaté",
    "Gispert",
    "Vilanova",
    "Esteve",
    "Comas",
    "Fabregat",
    "Serra",
    "Domènech",
    "Bertran",
    "Cabré",
    "Rovira",
    "Masdéu",
    "Vidal",
    "Castellví",
    "Llobet",
]
FOREIGN = [
    ("Mihaela", "Popescu"),
    ("Lucas", "Ferreira Santos"),
    ("Yusuf", "El Amrani"),
    ("Olena", "Kovalenko"),
    ("Pierre", "Dubois"),
    ("Giulia", "Bianchi"),
    ("Ahmed", "Ben Salah"),
    ("Ana Paula", "da Silva Costa"),
    ("Wei", "Zhang"),
    ("Svetlana", "Ivanova"),
    ("Mamadou", "Diallo"),
    ("Ewa", "Nowak"),
]
FEMALE = {
    "María José",
    "Ana Belén",
    "María del Carmen",
    "Rocío",
    "Inmaculada",
    "Concepción",
    "Beatriz",
    "Cristina",
    "Marta",
    "Lucía",
    "Begoña",
    "Pilar",
    "Sofía",
    "Montserrat",
    "Laia",
    "Mireia",
    "Meritxell",
    "Queralt",
    "Núria",
    "Roser",
    "Maria Dolors",
    "Mònica",
    "Àngels",
    "Eulàlia",
    "Mihaela",
    "Olena",
    "Giulia",
    "Ana Paula",
    "Svetlana",
    "Ewa",
}

COMPANY_A = [
    "Climatizaciones",
    "Instalaciones",
    "Frigoríficos",
    "Hornos",
    "Conservas",
    "Gráficas",
    "Aceites",
    "Cerámicas",
    "Logística",
    "Metalúrgica",
    "Hotels",
    "Forns",
    "Tèxtils",
    "Viveros",
    "Lácteos",
]
COMPANY_B = [
    "Besòs",
    "Guadarrama",
    "del Maresme",
    "Alcarria",
    "Sierra Nevada",
    "Empordà",
    "del Jiloca",
    "Urgell",
    "Moncayo",
    "Penedès",
    "Tajo",
    "Bierzo",
    "Ripollès",
    "Almanzora",
    "Priorat",
]
FORMS = ["S.L.", "S.A.", "S.L.U.", "SOCIEDAD LIMITADA", "S.L.L."]
GESTORAS = [
    "Gestiones Energéticas Ebro S.L.",
    "Enerfinques Consultors S.L.",
    "Administraciones Delgado y Asociados S.L.",
    "Eficiencia y Ahorro Energético del Sur S.L.",
    "Finques Prat i Associats S.L.",
    "Watt Gestió S.L.U.",
]
STREETS_ES = [
    "Calle Alcalá",
    "Avenida de América",
    "Calle Mayor",
    "Paseo de la Castellana",
    "Calle Goya",
    "Calle San Vicente Mártir",
    "Avenida de la Constitución",
    "Calle del Doctor Fleming",
]
STREETS_CA = [
    "Carrer de Còrsega",
    "Carrer de Balmes",
    "Passeig de Sant Joan",
    "Carrer Major",
    "Rambla de Catalunya",
    "Carrer del Comte d'Urgell",
    "Avinguda de Roma",
]
CITIES = [
    "Madrid",
    "Barcelona",
    "Valencia",
    "Sevilla",
    "Zaragoza",
    "Málaga",
    "Bilbao",
    "Valladolid",
    "Girona",
    "Lleida",
    "Tarragona",
    "Sabadell",
    "Alicante",
    "Murcia",
    "Palma",
]
CITIES_CA = ["Barcelona", "Girona", "Lleida", "Tarragona", "Sabadell", "Terrassa", "Reus", "Vic", "Manresa"]
COLEGIO = {
    "Madrid": "Madrid",
    "Barcelona": "Cataluña",
    "Girona": "Cataluña",
    "Lleida": "Cataluña",
    "Tarragona": "Cataluña",
    "Sabadell": "Cataluña",
    "Terrassa": "Cataluña",
    "Reus": "Cataluña",
    "Vic": "Cataluña",
    "Manresa": "Cataluña",
    "Valencia": "Valencia",
    "Alicante": "Valencia",
    "Sevilla": "Andalucía",
    "Málaga": "Andalucía",
    "Zaragoza": "Aragón",
    "Bilbao": "País Vasco",
    "Valladolid": "Castilla y León",
    "Murcia": "Murcia",
    "Palma": "las Illes Balears",
}
PROVINCE_RM = {
    "Sabadell": "Barcelona",
    "Terrassa": "Barcelona",
    "Reus": "Tarragona",
    "Vic": "Barcelona",
    "Manresa": "Barcelona",
}
MONTHS_ES = C1.MONTHS_ES
MONTHS_CA = C1.MONTHS_CA
CSV_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOOKALIKES = "OIQSBZ015882"


@dataclass
class Person:
    given: str
    s1: str
    s2: str = ""
    nif: str = ""
    sex: str = "M"
    catalan_i: bool = False  # "Puig i Ferrer"

    @property
    def surnames(self) -> str:
        if not self.s2:
            return self.s1
        return f"{self.s1} i {self.s2}" if self.catalan_i else f"{self.s1} {self.s2}"

    @property
    def full(self) -> str:
        return f"{self.given} {self.surnames}"

    def upper(self) -> str:
        return self.full.upper()

    def surname_first(self) -> str:
        return f"{self.surnames.upper()}, {self.given.upper()}"

    @property
    def female(self) -> bool:
        return self.sex == "F"


def make_person(rng: random.Random, lang: str = "es", nie: bool = False) -> Person:
    if nie:
        given, s = rng.choice(FOREIGN)
        return Person(given, s, "", make_nie(rng), "F" if given in FEMALE else "M")
    if lang == "ca" and rng.random() < 0.7:
        given = rng.choice(GIVEN_CA)
        s1, s2 = rng.sample(SURN_CA + SURN_ES[:10], 2)
        p = Person(given, s1, s2, make_dni(rng), "F" if given in FEMALE else "M", catalan_i=rng.random() < 0.5)
    else:
        given = rng.choice(GIVEN_ES)
        s1, s2 = rng.sample(SURN_ES, 2)
        p = Person(given, s1, s2, make_dni(rng), "F" if given in FEMALE else "M")
    return p


def near_nif(nif: str, rng: random.Random, avoid: set[str]) -> str:
    """A VALID NIF/NIE with one digit changed and the check letter recomputed."""
    pos = [i for i, c in enumerate(nif[:-1]) if c.isdigit()]
    for _ in range(100):
        i = rng.choice(pos)
        body = nif[:i] + str((int(nif[i]) + rng.randrange(1, 10)) % 10) + nif[i + 1 : -1]
        v = body + (_nie.calc_check_digit(body) if body[0] in "XYZ" else _dni.calc_check_digit(body))
        if v != nif and v not in avoid:
            return v
    raise AssertionError("no near NIF")  # pragma: no cover


def make_cif(rng: random.Random, letter: str | None = None) -> str:
    letter = letter or rng.choice("BBBBAB")
    body = letter + f"{rng.randrange(10**6, 10**7):07d}"
    return body + _cif.calc_check_digits(body)[0]


def make_company(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {rng.choice(FORMS)}", make_cif(rng)


def make_community(rng: random.Random, lang: str) -> tuple[str, str, str]:
    if lang == "ca":
        name = f"Comunitat de Propietaris {rng.choice(STREETS_CA)} {rng.randrange(2, 400)}"
    else:
        name = f"Comunidad de Propietarios {rng.choice(STREETS_ES)} {rng.randrange(2, 400)}"
    return name, make_cif(rng, "H"), rng.choice(CITIES_CA if lang == "ca" else CITIES)


def make_csv(rng: random.Random) -> str:
    groups = []
    for _ in range(4):
        g = [rng.choice(CSV_ALPHABET) for _ in range(4)]
        g[rng.randrange(4)] = rng.choice(LOOKALIKES)
        groups.append("".join(g))
    s = "-".join(groups)
    if not any(c.isdigit() for c in s):
        s = "7" + s[1:]
    if not any(c.isalpha() for c in s):
        s = "Q" + s[1:]
    return s


def fmt_nif(v: str, style: int) -> str:
    return C1.fmt_nif(v, style)


def fmt_cif(v: str, style: int) -> str:
    return C1.fmt_cif(v, style)


# --------------------------------------------------------------------------- numbers and dates in words

_U_ES = (
    "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis "
    "veintisiete veintiocho veintinueve"
).split()
_T_ES = ["", "", "", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
_H_ES = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
]
_U_CA = (
    "zero u dos tres quatre cinc sis set vuit nou deu onze dotze tretze catorze quinze setze disset divuit dinou"
).split()
_T_CA = ["", "", "vint", "trenta", "quaranta", "cinquanta", "seixanta", "setanta", "vuitanta", "noranta"]


def words_es(n: int) -> str:
    if n < 30:
        return _U_ES[n]
    if n < 100:
        t, u = divmod(n, 10)
        return _T_ES[t] + (f" y {_U_ES[u]}" if u else "")
    if n < 1000:
        h, r = divmod(n, 100)
        if n == 100:
            return "cien"
        return _H_ES[h] + (f" {words_es(r)}" if r else "")
    th, r = divmod(n, 1000)
    head = "mil" if th == 1 else f"{words_es(th)} mil"
    return head + (f" {words_es(r)}" if r else "")


def words_ca(n: int) -> str:
    if n < 20:
        return _U_CA[n]
    if n < 100:
        t, u = divmod(n, 10)
        if not u:
            return _T_CA[t]
        return f"{_T_CA[t]}-i-{_U_CA[u]}" if t == 2 else f"{_T_CA[t]}-{_U_CA[u]}"
    if n < 1000:
        h, r = divmod(n, 100)
        head = "cent" if h == 1 else f"{_U_CA[h]}-cents"
        return head + (f" {words_ca(r)}" if r else "")
    th, r = divmod(n, 1000)
    head = "mil" if th == 1 else f"{words_ca(th)} mil"
    return head + (f" {words_ca(r)}" if r else "")


def proto_printed(n: int) -> str:
    return f"{n // 1000}.{n % 1000:03d}" if n >= 1000 else str(n)


def date_text(d: dt.date, lang: str, style: str) -> str:
    """style: words (everything in words), long (12 de marzo de 2026), num (12/03/2026), dot (12.03.2026),
    dash (12-03-2026)."""
    if style == "num":
        return d.strftime("%d/%m/%Y")
    if style == "dot":
        return d.strftime("%d.%m.%Y")
    if style == "dash":
        return d.strftime("%d-%m-%Y")
    if lang == "ca":
        m = MONTHS_CA[d.month - 1]
        de = "d'" if m[0] in "aeiou" else "de "
        if style == "words":
            return f"{words_ca(d.day)} {de}{m} de {words_ca(d.year)}"
        return f"{d.day} {de}{m} de {d.year}"
    m = MONTHS_ES[d.month - 1]
    if style == "words":
        return f"{words_es(d.day)} de {m} de {words_es(d.year)}"
    return f"{d.day} de {m} de {d.year}"


# --------------------------------------------------------------------------- rendering engine

FONT_PAIRS = [
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf"),
    ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    ("LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
]


@dataclass
class Style:
    font: str = "DejaVuSerif.ttf"
    bold: str = "DejaVuSerif-Bold.ttf"
    size: int = 44  # body font px at 300 dpi
    margin_l: int = 260
    margin_r: int = 220
    margin_t: int = 260
    margin_b: int = 260
    justify: bool = True
    leading: float = 1.45
    indent: int = 0
    header: str | None = None  # running header text ({page}, {pages} substituted)
    footer: str | None = None  # e.g. "Página {page} de {pages}"
    margin_rule: bool = False  # notarial paper: vertical rule at the left margin


def random_style(rng: random.Random, mono_ok: bool = True) -> Style:
    pairs = FONT_PAIRS if mono_ok else [p for p in FONT_PAIRS if "Mono" not in p[0]]
    f, b = rng.choice(pairs)
    size = rng.choice([38, 40, 42, 44, 46, 48])
    if "Mono" in f:
        size = min(size, 40)
    return Style(
        font=f,
        bold=b,
        size=size,
        margin_l=rng.randrange(200, 330),
        margin_r=rng.randrange(170, 280),
        margin_t=rng.randrange(200, 300),
        margin_b=rng.randrange(220, 300),
        justify=rng.random() < 0.7,
        leading=rng.choice([1.35, 1.45, 1.6]),
        indent=rng.choice([0, 0, 90]),
    )


# Blocks:
#   ("h", text, scale, align)    bold heading, align "c" | "l" | "r"
#   ("p", text)                  body paragraph (justified per style)
#   ("pl", text)                 body paragraph, ragged (never justified)
#   ("r", text)                  right-aligned line
#   ("gap", lines)               vertical space
#   ("pb",)                      page break
#   ("table", fracs, rows)       grid table; first row is a bold header
#   ("kv", label, value)         label on its own line (small, grey), value below (bold)
#   ("sig", [labels])            signature lines side by side with labels below
#   ("stamp", [lines])           rotated grey stamp (takes vertical space, never overlaps text)
#   ("mono", text)               monospace line(s) (registry data, codes)
#   ("ext", {"layout", "text"}, ...) a part's own block kind: layout(block, style, x0, width, k) -> [(height,
#                                fn(y) -> draw ops)], text(block) -> [(style, line)]; its draw ops may include
#                                ("draw", fn(im, draw, op, k), ...)


def _wrap(text: str, font, width: float) -> list[str]:
    return C1._wrap(text, font, int(width))


def _line_h(font, st: Style) -> int:
    return int(font.size * st.leading)


def layout_blocks(blocks: list[tuple], st: Style, dpi: int = DPI) -> list[list[tuple]]:
    """Blocks -> pages of draw ops (kind, y, payload...).  Coordinates at ``dpi``."""
    k = dpi / 300
    W, H = int(A4[0] * k), int(A4[1] * k)
    ml, mr, mt, mb = (int(v * k) for v in (st.margin_l, st.margin_r, st.margin_t, st.margin_b))
    width = W - ml - mr
    body = _font(st.font, int(st.size * k))
    pages: list[list[tuple]] = []
    cur: list[tuple] = []
    y = mt

    def need(h: int):
        nonlocal cur, y
        if y + h > H - mb and cur:
            pages.append(cur)
            cur, y = [], mt

    for b in blocks:
        kind = b[0]
        if kind == "pb":
            if cur:
                pages.append(cur)
            cur, y = [], mt
            continue
        if kind == "gap":
            y += int(body.size * st.leading * b[1])
            continue
        if kind == "h":
            f = _font(st.bold, int(st.size * k * b[2]))
            for ln in _wrap(b[1], f, width):
                need(_line_h(f, st))
                w = f.getlength(ln)
                x = ml if b[3] == "l" else (ml + (width - w) / 2 if b[3] == "c" else W - mr - w)
                cur.append(("text", int(x), y, ln, f, False, 0))
                y += _line_h(f, st)
            y += int(body.size * 0.5)
        elif kind in ("p", "pl"):
            lines = _wrap(b[1], body, width - st.indent * k)
            for i, ln in enumerate(lines):
                need(_line_h(body, st))
                x = ml + (st.indent * k if i == 0 else 0)
                just = st.justify and kind == "p" and i < len(lines) - 1
                cur.append(("text", int(x), y, ln, body, just, int(width - (x - ml))))
                y += _line_h(body, st)
            y += int(body.size * 0.6)
        elif kind == "r":
            need(_line_h(body, st))
            cur.append(("text", int(W - mr - body.getlength(b[1])), y, b[1], body, False, 0))
            y += _line_h(body, st) + int(body.size * 0.4)
        elif kind == "mono":
            f = _font("LiberationMono-Regular.ttf" if "Mono" not in st.font else st.font, int(st.size * k * 0.92))
            for ln in _wrap(b[1], f, width):
                need(_line_h(f, st))
                cur.append(("text", ml, y, ln, f, False, 0))
                y += _line_h(f, st)
            y += int(body.size * 0.5)
        elif kind == "kv":
            lab = _font(st.font, int(st.size * k * 0.75))
            val = _font(st.bold, int(st.size * k))
            need(_line_h(lab, st) + _line_h(val, st))
            cur.append(("text", ml, y, b[1], lab, False, 0, 90))
            y += _line_h(lab, st)
            for ln in _wrap(b[2], val, width):
                cur.append(("text", ml, y, ln, val, False, 0))
                y += _line_h(val, st)
            y += int(body.size * 0.4)
        elif kind == "table":
            fracs, rows = b[1], b[2]
            f_reg = _font(st.font, int(st.size * k * 0.9))
            f_b = _font(st.bold, int(st.size * k * 0.9))
            pad = int(18 * k)
            xs = [ml]
            for fr in fracs:
                xs.append(xs[-1] + int(width * fr))
            for ri, row in enumerate(rows):
                f = f_b if ri == 0 else f_reg
                cells = [_wrap(str(c), f, xs[ci + 1] - xs[ci] - 2 * pad) for ci, c in enumerate(row)]
                rh = max(len(c) for c in cells) * _line_h(f, st) + 2 * pad
                need(rh)
                cur.append(("rect", xs[0], y, xs[-1], y + rh))
                for ci, lines in enumerate(cells):
                    if ci:
                        cur.append(("vline", xs[ci], y, y + rh))
                    for li, ln in enumerate(lines):
                        cur.append(("text", xs[ci] + pad, y + pad + li * _line_h(f, st), ln, f, False, 0))
                y += rh
            y += int(body.size * 0.8)
        elif kind == "sig":
            labels = b[1]
            f = _font(st.font, int(st.size * k * 0.85))
            n = len(labels)
            colw = width // n
            lines_per = max(len(_wrap(lb, f, colw - 40 * k)) for lb in labels)
            need(int(180 * k) + lines_per * _line_h(f, st))
            y += int(140 * k)
            for i, lb in enumerate(labels):
                x0 = ml + i * colw
                cur.append(("hline", x0 + int(20 * k), y, x0 + colw - int(40 * k)))
                for li, ln in enumerate(_wrap(lb, f, colw - 40 * k)):
                    cur.append(("text", x0 + int(20 * k), y + int(15 * k) + li * _line_h(f, st), ln, f, False, 0))
            y += int(40 * k) + lines_per * _line_h(f, st)
        elif kind == "stamp":
            f = _font(st.bold, int(st.size * k * 0.7))
            h = int((len(b[1]) * 1.5 + 1.2) * f.size)
            need(h + int(60 * k))
            cur.append(("stamp", W - mr - int(900 * k), y + int(20 * k), b[1], f))
            y += h + int(80 * k)
        elif kind == "ext":  # a part's own block kind: rows of (height, y -> draw ops)
            for h, at in b[1]["layout"](b, st, ml, width, k):
                need(h)
                cur.extend(at(y))
                y += h
        else:  # pragma: no cover
            raise ValueError(kind)
    if cur:
        pages.append(cur)
    return pages


def _draw_text(d: ImageDraw.ImageDraw, op: tuple):
    _, x, y, ln, f, just, width, *rest = op
    fill = rest[0] if rest else 0
    words = ln.split(" ")
    if just and len(words) > 1:
        total = sum(f.getlength(w) for w in words)
        gap = (width - total) / (len(words) - 1)
        if gap < f.getlength(" ") * 3:
            xx = float(x)
            for w in words:
                d.text((int(xx), y), w, font=f, fill=fill)
                xx += f.getlength(w) + gap
            return
    d.text((x, y), ln, font=f, fill=fill)


def render_pages(blocks: list[tuple], st: Style, dpi: int = DPI) -> list[Image.Image]:
    k = dpi / 300
    W, H = int(A4[0] * k), int(A4[1] * k)
    pages = layout_blocks(blocks, st, dpi)
    out = []
    small = _font(st.font, int(st.size * k * 0.7))
    for pi, ops in enumerate(pages):
        im = Image.new("L", (W, H), 255)
        d = ImageDraw.Draw(im)
        if st.margin_rule:
            x = int(st.margin_l * k) - int(60 * k)
            d.line([(x, int(150 * k)), (x, H - int(150 * k))], fill=120, width=max(1, int(3 * k)))
        if st.header:
            t = st.header.format(page=pi + 1, pages=len(pages))
            d.text((int(st.margin_l * k), int(90 * k)), t, font=small, fill=70)
        if st.footer:
            t = st.footer.format(page=pi + 1, pages=len(pages))
            d.text((int((W - small.getlength(t)) / 2), H - int(150 * k)), t, font=small, fill=40)
        for op in ops:
            if op[0] == "text":
                _draw_text(d, op)
            elif op[0] == "rect":
                d.rectangle(op[1:5], outline=0, width=max(1, int(2 * k)))
            elif op[0] == "vline":
                d.line([(op[1], op[2]), (op[1], op[3])], fill=0, width=max(1, int(2 * k)))
            elif op[0] == "hline":
                d.line([(op[1], op[2]), (op[3], op[2])], fill=0, width=max(1, int(2 * k)))
            elif op[0] == "stamp":
                _stamp(im, op[1], op[2], op[3], op[4], k)
            elif op[0] == "draw":  # a part's own draw op: ("draw", fn(im, draw, op, k), ...)
                op[1](im, d, op, k)
        out.append(im)
    return out


def _stamp(im: Image.Image, x: int, y: int, lines: list[str], f, k: float):
    w = int(max(f.getlength(s) for s in lines) + 80 * k)
    h = int((len(lines) * 1.5 + 1.0) * f.size)
    st = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(st)
    d.rectangle([4, 4, w - 5, h - 5], outline=100, width=max(2, int(6 * k)))
    for i, s in enumerate(lines):
        d.text((int((w - f.getlength(s)) / 2), int((0.5 + i * 1.5) * f.size)), s, font=f, fill=100)
    st = st.rotate(-7, expand=True, fillcolor=255)
    region = im.crop((x, y, x + st.width, y + st.height))
    im.paste(Image.fromarray(np.minimum(np.asarray(region), np.asarray(st))), (x, y))


def text_layer_pages(blocks: list[tuple]) -> list[list[tuple[str, str]]]:
    """Blocks -> (style, line) pages for corpus.pdf_with_text (Helvetica metrics = Liberation Sans)."""
    pages, cur = [], []
    y = 842 - 60
    reg = _font("LiberationSans-Regular.ttf", 100)
    bold = _font("LiberationSans-Bold.ttf", 100)

    def emit(style: str, text: str):
        nonlocal cur, y
        size = 15 if style == "title" else 11.5 if style == "bold" else 10.5
        f = bold if style != "body" else reg
        for ln in _wrap(text, f, (595 - 120) / (size / 100)):
            if y < 60:
                pages.append(cur)
                cur, y = [], 842 - 60
            cur.append((style, ln))
            y -= size * 1.45
        y -= 8

    for b in blocks:
        kind = b[0]
        if kind == "pb":
            if cur:
                pages.append(cur)
            cur, y = [], 842 - 60
        elif kind == "h":
            emit("title" if b[2] >= 1.25 else "bold", b[1])
        elif kind in ("p", "pl", "r", "mono"):
            emit("body", b[1])
        elif kind == "kv":
            emit("body", b[1])
            emit("bold", b[2])
        elif kind == "table":
            for ri, row in enumerate(b[2]):
                emit("bold" if ri == 0 else "body", "    ".join(str(c) for c in row))
        elif kind == "sig":
            emit("body", "        ".join(b[1]))
        elif kind == "stamp":
            emit("body", " ".join(b[1]))
        elif kind == "ext":
            for style, text in b[1]["text"](b):
                emit(style, text)
    if cur:
        pages.append(cur)
    return pages


# --------------------------------------------------------------------------- ID cards (TD1 MRZ)


def mrz_check(s: str) -> str:
    total = 0
    for i, ch in enumerate(s):
        v = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


def _mrz_name(s: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", s.upper())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c if c.isalpha() else "<" for c in s)


def td1_mrz(
    doc_code: str,
    number: str,
    optional1: str,
    birth: dt.date,
    sex: str,
    expiry: dt.date,
    nationality: str,
    person: Person,
) -> list[str]:
    """Three 30-character lines (ICAO 9303 TD1) with correct check digits."""
    num = number.ljust(9, "<")[:9]
    l1 = f"{doc_code:<2s}ESP{num}{mrz_check(num)}{optional1.ljust(15, '<')[:15]}"
    b, e = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    l2 = f"{b}{mrz_check(b)}{sex}{e}{mrz_check(e)}{nationality}" + "<" * 11
    comp = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 = l2 + mrz_check(comp)
    name = _mrz_name(person.surnames).strip("<")
    while "<<" in name:
        name = name.replace("<<", "<")
    l3 = (f"{name}<<{_mrz_name(person.given).strip('<')}" + "<" * 30)[:30]
    assert len(l1) == len(l2) == len(l3) == 30, (l1, l2, l3)
    return [l1, l2, l3]


def card_base(rng_seed: int, tint: tuple[int, int, int], scale: float = 1.0) -> Image.Image:
    W, H = int(2022 * scale), int(1276 * scale)
    rng = np.random.default_rng(rng_seed)
    h, w = H // 4, W // 4  # guilloche-like background computed small, then enlarged
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32) * 4
    base = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        base[..., c] = tint[c] + 10 * np.sin(xx / (41 + 7 * c)) * np.cos(yy / (59 - 5 * c))
    im = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB").resize((W, H), Image.BILINEAR)
    noise = rng.integers(-4, 5, (H, W, 1), dtype=np.int16)
    im = Image.fromarray(np.clip(np.asarray(im, np.int16) + noise, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([2, 2, W - 3, H - 3], radius=int(60 * scale), outline=(120, 120, 120), width=4)
    return im


def on_sheet(cards: list[Image.Image], pad: int = 120) -> Image.Image:
    """Front and back one under the other on white, as a photocopy of both sides."""
    W = max(c.width for c in cards) + 2 * pad
    H = sum(c.height for c in cards) + pad * (len(cards) + 1)
    sheet = Image.new("RGB", (W, H), (255, 255, 255))
    y = pad
    for c in cards:
        sheet.paste(c, (pad, y))
        y += c.height + pad
    return sheet


# --------------------------------------------------------------------------- document specs


@dataclass
class Doc:
    """Everything a template needs to render one document (generated, never parsed)."""

    template: str
    doc_type: str
    lang: str
    upload: dt.date
    style: Style
    seed: int
    company: tuple[str, str] | None = None  # (name, cif)
    people: dict[str, Person] = field(default_factory=dict)  # key -> person (appointed, grantor, outgoing...)
    date: dt.date | None = None  # the date that counts
    other_dates: dict[str, dt.date] = field(default_factory=dict)
    notary: Person | None = None
    registrar: Person | None = None
    protocol: int | None = None
    csv: str | None = None
    city: str = "Madrid"
    fmt: int = 0  # identifier format style
    v: int = 0  # wording variant switch
    extra: dict = field(default_factory=dict)
    cover: bool = False  # facts on page 2 (a cover / filler page first)


# Template registry: name -> (doc_type, lang, maker(rng, upload) -> Doc, blocks(Doc) -> list of blocks | None,
#                             card(Doc) -> list[Image] | None)
TEMPLATES: dict[str, dict] = {}


def template(name: str, doc_type: str, lang: str, registry: dict | None = None):
    def deco(fn):
        (TEMPLATES if registry is None else registry)[name] = {"doc_type": doc_type, "lang": lang, "blocks": fn}
        return fn

    return deco


def _expect_people(doc: Doc) -> list[dict]:
    out = []
    roles = doc.extra.get("roles", {})
    for key, p in doc.people.items():
        out.append({"name": p.full, "id_number": p.nif or None, "role": roles.get(key, key)})
    if doc.notary:
        out.append({"name": doc.notary.full, "id_number": None, "role": "notary"})
    if doc.registrar:
        out.append({"name": doc.registrar.full, "id_number": None, "role": "registrar"})
    return out


def don(p: Person, lang: str = "es", upper: bool = True) -> str:
    n = p.upper() if upper else p.full
    if lang == "ca":
        return ("la senyora " if p.female else "el senyor ") + n
    return ("Dña. " if p.female else "D. ") + n


def notary_title(p: Person, lang: str = "es") -> str:
    if lang == "ca":
        return "Notària" if p.female else "Notari"
    return "Notaria" if p.female else "Notario"


# ---- common makers (dev and holdout share them; templates decide the wording)


def _base_doc(rng: random.Random, name: str, upload: dt.date, mono_ok: bool = True) -> Doc:
    t = ALL_TEMPLATES()[name]
    lang = t["lang"]
    city = rng.choice(CITIES_CA if lang == "ca" else CITIES)
    return Doc(
        template=name,
        doc_type=t["doc_type"],
        lang=lang,
        upload=upload,
        style=random_style(rng, mono_ok),
        seed=rng.randrange(1 << 30),
        city=city,
        fmt=rng.randrange(3),
        v=rng.randrange(4),
    )


def make_doc(
    rng: random.Random,
    name: str,
    upload: dt.date,
    *,
    stale: bool = False,
    expired: bool = False,
    person: Person | None = None,
) -> Doc:
    doc = _base_doc(rng, name, upload)
    lang, dtp = doc.lang, doc.doc_type
    nie = rng.random() < 0.2
    appointed = person or make_person(rng, lang, nie=nie)
    doc.notary = make_person(rng, lang)
    if dtp in ("deed", "power_of_attorney"):
        doc.company = make_company(rng)
        doc.date = upload - dt.timedelta(days=rng.randrange(10, 900))
        doc.protocol = rng.choice([rng.randrange(120, 999), rng.randrange(1000, 4999), rng.randrange(1000, 4999)])
        doc.people["appointed"] = appointed
        doc.people["grantor" if dtp == "power_of_attorney" else "outgoing"] = make_person(rng, lang)
        if dtp == "power_of_attorney" and rng.random() < 0.5:
            doc.people["revoked"] = make_person(rng, lang)
            doc.extra.setdefault("roles", {})["revoked"] = "outgoing"
        if dtp == "deed":
            doc.other_dates["meeting"] = doc.date - dt.timedelta(days=rng.randrange(2, 40))
            doc.other_dates["constitution"] = doc.date - dt.timedelta(days=rng.randrange(2000, 9000))
            if rng.random() < 0.5:  # a secretary raises the agreements to public; else the outgoing appears
                doc.people["secretary"] = make_person(rng, lang)
                doc.extra.setdefault("roles", {})["secretary"] = "other"
        if rng.random() < 0.3 and ALL_TEMPLATES()[name].get("csv", True):
            doc.csv = make_csv(rng)
    elif dtp == "registry_certificate":
        doc.notary = None
        doc.company = make_company(rng)
        doc.registrar = make_person(rng, lang)
        doc.date = upload - dt.timedelta(days=rng.randrange(365 * 2, 365 * 5) if stale else rng.randrange(5, 80))
        doc.people["appointed"] = appointed
        doc.people["outgoing"] = make_person(rng, lang)
        doc.other_dates["appointment"] = doc.date - dt.timedelta(days=rng.randrange(60, 1500))
        doc.other_dates["removal"] = doc.other_dates["appointment"]
        doc.other_dates["old_appointment"] = doc.other_dates["appointment"] - dt.timedelta(
            days=rng.randrange(900, 4000)
        )
        doc.other_dates["constitution"] = doc.other_dates["old_appointment"] - dt.timedelta(days=rng.randrange(30, 900))
        doc.csv = make_csv(rng) if ALL_TEMPLATES()[name].get("csv", True) else None
        doc.extra["inscription"] = rng.randrange(3, 12)
        doc.extra["hoja"] = f"{rng.choice(['M', 'B', 'V', 'SE', 'Z', 'GI'])}-{rng.randrange(10000, 699999)}"
        doc.extra["tomo"] = rng.randrange(1000, 46000)
        doc.extra["folio"] = rng.randrange(1, 220)
        if rng.random() < 0.5:
            doc.people["consejero"] = make_person(rng, lang)
            doc.extra.setdefault("roles", {})["consejero"] = "other"
    elif dtp == "manager_mandate":
        doc.notary = None
        if "community" in name:
            cname, ccif, city = make_community(rng, lang)
            doc.company, doc.city = (cname, ccif), city
        else:
            doc.company = make_company(rng)
        doc.date = upload - dt.timedelta(days=rng.randrange(1, 60))
        doc.people["appointed"] = appointed
        doc.people["grantor"] = make_person(rng, lang)
        doc.extra["gestora"] = (rng.choice(GESTORAS), make_cif(rng))
        doc.other_dates["until"] = doc.date + dt.timedelta(days=365 * rng.choice([1, 2, 3]))
        if rng.random() < 0.5:
            doc.people["witness"] = make_person(rng, lang)
    elif dtp == "id_document":
        doc.notary = None
        p = appointed
        doc.people["appointed"] = p
        if expired:
            exp = upload - dt.timedelta(days=rng.randrange(30, 700))
        else:
            exp = upload + dt.timedelta(days=rng.randrange(200, 3300))
        years = 10 if p.nif[0] not in "XYZ" else 5
        doc.date = exp
        doc.other_dates["issue"] = (
            exp.replace(year=exp.year - years)
            if not (exp.month == 2 and exp.day == 29)
            else exp.replace(year=exp.year - years, day=28)
        )
        doc.other_dates["birth"] = dt.date(rng.randrange(1950, 1999), rng.randrange(1, 13), rng.randrange(1, 29))
        doc.extra["support"] = (
            "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(3)) + f"{rng.randrange(10**5, 10**6)}"
        )
    return doc


# --------------------------------------------------------------------------- DEV templates

FILLER_DEED_ES = (
    "Tiene, a mi juicio, según interviene, la capacidad legal necesaria para formalizar la presente escritura, y "
    "al efecto, EXPONE lo que sigue, advirtiéndole yo, el Notario, de las obligaciones fiscales derivadas del "
    "presente acto y de la necesidad de su inscripción en el Registro Mercantil correspondiente. Los datos "
    "personales de los comparecientes serán tratados conforme a la normativa vigente de protección de datos."
)
FILLER_DEED_CA = (
    "Té, al meu judici, segons intervé, la capacitat legal necessària per formalitzar aquesta escriptura, i a "
    "aquest efecte EXPOSA el que segueix, amb l'advertiment que jo, el Notari, li faig de les obligacions fiscals "
    "derivades d'aquest acte i de la necessitat d'inscriure'l al Registre Mercantil corresponent."
)


def _cover_es(doc: Doc) -> list[tuple]:
    n = doc.notary
    return [
        ("gap", 4),
        ("h", "COPIA SIMPLE", 1.6, "c"),
        ("gap", 2),
        ("h", f"{notary_title(n).upper()}: {n.upper()}", 1.0, "c"),
        ("p", f"Calle {rng_street(doc)} - {doc.city}"),
        ("gap", 3),
        ("h", doc.extra.get("cover_title", "ESCRITURA"), 1.2, "c"),
        ("gap", 2),
        ("p", "Esta copia carece de valor a efectos de inscripción. Documento a efectos meramente informativos."),
        ("pb",),
    ]


def rng_street(doc: Doc) -> str:
    r = random.Random(doc.seed)
    return f"{r.choice(['Serrano', 'Colón', 'Gran Vía', 'Diputació', 'Ausiàs Marc', 'San Fernando'])}, {r.randrange(1, 90)}"


def _head_number(doc: Doc, v: int) -> str:
    p = doc.protocol
    if doc.lang == "ca":
        return [
            f"NÚMERO {words_ca(p).upper()} ({proto_printed(p)})",
            f"Protocol núm. {proto_printed(p)}",
            f"Núm. {proto_printed(p)} del meu protocol",
        ][v % 3]
    return [
        f"NÚMERO {words_es(p).upper()} ({proto_printed(p)})",
        f"Protocolo n.º {proto_printed(p)}",
        f"Núm. {proto_printed(p)} de mi protocolo",
    ][v % 3]


@template("deed_cese_nombramiento_es_table", "deed", "es")
def t_deed_es_table(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    appearing = sec or o
    cargo = "Secretario de la Junta General" if sec else "Administrador único saliente"
    date = date_text(doc.date, "es", "words" if doc.v % 2 == 0 else "long")
    b: list[tuple] = []
    if doc.cover:
        doc.extra["cover_title"] = "ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES"
        b += _cover_es(doc)
    b += [
        ("h", _head_number(doc, doc.v), 1.15, "c"),
        (
            "h",
            "ESCRITURA DE ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES DE CESE Y NOMBRAMIENTO DE ADMINISTRADOR",
            1.0,
            "c",
        ),
        ("p", f"OTORGADA POR: {comp.upper()}"),
        ("p", f"EN {doc.city.upper()}, mi residencia, a {date}."),
        ("p", f"ANTE MÍ, {n.upper()}, {notary_title(n)} del Ilustre Colegio Notarial de {COLEGIO[doc.city]}."),
        ("h", "COMPARECEN", 1.0, "c"),
        (
            "table",
            [0.46, 0.22, 0.32],
            [
                ["Nombre y apellidos", "DNI/NIE", "Interviene como"],
                [appearing.surname_first(), fmt_nif(appearing.nif, doc.fmt), cargo],
            ],
        ),
        (
            "p",
            "Mayor de edad, con domicilio a estos efectos en el de la sociedad que representa. Le identifico "
            "por su documento de identidad reseñado.",
        ),
        ("h", "INTERVIENEN", 1.0, "c"),
        (
            "p",
            f"En nombre y representación de la mercantil «{comp}», domiciliada en {doc.city}, con C.I.F. "
            f"número {fmt_cif(cif, doc.fmt)}, constituida por tiempo indefinido en escritura autorizada el "
            f"{date_text(doc.other_dates['constitution'], 'es', 'long')}.",
        ),
        ("p", FILLER_DEED_ES),
        ("h", "EXPONEN", 1.0, "c"),
        (
            "p",
            f"I.- Que la Junta General Extraordinaria y Universal de socios de la sociedad, celebrada el día "
            f"{date_text(doc.other_dates['meeting'], 'es', 'num')}, adoptó por unanimidad los acuerdos que "
            f"se elevan a público:",
        ),
        (
            "p",
            f"PRIMERO.- Cesar en su cargo de Administrador Único a {don(o)}, con D.N.I. "
            f"{fmt_nif(o.nif, doc.fmt + 1)}, agradeciéndole los servicios prestados.",
        ),
        (
            "p",
            f"SEGUNDO.- Nombrar Administrador Único de la sociedad, por plazo indefinido, a {don(a)}, "
            f"mayor de edad, con documento de identidad número {fmt_nif(a.nif, doc.fmt)}, quien acepta el "
            f"cargo y declara no hallarse incurso en causa alguna de incompatibilidad.",
        ),
        ("h", "OTORGAN", 1.0, "c"),
        (
            "p",
            "Que elevan a público los acuerdos transcritos y solicitan su inscripción en el Registro "
            "Mercantil. Así lo dicen y otorgan ante mí. Leída la presente escritura, la aprueban y firman.",
        ),
        ("sig", [appearing.full, f"{notary_title(n)}: {n.full}"]),
    ]
    if doc.csv:
        b.append(("pl", f"Copia electrónica. CSV {doc.csv}"))
    b += [("stamp", ["NOTARÍA", n.upper()[:28], doc.city.upper()])]
    return b


@template("deed_cese_nombramiento_ca", "deed", "ca")
def t_deed_ca(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    sec = doc.people.get("secretary")
    comp, cif = doc.company
    n = doc.notary
    appearing = sec or o
    date = date_text(doc.date, "ca", "words" if doc.v % 2 else "long")
    b: list[tuple] = []
    if doc.cover:
        b += [
            ("gap", 5),
            ("h", "CÒPIA SIMPLE", 1.5, "c"),
            ("h", f"{notary_title(n, 'ca').upper()} {n.upper()}", 1.0, "c"),
            ("gap", 2),
            ("p", "Document sense valor d'inscripció. A efectes informatius."),
            ("pb",),
        ]
    b += [
        ("h", _head_number(doc, doc.v + 1), 1.1, "l"),
        ("h", "ESCRIPTURA DE CESSAMENT I NOMENAMENT D'ADMINISTRADOR", 1.2, "c"),
        ("p", f"A {doc.city}, el meu domicili, el {date}."),
        ("p", f"DAVANT MEU, {n.upper()}, {notary_title(n, 'ca')} del Col·legi Notarial de Catalunya,"),
        ("h", "COMPAREIX", 1.0, "c"),
        (
            "p",
            f"{don(appearing, 'ca')}, major d'edat, veí de {doc.city}, amb DNI/NIE {fmt_nif(appearing.nif, doc.fmt)}.",
        ),
        ("h", "INTERVÉ", 1.0, "c"),
        (
            "p",
            f"En nom i representació de la societat {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt + 1)}, "
            f"en la seva condició de {'secretari de la Junta' if sec else 'administrador únic sortint'}.",
        ),
        ("p", FILLER_DEED_CA),
        ("h", "EXPOSA", 1.0, "c"),
        (
            "p",
            f"Que la Junta General Universal de la societat, en data "
            f"{date_text(doc.other_dates['meeting'], 'ca', 'num')}, va acordar per unanimitat:",
        ),
        (
            "p",
            f"1r. Que cessa com a administrador únic {don(o, 'ca', upper=False)}, amb DNI "
            f"{fmt_nif(o.nif, doc.fmt)}, a qui s'agraeix la gestió realitzada.",
        ),
        (
            "p",
            f"2n. El nomenament com a nou administrador únic, per termini indefinit, de "
            f"{don(a, 'ca', upper=False)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt)}, que accepta el càrrec.",
        ),
        ("h", "ATORGA", 1.0, "c"),
        (
            "p",
            "Que eleva a públics els acords esmentats i en sol·licita la inscripció al Registre Mercantil. "
            "Llegida aquesta escriptura, la ratifica i la signa amb mi, la notària o el notari, que en dono fe.",
        ),
        ("sig", [appearing.full, n.full]),
    ]
    if doc.csv:
        b.append(("mono", f"Codi Segur de Verificació (CSV): {doc.csv}"))
    return b


@template("power_es_grantor_first", "power_of_attorney", "es")
def t_power_es(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    date = date_text(doc.date, "es", ["words", "long", "long", "words"][doc.v])
    title = "ESCRITURA DE REVOCACIÓN Y OTORGAMIENTO DE PODER" if rv else "ESCRITURA DE PODER GENERAL"
    b: list[tuple] = []
    if doc.cover:
        doc.extra["cover_title"] = title
        b += _cover_es(doc)
    b += [
        ("h", title, 1.25, "c"),
        ("h", _head_number(doc, doc.v + 2), 1.0, "c"),
        ("p", f"En {doc.city}, mi residencia, a {date}."),
        ("p", f"Ante mí, {n.upper()}, {notary_title(n)} del Ilustre Colegio Notarial de {COLEGIO[doc.city]},"),
        ("h", "COMPARECE", 1.0, "c"),
        ("p", f"{don(g)}, mayor de edad, casado, empresario, vecino de {doc.city},"),
        ("p", f"provisto de D.N.I. número {fmt_nif(g.nif, doc.fmt + 1)}."),
        ("h", "INTERVIENE", 1.0, "c"),
        (
            "p",
            f"En nombre y representación, como Administrador Único, de la compañía mercantil {comp.upper()}, "
            f"con domicilio social en {doc.city} y N.I.F. {fmt_cif(cif, doc.fmt)}. Asegura el compareciente la "
            f"vigencia de su cargo.",
        ),
        ("p", FILLER_DEED_ES),
    ]
    if rv:
        b.append(
            (
                "p",
                f"PRIMERO.- Que REVOCA y deja sin efecto alguno el poder conferido en su día a favor de "
                f"{don(rv, upper=False)}, con D.N.I. {fmt_nif(rv.nif, doc.fmt)}, que queda extinguido.",
            )
        )
    b += [
        ("h", "OTORGA", 1.0, "c"),
        (
            "p",
            f"{'SEGUNDO.- ' if rv else ''}Que confiere PODER tan amplio y bastante como en Derecho se requiera "
            f"a favor de {don(a)},",
        ),
        (
            "p",
            f"titular del documento de identidad {fmt_nif(a.nif, doc.fmt)}, para que, en nombre y "
            f"representación de la sociedad poderdante, ejercite las siguientes FACULTADES: contratar y "
            f"rescindir suministros de electricidad y gas; solicitar altas, bajas, cambios de titularidad y de "
            f"potencia; firmar cuantos documentos sean necesarios ante las empresas distribuidoras y "
            f"comercializadoras.",
        ),
        (
            "p",
            "Así lo dice y otorga el compareciente, a quien leo esta escritura por su elección; la aprueba "
            "y firma conmigo, el Notario, que doy fe de todo lo consignado en este instrumento público.",
        ),
    ]
    if doc.csv:
        b.append(("mono", f"Código Seguro de Verificación: {doc.csv}"))
    b.append(("sig", [g.full, f"{n.full}, {notary_title(n)}"]))
    return b


@template("power_es_attorney_summary", "power_of_attorney", "es")
def t_power_es_summary(doc: Doc) -> list[tuple]:
    """A summary box at the top names the attorney BEFORE the grantor."""
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    date = date_text(doc.date, "es", "num" if doc.v % 2 else "long")
    b: list[tuple] = []
    if doc.cover:
        doc.extra["cover_title"] = "PODER ESPECIAL"
        b += _cover_es(doc)
    b += [
        ("h", "PODER ESPECIAL PARA SUMINISTROS", 1.3, "l"),
        (
            "table",
            [0.3, 0.7],
            [
                ["Concepto", "Datos"],
                ["Apoderado", f"{a.surname_first()} - {fmt_nif(a.nif, doc.fmt)}"],
                ["Poderdante", f"{comp} ({fmt_cif(cif, doc.fmt)})"],
                ["Protocolo", proto_printed(doc.protocol)],
            ],
        ),
        (
            "p",
            f"NÚMERO {proto_printed(doc.protocol)}. En la ciudad de {doc.city}, a {date}, ante mí, "
            f"{n.full}, {notary_title(n)} de esta capital,",
        ),
        ("h", "COMPARECE", 1.0, "l"),
        (
            "p",
            f"Como otorgante, {don(g, upper=False)}, con NIF {fmt_nif(g.nif, doc.fmt + 2)}, actuando en su "
            f"condición de consejero delegado de {comp}, según resulta de la escritura que me exhibe.",
        ),
        (
            "p",
            f"Y DICE: Que otorga poder especial a favor del apoderado antes indicado, {a.full}, "
            f"para que pueda representar a la sociedad poderdante ante cualesquiera compañías suministradoras "
            f"de energía, con las más amplias facultades de gestión, firma y reclamación.",
        ),
    ]
    if rv:
        b.append(
            (
                "p",
                f"Asimismo, el otorgante revoca el poder que tenía conferido {don(rv, upper=False)}, con "
                f"DNI {fmt_nif(rv.nif, doc.fmt)}, en escritura anterior, que queda sin efecto.",
            )
        )
    if doc.csv:
        b.append(("p", f"Código de verificación: {doc.csv}"))
    b += [
        ("p", FILLER_DEED_ES),
        ("sig", [f"El otorgante: {g.full}", f"El {notary_title(n)}"]),
        ("stamp", ["COLEGIO NOTARIAL", COLEGIO[doc.city].upper()]),
    ]
    return b


@template("power_ca_atorga", "power_of_attorney", "ca")
def t_power_ca(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    rv = doc.people.get("revoked")
    comp, cif = doc.company
    n = doc.notary
    date = date_text(doc.date, "ca", ["words", "long", "num", "long"][doc.v])
    b: list[tuple] = []
    if doc.cover:
        b += [("gap", 6), ("h", "PODER GENERAL", 1.6, "c"), ("p", f"Notaria de {doc.city}"), ("pb",)]
    b += [
        ("h", _head_number(doc, doc.v), 1.1, "c"),
        ("h", "ESCRIPTURA DE PODER", 1.2, "c"),
        ("p", f"A {doc.city}, on resideixo, el {date}."),
        ("p", f"Davant meu, {n.upper()}, {notary_title(n, 'ca')} de l'Il·lustre Col·legi de Catalunya,"),
        ("h", "COMPAREIX", 1.0, "c"),
        (
            "p",
            f"{don(g, 'ca')}, major d'edat, amb DNI {fmt_nif(g.nif, doc.fmt)}, que actua com a "
            f"administrador solidari de la societat {comp.upper()}, amb NIF {fmt_cif(cif, doc.fmt)}.",
        ),
        ("p", FILLER_DEED_CA),
    ]
    if rv:
        b.append(
            (
                "p",
                f"PRIMER.- Revoca el poder atorgat a favor de {don(rv, 'ca', upper=False)}, amb DNI "
                f"{fmt_nif(rv.nif, doc.fmt + 1)}.",
            )
        )
    b += [
        ("h", "ATORGA", 1.0, "c"),
        (
            "p",
            f"{'SEGON.- ' if rv else ''}Que en nom de la societat atorga poder, tan ampli com calgui en dret, a "
            f"favor de {don(a, 'ca')}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, perquè la representi davant "
            f"les empreses distribuïdores i comercialitzadores d'electricitat i gas.",
        ),
        ("p", "Així ho diu i atorga. Llegeixo aquesta escriptura al compareixent, que l'aprova i signa amb mi."),
    ]
    if doc.csv:
        b.append(("mono", f"Codi Segur de Verificació: {doc.csv}"))
    b.append(("sig", [g.full, n.full]))
    return b


def _rm_city(doc: Doc) -> str:
    return PROVINCE_RM.get(doc.city, doc.city)


@template("registry_cert_es_list", "registry_certificate", "es")
def t_cert_list(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    ins = doc.extra["inscription"]
    od = doc.other_dates
    rm = _rm_city(doc)
    b: list[tuple] = []
    doc.style.header = f"Registro Mercantil de {rm}" + "    Hoja {page}/{pages}"
    if doc.cover:
        b += [
            ("gap", 3),
            ("h", f"REGISTRO MERCANTIL DE {rm.upper()}", 1.4, "c"),
            ("h", "INFORMACIÓN MERCANTIL", 1.1, "c"),
            ("p", f"Solicitante: {comp}"),
            ("p", f"Fecha de solicitud: {date_text(doc.date - dt.timedelta(days=2), 'es', 'num')}"),
            ("pb",),
        ]
    b += [
        ("h", f"REGISTRO MERCANTIL DE {rm.upper()}", 1.3, "c"),
        ("h", "CERTIFICACIÓN", 1.1, "c"),
        (
            "p",
            f"{don(r, upper=False)}, Registrador{'a' if r.female else ''} Mercantil de {rm}, tras examinar los "
            f"libros del archivo a mi cargo, CERTIFICO:",
        ),
        (
            "p",
            f"Que la sociedad {comp.upper()}, con NIF {fmt_cif(cif, doc.fmt)}, figura inscrita al Tomo "
            f"{doc.extra['tomo']}, Folio {doc.extra['folio']}, Hoja {doc.extra['hoja']}, y que en su hoja "
            f"constan los siguientes asientos relativos a su órgano de administración:",
        ),
        (
            "p",
            f"Nombramiento de {o.upper()}, con NIF {fmt_nif(o.nif, doc.fmt)}, como Administrador Único, "
            f"inscripción {ins - 2}ª, fecha {date_text(od['old_appointment'], 'es', 'num')}.",
        ),
        (
            "p",
            f"Cese de {o.upper()}, como Administrador Único, inscripción {ins}ª, fecha "
            f"{date_text(od['removal'], 'es', 'num')}.",
        ),
        (
            "p",
            f"Nombramiento de {a.upper()}, con NIF {fmt_nif(a.nif, doc.fmt + 1)}, como Administrador Único, "
            f"por plazo indefinido, inscripción {ins}ª, fecha {date_text(od['appointment'], 'es', 'num')}. "
            f"Cargo vigente.",
        ),
    ]
    if cons:
        b.append(
            ("p", f"Apoderado: {cons.upper()}, con NIF {fmt_nif(cons.nif, doc.fmt)}, inscripción {ins - 1}ª. Revocado.")
        )
    b += [
        (
            "p",
            "Que no consta en el Registro asiento alguno que modifique o contradiga lo anteriormente "
            "certificado. Y para que conste, expido la presente certificación, con los asientos vigentes.",
        ),
        ("p", f"{rm}, a {date_text(doc.date, 'es', 'long')}."),
        ("r", f"EL REGISTRADOR, {r.full}"),
        ("mono", f"Código Seguro de Verificación (CSV): {doc.csv}"),
        ("p", "Puede verificar la autenticidad en https://sede.registradores.org"),
    ]
    return b


@template("registry_cert_es_table", "registry_certificate", "es")
def t_cert_table(doc: Doc) -> list[tuple]:
    a, o = doc.people["appointed"], doc.people["outgoing"]
    cons = doc.people.get("consejero")
    comp, cif = doc.company
    r = doc.registrar
    ins = doc.extra["inscription"]
    od = doc.other_dates
    rm = _rm_city(doc)
    doc.style.footer = f"CSV: {doc.csv}" + "   -  Pág. {page} de {pages}"
    rows = [
        ["Cargo", "Nombre", "NIF", "Fecha", "Situación"],
        [
            "Adm. Único",
            o.surname_first(),
            fmt_nif(o.nif, 0),
            date_text(od["old_appointment"], "es", "num"),
            f"Cesado ({date_text(od['removal'], 'es', 'num')})",
        ],
        ["Adm. Único", a.surname_first(), fmt_nif(a.nif, 0), date_text(od["appointment"], "es", "num"), "Vigente"],
    ]
    if cons:
        rows.append(
            [
                "Apoderado",
                cons.surname_first(),
                fmt_nif(cons.nif, 0),
                date_text(od["old_appointment"], "es", "num"),
                "Vigente",
            ]
        )
    b: list[tuple] = []
    if doc.cover:
        b += [
            ("h", "NOTA INFORMATIVA / CERTIFICACIÓN", 1.3, "c"),
            ("p", FILLER_DEED_ES),
            ("p", FILLER_DEED_ES),
            ("pb",),
        ]
    b += [
        ("h", f"Registro Mercantil de {rm}", 1.2, "l"),
        ("r", f"Fecha de expedición: {date_text(doc.date, 'es', 'num')}"),
        ("h", "CERTIFICACIÓN DE CARGOS", 1.2, "c"),
        ("kv", "Denominación social", comp.upper()),
        ("kv", "N.I.F.", fmt_cif(cif, doc.fmt)),
        (
            "kv",
            "Datos registrales",
            f"Tomo {doc.extra['tomo']}, Folio {doc.extra['folio']}, Hoja {doc.extra['hoja']}, Inscripción {ins}ª",
        ),
        ("p", "Órgano de administración y cargos inscritos:"),
        ("table", [0.16, 0.32, 0.18, 0.15, 0.19], rows),
        ("p", f"La sociedad se constituyó el {date_text(od['constitution'], 'es', 'long')}."),
        (
            "p",
            f"{r.upper()}, Registrador{'a' if r.female else ''} Mercantil, certifica que los datos "
            f"anteriores concuerdan con los asientos del Registro.",
        ),
        ("stamp", ["REGISTRO MERCANTIL", rm.upper()]),
    ]
    return b


@template("borme_es", "registry_certificate", "es")
def t_borme(doc: Doc) -> list[tuple]:
    """BOE-style page of the Boletín Oficial del Registro Mercantil: no identifiers, surname-first names."""
    a, o = doc.people["appointed"], doc.people["outgoing"]
    comp, _ = doc.company
    rr = random.Random(doc.seed)
    rm = _rm_city(doc)

    def bname(p: Person) -> str:
        return _mrz_name(f"{p.surnames} {p.given}").replace("<", " ")

    num = rr.randrange(180000, 499999)
    ins = doc.extra["inscription"]
    d_ins = doc.other_dates["appointment"]
    d_pub = doc.date
    doc.style.header = (
        f"BOLETÍN OFICIAL DEL REGISTRO MERCANTIL   Núm. {rr.randrange(1, 245)}   "
        f"{date_text(d_pub, 'es', 'long')}   Pág. {rr.randrange(1000, 60000)}"
    )
    doc.style.footer = "cve: BORME-A-" + f"{d_pub.year}-{rr.randrange(1, 245)}-{rr.randrange(1, 52):02d}"
    entries = []
    for i in range(2):
        other_c = make_company(rr)[0]
        entries.append(
            (
                "p",
                f"{num - 1 - i} - {other_c.upper().rstrip('.')}. Cambio de domicilio social. C/ "
                f"{rr.choice(STREETS_ES)} {rr.randrange(1, 90)} ({rm}). Datos registrales. "
                f"T {rr.randrange(1000, 40000)} , F {rr.randrange(1, 200)}, S 8, H "
                f"{doc.extra['hoja']}{i}, I/A {rr.randrange(2, 9)} ({date_text(d_ins, 'es', 'dot')[:6]}"
                f"{str(d_ins.year)[2:]}).",
            )
        )
    b = [
        ("h", "SECCIÓN PRIMERA", 1.1, "c"),
        ("h", "Empresarios", 1.0, "c"),
        ("h", "Actos inscritos", 1.2, "c"),
        ("h", rm.upper(), 1.0, "c"),
    ] + entries
    b.append(
        (
            "p",
            f"{num} - {comp.upper().rstrip('.')}. Ceses/Dimisiones. Adm. Unico: {bname(o)}. Nombramientos. "
            f"Adm. Unico: {bname(a)}. Datos registrales. T {doc.extra['tomo']} , F {doc.extra['folio']}, "
            f"S 8, H {doc.extra['hoja']}, I/A {ins} ({d_ins.strftime('%d.%m.%y')}).",
        )
    )
    b.append(
        (
            "p",
            f"{num + 1} - {make_company(rr)[0].upper().rstrip('.')}. Constitución. Comienzo de operaciones: "
            f"{date_text(d_ins, 'es', 'dot')}. Objeto social: comercio al por menor. Capital: 3.000,00 Euros.",
        )
    )
    return b


TEMPLATES["borme_es"].update(csv=False, absent=["person_nif", "company_cif"])


@template("mandate_energy_es", "manager_mandate", "es")
def t_mandate_es(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    date = date_text(doc.date, "es", ["long", "num", "long", "dot"][doc.v])
    b: list[tuple] = [
        ("h", "DOCUMENTO DE MANDATO", 1.3, "l"),
        ("h", "Gestión de suministros energéticos", 1.0, "l"),
        ("h", "REUNIDOS", 1.0, "l"),
        (
            "p",
            f"De una parte, {comp.upper()} (en adelante, el MANDANTE), con CIF {fmt_cif(cif, doc.fmt)}, "
            f"representada por {don(g, upper=False)}, con DNI {fmt_nif(g.nif, doc.fmt)}, en su "
            f"calidad de apoderado.",
        ),
        (
            "p",
            f"De otra parte, {gest} (la GESTORA), con CIF {fmt_cif(gcif, doc.fmt)}, y en su "
            f"nombre {don(a, upper=False)},",
        ),
        ("p", f"con DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, en adelante el MANDATARIO."),
        ("h", "CLÁUSULAS", 1.0, "l"),
        (
            "p",
            "Primera.- El MANDANTE autoriza al MANDATARIO para que, en su nombre, gestione los "
            "contratos de acceso y suministro de electricidad y gas de sus puntos de suministro, "
            "solicite modificaciones de potencia, tarifa y titularidad, y reciba las facturas.",
        ),
        (
            "p",
            f"Segunda.- El presente mandato estará vigente hasta el "
            f"{date_text(doc.other_dates['until'], 'es', 'num')}, salvo revocación expresa.",
        ),
        ("p", "CUPS afectados: ES0021000012345678AB, ES0021000087654321CD"),
        ("p", f"Y en prueba de conformidad, firman el presente documento en {doc.city}, a {date}."),
    ]
    b.append(("sig", [f"EL MANDANTE: {g.full}", f"EL MANDATARIO: {a.full}"]))
    if w:
        b.append(("p", f"Testigo: {w.full}, DNI {fmt_nif(w.nif, doc.fmt)}"))
    return b


@template("mandate_community_es", "manager_mandate", "es")
def t_mandate_comm_es(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    w = doc.people.get("witness")
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    pres = "la Presidenta" if g.female else "el Presidente"
    date = date_text(doc.date, "es", ["long", "num", "num", "long"][doc.v])
    b: list[tuple] = [
        ("h", comp.upper(), 1.1, "c"),
        ("h", f"C.I.F. {fmt_cif(cif, doc.fmt)}", 0.9, "c"),
        ("h", "AUTORIZACIÓN", 1.3, "c"),
        (
            "p",
            f"{don(g, upper=False)}, con DNI {fmt_nif(g.nif, doc.fmt)}, en calidad de "
            f"{pres[3:] if pres.startswith('la') else pres[3:]} de la {comp}, según acuerdo de la "
            f"Junta de Propietarios, AUTORIZA a la empresa {gest}, con CIF "
            f"{fmt_cif(gcif, doc.fmt + 1)} (la gestora), y a {don(a, upper=False)}, con DNI/NIE "
            f"{fmt_nif(a.nif, doc.fmt + 1)}, como mandatario, para realizar ante la compañía "
            f"comercializadora y la distribuidora todas las gestiones relativas a los suministros "
            f"de electricidad de los elementos comunes del edificio (ascensor, alumbrado, "
            f"grupo de presión).",
        ),
        (
            "p",
            "La presente autorización se otorga por tiempo indefinido y podrá ser revocada en "
            "cualquier momento mediante comunicación escrita.",
        ),
        ("p", f"En {doc.city}, a {date}."),
        ("sig", [f"Fdo.: {g.full}  ({pres[3:].capitalize()})", "Sello de la Comunidad"]),
    ]
    if w:
        b.append(("p", f"Ante mí, como testigo, {w.full}, con DNI {fmt_nif(w.nif, doc.fmt + 2)}."))
    return b


@template("mandate_community_ca", "manager_mandate", "ca")
def t_mandate_comm_ca(doc: Doc) -> list[tuple]:
    a, g = doc.people["appointed"], doc.people["grantor"]
    comp, cif = doc.company
    gest, gcif = doc.extra["gestora"]
    date = date_text(doc.date, "ca", ["long", "num", "long", "num"][doc.v])
    pres = "la Presidenta" if g.female else "el President"
    return [
        ("h", "MANDAT DE REPRESENTACIÓ", 1.3, "c"),
        (
            "p",
            f"{comp}, amb NIF {fmt_cif(cif, doc.fmt)}, representada per {pres} {g.full}, amb DNI "
            f"{fmt_nif(g.nif, doc.fmt)},",
        ),
        ("h", "AUTORITZA", 1.0, "l"),
        (
            "p",
            f"{don(a, 'ca', upper=False)}, amb DNI/NIE {fmt_nif(a.nif, doc.fmt + 1)}, que actua per compte de "
            f"{gest} (NIF {fmt_cif(gcif, 0)}), en endavant el mandatari, perquè gestioni en nom de la "
            f"comunitat els contractes de subministrament elèctric i de gas davant la comercialitzadora.",
        ),
        ("p", f"Vigència fins al {date_text(doc.other_dates['until'], 'ca', 'num')}."),
        ("p", f"{doc.city}, {date}"),
        ("sig", [f"{pres.capitalize()}: {g.full}", f"El mandatari: {a.full}"]),
    ]


# ---- ID documents (dev)


def _card_font(k: float, bold: bool, px: int):
    return _font("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", int(px * k))


@template("id_dni_es", "id_document", "es")
def t_dni(doc: Doc) -> list[Image.Image]:
    """DNI-like card, front and back (TD1 MRZ on the back).  Returns card images."""
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    front = card_base(doc.seed, (214, 226, 236))
    d = ImageDraw.Draw(front)
    d.text((60, 40), "ESPAÑA", font=_card_font(1, True, 70), fill=(150, 30, 30))
    d.text((60, 125), "DOCUMENTO NACIONAL DE IDENTIDAD", font=_card_font(1, True, 40), fill=(30, 30, 90))
    d.rectangle([60, 230, 560, 860], fill=(165, 158, 150))
    lab, val = _card_font(1, False, 30), _card_font(1, True, 48)
    rows = [
        ("APELLIDOS / SURNAMES", p.surnames.upper()),
        ("NOMBRE / NAME", p.given.upper()),
        ("SEXO / SEX   NACIONALIDAD / NATIONALITY", f"{'F' if p.female else 'M'}              ESP"),
        ("FECHA DE NACIMIENTO / DATE OF BIRTH", birth.strftime("%d %m %Y")),
        ("FECHA DE EXPEDICIÓN / ISSUE", iss.strftime("%d %m %Y")),
        ("VÁLIDO HASTA / EXPIRY", exp.strftime("%d %m %Y")),
    ]
    y = 220
    for label, value in rows:
        d.text((620, y), label, font=lab, fill=(70, 70, 70))
        d.text((620, y + 36), value, font=val, fill=(10, 10, 10))
        y += 118
    d.text((60, 930), "DNI NÚM", font=lab, fill=(70, 70, 70))
    d.text((60, 970), p.nif, font=_font("DejaVuSansMono-Bold.ttf", 76), fill=(0, 0, 0))
    d.text((1100, 1130), f"IDESP {doc.extra['support']}", font=_card_font(1, False, 36), fill=(40, 40, 40))
    back = card_base(doc.seed + 1, (226, 230, 222))
    d2 = ImageDraw.Draw(back)
    d2.text((60, 60), f"LUGAR DE NACIMIENTO: {doc.city.upper()}", font=_card_font(1, False, 38), fill=(30, 30, 30))
    d2.text(
        (60, 120),
        f"DOMICILIO: {random.Random(doc.seed).choice(STREETS_ES).upper()} {doc.seed % 97 + 1}",
        font=_card_font(1, False, 38),
        fill=(30, 30, 30),
    )
    mrz = td1_mrz("ID", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ESP", p)
    doc.extra["mrz"] = mrz
    mf = _font("DejaVuSansMono.ttf", 66)
    for i, ln in enumerate(mrz):
        d2.text((70, 860 + i * 120), ln, font=mf, fill=(0, 0, 0))
    return [front, back]


@template("id_tie_es", "id_document", "es")
def t_tie(doc: Doc) -> list[Image.Image]:
    p = doc.people["appointed"]
    exp, iss, birth = doc.date, doc.other_dates["issue"], doc.other_dates["birth"]
    front = card_base(doc.seed, (236, 226, 210))
    d = ImageDraw.Draw(front)
    d.text((60, 40), "TARJETA DE IDENTIDAD DE EXTRANJERO", font=_card_font(1, True, 50), fill=(40, 40, 100))
    d.text((60, 110), "PERMISO DE RESIDENCIA", font=_card_font(1, True, 40), fill=(40, 40, 100))
    d.rectangle([60, 220, 520, 820], fill=(160, 152, 146))
    lab, val = _card_font(1, False, 30), _card_font(1, True, 46)
    rows = [
        ("APELLIDOS", p.surnames.upper()),
        ("NOMBRE", p.given.upper()),
        ("NACIONALIDAD", "ROU"),
        ("FECHA DE NACIMIENTO", birth.strftime("%d-%m-%Y")),
        ("VALIDEZ", exp.strftime("%d-%m-%Y")),
        ("N.I.E.", p.nif),
    ]
    y = 200
    for label, value in rows:
        d.text((580, y), label, font=lab, fill=(70, 70, 70))
        d.text((580, y + 36), value, font=val, fill=(10, 10, 10))
        y += 120
    d.text((60, 900), "TIPO DE PERMISO", font=lab, fill=(70, 70, 70))
    d.text((60, 940), "RESIDENCIA LARGA DURACIÓN", font=val, fill=(10, 10, 10))
    d.text((60, 1040), f"FECHA DE EXPEDICIÓN {iss.strftime('%d-%m-%Y')}", font=lab, fill=(40, 40, 40))
    back = card_base(doc.seed + 1, (230, 222, 214))
    d2 = ImageDraw.Draw(back)
    d2.text((60, 60), f"LUGAR DE EXPEDICIÓN: {doc.city.upper()}", font=_card_font(1, False, 38), fill=(30, 30, 30))
    mrz = td1_mrz("IR", doc.extra["support"], p.nif, birth, "F" if p.female else "M", exp, "ROU", p)
    doc.extra["mrz"] = mrz
    mf = _font("LiberationMono-Regular.ttf", 70)
    for i, ln in enumerate(mrz):
        d2.text((70, 850 + i * 125), ln, font=mf, fill=(0, 0, 0))
    return [front, back]


# --------------------------------------------------------------------------- variants and files

VARIANTS = [
    "clean",
    "jpeg200",
    "skew",
    "rot90",
    "rot270",
    "rot180",
    "noisy",
    "lowcontrast",
    "photo",
    "dpi600",
    "tiff",
    "pdf_scan",
    "pdf_text",
]
ID_VARIANTS = ["clean", "photo", "rot90", "skew", "jpeg200", "pdf_scan", "lowcontrast", "rot180"]
MULTI = {"tiff", "pdf_scan", "pdf_text"}


def HOLDOUTS() -> dict:
    """The holdout parts' modules by part name (imported when asked: they import this module)."""
    try:
        from tests.ocr import (
            corpus_holdout,
            corpus_holdout2,
            corpus_holdout3,
            corpus_holdout4,
            corpus_holdout5,
            corpus_holdout6,
            corpus_holdout7,
            corpus_holdout8,
            corpus_holdout9,
            corpus_holdout10,
        )
    except ImportError:  # pragma: no cover
        import corpus_holdout  # type: ignore
        import corpus_holdout2  # type: ignore
        import corpus_holdout3  # type: ignore
        import corpus_holdout4  # type: ignore
        import corpus_holdout5  # type: ignore
        import corpus_holdout6  # type: ignore
        import corpus_holdout7  # type: ignore
        import corpus_holdout8  # type: ignore
        import corpus_holdout9  # type: ignore
        import corpus_holdout10  # type: ignore
    return {
        "holdout": corpus_holdout,
        "holdout2": corpus_holdout2,
        "holdout3": corpus_holdout3,
        "holdout4": corpus_holdout4,
        "holdout5": corpus_holdout5,
        "holdout6": corpus_holdout6,
        "holdout7": corpus_holdout7,
        "holdout8": corpus_holdout8,
        "holdout9": corpus_holdout9,
        "holdout10": corpus_holdout10,
    }


def ALL_TEMPLATES() -> dict[str, dict]:
    out = dict(TEMPLATES)
    for part in HOLDOUTS().values():
        out.update(part.TEMPLATES)
    return out


FILLER_COVER = {
    "es": [("h", "CONDICIONES GENERALES", 1.2, "c")] + [("p", FILLER_DEED_ES)] * 3 + [("pb",)],
    "ca": [("h", "CONDICIONS GENERALS", 1.2, "c")] + [("p", FILLER_DEED_CA)] * 3 + [("pb",)],
}


def doc_blocks(doc: Doc) -> list[tuple]:
    """The template's blocks; a document meant to have its facts on page 2 whose template has no cover
    page of its own gets a generic first page."""
    blocks = ALL_TEMPLATES()[doc.template]["blocks"](doc)
    if doc.cover and not any(b[0] == "pb" for b in blocks):
        blocks = FILLER_COVER[doc.lang] + blocks
    return blocks


def doc_text_layer(doc: Doc, blocks: list[tuple] | None = None) -> list[list[tuple[str, str]]]:
    """(style, line) pages of the text-layer PDF, running header / footer included."""
    tl = text_layer_pages(doc_blocks(doc) if blocks is None else blocks)
    st = doc.style
    for i, pg in enumerate(tl):
        if st.header:
            pg.insert(0, ("body", st.header.format(page=i + 1, pages=len(tl))))
        if st.footer:
            pg.append(("body", st.footer.format(page=i + 1, pages=len(tl))))
    return tl


def _doc_pages(doc: Doc, dpi: int = DPI) -> list[Image.Image]:
    return render_pages(doc_blocks(doc), doc.style, dpi)


def _photo_card(cards: list[Image.Image], seed: int) -> Image.Image:
    return C1.v_photo(on_sheet(cards, 60).convert("L"), seed)


def render_file(doc: Doc, variant: str) -> tuple[bytes, str, int, int]:
    """(bytes, extension, pages, facts_page) of one document in one variant."""
    rng = random.Random(f"{doc.seed}-{variant}")
    vs = rng.randrange(1 << 30)
    if doc.doc_type == "id_document":
        cards = ALL_TEMPLATES()[doc.template]["blocks"](doc)
        sheet = on_sheet(cards)
        if variant == "clean":
            return _save(sheet, "PNG", dpi=(600, 600)), "png", 1, 0
        if variant == "photo":
            return _save(_photo_card(cards, vs), "JPEG", quality=88), "jpg", 1, 0
        if variant in ("rot90", "rot180", "rot270"):
            return _save(sheet.rotate(int(variant[3:]), expand=True), "PNG", dpi=(600, 600)), "png", 1, 0
        if variant == "skew":
            return _save(C1.v_skew(sheet, rng.choice([-1, 1]) * rng.uniform(2, 5)), "PNG", dpi=(600, 600)), "png", 1, 0
        if variant == "jpeg200":
            w, h = sheet.size
            return _save(sheet.resize((w // 3, h // 3)), "JPEG", quality=72, dpi=(200, 200)), "jpg", 1, 0
        if variant == "lowcontrast":
            return _save(C1.v_lowcontrast(sheet.convert("L")), "PNG", dpi=(600, 600)), "png", 1, 0
        if variant == "pdf_scan":  # front and back as two pages
            pages = [c.convert("L") for c in cards]
            return C1.pdf_from_images(pages, dpi=600), "pdf", 2, 0
        raise ValueError(variant)
    blocks = doc_blocks(doc)
    facts_page = 1 if doc.cover else 0
    if variant == "pdf_text":
        tl = doc_text_layer(doc, blocks)
        return C1.pdf_with_text(tl), "pdf", len(tl), facts_page
    pages = render_pages(blocks, doc.style, 600 if variant == "dpi600" else DPI)
    first = pages[facts_page]
    if variant == "clean":
        return _save(first, "PNG", dpi=(300, 300)), "png", 1, 0
    if variant == "dpi600":
        return _save(first, "PNG", dpi=(600, 600)), "png", 1, 0
    if variant == "jpeg200":
        return C1.v_jpeg200(first), "jpg", 1, 0
    if variant == "skew":
        return _save(C1.v_skew(first, rng.choice([-1, 1]) * rng.uniform(1.5, 4.5)), "PNG", dpi=(300, 300)), "png", 1, 0
    if variant in ("rot90", "rot270", "rot180"):
        return _save(first.rotate(int(variant[3:]), expand=True), "PNG", dpi=(300, 300)), "png", 1, 0
    if variant == "noisy":
        return _save(C1.v_noise(first, vs), "PNG", dpi=(300, 300)), "png", 1, 0
    if variant == "lowcontrast":
        return _save(C1.v_lowcontrast(first), "PNG", dpi=(300, 300)), "png", 1, 0
    if variant == "photo":
        return _save(C1.v_photo(first, vs), "JPEG", quality=88), "jpg", 1, 0
    if variant == "tiff":
        bw = [p.point(lambda x: 255 if x > 150 else 0, "1") for p in pages]
        return (
            _save(bw[0], "TIFF", save_all=True, append_images=bw[1:], compression="group4", dpi=(300, 300)),
            "tif",
            len(pages),
            facts_page,
        )
    if variant == "pdf_scan":
        return C1.pdf_from_images(pages), "pdf", len(pages), facts_page
    raise ValueError(variant)


# --------------------------------------------------------------------------- plan / manifest


def _claim(doc: Doc, who: Person) -> dict:
    if doc.doc_type == "id_document":
        return {
            "request_type": "representative_change",
            "company_cif": None,
            "company_name": None,
            "person_nif": who.nif,
            "person_name": who.full,
        }
    return {
        "request_type": "external_manager" if doc.doc_type == "manager_mandate" else "representative_change",
        "company_cif": doc.company[1],
        "company_name": doc.company[0],
        "person_nif": who.nif,
        "person_name": who.full,
    }


BASIS = {
    "power_of_attorney": "execution",
    "deed": "execution",
    "registry_certificate": "issue",
    "manager_mandate": "signature",
    "id_document": "expiry",
}


def _entry(doc: Doc, part: str, variant: str, case: str, who_key: str, set_id: str | None, rng: random.Random) -> dict:
    who = doc.people[who_key]
    role = (doc.extra.get("roles", {}).get(who_key, who_key)) if doc.doc_type != "id_document" else None
    day = doc.date.isoformat() if doc.date else None  # None: an ID card with no expiry printed (holdout3)
    e = {
        "file": "",
        "part": part,
        "template": doc.template,
        "variant": variant,
        "doc_type": doc.doc_type,
        "lang": doc.lang,
        "pages": 1,
        "facts_page": 0,
        "upload_date": doc.upload.isoformat(),
        "claim": _claim(doc, who),
        "case": case,
        "should_be_clear": case == "true_claim" and not doc.extra.get("absent"),
        "expect": {
            "person_role": role,
            "date": day,
            "date_basis": BASIS[doc.doc_type],
            "expiry": day if doc.doc_type == "id_document" else None,
            "issue_date": doc.other_dates["issue"].isoformat() if doc.doc_type == "id_document" else None,
            "surnames": who.surnames if doc.doc_type == "id_document" else None,
            "given_names": who.given if doc.doc_type == "id_document" else None,
            "notary": doc.notary.full if doc.notary else None,
            "protocol": proto_printed(doc.protocol) if doc.protocol else None,
            "csv": doc.csv,
            "people": _expect_people(doc),
        },
        "absent": list(doc.extra.get("absent", [])),
        "set": set_id,
        "one_off_nif": one_digit_off(who.nif, rng),
        "absent_nif": make_dni(rng),
        "other_cif": make_cif(rng) if doc.company else None,
    }
    return e


# ---- one plan loop for every part; what the holdout parts add to an entry

CASE_WHO = {
    "outgoing_claims": "outgoing",
    "grantor_claims": "grantor",
    "witness_claims": "witness",
    "secretary_claims": "secretary",
    "president_claims": "president",
}  # who claims; any other case: appointed


def set_role(doc: Doc, key: str, role: str) -> None:
    """``doc.people[key]``'s role as the manifest states it."""
    doc.extra.setdefault("roles", {})[key] = role


def add_person(doc: Doc, key: str, role: str, person: Person, nif: bool = True) -> None:
    """Put ``person`` on ``doc`` as ``key`` in ``role`` (named without an identifier unless ``nif``)."""
    if not nif:
        person.nif = ""
    doc.people[key] = person
    set_role(doc, key, role)


def drop_people(doc: Doc, *keys: str) -> None:
    """Take the people ``keys`` off ``doc`` (a template that does not print them)."""
    for k in keys:
        doc.people.pop(k, None)
        doc.extra.get("roles", {}).pop(k, None)


def day_between(rng: random.Random, a: dt.date, b: dt.date) -> dt.date:
    """A day after ``a`` and before ``b`` (the day after ``a`` when they are that close)."""
    return a + dt.timedelta(days=rng.randrange(1, max(2, (b - a).days)))


def part_doc(
    rng: random.Random,
    name: str,
    upload: dt.date,
    variant: str,
    case: str = "true_claim",
    expired: bool = False,
    person: Person | None = None,
    cover_p: float = 0.6,
    *,
    id_cover: bool = True,
) -> Doc:
    """:func:`make_doc` for one planned file: an old issue date for a stale certificate, maybe a cover page before
    the facts when the variant has several pages, and what the template does not print (``extra["absent"]``).
    ``id_cover`` False: an ID card gets no cover page and draws nothing for one (the dev and first holdout parts)."""
    doc = make_doc(rng, name, upload, stale=case == "stale_certificate", expired=expired, person=person)
    if id_cover or doc.doc_type != "id_document":
        doc.cover = variant in MULTI and rng.random() < cover_p
    absent = ALL_TEMPLATES()[name].get("absent")
    if absent:
        doc.extra["absent"] = absent
    return doc


def first_entry(doc: Doc, part: str, variant: str, case: str, set_id: str | None, rng: random.Random) -> dict:
    """An entry of the dev and first holdout parts: :func:`_entry` for the claimant of ``case``."""
    return _entry(doc, part, variant, case, CASE_WHO.get(case, "appointed"), set_id, rng)


def holdout_entry(
    doc: Doc, part: str, variant: str, case: str, set_id: str | None, rng: random.Random, who_key: str | None = None
) -> dict:
    """An entry of holdout2 and later: :func:`_entry` for the claimant of ``case`` (or ``who_key``), then the case
    kinds only these parts have.  ``notary_claims``: the authorising notary is named (NIF not on the page);
    ``lookalike_claims``: the person the part's maker put in ``extra["claimed"]`` (not on the page);
    ``nif_off_claims``: the right name with a VALID NIF one digit off; stale certificates say why
    (``stale_reason``), an ``undated_certificate`` is a stale one stating no issue date (``expect.date`` None).
    ``absent_nif`` is a VALID NIF one digit off the claimed one and nobody's on the page."""
    label = "stale_certificate" if case == "undated_certificate" else case
    e = _entry(doc, part, variant, label, who_key or CASE_WHO.get(case, "appointed"), set_id, rng)
    claim, expect = e["claim"], e["expect"]
    if case == "notary_claims":
        claimed = doc.notary
        claim.update(person_nif=claimed.nif, person_name=claimed.full)
        expect["person_role"] = "notary"
        e["one_off_nif"] = one_digit_off(claimed.nif, rng)
    if case == "stale_certificate":
        e["stale_reason"] = "old_issue_date"
    if case == "undated_certificate":
        e["stale_reason"] = "no_issue_date"
        expect["date"] = None
    avoid = {p.nif for p in doc.people.values() if p.nif}
    if case == "lookalike_claims":
        claimed = doc.extra["claimed"]
        claim.update(person_nif=claimed.nif, person_name=claimed.full)
        expect["person_role"] = None
        e["one_off_nif"] = one_digit_off(claimed.nif, rng)
    if case == "nif_off_claims":
        claim["person_nif"] = near_nif(doc.people["appointed"].nif, rng, avoid)
        expect["person_role"] = None
        e["one_off_nif"] = one_digit_off(claim["person_nif"], rng)
    e["absent_nif"] = near_nif(claim["person_nif"], rng, avoid)
    return e


def plan_part(
    part: str,
    table: dict,
    profile: str,
    seed: int,
    *,
    make=part_doc,
    entry=holdout_entry,
    upload_step: int = 1,
    holder=None,
) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] of one part from its table; cheap (no rendering).

    ``table``: ``docs`` (template, variants full, variants small): true claims of the appointed person;
    ``cases`` (template, case, variants full, variants small): claims that must NOT come out clear;
    ``sets`` (primary template, primary variant, ID template, ID variant, expired): a document and the appointed
    person's ID card (the first ``small_sets`` of them in the small profile).  What differs between the parts:
      * ``make(rng, name, upload, variant, case="true_claim", expired=False, person=None, cover_p=0.6)`` -> Doc;
      * ``entry(doc, part, variant, case, set_id, rng)`` -> manifest entry;
      * the n-th upload is ``(upload_step * n) % 11`` days after UPLOAD_BASE;
      * ``holder(ID template)``: a maker of the set's person when the card calls for a holder of its own kind
        (an EU citizen, a TIE holder...), else None: then the card's holder is a foreigner (NIE) for a TIE /
        residence card and a national otherwise, drawn anew only when the document names the other kind.
    All draws come from one rng seeded with (seed, part, profile), always in this order: the same arguments give
    the same plan, file by file."""
    rng = random.Random(f"{seed}-{part}-{profile}")
    full = profile == "full"
    out: list[tuple[Doc, dict]] = []
    n = 0

    def upload() -> dt.date:
        nonlocal n
        n += 1
        return UPLOAD_BASE + dt.timedelta(days=(upload_step * n) % 11)

    for tname, vf, vs in table["docs"]:
        for v in vf if full else vs:
            doc = make(rng, tname, upload(), v)
            out.append((doc, entry(doc, part, v, "true_claim", None, rng)))
    for tname, case, vf, vs in table["cases"]:
        for v in vf if full else vs:
            doc = make(rng, tname, upload(), v, case)
            out.append((doc, entry(doc, part, v, case, None, rng)))
    for pname, pvar, idname, idvar, expired in table["sets"] if full else table["sets"][: table.get("small_sets", 1)]:
        u = upload()
        prim = make(rng, pname, u, pvar, cover_p=0.5)
        maker = holder(idname) if holder else None
        if maker:
            prim.people["appointed"] = maker(rng)
        else:
            nie = any(k in idname for k in ("tie", "nie", "resid"))
            if nie != (prim.people["appointed"].nif[0] in "XYZ"):
                prim.people["appointed"] = make_person(rng, prim.lang, nie=nie)
        card = make(rng, idname, u, idvar, expired=expired, person=prim.people["appointed"])
        sid = f"{part}-set{len(out):03d}"
        out.append((prim, entry(prim, part, pvar, "true_claim", sid, rng)))
        out.append((card, entry(card, part, idvar, "expired_id" if expired else "true_claim", sid, rng)))
    for i, (doc, e) in enumerate(out):
        e["file"] = f"{part}-{i:03d}-{doc.template}-{e['variant']}"
    return out


def plan(part: str, profile: str, seed: int) -> list[tuple[Doc, dict]]:
    """[(Doc, manifest entry without file/pages)] for one part; cheap (no rendering)."""
    first = {"make": functools.partial(part_doc, id_cover=False), "entry": first_entry}
    if part in ("dev", "holdout"):
        return plan_part(part, DEV_PLAN if part == "dev" else HOLDOUTS()[part].PLAN, profile, seed, **first)
    return HOLDOUTS()[part].plan(profile, seed)


DEV_PLAN = {
    "docs": [
        (
            "deed_cese_nombramiento_es_table",
            ["clean", "photo", "rot90", "pdf_text", "noisy", "tiff", "jpeg200"],
            ["clean"],
        ),
        ("deed_cese_nombramiento_ca", ["skew", "pdf_scan", "lowcontrast", "rot180", "photo", "dpi600"], ["photo"]),
        ("power_es_grantor_first", ["clean", "rot270", "pdf_scan", "photo", "noisy", "pdf_text", "skew"], ["pdf_scan"]),
        ("power_es_attorney_summary", ["jpeg200", "photo", "lowcontrast", "tiff", "rot90", "clean"], ["skew"]),
        ("power_ca_atorga", ["clean", "dpi600", "photo", "pdf_text", "rot180", "noisy"], []),
        (
            "registry_cert_es_list",
            ["clean", "pdf_text", "photo", "skew", "pdf_scan", "rot270", "lowcontrast"],
            ["pdf_text"],
        ),
        ("registry_cert_es_table", ["jpeg200", "photo", "clean", "tiff", "noisy", "rot90"], ["clean"]),
        ("borme_es", ["clean", "pdf_text", "photo"], []),
        ("mandate_energy_es", ["clean", "photo", "rot90", "pdf_text", "noisy", "jpeg200", "skew"], ["photo"]),
        ("mandate_community_es", ["clean", "lowcontrast", "photo", "pdf_scan", "rot270", "dpi600"], ["jpeg200"]),
        ("mandate_community_ca", ["clean", "photo", "skew", "pdf_text", "tiff"], []),
    ],
    "cases": [
        ("deed_cese_nombramiento_es_table", "outgoing_claims", ["clean", "photo", "pdf_text"], ["clean"]),
        ("deed_cese_nombramiento_ca", "outgoing_claims", ["clean", "noisy"], []),
        ("registry_cert_es_list", "outgoing_claims", ["clean", "pdf_text"], []),
        ("registry_cert_es_table", "outgoing_claims", ["photo"], ["clean"]),
        ("power_es_grantor_first", "grantor_claims", ["clean", "photo"], ["clean"]),
        ("power_ca_atorga", "grantor_claims", ["pdf_text"], []),
        ("power_es_attorney_summary", "grantor_claims", ["clean"], []),
        ("registry_cert_es_list", "stale_certificate", ["clean", "photo"], ["pdf_text"]),
        ("registry_cert_es_table", "stale_certificate", ["pdf_text"], []),
    ],
    # (primary template, primary variant, id template, id variant, expired)
    "sets": [
        ("power_es_grantor_first", "clean", "id_dni_es", "clean", False),
        ("deed_cese_nombramiento_es_table", "photo", "id_dni_es", "photo", False),
        ("mandate_energy_es", "clean", "id_tie_es", "clean", False),
        ("power_es_attorney_summary", "pdf_text", "id_dni_es", "clean", True),
        ("registry_cert_es_list", "clean", "id_dni_es", "rot90", False),
        ("mandate_community_es", "photo", "id_tie_es", "photo", False),
        ("deed_cese_nombramiento_ca", "clean", "id_dni_es", "skew", False),
        ("power_ca_atorga", "jpeg200", "id_tie_es", "photo", True),
        ("power_es_grantor_first", "pdf_text", "id_dni_es", "pdf_scan", False),
        ("mandate_energy_es", "pdf_text", "id_dni_es", "jpeg200", False),
    ],
    "small_sets": 2,
}


def build(out_dir: str, part: str = "dev", profile: str = "small", seed: int = 20261120) -> list[dict]:
    """Write one part of the corpus to ``out_dir``; idempotent (reuses a manifest with the same
    part/profile/seed).  Returns the manifest entries."""
    os.makedirs(out_dir, exist_ok=True)
    man_path = os.path.join(out_dir, "manifest.json")
    if os.path.exists(man_path):
        with open(man_path, encoding="utf-8") as fh:
            data = json.load(fh)
        if (data.get("part"), data.get("profile"), data.get("seed")) == (part, profile, seed):
            return data["entries"]
    entries = []
    for doc, e in plan(part, profile, seed):
        blob, ext, pages, facts_page = render_file(doc, e["variant"])
        e["file"] = f"{e['file']}.{ext}"
        e["pages"], e["facts_page"] = pages, facts_page
        with open(os.path.join(out_dir, e["file"]), "wb") as fh:
            fh.write(blob)
        entries.append(e)
    with open(man_path, "w", encoding="utf-8") as fh:
        json.dump(
            {"part": part, "profile": profile, "seed": seed, "entries": entries}, fh, indent=1, ensure_ascii=False
        )
    return entries


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--part", choices=["dev", *HOLDOUTS()], default="dev")
    p.add_argument("--profile", choices=["small", "full"], default="full")
    p.add_argument("--seed", type=int, default=20261120)
    a = p.parse_args(argv)
    entries = build(a.out, a.part, a.profile, a.seed)
    print(f"{len(entries)} documents in {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
