"""The pre-check end to end with real Celery worker processes on Redis: page tasks in parallel, joined in PostgreSQL."""

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

import ocr
from documents import prechecks, services
from documents.models import Precheck
from tests import factories as f
from tests.ocr.corpus import make_facts, pdf_with_text, text_pdf_lines

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_precheck_runs_on_a_real_worker(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database server shared with the test")
    db = connection.settings_dict
    documents_dir = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(documents_dir)},
        },
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from backoffice.celery import app

    app.conf.task_always_eager = False
    # The worker listens where this process sends: the configured broker (Redis in `make test`).
    broker = app.conf.broker_url
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | {
        "BACKOFFICE_VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": broker,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DOCUMENTS_ROOT": str(documents_dir),
    }
    worker = subprocess.Popen(
        [CELERY, "-A", "backoffice", "worker", "-Q", "celery,ocr", "-c", "2", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        facts = make_facts(random.Random(21), "power_of_attorney", "ca")
        pages = text_pdf_lines(facts) + [[("body", f"Annex {i}.")] for i in range(3)]
        document_set = services.create_document_set(reference="REQ-WORKER", customer=f.customer(), actor=f.actor())
        services.add_document(
            document_set=document_set,
            uploaded=SimpleUploadedFile("poder.pdf", pdf_with_text(pages)),
            original_name="poder.pdf",
            actor=f.actor(),
        )
        claim = ocr.Claim(
            request_type="representative_change",
            company_cif=facts.company_cif,
            company_name=facts.company_name,
            person_nif=facts.person_nif,
            person_name=facts.person_name,
        )
        precheck = prechecks.start_precheck(document_set=document_set, claim=claim, actor=f.actor())
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            precheck.refresh_from_db()
            if precheck.status in (Precheck.Status.DONE, Precheck.Status.FAILED):
                break
            time.sleep(0.3)
        assert precheck.status == Precheck.Status.DONE, (precheck.status, precheck.error)
        assert precheck.verdict == "clear", precheck.result
        assert 0 < precheck.pages_done <= precheck.pages_total == len(pages)
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
