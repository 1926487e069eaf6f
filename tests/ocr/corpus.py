"""Deterministic synthetic corpus for the OCR pre-check.

    python tests/ocr/corpus.py --out DIR [--profile small|full]

writes the files plus ``manifest.json`` (expected facts per file).  Fonts are
looked up by file name (DejaVu / Liberation, Debian packages fonts-dejavu-core
and fonts-liberation); Pillow finds them in the system font directories.

Documents: powers of attorney, deeds, Registro Mercantil certificates, mandates
to an energy manager / property administrator, ID-card-like images, unrelated
invoices; Spanish and Catalan; valid NIF/NIE/CIF (check digits by stdnum) plus
distractors (outgoing representative's valid NIF, an invalid one-digit-off
NIF).  Variants: clean 300 dpi, 200 dpi JPEG, skewed, sideways, upside down,
noisy+blurred, low contrast, 12 MP phone photo, 600 dpi, multi-page TIFF,
image-only multi-page PDF, text-layer PDF.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import zlib
from dataclasses import asdict, dataclass, field

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from stdnum.es import cif as _cif
from stdnum.es import dni as _dni
from stdnum.es import nie as _nie

A4_MM = (210, 297)

FIRST = [
    "María",
    "José",
    "Núria",
    "Jordi",
    "Àngels",
    "Íñigo",
    "Sofía",
    "Joan",
    "Mònica",
    "Raúl",
    "Elena",
    "Martí",
    "Lucía",
    "Ramón",
    "Pilar",
    "Xavier",
    "Carmen",
    "Òscar",
    "Begoña",
    "Andrés",
]
LAST = [
    "García",
    "Núñez",
    "López",
    "Martínez",
    "Puig",
    "Ferrer",
    "Sánchez",
    "Gómez",
    "Vilà",
    "Muñoz",
    "Serra",
    "Fernández",
    "Castells",
    "Rodríguez",
    "Ibáñez",
    "Soler",
    "Pérez",
    "Balaguer",
    "Domènech",
    "Alonso",
]
COMPANY_A = [
    "Energías",
    "Talleres",
    "Construcciones",
    "Hostelería",
    "Inversiones",
    "Distribuciones",
    "Serveis",
    "Indústries",
    "Gestió",
    "Transportes",
    "Panadería",
    "Agrícola",
]
COMPANY_B = [
    "del Ebre",
    "Montseny",
    "Costa Brava",
    "del Norte",
    "Levante",
    "Pirineu",
    "Castilla",
    "del Segre",
    "Mediterráneo",
    "Garraf",
    "La Mancha",
    "Cantábrico",
]
FORMS = ["S.L.", "S.A.", "S.L.U.", "SL", "S.COOP."]
CITIES = ["Barcelona", "Madrid", "Girona", "Lleida", "Tarragona", "Valencia", "Zaragoza", "Sevilla", "Bilbao"]
MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
MONTHS_CA = [
    "gener",
    "febrer",
    "març",
    "abril",
    "maig",
    "juny",
    "juliol",
    "agost",
    "setembre",
    "octubre",
    "novembre",
    "desembre",
]
FONTS = ["DejaVuSerif.ttf", "DejaVuSans.ttf", "LiberationSerif-Regular.ttf", "LiberationSans-Regular.ttf"]

FILLER_ES = (
    "El compareciente asegura la vigencia de su cargo y de las facultades que ejercita, y yo, el Notario, "
    "juzgo a la sociedad representada con capacidad legal suficiente para otorgar la presente escritura. "
    "Las facultades conferidas podrán ejercitarse ante cualquier organismo público o privado, incluidas "
    "las empresas distribuidoras y comercializadoras de energía eléctrica y gas natural, firmando cuantos "
    "documentos públicos y privados sean necesarios. Hago las reservas y advertencias legales oportunas, "
    "en particular las relativas a la protección de datos de carácter personal."
)
FILLER_CA = (
    "El compareixent assegura la vigència del seu càrrec i de les facultats que exercita, i jo, el Notari, "
    "considero la societat representada amb capacitat legal suficient per atorgar aquesta escriptura. "
    "Les facultats conferides es podran exercir davant de qualsevol organisme públic o privat, incloses "
    "les empreses distribuïdores i comercialitzadores d'energia elèctrica i gas natural, i signar tots els "
    "documents públics i privats que calgui. Faig les reserves i advertiments legals oportuns."
)


# --------------------------------------------------------------------------- identifiers


def make_dni(rng: random.Random) -> str:
    body = f"{rng.randrange(10**7, 10**8):08d}"
    return body + _dni.calc_check_digit(body)


def make_nie(rng: random.Random) -> str:
    body = rng.choice("XYZ") + f"{rng.randrange(10**6, 10**7):07d}"
    return body + _nie.calc_check_digit(body)


def make_cif(rng: random.Random) -> str:
    letter = rng.choice("ABBBBF")
    body = letter + f"{rng.randrange(10**6, 10**7):07d}"
    return body + _cif.calc_check_digits(body)[0]  # A, B, F take the digit


def one_digit_off(value: str, rng: random.Random) -> str:
    """Same identifier with one digit changed; always fails the check digit."""
    digits = [i for i, c in enumerate(value[:-1]) if c.isdigit()]
    for _ in range(50):
        i = rng.choice(digits)
        v = value[:i] + str((int(value[i]) + rng.randrange(1, 10)) % 10) + value[i + 1 :]
        from stdnum.es import nif as _nif

        if not (_nif.is_valid(v) or _cif.is_valid(v)):
            return v
    raise AssertionError("no invalid variant")  # pragma: no cover


def fmt_nif(v: str, style: int) -> str:
    if v[0] in "XYZ":
        return [v, f"{v[0]}-{v[1:8]}-{v[8]}", f"{v[0]}{v[1:8]} {v[8]}"][style % 3]
    return [v, f"{v[:2]}.{v[2:5]}.{v[5:8]}-{v[8]}", f"{v[:8]}-{v[8]}"][style % 3]


def fmt_cif(v: str, style: int) -> str:
    return [v, f"{v[0]}-{v[1:]}", f"{v[0]}{v[1:3]}.{v[3:6]}.{v[6:]}"][style % 3]


# --------------------------------------------------------------------------- facts


@dataclass
class Facts:
    doc_type: str
    lang: str
    request_type: str
    company_name: str | None
    company_cif: str | None
    person_name: str
    person_nif: str
    grantor_name: str
    grantor_nif: str  # valid distractor (outgoing representative / administrator)
    one_off_nif: str  # invalid, one digit off the person's NIF
    date: str  # ISO
    expiry: str | None = None
    notary: str | None = None
    protocol: str | None = None
    csv: str | None = None
    city: str = "Barcelona"
    style: int = 0
    font: str = FONTS[0]
    extra: dict = field(default_factory=dict)


def _name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}"


def make_facts(rng: random.Random, doc_type: str, lang: str) -> Facts:
    person_nif = make_nie(rng) if (doc_type == "manager_mandate" and rng.random() < 0.4) else make_dni(rng)
    company = f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {rng.choice(FORMS)}"
    d = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 1400))
    f = Facts(
        doc_type=doc_type,
        lang=lang,
        request_type="external_manager" if doc_type == "manager_mandate" else "representative_change",
        company_name=company,
        company_cif=make_cif(rng),
        person_name=_name(rng),
        person_nif=person_nif,
        grantor_name=_name(rng),
        grantor_nif=make_dni(rng),
        one_off_nif="",
        date=d.isoformat(),
        city=rng.choice(CITIES),
        style=rng.randrange(3),
        font=rng.choice(FONTS),
    )
    f.one_off_nif = one_digit_off(person_nif, rng)
    if doc_type in ("power_of_attorney", "deed"):
        f.notary = _name(rng)
        f.protocol = str(rng.randrange(150, 4999))
    if doc_type == "registry_certificate" or (doc_type == "power_of_attorney" and rng.random() < 0.5):
        f.csv = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(16))
        if not any(c.isdigit() for c in f.csv):
            f.csv = f.csv[:-1] + "7"
    if doc_type == "id_document":
        f.company_name = None
        f.company_cif = None
        f.request_type = "representative_change"
        exp = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 4000))
        f.expiry = exp.isoformat()
    if doc_type == "other":
        f.request_type = "representative_change"
        f.extra = {"absent": ["person_nif"]}  # an invoice names the company, not the person's NIF
    return f


def _date_words(iso: str, lang: str, style: int) -> str:
    d = dt.date.fromisoformat(iso)
    if style == 2:
        return d.strftime("%d/%m/%Y")
    if lang == "ca":
        m = MONTHS_CA[d.month - 1]
        sep = "d'" if m[0] in "aeiou" else "de "
        return f"{d.day} {sep}{m} de {d.year}"
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


def _proto(p: str) -> str:
    n = int(p)
    return f"{n // 1000}.{n % 1000:03d}" if n >= 1000 else str(n)


def paragraphs(f: Facts) -> list[tuple[str, str]]:
    """(style, text) paragraphs; style is 'title', 'bold' or 'body'."""
    es = f.lang == "es"
    pn, gn = f.person_name.upper(), f.grantor_name.upper()
    pnif, gnif = fmt_nif(f.person_nif, f.style), fmt_nif(f.grantor_nif, f.style + 1)
    date = _date_words(f.date, f.lang, f.style)
    out: list[tuple[str, str]] = []
    cif = fmt_cif(f.company_cif, f.style) if f.company_cif else ""
    comp = (f.company_name or "").upper()
    if f.doc_type == "power_of_attorney":
        if es:
            out += [
                ("title", "ESCRITURA DE PODER ESPECIAL"),
                ("bold", f"NÚMERO DE PROTOCOLO {_proto(f.protocol)}"),
                ("body", f"En {f.city}, a {date}."),
                (
                    "body",
                    f"Ante mí, {f.notary.upper()}, Notario del Ilustre Colegio de Cataluña, con residencia "
                    f"en {f.city},",
                ),
                ("bold", "COMPARECE"),
                (
                    "body",
                    f"D. {gn}, mayor de edad, con DNI {gnif}, en nombre y representación de la mercantil "
                    f"{comp}, con CIF {cif}, en su calidad de administrador único.",
                ),
                (
                    "body",
                    f"Y OTORGA PODER ESPECIAL tan amplio como en derecho se requiera a favor de "
                    f"D. {pn}, con DNI {pnif}, para que en nombre de la sociedad pueda representarla ante "
                    f"las compañías de suministro de energía.",
                ),
                ("body", FILLER_ES),
            ]
        else:
            out += [
                ("title", "ESCRIPTURA DE PODER ESPECIAL"),
                ("bold", f"NÚMERO DE PROTOCOL {_proto(f.protocol)}"),
                ("body", f"A {f.city}, el {date}."),
                (
                    "body",
                    f"Davant meu, {f.notary.upper()}, Notari de l'Il·lustre Col·legi de Catalunya, amb "
                    f"residència a {f.city},",
                ),
                ("bold", "COMPAREIX"),
                (
                    "body",
                    f"En {gn}, major d'edat, amb DNI {gnif}, en nom i representació de la societat "
                    f"{comp}, amb NIF {cif}, en la seva condició d'administrador únic.",
                ),
                (
                    "body",
                    f"I ATORGA PODER ESPECIAL a favor de {pn}, amb DNI {pnif}, perquè en nom de la "
                    f"societat la pugui representar davant les companyies de subministrament d'energia.",
                ),
                ("body", FILLER_CA),
            ]
        if f.csv:
            out.append(("body", ("Código Seguro de Verificación: " if es else "Codi Segur de Verificació: ") + f.csv))
    elif f.doc_type == "deed":
        if es:
            out += [
                ("title", "ESCRITURA DE ELEVACIÓN A PÚBLICO DE ACUERDOS SOCIALES"),
                ("bold", "CESE Y NOMBRAMIENTO DE ADMINISTRADOR"),
                ("bold", f"NÚMERO {_proto(f.protocol)}"),
                ("body", f"En {f.city}, a {date}."),
                ("body", f"Ante mí, {f.notary.upper()}, Notario del Ilustre Colegio de Madrid,"),
                (
                    "body",
                    f"comparece D. {gn}, con DNI {gnif}, como secretario de la junta general de la "
                    f"sociedad {comp}, con CIF {cif}, y eleva a público los acuerdos sociales adoptados: "
                    f"cese del anterior administrador y nombramiento como administrador único de "
                    f"D. {pn}, con DNI {pnif}, por plazo indefinido.",
                ),
                ("body", f"Número de protocolo {_proto(f.protocol)}."),
                ("body", FILLER_ES),
            ]
        else:
            out += [
                ("title", "ESCRIPTURA D'ELEVACIÓ A PÚBLIC D'ACORDS SOCIALS"),
                ("bold", "CESSAMENT I NOMENAMENT D'ADMINISTRADOR"),
                ("body", f"A {f.city}, el {date}."),
                ("body", f"Davant meu, {f.notary.upper()}, Notari de l'Il·lustre Col·legi de Catalunya,"),
                (
                    "body",
                    f"compareix En {gn}, amb DNI {gnif}, com a secretari de la junta general de la "
                    f"societat {comp}, amb NIF {cif}, i eleva a públic els acords socials: nomenament "
                    f"com a administrador únic de {pn}, amb DNI {pnif}.",
                ),
                ("body", f"Número de protocol {_proto(f.protocol)}."),
                ("body", FILLER_CA),
            ]
    elif f.doc_type == "registry_certificate":
        out += [
            ("title", f"REGISTRO MERCANTIL DE {f.city.upper()}"),
            ("bold", "CERTIFICACIÓN"),
            (
                "body",
                f"D. {gn}, Registrador Mercantil de {f.city}, CERTIFICO: Que en la hoja registral de "
                f"la sociedad {comp}, con NIF {cif}, Tomo {f.style + 3}.215, Folio 88, Hoja B-{int(f.protocol or 4521) * 7}, "
                f"consta inscrito el nombramiento de D. {pn}, con DNI {pnif}, como administrador único.",
            ),
            ("body", "Y para que conste, expido la presente certificación con los asientos vigentes."),
            ("body", f"{f.city}, a {date}."),
            ("body", f"Código Seguro de Verificación: {f.csv}"),
        ]
    elif f.doc_type == "manager_mandate":
        role = "gestor energético" if f.style != 1 else "administrador de fincas"
        if es:
            out += [
                ("title", "MANDATO DE REPRESENTACIÓN"),
                ("bold", f"AUTORIZACIÓN A {role.upper()}"),
                (
                    "body",
                    f"D. {gn}, con DNI {gnif}, en representación de {comp}, con CIF {cif} (el mandante), "
                    f"autoriza a D. {pn}, con DNI/NIE {pnif}, en calidad de {role} (el mandatario), para "
                    f"gestionar en su nombre los contratos de suministro eléctrico, solicitar cambios de "
                    f"potencia y tarifa y recibir las facturas ante la comercializadora.",
                ),
                ("body", "CUPS: ES0031405512345678JY0F"),
                ("body", f"En {f.city}, a {date}."),
                ("body", "Firma del mandante                Firma del mandatario"),
            ]
        else:
            role = "gestor energètic" if f.style != 1 else "administrador de finques"
            out += [
                ("title", "MANDAT DE REPRESENTACIÓ"),
                ("bold", f"AUTORITZACIÓ A {role.upper()}"),
                (
                    "body",
                    f"En {gn}, amb DNI {gnif}, en representació de {comp}, amb NIF {cif} (el mandant), "
                    f"autoritza {pn}, amb DNI/NIE {pnif}, com a {role} (el mandatari), per gestionar en "
                    f"nom seu els contractes de subministrament elèctric davant la comercialitzadora.",
                ),
                ("body", "CUPS: ES0031405512345678JY0F"),
                ("body", f"A {f.city}, {date}."),
                ("body", "Signatura del mandant                Signatura del mandatari"),
            ]
    elif f.doc_type == "other":
        out += [
            ("title", "FACTURA"),
            (
                "body",
                f"Factura núm. 2024-{f.style}{f.protocol or '0871'}  Fecha: {dt.date.fromisoformat(f.date).strftime('%d/%m/%Y')}",
            ),
            ("body", f"Cliente: {comp}   CIF: {cif}"),
            ("body", f"Atendido por: {pn}"),
            ("body", "Concepto: mantenimiento de instalación eléctrica, 3 unidades, precio unitario 120,00"),
            ("body", "Base imponible: 360,00 EUR   IVA 21%: 75,60 EUR   Total a pagar: 435,60 EUR"),
            ("body", "Forma de pago: transferencia bancaria. Vencimiento a 30 días."),
        ]
    return out


# --------------------------------------------------------------------------- rendering


def _font(name: str, px: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(name, px)
    except OSError:
        return ImageFont.truetype("DejaVuSans.ttf", px)


def _wrap(text: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for word in text.split():
        cand = f"{cur} {word}".strip()
        if font.getlength(cand) <= width or not cur:
            cur = cand
        else:
            lines.append(cur)
            cur = word
    if cur:
        lines.append(cur)
    return lines


def layout(paras: list[tuple[str, str]], font_name: str, dpi: int) -> list[list[tuple[str, str]]]:
    """Split paragraphs into pages of (style, line)."""
    k = dpi / 300
    W, H = int(A4_MM[0] / 25.4 * dpi), int(A4_MM[1] / 25.4 * dpi)
    margin = int(240 * k)
    body = _font(font_name, int(44 * k))
    pages, cur, y = [], [], margin
    for style, text in paras:
        f = _font(font_name, int((60 if style == "title" else 46 if style == "bold" else 44) * k))
        for line in _wrap(text, f, W - 2 * margin):
            lh = int(f.size * 1.45)
            if y + lh > H - margin:
                pages.append(cur)
                cur, y = [], margin
            cur.append((style, line))
            y += lh
        y += int(body.size * 0.8)
    if cur:
        pages.append(cur)
    return pages


def render_page(lines: list[tuple[str, str]], font_name: str, dpi: int = 300) -> Image.Image:
    k = dpi / 300
    W, H = int(A4_MM[0] / 25.4 * dpi), int(A4_MM[1] / 25.4 * dpi)
    im = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(im)
    margin = int(240 * k)
    y = margin
    prev = None
    for style, line in lines:
        f = _font(font_name, int((60 if style == "title" else 46 if style == "bold" else 44) * k))
        if prev is not None and prev != style:
            y += int(44 * k * 0.8)
        x = margin if style == "body" else max(margin, int((W - f.getlength(line)) / 2))
        d.text((x, y), line, font=f, fill=0)
        if style != "body":
            d.text((x + 1, y), line, font=f, fill=0)
        y += int(f.size * 1.45)
        prev = style
    # page number footer
    return im


def render_document(f: Facts, dpi: int = 300, filler_pages_before: int = 0, filler_pages_after: int = 0):
    paras = paragraphs(f)
    pages = [render_page(p, f.font, dpi) for p in layout(paras, f.font, dpi)]
    filler = FILLER_ES if f.lang == "es" else FILLER_CA
    fill = [render_page(p, f.font, dpi) for p in layout([("body", filler)] * 6, f.font, dpi)[:1]]
    return (
        [fill[0].copy() for _ in range(filler_pages_before)]
        + pages
        + [fill[0].copy() for _ in range(filler_pages_after)]
    )


def render_id_card(f: Facts, scale: float = 1.0) -> Image.Image:
    """ID-1 card (85.6 x 54 mm) at 600 dpi, DNI-like layout (synthetic)."""
    W, H = int(2022 * scale), int(1276 * scale)
    k = scale
    rng = np.random.default_rng(zlib.crc32(f.person_nif.encode()))
    base = np.zeros((H, W, 3), np.float32)
    yy, xx = np.mgrid[0:H, 0:W]
    base[..., 0] = 222 + 14 * np.sin(xx / (37 * k)) * np.cos(yy / (53 * k))
    base[..., 1] = 228 + 10 * np.sin(yy / (29 * k))
    base[..., 2] = 240
    base += rng.normal(0, 3, base.shape)
    im = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(im)
    big, lab, val = (
        _font("DejaVuSans-Bold.ttf", int(64 * k)),
        _font("DejaVuSans.ttf", int(38 * k)),
        _font("DejaVuSans-Bold.ttf", int(56 * k)),
    )
    d.text((int(60 * k), int(40 * k)), "REINO DE ESPAÑA", font=big, fill=(40, 40, 90))
    d.text((int(60 * k), int(120 * k)), "DOCUMENTO NACIONAL DE IDENTIDAD", font=lab, fill=(40, 40, 90))
    d.rectangle([int(60 * k), int(220 * k), int(560 * k), int(860 * k)], fill=(170, 160, 150))  # photo
    first, *rest = f.person_name.upper().split(" ", 1)
    x0 = int(640 * k)
    rows = [
        ("APELLIDOS", rest[0] if rest else ""),
        ("NOMBRE", first),
        ("SEXO   NACIONALIDAD", "F      ESP"),
        ("FECHA DE NACIMIENTO", "14 02 1979"),
        ("VALIDEZ", dt.date.fromisoformat(f.expiry).strftime("%d %m %Y")),
    ]
    y = int(220 * k)
    for label, value in rows:
        d.text((x0, y), label, font=lab, fill=(60, 60, 60))
        d.text((x0, y + int(44 * k)), value, font=val, fill=(10, 10, 10))
        y += int(130 * k)
    d.text(
        (int(60 * k), int(920 * k)),
        f"DNI {f.person_nif}",
        font=_font("DejaVuSansMono-Bold.ttf", int(72 * k)),
        fill=(0, 0, 0),
    )
    mrz = f"IDESPBAA{f.person_nif[:6]}4{f.person_nif}<<<<<<"[:30]
    d.text((int(60 * k), int(1080 * k)), mrz, font=_font("DejaVuSansMono.ttf", int(58 * k)), fill=(0, 0, 0))
    return im


# --------------------------------------------------------------------------- degradations


def v_jpeg200(im: Image.Image) -> bytes:
    w, h = im.size
    small = im.resize((w * 2 // 3, h * 2 // 3), Image.LANCZOS)
    return _save(small, "JPEG", quality=70, dpi=(200, 200))


def v_skew(im: Image.Image, angle: float) -> Image.Image:
    return im.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255 if im.mode == "L" else (255,) * 3)


def v_noise(im: Image.Image, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    a = np.asarray(im.filter(ImageFilter.GaussianBlur(1.3)), np.float32)
    a = a + rng.normal(0, 22, a.shape)
    sp = rng.random(a.shape[:2])
    a[sp < 0.002] = 0
    a[sp > 0.998] = 255
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def v_lowcontrast(im: Image.Image) -> Image.Image:
    a = np.asarray(im, np.float32)
    return Image.fromarray((140 + a / 255 * 70).astype(np.uint8))


def v_photo(im: Image.Image, seed: int) -> Image.Image:
    """12 MP phone photo: perspective, darker background, uneven light, blur, noise."""
    import cv2

    rng = np.random.default_rng(seed)
    W, H = 3000, 4000
    page = np.asarray(im.convert("L"), np.uint8)
    ph, pw = page.shape
    sx = 0.82 * W / pw
    cw, ch = pw * sx, ph * sx
    ox, oy = (W - cw) / 2, (H - ch) / 2
    j = lambda: rng.uniform(-0.035, 0.035) * W  # noqa: E731
    dst = np.float32(
        [[ox + j(), oy + j()], [ox + cw + j(), oy + j()], [ox + cw + j(), oy + ch + j()], [ox + j(), oy + ch + j()]]
    )
    src = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    m = cv2.getPerspectiveTransform(src, dst)
    bg = (70 + rng.normal(0, 8, (H, W))).astype(np.float32)
    warped = cv2.warpPerspective(page, m, (W, H), flags=cv2.INTER_AREA, borderValue=0).astype(np.float32)
    mask = cv2.warpPerspective(np.full_like(page, 255), m, (W, H), borderValue=0).astype(np.float32) / 255
    out = bg * (1 - mask) + warped * mask
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    light = 0.62 + 0.38 * (xx / W * 0.6 + (1 - yy / H) * 0.4)
    out = out * light
    out = cv2.GaussianBlur(out, (0, 0), 1.1) + rng.normal(0, 5, out.shape)
    rgb = np.stack([out * 1.02, out, out * 0.93], axis=-1)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def _save(im: Image.Image, fmt: str, **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, fmt, **kw)
    return b.getvalue()


# --------------------------------------------------------------------------- PDF writing


def pdf_from_images(pages: list[Image.Image], dpi: int = 300, quality: int = 80) -> bytes:
    """Image-only PDF (no text layer), one JPEG per page."""
    b = io.BytesIO()
    rgb = [p.convert("L") for p in pages]
    rgb[0].save(b, "PDF", save_all=True, append_images=rgb[1:], resolution=dpi, quality=quality)
    return b.getvalue()


def _pdf_escape(s: str) -> bytes:
    raw = s.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_with_text(pages: list[list[tuple[str, str]]], *, rotate: int = 0, encrypt: bool = False) -> bytes:
    """Minimal PDF with a real text layer (Helvetica, WinAnsiEncoding)."""
    objs: list[bytes] = []
    W, H = 595, 842
    kids = []
    content_ids = []
    n_pages = len(pages)
    # object numbering: 1 catalog, 2 pages, 3 font, 4 bold font, then page/content pairs
    for lines in pages:
        y = H - 60
        ops = [b"BT"]
        prev = None
        for style, line in lines:
            size = 15 if style == "title" else 11.5 if style == "bold" else 10.5
            if prev is not None and prev != style:
                y -= 8
            font = b"/F2" if style in ("title", "bold") else b"/F1"
            # hostile styles: text a viewer does not show (invisible / white / microscopic)
            pre, post = {"hidden": (b"3 Tr ", b" 0 Tr"), "white": (b"1 1 1 rg ", b" 0 0 0 rg"), "tiny": (b"", b"")}.get(
                style, (b"", b"")
            )
            if style == "tiny":
                size = 0.5
            ops.append(pre + font + b" %.1f Tf 1 0 0 1 60 %.1f Tm (" % (size, y) + _pdf_escape(line) + b") Tj" + post)
            y -= size * 1.45
            prev = style
        ops.append(b"ET")
        content_ids.append(b"\n".join(ops))
    for i in range(n_pages):
        kids.append(5 + 2 * i)
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n_pages, b" ".join(b"%d 0 R" % k for k in kids)))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for i, content in enumerate(content_ids):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Rotate %d /Resources << /Font << /F1 3 0 R "
            b"/F2 4 0 R >> >> /Contents %d 0 R >>" % (W, H, rotate, 6 + 2 * i)
        )
        z = zlib.compress(content)
        objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream")
    enc_id = None
    if encrypt:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"a1" * 32 + b"> /U <" + b"b2" * 32 + b"> /P -44 >>")
        enc_id = len(objs)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if enc_id:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (enc_id, b"c3" * 16, b"c3" * 16)
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_pdf_lines(f: Facts) -> list[list[tuple[str, str]]]:
    """Wrap paragraphs for the text-layer PDF (Helvetica metrics = Liberation Sans)."""
    pages, cur = [], []
    y = 842 - 60
    for style, text in paragraphs(f):
        size = 15 if style == "title" else 11.5 if style == "bold" else 10.5
        font = _font("LiberationSans-Bold.ttf" if style != "body" else "LiberationSans-Regular.ttf", 100)
        scale = size / 100
        lines, line = [], ""
        for w in text.split():
            cand = f"{line} {w}".strip()
            if font.getlength(cand) * scale <= 595 - 120 or not line:
                line = cand
            else:
                lines.append(line)
                line = w
        lines.append(line)
        for ln in lines:
            if y < 60:
                pages.append(cur)
                cur, y = [], 842 - 60
            cur.append((style, ln))
            y -= size * 1.45
        y -= 8
    pages.append(cur)
    return pages


# --------------------------------------------------------------------------- hostile inputs


def png_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A tiny PNG whose header declares a gigantic image."""

    def chunk(t: bytes, data: bytes) -> bytes:
        import struct

        return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data) & 0xFFFFFFFF)

    import struct

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\xff" * 64
    idat = zlib.compress(row * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def hostile_files() -> dict[str, bytes]:
    import zipfile

    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("word/document.xml", "<w:document>poder</w:document>")
    good = pdf_with_text([[("body", "ESCRITURA DE PODER ESPECIAL con DNI 12345678Z")] * 5])
    return {
        "empty.pdf": b"",
        "truncated.pdf": good[: len(good) // 5],
        "encrypted.pdf": pdf_with_text([[("body", "secret 12345678Z")]], encrypt=True),
        "page.html": b"<!DOCTYPE html><html><body><h1>Poder</h1> DNI 12345678Z</body></html>",
        "archive.zip": z.getvalue(),
        "bomb.png": png_bomb(),
        "garbage.jpg": b"\xff\xd8\xff\xe0" + os.urandom(4096),
        "notes.txt": b"DNI 12345678Z\n",
    }


# --------------------------------------------------------------------------- corpus


@dataclass
class Entry:
    file: str
    variant: str
    facts: dict
    pages: int = 1
    facts_page: int = 0
    expect_text_layer: bool = False

    def claim(self) -> dict:
        f = self.facts
        return {
            "request_type": f["request_type"],
            "company_cif": f["company_cif"],
            "company_name": f["company_name"],
            "person_nif": f["person_nif"],
            "person_name": f["person_name"],
        }


DOC_KINDS = [
    ("power_of_attorney", "es"),
    ("power_of_attorney", "ca"),
    ("deed", "es"),
    ("deed", "ca"),
    ("registry_certificate", "es"),
    ("manager_mandate", "es"),
    ("manager_mandate", "ca"),
    ("other", "es"),
]
IMAGE_VARIANTS = ["clean", "jpeg200", "skew", "rot90", "rot270", "rot180", "noisy", "lowcontrast", "photo"]
SMALL_VARIANTS = {
    "power_of_attorney/es": ["clean", "rot90", "photo", "pdf_scan_late", "pdf_text"],
    "power_of_attorney/ca": ["skew", "rot180", "pdf_scan_early"],
    "manager_mandate/es": ["jpeg200", "noisy"],
    "registry_certificate/es": ["lowcontrast", "dpi600", "pdf_text"],
    "deed/ca": ["tiff"],
    "other/es": ["clean"],
}


def build(out_dir: str, profile: str = "small", seed: int = 20240312) -> list[Entry]:
    """Write the corpus to ``out_dir`` (idempotent: reuses an existing manifest)."""
    os.makedirs(out_dir, exist_ok=True)
    man_path = os.path.join(out_dir, "manifest.json")
    if os.path.exists(man_path):
        with open(man_path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("profile") == profile and data.get("seed") == seed:
            return [Entry(**e) for e in data["entries"]]
    rng = random.Random(seed)
    entries: list[Entry] = []

    def write(name: str, blob: bytes):
        with open(os.path.join(out_dir, name), "wb") as fh:
            fh.write(blob)

    for doc_type, lang in DOC_KINDS:
        key = f"{doc_type}/{lang}"
        if profile == "small":
            variants = SMALL_VARIANTS.get(key, [])
        else:
            variants = IMAGE_VARIANTS + ["dpi600", "tiff", "pdf_scan_late", "pdf_scan_early", "pdf_text"]
            if doc_type == "other":
                variants = ["clean", "photo", "pdf_text"]
        for v in variants:
            f = make_facts(rng, doc_type, lang)
            base = f"{doc_type}-{lang}-{v}"
            vs = rng.randrange(1 << 30)
            e = Entry(file="", variant=v, facts=asdict(f))
            if v in ("clean", "skew", "rot90", "rot270", "rot180", "noisy", "lowcontrast", "photo", "jpeg200"):
                page = render_document(f)[0]
                if v == "clean":
                    blob, ext = _save(page, "PNG", dpi=(300, 300)), "png"
                elif v == "jpeg200":
                    blob, ext = v_jpeg200(page), "jpg"
                elif v == "skew":
                    ang = rng.choice([-1, 1]) * rng.uniform(2.0, 4.5)
                    blob, ext = _save(v_skew(page, ang), "PNG", dpi=(300, 300)), "png"
                    e.facts["extra"] = {"angle": ang}
                elif v in ("rot90", "rot270", "rot180"):
                    ang = {"rot90": 90, "rot270": 270, "rot180": 180}[v]
                    blob, ext = _save(page.rotate(ang, expand=True), "PNG", dpi=(300, 300)), "png"
                elif v == "noisy":
                    blob, ext = _save(v_noise(page, vs), "PNG", dpi=(300, 300)), "png"
                elif v == "lowcontrast":
                    blob, ext = _save(v_lowcontrast(page), "PNG", dpi=(300, 300)), "png"
                else:  # photo
                    blob, ext = _save(v_photo(page, vs), "JPEG", quality=88), "jpg"
            elif v == "dpi600":
                page = render_document(f, dpi=600)[0]
                blob, ext = _save(page, "PNG", dpi=(600, 600)), "png"
            elif v == "tiff":
                pages = render_document(f, filler_pages_before=1)
                bw = [p.point(lambda x: 255 if x > 140 else 0, "1") for p in pages]
                blob, ext = (
                    _save(bw[0], "TIFF", save_all=True, append_images=bw[1:], compression="group4", dpi=(300, 300)),
                    "tif",
                )
                e.pages, e.facts_page = len(pages), 1
            elif v == "pdf_scan_late":
                pages = render_document(f, filler_pages_before=2)
                blob, ext = pdf_from_images(pages), "pdf"
                e.pages, e.facts_page = len(pages), 2
            elif v == "pdf_scan_early":
                pages = render_document(f, filler_pages_after=4 if profile == "full" else 2)
                blob, ext = pdf_from_images(pages), "pdf"
                e.pages, e.facts_page = len(pages), 0
            elif v == "pdf_text":
                tl = text_pdf_lines(f)
                blob, ext = pdf_with_text(tl), "pdf"
                e.pages, e.expect_text_layer = len(tl), True
            else:  # pragma: no cover
                continue
            e.file = f"{base}.{ext}"
            write(e.file, blob)
            entries.append(e)

    # ID documents
    id_variants = ["clean", "expired", "photo", "rot90"] if profile == "full" else ["clean", "expired"]
    for v in id_variants:
        f = make_facts(rng, "id_document", "es")
        if v == "expired":
            f.expiry = "2022-05-17"
        else:
            f.expiry = (dt.date.today() + dt.timedelta(days=rng.randrange(400, 3000))).isoformat()
        card = render_id_card(f)
        if v == "photo":
            canvas = Image.new("RGB", (3000, 2250), (60, 58, 55))
            canvas.paste(card, (480, 480))
            img = canvas.rotate(4, resample=Image.BICUBIC, fillcolor=(60, 58, 55))
            blob, ext = _save(img, "JPEG", quality=88), "jpg"
        elif v == "rot90":
            blob, ext = _save(card.rotate(90, expand=True), "PNG", dpi=(600, 600)), "png"
        else:
            blob, ext = _save(card, "PNG", dpi=(600, 600)), "png"
        e = Entry(file=f"id_document-es-{v}.{ext}", variant=v, facts=asdict(f))
        write(e.file, blob)
        entries.append(e)

    with open(man_path, "w", encoding="utf-8") as fh:
        json.dump(
            {"profile": profile, "seed": seed, "entries": [asdict(e) for e in entries]},
            fh,
            indent=1,
            ensure_ascii=False,
        )
    return entries


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True)
    p.add_argument("--profile", choices=["small", "full"], default="full")
    p.add_argument("--seed", type=int, default=20240312)
    p.add_argument("--hostile", action="store_true", help="also write hostile/broken inputs")
    a = p.parse_args(argv)
    entries = build(a.out, a.profile, a.seed)
    if a.hostile:
        for name, blob in hostile_files().items():
            with open(os.path.join(a.out, "hostile-" + name), "wb") as fh:
                fh.write(blob)
    print(f"{len(entries)} documents in {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
