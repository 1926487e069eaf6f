"""A test-only task that kills the process running it, every time (imported by the fault tests' worker)."""

import os
import signal
from pathlib import Path

from celery import shared_task


def _record_poisoned(task, args, kwargs) -> None:
    Path(args[0]).with_suffix(".poisoned").write_text(repr(args))


@shared_task(name="tests.faults.poison.kill_my_worker", acks_late=True, poisoned=_record_poisoned)
def kill_my_worker(marker: str) -> None:
    with open(marker, "a") as starts:
        starts.write("started\n")
    os.kill(os.getpid(), signal.SIGKILL)
