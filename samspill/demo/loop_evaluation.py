"""A jobbLOOP whose year has ended, with its evaluation open (issue 22, item 3): the same three
employers as jobbLOOP Vest (so they show as employers who took part in a later loop), three
young people, the answers of five people at the workplaces (two of them mentors) and two of the young people
(recorded by their counselor), and where each young person went. The driver can read it,
compare it with the other loops, and close it."""

import datetime

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import DEMO_PASSWORD
from samspill.employers import services as employer_services
from samspill.employers.models import Employer
from samspill.loops import evaluation, queries
from samspill.loops import services as loop_services
from samspill.loops.models import LoopSeat
from samspill.organisations.models import Organisation
from samspill.participants.models import Participant

CONTACT_EMAIL = "hanne.leder@demo.samspill.no"

WORKPLACE = (
    # name, e-mail, mentor, (worked, supported, again), what went well, what should change
    (
        "Hanne Leder",
        CONTACT_EMAIL,
        False,
        (5, 4, 5),
        "Gruppeintervjuene ga oss en god start, og ungdommene kjente hverandre.",
        "Vi vil møte neste ungdom før byttet.",
    ),
    (
        "Jonas Sjef",
        "jonas.sjef@demo.samspill.no",
        False,
        (4, 3, 4),
        "Faste oppgaver den første uka.",
        "Mer kontakt med NAV-veilederen underveis.",
    ),
    (
        "Lise Mentor",
        "lise.mentor@demo.samspill.no",
        True,
        (4, 5, 5),
        "Nettverksmøtene: vi lærte av de andre mentorene.",
        "Sett av en fast mentortime i uka fra start.",
    ),
    (
        "Omar Verksted",
        "omar.verksted@demo.samspill.no",
        True,
        (5, 4, 5),
        "Ungdommen fikk prøve mange slags oppgaver.",
        "",
    ),
    (
        "Siri Butikk",
        "siri.butikk@demo.samspill.no",
        False,
        (3, 4, 4),
        "Samlingene før oppstart.",
        "Kortere tid mellom intervjuene og oppstarten.",
    ),
)
YOUTH = (
    ((5, 5, 5), "At sjefen trodde på meg.", "Mer tid i den siste bedriften."),
    ((4, 5, 4), "De andre i loopen.", ""),
)
OUTCOMES = ("ordinary_work", "education", "other_measure")


def loop_evaluation_load(org: Organisation, employers: list[Employer], counselor: User) -> None:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=390)
    seated = LoopSeat.objects.filter(left_at__isnull=True, participant__isnull=False).values(
        "participant_id"
    )
    young = [
        p
        for p in Participant.objects.filter(counselor=counselor)
        .exclude(pk__in=seated)
        .exclude(birth_date__isnull=True)
        .order_by("-birth_date", "id")
        if p.birth_date and 16 <= (start - p.birth_date).days // 365 <= 30
    ][:3]
    if len(young) < 3:
        return
    loop = loop_services.loop_create(
        organisation=org,
        by=counselor,
        name="jobbLOOP Nord (i fjor)",
        driver=counselor,
        counselor=counselor,
        start_date=start,
        employers=employers,
    )
    contacts = []
    for index, (name, email, is_mentor, *_answers) in enumerate(WORKPLACE):
        employer = employers[index % len(employers)]
        contact = employer_services.contact_add(
            employer=employer,
            by=counselor,
            name=name,
            email=email,
            is_mentor=is_mentor,
            confidentiality_signed_on=start - datetime.timedelta(days=10),
        )
        if is_mentor:
            loop_services.loop_employer_set_mentor(
                loop=loop, employer=employer, by=counselor, mentor=contact
            )
        contact.user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        contact.save(update_fields=["user"])
        contacts.append(contact)
    rows = loop.rows()
    loop_services.loop_seating_accept(
        loop=loop,
        by=counselor,
        seats=[(p, [employers[c] for c in rows[r]]) for r, p in enumerate(young)],
    )
    current = evaluation.evaluation_open(loop=loop, by=counselor)
    for contact, (_n, _e, _m, (worked, supported, again), went_well, change) in zip(
        contacts, WORKPLACE, strict=True
    ):
        assert contact.user is not None
        evaluation.evaluation_answer(
            evaluation=current,
            by=contact.user,
            contact=contact,
            worked=worked,
            supported=supported,
            again=again,
            went_well=went_well,
            change=change,
        )
    for person, ((worked, supported, again), went_well, change) in zip(young, YOUTH, strict=False):
        evaluation.evaluation_answer(
            evaluation=current,
            by=counselor,
            participant=person,
            worked=worked,
            supported=supported,
            again=again,
            went_well=went_well,
            change=change,
        )
    follow_up = queries.participant_outcomes(loop, [p.pk for p in young])
    for person, outcome in zip(young, OUTCOMES, strict=True):
        if person.pk not in follow_up:
            evaluation.evaluation_outcome_record(
                evaluation=current, participant=person, by=counselor, outcome=outcome
            )
