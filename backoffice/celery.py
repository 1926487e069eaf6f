"""The Celery application. Tasks are thin adapters around services."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")

app = Celery("backoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.task_routes = {"accounts.tasks.send_templated_email": {"queue": "mail"}}
app.conf.beat_schedule = {
    "purge-stale-attempts": {"task": "accounts.tasks.purge_stale_attempts", "schedule": 3600.0},
}
