"""Drives a request on a database that is not the test's own (the private PostgreSQL of
``test_database_faults.py``), in a process of its own with ``DATABASE_URL`` and ``CELERY_BROKER_URL`` set:

    python -m tests.faults.pg_driver submit               a story, a change of representative, a text-layer
                                                           power of attorney uploaded and submitted
    python -m tests.faults.pg_driver state PROCESS_PK     the request's tasks, its pre-check and verdict
    python -m tests.faults.pg_driver get PATH             GET PATH through Django's test client (with a
                                                           session cookie, so the session is read)

Each prints one JSON object on its last line of output.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")


def submit() -> dict:
    import itertools

    from accounts.models import Customer
    from tests import factories
    from tests.factories import Story
    from tests.workflows.paperwork import customer_actor, power_of_attorney, start_change, upload
    from workflows import services

    factories._counter = itertools.count(1 + 1000 * Customer.objects.count())  # unique identifiers, run after run
    story = Story()
    process = start_change(story)
    upload(process, power_of_attorney(story.customer))
    services.submit_documents(process=process, actor=customer_actor(story.representative))
    return {"process": process.pk}


def state(pk: str) -> dict:
    from documents.models import Precheck, PrecheckPage
    from tests.workflows.paperwork import task_of, tasks_of
    from workflows.models import RepresentativeChangeProcess

    process = RepresentativeChangeProcess.objects.get(pk=int(pk))
    jobs = tasks_of(process, "precheck")
    precheck = Precheck.objects.filter(pk=process.precheck_id).first()
    return {
        "tasks": [[task.flow_task.name, task.status] for task in process.task_set.order_by("pk")],
        "job": jobs[-1].status if jobs else None,
        "at_verification": bool(jobs) and jobs[-1].status == "DONE" and task_of(process, "verify") is not None,
        "precheck": precheck.status if precheck else None,
        "verdict": precheck.verdict if precheck else None,
        "pages_not_done": precheck.pages.exclude(
            status__in=[PrecheckPage.Status.DONE, PrecheckPage.Status.SKIPPED]
        ).count()
        if precheck
        else None,
    }


def get(path: str) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" allowed, mail in memory
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["sessionid"] = "x" * 32  # a session to load: the database is read before any view runs
    response = client.get(path)
    return {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "body": response.content.decode(errors="replace"),
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    result = {"submit": submit, "state": state, "get": get}[command](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
