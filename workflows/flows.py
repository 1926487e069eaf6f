"""The two paperwork processes. Read top to bottom, each is its diagram.

Both go the same way: the request waits for documents (reminder after 3 days,
expiry after 15), the OCR pre-check runs in the background, verification staff
decide (escalated to supervisors after 2 working days), a supervisor gives a
second approval where the rules ask for four eyes, and the change is applied to
the account store -- or the request is rejected, sent back for more documents,
or expires. The work of each step lives in ``services``; who may decide, in ``rules``.
"""

import copy

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow
from viewflow.workflow.base import Node

from . import rules, services, views
from .models import ExternalManagerProcess, RepresentativeChangeProcess
from .nodes import WAIT, CeleryJob, End, Handle, ProcessLock, StaffTask, StartHandle, flow_job


@flow_job(name="workflows.run_precheck")
def run_precheck(activation):
    if not services.begin_precheck(activation):
        return WAIT  # pages need OCR: completed by the precheck_finished signal (see receivers.py)
    return None


class PaperworkSteps:
    """The steps both requests go through."""

    lock_impl = ProcessLock()

    def __init_subclass__(cls, **kwargs):
        # Give each flow its own node objects before Viewflow collects them: Viewflow
        # copies nodes shallowly, and a boundary timer registers itself on its host's
        # list -- shared, each flow would arm the other's timers too.
        for name, value in vars(PaperworkSteps).items():
            if isinstance(value, Node):
                node = copy.copy(value)
                node._boundary_events = []
                setattr(cls, name, node)
        super().__init_subclass__(**kwargs)

    start = (
        StartHandle(services.open_request)
        .Annotation(title=_("Request"), description=_("Started in the customer area or by a call-center agent"))
        .Next(this.documents)
    )

    documents = (
        Handle(services.take_documents)
        .Annotation(title=_("Documents"), description=_("Wait for the customer's upload"))
        .OnTimeout(services.reminder_delay, this.remind, interrupting=False, title=_("Reminder"))
        .OnTimeout(services.expiry_delay, this.expire, title=_("Expiry"))
        .Next(this.precheck)
    )

    remind = flow.Function(services.send_reminder).Annotation(title=_("Remind the customer")).Next(this.reminded)
    reminded = End().Annotation(title=_("Reminder sent"))

    precheck = (
        CeleryJob(run_precheck)
        .Annotation(
            title=_("Automatic pre-check"),
            description=_("OCR of the documents against the request and the account store"),
        )
        .Next(this.under_review)
    )

    under_review = flow.Function(services.note_under_review).Annotation(title=_("Under review")).Next(this.verify)

    verify = (
        StaffTask(views.verify, refusal=rules.verify_refusal)
        .Annotation(title=_("Verification"), description=_("Read the documents beside the pre-check and decide"))
        .Permission(rules.verification_permission)
        .OnTimeout(services.verification_deadline, this.escalate, interrupting=False, title=_("2 working days"))
        .Next(this.decision)
    )

    escalate = (
        flow.Function(services.escalate_verification)
        .Annotation(title=_("Escalate to supervisors"))
        .Next(this.escalated)
    )
    escalated = End().Annotation(title=_("Escalated"))

    decision = (
        flow.Switch()
        .Annotation(title=_("Decision"))
        .Case(this.ask_for_more, act.process.more_documents_asked)
        .Case(this.wait_second_approval, act.process.needs_second_approval)
        .Case(this.apply, act.process.approved)
        .Default(this.reject)
    )

    ask_for_more = (
        flow.Function(services.ask_for_more).Annotation(title=_("Ask for more documents")).Next(this.documents)
    )

    wait_second_approval = (
        flow.Function(services.note_second_approval)
        .Annotation(title=_("Waiting for the second approval"))
        .Next(this.second_approval)
    )

    second_approval = (
        StaffTask(views.second_approval, refusal=rules.second_approval_refusal)
        .Annotation(
            title=_("Second approval"), description=_("Four eyes: pre-check not clear, or a sensitive customer")
        )
        .Permission(rules.SUPERVISE)
        .Next(this.second_decision)
    )

    second_decision = (
        flow.If(act.process.second_approved).Annotation(title=_("Second decision")).Then(this.apply).Else(this.reject)
    )

    apply = flow.Function(services.apply_change).Annotation(title=_("Apply to the account store")).Next(this.notify)
    reject = flow.Function(services.close_rejected).Annotation(title=_("Rejected")).Next(this.notify)
    expire = flow.Function(services.close_expired).Annotation(title=_("Expired")).Next(this.notify)

    notify = flow.Function(services.notify_outcome).Annotation(title=_("Notify the customer")).Next(this.end)
    end = End().Annotation(title=_("End"))


class RepresentativeChange(PaperworkSteps, flow.Flow):
    """The change of representative (what staff read about it: ``process_title`` and ``process_description``)."""

    process_class = RepresentativeChangeProcess
    process_title = _("Change of representative")
    process_description = _(
        "A company's legal representative is replaced, backed by a power of attorney, deed or registry certificate."
    )


class ExternalManager(PaperworkSteps, flow.Flow):
    """The registration of an external manager (what staff read about it: ``process_title`` and ``process_description``)."""

    process_class = ExternalManagerProcess
    process_title = _("External manager")
    process_description = _(
        "An energy manager or property administrator firm is registered to manage the customer's contracts, "
        "backed by a signed mandate."
    )


FLOW_OF_MODEL = {RepresentativeChangeProcess: RepresentativeChange, ExternalManagerProcess: ExternalManager}
