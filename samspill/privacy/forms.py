from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.privacy.models import RetentionRule


class RetentionRuleForm(forms.Form):
    category = forms.ChoiceField(choices=RetentionRule.Category.choices, widget=forms.HiddenInput)
    months = forms.IntegerField(label=_("Kept for (months)"), min_value=1, max_value=1200)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
