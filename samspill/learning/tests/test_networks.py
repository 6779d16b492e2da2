import pytest
from django.urls import reverse

from samspill.learning import services
from samspill.learning.models import Method, NetworkMembership
from samspill.learning.tests.conftest import CONTENT
from samspill.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_network_and_another_organisation_joins_by_code(
    client, admin, other_admin
):
    client.force_login(admin)
    client.post(reverse("learning:networks"), {"action": "create", "create-name": "Nettverket"})
    code = NetworkMembership.objects.get().network.join_code
    client.force_login(other_admin)
    bad = client.post(reverse("learning:networks"), {"action": "join", "join-join_code": "nope"})
    assert bad.status_code == 400
    assert "No network has that join code" in bad.content.decode()
    client.post(reverse("learning:networks"), {"action": "join", "join-join_code": code})
    assert NetworkMembership.objects.count() == 2


def test_a_shared_method_is_read_only_to_the_network_and_can_be_adopted(
    client, network, published, platform_mentor, other_mentor, outsider
):
    client.force_login(other_mentor)
    assert client.get(reverse("learning:method", args=[published.pk])).status_code == 404
    services.method_share(method=published, network=network, by=platform_mentor)
    page = client.get(reverse("learning:method", args=[published.pk])).content.decode()
    assert "Adopt a copy" in page
    assert "Edit the draft" not in page and "Start a new version" not in page
    assert client.post(reverse("learning:method_publish", args=[published.pk])).status_code == 403
    response = client.post(reverse("learning:method_adopt", args=[published.pk]))
    copy = Method.objects.exclude(pk=published.pk).get()
    assert response.url == reverse("learning:method", args=[copy.pk])
    assert copy.organisation_id == outsider.memberships.get().organisation_id
    assert copy.published is None and copy.adopted_from == published.published


def test_leaving_a_network_stops_sharing(
    client, admin, network, published, platform_mentor, other_mentor
):
    services.method_share(method=published, network=network, by=platform_mentor)
    services.network_leave(network=network, by=admin)
    client.force_login(other_mentor)
    assert client.get(reverse("learning:method", args=[published.pk])).status_code == 404


def test_a_network_shares_no_person(client, network, participant, other_admin):
    client.force_login(other_admin)
    page = client.get(reverse("learning:networks")).content.decode()
    assert participant.given_name not in page
    assert client.get(reverse("participants:detail", args=[participant.pk])).status_code in {
        403,
        404,
    }


def test_leaders_appoint_platform_mentors_and_counselors_cannot(
    client, leader, counselor, colleague
):
    client.force_login(counselor)
    assert client.post(reverse("learning:mentors"), {"user": colleague.pk}).status_code == 403
    client.force_login(leader)
    client.post(reverse("learning:mentors"), {"user": colleague.pk})
    assert colleague.platform_mentorships.count() == 1
    again = client.post(reverse("learning:mentors"), {"user": colleague.pk})
    assert again.status_code == 400


def test_a_method_shared_in_another_language_is_found_by_its_own_words(
    client, network, other_org, other_mentor, counselor
):
    """The Danish partner's method is stemmed in Danish; a Norwegian reader finds it by a
    Danish inflected word (the Norwegian configuration alone stems it differently)."""
    other_org.country = Organisation.Country.DENMARK
    other_org.save()
    method = services.method_create(
        by=other_mentor,
        **{**CONTENT, "title": "Efterbearbejdning", "purpose": "Holdet arbejdede videre."},
    )
    services.method_publish(method=method, by=other_mentor)
    services.method_share(method=method, network=network, by=other_mentor)
    client.force_login(counselor)
    found = client.get(reverse("learning:library"), {"q": "arbejdede"})
    assert [m.pk for m in found.context["page"].object_list] == [method.pk]
