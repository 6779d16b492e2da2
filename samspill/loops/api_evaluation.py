"""A loop's evaluation and the comparison of loops over the API (evaluation.py).

The driver's side (staff who follow participants, the loop's external driver) reads the
evaluation, opens and closes it, and compares loops; a portal user (an employer contact, a
mentor, a young person with their own login) reads and gives their own answers. Others a 403,
a loop not theirs a 404; a stale change is a 409."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictInt

from samspill.accounts.auth import request_user
from samspill.loops import evaluation
from samspill.loops.models import EvaluationAnswer, Loop, LoopEvaluation
from samspill.participants.api import ERROR_RESPONSES, MAX_ID, WRITE_RESPONSES, PathId, PlainText

router = Router(tags=["loop evaluations"])


class LoopEvaluationAnswerOut(Schema):
    id: int
    respondent: str = Field(..., description="employer, mentor or youth")
    who: str = Field(..., description="The contact, or the young person as the reader may see")
    worked: int
    supported: int
    again: int
    went_well: str
    change: str
    revision: int


class LoopEvaluationYouthOut(Schema):
    label: str
    outcome: str = Field(..., description="An outcome code, or empty (not known or not shown)")
    from_follow_up: bool
    answered: bool


class LoopEvaluationOut(Schema):
    loop_id: int
    opens_on: datetime.date
    state: str = Field(..., description="not_opened, open or closed")
    opened_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    summary: str
    revision: int | None
    answers: list[LoopEvaluationAnswerOut]
    youth: list[LoopEvaluationYouthOut]


class LoopEvaluationCloseIn(Schema):
    summary: PlainText = Field(..., min_length=1, max_length=3000)
    revision: StrictInt = Field(..., ge=1, description="The revision read; 409 if stale.")


class LoopEvaluationMyAnswerIn(Schema):
    worked: StrictInt = Field(..., ge=1, le=5)
    supported: StrictInt = Field(..., ge=1, le=5)
    again: StrictInt = Field(..., ge=1, le=5)
    went_well: PlainText = Field("", max_length=3000)
    change: PlainText = Field("", max_length=3000)
    revision: StrictInt | None = Field(None, ge=1, description="The revision read; 409 if stale.")


class LoopEvaluationMyAnswerOut(Schema):
    loop_id: int
    loop: str
    respondent: str
    answered: bool
    worked: int | None
    supported: int | None
    again: int | None
    went_well: str
    change: str
    revision: int | None


class LoopEvaluationMeansOut(Schema):
    answers: int | None
    worked: float | None
    supported: float | None
    again: float | None


class LoopComparisonOut(Schema):
    loop_id: int
    name: str
    start_date: datetime.date
    evaluated: bool
    closed: bool
    youth: int | None
    ended: int | None
    work_or_education: int | None
    share: float | None
    employers: int
    employers_again: int
    workplace: LoopEvaluationMeansOut
    young: LoopEvaluationMeansOut
    suppressed: bool


def _driver_loop(request: HttpRequest, loop_id: int) -> Loop:
    if not 1 <= loop_id <= MAX_ID:
        raise Http404
    try:
        return evaluation.evaluation_loop(request_user(request), loop_id)
    except PermissionDenied:
        raise HttpError(403, _("You cannot see this loop's evaluation.")) from None


def _out(loop: Loop, user: Any) -> dict[str, Any]:
    view = evaluation.evaluation_view(loop, user)
    current: LoopEvaluation | None = view.evaluation
    state = "not_opened" if current is None else ("open" if current.is_open else "closed")
    return {
        "loop_id": loop.pk,
        "opens_on": evaluation.opens_on(loop),
        "state": state,
        "opened_at": current.opened_at if current else None,
        "closed_at": current.closed_at if current else None,
        "summary": current.summary if current else "",
        "revision": current.revision if current else None,
        "answers": [
            {
                "id": row.answer.pk,
                "respondent": row.answer.respondent,
                "who": row.who,
                "worked": row.answer.worked,
                "supported": row.answer.supported,
                "again": row.answer.again,
                "went_well": row.answer.went_well,
                "change": row.answer.change,
                "revision": row.answer.revision,
            }
            for row in view.answers
        ],
        "youth": [
            {
                "label": y.label,
                "outcome": y.outcome,
                "from_follow_up": y.from_follow_up,
                "answered": y.answered,
            }
            for y in view.youth
        ],
    }


@router.get(
    "/compare",
    response={200: list[LoopComparisonOut], **ERROR_RESPONSES},
    summary="Compare loops: answers, outcomes, young people, employers in a later loop",
)
def loop_compare(request: HttpRequest, mine: bool = False) -> Any:
    try:
        loops = evaluation.comparison_loops(request_user(request), mine=mine)
    except PermissionDenied:
        raise HttpError(403, _("You cannot compare loops.")) from None
    rows = evaluation.compare(loops)
    return [
        {
            "loop_id": r.loop.pk,
            "name": r.loop.name,
            "start_date": r.loop.start_date,
            "evaluated": r.evaluated,
            "closed": r.closed,
            "youth": r.youth,
            "ended": r.ended,
            "work_or_education": r.work_or_education,
            "share": r.share,
            "employers": r.employers,
            "employers_again": r.employers_again,
            "workplace": r.workplace.__dict__,
            "young": r.young.__dict__,
            "suppressed": r.suppressed,
        }
        for r in rows
    ]


@router.get(
    "/{loop_id}",
    response={200: LoopEvaluationOut, **ERROR_RESPONSES},
    summary="A loop's evaluation: its state, the answers and the young people's outcomes",
)
def evaluation_get(request: HttpRequest, loop_id: PathId) -> Any:
    return _out(_driver_loop(request, loop_id), request_user(request))


@router.post(
    "/{loop_id}",
    response={201: LoopEvaluationOut, **WRITE_RESPONSES},
    summary="Open a loop's evaluation (from the start of its last period)",
)
def evaluation_open(request: HttpRequest, loop_id: PathId) -> Any:
    loop = _driver_loop(request, loop_id)
    evaluation.evaluation_open(loop=loop, by=request_user(request))
    return 201, _out(loop, request_user(request))


@router.post(
    "/{loop_id}/close",
    response={200: LoopEvaluationOut, **WRITE_RESPONSES},
    summary="Close a loop's evaluation with what the loop takes into the next one",
)
def evaluation_close(request: HttpRequest, loop_id: PathId, payload: LoopEvaluationCloseIn) -> Any:
    loop = _driver_loop(request, loop_id)
    current = evaluation.evaluation_of(loop)
    if current is None:
        raise Http404
    evaluation.evaluation_close(
        evaluation=current,
        by=request_user(request),
        summary=payload.summary,
        revision=payload.revision,
    )
    return _out(loop, request_user(request))


def _mine(respondent: evaluation.Respondent) -> dict[str, Any]:
    answer: EvaluationAnswer | None = respondent.answer()
    return {
        "loop_id": respondent.loop.pk,
        "loop": respondent.loop.name,
        "respondent": respondent.kind,
        "answered": answer is not None,
        "worked": answer.worked if answer else None,
        "supported": answer.supported if answer else None,
        "again": answer.again if answer else None,
        "went_well": answer.went_well if answer else "",
        "change": answer.change if answer else "",
        "revision": answer.revision if answer else None,
    }


def _respondent(request: HttpRequest, loop_id: int) -> evaluation.Respondent:
    if not 1 <= loop_id <= MAX_ID:
        raise Http404
    try:
        return evaluation.own_respondent(request_user(request), loop_id)
    except PermissionDenied:
        raise HttpError(
            403, _("Only the loop's workplaces and young people answer here.")
        ) from None


@router.get(
    "/{loop_id}/mine",
    response={200: LoopEvaluationMyAnswerOut, **ERROR_RESPONSES},
    summary="My own answers to a loop's evaluation (employer contact, mentor, young person)",
)
def my_answer_get(request: HttpRequest, loop_id: PathId) -> Any:
    return _mine(_respondent(request, loop_id))


@router.put(
    "/{loop_id}/mine",
    response={200: LoopEvaluationMyAnswerOut, **WRITE_RESPONSES},
    summary="Give or change my own answers to a loop's evaluation",
)
def my_answer_put(request: HttpRequest, loop_id: PathId, payload: LoopEvaluationMyAnswerIn) -> Any:
    respondent = _respondent(request, loop_id)
    evaluation.evaluation_answer(
        evaluation=respondent.evaluation,
        by=request_user(request),
        contact=respondent.contact,
        participant=respondent.participant,
        **payload.dict(),
    )
    return _mine(respondent)
