"""The portal's and placements' permission matrix: every URL, every role.

Portal pages are for portal users (employer contacts and mentors) only: staff get 403; a
placement that is not theirs is a 404. Handling a concern is for staff related to it.
"""

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from samspill.accounts.models import User
from samspill.audit.models import AuditEvent
from samspill.core.testing import PASSWORD, client_for, make_employer, make_participant, portal_user
from samspill.employers import services as employer_services
from samspill.placements import followups as placement_followups
from samspill.placements import services as placement_services
from samspill.placements.tests import cast
from samspill.portal import urls as portal_urls

ROLES = [
    "anonymous",
    "mentor",
    "employer_user",
    "other_mentor",  # a mentor with a declaration at another employer
    "counselor",
    "leader",
    "admin",
    "outsider",
    "participant_user",  # the placed participant's own login
]


@pytest.fixture
def world(
    mentor,
    employer_user,
    placement,
    participant,
    other_participant,
    counselor,
    colleague,
    leader,
    admin,
    outsider,
    org,
    coordinator,
    employer_contact,
) -> dict[str, Any]:
    import datetime

    elsewhere = make_employer(org, colleague, name="Annet AS")
    contact = employer_services.contact_add(
        employer=elsewhere,
        by=colleague,
        name="Other Mentor",
        email="other@annet.example",
        is_mentor=True,
        confidentiality_signed_on=datetime.date(2026, 1, 1),
    )
    other_participant = make_participant(org, colleague, given_name="Siri")
    other_placement = placement_services.placement_create(
        participant=other_participant,
        employer=elsewhere,
        by=colleague,
        kind="work_training",
        title="Lager",
        start_date=datetime.date(2026, 2, 1),
        end_date=datetime.date(2027, 1, 31),
        start_reason="Registered after the start.",
        mentor=contact,
    )
    concern = placement_followups.concern_raise(placement=placement, by=mentor, text="Late")
    # A complete agreement awaiting approval, and an approved one whose certificate waits for
    # the employer; both of the same participant, with the same mentor.
    awaiting = cast.draft(participant, placement.employer, counselor, placement.mentor)
    approved = cast.approve_all(
        cast.draft(participant, placement.employer, counselor, placement.mentor),
        counselor,
        employer_user,
    )
    placement_followups.evaluation_save(
        placement=approved,
        by=counselor,
        kind="final",
        held_on=approved.start_date,
        tasks_mastered="Steking",
        attendance="good",
        cooperation="good",
    )
    placement_followups.certificate_request(
        placement=approved, by=counselor, language="nb", tasks="Steking", assessment="Bra."
    )
    participant.email = "kari@example.org"
    participant.portal_user = User.objects.create_user(
        email="kari.login@example.org", password=PASSWORD, full_name="Kari"
    )
    participant.save(update_fields=["email", "portal_user"])
    other_login = User.objects.create_user(
        email="siri.login@example.org", password=PASSWORD, full_name="Siri"
    )
    other_participant.portal_user = other_login
    other_participant.save(update_fields=["portal_user"])
    return {
        "proposal": presented_proposal(placement.employer, coordinator, employer_contact),
        "placement": placement,
        "awaiting": awaiting,
        "approved": approved,
        "other_placement": other_placement,
        "participant": participant,
        "concern": concern,
        "employer": placement.employer,
        "invitee": employer_services.contact_add(
            employer=placement.employer, by=counselor, name="Nina", email="nina@b.example"
        ),
        "users": {
            "anonymous": None,
            "mentor": mentor,
            "employer_user": employer_user,
            "other_mentor": portal_user(contact),
            "counselor": counselor,
            "leader": leader,
            "admin": admin,
            "outsider": outsider,
            "participant_user": participant.portal_user,
        },
    }


def presented_proposal(employer, coordinator, contact):
    """A candidate the coordinator presented to the employer contact (matching, issue 23)."""
    from samspill.matching import services as matching_services
    from samspill.matching.engine import candidates_for_need
    from samspill.participants.services import consent_give

    need = employer_services.need_add(
        employer=employer, by=coordinator, role="Lager", tasks="truck"
    )
    person = make_participant(coordinator.memberships.get().organisation, coordinator)
    consent_give(participant=person, by=coordinator, recipient="workplace", information="contact")
    suggestion = next(
        s
        for s in candidates_for_need(coordinator, need).suggestions
        if s.participant_id == person.pk
    )
    proposal = matching_services.suggestion_propose(
        by=coordinator, participant=person, need=need, suggestion=suggestion
    )
    return matching_services.proposal_present(
        proposal=proposal, by=coordinator, contact=contact, revision=proposal.revision
    )


PORTAL_USERS = {"mentor", "employer_user"}
STAFF = {"counselor", "leader"}


def portal_page(role: str) -> int:
    if role == "anonymous":
        return 302
    if role in PORTAL_USERS:
        return 200
    if role == "other_mentor":
        return 404
    return 403


def my_page(role: str) -> int:
    """The participant's own pages: only for the participant's own login."""
    if role == "anonymous":
        return 302
    return 200 if role == "participant_user" else 403


def my_write(role: str) -> int:
    return 302 if role == "participant_user" else my_page(role)


def portal_write(role: str) -> int:
    return 302 if role in PORTAL_USERS else portal_page(role)


def staff_write(role: str) -> int:
    if role == "anonymous" or role in STAFF:
        return 302
    if role == "outsider":
        return 404
    return 403  # portal users and administrators


CASES: list[tuple[str, str, Any, Any, Any]] = [
    # (url name, method, kwargs, data, expected status by role)
    (
        "portal:home",
        "get",
        lambda w: {},
        None,
        lambda r: 200 if r in {"other_mentor", "participant_user"} else portal_page(r),
    ),
    ("portal:placement", "get", lambda w: {"pk": w["placement"].pk}, None, portal_page),
    (
        "portal:measures",
        "get",
        lambda w: {},
        None,
        lambda r: 200 if r in PORTAL_USERS | {"other_mentor"} else portal_page(r),
    ),
    ("portal:mentor", "get", lambda w: {"pk": w["placement"].pk}, None, portal_page),
    (
        "portal:note_add",
        "post",
        lambda w: {"pk": w["placement"].pk},
        lambda w: {"text": "Hi"},
        portal_write,
    ),
    (
        "portal:concern",
        "post",
        lambda w: {"pk": w["placement"].pk},
        lambda w: {"text": "Bad"},
        portal_write,
    ),
    (
        "portal:approve",
        "post",
        lambda w: {"pk": w["awaiting"].pk},
        lambda w: {"revision": w["awaiting"].revision},
        portal_write,
    ),
    (
        "portal:certificate",
        "post",
        lambda w: {"pk": w["approved"].pk},
        lambda w: {"decision": "return", "comment": "Skriv mer om oppmøtet."},
        portal_write,
    ),
    # A presented candidate: for the employer contact it was presented to; a mentor is a 403.
    (
        "portal:proposal",
        "get",
        lambda w: {"pk": w["proposal"].pk},
        None,
        lambda r: 200 if r == "employer_user" else 302 if r == "anonymous" else 403,
    ),
    (
        "portal:proposal",
        "post",
        lambda w: {"pk": w["proposal"].pk},
        lambda w: {"response": "meet", "revision": w["proposal"].revision},
        lambda r: 302 if r in {"employer_user", "anonymous"} else 403,
    ),
    ("portal:my_placement", "get", lambda w: {"pk": w["approved"].pk}, None, my_page),
    # Nothing to answer while follow-up goes on (test_outcome_pages answers a due status).
    (
        "portal:my_status",
        "get",
        lambda w: {},
        None,
        lambda r: 404 if r == "participant_user" else my_page(r),
    ),
    (
        "portal:my_placement",
        "get",
        lambda w: {"pk": w["other_placement"].pk},
        None,
        lambda r: 404 if r == "participant_user" else my_page(r),
    ),
    (
        "portal:my_approve",
        "post",
        lambda w: {"pk": w["awaiting"].pk},
        lambda w: {"revision": w["awaiting"].revision},
        my_write,
    ),
    (
        "portal:my_certificate",
        "get",
        lambda w: {"pk": w["approved"].pk},
        None,
        lambda r: 404 if r == "participant_user" else my_page(r),
    ),
    (
        "portal:invite_participant",
        "post",
        lambda w: {"participant_pk": w["participant"].pk},
        lambda w: {},
        staff_write,
    ),
    (
        "portal:invite",
        "post",
        lambda w: {"employer_pk": w["employer"].pk, "contact_pk": w["invitee"].pk},
        lambda w: {},
        staff_write,
    ),
]


def test_every_url_has_a_case():
    names = {f"portal:{p.name}" for p in portal_urls.urlpatterns if isinstance(p, URLPattern)}
    names.discard("portal:invitation")  # public by design: tested in test_portal.py
    assert names == {case[0] for case in CASES}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[1]}-{c[0]}")
def test_the_matrix(world, case, role):
    name, method, kwargs, data, expected = case
    client = client_for(world["users"][role])
    url = reverse(name, kwargs=kwargs(world))
    before = AuditEvent.objects.count()
    response = client.get(url) if method == "get" else client.post(url, data(world))
    assert response.status_code == expected(role)
    if method == "post":
        assert (AuditEvent.objects.count() > before) == (
            response.status_code == 302 and role != "anonymous"
        )
