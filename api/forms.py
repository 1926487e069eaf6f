from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PersonalAccessToken
from .services import MAX_LIFETIME

DEFAULT_DAYS = 90


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What will use it, e.g. the name of your management software."),
        error_messages={"required": _("Give the token a name, e.g. the software that will use it.")},
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        widget=forms.RadioSelect,
        choices=[
            (PersonalAccessToken.Scope.READ, _("Read only: see companies, supplies, invoices and requests")),
            (PersonalAccessToken.Scope.WRITE, _("Read and write: also manage contacts and requests, as you can")),
        ],
        initial=PersonalAccessToken.Scope.READ,
        error_messages={"required": _("Choose read only, or read and write.")},
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most one year from today."),
        error_messages={"required": _("Choose until when it is valid."), "invalid": _("Enter a valid date.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + timedelta(days=DEFAULT_DAYS)
        self.fields["expires_on"].widget.attrs.update(
            min=(today + timedelta(days=1)).isoformat(), max=(today + MAX_LIFETIME).isoformat()
        )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if day > today + MAX_LIFETIME:
            raise forms.ValidationError(_("A token lives at most one year."))
        return day

    def expires_at(self) -> datetime:
        """The end of the chosen day (local time), within a year from now."""
        end = timezone.make_aware(datetime.combine(self.cleaned_data["expires_on"], time.max))
        return min(end, timezone.now() + MAX_LIFETIME)
