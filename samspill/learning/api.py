"""The learning API: the methods library (published methods, the organisation's own and those
a network shares), the caller's own learning goals, and a leader's follow-ups.

The same doors as the pages (samspill/learning/permissions.py): a method or goal the caller
may not see is a 404; portal users and people without a staff membership get 403. A leader's
read of other people's goals is logged in `StaffRecordRead`, as on the page.
"""

import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.learning import search, services
from samspill.learning.models import (
    GoalReview,
    LearningGoal,
    Method,
    MethodVersion,
    PracticePlace,
    StaffRecordRead,
)
from samspill.learning.permissions import goals_visible_to, methods_visible_to, staff_membership
from samspill.organisations.models import Membership
from samspill.participants.api import (
    ERROR_RESPONSES,
    WRITE_RESPONSES,
    Date,
    Id,
    OneOf,
    ParamBool,
    ParamInt,
    PathId,
    PlainText,
    Revision,
)

router = Router(tags=["learning"])


def _membership(request: HttpRequest) -> Membership:
    membership = staff_membership(request_user(request))
    if membership is None:
        raise HttpError(403, _("The learning pages are for staff."))
    return membership


# --- Methods -------------------------------------------------------------------------------


class MethodListParams(Schema):
    q: PlainText = Field("", max_length=200, description="Words to search for.")
    scope: Literal["all", "own", "network"] = Field(
        "all", description="All, the organisation's own, or those a network shares with it."
    )
    limit: ParamInt = Field(25, ge=1, le=100, description="Page size.")
    offset: ParamInt = Field(0, ge=0, description="How many methods to skip.")


class MethodItem(Schema):
    id: int
    title: str
    organisation: str
    own: bool
    version: int
    purpose: str


class MethodPage(Schema):
    count: int = Field(..., description="Matches, up to 200.")
    more: bool = Field(..., description="True when there are more than `count` matches.")
    items: list[MethodItem]


class MethodFileOut(Schema):
    id: int
    name: str


class MethodDetail(MethodItem):
    shared_with: str | None
    research_source: str
    research_finding: str
    effect_size: str
    steps: str
    when_to_use: str
    practice_places: list[str]
    change_note: str
    published_at: datetime.datetime
    files: list[MethodFileOut]


def _published(request: HttpRequest) -> Any:
    """Published methods only: drafts are a platform mentor's work on the pages."""
    return methods_visible_to(request_user(request)).filter(published__isnull=False)


def _item(method: Method, organisation_id: int) -> dict[str, Any]:
    version = method.published
    assert version is not None
    return {
        "id": method.pk,
        "title": method.title,
        "organisation": method.organisation.name,
        "own": method.organisation_id == organisation_id,
        "version": version.number,
        "purpose": version.purpose,
    }


@router.get(
    "/methods",
    response={200: MethodPage, **ERROR_RESPONSES},
    summary="List or search the methods library",
    description="Published methods of the caller's organisation and those shared with it by "
    "a network, in title order; `q` searches their text (full text on PostgreSQL).",
)
def method_list(request: HttpRequest, params: Query[MethodListParams]) -> dict[str, Any]:
    membership = _membership(request)
    methods = _published(request)
    if params.scope == "own":
        methods = methods.filter(organisation_id=membership.organisation_id)
    elif params.scope == "network":
        methods = methods.exclude(organisation_id=membership.organisation_id)
    rows = search.results(methods, params.q, membership.organisation.country)
    found = search.page(rows, offset=params.offset, limit=params.limit)
    found["items"] = [_item(m, membership.organisation_id) for m in found["items"]]
    return found


@router.get(
    "/methods/{method_id}",
    response={200: MethodDetail, **ERROR_RESPONSES},
    summary="Read a method",
    description="The published version of a method the caller may read.",
)
def method_detail(request: HttpRequest, method_id: PathId) -> dict[str, Any]:
    membership = _membership(request)
    method = (
        _published(request)
        .select_related("organisation", "published", "shared_with")
        .filter(pk=method_id)
        .first()
    )
    if method is None:
        raise Http404
    version: MethodVersion | None = method.published
    assert version is not None and version.published_at is not None
    places = dict(PracticePlace.choices)
    return {
        **_item(method, membership.organisation_id),
        "shared_with": method.shared_with.name if method.shared_with else None,
        "research_source": version.research_source,
        "research_finding": version.research_finding,
        "effect_size": version.effect_size,
        "steps": version.steps,
        "when_to_use": version.when_to_use,
        "practice_places": [key for key in version.practice_places if key in places],
        "change_note": version.change_note,
        "published_at": version.published_at,
        "files": list(version.files.values("id", "name")),
    }


# --- My learning goals ---------------------------------------------------------------------


class GoalOut(Schema):
    id: int
    goal: str
    why: str
    practice: str
    target_date: datetime.date | None
    next_review_on: datetime.date | None
    status: str
    method_ids: list[int]
    revision: int

    @staticmethod
    def resolve_method_ids(obj: LearningGoal) -> list[int]:
        return sorted(m.pk for m in obj.methods.all())


class GoalIn(Schema):
    goal: PlainText = Field(..., min_length=1, max_length=200)
    why: PlainText = Field("", max_length=10000)
    practice: PlainText = Field("", max_length=10000, description="How I will practise.")
    target_date: Date | None = Field(None, description="Today or later.")
    next_review_on: Date | None = Field(None, description="Today or later.")
    method_ids: list[Id] = Field([], max_length=50, description="Methods the caller may read.")


class GoalPatch(Schema):
    revision: Revision
    goal: PlainText | None = Field(None, min_length=1, max_length=200)
    why: PlainText | None = Field(None, max_length=10000)
    practice: PlainText | None = Field(None, max_length=10000)
    target_date: Date | None = None
    next_review_on: Date | None = None
    status: Annotated[str, OneOf(LearningGoal.Status)] | None = None
    method_ids: list[Id] | None = Field(None, max_length=50)


def _methods(request: HttpRequest, ids: list[int]) -> list[Method]:
    methods = list(methods_visible_to(request_user(request)).filter(pk__in=ids))
    if len(methods) != len(set(ids)):
        raise HttpError(422, _("Choose methods from your library."))
    return methods


def _own_goals(request: HttpRequest) -> Any:
    _membership(request)
    return LearningGoal.objects.filter(owner=request_user(request)).prefetch_related("methods")


@router.get(
    "/goals",
    response={200: list[GoalOut], **ERROR_RESPONSES},
    summary="List my learning goals",
    description="The caller's own goals (at most 200), active first.",
)
def goal_list(request: HttpRequest) -> Any:
    return list(_own_goals(request).order_by("status", "target_date", "id")[:200])


@router.post(
    "/goals",
    response={201: GoalOut, **ERROR_RESPONSES},
    summary="Set a learning goal",
)
def goal_create(request: HttpRequest, payload: GoalIn) -> Status[LearningGoal]:
    _membership(request)
    data = payload.dict()
    methods = _methods(request, data.pop("method_ids"))
    goal = services.goal_create(by=request_user(request), methods=methods, **data)
    return Status(201, _own_goals(request).get(pk=goal.pk))


@router.patch(
    "/goals/{goal_id}",
    response={200: GoalOut, **WRITE_RESPONSES},
    summary="Change my learning goal",
    description="Only the fields sent are changed, with the `revision` you read; a stale "
    "revision is a 409. Another person's goal is a 404.",
)
def goal_update(request: HttpRequest, goal_id: PathId, payload: GoalPatch) -> LearningGoal:
    goal = _own_goals(request).filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    data = payload.dict(exclude_unset=True)
    revision = data.pop("revision")
    method_ids = data.pop("method_ids", None)
    if "goal" in data and data["goal"] is None:
        raise HttpError(422, _("A goal needs words."))
    for field in ("why", "practice", "status"):
        if field in data and data[field] is None:
            data.pop(field)
    methods = _methods(request, method_ids) if method_ids is not None else None
    services.goal_update(
        learning_goal=goal, by=request_user(request), revision=revision, methods=methods, **data
    )
    return _own_goals(request).get(pk=goal.pk)


# --- A leader's follow-ups -----------------------------------------------------------------


class FollowUpParams(Schema):
    overdue: ParamBool = Field(False, description="Only active goals whose review is overdue.")
    limit: ParamInt = Field(50, ge=1, le=200, description="Page size.")
    offset: ParamInt = Field(0, ge=0)


class FollowUpItem(Schema):
    goal_id: int
    staff_member: str
    goal: str
    status: str
    next_review_on: datetime.date | None
    overdue: bool
    last_review_on: datetime.date | None


class FollowUpPage(Schema):
    count: int
    items: list[FollowUpItem]


@router.get(
    "/follow-ups",
    response={200: FollowUpPage, **ERROR_RESPONSES},
    summary="A leader's follow-ups",
    description="The learning goals of the leader's organisation (not the leader's own), by "
    "next review: for leaders only. Each read of a staff member's goals is logged.",
)
def follow_ups(request: HttpRequest, params: Query[FollowUpParams]) -> dict[str, Any]:
    membership = _membership(request)
    user = request_user(request)
    if membership.role != Membership.Role.LEADER:
        raise HttpError(403, _("Follow-ups are for leaders."))
    today = timezone.localdate()
    goals = goals_visible_to(user).exclude(owner=user)
    if params.overdue:
        goals = goals.filter(status=LearningGoal.Status.ACTIVE, next_review_on__lt=today)
    count = goals.count()
    rows = (
        list(
            goals.select_related("owner").order_by("next_review_on", "owner__full_name", "id")[
                params.offset : params.offset + params.limit
            ]
        )
        if params.offset < count
        else []
    )
    last: dict[int, datetime.date] = {}
    for goal_id, held_on in GoalReview.objects.filter(goal__in=rows).values_list(
        "goal_id", "held_on"
    ):
        last[goal_id] = max(held_on, last.get(goal_id, held_on))
    StaffRecordRead.objects.bulk_create(
        StaffRecordRead(
            reader=user,
            subject_id=owner_id,
            organisation_id=membership.organisation_id,
            what="api:learning:follow_ups",
        )
        for owner_id in {goal.owner_id for goal in rows}
    )
    return {
        "count": count,
        "items": [
            {
                "goal_id": goal.pk,
                "staff_member": goal.owner.full_name,
                "goal": goal.goal,
                "status": goal.status,
                "next_review_on": goal.next_review_on,
                "overdue": goal.status == LearningGoal.Status.ACTIVE
                and goal.next_review_on is not None
                and goal.next_review_on < today,
                "last_review_on": last.get(goal.pk),
            }
            for goal in rows
        ],
    }
