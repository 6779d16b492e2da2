from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.accounts.models import User
from samspill.core.forms import DateInput, RevisionMixin
from samspill.learning.models import Method, Programme, ProgrammeSession, Reflection
from samspill.organisations.models import Team


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)  # type: ignore[arg-type]


class ProgrammeForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SessionForm(RevisionMixin, forms.ModelForm):
    """A session; `module` is chosen when it is added, never moved afterwards."""

    methods = forms.ModelMultipleChoiceField(
        label=_("Methods covered"),
        queryset=Method.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    facilitator: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Facilitator"), queryset=User.objects.none()
    )

    class Meta:
        model = ProgrammeSession
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "place",
            "video_url",
            "facilitator",
            "methods",
            "description",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, methods: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methods"].queryset = methods  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = staff  # type: ignore[attr-defined]
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M"]  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service validates the instance (with the organisation's rules, every message at
        # once); the form only parses.
        pass


class EnrolForm(forms.Form):
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    users = forms.ModelMultipleChoiceField(
        label=_("Staff members"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, teams: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        self.fields["users"].queryset = staff  # type: ignore[attr-defined]


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    file = forms.FileField(label=_("File"))


class ReflectionForm(RevisionMixin, forms.ModelForm):
    class Meta:
        model = Reflection
        fields = [
            "learned",
            "will_try",
            "look_back_on",
            "shared_with_facilitator",
            "shared_with_leader",
        ]
        widgets = {
            "learned": forms.Textarea(attrs={"rows": 3}),
            "will_try": forms.Textarea(attrs={"rows": 3}),
            "look_back_on": DateInput(),
        }
        labels = {
            "shared_with_facilitator": _("The facilitator"),
            "shared_with_leader": _("My leader"),
        }
        help_texts = {
            "shared_with_facilitator": _("The session's facilitator can read it."),
            "shared_with_leader": _("Your organisation's leaders can read it."),
        }

    def _post_clean(self) -> None:
        pass


class LookBackForm(forms.Form):
    note = forms.CharField(
        label=_("What came of it"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
