"""The measures catalogue for staff (issue 22, item 10): every member of staff reads it in the
organisation's words (the agreement page links here); an administrator rewrites a measure for
the organisation. Portal users read it in the portal instead; others get a 403."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.placements import measures
from samspill.placements.kinds_models import MeasureText


def _membership(request: AuthedRequest) -> Membership:
    membership = membership_for_user(request.user)
    if membership is None:
        raise PermissionDenied
    return membership


class MeasureForm(forms.ModelForm):
    """The organisation's wording of one measure; carries the revision it was read at."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MeasureText
        fields = list(measures.TEXT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in ("what", "who", "employer_gets")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An edit must say which revision it read, or a colleague's save would be overwritten.
        self.fields["revision"].required = bool(self.instance.pk)

    def _post_clean(self) -> None:
        pass  # the service validates


@login_required
@require_GET
def measure_list(request: AuthedRequest) -> HttpResponse:
    membership = _membership(request)
    return render(
        request,
        "placements/measures.html",
        {
            "measures": measures.catalogue(membership.organisation),
            "may_edit": membership.is_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: AuthedRequest, key: str) -> HttpResponse:
    membership = _membership(request)
    if not membership.is_admin:
        raise PermissionDenied
    found = [m for m in measures.catalogue(membership.organisation) if m.key == key]
    if not found:
        raise Http404
    measure = found[0]
    initial: dict[str, Any] = {name: getattr(measure, name) for name in measures.TEXT_FIELDS}
    initial["revision"] = measure.revision
    form = MeasureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            measures.measure_save(
                organisation=membership.organisation,
                by=request.user,
                key=key,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The measure is saved."))
            return redirect(f"{reverse('placements:measures')}#measure-{key}")
    return render(
        request,
        "placements/measure_form.html",
        {"measure": measure, "form": form},
        status=400 if request.method == "POST" else 200,
    )
