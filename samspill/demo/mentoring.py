"""Demo data for the mentor side of a placement (seed 002): on the bakery's running placement,
the mentor chosen with the employer, NAV's mentor grant for three hours a week, the owner who
backs the mentor, this month's hours, a follow-up that names challenges (mental health among
them, which the portal never shows) and a mid-way evaluation with its social side."""

import datetime
from decimal import Decimal

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.placements import MENTOR_EMAIL
from samspill.employers import services as employer_services
from samspill.placements import followups, mentoring
from samspill.placements.models import MentorArrangement, Placement


def mentoring_load(counselor: User) -> None:
    placement = (
        Placement.objects.filter(mentor__email=MENTOR_EMAIL, locked_at__isnull=False)
        .order_by("id")
        .first()
    )
    if placement is None:
        return
    today = timezone.localdate()
    leader = employer_services.contact_add(
        employer=placement.employer,
        by=counselor,
        name="Berit Bakke",
        title="Daglig leder",
        phone="91234567",
    )
    mentoring.mentor_arrangement_save(
        placement=placement,
        by=counselor,
        revision=None,
        chosen_with_employer=True,
        chosen_on=placement.start_date - datetime.timedelta(days=7),
        why="Står ved ovnen hele dagen og har lært opp lærlinger før.",
        hours_per_week=Decimal("3"),
        compensation=MentorArrangement.Compensation.MENTOR_GRANT,
        rate="Etter NAVs sats for tilskudd til mentor",
        paid_by="NAV, til bedriften",
        leader=leader,
    )
    mentoring.mentor_month_record(
        placement=placement,
        by=placement.mentor.user if placement.mentor and placement.mentor.user else counselor,
        month=today,
        hours=Decimal("9"),
        note="Mest opplæring ved ovnen, litt ved kassa.",
    )
    followups.follow_up_log(
        placement=placement,
        by=counselor,
        held_on=today,
        going="mixed",
        participant_present=True,
        counselor_present=True,
        notes="Språket i pausene er krevende; sliten enkelte dager.",
        challenges=["language", "mental_health"],
    )
    followups.evaluation_save(
        placement=placement,
        by=counselor,
        kind="midway",
        held_on=today,
        tasks_mastered="Deig, steking og oppvask på egen hånd.",
        attendance="good",
        cooperation="good",
        challenges=["language", "social"],
        functions_socially="variable",
        feels_recognised="good",
        enjoys_work="very_good",
    )
