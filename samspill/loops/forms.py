"""Forms of the jobbLOOP pages. The services check the rules; forms only parse."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import RevisionMixin
from samspill.employers.models import Employer, EmployerContact
from samspill.loops import latin
from samspill.loops.models import Gathering, GatheringInvitation, Loop
from samspill.participants.forms import CounselorChoiceField
from samspill.participants.models import Participant

DATE = forms.DateInput(attrs={"type": "date"})


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.employer.name})"


class LoopCreateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    driver = CounselorChoiceField(
        queryset=None, label=_("Driver"), help_text=_("Recruits the employers.")
    )
    counselor = CounselorChoiceField(queryset=None, label=_("Coordinating counselor"))
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    period_months = forms.IntegerField(
        label=_("Months in each company"), min_value=1, max_value=12, initial=4
    )
    employers: forms.ModelMultipleChoiceField[Employer] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Employers"),
        help_text=_("Two to six; the order is the order of the columns."),
        widget=forms.CheckboxSelectMultiple,
    )
    mentors: forms.ModelMultipleChoiceField[EmployerContact] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Mentors"),
        help_text=_("One at each employer."),
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=99, initial=16)
    max_age = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=99, initial=30)

    def __init__(
        self,
        *args: Any,
        memberships: QuerySet[Any],
        employers: QuerySet[Employer],
        mentors: QuerySet[EmployerContact],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = memberships  # type: ignore[attr-defined]
        self.fields["counselor"].queryset = memberships  # type: ignore[attr-defined]
        self.fields["employers"].queryset = employers  # type: ignore[attr-defined]
        self.fields["mentors"].queryset = mentors  # type: ignore[attr-defined]
        self.fields["mentors"].label_from_instance = (  # type: ignore[attr-defined]
            lambda obj: f"{obj.name} ({obj.employer.name})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        employers = list(data.get("employers") or [])
        if employers and not latin.MIN_SIZE <= len(employers) <= latin.MAX_SIZE:
            self.add_error(
                "employers",
                _("A loop has %(min)s to %(max)s employers.")
                % {"min": latin.MIN_SIZE, "max": latin.MAX_SIZE},
            )
        chosen = {e.pk for e in employers}
        seen: set[int] = set()
        for mentor in data.get("mentors") or []:
            if mentor.employer_id not in chosen:
                self.add_error("mentors", _("Choose mentors at the loop's employers."))
                break
            if mentor.employer_id in seen:
                self.add_error("mentors", _("Choose one mentor at each employer."))
                break
            seen.add(mentor.employer_id)
        return data


class FillSeatForm(RevisionMixin, forms.Form):
    row = forms.TypedChoiceField(label=_("Seat"), coerce=int, choices=())
    participant: forms.ModelChoiceField[Participant] = forms.ModelChoiceField(
        queryset=None, label=_("From the waiting list")
    )

    def __init__(
        self, *args: Any, rows: list[tuple[int, str]], candidates: QuerySet[Participant], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["row"].choices = rows  # type: ignore[attr-defined]
        self.fields["participant"].queryset = candidates  # type: ignore[attr-defined]


class LeaveSeatForm(RevisionMixin, forms.Form):
    row = forms.TypedChoiceField(label=_("Seat"), coerce=int, choices=())
    reason = forms.CharField(label=_("Why the participant leaves"), max_length=300)

    def __init__(self, *args: Any, rows: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["row"].choices = rows  # type: ignore[attr-defined]


class ReplaceEmployerForm(RevisionMixin, forms.Form):
    old: forms.ModelChoiceField[Employer] = forms.ModelChoiceField(
        queryset=None, label=_("Employer leaving")
    )
    new: forms.ModelChoiceField[Employer] = forms.ModelChoiceField(
        queryset=None, label=_("New employer")
    )

    def __init__(
        self, *args: Any, current: QuerySet[Employer], employers: QuerySet[Employer], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["old"].queryset = current  # type: ignore[attr-defined]
        self.fields["new"].queryset = employers  # type: ignore[attr-defined]


class MentorForm(RevisionMixin, forms.Form):
    """Set one employer's mentor. The loop page shows one such form for each employer
    (`for_employer`), so the selector says whose mentor it sets."""

    mentor = MentorChoiceField(
        queryset=None,
        label=_("Mentor"),
        error_messages={
            "required": _("Choose a mentor."),
            "invalid_choice": _("Choose a mentor at one of the loop's employers."),
        },
    )
    # Which employer's form was sent, so a refusal shows in that form.
    employer = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, mentors: QuerySet[EmployerContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]

    def for_employer(self, employer: Employer, mentors: list[EmployerContact]) -> "MentorForm":
        """Show the form as `employer`'s: its label, its own mentors (already fetched: no
        query per employer) and element ids of its own."""
        field = self.fields["mentor"]
        field.label = _("Mentor at %(employer)s") % {"employer": employer.name}
        field.widget.choices = [("", _("Choose a mentor")), *((m.pk, m.name) for m in mentors)]
        self.auto_id = f"id_mentor{employer.pk}_%s"
        self.initial["employer"] = employer.pk
        return self


class GatheringForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Gathering.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    loop: forms.ModelChoiceField[Loop] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Loop"),
        help_text=_("Empty for a kick-off where loops are still being formed."),
    )

    def __init__(self, *args: Any, loops: QuerySet[Loop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loop"].queryset = loops  # type: ignore[attr-defined]


class InviteForm(forms.Form):
    participants: forms.ModelMultipleChoiceField[Participant] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Candidates"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the candidates listed."),
            "invalid_pk_value": _("Choose among the candidates listed."),
        },
    )
    contacts: forms.ModelMultipleChoiceField[EmployerContact] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Employers' contacts"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose among the contacts listed."),
            "invalid_pk_value": _("Choose among the contacts listed."),
        },
    )

    def __init__(
        self,
        *args: Any,
        participants: QuerySet[Participant],
        contacts: QuerySet[EmployerContact],
        proposed_by: dict[int, str] | None = None,
        labels: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants  # type: ignore[attr-defined]
        self.fields["contacts"].queryset = contacts  # type: ignore[attr-defined]
        # A candidate their counselor proposed says by whom (the organiser may not know them),
        # and is named only where the organiser may open them (`labels`, "Candidate N").
        proposers = proposed_by or {}
        names = labels or {}
        self.fields["participants"].label_from_instance = (  # type: ignore[attr-defined]
            lambda obj: (
                _("%(name)s (proposed by %(counselor)s)")
                % {"name": names.get(obj.pk, obj.full_name), "counselor": proposers[obj.pk]}
                if obj.pk in proposers
                else names.get(obj.pk, obj.full_name)
            )
        )
        self.fields["contacts"].label_from_instance = (  # type: ignore[attr-defined]
            lambda obj: f"{obj.name} ({obj.employer.name})"
        )


class ProposeForm(forms.Form):
    participants: forms.ModelMultipleChoiceField[Participant] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Your participants"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one of your participants to propose."),
            "invalid_choice": _("Choose among your participants listed."),
            "invalid_pk_value": _("Choose among your participants listed."),
        },
    )

    def __init__(self, *args: Any, participants: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = participants  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=GatheringInvitation.Attendance.choices
    )


class FormationForm(forms.Form):
    loops: forms.ModelMultipleChoiceField[Loop] = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Loops to seat candidates in"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one loop to seat the candidates in."),
            "invalid_choice": _(
                "A loop you chose has no free seats any more: choose among those listed."
            ),
            "invalid_pk_value": _("Choose the loops from the list."),
        },
    )

    def __init__(self, *args: Any, loops: QuerySet[Loop], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loops"].queryset = loops  # type: ignore[attr-defined]


class SwapForm(forms.Form):
    """Adjust a formation by hand: two candidates of one loop exchange rows."""

    seating = forms.CharField(widget=forms.HiddenInput)
    first = forms.CharField(label=_("Candidate"))
    second = forms.CharField(label=_("Exchange rows with"))


class AcceptForm(forms.Form):
    seating = forms.CharField(widget=forms.HiddenInput)
