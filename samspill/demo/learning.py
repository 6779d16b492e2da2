"""The learning organisation in the demo: a methods library curated by a platform mentor,
a network with a Danish partner that shares its methods, and staff learning goals with a
leader's follow-up conversations. Everything goes through the learning services."""

import datetime
from typing import Any

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import DEMO_PASSWORD, Cast
from samspill.learning import services
from samspill.organisations.models import Membership, Organisation

PARTNER_NAME = "Jobkompagniet Syd ApS"
PARTNER_ADMIN = "admin@jobkompagniet.demo.samspill.no"
PARTNER_MENTOR = "mette.jensen@jobkompagniet.demo.samspill.no"
NETWORK_NAME = "Kopano-nettverket"

# Facts from the seeds (000: belief +32 %, −22 % per counselor change; 001: jobbLOOP; 004:
# follow-up into work, one person to call), told in our own words.
METHODS: list[dict[str, Any]] = [
    {
        "title": "Troen på deltakeren",
        "purpose": "Veilederen vurderer jevnlig hvor sterkt hun tror på at deltakeren kommer i "
        "arbeid, og tar det opp med kolleger når troen faller.",
        "research_source": "Kopano, Bedre inkluderingspraksis (BIP)",
        "research_finding": "Deltakere med veiledere som tror på dem, kommer oftere i arbeid.",
        "effect_size": "+32 % i arbeid",
        "steps": "1. Registrer troen ved hver oppfølging.\n2. Når den faller: be om sparring.\n"
        "3. Avtal ett konkret neste steg.",
        "when_to_use": "I hver oppfølgingssamtale.",
        "practice_places": ["belief_check_in"],
    },
    {
        "title": "Kontinuitet i oppfølgingen",
        "purpose": "Én veileder følger deltakeren hele veien; bytter planlegges og overleveres.",
        "research_source": "Kopano, Bedre inkluderingspraksis (BIP)",
        "research_finding": "Hvert bytte av veileder gir lavere sjanse for arbeid.",
        "effect_size": "−22 % per bytte",
        "steps": "1. Unngå bytter.\n2. Når bytte må skje: overleveringssamtale med deltakeren.",
        "when_to_use": "Når noen slutter, får permisjon eller fordeler saker på nytt.",
        "practice_places": ["handover"],
    },
    {
        "title": "Trepartsmøtet",
        "purpose": "Deltaker, arbeidsgiver og veileder avklarer forventninger før oppstart.",
        "research_source": "Erfaringer fra arbeidsinkluderingsbedrifter",
        "research_finding": "Tydelige forventninger og én person å ringe gir tryggere "
        "arbeidsgivere.",
        "steps": "1. Avtal mål for perioden.\n2. Avtal hvem som ringer hvem.\n3. Sett dato for "
        "første oppfølging.",
        "when_to_use": "Før hver arbeidstrening og ved ansettelse.",
        "practice_places": ["expectation_meeting", "follow_up"],
    },
    {
        "title": "jobbLOOP-samlingen",
        "purpose": "Arbeidsgivere og kandidater møtes i rotasjoner, så arbeidsgiverne bedømmer "
        "mennesker, ikke CV-er.",
        "research_source": "jobbLOOP",
        "research_finding": "Et godt match avgjør utfallet.",
        "steps": "1. Inviter kandidater.\n2. Rotér.\n3. Samle arbeidsgivernes inntrykk.",
        "when_to_use": "Når et nettverk av arbeidsgivere er på plass.",
        "practice_places": ["jobbloop"],
    },
]

PARTNER_METHOD: dict[str, Any] = {
    "title": "Efterbearbejdning af læring",
    "purpose": "Efter hver undervisning arbejder holdet sammen med det lærte i egen praksis.",
    "research_source": "Jobkompagniet, læringsforløb",
    "research_finding": "Det er efterbearbejdningen, der giver læring.",
    "steps": "1. Skriv en refleksion.\n2. Prøv én ting i praksis.\n3. Følg op efter en måned.",
    "when_to_use": "Efter hvert modul.",
    "practice_places": [],
}


def _staff(org: Organisation, email: str, name: str, role: str) -> User:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


def learning_load(cast: Cast, admin: User) -> None:
    mentor = cast.counselors[1]  # Ola Hansen
    services.platform_mentor_appoint(user=mentor, by=cast.leader)
    methods = []
    for content in METHODS:
        method = services.method_create(by=mentor, **content)
        services.method_publish(method=method, by=mentor)
        methods.append(method)
    belief = methods[0]
    services.method_draft_save(
        method=belief,
        by=mentor,
        **{**METHODS[0], "when_to_use": "I hver oppfølgingssamtale, og alltid før et bytte."},
    )
    services.method_publish(method=belief, by=mentor, change_note="Også før bytte av veileder")

    partner = Organisation.objects.create(
        name=PARTNER_NAME,
        kind=Organisation.Kind.JOBCENTER,
        country=Organisation.Country.DENMARK,
    )
    partner_admin = _staff(partner, PARTNER_ADMIN, "Anne Admin", Membership.Role.ADMIN)
    partner_leader = _staff(
        partner, "leder@jobkompagniet.demo.samspill.no", "Lars Leder", Membership.Role.LEADER
    )
    partner_mentor = _staff(partner, PARTNER_MENTOR, "Mette Jensen", Membership.Role.COUNSELOR)
    services.platform_mentor_appoint(user=partner_mentor, by=partner_leader)

    network = services.network_create(
        name=NETWORK_NAME,
        description="Medlemsbedrifter som deler metoder og læringsprogram.",
        by=admin,
    )
    services.network_join(join_code=network.join_code, by=partner_admin)
    for method in methods[:2]:
        services.method_share(method=method, network=network, by=mentor)
    shared = services.method_create(by=partner_mentor, **PARTNER_METHOD)
    services.method_publish(method=shared, by=partner_mentor)
    services.method_share(method=shared, network=network, by=partner_mentor)

    today = timezone.localdate()
    kari, ola, fatima = cast.counselors
    first = services.goal_create(
        by=kari,
        goal="Bli tryggere i trepartsmøter",
        why="Arbeidsgiverne skal vite hvem de kan ringe.",
        practice="Leder de neste to møtene sammen med en kollega.",
        target_date=today + datetime.timedelta(days=90),
        next_review_on=today + datetime.timedelta(days=14),
        methods=[methods[2]],
    )
    services.goal_review_record(
        goal=first,
        by=cast.leader,
        held_on=today,
        notes="Første møte gikk bra; arbeidsgiveren ba om et telefonnummer.",
        next_steps="Kari leder neste møte alene.",
        next_review_on=today + datetime.timedelta(days=30),
    )
    services.goal_create(
        by=ola,
        goal="Spre metodene i nettverket",
        target_date=today + datetime.timedelta(days=180),
        methods=methods[:2],
    )
    services.goal_create(
        by=fatima,
        goal="Be om sparring tidligere",
        why="Troen faller ofte før jeg sier det til noen.",
        next_review_on=today + datetime.timedelta(days=3),  # on the leader's Today
        methods=[belief],
    )
