"""The "fewest chances" switch over placements made through the placements services (issue 23,
point 4): a locked placement is a chance had, and those with fewer come first within the band."""

import pytest

from samspill.core.testing import make_participant
from samspill.employers.services import need_add
from samspill.matching.engine import candidates_for_need
from samspill.matching.tests.test_engine import share
from samspill.placements.tests import cast

pytestmark = pytest.mark.django_db


def test_fewest_chances_puts_those_without_placements_first(
    org, counselor, employer, mentor_contact, employer_user
):
    need = need_add(
        employer=employer, by=counselor, role="Lagermedarbeider", tasks="kjøre truck på lager"
    )
    placed = make_participant(org, counselor, given_name="Had", what_i_can="truck lager")
    share(placed, counselor)
    waiting = make_participant(org, counselor, given_name="Not", what_i_can="truck")
    share(waiting, counselor)
    placement = cast.approve_all(
        cast.draft(placed, employer, counselor, mentor_contact), counselor, employer_user
    )
    assert placement.locked_at is not None

    plain = candidates_for_need(counselor, need)
    by_id = {s.participant_id: s for s in plain.suggestions}
    assert by_id[placed.pk].chances == 1 and by_id[waiting.pk].chances == 0
    assert by_id[placed.pk].score > by_id[waiting.pk].score
    assert [s.participant_id for s in plain.suggestions] == [placed.pk, waiting.pk]

    fair = candidates_for_need(counselor, need, favour="fewest_chances")
    assert fair.favour == "fewest_chances"
    assert [s.participant_id for s in fair.suggestions] == [waiting.pk, placed.pk]
    # The scores and their explanations do not change with the order.
    assert {s.participant_id: s.score for s in fair.suggestions} == {
        s.participant_id: s.score for s in plain.suggestions
    }
