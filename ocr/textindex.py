"""A searchable view of a page: one string with offsets back to OCR words."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .results import PageText, Word

_SPECIAL = {
    "º": "o",
    "ª": "a",
    "°": "o",
    "’": "'",
    "‘": "'",
    "´": "'",
    "`": "'",
    "·": ".",
    "ß": "s",
    "æ": "a",
    "ø": "o",
    "ł": "l",
    "—": "-",
    "–": "-",
    "‐": "-",
    "‑": "-",
    "ı": "i",
    "ﬁ": "f",
    "ﬂ": "f",
}


def fold_char(c: str) -> str:
    """Lower-case, accent-free single character (always length 1)."""
    if c in _SPECIAL:
        return _SPECIAL[c]
    lc = c.lower()
    if len(lc) != 1:
        lc = c
    d = unicodedata.normalize("NFD", lc)
    base = d[0] if d else lc
    if base in _SPECIAL:
        return _SPECIAL[base]
    return base if len(base) == 1 else lc


class _FoldTable(dict):
    """``str.translate`` table: code point -> :func:`fold_char` of it, filled on first use
    (a character always folds the same way; at most ``limit`` entries are kept)."""

    limit = 100_000

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        if len(self) < self.limit:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(s: str) -> str:
    """Accent-free, lower-case copy of ``s`` with exactly the same length."""
    return s.translate(_FOLD_TABLE)


@dataclass
class Span:
    page: int
    words: list[Word]
    text: str

    @property
    def bbox(self) -> list[int]:
        return union_bbox(self.words)

    @property
    def confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.conf for w in self.words) / len(self.words) / 100.0


def union_bbox(words: list[Word]) -> list[int]:
    if not words:
        return [0, 0, 0, 0]
    return [min(w.x0 for w in words), min(w.y0 for w in words), max(w.x1 for w in words), max(w.y1 for w in words)]


class PageIndex:
    """Page text joined line by line ("\\n" between lines, " " between words)."""

    def __init__(self, page: PageText):
        self.page = page
        parts: list[str] = []
        self.offsets: list[tuple[int, int, Word]] = []
        self.line_ranges: list[tuple[int, int]] = []
        pos = 0
        for ws in page.lines():
            line_start = pos
            for i, w in enumerate(ws):
                if i:
                    parts.append(" ")
                    pos += 1
                parts.append(w.text)
                self.offsets.append((pos, pos + len(w.text), w))
                pos += len(w.text)
            self.line_ranges.append((line_start, pos))
            parts.append("\n")
            pos += 1
        self.text = "".join(parts)
        self.folded = fold(self.text)
        self._starts = [o[0] for o in self.offsets]
        #: derived data that callers compute once per page (e.g. ``extract``'s name tokens)
        self.cache: dict = {}

    def words_in(self, start: int, end: int) -> list[Word]:
        import bisect

        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        out = []
        while i < len(self.offsets) and self.offsets[i][0] < end:
            s, e, w = self.offsets[i]
            if e > start:
                out.append(w)
            i += 1
        return out

    def word_index_at(self, pos: int) -> int:
        """Index (into ``offsets``) of the word at or just before ``pos``."""
        import bisect

        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def span(self, start: int, end: int) -> Span:
        return Span(self.page.index, self.words_in(start, end), self.text[start:end])

    def line_text_at(self, pos: int) -> str:
        for s, e in self.line_ranges:
            if s <= pos <= e:
                return self.text[s:e]
        return ""

    def line_span_at(self, start: int, end: int) -> Span:
        """Span covering the whole line(s) containing [start, end)."""
        s0, e0 = start, end
        for s, e in self.line_ranges:
            if s <= start <= e:
                s0 = s
            if s <= end <= e + 1:
                e0 = e
        return self.span(s0, max(e0, s0))
