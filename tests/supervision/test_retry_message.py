"""Retrying a failed job (Viewflow's revive, labelled "Retry"): the pop-up names the step retried in the person's
language. Viewflow's pop-up keeps only its element's own text nodes (a link becomes its action button), so the
message must reach it as plain text, not "S'ha reintentat la tasca ." with the number cut out."""

from __future__ import annotations

import re

import pytest

from accounts.audit import Actor
from tests.workflows.paperwork import power_of_attorney, tasks_of, upload
from workflows import services as workflows

from .conftest import a_change_on_a_new_customer, html, logged_in
from .test_board import fail_precheck

pytestmark = pytest.mark.django_db

SNACKBAR = re.compile(r"<vf-snackbar[^>]*>(.*?)</vf-snackbar>", re.S)


@pytest.mark.parametrize(
    "language, sentence",
    [
        ("ca", "S'ha reintentat la tasca #{pk}."),
        ("es", "Se ha reintentado la tarea #{pk}."),
        ("en", "Task #{pk} has been retried."),
    ],
)
def test_the_retry_message_names_the_task_in_plain_text(supervisor, language, sentence):
    process = a_change_on_a_new_customer(10)
    upload(process, power_of_attorney(process.customer))
    workflows.submit_documents(process=process, actor=Actor.system("test"))
    fail_precheck(process)
    job = tasks_of(process, "precheck")[-1]
    client = logged_in(supervisor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.post(job.reverse("revive"))
    assert response.status_code == 302
    snackbars = SNACKBAR.findall(html(client.get(response["Location"], follow=True)))
    assert len(snackbars) == 1
    shown = snackbars[0].replace("&#x27;", "'").replace("&#39;", "'").strip()
    assert "<" not in shown and sentence.format(pk=job.pk) in shown
