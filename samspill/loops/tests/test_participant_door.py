"""Loop actions that name a participant go through the participant door (`visible_to`): seating,
leaving, inviting, attendance and interest marks. A participant the actor may not open is a 404,
the same as one that does not exist, and nothing changes. Marks are only for candidates invited
to the gathering (422 from the API, a message on the page)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.loops import services
from samspill.loops.models import (
    GatheringInvitation,
    InterestMark,
    Loop,
    LoopPlacement,
    LoopSeat,
)

MARKS = "/api/v1/loops/gatherings/{}/marks"


def seat_state(loop):
    seats = list(LoopSeat.objects.filter(loop=loop).values_list("row", "participant_id", "left_at"))
    cancelled = list(
        LoopPlacement.objects.filter(seat__loop=loop).values_list("placement__cancelled_at")
    )
    return seats, cancelled


@pytest.mark.parametrize("who", ["other_team_counselor", "coordinator"])
def test_a_counselor_who_cannot_open_a_participant_cannot_make_them_leave(who, request, loop):
    before = seat_state(loop)
    response = client_for(request.getfixturevalue(who)).post(
        reverse("loops:leave", args=[loop.pk]),
        {"row": 0, "reason": "Moved", "revision": Loop.objects.get(pk=loop.pk).revision},
    )
    assert response.status_code == 404
    assert seat_state(loop) == before


def test_the_leave_form_offers_only_the_seats_one_may_open(loop, other_team_counselor, counselor):
    hidden = client_for(other_team_counselor).get(reverse("loops:detail", args=[loop.pk]))
    assert hidden.context["leave_form"].fields["row"].choices == []
    shown = client_for(counselor).get(reverse("loops:detail", args=[loop.pk]))
    assert len(shown.context["leave_form"].fields["row"].choices) == 3


def test_the_services_refuse_a_participant_the_actor_cannot_open(
    open_loop, kick_off, young, org, colleague, other_team_counselor, employers
):
    stranger = make_participant(
        org, colleague, given_name="Siv", birth_date=datetime.date(2006, 1, 1)
    )
    with pytest.raises(Http404):
        services.loop_seat_fill(
            loop=open_loop, row=0, participant=young[0], by=other_team_counselor
        )
    with pytest.raises(Http404):
        services.loop_seating_accept(
            loop=open_loop, by=other_team_counselor, seats=[(young[0], employers)]
        )
    with pytest.raises(Http404):
        services.gathering_invite(gathering=kick_off, by=other_team_counselor, participant=stranger)
    invitation = kick_off.invitations.get(participant=young[0])
    with pytest.raises(Http404):
        services.invitation_attendance_set(
            invitation=invitation,
            by=other_team_counselor,
            attendance=GatheringInvitation.Attendance.ABSENT,
        )
    assert not LoopSeat.objects.filter(loop=open_loop, participant__isnull=False).exists()
    assert not kick_off.invitations.filter(participant=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.attendance == GatheringInvitation.Attendance.ATTENDED


def test_marks_via_the_api_refuse_an_uninvited_candidate(kick_off, org, counselor, employers):
    uninvited = make_participant(org, counselor, given_name="Siv")
    response = client_for(counselor).put(
        MARKS.format(kick_off.pk),
        {"candidate_id": uninvited.pk, "employer_id": employers[0].pk, "employer_mark": 2},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "candidate",
            "message": "Bare kandidater som er invitert til samlingen, kan markeres.",
        }
    ]
    assert not InterestMark.objects.filter(candidate=uninvited).exists()


def test_marks_via_the_api_treat_an_invisible_candidate_as_not_there(
    kick_off, young, org, colleague, other_team_counselor, employers
):
    before = list(InterestMark.objects.values_list("candidate_id", "employer_id", "employer_mark"))
    client = client_for(other_team_counselor)
    invisible = client.put(
        MARKS.format(kick_off.pk),
        {"candidate_id": young[0].pk, "employer_id": employers[0].pk, "employer_mark": 2},
        content_type="application/json",
    )
    missing = client.put(
        MARKS.format(kick_off.pk),
        {"candidate_id": 999_999, "employer_id": employers[0].pk, "employer_mark": 2},
        content_type="application/json",
    )
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()
    assert (
        list(InterestMark.objects.values_list("candidate_id", "employer_id", "employer_mark"))
        == before
    )


def test_the_mark_service_checks_the_door_before_the_invitation(
    kick_off, org, colleague, counselor, employers
):
    stranger = make_participant(org, colleague, given_name="Siv")
    with pytest.raises(Http404):
        services.interest_mark_set(
            gathering=kick_off,
            by=counselor,
            candidate=stranger,
            employer=employers[0],
            employer_mark=1,
        )
    mine = make_participant(org, counselor, given_name="Per")
    with pytest.raises(ValidationError):
        services.interest_mark_set(
            gathering=kick_off, by=counselor, candidate=mine, employer=employers[0], employer_mark=1
        )
    assert not InterestMark.objects.filter(candidate__in=[stranger, mine]).exists()


def test_the_mark_grid_has_only_the_candidates_one_may_open(
    kick_off, open_loop, young, org, colleague, counselor, employers
):
    stranger = make_participant(org, colleague, given_name="Siv")
    services.gathering_invite(gathering=kick_off, by=colleague, participant=stranger)
    page = client_for(counselor).get(reverse("loops:gathering", args=[kick_off.pk]))
    html = page.content.decode()
    assert f'name="e-{young[0].pk}-' in html
    assert f'name="e-{stranger.pk}-' not in html
    key = f"{stranger.pk}-{employers[0].pk}"
    client_for(counselor).post(reverse("loops:marks", args=[kick_off.pk]), {f"e-{key}": "2"})
    assert not InterestMark.objects.filter(candidate=stranger).exists()


def test_a_formation_of_candidates_one_cannot_open_is_not_accepted(
    kick_off, open_loop, young, employers, other_team_counselor
):
    columns = {m.column: f"E{m.employer_id}" for m in open_loop.employers.all()}
    seats = [
        {"candidate": f"P{p.pk}", "loop": f"L{open_loop.pk}", "order": [columns[c] for c in row]}
        for p, row in zip(young, open_loop.rows(), strict=True)
    ]
    with pytest.raises(Http404):
        services.formation_accept(
            gathering=kick_off, loops=[open_loop], seats=seats, by=other_team_counselor
        )
    assert not LoopSeat.objects.filter(loop=open_loop, participant__isnull=False).exists()
    open_loop.refresh_from_db()
    assert open_loop.square == [list(row) for row in open_loop.rows()]


def test_attendance_and_swaps_of_a_participant_one_cannot_open_are_not_found(
    loop, kick_off, young, other_team_counselor, employers
):
    invitation = kick_off.invitations.get(participant=young[0])
    response = client_for(other_team_counselor).post(
        reverse("loops:attendance", args=[kick_off.pk, invitation.pk]), {"attendance": "absent"}
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.attendance == GatheringInvitation.Attendance.ATTENDED
    square = loop.square
    with pytest.raises(Http404):
        services.loop_rows_swap(loop=loop, by=other_team_counselor, a=0, b=1)
    with pytest.raises(Http404):
        services.loop_visits_swap(
            loop=loop, by=other_team_counselor, row=0, first=employers[0], second=employers[1]
        )
    loop.refresh_from_db()
    assert loop.square == square
