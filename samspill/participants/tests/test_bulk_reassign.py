import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspill.core.testing import client_for, make_participant
from samspill.organisations.models import Membership
from samspill.participants import services
from samspill.participants.models import CounselorAssignment, Participant


@pytest.fixture
def leaving_caseload(org, counselor):
    return [make_participant(org, counselor, family_name=f"Deltaker{i}") for i in range(5)]


def test_it_spreads_the_caseload_evening_out_the_colleagues(
    org, counselor, colleague, other_team_counselor, leader, leaving_caseload
):
    make_participant(org, colleague, family_name="Existing")  # colleague already has one
    moved = services.counselor_bulk_reassign(
        leaving=counselor,
        to=[colleague, other_team_counselor],
        by=leader,
        reason="counselor_left",
        handover_note="Se notatene",
    )
    assert len(moved[colleague]) == 2
    assert len(moved[other_team_counselor]) == 3
    assert not Participant.objects.filter(counselor=counselor).exists()
    new = CounselorAssignment.objects.filter(reason="counselor_left", ended_at__isnull=True)
    assert new.count() == 5
    assert set(new.values_list("handover_note", flat=True)) == {"Se notatene"}
    assert all(a.assigned_by_id == leader.pk for a in new)


def test_it_moves_nothing_when_one_move_fails(
    org, counselor, colleague, outsider, leader, leaving_caseload
):
    with pytest.raises(ValidationError):
        services.counselor_bulk_reassign(
            leaving=counselor, to=[colleague, outsider], by=leader, reason="counselor_left"
        )
    assert Participant.objects.filter(counselor=counselor).count() == 5
    assert not CounselorAssignment.objects.filter(reason="counselor_left").exists()


def test_it_refuses_without_receivers_or_to_the_leaver_or_without_reason(
    org, counselor, colleague, leader, leaving_caseload
):
    for kwargs in (
        {"to": [], "reason": "counselor_left"},
        {"to": [counselor], "reason": "counselor_left"},
        {"to": [colleague], "reason": "initial"},
        {"to": [colleague], "reason": "other"},
    ):
        with pytest.raises(ValidationError):
            services.counselor_bulk_reassign(leaving=counselor, by=leader, **kwargs)
    assert Participant.objects.filter(counselor=counselor).count() == 5


def test_the_page_shows_a_summary_after_the_move(
    org, counselor, colleague, leader, leaving_caseload
):
    response = client_for(leader).post(
        reverse("participants:bulk_reassign"),
        {
            "leaving": Membership.objects.get(user=counselor).pk,
            "to": [Membership.objects.get(user=colleague).pk],
            "reason": "counselor_left",
            "handover_note": "Takk",
        },
    )
    assert response.status_code == 200
    assert response.context["result"]["total"] == 5
    assert Participant.objects.filter(counselor=colleague).count() == 5


def test_the_page_refuses_a_move_without_reason_and_changes_nothing(
    org, counselor, colleague, leader, leaving_caseload
):
    response = client_for(leader).post(
        reverse("participants:bulk_reassign"),
        {
            "leaving": Membership.objects.get(user=counselor).pk,
            "to": [Membership.objects.get(user=colleague).pk],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert Participant.objects.filter(counselor=counselor).count() == 5
