"""Helpers shared by the OCR tests (no OCR: synthetic PageText objects)."""

from __future__ import annotations

from ocr.results import PageText, Word


def page_from_lines(lines: list[str], index: int = 0, conf: float = 95.0, source: str = "ocr") -> PageText:
    """A PageText whose words sit on a simple grid (40 px per line)."""
    words = []
    for li, line in enumerate(lines):
        x = 100
        for tok in line.split():
            w = 22 * len(tok)
            words.append(Word(tok, x, 100 + 60 * li, x + w, 140 + 60 * li, conf, li))
            x += w + 20
    return PageText(index, width=2480, height=3508, source=source, words=words, mean_conf=conf)
