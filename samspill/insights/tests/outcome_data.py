"""A year of follow-up made through the services, as a counselor and a leader would make it:
referrals taken in, participants started, a counselor change to another team, placements,
periods ended with their outcome, and statuses six months after recorded for most.

`build` travels in time (time_machine) so that every date is "today" or before when it is
recorded, as the services require.
"""

import datetime
from dataclasses import dataclass

from samspill.accounts.models import User
from samspill.core.testing import make_employer, make_participant
from samspill.organisations.models import Organisation
from samspill.participants import services
from samspill.participants.models import CounselorAssignment, FollowUpStatus, Participant
from samspill.participants.outcomes import status_record
from samspill.placements.services import placement_create
from samspill.referrals.services import referral_create, referral_make_participant

STARTED = datetime.date(2025, 1, 6)
MOVED = datetime.date(2025, 3, 3)  # ten change counselor, to team B
ENDED = datetime.date(2025, 6, 30)
STATUS_ON = datetime.date(2026, 1, 5)  # six months after, recorded for twenty
TODAY = datetime.date(2026, 3, 2)  # twelve months after is not yet due
# The outcome at the end and six months after (None: not recorded), five people each.
STORIES = [
    ("ordinary_work", "ordinary_work"),
    ("ordinary_work", "ordinary_work"),
    ("ordinary_work", None),
    ("education", "education"),
    ("other_measure", "ordinary_work"),
    ("not_ready", None),
]


@dataclass
class Year:
    participants: list[Participant]


def _at(time_machine, day: datetime.date) -> None:
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC))


def build(
    time_machine, org: Organisation, counselor: User, other_team_counselor: User, leader: User
) -> Year:
    """30 participants: the first 10 came by referral from the youth department; participants
    10-19 moved to the counselor of team B in March; 20-29 had a work training placement."""
    _at(time_machine, STARTED)
    employer = make_employer(org, counselor, name="Verkstedet AS")
    people = []
    for index, (_end, _after) in enumerate(s for s in STORIES for _n in range(5)):
        fields = {
            "given_name": f"P{index}",
            "family_name": "Deltaker",
            "need_group": "needs_guidance" if index % 2 else "good_prospects",
            "birth_date": datetime.date(2001 if index % 3 else 1975, 4, 1),
        }
        if index < 10:
            referral = referral_create(
                organisation=org,
                by=leader,
                source="youth_department",
                received_on=STARTED,
                taken_by=counselor,
                asked_for="Work.",
                **fields,
            )
            people.append(referral_make_participant(referral=referral, by=counselor))
        else:
            people.append(make_participant(org, counselor, start_date=STARTED, **fields))
    for person in people[20:]:
        placement_create(
            participant=person,
            employer=employer,
            by=counselor,
            kind="work_training",
            title="Verksted",
            start_date=datetime.date(2025, 2, 3),
            end_date=datetime.date(2025, 4, 30),
        )
    _at(time_machine, MOVED)
    for person in people[10:20]:
        services.counselor_assign(
            participant=person,
            counselor=other_team_counselor,
            by=leader,
            reason=CounselorAssignment.Reason.OTHER,
            reason_text="Team B takes over.",
        )
    _at(time_machine, ENDED)
    stories = [s for s in STORIES for _n in range(5)]
    for person, (outcome, _after) in zip(people, stories, strict=True):
        services.period_end(participant=person, by=counselor, end_date=ENDED, outcome=outcome)
    _at(time_machine, STATUS_ON)
    for person, (_outcome, after) in zip(people, stories, strict=True):
        if after is not None:
            status = FollowUpStatus.objects.get(period__participant=person, months=6)
            status_record(status=status, by=counselor, outcome=after, as_of=STATUS_ON)
    _at(time_machine, TODAY)
    return Year(participants=people)
