"""The loop partners' API (drivers.py): the external driver's and NAV's loop coordinator's own
routes, and the organisation's routes for inviting them.

The same door as the pages (views_drivers.py): a partner reaches only `/me/...` (anyone else a
403), a loop or gathering outside theirs is a 404; candidates are shown as the portal's rules
allow. The management routes are for the organisation's administrators and coordinators.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from samspill.accounts.auth import request_user
from samspill.employers.models import EmployerContact
from samspill.loops import drivers
from samspill.loops.models import LoopPartner, LoopReferral
from samspill.participants.api import ERROR_RESPONSES, MAX_ID, Date, Id, PathId, PlainText

router = Router(tags=["loop partners"])


def _partner(request: HttpRequest) -> LoopPartner:
    partner = drivers.loop_partner(request_user(request))
    if partner is None:
        raise HttpError(403, _("Only loop partners use these routes."))
    return partner


def _driver(request: HttpRequest) -> LoopPartner:
    partner = _partner(request)
    if not partner.is_driver:
        raise HttpError(403, _("Only the loop's external driver does this."))
    return partner


def _nav(request: HttpRequest) -> LoopPartner:
    partner = _partner(request)
    if not partner.is_nav:
        raise HttpError(403, _("Only NAV's loop coordinator does this."))
    return partner


def _in_range(pk: int) -> int:
    if not 1 <= pk <= MAX_ID:
        raise Http404
    return pk


class PartnerLoopOut(Schema):
    id: int
    name: str
    start_date: datetime.date
    period_months: int
    size: int


class CandidateOut(Schema):
    participant_id: int
    name: str | None = Field(description="Only when the participant shares contact details.")
    phone: str | None
    invited: bool
    attendance: str | None
    proposed: bool


class InviteIn(Schema):
    participant_id: Id | None = None
    contact_id: Id | None = None


class PartnerInvitationOut(Schema):
    id: int
    participant_id: int | None
    contact_id: int | None
    attendance: str


class PartnerReferralIn(Schema):
    given_name: PlainText = Field(..., min_length=1, max_length=100)
    family_name: PlainText = Field(..., min_length=1, max_length=100)
    birth_date: Date | None = None
    phone: PlainText = Field("", max_length=40)
    email: PlainText = Field("", max_length=254)
    asked_for: PlainText = Field(..., min_length=1, max_length=2000)


class PartnerReferralOut(Schema):
    id: int
    loop_id: int
    given_name: str
    family_name: str
    received_on: datetime.date
    outcome: str


class PartnerIn(Schema):
    full_name: PlainText = Field(..., min_length=1, max_length=200)
    email: PlainText = Field(..., min_length=3, max_length=254)
    role: str = Field(..., description="external_driver or nav_coordinator")
    affiliation: PlainText = Field("", max_length=200)


class PartnerOut(Schema):
    id: int
    full_name: str
    email: str
    role: str
    affiliation: str
    is_active: bool
    confidentiality_signed_on: datetime.date | None
    loop_ids: list[int]


def _referral_out(row: LoopReferral) -> dict[str, Any]:
    return {
        "id": row.pk,
        "loop_id": row.loop_id,
        "given_name": row.referral.given_name,
        "family_name": row.referral.family_name,
        "received_on": row.referral.received_on,
        "outcome": row.referral.outcome,
    }


def _partner_out(partner: LoopPartner) -> dict[str, Any]:
    return {
        "id": partner.pk,
        "full_name": partner.user.full_name,
        "email": partner.user.email,
        "role": partner.role,
        "affiliation": partner.affiliation,
        "is_active": partner.is_active,
        "confidentiality_signed_on": partner.confidentiality_signed_on,
        "loop_ids": [loop.pk for loop in partner.loops.all()],
    }


@router.get(
    "/me/loops",
    response={200: list[PartnerLoopOut], **ERROR_RESPONSES},
    summary="The partner's loops",
)
def my_loops(request: HttpRequest) -> Any:
    partner = _partner(request)
    return [
        {
            "id": loop.pk,
            "name": loop.name,
            "start_date": loop.start_date,
            "period_months": loop.period_months,
            "size": loop.size,
        }
        for loop in drivers.partner_loops(partner).order_by("-start_date", "name")
    ]


@router.get(
    "/me/gatherings/{gathering_id}/candidates",
    response={200: list[CandidateOut], **ERROR_RESPONSES},
    summary="Candidates at the driver's gathering",
    description="Invited or proposed candidates, as the portal's consent rules allow. "
    "Each read is access-logged.",
)
def my_candidates(request: HttpRequest, gathering_id: PathId) -> Any:
    partner = _driver(request)
    gathering = drivers.gathering_for_partner(partner, _in_range(gathering_id))
    return [
        {
            "participant_id": c.pk,
            "name": c.name or None,
            "phone": c.phone or None,
            "invited": c.invited,
            "attendance": c.invitation.attendance if c.invitation else None,
            "proposed": c.nomination is not None,
        }
        for c in drivers.driver_candidates(partner=partner, gathering=gathering)
    ]


@router.post(
    "/me/gatherings/{gathering_id}/invitations",
    response={201: PartnerInvitationOut, **ERROR_RESPONSES},
    summary="Invite a proposed candidate or an employer contact",
)
def my_invite(request: HttpRequest, gathering_id: PathId, payload: InviteIn) -> Any:
    partner = _driver(request)
    gathering = drivers.gathering_for_partner(partner, _in_range(gathering_id))
    if (payload.participant_id is None) == (payload.contact_id is None):
        raise HttpError(400, _("Name a participant or an employer contact, one of them."))
    if payload.participant_id is not None:
        invitation = drivers.driver_invite_candidate(
            partner=partner, gathering=gathering, participant_id=payload.participant_id
        )
    else:
        assert payload.contact_id is not None
        contact = EmployerContact.objects.filter(
            pk=payload.contact_id, employer__organisation_id=partner.organisation_id
        ).first()
        if contact is None:
            raise Http404
        invitation = drivers.driver_invite_contact(
            partner=partner, gathering=gathering, contact=contact
        )
    return 201, {
        "id": invitation.pk,
        "participant_id": invitation.participant_id,
        "contact_id": invitation.contact_id,
        "attendance": invitation.attendance,
    }


@router.get(
    "/me/referrals",
    response={200: list[PartnerReferralOut], **ERROR_RESPONSES},
    summary="NAV's coordinator: my referrals to loops",
)
def my_referrals(request: HttpRequest) -> Any:
    partner = _nav(request)
    return [_referral_out(row) for row in drivers.nav_referral_rows(partner)]


@router.post(
    "/me/loops/{loop_id}/referrals",
    response={201: PartnerReferralOut, **ERROR_RESPONSES},
    summary="NAV's coordinator: refer a young person to a loop",
)
def my_refer(request: HttpRequest, loop_id: PathId, payload: PartnerReferralIn) -> Any:
    partner = _nav(request)
    loop = drivers.loop_for_partner(partner, _in_range(loop_id))
    row = drivers.nav_referral_create(partner=partner, loop=loop, **payload.dict())
    return 201, _referral_out(row)


def _manager(request: HttpRequest) -> Any:
    membership = drivers.manager_membership(request_user(request))
    if membership is None:
        raise HttpError(403, _("Only administrators and coordinators manage loop partners."))
    return membership


@router.get(
    "",
    response={200: list[PartnerOut], **ERROR_RESPONSES},
    summary="The organisation's loop partners",
)
def partner_list(request: HttpRequest) -> Any:
    membership = _manager(request)
    return [
        _partner_out(p)
        for p in drivers.partners_managed_by(membership)
        .select_related("user")
        .prefetch_related("loops")
    ]


@router.post(
    "",
    response={201: PartnerOut, **ERROR_RESPONSES},
    summary="Invite a loop partner",
    description="An external driver or NAV's loop coordinator; an e-mail with a one-time link.",
)
def partner_invite(request: HttpRequest, payload: PartnerIn) -> Any:
    membership = _manager(request)
    try:
        partner = drivers.loop_partner_invite(
            organisation=membership.organisation, by=request_user(request), **payload.dict()
        )
    except PermissionDenied:
        raise HttpError(
            403, _("Only administrators and coordinators manage loop partners.")
        ) from None
    return 201, _partner_out(partner)
