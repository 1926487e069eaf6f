"""Customer-area forms: they parse and validate input; services decide."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import CompanyIdentifier, InvalidIdentifier, parse_holder_id, parse_personal_id
from accounts.models import Grant

MALFORMED_PERSONAL_ID = _("Format de NIF, NIE o passaport incorrecte")
CIF_NOT_ALLOWED = _("This is a company's CIF. Log in with the personal NIF, NIE or passport of the company's representative.")
REQUIRED = {"required": _("This field is required.")}
PHONE = re.compile(r"^\+?[0-9]{9,15}$")


def personal_id_field(label=_("NIF, NIE or passport")) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, error_messages=REQUIRED | {"max_length": MALFORMED_PERSONAL_ID},
                           widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters", "spellcheck": "false"}))


def clean_personal_id(raw: str) -> str:
    try:
        return parse_personal_id(raw).value
    except CompanyIdentifier:
        raise forms.ValidationError(CIF_NOT_ALLOWED, code="cif")
    except InvalidIdentifier:
        raise forms.ValidationError(MALFORMED_PERSONAL_ID, code="malformed")


class PersonalIdMixin:
    def clean_id_number(self) -> str:
        return clean_personal_id(self.cleaned_data["id_number"])


class LoginForm(PersonalIdMixin, forms.Form):
    id_number = personal_id_field()
    password = forms.CharField(label=_("Password"), max_length=128, strip=False, error_messages=REQUIRED,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class HolderProofForm(forms.Form):
    PROOF_CHOICES = [("bank", _("Last 4 digits of the direct-debit bank account")), ("invoice", _("Total of one of the last three paid invoices"))]
    holder_id = forms.CharField(label=_("Contract holder's NIF or CIF"), max_length=20, error_messages=REQUIRED)
    proof = forms.ChoiceField(label=_("How do you want to prove it?"), choices=PROOF_CHOICES, initial="bank", widget=forms.RadioSelect, error_messages=REQUIRED)
    bank_last4 = forms.CharField(label=_("Last 4 digits of the bank account"), required=False, max_length=4,
                                 error_messages={"max_length": _("Enter exactly 4 digits.")}, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    invoice_total = forms.CharField(label=_("Invoice total (euros)"), required=False, max_length=12, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))

    def clean_holder_id(self) -> str:
        try:
            return parse_holder_id(self.cleaned_data["holder_id"]).value
        except InvalidIdentifier:
            raise forms.ValidationError(_("Incorrect NIF or CIF format"), code="malformed")

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
            raw = (data.get("invoice_total") or "").strip().replace("€", "").replace(" ", "")
            if not raw:
                self.add_error("invoice_total", forms.ValidationError(_("This field is required."), code="required"))
            else:
                if "," in raw:
                    raw = raw.replace(".", "").replace(",", ".")
                try:
                    total = Decimal(raw).quantize(Decimal("0.01"))
                    if total <= 0:
                        raise InvalidOperation
                    data["invoice_total"] = total
                except InvalidOperation:
                    self.add_error("invoice_total", forms.ValidationError(_("Enter an amount such as 123,45."), code="invalid"))
            data["bank_last4"] = ""
        return data


class ContactDataForm(PersonalIdMixin, forms.Form):
    id_number = personal_id_field(_("Your NIF, NIE or passport"))
    name = forms.CharField(label=_("Full name"), max_length=200, error_messages=REQUIRED | {"max_length": _("At most 200 characters.")})
    email = forms.EmailField(label=_("E-mail"), max_length=254, error_messages=REQUIRED | {"invalid": _("Enter a valid e-mail address."), "max_length": _("At most 254 characters.")})
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, error_messages=REQUIRED | {"max_length": _("Enter a valid phone number.")})

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s.\-()]", "", self.cleaned_data["phone"])
        if not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a valid phone number."), code="invalid")
        return phone

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."), code="invalid")
        return name


class PasswordForm(forms.Form):
    password1 = forms.CharField(label=_("Password"), max_length=128, strip=False, error_messages=REQUIRED,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), help_text=password_validation.password_validators_help_text_html)
    password2 = forms.CharField(label=_("Repeat the password"), max_length=128, strip=False, error_messages=REQUIRED,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

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

            probe = User(username=self.user_attributes.get("username", ""), email=self.user_attributes.get("email", ""),
                         first_name=self.user_attributes.get("name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class InvitationForm(PasswordForm, ContactDataForm):
    """Registration from an invitation: no bank check, the invitation proves the link."""

    field_order = ["id_number", "name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["phone"]


class ForgotPasswordForm(PersonalIdMixin, forms.Form):
    id_number = personal_id_field()


class AddContactForm(PersonalIdMixin, forms.Form):
    ROLE_CHOICES = [(Grant.Role.AUTHORISED_FULL, _("Full access")), (Grant.Role.AUTHORISED_READONLY, _("Read only"))]
    name = forms.CharField(label=_("Full name"), max_length=200, error_messages=REQUIRED | {"max_length": _("At most 200 characters.")})
    email = forms.EmailField(label=_("E-mail"), max_length=254, error_messages=REQUIRED | {"invalid": _("Enter a valid e-mail address."), "max_length": _("At most 254 characters.")})
    id_number = personal_id_field()
    role = forms.ChoiceField(label=_("Authorisation"), choices=ROLE_CHOICES, error_messages=REQUIRED | {"invalid_choice": _("Choose full access or read only.")})

    clean_name = ContactDataForm.clean_name


class ChangeRoleForm(forms.Form):
    role = forms.ChoiceField(choices=AddContactForm.ROLE_CHOICES, error_messages=REQUIRED | {"invalid_choice": _("Choose full access or read only.")})
