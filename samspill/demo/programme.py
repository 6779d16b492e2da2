"""A year of the learning programme in the demo organisation (issue 20, item 4): four modules
whose sessions started nine months ago and run three months ahead, both teams and the
coordinator enrolled, attendance for the sessions held, and reflections: older ones looked back
on, the latest due today (the look-back reminder), some shared with the facilitator or the
leader, most private. Everything goes through the programme services, dated from today."""

import datetime

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import Cast
from samspill.learning import programme_services as services
from samspill.learning import programme_sharing
from samspill.learning.models import Method, Network, ProgrammeSession

# (module title, [(session title, days from today, place or "", facilitator: 0 mentor 1 leader,
# titles of the methods it covers)])
MODULES: list[tuple[str, list[tuple[str, int, str, int, list[str]]]]] = [
    (
        "Troen på folks jobbsjanse",
        [
            ("Hva forskningen sier om tro", -270, "Storsalen", 0, ["Troen på deltakeren"]),
            ("Når troen faller: sparring", -240, "", 0, ["Troen på deltakeren"]),
            ("Troen i oppfølgingssamtalen", -210, "Møterom Fjord", 1, ["Troen på deltakeren"]),
        ],
    ),
    (
        "Kontinuitet og overlevering",
        [
            ("Hvert bytte koster", -170, "Storsalen", 1, ["Kontinuitet i oppfølgingen"]),
            ("Den gode overleveringen", -140, "", 0, ["Kontinuitet i oppfølgingen"]),
        ],
    ),
    (
        "Arbeidsgiveren som partner",
        [
            ("Trepartsmøtet", -90, "Møterom Fjord", 0, ["Trepartsmøtet"]),
            ("Én person å ringe", -45, "Storsalen", 1, ["Trepartsmøtet"]),
            ("Mentoren på arbeidsplassen", -7, "", 0, ["Trepartsmøtet"]),
        ],
    ),
    (
        "jobbLOOP og nettverket",
        [
            ("Samlingen med arbeidsgiverne", 21, "Storsalen", 0, ["jobbLOOP-samlingen"]),
            ("Rotasjonene gjennom året", 49, "", 1, ["jobbLOOP-samlingen"]),
            ("Hva har vi lært i år?", 90, "Storsalen", 1, []),
        ],
    ),
]
VIDEO = "https://video.demo.samspill.no/laering"
LEARNED = [
    "At troen min på deltakeren betyr mer enn jeg trodde.",
    "Å spørre arbeidsgiveren hva de trenger før vi snakker om deltakeren.",
    "At en god overlevering tar tid, og at deltakeren må være med.",
]
WILL_TRY = [
    "Registrere troen etter hver samtale og si det høyt når den faller.",
    "Avtale hvem som ringer hvem i neste trepartsmøte.",
    "Be om sparring innen en uke når jeg står fast.",
]


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def programme_load(cast: Cast) -> None:
    mentor, leader = cast.counselors[1], cast.leader  # Ola Hansen is the platform mentor
    methods = {m.title: m for m in Method.objects.filter(organisation=cast.org)}
    programme = services.programme_create(
        by=mentor,
        title="Felles faglig plattform 2026",
        description="Et år med læring for hele organisasjonen: veiledere, "
        "næringslivskoordinator og ledere sammen, med refleksjon etter hver samling.",
    )
    services.enrolment_add(
        programme=programme, by=mentor, teams=cast.teams, users=[cast.coordinator]
    )
    sessions: list[ProgrammeSession] = []
    for module_title, module_sessions in MODULES:
        module = services.module_add(programme=programme, by=mentor, title=module_title)
        for title, days, place, facilitated_by, covered in module_sessions:
            sessions.append(
                services.session_add(
                    module=module,
                    by=mentor,
                    title=title,
                    starts_at=_at(days, 9),
                    ends_at=_at(days, 11),
                    place=place,
                    video_url="" if place else VIDEO,
                    facilitator=(mentor, leader)[facilitated_by],
                    methods=[methods[name] for name in covered],
                )
            )
    enrolled = [*cast.counselors, cast.coordinator]
    held = [s for s in sessions if s.starts_at < timezone.now()]
    for number, session in enumerate(held):
        # Everyone but one person in turn; the facilitator records it afterwards.
        away = enrolled[number % (len(enrolled) + 1)] if number % 2 else None
        present = [u for u in enrolled if u != away]
        services.attendance_record(
            session=session, by=session.facilitator, present=[u.pk for u in present]
        )
        for index, person in enumerate(present):
            if person == session.facilitator:
                continue
            _reflect(session, person, number, index, last=session is held[-1])


def _reflect(
    session: ProgrammeSession, person: User, number: int, index: int, *, last: bool
) -> None:
    today = timezone.localdate()
    reflection = services.reflection_write(
        session=session,
        by=person,
        learned=LEARNED[(number + index) % len(LEARNED)],
        will_try=WILL_TRY[(number + 2 * index) % len(WILL_TRY)],
        # The latest session's look-back is today for one of them (the reminder is due).
        look_back_on=today if last and index == 0 else today + datetime.timedelta(days=30),
        shared_with_facilitator=(number + index) % 3 == 0,
        shared_with_leader=(number + index) % 4 == 1,
    )
    if not last and (number + index) % 2 == 0:
        services.reflection_look_back(
            reflection=reflection, by=person, note="Det fungerte, og jeg gjør det fortsatt."
        )


# The network partner's programme (seed 003: one programme for the whole organisation, the
# work over what was learnt afterwards), shared with the network: the demo organisation reads
# its outline and its platform mentor may adopt a copy. Danish, like the partner.
PARTNER_MODULES: list[tuple[str, list[tuple[str, int, str, list[str]]]]] = [
    (
        "Fælles referenceramme",
        [
            ("Forskningen bag vores praksis", -120, "Kantinen", ["Troen på deltakeren"]),
            ("Når sagsbehandleren skifter", -90, "", ["Kontinuitet i oppfølgingen"]),
        ],
    ),
    (
        "Læring i hverdagen",
        [
            ("Efterbearbejdning i teamet", -30, "Mødelokale 2", ["Efterbearbejdning af læring"]),
            ("Sparring tæt på driften", 21, "Mødelokale 2", ["Efterbearbejdning af læring"]),
        ],
    ),
]


def partner_programme_load(partner_mentor: User, network: Network) -> None:
    methods = {m.title: m for m in Method.objects.filter(shared_with=network)}
    programme = services.programme_create(
        by=partner_mentor,
        title="Læringsforløb for hele Jobkompagniet",
        description="Værkstedsmedarbejdere, virksomhedskonsulenter og psykologer lærer sammen "
        "og arbejder bagefter med det lærte i egen praksis.",
    )
    for module_title, module_sessions in PARTNER_MODULES:
        module = services.module_add(programme=programme, by=partner_mentor, title=module_title)
        for title, days, place, covered in module_sessions:
            services.session_add(
                module=module,
                by=partner_mentor,
                title=title,
                starts_at=_at(days, 13),
                ends_at=_at(days, 15),
                place=place,
                video_url="" if place else VIDEO,
                facilitator=partner_mentor,
                methods=[methods[name] for name in covered],
            )
    programme_sharing.programme_share(programme=programme, network=network, by=partner_mentor)
