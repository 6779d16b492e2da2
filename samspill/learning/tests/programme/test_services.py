"""The programme services' own rules, where no page reaches them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samspill.audit.models import AuditEvent
from samspill.learning import programme_services as services
from samspill.learning.programme_permissions import enrolled_users
from samspill.organisations.models import Team
from samspill.organisations.services import membership_deactivate

pytestmark = pytest.mark.django_db


def test_a_team_enrols_everyone_in_it_whatever_their_role_while_they_work_there(
    programme, counselor, colleague, coordinator, admin, org, team_a
):
    from samspill.core.testing import make_staff
    from samspill.organisations.models import Membership

    team_leader = make_staff(org, "teamleader@example.org", Membership.Role.LEADER, team_a)
    assert set(enrolled_users(programme)) == {counselor, colleague, coordinator, team_leader}
    membership_deactivate(membership=colleague.memberships.get(), by=admin)
    assert colleague not in set(enrolled_users(programme))


def test_enrolling_another_organisations_team_or_person_is_refused(
    programme, platform_mentor, other_org, outsider
):
    other_team = Team.objects.create(organisation=other_org, name="Andre")
    with pytest.raises(ValidationError):
        services.enrolment_add(programme=programme, by=platform_mentor, teams=[other_team])
    with pytest.raises(ValidationError):
        services.enrolment_add(programme=programme, by=platform_mentor, users=[outsider])
    with pytest.raises(ValidationError):
        services.enrolment_add(programme=programme, by=platform_mentor)
    assert programme.enrolments.count() == 2


def test_enrolling_twice_adds_nothing_and_removing_is_audited(
    client, programme, platform_mentor, team_a, coordinator
):
    assert services.enrolment_add(programme=programme, by=platform_mentor, teams=[team_a]) == 0
    enrolment = programme.enrolments.get(user=coordinator)
    client.force_login(platform_mentor)
    url = reverse("learning:programme", args=[programme.pk])
    assert client.post(url, {"action": "unenrol", "enrolment": "x"}).status_code == 404
    assert client.post(url, {"action": "unenrol", "enrolment": enrolment.pk}).status_code == 302
    assert coordinator not in set(enrolled_users(programme))
    assert AuditEvent.objects.filter(action="learning.programme_unenrolled").exists()


def test_naming_the_people_enrolled_is_a_logged_read(client, programme, leader, coordinator):
    from samspill.learning.models import StaffRecordRead

    client.force_login(leader)
    page = client.get(reverse("learning:programme", args=[programme.pk])).content.decode()
    assert coordinator.full_name in page
    assert StaffRecordRead.objects.filter(
        reader=leader, subject=coordinator, what="learning:programme_enrolments"
    ).exists()


def test_modules_are_numbered_in_order(programme, platform_mentor, leader):
    first = services.module_add(programme=programme, by=platform_mentor, title="A")
    second = services.module_add(programme=programme, by=leader, title="B")
    assert (first.number, second.number) == (1, 2)


def test_counselors_and_other_organisations_run_no_programme(counselor, outsider, programme):
    with pytest.raises(PermissionDenied):
        services.programme_create(by=counselor, title="X")
    with pytest.raises(PermissionDenied):
        services.module_add(programme=programme, by=outsider, title="X")


def test_the_reflection_audit_row_holds_no_text(counselor, attended):
    services.reflection_write(
        session=attended,
        by=counselor,
        learned="Hemmelig",
        will_try="Også hemmelig",
        look_back_on=timezone.localdate(),
    )
    event = AuditEvent.objects.get(action="learning.reflection_written")
    assert "Hemmelig" not in str(event.data)
