"""The employer side of matching: the coordinator presents a proposed person to an employer
contact, who reads only what the person shares with workplaces and answers in the portal."""

import datetime

import pytest

from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import client_for, make_employer, make_participant, portal_user
from samspill.employers.services import contact_add, need_add
from samspill.matching.models import Proposal
from samspill.matching.queries import hit_rates
from samspill.outbox.models import Message
from samspill.participants.models import ConsentRecord
from samspill.participants.services import consent_give, consent_withdraw

pytestmark = pytest.mark.django_db

HEALTH = "Sensitive health detail: epilepsy"


@pytest.fixture
def need(employer, counselor):
    return need_add(
        employer=employer, by=counselor, role="Lagermedarbeider", tasks="truck", hours_per_week=30
    )


def share(person, by, *information):
    for info in information:
        consent_give(
            participant=person,
            by=by,
            recipient=ConsentRecord.Recipient.WORKPLACE,
            information=info,
        )


@pytest.fixture
def person(org, coordinator):
    """A person the coordinator follows, who shares strengths and contact details."""
    p = make_participant(
        org,
        coordinator,
        given_name="Truls",
        family_name="Trucker",
        what_i_can="Truckfører med sertifikat",
        interests="Fiske",
        needs=HEALTH,
        phone="+47 400 00 000",
    )
    share(p, coordinator, "strengths", "contact")
    return p


@pytest.fixture
def proposal(coordinator, need, person):
    client_for(coordinator).post(
        f"/matching/needs/{need.pk}/", {"action": "propose", "other": person.pk}
    )
    return Proposal.objects.get()


@pytest.fixture
def presented(coordinator, proposal, employer_contact, employer_user):
    response = client_for(coordinator).post(
        f"/matching/proposals/{proposal.pk}/present/",
        {"contact": employer_contact.pk, "revision": proposal.revision},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    return proposal


def portal_url(proposal):
    return f"/portal/proposals/{proposal.pk}/"


def test_the_coordinator_presents_and_the_contact_is_emailed(presented, employer_contact):
    assert presented.presented_to == employer_contact
    assert presented.presented_at is not None
    message = Message.objects.get()
    assert message.to == [employer_contact.email]
    assert portal_url(presented) in message.body
    assert "Truls" not in message.body + message.subject  # no person named in an e-mail
    assert AuditEvent.objects.filter(action="matching.presented").exists()


def test_a_counselor_cannot_present(counselor, need, org, employer_contact, employer_user):
    p = make_participant(org, counselor, given_name="Kim", what_i_can="truck")
    share(p, counselor, "strengths")
    client = client_for(counselor)
    client.post(f"/matching/needs/{need.pk}/", {"action": "propose", "other": p.pk})
    proposal = Proposal.objects.get()
    response = client.post(
        f"/matching/proposals/{proposal.pk}/present/",
        {"contact": employer_contact.pk, "revision": 0},
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.presented_at is None
    assert not Message.objects.exists()


def test_a_mentor_or_a_contact_without_a_declaration_is_not_presented_to(
    coordinator, proposal, mentor_contact, mentor, employer, counselor
):
    undeclared = contact_add(employer=employer, by=counselor, name="Uten", email="u@b.example")
    portal_user(undeclared)
    client = client_for(coordinator)
    for contact in (mentor_contact, undeclared):
        client.post(
            f"/matching/proposals/{proposal.pk}/present/",
            {"contact": contact.pk, "revision": proposal.revision},
        )
    proposal.refresh_from_db()
    assert proposal.presented_at is None
    assert not Message.objects.exists()


def test_the_contact_sees_only_what_is_shared(employer_user, presented, person, coordinator):
    client = client_for(employer_user)
    page = client.get(portal_url(presented)).content.decode()
    assert "Truls Trucker" in page
    assert "Truckfører med sertifikat" in page
    assert "+47 400 00 000" in page
    assert HEALTH not in page
    assert "Fiske" in page
    assert AccessLog.objects.filter(
        actor=employer_user, participant=person, what="portal:proposal"
    ).exists()
    # Withdrawing consent hides it at once.
    for consent in ConsentRecord.objects.filter(participant=person):
        consent_withdraw(consent=consent, by=coordinator)
    page = client.get(portal_url(presented)).content.decode()
    assert "Truls" not in page
    assert "Truckfører" not in page
    assert "+47 400 00 000" not in page
    assert HEALTH not in page


def test_the_portal_home_lists_the_presented_candidate(employer_user, presented):
    page = client_for(employer_user).get("/portal/").content.decode()
    assert portal_url(presented) in page


def test_not_now_needs_a_reason_and_is_recorded(employer_user, presented, coordinator, need):
    client = client_for(employer_user)
    url = portal_url(presented)
    response = client.post(url, {"response": "not_now", "reason": "", "revision": 1})
    assert response.status_code == 400
    presented.refresh_from_db()
    assert presented.response == ""
    response = client.post(url, {"response": "not_now", "reason": "Full staff", "revision": 1})
    assert response.status_code == 302
    presented.refresh_from_db()
    assert presented.response == Proposal.Response.NOT_NOW
    assert presented.response_reason == "Full staff"
    assert presented.outcome == Proposal.Outcome.DECLINED
    assert Message.objects.filter(to=[coordinator.email]).exists()
    page = client_for(coordinator).get(f"/matching/needs/{need.pk}/").content.decode()
    assert 'data-response="not_now"' in page
    assert "Full staff" in page


def test_a_stale_answer_is_refused(employer_user, presented):
    client = client_for(employer_user)
    url = portal_url(presented)
    client.post(url, {"response": "meet", "revision": 1})
    response = client.post(url, {"response": "not_now", "reason": "No", "revision": 1})
    assert response.status_code == 400
    presented.refresh_from_db()
    assert presented.response == Proposal.Response.MEET


def test_wanting_to_meet_counts_as_a_meeting_in_the_hit_rates(org, employer_user, presented):
    client_for(employer_user).post(portal_url(presented), {"response": "meet", "revision": 1})
    presented.refresh_from_db()
    assert presented.outcome == Proposal.Outcome.MEETING
    rows, total = hit_rates(org.pk)
    assert total == 1
    # One proposal: the side it fell on is a hidden small cell, the other a shown 0.
    assert all(sorted([r.high_meetings, r.low_meetings], key=str) == [0, None] for r in rows)
    assert AuditEvent.objects.filter(action="matching.answered").exists()


def test_others_on_the_employer_side_get_404_or_403(
    presented, employer, counselor, org, mentor, colleague
):
    same_employer = contact_add(
        employer=employer,
        by=counselor,
        name="Annen Leder",
        email="annen@bakeriet.example",
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    elsewhere = make_employer(org, colleague, name="Annet AS")
    other_employer = contact_add(
        employer=elsewhere,
        by=colleague,
        name="Ola Annet",
        email="ola@annet.example",
        confidentiality_signed_on=datetime.date(2026, 1, 2),
    )
    url = portal_url(presented)
    for contact in (same_employer, other_employer):
        user = portal_user(contact)
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, {"response": "meet", "revision": 1}).status_code == 404
    assert client_for(mentor).get(url).status_code == 403
    assert client_for(counselor).get(url).status_code == 403
    presented.refresh_from_db()
    assert presented.response == ""
    assert not AccessLog.objects.filter(what="portal:proposal").exists()


def test_a_proposal_for_another_need_is_404(
    employer_user, presented, employer, counselor, coordinator, org, employer_contact
):
    other_need = need_add(employer=employer, by=counselor, role="Sjåfør", tasks="truck")
    p = make_participant(org, coordinator, given_name="Per", what_i_can="truck")
    share(p, coordinator, "strengths")
    client = client_for(coordinator)
    client.post(f"/matching/needs/{other_need.pk}/", {"action": "propose", "other": p.pk})
    unpresented = Proposal.objects.get(need=other_need)
    assert client_for(employer_user).get(portal_url(unpresented)).status_code == 404


def test_the_portal_page_takes_constant_queries(
    employer_user, presented, django_assert_max_num_queries
):
    client = client_for(employer_user)
    client.get(portal_url(presented))
    with django_assert_max_num_queries(12):
        client.get(portal_url(presented))
    with django_assert_max_num_queries(14):
        client.get("/portal/")
