"""Customer-area forms: they parse and validate input; services decide."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _
from stdnum.es import cif as es_cif

from accounts.identifiers import InvalidIdentifier, compact, parse_holder_id
from accounts.models import Firm, Grant, SupplyPoint
from accounts.parsing import (
    AMOUNT_MAX_LENGTH,
    MALFORMED_AMOUNT,
    MALFORMED_PERSONAL_ID,
    clean_amount,
    clean_personal_id,
    normalise_name,
)
from workflows.models import RepresentativeChangeProcess

REQUIRED = {"required": _("This field is required.")}
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


def personal_id_field(
    label=_("NIF, NIE or passport"), *, autocomplete: str = "username", max_length: int = 20, help_text=""
) -> forms.CharField:
    """A NIF, NIE or passport: the user's own login (``username``) unless told it is someone else's (``off``)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        error_messages=REQUIRED | {"max_length": MALFORMED_PERSONAL_ID},
        widget=forms.TextInput(
            attrs={"autocomplete": autocomplete, "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


def current_password_field(label) -> forms.CharField:
    """A password the person already has (to log in, or to confirm a change)."""
    return forms.CharField(
        label=label,
        max_length=128,
        strip=False,
        error_messages=REQUIRED,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PersonalIdMixin:
    def clean_id_number(self) -> str:
        return clean_personal_id(self.cleaned_data["id_number"], own=True)


class LoginForm(PersonalIdMixin, forms.Form):
    # Long enough for an e-mail address: typed here, it gets the notice that e-mails no longer log in.
    id_number = personal_id_field(max_length=254, help_text=_("Enter the NIF without dots or dashes. E.g.: 02356126X"))
    password = current_password_field(_("Password"))

    def clean_id_number(self) -> str:
        try:
            return super().clean_id_number()
        except forms.ValidationError as error:
            if error.code == "malformed":
                raise forms.ValidationError(MALFORMED_LOGIN_ID, code="malformed") from None
            raise


MALFORMED_LOGIN_ID = _("Incorrect NIF, NIE or passport format. Check the instructions before typing the password.")


class HolderProofForm(forms.Form):
    PROOF_CHOICES = [
        ("bank", _("Last 4 digits of the direct-debit bank account")),
        ("invoice", _("Total of one of the last three paid invoices")),
    ]
    holder_id = forms.CharField(label=_("Contract holder's NIF or CIF"), max_length=20, error_messages=REQUIRED)
    proof = forms.ChoiceField(
        label=_("How do you want to prove it?"),
        choices=PROOF_CHOICES,
        initial="bank",
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    bank_last4 = forms.CharField(
        label=_("Last 4 digits of the bank account"),
        required=False,
        max_length=4,
        error_messages={"max_length": _("Enter exactly 4 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    invoice_total = forms.CharField(
        label=_("Invoice total (euros)"),
        required=False,
        max_length=AMOUNT_MAX_LENGTH,
        error_messages={"max_length": MALFORMED_AMOUNT},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_holder_id(self) -> str:
        try:
            return parse_holder_id(self.cleaned_data["holder_id"]).value
        except InvalidIdentifier:
            raise forms.ValidationError(_("Incorrect NIF or CIF format"), code="malformed") from None

    def clean(self):
        data = super().clean()
        if data.get("proof") == "bank":
            digits = (data.get("bank_last4") or "").strip()
            if not digits:
                self.add_error("bank_last4", forms.ValidationError(_("This field is required."), code="required"))
            elif not re.fullmatch(r"[0-9]{4}", digits):
                self.add_error("bank_last4", forms.ValidationError(_("Enter exactly 4 digits."), code="invalid"))
            data["invoice_total"] = None
        elif data.get("proof") == "invoice":
            raw = (data.get("invoice_total") or "").strip()
            if not raw and "invoice_total" not in self.errors:  # an over-long total is already refused as malformed
                self.add_error("invoice_total", forms.ValidationError(_("This field is required."), code="required"))
            elif raw:
                try:
                    data["invoice_total"] = clean_amount(raw)
                except forms.ValidationError as error:
                    self.add_error("invoice_total", error)
            data["bank_last4"] = ""
        return data


class ContactDataForm(PersonalIdMixin, forms.Form):
    """The registering person's own details: the browser may fill them in (autocomplete tokens, WCAG 1.3.5)."""

    id_number = personal_id_field(_("Your NIF, NIE or passport"))
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages=REQUIRED | {"max_length": _("At most 200 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages=REQUIRED
        | {"invalid": _("Enter a valid e-mail address."), "max_length": _("At most 254 characters.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        error_messages=REQUIRED | {"max_length": _("Enter a valid phone number.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s.\-()]", "", self.cleaned_data["phone"])
        if not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a valid phone number."), code="invalid")
        return phone

    def clean_name(self) -> str:
        name = normalise_name(self.cleaned_data["name"])
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."), code="invalid")
        return name


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        error_messages=REQUIRED,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        max_length=128,
        strip=False,
        error_messages=REQUIRED,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user_attributes: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_attributes = user_attributes or {}

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", forms.ValidationError(_("The two passwords are different."), code="mismatch"))
        elif first:
            from accounts.models import User

            probe = User(
                username=self.user_attributes.get("username", ""),
                email=self.user_attributes.get("email", ""),
                first_name=self.user_attributes.get("name", ""),
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class InvitationForm(PersonalIdMixin, PasswordForm):
    """A login from an invitation: the person's own NIF (it must be the invited one) and a password. No name or
    e-mail: those are the store's, and only the person changes them, from their profile."""

    id_number = personal_id_field(_("Your NIF, NIE or passport"))
    field_order = ["id_number", "password1", "password2"]


class ForgotPasswordForm(PersonalIdMixin, forms.Form):
    id_number = personal_id_field()


class AddContactForm(PersonalIdMixin, forms.Form):
    """Someone else's details: no autofill with the user's own name or e-mail."""

    ROLE_CHOICES = [(Grant.Role.AUTHORISED_FULL, _("Full access")), (Grant.Role.AUTHORISED_READONLY, _("Read only"))]
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages=REQUIRED | {"max_length": _("At most 200 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages=REQUIRED
        | {"invalid": _("Enter a valid e-mail address."), "max_length": _("At most 254 characters.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    id_number = personal_id_field(autocomplete="off")
    role = forms.ChoiceField(
        label=_("Authorisation"),
        choices=ROLE_CHOICES,
        error_messages=REQUIRED | {"invalid_choice": _("Choose full access or read only.")},
    )

    clean_name = ContactDataForm.clean_name


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=AddContactForm.ROLE_CHOICES,
        error_messages=REQUIRED | {"invalid_choice": _("Choose full access or read only.")},
    )


# -- paperwork requests ---------------------------------------------------------------------

MALFORMED_CIF = _("The firm's CIF is not valid.")


def _clean_name(raw: str) -> str:
    name = normalise_name(raw)
    if len(name) < 3:
        raise forms.ValidationError(_("Write the full name."), code="invalid")
    return name


def _email_field(label, *, autocomplete: str = "off") -> forms.EmailField:
    """An e-mail field; ``autocomplete="email"`` only where the address is the user's own."""
    return forms.EmailField(
        label=label,
        max_length=254,
        error_messages=REQUIRED
        | {"invalid": _("Enter a valid e-mail address."), "max_length": _("At most 254 characters.")},
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete}),
    )


def _name_field(label) -> forms.CharField:
    """Someone else's name (a new representative, a manager, a firm): never filled in with the user's own."""
    return forms.CharField(
        label=label,
        max_length=200,
        error_messages=REQUIRED | {"max_length": _("At most 200 characters.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _id_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=20,
        error_messages=REQUIRED | {"max_length": MALFORMED_PERSONAL_ID},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}),
    )


class RepresentativeChangeForm(forms.Form):
    """A change of representative asked from the customer area; the service decides."""

    new_id_number = _id_field(_("New representative's NIF, NIE or passport"))
    new_name = _name_field(_("New representative's full name"))
    new_email = _email_field(_("New representative's e-mail"))
    outgoing = forms.ChoiceField(
        label=_("What happens to the outgoing representative?"),
        widget=forms.RadioSelect,
        choices=RepresentativeChangeProcess.Outgoing.choices,
        error_messages={
            "required": _("Choose what happens to the outgoing representative."),
            "invalid_choice": _("Choose what happens to the outgoing representative."),
        },
    )
    contact_email = _email_field(_("E-mail for news about this request"), autocomplete="email")

    def clean_new_id_number(self) -> str:
        return clean_personal_id(self.cleaned_data["new_id_number"])

    def clean_new_name(self) -> str:
        return _clean_name(self.cleaned_data["new_name"])


class SupplyPointChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, point) -> str:
        return f"{point.cups} · {point.address}, {point.postcode} {point.city}"


class ExternalManagerForm(forms.Form):
    """The registration of an external manager firm asked from the customer area; the service decides."""

    firm_cif = forms.CharField(
        label=_("Firm's CIF"),
        max_length=20,
        error_messages=REQUIRED | {"max_length": MALFORMED_CIF},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false", "autocomplete": "off"}),
    )
    firm_name = _name_field(_("Firm's name"))
    firm_kind = forms.ChoiceField(
        label=_("Kind of firm"),
        choices=Firm.Kind.choices,
        error_messages={"required": _("Choose the kind of firm."), "invalid_choice": _("Choose the kind of firm.")},
    )
    manager_id_number = _id_field(_("Manager's NIF, NIE or passport"))
    manager_name = _name_field(_("Manager's full name"))
    manager_email = _email_field(_("Manager's e-mail"))
    supply_points = SupplyPointChoices(
        label=_("Supply points the firm will manage"),
        queryset=SupplyPoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave them all unchecked to let the firm manage every supply point of the customer."),
        error_messages={
            "invalid_choice": _("A supply point does not belong to this customer."),
            "invalid_pk_value": _("A supply point does not belong to this customer."),
        },
    )
    contact_email = _email_field(_("E-mail for news about this request"), autocomplete="email")

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supply_points"].queryset = (
            SupplyPoint.objects.filter(contract__customer=customer).select_related("contract").order_by("cups")
        )

    def clean_firm_cif(self) -> str:
        value = compact(self.cleaned_data["firm_cif"])
        if not es_cif.is_valid(value):
            raise forms.ValidationError(MALFORMED_CIF, code="malformed")
        return value

    def clean_firm_name(self) -> str:
        return _clean_name(self.cleaned_data["firm_name"])

    def clean_manager_id_number(self) -> str:
        return clean_personal_id(self.cleaned_data["manager_id_number"])

    def clean_manager_name(self) -> str:
        return _clean_name(self.cleaned_data["manager_name"])


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Every file chosen in one ``<input type=file multiple>``, as a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list:
        chosen = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not chosen:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        cleaned = []
        for uploaded in chosen:
            cleaned.append(super().clean(uploaded, initial))
        return cleaned


class DocumentsUploadForm(forms.Form):
    """One or more files; whether each is an acceptable document is for ``documents`` to say."""

    files = MultipleFileField(
        label=_("Files to upload"),
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff"}),
        error_messages={
            "required": _("Choose at least one file to upload."),
            "missing": _("Choose at least one file to upload."),
            "invalid": _("Choose at least one file to upload."),
        },
    )


class ProfileForm(forms.Form):
    """The person's own name, phone and language. Their e-mail changes through ``EmailChangeForm`` (confirmed from the new address)."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    language = forms.ChoiceField(label=_("Language of our e-mails"), choices=settings.LANGUAGES)

    clean_name = ContactDataForm.clean_name

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s.\-()]", "", self.cleaned_data["phone"])
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a valid phone number."), code="invalid")
        return phone


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail"),
        max_length=254,
        error_messages=REQUIRED | {"invalid": _("Enter a valid e-mail address.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ObjectionForm(forms.Form):
    note = forms.CharField(
        label=_("Why do you object? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OwnPasswordForm(PasswordForm):
    """A new password from the profile: the current one first, then the new one twice."""

    current_password = current_password_field(_("Current password"))
    field_order = ["current_password", "password1", "password2"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user_attributes={"username": user.username, "email": user.email}, **kwargs)
        self.user = user
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("Repeat the new password")

    def clean_current_password(self) -> str:
        if not self.user.check_password(self.cleaned_data["current_password"]):
            raise forms.ValidationError(_("The current password is not correct."), code="wrong")
        return self.cleaned_data["current_password"]


class ResetPasswordForm(SetPasswordForm):
    """Django's new-password form, its confirmation help in the customer area's own (informal) words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].help_text = _("Type the same password again, to check it.")
