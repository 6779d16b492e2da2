"""Sparring in the demo, through the learning services: cases of every kind (answered and
open), a supervision group meeting every other week with notes, peer feedback, and, for the
year of ended follow-up, sparring after about half of the lost beliefs (asked as they happen,
from demo/outcomes.py), so that "Does sparring help?" shows figures. `sparring_load` runs
after `learning_load` (Ola Hansen is the platform mentor)."""

import datetime
import random

from django.utils import timezone

from samspill.accounts.models import User
from samspill.demo.people import Cast
from samspill.followup.services import CheckInResult
from samspill.learning import sparring_services as services
from samspill.learning.models import PeerFeedback, SparringCase
from samspill.participants.models import Participant

ANSWERS = [
    "Hva med en kort arbeidstrening der hun kan lykkes raskt? Jeg kjenner en butikk.",
    "Spør henne hva en god dag ser ut som. Da har dere et konkret sted å begynne.",
    "Kanskje målet er for stort akkurat nå. Del det opp og feir første steg.",
]
SITUATIONS = [
    "Avslag på to søknader på rad, og han har sluttet å møte til avtalene.",
    "Hun sier hun vil jobbe, men helsen stopper henne hver gang vi nærmer oss oppstart.",
    "Arbeidsgiveren er usikker etter en tung første uke.",
]


def lost_belief_talked_over(
    *, story: int, result: CheckInResult, counselor: User, cast: Cast
) -> None:
    """In the year of ended follow-up: the counselor takes about half of the first lost
    beliefs in a period to a colleague within a few days, who answers; the case is closed."""
    rng = random.Random(f"sparring-{story}-{result.checkin.asked_on}")
    earlier = SparringCase.objects.filter(checkin__period_id=result.checkin.period_id).exists()
    if earlier or rng.random() < 0.45:
        return
    colleague = rng.choice([c for c in cast.counselors if c.pk != counselor.pk])
    case = services.sparring_case_ask(
        by=counselor,
        kind=SparringCase.Kind.LOST_BELIEF,
        audience=SparringCase.Audience.COLLEAGUE,
        asked=colleague,
        participant=result.checkin.participant,
        checkin=result.checkin,
        situation=rng.choice(SITUATIONS),
        asked_on=min(
            result.checkin.asked_on + datetime.timedelta(days=rng.randint(0, 4)),
            timezone.localdate(),
        ),
    )
    services.sparring_case_answer(case=case, by=colleague, text=rng.choice(ANSWERS))
    services.sparring_case_close(case=case, by=counselor)


def sparring_load(cast: Cast) -> None:
    kari, ola, fatima = cast.counselors
    now = timezone.now()

    def current(counselor: User) -> Participant | None:
        return (
            Participant.objects.filter(counselor=counselor, active_period__isnull=False)
            .order_by("id")
            .first()
        )

    group = services.supervision_group_create(
        by=cast.leader,
        name="Veiledningsgruppe tirsdag",
        purpose="Vi tar opp saker der troen har falt, og øver på trepartsmøtet.",
        facilitator=ola,
        members=[kari, fatima],
        first_session_at=(now - datetime.timedelta(weeks=6)).replace(
            hour=9, minute=0, second=0, microsecond=0
        ),
        every_weeks=2,
        sessions=8,
        place="Møterom Fløyen",
    )
    for session, notes in zip(
        group.sessions.order_by("starts_at")[:3],
        [
            "Tema: når troen faller. Kari delte en sak; vi ble enige om å spørre tidligere.",
            "Tema: trepartsmøtet. Fatima øver på å avklare hvem arbeidsgiveren ringer.",
            "Gjennomgang av to saker. Neste gang: oppfølging første uke i jobb.",
        ],
        strict=True,
    ):
        services.supervision_notes_save(session=session, by=ola, notes=notes)

    # Case sparring with the platform mentor, answered.
    answered = services.sparring_case_ask(
        by=fatima,
        audience=SparringCase.Audience.PLATFORM_MENTOR,
        asked=ola,
        participant=current(fatima),
        situation=SITUATIONS[1],
        tried="Kortere dager, og en mentor hun kjenner fra før.",
        belief_drop="Da legen anbefalte pause for andre gang.",
        next_steps="Snakke med arbeidsgiveren om tilpasninger.",
    )
    services.sparring_case_accept(case=answered, by=ola)
    services.sparring_case_answer(case=answered, by=ola, text=ANSWERS[2])
    # A lost belief, asked of a colleague, waiting.
    participant = current(kari)
    services.sparring_case_ask(
        by=kari,
        kind=SparringCase.Kind.LOST_BELIEF,
        audience=SparringCase.Audience.COLLEAGUE,
        asked=fatima,
        participant=participant,
        situation=SITUATIONS[0],
        tried="Ny CV og to bedriftsbesøk.",
        belief_drop="Etter det andre avslaget.",
    )
    # A case for the group, with no participant named, answered by a member.
    for_group = services.sparring_case_ask(
        by=kari,
        audience=SparringCase.Audience.GROUP,
        group=group,
        situation=SITUATIONS[2],
        next_steps="Et ekstra oppfølgingsmøte på arbeidsplassen neste uke.",
    )
    services.sparring_case_answer(case=for_group, by=fatima, text=ANSWERS[0])

    today = timezone.localdate()
    services.peer_feedback_give(
        by=ola,
        observed=kari,
        observed_on=today - datetime.timedelta(days=3),
        setting=PeerFeedback.Setting.CONVERSATION,
        went_well="Du lot deltakeren fortelle ferdig og oppsummerte med hennes egne ord.",
        to_try="Avslutt med ett konkret neste steg og en dato.",
        question="Hva gjør du når du selv merker at troen din faller i samtalen?",
    )
    services.peer_feedback_give(
        by=kari,
        observed=fatima,
        observed_on=today - datetime.timedelta(days=10),
        setting=PeerFeedback.Setting.MEETING,
        went_well="Arbeidsgiveren visste etter møtet hvem han skulle ringe.",
        to_try="Skriv ned forventningene til alle tre parter mens dere sitter sammen.",
    )
