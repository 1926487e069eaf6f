"""The error summary that heads every form of the customer area after a submit with errors (templates/portal/_form.html):
one role="alert" wrapper, a heading that counts the errors, a link to each field in error pointing at an input that
exists, the whole form's errors as text; focused by the static portal/forms.js (no inline script). That the focus
really lands on it, and each link on its field, is checked in Chromium (tests/browser/test_accessibility.py)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from portal.forms import HolderProofForm, PasswordForm
from tests.portal.test_form_partial import Elements


class WholeFormWrong(forms.Form):
    name = forms.CharField(label="Name")
    hidden = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Whole form wrong")


def _render(form) -> str:
    with translation.override("en"):
        return render_to_string("portal/_form.html", {"form": form})


def _summary(html: str) -> str:
    start = html.index("data-error-summary")
    return html[start : html.index("</div>", start)]


def test_an_untouched_form_has_no_summary():
    assert "data-error-summary" not in _render(PasswordForm())


def test_the_summary_counts_the_errors_and_links_each_to_its_field():
    form = HolderProofForm(data={})
    assert not form.is_valid()
    html = _render(form)
    summary = _summary(html)
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _text in links] == ["id_holder_id", "id_proof_0"]  # a radio group: its first option
    ids = Elements(html).ids()
    assert all(target in ids for target, _text in links)
    with translation.override("en"):
        assert links[0][1].replace("&#x27;", "'") == f"{form['holder_id'].label}: This field is required."
    assert "There are 2 errors" in summary
    elements = Elements(html)
    (wrapper,) = [attrs for tag, attrs in elements.tags if attrs.get("role") == "alert"]
    assert "data-error-summary" in wrapper and wrapper["tabindex"] == "-1"


def test_the_whole_forms_errors_are_in_the_summary_as_text_and_counted():
    form = WholeFormWrong(data={})
    assert not form.is_valid()
    summary = _summary(_render(form))
    assert "There are 3 errors" in summary  # the whole form's, the name's, the hidden field's
    assert "<li>Whole form wrong</li>" in summary
    assert re.findall(r'<a href="#([^"]+)"', summary) == ["id_name"]  # nothing links to a hidden input


def test_one_error_is_counted_in_the_singular():
    form = PasswordForm(data={"password1": "Llum-Verda!2026bosc", "password2": ""})
    assert not form.is_valid()
    assert "There is 1 error" in _summary(_render(form))


@pytest.mark.django_db
def test_every_page_loads_the_static_script_that_focuses_the_summary(client):
    html = client.post(reverse("portal:register"), {"holder_id": ""}).content.decode()
    assert "data-error-summary" in html
    assert re.search(r'<script src="[^"]*portal/forms\.js" defer></script>', html)
    assert "<script>" not in html  # CSP: script-src 'self', no inline script
