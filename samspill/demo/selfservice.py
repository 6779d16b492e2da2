"""The participants' own pages: the demo participant's dialog with her counselor (unread on
both sides), a comment on her plan, her strengths profile and CV; and this half-year's service
feedback from enough participants that the leader's summary shows counts (small cells hidden
otherwise). All through the selfservice services, as the participants and counselors would."""

import datetime

from django.utils import timezone

from samspill.accounts.models import User
from samspill.accounts.services import user_set_phone
from samspill.demo.people import DEMO_PASSWORD, Cast
from samspill.demo.placements import PARTICIPANT_EMAIL
from samspill.participants import services as participant_services
from samspill.participants.models import Participant
from samspill.plans.models import Activity
from samspill.portal.services import participant_invite
from samspill.selfservice import services

# This half-year's answers (listened, reachable, helps), one a participant: each answer given
# by none or by five or more, so nothing is hidden on the leader's summary.
# Listened: 7 "agree fully", 5 "agree"; reachable: 6 and 6; helps: 5 and 7.
FEEDBACK = [(5 if i < 7 else 4, 5 if i % 2 == 0 else 4, 4 if i < 7 else 5) for i in range(12)]


def selfservice_load(cast: Cast) -> None:
    participant = Participant.objects.select_related("counselor", "portal_user").get(
        email=PARTICIPANT_EMAIL
    )
    me = participant.portal_user
    assert me is not None and participant.counselor is not None
    # Her counselor's work phone, which her contact card shows.
    user_set_phone(user=participant.counselor, by=participant.counselor, phone="+47 55 12 34 56")
    dialog_load(participant, me, participant.counselor)
    profile_load(participant, me)
    feedback_load(cast, exclude=participant)


def dialog_load(participant: Participant, me: User, counselor: User) -> None:
    """A conversation: she asks, the counselor answers (unread by her), she writes again twice
    and comments on an activity (unread by the counselor: her Today and the record's tab)."""
    services.message_send(
        participant=participant,
        by=me,
        text="Hei! Jeg lurer på om jeg kan begynne kl. 09 også neste måned?",
    )
    services.thread_read(participant=participant, by=counselor, from_participant=True)
    services.message_send(
        participant=participant,
        by=counselor,
        text="Hei! Det tar jeg opp med Mona på bakeriet på torsdag, så hører du fra meg.",
    )
    services.message_send(
        participant=participant, by=me, text="Takk! Jeg har også en legetime den 14."
    )
    services.message_send(
        participant=participant, by=me, text="Kan vi ha samtalen vår etter kl. 13 den uka?"
    )
    activity = (
        Activity.objects.filter(participant=participant, status__in=Activity.OPEN_STATUSES)
        .order_by("due_date", "pk")
        .first()
    )
    if activity is not None:
        services.activity_comment(
            participant=participant,
            activity=activity,
            by=me,
            text="Jeg har begynt, men trenger hjelp med siste del.",
        )


def profile_load(participant: Participant, me: User) -> None:
    """Her strengths profile and a CV, written by herself; the CV has a film."""
    participant.refresh_from_db()
    services.strengths_save(
        participant=participant,
        by=me,
        revision=participant.revision,
        dreams="Fast jobb i et bakeri, og en gang mitt eget kafé.",
        who_i_am="Rolig og blid. Liker å ha faste oppgaver og å bli ferdig med dem.",
        what_i_can="Bake brød og boller, holde orden, snakke med kunder.",
        want_to_learn="Kassa, og å lage kaker til bestilling.",
    )
    services.cv_save(
        participant=participant,
        by=me,
        revision=None,
        summary="Jeg er pliktoppfyllende og liker å jobbe med hendene.",
        experience="Arbeidstrening, Bakeriet (nå)\nSommerjobb, matbutikk (2024)",
        education="Videregående, restaurant- og matfag (ikke fullført)",
        skills="Baking, renhold, kundeservice",
        languages="Norsk, engelsk, somali",
        film_url="https://www.youtube.com/watch?v=samspill-demo",
    )


def feedback_load(cast: Cast, *, exclude: Participant) -> None:
    """Participants with their own login (an invitation, a password chosen) answer this
    half-year's questionnaire. The demo participant has not: she sees it to answer."""
    candidates = (
        Participant.objects.filter(organisation=cast.org, active_period__isnull=False)
        .exclude(pk=exclude.pk)
        .filter(portal_user__isnull=True)
        .order_by("pk")[: len(FEEDBACK)]
    )
    for number, (participant, (listened, reachable, helps)) in enumerate(
        zip(candidates, FEEDBACK, strict=False), start=1
    ):
        counselor = participant.counselor or cast.leader
        participant_services.participant_update(
            participant=participant, by=counselor, email=f"deltaker{number}@demo.samspill.no"
        )
        participant.refresh_from_db()
        login = participant_invite(participant=participant, by=counselor)
        login.set_password(DEMO_PASSWORD)  # as the invitation page does
        login.last_login = timezone.now() - datetime.timedelta(days=number)
        login.save(update_fields=["password", "last_login"])
        services.feedback_give(
            participant=participant,
            by=login,
            listened=listened,
            reachable=reachable,
            helps=helps,
        )
