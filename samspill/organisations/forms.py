"""Forms of the organisation's administration pages. None of them has a field for `is_staff`,
`is_superuser` or the organisation: those are never set from here."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from samspill.organisations import services
from samspill.organisations.models import Membership, Team


class StaffSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=200)


class _TeamChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _team_field(teams: QuerySet[Team]) -> _TeamChoice:
    return _TeamChoice(queryset=teams, required=False, label=_("Team"), empty_label=_("No team"))


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none())

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field(teams)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none())
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"] = _team_field(teams)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=200)


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} ({obj.user.email})"


class TokenForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Membership.objects.none())
    name = forms.CharField(
        label=_("What the token is for"),
        max_length=100,
        help_text=_("For example the name of the system that will use it."),
    )

    def __init__(self, *args: Any, members: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"] = _MemberChoice(queryset=members, label=_("Staff member"))
        self.order_fields(["member", "name"])


class OrganisationSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    team_sees_team_participants = forms.BooleanField(
        label=_("Team members see the team's participants"),
        required=False,
        help_text=_(
            "When on, a counselor can open the records of participants followed by their team."
        ),
    )
    belief_checkin_weeks = forms.IntegerField(
        label=_("Weeks between belief check-ins"),
        min_value=services.BELIEF_WEEKS_MIN,
        max_value=services.BELIEF_WEEKS_MAX,
        help_text=_(
            "How often counselors are asked whether they believe the participant will reach work or education."
        ),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "revision"}
