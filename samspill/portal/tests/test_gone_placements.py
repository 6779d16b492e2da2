"""A cancelled placement leaves the portal at once, and an ended one 30 days after its end: not
listed, its page a 404, and every write on it (note, concern, approval, certificate) a 404 that
writes nothing. The participant's own login loses a cancelled placement too (an ended one stays:
its evaluations and certificate are theirs)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from samspill.audit.models import AuditEvent
from samspill.core.testing import client_for
from samspill.participants import services as participant_services
from samspill.placements import followups as placement_followups
from samspill.placements import services as placement_services
from samspill.placements.models import (
    AgreementApproval,
    Concern,
    MentorNote,
    Placement,
)
from samspill.placements.tests import cast
from samspill.portal.services import participant_invite

CONTACTS = ["mentor", "employer_user"]


def share_contact(participant, counselor) -> None:
    """The participant shares their name and phone with the workplace."""
    participant_services.participant_update(participant=participant, by=counselor, phone="41234567")
    participant.refresh_from_db()
    participant_services.consent_give(
        participant=participant, by=counselor, recipient="workplace", information="contact"
    )


def assert_gone(user, placement, participant) -> None:
    """Not listed, no page, and no write lands: notes, concerns, approval and certificate."""
    client = client_for(user)
    home = client.get(reverse("portal:home")).content.decode()
    assert placement.title not in home
    assert participant.full_name not in home and participant.phone not in home
    assert client.get(reverse("portal:placement", kwargs={"pk": placement.pk})).status_code == 404
    events = AuditEvent.objects.count()
    for name, data in (
        ("portal:note_add", {"text": "Still here?"}),
        ("portal:concern", {"text": "Nobody came"}),
        ("portal:approve", {"revision": placement.revision}),
        ("portal:certificate", {"decision": "approve"}),
    ):
        response = client.post(reverse(name, kwargs={"pk": placement.pk}), data)
        assert response.status_code == 404, name
    assert not MentorNote.objects.filter(placement=placement).exists()
    assert not Concern.objects.filter(placement=placement).exists()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", CONTACTS)
def test_a_cancelled_placement_is_gone_from_the_portal_at_once(
    who, request, placement, participant, counselor
):
    share_contact(participant, counselor)
    user = request.getfixturevalue(who)
    home = client_for(user).get(reverse("portal:home")).content.decode()
    assert participant.full_name in home  # seen while it runs
    placement_services.placement_cancel(
        placement=placement, by=counselor, reason=Placement.CancelReason.GOT_JOB
    )
    assert_gone(user, placement, participant)


@pytest.mark.parametrize("who", CONTACTS)
def test_an_ended_placement_is_gone_thirty_days_after_its_end(
    who, request, time_machine, participant, employer, counselor, mentor_contact, employer_user
):
    time_machine.move_to(cast.at(cast.TODAY), tick=False)
    share_contact(participant, counselor)
    approved = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact, start=cast.START),
        counselor,
        employer_user,
    )
    ended_on = cast.START + datetime.timedelta(days=40)
    time_machine.move_to(cast.at(ended_on), tick=False)
    placement_services.placement_end(
        placement=approved, by=counselor, ended_on=ended_on, outcome="ordinary_work"
    )
    user = request.getfixturevalue(who)
    time_machine.move_to(cast.at(ended_on + datetime.timedelta(days=30)), tick=False)
    assert (
        client_for(user).get(reverse("portal:placement", kwargs={"pk": approved.pk})).status_code
        == 200
    )
    time_machine.move_to(cast.at(ended_on + datetime.timedelta(days=31)), tick=False)
    approved.refresh_from_db()
    assert_gone(user, approved, participant)


def test_a_certificate_of_a_cancelled_placement_cannot_be_decided(
    placement, counselor, employer_user, participant
):
    """Cancelled while its certificate waited for the employer: the portal refuses it."""
    other = cast.approve_all(
        cast.draft(participant, placement.employer, counselor, placement.mentor),
        counselor,
        employer_user,
    )
    placement_followups.evaluation_save(
        placement=other,
        by=counselor,
        kind="final",
        held_on=other.start_date,
        tasks_mastered="Steking",
        attendance="good",
        cooperation="good",
    )
    waiting = placement_followups.certificate_request(
        placement=other, by=counselor, language="nb", tasks="Steking", assessment="Bra."
    )
    placement_services.placement_cancel(
        placement=other, by=counselor, reason=Placement.CancelReason.OTHER, note="Moved away"
    )
    response = client_for(employer_user).post(
        reverse("portal:certificate", kwargs={"pk": other.pk}), {"decision": "approve"}
    )
    assert response.status_code == 404
    waiting.refresh_from_db()
    assert waiting.issued_at is None


@pytest.mark.parametrize("write", ["note", "concern"])
def test_the_workplace_services_refuse_a_cancelled_placement(write, placement, counselor, mentor):
    placement_services.placement_cancel(
        placement=placement, by=counselor, reason=Placement.CancelReason.ILL
    )
    service = {
        "note": placement_followups.mentor_note_add,
        "concern": placement_followups.concern_raise,
    }[write]
    with pytest.raises(ValidationError):
        service(placement=placement, by=mentor, text="Hello?")
    assert not MentorNote.objects.exists() and not Concern.objects.exists()


def test_the_participant_no_longer_sees_a_cancelled_placement(
    participant, counselor, employer, mentor_contact
):
    participant_services.participant_update(
        participant=participant, by=counselor, email="kari@example.org"
    )
    participant.refresh_from_db()
    user = participant_invite(participant=participant, by=counselor)
    draft = cast.draft(participant, employer, counselor, mentor_contact)
    client = client_for(user)
    assert draft.title in client.get(reverse("portal:home")).content.decode()
    placement_services.placement_cancel(
        placement=draft, by=counselor, reason=Placement.CancelReason.REGISTRATION_ERROR
    )
    assert reverse("portal:my_placement", kwargs={"pk": draft.pk}) not in (
        client.get(reverse("portal:home")).content.decode()
    )
    assert client.get(reverse("portal:my_placement", kwargs={"pk": draft.pk})).status_code == 404
    response = client.post(
        reverse("portal:my_approve", kwargs={"pk": draft.pk}), {"revision": draft.revision}
    )
    assert response.status_code == 404
    assert not AgreementApproval.objects.filter(placement=draft).exists()


def test_an_ended_placement_takes_notes_but_no_concern(
    time_machine, participant, employer, counselor, mentor_contact, employer_user
):
    """After the end there is nothing left to flag: the page offers a note, not a concern, and a
    posted concern is refused with a message and writes nothing."""
    time_machine.move_to(cast.at(cast.TODAY), tick=False)
    approved = cast.approve_all(
        cast.draft(participant, employer, counselor, mentor_contact, start=cast.START),
        counselor,
        employer_user,
    )
    ended_on = cast.START + datetime.timedelta(days=40)
    time_machine.move_to(cast.at(ended_on), tick=False)
    placement_services.placement_end(
        placement=approved, by=counselor, ended_on=ended_on, outcome="ordinary_work"
    )
    time_machine.move_to(cast.at(ended_on + datetime.timedelta(days=2)), tick=False)
    client = client_for(employer_user)
    page = client.get(reverse("portal:placement", kwargs={"pk": approved.pk})).content.decode()
    assert reverse("portal:concern", kwargs={"pk": approved.pk}) not in page
    assert reverse("portal:note_add", kwargs={"pk": approved.pk}) in page
    response = client.post(
        reverse("portal:concern", kwargs={"pk": approved.pk}), {"text": "Kom ikke"}
    )
    assert response.status_code == 400
    assert "Utplasseringen er avsluttet" in response.content.decode()
    assert not Concern.objects.exists()
