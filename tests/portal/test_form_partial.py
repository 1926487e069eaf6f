"""The one form partial (templates/portal/_form.html): every aria-describedby names ids that exist, errors mark the
field invalid, groups of radios or checkboxes are a fieldset with a legend, errors of the whole form sit in one
role="alert" wrapper (never on a list), required fields are marked."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from portal.forms import ContactDataForm, HolderProofForm, LoginForm, PasswordForm


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), in document order."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if attrs.get("id")}

    def with_attr(self, name: str) -> list[tuple[str, dict]]:
        return [(tag, attrs) for tag, attrs in self.tags if name in attrs]


def _render(form) -> Elements:
    return Elements(render_to_string("portal/_form.html", {"form": form}))


def _assert_described_by_existing_ids(elements: Elements) -> int:
    ids, pointers = elements.ids(), 0
    for tag, attrs in elements.with_attr("aria-describedby"):
        for target in attrs["aria-describedby"].split():
            assert target in ids, f"<{tag}> describedby {target!r}, which is not on the page"
            pointers += 1
    return pointers


class WithForm(forms.Form):
    def clean(self):
        raise forms.ValidationError("Whole form wrong")


def test_errors_and_help_texts_are_tied_to_their_fields_by_ids_that_exist():
    form = PasswordForm(data={"password1": "short", "password2": ""})
    assert not form.is_valid()
    elements = _render(form)
    assert _assert_described_by_existing_ids(elements) == 3  # password1: help + error; password2: error
    inputs = {attrs["name"]: attrs for tag, attrs in elements.tags if tag == "input"}
    assert inputs["password1"]["aria-invalid"] == "true" and inputs["password2"]["aria-invalid"] == "true"
    assert inputs["password1"]["aria-describedby"].split() == ["id_password1_helptext", "id_password1_error"]
    assert inputs["password2"]["aria-describedby"] == "id_password2_error"


def test_an_untouched_form_points_only_at_help_texts():
    elements = _render(PasswordForm())
    assert _assert_described_by_existing_ids(elements) == 1
    assert not elements.with_attr("aria-invalid")


def test_a_radio_group_is_a_fieldset_with_a_legend_and_no_empty_label():
    html = render_to_string("portal/_form.html", {"form": HolderProofForm(data={})})
    elements = Elements(html)
    fieldsets = [attrs for tag, attrs in elements.tags if tag == "fieldset"]
    assert [attrs["id"] for attrs in fieldsets] == ["field-proof"]
    assert "<legend>" in html and 'for=""' not in html
    assert _assert_described_by_existing_ids(elements) >= 1  # the group's error, on the fieldset
    assert fieldsets[0]["aria-describedby"] == "id_proof_error"
    radios = [attrs for tag, attrs in elements.tags if tag == "input" and attrs.get("type") == "radio"]
    assert len(radios) >= 2 and all(attrs.get("aria-invalid") == "true" for attrs in radios)


def test_errors_of_the_whole_form_are_in_one_alert_wrapper_not_on_a_list():
    form = WithForm(data={})
    assert not form.is_valid()
    elements = _render(form)
    alerts = [(tag, attrs) for tag, attrs in elements.tags if attrs.get("role") == "alert"]
    assert [tag for tag, _ in alerts] == ["div"]
    assert not [tag for tag, attrs in elements.tags if tag in ("ul", "ol") and attrs.get("role")]


def test_required_fields_are_marked_and_optional_ones_are_not():
    html = render_to_string("portal/_form.html", {"form": LoginForm()})
    assert html.count('class="required-mark"') == 2
    elements = Elements(html)
    assert all("required" in attrs for tag, attrs in elements.tags if tag == "input" and attrs.get("type") != "hidden")


def test_own_details_carry_autocomplete_tokens():
    widgets = {name: field.widget.attrs.get("autocomplete") for name, field in ContactDataForm().fields.items()}
    assert widgets == {"id_number": "username", "name": "name", "email": "email", "phone": "tel"}
    assert {name: field.widget.attrs.get("autocomplete") for name, field in PasswordForm().fields.items()} == {
        "password1": "new-password",
        "password2": "new-password",
    }
    assert LoginForm().fields["password"].widget.attrs["autocomplete"] == "current-password"


@pytest.mark.django_db
def test_the_login_page_with_errors_points_only_at_ids_that_exist(client):
    response = client.post(reverse("portal:login"), {"id_number": "persona@example.com", "password": ""})
    elements = Elements(response.content.decode())
    assert _assert_described_by_existing_ids(elements) >= 2  # help and error of both fields
    assert [attrs["name"] for tag, attrs in elements.with_attr("aria-invalid")] == ["id_number", "password"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["portal:register", "portal:forgot_password"])
def test_no_label_points_at_nothing(client, url):
    elements = Elements(client.get(reverse(url)).content.decode())
    _assert_described_by_existing_ids(elements)
    labels = [attrs.get("for") for tag, attrs in elements.tags if tag == "label"]
    assert labels and all(target in elements.ids() for target in labels)


@pytest.mark.django_db
def test_the_frame_has_a_skip_link_landmarks_and_a_language_form_with_a_button(client):
    html = client.get(reverse("portal:login")).content.decode()
    elements = Elements(html)
    tags = [tag for tag, _ in elements.tags]
    assert {"header", "main", "footer"} <= set(tags)
    assert ("a", {"class": "skip-link", "href": "#content"}) in elements.tags
    assert ("main", {"id": "content", "tabindex": "-1"}) in elements.tags
    options = [attrs for tag, attrs in elements.tags if tag == "option" and attrs.get("value") in ("ca", "es", "en")]
    assert [attrs["lang"] for attrs in options] == ["ca", "es", "en"]
    language_form = html[html.index('action="/i18n/setlang/"') :]
    language_form = language_form[: language_form.index("</form>")]
    assert 'type="submit"' in language_form and "onchange" not in language_form
    assert f'href="{reverse("portal:accessibility")}"' in html[html.index("<footer") :]


def test_flash_messages_sit_in_a_status_region_and_errors_in_an_alert_region():
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    html = render_to_string(
        "base.html",
        {
            "messages": [Message(constants.SUCCESS, "Saved"), Message(constants.ERROR, "Refused")],
            "DEFAULT_MESSAGE_LEVELS": constants.DEFAULT_LEVELS,
        },
    )
    status = html[html.index('<div role="status">') :]
    alert = html[html.index('<div role="alert">') :]
    assert "Saved" in status[: status.index("</div>")] and "Refused" not in status[: status.index("</div>")]
    assert "Refused" in alert[: alert.index("</div>")] and "Saved" not in alert[: alert.index("</div>")]


@pytest.mark.django_db
def test_the_accessibility_statement_is_open_to_everyone_and_names_the_standard(client):
    response = client.get(reverse("portal:accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-standard="WCAG 2.1 AA"' in html
    assert "7 de desembre de 2026" in html  # the review date, in the page's language (Catalan by default)
