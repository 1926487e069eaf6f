#!/usr/bin/env python
"""Where the CPU of one change of representative goes: every step in one process, under cProfile.

Runs ``--requests`` complete representative changes (after ``--warmup`` untimed ones) with Celery in
eager mode, so the worker's tasks (pre-check job, planning, reading, previews, e-mails) run inline
in the on-commit hooks of the step that queues them. For each step it prints the CPU per request,
the SQL queries and commits per request, and with ``--top K`` the K functions with the most
cumulative and own time. Celery's transport costs (publish, receive, ack) are not in these
figures: ``flow_bench.py`` measures the real worker.

Same environment as flow_bench (the database is dropped and recreated; its name must contain
"bench")::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_profile \\
        .venv/bin/python benchmarks/flow_profile.py --requests 30 --top 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks import (
    common,  # noqa: E402
    flow_bench,  # noqa: E402
)

STEPS = ("start", "upload", "submit", "decide")


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the PostgreSQL backend serving this process, from /proc."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")  # the server runs elsewhere
    fields = raw[raw.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _caller() -> str:
    """The innermost frames of the project and of Viewflow that led to a query."""
    import traceback

    frames = [
        f for f in traceback.extract_stack()[:-2] if "/django/" not in f.filename and "flow_profile" not in f.filename
    ]
    return " < ".join(
        f"{Path(f.filename).parent.name}/{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-3:])
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--top", type=int, default=0, help="print the K heaviest functions of each step")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument(
        "--sql", action="store_true", help="print every SQL statement of the last request, step by step"
    )
    args = parser.parse_args()

    url = flow_bench.check_database_url()
    tmp = Path(tempfile.mkdtemp(prefix="flow_profile_"))
    os.chdir(BASE_DIR)
    # flow_bench's environment, with Celery eager in this process and e-mails kept in memory
    env = flow_bench.bench_env(
        argparse.Namespace(settings="backoffice.settings", patch=[], probe=False), url, "memory://", tmp
    )
    env.update({"CELERY_TASK_ALWAYS_EAGER": "true", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    os.environ.update(env)
    flow_bench.reset_database(url)
    common.manage(dict(os.environ), "migrate", "--noinput")

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from accounts.audit import Actor
    from accounts.models import Customer, Person, User
    from workflows import services

    total = args.warmup + args.requests
    cases, verifier_id, _supervisor_id, _ = flow_bench.prepare_data(total, seed=1)
    flow_bench.build_documents(cases, seed=1)
    verifier = User.objects.get(pk=verifier_id)
    staff_actor = Actor(user=verifier, ip="127.0.0.1", label="staff")

    profiles = {step: cProfile.Profile() for step in STEPS}
    cpu: dict[str, float] = defaultdict(float)
    pg_cpu: dict[str, float] = defaultdict(float)
    queries: dict[str, int] = defaultdict(int)
    commits: dict[str, int] = defaultdict(int)

    class Counter:
        def __init__(self):
            self.queries = self.commits = 0
            self.statements = []

        def __call__(self, execute, sql, params, many, context):
            self.queries += 1
            if args.sql:
                self.statements.append(f"{sql[:150]}\n      <- {_caller()}")
            if sql.strip().upper().startswith("COMMIT"):
                self.commits += 1
            return execute(sql, params, many, context)

    def step(name, timed, func):
        counter = Counter()
        profile = profiles[name] if timed and args.top else None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        pg_started = _backend_cpu(backend)
        started = time.process_time()
        with connection.execute_wrapper(counter):
            if profile:
                profile.enable()
            try:
                result = func()
            finally:
                if profile:
                    profile.disable()
        if args.sql and number == len(cases) - 1:
            print(f"\n----- {name}: {counter.queries} statements -----")
            for sql in counter.statements:
                print("  " + sql)
        if timed:
            cpu[name] += time.process_time() - started
            pg_cpu[name] += _backend_cpu(backend) - pg_started
            queries[name] += counter.queries
            commits[name] += counter.commits
        return result

    # Django's commit() does not go through execute(): count it at the backend.
    original_commit = connection.commit
    commit_count = [0]

    def counting_commit():
        commit_count[0] += 1
        return original_commit()

    connection.commit = counting_commit

    from workflows.flows import RepresentativeChange
    from workflows.models import RepresentativeChangeProcess

    for number, case in enumerate(cases):
        timed = number >= args.warmup
        user = User.objects.get(pk=case.rep_user_id)
        actor = Actor(user=user, ip="127.0.0.1", label="customer")
        customer = Customer(pk=case.customer_id, kind="company", tax_id=case.tax_id, name=case.customer_name)
        requested_by = Person.objects.get(pk=case.rep_person_id)
        marks = {}
        marks["start"] = commit_count[0]
        process = step(
            "start",
            timed,
            lambda: services.start_representative_change(
                customer=customer,
                new_id_number=case.new_nif,
                new_name=case.new_name,
                new_email=case.new_email,
                outgoing="authorised_full",
                contact_email=f"rep{case.index}@example.com",
                language="es",
                requested_by=requested_by,
                actor=actor,
                channel="portal",
            ),
        )
        c1 = commit_count[0]
        step(
            "upload",
            timed,
            lambda: services.add_request_document(
                process=process,
                uploaded=SimpleUploadedFile("poder.pdf", case.pdf, "application/pdf"),
                original_name="poder.pdf",
                actor=actor,
            ),
        )
        c2 = commit_count[0]
        step("submit", timed, lambda: services.submit_documents(process=process, actor=actor))
        c3 = commit_count[0]
        task = services.active_task(RepresentativeChangeProcess.objects.get(pk=process.pk), RepresentativeChange.verify)
        if task is None:
            print(f"request {process.reference}: no verify task after submit (eager pre-check did not finish)")
            return 1
        result = step(
            "decide",
            timed,
            lambda: services.decide(task_id=task.pk, user=verifier, decision="approve", actor=staff_actor),
        )
        c4 = commit_count[0]
        if result.outcome != "applied":
            print(f"request {process.reference}: outcome {result.outcome!r}, not applied")
            return 1
        if timed:
            for name, (a, b) in zip(STEPS, ((marks["start"], c1), (c1, c2), (c2, c3), (c3, c4))):
                commits[name] += b - a

    n = args.requests
    print(
        f"{n} requests (after {args.warmup} warm-up), Celery eager: the worker's tasks run inside the step that queues them."
    )
    print("CPU ms/request: this process (the web request and, eagerly, the worker's tasks) and its PostgreSQL backend")
    print(f"{'step':10} {'process':>9} {'postgres':>9} {'queries':>9} {'commits':>9}")
    for name in STEPS:
        print(
            f"{name:10} {1000 * cpu[name] / n:9.1f} {1000 * pg_cpu[name] / n:9.1f} {queries[name] / n:9.1f} {commits[name] / n:9.1f}"
        )
    print(
        f"{'total':10} {1000 * sum(cpu.values()) / n:9.1f} {1000 * sum(pg_cpu.values()) / n:9.1f} "
        f"{sum(queries.values()) / n:9.1f} {sum(commits.values()) / n:9.1f}"
    )
    if args.top:
        for name in STEPS:
            out = io.StringIO()
            stats = pstats.Stats(profiles[name], stream=out)
            stats.sort_stats(args.sort).print_stats(args.top)
            print(f"\n===== {name} =====")
            print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
