"""Programmes shared within a network: read-only outline to the others, never a person, and a
copy to adopt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samspill.core.testing import make_staff
from samspill.learning import programme_services as services
from samspill.learning.models import Programme, SessionAttendance
from samspill.learning.programme_sharing import programme_share
from samspill.learning.services import method_share, network_leave
from samspill.organisations.models import Membership, Organisation

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(programme, held, attended, network, platform_mentor):
    services.material_add(
        session=held,
        by=platform_mentor,
        name="Arbeidsark",
        file=SimpleUploadedFile("ark.txt", b"Arbeidsark"),
    )
    return programme_share(programme=programme, network=network, by=platform_mentor)


def test_the_network_reads_the_outline_and_never_a_person(
    client, shared, held, other_mentor, counselor, facilitator
):
    client.force_login(other_mentor)
    listed = client.get(reverse("learning:shared_programmes")).content.decode()
    assert shared.title in listed
    page = client.get(reverse("learning:shared_programme", args=[shared.pk])).content.decode()
    assert held.title in page and "Troen på deltakeren" in page and "Arbeidsark" in page
    for person in (counselor, facilitator):
        assert person.email not in page and f">{person.full_name}<" not in page
    material = held.materials.get()
    response = client.get(reverse("learning:shared_material", args=[material.pk]))
    assert b"".join(response.streaming_content) == b"Arbeidsark"
    # The programme's own pages (enrolments, attendance, reflections) stay closed.
    assert client.get(reverse("learning:programme", args=[shared.pk])).status_code == 404
    assert client.get(reverse("learning:session", args=[held.pk])).status_code == 404
    assert client.post(reverse("learning:programme_share", args=[shared.pk])).status_code == 404


def test_an_organisation_outside_the_network_gets_404(client, shared, held):
    third = Organisation.objects.create(name="Tredje", kind=Organisation.Kind.NAV_OFFICE)
    stranger = make_staff(third, "tredje@example.org", Membership.Role.LEADER)
    client.force_login(stranger)
    assert shared.title not in client.get(reverse("learning:shared_programmes")).content.decode()
    for name in ("learning:shared_programme", "learning:programme_adopt"):
        method = client.post if name.endswith("adopt") else client.get
        assert method(reverse(name, args=[shared.pk])).status_code == 404
    material = held.materials.get()
    assert client.get(reverse("learning:shared_material", args=[material.pk])).status_code == 404


def test_an_unshared_programme_is_404_to_the_network(client, programme, network, other_mentor):
    client.force_login(other_mentor)
    assert client.get(reverse("learning:shared_programme", args=[programme.pk])).status_code == 404


def test_a_counselor_cannot_share_and_only_mentors_adopt(
    client, programme, network, counselor, shared, other_leader, other_mentor
):
    client.force_login(counselor)
    response = client.post(
        reverse("learning:programme_share", args=[programme.pk]), {"network": ""}
    )
    assert response.status_code == 403
    assert Programme.objects.get(pk=programme.pk).shared_with_id == network.pk
    client.force_login(other_leader)
    page = client.get(reverse("learning:shared_programme", args=[shared.pk])).content.decode()
    assert "Adopt a copy" not in page
    assert client.post(reverse("learning:programme_adopt", args=[shared.pk])).status_code == 403
    assert Programme.objects.count() == 1


def test_a_mentor_shares_and_stops_sharing(client, programme, network, platform_mentor):
    client.force_login(platform_mentor)
    page = client.get(reverse("learning:programme", args=[programme.pk])).content.decode()
    assert "Share with a network" in page
    url = reverse("learning:programme_share", args=[programme.pk])
    client.post(url, {"network": network.pk})
    assert Programme.objects.get(pk=programme.pk).shared_with_id == network.pk
    client.post(url, {"network": ""})
    assert Programme.objects.get(pk=programme.pk).shared_with_id is None


def test_adopting_copies_the_outline_into_ones_own_organisation_without_people(
    client, shared, held, coming, other_mentor, other_org, published, network, platform_mentor
):
    # A method covered is kept only where the adopter may read it: shared, here.
    method_share(method=published, network=network, by=platform_mentor)
    client.force_login(other_mentor)
    response = client.post(reverse("learning:programme_adopt", args=[shared.pk]))
    copy = Programme.objects.get(adopted_from=shared)
    assert response.url == reverse("learning:programme", args=[copy.pk])
    assert copy.organisation_id == other_org.pk and copy.shared_with_id is None
    sessions = list(copy.modules.get().sessions.order_by("starts_at"))
    assert [s.title for s in sessions] == [held.title, coming.title]
    assert {s.facilitator_id for s in sessions} == {other_mentor.pk}
    assert [m.title for m in sessions[0].methods.all()] == ["Troen på deltakeren"]
    assert sessions[0].materials.get().name == "Arbeidsark"
    assert not copy.enrolments.exists()
    assert not SessionAttendance.objects.filter(session__in=sessions).exists()
    assert client.get(response.url).status_code == 200


def test_leaving_the_network_stops_the_sharing(client, shared, other_admin, network, other_mentor):
    network_leave(network=network, by=other_admin)
    client.force_login(other_mentor)
    assert client.get(reverse("learning:shared_programme", args=[shared.pk])).status_code == 404


def test_the_shared_pages_have_a_fixed_number_of_queries(
    client, shared, module, platform_mentor, facilitator, other_mentor, django_assert_num_queries
):
    client.force_login(other_mentor)
    urls = [
        reverse("learning:shared_programmes"),
        reverse("learning:shared_programme", args=[shared.pk]),
    ]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    for number in range(4):
        services.session_add(
            module=module,
            by=platform_mentor,
            title=f"Økt {number}",
            starts_at=at(number + 2),
            ends_at=at(number + 2, 11),
            place="Rom",
            facilitator=facilitator,
        )
    services.module_add(programme=shared, by=platform_mentor, title="Modul to")
    for url, before in zip(urls, counts, strict=True):
        client.get(url)
        with django_assert_num_queries(before):
            client.get(url)
