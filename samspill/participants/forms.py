from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput, PastDateMixin, RevisionMixin
from samspill.organisations.models import Membership
from samspill.participants.models import (
    ConsentRecord,
    CounselorAssignment,
    Outcome,
    Participant,
)
from samspill.participants.services import PROFILE_FIELDS


class ParticipantForm(PastDateMixin, RevisionMixin, forms.ModelForm):
    """The participant's profile. Rules (identity number, phone, uniqueness) live in the
    service; a next follow-up in the past is confirmed with a tick."""

    past_date_fields = ("next_follow_up_on",)

    # A conflict message names these but never quotes a colleague's value (special categories).
    private_fields = frozenset({"national_id", "birth_date", "need_group"})

    # People write the number with a space or a dash ("170590 12345"); the service stores the
    # digits only, so the form must not refuse the written form for being longer than 11.
    national_id = Participant._meta.get_field("national_id").formfield(
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Participant
        fields = PROFILE_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "next_follow_up_on": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "dreams": forms.Textarea(attrs={"rows": 3}),
            "who_i_am": forms.Textarea(attrs={"rows": 3}),
            "what_i_can": forms.Textarea(attrs={"rows": 3}),
            "want_to_learn": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 3}),
            "shareable_accommodations": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"birth_date": _("Filled in from the identity number when one is given.")}

    def _post_clean(self) -> None:
        # Validation happens once, in the service (STYLE.md 2); the form only converts types.
        pass


class CounselorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f" ({obj.team})" if obj.team_id else ""
        return f"{obj.user.full_name}{team}"


class ParticipantCreateForm(ParticipantForm):
    counselor = CounselorChoiceField(queryset=Membership.objects.none(), label=_("Counselor"))
    start_date = forms.DateField(
        label=_("Follow-up starts"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = memberships  # type: ignore[attr-defined]


class ConsentForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("May be shared with"), choices=ConsentRecord.Recipient.choices
    )
    information = forms.ChoiceField(
        label=_("Information"), choices=ConsentRecord.Information.choices
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class CounselorChangeForm(forms.Form):
    counselor = CounselorChoiceField(queryset=Membership.objects.none(), label=_("New counselor"))
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            ("", "—"),
            *[(v, label) for v, label in CounselorAssignment.Reason.choices if v != "initial"],
        ],
    )
    reason_text = forms.CharField(label=_("Reason, in words"), max_length=300, required=False)
    handover_note = forms.CharField(
        label=_("Handover note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What the new counselor should know first."),
    )

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = memberships  # type: ignore[attr-defined]


def _outcome_field(label: Any) -> forms.ChoiceField:
    # data-outcome: outcome_fields.js hides the work fields for other outcomes.
    return forms.ChoiceField(
        label=label,
        choices=[("", "—"), *Outcome.choices],
        widget=forms.Select(attrs={"data-outcome": ""}),
    )


def _hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("For ordinary work."),
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


def _subsidy_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("With wage subsidy"), required=False)


class PeriodEndForm(forms.Form):
    """The period's outcome at its end. Rules (dates, work details, a running placement) are
    the service's; the form converts types."""

    end_date = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    outcome = _outcome_field(_("Where does the participant go from here?"))
    hours_per_week = _hours_field()
    wage_subsidy = _subsidy_field()
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class OutcomeRecordForm(forms.Form):
    """An outcome while the period goes on (a job starts and follow-up continues)."""

    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    outcome = _outcome_field(_("Outcome"))
    hours_per_week = _hours_field()
    wage_subsidy = _subsidy_field()
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class OutcomeCorrectForm(OutcomeRecordForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class StatusForm(forms.Form):
    """Where the person is six or twelve months after the period ended."""

    outcome = _outcome_field(_("Status"))
    as_of = forms.DateField(label=_("As of"), widget=DateInput(), initial=timezone.localdate)
    hours_per_week = _hours_field()
    wage_subsidy = _subsidy_field()
    revision = forms.IntegerField(widget=forms.HiddenInput)


# The vocabulary in the participant's own words (the portal's "Where are you now?").
OWN_WORDS = {
    Outcome.ORDINARY_WORK: _("I have a job"),
    Outcome.EDUCATION: _("I go to school or study"),
    Outcome.APPRENTICESHIP: _("I am an apprentice"),
    Outcome.OTHER_MEASURE: _("I take part in another programme or course"),
    Outcome.NOT_READY: _("I am not ready for work yet"),
    Outcome.MOVED_OTHER: _("Something else, or I have moved"),
}


class OwnStatusForm(forms.Form):
    """The participant's own answer, in plain words; dated today."""

    outcome = forms.ChoiceField(
        label=_("Where are you now?"),
        choices=list(OWN_WORDS.items()),
        widget=forms.RadioSelect(attrs={"data-outcome": ""}),
    )
    hours_per_week = forms.DecimalField(
        label=_("About how many hours a week do you work?"),
        required=False,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class PeriodStartForm(forms.Form):
    counselor = CounselorChoiceField(queryset=Membership.objects.none(), label=_("Counselor"))
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counselor"].queryset = memberships  # type: ignore[attr-defined]


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, national id or phone"), required=False, max_length=100
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("In follow-up")), ("ended", _("Ended")), ("all", _("All"))],
    )
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    no_contact_days = forms.IntegerField(
        label=_("No contact for (days)"), required=False, min_value=1, max_value=3650
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("next_follow_up", _("Next follow-up")),
            ("last_contact", _("Last contact")),
        ],
    )

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("All teams")), *[(t.pk, t.name) for t in teams]]  # type: ignore[attr-defined]


class BulkReassignForm(forms.Form):
    """A counselor leaves: spread their caseload over chosen colleagues."""

    leaving = CounselorChoiceField(
        queryset=Membership.objects.none(), label=_("Counselor who leaves")
    )
    to = forms.ModelMultipleChoiceField(
        queryset=Membership.objects.none(),
        label=_("Colleagues who take over"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Participants go to the colleague with the fewest participants first."),
    )
    reason = CounselorChangeForm.base_fields["reason"]
    reason_text = CounselorChangeForm.base_fields["reason_text"]
    handover_note = CounselorChangeForm.base_fields["handover_note"]

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaving"].queryset = memberships  # type: ignore[attr-defined]
        self.fields["to"].queryset = memberships  # type: ignore[attr-defined]
        self.fields["to"].label_from_instance = lambda m: m.user.full_name  # type: ignore[attr-defined]
