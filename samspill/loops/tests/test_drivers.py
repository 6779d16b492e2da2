"""Loop partners outside the staff (issue 22, item 1): the external driver and NAV's loop
coordinator, invited by the organisation, each reaching only their own part of the loop."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from samspill.accounts.models import User
from samspill.audit.models import AccessLog, AuditEvent
from samspill.core.testing import PASSWORD, client_for, make_participant
from samspill.employers.services import contact_add
from samspill.loops import drivers, services
from samspill.loops.models import GatheringInvitation, Loop, LoopPartner, LoopReferral
from samspill.participants import services as participant_services
from samspill.participants.models import ConsentRecord
from samspill.referrals.models import Referral

DAY = datetime.date(2026, 11, 2)


def _partner(org, by, role, email) -> LoopPartner:
    partner = drivers.loop_partner_invite(
        organisation=org, by=by, email=email, full_name=email.split("@")[0].title(), role=role
    )
    partner.user.set_password(PASSWORD)
    partner.user.save(update_fields=["password"])
    return partner


@pytest.fixture
def driver(org, coordinator, open_loop) -> LoopPartner:
    partner = _partner(org, coordinator, LoopPartner.Role.EXTERNAL_DRIVER, "driver@example.org")
    drivers.loop_partner_assign(partner=partner, loop=open_loop, by=coordinator)
    return partner


@pytest.fixture
def nav(org, admin, open_loop) -> LoopPartner:
    partner = _partner(org, admin, LoopPartner.Role.NAV_COORDINATOR, "nav@example.org")
    drivers.loop_partner_assign(partner=partner, loop=open_loop, by=admin)
    return partner


@pytest.fixture
def other_loop(org, coordinator, counselor, employers) -> Loop:
    return services.loop_create(
        organisation=org,
        by=coordinator,
        name="Loop Øst",
        driver=coordinator,
        counselor=counselor,
        start_date=DAY,
        employers=employers[:2],
    )


@pytest.fixture
def gathering(org, coordinator, open_loop):
    return services.gathering_create(
        organisation=org,
        by=coordinator,
        date=DAY,
        kind="rotation",
        place="Kulturhuset",
        loop=open_loop,
    )


@pytest.fixture
def proposed(org, counselor, gathering, participant):
    """Two candidates proposed by the counselor: `participant` shares contact details with
    the workplace, Ola shares nothing."""
    ola = make_participant(org, counselor, given_name="Ola", birth_date=datetime.date(2005, 1, 1))
    participant_services.consent_give(
        participant=participant,
        by=counselor,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.CONTACT,
    )
    for person in (participant, ola):
        services.gathering_nominate(gathering=gathering, by=counselor, participant=person)
    return participant, ola


def signed(partner: LoopPartner, by: User) -> LoopPartner:
    return drivers.loop_partner_declaration_record(partner=partner, by=by, signed_on=DAY)


# Invitation and onboarding


def test_the_coordinator_invites_a_driver_who_chooses_a_password_and_lands_on_their_loops(
    coordinator, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("loop_partners:list"),
            {"full_name": "Siri Gründer", "email": "siri@example.org", "role": "external_driver"},
        )
    assert response.status_code == 302
    partner = LoopPartner.objects.get(user__email="siri@example.org")
    assert partner.is_driver and not partner.user.has_usable_password()
    link = re.search(r"https?://\S+", mailoutbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    response = client.post(
        path, {"new_password1": "a-good-long-pass-42", "new_password2": "a-good-long-pass-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("loop_partners:home")
    assert client.get("/").url == reverse("loop_partners:home")
    assert client.get(path).status_code == 404  # the link works once


def test_a_counselor_cannot_invite_partners_and_nothing_is_created(counselor, leader):
    for user in (counselor, leader):
        response = client_for(user).post(
            reverse("loop_partners:list"),
            {"full_name": "X", "email": "x@example.org", "role": "external_driver"},
        )
        assert response.status_code == 403
    assert not LoopPartner.objects.exists()


def test_an_address_that_has_an_account_is_refused(org, admin, counselor):
    response = client_for(admin).post(
        reverse("loop_partners:list"),
        {"full_name": "X", "email": counselor.email, "role": "nav_coordinator"},
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert not LoopPartner.objects.exists()


def test_another_organisations_partner_is_a_404_to_the_manager(driver, outsider, other_org):
    from samspill.core.testing import make_staff
    from samspill.organisations.models import Membership

    other_admin = make_staff(other_org, "oadmin@example.org", Membership.Role.ADMIN)
    url = reverse("loop_partners:manage", kwargs={"pk": driver.pk})
    assert client_for(other_admin).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 403


def test_giving_a_loop_to_an_external_driver_makes_them_its_driver(driver, open_loop):
    open_loop.refresh_from_db()
    assert open_loop.driver_id == driver.user_id
    assert AuditEvent.objects.filter(action="loop_partner.assigned").exists()


def test_a_loop_of_another_organisation_cannot_be_given(driver, coordinator, outsider, other_org):
    from samspill.core.testing import make_employer

    employers = [make_employer(other_org, outsider, name=f"E{i}") for i in range(2)]
    foreign = services.loop_create(
        organisation=other_org,
        by=outsider,
        name="Fremmed",
        driver=outsider,
        counselor=outsider,
        start_date=DAY,
        employers=employers,
    )
    with pytest.raises(Http404):
        drivers.loop_partner_assign(partner=driver, loop=foreign, by=coordinator)


# The external driver's door


def test_the_driver_sees_their_loop_and_its_employers(driver, open_loop, employers):
    client = client_for(driver.user)
    response = client.get(reverse("loop_partners:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert open_loop.name in html
    for employer in employers:
        assert employer.name in html
    assert client.get(reverse("loop_partners:loop", kwargs={"pk": open_loop.pk})).status_code == 200


def test_the_drivers_home_page_takes_a_fixed_number_of_queries(
    driver, gathering, django_assert_max_num_queries
):
    client = client_for(driver.user)
    client.get(reverse("loop_partners:home"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("loop_partners:home")).status_code == 200


def test_another_loop_is_a_404_to_the_driver(driver, other_loop, gathering, coordinator, org):
    client = client_for(driver.user)
    assert (
        client.get(reverse("loop_partners:loop", kwargs={"pk": other_loop.pk})).status_code == 404
    )
    other_gathering = services.gathering_create(
        organisation=org, by=coordinator, date=DAY, loop=other_loop
    )
    url = reverse("loop_partners:gathering", kwargs={"pk": other_gathering.pk})
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("loop_partners:invite", kwargs={"pk": other_gathering.pk}), {"contact": 1}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "url",
    [
        reverse("participants:caseload"),
        reverse("loops:list"),
        reverse("loops:driver"),
        reverse("employers:list"),
        reverse("insights:outcomes"),
        reverse("followup:today"),
        reverse("loop_partners:list"),
    ],
)
def test_the_driver_reaches_no_staff_page(driver, url):
    assert client_for(driver.user).get(url).status_code == 403


def test_the_drivers_own_loop_is_closed_on_the_staff_pages_too(driver, open_loop, employer):
    client = client_for(driver.user)
    assert client.get(reverse("loops:detail", kwargs={"pk": open_loop.pk})).status_code == 403
    assert client.get(reverse("employers:detail", kwargs={"pk": employer.pk})).status_code in (
        403,
        404,
    )


def test_no_participant_record_opens_for_the_driver(driver, proposed, coordinator):
    signed(driver, coordinator)
    for person in proposed:
        url = reverse("participants:detail", kwargs={"pk": person.pk})
        assert client_for(driver.user).get(url).status_code in (403, 404)


def test_without_a_declaration_the_driver_sees_no_candidate(driver, gathering, proposed):
    response = client_for(driver.user).get(
        reverse("loop_partners:gathering", kwargs={"pk": gathering.pk})
    )
    assert response.status_code == 200
    assert response.context["candidates"] == []
    assert proposed[0].full_name not in response.content.decode()
    assert not AccessLog.objects.filter(actor=driver.user).exists()


def test_with_a_declaration_the_driver_sees_only_what_each_candidate_shares(
    driver, coordinator, gathering, proposed
):
    signed(driver, coordinator)
    sharing, silent = proposed
    response = client_for(driver.user).get(
        reverse("loop_partners:gathering", kwargs={"pk": gathering.pk})
    )
    html = response.content.decode()
    assert sharing.full_name in html
    assert silent.full_name not in html
    names = {c.pk: c.name for c, _label in response.context["candidates"]}
    assert names == {sharing.pk: sharing.full_name, silent.pk: ""}
    # The one who shares nothing is "Candidate N", never their id.
    labels = dict(response.context["candidates"])
    number = sorted((sharing.pk, silent.pk)).index(silent.pk) + 1
    assert [label for c, label in labels.items() if c.pk == silent.pk] == [f"Kandidat {number}"]
    assert f"#{silent.pk}" not in html
    logged = set(
        AccessLog.objects.filter(actor=driver.user).values_list("participant_id", flat=True)
    )
    assert logged == {sharing.pk, silent.pk}


def test_a_withdrawn_consent_hides_the_name_at_once(driver, coordinator, gathering, proposed):
    signed(driver, coordinator)
    sharing, _silent = proposed
    consent = ConsentRecord.objects.get(participant=sharing)
    participant_services.consent_withdraw(consent=consent, by=coordinator)
    candidates = drivers.driver_candidates(partner=driver, gathering=gathering)
    assert all(c.name == "" for c in candidates)


def test_the_driver_invites_a_proposed_candidate(driver, coordinator, gathering, proposed):
    signed(driver, coordinator)
    sharing, _silent = proposed
    response = client_for(driver.user).post(
        reverse("loop_partners:invite", kwargs={"pk": gathering.pk}), {"participant": sharing.pk}
    )
    assert response.status_code == 302
    assert GatheringInvitation.objects.filter(gathering=gathering, participant=sharing).exists()


def test_the_driver_cannot_invite_someone_not_proposed(
    driver, coordinator, gathering, proposed, other_team_counselor, org
):
    signed(driver, coordinator)
    stranger = make_participant(org, other_team_counselor, given_name="Kari")
    with pytest.raises(Http404):
        drivers.driver_invite_candidate(
            partner=driver, gathering=gathering, participant_id=stranger.pk
        )
    response = client_for(driver.user).post(
        reverse("loop_partners:invite", kwargs={"pk": gathering.pk}), {"participant": stranger.pk}
    )
    assert response.status_code == 400
    assert not GatheringInvitation.objects.filter(participant=stranger).exists()


def test_without_a_declaration_an_invitation_is_refused_with_a_message(driver, gathering, proposed):
    with pytest.raises(ValidationError, match="confidentiality"):
        drivers.driver_invite_candidate(
            partner=driver, gathering=gathering, participant_id=proposed[0].pk
        )
    assert not GatheringInvitation.objects.exists()


def test_the_driver_invites_a_contact_at_the_loops_employer_only(
    driver, gathering, employer_contact, counselor, org
):
    from samspill.core.testing import make_employer

    response = client_for(driver.user).post(
        reverse("loop_partners:invite", kwargs={"pk": gathering.pk}),
        {"contact": employer_contact.pk},
    )
    assert response.status_code == 302
    outside = make_employer(org, counselor, name="Utenfor AS")
    stranger = contact_add(employer=outside, by=counselor, name="Per Utenfor", email="p@u.no")
    with pytest.raises(Http404):
        drivers.driver_invite_contact(partner=driver, gathering=gathering, contact=stranger)
    response = client_for(driver.user).post(
        reverse("loop_partners:invite", kwargs={"pk": gathering.pk}), {"contact": stranger.pk}
    )
    assert response.status_code == 400
    assert not GatheringInvitation.objects.filter(contact=stranger).exists()


def test_a_deactivated_driver_loses_access_at_once(driver, coordinator, open_loop):
    drivers.loop_partner_deactivate(partner=driver, by=coordinator)
    client = client_for(driver.user)
    assert client.get(reverse("loop_partners:home")).status_code == 403
    assert client.get(reverse("loop_partners:loop", kwargs={"pk": open_loop.pk})).status_code == 403


# NAV's loop coordinator


def test_nav_sees_the_nav_side_of_their_loop_and_no_names(nav, loop, young):
    response = client_for(nav.user).get(reverse("loop_partners:loop", kwargs={"pk": loop.pk}))
    assert response.status_code == 200
    assert response.context["seats_filled"] == 3
    html = response.content.decode()
    for person in young:
        assert person.full_name not in html
    assert response.context["members"] == []


def test_nav_refers_a_young_person_into_the_organisations_intake(nav, open_loop, org):
    response = client_for(nav.user).post(
        reverse("loop_partners:loop", kwargs={"pk": open_loop.pk}),
        {"given_name": "Amir", "family_name": "Hansen", "asked_for": "Vil jobbe med hender"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.organisation_id == org.pk and referral.source == "other"
    assert LoopReferral.objects.get().referred_by == nav


def test_nav_sees_only_their_own_referrals(nav, admin, org, open_loop):
    other_nav = _partner(org, admin, LoopPartner.Role.NAV_COORDINATOR, "nav2@example.org")
    drivers.loop_partner_assign(partner=other_nav, loop=open_loop, by=admin)
    drivers.nav_referral_create(
        partner=other_nav, loop=open_loop, given_name="Lea", family_name="B", asked_for="Praksis"
    )
    drivers.nav_referral_create(
        partner=nav, loop=open_loop, given_name="Amir", family_name="H", asked_for="Praksis"
    )
    html = client_for(nav.user).get(reverse("loop_partners:home")).content.decode()
    assert "Amir" in html and "Lea" not in html


def test_a_bad_referral_gets_a_message_and_changes_nothing(nav, open_loop):
    response = client_for(nav.user).post(
        reverse("loop_partners:loop", kwargs={"pk": open_loop.pk}),
        {"given_name": "", "family_name": "Hansen", "birth_date": "2999-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not Referral.objects.exists()


def test_nav_opens_no_gathering_page_and_no_other_loop(nav, gathering, other_loop):
    client = client_for(nav.user)
    assert (
        client.get(reverse("loop_partners:gathering", kwargs={"pk": gathering.pk})).status_code
        == 403
    )
    assert (
        client.get(reverse("loop_partners:loop", kwargs={"pk": other_loop.pk})).status_code == 404
    )
    assert client.get(reverse("participants:caseload")).status_code == 403
    assert client.get(reverse("referrals:list")).status_code == 403


def test_the_driver_cannot_refer_and_nav_cannot_invite(driver, nav, open_loop, gathering):
    with pytest.raises(PermissionDenied):
        drivers.nav_referral_create(
            partner=driver, loop=open_loop, given_name="A", family_name="B", asked_for="C"
        )
    with pytest.raises(PermissionDenied):
        drivers.driver_invite_candidate(partner=nav, gathering=gathering, participant_id=1)
    response = client_for(driver.user).post(
        reverse("loop_partners:loop", kwargs={"pk": open_loop.pk}), {"given_name": "A"}
    )
    assert response.status_code == 403


# The API


def test_the_api_gives_the_driver_their_loops_and_consented_candidates(
    driver, coordinator, gathering, proposed, open_loop, other_loop
):
    signed(driver, coordinator)
    client = client_for(driver.user)
    loops = client.get("/api/v1/loop-partners/me/loops").json()
    assert [row["id"] for row in loops] == [open_loop.pk]
    body = client.get(f"/api/v1/loop-partners/me/gatherings/{gathering.pk}/candidates").json()
    names = {row["participant_id"]: row["name"] for row in body}
    assert names == {proposed[0].pk: proposed[0].full_name, proposed[1].pk: None}
    response = client.post(
        f"/api/v1/loop-partners/me/gatherings/{gathering.pk}/invitations",
        {"participant_id": proposed[1].pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content


def test_the_api_answers_404_for_another_gathering_and_403_for_staff(
    driver, counselor, org, coordinator, other_loop
):
    other = services.gathering_create(organisation=org, by=coordinator, date=DAY, loop=other_loop)
    client = client_for(driver.user)
    assert (
        client.get(f"/api/v1/loop-partners/me/gatherings/{other.pk}/candidates").status_code == 404
    )
    assert client_for(counselor).get("/api/v1/loop-partners/me/loops").status_code == 403
    assert client.get("/api/v1/loops").status_code == 403
    assert client.get("/api/v1/loop-partners").status_code == 403


def test_the_api_lets_nav_refer_and_list_their_referrals(nav, open_loop):
    client = client_for(nav.user)
    response = client.post(
        f"/api/v1/loop-partners/me/loops/{open_loop.pk}/referrals",
        {"given_name": "Amir", "family_name": "Hansen", "asked_for": "Praksis i butikk"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert [r["given_name"] for r in client.get("/api/v1/loop-partners/me/referrals").json()] == [
        "Amir"
    ]


def test_the_api_lets_a_coordinator_invite_and_list_partners(coordinator, counselor):
    client = client_for(coordinator)
    response = client.post(
        "/api/v1/loop-partners",
        {"full_name": "Nina NAV", "email": "nina@nav.example", "role": "nav_coordinator"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert [p["email"] for p in client.get("/api/v1/loop-partners").json()] == ["nina@nav.example"]
    response = client_for(counselor).post(
        "/api/v1/loop-partners",
        {"full_name": "X", "email": "x@nav.example", "role": "nav_coordinator"},
        content_type="application/json",
    )
    assert response.status_code == 403
