"""Referrals with varied sources and outcomes, a few taken in as participants."""

import datetime
import random

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import FAMILY, GIVEN
from samspill.organisations.models import Organisation
from samspill.participants.models import NeedGroup
from samspill.referrals import services as referral_services
from samspill.referrals.models import Outcome, Source

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


def referrals_load(org: Organisation, staff: list[User], rng: random.Random) -> None:
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
