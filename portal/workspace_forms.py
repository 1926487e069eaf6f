"""Forms of the firm's workspace: the Gestions filters and the collaborator batch."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Grant, Person
from accounts.parsing import clean_personal_id, normalise_name
from workflows.models import Milestone

from .forms import REQUIRED, personal_id_field
from .selectors import REQUEST_KINDS, RequestFilters

NEW_COLLABORATOR = "new"


class RequestFilterForm(forms.Form):
    """The Gestions filters, from the query string. A bad value gets its error and is left out."""

    customer = forms.TypedChoiceField(label=_("Company"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, companies: list):
        super().__init__(data)
        self.fields["customer"].choices = [("", _("All companies"))] + [
            (c.pk, f"{c.name} · {c.tax_id}") for c in companies
        ]
        self.fields["status"].choices = [("", _("Any status")), *Milestone.Kind.choices]
        self.fields["kind"].choices = [("", _("Any type"))] + [
            (kind, model._meta.verbose_name) for kind, model in REQUEST_KINDS.items()
        ]

    def filters(self) -> RequestFilters:
        self.is_valid()
        good = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return RequestFilters(
            customer_id=good.get("customer"),
            status=good.get("status") or "",
            kind=good.get("kind") or "",
            sort=good.get("sort") or RequestFilters.sort,
        )


class CollaboratorBatchForm(forms.Form):
    """Which companies, which collaborator, add or remove. The companies offered are those the manager may manage
    collaborators on; the service asks ``authority`` again for each one when the batch is applied."""

    ACTIONS = [("add", _("Add the collaborator")), ("remove", _("Remove the collaborator"))]
    ROLE_CHOICES = [(Grant.Role.AUTHORISED_FULL, _("Full access")), (Grant.Role.AUTHORISED_READONLY, _("Read only"))]

    customers = forms.TypedMultipleChoiceField(
        label=_("Companies"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("You cannot manage collaborators on one of the companies chosen.")},
    )
    all_matching = forms.BooleanField(label=_("Every company matching the search"), required=False)
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label=_("What to do"),
        choices=ACTIONS,
        initial="add",
        widget=forms.RadioSelect,
        error_messages=REQUIRED | {"invalid_choice": _("Choose whether to add or remove.")},
    )
    collaborator = forms.ChoiceField(
        label=_("Collaborator"),
        error_messages=REQUIRED | {"invalid_choice": _("Choose one of your collaborators, or a new one.")},
    )
    id_number = personal_id_field(_("New collaborator's NIF, NIE or passport"), autocomplete="off")
    name = forms.CharField(
        label=_("Full name"), max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Enter a valid e-mail address."), "max_length": _("At most 254 characters.")},
    )
    role = forms.ChoiceField(
        label=_("Access"),
        choices=ROLE_CHOICES,
        initial=Grant.Role.AUTHORISED_READONLY,
        required=False,
        error_messages={"invalid_choice": _("Choose full access or read only.")},
    )

    def __init__(self, data=None, *, companies: list, collaborators: list[Person], matching: list | None = None):
        super().__init__(data)
        self.companies = {c.pk: c for c in companies}
        self.collaborators = {str(p.pk): p for p in collaborators}
        self.matching = matching or []
        self.fields["customers"].choices = [(c.pk, f"{c.name} · {c.tax_id}") for c in companies]
        self.fields["collaborator"].choices = (
            [("", _("Choose…"))]
            + [(str(p.pk), f"{p.name} · {p.id_number}") for p in collaborators]
            + [(NEW_COLLABORATOR, _("A new collaborator"))]
        )
        self.fields["id_number"].required = False

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number") or ""
        return clean_personal_id(raw) if raw else ""

    def clean_name(self) -> str:
        return normalise_name(self.cleaned_data.get("name") or "")

    def clean(self):
        data = super().clean()
        chosen = [pk for pk in data.get("customers") or [] if pk in self.companies]
        if data.get("all_matching"):
            chosen = sorted({*chosen, *(c.pk for c in self.matching)})
        data["customer_ids"] = chosen
        if not chosen and "customers" not in self.errors:
            self.add_error("customers", _("Choose at least one company."))
        if data.get("collaborator") == NEW_COLLABORATOR:
            if not data.get("id_number") and "id_number" not in self.errors:
                self.add_error("id_number", _("This field is required."))
            if data.get("action") == "add":
                for name in ("name", "email"):
                    if not data.get(name) and name not in self.errors:
                        self.add_error(name, _("This field is required."))
        if data.get("action") == "add" and not data.get("role") and "role" not in self.errors:
            self.add_error("role", _("Choose full access or read only."))
        return data

    @property
    def person_fields(self) -> list:
        """The fields about who and what, in the order the page shows them (the companies are a table)."""
        return [self[name] for name in ("action", "collaborator", "id_number", "name", "email", "role")]

    @property
    def selected(self) -> list[str]:
        """The companies ticked in the data sent, as the checkboxes' values."""
        return self.data.getlist("customers") if hasattr(self.data, "getlist") else []

    @property
    def person(self) -> Person | None:
        """The existing collaborator chosen (None for a new one)."""
        return self.collaborators.get(self.cleaned_data.get("collaborator") or "")

    @property
    def collaborator_id_number(self) -> str:
        person = self.person
        return person.id_number if person else self.cleaned_data.get("id_number", "")

    @property
    def collaborator_label(self) -> str:
        person = self.person
        return person.name if person else f"{self.cleaned_data.get('name') or ''} ({self.cleaned_data['id_number']})"

    @property
    def chosen_companies(self) -> list:
        return sorted((self.companies[pk] for pk in self.cleaned_data["customer_ids"]), key=lambda c: c.name)
