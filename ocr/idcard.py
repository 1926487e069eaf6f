"""Identity documents read by field: DNI, resident cards (TIE/NIE), passports.

A card prints each value under (or beside) its label: ``APELLIDOS / COGNOMS``,
``NOMBRE / NAME``, ``FECHA DE EXPEDICIÓN``, ``VÁLIDO HASTA``... (Spanish, Catalan,
Galician, Basque, English; a passport's French and German too).  Labels joined by
"/" are one field in several languages ("1. Surname / Nom / Name": there French
"nom" is the surname).  The labels are not part of the values: the value of a
label is what is printed below it (or after it on the same line, near it or in a
column of values) up to the next label, in the label's column.  The machine
readable zone (ICAO 9303 TD1: three lines of 30 characters; TD3: two of 44)
gives the name, the number, the birth and the expiry too, each date with a check
digit; it confirms or completes what the labelled fields gave, and the visual
zone's printed lines give back the letters OCR misread in it.
"""

from __future__ import annotations

import datetime as _dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import extract
from .results import Word
from .roles import clean_name
from .textindex import PageIndex, Span, fold

# "Sumame": "rn" read as "m", the commonest confusion of a printed label
_SURNAME = re.compile(
    r"\b(?:apellidos?|primer apellido|segundo apellido|cognoms?|surnames?|sumames?|nom de famille|apelidos?|"
    r"abizenak?)\b"
)
#: a card printing each surname under its own label ("PRIMER APELLIDO" / "SEGUNDO APELLIDO")
_SECOND_SURNAME = re.compile(r"\b(?:segundo apellido|segon cognom|second surname|2(?:o|º)? apellido)\b")
_GIVEN = re.compile(r"\b(?:nombre|nom|name|given names?|prenoms?|forename|nome|izena|vornamen)\b")
_ISSUE = re.compile(
    r"\b(?:fecha de expedicion|expedicion|data d'expedicio|expedicio|date ?of ?issue|issued?|emision|"
    r"fecha de emision|data d'emissio|expedid[oa](?: el)?|expedit|fecha de registro|data de registre|"
    r"date of registration|registration date|issuing|date of issuing|emissione|data di emissione|rilascio|"
    r"data di rilascio|delivrance|date de delivrance|emissao|data de emissao|ausstellungsdatum)\b"
)
_EXPIRY = re.compile(
    r"\b(?:validez|valido hasta|valid until|caducidad|date of expiry|expiry|validesa|caducitat|"
    r"fecha de caducidad|valable|valido ata|data de caducidade|iraungitze data)\b"
)
_OTHER_LABEL = re.compile(
    r"\b(?:sexo|sex|sexe|nacionalidad|nationality|nacionalitat|fecha de nacimiento|"
    r"date of birth|data de naixement|nacimiento|birth|num(?:ero)? soporte|soporte|dni|nie|"
    r"documento|document|domicilio|lugar de nacimiento|hijo de|equipo|firma|signature|"
    r"permiso|tipo de permiso|observaciones|can|idesp|nacionalidade|data de nacemento|lugar de nacemento|"
    r"nacemento|enderezo|jaioteguna)\b"
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
        "APELIDOS",
        "APELIDO",
        "NOME",
        "ABIZENAK",
        "IZENA",
        "VORNAMEN",
    )
)

_MRZ_NAME = re.compile(r"^([A-Z]+(?:<[A-Z]+)*)<<([A-Z]+(?:<[A-Z]+)*)<*$")
_MRZ_DATES = re.compile(r"(\d{6})(\d)([MFX<])(\d{6})(\d)")  # TD1 (nationality next) and TD3 (optional data next)


@dataclass
class CardFields:
    surnames: Span | None = None
    given_names: Span | None = None
    issue: extract.DateHit | None = None
    expiry: extract.DateHit | None = None
    mrz_expiry: _dt.date | None = None
    mrz_birth: _dt.date | None = None
    #: where the machine readable zone starts in the page's text (the visual zone is printed above it)
    mrz_start: int | None = None
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


def _value_below(
    index: PageIndex, lines, k: int, x0: int, x1: int, max_lines: int, label_lefts: Sequence[int] = ()
) -> list[tuple[int, int, Word]]:
    """Words printed below line ``k`` in the column [x0, x1], up to the next label line (a word of another
    field's column, where ``label_lefts`` start labels, is not in it: see :func:`_beside`)."""
    got: list[tuple[int, int, Word]] = []
    label_y = max(w.y1 for _, _, w in lines[k][2])
    h = max(8, max(w.y1 - w.y0 for _, _, w in lines[k][2]))

    # the lines printed below the label, top to bottom (OCR may read a value line before its label)
    # a line's top is that of its words of a usual height: one box OCR drew too tall ("2021" reaching up into the
    # label's line) does not lift the line above its label
    def top_of(ln) -> float:
        usual = 1.5 * statistics.median(w.y1 - w.y0 for _, _, w in ln[2])
        return min(w.y0 for _, _, w in ln[2] if w.y1 - w.y0 <= usual)

    below = sorted((ln for j, ln in enumerate(lines) if j != k and top_of(ln) > label_y - h // 2), key=top_of)
    for s0, e0, ws in below[: max_lines * 2]:
        if _is_label_line(index, s0, e0):
            break
        col = [(s, e, w) for s, e, w in ws if w.x1 > x0 - 2 * h and w.x0 < x1 and w.y0 > label_y - h // 2]
        col = _beside(col, x0, h, label_lefts)
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
    line = index.folded[s0:e0]
    # "APELLIDOS / SURNAMES", "1. Surname / Nom / Name" is one label in several languages: the next label of
    # another field is the first one not joined to the label by "/"
    end = _translations_end(line, m)
    later = [
        w.x0
        for rx in _ANY_LABEL
        for m2 in rx.finditer(line)
        if m2.start() >= end
        for s, e, w in ws
        if s >= m2.start() + s0 and w.x0 > x0
    ]
    # the next field's label OCR read as a line of its own beside it ("EMISIÓN" and, level with it, "VALIDEZ")
    y0, y1 = min(w.y0 for w in label_words), max(w.y1 for w in label_words)
    for j, (t0, t1, tws) in enumerate(lines):
        row = [w for _, _, w in tws if w.x0 > max(w.x1 for w in label_words) and min(w.y1, y1) - max(w.y0, y0) > 0]
        if j != k and row and _is_label_line(index, t0, t1):
            later.append(min(w.x0 for w in row))
    return x0, min(later) if later else 10**9


def _translations_end(line: str, m: re.Match) -> int:
    """Where the label ``m`` ends with its translations: labels that follow it joined only by "/"."""
    end = m.end()
    starts = sorted((m2.start(), m2.end()) for rx in _ANY_LABEL for m2 in rx.finditer(line))
    for a, b in starts:
        if a >= end and _JOINED.fullmatch(line[end:a]):
            end = max(end, b)
    return end


#: what stands between a label and its translation: a slash, spaces
_JOINED = re.compile(r"\s*/\s*")


def _beside(
    tail: list[tuple[int, int, Word]], label_x1: int, h: int, label_lefts: Sequence[int]
) -> list[tuple[int, int, Word]]:
    """The words printed after a label on its line.  A word far to the right (more than BESIDE_GAP label
    heights) is still the value in a form that sets values in a column of their own ("Cognoms ... QUISPE"),
    but not where labels also start at its left edge: there it is the value of another field of a card, read
    onto the same line ("APELIDOS / APELLIDOS ... A CORUÑA" under "DOMICILIO")."""
    out: list[tuple[int, int, Word]] = []
    x = label_x1
    for s, e, w in sorted(tail, key=lambda t: t[2].x0):
        if w.x0 - x > BESIDE_GAP * h and any(abs(w.x0 - lx) <= h for lx in label_lefts):
            break
        out.append((s, e, w))
        x = w.x1
    return out


def _label_lefts(index: PageIndex, lines) -> list[int]:
    """Where each label printed on the page starts (x)."""
    out = []
    for s0, e0, ws in lines:
        line = index.folded[s0:e0]
        for rx in _ANY_LABEL:
            for m in rx.finditer(line):
                out.extend(w.x0 for s, e, w in ws if s <= s0 + m.start() < e)
    return out


#: a value beside its label stands at most this many label heights from it
BESIDE_GAP = 6


def _surname_translation(line: str, m: re.Match) -> bool:
    """``m`` (a given-name label) only translates a surname label before or after it: "Surname / Nom / Name",
    "NOM / Surname" (French "nom" and German "Name" are the surname)."""
    return any(
        m.start() < _translations_end(line, sm)
        if sm.start() < m.start()
        else re.fullmatch(r"\s*/\s*", line[m.end() : sm.start()]) is not None  # "NOM / Surname": French
        for sm in _SURNAME.finditer(line)
    )


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
    lefts = _label_lefts(index, lines)
    for k, (s0, e0, ws) in enumerate(lines):
        line = index.folded[s0:e0]
        for key, rx in (("surnames", _SURNAME), ("given_names", _GIVEN)):
            if getattr(out, key) is not None:
                continue
            m = next((m for m in rx.finditer(line) if key == "surnames" or not _surname_translation(line, m)), None)
            if not m or (
                key == "given_names"
                and _SURNAME.search(line)
                and _SURNAME.search(line).start() < m.start()
                and "/" not in line[: m.start()]
            ):
                continue
            x0, x1 = _column(lines, k, m, index)
            end = _translations_end(line, m)
            label = [w for s, e, w in ws if s < s0 + end and e > s0 + m.start()]
            h = max(w.y1 - w.y0 for w in label) if label else 10**9
            # a value after the label on the same line ("NOMBRE: MARIA")
            tail = _beside(
                [(s, e, w) for s, e, w in ws if s >= s0 + end and x0 <= w.x0 < x1],
                max((w.x1 for w in label), default=x0),
                h,
                lefts,
            )
            # a value after the label on its line ("NOMBRE: MARÍA", "Apellidos LEFEVRE"); the rest of a line of
            # labels ("APELLIDOS / SURNAMES", "PRIMER APELLIDO / FIRST SURNAME") is no value
            after = _name_words(tail)
            words = after or _name_words(_value_below(index, lines, k, x0, x1, 2 if key == "surnames" else 1, lefts))
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
    out.given_names = _edge_letters_from_mrz(out.given_names, out.mrz_given_names)
    out.surnames = _edge_letters_from_mrz(out.surnames, out.mrz_surnames)
    if out.issue is None or _other_papers_issue(out):
        out.issue = _unlabelled_issue(out, dates) or out.issue
    return out


def _other_papers_issue(out: CardFields) -> bool:
    """The labelled issue date is another paper's on the same sheet (the "Fecha de registro" of a registration
    certificate above the card): the card's machine readable zone gives its validity, and that validity counts
    from no such date."""
    if out.issue is None or out.mrz_expiry is None or out.mrz_birth is None:
        return False
    return not _whole_years(out.issue.date, out.mrz_expiry, out.mrz_birth)


def _edge_letters_from_mrz(field: Span | None, mrz_value: str | None) -> Span | None:
    """A labelled value with a word whose first or last letter OCR lost at the edge of a photo ("LEJANDRO"),
    completed from the same word in the machine readable zone ("ALEJANDRO")."""
    if field is None or not mrz_value:
        return field
    printed, mrz = field.text.split(), mrz_value.split()
    if len(printed) != len(mrz):
        return field
    fixed = [m if _edge_misread(p, m) else p for p, m in zip(printed, mrz, strict=True)]
    return field if fixed == printed else Span(field.page, field.words, " ".join(fixed))


#: what OCR makes of a speck or a stroke beside a word
_STROKES = "lI|!1"


def _edge_misread(printed: str, mrz: str) -> bool:
    """``printed`` is the MRZ's ``mrz`` word but for a letter lost at its start or end, or a stroke read beside
    it ("Il" for the particle "I")."""
    p = fold(printed).upper()
    lost = len(mrz) >= 4 and p in (mrz[1:], mrz[:-1])
    stroke = len(printed) == len(mrz) + 1 and (
        (printed[-1] in _STROKES and p[:-1] == mrz) or (printed[0] in _STROKES and p[1:] == mrz)
    )
    return lost or stroke


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


def _mrz_date(yymmdd: str, *, before: _dt.date | None = None) -> _dt.date | None:
    """A date of the machine readable zone: an expiry's century is this one (to 2069); a birth (``before``: the
    expiry) is in the century that puts it before the expiry."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if before is None:
        year = 2000 + yy if yy < 70 else 1900 + yy
    else:
        year = 2000 + yy if 2000 + yy < before.year else 1900 + yy
    try:
        return _dt.date(year, mm, dd)
    except ValueError:
        return None


def _unlabelled_issue(out: CardFields, dates: list[extract.DateHit]) -> extract.DateHit | None:
    """The issue date of a card whose labels OCR did not read (a passport on a phone photo): the one date of
    its visual zone (printed above the machine readable zone) that is neither the birth nor the expiry the
    zone carries (both with check digits) and lies between them."""
    if out.mrz_expiry is None or out.mrz_birth is None or out.mrz_start is None:
        return None
    found = {h.date: h for h in dates if h.start < out.mrz_start and out.mrz_birth < h.date < out.mrz_expiry}
    if len(found) > 1:
        # another paper on the same sheet dates itself too (an NIE certificate above a passport): the card's
        # issue is the one its validity counts whole years from (5 or 10, to the day or the day before)
        found = {d: h for d, h in found.items() if _whole_years(d, out.mrz_expiry, out.mrz_birth)}
    return next(iter(found.values())) if len(found) == 1 else None


def _whole_years(issued: _dt.date, expiry: _dt.date, birth: _dt.date | None = None) -> bool:
    """A card issued on ``issued`` is valid until ``expiry``: 5, 10 or 15 years to the day (or the day before),
    or, where the validity runs on to the holder's birthday (an Italian CIE), to the first birthday after that
    anniversary."""
    for years in (5, 10, 15):
        anniversary = _same_day(issued, issued.year + years)
        if abs((expiry - anniversary).days) <= 1:
            return True
        if birth is not None:
            birthday = _same_day(birth, anniversary.year)
            if birthday < anniversary:
                birthday = _same_day(birth, anniversary.year + 1)
            if expiry == birthday:
                return True
    return False


def _same_day(d: _dt.date, year: int) -> _dt.date:
    """``d``'s day of the month in ``year`` (29 February becomes the 28th)."""
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)


def _read_mrz(index: PageIndex, out: CardFields) -> None:
    ranges = index.line_ranges
    rows = [re.sub(r"\s+", "", index.text[s:e]).upper().replace("«", "<") for s, e in ranges]
    out.mrz_start = next((s for row, (s, e) in zip(rows, ranges) if len(row) >= 28 and "<<" in row), None)
    for row in rows:
        m = _MRZ_DATES.search(row)
        if m and _check_digit(m.group(4)) == int(m.group(5)) and _check_digit(m.group(1)) == int(m.group(2)):
            out.mrz_expiry = _mrz_date(m.group(4))
            out.mrz_birth = _mrz_date(m.group(1), before=out.mrz_expiry) if out.mrz_expiry else None
    for row, (s, e) in zip(rows, ranges):
        if re.match(r"P[A-Z<][A-Z<]{3}[A-Z]", row):  # a passport (TD3): the name follows "P<ESP"
            row = row[5:]
        if len(row) < 12 or "<<" not in row or sum(c.isdigit() for c in row) > MRZ_NAME_DIGITS:
            continue
        # the name row holds letters only: a digit or two in it are letters misread ("ORI0OL")
        row = row.translate(_DIGIT_AS_LETTER)
        m = _MRZ_NAME.match(row.strip("<") + "<") or _mrz_name_before_specks(index, row)
        if m:
            out.mrz_surnames = _as_printed(index, m.group(1).replace("<", " ").strip())
            out.mrz_given_names = _as_printed(index, m.group(2).replace("<", " ").strip())
            out.spans["mrz_name"] = index.line_span_at(s, e)
            break


#: at most this many digits in a row still make it the name row (misread letters); the other rows hold many
MRZ_NAME_DIGITS = 2
_DIGIT_AS_LETTER = str.maketrans("0125678", "OIZSGTB")

#: the name field of a machine readable zone: surnames "<<" given names, each part joined by one "<", then filler
_MRZ_NAME_FIELD = re.compile(r"^<*([A-Z]+(?:<[A-Z]+)*)<<([A-Z]+(?:<[A-Z]+)*)(?=<<|<?$)")


def _mrz_name_before_specks(index: PageIndex, row: str) -> re.Match | None:
    """The name field of a row whose filler OCR read with specks in it: a letter or two ("MARIANA<<<<<E<<<"),
    or more past a long run of filler when the card's visual zone prints the same given names on a line of
    their own ("MIHAELA<<<<<<<<<OCCCEEECEC")."""
    m = _MRZ_NAME_FIELD.match(row)
    if m is None:
        return None
    rest = row[m.end() :]
    if not rest.startswith("<<"):
        return None
    if sum(c.isalpha() for c in rest) <= MRZ_FILLER_SPECKS:
        return m
    if rest.startswith("<" * MRZ_LONG_FILLER_RUN):
        return m  # ten fillers and more: the field has ended, whatever specks OCR read at the row's end
    given = m.group(2).replace("<", " ")
    return m if rest.startswith("<" * MRZ_FILLER_RUN) and _printed_line(index, given, exact=True) else None


#: letters read in a machine readable zone's filler that are specks, not a name part
MRZ_FILLER_SPECKS = 2
#: a run of filler this long ends the name field whatever OCR read after it, once the visual zone confirms it
MRZ_FILLER_RUN = 5
#: a run of filler this long ends it on its own
MRZ_LONG_FILLER_RUN = 10


def _as_printed(index: PageIndex, mrz_value: str) -> str:
    """The machine readable zone's ``mrz_value`` with the letters OCR misread in it ("ALMETDA") read again from
    the card's visual zone ("ALMEIDA"), in the zone's own alphabet (no accents: the evidence is the zone)."""
    return _printed_line(index, mrz_value) or mrz_value


def _printed_line(index: PageIndex, mrz_value: str, *, exact: bool = False) -> str | None:
    """The words of a line of the page (upper case, accents aside) that are those of ``mrz_value`` letter for
    letter but for at most one letter a word and one in six (none if ``exact``)."""
    want = mrz_value.split()
    n = sum(map(len, want))
    for s, e in index.line_ranges:
        got = fold(index.text[s:e]).upper().split()
        if len(got) != len(want) or [len(g) for g in got] != [len(w) for w in want]:
            continue
        per_word = [sum(a != b for a, b in zip(g, w)) for g, w in zip(got, want)]
        if sum(per_word) == 0 or (not exact and sum(per_word) <= n // 6 and max(per_word) <= 1):
            return " ".join(got)
    return None
