"""The supervisors' forms. They only parse what was typed; ``accounts.services`` decides and gives the messages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, Person
from accounts.name_search import normalised_name
from accounts.parsing import clean_personal_id

# What the audit log keeps of a reason.
REASON_MAX_LENGTH = AuditEvent._meta.get_field("reason").max_length


class PersonSearchForm(forms.Form):
    """One box: a NIF, NIE or passport number (``kind`` "id_number", normalised) or a name ("name", at least three
    letters, as the console's name search takes it)."""

    id_number = forms.CharField(
        label=_("Name, NIF, NIE or passport"),
        max_length=100,  # a full name, or an id number
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )

    kind = ""

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"]
        try:
            value = clean_personal_id(raw)
        except ValidationError:
            name = normalised_name(raw)
            if any(character.isdigit() for character in raw):  # an id number mistyped, not a name
                raise
            if not name:
                raise ValidationError(
                    _("Type at least three letters of the name, or the exact NIF, NIE or passport number."),
                    code="too_short",
                ) from None
            self.kind = "name"
            return name
        self.kind = "id_number"
        return value


class IdentityCorrectionForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=Person._meta.get_field("name").max_length)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=Person._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=Person._meta.get_field("phone").max_length,
        required=False,
        validators=[RegexValidator(r"^\+?[0-9 ]+$", _("Type the phone with digits only (a leading + is fine)."))],
    )
    reason = forms.CharField(
        label=_("Why you are changing this person's data"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log, e.g. which document or call proved the change."),
    )
    identity_checked = forms.BooleanField(
        label=_("I have confirmed who this person is and that the e-mail is theirs"),
        required=False,
        help_text=_("Ticked, the e-mail counts as confirmed and the identity as confirmed by staff."),
    )

    @classmethod
    def for_person(cls, person: Person, data=None) -> IdentityCorrectionForm:
        return cls(data, initial={"name": person.name, "email": person.email, "phone": person.phone})


class ReassignForm(forms.Form):
    """Which open verification goes to whom; the choices are the board's (``supervision.selectors``)."""

    task = forms.TypedChoiceField(label=_("Verification"), coerce=int)
    to = forms.TypedChoiceField(label=_("Give it to"), coerce=int)
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Kept in the audit log."),
    )

    def __init__(self, data=None, *, verifications=(), verifiers=()):
        super().__init__(data, prefix="reassign")
        self.fields["task"].choices = [
            (
                row.task.pk,
                f"{row.process.reference} · {row.process.customer.name}"
                + (f" · {row.task.owner.get_full_name() or row.task.owner.get_username()}" if row.task.owner else ""),
            )
            for row in verifications
        ]
        self.fields["to"].choices = [(user.pk, user.get_full_name() or user.get_username()) for user in verifiers]


class SensitiveForm(forms.Form):
    SET, CLEAR = "set", "clear"

    reference = forms.CharField(
        label=_("Request reference"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    change = forms.ChoiceField(
        label=_("Sensitive customer"),
        choices=[(SET, _("Flag the customer as sensitive")), (CLEAR, _("Clear the flag"))],
        widget=forms.RadioSelect,
        initial=SET,
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Kept in the audit log."),
    )

    def __init__(self, data=None):
        super().__init__(data, prefix="sensitive")

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()
