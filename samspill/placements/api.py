"""The placements API: the agreement, its approvals and versions, follow-ups, evaluations and
the certificate.

Thin like the pages (STYLE.md 3), with the same door (`views._placement`): staff who follow no
participants (administrators) and portal users get a 403, a placement outside
`queries.placements_visible_to(user)` is a 404, and every read of a placement is access-logged.
The services hold the rules; their `ValidationError` is the standard 422 (samspill/api.py), and
an edit from a stale revision is a 409 that gives the current revision.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt, model_validator

from samspill.accounts.auth import request_user
from samspill.audit.services import access_log_record
from samspill.employers.models import EmployerContact
from samspill.participants import permissions as participant_permissions
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    Date,
    Error,
    Id,
    OneOf,
    ParamId,
    ParamInt,
    PathId,
    PlainText,
    api_membership,
    page_of,
)
from samspill.placements import certificate as certificate_pdf
from samspill.placements import followups, queries, services
from samspill.placements.models import (
    AgreementApproval,
    AgreementVersion,
    Certificate,
    Challenge,
    Evaluation,
    ExpectationMeeting,
    FollowUp,
    GoalCategory,
    Party,
    Placement,
)

router = Router(tags=["placements"])

TEXT_MAX = services.TEXT_MAX


PlacementKind = Annotated[str, OneOf(Placement.Kind)]
EvaluationKind = Annotated[str, OneOf(Evaluation.Kind)]
Going = Annotated[str, OneOf(FollowUp.Going)]


# The door.


def placement_for_write(request: HttpRequest, placement_id: int) -> Placement:
    """Fetch through the participant door, or 404 (never 403: that would tell that the id
    exists)."""
    api_membership(request)
    if not 1 <= placement_id <= MAX_ID:
        raise Http404
    placement = queries.placement_for_staff(request_user(request), placement_id)
    if placement is None:
        raise Http404
    return placement


def placement_for_read(request: HttpRequest, placement_id: int, what: str) -> Placement:
    """As for a write, and log the read with the relationship that allowed it."""
    placement = placement_for_write(request, placement_id)
    user = request_user(request)
    why = participant_permissions.relationship_to(user, placement.participant)
    assert why is not None  # visible_to and relationship_to encode the same rules
    access_log_record(actor=user, participant=placement.participant, what=what, why=why)
    return placement


def _name(user: Any) -> str | None:
    return user.full_name if user is not None else None


# Schemas: the placement and its agreement.


class PlacementListParams(Schema):
    limit: ParamInt = Field(25, ge=1, le=100, description="Page size.")
    offset: ParamInt = Field(0, ge=0, description="How many placements to skip.")
    participant: ParamId | None = Field(None, description="One participant's.")


class PlacementListItem(Schema):
    id: int
    participant_id: int
    participant_name: str
    employer_id: int
    employer_name: str
    kind: PlacementKind
    title: str
    start_date: datetime.date
    end_date: datetime.date | None
    status: str = Field(..., description="Derived from approvals, cancellation and today.")
    revision: int
    agreement_number: int
    next_follow_up_on: datetime.date | None

    @staticmethod
    def resolve_participant_name(obj: Placement) -> str:
        return obj.participant.full_name

    @staticmethod
    def resolve_employer_name(obj: Placement) -> str:
        return obj.employer.name

    @staticmethod
    def resolve_status(obj: Placement) -> str:
        return obj.status_on(timezone.localdate())


class PlacementPage(Schema):
    count: int
    items: list[PlacementListItem]


class Goal(Schema):
    category: GoalCategory
    text: PlainText = Field("", max_length=TEXT_MAX)


class Mentor(Schema):
    id: int
    name: str


class Approval(Schema):
    party: Party
    approved_by_name: str | None
    approved_at: datetime.datetime
    on_behalf_reason: str
    revision: int

    @staticmethod
    def resolve_approved_by_name(obj: AgreementApproval) -> str | None:
        return _name(obj.approved_by)


class VersionItem(Schema):
    number: int
    change: AgreementVersion.Change
    reason: str
    created_by_name: str | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_created_by_name(obj: AgreementVersion) -> str | None:
        return _name(obj.created_by)


class Version(VersionItem):
    content: dict[str, Any] = Field(..., description="The agreement as it was in this version.")


class Meeting(Schema):
    held_on: datetime.date
    participant_present: bool
    mentor_present: bool
    employer_present: bool
    counselor_present: bool
    others_present: str
    notes: str


class PlacementOut(PlacementListItem):
    mentor: Mentor | None
    goals: list[Goal]
    tasks: str
    hours_per_week: float | None
    work_days: str
    work_place: str
    start_reason: str
    extension_reason: str
    wage_subsidy_percent: int | None
    employer_expects: str
    participant_expects: str
    we_offer: str
    accommodations: str
    if_something_happens: str
    call_whom: str
    missing: list[str] = Field(..., description="What the agreement lacks before approval.")
    locked_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    cancel_note: str
    ended_at: datetime.datetime | None
    outcome: str
    previous_id: int | None
    follow_up_until: datetime.date | None
    follow_up_unlimited: bool
    approvals: list[Approval]
    versions: list[VersionItem]
    expectation_meeting: Meeting | None

    @staticmethod
    def resolve_missing(obj: Placement) -> list[str]:
        return [] if obj.is_locked else obj.missing_for_approval()

    @staticmethod
    def resolve_approvals(obj: Placement) -> list[AgreementApproval]:
        return list(obj.approvals.select_related("approved_by").order_by("approved_at", "id"))

    @staticmethod
    def resolve_versions(obj: Placement) -> list[AgreementVersion]:
        return list(obj.versions.select_related("created_by").order_by("number"))

    @staticmethod
    def resolve_expectation_meeting(obj: Placement) -> ExpectationMeeting | None:
        return ExpectationMeeting.objects.filter(placement=obj).first()


class AgreementPatch(Schema):
    """The fields to change, and the revision they were read at. A locked agreement (approved
    by all) changes only with a `reason`, as a new numbered version."""

    revision: StrictInt = Field(
        ..., ge=1, le=MAX_ID, description="The revision the change is based on."
    )
    reason: PlainText = Field(
        "", max_length=TEXT_MAX, description="Why a locked agreement changes (a new version)."
    )
    kind: PlacementKind | None = None
    mentor_id: Id | None = None
    goals: list[Goal] | None = Field(None, max_length=20)
    title: PlainText | None = Field(None, min_length=1, max_length=200)
    tasks: PlainText | None = Field(None, max_length=TEXT_MAX)
    hours_per_week: Decimal | None = Field(None, ge=0, le=168, max_digits=4, decimal_places=1)
    work_days: PlainText | None = Field(None, max_length=100)
    work_place: PlainText | None = Field(None, max_length=200)
    start_date: Date | None = None
    end_date: Date | None = None
    start_reason: PlainText | None = Field(None, max_length=TEXT_MAX)
    extension_reason: PlainText | None = Field(None, max_length=TEXT_MAX)
    wage_subsidy_percent: StrictInt | None = Field(None, ge=0, le=100)
    employer_expects: PlainText | None = Field(None, max_length=TEXT_MAX)
    participant_expects: PlainText | None = Field(None, max_length=TEXT_MAX)
    we_offer: PlainText | None = Field(None, max_length=TEXT_MAX)
    accommodations: PlainText | None = Field(None, max_length=TEXT_MAX)
    if_something_happens: PlainText | None = Field(None, max_length=TEXT_MAX)
    call_whom: PlainText | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _null_only_where_allowed(self) -> "AgreementPatch":
        nullable = {"mentor_id", "hours_per_week", "end_date", "wage_subsidy_percent"}
        for name in self.model_fields_set - nullable:
            if getattr(self, name) is None:
                raise ValueError(_("%(field)s cannot be empty.") % {"field": name})
        return self


class AgreementSaved(Schema):
    placement: PlacementOut
    cleared: list[Party] = Field(
        ..., description="The parties whose approval the change cleared (they approve again)."
    )
    version: int | None = Field(..., description="The new version's number, when it made one.")


class Conflict(Error):
    revision: int = Field(..., description="The agreement's current revision.")
    yours: dict[str, Any] = Field(..., description="The change you sent, not saved.")


class ApprovalIn(Schema):
    party: Party = Field(
        ...,
        description="`participant` (on their behalf, with a reason, when you are not the "
        "participant) or `counselor` (the participant's own counselor, last). The employer "
        "contact approves in the portal.",
    )
    revision: StrictInt = Field(
        ..., ge=1, le=MAX_ID, description="The revision you read and approve."
    )
    on_behalf_reason: PlainText = Field("", max_length=TEXT_MAX)


class CompareParams(Schema):
    a: ParamInt | None = Field(None, ge=1, le=32767, description="Left version; default 1.")
    b: ParamInt | None = Field(
        None, ge=1, le=32767, description="Right version; default the latest."
    )


class CompareRow(Schema):
    label: str
    left: str
    right: str
    changed: bool


class Comparison(Schema):
    a: int
    b: int
    rows: list[CompareRow]


# Schemas: follow-ups, evaluations, the certificate.


class FollowUpOut(Schema):
    id: int
    due_on: datetime.date | None
    held_on: datetime.date | None
    overdue: bool
    going: str
    participant_present: bool
    mentor_present: bool
    employer_present: bool
    counselor_present: bool
    notes: str
    next_steps: str
    logged_by_name: str | None
    logged_at: datetime.datetime | None
    challenges: list[Challenge]

    @staticmethod
    def resolve_overdue(obj: FollowUp) -> bool:
        return obj.overdue_on(timezone.localdate())

    @staticmethod
    def resolve_logged_by_name(obj: FollowUp) -> str | None:
        return _name(obj.logged_by)


class FollowUpIn(Schema):
    held_on: Date = Field(..., description="Not in the future.")
    going: Going
    participant_present: StrictBool = False
    mentor_present: StrictBool = False
    employer_present: StrictBool = False
    counselor_present: StrictBool = False
    notes: PlainText = Field("", max_length=TEXT_MAX)
    next_steps: PlainText = Field("", max_length=TEXT_MAX)
    follow_up_id: Id | None = Field(
        None,
        description="The planned follow-up this answers; default the "
        "earliest open one (if due within two weeks).",
    )
    challenges: list[Challenge] = Field([], description="What the participant struggles with.")


class EvaluationOut(Schema):
    kind: EvaluationKind
    held_on: datetime.date
    tasks_mastered: str
    attendance: Evaluation.Scale
    cooperation: Evaluation.Scale
    what_worked: str
    what_was_hard: str
    next_step: str
    with_mentor: bool
    with_participant: bool
    challenges: list[Challenge]
    functions_socially: Evaluation.Scale | Literal[""]
    feels_recognised: Evaluation.Scale | Literal[""]
    enjoys_work: Evaluation.Scale | Literal[""]
    written_by_name: str | None
    updated_at: datetime.datetime

    @staticmethod
    def resolve_written_by_name(obj: Evaluation) -> str | None:
        return _name(obj.written_by)


class EvaluationIn(Schema):
    held_on: Date
    tasks_mastered: PlainText = Field(..., min_length=1, max_length=TEXT_MAX)
    attendance: Evaluation.Scale
    cooperation: Evaluation.Scale
    what_worked: PlainText = Field("", max_length=TEXT_MAX)
    what_was_hard: PlainText = Field("", max_length=TEXT_MAX)
    next_step: PlainText = Field("", max_length=TEXT_MAX)
    with_mentor: StrictBool = True
    with_participant: StrictBool = True
    challenges: list[Challenge] = Field([], description="What the participant struggles with.")
    functions_socially: Evaluation.Scale | Literal[""] = ""
    feels_recognised: Evaluation.Scale | Literal[""] = ""
    enjoys_work: Evaluation.Scale | Literal[""] = ""


class CertificateOut(Schema):
    language: Certificate.Language
    tasks: str
    assessment: str
    state: str = Field(..., description="`awaiting_employer`, `returned` or `issued`.")
    requested_at: datetime.datetime
    returned_comment: str
    approved_by_name: str | None
    issued_at: datetime.datetime | None

    @staticmethod
    def resolve_state(obj: Certificate) -> str:
        if obj.is_issued:
            return "issued"
        return "returned" if obj.returned_comment else "awaiting_employer"

    @staticmethod
    def resolve_approved_by_name(obj: Certificate) -> str | None:
        return _name(obj.approved_by)


class CertificateIn(Schema):
    language: Certificate.Language
    tasks: PlainText = Field(..., min_length=1, max_length=TEXT_MAX)
    assessment: PlainText = Field(..., min_length=1, max_length=TEXT_MAX)


CONFLICT_RESPONSES: dict[int, type[Schema]] = {**ERROR_RESPONSES, 409: Conflict}


# Routes: the placements and the agreement.


@router.get(
    "",
    response={200: PlacementPage, **ERROR_RESPONSES},
    summary="List placements",
    description="The placements of the participants the caller may see, newest start first.",
)
def placement_list(request: HttpRequest, params: Query[PlacementListParams]) -> dict:
    api_membership(request)
    rows = (
        queries.placements_visible_to(request_user(request))
        .select_related("participant", "employer")
        .order_by("-start_date", "-id")
    )
    if params.participant is not None:
        rows = rows.filter(participant_id=params.participant)
    return page_of(rows, offset=params.offset, limit=params.limit)


@router.get(
    "/{placement_id}",
    response={200: PlacementOut, **ERROR_RESPONSES},
    summary="Read a placement and its agreement",
    description="The agreement's content, its derived status and revision, the approvals and "
    "the versions. The read is access-logged.",
)
def placement_detail(request: HttpRequest, placement_id: PathId) -> Placement:
    return placement_for_read(request, placement_id, "api:placement")


def _conflict(placement_id: int, detail: str, yours: dict[str, Any]) -> Status[dict]:
    """A 409: the agreement changed since the caller read it. Nothing was saved."""
    current = Placement.objects.values_list("revision", flat=True).get(pk=placement_id)
    return Status(409, {"detail": detail, "errors": [], "revision": current, "yours": yours})


@router.patch(
    "/{placement_id}/agreement",
    response={200: AgreementSaved, **CONFLICT_RESPONSES},
    summary="Change the agreement",
    description="Send only the fields to change, with the revision you read. A change after an "
    "approval clears the approvals (`cleared` names them). An agreement approved by all "
    "changes only with a `reason`, as a new numbered version. A stale revision is a 409.",
)
def agreement_patch(
    request: HttpRequest, placement_id: PathId, payload: AgreementPatch
) -> dict | Status[dict]:
    placement = placement_for_write(request, placement_id)
    changes = payload.model_dump(exclude_unset=True)
    revision, reason = changes.pop("revision"), changes.pop("reason", "")
    if "mentor_id" in changes:
        changes["mentor"] = _mentor(placement, changes.pop("mentor_id"))
    user = request_user(request)
    cleared: list[str] = []
    version = None
    try:
        if placement.is_locked:
            version = services.agreement_change(
                placement=placement, by=user, revision=revision, reason=reason, **changes
            ).number
        else:
            _saved, cleared = services.agreement_update(
                placement=placement, by=user, revision=revision, **changes
            )
    except services.ConflictError:
        detail = _(
            "Someone else saved this agreement after you read it. Nothing was saved: read the "
            "current revision, then send your change again."
        )
        return _conflict(placement_id, detail, payload.model_dump(mode="json", exclude_unset=True))
    except ValidationError as error:
        # The services name the field `mentor`; the caller sent `mentor_id`.
        if hasattr(error, "error_dict") and "mentor" in error.error_dict:
            error.error_dict["mentor_id"] = error.error_dict.pop("mentor")
        raise
    return {
        "placement": placement_for_write(request, placement_id),
        "cleared": cleared,
        "version": version,
    }


def _mentor(placement: Placement, mentor_id: int | None) -> EmployerContact | None:
    """A mentor at the placement's employer; another employer's contact reads as unknown."""
    if mentor_id is None:
        return None
    mentor = EmployerContact.objects.filter(pk=mentor_id, employer_id=placement.employer_id).first()
    if mentor is None:
        raise ValidationError({"mentor_id": _("Choose a mentor at this employer.")})
    return mentor


@router.post(
    "/{placement_id}/approvals",
    response={201: PlacementOut, **CONFLICT_RESPONSES},
    summary="Approve the agreement",
    description="For the participant (on their behalf, with a reason) or as the participant's "
    "counselor, who approves last and so locks the agreement. The employer contact approves "
    "in the portal (403 here).",
)
def approval_create(
    request: HttpRequest, placement_id: PathId, payload: ApprovalIn
) -> Status[Placement] | Status[dict]:
    placement = placement_for_write(request, placement_id)
    user = request_user(request)
    if payload.party == Party.EMPLOYER:
        raise HttpError(403, _("The employer contact approves in the portal."))
    if payload.party == Party.COUNSELOR and placement.participant.counselor_id != user.pk:
        raise HttpError(403, _("Only the participant's counselor approves as counselor."))
    try:
        services.agreement_approve(
            placement=placement,
            by=user,
            party=payload.party,
            revision=payload.revision,
            on_behalf_reason=payload.on_behalf_reason,
        )
    except services.ConflictError:
        detail = _("The agreement changed after you read it. Read it again, then approve.")
        return _conflict(placement_id, detail, payload.model_dump(mode="json"))
    return Status(201, placement_for_write(request, placement_id))


@router.get(
    "/{placement_id}/versions",
    response={200: list[Version], **ERROR_RESPONSES},
    summary="The agreement's versions",
    description="Version 1 is the agreement as approved by all; each later one a change with "
    "its reason.",
)
def version_list(request: HttpRequest, placement_id: PathId) -> list[AgreementVersion]:
    placement = placement_for_read(request, placement_id, "api:placement agreement")
    return list(placement.versions.select_related("created_by").order_by("number"))


@router.get(
    "/{placement_id}/versions/compare",
    response={200: Comparison, **ERROR_RESPONSES},
    summary="Compare two versions",
    description="Every field of the agreement in both versions, with the changed ones marked.",
)
def version_compare(
    request: HttpRequest, placement_id: PathId, params: Query[CompareParams]
) -> dict:
    placement = placement_for_read(request, placement_id, "api:placement agreement")
    versions = {v.number: v for v in placement.versions.all()}
    a = params.a or 1
    b = params.b or max(versions, default=1)
    if a not in versions or b not in versions:
        raise Http404
    rows = services.compare_versions(versions[a].content, versions[b].content)
    return {"a": a, "b": b, "rows": rows}


# Routes: follow-ups, evaluations, the certificate.


@router.get(
    "/{placement_id}/follow-ups",
    response={200: list[FollowUpOut], **ERROR_RESPONSES},
    summary="The follow-ups",
    description="Planned (by the schedule of the placement's kind) and logged, by due date; "
    "follow-ups logged without a plan come last.",
)
def follow_up_list(request: HttpRequest, placement_id: PathId) -> list[FollowUp]:
    placement = placement_for_read(request, placement_id, "api:placement follow-ups")
    return list(
        placement.follow_ups.select_related("logged_by").order_by(
            F("due_on").asc(nulls_last=True), "held_on", "id"
        )
    )


@router.post(
    "/{placement_id}/follow-ups",
    response={201: FollowUpOut, **ERROR_RESPONSES},
    summary="Log a follow-up",
    description="It answers the planned follow-up given (or the earliest open one), or stands "
    "on its own.",
)
def follow_up_create(
    request: HttpRequest, placement_id: PathId, payload: FollowUpIn
) -> Status[FollowUp]:
    placement = placement_for_write(request, placement_id)
    data = payload.dict()
    scheduled = None
    if (follow_up_id := data.pop("follow_up_id")) is not None:
        scheduled = placement.follow_ups.filter(pk=follow_up_id).first()
        if scheduled is None:
            raise ValidationError({"follow_up_id": _("That follow-up is not open.")})
    follow_up = followups.follow_up_log(
        placement=placement, by=request_user(request), scheduled=scheduled, **data
    )
    return Status(201, follow_up)


@router.get(
    "/{placement_id}/evaluations/{kind}",
    response={200: EvaluationOut, **ERROR_RESPONSES},
    summary="Read the mid-way or final evaluation",
)
def evaluation_detail(
    request: HttpRequest, placement_id: PathId, kind: EvaluationKind
) -> Evaluation:
    placement = placement_for_read(request, placement_id, "api:placement evaluation")
    evaluation = placement.evaluations.select_related("written_by").filter(kind=kind).first()
    if evaluation is None:
        raise Http404
    return evaluation


@router.put(
    "/{placement_id}/evaluations/{kind}",
    response={200: EvaluationOut, **ERROR_RESPONSES},
    summary="Write the mid-way or final evaluation",
    description="Written by the counselor and the mentor together with the participant. The "
    "final evaluation is frozen once the certificate is issued.",
)
def evaluation_put(
    request: HttpRequest, placement_id: PathId, kind: EvaluationKind, payload: EvaluationIn
) -> Evaluation:
    placement = placement_for_write(request, placement_id)
    return followups.evaluation_save(
        placement=placement, by=request_user(request), kind=kind, **payload.dict()
    )


@router.get(
    "/{placement_id}/certificate",
    response={200: CertificateOut, **ERROR_RESPONSES},
    summary="Read the certificate",
    description="The draft the employer contact is asked to approve, or the issued one.",
)
def certificate_detail(request: HttpRequest, placement_id: PathId) -> Certificate:
    placement = placement_for_read(request, placement_id, "api:certificate")
    certificate = (
        Certificate.objects.select_related("approved_by").filter(placement=placement).first()
    )
    if certificate is None:
        raise Http404
    return certificate


@router.post(
    "/{placement_id}/certificate",
    response={200: CertificateOut, **ERROR_RESPONSES},
    summary="Draft the certificate",
    description="From the final evaluation; the employer contact approves it in the portal. A "
    "returned draft can be sent again; an issued certificate is final.",
)
def certificate_request(
    request: HttpRequest, placement_id: PathId, payload: CertificateIn
) -> Certificate:
    placement = placement_for_write(request, placement_id)
    return followups.certificate_request(
        placement=placement, by=request_user(request), **payload.dict()
    )


@router.get(
    "/{placement_id}/certificate.pdf",
    response={200: None, **ERROR_RESPONSES},
    summary="Download the issued certificate (PDF)",
    description="In the certificate's own language. A certificate not yet issued is a 404.",
)
def certificate_download(request: HttpRequest, placement_id: PathId) -> FileResponse:
    placement = placement_for_read(request, placement_id, "api:certificate")
    issued = Certificate.objects.filter(placement=placement, issued_at__isnull=False).first()
    if issued is None:
        raise Http404
    issued.placement = placement
    return FileResponse(
        certificate_pdf.as_bytes_io(issued),
        as_attachment=True,
        filename=certificate_pdf.filename(issued),
        content_type="application/pdf",
    )


# The mentor side (seed 002), in its own module on this router.
from samspill.placements import mentor_api  # noqa: E402, F401
