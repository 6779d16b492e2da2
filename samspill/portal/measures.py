"""NAV's measures, told plainly to the employer (issue 22, item 10): the catalogue of the
country of the employer's organisation, in the organisation's own words. An employer contact or
mentor sees only the catalogue here, no participant data; anybody else gets a 403."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samspill.core.http import AuthedRequest
from samspill.organisations.models import Organisation
from samspill.placements.measures import catalogue
from samspill.portal.views import require_contact


@login_required
@require_GET
def measures(request: AuthedRequest) -> HttpResponse:
    contact = require_contact(request)
    organisation = Organisation.objects.get(pk=contact.employer.organisation_id)
    return render(
        request,
        "portal/measures.html",
        {"employer": contact.employer, "measures": catalogue(organisation)},
    )
