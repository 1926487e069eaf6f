import pytest

from backoffice.celery import app
from workflows.tasks import fire_workflow_timers


def test_beat_fires_workflow_timers_every_minute():
    entry = app.conf.beat_schedule["fire-workflow-timers"]
    assert entry["task"] == "workflows.tasks.fire_workflow_timers" and entry["schedule"] <= 60


@pytest.mark.django_db
def test_fire_workflow_timers_runs_with_nothing_due():
    assert fire_workflow_timers.delay().get() == 0
