"""Per-task CPU and wall time inside the Celery worker, for ``benchmarks/flow_bench.py --probe``.

Imported by ``benchmarks/flow_settings.py`` when FLOW_BENCH_PROBE_DIR is set. Each pool process
appends one line per finished task to ``<dir>/<pid>.tsv``: task name, wall-clock start (epoch),
CPU seconds of the process during the task body, wall seconds. Celery's own per-task work
(receiving, decoding, acknowledging) is outside these figures; the driver reports the worker's
total CPU beside them.
"""

from __future__ import annotations

import os
import time

from celery.signals import task_postrun, task_prerun

_DIR = os.environ.get("FLOW_BENCH_PROBE_DIR", "")
_started: dict[str, tuple[float, float, float]] = {}
_files: dict[int, object] = {}


def _out():
    pid = os.getpid()
    handle = _files.get(pid)
    if handle is None:
        handle = _files[pid] = open(os.path.join(_DIR, f"{pid}.tsv"), "a", buffering=1)
    return handle


@task_prerun.connect(weak=False)
def _before(task_id=None, task=None, **kwargs):
    _started[task_id] = (time.time(), time.process_time(), time.perf_counter())


@task_postrun.connect(weak=False)
def _after(task_id=None, task=None, **kwargs):
    began = _started.pop(task_id, None)
    if began is None or not _DIR:
        return
    wall_start, cpu, clock = began
    _out().write(f"{task.name}\t{wall_start:.6f}\t{time.process_time() - cpu:.6f}\t{time.perf_counter() - clock:.6f}\n")
