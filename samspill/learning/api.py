"""The learning API: the methods library (published methods, the organisation's own and those
a network shares), the caller's own learning goals, and a leader's follow-ups.

The same doors as the pages (samspill/learning/permissions.py): a method or goal the caller
may not see is a 404; portal users and people without a staff membership get 403. A leader's
read of other people's goals is logged in `StaffRecordRead`, as on the page.
"""

import datetime
from typing import Annotated, Any, Literal

from django.db.models import Count
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.accounts.models import User
from samspill.learning import (
    programme_services,
    queries,
    search,
    services,
    sparring_services,
)
from samspill.learning.models import (
    GoalReview,
    LearningGoal,
    Method,
    MethodVersion,
    PracticePlace,
    SparringCase,
    StaffRecordRead,
)
from samspill.learning.permissions import goals_visible_to, methods_visible_to, staff_membership
from samspill.learning.programme_permissions import (
    log_reads,
    may_manage_session,
    my_sessions,
    programmes_visible_to,
    reflections_visible_to,
    sessions_visible_to,
)
from samspill.learning.sparring_queries import cases_visible_to
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


# --- A leader's team goals and the follow-up conversations -----------------------------------
# Goals only: a reflection stays its author's unless shared (see the reflections routes).


class TeamGoalParams(Schema):
    status: Annotated[str, OneOf(LearningGoal.Status)] | None = Field(
        None, description="Only goals with this status."
    )
    overdue: ParamBool = Field(False, description="Only active goals whose review is overdue.")
    limit: ParamInt = Field(50, ge=1, le=200, description="Page size.")
    offset: ParamInt = Field(0, ge=0)


class TeamGoalCounts(Schema):
    active: int
    reached: int
    dropped: int
    overdue: int = Field(..., description="Active goals whose next review has passed.")


class TeamGoalItem(Schema):
    goal_id: int
    staff_member_id: int
    staff_member: str
    goal: str
    status: str
    target_date: datetime.date | None
    next_review_on: datetime.date | None
    overdue: bool
    review_count: int


class TeamGoalPage(Schema):
    counts: TeamGoalCounts = Field(..., description="Over the whole team, before the filters.")
    count: int
    items: list[TeamGoalItem]


def _leader(request: HttpRequest, message: str) -> Membership:
    membership = _membership(request)
    if membership.role != Membership.Role.LEADER:
        raise HttpError(403, message)
    return membership


def _log_reads(user: User, organisation_id: int, owner_ids: set[int], what: str) -> None:
    StaffRecordRead.objects.bulk_create(
        StaffRecordRead(
            reader=user, subject_id=owner_id, organisation_id=organisation_id, what=what
        )
        for owner_id in sorted(owner_ids)
        if owner_id != user.pk
    )


@router.get(
    "/team/goals",
    response={200: TeamGoalPage, **ERROR_RESPONSES},
    summary="A leader's team goals",
    description="The learning goals of the leader's organisation (not the leader's own) with "
    "counts by status and of overdue reviews: for leaders only, never a reflection. Each read "
    "of a staff member's goals is logged.",
)
def team_goal_list(request: HttpRequest, params: Query[TeamGoalParams]) -> dict[str, Any]:
    membership = _leader(request, _("The team's learning goals are for leaders."))
    user = request_user(request)
    today = timezone.localdate()
    team = goals_visible_to(user).exclude(owner=user)
    counts = queries.goal_counts(team)
    listed = team
    if params.status:
        listed = listed.filter(status=params.status)
    if params.overdue:
        listed = listed.filter(status=LearningGoal.Status.ACTIVE, next_review_on__lt=today)
    count = listed.count()
    rows = (
        list(
            queries.team_goals(listed).annotate(review_count=Count("reviews"))[
                params.offset : params.offset + params.limit
            ]
        )
        if params.offset < count
        else []
    )
    _log_reads(
        user, membership.organisation_id, {g.owner_id for g in rows}, "api:learning:team_goals"
    )
    return {
        "counts": counts,
        "count": count,
        "items": [
            {
                "goal_id": goal.pk,
                "staff_member_id": goal.owner_id,
                "staff_member": goal.owner.full_name,
                "goal": goal.goal,
                "status": goal.status,
                "target_date": goal.target_date,
                "next_review_on": goal.next_review_on,
                "overdue": goal.status == LearningGoal.Status.ACTIVE
                and goal.next_review_on is not None
                and goal.next_review_on < today,
                "review_count": goal.review_count,
            }
            for goal in rows
        ],
    }


class GoalReviewOut(Schema):
    id: int
    goal_id: int
    leader: str
    held_on: datetime.date
    notes: str
    next_steps: str = Field(..., description="The agreed next steps.")
    next_review_on: datetime.date | None
    created_at: datetime.datetime


class GoalReviewIn(Schema):
    held_on: Date = Field(..., description="The day of the conversation: today or earlier.")
    notes: PlainText = Field("", max_length=10000)
    next_steps: PlainText = Field("", max_length=10000, description="The agreed next steps.")
    next_review_on: Date | None = Field(
        None, description="The next review, after the conversation; reminds both."
    )


def _review_out(review: GoalReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "goal_id": review.goal_id,
        "leader": review.leader.full_name,
        "held_on": review.held_on,
        "notes": review.notes,
        "next_steps": review.next_steps,
        "next_review_on": review.next_review_on,
        "created_at": review.created_at,
    }


def _visible_goal(request: HttpRequest, goal_id: int) -> LearningGoal:
    """The goal through the one door: its owner's, or a leader's in the same organisation."""
    _membership(request)
    goal = goals_visible_to(request_user(request)).filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal


@router.get(
    "/goals/{goal_id}/reviews",
    response={200: list[GoalReviewOut], **ERROR_RESPONSES},
    summary="Follow-up conversations about a learning goal",
    description="For the goal's owner and the leaders of their organisation, newest first "
    "(at most 200). A leader's read is logged; anyone else gets a 404.",
)
def goal_review_list(request: HttpRequest, goal_id: PathId) -> list[dict[str, Any]]:
    goal = _visible_goal(request, goal_id)
    user = request_user(request)
    _log_reads(user, goal.organisation_id, {goal.owner_id}, "api:learning:goal_reviews")
    reviews = GoalReview.objects.filter(goal=goal).select_related("leader")[:200]
    return [_review_out(review) for review in reviews]


@router.post(
    "/goals/{goal_id}/reviews",
    response={201: GoalReviewOut, **ERROR_RESPONSES},
    summary="Record a follow-up conversation",
    description="A leader records the conversation about a staff member's goal: notes, the "
    "agreed next steps and the next review date, which becomes the goal's. Not for one's own "
    "goal (403); a goal outside the leader's organisation is a 404.",
)
def goal_review_create(
    request: HttpRequest, goal_id: PathId, payload: GoalReviewIn
) -> Status[dict[str, Any]]:
    goal = _visible_goal(request, goal_id)
    user = request_user(request)
    _leader(request, _("Follow-up conversations are held by leaders."))
    if goal.owner_id == user.pk:
        raise HttpError(403, _("Your own goals are followed up by your leader."))
    review = services.goal_review_record(goal=goal, by=user, **payload.dict())
    _log_reads(user, goal.organisation_id, {goal.owner_id}, "api:learning:goal_review")
    return Status(201, _review_out(review))


# --- Programmes, sessions, attendance and reflections ---------------------------------------
# The doors of samspill/learning/programme_permissions.py; a session one may not see is a 404.


class LearningProgrammeOut(Schema):
    id: int
    title: str
    description: str


class LearningSessionOut(Schema):
    id: int
    programme_id: int
    programme: str
    module: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    video_url: str
    facilitator: str


class LearningAttendanceIn(Schema):
    present: list[Id] = Field(
        ...,
        max_length=500,
        description="Who was there; the others enrolled are recorded as absent.",
    )


class LearningAttendanceOut(Schema):
    present: int


class LearningReflectionIn(Schema):
    learned: PlainText = Field(..., max_length=10000)
    will_try: PlainText = Field(..., max_length=10000)
    look_back_on: Date
    shared_with_facilitator: bool = False
    shared_with_leader: bool = False
    revision: Revision | None = Field(
        None, description="To change one's reflection: the revision read; a stale one is a 409."
    )


class LearningReflectionOut(Schema):
    id: int
    session_id: int
    author: str
    learned: str
    will_try: str
    look_back_on: datetime.date
    shared_with_facilitator: bool
    shared_with_leader: bool
    revision: int


def _session_out(session: Any) -> dict[str, Any]:
    return {
        "id": session.pk,
        "programme_id": session.module.programme_id,
        "programme": session.module.programme.title,
        "module": session.module.title,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": session.place,
        "video_url": session.video_url,
        "facilitator": session.facilitator.full_name,
    }


def _reflection_out(reflection: Any) -> dict[str, Any]:
    return {
        "id": reflection.pk,
        "session_id": reflection.session_id,
        "author": reflection.author.full_name,
        "learned": reflection.learned,
        "will_try": reflection.will_try,
        "look_back_on": reflection.look_back_on,
        "shared_with_facilitator": reflection.shared_with_facilitator,
        "shared_with_leader": reflection.shared_with_leader,
        "revision": reflection.revision,
    }


def _visible_session(request: HttpRequest, session_id: int) -> Any:
    _membership(request)
    session = (
        sessions_visible_to(request_user(request))
        .select_related("module__programme", "facilitator")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404
    return session


@router.get(
    "/programmes",
    response={200: list[LearningProgrammeOut], **ERROR_RESPONSES},
    summary="List the learning programmes I see",
    description="Those the caller is enrolled in or facilitates; all of the organisation's for "
    "platform mentors and leaders (at most 200).",
)
def programme_list(request: HttpRequest) -> Any:
    _membership(request)
    return list(programmes_visible_to(request_user(request)).order_by("title", "id")[:200])


@router.get(
    "/sessions",
    response={200: list[LearningSessionOut], **ERROR_RESPONSES},
    summary="My sessions",
    description="The sessions of the programmes the caller is enrolled in and those they "
    "facilitate, by start (at most 200).",
)
def session_list(request: HttpRequest) -> list[dict[str, Any]]:
    _membership(request)
    sessions = my_sessions(request_user(request)).select_related("module__programme", "facilitator")
    return [_session_out(s) for s in sessions.order_by("starts_at", "id")[:200]]


@router.get(
    "/sessions/{session_id}",
    response={200: LearningSessionOut, **ERROR_RESPONSES},
    summary="A session",
)
def session_detail(request: HttpRequest, session_id: PathId) -> dict[str, Any]:
    return _session_out(_visible_session(request, session_id))


@router.put(
    "/sessions/{session_id}/attendance",
    response={200: LearningAttendanceOut, **WRITE_RESPONSES},
    summary="Record a session's attendance",
    description="For the facilitator and those who run the programme, once the session has "
    "started; only people the programme enrols.",
)
def attendance_put(
    request: HttpRequest, session_id: PathId, payload: LearningAttendanceIn
) -> dict[str, int]:
    membership = _membership(request)
    session = _visible_session(request, session_id)
    if not may_manage_session(request_user(request), session, membership):
        raise HttpError(403, _("Only the facilitator records attendance."))
    count = programme_services.attendance_record(
        session=session, by=request_user(request), present=payload.present
    )
    return {"present": count}


@router.get(
    "/reflections",
    response={200: list[LearningReflectionOut], **ERROR_RESPONSES},
    summary="Reflections",
    description="The caller's own reflections; with `shared=true`, those others shared with "
    "the caller (as facilitator or leader), each read logged. Private ones never.",
)
def reflection_list(request: HttpRequest, shared: ParamBool = False) -> list[dict[str, Any]]:
    membership = _membership(request)
    user = request_user(request)
    visible = reflections_visible_to(user).select_related("author")
    rows = list(
        (visible.exclude(author=user) if shared else visible.filter(author=user)).order_by(
            "-created_at", "-id"
        )[:200]
    )
    log_reads(
        reader=user,
        organisation_id=membership.organisation_id,
        subjects=[r.author_id for r in rows],
        what="api:learning:reflections",
    )
    return [_reflection_out(r) for r in rows]


@router.post(
    "/sessions/{session_id}/reflection",
    response={200: LearningReflectionOut, **WRITE_RESPONSES},
    summary="Write or change my reflection on a session",
    description="Only someone recorded as present writes one. To change it, send the revision "
    "read; a stale one is a 409.",
)
def reflection_write(
    request: HttpRequest, session_id: PathId, payload: LearningReflectionIn
) -> dict[str, Any]:
    session = _visible_session(request, session_id)
    reflection = programme_services.reflection_write(
        session=session, by=request_user(request), **payload.dict()
    )
    return _reflection_out(reflection)


# --- Sparring cases ------------------------------------------------------------------------


class LearningSparringIn(Schema):
    audience: Annotated[str, OneOf(SparringCase.Audience)]
    situation: PlainText = Field(..., min_length=1, max_length=10000)
    tried: PlainText = Field("", max_length=10000)
    belief_drop: PlainText = Field("", max_length=10000)
    next_steps: PlainText = Field("", max_length=10000)
    asked_id: Id | None = Field(None, description="The colleague or platform mentor asked.")


class LearningSparringOut(Schema):
    id: int
    reference: str
    kind: str
    audience: str
    status: str
    situation: str
    tried: str
    next_steps: str
    created_at: datetime.datetime
    answers: int


class LearningAnswerIn(Schema):
    text: PlainText = Field(..., min_length=1, max_length=10000)


def _case_out(case: Any) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "kind": case.kind,
        "audience": case.audience,
        "status": case.status,
        "situation": case.situation,
        "tried": case.tried,
        "next_steps": case.next_steps,
        "created_at": case.created_at,
        "answers": case.answer_count,
    }


def _cases(request: HttpRequest) -> Any:
    _membership(request)
    return cases_visible_to(request_user(request)).annotate(answer_count=Count("responses"))


@router.get(
    "/sparring",
    response={200: list[LearningSparringOut], **ERROR_RESPONSES},
    summary="My sparring cases",
    description="The cases the caller asked for, newest first (at most 200). A case names no "
    "participant here: its reference is pseudonymous.",
)
def sparring_list(request: HttpRequest) -> list[dict[str, Any]]:
    cases = _cases(request).filter(asked_by=request_user(request))
    return [_case_out(c) for c in cases.order_by("-created_at", "-id")[:200]]


@router.post(
    "/sparring",
    response={201: LearningSparringOut, **ERROR_RESPONSES},
    summary="Ask for case sparring",
)
def sparring_create(request: HttpRequest, payload: LearningSparringIn) -> Status[dict[str, Any]]:
    membership = _membership(request)
    data = payload.dict()
    asked_id = data.pop("asked_id")
    asked = None
    if asked_id is not None:
        asked = User.objects.filter(
            pk=asked_id,
            memberships__organisation_id=membership.organisation_id,
            memberships__is_active=True,
        ).first()
        if asked is None:
            raise HttpError(422, _("Choose a colleague in your organisation."))
    case = sparring_services.sparring_case_ask(by=request_user(request), asked=asked, **data)
    return Status(201, _case_out(_cases(request).get(pk=case.pk)))


@router.post(
    "/sparring/{case_id}/answers",
    response={201: LearningSparringOut, **WRITE_RESPONSES},
    summary="Answer a sparring case",
    description="For the colleague, platform mentor or group asked (and the asker). Another "
    "person's case is a 404.",
)
def sparring_answer(
    request: HttpRequest, case_id: PathId, payload: LearningAnswerIn
) -> Status[dict[str, Any]]:
    case = _cases(request).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not sparring_services.may_answer(request_user(request), case):
        raise HttpError(403, _("You were not asked to spar on this case."))
    sparring_services.sparring_case_answer(case=case, by=request_user(request), text=payload.text)
    return Status(201, _case_out(_cases(request).get(pk=case.pk)))
