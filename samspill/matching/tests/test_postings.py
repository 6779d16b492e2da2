"""The posting lists the first stage reads (issue 23, point 6) follow the stored terms: the
services that write a profile or a need keep them, a closed need has none."""

import pytest

from samspill.core.testing import make_employer, make_participant
from samspill.employers.models import NeedTerm
from samspill.employers.services import need_add, need_update
from samspill.participants.models import ParticipantTerm
from samspill.participants.services import participant_update

pytestmark = pytest.mark.django_db


def need_terms(need):
    return set(NeedTerm.objects.filter(need=need).values_list("term", flat=True))


def person_terms(person):
    return set(ParticipantTerm.objects.filter(participant=person).values_list("term", flat=True))


def test_a_need_keeps_its_postings_while_open(org, counselor):
    employer = make_employer(org, counselor, municipality="Oslo")
    need = need_add(employer=employer, by=counselor, role="Lagermedarbeider", tasks="kjøre truck")
    assert need_terms(need) == set(need.match_terms.split())
    assert "=truck" in need_terms(need)
    need = need_update(need=need, by=counselor, tasks="vaske bil")
    assert need_terms(need) == set(need.match_terms.split())
    assert "=truck" not in need_terms(need)
    need_update(need=need, by=counselor, is_open=False)
    assert need_terms(need) == set()
    need = need_update(need=need, by=counselor, is_open=True)
    assert need_terms(need) == set(need.match_terms.split()) != set()


def test_a_profile_keeps_its_postings(org, counselor):
    person = make_participant(org, counselor, what_i_can="kjøre truck", dreams="ikke natt")
    assert person_terms(person) == set(person.match_terms.split())
    assert {"c=truck", "n=natt"} <= person_terms(person)
    person = participant_update(participant=person, by=counselor, what_i_can="kasse")
    assert person_terms(person) == set(person.match_terms.split())
    assert "c=truck" not in person_terms(person)
    participant_update(participant=person, by=counselor, what_i_can="", dreams="")
    assert person_terms(person) == set()


def test_a_need_s_postings_carry_its_static_score_and_place(org, counselor):
    """The bounded first stage reads a word's postings by static score (1 / the need's stems)
    and the person's municipality's by place; moving the employer moves the place."""
    from samspill.employers.services import employer_update

    employer = make_employer(org, counselor, municipality=" Ålesund ")
    need = need_add(employer=employer, by=counselor, role="Lagermedarbeider", tasks="kjøre truck")
    stems = sum(1 for t in need.match_terms.split() if t.startswith("="))
    rows = set(NeedTerm.objects.filter(need=need).values_list("static_score", "place"))
    assert stems > 1
    assert rows == {(1.0 / stems, "ålesund")}
    employer_update(employer=employer, by=counselor, municipality="Bergen")
    assert set(NeedTerm.objects.filter(need=need).values_list("place", flat=True)) == {"bergen"}
