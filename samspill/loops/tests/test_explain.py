"""Each seat explained in words from the marks, in the reader's language."""

from django.utils import translation

from samspill.loops.explain import explain_seat, explain_waiting
from samspill.loops.formation import parse_instance, seat

INSTANCE = parse_instance(
    {
        "loops": [{"key": "L1", "employers": ["E1", "E2", "E3"]}],
        "candidates": ["C1", "C2"],
        "interest": [
            {"candidate": "C1", "employer": "E1", "employer_mark": 2, "candidate_mark": 2},
            {"candidate": "C1", "employer": "E3", "employer_mark": 1, "candidate_mark": 2},
        ],
        "forbidden": [{"candidate": "C2", "employer": "E2"}],
    }
)
NAMES = {"C1": "Kari", "C2": "Ola", "E1": "Bakeriet", "E2": "Verkstedet", "E3": "Butikken"}


def test_a_seat_is_explained_period_by_period_with_names():
    seating = seat(INSTANCE)
    [kari] = seating.seats
    assert kari.order[1] == "E2"  # the one neither side marked goes in the middle
    with translation.override("en"):
        sentences = explain_seat(INSTANCE, kari, NAMES)
    assert "Kari then goes to Verkstedet: both marked no." in sentences
    assert "Kari starts at Bakeriet: both marked yes." in sentences or (
        "Kari ends at Bakeriet: both marked yes." in sentences
    )
    assert any(
        s.endswith("at Butikken: Butikken marked maybe, Kari marked yes.") for s in sentences
    )


def test_without_names_the_keys_are_used():
    [kari] = seat(INSTANCE).seats
    with translation.override("en"):
        assert explain_seat(INSTANCE, kari)[1] == "C1 then goes to E2: both marked no."


def test_the_waiting_list_is_explained():
    with translation.override("en"):
        assert explain_waiting(INSTANCE, "C2", NAMES) == (
            "Ola waits: every loop has an employer Ola cannot go to."
        )
        assert explain_waiting(INSTANCE, "C1") == (
            "C1 waits: the seats went to candidates with more interest both ways."
        )
