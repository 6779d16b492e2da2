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


class PresentForm(forms.Form):
    """The coordinator presents a proposed person to one employer contact."""

    contact = forms.IntegerField(label=_("Present to"), min_value=1)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ResponseForm(forms.Form):
    """The employer contact's answer to a presented candidate (in the portal)."""

    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Proposal.Response.MEET, _("We would like to meet the person")),
            (Proposal.Response.NOT_NOW, _("Not now")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why not now?"),
        help_text=_("Needed when you answer not now. Never write health details."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
