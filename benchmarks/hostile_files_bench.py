#!/usr/bin/env python
"""Peak RSS of the child that validates, and of the one that previews, each hostile file.

    .venv/bin/python benchmarks/hostile_files_bench.py [--no-stream-cap]

Builds the files in memory (``tests/documents``), runs ``documents.validation.validate_bytes`` and
``documents.previews.render_pages`` on each, and prints the verdict and the peak RSS the sandbox
logged for its child, beside this process's own peak. ``--no-stream-cap`` lifts the PDF stream
caps so that only the sandbox's memory limit holds a bomb. No database, no Celery.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import struct
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")

MB = 1024 * 1024


def png_of_zeros(width: int, height: int) -> bytes:
    """An RGBA PNG within the pixel limit that decodes to width * height * 4 bytes."""
    deflater, row = zlib.compressobj(9), bytes(1 + 4 * width)
    body = b"".join(deflater.compress(row * 512) for _ in range(height // 512)) + deflater.flush()
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))  # noqa: E731
    header = struct.pack(">IIBBBBB", width, height // 512 * 512, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def hostile_files() -> dict[str, bytes]:
    from tests.documents import samples
    from tests.documents.test_bounds import flate_bomb, pdf_flate_bomb

    many = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [%s] >>"
        % b" ".join(b"%d 0 R" % i for i in range(4, 12)),
    ]
    many += [samples._stream(flate_bomb(192 * MB), b"/Filter /FlateDecode ")] * 8
    return {
        "pdf flate bomb 1 GB": pdf_flate_bomb(),
        "pdf 8 streams x 192 MB": samples._pdf(many),
        "pdf page 200x200 in": samples.pdf_huge_page(),
        "png header 10^10 px": samples.png_declaring(100_000, 100_000),
        "png 7000x8000 RGBA": png_of_zeros(7000, 8000),
        "tiff 30 pages 1700x2200": samples.tiff_g4(30),
    }


class Peaks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.peaks: list[int] = []

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "peak_rss"):
            self.peaks.append(record.peak_rss)

    def take(self) -> str:
        peak, self.peaks = max(self.peaks, default=0), []
        return f"{peak / MB:7.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-stream-cap", action="store_true")
    options = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    from documents.previews import PreviewError, render_pages
    from documents.validation import DocumentRejected, sniff, validate_bytes

    if options.no_stream_cap:
        settings.DOCUMENTS_MAX_INFLATED_BYTES = settings.DOCUMENTS_MAX_INFLATED_TOTAL = 1 << 40
    peaks = Peaks()
    sandbox_logger = logging.getLogger("documents.sandbox")
    sandbox_logger.addHandler(peaks)
    sandbox_logger.setLevel(logging.DEBUG)
    own = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # noqa: E731
    files = hostile_files()
    print(f"this process: peak RSS {own():.0f} MB once the files are built")
    print(
        f"{'file':26} {'size MB':>8} {'verdict':>14} {'validate':>8} {'preview':>8} {'this process':>12}  (peak RSS, MB)"
    )
    for name, data in files.items():
        try:
            verdict = f"accepted {validate_bytes(data).page_count}p"
        except DocumentRejected as refusal:
            verdict = refusal.code
        validating = peaks.take()
        try:
            pages = sum(1 for _ in render_pages(data, sniff(data)))
            previews = f"{pages} pages"
        except PreviewError:
            previews = "failed"
        print(
            f"{name:26} {len(data) / MB:8.2f} {verdict:>14} {validating:>8} {peaks.take():>8} {own():12.0f}  previews {previews}"
        )


if __name__ == "__main__":
    main()
