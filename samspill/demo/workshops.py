"""Demo: a Skjulte Talenter workshop run by the coordinator, with six participants, two
sessions with attendance and a strengths profile and CV for one of them; and a clarification
before practice for a participant who came by referral."""

import datetime

from django.utils import timezone

from samspill.demo.people import Cast
from samspill.participants.models import Participant
from samspill.referrals import clarifications
from samspill.referrals.models import Clarification, Referral
from samspill.workshops import services


def workshops_load(cast: Cast) -> None:
    today = timezone.localdate()
    starts = today - datetime.timedelta(days=14)
    workshop = services.workshop_create(
        organisation=cast.org,
        by=cast.coordinator,
        name="Skjulte Talenter",
        facilitator=cast.coordinator,
        starts_on=starts,
        description="Fire samlinger: drømmer, hvem jeg er, hva jeg kan, hva jeg vil lære. "
        "Vi avslutter med CV på papir og en kort film.",
    )
    people = Participant.objects.filter(organisation=cast.org).order_by("id")[:6]
    enrolments = [
        services.enrol(workshop=workshop, participant=person, by=cast.leader) for person in people
    ]
    for week, place in enumerate(("KOM, Grünerløkka", "Biblioteket, Tøyen")):
        session = services.session_add(
            workshop=workshop,
            by=cast.coordinator,
            date=starts + datetime.timedelta(days=7 * week),
            place=place,
            topic=("Drømmer og styrker", "CV og film")[week],
        )
        present = {e.pk for index, e in enumerate(enrolments) if (index + week) % 5}
        services.attendance_record(session=session, by=cast.coordinator, present=present)
    first = enrolments[0]
    services.strengths_save(
        enrolment=first,
        by=cast.coordinator,
        revision=first.participant.revision,
        dreams="Å jobbe med mennesker",
        who_i_am="Rolig og til å stole på",
        what_i_can="Lage mat, holde orden",
        want_to_learn="Førerkort og truck",
        interests="Fotball, musikk",
    )
    services.cv_save(
        enrolment=first,
        by=cast.coordinator,
        revision=None,
        summary="Jeg liker å ha mye å gjøre og å jobbe sammen med andre.",
        film_url="https://film.example.org/skjulte-talenter/1",
    )
    referral = Referral.objects.filter(organisation=cast.org, participant__isnull=False).first()
    if referral is not None:
        clarifications.clarification_record(
            referral=referral,
            by=referral.taken_by or cast.leader,
            first_day=max(referral.received_on, today - datetime.timedelta(days=11)),
            last_day=today,
            days_attended=min(
                7, (today - max(referral.received_on, today - datetime.timedelta(days=11))).days + 1
            ),
            attendance_ok=True,
            motivation=Clarification.Motivation.HIGH,
            result=Clarification.Result.READY,
            note="Møtte stabilt på KOM i to uker og vil gjerne ut i praksis.",
        )
