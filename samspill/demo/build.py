"""The demo data, loaded once: `load()` runs every part in one transaction, in an order that
keeps each part's choices the same (the participants first, then what picks among them)."""

import random

from django.db import transaction

from samspill.accounts.models import User
from samspill.demo import (
    coordination,
    employers,
    kinds,
    learning,
    loop_evaluation,
    loop_meetings,
    loops,
    matching,
    mentoring,
    outcomes,
    people,
    placements,
    referrals,
    selfservice,
    sparring,
    workshops,
)
from samspill.demo import programme as learning_programme
from samspill.demo.people import DEMO_PASSWORD, OPERATOR_EMAIL, ORG_NAME, STAFF
from samspill.demo.placements import MENTOR_EMAIL, PARTICIPANT_EMAIL
from samspill.learning.models import Network
from samspill.organisations.models import Organisation


def is_loaded() -> bool:
    return Organisation.objects.filter(name=ORG_NAME).exists()


@transaction.atomic
def load() -> None:
    rng = random.Random(2026)
    cast = people.cast_create()
    employer_list = employers.employers_load(cast, rng)
    people.participants_load(cast, employer_list, rng)
    placements.placements_load(employer_list, cast.counselors[0])
    mentoring.mentoring_load(cast.counselors[0])
    loops.loop_load(cast.org, employer_list[1:4], cast.counselors[0], cast.coordinator)
    loops.loop_partners_load(cast.org, employer_list[4:7], cast.counselors[0], cast.coordinator)
    referrals.referrals_load(cast.org, [*cast.counselors, cast.leader], rng)
    # Last, from stories of its own: the year of ended follow-up changes nothing the parts
    # above choose.
    outcomes.year_load(cast, employer_list)
    learning.learning_load(cast, User.objects.get(email=STAFF[5][0]))
    learning_programme.programme_load(cast)
    learning_programme.partner_programme_load(
        User.objects.get(email=learning.PARTNER_MENTOR),
        Network.objects.get(name=learning.NETWORK_NAME),
    )
    # The participants' own pages: what the demo participant and others wrote there.
    selfservice.selfservice_load(cast)
    sparring.sparring_load(cast)
    matching.matching_load(cast, employer_list)
    kinds.kinds_load(cast, employer_list)
    workshops.workshops_load(cast)
    loop_evaluation.loop_evaluation_load(cast.org, employer_list[1:4], cast.counselors[0])
    loop_meetings.loop_meetings_load(cast.org)
    coordination.coordination_load(cast, employer_list, rng)


def logins() -> list[str]:
    return [
        f"\nSamspill runs at http://127.0.0.1:8000/  Demo logins (password: {DEMO_PASSWORD}):",
        *(f"  {email:34} {name} ({role})" for email, name, role, _team in STAFF),
        f"  {MENTOR_EMAIL:34} Mona Mentor (mentor, employer portal)",
        f"  {matching.EMPLOYER_EMAIL:34} Eva Eier (employer contact: proposed candidates)",
        f"  {PARTICIPANT_EMAIL:34} (participant, own login)",
        f"  {learning.PARTNER_MENTOR:34} Mette Jensen (platform mentor, network partner)",
        f"  {loops.DRIVER_EMAIL:34} Dina Driver (external loop driver)",
        f"  {loops.NAV_EMAIL:34} Nils Navesen (NAV loop coordinator)",
        f"  {loop_evaluation.CONTACT_EMAIL:34} Hanne Leder (employer contact, loop evaluation)",
        f"  {OPERATOR_EMAIL:34} Drift Operatør (platform operator: Django admin at /admin/)",
        "",
    ]
