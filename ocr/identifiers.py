"""Spanish tax identifiers (NIF/DNI, NIE, CIF) in noisy text.

Safety rules (the pre-check must never be wrong in the dangerous direction):

* a candidate is only ever reported if python-stdnum validates it;
* OCR-confusion correction (O/0, I/l/1, S/5, B/8, Z/2, G/6) is only applied to
  make an otherwise invalid candidate valid, and such *corrected* candidates
  are only used to confirm an exact match with the claimed identifier; they are
  never reported as "a different identifier was found".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.es import cif as _cif
from stdnum.es import dni as _dni
from stdnum.es import nie as _nie
from stdnum.es import nif as _nif

_SEPS = " .,-_·"  # OCR reads a dot as a comma ("75,443.171-C")
_MAX_SEPS = 4
#: a dot, comma or dash with a space before or after it or both, as OCR spaces them
_SPACED_SEPS = frozenset(a + c + b for c in ".,-" for a in ("", " ") for b in ("", " ")) - set(".,-")

# letter -> digit (digit positions), digit -> letter (letter positions)
_TO_DIGIT = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8", "Z": "2", "G": "6"}
_TO_LETTER = {"5": "S", "8": "B", "2": "Z", "6": "G", "0": "O", "1": "I"}

CIF_LETTERS = "ABCDEFGHJNPQRSUVW"
NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


@dataclass(frozen=True)
class IdCandidate:
    value: str  # compact, upper case, validated
    kind: str  # "nif" (DNI / K L M), "nie" or "cif"
    corrected: bool  # True when OCR-confusion correction was needed
    start: int  # offsets in the searched text
    end: int
    raw: str

    @property
    def is_person(self) -> bool:
        return self.kind in ("nif", "nie")


def compact(value: str | None) -> str:
    """Strip separators and upper-case; pads 7-digit DNIs to 8 digits."""
    if not value:
        return ""
    v = re.sub(r"[^A-Za-z0-9]", "", value).upper()
    if re.fullmatch(r"\d{7}[A-Z]", v):
        v = "0" + v
    if v.startswith("ES") and len(v) == 11:  # VAT form ESB12345678
        v = v[2:]
    return v


def kind_of(value: str) -> str | None:
    """'nif', 'nie' or 'cif' if ``value`` is a valid identifier, else None."""
    v = compact(value)
    if len(v) != 9:
        return None
    try:
        if v[0] in "XYZ":
            return "nie" if _nie.is_valid(v) else None
        if v[0].isdigit():
            return "nif" if _dni.is_valid(v) else None
        if v[0] in "KLM":
            return "nif" if _nif.is_valid(v) else None
        if v[0] in CIF_LETTERS:
            return "cif" if _cif.is_valid(v) else None
    except Exception:  # pragma: no cover - stdnum never should, but be safe
        return None
    return None


def is_valid(value: str) -> bool:
    return kind_of(value) is not None


def letter_read_as_digit_checks(value: str) -> bool:
    """Nine digits whose last is a DNI's check letter's look-alike ("313408965": the S of 31340896S read as 5):
    the letter the digits demand is the one the last digit looks like, so the read is right but for that glyph."""
    if len(value) != 9 or not value.isdigit() or value[-1] not in _TO_LETTER:
        return False
    return _dni.calc_check_digit(value[:8]) == _TO_LETTER[value[-1]]


def _corrections(raw: str) -> list[str]:
    """Position-aware OCR-confusion corrections of a 9-char candidate.

    Body positions may only turn look-alike letters into digits.  The final
    control character is a function of the body, so when it was misread as a
    digit or symbol (J read as 3 or ']'), it is recomputed: the identity
    rests on the body, which must then equal the claim exactly."""
    out: list[str] = []

    def digits(s: str) -> str | None:
        r = "".join(_TO_DIGIT.get(c, c) for c in s)
        return r if r.isdigit() else None

    last = raw[8]
    # DNI: 8 digits + letter
    body = digits(raw[:8])
    if body is not None:
        if last.isalpha():
            out.append(body + last)
        if not last.isalpha() or raw[:8].isdigit():
            # a control letter misread as a digit, a symbol or another letter ("55777423-B" for "...-P"):
            # recomputed from a body read as printed
            out.append(body + _dni.calc_check_digit(body))
    # NIE: X/Y/Z + 7 digits + letter
    first = {"2": "Z", "7": "Z"}.get(raw[0], raw[0])  # "Z" read as "2" or "7" ("71593796 Q" for Z1593796Q)
    if first in "XYZ":
        body = digits(raw[1:8])
        if body is not None:
            if last.isalpha():
                out.append(first + body + last)
            # a "7" for "Z" is repaired only against the control letter printed: with both ends repaired, any
            # DNI opening with 7 would also read as some NIE
            if (not last.isalpha() or raw[1:8].isdigit()) and raw[0] != "7":
                out.append(first + body + _nie.calc_check_digit(first + body))
    # CIF: letter + 7 digits + digit or letter
    first = {"8": "B", "5": "S", "6": "G"}.get(raw[0], raw[0])
    if first in CIF_LETTERS:
        body = digits(raw[1:8])
        if body is not None:
            for ctl in {last, _TO_DIGIT.get(last, last), _TO_LETTER.get(last, last)}:
                out.append(first + body + ctl)
    return [c for c in dict.fromkeys(out) if c != raw]


_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")  # maximal runs of ASCII letters and digits


def _windows(text: str):
    """Yield (start, end, compact) for runs of 8 or 9 alphanumerics separated by at
    most single separators (see ``joins``), bounded by non-alphanumerics.  Also yields
    the trailing 9 characters of longer glued tokens (e.g. 'DNI12345678Z').

    From the start ``i`` of each run of alphanumerics, characters are taken run by run; the
    next run is joined when exactly one separator (``_SEPS``) lies between the two, at most
    ``_MAX_SEPS`` times, until 9 characters are taken.  8 characters that end a run not
    joined to the next, or 9 that end a run, are a window."""
    runs = [m.span() for m in _ALNUM_RUN.finditer(text)]
    count = len(runs)

    def joins(r: int) -> bool:
        """Run r and run r + 1 are separated by one separator character ("12.345"), a dot, comma or
        dash spaced out ("B94. 288. 321", "12.345.678 - Z"), or a line break before a lone control
        letter ("Y6559228" / "X")."""
        if r + 1 >= count:
            return False
        e, s2 = runs[r][1], runs[r + 1][0]
        gap = text[e:s2]
        if len(gap) == 1:
            return gap in _SEPS or (gap == "\n" and runs[r + 1][1] - s2 == 1 and text[s2].isalpha())
        return gap in _SPACED_SEPS

    joined = [joins(r) for r in range(count)]
    for r0 in range(count):
        i, k = runs[r0]
        total = 0
        seps = 0
        r = r0
        while True:
            s, e = runs[r]
            total += e - s
            if total == 8 and not joined[r]:
                yield i, e, "".join(text[a:b] for a, b in runs[r0 : r + 1])
                break
            if total >= 9:
                if total == 9:
                    yield i, e, "".join(text[a:b] for a, b in runs[r0 : r + 1])
                break
            if not joined[r] or seps >= _MAX_SEPS:
                break
            seps += 1
            r += 1
        # trailing part of a longer glued token
        if k - i > 9:
            yield k - 9, k, text[k - 9 : k]


#: a token holding one slash between a letter or digit and a digit ("B-3/546959"; a date has two)
_SLASH_TOKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]*/[0-9][0-9A-Za-z.\-/]*")
_NIE_SPLIT = re.compile(r"\b([XYZ])[0-9]([0-9]{7}[A-Z])\b", re.IGNORECASE)


def _corrected_windows(text: str, alt: str, found: dict) -> None:
    """Candidates read in a same-length copy of ``text`` where misread characters were replaced:
    they only count as corrected."""
    if alt == text:
        return
    for s, e, raw in _windows(alt):
        if len(raw) != 9 or text[s:e] == alt[s:e]:
            continue
        for cand in [raw.upper()] + _corrections(raw.upper()):
            k = kind_of(cand)
            if k:
                found.setdefault((s, cand), IdCandidate(cand, k, True, s, e, text[s:e]))


#: a DNI's label, then its number and no letter after it
_LETTER_LOST = re.compile(
    r"(?i)\b(?:d\.?\s?n\.?\s?i|n\.?\s?i\.?\s?f)\.?(?:\s*/\s*n\.?\s?i\.?\s?e\.?)?\s*(?:n[uú]m(?:ero|\.)?|n\.?\s?[º°o]\.?)?\s*[:.]?\s*"
    r"(\d{1,2}\.?\d{3}\.?\d{3})(?=[.,;)]?(?:\s|$))(?![.,;)]?\s*-?\s*[A-Za-z](?![a-z]))"
)


def find_identifiers(text: str) -> list[IdCandidate]:
    """All validated identifier candidates in ``text`` (raw first, then corrected)."""
    found: dict[tuple[int, str], IdCandidate] = {}
    # ']' / '}' / ')' / '|' right after a digit, or after a digit and a dash ("Y-9118970-)"): a misread control
    # letter (e.g. J).  Same-length copy where it becomes '?'-like '0' so that the control
    # character is recomputed from the body; such reads only count as corrected.
    alt = re.sub(r"(?<=[0-9])(-?)[\]\}\)\|](?![A-Za-z0-9])", lambda m: m.group(1) + "0", text)
    _corrected_windows(text, alt, found)
    # a "7" read as "/" inside an identifier ("B-3/546959"): same-length copy, only counts as corrected
    _corrected_windows(
        text,
        _SLASH_TOKEN.sub(lambda m: m.group(0).replace("/", "7") if m.group(0).count("/") == 1 else m.group(0), text),
        found,
    )
    # a control W read as two Vs or as NV ("Z6403197 VV", "46.662.724-NV"): "W" and a space keep the offsets; only
    # counts as corrected
    _corrected_windows(
        text, re.sub(r"(?<=[0-9])([ \-]?)[VN]V(?![A-Za-z0-9])", lambda m: m.group(1) + "W ", text), found
    )
    # an NIE letter read as the letter and a look-alike digit ("Z22399551N", "Z72399551N" for Z2399551N)
    for m in _NIE_SPLIT.finditer(text):
        cand = (m.group(1) + m.group(2)).upper()
        if kind_of(cand) == "nie":
            found.setdefault(
                (m.start(), cand), IdCandidate(cand, "nie", True, m.start(), m.end(), text[m.start() : m.end()])
            )
    # a DNI's number after its label with its check letter lost ("D.N.I. número 89.837.373." for 89.837.373-V): the
    # letter is only a check on the digits, so the number stands for that DNI (only counts as corrected)
    for m in _LETTER_LOST.finditer(text):
        digits = re.sub(r"\D", "", m.group(1)).zfill(8)
        value = digits + _dni.calc_check_digit(digits)
        found.setdefault((m.start(1), value), IdCandidate(value, "nif", True, m.start(1), m.end(1), m.group(1)))
    for s, e, raw in _windows(text):
        up = raw.upper()
        if len(up) == 8:
            if re.fullmatch(r"\d{7}[A-Z]", up) and _dni.is_valid("0" + up):
                found.setdefault((s, "0" + up), IdCandidate("0" + up, "nif", False, s, e, raw))
            continue
        k = kind_of(up)
        if k:
            found.setdefault((s, up), IdCandidate(up, k, False, s, e, raw))
            # an NIE's Z stands for 2 in its check letter, and the two look alike in some typefaces: "Z5206396Y" and
            # "25206396Y" are both valid, so each is also read as the other (only counts as corrected)
            twin = {"Z": "2", "2": "Z"}.get(up[0], "") + up[1:]
            if len(twin) == 9 and kind_of(twin):
                found.setdefault((s, twin), IdCandidate(twin, kind_of(twin), True, s, e, raw))
            continue
        for cand in _corrections(up):
            k = kind_of(cand)
            if k:
                found.setdefault((s, cand), IdCandidate(cand, k, True, s, e, raw))
    out = list(found.values())
    split = [(c.start, c.end) for c in out if c.kind == "nie" and c.corrected and len(c.raw) == 10]
    # the digits after a split NIE letter are no DNI of their own ("Z22399551N" is not DNI 22399551N)
    out = [
        c
        if c.corrected or not any(s0 < c.start and c.end == e0 for s0, e0 in split)
        else IdCandidate(c.value, c.kind, True, c.start, c.end, c.raw)
        for c in out
    ]
    # a candidate nested inside a longer validated one is an artefact
    # (e.g. the digits of NIE X-1234567-L read as DNI 01234567L): drop it
    raw_spans = {(c.start, c.end) for c in out if not c.corrected}
    out = [
        c
        for c in out
        if not any(s0 <= c.start and c.end <= e0 and (s0, e0) != (c.start, c.end) for s0, e0 in raw_spans)
    ]
    out.sort(key=lambda c: (c.corrected, c.start))
    return out


_MRZ1 = re.compile(r"I[A-Z<]ESP([A-Z0-9<]{9})[0-9<]([A-Z0-9<]{9})")


def find_mrz_identifiers(text: str) -> list[IdCandidate]:
    """DNI number from the optional-data field of a Spanish TD1 MRZ line."""
    out = []
    compact_text = text.replace(" ", "")
    for m in _MRZ1.finditer(compact_text.upper()):
        val = m.group(2).replace("<", "")
        k = kind_of(val)
        if k and k != "cif":
            out.append(IdCandidate(compact(val), k, False, -1, -1, m.group(0)))
    return out
