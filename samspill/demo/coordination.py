"""Demo coordinator meetings and a business breakfast (issue 22, item 9).

The weekly meeting of the business coordinator, two counselors and NAV: two meetings held, with
minutes, attendance and agreed actions (one done, one carried over, one due for Kari). And a
business breakfast three weeks ago: four employers invited, three came, two of them moved
forward in the pipeline since."""

import datetime
import random

from django.utils import timezone

from samspill.core.synthetic import orgnr_for
from samspill.demo.people import Cast
from samspill.employers import services as employer_services
from samspill.employers import services_coordination as coord
from samspill.employers.models import Employer

# Prospects that have not moved yet: the breakfast's guests besides the demo's own prospects.
NEW_PROSPECTS = (
    ("Hotell Bryggen", "Bergen", "55", "20-49", "Hanne Vik", "hanne@bryggen.example"),
    ("Malermester Nilsen AS", "Bergen", "43", "5-9", "Rune Nilsen", "rune@maler.example"),
)


def coordination_load(cast: Cast, employers: list[Employer], rng: random.Random) -> None:
    today = timezone.localdate()
    coordinator, kari, ola = cast.coordinator, cast.counselors[0], cast.counselors[1]
    # The series began on a Tuesday five weeks ago.
    start = today - datetime.timedelta(days=(today.weekday() - 1) % 7 + 35)
    series = coord.series_create(
        organisation=cast.org,
        by=coordinator,
        member_ids=[coordinator.pk, kari.pk, ola.pk],
        title="Fast koordinatormøte med NAV",
        weekday=1,
        interval_weeks=1,
        starts_on=start,
        start_time=datetime.time(9, 0),
        duration_minutes=60,
        place="NAV-kontoret, møterom 2",
        video_url="https://meet.example.org/koordinator",
        guests="NAV-veileder for ungdom",
    )
    # Prospects that never moved (the list's objects may hold a stage since changed).
    prospects = list(
        Employer.objects.filter(
            organisation=cast.org, stage=Employer.Stage.PROSPECT, stage_changes__isnull=True
        ).order_by("name", "id")[:2]
    )
    cafe = prospects[0]
    first = coord.meeting_create(
        series=series, by=coordinator, held_on=start + datetime.timedelta(weeks=3)
    )
    coord.meeting_record(
        meeting=first,
        by=coordinator,
        minutes="Gikk gjennom nye henvendelser og bedrifter som vurderer praksisplass.",
        attendance={coordinator.pk: "present", kari.pk: "present", ola.pk: "excused"},
    )
    done = coord.action_add(
        meeting=first,
        by=coordinator,
        what="Sende invitasjon til næringslivsfrokosten",
        responsible=coordinator,
        due_on=first.held_on + datetime.timedelta(days=2),
    )
    coord.action_set_done(action=done, by=coordinator, done=True)
    coord.action_add(
        meeting=first,
        by=coordinator,
        what="Avklare oppmøte og motivasjon med to kandidater før praksis",
        responsible=ola,
        due_on=first.held_on + datetime.timedelta(days=10),
    )
    second = coord.meeting_create(
        series=series, by=coordinator, held_on=start + datetime.timedelta(weeks=4)
    )
    coord.meeting_record(
        meeting=second,
        by=coordinator,
        minutes="Oppsummerte frokosten. To bedrifter vil ha et oppfølgingsmøte.",
        attendance={coordinator.pk: "present", kari.pk: "present", ola.pk: "present"},
    )
    coord.action_add(
        meeting=second,
        by=coordinator,
        what="Følge opp kaféen om arbeidstrening",
        responsible=kari,
        due_on=today,
        employer=cafe,
    )

    guests = list(prospects)
    for name, place, division, size, contact, email in NEW_PROSPECTS:
        employer = employer_services.employer_create(
            organisation=cast.org,
            by=coordinator,
            contact_person=coordinator,
            name=name,
            org_number=orgnr_for(rng),
            municipality=place,
            nace_division=division,
            size_band=size,
        )
        employer_services.contact_add(
            employer=employer, by=coordinator, name=contact, title="Daglig leder", email=email
        )
        guests.append(employer)
    for guest in guests[:2]:
        if not guest.contacts.exclude(email="").exists():
            employer_services.contact_add(
                employer=guest,
                by=coordinator,
                name="Daglig leder",
                email=f"post{guest.pk}@bedrift.example",
            )
    breakfast = coord.event_create(
        organisation=cast.org,
        by=coordinator,
        title="Næringslivsfrokost",
        held_on=start + datetime.timedelta(weeks=3, days=2),
        start_time=datetime.time(8, 0),
        place="Kafé Kaien",
        description="Frokost med lokale bedrifter: hva NAV kan tilby, og erfaringer fra en "
        "bedrift som har hatt kandidater i praksis.",
    )
    invitations = coord.event_invite(
        event=breakfast, by=coordinator, employer_ids=[g.pk for g in guests]
    )
    for n, invitation in enumerate(invitations):
        coord.invitation_record(
            invitation=invitation,
            by=coordinator,
            response="yes" if n < 3 else "no",
            attended=n < 3,
        )
    # Two of those who came moved on since.
    employer_services.employer_set_stage(
        employer=invitations[0].employer,
        by=coordinator,
        stage=Employer.Stage.FIRST_MEETING,
        next_step="Besøk på arbeidsplassen",
        next_step_on=today + datetime.timedelta(days=7),
    )
    employer_services.employer_set_stage(
        employer=invitations[2].employer,
        by=coordinator,
        stage=Employer.Stage.INTENTION_AGREEMENT,
    )
