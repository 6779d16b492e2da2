from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.core.forms import DateInput
from samspill.followup.models import Belief


class CheckInForm(forms.Form):
    belief = forms.TypedChoiceField(
        label=_("Do you believe this person will be in work or education within a year?"),
        choices=Belief.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    strengthen = forms.CharField(
        label=_("What would strengthen my belief?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    market_belief = forms.TypedChoiceField(
        label=_("Do you believe the labour market has room for this person?"),
        help_text=_("Optional: belief is also belief in the labour market."),
        choices=[("", _("Not answered")), *Belief.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    self_belief = forms.TypedChoiceField(
        label=_("The participant's own belief: do you think you will manage a job?"),
        choices=[("", _("Not asked this time")), *Belief.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    asked_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)


class SparringRequestForm(forms.Form):
    colleague: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Colleague"), queryset=User.objects.none()
    )
    why = forms.CharField(
        label=_("What do you want to talk about?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    checkin = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, colleagues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues  # type: ignore[attr-defined]
        self.fields["colleague"].label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]
