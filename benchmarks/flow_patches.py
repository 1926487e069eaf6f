"""Candidate speed-ups for the paperwork flow, as opt-in monkeypatches, to measure them with flow_bench.

NOT part of the application: ``benchmarks/flow_settings.py`` applies the ones named in
FLOW_BENCH_PATCHES (comma-separated; ``flow_bench.py --patch NAME`` sets it) in the driver and in
the worker, so a proposed change can be measured without editing ``documents/`` or ``workflows/``.
Each patch says which function it stands in for; the real change is described in its docstring.
The benchmark prints the patches in force with its figures.
"""

from __future__ import annotations


def no_acks_late() -> None:
    """Celery: acknowledge messages when a task starts instead of when it ends (``acks_late=False``).

    ``CELERY_TASK_ACKS_LATE`` in backoffice/settings.py and the explicit ``acks_late=True`` of
    ``flow_job`` (workflows/nodes.py), ``plan_precheck_task``/``read_page_task``/``make_previews_task``
    (documents/tasks.py). Measured only: a lost worker would then lose the task (the flow relies on
    redelivery, and the page sweeper exists for lost read_page tasks).
    """
    from backoffice.celery import app

    app.conf.task_acks_late = False
    for task in list(app.tasks.values()):
        task.acks_late = False


PATCHES = {
    "no-acks-late": no_acks_late,
}


def apply(names: str) -> list[str]:
    applied = []
    for name in filter(None, (n.strip() for n in names.split(","))):
        if name not in PATCHES:
            raise ValueError(f"unknown flow_bench patch {name!r}; known: {', '.join(PATCHES)}")
        PATCHES[name]()
        applied.append(name)
    return applied
