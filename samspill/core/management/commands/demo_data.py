"""Load demo data: one organisation, two teams, three counselors, a leader, an administrator,
about 60 participants with Norwegian names and some employers, and the installation's platform
operator. Idempotent: a second run only prints the logins."""

import datetime
import random
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from samspill.accounts.models import User
from samspill.core.synthetic import fodselsnummer_for, orgnr_for
from samspill.employers import services as employer_services
from samspill.employers.models import Employer
from samspill.followup import services as followup_services
from samspill.loops import services as loop_services
from samspill.organisations.models import Membership, Organisation, Team
from samspill.participants import services as participant_services
from samspill.participants.models import (
    ConsentRecord,
    CounselorAssignment,
    NeedGroup,
    Participant,
)
from samspill.placements import followups as placement_followups
from samspill.placements import services as placement_services
from samspill.placements.models import Party, Placement
from samspill.plans import services as plan_services
from samspill.plans.models import Activity, Note
from samspill.referrals import services as referral_services
from samspill.referrals.models import Outcome, Source

DEMO_PASSWORD = "samspill-demo"
ORG_NAME = "Kopano Vest AS"

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
# (name, municipality, industry division, size band, pipeline stage)
EMPLOYERS = [
    ("Bakeriet på hjørnet", "Bergen", "10", "5-9", "active_partner"),
    ("Fjordbil Verksted AS", "Bergen", "45", "10-19", "active_partner"),
    ("Sentrum Frisør", "Bergen", "96", "1-4", "intention_agreement"),
    ("Coop Extra Åsane", "Bergen", "47", "20-49", "active_partner"),
    ("Byggmester Haugland AS", "Askøy", "41", "10-19", "first_meeting"),
    ("Kafé Kaien", "Bergen", "56", "5-9", "prospect"),
    ("Vestland Lager og Logistikk", "Bergen", "52", "50-99", "paused"),
    ("Solsikken barnehage", "Bergen", "88", "20-49", "prospect"),
]
# The demo mentor's portal login (password: DEMO_PASSWORD).
MENTOR_EMAIL = "mentor@demo.samspill.no"
PARTICIPANT_EMAIL = "deltaker@demo.samspill.no"
# The installation's platform operator: a superuser in no organisation, the only one who gets
# into Django admin.
OPERATOR_EMAIL = "operator@demo.samspill.no"
# The agreement's content for the demo placements.
AGREEMENT: dict[str, Any] = {
    "goals": [
        {"category": "job_here", "text": "Fast jobb i bakeriet etter perioden."},
        {"category": "language", "text": "Bruke norsk med kunder hver dag."},
    ],
    "hours_per_week": 30,
    "work_days": "Mandag til torsdag, 07-14",
    "work_place": "Bakeriet, Storgata 1",
    "employer_expects": "Møter presis og sier fra ved fravær før kl. 07.",
    "participant_expects": "Opplæring i ovnene og faste oppgaver.",
    "we_offer": "Oppfølging hver uke den første måneden, og svar på telefon samme dag.",
    "if_something_happens": "Ring veilederen. Ved sykdom: si fra til mentor før kl. 07.",
}
# Referrals (source, outcome): mostly from the youth department and NAV's programmes, a few to
# work, practice places and summer jobs, many still open (as in the KREM report).
REFERRALS = [
    (Source.YOUTH_DEPARTMENT, Outcome.ORDINARY_WORK),
    (Source.YOUTH_DEPARTMENT, Outcome.OTHER_MEASURE),
    (Source.YOUTH_DEPARTMENT, ""),
    (Source.YOUTH_DEPARTMENT, Outcome.ORDINARY_WORK),
    (Source.QUALIFICATION_PROGRAMME, Outcome.OTHER_MEASURE),
    (Source.QUALIFICATION_PROGRAMME, Outcome.ORDINARY_WORK),
    (Source.QUALIFICATION_PROGRAMME, ""),
    (Source.INTRODUCTION_PROGRAMME, Outcome.EDUCATION),
    (Source.INTRODUCTION_PROGRAMME, Outcome.OTHER_MEASURE),
    (Source.INTRODUCTION_PROGRAMME, ""),
    (Source.STREET_TEAM, Outcome.ORDINARY_WORK),
    (Source.STREET_TEAM, Outcome.NOT_READY),
    (Source.STREET_TEAM, ""),
    (Source.CHILD_WELFARE, Outcome.APPRENTICESHIP),
    (Source.CHILD_WELFARE, Outcome.ORDINARY_WORK),
    (Source.CHILD_WELFARE, ""),
    (Source.CONTACT_24H, Outcome.OTHER_MEASURE),
    (Source.CONTACT_24H, ""),
    (Source.RECEPTION, Outcome.NOT_READY),
    (Source.RECEPTION, ""),
    (Source.SELF, Outcome.ORDINARY_WORK),
    (Source.SELF, Outcome.ORDINARY_WORK),
    (Source.SELF, ""),
    (Source.OTHER, Outcome.OTHER_MEASURE),
    (Source.OTHER, ""),
]
ASKED_FOR = [
    "Ønsker sommerjobb og hjelp med CV.",
    "Trenger arbeidspraksis etter endt introduksjonsprogram.",
    "Vil prøve seg i arbeid ved siden av skole.",
    "Ønsker hjelp til å finne lærlingplass.",
    "Har falt ut av videregående, vil gjerne jobbe.",
]
STAFF = [
    ("kari.nordmann@demo.samspill.no", "Kari Nordmann", Membership.Role.COUNSELOR, 0),
    ("ola.hansen@demo.samspill.no", "Ola Hansen", Membership.Role.COUNSELOR, 0),
    ("fatima.ali@demo.samspill.no", "Fatima Ali", Membership.Role.COUNSELOR, 1),
    ("jonas.lie@demo.samspill.no", "Jonas Lie", Membership.Role.COORDINATOR, None),
    ("lise.berg@demo.samspill.no", "Lise Berg", Membership.Role.LEADER, None),
    ("admin@demo.samspill.no", "Per Admin", Membership.Role.ADMIN, None),
]


def coordinator_of(org: Organisation) -> User:
    membership = Membership.objects.select_related("user").get(
        organisation=org, role=Membership.Role.COORDINATOR
    )
    return membership.user


class Command(BaseCommand):
    help = "Load demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not Organisation.objects.filter(name=ORG_NAME).exists():
            self._load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(
            f"\nSamspill runs at http://127.0.0.1:8000/  Demo logins (password: {DEMO_PASSWORD}):"
        )
        for email, name, role, _team in STAFF:
            self.stdout.write(f"  {email:34} {name} ({role})")
        self.stdout.write(f"  {MENTOR_EMAIL:34} Mona Mentor (mentor, employer portal)")
        self.stdout.write(f"  {PARTICIPANT_EMAIL:34} (participant, own login)")
        self.stdout.write(
            f"  {OPERATOR_EMAIL:34} Drift Operatør (platform operator: Django admin at /admin/)"
        )
        self.stdout.write("")

    @transaction.atomic
    def _load(self) -> None:
        rng = random.Random(2026)
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
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
            Membership.objects.create(
                user=user,
                organisation=org,
                role=role,
                team=teams[team_index] if team_index is not None else None,
            )
            users.append(user)
        counselors, coordinator, leader = users[:3], users[3], users[4]
        employers = self._load_employers(org, coordinator, counselors, rng)
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
            for _n in range(rng.randint(0, 3)):
                occurred = today - datetime.timedelta(days=rng.randint(1, 90))
                plan_services.note_add(
                    participant=participant,
                    by=counselor,
                    kind=rng.choice(Note.Kind.values),
                    occurred_on=max(occurred, start),
                    text=rng.choice(
                        [
                            "Samtale om mål og ønsker. Motivert for arbeidstrening.",
                            "Ringte for å høre hvordan det går. Alt vel.",
                            "Møte med arbeidsgiver og deltaker. Gode tilbakemeldinger.",
                            "Snakket om hva som skal til for å komme i gang.",
                        ]
                    ),
                )
        self._load_placements(org, employers, counselors[0], rng)
        self._load_loop(org, employers[1:4], counselors[0], coordinator_of(org))
        self._load_referrals(org, [*counselors, leader], rng)

    def _load_employers(
        self, org: Organisation, coordinator: User, counselors: list[User], rng: random.Random
    ) -> list[Employer]:
        """Employers at every pipeline stage, each with one person to call; contacts, mentors
        (one with a portal login), needs, outreach and intention agreements."""
        today = timezone.localdate()
        employers = []
        for index, (name, place, division, size, stage) in enumerate(EMPLOYERS):
            contact_person = coordinator if index % 2 == 0 else counselors[index % 3]
            employer = employer_services.employer_create(
                organisation=org,
                by=coordinator,
                contact_person=contact_person,
                name=name,
                org_number=orgnr_for(rng),
                municipality=place,
                nace_division=division,
                size_band=size,
            )
            employer_services.employer_set_stage(
                employer=employer,
                by=coordinator,
                stage=stage,
                next_step=rng.choice(
                    ["Frokostmøte", "Ringe daglig leder", "Besøk på arbeidsplassen"]
                ),
                next_step_on=today + datetime.timedelta(days=rng.randint(2, 40)),
            )
            employer_services.outreach_add(
                employer=employer,
                by=coordinator,
                kind=rng.choice(["meeting", "call", "visit", "breakfast_event"]),
                occurred_on=today - datetime.timedelta(days=rng.randint(3, 60)),
                summary="Positive til å ta imot en kandidat i arbeidstrening.",
            )
            if stage in ("active_partner", "intention_agreement"):
                employer_services.agreement_create(
                    employer=employer,
                    by=coordinator,
                    status="active" if stage == "active_partner" else "signed",
                    signed_on=today - datetime.timedelta(days=330 if index == 0 else 120),
                    renewal_on=today + datetime.timedelta(days=20 if index == 0 else 240),
                    work_training_places=2,
                    summer_jobs=1,
                )
                employer_services.need_add(
                    employer=employer,
                    by=coordinator,
                    role=rng.choice(["Butikkmedarbeider", "Lagermedarbeider", "Kokk", "Assistent"]),
                    tasks="Varemottak, påfylling og kundeservice.",
                    hours_per_week=rng.choice([20, 30, 37]),
                    needed_from=today + datetime.timedelta(days=rng.randint(10, 90)),
                )
            employer_services.contact_add(
                employer=employer,
                by=coordinator,
                name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                title="Daglig leder",
                phone=f"5{rng.randint(1000000, 9999999)}",
            )
            employers.append(employer)
        return employers

    def _load_placements(
        self, org: Organisation, employers: list[Employer], counselor: User, rng: random.Random
    ) -> None:
        """A mentor with a portal login at the bakery, two placements there, what the first
        participant shares with the workplace, a mentor note and an open concern."""
        today = timezone.localdate()
        bakery = employers[0]
        mentor = employer_services.contact_add(
            employer=bakery,
            by=counselor,
            name="Mona Mentor",
            title="Bakermester",
            phone="98765432",
            email=MENTOR_EMAIL,
            is_mentor=True,
            confidentiality_signed_on=today - datetime.timedelta(days=60),
        )
        mentor.user = User.objects.create_user(
            email=MENTOR_EMAIL, password=DEMO_PASSWORD, full_name=mentor.name
        )
        mentor.save(update_fields=["user"])
        employer_services.mentor_support_add(
            mentor=mentor,
            by=counselor,
            contact_on=today - datetime.timedelta(days=14),
            channel="visit",
            topic="De første ukene",
            going="well",
            next_contact_on=today - datetime.timedelta(days=1),
        )
        followed = list(Participant.objects.filter(counselor=counselor).order_by("id")[:3])
        for index, participant in enumerate(followed[:2]):
            placement = placement_services.placement_create(
                participant=participant,
                employer=bakery,
                by=counselor,
                kind=Placement.Kind.WORK_TRAINING,
                title="Bakeriassistent" if index == 0 else "Butikkmedarbeider",
                tasks="Steke brød og boller, vaske utstyr, fylle på i butikken.",
                start_date=today - datetime.timedelta(days=21) if index == 0 else today,
                end_date=today + datetime.timedelta(days=150),
                start_reason="Registrert etter oppstart." if index == 0 else "",
                mentor=mentor,
                **AGREEMENT,
            )
            self._meeting(placement, counselor)
            if index == 0:
                participant.shareable_accommodations = "Starter kl. 09 de første ukene."
                participant.email = PARTICIPANT_EMAIL
                participant.save(update_fields=["shareable_accommodations", "email"])
                participant.portal_user = User.objects.create_user(
                    email=PARTICIPANT_EMAIL,
                    password=DEMO_PASSWORD,
                    full_name=participant.full_name,
                )
                participant.save(update_fields=["portal_user"])
                for information in ("contact", "plan", "accommodations"):
                    if not participant.consents.filter(
                        recipient="workplace", information=information, withdrawn_at__isnull=True
                    ).exists():
                        participant_services.consent_give(
                            participant=participant,
                            by=counselor,
                            recipient=ConsentRecord.Recipient.WORKPLACE,
                            information=information,
                        )
                self._approve_all(placement, counselor, mentor.user)
                placement_followups.follow_up_log(
                    placement=placement,
                    by=counselor,
                    held_on=today - datetime.timedelta(days=14),
                    going="well",
                    participant_present=True,
                    mentor_present=True,
                    counselor_present=True,
                    notes="God start. Trives med kollegene.",
                    next_steps="Prøve kassa neste uke.",
                )
                placement_followups.mentor_note_add(
                    placement=placement, by=mentor.user, text="Flink med deigen, kommer presis."
                )
                placement_followups.concern_raise(
                    placement=placement,
                    by=mentor.user,
                    text="Virket sliten i dag og gikk tidlig. Kan dere ta en prat?",
                )
            # The second waits for the participant and the employer to approve.
        if len(followed) == 3:
            self._chain(followed[2], bakery, mentor, counselor)

    def _meeting(self, placement: Placement, counselor: User) -> None:
        placement_services.expectation_meeting_record(
            placement=placement,
            by=counselor,
            held_on=min(placement.start_date, timezone.localdate()),
            participant_present=True,
            mentor_present=True,
            employer_present=True,
            counselor_present=True,
            notes="Gikk gjennom avtalen og arbeidstidene.",
        )

    def _approve_all(self, placement: Placement, counselor: User, employer_user: Any) -> None:
        revision = placement.revision
        placement_services.agreement_approve(
            placement=placement,
            by=counselor,
            party=Party.PARTICIPANT,
            revision=revision,
            on_behalf_reason="Godkjent muntlig i forventningsmøtet.",
        )
        placement_services.agreement_approve(
            placement=placement, by=employer_user, party=Party.EMPLOYER, revision=revision
        )
        placement_services.agreement_approve(
            placement=placement, by=counselor, party=Party.COUNSELOR, revision=revision
        )

    def _chain(
        self, participant: Participant, bakery: Employer, mentor: Any, counselor: User
    ) -> None:
        """Work training that ended with a certificate, and the wage subsidy drafted after it."""
        today = timezone.localdate()
        placement = placement_services.placement_create(
            participant=participant,
            employer=bakery,
            by=counselor,
            kind=Placement.Kind.WORK_TRAINING,
            title="Bakeriassistent",
            tasks="Steke brød, lage smørbrød, vaske utstyr.",
            start_date=today - datetime.timedelta(days=190),
            end_date=today - datetime.timedelta(days=7),
            start_reason="Registrert fra papiravtale.",
            mentor=mentor,
            **AGREEMENT,
        )
        self._meeting(placement, counselor)
        self._approve_all(placement, counselor, mentor.user)
        placement_followups.evaluation_save(
            placement=placement,
            by=counselor,
            kind="final",
            held_on=today - datetime.timedelta(days=8),
            tasks_mastered="Steker brød og lager smørbrød på egen hånd.",
            attendance="very_good",
            cooperation="good",
            what_worked="Faste rutiner og en tydelig mentor.",
            what_was_hard="Travle lørdager.",
            next_step="Klar for lønnstilskudd med mål om fast jobb.",
        )
        certificate = placement_followups.certificate_request(
            placement=placement,
            by=counselor,
            language="nb",
            tasks=placement.tasks,
            assessment="Pålitelig og presis, og har lært seg bakeriets rutiner godt.",
        )
        placement_followups.certificate_approve(certificate=certificate, by=mentor.user)
        placement_services.placement_end(
            placement=placement,
            by=counselor,
            ended_on=today - datetime.timedelta(days=7),
            outcome=Placement.Outcome.OTHER_MEASURE,
        )
        initial = placement_services.next_placement_initial(placement)
        initial.update(
            start_date=today + datetime.timedelta(days=7),
            end_date=today + datetime.timedelta(days=190),
            wage_subsidy_percent=40,
        )
        placement_services.placement_create(
            participant=participant,
            employer=bakery,
            by=counselor,
            previous=placement,
            **initial,
        )

    def _load_loop(
        self, org: Organisation, employers: list[Employer], counselor: User, driver: User
    ) -> None:
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

    def _load_referrals(self, org: Organisation, staff: list[User], rng: random.Random) -> None:
        """About 25 referrals with varied sources and outcomes; a few taken in as participants,
        a few not taken by anyone yet."""
        leader = staff[-1]
        today = timezone.localdate()
        names = rng.sample([(g, f) for g in GIVEN for f in FAMILY], len(REFERRALS))
        for index, ((source, outcome), (given, family)) in enumerate(
            zip(REFERRALS, names, strict=True)
        ):
            received = today - datetime.timedelta(days=rng.randint(3, 300))
            referral = referral_services.referral_create(
                organisation=org,
                by=leader,
                source=source,
                source_other="Helsestasjon for ungdom" if source == Source.OTHER else "",
                received_on=received,
                given_name=given,
                family_name=family,
                phone=f"4{rng.randint(1000000, 9999999)}",
                asked_for=rng.choice(ASKED_FOR),
                taken_by=None if index % 9 == 4 else staff[index % 3],
                need_group=rng.choice(["", *NeedGroup.values]),
            )
            if outcome:
                referral_services.referral_set_outcome(
                    referral=referral,
                    by=leader,
                    outcome=outcome,
                    outcome_on=min(today, received + datetime.timedelta(days=rng.randint(7, 60))),
                )
            if index % 6 == 1:
                referral_services.referral_make_participant(referral=referral, by=leader)
