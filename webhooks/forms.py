"""The endpoint form of the customer area: parses what the person typed; ``services`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

import authority

from .models import SUBSCRIBABLE

EVERY_CUSTOMER = "all"


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("An https:// address of your software. We send each event there as a signed POST."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    customer = forms.ChoiceField(label=_("Companies"))
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, initial=[SUBSCRIBABLE[0][0]]
    )

    def __init__(self, data=None, *, authorities: dict[int, authority.Authority]):
        super().__init__(data)
        visible = sorted((a.grant.customer for a in authorities.values() if a.can_view), key=lambda c: c.name)
        self.fields["customer"].choices = [(EVERY_CUSTOMER, _("Every company you can see"))] + [
            (str(c.pk), f"{c.name} · {c.tax_id}") for c in visible
        ]

    @property
    def customer_id(self) -> int | None:
        value = self.cleaned_data["customer"]
        return None if value == EVERY_CUSTOMER else int(value)
