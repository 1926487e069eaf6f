"""Tests of the workflow machinery (workflows/).

Viewflow stores a task as ``"<app_label>/<module path>.<FlowClass>.<node>"`` and
resolves that through the app registry, so a flow class must live inside an
installed app (viewflow/workflow/fields.py get_flow_ref/import_task_by_ref). The
test-only flow in ``jobflow.py`` is made resolvable by registering this package as
a model-less app, ``workflows_tests``, when that module is imported -- in pytest
and in a Celery worker started with ``-I tests.workflows.jobflow``.
"""

import sys

from django.apps import AppConfig


class WorkflowTestsConfig(AppConfig):
    name = "tests.workflows"
    label = "workflows_tests"
    default = False


def register_test_app():
    """Add this package to the (already populated) app registry; idempotent."""
    from django.apps import apps

    if WorkflowTestsConfig.label in apps.app_configs:
        return
    config = WorkflowTestsConfig(WorkflowTestsConfig.name, sys.modules[__name__])
    config.apps = apps
    config.import_models()
    apps.app_configs[config.label] = config
    apps.clear_cache()
