"""The organisation, its staff and about 60 participants in follow-up now, with Norwegian
names, check-ins, consents, plans and notes."""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from samspill.accounts.models import User
from samspill.core.synthetic import fodselsnummer_for
from samspill.employers.models import Employer
from samspill.followup import services as followup_services
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord, CounselorAssignment, NeedGroup
from samspill.plans import services as plan_services
from samspill.plans.models import Activity, Note

DEMO_PASSWORD = "samspill-demo"
ORG_NAME = "Kopano Vest AS"
# The installation's platform operator: a superuser in no organisation, the only one who gets
# into Django admin.
OPERATOR_EMAIL = "operator@demo.samspill.no"

GIVEN = [
    "Emma",
    "Nora",
    "Sofie",
    "Ingrid",
    "Sara",
    "Maja",
    "Ella",
    "Thea",
    "Amalie",
    "Ida",
    "Jonas",
    "Lukas",
    "Emil",
    "Filip",
    "Oskar",
    "Henrik",
    "Magnus",
    "Aksel",
    "Sander",
    "Mathias",
    "Ahmed",
    "Amina",
    "Yonas",
    "Olena",
    "Mariam",
    "Jakub",
    "Leah",
    "Kasper",
    "Aurora",
    "Tobias",
]
FAMILY = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Strand",
    "Moen",
    "Solberg",
]
DREAMS = [
    "Å jobbe med dyr",
    "Egen frisørsalong en dag",
    "Fast jobb i butikk",
    "Bli kokk",
    "Jobbe med bil",
    "Fagbrev som tømrer",
    "Jobbe i barnehage",
    "Lager og logistikk",
    "Jobbe med data",
]
STAFF = [
    ("kari.nordmann@demo.samspill.no", "Kari Nordmann", Membership.Role.COUNSELOR, 0),
    ("ola.hansen@demo.samspill.no", "Ola Hansen", Membership.Role.COUNSELOR, 0),
    ("fatima.ali@demo.samspill.no", "Fatima Ali", Membership.Role.COUNSELOR, 1),
    ("jonas.lie@demo.samspill.no", "Jonas Lie", Membership.Role.COORDINATOR, None),
    ("lise.berg@demo.samspill.no", "Lise Berg", Membership.Role.LEADER, None),
    ("admin@demo.samspill.no", "Per Admin", Membership.Role.ADMIN, None),
]


@dataclass
class Cast:
    """The demo organisation and the staff every part of the demo works with."""

    org: Organisation
    teams: list[Team]
    counselors: list[User]  # Kari Nordmann (the demo counselor), Ola Hansen, Fatima Ali
    coordinator: User
    leader: User


def cast_create() -> Cast:
    org = Organisation.objects.create(
        name=ORG_NAME,
        kind=Organisation.Kind.INCLUSION_COMPANY,
        team_sees_team_participants=True,
    )
    User.objects.create_superuser(
        email=OPERATOR_EMAIL, password=DEMO_PASSWORD, full_name="Drift Operatør"
    )
    teams = [
        Team.objects.create(organisation=org, name="Team Ung"),
        Team.objects.create(organisation=org, name="Team Arbeid"),
    ]
    users: list[User] = []
    for email, name, role, team_index in STAFF:
        # Nobody in the organisation is staff or superuser: Django admin is the platform
        # operator's (core/admin_site.py), and the operator works in no organisation.
        # Each has a work phone: they are the person employers and participants call.
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=name,
            phone=f"+47 55 30 {40 + len(users):02d} {10 + 7 * len(users):02d}",
        )
        Membership.objects.create(
            user=user,
            organisation=org,
            role=role,
            team=teams[team_index] if team_index is not None else None,
        )
        users.append(user)
    return Cast(org=org, teams=teams, counselors=users[:3], coordinator=users[3], leader=users[4])


def participants_load(cast: Cast, employers: list[Employer], rng: random.Random) -> None:
    """About 60 participants in follow-up now, started in the last 13 months."""
    org, counselors, leader = cast.org, cast.counselors, cast.leader
    today = timezone.localdate()
    names = rng.sample([(g, f) for g in GIVEN for f in FAMILY], 60)
    for index, (given, family) in enumerate(names):
        counselor = counselors[index % 3]
        birth = datetime.date(rng.randint(1990, 2007), rng.randint(1, 12), rng.randint(1, 28))
        start = today - datetime.timedelta(days=rng.randint(5, 400))
        participant = participant_services.participant_create(
            organisation=org,
            by=counselor,
            counselor=counselor,
            start_date=start,
            given_name=given,
            family_name=family,
            national_id=fodselsnummer_for(birth, rng, d_number=index % 11 == 0),
            phone=f"9{rng.randint(1000000, 9999999)}",
            municipality=rng.choice(["Bergen", "Askøy", "Bjørnafjorden", "Øygarden"]),
            need_group=rng.choice(NeedGroup.values),
            dreams=rng.choice(DREAMS),
            interests=rng.choice(
                ["Fotball, gaming", "Matlaging", "Musikk", "Trening", "Tegning", "Bil og motor"]
            ),
            next_follow_up_on=today + datetime.timedelta(days=rng.randint(-10, 30))
            if index % 5
            else None,
        )
        if index % 15 == 7:
            # A few handovers, so "new to you" and the counselor history have something to show.
            participant_services.counselor_assign(
                participant=participant,
                counselor=counselors[(index + 1) % 3],
                by=leader,
                reason=CounselorAssignment.Reason.CASELOAD_BALANCING,
                handover_note="Trives best med avtaler tidlig på dagen. Har søkt arbeidstrening i butikk.",
            )
        if index % 3 == 0 and start < today - datetime.timedelta(weeks=5):
            followup_services.checkin_record(
                participant=participant,
                by=participant.counselor or counselor,
                belief=rng.choice([3, 4, 4, 5]),
                self_belief=rng.choice([None, 3, 4]),
                market_belief=rng.choice([None, 2, 3, 4, 4]),
                asked_on=start + datetime.timedelta(weeks=4),
            )
        if index % 4 == 0:
            participant_services.consent_give(
                participant=participant,
                by=counselor,
                recipient=ConsentRecord.Recipient.WORKPLACE,
                information=ConsentRecord.Information.PLAN,
            )
        goal = plan_services.goal_add(
            participant=participant, by=counselor, title=f"Jobb: {participant.dreams.lower()}"
        )
        plan_services.activity_add(
            participant=participant,
            by=counselor,
            kind=rng.choice(
                [
                    Activity.Kind.JOB_SEARCH,
                    Activity.Kind.WORK_TRAINING,
                    Activity.Kind.EMPLOYER_CONTACT,
                ]
            ),
            title=rng.choice(
                [
                    "Besøke bedrift",
                    "Skrive CV sammen",
                    "Arbeidstrening to dager i uka",
                    "Møte med mentor",
                ]
            ),
            due_date=today + datetime.timedelta(days=rng.randint(-20, 20)),
            goal=goal,
            employer=rng.choice(employers) if index % 2 else None,
        )
        # Each note its own text: a timeline that says the same thing twice reads as a bug.
        note_texts = rng.sample(
            [
                "Samtale om mål og ønsker. Motivert for arbeidstrening.",
                "Ringte for å høre hvordan det går. Alt vel.",
                "Møte med arbeidsgiver og deltaker. Gode tilbakemeldinger.",
                "Snakket om hva som skal til for å komme i gang.",
            ],
            k=rng.randint(0, 3),
        )
        for text in note_texts:
            occurred = today - datetime.timedelta(days=rng.randint(1, 90))
            plan_services.note_add(
                participant=participant,
                by=counselor,
                kind=rng.choice(Note.Kind.values),
                occurred_on=max(occurred, start),
                text=text,
            )
