"""A real Celery worker process consumes what the web side enqueues: the embedded broker (safefs) and Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


@pytest.mark.slow
@pytest.mark.parametrize("broker", ["safefs://", "redis://127.0.0.1:6379/15"])
def test_worker_process_sends_a_queued_email(tmp_path, broker):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",) and not k.startswith("DJANGO_")}
    env |= {
        "BACKOFFICE_VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": broker,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    worker = subprocess.Popen(
        [CELERY, "-A", "backoffice", "worker", "-Q", "celery,mail", "-c", "1", "--pool", "solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    try:
        enqueue = (
            "from accounts.notifications import send_after_commit as s; "
            "s(to='worker@example.com', template='password_reset', context={'name': 'Worker', 'link': '/x/'}, language='es')"
        )
        subprocess.run([sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env, check=True, timeout=60)
        mail_dir = tmp_path / "mail"
        deadline = time.monotonic() + 120
        # The file backend creates the file before writing it: wait for a complete message.
        while time.monotonic() < deadline and not (
            mail_dir.exists() and any("contrase" in p.read_text() for p in mail_dir.iterdir())
        ):
            time.sleep(0.3)
        messages = list(mail_dir.iterdir()) if mail_dir.exists() else []
        if not messages:
            worker.terminate()
            pytest.fail(
                "the worker did not send the e-mail within 120 s; its output:\n" + worker.communicate(timeout=30)[0]
            )
        body = messages[0].read_text()
        assert "worker@example.com" in body and "contraseña" in body  # rendered in Spanish
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
