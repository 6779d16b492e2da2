"""The outcomes API: a participant's follow-up periods with their outcomes and the statuses six
and twelve months after, and the writes, through participants.outcomes (docs/outcomes.md).

The door is the participants API's (`participant_for_write`: 403 for staff who follow nobody,
404 outside `Participant.objects.visible_to`); a period, outcome or status of another
participant is a 404 too. Reads are access-logged. Outcomes and statuses are recorded and
corrected by the participant's counselor and by leaders (a team colleague who may read the
record gets a 403). A correction or a status names the revision it was read at; a stale one is
a 409 with the current revision, and nothing is saved.
"""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db import transaction
from django.db.models import Model, Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, StrictBool, StrictInt, WithJsonSchema

from samspill.accounts.auth import request_user
from samspill.participants import outcomes
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    WRITE_RESPONSES,
    Date,
    OneOf,
    PathId,
    PlainText,
    participant_for_read,
    participant_for_write,
)
from samspill.participants.models import (
    FollowUpPeriod,
    FollowUpStatus,
    Outcome,
    Participant,
    PeriodOutcome,
    PeriodOutcomeChange,
)
from samspill.participants.permissions import Relationship, relationship_to

router = Router(tags=["outcomes"])


def _hours(value: Any) -> Decimal:
    # A JSON number (not a string, nor true or false), more than 0, at most MAX_HOURS, with at
    # most one decimal: as the form and the interchange format take it.
    if type(value) in (int, float):
        hours = Decimal(str(value))
        if hours.is_finite() and 0 < hours <= outcomes.MAX_HOURS and hours == round(hours, 1):
            return hours
    raise ValueError(
        _(
            "Enter the hours a week as a number above 0 and at most %(max)s, with at most one decimal."
        )
        % {"max": outcomes.MAX_HOURS}
    )


Hours = Annotated[
    Decimal,
    BeforeValidator(_hours),
    WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": float(outcomes.MAX_HOURS)}),
]
OutcomeCode = Annotated[str, OneOf(Outcome)]
Revision = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


class OutcomeCorrectionOut(Schema):
    changed_at: datetime.datetime
    changed_by_name: str | None
    reason: str
    before: dict[str, Any] = Field(..., description="The values before the correction.")

    @staticmethod
    def resolve_changed_by_name(obj: PeriodOutcomeChange) -> str | None:
        return obj.changed_by.full_name if obj.changed_by else None


class PeriodOutcomeOut(Schema):
    id: int
    period_id: int
    date: datetime.date
    outcome: str = Field(..., description="A code of the one outcome vocabulary.")
    outcome_label: str
    hours_per_week: float | None
    wage_subsidy: bool
    note: str
    source: str = Field(..., description="`staff`, `participant` or `import`.")
    recorded_by_name: str | None
    recorded_at: datetime.datetime | None
    revision: int
    changes: list[OutcomeCorrectionOut] = Field(..., description="Corrections, the latest first.")

    @staticmethod
    def resolve_outcome_label(obj: PeriodOutcome) -> str:
        return str(obj.get_outcome_display())

    @staticmethod
    def resolve_hours_per_week(obj: PeriodOutcome) -> float | None:
        return float(obj.hours_per_week) if obj.hours_per_week is not None else None

    @staticmethod
    def resolve_recorded_by_name(obj: PeriodOutcome) -> str | None:
        return obj.recorded_by.full_name if obj.recorded_by else None

    @staticmethod
    def resolve_changes(obj: PeriodOutcome) -> list[PeriodOutcomeChange]:
        return list(obj.changes.all())


class FollowUpStatusOut(Schema):
    id: int
    period_id: int
    months: int = Field(..., description="6 or 12: months after the period ended.")
    due_on: datetime.date
    outcome: str = Field(..., description="A code of the one vocabulary; empty until recorded.")
    outcome_label: str
    as_of: datetime.date | None
    hours_per_week: float | None
    wage_subsidy: bool
    source: str
    recorded_at: datetime.datetime | None
    revision: int

    @staticmethod
    def resolve_outcome_label(obj: FollowUpStatus) -> str:
        return str(obj.get_outcome_display()) if obj.outcome else ""

    @staticmethod
    def resolve_hours_per_week(obj: FollowUpStatus) -> float | None:
        return float(obj.hours_per_week) if obj.hours_per_week is not None else None


class FollowUpPeriodOut(Schema):
    id: int
    start_date: datetime.date
    end_date: datetime.date | None
    end_outcome: str = Field(..., description="The outcome at the end; empty while open.")
    outcomes: list[PeriodOutcomeOut]
    statuses: list[FollowUpStatusOut]

    @staticmethod
    def resolve_end_outcome(obj: FollowUpPeriod) -> str:
        return obj.end_reason

    @staticmethod
    def resolve_outcomes(obj: FollowUpPeriod) -> list[PeriodOutcome]:
        return list(obj.outcomes.all())

    @staticmethod
    def resolve_statuses(obj: FollowUpPeriod) -> list[FollowUpStatus]:
        return list(obj.statuses.all())


class PeriodOutcomeIn(Schema):
    date: Date = Field(..., description="When it happened: in the period, not in the future.")
    outcome: OutcomeCode
    hours_per_week: Hours | None = Field(None, description="Ordinary work only.")
    wage_subsidy: StrictBool = Field(False, description="Ordinary work only.")
    note: PlainText = Field("", max_length=300)


class PeriodOutcomePatch(Schema):
    revision: Revision = Field(..., description="The revision you read.")
    reason: PlainText = Field(..., min_length=1, max_length=300, description="Why it changes.")
    # Left out (or null): kept as it is; but null hours clear them.
    date: Date | None = Field(None, description="Leave out to keep.")
    outcome: OutcomeCode | None = Field(None, description="Leave out to keep.")
    hours_per_week: Hours | None = Field(None, description="Leave out to keep; null clears.")
    wage_subsidy: StrictBool | None = Field(None, description="Leave out to keep.")
    note: PlainText | None = Field(None, max_length=300, description="Leave out to keep.")


class FollowUpStatusIn(Schema):
    revision: Revision = Field(..., description="The revision you read.")
    outcome: OutcomeCode
    as_of: Date = Field(
        ..., description="The day it held on: after the period ended, not in the future."
    )
    hours_per_week: Hours | None = Field(None, description="Ordinary work only.")
    wage_subsidy: StrictBool = Field(False, description="Ordinary work only.")


CONFLICT_RESPONSES = WRITE_RESPONSES


def _recorder(request: HttpRequest, participant_id: int) -> Participant:
    """The door, and then: the participant's counselor or a leader."""
    participant = participant_for_write(request, participant_id)
    if relationship_to(request_user(request), participant) not in (
        Relationship.COUNSELOR,
        Relationship.LEADER,
    ):
        raise HttpError(403, _("Only the participant's counselor and leaders record outcomes."))
    return participant


def _outcomes() -> Prefetch[Any]:
    return Prefetch(
        "outcomes",
        PeriodOutcome.objects.select_related("recorded_by").prefetch_related(
            Prefetch("changes", PeriodOutcomeChange.objects.select_related("changed_by"))
        ),
    )


def _outcome_out(pk: int) -> PeriodOutcome:
    return PeriodOutcome.objects.select_related("recorded_by").get(pk=pk)


def _stale(model: type[Model], pk: int, revision: int) -> Status[dict] | None:
    """A 409 when the row's revision is not the one the caller read; the row stays locked for
    the rest of the transaction, so the service sees the same."""
    current = model._default_manager.select_for_update().values_list("revision", flat=True)
    now = current.get(pk=pk)
    if now == revision:
        return None
    detail = _(
        "Someone else changed this after you read it. Nothing was saved: read it again, then "
        "send your change with the current revision."
    )
    return Status(409, {"detail": detail, "errors": [], "revision": now})


@router.get(
    "/{participant_id}/periods",
    response={200: list[FollowUpPeriodOut], **ERROR_RESPONSES},
    summary="List follow-up periods with outcomes",
    description="Every follow-up period, the latest first, with its outcomes (and their "
    "corrections) and the statuses six and twelve months after. The read is access-logged.",
)
def period_list(request: HttpRequest, participant_id: PathId) -> list[FollowUpPeriod]:
    participant = participant_for_read(request, participant_id, "api:outcomes")
    return list(
        FollowUpPeriod.objects.filter(participant=participant)
        .prefetch_related(_outcomes(), "statuses")
        .order_by("-start_date", "-id")
    )


@router.post(
    "/{participant_id}/periods/{period_id}/outcomes",
    response={201: PeriodOutcomeOut, **ERROR_RESPONSES},
    summary="Record an outcome",
    description="Where the participant went, on a date in the period (at most one a day). "
    "Ending a period records its outcome at the end; this records one before, or one the "
    "end did not. Only the counselor and leaders.",
)
def outcome_create(
    request: HttpRequest, participant_id: PathId, period_id: PathId, payload: PeriodOutcomeIn
) -> Status[PeriodOutcome]:
    participant = _recorder(request, participant_id)
    period = FollowUpPeriod.objects.filter(pk=period_id, participant=participant).first()
    if period is None:
        raise Http404
    record = outcomes.outcome_record(period=period, by=request_user(request), **payload.dict())
    return Status(201, _outcome_out(record.pk))


@router.patch(
    "/{participant_id}/outcomes/{outcome_id}",
    response={200: PeriodOutcomeOut, **CONFLICT_RESPONSES},
    summary="Correct an outcome",
    description="Send the fields to change, the revision you read and why. The values before "
    "are kept in `changes`. A stale revision is a 409. Only the counselor and leaders.",
)
def outcome_patch(
    request: HttpRequest, participant_id: PathId, outcome_id: PathId, payload: PeriodOutcomePatch
) -> PeriodOutcome | Status[dict]:
    participant = _recorder(request, participant_id)
    record = PeriodOutcome.objects.filter(pk=outcome_id, period__participant=participant).first()
    if record is None:
        raise Http404
    changes = {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None or name == "hours_per_week"
    }
    with transaction.atomic():
        conflict = _stale(PeriodOutcome, record.pk, changes.pop("revision"))
        if conflict is not None:
            return conflict
        record.refresh_from_db()
        values = {
            "date": record.date,
            "outcome": record.outcome,
            "hours_per_week": record.hours_per_week,
            "wage_subsidy": record.wage_subsidy,
            "note": record.note,
            **changes,
        }
        outcomes.outcome_correct(
            record=record, by=request_user(request), revision=record.revision, **values
        )
    return _outcome_out(record.pk)


@router.put(
    "/{participant_id}/statuses/{status_id}",
    response={200: FollowUpStatusOut, **CONFLICT_RESPONSES},
    summary="Record a status after follow-up",
    description="Where the person is six or twelve months after the period ended (from a month "
    "before it is due), or a correction of it, with the revision you read. A stale revision "
    "is a 409. Only the counselor and leaders.",
)
def status_put(
    request: HttpRequest, participant_id: PathId, status_id: PathId, payload: FollowUpStatusIn
) -> FollowUpStatus | Status[dict]:
    participant = _recorder(request, participant_id)
    status = FollowUpStatus.objects.filter(pk=status_id, period__participant=participant).first()
    if status is None:
        raise Http404
    data = payload.dict()
    with transaction.atomic():
        conflict = _stale(FollowUpStatus, status.pk, data["revision"])
        if conflict is not None:
            return conflict
        return outcomes.status_record(status=status, by=request_user(request), **data)
