"""The two paths give the same list (issue 23, point 6): PostgreSQL ranks the pool in SQL and
scores only a shortlist in full; the plain path scores everyone in full in Python. On a pool
several times the shortlist, with profiles that share words in many ways, the lists shown are
the same, person by person and in order, with and without favouring."""

import datetime
import random

import pytest
from django.db import connection

from samspill.core.testing import make_employer, make_participant
from samspill.employers.services import need_add
from samspill.matching import engine
from samspill.matching.tests.test_engine import share
from samspill.placements.models import Placement
from samspill.placements.services import placement_cancel, placement_end
from samspill.placements.tests import cast

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the first stage in SQL is PostgreSQL's"
    ),
]

SKILLS = [
    "lager",
    "truck",
    "truckfører",
    "lagermedarbeider",
    "kasse",
    "butikk",
    "kunder",
    "rengjøring",
    "kjøkken",
    "kokk",
    "hage",
    "gartner",
    "sjåfør",
    "varebil",
    "baker",
]
WISHES = [
    "jobbe ute",
    "jobbe på lager",
    "være med folk",
    "lage mat",
    "kjøre truck",
    "jobbe i butikk",
    "ikke natt",
    "ikkje helg",
    "butikkarbeid",
    "lagerarbeid",
]
PLACES = ["Oslo", "Bergen", "Ålesund"]
NEEDS = [
    ("Lagermedarbeider", "plukke varer på lager, kjøre truck, nattskift", "truck"),
    ("Butikkmedarbeider", "betjene kasse og hjelpe kunder i helgene", "kasse"),
    ("Kjøkkenassistent", "kjøkkenarbeid og oppvask, lage mat", ""),
]  # fmt: skip


@pytest.fixture
def world(org, counselor, employer, mentor_contact, employer_user):
    rng = random.Random(23)
    people = []
    for i in range(48):
        p = make_participant(
            org,
            counselor,
            given_name=f"P{i}",
            municipality=rng.choice(PLACES),
            need_group=rng.choice(["good_prospects", "needs_guidance", "partial_work"]),
            start_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 360)),
            what_i_can=", ".join(rng.sample(SKILLS, rng.randint(0, 3))),
            want_to_learn=", ".join(rng.sample(SKILLS, rng.randint(0, 2))),
            interests=", ".join(rng.sample(WISHES, rng.randint(0, 2))),
            dreams=". ".join(rng.sample(WISHES, rng.randint(0, 2))),
        )
        if i % 4:  # a quarter do not share their strengths
            share(p, counselor)
        people.append(p)
    employers = [employer] + [
        make_employer(org, counselor, name=f"Arbeidsgiver {i}", municipality=place)
        for i, place in enumerate(PLACES)
    ]
    needs = [
        need_add(employer=e, by=counselor, role=role, tasks=tasks, skills=skills)
        for e, (role, tasks, skills) in zip(employers[1:], NEEDS, strict=True)
    ]
    # Earlier placements, made as the services make them: one that led to work, one cancelled
    # (the history and mentoring factors, and the chances had).
    ended = cast.approve_all(
        cast.draft(people[1], employer, counselor, mentor_contact), counselor, employer_user
    )
    placement_end(placement=ended, by=counselor, ended_on=ended.start_date, outcome="ordinary_work")
    cancelled = cast.approve_all(
        cast.draft(people[2], employer, counselor, mentor_contact), counselor, employer_user
    )
    placement_cancel(placement=cancelled, by=counselor, reason=Placement.CancelReason.values[0])
    needs.append(need_add(employer=employer, by=counselor, role="Baker", tasks="bake brød"))
    # Many open needs for the other direction, with words in common in many ways.
    for i in range(36):
        role, tasks, skills = NEEDS[i % 3]
        need_add(
            employer=employers[i % 4],
            by=counselor,
            role=role,
            tasks=", ".join(rng.sample(tasks.split(", "), 1) + rng.sample(SKILLS, 2)),
            skills=rng.choice([skills, "", rng.choice(SKILLS)]),
        )
    return people, needs


def listed(result):
    return [(s.participant_id, s.need_id, s.score, s.factors) for s in result.suggestions]


@pytest.mark.parametrize("favour", ["", "waited_longest", "fewest_chances"])
def test_candidates_in_sql_are_those_of_the_full_score(monkeypatch, counselor, world, favour):
    monkeypatch.setattr(engine, "SHORTLIST", 8)  # 10 of 48 go on to the full score
    _people, needs = world
    for need in needs:
        fast = engine.candidates_for_need(counselor, need, favour=favour, limit=5, in_database=True)
        full = engine.candidates_for_need(
            counselor, need, favour=favour, limit=5, in_database=False
        )
        assert len(fast.suggestions) == 5
        assert listed(fast) == listed(full)
        assert fast.pool_size == full.pool_size == 48
        assert {s.participant_id: s.chances for s in full.suggestions}.get(world[0][1].pk, 1) == 1
        assert fast.pool_need_groups == full.pool_need_groups
        assert fast.suggested_need_groups == full.suggested_need_groups


def test_the_shortlist_is_cut(monkeypatch, counselor, world):
    """The comparison above means something: the first stage lets only a few through."""
    monkeypatch.setattr(engine, "SHORTLIST", 8)
    seen = []
    real = engine.firststage.candidate_ids

    def spy(*args, **kwargs):
        ids, groups = real(*args, **kwargs)
        seen.append(len(ids))
        return ids, groups

    monkeypatch.setattr(engine.firststage, "candidate_ids", spy)
    engine.candidates_for_need(counselor, world[1][0], limit=5)
    assert seen == [10]


def test_needs_in_sql_are_those_of_the_full_score(monkeypatch, counselor, world):
    monkeypatch.setattr(engine, "SHORTLIST", 8)
    monkeypatch.setattr(engine, "BY_WORDS", 20)  # of 40
    monkeypatch.setattr(engine, "NEARBY_NEEDS", 3)
    people, _needs = world
    for person in people[:12]:
        fast = engine.needs_for_participant(counselor, person, limit=5, in_database=True)
        full = engine.needs_for_participant(counselor, person, limit=5, in_database=False)
        assert fast.pool_size == full.pool_size == 40
        assert listed(fast) == listed(full), person.given_name


def test_needs_with_the_per_term_cap_cutting(monkeypatch, counselor, world):
    """The first stage for a person is a bounded retrieval: of each of their keys at most
    PER_TERM open needs outside their municipality are read (by static score, then id), and all
    in it. With the cap cutting, the list is the best by the full score among what was read."""
    from samspill.employers.models import NeedTerm, RecruitmentNeed

    monkeypatch.setattr(engine, "PER_TERM", 2)
    # Everything read goes on to the full score.
    monkeypatch.setattr(engine, "SHORTLIST", 40)
    monkeypatch.setattr(engine, "BY_WORDS", 40)
    monkeypatch.setattr(engine, "NEARBY_NEEDS", 40)
    seen_keys: list[list[str]] = []
    real = engine.firststage.person_probe_rows

    def spy(person):
        rows = real(person)
        seen_keys.append(rows[0])
        return rows

    monkeypatch.setattr(engine.firststage, "person_probe_rows", spy)
    people, _needs = world
    cut = 0
    for person in people[:12]:
        fast = engine.needs_for_participant(counselor, person, limit=5, in_database=True)
        keys = seen_keys[-1]
        place = person.municipality.strip().lower()
        read = {
            need_id
            for key in keys
            for need_id in NeedTerm.objects.filter(term=key)
            .order_by("-static_score", "need_id")
            .values_list("need_id", flat=True)[:2]
        } | set(
            RecruitmentNeed.objects.filter(
                is_open=True, employer__municipality__iexact=place
            ).values_list("pk", flat=True)
        )
        holding = set(NeedTerm.objects.filter(term__in=keys).values_list("need_id", flat=True))
        cut += len(holding - read)
        full = engine.needs_for_participant(counselor, person, limit=40, in_database=False)
        best_read = [s for s in listed(full) if s[1] in read][:5]
        assert listed(fast) == best_read, person.given_name
    assert cut > 0  # the cap did leave needs holding a person's word unread
