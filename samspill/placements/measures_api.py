"""The measures catalogue and apprenticeship offices over the API (issue 22, items 10 and 11).

- `GET /measures`: the catalogue of the caller's organisation (any member of staff).
- `PUT /measures/{key}`: an administrator rewrites a measure for the organisation; a stale
  revision is a 409, anybody else a 403.
- `GET /apprenticeship-offices`: the organisation's offices with their member employers (staff
  who follow participants).
- `POST /apprenticeship-offices`, `PUT /apprenticeship-offices/{id}`: the same staff register an
  office and change it (a stale revision is a 409; another organisation's office a 404).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.employers import apprenticeship
from samspill.employers.models import ApprenticeshipOffice
from samspill.organisations.queries import membership_for_user
from samspill.participants.api import ERROR_RESPONSES, WRITE_RESPONSES, Id
from samspill.placements import measures

router = Router(tags=["measures"])


class MeasureOut(Schema):
    key: str
    name: str
    what: str
    who: str
    employer_gets: str
    how_long: str
    kinds: list[str]
    revision: int


class MeasureIn(Schema):
    name: str = Field(max_length=120)
    what: str = Field(max_length=2000)
    who: str = Field(max_length=2000)
    employer_gets: str = Field(max_length=2000)
    how_long: str = Field(max_length=300)
    revision: int | None = None


class ApprenticeshipOfficeOut(Schema):
    id: int
    name: str
    contact_name: str
    contact_email: str
    contact_phone: str
    notes: str
    member_ids: list[int]
    revision: int


class ApprenticeshipOfficeIn(Schema):
    name: str = Field(max_length=200)
    contact_name: str = Field(max_length=200)
    contact_email: str = Field("", max_length=254)
    contact_phone: str = Field("", max_length=30)
    notes: str = Field("", max_length=5000)
    member_ids: list[Id] = Field(default_factory=list, max_length=500)
    revision: int | None = Field(None, description="The revision you read (for a change).")


def _membership(request: HttpRequest) -> Any:
    membership = membership_for_user(request_user(request))
    if membership is None:
        raise HttpError(403, _("You do not have access to this."))
    return membership


def _out(measure: measures.Measure) -> dict[str, Any]:
    return {**measure.__dict__, "kinds": list(measure.kinds)}


@router.get("/measures", response={200: list[MeasureOut], **ERROR_RESPONSES}, summary="Measures")
def measure_list(request: HttpRequest) -> list[dict[str, Any]]:
    membership = _membership(request)
    return [_out(m) for m in measures.catalogue(membership.organisation)]


@router.put(
    "/measures/{key}",
    response={200: MeasureOut, **WRITE_RESPONSES},
    summary="Rewrite a measure for the organisation",
    description="Administrators only; send the `revision` you read (a stale one is a 409).",
)
def measure_put(request: HttpRequest, key: str, payload: MeasureIn) -> dict[str, Any]:
    membership = _membership(request)
    try:
        saved = measures.measure_save(
            organisation=membership.organisation,
            by=request_user(request),
            key=key,
            **payload.dict(),
        )
    except PermissionDenied as error:
        raise HttpError(403, _("Only an administrator edits the measures.")) from error
    return _out(saved)


@router.get(
    "/apprenticeship-offices",
    response={200: list[ApprenticeshipOfficeOut], **ERROR_RESPONSES},
    summary="Apprenticeship offices",
)
def office_list(request: HttpRequest) -> list[dict[str, Any]]:
    membership = _membership(request)
    if not membership.follows_participants:
        raise HttpError(403, _("You do not have access to this."))
    offices = ApprenticeshipOffice.objects.filter(
        organisation_id=membership.organisation_id
    ).prefetch_related("members")
    return [_office_out(o) for o in offices]


def _office_out(o: ApprenticeshipOffice) -> dict[str, Any]:
    return {
        **{f: getattr(o, f) for f in ("id", "name", "contact_name", "contact_email")},
        **{f: getattr(o, f) for f in ("contact_phone", "notes", "revision")},
        "member_ids": sorted(m.pk for m in o.members.all()),
    }


def _office_writer(request: HttpRequest) -> Any:
    membership = _membership(request)
    if not membership.follows_participants:
        raise HttpError(403, _("You do not have access to this."))
    return membership


@router.post(
    "/apprenticeship-offices",
    response={201: ApprenticeshipOfficeOut, **WRITE_RESPONSES},
    summary="Register an apprenticeship office",
    description="With its own contact person and the member employers (of your organisation).",
)
def office_post(request: HttpRequest, payload: ApprenticeshipOfficeIn) -> Status:
    membership = _office_writer(request)
    data = payload.dict()
    data.pop("revision")
    office = apprenticeship.office_create(
        organisation=membership.organisation, by=request_user(request), **data
    )
    return Status(201, _office_out(office))


@router.put(
    "/apprenticeship-offices/{office_id}",
    response={200: ApprenticeshipOfficeOut, **WRITE_RESPONSES},
    summary="Change an apprenticeship office",
    description="Send the `revision` you read; a stale one is a 409.",
)
def office_put(
    request: HttpRequest, office_id: int, payload: ApprenticeshipOfficeIn
) -> dict[str, Any]:
    membership = _office_writer(request)
    office = ApprenticeshipOffice.objects.filter(
        organisation_id=membership.organisation_id, pk=office_id
    ).first()
    if office is None:
        raise Http404
    data = payload.dict()
    revision = data.pop("revision")
    if revision is None:  # a change says which revision it read (409 if stale)
        raise HttpError(422, _("Give the revision you read."))
    saved = apprenticeship.office_update(
        office=office, by=request_user(request), revision=revision, **data
    )
    return _office_out(saved)
