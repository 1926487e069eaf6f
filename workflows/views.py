"""Staff task pages: the verification workspace and the second approval. They parse and render; services decide."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.audit import Actor
from client_address import client_ip

from . import evidence, glance, selectors, services
from .forms import DecisionForm, SecondApprovalForm


def _actor(request) -> Actor:
    return Actor(user=request.user, ip=client_ip(request), label="staff")


def _page(request, *, task, process, form, template, status=200, error=None):
    context = selectors.verification_context(process=process, task=task, user=request.user) | {
        "form": form,
        "error": error,
        "glance": glance.customer_glance(customer=process.customer, user=request.user, current=process),
    }
    evidence.add_verifier_aids(context)
    return render(request, template, context, status=status)


def _decision_page(request, *, task, process, form_class, template: str, decide, saved: str):
    """GET shows the task page; POST validates the form and decides through ``decide(data)`` (a service)."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decide(form.cleaned_data)
        except services.RequestError as exc:
            task.refresh_from_db()
            return _page(
                request, task=task, process=process, form=form, template=template, status=409, error=exc.message
            )
        messages.success(request, saved % {"reference": process.reference})
        return redirect(selectors.after_decision_url(request, process))
    return _page(request, task=task, process=process, form=form, template=template, status=400 if form.errors else 200)


def verify(request, *, task, process):
    """The verification workspace: the documents beside the pre-check; approve, reject or ask for more."""

    def decide(data):
        services.decide(
            task_id=task.pk,
            user=request.user,
            decision=data["decision"],
            reason=data["reason"],
            customer_message=data["customer_message"],
            internal_note=data["internal_note"],
            actor=_actor(request),
        )

    return _decision_page(
        request,
        task=task,
        process=process,
        form_class=DecisionForm,
        template="workflows/verify.html",
        decide=decide,
        saved=_("Decision saved for %(reference)s."),
    )


def second_approval(request, *, task, process):
    """The supervisor's second look at an approved request (four eyes)."""

    def decide(data):
        services.second_decision(
            task_id=task.pk,
            user=request.user,
            approve=data["approve"],
            reason=data["reason"],
            customer_message=data["customer_message"],
            internal_note=data["internal_note"],
            actor=_actor(request),
        )

    return _decision_page(
        request,
        task=task,
        process=process,
        form_class=SecondApprovalForm,
        template="workflows/second_approval.html",
        decide=decide,
        saved=_("Second approval saved for %(reference)s."),
    )
