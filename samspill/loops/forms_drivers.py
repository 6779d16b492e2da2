"""Forms for loop partners (drivers.py): inviting them, and what they do themselves."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput
from samspill.employers.models import EmployerContact
from samspill.loops.models import Loop, LoopPartner


class PartnerInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=LoopPartner.Role.choices)
    affiliation = forms.CharField(
        label=_("Company or office"),
        max_length=200,
        required=False,
        help_text=_("The driver's company, or the NAV office."),
    )


class DeclarationForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Confidentiality declaration signed on"),
        widget=DateInput(),
        initial=timezone.localdate,
    )


class AssignLoopForm(forms.Form):
    loop: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Loop"), queryset=Loop.objects.none()
    )

    def __init__(self, *args: Any, loops: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["loop"].queryset = loops  # type: ignore[attr-defined]


class InviteCandidateForm(forms.Form):
    participant = forms.TypedChoiceField(label=_("Proposed candidate"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].choices = choices  # type: ignore[attr-defined]


class InviteContactForm(forms.Form):
    contact: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Employer contact"), queryset=EmployerContact.objects.none()
    )

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["contact"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c.name} ({c.employer.name})"
        )


class NavReferralForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(label=_("Birth date"), widget=DateInput(), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    asked_for = forms.CharField(
        label=_("Why this loop suits the young person"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class EmployerSelectionForm(forms.Form):
    employer = forms.IntegerField(widget=forms.HiddenInput)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    why = forms.CharField(
        label=_("Why this employer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    offers = forms.CharField(
        label=_("What they offer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    takes_one_each_period = forms.BooleanField(
        label=_("Can take a young person every period"), required=False
    )
