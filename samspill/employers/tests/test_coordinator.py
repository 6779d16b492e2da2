"""The coordinator's day at the employers: the placements at the employers they are the contact
person for (with what the participant shares), the employer page's placements, the industry by
name, an explanation instead of an empty participant list, and moving on the board."""

import pytest
from django.urls import reverse

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for, make_employer, make_participant
from samspill.employers.models import Employer
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord
from samspill.placements import followups
from samspill.placements.tests import cast


@pytest.fixture
def workshop(org, coordinator) -> Employer:
    return make_employer(org, coordinator, name="Verkstedet AS", nace_division="47")


@pytest.fixture
def placed(workshop, participant, counselor):
    from samspill.employers.services import contact_add

    mentor = contact_add(
        employer=workshop, by=counselor, name="Mats Mentor", email="m@v.example", is_mentor=True
    )
    return cast.draft(participant, workshop, counselor, mentor)


def detail(placement):
    return reverse("placements:detail", kwargs={"pk": placement.pk})


def test_the_contact_person_sees_the_placement_without_what_is_not_shared(
    placed, coordinator, participant
):
    response = client_for(coordinator).get(detail(placed))
    assert response.status_code == 200
    text = response.content.decode()
    assert placed.title in text
    assert participant.full_name not in text
    log = AccessLog.objects.get(actor=coordinator)
    assert (log.participant_id, log.why) == (participant.pk, "employer_contact_person")


def test_the_contact_person_sees_the_name_when_the_participant_shares_it(
    placed, coordinator, counselor, participant
):
    participant_services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.CONTACT,
    )
    assert participant.full_name in client_for(coordinator).get(detail(placed)).content.decode()


def test_another_coordinator_or_organisation_gets_404(placed, org, other_org, outsider):
    from samspill.core.testing import make_staff

    other = make_staff(org, "other.coordinator@example.org", "coordinator")
    assert client_for(other).get(detail(placed)).status_code == 404
    assert client_for(outsider).get(detail(placed)).status_code == 404


def test_the_contact_persons_page_reads_in_a_fixed_number_of_queries(
    placed, coordinator, django_assert_num_queries
):
    client = client_for(coordinator)
    with django_assert_num_queries(15):
        client.get(detail(placed))


def test_the_concern_on_the_contact_persons_today_links_to_the_placement(
    placed, coordinator, counselor
):
    followups.concern_raise(placement=placed, by=counselor, text="Kom ikke i dag")
    text = client_for(coordinator).get(reverse("followup:today")).content.decode()
    assert detail(placed) in text


def test_the_employer_page_lists_its_placements_and_names_the_industry(
    placed, workshop, coordinator
):
    text = client_for(coordinator).get(reverse("employers:detail", kwargs={"pk": workshop.pk}))
    html = text.content.decode()
    assert detail(placed) in html
    assert "(47)" in html and "Detaljhandel" in html


def test_with_nobody_to_place_the_page_says_why_and_what_to_do(workshop, coordinator):
    html = client_for(coordinator).get(reverse("employers:detail", kwargs={"pk": workshop.pk}))
    assert 'id="nobody-to-place"' in html.content.decode()
    assert (
        reverse("employers:placement_add", kwargs={"pk": workshop.pk}) not in html.content.decode()
    )


def test_a_coordinator_with_participants_gets_the_form(workshop, org, coordinator):
    make_participant(org, coordinator, given_name="Ali")
    html = client_for(coordinator).get(reverse("employers:detail", kwargs={"pk": workshop.pk}))
    assert reverse("employers:placement_add", kwargs={"pk": workshop.pk}) in html.content.decode()


def test_the_board_moves_an_employer_and_keeps_its_next_step(workshop, coordinator):
    client = client_for(coordinator)
    board = reverse("employers:board")
    assert f'id="move-{workshop.pk}"' in client.get(board).content.decode()
    response = client.post(
        reverse("employers:stage", kwargs={"pk": workshop.pk}),
        {"stage": "first_meeting", "revision": workshop.revision, "next": board},
    )
    assert response.status_code == 302 and response["Location"] == board
    workshop.refresh_from_db()
    assert workshop.stage == "first_meeting"
    assert AuditEvent.objects.filter(action="employer.stage_set").exists()


def test_a_stale_move_from_the_board_changes_nothing(workshop, coordinator):
    response = client_for(coordinator).post(
        reverse("employers:stage", kwargs={"pk": workshop.pk}),
        {"stage": "paused", "revision": workshop.revision + 5, "next": reverse("employers:board")},
    )
    assert response.status_code in (400, 409)
    workshop.refresh_from_db()
    assert workshop.stage == "prospect"
