"""Command line: ``python -m ocr FILE... --request-type ... --claim-cif ... --json``.

:func:`main` takes ``argv`` and ``stdout`` so a Django management command can
reuse it unchanged.  One JSON object per line per file; exit status 0 once
every file was processed (2 for bad arguments)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO

from .precheck import precheck_file
from .results import REQUEST_TYPES, Claim


def build_parser(prog: str = "python -m ocr") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog,
        description="OCR pre-check of representative / manager documents (points at evidence, never approves).",
    )
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Arguments shared with the ``ocr_precheck`` management command."""
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--request-type", choices=REQUEST_TYPES, default="representative_change")
    p.add_argument("--claim-cif", default=None, help="company CIF claimed in the request")
    p.add_argument("--claim-company", default=None, help="company name claimed in the request")
    p.add_argument("--claim-nif", default=None, help="NIF/NIE of the person claimed in the request")
    p.add_argument("--claim-name", default=None, help="name of the person claimed in the request")
    p.add_argument("--json", action="store_true", help="one JSON object per line per file")
    p.add_argument("--langs", default=None, help="tesseract languages (default spa+cat)")
    p.add_argument("--page-timeout", type=float, default=60.0)
    p.add_argument("--max-pages", type=int, default=30)
    p.add_argument("--no-stop-early", action="store_true", help="read every page")


def run(options: dict, stdout: IO[str]) -> int:
    claim = Claim(
        request_type=options.get("request_type") or "representative_change",
        company_cif=options.get("claim_cif"),
        company_name=options.get("claim_company"),
        person_nif=options.get("claim_nif"),
        person_name=options.get("claim_name"),
    )
    for f in options["files"]:
        res = precheck_file(
            f,
            claim,
            name=f,
            langs=options.get("langs"),
            page_timeout=options.get("page_timeout") or 60.0,
            max_pages=options.get("max_pages") or 30,
            stop_early=not options.get("no_stop_early"),
        )
        if options.get("json"):
            stdout.write(json.dumps(res.to_dict(), ensure_ascii=False) + "\n")
        else:
            stdout.write(
                f"{f}: {res.verdict} ({res.doc_type} {res.doc_type_score:.2f})"
                + (f" - {res.reason}" if res.reason else "")
                + "\n"
            )
            for c in res.checks:
                ev = c.evidence
                where = f" [p{ev.page + 1} {ev.bbox}] {ev.text!r}" if ev and ev.page is not None else ""
                stdout.write(f"  {c.name:13s} {c.outcome:9s} {c.detail}{where}\n")
        stdout.flush()
    return 0


def main(argv: Sequence[str] | None = None, stdout: IO[str] | None = None) -> int:
    stdout = stdout or sys.stdout
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    return run(vars(args), stdout)
