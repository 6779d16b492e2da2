"""`make run` loads the demo data: it must load, twice (the second time changes nothing), and
show every part of the product, the insights pages with figures."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from samspill.accounts.models import User
from samspill.core.admin_site import is_platform_operator
from samspill.demo import stories
from samspill.demo.people import ORG_NAME
from samspill.insights import effects, outcomes
from samspill.learning.models import PeerFeedback, SparringCase, SupervisionSession
from samspill.learning.sparring_stats import sparring_effect
from samspill.loops.models import LoopPartner, LoopPlacement, LoopReferral
from samspill.organisations.models import Organisation
from samspill.participants.models import CounselorAssignment, FollowUpStatus, Participant
from samspill.placements.models import Certificate, Placement, Status


def test_the_demo_data_loads_once_and_shows_every_part(db, capsys):
    call_command("demo_data")
    counts = (Participant.objects.count(), Placement.objects.count(), User.objects.count())
    call_command("demo_data")

    assert (Participant.objects.count(), Placement.objects.count(), User.objects.count()) == counts
    statuses = {placement.status for placement in Placement.objects.all()}
    assert {Status.RUNNING, Status.AWAITING_APPROVAL, Status.ENDED} <= statuses
    assert Certificate.objects.filter(issued_at__isnull=False).exists()
    assert LoopPlacement.objects.count() == 9
    out = capsys.readouterr().out
    assert "deltaker@demo.samspill.no" in out
    # The external driver and NAV's loop coordinator (issue 22): their loop, a candidate the
    # driver invited, a young person NAV referred.
    assert "driver@demo.samspill.no" in out and "nav.loop@demo.samspill.no" in out
    driver = LoopPartner.objects.get(user__email="driver@demo.samspill.no")
    assert driver.has_declaration and driver.loops.get().driver_id == driver.user_id
    assert driver.loops.get().gatherings.get().invitations.filter(participant__isnull=False)
    assert LoopReferral.objects.filter(referred_by__user__email="nav.loop@demo.samspill.no")
    # A loop whose year has ended, its evaluation answered by each kind of respondent.
    from samspill.loops.models import LoopEvaluation

    evaluated = LoopEvaluation.objects.get()
    assert set(evaluated.answers.values_list("respondent", flat=True)) == {
        "employer",
        "mentor",
        "youth",
    }
    assert evaluated.outcomes.exists()
    # A year of ended follow-up: outcomes at the end, statuses six months after, and enough
    # participants and events for the effects analysis.
    organisation = Organisation.objects.get(name=ORG_NAME)
    today = timezone.localdate()
    result = outcomes.compute(organisation, today - datetime.timedelta(days=365), today, today)
    [group] = result["groups"]["organisation"].values()
    assert (group["ended"] or 0) > 0
    estimate = effects.estimate(organisation.pk, today=today)
    assert estimate["n_events"] >= effects.MIN_EVENTS
    assert estimate["n_participants"] >= effects.MIN_PARTICIPANTS
    assert FollowUpStatus.objects.filter(months=6).exclude(outcome="").exists()
    assert CounselorAssignment.objects.exclude(reason=CounselorAssignment.Reason.INITIAL).exists()
    # The demo counselor has statuses to record: due within a month, or overdue.
    assert FollowUpStatus.objects.filter(
        counselor__email="kari.nordmann@demo.samspill.no",
        outcome="",
        due_on__lte=today + datetime.timedelta(days=30),
    ).exists()
    # A year of the learning programme: sessions held and coming, attendance, reflections.
    from samspill.learning.models import ProgrammeSession, Reflection

    sessions = ProgrammeSession.objects.filter(module__programme__organisation=organisation)
    assert sessions.filter(starts_at__lt=timezone.now(), attendance__present=True).exists()
    assert sessions.filter(starts_at__gt=timezone.now()).exists()
    assert Reflection.objects.filter(looked_back_at__isnull=False).exists()
    assert Reflection.objects.filter(look_back_on=today, looked_back_at__isnull=True).exists()
    # The network partner shares a programme (and methods) with the demo organisation.
    from samspill.learning.permissions import methods_visible_to
    from samspill.learning.programme_sharing import shared_programmes_for

    kari = User.objects.get(email="kari.nordmann@demo.samspill.no")
    [shared_programme] = shared_programmes_for(kari)
    assert shared_programme.organisation.name == "Jobkompagniet Syd ApS"
    assert ProgrammeSession.objects.filter(module__programme=shared_programme).count() == 4
    assert methods_visible_to(kari).exclude(organisation=organisation).exists()
    # Sparring of every kind, answered and open, and figures on "Does sparring help?".
    cases = SparringCase.objects.filter(organisation=organisation)
    assert {(kind, status) for kind, status in cases.values_list("kind", "status")} >= {
        ("lost_belief", "open"),
        ("lost_belief", "closed"),
        ("case", "answered"),
    }
    assert cases.filter(audience="group").exists()
    assert cases.filter(audience="platform_mentor").exists()
    assert SupervisionSession.objects.exclude(notes="").exists()
    assert PeerFeedback.objects.filter(organisation=organisation).count() >= 2
    figures = sparring_effect(organisation.pk).organisation
    assert figures.with_sparring.share is not None
    assert figures.without.share is not None
    # No participant's timeline says the same thing twice.
    from django.db.models import Count

    from samspill.plans.models import Note

    repeated = Note.objects.values("participant", "text").annotate(n=Count("id")).filter(n__gt=1)
    assert not repeated.exists()


def test_the_demo_administrator_is_no_superuser_and_an_operator_has_the_admin(db, capsys):
    call_command("demo_data")

    administrator = User.objects.get(email="admin@demo.samspill.no")
    operator = User.objects.get(email="operator@demo.samspill.no")
    assert (administrator.is_staff, administrator.is_superuser) == (False, False)
    assert is_platform_operator(operator)
    assert not operator.memberships.exists()
    assert "operator@demo.samspill.no" in capsys.readouterr().out


def test_the_stories_are_the_same_every_time_and_keep_inside_their_periods():
    told = stories.tell()

    assert told == stories.tell()
    assert sum(story.reached is not None for story in told) >= effects.MIN_EVENTS
    for story in told:
        last = story.ended[0] if story.ended else story.started_days_ago - 1
        assert last < story.started_days_ago
        assert all(day < last for day, _belief in story.checkins)
        if story.placement is not None:
            assert story.placement[0] < story.placement[1] <= last
        if story.change is not None:
            assert story.change[0] < last
        if story.reached is not None:
            assert story.reached[0] <= last


def test_the_demo_participant_has_a_dialog_a_profile_and_the_leader_feedback(db, capsys):
    from samspill.selfservice import queries
    from samspill.selfservice.models import Feedback

    call_command("demo_data")

    participant = Participant.objects.get(email="deltaker@demo.samspill.no")
    # Unread on both sides: the counselor's answer for her, her newer messages for him.
    assert queries.unread_count(participant, from_participant=False) >= 1
    assert queries.unread_count(participant, from_participant=True) >= 2
    assert participant.who_i_am and participant.want_to_learn
    assert participant.counselor is not None and participant.counselor.phone
    cv = queries.cv_of(participant)
    assert cv.experience and cv.film_url
    # She has not answered this half-year's questionnaire; others have, enough to be shown.
    assert not Feedback.objects.filter(participant=participant).exists()
    [current] = queries.feedback_summary(participant.organisation_id)
    assert not current.suppressed
    assert all(total and total >= 5 for _label, _cells, total in current.questions)
