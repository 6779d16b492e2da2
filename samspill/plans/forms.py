from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput, PastDateMixin
from samspill.plans.models import Activity, Goal, Note


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=Note.Kind.choices, initial=Note.Kind.CONVERSATION
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10000
    )
    next_follow_up_on = forms.DateField(
        label=_("Next follow-up"), widget=DateInput(), required=False
    )


class GoalForm(PastDateMixin, forms.Form):
    past_date_fields = ("target_date",)

    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    target_date = forms.DateField(label=_("Target date"), widget=DateInput(), required=False)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read with one plain SELECT. Django's own iterator reads them through a
    server-side cursor on PostgreSQL (DECLARE, FETCH, CLOSE: three round trips) to save
    memory on long lists; a participant's goals are few (issue 24, the plan page)."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = getattr(self.field, "rows", None)
        for obj in list(self.queryset) if rows is None else rows:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator
    # The choices' objects when the page has read them already (the plan's goals): the same
    # rows as the queryset, which still validates a choice.
    rows: list[Any] | None = None


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Activity"), max_length=200)
    due_date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    status = forms.ChoiceField(
        label=_("Status"), choices=Activity.Status.choices, initial=Activity.Status.PLANNED
    )
    goal = ListedModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(
        self, *args: Any, goals: Any, goal_rows: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        self.fields["goal"].rows = goal_rows  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    status = forms.CharField(max_length=20)
    revision = forms.IntegerField(min_value=1)  # as the page showed it (a lost-update guard)
