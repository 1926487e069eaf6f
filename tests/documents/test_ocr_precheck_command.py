"""``manage.py ocr_precheck``: one JSON object per file, never a traceback, exit 0 after every file."""

import json
import random
import subprocess
import sys
from pathlib import Path

from tests.ocr.corpus import hostile_files, make_facts, pdf_with_text, text_pdf_lines

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "file",
    "doc_type",
    "doc_type_score",
    "fields",
    "checks",
    "verdict",
    "pages_ocred",
    "pages_text_layer",
    "seconds",
}


def test_command_prints_one_json_line_per_file_and_survives_hostile_files(tmp_path):
    facts = make_facts(random.Random(3), "power_of_attorney", "es")
    good = tmp_path / "poder.pdf"
    good.write_bytes(pdf_with_text(text_pdf_lines(facts)))
    paths = [good]
    for name, data in hostile_files().items():
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    missing = tmp_path / "does-not-exist.pdf"
    paths.append(missing)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "ocr_precheck",
            *map(str, paths),
            "--request-type",
            "representative_change",
            "--claim-cif",
            facts.company_cif,
            "--claim-company",
            facts.company_name,
            "--claim-nif",
            facts.person_nif,
            "--claim-name",
            facts.person_name,
            "--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == len(paths)
    first = lines[0]
    assert (
        KEYS <= set(first)
        and first["verdict"] == "clear"
        and first["pages_ocred"] == 0
        and first["pages_text_layer"] >= 1
    )
    assert {c["name"] for c in first["checks"]} == {
        "doc_type",
        "company_cif",
        "company_name",
        "person_nif",
        "person_role",
        "person_name",
        "date",
        "readable",
    }
    assert first["fields"]["person_nif"]["value"] == facts.person_nif
    for line in lines[1:]:
        assert line["verdict"] == "unreadable" and line.get("reason"), line
