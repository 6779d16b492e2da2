from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.matching.models import Proposal

FAVOUR = [
    ("", _("Best match first")),
    ("waited_longest", _("Favour those who have waited longest")),
    ("fewest_chances", _("Favour those who have had fewest chances")),
]


class FavourForm(forms.Form):
    favour = forms.ChoiceField(label=_("Order"), choices=FAVOUR, required=False)


class DecisionForm(forms.Form):
    """What a person does with one suggestion; the reason is required when passing over."""

    action = forms.ChoiceField(
        choices=[("propose", "propose"), ("draft", "draft"), ("pass", "pass")]
    )
    other = forms.IntegerField(min_value=1)  # the participant (need page) or the need (person page)
    reason = forms.CharField(label=_("Why pass over?"), required=False, max_length=500)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What it led to"), choices=Proposal.Outcome.choices, required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
