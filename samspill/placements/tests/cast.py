"""Placements at every stage, for tests: a complete draft, and one approved by all three
parties with a final evaluation and an issued certificate. Also the agreement story's calendar
(the clock frozen on TODAY, a start a week later) and the helpers its test modules share."""

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

from django.utils import timezone

from samspill.accounts.models import User
from samspill.employers.models import Employer, EmployerContact
from samspill.participants.models import Participant
from samspill.placements import followups, services
from samspill.placements.models import AgreementVersion, FollowUp, Party, Placement

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
TODAY = datetime.date(2026, 3, 2)
START = datetime.date(2026, 3, 9)  # a week ahead: the agreement is ready before it runs
END = START + datetime.timedelta(days=180)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=OSLO)


CONTENT: dict[str, Any] = {
    "goals": [{"category": "job_here", "text": "Fast jobb etter ett år"}],
    "tasks": "Steke brød, vaske utstyr",
    "hours_per_week": Decimal("30"),
    "work_days": "Mandag til torsdag",
    "work_place": "Bakeriet, Storgata 1",
    "employer_expects": "Møter presis",
    "participant_expects": "Opplæring i ovnene",
    "we_offer": "Oppfølging hver uke den første måneden",
    "if_something_happens": "Ring veilederen",
}


def draft(
    participant: Participant,
    employer: Employer,
    counselor: User,
    mentor: EmployerContact,
    *,
    start: datetime.date | None = None,
    kind: str = Placement.Kind.WORK_TRAINING,
) -> Placement:
    """A complete draft agreement, ready for approval."""
    start = start or timezone.localdate()
    return services.placement_create(
        participant=participant,
        employer=employer,
        by=counselor,
        kind=kind,
        title="Bakeassistent",
        start_date=start,
        end_date=start + datetime.timedelta(days=180),
        start_reason="Registered after the start." if start < timezone.localdate() else "",
        mentor=mentor,
        **CONTENT,
    )


def sent(placement: Placement, counselor: User) -> Placement:
    """The complete draft sent for approval, as the counselor does on its page."""
    return services.agreement_send_for_approval(
        placement=placement, by=counselor, revision=placement.revision
    )


def approve_all(placement: Placement, counselor: User, employer_user: User) -> Placement:
    services.expectation_meeting_record(
        placement=placement,
        by=counselor,
        held_on=min(placement.start_date, timezone.localdate()),
        participant_present=True,
        mentor_present=True,
        employer_present=True,
        counselor_present=True,
    )
    revision = placement.revision
    if placement.sent_for_approval_at is None:
        services.agreement_send_for_approval(placement=placement, by=counselor, revision=revision)
    services.agreement_approve(
        placement=placement,
        by=counselor,
        party=Party.PARTICIPANT,
        revision=revision,
        on_behalf_reason="Approved orally at the meeting.",
    )
    services.agreement_approve(
        placement=placement, by=employer_user, party=Party.EMPLOYER, revision=revision
    )
    services.agreement_approve(
        placement=placement, by=counselor, party=Party.COUNSELOR, revision=revision
    )
    placement.refresh_from_db()
    return placement


def with_certificate(placement: Placement, counselor: User, employer_user: User) -> Placement:
    """A final evaluation and an issued certificate on an approved placement."""
    followups.evaluation_save(
        placement=placement,
        by=counselor,
        kind="final",
        held_on=timezone.localdate(),
        tasks_mastered="Bakte brød alene",
        attendance="very_good",
        cooperation="good",
    )
    certificate = followups.certificate_request(
        placement=placement,
        by=counselor,
        language="nb",
        tasks="Steking av brød",
        assessment="Stødig og presis.",
    )
    followups.certificate_approve(certificate=certificate, by=employer_user)
    placement.refresh_from_db()
    return placement


def change(placement: Placement, by: User, reason: str, **changes: Any) -> AgreementVersion:
    return services.agreement_change(
        placement=placement, by=by, revision=placement.revision, reason=reason, **changes
    )


def due_dates(placement: Placement) -> list[datetime.date]:
    open_ones = FollowUp.objects.filter(placement=placement, held_on__isnull=True)
    return [day for day in open_ones.order_by("due_on").values_list("due_on", flat=True) if day]
