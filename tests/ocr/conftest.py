"""Fixtures for the OCR engine tests.  No Django needed (run with -p no:django).

The synthetic corpus is generated once per session into pytest's temporary
directory and OCR'd once, in parallel over the available cores."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
for p in (ROOT, HERE):
    if p not in sys.path:
        sys.path.insert(0, p)

from tests.ocr import corpus  # noqa: E402


@pytest.fixture(autouse=True)
def _test_settings():
    """Overrides the project-wide autouse fixture that needs Django settings:
    the OCR engine is plain Python and these tests run with ``-p no:django``."""
    yield


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("ocr-corpus")
    entries = corpus.build(str(out), "small")
    return str(out), entries


def _read_all(path: str):
    from ocr import read_document

    try:
        name, total, pages = read_document(path, None, stop_early=False)
        return name, total, pages, None
    except Exception as e:  # UnreadableError
        return os.path.basename(path), 0, [], getattr(e, "reason", str(e))


@pytest.fixture(scope="session")
def corpus_pages(small_corpus):
    """{file name: (name, total pages, [PageText], error)} for the whole small corpus."""
    out_dir, entries = small_corpus
    entries = [e for e in entries if e.variant != "pdf_scan_early"]  # kept for the stop-early test
    paths = [os.path.join(out_dir, e.file) for e in entries]
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_read_all, paths))
    return {e.file: r for e, r in zip(entries, results)}
