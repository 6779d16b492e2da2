from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.core.forms import DateInput, RevisionMixin
from samspill.learning.models import PeerFeedback, SparringCase, SupervisionGroup
from samspill.participants.models import Participant

TEXT = {"rows": 3}


def _people(field: Any, queryset: Any) -> None:
    field.queryset = queryset
    field.label_from_instance = lambda user: user.full_name


class CaseTextForm(forms.Form):
    """The structured model of a case."""

    situation = forms.CharField(
        label=_("The situation"),
        help_text=_("What is going on? Leave out what the colleague does not need to know."),
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
    )
    tried = forms.CharField(
        label=_("What I have tried"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
    )
    belief_drop = forms.CharField(
        label=_("Where and why my belief dropped"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
    )
    next_steps = forms.CharField(
        label=_("What I think could come next"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
    )


class CaseEditForm(RevisionMixin, CaseTextForm):
    """The asker's edit of a case: carries the revision it was opened at."""


class CaseAskForm(CaseTextForm):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=SparringCase.Kind.choices,
        initial=SparringCase.Kind.CASE,
        widget=forms.RadioSelect,
    )
    audience = forms.ChoiceField(
        label=_("Whom do you ask?"),
        choices=SparringCase.Audience.choices,
        initial=SparringCase.Audience.COLLEAGUE,
        widget=forms.RadioSelect,
    )
    asked: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Colleague or platform mentor"),
        queryset=User.objects.none(),
        required=False,
    )
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Supervision group"), queryset=SupervisionGroup.objects.none(), required=False
    )
    participant: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Participant"),
        help_text=_(
            "Only colleagues who may read this participant's record see the name; the others "
            "see the case reference."
        ),
        queryset=Participant.objects.none(),
        required=False,
    )
    checkin = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["kind", "audience", "asked", "group", "participant"]

    def __init__(
        self, *args: Any, colleagues: Any, groups: Any, participants: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _people(self.fields["asked"], colleagues)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["participant"].queryset = participants  # type: ignore[attr-defined]
        self.fields["participant"].label_from_instance = lambda p: p.full_name  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class CloseForm(forms.Form):
    private_note = forms.CharField(
        label=_("Private note"),
        help_text=_("Only the two of you see it."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class FeedbackForm(forms.Form):
    observed: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Colleague you observed"), queryset=User.objects.none()
    )
    observed_on = forms.DateField(
        label=_("Observed on"), widget=DateInput(), initial=timezone.localdate
    )
    setting = forms.ChoiceField(label=_("What did you observe?"), choices=PeerFeedback.Setting)
    went_well = forms.CharField(
        label=_("What went well"), widget=forms.Textarea(attrs=TEXT), max_length=5000
    )
    to_try = forms.CharField(
        label=_("Something to try next time"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
    )
    question = forms.CharField(
        label=_("A question to think about"),
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self.fields["observed"], colleagues)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    facilitator: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Facilitator"), queryset=User.objects.none()
    )
    members: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    first_session_at = forms.DateTimeField(
        label=_("First session"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    every_weeks = forms.IntegerField(label=_("Meets every (weeks)"), initial=4)
    sessions = forms.IntegerField(label=_("Sessions to plan"), initial=6)
    place = forms.CharField(label=_("Place or video link"), max_length=300, required=False)

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _people(self.fields["facilitator"], colleagues)
        _people(self.fields["members"], colleagues)


class PlanForm(forms.Form):
    count = forms.IntegerField(label=_("Sessions to plan"), initial=4)
    place = forms.CharField(label=_("Place or video link"), max_length=300, required=False)


class NotesForm(RevisionMixin, forms.Form):
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
