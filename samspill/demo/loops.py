"""A jobbLOOP starting next month, with its kick-off gathering and seating."""

import datetime

from django.utils import timezone

from samspill.accounts.models import User
from samspill.employers import services as employer_services
from samspill.employers.models import Employer
from samspill.loops import services as loop_services
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant


def loop_load(org: Organisation, employers: list[Employer], counselor: User, driver: User) -> None:
    """A jobbLOOP starting next month: three employers with a mentor each, a kick-off two
    weeks ago with interest marks both ways, and three young people seated by the
    formation, each cell a draft work-training placement."""
    today = timezone.localdate()
    start = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    mentors = [
        employer_services.contact_add(
            employer=employer,
            by=counselor,
            name=name,
            phone=f"9{index}123456",
            is_mentor=True,
            confidentiality_signed_on=today - datetime.timedelta(days=20),
        )
        for index, (employer, name) in enumerate(
            zip(employers, ["Per Verksted", "Sara Kafé", "Ali Lager"], strict=True)
        )
    ]
    loop = loop_services.loop_create(
        organisation=org,
        by=counselor,
        name="jobbLOOP Vest",
        driver=driver,
        counselor=counselor,
        start_date=start,
        employers=employers,
        mentors=mentors,
    )
    young = [
        p
        for p in Participant.objects.filter(counselor=counselor, placements__isnull=True)
        .exclude(birth_date__isnull=True)
        .order_by("-birth_date", "id")
        if p.birth_date and 16 <= (start - p.birth_date).days // 365 <= 30
    ][:4]
    kick_off = loop_services.gathering_create(
        organisation=org,
        by=counselor,
        date=today - datetime.timedelta(days=14),
        place="Kulturhuset, lille sal",
    )
    for candidate in young:
        # Marks are only for candidates invited to the gathering (loops.services).
        invitation = loop_services.gathering_invite(
            gathering=kick_off, by=counselor, participant=candidate
        )
        loop_services.invitation_attendance_set(
            invitation=invitation, by=counselor, attendance="attended"
        )
    for index, candidate in enumerate(young):
        for column, employer in enumerate(employers):
            loop_services.interest_mark_set(
                gathering=kick_off,
                by=counselor,
                candidate=candidate,
                employer=employer,
                employer_mark=(index + column) % 3,
                candidate_mark=(2 * index + column) % 3,
            )
    if len(young) >= 3:
        loop_services.loop_seating_accept(
            loop=loop,
            by=counselor,
            seats=[
                (young[row], [employers[(row + period) % 3] for period in range(3)])
                for row in range(3)
            ],
        )
