import datetime

import pytest
from django.core.exceptions import ValidationError

from samspill.audit.models import AuditEvent
from samspill.followup import services
from samspill.followup.models import Belief, BeliefCheckIn

DAY = datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("previous", "now", "suggest"),
    [
        (None, Belief.YES_CERTAINLY, False),
        (None, Belief.UNSURE, False),
        (None, Belief.PROBABLY_NOT, True),
        (None, Belief.NO, True),
        (Belief.YES_CERTAINLY, Belief.PROBABLY, False),
        (Belief.YES_CERTAINLY, Belief.UNSURE, True),  # two steps
        (Belief.PROBABLY, Belief.UNSURE, False),
        (Belief.UNSURE, Belief.PROBABLY_NOT, True),  # down to "probably not"
        (Belief.PROBABLY_NOT, Belief.PROBABLY_NOT, False),  # no new drop
        (Belief.NO, Belief.PROBABLY_NOT, False),  # a rise
    ],
)
def test_it_suggests_sparring_after_a_lost_belief(previous, now, suggest):
    assert services.belief_suggests_sparring(belief=now, previous_belief=previous) is suggest


def test_it_records_a_checkin_and_compares_with_the_previous(participant, counselor):
    first = services.checkin_record(participant=participant, by=counselor, belief=5, asked_on=DAY)
    assert first.previous is None and not first.suggest_sparring
    second = services.checkin_record(
        participant=participant,
        by=counselor,
        belief=3,
        asked_on=DAY,
        self_belief=4,
        strengthen="Mer praksis",
    )
    assert second.previous == first.checkin
    assert second.suggest_sparring
    assert second.checkin.period_id == participant.active_period_id
    assert AuditEvent.objects.filter(action="belief.checked_in").count() == 2


def test_it_refuses_a_belief_outside_the_five_steps_and_saves_nothing(participant, counselor):
    with pytest.raises(ValidationError):
        services.checkin_record(participant=participant, by=counselor, belief=6, asked_on=DAY)
    assert not BeliefCheckIn.objects.exists()


def test_it_refuses_a_checkin_dated_in_the_future(participant, counselor):
    with pytest.raises(ValidationError):
        services.checkin_record(
            participant=participant, by=counselor, belief=4, asked_on=datetime.date(2999, 1, 1)
        )
    assert not BeliefCheckIn.objects.exists()
