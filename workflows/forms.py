from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Decision, RejectReason


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Reason for the rejection"), choices=[("", "—")] + list(RejectReason.choices), required=False)
    customer_message = forms.CharField(label=_("Message for the customer"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    internal_note = forms.CharField(label=_("Internal note (staff only)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class SecondApprovalForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Second approval"), coerce=lambda v: v == "yes", widget=forms.RadioSelect,
                                     choices=[("yes", _("Approve")), ("no", _("Reject"))])
    reason = forms.ChoiceField(label=_("Reason for the rejection"), choices=[("", "—")] + list(RejectReason.choices), required=False)
    customer_message = forms.CharField(label=_("Message for the customer"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    internal_note = forms.CharField(label=_("Internal note (staff only)"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
