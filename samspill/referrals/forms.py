from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.core.forms import DateInput, RevisionMixin
from samspill.organisations.queries import staff_who_follow
from samspill.referrals.models import Clarification, Outcome, Referral, Source
from samspill.referrals.queries import NO_OUTCOME
from samspill.referrals.services import EDIT_FIELDS


class TakerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def takers(organisation_id: int) -> Any:
    """Who can take a referral: the staff who can follow participants (one query for both)."""
    user_ids = staff_who_follow(organisation_id).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("full_name")


class ReferralForm(RevisionMixin, forms.ModelForm):
    """The referral. Rules (other source, dates, who may take it) live in the service."""

    taken_by = TakerChoiceField(
        queryset=User.objects.none(),
        label=_("Taken by"),
        required=False,
        empty_label=_("Nobody yet"),
    )

    class Meta:
        model = Referral
        fields = [f for f in EDIT_FIELDS if f != "external_key"]
        widgets = {
            "received_on": DateInput(),
            "birth_date": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "asked_for": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_by"].queryset = takers(organisation_id)  # type: ignore[attr-defined]
        self.fields["received_on"].initial = timezone.localdate

    def _post_clean(self) -> None:
        # Validation happens once, in the service (STYLE.md 2); the form only converts types.
        pass


class OutcomeForm(RevisionMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *Outcome.choices])
    outcome_on = forms.DateField(
        label=_("Outcome date"), widget=DateInput(), initial=timezone.localdate
    )


class ReferralFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All sources")), *Source.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All outcomes")), (NO_OUTCOME, _("No outcome yet")), *Outcome.choices],
    )
    taken = forms.ChoiceField(
        label=_("Taken by"),
        required=False,
        choices=[("all", _("Anyone")), ("mine", _("Me"))],
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end must be on or after the start."))
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end must be on or after the start."))
        return data


class ClarificationForm(forms.ModelForm):
    """The clarification before practice; the rules (dates, days) live in the service."""

    class Meta:
        model = Clarification
        fields = [
            "first_day",
            "last_day",
            "days_attended",
            "attendance_ok",
            "motivation",
            "result",
            "note",
        ]
        widgets = {
            "first_day": DateInput(),
            "last_day": DateInput(),
            "attendance_ok": forms.RadioSelect(choices=[(True, _("Yes")), (False, _("No"))]),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
