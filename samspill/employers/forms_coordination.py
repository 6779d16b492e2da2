"""Forms for coordinator meetings and employer events: they convert types; the rules live in
services_coordination (STYLE.md 2)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput, RevisionMixin
from samspill.employers.models_coordination import (
    EmployerEvent,
    EventInvitation,
    MeetingAttendance,
    MeetingSeries,
)
from samspill.employers.services_coordination import EVENT_FIELDS, SERIES_FIELDS


class _ServiceValidated(forms.ModelForm):
    def _post_clean(self) -> None:
        pass  # validation happens once, in the service


class UserChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class SeriesForm(RevisionMixin, _ServiceValidated):
    members = UserChoices(
        queryset=None, label=_("Members"), widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = MeetingSeries
        fields = SERIES_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = staff  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))


class MeetingAddForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())


class MeetingRecordForm(RevisionMixin, forms.Form):
    """The minutes, and one attendance choice per member of the series."""

    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [("", "–"), *MeetingAttendance.Status.choices]
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=member.full_name or member.email, choices=choices, required=False
            )

    def attendance(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[f"member_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"member_{member.pk}")
        }


class ActionForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=300)
    responsible = UserChoice(queryset=None, label=_("Responsible"))
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    employer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Employer"), required=False
    )

    def __init__(self, *args: Any, members: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = members  # type: ignore[attr-defined]
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]


class EventForm(RevisionMixin, _ServiceValidated):
    class Meta:
        model = EmployerEvent
        fields = EVENT_FIELDS
        widgets = {
            "held_on": DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["held_on"].initial = timezone.localdate


class InviteForm(forms.Form):
    employers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Employers to invite"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employers"].queryset = employers  # type: ignore[attr-defined]


class InvitationForm(RevisionMixin, forms.Form):
    response = forms.ChoiceField(label=_("Answer"), choices=EventInvitation.Response.choices)
    attended = forms.NullBooleanField(label=_("Came"), required=False)
