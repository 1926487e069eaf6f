"""The console's forms. They only parse what the agent typed; the services decide and give the messages."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Firm, Grant, SupplyPoint
from accounts.parsing import AMOUNT_MAX_LENGTH, MALFORMED_AMOUNT, clean_amount, clean_personal_id
from workflows.models import RepresentativeChangeProcess

from .models import Interaction
from .selectors import Caller

BLANK = [("", "—")]
UNKNOWN_CALLER = "unknown"


def _text(**attrs):
    return forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", **attrs})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "autocomplete": "off",
                "spellcheck": "false",
                "data-cc-search": "",
                "placeholder": _("NIF/NIE, CIF, CUPS, phone, e-mail, invoice, contract, reference or name"),
                "aria-describedby": "cc-search-help",
            }
        ),
    )


class VerifyForm(forms.Form):
    """Who is calling (one of the customer's known people, or someone unknown), the NIF/NIE they tell, the name of an
    unknown caller, and one proof: bank digits, or (without direct debit) an invoice total.

    ``caller`` is cleaned to the chosen Person, or None for an unknown caller.
    """

    caller = forms.ChoiceField(label=_("Who is calling"), widget=forms.RadioSelect)
    caller_id_number = forms.CharField(
        label=_("Caller's own NIF/NIE"),
        max_length=20,
        widget=_text(autocapitalize="characters"),
        help_text=_("As the caller tells it: it must be their own."),
    )
    caller_name = forms.CharField(
        label=_("Unknown caller's full name"),
        max_length=200,
        required=False,
        widget=_text(),
        help_text=_("Only for an unknown caller."),
    )
    bank_last4 = forms.CharField(
        label=_("Last 4 digits of the direct-debit account"),
        max_length=4,
        required=False,
        widget=_text(inputmode="numeric", pattern="[0-9]{4}", maxlength="4"),
    )
    invoice_total = forms.CharField(
        label=_("Total of one of the last three paid invoices (€)"),
        max_length=AMOUNT_MAX_LENGTH,
        required=False,
        error_messages={"max_length": MALFORMED_AMOUNT},
        widget=_text(inputmode="decimal"),
    )

    def __init__(self, *args, direct_debit: bool, people: list[Grant], **kwargs):
        super().__init__(*args, **kwargs)
        self.direct_debit = direct_debit
        # Names and roles only: the caller must tell their NIF/NIE, so the list never shows it.
        self.people = {str(grant.person_id): grant.person for grant in people}
        self.fields["caller"].choices = [
            (
                str(grant.person_id),
                " · ".join(
                    filter(None, [grant.person.name, grant.display_role, grant.firm.name if grant.firm else ""])
                ),
            )
            for grant in people
        ] + [(UNKNOWN_CALLER, _("Unknown caller (may only ask to become the representative)"))]
        # Only the proof that can match is asked for (proof_matches takes invoices only without direct debit).
        del self.fields["invoice_total" if direct_debit else "bank_last4"]

    @classmethod
    def for_call(cls, interaction: Interaction, *, direct_debit: bool, people: list[Grant]):
        """The blank form, or the last attempt's caller and NIF/NIE to correct."""
        chosen = {
            Interaction.CallerKind.KNOWN: str(interaction.caller_person_id),
            Interaction.CallerKind.UNKNOWN: UNKNOWN_CALLER,
        }
        return cls(
            direct_debit=direct_debit,
            people=people,
            initial={
                "caller": chosen.get(interaction.caller_kind, ""),
                "caller_id_number": interaction.caller_id_number,
                "caller_name": interaction.caller_name
                if interaction.caller_kind == Interaction.CallerKind.UNKNOWN
                else "",
            },
        )

    def clean_caller(self):
        value = self.cleaned_data["caller"]
        return None if value == UNKNOWN_CALLER else self.people[value]

    def clean(self):
        data = super().clean()
        if "caller" in data and data["caller"] is None and not data.get("caller_name", "").strip():
            self.add_error("caller_name", _("Type the full name of the unknown caller."))
        return data

    def clean_bank_last4(self):
        value = self.cleaned_data["bank_last4"].strip()
        if not re.fullmatch(r"\d{4}", value):
            raise forms.ValidationError(_("Type the 4 digits the caller reads out."))
        return value

    def clean_caller_id_number(self):
        return clean_personal_id(self.cleaned_data["caller_id_number"])

    def clean_invoice_total(self):
        return clean_amount(self.cleaned_data["invoice_total"])


def _language_field():
    return forms.ChoiceField(
        label=_("Language of the caller"),
        choices=settings.LANGUAGES,
        initial="ca",
        help_text=_("The e-mails with the upload link are written in this language."),
    )


def _contact_field():
    return forms.EmailField(
        label=_("Contact e-mail"),
        max_length=254,
        help_text=_("The caller gets the secure upload link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def _caller_initial(caller: Caller) -> dict:
    """Where the upload link goes and its language: a known caller's own, until the agent changes them."""
    person = caller.interaction.caller_person if caller.known else None
    return {"contact_email": person.email if person else "", "language": person.language if person else "ca"}


class RepresentativeChangeForm(forms.Form):
    """For an unknown caller the new representative is the caller: NIF/NIE and name are shown as verified, not typed,
    and the one e-mail they give is both the new representative's and where the upload link goes. The service
    refuses any other person (``services.start_representative_change``)."""

    prefix = "rc"

    new_id_number = forms.CharField(
        label=_("New representative's NIF/NIE"), max_length=20, widget=_text(autocapitalize="characters")
    )
    new_name = forms.CharField(label=_("New representative's full name"), max_length=200, widget=_text())
    new_email = forms.EmailField(
        label=_("New representative's e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    outgoing = forms.ChoiceField(
        label=_("The outgoing representative"),
        choices=RepresentativeChangeProcess.Outgoing.choices,
        initial=RepresentativeChangeProcess.Outgoing.AUTHORISED_FULL,
        widget=forms.RadioSelect,
    )
    contact_email = _contact_field()
    language = _language_field()

    def __init__(self, *args, caller: Caller, **kwargs):
        self.for_unknown_caller = caller.unknown
        interaction = caller.interaction
        initial = _caller_initial(caller) | (
            {"new_id_number": interaction.caller_id_number, "new_name": interaction.caller_name}
            if self.for_unknown_caller
            else {}
        )
        super().__init__(*args, initial=initial, **kwargs)
        if self.for_unknown_caller:
            for name in ("new_id_number", "new_name"):
                self.fields[name].widget.attrs["readonly"] = True
            del self.fields["new_email"]
            contact = self.fields["contact_email"]
            contact.label = _("Caller's e-mail")
            contact.help_text = _("The new representative's e-mail: the caller gets the secure upload link here.")

    def clean_new_id_number(self):
        return clean_personal_id(self.cleaned_data["new_id_number"])

    def clean(self):
        data = super().clean()
        if self.for_unknown_caller and "contact_email" in data:
            data["new_email"] = data["contact_email"]
        return data


class ExternalManagerForm(forms.Form):
    prefix = "em"

    firm_cif = forms.CharField(label=_("Firm's CIF"), max_length=12, widget=_text(autocapitalize="characters"))
    firm_name = forms.CharField(label=_("Firm's name"), max_length=200, widget=_text())
    firm_kind = forms.ChoiceField(label=_("Kind of firm"), choices=BLANK + list(Firm.Kind.choices))
    manager_id_number = forms.CharField(
        label=_("Manager's NIF/NIE"), max_length=20, widget=_text(autocapitalize="characters")
    )
    manager_name = forms.CharField(label=_("Manager's full name"), max_length=200, widget=_text())
    manager_email = forms.EmailField(
        label=_("Manager's e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    supply_points = forms.ModelMultipleChoiceField(
        label=_("Supply points"),
        queryset=SupplyPoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every supply point of the customer."),
    )
    contact_email = _contact_field()
    language = _language_field()

    def __init__(self, *args, caller: Caller, **kwargs):
        super().__init__(*args, initial=_caller_initial(caller), **kwargs)
        field = self.fields["supply_points"]
        field.queryset = SupplyPoint.objects.filter(contract__customer_id=caller.interaction.customer_id).order_by(
            "cups"
        )
        field.label_from_instance = lambda point: f"{point.cups} · {point.city}"

    def clean_manager_id_number(self):
        return clean_personal_id(self.cleaned_data["manager_id_number"])


class ResendLinkForm(forms.Form):
    reference = forms.CharField(max_length=12, widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("Send to"),
        max_length=254,
        required=False,
        help_text=_("Empty: the request's contact e-mail."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class ObjectionForm(forms.Form):
    reference = forms.CharField(max_length=12, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("What the representative says (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseCallForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason of the call"), choices=BLANK + list(Interaction.Reason.choices))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=BLANK + [c for c in Interaction.Outcome.choices if c[0] != Interaction.Outcome.OPEN]
    )
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_call(cls, interaction: Interaction, data=None):
        initial = {
            "reason": interaction.reason if interaction.reason != Interaction.Reason.OTHER else "",
            "outcome": interaction.outcome if interaction.outcome != Interaction.Outcome.OPEN else "",
        }
        if (
            not interaction.is_verified
            and interaction.verification != Interaction.Verification.NOT_ATTEMPTED
            and not initial["outcome"]
        ):
            initial["outcome"] = Interaction.Outcome.NOT_VERIFIED
        return cls(data, initial=initial)


class LogFilterForm(forms.Form):
    customer = forms.CharField(label=_("Customer (tax id or number)"), max_length=30, required=False, widget=_text())
    agent = forms.CharField(label=_("Agent (user name)"), max_length=150, required=False, widget=_text())
