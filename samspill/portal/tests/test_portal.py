"""The portal shows a workplace only its own placements, and of each participant only what they
consented to share, at every request."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AccessLog
from samspill.core.testing import client_for, make_employer, make_participant
from samspill.employers import services as employer_services
from samspill.followup import services as followup_services
from samspill.participants import services as participant_services
from samspill.placements import followups as placement_followups
from samspill.placements import services as placement_services
from samspill.placements.models import Concern, MentorNote, Placement
from samspill.plans import services as plan_services


def page(user, placement) -> str:
    response = client_for(user).get(reverse("portal:placement", kwargs={"pk": placement.pk}))
    assert response.status_code == 200
    return response.content.decode()


def share(participant, counselor, *information):
    return [
        participant_services.consent_give(
            participant=participant, by=counselor, recipient="workplace", information=item
        )
        for item in information
    ]


def test_the_mentor_sees_only_what_the_participant_shares(
    mentor, placement, participant, counselor
):
    participant.shareable_accommodations = "Needs a quiet start to the day"
    participant.save()
    plan_services.goal_add(participant=participant, by=counselor, title="Fagbrev som baker")
    followup_services.checkin_record(
        participant=participant, by=counselor, belief=2, asked_on=datetime.date(2026, 3, 1)
    )
    plan_services.note_add(
        participant=participant,
        by=counselor,
        kind="conversation",
        text="Private counselor note",
        occurred_on=datetime.date(2026, 3, 1),
    )
    nothing_shared = page(mentor, placement)
    assert participant.full_name not in nothing_shared
    assert "Bakeassistent" in nothing_shared and "Steke brød" in nothing_shared
    assert "Fagbrev" not in nothing_shared and "quiet start" not in nothing_shared

    consents = share(participant, counselor, "contact", "plan", "accommodations")
    everything = page(mentor, placement)
    assert participant.full_name in everything
    assert "Fagbrev som baker" in everything and "quiet start" in everything
    # Never: health details, belief, the counselor's notes.
    for secret in ("Sensitive health detail", "Private counselor note", "Sannsynligvis ikke"):
        assert secret not in everything

    for consent in consents:
        participant_services.consent_withdraw(consent=consent, by=counselor)
    withdrawn = page(mentor, placement)
    assert participant.full_name not in withdrawn
    assert "Fagbrev" not in withdrawn and "quiet start" not in withdrawn


def test_the_home_page_lists_the_placements_with_the_person_to_call(
    mentor, placement, participant, counselor
):
    share(participant, counselor, "contact")
    response = client_for(mentor).get(reverse("portal:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert participant.full_name in body
    assert counselor.full_name in body and counselor.email in body


def test_a_mentor_sees_only_the_placements_they_mentor(
    mentor, employer_user, placement, org, counselor, employer
):
    other = make_participant(org, counselor, given_name="Per", family_name="Annen")
    unmentored = placement_services.placement_create(
        participant=other,
        employer=employer,
        by=counselor,
        kind="mentor_support",
        title="Butikk",
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    mentor_client = client_for(mentor)
    assert (
        mentor_client.get(reverse("portal:placement", kwargs={"pk": unmentored.pk})).status_code
        == 404
    )
    # The employer contact (not a mentor) sees every placement at the employer.
    assert (
        client_for(employer_user)
        .get(reverse("portal:placement", kwargs={"pk": unmentored.pk}))
        .status_code
        == 200
    )


def test_another_employers_placement_is_not_found(mentor, org, counselor, colleague):
    elsewhere = make_employer(org, colleague, name="Annet AS")
    other = make_participant(org, colleague, given_name="Siri")
    placement = placement_services.placement_create(
        participant=other,
        employer=elsewhere,
        by=colleague,
        kind="work_training",
        title="Lager",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2027, 1, 31),
        start_reason="Registered after the start.",
    )
    response = client_for(mentor).get(reverse("portal:placement", kwargs={"pk": placement.pk}))
    assert response.status_code == 404


def test_a_mentor_without_a_declaration_sees_no_participant(mentor, mentor_contact, placement):
    employer_services.contact_update(
        contact=mentor_contact, by=placement.created_by, confidentiality_signed_on=None
    )
    client = client_for(mentor)
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert "Bakeassistent" not in home.content.decode()
    assert client.get(reverse("portal:placement", kwargs={"pk": placement.pk})).status_code == 404


def test_an_ended_placement_leaves_the_portal_after_thirty_days(mentor, placement):
    Placement.objects.filter(pk=placement.pk).update(end_date=datetime.date(2026, 3, 1))
    assert (
        client_for(mentor).get(reverse("portal:placement", kwargs={"pk": placement.pk})).status_code
        == 404
    )


def test_every_read_is_logged_with_the_relationship(mentor, placement, participant):
    page(mentor, placement)
    log = AccessLog.objects.get(actor=mentor)
    assert log.participant_id == participant.pk
    assert log.why == "portal:mentor"


def test_a_note_reaches_the_counselor(mentor, placement, participant, counselor):
    response = client_for(mentor).post(
        reverse("portal:note_add", kwargs={"pk": placement.pk}), {"text": "Good first week"}
    )
    assert response.status_code == 302
    assert MentorNote.objects.get().author == mentor
    overview = client_for(counselor).get(
        reverse("participants:detail", kwargs={"pk": participant.pk})
    )
    assert "Good first week" in overview.content.decode()


def test_an_empty_note_is_refused_and_nothing_is_written(mentor, placement):
    response = client_for(mentor).post(
        reverse("portal:note_add", kwargs={"pk": placement.pk}), {"text": "   "}
    )
    assert response.status_code == 400
    assert MentorNote.objects.count() == 0


def test_a_concern_reaches_the_counselor_and_the_contact_person_at_once(
    mentor,
    placement,
    participant,
    counselor,
    colleague,
    employer,
    django_capture_on_commit_callbacks,
):
    employer_services.contact_person_change(
        employer=employer, by=counselor, contact_person=colleague, reason="balancing"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(mentor).post(
            reverse("portal:concern", kwargs={"pk": placement.pk}),
            {"text": "Came late three days"},
        )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([counselor.email, colleague.email])
    assert participant.given_name not in mail.outbox[0].body
    assert "Came late" not in mail.outbox[0].body
    for user in (counselor, colleague):
        today = client_for(user).get(reverse("followup:today"))
        assert today.context["lists"]["concerns"].count == 1
        assert "Came late three days" in today.content.decode()
    # The contact person is not the participant's counselor: no name, the placement instead.
    assert (
        participant.full_name
        not in client_for(colleague).get(reverse("followup:today")).content.decode()
    )
    handled = client_for(counselor).post(
        reverse("placements:concern_handle", kwargs={"pk": concern.pk})
    )
    assert handled.status_code == 302
    concern.refresh_from_db()
    assert concern.handled_by == counselor
    assert (
        client_for(colleague).get(reverse("followup:today")).context["lists"]["concerns"].count == 0
    )


def test_staff_cannot_handle_a_concern_they_have_nothing_to_do_with(
    mentor, placement, other_team_counselor, outsider
):
    concern = placement_followups.concern_raise(placement=placement, by=mentor, text="Problem")
    for user in (other_team_counselor, outsider):
        response = client_for(user).post(
            reverse("placements:concern_handle", kwargs={"pk": concern.pk})
        )
        assert response.status_code == 404
    concern.refresh_from_db()
    assert concern.handled_at is None


def test_an_invitation_sets_a_password_once_and_opens_the_portal(
    employer, counselor, placement, django_capture_on_commit_callbacks
):
    contact = employer_services.contact_add(
        employer=employer, by=counselor, name="Nina Ny", email="nina@bakeriet.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(counselor).post(
            reverse("portal:invite", kwargs={"employer_pk": employer.pk, "contact_pk": contact.pk})
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/portal/invitation/" in word)
    path = link[link.index("/portal/") :]
    visitor = client_for(None)
    assert visitor.get(path).status_code == 200
    done = visitor.post(
        path, {"new_password1": "a-long-Passphrase-42", "new_password2": "a-long-Passphrase-42"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("portal:home")
    assert visitor.get(reverse("portal:home")).status_code == 200
    # The link works once.
    assert client_for(None).get(path).status_code == 404


def test_a_staff_address_cannot_be_invited_to_the_portal(employer, counselor, colleague):
    contact = employer_services.contact_add(
        employer=employer, by=counselor, name="Kollega", email=colleague.email
    )
    client_for(counselor).post(
        reverse("portal:invite", kwargs={"employer_pk": employer.pk, "contact_pk": contact.pk})
    )
    contact.refresh_from_db()
    assert contact.user is None
    assert mail.outbox == []


def test_the_portal_is_for_portal_users_only(counselor, leader, admin, outsider):
    for user in (counselor, leader, admin, outsider):
        assert client_for(user).get(reverse("portal:home")).status_code == 403
    assert client_for(None).get(reverse("portal:home")).status_code == 302


def test_a_portal_user_reaches_no_staff_page(mentor, placement, participant, employer):
    client = client_for(mentor)
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("portal:home")
    for url in (
        reverse("participants:caseload"),
        reverse("followup:today"),
        reverse("employers:list"),
        reverse("referrals:list"),
    ):
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("participants:detail", kwargs={"pk": participant.pk}),
        reverse("followup:belief", kwargs={"pk": participant.pk}),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("employers:detail", kwargs={"pk": employer.pk})).status_code == 403
    assert client.get(f"/api/v1/participants/{participant.pk}").status_code in (403, 404)
    # Belief data, through every route that carries it: refused.
    for url in (
        f"/api/v1/participants/{participant.pk}/checkins",
        "/api/v1/follow-up/belief-by-team",
        "/api/v1/follow-up/continuity",
    ):
        assert client.get(url).status_code == 403, url
