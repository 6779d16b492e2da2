"""The form for a loop's network meeting (meetings.py)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput
from samspill.employers.models import EmployerContact


class NetworkMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=EmployerContact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    learned = forms.CharField(
        label=_("What we learned"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    will_change = forms.CharField(
        label=_("What we will change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, contacts: QuerySet[EmployerContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = contacts
        field.label_from_instance = lambda c: (  # type: ignore[method-assign, assignment]
            f"{c.name} ({c.employer.name})"
        )
