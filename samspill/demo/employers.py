"""Employers at every pipeline stage, with contacts, needs, outreach and agreements."""

import datetime
import random

from django.utils import timezone

from samspill.core.synthetic import orgnr_for
from samspill.demo.people import FAMILY, GIVEN, Cast
from samspill.employers import services as employer_services
from samspill.employers.models import Employer

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


def employers_load(cast: Cast, rng: random.Random) -> list[Employer]:
    """Employers at every pipeline stage, each with one person to call; contacts, needs,
    outreach and intention agreements."""
    org, coordinator, counselors = cast.org, cast.coordinator, cast.counselors
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
            next_step=rng.choice(["Frokostmøte", "Ringe daglig leder", "Besøk på arbeidsplassen"]),
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
