"""Apprenticeship offices (issue 22, item 11): registered with their own contact person and
member employers; staff of another organisation, a portal user or a stale edit change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samspill.core.revisions import StaleRevision
from samspill.core.testing import make_employer
from samspill.employers import apprenticeship
from samspill.employers.models import ApprenticeshipOffice

pytestmark = pytest.mark.django_db


def office(org, by, members):
    return apprenticeship.office_create(
        organisation=org,
        by=by,
        name="Opplæringskontoret for handel",
        contact_name="Ola Fagleder",
        contact_phone="900 00 000",
        member_ids=[m.pk for m in members],
    )


def test_an_office_has_its_contact_person_and_member_employers(org, counselor, employer):
    second = make_employer(org, counselor, name="Parken AS")
    created = office(org, counselor, [employer, second])
    assert created.contact_name == "Ola Fagleder" and created.revision == 1
    assert set(employer.apprenticeship_offices.all()) == {created}
    updated = apprenticeship.office_update(
        office=created, by=counselor, revision=1, notes="Møte i august.", member_ids=[second.pk]
    )
    assert updated.notes == "Møte i august." and list(updated.members.all()) == [second]
    with pytest.raises(StaleRevision):
        apprenticeship.office_update(office=created, by=counselor, revision=1, notes="Gammel")
    assert ApprenticeshipOffice.objects.get().notes == "Møte i august."


@pytest.mark.parametrize("who", ["outsider", "mentor", "admin"])
def test_only_the_organisations_staff_register_an_office(request, org, employer, who):
    with pytest.raises(PermissionDenied):
        office(org, request.getfixturevalue(who), [employer])
    assert not ApprenticeshipOffice.objects.exists()


def test_an_employer_of_another_organisation_or_no_contact_changes_nothing(
    org, other_org, counselor, outsider
):
    foreign = make_employer(other_org, outsider, name="Borte AS")
    with pytest.raises(ValidationError):
        office(org, counselor, [foreign])
    with pytest.raises(ValidationError):
        apprenticeship.office_create(organisation=org, by=counselor, name="Kontor")
    assert not ApprenticeshipOffice.objects.exists()
