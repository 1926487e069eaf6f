"""Settings for ``benchmarks/flow_bench.py`` experiments: the real settings plus opt-in overrides.

Used only with ``flow_bench.py --settings benchmarks.flow_settings`` (driver and worker alike), to
measure a configuration change before proposing it. With no FLOW_BENCH_* variable set it is
exactly ``backoffice.settings``. Overrides, from the environment:

- ``FLOW_BENCH_DB_REUSE_MAX=N``: ``CELERY_DB_REUSE_MAX`` -- without it Celery's Django fixup closes
  every database connection before and after each task, so each task opens a new PostgreSQL
  connection (and a new server backend) whatever ``CONN_MAX_AGE`` says;
- ``FLOW_BENCH_CONN_MAX_AGE=S``: ``DATABASES["default"]["CONN_MAX_AGE"]``;
- ``FLOW_BENCH_HEALTH_CHECKS=false``: ``CONN_HEALTH_CHECKS`` off (one ``SELECT 1`` less per reuse);
- ``FLOW_BENCH_PROBE_DIR=DIR`` (set by ``flow_bench.py --probe``): per-task CPU and wall times
  recorded by ``benchmarks/flow_probe.py``;
- ``FLOW_BENCH_PATCHES=a,b`` (set by ``flow_bench.py --patch``): candidate code changes from
  ``benchmarks/flow_patches.py``, applied in every pool process of the worker.
"""

import os

from backoffice.settings import *  # noqa: F401,F403
from backoffice.settings import DATABASES, env_bool

if os.environ.get("FLOW_BENCH_DB_REUSE_MAX"):
    CELERY_DB_REUSE_MAX = int(os.environ["FLOW_BENCH_DB_REUSE_MAX"])
if os.environ.get("FLOW_BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["FLOW_BENCH_CONN_MAX_AGE"])
if os.environ.get("FLOW_BENCH_HEALTH_CHECKS"):
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("FLOW_BENCH_HEALTH_CHECKS", True)

if os.environ.get("FLOW_BENCH_PROBE_DIR"):
    import benchmarks.flow_probe  # noqa: F401,E402 - connects the per-task timing signals

if os.environ.get("FLOW_BENCH_PATCHES"):
    # Candidate code changes (benchmarks/flow_patches.py), applied in each pool process once Django is set
    # up; flow_bench.py applies them in the driver itself.
    from celery.signals import worker_process_init

    @worker_process_init.connect(weak=False)
    def _apply_flow_bench_patches(**kwargs):
        from benchmarks import flow_patches

        flow_patches.apply(os.environ["FLOW_BENCH_PATCHES"])
