"""Identity documents read by field: DNI, resident cards (TIE/NIE), passports.

A card prints each value under (or beside) its label: ``APELLIDOS / COGNOMS``,
``NOMBRE / NAME``, ``FECHA DE EXPEDICIÓN``, ``VÁLIDO HASTA``...  The labels are
not part of the values: the value of a label is what is printed below it (or
after it on the same line) up to the next label, in the label's column.  The
machine readable zone (ICAO 9303 TD1: three lines of 30 characters) gives the
name, the number and the expiry too, each date with a check digit; it confirms
or replaces what the labelled fields gave.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from . import extract
from .results import Word
from .roles import clean_name
from .textindex import PageIndex, Span, fold

# "Sumame": "rn" read as "m", the commonest confusion of a printed label
_SURNAME = re.compile(r"\b(?:apellidos?|primer apellido|segundo apellido|cognoms?|surnames?|sumames?|nom de famille)\b")
#: a card printing each surname under its own label ("PRIMER APELLIDO" / "SEGUNDO APELLIDO")
_SECOND_SURNAME = re.compile(r"\b(?:segundo apellido|segon cognom|second surname|2(?:o|º)? apellido)\b")
_GIVEN = re.compile(r"\b(?:nombre|nom|name|given names?|prenoms?|forename)\b")
_ISSUE = re.compile(
    r"\b(?:fecha de expedicion|expedicion|data d'expedicio|expedicio|date of issue|issued?|emision|"
    r"fecha de emision|data d'emissio|expedid[oa](?: el)?|expedit|fecha de registro|data de registre|"
    r"date of registration|registration date|issuing|date of issuing|emissione|data di emissione|rilascio|"
    r"data di rilascio|delivrance|date de delivrance|emissao|data de emissao|ausstellungsdatum)\b"
)
_EXPIRY = re.compile(
    r"\b(?:validez|valido hasta|valid until|caducidad|date of expiry|expiry|validesa|caducitat|"
    r"fecha de caducidad|valable)\b"
)
_OTHER_LABEL = re.compile(
    r"\b(?:sexo|sex|sexe|nacionalidad|nationality|nacionalitat|fecha de nacimiento|"
    r"date of birth|data de naixement|nacimiento|birth|num(?:ero)? soporte|soporte|dni|nie|"
    r"documento|document|domicilio|lugar de nacimiento|hijo de|equipo|firma|signature|"
    r"permiso|tipo de permiso|observaciones|can|idesp)\b"
)
_ANY_LABEL = [_SURNAME, _GIVEN, _ISSUE, _EXPIRY, _OTHER_LABEL]
_LABEL_WORDS = frozenset(
    (
        "APELLIDOS",
        "APELLIDO",
        "PRIMER",
        "SEGUNDO",
        "COGNOMS",
        "COGNOM",
        "SURNAME",
        "SURNAMES",
        "NOMBRE",
        "NOM",
        "NAME",
        "GIVEN",
        "NAMES",
        "PRENOMS",
        "DNI",
        "NIE",
        "NUM",
        "NÚM",
        "FIRST",
        "SECOND",
        "SEGON",
        "FAMILY",
        "NOMBRES",
        "PRENOM",
        "SUMAME",
        "SUMAMES",
        "DE FAMILLE",
    )
)

_MRZ_NAME = re.compile(r"^([A-Z]+(?:<[A-Z]+)*)<<([A-Z]+(?:<[A-Z]+)*)<*$")
_MRZ_DATES = re.compile(r"(\d{6})(\d)([MFX<])(\d{6})(\d)([A-Z<]{3})")


@dataclass
class CardFields:
    surnames: Span | None = None
    given_names: Span | None = None
    issue: extract.DateHit | None = None
    expiry: extract.DateHit | None = None
    mrz_expiry: _dt.date | None = None
    mrz_surnames: str | None = None
    mrz_given_names: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)

    @property
    def name(self) -> str | None:
        """Given names and surnames from the labelled fields (the MRZ fills a field not read)."""
        given = clean_name(self.given_names.text) if self.given_names else self.mrz_given_names
        surnames = clean_name(self.surnames.text) if self.surnames else self.mrz_surnames
        if given and surnames:
            return f"{given} {surnames}"
        return None

    @property
    def mrz_name(self) -> str | None:
        if self.mrz_given_names and self.mrz_surnames:
            return f"{self.mrz_given_names} {self.mrz_surnames}"
        return None


def _lines(index: PageIndex) -> list[tuple[int, int, list[tuple[int, int, Word]]]]:
    """Lines of the page: (start, end, [(s, e, word)]) in reading order."""
    out = []
    for s0, e0 in index.line_ranges:
        ws = [(s, e, w) for s, e, w in index.offsets if s0 <= s < e0 + 1]
        if ws:
            out.append((s0, e0, ws))
    return out


def _is_label_line(index: PageIndex, s0: int, e0: int) -> bool:
    line = index.folded[s0:e0]
    stripped = line
    for rx in _ANY_LABEL:
        stripped = rx.sub(" ", stripped)
    rest = [t for t in re.split(r"[\s/|:.,\-]+", stripped) if len(t) > 1]
    return len(rest) <= 1 and stripped != line


def _value_below(index: PageIndex, lines, k: int, x0: int, x1: int, max_lines: int) -> list[tuple[int, int, Word]]:
    """Words printed below line ``k`` in the column [x0, x1], up to the next label line."""
    got: list[tuple[int, int, Word]] = []
    label_y = max(w.y1 for _, _, w in lines[k][2])
    h = max(8, max(w.y1 - w.y0 for _, _, w in lines[k][2]))
    # the lines printed below the label, top to bottom (OCR may read a value line before its label)
    below = sorted(
        (ln for j, ln in enumerate(lines) if j != k and min(w.y0 for _, _, w in ln[2]) > label_y - h // 2),
        key=lambda ln: min(w.y0 for _, _, w in ln[2]),
    )
    for s0, e0, ws in below[: max_lines * 2]:
        if _is_label_line(index, s0, e0):
            break
        col = [(s, e, w) for s, e, w in ws if w.x1 > x0 - 2 * h and w.x0 < x1 and w.y0 > label_y - h // 2]
        if not col:
            continue
        top = min(w.y0 for _, _, w in col)
        # a value's next line follows its previous one at its own leading (the value may be set in a larger font
        # than its label: a DNI 3.0 prints two surnames on two lines under a small "APELLIDOS"); a wider gap is
        # the room of a label OCR did not read ("2. Given names" lost on a passport photo)
        follows = bool(got) and top - max(w.y1 for _, _, w in got) < 0.8 * max(w.y1 - w.y0 for _, _, w in got)
        if top - label_y > 4 * h * (1 + len(got) // 3) and not follows:
            break
        got.extend(col)
        if len({w.line for _, _, w in got}) >= max_lines:
            break
    return got


def _column(lines, k: int, m: re.Match, index: PageIndex) -> tuple[int, int]:
    """The x range of a label on line ``k``: from the label's first word to the next label on the line."""
    s0, e0, ws = lines[k]
    label_words = [w for s, e, w in ws if s < m.end() + s0 and e > m.start() + s0]
    if not label_words:
        return 0, 10**9
    x0 = min(w.x0 for w in label_words)
    later = []
    line = index.folded[s0:e0]
    for rx in _ANY_LABEL:
        for m2 in rx.finditer(line):
            if m2.start() > m.end() + 3:
                later.extend(w.x0 for s, e, w in ws if s >= m2.start() + s0 and w.x0 > x0)
    # "APELLIDOS / SURNAMES" is one label in two languages: a next label only counts past a separator
    return x0, min(later) if later else 10**9


def _name_words(ws: list[tuple[int, int, Word]]) -> list[tuple[int, int, Word]]:
    out = []
    for s, e, w in ws:
        t = w.text.strip(",.;:/|")
        if not t or fold(t).upper() in _LABEL_WORDS:
            continue
        if any(c.isdigit() for c in t) or not any(c.isalpha() for c in t):
            continue
        if not out and t.islower():
            continue  # a name opens with a capital: "hs" after a label is a speck read as letters
        out.append((s, e, w))
    return out


def read_card(index: PageIndex, dates: list[extract.DateHit]) -> CardFields:
    out = CardFields()
    lines = _lines(index)
    for k, (s0, e0, ws) in enumerate(lines):
        line = index.folded[s0:e0]
        for key, rx in (("surnames", _SURNAME), ("given_names", _GIVEN)):
            if getattr(out, key) is not None:
                continue
            m = rx.search(line)
            if not m or (
                key == "given_names"
                and _SURNAME.search(line)
                and _SURNAME.search(line).start() < m.start()
                and "/" not in line[: m.start()]
            ):
                continue
            x0, x1 = _column(lines, k, m, index)
            # a value after the label on the same line ("NOMBRE: MARIA")
            tail = [(s, e, w) for s, e, w in ws if s >= s0 + m.end() and x0 <= w.x0 < x1]
            # a value after the label on its line ("NOMBRE: MARÍA", "Apellidos LEFEVRE"); the rest of a line of
            # labels ("APELLIDOS / SURNAMES", "PRIMER APELLIDO / FIRST SURNAME") is no value
            after = _name_words(tail)
            words = after or _name_words(_value_below(index, lines, k, x0, x1, 2 if key == "surnames" else 1))
            if words:
                sp = Span(index.page.index, [w for _, _, w in words], " ".join(w.text for _, _, w in words))
                setattr(out, key, sp)
        for key, rx in (("issue", _ISSUE), ("expiry", _EXPIRY)):
            if getattr(out, key) is not None:
                continue
            m = rx.search(line)
            if not m:
                continue
            x0, x1 = _column(lines, k, m, index)
            hit = _date_at_or_below(index, lines, k, m, x0, x1, dates)
            if hit:
                setattr(out, key, hit)
    _second_surname(index, lines, out)
    _read_mrz(index, out)
    return out


def _second_surname(index: PageIndex, lines, out: CardFields) -> None:
    """Append the value under a separate second-surname label to the surnames read under the first."""
    if out.surnames is None:
        return
    have = set(map(id, out.surnames.words))
    for k, (s0, e0, ws) in enumerate(lines):
        m = _SECOND_SURNAME.search(index.folded[s0:e0])
        if not m:
            continue
        x0, x1 = _column(lines, k, m, index)
        tail = [(s, e, w) for s, e, w in ws if s >= s0 + m.end() and w.x0 >= x0]
        after = _name_words(tail) if not _is_label_line(index, s0, e0) else []
        words = [w for _, _, w in (after or _name_words(_value_below(index, lines, k, x0, x1, 1))) if id(w) not in have]
        if words:
            ws_all = out.surnames.words + words
            out.surnames = Span(out.surnames.page, ws_all, " ".join(w.text for w in ws_all))
        return


def _date_at_or_below(
    index: PageIndex, lines, k: int, m: re.Match, x0: int, x1: int, dates: list[extract.DateHit]
) -> extract.DateHit | None:
    s0, e0, ws = lines[k]
    same = [h for h in dates if s0 + m.end() <= h.start < e0]
    if same:
        return same[0]
    below = _value_below(index, lines, k, x0, x1, 2)
    if not below:
        return None
    lo, hi = min(s for s, _, _ in below), max(e for _, e, _ in below)
    for h in dates:
        if lo <= h.start < hi:
            return h
    return None


def _check_digit(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        v = int(ch) if ch.isdigit() else (ord(ch) - 55 if ch.isalpha() else 0)
        total += v * (7, 3, 1)[i % 3]
    return total % 10


def _read_mrz(index: PageIndex, out: CardFields) -> None:
    ranges = index.line_ranges
    rows = [re.sub(r"\s+", "", index.text[s:e]).upper().replace("«", "<") for s, e in ranges]
    for row in rows:
        m = _MRZ_DATES.search(row)
        if m and _check_digit(m.group(4)) == int(m.group(5)) and _check_digit(m.group(1)) == int(m.group(2)):
            yy, mm, dd = int(m.group(4)[:2]), int(m.group(4)[2:4]), int(m.group(4)[4:])
            try:
                out.mrz_expiry = _dt.date(2000 + yy if yy < 70 else 1900 + yy, mm, dd)
            except ValueError:
                pass
    for row, (s, e) in zip(rows, ranges):
        if re.match(r"P[A-Z<][A-Z<]{3}[A-Z]", row):  # a passport (TD3): the name follows "P<ESP"
            row = row[5:]
        if len(row) < 12 or "<<" not in row or any(c.isdigit() for c in row):
            continue
        m = _MRZ_NAME.match(row.strip("<") + "<")
        if m:
            out.mrz_surnames = m.group(1).replace("<", " ").strip()
            out.mrz_given_names = m.group(2).replace("<", " ").strip()
            out.spans["mrz_name"] = index.line_span_at(s, e)
            break
