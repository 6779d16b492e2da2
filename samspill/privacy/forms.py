from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.privacy.models import RetentionRule


class RetentionRuleForm(forms.Form):
    category = forms.ChoiceField(choices=RetentionRule.Category.choices, widget=forms.HiddenInput)
    months = forms.IntegerField(label=_("Kept for (months)"), min_value=1, max_value=1200)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LegalHoldForm(forms.Form):
    """Place a hold: the participant by the number the record has in Samspill (an
    administrator reads no case records, so they are not picked from a list of names)."""

    participant = forms.IntegerField(
        label=_("Participant number"),
        min_value=1,
        help_text=_(
            "The number of the participant's record, as in its address: /participants/123/."
        ),
    )
    reason = forms.CharField(
        label=_("Why must the record be kept?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example a complaint, a court case or an inspection."),
    )


class LegalHoldLiftForm(forms.Form):
    reason = forms.CharField(label=_("Why is the hold lifted?"), max_length=300)
