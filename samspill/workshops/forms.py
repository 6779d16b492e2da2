from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput
from samspill.participants.models import Participant
from samspill.selfservice.forms import CVForm, StrengthsForm
from samspill.workshops.models import WorkshopSession
from samspill.workshops.services import STRENGTH_FIELDS

__all__ = ["CVForm", "EnrolForm", "SessionForm", "WorkshopStrengthsForm"]


class WorkshopStrengthsForm(StrengthsForm):
    """The participant's strengths profile as the workshop ends it (with the interests)."""

    class Meta(StrengthsForm.Meta):
        fields = list(STRENGTH_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in STRENGTH_FIELDS}


class SessionForm(forms.ModelForm):
    class Meta:
        model = WorkshopSession
        fields = ["date", "place", "topic"]
        widgets = {"date": DateInput()}


class EnrolForm(forms.Form):
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(), label=_("Participant")
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["participant"]
        field.queryset = choices
        field.label_from_instance = lambda obj: obj.full_name
