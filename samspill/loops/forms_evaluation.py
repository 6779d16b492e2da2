"""The forms of a loop's evaluation (evaluation.py): the questionnaire, worded for the
workplaces (employer contacts and mentors) or for the young people, and the driver's forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.loops.models import EvaluationAnswer
from samspill.participants.models import Outcome

SCALE_CHOICES = [
    (1, _("1 – not at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very much")),
]

# The statements and questions, per kind of respondent (seed 001: the workplaces' commitment and
# the support around them; the young people's sense that many want them to succeed).
WORKPLACE_LABELS = {
    "worked": _("The loop worked well for our workplace"),
    "supported": _("We got the support we needed from the driver and NAV"),
    "again": _("We want to take part in another loop"),
    "went_well": _("What worked well?"),
    "change": _("What should the next loop do differently?"),
}
YOUTH_LABELS = {
    "worked": _("My time in the loop was good for me"),
    "supported": _("I felt that many people wanted me to succeed"),
    "again": _("I would recommend the loop to others my age"),
    "went_well": _("What was best?"),
    "change": _("What should be done differently?"),
}


def labels_for(kind: str) -> dict[str, Any]:
    return YOUTH_LABELS if kind == EvaluationAnswer.Respondent.YOUTH else WORKPLACE_LABELS


def _scale() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect)


class EvaluationAnswerForm(forms.Form):
    worked = _scale()
    supported = _scale()
    again = _scale()
    went_well = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False
    )
    change = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=3000, required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in labels_for(kind).items():
            self.fields[name].label = label

    @classmethod
    def for_answer(cls, data: Any, *, kind: str, answer: EvaluationAnswer | None) -> Any:
        initial = {}
        if answer is not None:
            initial = {
                name: getattr(answer, name)
                for name in ("worked", "supported", "again", "went_well", "change", "revision")
            }
        return cls(data, kind=kind, initial=initial)


class EvaluationCloseForm(forms.Form):
    summary = forms.CharField(
        label=_("What we take into the next loop"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class EvaluationOutcomeForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(label=_("Where they went"), choices=Outcome.choices)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
