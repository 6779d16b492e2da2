"""The measures catalogue (issue 22, item 10): employers and mentors read it in the portal and see
nothing else there; only the organisation's administrators rewrite a measure; a stale or empty
rewrite changes nothing."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samspill.core.revisions import StaleRevision
from samspill.core.testing import client_for
from samspill.placements import measures
from samspill.placements.models import MeasureText, Placement

pytestmark = pytest.mark.django_db
URL = reverse("portal:measures")
WORDS: dict[str, Any] = {
    "name": "Lønnstilskudd",
    "what": "Vi forklarer det på møtet.",
    "who": "Ungdom i Moss.",
    "employer_gets": "En del av lønnen.",
    "how_long": "Inntil ett år.",
}


def test_the_mentor_reads_the_countrys_measures(mentor, participant, django_assert_num_queries):
    client = client_for(mentor)
    with django_assert_num_queries(7):
        response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("Lønnstilskudd", "Tilskudd til mentor", "Arbeidstrening", "Inkluderingstilskudd"):
        assert name in body
    assert participant.family_name not in body  # the catalogue, no participant data


def test_a_danish_organisation_gets_the_danish_measures(org, mentor):
    org.country = "DK"
    org.save(update_fields=["country"])
    body = client_for(mentor).get(URL).content.decode()
    assert "Virksomhedspraktik" in body and "Løntilskud" in body
    assert "Arbeidstrening" not in body


@pytest.mark.parametrize("who", ["counselor", "admin", "outsider", "anonymous"])
def test_nobody_but_a_portal_contact_opens_the_page(request, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    assert client_for(user).get(URL).status_code in ({403} if user else {302})


def test_an_administrator_rewrites_a_measure_for_the_organisation(org, admin, mentor):
    saved = measures.measure_save(organisation=org, by=admin, key="wage_subsidy", **WORDS)
    assert saved.what == WORDS["what"] and saved.revision == 1
    assert "Ungdom i Moss." in client_for(mentor).get(URL).content.decode()
    again = measures.measure_save(
        organisation=org, by=admin, key="wage_subsidy", revision=1, **{**WORDS, "who": "Alle."}
    )
    assert again.who == "Alle." and again.revision == 2
    with pytest.raises(StaleRevision):
        measures.measure_save(organisation=org, by=admin, key="wage_subsidy", revision=1, **WORDS)
    assert MeasureText.objects.get().who == "Alle."


@pytest.mark.parametrize("who", ["counselor", "leader", "outsider", "mentor"])
def test_only_the_organisations_administrator_rewrites_a_measure(request, org, who):
    with pytest.raises(PermissionDenied):
        measures.measure_save(
            organisation=org, by=request.getfixturevalue(who), key="wage_subsidy", **WORDS
        )
    assert not MeasureText.objects.exists()


def test_an_empty_text_or_an_unknown_measure_changes_nothing(org, admin):
    with pytest.raises(ValidationError):
        measures.measure_save(
            organisation=org, by=admin, key="wage_subsidy", **{**WORDS, "what": " "}
        )
    with pytest.raises(ValidationError):
        measures.measure_save(organisation=org, by=admin, key="dk_internship", **WORDS)
    assert not MeasureText.objects.exists()


def test_an_agreement_links_to_the_measures_its_kind_uses(org):
    keys = [m.key for m in measures.measures_for_kind(org, Placement.Kind.WORK_TRAINING)]
    assert keys == ["mentor_grant", "work_training"]


def test_the_agreement_in_the_portal_links_to_its_measures(mentor, placement):
    body = client_for(mentor).get(reverse("portal:placement", args=[placement.pk])).content
    assert f'{URL}#measure-work_training"'.encode() in body
