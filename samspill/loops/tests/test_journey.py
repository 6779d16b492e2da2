"""The coordinator's (driver's) daily work in jobbLOOP without dead ends (issue 18): the
formation when no loop has free seats, the annual wheel's months, legend and today, rotation
cells as links, a mentor selector per employer, and inviting the candidates counselors propose.

The coordinator drives the loop and follows none of the young people (conftest)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import make_participant
from samspill.employers.services import contact_add
from samspill.loops import services
from samspill.loops.models import (
    Gathering,
    GatheringInvitation,
    GatheringNomination,
    InterestMark,
    Loop,
    LoopEmployer,
    LoopPlacement,
)

from .conftest import START
from .test_views import client_for


def text(response):
    return response.content.decode()


# 1. The formation when no loop has free seats


def test_with_no_free_seats_the_gathering_says_so_and_links_to_a_new_loop(
    loop, kick_off, coordinator
):
    page = text(client_for(coordinator).get(reverse("loops:gathering", args=[kick_off.pk])))
    assert "No loop has free seats." in page
    assert f'href="{reverse("loops:create")}"' in page
    assert f'action="/loops/gatherings/{kick_off.pk}/formation/"' not in page
    assert "None to choose." not in page


def test_running_the_formation_with_no_free_seats_explains_and_changes_nothing(
    loop, kick_off, coordinator
):
    before = list(LoopPlacement.objects.values_list("pk", flat=True))
    response = client_for(coordinator).post(
        reverse("loops:formation", args=[kick_off.pk]), {"loops": [loop.pk]}
    )
    assert response.status_code == 400
    assert "No loop has free seats." in text(response)
    assert "This field is required" not in text(response)
    assert list(LoopPlacement.objects.values_list("pk", flat=True)) == before


def test_running_the_formation_without_choosing_a_loop_says_what_to_choose(
    open_loop, kick_off, coordinator
):
    response = client_for(coordinator).post(reverse("loops:formation", args=[kick_off.pk]), {})
    assert response.status_code == 400
    assert "Choose at least one loop to seat the candidates in." in text(response)
    assert not Loop.objects.get(pk=open_loop.pk).seats.filter(participant__isnull=False).exists()


# 2. The annual wheel


def test_the_wheel_names_its_months_has_a_legend_and_marks_today(loop, coordinator, monkeypatch):
    today = datetime.date(2027, 3, 10)
    monkeypatch.setattr("samspill.loops.views.timezone.localdate", lambda: today)
    page = text(client_for(coordinator).get(reverse("loops:wheel", args=[loop.pk])))
    # Month names around the ring (January with its year), and today's line with its title.
    assert ">Jan 27</text>" in page and ">Mar</text>" in page
    assert 'class="wheel-today"' in page and "Today, 10 Mar 2027" in page
    # The legend names the periods' shades, today and each kind of dot.
    for label in ("Period 1:", "Today", "Kick-off", "Rotation change", "Closing"):
        assert label in page.split('data-testid="wheel-legend"')[1].split("</ul>")[0]
    # The table lists today in its place, between the events before and after it.
    rows = page.split('data-testid="wheel-events"')[1].split("</table>")[0]
    assert 'data-kind="today" aria-current="date"' in rows
    assert rows.index("2027-03-04") < rows.index("2027-03-10") < rows.index("2027-05-04")


def test_today_outside_the_loop_draws_no_line_but_stays_in_the_table(
    loop, coordinator, monkeypatch
):
    monkeypatch.setattr(
        "samspill.loops.views.timezone.localdate", lambda: datetime.date(2030, 1, 1)
    )
    page = text(client_for(coordinator).get(reverse("loops:wheel", args=[loop.pk])))
    assert 'class="wheel-today"' not in page
    assert 'data-kind="today"' in page


# 3. Rotation cells are links, as far as the reader may see


def test_the_counselor_s_rotation_links_each_cell_to_its_placement_and_the_participant(
    loop, counselor, young
):
    page = text(client_for(counselor).get(reverse("loops:detail", args=[loop.pk])))
    for cell in LoopPlacement.objects.filter(seat__loop=loop):
        assert f'href="{reverse("placements:detail", args=[cell.placement_id])}"' in page
    for person in young:
        assert f'href="{reverse("participants:detail", args=[person.pk])}"' in page


def test_the_driver_s_rotation_links_employers_not_what_he_may_not_open(
    loop, coordinator, young, employers
):
    rotation = services.gathering_create(
        organisation=loop.organisation,
        by=coordinator,
        date=datetime.date(2027, 5, 4),
        kind=Gathering.Kind.ROTATION,
        loop=loop,
    )
    page = text(client_for(coordinator).get(reverse("loops:detail", args=[loop.pk])))
    grid = page.split('data-testid="loop-grid"')[1].split("</table>")[0]
    assert "/placements/" not in grid and "/participants/" not in grid
    for employer in employers:
        assert f'href="{reverse("employers:detail", args=[employer.pk])}"' in grid
    # Period 2 opens with the rotation change recorded for its first day.
    assert f'href="{reverse("loops:gathering", args=[rotation.pk])}"' in grid


# 4. The mentor selector says which employer it is for


def test_each_employer_has_its_own_mentor_selector(loop, coordinator, employers, mentor_contact):
    page = text(client_for(coordinator).get(reverse("loops:detail", args=[loop.pk])))
    assert "Mentor at Bakeriet AS" in page
    assert "Set the mentor at Bakeriet AS" in page
    # The others have no mentor registered: said so, with the way to add one.
    assert page.count("No mentor is registered at this employer.") == 2
    assert f'href="{reverse("employers:detail", args=[employers[1].pk])}"' in page


def test_a_mentor_set_at_its_employer_and_bad_input_explained_in_that_form(
    loop, coordinator, employers, counselor
):
    other = contact_add(
        employer=employers[1],
        by=counselor,
        name="Vera Verksted",
        email="v@v.example",
        is_mentor=True,
    )
    client = client_for(coordinator)
    url = reverse("loops:mentor", args=[loop.pk])
    response = client.post(
        url,
        {
            "mentor": "999999",
            "employer": employers[1].pk,
            "revision": Loop.objects.get(pk=loop.pk).revision,
        },
    )
    assert response.status_code == 400
    assert "Choose a mentor at one of the loop&#x27;s employers." in text(response)
    assert f'id="id_mentor{employers[1].pk}_mentor"' in text(response)
    assert LoopEmployer.objects.get(loop=loop, employer=employers[1]).mentor is None
    response = client.post(
        url,
        {
            "mentor": other.pk,
            "employer": employers[1].pk,
            "revision": Loop.objects.get(pk=loop.pk).revision,
        },
    )
    assert response.status_code == 302
    assert LoopEmployer.objects.get(loop=loop, employer=employers[1]).mentor == other


# 5. The driver invites the candidates their counselors propose


@pytest.fixture
def gathering(org, coordinator):
    return services.gathering_create(
        organisation=org, by=coordinator, date=datetime.date(2027, 6, 1), place="Kulturhuset"
    )


@pytest.fixture
def proposed(org, counselor, gathering):
    people = [
        make_participant(org, counselor, given_name=name, birth_date=datetime.date(2006, 3, 1))
        for name in ("Siri", "Tor")
    ]
    response = client_for(counselor).post(
        reverse("loops:propose", args=[gathering.pk]), {"participants": [p.pk for p in people]}
    )
    assert response.status_code == 302
    return people


def test_a_counselor_proposes_and_the_driver_sees_whom_and_by_whom(
    gathering, proposed, coordinator, counselor, org
):
    assert GatheringNomination.objects.filter(gathering=gathering).count() == 2
    assert AuditEvent.objects.filter(action="gathering.nominated").count() == 2
    unproposed = make_participant(org, counselor, given_name="Ukjent")
    page = text(client_for(coordinator).get(reverse("loops:gathering", args=[gathering.pk])))
    form = page.split('data-testid="invite-form"')[1].split("</form>")[0]
    # The driver may not open the proposed participants: they are numbered, not named.
    assert "Candidate 1 (proposed by Counselor" in form
    assert "Candidate 2 (proposed by Counselor" in form
    # Nobody the driver may not see is named anywhere, proposed or not.
    for person in [*proposed, unproposed]:
        assert person.given_name not in page
    # The driver has nobody of their own to propose.
    assert 'data-testid="propose-form"' not in page


def test_the_driver_invites_marks_attendance_and_interest_of_proposed_candidates(
    gathering, proposed, coordinator, employer
):
    client = client_for(coordinator)
    response = client.post(
        reverse("loops:invite", args=[gathering.pk]), {"participants": [p.pk for p in proposed]}
    )
    assert response.status_code == 302
    invitation = GatheringInvitation.objects.get(gathering=gathering, participant=proposed[0])
    response = client.post(
        reverse("loops:attendance", args=[gathering.pk, invitation.pk]), {"attendance": "attended"}
    )
    invitation.refresh_from_db()
    assert invitation.attendance == GatheringInvitation.Attendance.ATTENDED
    services.gathering_invite(
        gathering=gathering,
        by=coordinator,
        contact=contact_add(employer=employer, by=coordinator, name="Eva", email="eva@b.example"),
    )
    key = f"{proposed[0].pk}-{employer.pk}"
    client.post(reverse("loops:marks", args=[gathering.pk]), {f"e-{key}": "2", f"c-{key}": "1"})
    mark = InterestMark.objects.get(gathering=gathering, candidate=proposed[0])
    assert (mark.employer_mark, mark.candidate_mark) == (2, 1)


def test_the_driver_cannot_invite_someone_nobody_proposed(gathering, coordinator, counselor, org):
    stranger = make_participant(org, counselor, given_name="Stranger")
    response = client_for(coordinator).post(
        reverse("loops:invite", args=[gathering.pk]), {"participants": [stranger.pk]}
    )
    assert response.status_code == 400
    assert "Choose among the candidates listed." in text(response)
    assert "Stranger" not in text(response)
    assert not GatheringInvitation.objects.filter(participant=stranger).exists()


def test_an_empty_invitation_is_explained(gathering, coordinator):
    response = client_for(coordinator).post(reverse("loops:invite", args=[gathering.pk]), {})
    assert response.status_code == 400
    assert "Choose at least one candidate or contact to invite." in text(response)


def test_nobody_proposes_a_participant_they_cannot_open(
    gathering, other_team_counselor, counselor, org
):
    theirs = make_participant(org, counselor, given_name="Theirs")
    response = client_for(other_team_counselor).post(
        reverse("loops:propose", args=[gathering.pk]), {"participants": [theirs.pk]}
    )
    assert response.status_code == 400
    assert "Choose among your participants listed." in text(response)
    assert not GatheringNomination.objects.exists()
    from django.http import Http404

    with pytest.raises(Http404):
        services.gathering_nominate(
            gathering=gathering, by=other_team_counselor, participant=theirs
        )


def test_a_participant_in_a_loop_is_not_proposed(loop, gathering, counselor, young):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.gathering_nominate(gathering=gathering, by=counselor, participant=young[0])


def test_another_organisation_cannot_propose(gathering, outsider, other_participant):
    response = client_for(outsider).post(
        reverse("loops:propose", args=[gathering.pk]), {"participants": [other_participant.pk]}
    )
    assert response.status_code == 404
    assert not GatheringNomination.objects.exists()


def test_the_gathering_page_reads_the_same_queries_for_one_or_three_proposed(
    gathering, proposed, coordinator, counselor, org
):
    client = client_for(coordinator)
    url = reverse("loops:gathering", args=[gathering.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    extra = make_participant(org, counselor, given_name="Ekstra")
    services.gathering_nominate(gathering=gathering, by=counselor, participant=extra)
    assert count() == before


def test_a_driver_seats_proposed_candidates_through_the_formation(
    org, coordinator, counselor, employers
):
    """The whole kick-off as the driver: proposed, invited, attended, seated."""
    gathering = services.gathering_create(
        organisation=org, by=coordinator, date=datetime.date(2026, 12, 7)
    )
    people = [
        make_participant(org, counselor, given_name=n, birth_date=datetime.date(2006, 3, 1))
        for n in ("A", "B", "C")
    ]
    open_loop = services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Øst",
        driver=coordinator,
        counselor=counselor,
        start_date=START,
        employers=employers,
    )
    for person in people:
        services.gathering_nominate(gathering=gathering, by=counselor, participant=person)
        invitation = services.gathering_invite(
            gathering=gathering, by=coordinator, participant=person
        )
        services.invitation_attendance_set(
            invitation=invitation,
            by=coordinator,
            attendance=GatheringInvitation.Attendance.ATTENDED,
        )
    rows = open_loop.rows()
    services.formation_accept(
        gathering=gathering,
        loops=[open_loop],
        seats=[
            {
                "candidate": f"P{p.pk}",
                "loop": f"L{open_loop.pk}",
                "order": [f"E{employers[c].pk}" for c in rows[r]],
            }
            for r, p in enumerate(people)
        ],
        by=coordinator,
    )
    assert open_loop.seats.filter(participant__in=people).count() == 3


# 6. A participant is named only to those who may open them (gathering and formation)


def proposed_section(page):
    return page.split('data-testid="proposed"')[1].split("</ul>")[0]


def test_proposed_names_are_shown_only_to_those_who_may_open_them(
    gathering, proposed, counselor, leader, other_team_counselor, coordinator
):
    url = reverse("loops:gathering", args=[gathering.pk])
    for viewer in (counselor, leader):
        section = proposed_section(text(client_for(viewer).get(url)))
        assert "Siri" in section and "Tor" in section, viewer
    for viewer in (other_team_counselor, coordinator):
        page = text(client_for(viewer).get(url))
        section = proposed_section(page)
        assert "Candidate 1 · proposed by Counselor" in section, viewer
        assert "Candidate 2 · proposed by Counselor" in section, viewer
        assert "Siri" not in page and "Tor " not in page, viewer


def test_invited_candidates_and_their_marks_are_numbered_for_the_driver(
    gathering, proposed, coordinator, counselor, employer
):
    driver = client_for(coordinator)
    driver.post(reverse("loops:invite", args=[gathering.pk]), {"participants": [proposed[0].pk]})
    services.gathering_invite(
        gathering=gathering,
        by=coordinator,
        contact=contact_add(employer=employer, by=coordinator, name="Eva", email="eva@b.example"),
    )
    page = text(driver.get(reverse("loops:gathering", args=[gathering.pk])))
    invited = page.split('id="h-invited"')[1].split("</table>")[0]
    assert '<th scope="row">Candidate 1</th>' in invited
    assert "Eva (" in invited
    marks = page.split('id="h-marks"')[1].split("</table>")[0]
    assert '<th scope="row">Candidate 1</th>' in marks
    assert "Candidate 1&#x27;s mark" in marks or "Candidate 1's mark" in marks
    assert "Siri" not in page
    # Their counselor sees the same rows by name.
    page = text(client_for(counselor).get(reverse("loops:gathering", args=[gathering.pk])))
    assert f'<th scope="row">{proposed[0].full_name}</th>' in page


def run_formation(user, gathering, loop):
    return client_for(user).post(
        reverse("loops:formation", args=[gathering.pk]), {"loops": [loop.pk]}
    )


def test_the_formation_names_only_candidates_the_viewer_may_open(
    kick_off, open_loop, young, counselor, coordinator, other_team_counselor, leader
):
    for viewer in (counselor, leader):
        response = run_formation(viewer, kick_off, open_loop)
        assert response.status_code == 200
        page = text(response)
        assert all(person.full_name in page for person in young), viewer
    for viewer in (coordinator, other_team_counselor):
        response = run_formation(viewer, kick_off, open_loop)
        assert response.status_code == 200
        page = text(response)
        assert 'data-testid="formation-summary"' in page
        for person in young:
            assert person.given_name not in page, viewer
        # Each seated candidate is there under a number, in the swap form too.
        assert page.count(">Candidate ") >= len(young) * 2, viewer


def test_the_formation_is_no_way_around_the_door_for_other_roles(
    kick_off, open_loop, young, admin, outsider
):
    response = run_formation(admin, kick_off, open_loop)
    assert response.status_code == 403
    response = run_formation(outsider, kick_off, open_loop)
    assert response.status_code == 404
    for response in (
        run_formation(admin, kick_off, open_loop),
        run_formation(outsider, kick_off, open_loop),
    ):
        assert all(person.given_name not in text(response) for person in young)
