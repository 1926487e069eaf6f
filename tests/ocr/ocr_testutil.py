"""Helpers shared by the OCR tests (no OCR: synthetic PageText objects)."""

from __future__ import annotations

from ocr.results import PageText, Word


def page_from_lines(
    lines: list[str],
    index: int = 0,
    conf: float = 95.0,
    source: str = "ocr",
    *,
    columns: list[list[str]] | None = None,
    rows: list[list[str]] | None = None,
) -> PageText:
    """A PageText whose words sit on a simple grid (40 px high, 60 px per line).

    ``columns``: a table printed row by row under the lines but read column by column (as OCR
    reads one): each inner list is a column, one cell per row, the columns side by side.
    ``rows``: a table read row by row (one OCR line per row, its cells side by side, far apart): each
    inner list is a row, one cell per column; it follows the lines (and ``columns``)."""
    words = []
    for li, line in enumerate(lines):
        x = 100
        for tok in line.split():
            w = 22 * len(tok)
            words.append(Word(tok, x, 100 + 60 * li, x + w, 140 + 60 * li, conf, li))
            x += w + 20
    line_id, x0 = len(lines), 100
    for col in columns or []:
        for row, cell in enumerate(col):
            x, y = x0, 100 + 60 * (len(lines) + row)
            for tok in cell.split():
                words.append(Word(tok, x, y, x + 22 * len(tok), y + 40, conf, line_id))
                x += 22 * len(tok) + 20
            line_id += 1
        x0 += max(42 * len(cell) for cell in col) + 60
    if rows:
        ncol = max(len(r) for r in rows)
        widths = [max((42 * len(r[c]) if c < len(r) else 0) for r in rows) + 60 for c in range(ncol)]
        top = max((w.y1 for w in words), default=40) + 20
        for ri, row in enumerate(rows):
            x0, y = 100, top + 60 * ri
            for ci, cell in enumerate(row):
                x = x0
                for tok in cell.split():
                    words.append(Word(tok, x, y, x + 22 * len(tok), y + 40, conf, line_id))
                    x += 22 * len(tok) + 20
                x0 += widths[ci]
            line_id += 1
    return PageText(index, width=2480, height=3508, source=source, words=words, mean_conf=conf)
