"""Choosing employers for a loop, over the API (selection.py): the criteria and the history.

The same door as the page: the organisation's staff who follow participants and the loop's
external driver; others a 403, a loop not theirs a 404. A stale write is a 409."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt

from samspill.accounts.auth import request_user
from samspill.employers.models import Employer
from samspill.loops import selection
from samspill.loops.models import Loop
from samspill.participants.api import ERROR_RESPONSES, MAX_ID, WRITE_RESPONSES, PathId, PlainText

router = Router(tags=["loop employer selection"])


class PastLoopOut(Schema):
    loop_id: int
    name: str
    start_date: datetime.date
    replaced: bool
    placements: int


class SelectionOut(Schema):
    employer_id: int
    employer: str
    in_loop: bool
    why: str | None
    offers: str | None
    takes_one_each_period: bool | None
    revision: int | None
    history: list[PastLoopOut]


class SelectionIn(Schema):
    why: PlainText = Field(..., min_length=1, max_length=2000)
    offers: PlainText = Field("", max_length=2000)
    takes_one_each_period: StrictBool = False
    revision: StrictInt | None = Field(None, ge=1, description="The revision read; 409 if stale.")


def _loop(request: HttpRequest, loop_id: int) -> Loop:
    if not 1 <= loop_id <= MAX_ID:
        raise Http404
    try:
        return selection.selection_loop(request_user(request), loop_id)
    except PermissionDenied:
        raise HttpError(403, _("You cannot choose employers for loops.")) from None


def _out(row: selection.EmployerRow) -> dict[str, Any]:
    s = row.selection
    return {
        "employer_id": row.employer.pk,
        "employer": row.employer.name,
        "in_loop": row.in_loop,
        "why": s.why if s else None,
        "offers": s.offers if s else None,
        "takes_one_each_period": s.takes_one_each_period if s else None,
        "revision": s.revision if s else None,
        "history": [vars(p) for p in row.history],
    }


@router.get(
    "/{loop_id}/employers",
    response={200: list[SelectionOut], **ERROR_RESPONSES},
    summary="A loop's employers: the criteria and their earlier loops",
)
def selection_list(request: HttpRequest, loop_id: PathId) -> Any:
    return [_out(row) for row in selection.selection_rows(_loop(request, loop_id))]


@router.put(
    "/{loop_id}/employers/{employer_id}",
    response={200: SelectionOut, **WRITE_RESPONSES},
    summary="Record why an employer is chosen for a loop",
)
def selection_put(
    request: HttpRequest, loop_id: PathId, employer_id: PathId, payload: SelectionIn
) -> Any:
    loop = _loop(request, loop_id)
    employer = Employer.objects.filter(
        pk=employer_id if 1 <= employer_id <= MAX_ID else 0,
        organisation_id=loop.organisation_id,
    ).first()
    if employer is None:
        raise Http404
    selection.employer_selection_record(
        loop=loop, employer=employer, by=request_user(request), **payload.dict()
    )
    row = next(r for r in selection.selection_rows(loop) if r.employer.pk == employer.pk)
    return _out(row)
