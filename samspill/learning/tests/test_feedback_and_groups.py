"""Peer feedback (the observed person's) and supervision groups with their sessions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for, make_staff
from samspill.learning import sparring_services as services
from samspill.learning.models import (
    PeerFeedback,
    SparringCase,
    StaffRecordRead,
    SupervisionGroup,
    SupervisionSession,
)
from samspill.organisations.models import Membership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def give(by, observed, **kwargs):
    kwargs.setdefault("observed_on", TODAY)
    kwargs.setdefault("setting", PeerFeedback.Setting.CONVERSATION)
    kwargs.setdefault("went_well", "Du lyttet og lot deltakeren ta tiden sin.")
    return services.peer_feedback_give(by=by, observed=observed, **kwargs)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Peer feedback ----------------------------------------------------------------------------


def test_the_observed_colleague_reads_the_feedback_and_it_is_marked_read(counselor, colleague):
    item = give(colleague, counselor, to_try="Spør mer om drømmene.")
    response = client_for(counselor).get(reverse("learning:feedback_detail", args=[item.pk]))
    assert response.status_code == 200
    assert "Spør mer om drømmene." in response.content.decode()
    item.refresh_from_db()
    assert item.seen_at is not None
    assert not StaffRecordRead.objects.exists()  # it is the reader's own


def test_the_author_reads_it_and_that_read_is_logged(counselor, colleague):
    item = give(colleague, counselor)
    response = client_for(colleague).get(reverse("learning:feedback_detail", args=[item.pk]))
    assert response.status_code == 200
    read = StaffRecordRead.objects.get()
    assert (read.reader, read.subject, read.what) == (colleague, counselor, "learning:feedback")
    item.refresh_from_db()
    assert item.seen_at is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 404), ("other_team_counselor", 404), ("outsider", 404), ("admin", 403)],
)
def test_nobody_else_reads_the_feedback(request, counselor, colleague, who, status):
    item = give(colleague, counselor)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("learning:feedback_detail", args=[item.pk])).status_code == status


def test_feedback_for_oneself_the_future_or_another_organisation_is_refused(
    client, counselor, colleague, outsider
):
    client.force_login(counselor)
    url = reverse("learning:feedback")
    base = {"observed": colleague.pk, "setting": "conversation", "went_well": "Bra"}
    future = TODAY + datetime.timedelta(days=2)
    for data in (
        {**base, "observed_on": future.isoformat()},
        {**base, "observed": counselor.pk, "observed_on": TODAY.isoformat()},
        {**base, "observed": outsider.pk, "observed_on": TODAY.isoformat()},
        {**base, "went_well": "", "observed_on": TODAY.isoformat()},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
    assert not PeerFeedback.objects.exists()
    response = client.post(url, {**base, "observed_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert PeerFeedback.objects.get().observed == colleague


def test_the_feedback_list_takes_the_same_queries_however_long(counselor, colleague, org):
    client = client_for(counselor)
    url = reverse("learning:feedback")
    give(colleague, counselor)
    give(counselor, colleague)  # a read of the colleague's feedback, logged in one insert
    few = count_queries(client, url)
    for index in range(4):
        observer = make_staff(org, f"peer{index}@example.org", Membership.Role.COUNSELOR)
        give(observer, counselor)
        give(counselor, observer)
    assert count_queries(client, url) == few


# --- Supervision groups -----------------------------------------------------------------------


@pytest.fixture
def group(leader, counselor, colleague, other_team_counselor):
    return services.supervision_group_create(
        by=leader,
        name="Veiledningsgruppe tirsdag",
        facilitator=colleague,
        members=[counselor, other_team_counselor],
        first_session_at=timezone.now() + datetime.timedelta(days=3),
        every_weeks=2,
        sessions=4,
        place="Møterom 2",
    )


def test_a_group_is_made_with_members_and_recurring_sessions(group, colleague, counselor):
    starts = list(group.sessions.values_list("starts_at", flat=True))
    assert len(starts) == 4
    assert {b - a for a, b in zip(starts, starts[1:], strict=False)} == {
        datetime.timedelta(weeks=2)
    }
    assert set(group.members.all()) >= {colleague, counselor}
    planned = services.supervision_sessions_plan(group=group, by=colleague, count=2)
    assert planned[0].starts_at == starts[-1] + datetime.timedelta(weeks=2)


def test_only_leaders_and_platform_mentors_make_groups(client, counselor, colleague):
    client.force_login(counselor)
    response = client.post(
        reverse("learning:groups"),
        {
            "name": "X",
            "facilitator": counselor.pk,
            "members": [colleague.pk],
            "first_session_at": "2027-01-05T09:00",
            "every_weeks": 4,
            "sessions": 3,
        },
    )
    assert response.status_code == 403
    assert not SupervisionGroup.objects.exists()


def test_bad_group_input_changes_nothing(client, leader, colleague):
    client.force_login(leader)
    response = client.post(
        reverse("learning:groups"),
        {
            "name": "X",
            "facilitator": colleague.pk,
            "members": [colleague.pk],
            "first_session_at": "2027-01-05T09:00",
            "every_weeks": 40,
            "sessions": 3,
        },
    )
    assert response.status_code == 400
    assert not SupervisionGroup.objects.exists()


def test_members_keep_notes_and_a_stale_save_is_refused(group, counselor, colleague):
    session = group.sessions.first()
    services.supervision_notes_save(session=session, by=counselor, notes="Tema: tro", revision=1)
    with pytest.raises(StaleRevision):
        services.supervision_notes_save(session=session, by=colleague, notes="Annet", revision=1)
    session.refresh_from_db()
    assert session.notes == "Tema: tro"


def test_a_stale_notes_form_says_so_and_changes_nothing(group, counselor, colleague):
    session = group.sessions.first()
    url = reverse("learning:session_notes", args=[session.pk])
    prefix = f"s{session.pk}"
    client_for(counselor).post(url, {f"{prefix}-notes": "Først", f"{prefix}-revision": 1})
    response = client_for(colleague).post(
        url, {f"{prefix}-notes": "Sist", f"{prefix}-revision": 1}, follow=True
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.notes == "Først"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("admin", 403), ("mentor", 403)])
def test_outsiders_cannot_open_a_group_or_write_its_notes(request, group, who, status):
    client = client_for(request.getfixturevalue(who))
    session = group.sessions.first()
    assert client.get(reverse("learning:group", args=[group.pk])).status_code == status
    response = client.post(reverse("learning:session_notes", args=[session.pk]), {})
    assert response.status_code == status


def test_a_colleague_outside_the_group_gets_404_and_a_leader_sees_no_notes_form(org, group, leader):
    stranger = make_staff(org, "stranger@example.org", Membership.Role.COUNSELOR)
    assert client_for(stranger).get(reverse("learning:group", args=[group.pk])).status_code == 404
    session = group.sessions.first()
    response = client_for(leader).post(
        reverse("learning:session_notes", args=[session.pk]),
        {f"s{session.pk}-notes": "x", f"s{session.pk}-revision": 1},
    )
    assert response.status_code == 403
    assert SupervisionSession.objects.get(pk=session.pk).notes == ""


def test_a_group_member_answers_a_case_asked_of_the_group(group, counselor, other_team_counselor):
    case = services.sparring_case_ask(
        by=counselor,
        audience=SparringCase.Audience.GROUP,
        group=group,
        situation="Ta opp i gruppa",
    )
    response = client_for(other_team_counselor).post(
        reverse("learning:sparring_case", args=[case.pk]),
        {"action": "answer", "text": "Vi tar den på tirsdag."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == SparringCase.Status.ANSWERED


def test_the_group_list_takes_the_same_queries_however_many_groups(leader, counselor, colleague):
    client = client_for(leader)
    url = reverse("learning:groups")
    services.supervision_group_create(
        by=leader,
        name="G0",
        facilitator=colleague,
        members=[counselor],
        first_session_at=timezone.now(),
    )
    few = count_queries(client, url)
    for index in range(1, 5):
        services.supervision_group_create(
            by=leader,
            name=f"G{index}",
            facilitator=colleague,
            members=[counselor],
            first_session_at=timezone.now(),
        )
    assert count_queries(client, url) == few
