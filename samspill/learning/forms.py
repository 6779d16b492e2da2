from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.core.forms import DateInput, RevisionMixin
from samspill.learning.models import LearningGoal, Method, Network, PracticePlace


class MethodForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    research_source = forms.CharField(label=_("Research source"), max_length=300, required=False)
    research_finding = forms.CharField(
        label=_("Research finding"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    effect_size = forms.CharField(
        label=_("Effect size"),
        max_length=100,
        required=False,
        help_text=_("For example “+32 % into work” or “−22 % per counselor change”."),
    )
    steps = forms.CharField(
        label=_("Steps"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    when_to_use = forms.CharField(
        label=_("When to use"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    practice_places = forms.MultipleChoiceField(
        label=_("Practised in Samspill"),
        choices=PracticePlace.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class MethodEditForm(RevisionMixin, MethodForm):
    """The draft's form: carries the draft's revision so a colleague's save is not lost."""


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed in this version"), max_length=300, required=False
    )


class ShareForm(forms.Form):
    network = forms.ModelChoiceField(
        label=_("Share with network"),
        queryset=Network.objects.none(),
        required=False,
        empty_label=_("Not shared"),
    )

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks  # type: ignore[attr-defined]


class MethodFileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class NetworkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class JoinForm(forms.Form):
    join_code = forms.CharField(label=_("Join code"), max_length=32)


class MentorForm(forms.Form):
    user: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Staff member"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates  # type: ignore[attr-defined]


class GoalForm(RevisionMixin, forms.ModelForm):
    methods = forms.ModelMultipleChoiceField(
        label=_("Methods"),
        queryset=Method.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LearningGoal
        fields = ["goal", "why", "methods", "practice", "target_date", "next_review_on"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 2}),
            "practice": forms.Textarea(attrs={"rows": 2}),
            "target_date": DateInput(),
            "next_review_on": DateInput(),
        }

    def __init__(self, *args: Any, methods: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methods"].queryset = methods  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"), choices=LearningGoal.Status.choices, initial=self.instance.status
            )


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Agreed next steps"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DateInput())
