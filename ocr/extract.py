"""Field extraction from page text: names, dates, notary, protocol, CSV, doc type."""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .results import TEXT_LAYER_LINE_BASE
from .textindex import PageIndex, Span, fold

# --------------------------------------------------------------------------- names

STOPWORDS = {
    "DE",
    "DEL",
    "LA",
    "LAS",
    "LOS",
    "EL",
    "Y",
    "I",
    "E",
    "D",
    "DA",
    "DO",
    "DOS",
    "DELS",
    "LES",
    "EN",
    "NA",
    "DON",
    "DONA",
    "DNA",
    "DN",
    "SR",
    "SRA",
    "SENOR",
    "SENORA",
    "SENYOR",
    "SENYORA",
    "L",
}
LEGAL_FORMS = [
    ("SOCIEDAD", "LIMITADA", "UNIPERSONAL"),
    ("SOCIEDAD", "ANONIMA", "UNIPERSONAL"),
    ("SOCIEDAD", "LIMITADA", "LABORAL"),
    ("SOCIEDAD", "ANONIMA", "LABORAL"),
    ("SOCIEDAD", "LIMITADA", "NUEVA", "EMPRESA"),
    ("SOCIEDAD", "LIMITADA"),
    ("SOCIEDAD", "ANONIMA"),
    ("SOCIEDAD", "COOPERATIVA"),
    ("SOCIETAT", "LIMITADA", "UNIPERSONAL"),
    ("SOCIETAT", "ANONIMA", "UNIPERSONAL"),
    ("SOCIETAT", "LIMITADA"),
    ("SOCIETAT", "ANONIMA"),
    ("SOCIETAT", "COOPERATIVA"),
    ("SOCIEDAD", "CIVIL"),
    ("COMUNIDAD", "DE", "BIENES"),
    ("S", "COOP"),
    ("S", "L", "U"),
    ("S", "A", "U"),
    ("S", "L", "L"),
    ("S", "L", "N", "E"),
    ("S", "L"),
    ("S", "A"),
    ("S", "C", "P"),
    ("C", "B"),
    ("S", "C"),
    ("SLU",),
    ("SAU",),
    ("SLL",),
    ("SAL",),
    ("SLNE",),
    ("SCOOP",),
    ("SCCL",),
    ("COOP",),
    ("SL",),
    ("SA",),
    ("SCP",),
    ("CB",),
    ("SC",),
    ("AIE",),
    ("SRL",),
    ("LTD",),
    ("GMBH",),
    ("SAS",),
    ("UTE",),
]


def name_tokens(name: str, *, company: bool = False) -> list[str]:
    """Upper-case accent-free tokens of a name, without punctuation, honorifics
    and (for companies) the legal-form suffix."""
    s = fold(name or "").upper()
    s = re.sub(r"(?<=\b[A-Z])\.(?=\s*[A-Z]\b)", "", s)  # S.L. -> SL, S. A. -> S A
    s = s.replace(".", "")
    s = re.sub(r"[^A-Z0-9]+", " ", s)
    toks = s.split()
    if company:
        changed = True
        while changed and toks:
            changed = False
            for form in LEGAL_FORMS:
                n = len(form)
                if len(toks) > n and tuple(toks[-n:]) == form:
                    toks = toks[:-n]
                    changed = True
                    break
        # "S L" glued forms anywhere are dropped too
        toks = [t for t in toks if (t,) not in LEGAL_FORMS or len(toks) == 1]
    sig = [t for t in toks if t not in STOPWORDS]
    return sig if sig else toks


def _sim(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) <= 3 or len(b) <= 3:
        return 0.0
    if abs(len(a) - len(b)) > max(2, len(a) // 4):
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


#: score of a page word that equals a claimed name word once an OCR letter confusion is read back
OCR_ENYE_SCORE = 0.95
#: letters OCR confuses in names, as read -> as printed (folded, upper case): "PEFIA" for "PEÑA" (folded
#: "PENA"), "CARNPS" for "CAMPS", "ABCLALA" for "ABDALA"
OCR_CONFUSIONS = (("FI", "N"), ("RN", "M"), ("CL", "D"))


def confused_for(read: str, claimed: str) -> bool:
    """The page token ``read`` is the claimed token ``claimed`` (both folded, upper case) misread by
    one kind of OCR letter confusion (:data:`OCR_CONFUSIONS`)."""
    return read != claimed and any(bad in read and read.replace(bad, good) == claimed for bad, good in OCR_CONFUSIONS)


def as_printed(text: str, claimed: str) -> str:
    """A matched name as the page prints it: each word that matched a claimed word only through an OCR
    letter confusion ("PEFIA") is shown with the claimed spelling ("PEÑA"), in the page's case; every
    other word as read."""
    claimed_words: dict[str, str] = {}
    for w in (claimed or "").split():
        key = _NON_ALNUM.sub("", fold(w).upper())
        if key:
            claimed_words.setdefault(key, w.strip(",.;:()"))
    if not claimed_words:
        return text
    out = []
    for w in text.split():
        m = re.match(r"^(\W*)(.*?)(\W*)$", w)
        pre, core, post = m.group(1), m.group(2), m.group(3)
        key = _NON_ALNUM.sub("", fold(core).upper())
        true = (
            next((c for k, c in claimed_words.items() if confused_for(key, k)), None)
            if key and key not in claimed_words
            else None
        )
        if true is not None:
            core = true.upper() if core.isupper() else true.capitalize() if core.istitle() else true
        out.append(pre + core + post)
    return " ".join(out)


def _sims_at_least(a: str, tokens: list[tuple[str, dict[str, int]]], threshold: float) -> dict[str, float]:
    """``{t: _sim(a, t)}`` for the tokens ``t`` whose similarity is at least ``threshold``.

    ``SequenceMatcher.ratio()`` is ``2 * M / (len(a) + len(b))`` where the M matched characters
    are pairs of equal characters, so M is at most the size of the multiset intersection of the
    two strings: when that bound (the same formula with the intersection) is below ``threshold``
    the ratio is too, and it is not computed.  The values kept are :func:`_sim`'s own."""
    out: dict[str, float] = {}
    la = len(a)
    if la <= 3:  # only the same token can reach a positive threshold
        for t, _ in tokens:
            s = 1.0 if t == a else 0.0
            if s >= threshold:
                out[t] = s
        return out
    counts_a = _char_counts(a)
    slack = max(2, la // 4)
    for t, counts_t in tokens:
        if t == a:
            s = 1.0
        elif confused_for(t, a):
            s = OCR_ENYE_SCORE  # OCR reads "ñ" as "fi" ("PEFIA" for "PEÑA"), "m" as "rn"
        else:
            lb = len(t)
            if lb <= 3 or abs(la - lb) > slack:
                s = 0.0
            else:
                common = 0
                for ch, k in counts_a.items():
                    kt = counts_t.get(ch)
                    if kt:
                        common += k if k < kt else kt
                if 2.0 * common / (la + lb) < threshold:
                    continue  # the ratio cannot reach the threshold
                s = SequenceMatcher(None, a, t).ratio()
        if s >= threshold:
            out[t] = s
    return out


def names_match(claimed: str, read: str, *, token_threshold: float = 0.8, mean_threshold: float = 0.9) -> float | None:
    """Score (0..1) when every claimed token of a person's name is among the tokens read (in any
    order: "SURNAMES, GIVEN" matches "Given Surnames"), else None."""
    a, b = name_tokens(claimed), name_tokens(read)
    if not a or not b:
        return None
    used: set[int] = set()
    total = 0.0
    for t in a:
        best_j, best_s = -1, 0.0
        for j, u in enumerate(b):
            if j not in used:
                s = _sim(t, u)
                if s > best_s:
                    best_j, best_s = j, s
        if best_s < (1.0 if len(t) <= 3 else token_threshold):
            return None
        used.add(best_j)
        total += best_s
    score = total / len(a)
    return score if score >= mean_threshold else None


def _char_counts(s: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    return counts


@dataclass
class NameMatch:
    score: float
    span: Span
    first_word: int = -1  # index into PageIndex.offsets of the first / last matched word
    last_word: int = -1


def _page_tokens(index: PageIndex) -> tuple[list[tuple[str, int]], list[tuple[str, dict[str, int]]]]:
    """Page tokens in reading order ``(token, word_offset_index)`` and the distinct tokens with
    their character counts; computed once per page index."""
    cached = index.cache.get("name_tokens")
    if cached is None:
        toks: list[tuple[str, int]] = []
        folded = index.folded  # fold() works character by character: fold(w.text) == folded[s:e]
        for wi, (s, e, _) in enumerate(index.offsets):
            t = folded[s:e].upper().replace(".", "")
            for part in _NON_ALNUM.sub(" ", t).split():
                toks.append((part, wi))
        uniq = [(t, _char_counts(t)) for t in dict.fromkeys(t for t, _ in toks)]
        cached = index.cache["name_tokens"] = (toks, uniq)
    return cached


_NON_ALNUM = re.compile(r"[^A-Z0-9]+")


def _name_windows(index: PageIndex, name: str, company: bool, token_threshold: float, mean_threshold: float):
    """Yield (score, matched word indices) for every window of the page that
    matches ``name`` (in reading order of the window start)."""
    claim = name_tokens(name, company=company)
    if not claim:
        return
    toks, uniq = _page_tokens(index)
    if not toks:
        return
    thr = token_threshold
    sims: list[dict[str, float]] = []
    memo = index.cache.setdefault("name_sims", {})
    for ct in claim:
        threshold = 1.0 if len(ct) <= 3 else thr
        key = (ct, threshold)
        m = memo.get(key)
        if m is None:
            m = memo[key] = _sims_at_least(ct, uniq, threshold)
        if not m:
            return
        sims.append(m)
    n = len(claim)
    # the window spans the printed name with its particles ("ÍÑIGO DE LA FUENTE DE LAS HERAS": 3 tokens, 7 words)
    width = max(n, len(_NON_ALNUM.sub(" ", fold(name).upper().replace(".", "")).split())) + 3
    skip_numbers = not any(c.isdigit() for t in claim for c in t)  # "Comunitat ... Carrer Major 88" needs its number
    starts = set().union(*sims)
    for i in range(len(toks)):
        # window must start on a token matching some claimed token
        if toks[i][0] not in starts:
            continue
        window = _window(toks, i, width, skip_numbers)
        used: set[int] = set()
        total = 0.0
        ok = True
        matched: list[int] = []
        for m in sims:
            bj, bs = -1, 0.0
            for j, (t, _) in enumerate(window):
                if j in used:
                    continue
                s = m.get(t, 0.0)
                if s > bs:
                    bj, bs = j, s
            if bj < 0:
                ok = False
                break
            used.add(bj)
            total += bs
            matched.append(window[bj][1])
        if not ok:
            continue
        score = total / n
        if score < mean_threshold or (n == 1 and score < 0.95):
            continue
        yield score, matched


#: tokens with a digit (an identifier, a date) cannot be part of a name: a window reaches past up to
#: this many of them (a table row "SURNAMES, | 12345678Z 04/06/2023 | Vigente" wraps its given name)
MAX_SKIPPED_NUMBERS = 5


def _window(toks: list[tuple[str, int]], i: int, width: int, skip_numbers: bool) -> list[tuple[str, int]]:
    if not skip_numbers:
        return toks[i : i + width]
    out: list[tuple[str, int]] = []
    skipped = 0
    j = i
    while j < len(toks) and len(out) < width:
        t = toks[j]
        if skipped < MAX_SKIPPED_NUMBERS and any(c.isdigit() for c in t[0]):
            skipped += 1
        else:
            out.append(t)
        j += 1
    return out


_PARTICLES = frozenset(("DE", "DEL", "LA", "LAS", "LOS", "EL", "I", "Y", "E", "D", "DA", "DO", "DOS", "DELS", "L"))


def _name_match(index: PageIndex, score: float, matched: list[int]) -> NameMatch:
    """The name as printed: the matched words and the particles between them ("DEL", "i"), not
    whatever else lies between (an identifier, a table cell)."""
    lo, hi = min(matched), max(matched)
    keep = set(matched) | {
        k for k in range(lo, hi + 1) if fold(index.offsets[k][2].text).upper().strip(",.;:'") in _PARTICLES
    }
    ws = [index.offsets[k][2] for k in sorted(keep)]
    return NameMatch(score, Span(index.page.index, ws, " ".join(w.text for w in ws)), lo, hi)


def find_name(
    index: PageIndex, name: str, *, company: bool = False, token_threshold: float = 0.8, mean_threshold: float = 0.9
) -> NameMatch | None:
    """Find ``name`` on the page ignoring accents, case, word order, honorifics
    and legal forms.  Every claimed token must match a nearby word (strictly)."""
    best: NameMatch | None = None
    for score, matched in _name_windows(index, name, company, token_threshold, mean_threshold):
        if best is None or score > best.score:
            best = _name_match(index, score, matched)
            if score == 1.0:
                break
    return best


def find_name_all(
    index: PageIndex, name: str, *, company: bool = False, token_threshold: float = 0.8, mean_threshold: float = 0.9
) -> list[NameMatch]:
    """Every occurrence of ``name`` on the page (same matcher as
    :func:`find_name`), one per distinct word range, in reading order.

    A printed word belongs to one occurrence: of two that share a word, the one with fewer other words between its
    own is the name (in a register's table "MÉNDEZ SERRANO, RAMÓN" / "PEÑA HERNÁNDEZ, RAMÓN" on consecutive rows,
    the first row's RAMÓN with the next row's surnames is no occurrence of "Ramón Peña Hernández"; the row's
    identifier and dates before a given name wrapped under it do not count: they are no words of a name)."""
    found: dict[tuple[int, int], tuple[float, list[int]]] = {}
    for score, matched in _name_windows(index, name, company, token_threshold, mean_threshold):
        key = (min(matched), max(matched))
        if key not in found or score > found[key][0]:
            found[key] = (score, matched)

    def intruders(key: tuple[int, int], matched: list[int]) -> int:
        others = (index.offsets[k][2].text for k in range(key[0], key[1] + 1) if k not in matched)
        return sum(
            1 for t in others if not any(c.isdigit() for c in t) and fold(t).upper().strip(",.;:'") not in _PARTICLES
        )

    taken: set[int] = set()
    out: dict[tuple[int, int], NameMatch] = {}
    ranked = sorted(found.items(), key=lambda kv: (intruders(kv[0], kv[1][1]), kv[0][1] - kv[0][0], -kv[1][0], kv[0]))
    for key, (score, matched) in ranked:
        if taken.isdisjoint(matched):
            taken.update(matched)
            out[key] = _name_match(index, score, matched)
    return [out[k] for k in sorted(out)]


# --------------------------------------------------------------------------- dates

MONTHS = {
    "enero": 1,
    "gener": 1,
    "febrero": 2,
    "febrer": 2,
    "marzo": 3,
    "marc": 3,
    "abril": 4,
    "mayo": 5,
    "maig": 5,
    "junio": 6,
    "juny": 6,
    "julio": 7,
    "juliol": 7,
    "agosto": 8,
    "agost": 8,
    "septiembre": 9,
    "setiembre": 9,
    "setembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "novembre": 11,
    "diciembre": 12,
    "desembre": 12,
}
_ES_UNITS = ["", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"]
_ES_NUM = {
    "un": 1,
    "uno": 1,
    "primero": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiun": 21,
    "veintiuno": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
}
for _i in range(1, 10):
    _ES_NUM[f"treinta y {_ES_UNITS[_i]}"] = 30 + _i
    _ES_NUM[f"cuarenta y {_ES_UNITS[_i]}"] = 40 + _i
_ES_NUM["treinta y un"] = 31
_ES_NUM["cuarenta"] = 40
_CA_UNITS = ["", "u", "dos", "tres", "quatre", "cinc", "sis", "set", "vuit", "nou"]
_CA_NUM = {
    "u": 1,
    "un": 1,
    "primer": 1,
    "dos": 2,
    "tres": 3,
    "quatre": 4,
    "cinc": 5,
    "sis": 6,
    "set": 7,
    "vuit": 8,
    "nou": 9,
    "deu": 10,
    "onze": 11,
    "dotze": 12,
    "tretze": 13,
    "catorze": 14,
    "quinze": 15,
    "setze": 16,
    "disset": 17,
    "divuit": 18,
    "dinou": 19,
    "vint": 20,
    "trenta": 30,
    "quaranta": 40,
}
for _i in range(1, 10):
    _CA_NUM[f"vint-i-{_CA_UNITS[_i]}"] = 20 + _i
    _CA_NUM[f"trenta-{_CA_UNITS[_i]}"] = 30 + _i
    _CA_NUM[f"quaranta-{_CA_UNITS[_i]}"] = 40 + _i
_CA_NUM["vint-i-un"] = 21
_CA_NUM["trenta-un"] = 31
NUMWORDS = {**_ES_NUM, **_CA_NUM}
_NUMWORD_RE = "|".join(sorted((re.escape(k) for k in NUMWORDS), key=len, reverse=True))
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

#: "5 de marzo de 2026", "cinc de març de dos mil vint-i-sis"; the day may be read glued to its "a" ("a1 de ...")
_DATE_WORDS = re.compile(
    rf"(?:\b|(?<=\ba)(?=\d))(\d{{1,2}}|{_NUMWORD_RE})(?:\s*(?:º|o)\b)?\s*(?:de\s+|d\s*'\s*|d\s+)?({_MONTH_RE})\b\s*[,.]?\s*"
    rf"(?:(?:de|del|de l')\s*)?(?:(\d{{4}})|dos\s+mil(?:\s+(?:y\s+)?({_NUMWORD_RE}))?\b)"
)
_DATE_NUM = re.compile(r"(?<![\d/.\-])(\d{1,2})\s?([/.\-])\s?(\d{1,2})\s?\2\s?((?:19|20)\d{2})(?![\d])")
_ABBR = {
    "ene": 1,
    "jan": 1,
    "gen": 1,
    "feb": 2,
    "mar": 3,
    "abr": 4,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "jun": 6,
    "jul": 7,
    "ago": 8,
    "aug": 8,
    "sep": 9,
    "set": 9,
    "oct": 10,
    "nov": 11,
    "dic": 12,
    "dec": 12,
    "des": 12,
}
_DATE_ABBR = re.compile(
    rf"(?<!\d)(\d{{1,2}})[ .\-]+({'|'.join(_ABBR)})\.?(?:\s*/\s*[a-z]{{3}}\.?)?[ .\-]+"
    rf"((?:19|20)\d{{2}})(?!\d)"
)
_DATE_SPACED = re.compile(r"(?<!\d)(\d{2}) (\d{2}) ((?:19|20)\d{2})(?!\d)")
#: year first, as electronic signatures and ISO print it: "2026-11-04 16:47:41", "2026.11.20 10:31:07"
_DATE_ISO = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})([\-./])(\d{2})\2(\d{2})(?![\d/])")


def starts_with_date(folded: str, pos: int, end: int | None = None) -> int | None:
    """End offset of a date (any of the printed forms above) starting at ``pos`` of folded text, else None."""
    for rx in (_DATE_NUM, _DATE_WORDS, _DATE_ABBR, _DATE_SPACED, _DATE_ISO):
        m = rx.match(folded, pos, len(folded) if end is None else end)
        if m:
            return m.end()
    return None


@dataclass
class DateHit:
    date: _dt.date
    start: int
    end: int
    page: int


def _num(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    return NUMWORDS.get(s)


def find_dates(index: PageIndex) -> list[DateHit]:
    f = index.folded
    hits: list[DateHit] = []
    for m in _DATE_WORDS.finditer(f):
        d = _num(m.group(1))
        mo = MONTHS[m.group(2)]
        if m.group(3):
            y = int(m.group(3))
        else:
            y = 2000 + (_num(m.group(4)) or 0 if m.group(4) else 0)
        _add(hits, y, mo, d, m.start(), m.end(), index.page.index)
    for m in _DATE_NUM.finditer(f):
        _add(hits, int(m.group(4)), int(m.group(3)), int(m.group(1)), m.start(), m.end(), index.page.index)
    for m in _DATE_ABBR.finditer(f):
        _add(hits, int(m.group(3)), _ABBR[m.group(2)], int(m.group(1)), m.start(), m.end(), index.page.index)
    for m in _DATE_SPACED.finditer(f):
        _add(hits, int(m.group(3)), int(m.group(2)), int(m.group(1)), m.start(), m.end(), index.page.index)
    for m in _DATE_ISO.finditer(f):
        _add(hits, int(m.group(1)), int(m.group(3)), int(m.group(4)), m.start(), m.end(), index.page.index)
    hits.sort(key=lambda h: h.start)
    # drop overlapping duplicates
    out: list[DateHit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def _add(hits, y, mo, d, s, e, page):
    if d is None:
        return
    try:
        dt = _dt.date(y, mo, d)
    except (ValueError, TypeError):
        return
    if 1900 <= dt.year <= 2100:
        hits.append(DateHit(dt, s, e, page))


EXPIRY_WORDS = re.compile(
    r"validez|caducidad|valido hasta|valid until|date of expiry|expiry|validesa|caducitat|"
    r"vigencia|valable"
)


def find_expiry(index: PageIndex, dates: list[DateHit]) -> DateHit | None:
    """Expiry of an ID document: the date nearest after/below a validity label,
    else the latest of two or more dates."""
    if not dates:
        return None
    best, bestd = None, 1e18
    for m in EXPIRY_WORDS.finditer(index.folded):
        kw = index.span(m.start(), m.end())
        if not kw.words:
            continue
        kx, ky = kw.words[0].x0, kw.words[0].y0
        kh = max(1, kw.words[0].y1 - kw.words[0].y0)
        for h in dates:
            ws = index.words_in(h.start, h.end)
            if not ws:
                continue
            dx, dy = ws[0].x0 - kx, ws[0].y0 - ky
            if h.start > m.start() and (dy > -kh) and dy < 8 * kh and dx > -4 * kh:
                dist = abs(dx) * 0.5 + abs(dy)
                if dist < bestd:
                    best, bestd = h, dist
    if best is not None:
        return best
    if len(dates) >= 2:
        return max(dates, key=lambda h: h.date)
    return None


_INTRO = re.compile(
    r"(?:,\s*(?:a|el|el dia|a dia|en fecha)|\ba\s+dia|\bel dia|\bfecha:?|\bdata:?|\bfirmad[oa] el|"
    r"\bsignat el|\bexpid[oe]|\bexpedid[oa]\s+(?:el|a|en [a-z' ]+,?\s*a)|\bexpedicion:?|\bexpedicio:?|"
    r"\bemision:?|\bemissio:?|\bemes[oa]? el|\ba|"
    r"\n[a-z][a-z' .\-]{1,30},)\s*$"  # a letter's place and date opening a line: "Sabadell, 23 de ..."
)
#: the words before a term's end ("Vigencia hasta el ...", "válido hasta"): never a date of signature or issue
_TERM_WORDS = r"caducidad|caducitat|validez|validesa|valid[oa] hasta|valid until|expiry|hasta el|fins al|vigencia"
_VALIDITY = re.compile(rf"(?:{_TERM_WORDS})[^.\n]{{0,45}}$")
_NOT_THE_DATE = re.compile(
    r"(?:nacid[oa]|nascud[ao]|nacimiento|naixement|birth|celebrad[ao]|adoptad[oa]s?|inscrit[oa]|"
    rf"inscripcion|inscripcio|{_TERM_WORDS}|de fecha|con fecha|amb data|fecha de nombramiento|"
    r"nombrad[oa]|nombramiento|\bcese\b|cessament|nomenament|junta|reunion|reunio|acuerdo|acord|"
    r"escritura (?:de|otorgada)|autorizada|presentad[oa]|asiento|diario|desde|a partir del?|des del?|"
    r"solicitud|sol\.licitud)[^.\n]{0,45}$"
)


#: an earlier deed the document quotes, dated in the same clause: "en virtud de escritura otorgada ante la Notaria de
#: Tarragona, doña ..., el 20 de febrero de 2025", "autorizada por el Notario de Sevilla don ... el día ..."
_QUOTED_DEED = re.compile(
    r"\b(?:otorgad[oa]|autorizad[oa]|atorgad[ao]|autoritzad[ao])\s+(?:ante|por|davant|per)\s+(?:el|la|en|na)\s+"
    r"notari[oa]?\b[^.;]{0,150}$"
)


_ISSUED = re.compile(
    r"(?:(?:fecha de expedicion|fecha expedicion|data d' ?expedicio|data expedicio|expedid[oa] (?:el|en)|"
    r"emitid[oa] el|fecha de emision|data d' ?emissio|fecha de la certificacion|date of issue)[^.\n]{0,80}"
    # the registrar's electronic signature dates the certificate: "Firmado electrónicamente por: ... · Fecha: ..."
    r"|\b(?:firmad[oa] electronicamente|signat electronicament|firmad[oa] digitalmente|signat digitalment)[^\n]{0,100}"
    # "expido la presente ... vigentes.\nLleida, a 28 de agosto de 2024."
    r"|\b(?:expido|expide|expedeixo|expedeix|issue|lliuro|lliura|lliurada|lliurat|librada|librado)\b"
    r"[^\n]{0,90}\n?[^.\n]{0,40})$"
)
#: a bare date label in a registry document's header box ("NOTA SIMPLE INFORMATIVA / Fecha: 08-09-2026"): the
#: label opens one of the page's first lines (entries further down date their own acts)
_HEADER_DATE_LABEL = re.compile(
    r"(?:^|\n)[\s|]*(?:fecha|data|date)\s*:\s*$"  # "| Fecha: ...": a box's border
    # a gazette's issue in its running head: "BOLETÍN OFICIAL DEL REGISTRO MERCANTIL / Núm. 231 Lunes 30 de ..."
    r"|(?:\b(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|dilluns|dimarts|dimecres|dijous|divendres|"
    r"dissabte|diumenge),?|\bnum\.?\s*\d{1,5})\s*$"
)
HEADER_LINES = 4

#: the notary's closing that gives the deed's own date: "Así lo otorga ante mí, ..., en Sevilla, el día ...", "Ho
#: atorga davant meu ..., a Girona, el ..."; with no sentence end between it and the date
_EXECUTED = re.compile(
    r"(?:\b(?:asi )?lo otorgan?|\b(?:aixi )?ho atorguen?|\bante mi|\bdavant meu|\botorgad[oa] en|"
    r"\batorgada a)\b[^.]{0,150}$"
)

#: which date counts, by document type
DATE_BASIS = {
    "power_of_attorney": "execution",
    "deed": "execution",
    "registry_certificate": "issue",
    "manager_mandate": "signature",
    "id_document": "expiry",
    "other": "execution",
}


def choose_document_date(index_dates: list[tuple[PageIndex, list[DateHit]]], doc_type: str = "other") -> DateHit | None:
    """The date that counts for the document type (see DATE_BASIS):

    * execution (deeds, powers): the date of the notary's closing ("Así lo otorga ante mí, ..., el día
      ..."); else the first date introduced like "En Madrid, a 3 de ..." that is not a birth, meeting,
      registration or validity date; else the first such date;
    * issue (registry certificates): the date its issue is stated with ("Fecha de expedición",
      "expido la presente ..., a ...", the registrar's electronic signature); without one, the latest
      date introduced like "Tarragona, a ..."; else the latest date that is not a validity or birth
      date -- a certificate is issued after everything it certifies;
    * signature (mandates): the last introduced date (the signature block ends the page)."""
    plain: list[DateHit] = []
    introduced: list[DateHit] = []
    labelled: list[DateHit] = []  # "Fecha de expedición: ...", "expido la presente ..., a ..."
    executed: list[DateHit] = []  # "Así lo otorga ante mí, ..., el día ..."
    every: list[DateHit] = []
    not_a_term: list[DateHit] = []  # every date but the end of a term ("Vigencia hasta el ...")
    for idx, dates in index_dates:
        for h in dates:
            every.append(h)
            before = idx.folded[max(0, h.start - 70) : h.start]
            if not _VALIDITY.search(before):
                not_a_term.append(h)
            if _stated_as_issue(idx, h):
                labelled.append(h)
            if _NOT_THE_DATE.search(before) or _QUOTED_DEED.search(
                idx.folded[max(0, h.start - 200) : h.start].replace("\n", " ")
            ):
                continue
            if _EXECUTED.search(idx.folded[max(0, h.start - 170) : h.start].replace("\n", " ")):
                executed.append(h)
            plain.append(h)
            if _INTRO.search(before[-40:]):
                introduced.append(h)
    basis = DATE_BASIS.get(doc_type, "execution")
    if basis == "issue":
        # without a stated issue date, a date given as the certificate's own ("Tarragona, a 29/09/2026") before
        # any other: a register's table dates the terms of its charges, some of them years ahead
        pool = labelled or introduced or plain or every
        return max(pool, key=lambda h: h.date) if pool else None
    if basis == "signature":
        # never the term it runs to ("Vigencia hasta el 01/12/2028"): with its own date unreadable, none is found
        pool = introduced or plain or not_a_term
        return pool[-1] if pool else None
    pool = executed or introduced or plain or every
    return pool[0] if pool else None


def issue_date_stated(index_dates: list[tuple[PageIndex, list[DateHit]]], hit: DateHit) -> bool:
    """The date is given as the certificate's issue date ("Fecha de expedición: ...", "expido la
    presente ..., a ...") rather than taken as the latest date on it."""
    return any(_stated_as_issue(idx, hit) for idx, dates in index_dates if any(h is hit for h in dates))


#: a certificate's closing with its place and date: "Tarragona, a 29/09/2026, antes de la apertura del Diario."
_PLACE_DATE = re.compile(r"\n[a-z][a-z' .\-]{1,30},\s*(?:a\s+)?$")


#: an issue label closing its line in a header box, its value printed under it ("REGISTRO MERCANTIL CENTRAL   Fecha de
#: expedición" / "Sección de Publicidad   03/11/2026")
_ISSUE_LABEL_ABOVE = re.compile(
    r"(?:fecha de expedicion|fecha expedicion|data d' ?expedicio|data expedicio|fecha de emision|data d' ?emissio|"
    r"date of issue|(?P<bare>^|\s)(?:fecha|data|date))\s*:?\s*$"
)


def _labelled_above(idx: PageIndex, hit: DateHit, line: int) -> bool:
    """The date stands on the line under an issue label, in the label's column (a bare "Fecha" only in the page's
    header lines: entries further down date their own acts)."""
    if line <= 0:
        return False
    s, e = idx.line_ranges[line - 1]
    m = _ISSUE_LABEL_ABOVE.search(idx.folded[s:e])
    if not m or (m.group("bare") is not None and line >= HEADER_LINES):
        return False
    label, value = idx.words_in(s + m.start(), s + m.end()), idx.words_in(hit.start, hit.end)
    if not label or not value:
        return False
    lx0, lx1 = min(w.x0 for w in label), max(w.x1 for w in label)
    vx0, vx1 = min(w.x0 for w in value), max(w.x1 for w in value)
    if min(lx1, vx1) - max(lx0, vx0) > 0.5 * min(lx1 - lx0, vx1 - vx0):
        return True
    # a text layer may keep a box's rows but not its columns (the label runs on in its line's flow, no column gap
    # before it): a full issue label ending its line then owns the one date that ends the next line
    # ("REGISTRO MERCANTIL CENTRAL Fecha de expedición" / "Sección de Publicidad 20/11/2026")
    k = idx.word_index_at(s + m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
    first, prev = idx.offsets[k][2], idx.offsets[k - 1][2] if k > 0 else None
    in_flow = prev is not None and prev.line == first.line and first.x0 - prev.x1 <= 1.5 * (first.y1 - first.y0)
    vs, ve = idx.line_ranges[line]
    return (
        m.group("bare") is None
        and in_flow
        and idx.folded[hit.end : ve].strip(" .") == ""
        and not any(c.isdigit() for c in idx.folded[vs : hit.start])
    )


def _stated_as_issue(idx: PageIndex, hit: DateHit) -> bool:
    before = idx.folded[max(0, hit.start - 100) : hit.start]
    if _ISSUED.search(before) or _PLACE_DATE.search(before):
        return True
    line = next((k for k, (s, e) in enumerate(idx.line_ranges) if s <= hit.start <= e), -1)
    if 0 <= line < HEADER_LINES:
        if _HEADER_DATE_LABEL.search(idx.folded[max(0, hit.start - 30) : hit.start]):
            return True
        label = _DATE_LABEL.search(idx.folded[max(0, hit.start - 12) : hit.start])
        if label and (line == 0 or _set_apart(idx, hit.start - len(label.group()))):
            return True  # the page's first line, or a box of its own in the header
    return _labelled_above(idx, hit, line)


_DATE_LABEL = re.compile(r"\b(?:fecha|data|date)\s*:\s*$")


def _set_apart(idx: PageIndex, pos: int) -> bool:
    """The word at ``pos`` opens a cell of its own: a gap wider than three letters' height from the word before it
    on its line ("REGISTRE MERCANTIL DE LLEIDA            Data: 08/10/2026": the header's right-hand box)."""
    k = idx.word_index_at(pos)
    if k == 0:
        return False
    word, before = idx.offsets[k][2], idx.offsets[k - 1][2]
    return before.line == word.line and word.x0 - before.x1 > 3 * max(1, word.y1 - word.y0)


# --------------------------------------------------------------------------- notary / protocol / csv

#: Honorifics before a person's name, folded ("Dña." -> "dna", "Dª" -> "da", "Señora" -> "senora"): the one list
#: behind titled names (roles), the notary's name and the clean name shown.
HONORIFICS = ("d", "da", "dna", "don", "dona", "sr", "sra", "senor", "senora", "senyor", "senyora", "mr", "mrs", "ms")
_HON_ALT = "|".join(sorted(HONORIFICS, key=len, reverse=True))
#: a folded word that is an honorific ("Dña.", "Sr", "SEÑORA")
HONORIFIC_WORD = re.compile(rf"^(?:{_HON_ALT})\.?$")
#: an honorific in folded running text, with the Catalan personal articles ("en", "na", "n'") and "el"/"la"
_HON = rf"(?:\b(?:(?:el|la)\s+)?(?:{_HON_ALT})(?:\.\s*|\s+)|\b(?:en|na)\s+|\bn')"
_NAME = r"([a-z][a-z'\-]+(?:[ ][a-z][a-z'\-]+){1,5})"
_NOTARY_RES = [
    re.compile(rf"ante mi,?\s+{_HON}?{_NAME}\s*,?\s+notari"),
    re.compile(rf"davant meu,?\s+{_HON}?{_NAME}\s*,?\s+notari"),
    re.compile(rf"notari[oa]?\s*:\s*{_HON}?{_NAME}"),
    re.compile(rf"{_HON}{_NAME}\s*,\s*notari[oa]?\b"),
    re.compile(
        rf"\bnotari[oa]?\s+(?:del\s+ilustre\s+colegio(?:\s+notarial)?\s+de\s+[a-z]+(?:\s+[a-z]+)?|"
        rf"de\s+l'il\.?lustre\s+col\.?legi\s+de\s+[a-z]+|de\s+[a-z]+)\s*,?\s+{_HON}{_NAME}"
    ),
]
_NOT_NAME = {"del", "de", "con", "amb", "residencia", "residente", "colegio", "ilustre", "que", "y", "i"}


def find_notary(index: PageIndex) -> Span | None:
    """The notary's name (computed once per page: the roles of the other people ask for it too)."""
    if "notary" not in index.cache:
        index.cache["notary"] = _find_notary(index)
    return index.cache["notary"]


def _find_notary(index: PageIndex) -> Span | None:
    f = index.folded.replace("\n", " ")
    for rx in _NOTARY_RES:
        for m in rx.finditer(f):
            words = m.group(1).split()
            # cut at the first word that cannot belong to a name
            keep = []
            for w in words:
                if w in _NOT_NAME and keep and w not in ("de", "del", "i", "y"):
                    break
                if w in ("notario", "notaria", "notari", "con", "amb", "que", "residente", "colegio"):
                    break
                keep.append(w)
            while keep and keep[-1] in ("de", "del", "y", "i", "la"):
                keep.pop()
            if len(keep) < 2:
                continue
            s = m.start(1)
            e = s + len(" ".join(keep))
            sp = index.span(s, e)
            sp.text = re.sub(r"\s+", " ", index.text[s:e]).strip(" ,.")
            return sp
    return None


_NUMBER = r"(\d{1,3}(?:\s?[.,]\s?\d{3}|\s\d{3}(?!\d))+|\d{1,6})"
#: "número", "núm.", "n.º", "nº" -- and the ordinal sign as OCR misreads it ("n.*", "n.2 1.597", 'N-” 3.569')
_NUM_WORD = r"(?:numero|num\.?|n\s?[.\-]?\s?(?:o|\*|2|\?|°|\"|”|')?\.?|no\.?)"
_PROTOCOL_RES = [
    re.compile(
        r"(?:" + _NUM_WORD + r"\s*(?:de\s+)?protocol[o]?|protocol[o]?\s*(?:" + _NUM_WORD + r")?)"
        r"\s*[:.]?\s*" + _NUMBER + r"(?!\d)"
    ),
    re.compile(r"\b" + _NUM_WORD + r"\s*" + _NUMBER + r"\s*(?:d(?:e|el)\s+(?:mi\s+|meu\s+|el\s+meu\s+)?protocol)"),
    re.compile(r"\bn(?:umero|um\.?|o\.?)\s+[a-z ,\-]{3,90}?\(\s*" + _NUMBER + r"\s*\)"),
    re.compile(r"(?m)^\s*n(?:umero|um\.?|o\.?)\s*[:.]?\s*" + _NUMBER + r"\s*\.?\s*$"),
]


def find_protocol(index: PageIndex) -> tuple[str, Span] | None:
    """The protocol number as printed ("2.871"), with its separators and without spaces."""
    for rx in _PROTOCOL_RES:
        m = rx.search(index.folded)
        if m:
            value = re.sub(r"\s+", "", index.text[m.start(1) : m.end(1)])
            return value, index.span(m.start(1), m.end(1))
    return None


_CSV_RE = re.compile(
    r"(?:codigo\s+seguro\s+de\s+verificacion|codi\s+segur\s+de\s+verificacio|codigo\s+de\s+verificacion|"
    r"codi\s+de\s+verificacio|\bcsv\b)\s*(?:\(\s*csv\s*\))?\s*[:.]?\s*"
    r"([a-z0-9]{3,}(?:[\- ][a-z0-9]{3,}){0,7})"
)


def find_csv(index: PageIndex) -> tuple[str, Span] | None:
    """The CSV code exactly as printed, from a text layer only.

    A CSV code is random letters and digits: OCR cannot tell O from 0, I from 1 or G from 6 in
    it (measured: 19 of 30 scanned or photographed codes came back with one such swap), and no
    rule can repair a random code.  A wrong code sends the verifier to the wrong document, so a
    code that only OCR read is not reported; the verifier reads it on the page."""
    layer = index.page.source == "text_layer"
    for code, sp in _csv_codes(index):
        if layer or (sp.words and all(w.line >= TEXT_LAYER_LINE_BASE for w in sp.words)):
            return code, sp
    return None


def _csv_codes(index: PageIndex):
    for m in _CSV_RE.finditer(index.folded):
        raw = index.text[m.start(1) : m.end(1)]
        # keep groups while they look like code chunks (contain a digit or are upper case)
        parts = re.split(r"([\- ])", raw)
        code = ""
        end = m.start(1)
        for i in range(0, len(parts), 2):
            p = parts[i]
            if not p or not (any(ch.isdigit() for ch in p) or p.isupper()):
                break
            if i:
                code += parts[i - 1]
            code += p
            end = m.start(1) + len("".join(parts[: i + 1]))
        alnum = re.sub(r"[^A-Za-z0-9]", "", code)
        if len(alnum) >= 8 and any(ch.isdigit() for ch in alnum):
            yield code.strip(), index.span(m.start(1), end)


# --------------------------------------------------------------------------- doc type

KEYWORDS: dict[str, list[tuple[str, float]]] = {
    "power_of_attorney": [
        (r"\bpoder(?:es)? (?:general|especial|amplio|mercantil)", 4),
        (r"escritura de (?:otorgamiento de )?poder", 5),
        (r"otorgamiento de poder", 5),
        (r"atorgament de poders?", 5),
        (r"\bconfiere (?:un |el )?poder", 4),
        (r"escriptura de (?:atorgament de )?poders?", 5),
        (r"\bapoderamiento", 4),
        (r"\bapoderament", 4),
        (r"\bpoderdante", 3),
        (r"\bapoderad[oa]s?\b", 2),
        (r"\bapoderat", 2),
        (r"\b(?:otorga|confiere) poder", 4),
        (r"\batorga (?:poder|poders)", 4),
        (r"\bpoders? (?:general|especial)s?", 4),
        (r"\bfacultades\b", 1),
        (r"\bfacultats\b", 1),
        (r"\bpoder\b", 1),
        (r"\bpoders\b", 1),
        (r"\brevocacion de poder", 2),
        # a power granted abroad, in English with its sworn translation
        (r"\bpower of attorney\b", 5),
        (r"\b(?:true and )?lawful attorney", 3),
        (r"\b(?:nombra|designa|nomena) (?:su )?(?:apoderad[oa]|apoderat|representante)", 4),
    ],
    "deed": [
        (r"\bescritura\b", 2),
        (r"\bescriptura\b", 2),
        (r"constitucion de (?:la )?sociedad", 4),
        (r"constitucio de (?:la )?societat", 4),
        (r"\bconstitucion\b", 2),
        (r"\bconstitucio\b", 2),
        (r"nombramiento de (?:cargos|administrador|consejero)", 4),
        (r"\bnomenament\b", 3),
        (r"\bnombramiento\b", 2),
        (r"elevacion a publico", 4),
        (r"elevacio a public", 4),
        (r"acuerdos sociales", 3),
        (r"acords socials", 3),
        (r"\bestatutos\b", 2),
        (r"\bestatuts\b", 2),
        (r"\bcompraventa\b", 2),
        (r"\bante mi\b", 1),
        (r"davant meu", 1),
        (r"\bnotari[oa]?\b", 1),
        (r"\bprotocolo?\b", 1),
        (r"administrador unico", 2),
        (r"administrador unic\b", 2),
        (r"\bcese\b", 1),
        (r"\bcessament\b", 1),
        (r"junta general", 2),
        # a company's own certificate of its board's or meeting's resolutions (secretary, chairman's approval)
        (r"\bcertifica(?:do|cion|t|cio) (?:de (?:los )?acuerdos|d'acords|dels acords)", 5),
        (
            r"\bacuerdos? (?:del consejo de administracion|de la junta)|\bacords? (?:del consell d'administracio|de la junta)",
            2,
        ),
        (r"\bvisto bueno\b|\bvist i plau\b|\bv\. ?o ?b\. ?o\b", 3),
    ],
    "registry_certificate": [
        (r"registro mercantil", 3),
        (r"registre mercantil", 3),
        (r"\bcertificacion\b", 3),
        (r"\bcertificacio\b", 3),
        (r"\bregistrador[a]? mercantil", 4),
        (r"\bregistrador[a]?\b", 2),
        (r"nota simple", 4),
        (r"hoja (?:registral|numero|n)", 2),
        (r"full (?:registral|numero)", 2),
        (r"\binscripcion\b", 1),
        (r"\binscripcio\b", 1),
        (r"\btomo\b", 1),
        (r"\bfolio\b", 1),
        (r"\bfoli\b", 1),
        (r"\bcertifico\b", 2),
        (r"\bcertifica\b", 1),
        (r"datos registrales", 2),
        (r"dades registrals", 2),
        (r"\bborme\b", 4),
        (r"boletin oficial del registro mercantil", 5),
        (r"\bseccion\b", 1),
        (r"asientos? vigentes?", 2),
        (r"situacion registral", 3),
        (
            r"\bhistorico de cargos|\bhistoric de carrecs|\bcargos? historicos?|"
            r"\bcarrecs? historics?",
            3,
        ),
        (r"\bcargos? vigentes?|\bcarrecs? vigents?", 2),
        (r"asientos? practicados?|assentaments? practicats?", 2),
    ],
    "manager_mandate": [
        (r"\bmandato\b", 3),
        (r"\bmandat\b", 3),
        (r"\bmandante\b", 3),
        (r"\bmandatari[oa]?\b", 3),
        (r"gestor(?:a)? energetic[oa]?", 5),
        (r"gestion energetica", 3),
        (r"gestio energetica", 3),
        (r"administrador(?:a)? de fincas", 5),
        (r"administrador(?:a)? de finques", 5),
        (r"\bautorizacion\b", 2),
        (r"\bautoritzacio\b", 2),
        (r"\bautoriza a\b", 2),
        (r"\bautoritza\b", 2),
        (r"comunidad de propietarios", 2),
        (r"comunitat de propietaris", 2),
        (r"\bcups\b", 2),
        # a community's minutes: "acta de la junta (general) de propietarios", "extracte de l'acta de la junta"
        (r"\bacta de la junta(?: general| ordinaria| extraordinaria){0,2} de (?:propietarios|propietaris)", 5),
        (r"\bjunta(?: general| ordinaria| extraordinaria){0,2} de (?:propietarios|propietaris)", 3),
        (r"\bpresident[ea]? de la (?:comunidad|comunitat)", 2),
        (r"contrato de suministro", 1),
        (r"contracte de subministrament", 1),
        (r"\bsuministros?\b", 1),
        (r"\bsubministraments?\b", 1),
        (r"\bcomercializadora\b", 1),
        (r"gestor externo", 4),
        (r"gestor extern", 4),
    ],
    "id_document": [
        (r"documento nacional de identidad", 6),
        (r"document nacional d'identitat", 6),
        (r"\bidesp", 5),
        (r"identity card", 4),
        (r"documento de identidad", 3),
        (r"permiso de residencia", 4),
        (r"tarjeta de identidad de extranjero", 5),
        (r"\bpasaporte\b", 3),
        (r"\bpassport\b", 3),
        (r"primer apellido", 3),
        (r"segundo apellido", 3),
        (r"\bapellidos\b", 2),
        (r"\bsurname", 2),
        (r"\bsexo\b", 2),
        (r"\bnacionalidad\b", 1),
        (r"\bnationality\b", 2),
        (r"fecha de nacimiento", 2),
        (r"date of birth", 2),
        (r"\bvalidez\b", 2),
        (r"\bvalidity\b", 2),
        (r"\bsoporte\b", 2),
        (r"\bdni\b", 0.5),
        (r"reino de espana", 2),
        (r"\bnum(?:ero)? soporte", 3),
        (r"\bexpiry\b", 1),
    ],
    "other": [
        (r"\bfactura\b", 4),
        (r"\brecibo\b", 3),
        (r"\brebut\b", 3),
        (r"\bticket\b", 3),
        (r"base imponible", 4),
        (r"\biva\b", 1),
        (r"total a pagar", 3),
        (r"\bimporte\b", 1),
        (r"\balbaran\b", 3),
        (r"\bpresupuesto\b", 3),
        (r"\bpressupost\b", 3),
        (r"\bnomina\b", 3),
        (r"\bcurriculum\b", 3),
        (r"\bmenu\b", 2),
        (r"forma de pago", 2),
        (r"\bvencimiento\b", 2),
        (r"\bcliente\b", 1),
        (r"precio unitario", 3),
        (r"\bunidades\b", 1),
        (r"\bsubtotal\b", 3),
        (r"\bboletin oficial del estado\b", 3),
        (r"\bboe\b", 2),
    ],
}


def _required_literal(pattern: str) -> str:
    """The longest run of plain characters that every match of ``pattern`` contains (literal
    characters in sequence at the top level of the pattern; zero-width ``\\b`` does not break a
    run), or "" when there is none.  A text without it cannot match."""
    try:
        import re._parser as sre_parse

        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return ""
        best, run = "", []
        for op, arg in parsed:
            if op is sre_parse.LITERAL:
                run.append(chr(arg))
                continue
            if op is sre_parse.AT:
                continue  # zero width: the literals either side are adjacent in the text
            if len(run) > len(best):
                best = "".join(run)
            run = []
        if len(run) > len(best):
            best = "".join(run)
        return best
    except Exception:  # pragma: no cover - an unexpected parser: always run the pattern
        return ""


_KW = {k: [(re.compile(p), w, _required_literal(p)) for p, w in v] for k, v in KEYWORDS.items()}


#: Document types only a notary writes: refused for a text with no notarial words and registry words.
NOTARIAL_TYPES = ("deed", "power_of_attorney")
_NOTARIAL_WORDS = re.compile(
    r"\bescri(?:tu|ptu)ra|\bnotari[oa]?s?\b|\bprotocol|\b(?:otorga|atorga)|\bante mi\b|"
    r"\bdavant meu\b"
)
#: a party appearing before the notary who writes the instrument
_NOTARY_AUTHORS = re.compile(
    r"\b(?:ante mi|davant meu)\b[^\n]{0,200}\n?[^\n]{0,200}\b(?:comparece[n]?|compareix(?:en)?)\b"
)
#: the registry's own books: only an extract of them cites its sheet, volume, page or entries (a letter asking for
#: "su inscripción en el Registro Mercantil" does not)
#: a registry named at the top of a page (its letterhead), not in a sentence further down
_REGISTRY_TITLE = re.compile(r"\bregistr[oe] mercantil|\bnota (?:simple|informativa)\b")
_REGISTRY_BOOKS = re.compile(
    r"\bregistrador|\bhoja\b|\bfull registral|\bborme\b|\basientos?\b|\bassentaments?\b|\btomo\b|\bfolio\b|"
    r"\bfoli\b|\bnota simple\b"
)


def classify(texts: list[str]) -> tuple[str, float, dict[str, float]]:
    """Keyword scoring over folded page texts.  Returns (doc_type, score 0..1, raw scores).

    Keywords in the first lines of a page (the title: a document may come after a page of general
    conditions or a cover) count three times.  A line printed again and again (boilerplate repeated on
    every page) counts once."""
    if not texts:
        return "other", 0.0, {}
    full = "\n".join(dict.fromkeys(line for text in texts for line in text.splitlines()))
    head = "\n".join(dict.fromkeys(line for text in texts for line in text.splitlines()[:12]))
    scores: dict[str, float] = {}
    for k, pats in _KW.items():
        s = 0.0
        for rx, w, literal in pats:
            if literal not in full:
                continue  # no match possible: n == 0
            n = len(rx.findall(full))
            if n:
                s += w * (1 + math.log(n, 4) if n > 1 else 1)
                if rx.search(head):
                    s += 2 * w
        scores[k] = s
    # a notarial power of attorney is also a deed: the title decides
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    title = "\n".join(line for text in texts for line in text.splitlines()[:3])
    if (
        ranked[0][0] in NOTARIAL_TYPES
        and not _NOTARIAL_WORDS.search(full)
        and (_REGISTRY_BOOKS.search(full) or _REGISTRY_TITLE.search(title))
    ):
        # no notary ever wrote it: a registry extract that words its charges like a deed
        # ("nombramiento", "administrador único") without "certificación"
        ranked = [kv for kv in ranked if kv[0] == "registry_certificate"] + [
            kv for kv in ranked if kv[0] != "registry_certificate"
        ]
    if (
        ranked[0][0] == "registry_certificate"
        and _NOTARY_AUTHORS.search(full)
        and scores.get("power_of_attorney", 0) + scores.get("deed", 0) > 0
    ):
        # a notary's instrument that transcribes a certification ("CERTIFICO: que en la reunión ..."): no
        # registry certificate has a party appearing before a notary
        ranked = [kv for kv in ranked if kv[0] in NOTARIAL_TYPES] + [kv for kv in ranked if kv[0] not in NOTARIAL_TYPES]
    best, bs = ranked[0]
    second = max((v for k, v in ranked[1:]), default=0.0)
    if bs < 3.0:
        return "other", round(min(0.5, 1 - bs / 6), 3), scores
    margin = (bs - second) / bs
    conf = (1 - math.exp(-bs / 8)) * (0.5 + 0.5 * margin)
    return best, round(max(0.0, min(1.0, conf)), 3), scores
