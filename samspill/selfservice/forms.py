from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.participants.models import Participant
from samspill.plans.models import Activity
from samspill.selfservice.models import CV, Feedback
from samspill.selfservice.services import PROPOSABLE_KINDS


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("What will you do?"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(kind.value, kind.label) for kind in PROPOSABLE_KINDS],
        initial=Activity.Kind.OWN_ACTIVITY,
    )
    due_date = forms.DateField(label=_("When?"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("More about it (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class PortalSettingsForm(forms.Form):
    hide_staff_names = forms.BooleanField(
        label=_("Hide staff names in the participant's access log"),
        required=False,
        help_text=_(
            "The participant still sees every read of their record, with the reader's role, "
            "organisation, date and reason; only the name is left out."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class StrengthsForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Participant
        fields = ["dreams", "who_i_am", "what_i_can", "want_to_learn"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class CVForm(forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = CV
        fields = ["summary", "experience", "education", "skills", "languages", "film_url"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("summary", "experience", "education", "skills")
        }


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = list(Feedback.QUESTIONS)
        widgets = dict.fromkeys(Feedback.QUESTIONS, forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in Feedback.QUESTIONS:
            # The five answers only: no blank "---------" radio to pick.
            self.fields[name].choices = Feedback.Answer.choices  # type: ignore[attr-defined]
