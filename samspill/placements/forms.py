"""Forms convert types; the rules live in `rules.py` and the services (STYLE.md 2)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput
from samspill.employers.models import EmployerContact
from samspill.placements import rules
from samspill.placements.models import (
    Certificate,
    Challenge,
    Evaluation,
    ExpectationMeeting,
    FollowUp,
    GoalCategory,
    Party,
    Placement,
)

TEXTAREA = {"rows": 3}


def mentors_at(employer_id: int) -> Any:
    return EmployerContact.objects.filter(
        employer_id=employer_id, is_mentor=True, is_active=True
    ).order_by("name")


REASONS = ("start_reason", "extension_reason")


def limit_kinds(form: forms.BaseForm, country: str) -> None:
    """Offer only the kinds of placement used in the organisation's country (`rules.kinds_for`).
    A kind the placement already has stays in the list, so an old agreement still shows what
    it is; the service refuses a kind the country does not use."""
    field: Any = form.fields.get("kind")
    if field is None:
        return
    choices = rules.kinds_for(country)
    current = form.initial.get("kind") or getattr(getattr(form, "instance", None), "kind", "")
    if current and current not in dict(choices) and current in Placement.Kind.values:
        choices.append((current, str(Placement.Kind(current).label)))
    field.choices = [("", "---------"), *choices]


class ReasonsWhenNeeded:
    """The back-dating and over-length explanations show only when they apply: when the dates
    call for one (the rules of the kind say so), when one is written, or when one is missing
    (the service's error brings the field back, with the user's input). Everywhere a form is
    drawn field by field (`{% for field in form %}`) the others are simply left out."""

    def __iter__(self) -> Iterator[BoundField]:
        needed = self._reasons_needed()
        for bound in super().__iter__():  # type: ignore[misc]
            if bound.name not in REASONS or bound.name in needed:
                yield bound

    def _reasons_needed(self) -> set[str]:
        form: Any = self
        present = [name for name in REASONS if name in form.fields]
        needed = {name for name in present if form.is_bound and form.errors.get(name)}
        for name in present:
            value = form[name].value()
            if value or getattr(form.instance, name, ""):
                needed.add(name)
        values = getattr(form, "cleaned_data", {})

        def current(name: str) -> Any:
            return values.get(name) if name in values else getattr(form.instance, name, None)

        kind, start, end = current("kind"), current("start_date"), current("end_date")
        if kind in rules.RULES and start is not None:
            try:
                rules.check(kind=kind, start_date=start, end_date=end, today=timezone.localdate())
            except ValidationError as error:
                needed |= set(error.message_dict) & set(present)
        return needed


class PlacementStartForm(ReasonsWhenNeeded, forms.ModelForm):
    """Start a placement: the kind, the job and the dates. The rest of the agreement follows in
    steps. On the employer page the participant is chosen; on the chain it is given."""

    participant: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("Participant")
    )

    class Meta:
        model = Placement
        fields = [
            "participant",
            "mentor",
            "kind",
            "title",
            "tasks",
            "start_date",
            "end_date",
            "start_reason",
            "extension_reason",
            "wage_subsidy_percent",
            "follow_up_unlimited",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "tasks": forms.Textarea(attrs=TEXTAREA),
            "start_reason": forms.Textarea(attrs={"rows": 2}),
            "extension_reason": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "follow_up_unlimited": _(
                "For an ordinary job: follow-up continues until you end it, instead of three "
                "months."
            ),
        }

    def __init__(
        self,
        *args: Any,
        participants: Any = None,
        mentors: Any,
        country: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if country is not None:
            limit_kinds(self, country)
        if participants is None:
            del self.fields["participant"]
        else:
            field = self.fields["participant"]
            field.queryset = participants  # type: ignore[attr-defined]
            field.label_from_instance = lambda p: p.full_name  # type: ignore[attr-defined]
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # Validation happens once, in the service; the form only converts types.
        pass


class RevisionForm(forms.ModelForm):
    """A form on the agreement: carries the revision it was opened at (optimistic lock)."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["revision"] = self.instance.revision
        if "kind" in self.fields:
            limit_kinds(self, self.instance.participant.organisation.country)

    def _post_clean(self) -> None:
        pass

    def changes(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "revision"}


class GoalsForm(RevisionForm):
    """One tick box and one text per goal category."""

    class Meta:
        model = Placement
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = {goal["category"]: goal["text"] for goal in self.instance.goals}
        for category, label in GoalCategory.choices:
            self.fields[f"goal_{category}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"goal_{category}_text"] = forms.CharField(
                label=_("About this goal"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if not self.is_bound and category in chosen:
                self.initial[f"goal_{category}"] = True
                self.initial[f"goal_{category}_text"] = chosen[category]

    def changes(self) -> dict[str, Any]:
        goals = [
            {"category": category, "text": self.cleaned_data[f"goal_{category}_text"]}
            for category in GoalCategory.values
            if self.cleaned_data[f"goal_{category}"]
            or self.cleaned_data[f"goal_{category}_text"].strip()
        ]
        return {"goals": goals}


def _step_form(fields: list[str], textareas: tuple[str, ...] = ()) -> type[RevisionForm]:
    widgets: dict[str, Any] = {name: forms.Textarea(attrs=TEXTAREA) for name in textareas}
    widgets.update({"start_date": DateInput(), "end_date": DateInput()})
    meta = type("Meta", (), {"model": Placement, "fields": fields, "widgets": widgets})
    bases = (ReasonsWhenNeeded, RevisionForm) if set(REASONS) & set(fields) else (RevisionForm,)
    return type("StepForm", bases, {"Meta": meta})


class MentorStepForm(RevisionForm):
    class Meta:
        model = Placement
        fields = ["mentor"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors_at(  # type: ignore[attr-defined]
            self.instance.employer_id
        )
        self.fields["mentor"].required = True


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    form: type[RevisionForm]


STEPS = (
    Step("parties", _("Parties and mentor"), MentorStepForm),
    Step("goals", _("Goals"), GoalsForm),
    Step(
        "job",
        _("The job"),
        _step_form(["title", "tasks", "hours_per_week", "work_days", "work_place"], ("tasks",)),
    ),
    Step(
        "duration",
        _("Duration"),
        _step_form(
            [
                "kind",
                "start_date",
                "end_date",
                "start_reason",
                "extension_reason",
                "wage_subsidy_percent",
            ],
            ("start_reason", "extension_reason"),
        ),
    ),
    Step(
        "expectations",
        _("Expectations"),
        _step_form(
            ["employer_expects", "participant_expects", "we_offer"],
            ("employer_expects", "participant_expects", "we_offer"),
        ),
    ),
    Step(
        "safety",
        _("Accommodations and if something happens"),
        _step_form(
            ["accommodations", "if_something_happens", "call_whom"],
            ("accommodations", "if_something_happens"),
        ),
    ),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}

CHANGE_FIELDS = [
    "end_date",
    "extension_reason",
    "title",
    "tasks",
    "hours_per_week",
    "work_days",
    "work_place",
    "wage_subsidy_percent",
    "employer_expects",
    "participant_expects",
    "we_offer",
    "accommodations",
    "if_something_happens",
    "call_whom",
]


class ChangeForm(ReasonsWhenNeeded, RevisionForm):
    """Change an approved agreement: a new numbered version, with the reason."""

    reason = forms.CharField(
        label=_("Why the agreement changes"), widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Placement
        fields = CHANGE_FIELDS
        widgets = {
            "end_date": DateInput(),
            **{
                name: forms.Textarea(attrs=TEXTAREA)
                for name in (
                    "tasks",
                    "extension_reason",
                    "employer_expects",
                    "participant_expects",
                    "we_offer",
                    "accommodations",
                    "if_something_happens",
                )
            },
        }

    def changes(self) -> dict[str, Any]:
        changes = super().changes()
        changes.pop("reason")
        return changes


class MeetingForm(forms.ModelForm):
    class Meta:
        model = ExpectationMeeting
        fields = [
            "held_on",
            "participant_present",
            "mentor_present",
            "employer_present",
            "counselor_present",
            "others_present",
            "notes",
        ]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs=TEXTAREA)}

    def _post_clean(self) -> None:
        pass


class ApproveForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.ChoiceField(widget=forms.HiddenInput, choices=Party.choices)
    on_behalf_reason = forms.CharField(
        label=_("Why you approve on the participant's behalf"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _challenges_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Challenges"),
        choices=Challenge.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mental health is seen by staff only, never in the employer portal."),
    )


class FollowUpForm(forms.ModelForm):
    challenges = _challenges_field()

    class Meta:
        model = FollowUp
        fields = [
            "held_on",
            "participant_present",
            "mentor_present",
            "employer_present",
            "counselor_present",
            "going",
            "notes",
            "next_steps",
        ]
        widgets = {
            "held_on": DateInput(),
            "going": forms.RadioSelect,
            "notes": forms.Textarea(attrs=TEXTAREA),
            "next_steps": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        self.fields["going"].required = True

    def _post_clean(self) -> None:
        pass


class EvaluationForm(forms.ModelForm):
    challenges = _challenges_field()

    class Meta:
        model = Evaluation
        fields = [
            "held_on",
            "tasks_mastered",
            "attendance",
            "cooperation",
            "what_worked",
            "what_was_hard",
            "next_step",
            "functions_socially",
            "feels_recognised",
            "enjoys_work",
            "with_mentor",
            "with_participant",
        ]
        widgets = {
            "held_on": DateInput(),
            "tasks_mastered": forms.Textarea(attrs=TEXTAREA),
            "what_worked": forms.Textarea(attrs=TEXTAREA),
            "what_was_hard": forms.Textarea(attrs=TEXTAREA),
            "next_step": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("challenges", self.instance.challenges)

    def _post_clean(self) -> None:
        pass


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["language", "tasks", "assessment"]
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 5}),
            "assessment": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "assessment": _("A short assessment, from the final evaluation."),
        }

    def _post_clean(self) -> None:
        pass


class CertificateReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Placement.CancelReason.choices)
    note = forms.CharField(
        label=_("About the cancellation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Last day"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Placement.Outcome.choices, widget=forms.RadioSelect
    )
