from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.core.forms import DateInput
from samspill.organisations.queries import staff_who_follow
from samspill.participants.models import Participant
from samspill.selfservice.forms import CVForm, StrengthsForm
from samspill.workshops.models import Workshop, WorkshopSession
from samspill.workshops.services import STRENGTH_FIELDS

__all__ = ["CVForm", "EnrolForm", "SessionForm", "WorkshopForm", "WorkshopStrengthsForm"]


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


class WorkshopForm(forms.ModelForm):
    """A workshop's name, facilitator, start and description; an edit carries the revision."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Workshop
        fields = ["name", "facilitator", "starts_on", "description"]
        widgets = {"starts_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An edit must say which revision it read, or a colleague's save would be overwritten.
        self.fields["revision"].required = bool(self.instance.pk)
        field: Any = self.fields["facilitator"]
        field.queryset = User.objects.filter(
            pk__in=staff_who_follow(organisation_id).values("user_id")
        ).order_by("full_name")
        field.label_from_instance = lambda user: user.full_name
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision

    def _post_clean(self) -> None:
        pass  # the service validates
