"""A toy flow for the CeleryJob tests: StartHandle -> CeleryJob -> End.

``process.data`` steers the job: ``fail`` makes it raise, ``mode == "wait"``
makes it return WAIT (complete later with complete_job).
"""

from tests.workflows import register_test_app

register_test_app()

from viewflow import this  # noqa: E402
from viewflow.workflow import flow, lock  # noqa: E402

from workflows.nodes import WAIT, CeleryJob, flow_job  # noqa: E402


class JobBodyError(Exception):
    pass


@flow_job
def mark_process(activation):
    process = activation.process
    process.data["runs"] = process.data.get("runs", 0) + 1
    process.data["marker"] = f"job {activation.task.pk}"
    process.save()
    if process.data.get("fail"):
        raise JobBodyError("the job body failed")
    if process.data.get("mode") == "wait":
        return WAIT


class JobFlow(flow.Flow):
    """Job test flow"""

    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.job)
    job = CeleryJob(mark_process).Annotation(title="Mark the process").Next(this.end)
    end = flow.End()

    def start_process(self, activation, **data):
        activation.process.data = data
        return activation.process


class JobOnErrorFlow(flow.Flow):
    """Job test flow with an error boundary"""

    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.job)
    job = CeleryJob(mark_process).OnError(this.recovered).Next(this.end)
    recovered = flow.End()
    end = flow.End()

    def start_process(self, activation, **data):
        activation.process.data = data
        return activation.process
