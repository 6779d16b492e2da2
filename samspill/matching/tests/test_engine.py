"""The engine: ranking explanations, consent gating, visibility, health never read, queries."""

import pytest
from django.utils import translation

from samspill.audit.models import AccessLog
from samspill.core.testing import make_participant
from samspill.employers.services import need_add
from samspill.matching.engine import candidates_for_need, needs_for_participant
from samspill.matching.types import FactorKey
from samspill.participants.models import ConsentRecord
from samspill.participants.services import consent_give, consent_withdraw

pytestmark = pytest.mark.django_db


def share(participant, by):
    return consent_give(
        participant=participant,
        by=by,
        recipient=ConsentRecord.Recipient.WORKPLACE,
        information=ConsentRecord.Information.STRENGTHS,
    )


@pytest.fixture
def need(employer, counselor):
    return need_add(
        employer=employer,
        by=counselor,
        role="Lagermedarbeider",
        tasks="Plukke varer på lager, kjøre truck, nattskift",
        skills="truck",
        hours_per_week=30,
    )


def person(org, counselor, **fields):
    p = make_participant(org, counselor, given_name=fields.pop("given_name", "Per"), **fields)
    share(p, counselor)
    return p


def factor(suggestion, key):
    return next(f for f in suggestion.factors if f.key == key)


def test_ranks_by_skills_and_own_words_and_explains(org, counselor, need):
    good = person(org, counselor, what_i_can="Truckfører", interests="Jobbe på lager")
    other = person(org, counselor, what_i_can="Baking", interests="Kafé")
    result = candidates_for_need(counselor, need)
    ids = [s.participant_id for s in result.suggestions]
    assert ids.index(good.pk) < ids.index(other.pk)
    top = result.suggestions[0]
    assert "truck" in factor(top, FactorKey.SKILLS).explanation
    assert "lager" in factor(top, FactorKey.WISHES).explanation
    assert result.pool_size == 2


def test_a_negated_wish_counts_against(org, counselor, need):
    likes = person(org, counselor, what_i_can="truck", dreams="natt lager")
    refuses = person(org, counselor, what_i_can="truck", dreams="lager, men ikke natt")
    result = candidates_for_need(counselor, need)
    by_id = {s.participant_id: s for s in result.suggestions}
    assert by_id[likes.pk].score > by_id[refuses.pk].score
    assert "natt" in factor(by_id[refuses.pk], FactorKey.WISHES).missing


def test_profile_not_shared_is_listed_but_not_ranked_on_its_text(org, counselor, need):
    hidden = make_participant(org, counselor, what_i_can="Truckfører lager", interests="lager")
    with translation.override("en"):
        result = candidates_for_need(counselor, need)
    (s,) = result.suggestions
    assert s.participant_id == hidden.pk
    assert factor(s, FactorKey.SKILLS).score == 0
    assert factor(s, FactorKey.SKILLS).missing == "Profile not shared"


def test_withdrawn_consent_stops_use(org, counselor, need):
    p = make_participant(org, counselor, what_i_can="Truckfører")
    consent = share(p, counselor)
    assert factor(candidates_for_need(counselor, need).suggestions[0], FactorKey.SKILLS).score > 0
    consent_withdraw(consent=consent, by=counselor)
    assert factor(candidates_for_need(counselor, need).suggestions[0], FactorKey.SKILLS).score == 0


def test_health_text_never_influences(org, counselor, need):
    p = person(org, counselor, what_i_can="Baking")
    before = candidates_for_need(counselor, need).suggestions[0]
    from samspill.participants.services import participant_update

    participant_update(participant=p, by=counselor, needs="truck lager natt truckfører")
    after = candidates_for_need(counselor, need).suggestions[0]
    assert before.score == after.score and before.factors == after.factors


def test_a_counselor_never_sees_candidates_they_may_not_see(
    org, counselor, other_team_counselor, outsider, need, other_participant
):
    mine = person(org, counselor, what_i_can="truck")
    theirs = person(org, other_team_counselor, what_i_can="truck")
    ids = {s.participant_id for s in candidates_for_need(counselor, need).suggestions}
    assert mine.pk in ids and theirs.pk not in ids and other_participant.pk not in ids
    # Another organisation's staff do not get the need at all.
    assert candidates_for_need(outsider, need).suggestions == []


def test_reads_are_logged_one_row_per_person_shown(org, counselor, need):
    p = person(org, counselor, what_i_can="truck")
    candidates_for_need(counselor, need)
    log = AccessLog.objects.get(participant=p)
    assert log.what == f"matching:need:{need.pk}" and log.why == "counselor"


def test_query_count_is_constant_in_pool_size(org, counselor, need):
    person(org, counselor, what_i_can="truck")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    candidates_for_need(counselor, need)  # warm the per-request caches (membership)
    with CaptureQueriesContext(connection) as one:
        candidates_for_need(counselor, need)
    for i in range(5):
        person(org, counselor, given_name=f"P{i}", what_i_can="truck")
    with CaptureQueriesContext(connection) as six:
        candidates_for_need(counselor, need)
    assert len(six) == len(one)


def test_favour_waited_longest_reorders_within_the_band(org, counselor, need):
    import datetime

    early = person(org, counselor, what_i_can="truck", start_date=datetime.date(2024, 1, 1))
    late = person(org, counselor, what_i_can="truck lager", start_date=datetime.date(2026, 1, 1))
    plain = candidates_for_need(counselor, need)
    assert plain.suggestions[0].participant_id == late.pk
    fair = candidates_for_need(counselor, need, favour="waited_longest")
    assert fair.suggestions[0].participant_id == early.pk
    assert fair.favour == "waited_longest"


def test_need_groups_of_pool_and_suggested(org, counselor, need):
    person(org, counselor, what_i_can="truck", need_group="good_prospects")
    person(org, counselor, what_i_can="baking", need_group="partial_work")
    result = candidates_for_need(counselor, need, limit=1)
    assert result.pool_need_groups == {"good_prospects": 1, "partial_work": 1}
    assert sum(result.suggested_need_groups.values()) == 1


def test_needs_for_participant(org, counselor, employer, need, outsider):
    p = person(org, counselor, what_i_can="truck", interests="lager")
    need_add(employer=employer, by=counselor, role="Baker", tasks="bake brød")
    result = needs_for_participant(counselor, p)
    assert result.suggestions[0].need_id == need.pk
    assert result.pool_size == 2
    assert needs_for_participant(outsider, p).suggestions == []


def test_the_services_keep_the_stored_terms_and_never_index_needs(org, counselor, employer):
    from samspill.employers.services import need_update
    from samspill.participants.services import participant_update

    p = make_participant(org, counselor, what_i_can="truck", needs="diabetes")
    assert "c=truck" in p.match_terms and "diabet" not in p.match_terms
    participant_update(participant=p, by=counselor, interests="ikke natt")
    p.refresh_from_db()
    assert "n=natt" in p.match_terms
    n = need_add(employer=employer, by=counselor, role="Baker")
    assert "=baker" in n.match_terms.split()
    need_update(need=n, by=counselor, role="Gartner")
    n.refresh_from_db()
    assert "=gartn" in n.match_terms.split() or "=gartner" in n.match_terms.split()


def test_needs_query_count_is_constant_in_the_number_of_needs(org, counselor, employer, need):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = person(org, counselor, what_i_can="truck", interests="lager")
    needs_for_participant(counselor, p)  # warm the per-request caches (membership)
    with CaptureQueriesContext(connection) as one:
        needs_for_participant(counselor, p)
    for i in range(5):
        need_add(employer=employer, by=counselor, role=f"Lager {i}", tasks="truck på lager")
    with CaptureQueriesContext(connection) as six:
        result = needs_for_participant(counselor, p)
    assert len(result.suggestions) == 6
    assert len(six) == len(one)
