from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, RejectReason
from .services import DecisionError, validate_decision


class _Validated:
    """Bad input gets a 400 with the message on the form, before any lock is taken."""

    def _check(self, decision: str) -> None:
        data = self.cleaned_data
        try:
            validate_decision(decision, data.get("reason", ""), data.get("customer_message", ""))
        except DecisionError as exc:
            raise forms.ValidationError(exc.message) from None


class DecisionForm(_Validated, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Reason for the rejection"), choices=[("", "—")] + list(RejectReason.choices), required=False
    )
    customer_message = forms.CharField(
        label=_("Message for the customer"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    internal_note = forms.CharField(
        label=_("Internal note (staff only)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def clean(self):
        data = super().clean()
        if "decision" in data:
            self._check(data["decision"])
        return data


class SecondApprovalForm(_Validated, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Second approval"),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("yes", _("Approve")), ("no", _("Reject"))],
    )
    reason = forms.ChoiceField(
        label=_("Reason for the rejection"), choices=[("", "—")] + list(RejectReason.choices), required=False
    )
    customer_message = forms.CharField(
        label=_("Message for the customer"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
    internal_note = forms.CharField(
        label=_("Internal note (staff only)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def clean(self):
        data = super().clean()
        if data.get("approve") is False:
            self._check(Decision.REJECT)
        return data
