"""Choosing employers for a loop (selection.py): the criteria and the employers' history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samspill.core.forms import add_service_errors
from samspill.core.http import AuthedRequest
from samspill.employers.models import Employer
from samspill.loops import selection
from samspill.loops.forms_drivers import EmployerSelectionForm


def _form_for(row: selection.EmployerRow, prefix: str) -> EmployerSelectionForm:
    s = row.selection
    return EmployerSelectionForm(
        prefix=prefix,
        initial={
            "employer": row.employer.pk,
            "revision": s.revision if s else None,
            "why": s.why if s else "",
            "offers": s.offers if s else "",
            "takes_one_each_period": s.takes_one_each_period if s else False,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def employer_selection(request: AuthedRequest, pk: int) -> HttpResponse:
    loop = selection.selection_loop(request.user, pk)
    rows = selection.selection_rows(loop)
    bound: EmployerSelectionForm | None = None
    status = 200
    if request.method == "POST":
        prefix = f"e{request.POST.get('prefix_employer', '')}"
        bound = EmployerSelectionForm(request.POST, prefix=prefix)
        if bound.is_valid():
            employer = Employer.objects.filter(
                pk=bound.cleaned_data["employer"], organisation_id=loop.organisation_id
            ).first()
            if employer is None:
                raise Http404
            try:
                selection.employer_selection_record(
                    loop=loop,
                    employer=employer,
                    by=request.user,
                    why=bound.cleaned_data["why"],
                    offers=bound.cleaned_data["offers"],
                    takes_one_each_period=bound.cleaned_data["takes_one_each_period"],
                    revision=bound.cleaned_data["revision"],
                )
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, _("The reasons were saved."))
                return redirect("loop_selection:employers", pk=loop.pk)
        status = 400
    forms = []
    for row in rows:
        prefix = f"e{row.employer.pk}"
        form = bound if bound is not None and bound.prefix == prefix else _form_for(row, prefix)
        forms.append((row, form if row.in_loop else None))
    return render(
        request, "loops/employer_selection.html", {"loop": loop, "rows": forms}, status=status
    )
