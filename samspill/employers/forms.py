"""Forms convert types; the rules live in the services (STYLE.md 2)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samspill.core.forms import DateInput, RevisionMixin
from samspill.employers import industries
from samspill.employers.models import (
    ContactPersonChange,
    Employer,
    EmployerContact,
    IntentionAgreement,
    MentorSupportContact,
    OutreachActivity,
    RecruitmentNeed,
)
from samspill.employers.services import (
    AGREEMENT_FIELDS,
    CONTACT_FIELDS,
    EMPLOYER_FIELDS,
    NEED_FIELDS,
)
from samspill.participants.forms import CounselorChoiceField


class ServiceValidatedForm(forms.ModelForm):
    def _post_clean(self) -> None:
        # Validation happens once, in the service; the form only converts types.
        pass


def _industry_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=lambda: [("", "–"), *industries.division_choices()],
    )


class EmployerForm(RevisionMixin, ServiceValidatedForm):
    nace_division = _industry_field()
    # Written as people write it ("923 456 789"); the service keeps the digits.
    org_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=Employer._meta.get_field("org_number").help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Employer
        fields = EMPLOYER_FIELDS
        widgets = {"public_services_experience": forms.Textarea(attrs={"rows": 3})}


class EmployerCreateForm(EmployerForm):
    contact_person = CounselorChoiceField(
        queryset=None, label=_("Our contact person"), help_text=_("The one person they call.")
    )

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = memberships  # type: ignore[attr-defined]


class ContactPersonForm(RevisionMixin, forms.Form):
    contact_person = CounselorChoiceField(queryset=None, label=_("New contact person"))
    reason = forms.ChoiceField(
        label=_("Reason for the change"),
        choices=[("", "–"), *ContactPersonChange.Reason.choices[1:]],
    )
    reason_text = forms.CharField(label=_("Reason, in words"), required=False, max_length=300)
    handover_note = forms.CharField(
        label=_("Handover note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = memberships  # type: ignore[attr-defined]


class StageForm(RevisionMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Employer.Stage.choices)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_on = forms.DateField(label=_("Next step date"), required=False, widget=DateInput())


class OutreachForm(ServiceValidatedForm):
    class Meta:
        model = OutreachActivity
        fields = ("kind", "occurred_on", "summary")
        widgets = {"occurred_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate


class NeedForm(ServiceValidatedForm):
    class Meta:
        model = RecruitmentNeed
        fields = NEED_FIELDS
        widgets = {
            "needed_from": DateInput(),
            "tasks": forms.Textarea(attrs={"rows": 2}),
            "skills": forms.Textarea(attrs={"rows": 2}),
        }


class AgreementForm(RevisionMixin, ServiceValidatedForm):
    document = forms.FileField(
        label=_("Signed document (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    class Meta:
        model = IntentionAgreement
        fields = AGREEMENT_FIELDS
        widgets = {
            "signed_on": DateInput(),
            "renewal_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ContactForm(ServiceValidatedForm):
    class Meta:
        model = EmployerContact
        fields = CONTACT_FIELDS
        widgets = {
            "confidentiality_signed_on": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }


class MentorSupportForm(ServiceValidatedForm):
    class Meta:
        model = MentorSupportContact
        fields = ("contact_on", "channel", "topic", "going", "next_contact_on")
        widgets = {"contact_on": DateInput(), "next_contact_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_on"].initial = timezone.localdate


class EmployerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation number"), required=False, max_length=100)
    section = forms.ChoiceField(
        label=_("Industry"),
        required=False,
        choices=lambda: [
            ("", _("All industries")),
            *(
                (s.code, f"{s.code} – {industries.name(s, get_language())}")
                for s in industries.sections()
            ),
        ],
    )
    municipality = forms.CharField(label=_("Municipality"), required=False, max_length=100)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Employer.Stage.choices]
    )
    need = forms.CharField(label=_("Recruitment need"), required=False, max_length=100)
    open_need = forms.BooleanField(label=_("Has open recruitment needs"), required=False)
    mine = forms.BooleanField(label=_("I am the contact person"), required=False)
