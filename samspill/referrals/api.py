"""The referrals API: the list, create, the record, its outcome and the statistics.

Thin like the pages (STYLE.md 3), with the same door (`views.referral_for_read`): roles with no
access to referrals (administrators) get a 403, a referral outside
`Referral.objects.visible_to(user)` is a 404, and every read of a record is access-logged. The
statistics (counts only) are for leaders and coordinators.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import model_validator

from samspill.accounts.auth import request_user
from samspill.accounts.models import User
from samspill.organisations.models import Membership
from samspill.organisations.queries import membership_for_user
from samspill.participants.api import (
    ERROR_RESPONSES,
    MAX_ID,
    WRITE_RESPONSES,
    Date,
    Id,
    ParamBool,
    ParamInt,
    PathId,
    PlainText,
    Revision,
    page_of,
)
from samspill.participants.models import NeedGroup
from samspill.referrals import permissions, queries, services
from samspill.referrals.models import Outcome, Referral, Source

router = Router(tags=["referrals"])


def api_membership(request: HttpRequest) -> Membership:
    """The caller's membership; roles with no access to referrals get a 403."""
    membership = membership_for_user(request_user(request))
    if not permissions.uses_referrals(membership):
        raise HttpError(403, _("You do not have access to referrals."))
    assert membership is not None
    return membership


def referral_for_write(request: HttpRequest, referral_id: int) -> Referral:
    """Fetch through the one door, or 404 (never 403: that would tell that the id exists)."""
    api_membership(request)
    if not 1 <= referral_id <= MAX_ID:
        raise Http404
    referral = (
        Referral.objects.visible_to(request_user(request))
        .select_related("organisation", "taken_by")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def referral_for_read(request: HttpRequest, referral_id: int, what: str) -> Referral:
    referral = referral_for_write(request, referral_id)
    user = request_user(request)
    why = permissions.relationship_to(user, referral)
    assert why is not None  # visible_to and relationship_to encode the same rules
    services.referral_access_log_record(actor=user, referral=referral, what=what, why=why)
    return referral


class ReferralListParams(Schema):
    limit: ParamInt = Field(25, ge=1, le=100, description="Page size.")
    offset: ParamInt = Field(0, ge=0, description="How many referrals to skip.")
    q: PlainText = Field(
        "", max_length=200, description="Name search: every word starts a given or family name."
    )
    source: Source | None = None
    outcome: Outcome | None = None
    no_outcome: ParamBool = Field(False, description="Only referrals with no outcome yet.")
    mine: ParamBool = Field(False, description="Only referrals the caller takes.")
    received_from: Date | None = None
    received_to: Date | None = None

    @model_validator(mode="after")
    def _from_before_to(self) -> "ReferralListParams":
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise ValueError(_("The end must be on or after the start."))
        return self


class ReferralListItem(Schema):
    id: int
    received_on: datetime.date
    given_name: str
    family_name: str
    source: str
    outcome: str
    taken_by_id: int | None
    taken_by_name: str | None
    participant_id: int | None

    @staticmethod
    def resolve_taken_by_name(obj: Referral) -> str | None:
        return obj.taken_by.full_name if obj.taken_by else None


class ReferralPage(Schema):
    count: int
    items: list[ReferralListItem]


class ReferralOut(ReferralListItem):
    source_other: str
    phone: str
    email: str
    birth_date: datetime.date | None
    asked_for: str
    need_group: str
    outcome_on: datetime.date | None
    external_key: str
    revision: int = Field(..., description="Send it back with a change (a lost-update guard).")


class ReferralIn(Schema):
    source: Source
    source_other: PlainText = Field("", max_length=200, description="Required for `other`.")
    received_on: Date = Field(..., description="Not in the future.")
    given_name: PlainText = Field(..., min_length=1, max_length=100)
    family_name: PlainText = Field(..., min_length=1, max_length=100)
    phone: PlainText = Field("", max_length=40)
    email: PlainText = Field("", max_length=254)
    birth_date: Date | None = None
    asked_for: PlainText = Field(..., min_length=1, max_length=10000)
    taken_by_id: Id | None = Field(
        None, description="Staff in the organisation who can follow participants."
    )
    need_group: NeedGroup | None = None
    external_key: PlainText = Field("", max_length=100)


class OutcomeIn(Schema):
    revision: Revision
    outcome: Outcome
    outcome_on: Date | None = Field(None, description="Default today; not in the future.")


class Period(Schema):
    start: Date | None = Field(None, description="First day; default 1 January this year.")
    end: Date | None = Field(None, description="Last day; default 31 December this year.")

    @model_validator(mode="after")
    def _start_before_end(self) -> "Period":
        if self.start and self.end and self.start > self.end:
            raise ValueError(_("The end must be on or after the start."))
        return self


SUPPRESSED = (
    "True when a count here is null: hidden because it is 1-4 referrals (fewer than 5), or "
    "because a total would let such a count be worked out (core/smallcells.py)."
)


class SourceRow(Schema):
    source: str
    label: str
    counts: dict[str, int | None] = Field(
        ...,
        description='Outcome -> referrals; the key "" is those with no outcome yet; null: hidden.',
    )
    total: int | None
    suppressed: bool = Field(..., description=SUPPRESSED)


class StatisticsOut(Schema):
    start: datetime.date
    end: datetime.date
    sources: list[SourceRow]
    totals: dict[str, int | None]
    total: int | None
    suppressed: bool = Field(..., description=SUPPRESSED)


@router.get(
    "",
    response={200: ReferralPage, **ERROR_RESPONSES},
    summary="List referrals",
    description="The referrals the caller may see, newest first, a page at a time.",
)
def referral_list(request: HttpRequest, params: Query[ReferralListParams]) -> dict:
    api_membership(request)
    flt = queries.ReferralFilter(
        q=params.q.strip(),
        source=params.source or "",
        outcome=queries.NO_OUTCOME if params.no_outcome else (params.outcome or ""),
        mine=params.mine,
        received_from=params.received_from,
        received_to=params.received_to,
    )
    rows = queries.referral_list(request_user(request), flt)
    return page_of(rows, offset=params.offset, limit=params.limit)


@router.post(
    "",
    response={201: ReferralOut, **ERROR_RESPONSES},
    summary="Record a referral",
)
def referral_create(request: HttpRequest, payload: ReferralIn) -> Status[Referral]:
    membership = api_membership(request)
    data = payload.dict()
    taken_by = None
    if (taken_by_id := data.pop("taken_by_id")) is not None:
        # Looked up within the caller's organisation, so that another organisation's user
        # reads exactly like one that does not exist.
        taken_by = User.objects.filter(
            pk=taken_by_id,
            memberships__organisation_id=membership.organisation_id,
            memberships__is_active=True,
        ).first()
        if taken_by is None:
            raise ValidationError({"taken_by_id": _("Choose someone in your organisation.")})
    data["need_group"] = data["need_group"] or ""
    try:
        referral = services.referral_create(
            organisation=membership.organisation,
            by=request_user(request),
            taken_by=taken_by,
            **data,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "taken_by" in error.error_dict:
            error.error_dict["taken_by_id"] = error.error_dict.pop("taken_by")
        raise
    return Status(201, referral)


@router.get(
    "/statistics",
    response={200: StatisticsOut, **ERROR_RESPONSES},
    summary="Referral statistics",
    description="Referrals received in a period by source and outcome, with totals. Counts "
    "only; for leaders and coordinators.",
)
def referral_statistics(request: HttpRequest, period: Query[Period]) -> dict:
    membership = api_membership(request)
    if not permissions.sees_statistics(membership):
        raise HttpError(403, _("Only leaders and coordinators see the referral statistics."))
    start, end = queries.this_year(timezone.localdate())
    stats = queries.referral_statistics(
        request_user(request), start=period.start or start, end=period.end or end
    )
    keys = [value for value, _label in stats.columns]
    return {
        "start": stats.start,
        "end": stats.end,
        "sources": [
            {
                "source": row.source,
                "label": row.label,
                "counts": dict(zip(keys, row.counts, strict=True)),
                "total": row.total,
                "suppressed": row.suppressed,
            }
            for row in stats.rows
        ],
        "totals": dict(zip(keys, stats.totals, strict=True)),
        "total": stats.total,
        "suppressed": stats.suppressed,
    }


@router.get(
    "/{referral_id}",
    response={200: ReferralOut, **ERROR_RESPONSES},
    summary="Read a referral",
    description="The read is access-logged.",
)
def referral_detail(request: HttpRequest, referral_id: PathId) -> Referral:
    return referral_for_read(request, referral_id, "api:referral")


@router.post(
    "/{referral_id}/outcome",
    response={200: ReferralOut, **WRITE_RESPONSES},
    summary="Set the referral's outcome",
)
def referral_outcome(request: HttpRequest, referral_id: PathId, payload: OutcomeIn) -> Referral:
    referral = referral_for_write(request, referral_id)
    return services.referral_set_outcome(
        referral=referral, by=request_user(request), **payload.dict()
    )
