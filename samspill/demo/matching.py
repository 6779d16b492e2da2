"""Matching demo: open needs in the demo organisation and participants whose shared strengths
fit them, so "Find candidates" and "Suggested workplaces" show sensible first choices."""

import datetime

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import DEMO_PASSWORD, Cast
from samspill.employers.models import Employer, EmployerContact
from samspill.employers.services import contact_add, need_add
from samspill.matching import services
from samspill.matching.engine import candidates_for_need
from samspill.participants.models import ConsentRecord, NeedGroup
from samspill.participants.services import consent_give, participant_create

# (role, tasks, skills, hours) of a need, and the person who fits it in their own words.
PAIRS = [
    (
        ("Lagermedarbeider", "Plukke og pakke varer, kjøre truck", "truck", 30),
        (
            "Jonas",
            "Lie",
            "Truck, lager, pakking av varer",
            "Jobbe på lager med truck",
            NeedGroup.PARTIAL_WORK,
        ),
    ),
    (
        ("Kjøkkenassistent", "Forberede mat, oppvask, servering", "kjøkken", 20),
        (
            "Sara",
            "Haugen",
            "Matlaging, kjøkken",
            "Jobbe på kafé eller kjøkken",
            NeedGroup.NEEDS_GUIDANCE,
        ),
    ),
    (
        ("Gartnerlærling", "Stell av planter og grøntanlegg utendørs", "hage", 37),
        ("Emil", "Bakke", "Hagearbeid, planter", "Jobbe utendørs", NeedGroup.REDUCED_CAPACITY),
    ),
]


EMPLOYER_EMAIL = "arbeidsgiver@demo.samspill.no"


def _employer_login(employer: Employer, by: User) -> EmployerContact:
    """The employer's manager with a portal login: candidates are presented to her."""
    contact = contact_add(
        employer=employer,
        by=by,
        name="Eva Eier",
        title="Daglig leder",
        email=EMPLOYER_EMAIL,
        confidentiality_signed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    contact.user = User.objects.create_user(
        email=EMPLOYER_EMAIL, password=DEMO_PASSWORD, full_name=contact.name
    )
    contact.save(update_fields=["user"])
    return contact


def matching_load(cast: Cast, employer_list: list[Employer]) -> None:
    counselor = cast.counselors[0]
    for index, (need_fields, person) in enumerate(PAIRS):
        role, tasks, skills, hours = need_fields
        given, family, can, wishes, group = person
        need = need_add(
            employer=employer_list[index % len(employer_list)],
            by=counselor,
            role=role,
            tasks=tasks,
            skills=skills,
            hours_per_week=hours,
        )
        participant = participant_create(
            organisation=cast.org,
            by=counselor,
            counselor=counselor,
            given_name=given,
            family_name=family,
            what_i_can=can,
            interests=wishes,
            need_group=group,
            start_date=datetime.date(2026, 9, 1),
        )
        consent_give(
            participant=participant,
            by=counselor,
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=ConsentRecord.Information.STRENGTHS,
        )
        if index == 0:  # one proposal already made, for the hit-rate page
            result = candidates_for_need(counselor, need)
            suggestion = next(s for s in result.suggestions if s.participant_id == participant.pk)
            proposal = services.suggestion_propose(
                by=counselor, participant=participant, need=need, suggestion=suggestion
            )
            # Presented to the employer's manager, who answers in the portal.
            services.proposal_present(
                proposal=proposal,
                by=cast.leader,
                contact=_employer_login(need.employer, counselor),
                revision=proposal.revision,
            )
